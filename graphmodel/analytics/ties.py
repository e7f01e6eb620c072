"""Missing and stale coordination ties.

*Missing ties*: two agencies working with the same cohort or in the same
region, measured by the Jaccard overlap of what they serve, that share no
meeting, programme, cooperation or PART_OF tie in a time window.
*Stale ties*: tied agencies whose last dated contact is older than N years.

References
----------
.. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone.
   New Phytologist, 11(2), 37-50 (the overlap |A & B| / |A | B|).
.. [2] Provan, K. G., & Kenis, P. (2008). Modes of network governance.
   Journal of Public Administration Research and Theory, 18(2), 229-252
   (why overlapping service providers need coordination ties).
"""

from __future__ import annotations

import datetime as dt
import heapq
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from graphmodel.analytics._index import (
    EvidenceRef,
    Finding,
    GraphIndex,
    dedupe,
    subtract_years,
    years_between,
)
from graphmodel.analytics.network import coordination_network
from graphmodel.errors import AnalyticsError

__all__ = ["MissingTie", "StaleTie", "count_missing_ties", "missing_ties", "service_footprints", "stale_ties"]


@dataclass(frozen=True)
class MissingTie(Finding):
    """Two agencies serving overlapping cohorts or regions with no coordination tie in the window."""

    agency_a: str
    agency_b: str
    name_a: str
    name_b: str
    overlap: float
    shared_cohorts: tuple[str, ...]
    shared_regions: tuple[str, ...]
    reasons: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


@dataclass(frozen=True)
class StaleTie(Finding):
    """A coordination tie whose last dated contact is older than the threshold."""

    agency_a: str
    agency_b: str
    name_a: str
    name_b: str
    last_contact: dt.date
    age_years: float
    reasons: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


def service_footprints(G: nx.MultiDiGraph) -> dict[str, dict[str, tuple[EvidenceRef, ...]]]:
    """What each agency serves: ``{agency: {"cohort:<id>" | "region:<id>": evidence}}``.

    An agency's footprint holds each cohort it ``SERVES``, funds or implements
    a programme for, or shelters in a facility it operates, and each region
    where it does so (the cohort's regions, or a programme's target regions).
    """
    return _footprints(GraphIndex(G))


def _footprints(ix: GraphIndex) -> dict[str, dict[str, tuple[EvidenceRef, ...]]]:
    found: dict[str, dict[str, list[EvidenceRef]]] = defaultdict(lambda: defaultdict(list))
    for p in ix.provisions:
        if p.cohort:
            found[p.agency][f"cohort:{p.cohort}"].extend(p.evidence)
        for r in p.regions:
            found[p.agency][f"region:{r}"].extend(p.evidence)
    return {a: {k: dedupe(v) for k, v in items.items()} for a, items in found.items()}


def _label(ix: GraphIndex, token: str) -> str:
    kind, node = token.split(":", 1)
    return f"{kind} {ix.name(node)}"


def missing_ties(
    G: nx.MultiDiGraph,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_overlap: float = 0.0,
    *,
    top: int | None = None,
    index: GraphIndex | None = None,
    network: nx.Graph | None = None,
) -> list[MissingTie]:
    """Pairs of agencies that serve the same cohorts or regions but have no coordination tie.

    The footprint ``F(a)`` of an agency is the set of cohorts it serves and
    regions it serves in (:func:`service_footprints`; funding counts). A pair
    ``(a, b)`` is reported when ``F(a) & F(b)`` is not empty, its Jaccard
    overlap ``|F(a) & F(b)| / |F(a) | F(b)|`` exceeds ``min_overlap``, and
    the :func:`~graphmodel.analytics.network.coordination_network` for
    ``[since, until]`` has no edge between them (no shared meeting, no shared
    programme, no ``COOPERATES_WITH``, no ``PART_OF``). Agencies of the same
    organisation (one ``PART_OF`` the other, directly or through a common
    parent) are not reported: their coordination is internal.

    On a national graph there are about as many such pairs as agencies times
    the agencies they share a region with (a million at 100,000 nodes):
    ``top`` keeps only the best ``top`` of the ranking, and the findings
    (explanations, evidence) are built for those only.
    :func:`count_missing_ties` gives the total.

    ``index`` and ``network``: the :class:`GraphIndex` of ``G`` and
    ``coordination_network(G, since, until)``, when the caller has them.

    Returns
    -------
    list of MissingTie
        Ranked by overlap (descending), then number of shared cohorts, then
        names. Each says what the two share, with the evidence of each
        agency's service there.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> for a in ("iom", "rudenim"):
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="regency_city")
    >>> ev = [{"source": "s", "quote": "pengungsi"}]
    >>> _ = G.add_edge("iom", "c", key="SERVES:basic_needs_cash", type="SERVES", service="basic_needs_cash", evidence=ev)
    >>> _ = G.add_edge("rudenim", "c", key="SERVES:shelter", type="SERVES", service="shelter", evidence=ev)
    >>> [(t.agency_a, t.agency_b, t.overlap) for t in missing_ties(G)]
    [('iom', 'rudenim', 1.0)]
    """
    return _missing_ties(G, since, until, min_overlap, top, index, network)[0]


def count_missing_ties(
    G: nx.MultiDiGraph, since: dt.date | None = None, until: dt.date | None = None, min_overlap: float = 0.0,
    *, index: GraphIndex | None = None, network: nx.Graph | None = None,
) -> int:
    """How many pairs :func:`missing_ties` finds (without building the findings)."""
    return _missing_ties(G, since, until, min_overlap, 0, index, network)[1]


def _missing_ties(
    G: nx.MultiDiGraph, since: dt.date | None, until: dt.date | None, min_overlap: float, top: int | None,
    index: GraphIndex | None, network: nx.Graph | None,
) -> tuple[list[MissingTie], int]:
    """The best ``top`` missing ties (all when None) and how many there are in all."""
    if not 0.0 <= min_overlap <= 1.0:
        raise AnalyticsError(f"min_overlap must be between 0 and 1, got {min_overlap}")
    if top is not None and top < 0:
        raise AnalyticsError(f"top must be at least 0, got {top}")
    ix = index if index is not None else GraphIndex(G)
    H = network if network is not None else coordination_network(G, since, until, index=ix)
    feet = _footprints(ix)
    agencies = sorted(feet)
    tokens = [feet[a].keys() for a in agencies]
    organisation = [{a, *ix.part_of_chain(a)} for a in agencies]
    by_token: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(tokens):
        for token in ts:
            by_token[token].append(i)  # ascending: agencies are visited in order
    adj = H.adj
    # (-overlap, -shared cohorts, name_a, name_b, a, b): the ranking; counted per agency instead of
    # collecting every candidate pair of the graph in one set
    ranked: list[tuple] = []
    total = 0
    for i, a in enumerate(agencies):
        shared: dict[int, int] = defaultdict(int)
        shared_cohorts: dict[int, int] = defaultdict(int)
        for token in tokens[i]:
            is_cohort = token.startswith("cohort:")
            members = by_token[token]
            for j in members[bisect_right(members, i):]:
                shared[j] += 1
                if is_cohort:
                    shared_cohorts[j] += 1
        tied = adj[a] if a in adj else {}
        n_a = len(tokens[i])
        for j, n in shared.items():
            b = agencies[j]
            if b in tied or not organisation[i].isdisjoint(organisation[j]):
                continue
            overlap = n / (n_a + len(tokens[j]) - n)
            if overlap <= min_overlap:
                continue
            total += 1
            if top != 0:
                ranked.append((-round(overlap, 4), -shared_cohorts.get(j, 0), ix.name(a), ix.name(b), i, j, overlap))
        if top and len(ranked) > 4 * top:
            ranked = heapq.nsmallest(top, ranked)  # keep memory to a few times `top`
    ranked = sorted(ranked) if top is None else heapq.nsmallest(top, ranked)
    window = _window_text(since, until)
    found = [_missing_tie(ix, feet, agencies[i], agencies[j], overlap, window) for *_, i, j, overlap in ranked]
    return found, total


def _missing_tie(ix: GraphIndex, feet: dict, a: str, b: str, overlap: float, window: str) -> MissingTie:
    shared = feet[a].keys() & feet[b].keys()
    cohorts = tuple(sorted(t.split(":", 1)[1] for t in shared if t.startswith("cohort:")))
    regions = tuple(sorted(t.split(":", 1)[1] for t in shared if t.startswith("region:")))
    reasons = tuple(f"both serve {_label(ix, t)}" for t in sorted(shared))
    evidence = dedupe(e for t in sorted(shared) for x in (a, b) for e in feet[x][t])
    what = ", ".join(ix.name(c) for c in cohorts) or ", ".join(ix.name(r) for r in regions)
    explanation = (
        f"{ix.name(a)} and {ix.name(b)} both serve {what} (overlap {overlap:.2f}) "
        f"but share no meeting, programme, cooperation or PART_OF tie{window}."
    )
    return MissingTie(
        a, b, ix.name(a), ix.name(b), round(overlap, 4), cohorts, regions, reasons, explanation, evidence,
        round(0.3 + 0.4 * overlap, 4),
    )


def _window_text(since: dt.date | None, until: dt.date | None) -> str:
    if since and until:
        return f" between {since.isoformat()} and {until.isoformat()}"
    if since:
        return f" since {since.isoformat()}"
    if until:
        return f" up to {until.isoformat()}"
    return ""


def stale_ties(
    G: nx.MultiDiGraph, as_of: dt.date, years: float = 5,
    *, index: GraphIndex | None = None, network: nx.Graph | None = None,
) -> list[StaleTie]:
    """Coordination ties whose last dated contact is more than ``years`` before ``as_of``.

    The last contact of a tie is the latest date among its shared meetings
    (``end_date`` or ``date``), ``COOPERATES_WITH`` ``last_seen`` and shared
    programmes' ``end`` or ``start``. A tie is stale when that date is before
    ``as_of`` minus ``years`` calendar years. Ties with no dated contact
    (undated cooperation) cannot be judged, and ties inside one organisation
    (PART_OF, directly or through a common parent) do not lapse; neither is
    reported.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph.
    as_of : datetime.date
        The reference date ("now"); :func:`~graphmodel.analytics.graph_as_of`
        gives the latest date recorded in ``G``.
    years : float
        Age threshold in years (> 0).
    index, network : optional
        The :class:`GraphIndex` of ``G`` and ``coordination_network(G)``,
        when the caller has them.

    Returns
    -------
    list of StaleTie
        Oldest first.

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in ("pemko", "iom"):
    ...     G.add_node(a, label="Agency", name=a, kind="other", level="regency_city")
    >>> ev = [{"source": "s", "quote": "kerja sama"}]
    >>> _ = G.add_edge("pemko", "iom", key="COOPERATES_WITH", type="COOPERATES_WITH",
    ...                last_seen=dt.date(2016, 10, 1), evidence=ev)
    >>> [(t.agency_a, t.agency_b, t.age_years) for t in stale_ties(G, dt.date(2024, 9, 11), years=5)]
    [('iom', 'pemko', 7.95)]
    """
    if years <= 0:
        raise AnalyticsError(f"years must be positive, got {years}")
    cutoff = subtract_years(as_of, years)
    ix = index if index is not None else GraphIndex(G)
    H = network if network is not None else coordination_network(G, index=ix)
    found: list[StaleTie] = []
    for a, b in sorted(tuple(sorted(e)) for e in H.edges()):
        d = H.edges[a, b]
        last = d.get("last_contact")
        if last is None or last >= cutoff or d["part_of"] or ix.same_organisation(a, b):
            continue
        age = round(years_between(last, as_of), 2)
        na, nb = H.nodes[a]["name"], H.nodes[b]["name"]
        explanation = (
            f"The last recorded contact between {na} and {nb} was {last.isoformat()}, "
            f"{age:.1f} years before {as_of.isoformat()} (threshold {years:g} years): {'; '.join(d['reasons'])}."
        )
        score = 0.3 + min(age - years, 10) / 100
        found.append(StaleTie(a, b, na, nb, last, age, tuple(d["reasons"]), explanation, d["evidence"], round(score, 4)))
    found.sort(key=lambda t: (t.last_contact, t.name_a, t.name_b))
    return found
