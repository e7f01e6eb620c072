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

References
----------
.. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
   Management Science, 17(11), 712-716 (``nx.shortest_simple_paths``).
.. [2] Menger, K. (1927). Zur allgemeinen Kurventheorie. Fundamenta
   Mathematicae, 10, 96-115 (node-disjoint paths = local node connectivity).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice
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
    last = d.get("last_contact")
    age = years_between(last, as_of) if (last and as_of) else half_life
    recency = 0.5 ** (max(age, 0.0) / half_life)
    cost = 1.0 / (d["weight"] * recency)
    return Handoff(s1, s2, a, b, "tied", round(cost, 6), last, tuple(d["reasons"]), tuple(d["evidence"]))


def _step_label(i: int, service: str) -> str:
    return f"{i}:{service}"


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
        ev = dedupe(e for p in provs if p.agency in inside for e in p.evidence)
        step_providers.append(StepProviders(i, service.value, tuple(inside), tuple(ix.name(a) for a in inside), tuple(outside), ev))

    present = [sp for sp in step_providers if sp.providers]
    D = nx.DiGraph()
    D.add_node("source")
    D.add_node("sink")
    handoffs: dict[tuple, Handoff] = {}
    previous: list[tuple[str, str]] = [("source", "")]
    for sp in present:
        layer = [(_step_label(sp.step, sp.service), a) for a in sp.providers]
        for node in layer:
            D.add_node(node)
        for u in previous:
            for v in layer:
                if u == ("source", ""):
                    D.add_edge("source", v, cost=0.0)
                    continue
                h = _handoff(H, ix, u[0].split(":", 1)[1], u[1], sp.service, v[1], as_of, half_life_years)
                handoffs[(u, v)] = h
                D.add_edge(u, v, cost=h.cost, kind=h.kind)
        previous = layer
    for u in previous:
        if u != ("source", ""):
            D.add_edge(u, "sink", cost=0.0)

    chains: list[Chain] = []
    if present:
        for path in islice(nx.shortest_simple_paths(D, "source", "sink", weight="cost"), k):
            chains.append(_chain(ix, path, handoffs))
    intact = D.copy()
    intact.remove_edges_from([e for e, h in handoffs.items() if h.kind == "broken"])
    disjoint = _disjoint(intact) if present else 0
    critical = _critical(intact) if disjoint else ()
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


def _chain(ix: GraphIndex, path: list, handoffs: dict[tuple, Handoff]) -> Chain:
    nodes = path[1:-1]
    steps = tuple((n[0].split(":", 1)[1], n[1]) for n in nodes)
    hs = tuple(handoffs[(a, b)] for a, b in zip(nodes, nodes[1:]))
    cost = round(float(sum(h.cost for h in hs)), 6)
    broken = sum(h.kind == "broken" for h in hs)
    parts = [f"{ix.name(a)} ({s})" for s, a in steps]
    text = " -> ".join(parts)
    if broken:
        text += f"; {broken} hand-off{'s' if broken > 1 else ''} without a recorded tie"
    return Chain(steps, cost, broken, hs, text)


def _disjoint(intact: nx.DiGraph) -> int:
    if not nx.has_path(intact, "source", "sink"):
        return 0
    return int(nx.algorithms.connectivity.local_node_connectivity(intact, "source", "sink"))


def _critical(intact: nx.DiGraph) -> tuple[str, ...]:
    """Agencies without whose (step, agency) nodes no intact chain is left.

    Such an agency lies on every intact chain, so only the agencies of one
    intact chain are candidates (at most one per step), each tested on a view
    of the DAG without its nodes instead of a copy per provider.
    """
    one_chain = nx.shortest_path(intact, "source", "sink")
    critical = []
    for agency in sorted({n[1] for n in one_chain if isinstance(n, tuple)}):
        gone = [n for n in intact if isinstance(n, tuple) and n[1] == agency]
        if not nx.has_path(nx.restricted_view(intact, gone, []), "source", "sink"):
            critical.append(agency)
    return tuple(critical)


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
        for h in best.handoffs:
            if h.kind != "broken":
                continue
            by_service = _delivered(ix, cohort)
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
