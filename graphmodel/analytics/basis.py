"""What a finding rests on: its basis, the sources consulted, its confidence.

A coordination gap found in a handful of news reports is usually an *absence
in the evidence*: nobody is recorded providing a service, no tie is recorded
between two agencies. That is a question to verify, not a proven gap. This
module gives every finding three plain answers:

``basis``
    ``recorded`` when the sources themselves show the gap (an agency asked to
    provide the service, "berharap ... dapat menyediakan", "meminta", and no
    source reporting it delivered),
    or ``not_recorded`` when the finding rests on something the sources do not
    mention. An announced plan ("akan") is shown beside a gap but does not
    record it: it says what one agency intends, not that nobody else provides
    the service.
``sources consulted``
    the news reports that record anything about the finding's cohort, place
    or agencies, with their period: "not recorded in 1 article from 2016"
    reads differently from "not recorded in 12 articles from 2022-2024".
``confidence``
    ``high``, ``medium`` or ``low``, from the two above and the status of the
    facts the finding cites (:func:`confidence`).

References
----------
.. [1] ACAPS, "Technical Brief: Expressing Uncertainty" (2016): state the
   basis of a judgement and separate "not reported" from "not happening".
.. [2] IASC, "Multi-Sector Initial Rapid Assessment Guidance" (2015), on
   secondary data review: the sources consulted, their dates and coverage
   are stated with every finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from graphmodel.analytics.agencies import Provision
from graphmodel.analytics.findings import STATUS_ORDER, EvidenceRef, Finding, evidence_of
from graphmodel.analytics.index import GraphIndex
from graphmodel.graph import as_date
from graphmodel.model.schema import NodeLabel, RelType

__all__ = [
    "BASES", "CONFIDENCES", "MIN_SOURCES_FOR_MEDIUM", "PendingActivity", "SourcesConsulted", "confidence",
    "pending_activity", "selection_caveats", "source_reach", "SOURCE_SELECTION_SHARE", "sources_consulted", "SourceReach",
]

BASES: tuple[str, ...] = ("recorded", "not_recorded")
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")

MIN_SOURCES_FOR_MEDIUM = 3
"""News reports on a place below which an absence in them is weak evidence (a finding not recorded in fewer is ``low``)."""


@dataclass(frozen=True, slots=True)
class SourcesConsulted(Finding):
    """The news reports consulted for a finding: those recording anything about its cohort, place or agencies.

    ``first`` and ``last`` are their earliest and latest publication dates
    (None when undated); :meth:`summary` says it in words.
    """

    sources: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None

    def summary(self) -> str:
        """``"1 article from 2016"``, ``"12 articles from 2022-2024"``, ``"no article"``.

        >>> SourcesConsulted(("src-000",), dt.date(2016, 10, 1), dt.date(2016, 10, 1)).summary()
        '1 article from 2016'
        >>> SourcesConsulted(("a", "b"), dt.date(2020, 8, 27), dt.date(2024, 9, 11)).summary()
        '2 articles from 2020-2024'
        """
        n = len(self.sources)
        if not n:
            return "no article"
        words = f"{n} article{'s' if n != 1 else ''}"
        if self.first is None or self.last is None:
            return f"{words}, undated"
        years = str(self.first.year) if self.first.year == self.last.year else f"{self.first.year}-{self.last.year}"
        return f"{words} from {years}"


@dataclass(frozen=True, slots=True)
class PendingActivity(Finding):
    """A provision that is only planned or hoped for: shown beside the gap it would close, never closing it.

    ``requested`` is true when the agency itself is asked to serve the cohort
    (a hoped ``SERVES``: "Kami berharap Pemerintah Kota Makassar dapat
    menyediakan layanan kesehatan"); a hope in a programme's purpose clause
    ("agar tetap memberikan perlindungan") is no such request.
    """

    agency: str
    agency_name: str
    service: str
    status: str
    since: dt.date | None
    evidence: tuple[EvidenceRef, ...]
    requested: bool = False

    def phrase(self) -> str:
        """``"planned by IOM (since 2022-02-21)"``."""
        since = f" (since {self.since.isoformat()})" if self.since else ""
        verb = "hoped for from" if self.status == "hoped" else f"{self.status} by"
        return f"{verb} {self.agency_name}{since}"


def pending_activity(ix: GraphIndex, provisions: Iterable[Provision]) -> tuple[PendingActivity, ...]:
    """The planned or hoped provisions among ``provisions``, one per (agency, service, status), dated by their earliest fact."""
    found: dict[tuple[str, str, str], PendingActivity] = {}
    for p in provisions:
        if not p.pending:
            continue
        key = (p.agency, p.service, p.status)
        old = found.get(key)
        since = p.start or p.end or _earliest_source(ix, p.evidence)
        requested = p.status == "hoped" and p.via == "SERVES"
        if old is None:
            found[key] = PendingActivity(p.agency, ix.name(p.agency), p.service, p.status, since, p.evidence, requested)
        elif since and (old.since is None or since < old.since):
            found[key] = PendingActivity(p.agency, old.agency_name, p.service, p.status, since, old.evidence + p.evidence,
                                         old.requested or requested)
        elif requested and not old.requested:
            found[key] = PendingActivity(p.agency, old.agency_name, p.service, p.status, old.since, old.evidence, True)
    return tuple(sorted(found.values(), key=lambda x: (STATUS_ORDER[x.status], x.agency, x.service)))


def _earliest_source(ix: GraphIndex, evidence: Iterable[EvidenceRef]) -> dt.date | None:
    dates = [d for d in (_published(ix, e.source) for e in evidence) if d is not None]
    return min(dates) if dates else None


def _published(ix: GraphIndex, source: str) -> dt.date | None:
    if source not in ix.G:
        return None
    return as_date(ix.attr(source, "published"))


class SourceReach:
    """Which news reports record anything about a node: its own mentions and the evidence of its relationships.

    Built lazily per node and cached (a finding names a few nodes; a national
    graph has hundreds of thousands), on the graph's own adjacency.
    """

    def __init__(self, ix: GraphIndex):
        self.ix = ix
        self.news = frozenset(
            s for s in ix.nodes(NodeLabel.SOURCE) if str(ix.attr(s, "kind", "news")) == "news"
        )
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, node: str) -> frozenset[str]:
        """The news reports that record anything about ``node`` (none for a node not in the graph)."""
        found = self._cache.get(node)
        if found is None:
            found = self._cache[node] = frozenset(self._reach(node))
        return found

    def _reach(self, node: str) -> set[str]:
        G, news = self.ix.G, self.news
        if node not in G:
            return set()
        found: set[str] = set()
        for adjacency in (G._succ[node], G._pred[node]):  # NetworkX's own dicts: one pass, no view objects
            for other, keyed in adjacency.items():
                for d in keyed.values():
                    if d.get("type") == RelType.MENTIONED_IN:
                        if other in news:
                            found.add(other)
                        continue
                    for e in evidence_of(d, ""):  # dicts, or JSON text in a graph read back from GraphML
                        if e.source in news:
                            found.add(e.source)
        return found


def source_reach(ix: GraphIndex) -> SourceReach:
    """The :class:`SourceReach` of an index, made once and kept on it: every finding of a ranking shares it.

    Parameters
    ----------
    ix : GraphIndex
        The index of the evidence graph.

    Returns
    -------
    SourceReach
        The same object for every call on the same index.

    See Also
    --------
    sources_consulted

    Examples
    --------
    >>> import networkx as nx
    >>> from graphmodel.analytics import GraphIndex
    >>> ix = GraphIndex(nx.MultiDiGraph())
    >>> source_reach(ix) is source_reach(ix)
    True
    """
    reach = ix.shared.get("source_reach")
    if reach is None:
        reach = ix.shared["source_reach"] = SourceReach(ix)
    return reach


def sources_consulted(ix: GraphIndex, nodes: Iterable[str], *, reach: SourceReach | None = None) -> SourcesConsulted:
    """The news reports that record anything about ``nodes`` (cohorts, regions, agencies), with their period.

    A report *records something about* a node when the node is mentioned in
    it (its evidence) or a relationship of the node is quoted from it.
    Reference datasets (the region codes) are not reports and are left out.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphmodel.analytics import GraphIndex
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("src-000", label="Source", kind="news", published=dt.date(2016, 10, 1))
    >>> G.add_node("medan", label="Region", name="Kota Medan")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees")
    >>> _ = G.add_edge("medan", "c", key="HOSTS_COHORT", type="HOSTS_COHORT",
    ...                evidence=[{"source": "src-000", "quote": "2.000 orang imigran"}])
    >>> sources_consulted(GraphIndex(G), ["c"]).summary()
    '1 article from 2016'
    """
    reach = reach or SourceReach(ix)
    found: set[str] = set()
    for node in dict.fromkeys(nodes):
        found |= reach.of(node)
    dates = [d for d in (_published(ix, s) for s in found) if d is not None]
    return SourcesConsulted(tuple(sorted(found)), min(dates) if dates else None, max(dates) if dates else None)


def confidence(basis: str, consulted: SourcesConsulted, statuses: Iterable[str], caveats: Iterable[str] = ()) -> str:
    """How far a finding can be trusted, from what it rests on.

    ========================================  ==========
    the finding                               confidence
    ========================================  ==========
    recorded, every fact cited reported        high
    recorded, resting on a request (hoped)     medium
    or on an inferred fact
    not recorded, in at least                  medium
    :data:`MIN_SOURCES_FOR_MEDIUM` reports
    not recorded, in fewer reports             low
    with a caveat on how the sources were      low
    chosen (a possible artefact)
    ========================================  ==========

    An absence from news reports is never ``high``: reports are not a census.

    A request shows that the service was lacking from the agency asked, not
    that nobody else provided it: a finding recorded by one is ``medium``.

    >>> c = SourcesConsulted(("src-000",), None, None)
    >>> confidence("not_recorded", c, ["reported"]), confidence("recorded", c, ["reported", "hoped"])
    ('low', 'medium')
    >>> confidence("recorded", c, ["reported"])
    'high'
    """
    if list(caveats):
        return "low"
    if basis == "recorded":
        return "medium" if set(statuses) & {"inferred", "hoped"} else "high"
    return "medium" if len(consulted.sources) >= MIN_SOURCES_FOR_MEDIUM else "low"


SOURCE_SELECTION_SHARE = 0.5
"""An agency in at least this share of the news reports (and two or more) may be how the corpus was gathered."""


def selection_caveats(ix: GraphIndex, reach: SourceReach, agencies: list[str]) -> list[str]:
    """Caveats for a structural finding about agencies that appear in most of the reports.

    When the corpus was gathered through an agency (the seed's five reports
    were chosen because they mention IOM), that agency sits on every path by
    construction, and its brokerage says more about the search than about
    coordination.

    Parameters
    ----------
    ix : GraphIndex
        The index of the evidence graph.
    reach : SourceReach
        Its :func:`source_reach`.
    agencies : list of str
        The agencies a structural finding names.

    Returns
    -------
    list of str
        One caveat per agency in at least :data:`SOURCE_SELECTION_SHARE` of
        the news reports (and in two or more).
    """
    total = len(reach.news)
    out = []
    for a in agencies:
        n = len(reach.of(a))
        if total >= 2 and n >= 2 and n / total >= SOURCE_SELECTION_SHARE:
            out.append(
                f"{ix.name(a)} appears in {n} of the {total} news reports: if the reports were gathered through it, "
                "its place in the network may be an artefact of how the sources were chosen"
            )
    return out
