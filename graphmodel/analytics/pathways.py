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
otherwise, so a chain with fewer broken hand-offs wins (unless one of its
ties is so old, about 33 years at the default half-life, that it costs more
than a broken hand-off; it still counts as intact).

The DAG is never built as a graph object. Every source-sink path of a layered
DAG is simple, so the k shortest loopless paths of [1]_ are found by dynamic
programming that keeps the k best partial chains per node, layer by layer, in
NumPy arrays; broken hand-offs all cost the same, so a node's broken
predecessors come from one ranked list per layer and the work is linear in
the number of intact (tied or same-provider) hand-offs, times k. The tied
pairs between two layers are gathered from a sparse matrix of every tie's
cost, built once for a loop over cohorts (:func:`all_referral_pathways`).
Chains are ranked by cost (the sum of the
hand-off costs, each rounded to 6 decimals, compared exactly), then by the
tuple of agency ids in step order: equal-cost chains come in that
lexicographic order. The number of node-disjoint intact chains (Menger [2]_)
is the local node connectivity of source and sink, a maximum flow [3]_ with
unit node capacities (SciPy's implementation of Dinic's algorithm [4]_).

References
----------
.. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
   Management Science, 17(11), 712-716.
.. [2] Menger, K. (1927). Zur allgemeinen Kurventheorie. Fundamenta
   Mathematicae, 10, 96-115 (node-disjoint paths = local node connectivity).
.. [3] Ford, L. R., & Fulkerson, D. R. (1956). Maximal flow through a
   network. Canadian Journal of Mathematics, 8, 399-404.
.. [4] Dinic, E. A. (1970). Algorithm for solution of a problem of maximum
   flow in a network with power estimation. Soviet Mathematics Doklady, 11,
   1277-1280.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import sparse
from scipy.sparse.csgraph import maximum_flow

from graphmodel.analytics._index import (
    STATUS_ORDER,
    EvidenceRef,
    Finding,
    GraphIndex,
    Provision,
    dedupe,
    evidence_of,
    years_between,
)
from graphmodel.analytics.network import coordination_network
from graphmodel.errors import AnalyticsError
from graphmodel.graph import as_date
from graphmodel.model.schema import CohortType, NodeLabel, RelType, ServiceType

__all__ = [
    "BROKEN_HANDOFF_COST",
    "Chain",
    "Handoff",
    "PathwayGap",
    "PathwayResult",
    "PathwayTemplate",
    "PathwayTemplates",
    "PendingProvider",
    "StepProviders",
    "cohort_as_of",
    "parse_pathways",
    "load_pathways",
    "referral_pathways",
    "all_referral_pathways",
]

BROKEN_HANDOFF_COST = 100.0
"""Cost of a hand-off between providers with no recorded tie (dominates any tied hand-off)."""

SHARED_COSTS_MIN_COHORTS = 20
"""In a loop over cohorts, an as-of date shared by at least this many cohorts gets one cost matrix of the whole
network; a cohort at a rarer date gets the ties among its own providers (a few, where the whole network's
matrix costs a pass over every tie)."""

PYTHON_DAG_MAX_HANDOFFS = 400
"""A cohort's chain DAG with at most this many intact hand-offs is worked in plain Python, a larger one
with NumPy and SciPy (the same results, tested). Measured per DAG on the 100k synthetic graph's 9,170
cohorts: below 400 hand-offs the plain engine took a fifth to a half of the arrays' time; above 800,
as long for the best chain and up to 18 times as long for the maximum flow."""


# --------------------------------------------------------------------------- templates


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PathwayTemplate(_Frozen):
    """The ordered services a cohort of one type needs.

    A step is a :class:`~graphmodel.model.schema.ServiceType`; where the step means
    something narrower than the service's name (screening for trafficking is
    an ``identification_registration`` step), the template gives it a
    ``label``. In YAML a step is either the service or a mapping
    ``{service: ..., label: ...}``.

    >>> t = PathwayTemplate.model_validate({"cohort_type": "non_procedural_migrant_workers", "basis": "t",
    ...     "steps": ["prevention_awareness", {"service": "law_enforcement", "label": "referral to investigation"}]})
    >>> [s.value for s in t.steps], t.label("law_enforcement"), t.label("prevention_awareness")
    (['prevention_awareness', 'law_enforcement'], 'referral to investigation', 'prevention awareness')
    """

    cohort_type: CohortType
    steps: tuple[ServiceType, ...] = Field(min_length=1)
    labels: dict[ServiceType, str] = Field(default_factory=dict)
    basis: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _labelled_steps(cls, data: Any) -> Any:
        # a step written as {service, label}: the service goes to steps, the label to labels
        if not isinstance(data, Mapping) or not isinstance(data.get("steps"), (list, tuple)):
            return data
        if not any(isinstance(s, Mapping) for s in data["steps"]):
            return data
        steps, labels = [], dict(data.get("labels") or {})
        for s in data["steps"]:
            if isinstance(s, Mapping):
                if set(s) - {"service", "label"} or "service" not in s:
                    raise ValueError(f"a step is a service or {{service, label}}, got {dict(s)!r}")
                steps.append(s["service"])
                if s.get("label"):
                    labels[s["service"]] = s["label"]
            else:
                steps.append(s)
        return {**data, "steps": steps, "labels": labels}

    @model_validator(mode="after")
    def _unique_steps(self) -> PathwayTemplate:
        if len(set(self.steps)) != len(self.steps):
            raise ValueError("a service appears twice in the pathway")
        stray = set(self.labels) - set(self.steps)
        if stray:
            raise ValueError(f"labels for services that are not steps: {', '.join(sorted(stray))}")
        return self

    def label(self, service: str) -> str:
        """What the step of ``service`` is called: its label, else the service's name in words."""
        return self.labels.get(ServiceType(service), str(service).replace("_", " "))


class PathwayTemplates(_Frozen):
    templates: tuple[PathwayTemplate, ...]

    @model_validator(mode="after")
    def _one_per_type(self) -> PathwayTemplates:
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


@dataclass(frozen=True, slots=True)
class PendingProvider(Finding):
    """An agency that only plans or is hoped to provide a step: shown beside the step, never counted as its provider.

    ``since`` is the earliest date a source states the plan or the wish (the
    publication date of the earliest source in ``evidence``; the provision's
    own start date when no source is dated): "planned by X since DATE".
    """

    agency: str
    agency_name: str
    status: str  # "planned" | "hoped"
    since: dt.date | None
    through: str | None
    text: str
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True, slots=True)
class StepProviders(Finding):
    """The providers of one pathway step for a cohort (and those excluded for lack of jurisdiction).

    ``providers`` deliver the step by a reported or inferred activity;
    ``pending`` only plan or are hoped to (they never fill the step).
    """

    step: int
    service: str
    providers: tuple[str, ...]
    provider_names: tuple[str, ...]
    outside_jurisdiction: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...]
    label: str = ""
    pending: tuple[PendingProvider, ...] = ()


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class PathwayResult(Finding):
    """The referral pathway analysis of one cohort.

    Robustness is read with the steps it covers: ``disjoint_chains`` counts
    node-disjoint chains without a broken hand-off over the ``steps_covered``
    steps that have a provider; ``complete_chains`` is that number only when
    no step is missing (0 otherwise: no chain covers the whole pathway);
    ``robustness`` says both in one sentence ("2 node-disjoint chains over 3
    of 5 steps; 2 steps have no recorded provider ..."). ``as_of`` is the
    date the cohort is analysed at and ``as_of_basis`` how it was chosen
    (:func:`cohort_as_of`).
    """

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
    steps_total: int = 0
    steps_covered: int = 0
    steps_missing: int = 0
    missing_steps: tuple[str, ...] = ()
    complete_chains: int = 0
    robustness: str = ""
    as_of_basis: str = ""

    @property
    def complete(self) -> bool:
        """Whether every step of the template has a provider (only then can a chain be intact end to end)."""
        return self.steps_missing == 0

    def row(self) -> dict[str, Any]:
        return {
            "cohort": self.cohort,
            "cohort_type": self.cohort_type,
            "as_of": self.as_of,
            "best_chain": self.best.row()["chain"] if self.best else "",
            "broken_handoffs": self.best.broken if self.best else None,
            "steps": f"{self.steps_covered} of {self.steps_total}",
            "steps_missing": self.steps_missing,
            "missing_steps": "; ".join(self.missing_steps),
            "pending": "; ".join(pp.text for sp in self.providers for pp in sp.pending),
            "disjoint_chains": self.disjoint_chains,
            "complete_chains": self.complete_chains,
            "robustness": self.robustness,
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


_OBSERVED_ON = ("as_of", "last_seen", "since")
"""Edge attributes that date an observation (a shelter's head count, a service last seen or running since)."""


def cohort_as_of(G: nx.MultiDiGraph, cohort_id: str, *, index: GraphIndex | None = None) -> tuple[dt.date | None, str]:
    """The date a cohort's pathway is analysed at, from the cohort's own evidence, and how it was found.

    The latest of: the cohort's ``as_of``; the publication date of every
    source quoted about the cohort (on the cohort itself, on every
    relationship to or from it, and on every provision that names it,
    including the programme links behind it); and the observation dates on
    those relationships (``as_of``, ``last_seen``, ``since``).

    Why: a pathway says whether a person in that cohort *could be* referred
    from step to step when the sources saw them. A cohort last reported in
    2016 analysed as of the graph's latest date (2024) would age every tie
    by eight more years and measure the gap between two news reports, not
    the cohort's situation. The latest date *of evidence* is used, not a
    programme's ``start`` or ``end`` (a plan's horizon, possibly in the
    future, is not an observation). When nothing about the cohort is dated,
    the latest date in the graph is used and the basis says so.

    Returns
    -------
    tuple
        ``(date or None, basis)``: the basis names the source or fact the
        date comes from.

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s1", label="Source", published=dt.date(2016, 10, 1))
    >>> G.add_node("c", label="MigrantCohort", evidence=[{"source": "s1", "quote": "q"}])
    >>> G.add_node("m", label="Meeting", date=dt.date(2024, 9, 11))
    >>> cohort_as_of(G, "c")
    (datetime.date(2016, 10, 1), 'the latest dated evidence about the cohort: s1 published 2016-10-01')
    """
    ix = index if index is not None else GraphIndex(G)
    # (date, preference, what): on the same day a source's publication is named before an edge's date,
    # and an edge's date before the cohort's own as_of (the source is what a reader can open)
    found: list[tuple[dt.date, int, str]] = []
    own = as_date(ix.attr(cohort_id, "as_of"))
    if own is not None:
        found.append((own, 0, f"the cohort's as_of {own.isoformat()}"))
    sources = {e.source for e in evidence_of(G.nodes[cohort_id], "")}
    for u, v, d in (*G.in_edges(cohort_id, data=True), *G.out_edges(cohort_id, data=True)):
        sources.update(e.source for e in evidence_of(d, ""))
        for key in _OBSERVED_ON:
            day = as_date(d.get(key))
            if day is not None:
                found.append((day, 1, f"{d.get('type', 'a relationship')} {u} -> {v} {key} {day.isoformat()}"))
    for p in ix.provisions_to(cohort_id):
        if p.cohort == cohort_id:
            sources.update(e.source for e in p.evidence)
    for src in sorted(sources):
        day = as_date(ix.attr(src, "published")) if ix.attr(src, "label") == NodeLabel.SOURCE else None
        if day is not None:
            found.append((day, 2, f"{src} published {day.isoformat()}"))
    if found:
        day, _, what = max(found)
        return day, f"the latest dated evidence about the cohort: {what}"
    latest = ix.latest_date()
    return latest, "no dated evidence about the cohort: the latest date in the graph"


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
        "Now" for tie recency; defaults to the cohort's own date
        (:func:`cohort_as_of`: the latest dated evidence about the cohort),
        so each cohort is analysed as of its own period.
    half_life_years : float
        A tie's strength halves every this many years since its last recorded contact.
    index, network : optional
        The :class:`GraphIndex` of ``G`` and its
        :func:`~graphmodel.analytics.network.coordination_network`, when the
        caller has them: a loop over cohorts should build both once and pass
        them, or each call rebuilds them from the whole graph. For many
        cohorts, :func:`all_referral_pathways` also shares the tie costs.

    Returns
    -------
    PathwayResult
        ``providers`` per step (an agency provides a step when it ``SERVES``
        the cohort with that service, implements a programme with it that
        reaches the cohort or its region, or -- for ``shelter`` -- operates a
        facility sheltering it, and its jurisdiction covers one of the
        cohort's regions, by a *reported* or *inferred* activity: planned and
        hoped provisions are listed as the step's ``pending``, never as its
        providers); ``best`` and ``alternatives`` (k cheapest chains);
        ``disjoint_chains`` (the largest number of chains with only tied or
        same-provider hand-offs that share no (step, provider) node: local
        node connectivity of source and sink in the intact DAG, over the
        steps that have a provider only); ``steps_missing`` and
        ``missing_steps`` (steps without a provider), ``complete_chains``
        (``disjoint_chains`` when no step is missing, else 0) and
        ``robustness`` (the count and its caveat in one sentence);
        ``critical_providers`` (agencies whose loss leaves no intact chain
        over the covered steps); ``gaps`` (missing steps; broken hand-offs of
        the best chain); ``as_of`` and ``as_of_basis``.

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
    H = network if network is not None else coordination_network(G, index=ix)
    when, basis = (as_of, "given by the caller") if as_of is not None else cohort_as_of(G, cohort_id, index=ix)
    return _pathway(ix, H, None, cohort_id, k, templates or load_pathways(), when, basis, half_life_years)


def all_referral_pathways(
    G: nx.MultiDiGraph,
    cohorts: Iterable[str] | None = None,
    k: int = 3,
    templates: PathwayTemplates | None = None,
    as_of: dt.date | None = None,
    half_life_years: float = 5.0,
    *,
    index: GraphIndex | None = None,
    network: nx.Graph | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, PathwayResult | AnalyticsError]:
    """The :func:`referral_pathways` of many cohorts (every cohort by default), sharing the work they have in common.

    The same results as calling :func:`referral_pathways` once per cohort,
    but the hand-off cost of every tie of the coordination network is worked
    out once (not once per cohort from its providers' ties): at national scale
    (tens of thousands of cohorts) this is what makes the loop affordable.

    Parameters as in :func:`referral_pathways`; ``progress`` is called with 1
    after each cohort. Without ``as_of`` each cohort is analysed as of its
    own date (:func:`cohort_as_of`); with it, all of them as of that date.

    Returns
    -------
    dict
        Cohort id -> its :class:`PathwayResult`, or the :class:`AnalyticsError`
        saying why it has none (a cohort type without a template), in the
        order of ``cohorts`` (default: :meth:`GraphIndex.cohorts`).

    Raises
    ------
    AnalyticsError
        If a listed cohort is not a cohort of ``G``, or ``k < 1``.
    """
    ix = index if index is not None else GraphIndex(G)
    wanted = ix.cohorts() if cohorts is None else list(cohorts)
    unknown = [c for c in wanted if c not in G or ix.label(c) != NodeLabel.MIGRANT_COHORT]
    if unknown:
        raise AnalyticsError(f"not cohorts of the graph: {', '.join(map(repr, unknown[:10]))}")
    if k < 1:
        raise AnalyticsError(f"k must be at least 1, got {k}")
    H = network if network is not None else coordination_network(G, index=ix)
    templates = templates or load_pathways()
    dates = {c: (as_of, "given by the caller") if as_of is not None else cohort_as_of(G, c, index=ix) for c in wanted}
    book = _CostBook(H, half_life_years, Counter(when for when, _ in dates.values()))
    found: dict[str, PathwayResult | AnalyticsError] = {}
    for cohort in wanted:
        try:
            found[cohort] = _pathway(ix, H, book, cohort, k, templates, *dates[cohort], half_life_years)
        except AnalyticsError as exc:
            found[cohort] = exc  # a cohort type without a template has no pathway to break
        if progress is not None:
            progress(1)
    return found


def _pathway(ix: GraphIndex, H: nx.Graph, book: _CostBook | None, cohort_id: str, k: int, templates: PathwayTemplates,
             as_of: dt.date | None, as_of_basis: str, half_life_years: float) -> PathwayResult:
    """One cohort's pathway; ``book`` shares tie costs and solved DAGs when the caller loops over cohorts, else None."""
    ctype = str(ix.attr(cohort_id, "cohort_type", ""))
    template = templates.for_cohort_type(ctype)
    if template is None:
        raise AnalyticsError(f"no referral pathway template for cohort type {ctype!r}")
    regions = ix.cohort_regions(cohort_id)

    step_providers: list[StepProviders] = []
    # delivered_to keeps only reported and inferred provisions (Provision.delivers): a plan fills no step
    by_service = ix.delivered_to(cohort_id)
    for i, service in enumerate(template.steps, start=1):
        provs = by_service.get(service.value, [])
        inside, outside = _by_jurisdiction(ix, regions, {p.agency for p in provs})
        kept = set(inside)
        ev = dedupe(e for p in provs if p.agency in kept for e in p.evidence)
        step_providers.append(StepProviders(
            i, service.value, inside, tuple(ix.name(a) for a in inside), outside, ev,
            template.label(service.value), _pending(ix, cohort_id, regions, service.value, kept, as_of),
        ))

    present = [s for s in step_providers if s.providers]
    chains: list[Chain] = []
    disjoint, critical = 0, ()
    if present:
        layers = tuple(s.providers for s in present)
        # cohorts with the same providers step by step (one type in one region) and the same date have the
        # same DAG: a loop over cohorts works each out once (a sixth of the DAGs at national scale are repeats)
        key = (as_of, layers, k)
        solved = book.solved.get(key) if book is not None else None
        if solved is None:
            agencies = {a for s in present for a in s.providers}
            costs = book.costs(as_of, agencies) if book is not None else _TieCosts(H, as_of, half_life_years, agencies=agencies)
            dag = _Layered(list(layers), costs)
            best = dag.k_best(k)
            chain = dag.one_intact_chain()
            if chain:
                disjoint, critical = dag.disjoint_chains(), dag.critical(chain)
            if book is not None:
                book.solved[key] = best, disjoint, critical
        else:
            best, disjoint, critical = solved
        services = [s.service for s in present]
        chains = [_chain(ix, H, services, agencies, as_of, half_life_years) for agencies in best]
    best = chains[0] if chains else None
    missing = tuple(s.service for s in step_providers if not s.providers)
    gaps = _gaps(ix, cohort_id, ctype, step_providers, best)
    robustness = _robustness(step_providers, disjoint)
    explanation = _explain(ix, cohort_id, template.steps, step_providers, best, robustness, critical)
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
        steps_total=len(step_providers),
        steps_covered=len(present),
        steps_missing=len(missing),
        missing_steps=missing,
        complete_chains=disjoint if not missing else 0,
        robustness=robustness,
        as_of_basis=as_of_basis,
    )


def _by_jurisdiction(ix: GraphIndex, regions: tuple[str, ...], agencies: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The agencies (sorted) whose jurisdiction covers one of the cohort's regions, and the others."""
    inside, outside = [], []
    for agency in sorted(agencies):
        if not regions or any(ix.covers(agency, r) for r in regions):
            inside.append(agency)
        else:
            outside.append(agency)
    return tuple(inside), tuple(outside)


def _pending(ix: GraphIndex, cohort: str, regions: tuple[str, ...], service: str, providers: set[str],
             as_of: dt.date | None) -> tuple[PendingProvider, ...]:
    """The agencies that only plan or are hoped to deliver ``service`` to the cohort (not its providers already).

    Held to the providers' rules (no funders, jurisdiction over the cohort's
    region); one entry per agency, its strongest status (planned before hoped)
    and the earliest date a source states it. A plan first stated after
    ``as_of`` is left out: the pathway is read as of the cohort's date.
    """
    by_agency: dict[str, list[Provision]] = {}
    for p in ix.provisions_to(cohort, service=service):
        if p.pending and p.via != RelType.FUNDS.value and p.agency not in providers:
            by_agency.setdefault(p.agency, []).append(p)
    inside, _ = _by_jurisdiction(ix, regions, by_agency)
    found = []
    for agency in inside:
        provs = by_agency[agency]
        status = min((p.status for p in provs), key=STATUS_ORDER.__getitem__)
        ev = dedupe(e for p in provs for e in p.evidence)
        published = [d for d in (as_date(ix.attr(e.source, "published")) for e in ev) if d is not None]
        starts = [p.start for p in provs if p.start is not None]
        since = min(published) if published else min(starts, default=None)
        if as_of is not None and since is not None and since > as_of:
            continue
        through = next((p.through for p in provs if p.through), None)
        text = f"{status} by {ix.name(agency)}" + (f" since {since.isoformat()}" if since else " (undated)")
        found.append(PendingProvider(agency, ix.name(agency), status, since, through, text, ev))
    return tuple(found)


class _CostBook:
    """Tie costs and solved chain DAGs shared by a loop over cohorts, each cohort at its own date.

    A matrix of every tie's cost (:class:`_TieCosts` of the whole network) is
    built once per as-of date that at least :data:`SHARED_COSTS_MIN_COHORTS`
    cohorts share (with one date given for all, that is one matrix, as
    before); a cohort whose date few others share gets the ties among its own
    providers only, as :func:`referral_pathways` does. Either way a tie costs
    the same, so the results equal one call per cohort.
    """

    def __init__(self, H: nx.Graph, half_life: float, cohorts_per_date: Counter) -> None:
        self.H, self.half_life, self.cohorts_per_date = H, half_life, cohorts_per_date
        self.shared: dict[dt.date | None, _TieCosts] = {}
        self.solved: dict[tuple, tuple] = {}
        """(as_of, provider layers, k) -> (best chains' agencies, disjoint chains, critical providers) of the DAGs solved so far."""

    def costs(self, as_of: dt.date | None, agencies: set[str]) -> _TieCosts:
        if self.cohorts_per_date[as_of] < SHARED_COSTS_MIN_COHORTS:
            return _TieCosts(self.H, as_of, self.half_life, agencies=agencies)
        found = self.shared.get(as_of)
        if found is None:
            found = self.shared[as_of] = _TieCosts(self.H, as_of, self.half_life)
        return found


class _TieCosts:
    """The hand-off cost of every tie of a coordination network, in millionths, as a sparse matrix.

    ``matrix[i, j] - 1`` is the micro-cost (an exact int, so equal costs
    compare equal) of the tie from the agency at ``position[a] = i`` to the
    one at ``j`` (both ways for an undirected network); the stored value is
    shifted by one so that no tie is an implicit zero. Built once for a loop
    over cohorts; with ``agencies`` only the ties among them are kept (one
    cohort's providers). Agencies not in the network share a last, empty row.
    """

    def __init__(self, H: nx.Graph, as_of: dt.date | None, half_life: float, agencies: Iterable[str] | None = None) -> None:
        nodes = list(H) if agencies is None else sorted(set(agencies))
        self.position = {a: i for i, a in enumerate(nodes)}
        self.missing = len(nodes)
        pos, memo = self.position, {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        if agencies is None:
            edges = H.edges(data=True)
        else:
            # NetworkX's own adjacency: a Python call per key through the public views is the slow part
            succ = H._succ if H.is_directed() else H._adj
            edges = ((a, b, d) for a in nodes if a in succ for b, d in succ[a].items() if b in pos)
        for a, b, d in edges:
            if a == b:
                continue  # the same provider continuing costs nothing, tie or not
            key = (d["weight"], d.get("last_contact"))
            c = memo.get(key)
            if c is None:
                c = memo[key] = round(_tie_cost(d, as_of, half_life) * 1_000_000) + 1
            rows.append(pos[a])
            cols.append(pos[b])
            vals.append(c)
        if agencies is None and not H.is_directed():
            rows, cols = rows + cols, cols + rows
            vals = vals + vals
        n = len(nodes) + 1
        # each (row, col) occurs once: an undirected network's edges are listed once and mirrored here,
        # or (for a subset) met once from each end of its adjacency
        matrix = sparse.csr_matrix(
            (np.array(vals, dtype=np.int64), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(n, n)
        )
        # the raw CSR arrays: one cohort's submatrices are a few numpy gathers, where scipy's indexing
        # costs a millisecond of checks per call (most of the time at 10k cohorts)
        self.indptr = matrix.indptr.astype(np.int64)
        self.indices = matrix.indices.astype(np.int64)
        self.data = matrix.data
        self._local = np.full(n, -1, dtype=np.int64)  # scratch: network position -> place in a layer

    def positions(self, agencies: tuple[str, ...]) -> np.ndarray:
        return np.array([self.position.get(a, self.missing) for a in agencies], dtype=np.int64)

    def between(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ties from the agencies at ``rows`` to those at ``cols`` (positions).

        ``cols`` repeats no position except the shared one of agencies outside
        the network, whose row and column are empty.

        Returns ``(i, j, micro_cost)`` with ``i`` an index into ``rows`` and
        ``j`` into ``cols``, in row order.
        """
        start, stop = self.indptr[rows], self.indptr[rows + 1]
        length = stop - start
        i = np.repeat(np.arange(len(rows)), length)
        at = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length) + np.repeat(start, length)
        local = self._local
        local[cols] = np.arange(len(cols))
        j = local[self.indices[at]]
        local[cols] = -1
        hit = j >= 0
        return i[hit], j[hit], self.data[at[hit]] - 1


class _Layered:
    """The chain DAG of one cohort, by layers, as arrays (no graph object).

    Nodes are ints numbered layer by layer (``layers[i]`` is the range of
    layer ``i``); node ``g`` is the (step, agency) pair of its layer's step
    and ``agency[g]``. The source feeds every node of the first layer and
    every node of the last layer feeds the sink. Only the *intact* hand-offs
    (same agency, or a tie in the network) are stored, per pair of
    consecutive layers as arrays ``(u, g, cost)`` of local node numbers and
    micro-costs (millionths, exact ints); every other pair of
    consecutive-layer nodes is a broken hand-off of cost
    :data:`BROKEN_HANDOFF_COST`. The tied pairs come from one gather over
    the sparse rows of :class:`_TieCosts` per pair of layers.
    """

    def __init__(self, layers: list[tuple[str, ...]], costs: _TieCosts) -> None:
        self.layers: list[range] = []
        self.agency: list[str] = []
        # rank of each node's agency id within its layer (chains tie-break on agency ids)
        self.order: list[np.ndarray] = []
        self.handoffs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # into layer i+1 from layer i
        previous: tuple[str, ...] = ()
        prev_pos = np.zeros(0, dtype=np.int64)
        for agencies in layers:
            first = len(self.agency)
            self.agency.extend(agencies)
            self.layers.append(range(first, len(self.agency)))
            rank = np.empty(len(agencies), dtype=np.int64)
            rank[sorted(range(len(agencies)), key=agencies.__getitem__)] = np.arange(len(agencies))
            self.order.append(rank)
            pos = costs.positions(agencies)
            if previous:
                tu, tg, tc = costs.between(prev_pos, pos)  # agencies outside the network: an empty row
                where = {a: j for j, a in enumerate(previous)}
                same = [(where[a], j) for j, a in enumerate(agencies) if a in where]
                su = np.array([u for u, _ in same], dtype=np.int64)
                sg = np.array([g for _, g in same], dtype=np.int64)
                u = np.concatenate([su, tu])
                g = np.concatenate([sg, tg])
                c = np.concatenate([np.zeros(len(same), dtype=np.int64), tc])
                self.handoffs.append((u, g, c))
            previous, prev_pos = agencies, pos

    # ------------------------------------------------------------------ k best chains

    def k_best(self, k: int) -> list[tuple[str, ...]]:
        """The agencies (in step order) of the k cheapest chains, cheapest first.

        ``k == 1`` (each cohort's best chain, what the main job needs) on a DAG
        of at most :data:`PYTHON_DAG_MAX_HANDOFFS` intact hand-offs is
        :meth:`_best_chain`, the same chain from plain lists: for a cohort's
        few dozen nodes, a hundred NumPy calls cost more than the work.
        """
        if k == 1 and self._small():
            return [self._best_chain()]
        return self._k_best_arrays(k)

    def _small(self) -> bool:
        return sum(len(u) for u, _, _ in self.handoffs) <= PYTHON_DAG_MAX_HANDOFFS

    def _lists(self) -> list[tuple[list[int], list[int], list[int]]]:
        """:attr:`handoffs` as lists of Python ints (made once)."""
        lists = self.__dict__.get("_handoff_lists")
        if lists is None:
            lists = self.__dict__["_handoff_lists"] = [(u.tolist(), g.tolist(), c.tolist()) for u, g, c in self.handoffs]
        return lists

    def _best_chain(self) -> tuple[str, ...]:
        """The cheapest chain, ties by agency ids: dynamic programming with one best partial chain per node.

        Keeping only the best ``(cost, agencies)`` per node is exact: every
        partial chain ending at a node is extended by the same hand-offs, and
        adding the same cost and appending the same agencies keeps the order
        of two partial chains of one length. A node's candidates are its
        intact predecessors (plus the hand-off's cost) and the best
        predecessor it has no intact hand-off from (plus a broken hand-off's).
        """
        broken = round(BROKEN_HANDOFF_COST * 1_000_000)
        agency = self.agency
        best = [(0, (agency[x],)) for x in self.layers[0]]
        for layer, (u, g, c) in zip(self.layers[1:], self._lists()):
            size = len(layer)
            cand: list[tuple[int, tuple[str, ...]] | None] = [None] * size
            tied: list[set[int]] = [set() for _ in range(size)]
            for x, y, cost in zip(u, g, c):
                tied[y].add(x)
                item = (best[x][0] + cost, best[x][1])
                if cand[y] is None or item < cand[y]:
                    cand[y] = item
            ranked = sorted(range(len(best)), key=best.__getitem__)
            for y in range(size):
                for x in ranked:
                    if x not in tied[y]:
                        item = (best[x][0] + broken, best[x][1])
                        if cand[y] is None or item < cand[y]:
                            cand[y] = item
                        break
            best = [(cost, chain + (agency[layer.start + y],)) for y, (cost, chain) in enumerate(cand)]
        return min(best)[1]

    def _k_best_arrays(self, k: int) -> list[tuple[str, ...]]:
        """The agencies (in step order) of the k cheapest chains, cheapest first (see :meth:`k_best`).

        Ties in cost go by the tuple of agency ids. Keeps the k best partial
        chains ending at each node, layer by layer, as arrays of *entries*
        (node, cost, back-pointer to the entry it extends, and ``lex``: the
        rank of the partial chain among the layer's partial chains in
        agency-id order). A node's candidates are its intact predecessors'
        entries plus the k best entries of the previous layer at nodes
        without a tie to it (extended by a broken hand-off); two candidates
        for the same node compare by (cost, lex of what they extend).
        """
        broken = round(BROKEN_HANDOFF_COST * 1_000_000)
        sizes = [len(r) for r in self.layers]
        # layer 0: one entry per node, cost 0
        node = np.arange(sizes[0], dtype=np.int64)
        cost = np.zeros(sizes[0], dtype=np.int64)
        lex = self.order[0].copy()
        backs: list[np.ndarray] = [np.full(sizes[0], -1, dtype=np.int64)]
        nodes: list[np.ndarray] = [node]
        for i, (u, g, c) in enumerate(self.handoffs):
            m_prev, m = sizes[i], sizes[i + 1]
            # entries are grouped by node: the entries of node x are start[x]:start[x]+count[x]
            count = np.bincount(node, minlength=m_prev)
            start = np.concatenate([[0], np.cumsum(count)[:-1]])
            # intact candidates: every entry of every tied predecessor
            reps = count[u]
            edge = np.repeat(np.arange(len(u)), reps)
            offset = np.arange(len(edge)) - np.repeat(np.cumsum(reps) - reps, reps)
            entry = start[u][edge] + offset
            cand_g, cand_cost, cand_back = [g[edge]], [cost[entry] + c[edge]], [entry]
            # broken candidates: for each node, the first k entries (by cost, then lex) at untied nodes
            ranked = np.lexsort((lex, cost))
            tied_in = np.bincount(g, minlength=m)
            window = ranked[: min(len(ranked), k * (1 + int(tied_in.max(initial=0))))]
            tied = np.zeros((m, m_prev), dtype=bool)
            tied[g, u] = True
            free = ~tied[:, node[window]]
            pick = free & (np.cumsum(free, axis=1) <= k)
            gg, tt = np.nonzero(pick)
            cand_g.append(gg)
            cand_cost.append(cost[window[tt]] + broken)
            cand_back.append(window[tt])
            cg, cc, cb = np.concatenate(cand_g), np.concatenate(cand_cost), np.concatenate(cand_back)
            # the k best candidates per node: by node, then cost, then the lex rank of what they extend
            keep_order = np.lexsort((lex[cb], cc, cg))
            cg, cc, cb = cg[keep_order], cc[keep_order], cb[keep_order]
            first_of = np.searchsorted(cg, cg, side="left")
            kept = (np.arange(len(cg)) - first_of) < k
            node, cost, back = cg[kept], cc[kept], cb[kept]
            # lex rank of the new partial chains: by what they extend, then by their own agency id
            new_lex = np.empty(len(node), dtype=np.int64)
            new_lex[np.lexsort((self.order[i + 1][node], lex[back]))] = np.arange(len(node))
            lex = new_lex
            backs.append(back)
            nodes.append(node)
        best = np.lexsort((lex, cost))[:k]
        chains = []
        for e in best:
            chain = []
            for layer in range(len(self.layers) - 1, -1, -1):
                chain.append(self.agency[self.layers[layer][nodes[layer][e]]])
                e = backs[layer][e]
            chains.append(tuple(reversed(chain)))
        return chains

    # ------------------------------------------------------------------ disjoint intact chains

    def one_intact_chain(self) -> list[int]:
        """The nodes of one chain whose hand-offs are all intact (first step first), or [] if there is none."""
        ok = np.ones(len(self.layers[0]), dtype=bool)
        via: list[np.ndarray] = []
        for (u, g, _), layer in zip(self.handoffs, self.layers[1:]):
            live = ok[u]
            came = np.full(len(layer), -1, dtype=np.int64)
            came[g[live]] = u[live]
            via.append(came)
            ok = came >= 0
        if not ok.any():
            return []
        local = int(np.flatnonzero(ok)[0])
        chain = [self.layers[-1][local]]
        for layer, came in zip(reversed(self.layers[:-1]), reversed(via)):
            local = int(came[local])
            chain.append(layer[local])
        return chain[::-1]

    def disjoint_chains(self) -> int:
        """How many intact chains share no (step, agency) node: the local node connectivity of source and sink.

        :meth:`_disjoint_chains_lists` on a small DAG (as in :meth:`k_best`),
        else :meth:`_disjoint_chains_arrays`; the same number.
        """
        return self._disjoint_chains_lists() if self._small() else self._disjoint_chains_arrays()

    def _disjoint_chains_lists(self) -> int:
        """Menger's theorem as a maximum flow by shortest augmenting paths (Edmonds-Karp [3]_), in plain Python.

        The network of :meth:`_disjoint_chains_arrays` with unit capacities
        everywhere (a source arc feeds one first-step node, a sink arc
        drains one last-step node, and each carries one chain at most):
        vertex ``2x`` is node ``x``'s inlet and ``2x + 1`` its outlet. Each
        augmenting path adds one chain; a few dozen nodes need a few passes.
        """
        n = len(self.agency)
        source, sink = 2 * n, 2 * n + 1
        residual: list[dict[int, int]] = [{} for _ in range(2 * n + 2)]

        def arc(a: int, b: int) -> None:
            residual[a][b] = 1
            residual[b].setdefault(a, 0)

        for x in range(n):
            arc(2 * x, 2 * x + 1)
        for x in self.layers[0]:
            arc(source, 2 * x)
        for x in self.layers[-1]:
            arc(2 * x + 1, sink)
        for (u, g, _), here, there in zip(self._lists(), self.layers, self.layers[1:]):
            for x, y in zip(u, g):
                arc(2 * (here.start + x) + 1, 2 * (there.start + y))
        flow = 0
        while True:
            parent = {source: source}
            frontier = [source]
            while frontier and sink not in parent:
                following = []
                for a in frontier:
                    for b, room in residual[a].items():
                        if room and b not in parent:
                            parent[b] = a
                            following.append(b)
                frontier = following
            if sink not in parent:
                return flow
            b = sink
            while b != source:
                a = parent[b]
                residual[a][b] -= 1
                residual[b][a] += 1
                b = a
            flow += 1

    def _disjoint_chains_arrays(self) -> int:
        """:meth:`disjoint_chains` for any size, with SciPy.

        Menger's theorem as a maximum flow (SciPy's Dinic, in C) on the intact
        hand-offs with every node split into an inlet and an outlet joined by
        an arc of capacity 1; the source and the sink are not split (their
        inlet-outlet arc has capacity n).
        """
        n = len(self.agency)
        source, sink = n, n + 1
        total = n + 2  # node x: inlet x, outlet x + total
        tails = [np.arange(total)]  # inlet -> outlet
        heads = [np.arange(total) + total]
        for i, (u, g, _) in enumerate(self.handoffs):
            tails.append(self.layers[i].start + u + total)
            heads.append(self.layers[i + 1].start + g)
        first, last = self.layers[0], self.layers[-1]
        tails += [np.full(len(first), source + total), np.arange(last.start, last.stop) + total]
        heads += [np.arange(first.start, first.stop), np.full(len(last), sink)]
        capacity = np.ones(sum(len(t) for t in tails), dtype=np.int32)
        capacity[[source, sink]] = n
        arcs = sparse.csr_matrix((capacity, (np.concatenate(tails), np.concatenate(heads))), shape=(2 * total, 2 * total))
        return int(maximum_flow(arcs, source, sink + total, method="dinic").flow_value)

    # ------------------------------------------------------------------ critical providers

    def critical(self, chain: list[int]) -> tuple[str, ...]:
        """Agencies without whose nodes no intact chain is left (sorted).

        Such an agency lies on every intact chain, in particular on ``chain``
        (one intact chain): only its agencies are tested.
        :meth:`_critical_lists` on a small DAG (as in :meth:`k_best`), else
        :meth:`_critical_arrays`; the same agencies.
        """
        return self._critical_lists(chain) if self._small() else self._critical_arrays(chain)

    def _critical_lists(self, chain: list[int]) -> tuple[str, ...]:
        """One forward pass per suspect over the intact hand-offs, skipping the suspect's nodes."""
        agency = self.agency
        found = []
        for suspect in sorted({agency[x] for x in chain}):
            alive = {y for y, x in enumerate(self.layers[0]) if agency[x] != suspect}
            for (u, g, _), there in zip(self._lists(), self.layers[1:]):
                alive = {y for x, y in zip(u, g) if x in alive and agency[there.start + y] != suspect}
            if not alive:
                found.append(suspect)
        return tuple(found)

    def _critical_arrays(self, chain: list[int]) -> tuple[str, ...]:
        """:meth:`critical` for any size, with NumPy.

        Such an agency lies on every intact chain, in particular on ``chain``
        (one intact chain): only its agencies (at most one per step) are
        tested, all at once, by one reachability pass over the intact DAG
        from the last step back to the first (a boolean column per agency).
        """
        suspects = sorted({self.agency[g] for g in chain})
        if not suspects:
            return ()
        n = len(suspects)
        number = {a: i for i, a in enumerate(suspects)}

        def alive_without(layer: range) -> np.ndarray:
            # reach[x, s]: node x can still reach the sink without agency s; agency s's own nodes cannot
            ids = np.array([number.get(a, -1) for a in self.agency[layer.start:layer.stop]], dtype=np.int64)
            return ids[:, None] != np.arange(n)[None, :]

        reach = alive_without(self.layers[-1])
        for i in range(len(self.handoffs) - 1, -1, -1):
            u, g, _ = self.handoffs[i]
            hits = (u[:, None] * n + np.arange(n)[None, :])[reach[g]]
            reach = (np.bincount(hits, minlength=len(self.layers[i]) * n).reshape(-1, n) > 0) & alive_without(self.layers[i])
        alive = reach.any(axis=0)
        return tuple(a for a, ok in zip(suspects, alive) if not ok)


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
        pending = ""
        if sp.pending:
            # a plan or a wish is shown beside the step it would fill, never as its provider
            pending = " Not delivered, only " + "; ".join(pp.text for pp in sp.pending) + "."
        step = sp.service if not sp.label or sp.label == sp.service.replace("_", " ") else f"{sp.label}: {sp.service}"
        found.append(
            PathwayGap(
                "missing_step", cohort, name, sp.service, sp.outside_jurisdiction,
                f"Step {sp.step} ({step}) of the {ctype} pathway has no recorded provider with jurisdiction for {name}{extra}: "
                f"the sources do not show anyone delivering it, and every chain skips it, so no chain is intact end to end.{pending}",
                presence + tuple(e for pp in sp.pending for e in pp.evidence), 0.75,
            )
        )
    if best is not None:
        by_service = None
        for h in best.handoffs:
            if h.kind != "broken":
                continue
            by_service = by_service if by_service is not None else ix.delivered_to(cohort)
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


def _robustness(steps: list[StepProviders], disjoint: int) -> str:
    """The disjoint-chain count with the caveat it needs: over how many of the steps, and which have no provider.

    >>> sp = lambda i, service, *agencies: StepProviders(i, service, agencies, agencies, (), ())
    >>> _robustness([sp(1, "prevention_awareness", "A", "B"), sp(2, "identification_registration"),
    ...              sp(3, "safe_return", "A", "B")], 2)
    '2 node-disjoint chains without a broken hand-off over 2 of 3 steps; 1 step has no recorded provider (identification_registration), so no chain covers the whole pathway'
    """
    total = len(steps)
    missing = [sp.service for sp in steps if not sp.providers]
    covered = total - len(missing)
    pending = [f"{sp.service} {pp.text}" for sp in steps if not sp.providers for pp in sp.pending]
    also = "; pending: " + "; ".join(pending) if pending else ""
    if not covered:
        return f"no chain: none of the {total} steps has a recorded provider{also}"
    count = f"{disjoint} node-disjoint chain{'s' if disjoint != 1 else ''} without a broken hand-off"
    if not missing:
        text = f"{count} over all {total} steps"
        return text + ("" if disjoint else " (every chain has a broken hand-off)")
    have = "has" if len(missing) == 1 else "have"
    text = (f"{count} over {covered} of {total} steps; {len(missing)} step{'s' if len(missing) != 1 else ''} {have} "
            f"no recorded provider ({', '.join(missing)}), so no chain covers the whole pathway")
    return text + also


def _explain(ix: GraphIndex, cohort: str, template: tuple, steps: list[StepProviders], best: Chain | None,
             robustness: str, critical: tuple[str, ...]) -> str:
    """One paragraph: the steps covered, the best chain, the robustness sentence (which names the missing steps)."""
    name = ix.name(cohort)
    covered = sum(bool(sp.providers) for sp in steps)
    parts = [f"{name}: {covered} of {len(template)} pathway steps have a provider with jurisdiction"]
    if best is not None:
        parts.append(f"best chain: {best.explanation}")
    parts.append(robustness)
    if critical:
        parts.append("every chain without a broken hand-off depends on " + ", ".join(ix.name(a) for a in critical))
    return "; ".join(parts) + "."
