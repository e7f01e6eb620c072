"""Referral pathways: can a cohort be referred from each needed service to the next?

A pathway template (``graphmodel/data/pathways.yaml``) lists, per cohort type,
the services in the order a person needs them. For one cohort this module
finds the providers of each step with jurisdiction over the cohort's region,
then the best *chain* of providers in which every hand-off goes between
agencies with a recorded coordination tie, the k best alternatives, how many
node-disjoint chains exist (robustness) and which providers every intact chain
depends on; steps without a provider and hand-offs without a tie are reported
as gaps.

The chains are paths in a layered DAG: a source, one layer per step that has
providers (node ``(step, agency)``), a sink. The hand-off cost between
consecutive layers is 0 when the same agency continues, ``1 / (w * r)`` when
the agencies share a tie of weight ``w`` in the
:func:`~graphmodel.analytics.network.coordination_network` whose last dated
contact is ``age`` years before ``as_of`` (``r = 0.5 ** (age / half_life)``;
undated ties count as one half-life old), and :data:`BROKEN_HANDOFF_COST`
otherwise, so a chain with fewer broken hand-offs always wins.

The DAG is never materialised. Every source-sink path of a layered DAG is
simple, so the k shortest loopless paths of [1]_ are found by dynamic
programming that keeps the k best partial chains per node, layer by layer;
broken hand-offs all cost the same, so a node's broken predecessors are
served from one sorted list per layer and the work is linear in the number of
intact (tied or same-provider) hand-offs, times k. Chains are ranked by cost (the sum of the
hand-off costs, each rounded to 6 decimals, compared exactly), then by the
tuple of agency ids in step order: equal-cost chains come in that
lexicographic order. The number of node-disjoint intact chains (Menger [2]_)
is igraph's vertex connectivity of source and sink, a maximum flow [3]_.

References
----------
.. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
   Management Science, 17(11), 712-716.
.. [2] Menger, K. (1927). Zur allgemeinen Kurventheorie. Fundamenta
   Mathematicae, 10, 96-115 (node-disjoint paths = local node connectivity).
.. [3] Ford, L. R., & Fulkerson, D. R. (1956). Maximal flow through a
   network. Canadian Journal of Mathematics, 8, 399-404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from graphmodel.analytics._index import EvidenceRef, Finding, GraphIndex, dedupe, years_between
from graphmodel.analytics.network import coordination_network
from graphmodel.errors import AnalyticsError
from graphmodel.schema import CohortType, NodeLabel, ServiceType

__all__ = [
    "BROKEN_HANDOFF_COST",
    "Chain",
    "Handoff",
    "PathwayGap",
    "PathwayResult",
    "PathwayTemplate",
    "PathwayTemplates",
    "StepProviders",
    "parse_pathways",
    "load_pathways",
    "referral_pathways",
]

BROKEN_HANDOFF_COST = 100.0
"""Cost of a hand-off between providers with no recorded tie (dominates any tied hand-off)."""


# --------------------------------------------------------------------------- templates


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PathwayTemplate(_Frozen):
    """The ordered services a cohort of one type needs."""

    cohort_type: CohortType
    steps: tuple[ServiceType, ...] = Field(min_length=1)
    basis: str = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_steps(self) -> "PathwayTemplate":
        if len(set(self.steps)) != len(self.steps):
            raise ValueError("a service appears twice in the pathway")
        return self


class PathwayTemplates(_Frozen):
    templates: tuple[PathwayTemplate, ...]

    @model_validator(mode="after")
    def _one_per_type(self) -> "PathwayTemplates":
        types = [t.cohort_type for t in self.templates]
        if len(types) != len(set(types)):
            raise ValueError("more than one template for a cohort type")
        return self

    def for_cohort_type(self, cohort_type: str) -> PathwayTemplate | None:
        return next((t for t in self.templates if t.cohort_type == cohort_type), None)


def parse_pathways(data: Mapping[str, Any]) -> PathwayTemplates:
    """Validate a templates mapping (``{"templates": [...]}``); raises ``pydantic.ValidationError``."""
    return PathwayTemplates.model_validate(data)


@lru_cache(maxsize=1)
def load_pathways() -> PathwayTemplates:
    """The referral pathway templates shipped in ``graphmodel/data/pathways.yaml``.

    >>> [s.value for s in load_pathways().for_cohort_type("foreign_refugees").steps][:2]
    ['identification_registration', 'status_determination']
    """
    text = (resources.files("graphmodel") / "data" / "pathways.yaml").read_text(encoding="utf-8")
    return parse_pathways(yaml.safe_load(text))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class StepProviders(Finding):
    """The providers of one pathway step for a cohort (and those excluded for lack of jurisdiction)."""

    step: int
    service: str
    providers: tuple[str, ...]
    provider_names: tuple[str, ...]
    outside_jurisdiction: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True)
class Handoff(Finding):
    """A referral from the provider of one step to the provider of the next."""

    from_service: str
    to_service: str
    from_agency: str
    to_agency: str
    kind: str  # "same_provider" | "tied" | "broken"
    cost: float
    last_contact: dt.date | None
    reasons: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True)
class Chain(Finding):
    """One chain of providers, a provider per step that has one, with its hand-offs."""

    steps: tuple[tuple[str, str], ...]  # (service, agency)
    cost: float
    broken: int
    handoffs: tuple[Handoff, ...]
    explanation: str

    def row(self) -> dict[str, Any]:
        return {
            "chain": " -> ".join(f"{a} ({s})" for s, a in self.steps),
            "cost": self.cost,
            "broken": self.broken,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class PathwayGap(Finding):
    """A missing step (no provider with jurisdiction) or a broken hand-off of the best chain."""

    kind: str  # "missing_step" | "broken_handoff"
    cohort: str
    cohort_name: str
    service: str
    agencies: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


@dataclass(frozen=True)
class PathwayResult(Finding):
    """The referral pathway analysis of one cohort."""

    cohort: str
    cohort_name: str
    cohort_type: str
    regions: tuple[str, ...]
    steps: tuple[str, ...]
    providers: tuple[StepProviders, ...]
    best: Chain | None
    alternatives: tuple[Chain, ...]
    disjoint_chains: int
    critical_providers: tuple[str, ...]
    gaps: tuple[PathwayGap, ...]
    as_of: dt.date | None
    explanation: str

    def row(self) -> dict[str, Any]:
        return {
            "cohort": self.cohort,
            "cohort_type": self.cohort_type,
            "best_chain": self.best.row()["chain"] if self.best else "",
            "broken_handoffs": self.best.broken if self.best else None,
            "missing_steps": sum(g.kind == "missing_step" for g in self.gaps),
            "disjoint_chains": self.disjoint_chains,
            "critical_providers": "; ".join(self.critical_providers),
            "explanation": self.explanation,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per (chain rank, step): the k best chains laid out step by step."""
        rows = []
        for rank, chain in enumerate(self.alternatives, start=1):
            into = {h.to_service: h for h in chain.handoffs}
            for service, agency in chain.steps:
                h = into.get(service)
                rows.append(
                    {
                        "rank": rank,
                        "service": service,
                        "agency": agency,
                        "handoff_in": h.kind if h else "start",
                        "handoff_from": h.from_agency if h else "",
                        "last_contact": h.last_contact if h else None,
                        "chain_cost": chain.cost,
                        "chain_broken": chain.broken,
                    }
                )
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- analysis


def _handoff(H: nx.Graph, ix: GraphIndex, s1: str, a: str, s2: str, b: str, as_of: dt.date | None, half_life: float) -> Handoff:
    if a == b:
        return Handoff(s1, s2, a, b, "same_provider", 0.0, None, (f"{ix.name(a)} continues",), ())
    if not H.has_edge(a, b):
        return Handoff(s1, s2, a, b, "broken", BROKEN_HANDOFF_COST, None, ("no recorded coordination tie",), ())
    d = H.edges[a, b]
    return Handoff(s1, s2, a, b, "tied", _tie_cost(d, as_of, half_life), d.get("last_contact"), tuple(d["reasons"]), tuple(d["evidence"]))


def _tie_cost(d: Mapping[str, Any], as_of: dt.date | None, half_life: float) -> float:
    """The cost ``1 / (w * r)`` of a tied hand-off (edge data ``d`` of the coordination network), rounded to 6 decimals."""
    last = d.get("last_contact")
    age = years_between(last, as_of) if (last and as_of) else half_life
    recency = 0.5 ** (max(age, 0.0) / half_life)
    return round(1.0 / (d["weight"] * recency), 6)


def referral_pathways(
    G: nx.MultiDiGraph,
    cohort_id: str,
    k: int = 3,
    templates: PathwayTemplates | None = None,
    as_of: dt.date | None = None,
    half_life_years: float = 5.0,
    *,
    index: GraphIndex | None = None,
    network: nx.Graph | None = None,
) -> PathwayResult:
    """The referral pathway of a cohort: providers per step, best chains, robustness and gaps.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph.
    cohort_id : str
        A ``MigrantCohort`` node id.
    k : int
        How many best chains to return (``alternatives``, best first).
    templates : PathwayTemplates, optional
        Defaults to :func:`load_pathways`.
    as_of : datetime.date, optional
        "Now" for tie recency; defaults to the latest date in ``G``.
    half_life_years : float
        A tie's strength halves every this many years since its last contact.
    index, network : optional
        The :class:`GraphIndex` of ``G`` and its
        :func:`~graphmodel.analytics.network.coordination_network`, when the
        caller has them: a loop over cohorts should build both once and pass
        them, or each call rebuilds them from the whole graph.

    Returns
    -------
    PathwayResult
        ``providers`` per step (an agency provides a step when it ``SERVES``
        the cohort with that service, implements a programme with it that
        reaches the cohort or its region, or -- for ``shelter`` -- operates a
        facility sheltering it, and its jurisdiction covers one of the
        cohort's regions); ``best`` and ``alternatives`` (k cheapest chains);
        ``disjoint_chains`` (the largest number of chains with only tied or
        same-provider hand-offs that share no (step, provider) node: local
        node connectivity of source and sink in the intact DAG);
        ``critical_providers`` (agencies whose loss leaves no intact chain);
        ``gaps`` (missing steps; broken hand-offs of the best chain).

    Raises
    ------
    AnalyticsError
        If ``cohort_id`` is not a cohort of ``G``, ``k < 1``, or its type has
        no template.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> referral_pathways(G, "nobody")
    Traceback (most recent call last):
    ...
    graphmodel.errors.AnalyticsError: cohort 'nobody' not in graph (known cohorts: none)
    """
    ix = index if index is not None else GraphIndex(G)
    if cohort_id not in G or ix.label(cohort_id) != NodeLabel.MIGRANT_COHORT:
        known = ", ".join(ix.cohorts()) or "none"
        raise AnalyticsError(f"cohort {cohort_id!r} not in graph (known cohorts: {known})")
    if k < 1:
        raise AnalyticsError(f"k must be at least 1, got {k}")
    ctype = str(ix.attr(cohort_id, "cohort_type", ""))
    template = (templates or load_pathways()).for_cohort_type(ctype)
    if template is None:
        raise AnalyticsError(f"no referral pathway template for cohort type {ctype!r}")
    as_of = as_of or ix.latest_date()
    regions = ix.cohort_regions(cohort_id)
    H = network if network is not None else coordination_network(G, index=ix)

    step_providers: list[StepProviders] = []
    by_service = _delivered(ix, cohort_id)
    for i, service in enumerate(template.steps, start=1):
        provs = by_service.get(service.value, [])
        inside, outside = [], []
        for agency in sorted({p.agency for p in provs}):
            if not regions or any(ix.covers(agency, r) for r in regions):
                inside.append(agency)
            else:
                outside.append(agency)
        kept = set(inside)
        ev = dedupe(e for p in provs if p.agency in kept for e in p.evidence)
        step_providers.append(StepProviders(i, service.value, tuple(inside), tuple(ix.name(a) for a in inside), tuple(outside), ev))

    present = [sp for sp in step_providers if sp.providers]
    chains: list[Chain] = []
    disjoint, critical = 0, ()
    if present:
        dag = _Layered([sp.providers for sp in present], H, as_of, half_life_years)
        services = [sp.service for sp in present]
        chains = [_chain(ix, H, services, agencies, as_of, half_life_years) for agencies in dag.k_best(k)]
        chain = dag.one_intact_chain()
        if chain:
            disjoint = dag.disjoint_chains()
            critical = dag.critical(chain)
    best = chains[0] if chains else None
    gaps = _gaps(ix, cohort_id, ctype, step_providers, best)
    explanation = _explain(ix, cohort_id, template.steps, step_providers, best, disjoint, critical)
    return PathwayResult(
        cohort=cohort_id,
        cohort_name=ix.name(cohort_id),
        cohort_type=ctype,
        regions=regions,
        steps=tuple(s.value for s in template.steps),
        providers=tuple(step_providers),
        best=best,
        alternatives=tuple(chains),
        disjoint_chains=disjoint,
        critical_providers=critical,
        gaps=gaps,
        as_of=as_of,
        explanation=explanation,
    )


def _delivered(ix: GraphIndex, cohort: str) -> dict[str, list]:
    """The delivering provisions that reach a cohort, by service (one lookup instead of one per step)."""
    found: dict[str, list] = {}
    for p in ix.provisions_to(cohort):
        if p.delivers:
            found.setdefault(p.service, []).append(p)
    return found


class _Layered:
    """The chain DAG of one cohort, by layers, without building a graph object.

    Nodes are ints numbered layer by layer (``layers[i]`` is the range of
    layer ``i``); node ``g`` is the (step, agency) pair of its layer's step
    and ``agency[g]``. The source feeds every node of the first layer and
    every node of the last layer feeds the sink. Only the
    *intact* hand-offs (same agency, or a tie in ``H``) are stored:
    ``preds[g]`` lists ``(u, cost)`` with the cost in millionths (an exact
    int, so equal costs compare equal); every other pair of consecutive-layer
    nodes is a broken hand-off of cost :data:`BROKEN_HANDOFF_COST`.
    """

    def __init__(self, layers: list[tuple[str, ...]], H: nx.Graph, as_of: dt.date | None, half_life: float) -> None:
        self.layers: list[range] = []
        self.agency: list[str] = []
        self.preds: list[list[tuple[int, int]]] = []
        directed = H.is_directed()
        # NetworkX's own adjacency dicts: the public views cost a Python call per key, and this
        # intersection runs for every provider of every step of every cohort (2x the time of this loop)
        into = H._pred if directed else H._adj  # a tie a -> b  <=>  a in into[b]
        cost_into: dict[str, dict[str, int]] = {}  # cost_into[b][a]: micro-cost of the tie a -> b
        prev: dict[str, int] = {}
        for agencies in layers:
            first = len(self.agency)
            self.agency.extend(agencies)
            self.layers.append(range(first, len(self.agency)))
            if not prev:
                self.preds.extend([] for _ in agencies)
            else:
                for b in agencies:
                    same = prev.get(b)
                    ins = [] if same is None else [(same, 0)]
                    nb = into.get(b)
                    if nb:
                        known = cost_into.get(b)
                        if known is None:
                            known = cost_into[b] = {}
                        tied = prev.keys() & nb.keys()
                        tied.discard(b)
                        for a in tied - known.keys():
                            c = known[a] = round(_tie_cost(nb[a], as_of, half_life) * 1_000_000)
                            if not directed:
                                cost_into.setdefault(a, {})[b] = c
                        ins += [(prev[a], known[a]) for a in sorted(tied, key=prev.__getitem__)]  # layer order
                    self.preds.append(ins)
            prev = {a: first + j for j, a in enumerate(agencies)}

    # ------------------------------------------------------------------ k best chains

    def k_best(self, k: int) -> list[tuple[str, ...]]:
        """The agencies (in step order) of the k cheapest chains, cheapest first.

        Ties in cost go by the tuple of agency ids. Keeps the k best partial
        chains ``(cost, agencies)`` ending at each node; a node's candidates
        are its intact predecessors' partial chains plus the k best partial
        chains of the previous layer that end at a node without a tie to it
        (extended by a broken hand-off).
        """
        broken = round(BROKEN_HANDOFF_COST * 1_000_000)
        agency, layers, preds = self.agency, self.layers, self.preds
        best: list[list[tuple[int, tuple[str, ...]]]] = [[(0, (agency[g],))] for g in layers[0]]
        best.extend([] for _ in range(len(agency) - len(best)))
        ranked = sorted((0, (agency[g],), g) for g in layers[0])
        cheapest = [0] * len(agency)  # cost of best[g][0]
        for previous, layer in zip(layers, layers[1:]):
            for g in layer:
                ins = preds[g]
                # every candidate ends with agency[g]: rank them by (cost, chain so far), extend the k kept.
                # Only predecessors whose cheapest partial chain is among the k cheapest can contribute.
                if len(ins) > k:
                    bound = sorted([c + cheapest[u] for u, c in ins])[k - 1]
                    cands = [(c + pc, chain) for u, c in ins if c + cheapest[u] <= bound for pc, chain in best[u]]
                else:
                    cands = [(c + pc, chain) for u, c in ins for pc, chain in best[u]]
                if len(ins) < len(previous):
                    tied = {u for u, _ in ins}
                    need = k
                    for pc, chain, u in ranked:
                        if u not in tied:
                            cands.append((pc + broken, chain))
                            need -= 1
                            if not need:
                                break
                cands.sort()
                end = (agency[g],)
                best[g] = [(pc, chain + end) for pc, chain in cands[:k]]
                cheapest[g] = cands[0][0]
            ranked = sorted((pc, chain, g) for g in layer for pc, chain in best[g])
        return [chain for _, chain, _ in ranked[:k]]

    # ------------------------------------------------------------------ disjoint intact chains

    def one_intact_chain(self) -> list[int]:
        """The nodes of one chain whose hand-offs are all intact (first step first), or [] if there is none."""
        ok = [False] * len(self.agency)
        via: list[int] = [-1] * len(self.agency)
        for g in self.layers[0]:
            ok[g] = True
        for layer in self.layers[1:]:
            for g in layer:
                for u, _ in self.preds[g]:
                    if ok[u]:
                        ok[g], via[g] = True, u
                        break
        end = next((g for g in self.layers[-1] if ok[g]), None)
        chain = []
        while end is not None and end >= 0:
            chain.append(end)
            end = via[end]
        return chain[::-1]

    def disjoint_chains(self) -> int:
        """How many intact chains share no (step, agency) node: the local node connectivity of source and sink.

        Computed by igraph (Menger's theorem as a maximum flow, in C) on the
        intact hand-offs, with the source and the sink added.
        """
        import igraph as ig  # imported here: only this method needs the C library

        n = len(self.agency)
        source, sink = n, n + 1
        edges = [(u, g) for g, ins in enumerate(self.preds) for u, _ in ins]
        edges += [(source, g) for g in self.layers[0]]
        edges += [(g, sink) for g in self.layers[-1]]
        dag = ig.Graph(n=n + 2, edges=edges, directed=True)
        return int(dag.vertex_connectivity(source=source, target=sink, checks=False))

    # ------------------------------------------------------------------ critical providers

    def critical(self, chain: list[int]) -> tuple[str, ...]:
        """Agencies without whose nodes no intact chain is left (sorted).

        Such an agency lies on every intact chain, in particular on ``chain``
        (one intact chain): only its agencies (at most one per step) are
        tested, each by one reachability pass over the intact DAG (from the
        last step back to the first).
        """
        agency, preds = self.agency, self.preds
        found = []
        for a in sorted({agency[g] for g in chain}):
            reach = [False] * len(agency)
            alive = False
            for g in self.layers[-1]:
                if agency[g] != a:
                    reach[g] = alive = True
            for layer in reversed(self.layers[1:]):
                if not alive:
                    break
                alive = False
                for v in layer:
                    if reach[v]:
                        for u, _ in preds[v]:
                            if agency[u] != a:
                                reach[u] = alive = True
            if not alive:
                found.append(a)
        return tuple(found)


def _chain(ix: GraphIndex, H: nx.Graph, services: list[str], agencies: tuple[str, ...], as_of: dt.date | None, half_life: float) -> Chain:
    steps = tuple(zip(services, agencies))
    hs = tuple(_handoff(H, ix, s1, a, s2, b, as_of, half_life) for (s1, a), (s2, b) in zip(steps, steps[1:]))
    cost = round(float(sum(h.cost for h in hs)), 6)
    broken = sum(h.kind == "broken" for h in hs)
    parts = [f"{ix.name(a)} ({s})" for s, a in steps]
    text = " -> ".join(parts)
    if broken:
        text += f"; {broken} hand-off{'s' if broken > 1 else ''} without a recorded tie"
    return Chain(steps, cost, broken, hs, text)


def _gaps(ix: GraphIndex, cohort: str, ctype: str, steps: list[StepProviders], best: Chain | None) -> tuple[PathwayGap, ...]:
    found: list[PathwayGap] = []
    name = ix.name(cohort)
    presence = dedupe(e for ev in ix.cohort_presence(cohort).values() for e in ev)
    for sp in steps:
        if sp.providers:
            continue
        extra = ""
        if sp.outside_jurisdiction:
            extra = " (" + ", ".join(ix.name(a) for a in sp.outside_jurisdiction) + " provide it but without recorded jurisdiction over the cohort's region)"
        found.append(
            PathwayGap(
                "missing_step", cohort, name, sp.service, sp.outside_jurisdiction,
                f"Step {sp.step} ({sp.service}) of the {ctype} pathway has no provider with jurisdiction for {name}{extra}; "
                "the chain skips it, so the referral breaks there.",
                presence, 0.75,
            )
        )
    if best is not None:
        by_service = None
        for h in best.handoffs:
            if h.kind != "broken":
                continue
            by_service = by_service if by_service is not None else _delivered(ix, cohort)
            ev = dedupe(
                e
                for service, agency in ((h.from_service, h.from_agency), (h.to_service, h.to_agency))
                for p in by_service.get(service, ())
                if p.agency == agency
                for e in p.evidence
            )
            found.append(
                PathwayGap(
                    "broken_handoff", cohort, name, f"{h.from_service} -> {h.to_service}", (h.from_agency, h.to_agency),
                    f"In the best referral chain for {name}, {ix.name(h.from_agency)} ({h.from_service}) must hand over to "
                    f"{ix.name(h.to_agency)} ({h.to_service}), but no meeting, shared programme, COOPERATES_WITH or PART_OF "
                    "tie between them is recorded, and no tied alternative provider exists for this hand-off.",
                    ev, 0.45,
                )
            )
    return tuple(found)


def _explain(ix: GraphIndex, cohort: str, template: tuple, steps: list[StepProviders], best: Chain | None,
             disjoint: int, critical: tuple[str, ...]) -> str:
    name = ix.name(cohort)
    missing = [sp.service for sp in steps if not sp.providers]
    parts = [f"{name}: {len(template) - len(missing)} of {len(template)} pathway steps have a provider with jurisdiction"]
    if missing:
        parts.append("missing: " + ", ".join(missing))
    if best is None:
        parts.append("no chain can be formed")
    else:
        parts.append(f"best chain: {best.explanation}")
        parts.append(f"{disjoint} node-disjoint intact chain{'s' if disjoint != 1 else ''}")
        if critical:
            parts.append("every intact chain depends on " + ", ".join(ix.name(a) for a in critical))
    return "; ".join(parts) + "."
