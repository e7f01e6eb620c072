"""All coordination gaps in one ranked list.

Collects the findings of the other analytics under four kinds:

========  ==================================================================
kind      findings
========  ==================================================================
mandate   :func:`~graphmodel.analytics.mandates.mandate_gaps`
coverage  :func:`~graphmodel.analytics.coverage.coverage_gaps` without a
          provider or with uncoordinated overlapping providers
ties      :func:`~graphmodel.analytics.ties.missing_ties`,
          :func:`~graphmodel.analytics.ties.stale_ties`, and the broken
          hand-offs of each cohort's best referral chain
          (:func:`~graphmodel.analytics.pathways.referral_pathways`)
spof      single providers of a needed service, and articulation points and
          bridges of the coordination network
          (:func:`~graphmodel.analytics.fragility.network_fragility`)
========  ==================================================================

The ``score`` of a finding is an ordinal triage aid, not a measurement: a
mandated actor missing altogether (0.9) ranks above a needed service with no
provider (0.85), a mandated actor present but not linked (0.8), a pathway step
without provider (0.75), an agency whose loss splits the network (0.7+),
thin coverage (0.6), a bridge tie (0.55+), uncoordinated overlap (0.5), a
broken hand-off (0.45), missing ties (0.3 + 0.4 x overlap) and stale ties
(0.3+). Unverified mandates lose 0.05; larger cohorts rank slightly higher.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.basis import (
    BASES,
    CONFIDENCES,
    PendingActivity,
    SourcesConsulted,
    confidence,
    selection_caveats,
    source_reach,
    sources_consulted,
)
from graphmodel.analytics.coverage import CoverageGap, coverage_gaps
from graphmodel.analytics.findings import STATUS_ORDER, EvidenceRef, Finding, dedupe
from graphmodel.analytics.fragility import NetworkFragility, network_fragility
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.mandates import MandateGap, MandateSet, mandate_gaps
from graphmodel.analytics.pathways import PathwayGap, PathwayResult, PathwayTemplates, all_referral_pathways
from graphmodel.analytics.ties import MissingTie, StaleTie, missing_ties_and_total, stale_ties
from graphmodel.errors import AnalyticsError

__all__ = ["GAP_KINDS", "REPORT_MISSING_TIES", "CoordinationGap", "GapFindings", "coordination_gaps", "find_gaps"]

GAP_KINDS: tuple[str, ...] = ("mandate", "coverage", "ties", "spof")


@dataclass(frozen=True, slots=True)
class CoordinationGap(Finding):
    """One finding of any kind, with a one-line title, its explanation and evidence, and what it rests on.

    ``basis`` is ``recorded`` (the sources show the gap: an agency asked to
    provide a needed service, not reported delivered) or ``not_recorded`` (nothing in
    the sources covers it: a question to verify; an announced plan beside it
    does not change that); ``sources_consulted`` the news reports about its
    cohort, place and agencies (``consulted`` in words: "1 article from
    2016"); ``confidence`` follows from both
    (:func:`~graphmodel.analytics.basis.confidence`). ``statuses`` are the
    statuses of the facts it cites (each evidence item has its own),
    ``pending`` the planned or hoped activity shown beside it, ``caveats``
    what may make it an artefact, and ``perspectives`` the kinds merged into
    it (a mandate gap and a coverage gap for the same cohort, place and
    service are one finding).

    ``details`` holds the analytics' own findings behind it
    (:class:`MandateGap`, :class:`CoverageGap`, :class:`MissingTie` ...): one,
    or several when identical findings for one cohort in several regions, or
    stale ties last renewed by the same contact, are merged.
    """

    rank: int
    kind: str
    subkind: str
    score: float
    title: str
    subjects: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    details: tuple[Any, ...]
    basis: str = "not_recorded"
    confidence: str = "low"
    sources_consulted: SourcesConsulted | None = None
    consulted: str = ""
    statuses: tuple[str, ...] = ()
    pending: tuple[PendingActivity, ...] = ()
    caveats: tuple[str, ...] = ()
    perspectives: tuple[str, ...] = ()

    # Finding's methods by name: a slotted dataclass is a new class, which zero-argument super() does not know
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, with the findings behind it (``details``) as dicts."""
        data = Finding.to_dict(self)
        data["details"] = [d.to_dict() for d in self.details if isinstance(d, Finding)]
        return data

    def row(self) -> dict[str, Any]:
        """A flat table row (:meth:`Finding.row`) without the findings behind it."""
        out = Finding.row(self)
        out.pop("details", None)
        return out


def _kinds(kinds: str | Iterable[str]) -> set[str]:
    wanted = {kinds} if isinstance(kinds, str) else set(kinds)
    if "all" in wanted:
        return set(GAP_KINDS)
    unknown = wanted - set(GAP_KINDS)
    if unknown:
        raise AnalyticsError(f"unknown gap kind(s) {', '.join(sorted(unknown))}; choose from {', '.join(GAP_KINDS)} or all")
    return wanted


@dataclass
class _Item:
    kind: str
    subkind: str
    score: float
    title: str
    subjects: list[str]
    explanation: str
    evidence: list[EvidenceRef]
    details: list[Any]
    pending: list[PendingActivity] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    perspectives: list[str] = field(default_factory=list)
    hole: tuple | None = None  # (cohort, regions, service): the same hole seen as a mandate and as coverage
    about: list[str] = field(default_factory=list)  # the cohort and place, or the agencies, whose sources were consulted


def _where(cohort_name: str, regions: list[str]) -> str:
    """``"cohort in region, region"`` (the regions left out when the cohort's name already says them)."""
    shown = [r for r in regions if r.casefold() not in cohort_name.casefold()]
    return f"{cohort_name} in {', '.join(shown)}" if shown else cohort_name


def _merge_regions(findings: list, key) -> list[list]:
    """Group one cohort's findings that are identical apart from the region."""
    groups: dict[Any, list] = {}
    for f in findings:
        groups.setdefault(key(f), []).append(f)
    return list(groups.values())


def _mandate_items(gaps: list[MandateGap]) -> list[_Item]:
    items = []
    for group in _merge_regions(gaps, lambda g: (g.cohort, g.mandate, g.status, g.candidates)):
        g = group[0]
        who = g.actor or g.responsible
        if getattr(g, "phrasing", "duty") == "cooperation":
            continue  # an article that lets the government cooperate binds no one: no gap
        regions = [x.region_name for x in group]
        if g.status == "no_actor_recorded":
            title = f"{_where(g.cohort_name, regions)}: no {who} recorded for {g.duty} ({g.instrument} {g.article})"
        else:
            title = f"{_where(g.cohort_name, regions)}: no recorded {g.duty} by {who} ({g.instrument} {g.article})"
        explanation = g.explanation if len(group) == 1 else (
            g.explanation.replace(f" in {g.region_name}", f" in {', '.join(regions)}", 1)
            .replace(f"over {g.region_name}", f"over {', '.join(regions)}")
        )
        pending = [p for x in group for p in getattr(x, "pending", ())]
        items.append(
            _Item("mandate", g.status, max(x.score for x in group), title,
                  [g.cohort, *(x.region for x in group), *g.candidates], explanation,
                  [e for x in group for e in x.evidence], list(group), pending=pending, perspectives=["mandate"],
                  hole=(g.cohort, frozenset(x.region for x in group), g.duty), about=[g.cohort, *(x.region for x in group)],
                  caveats=[] if getattr(g, "binding", True) else [
                      f"{g.instrument} {g.article} is not phrased as a duty ({getattr(g, 'phrasing', '')}): "
                      "a question to check, not an unmet obligation"])
        )
    return items


def _coverage_items(gaps: list[CoverageGap]) -> list[_Item]:
    items = []
    for group in _merge_regions(gaps, lambda g: (g.cohort, g.kind, g.service, g.providers, g.untied)):
        g = group[0]
        kind = "spof" if g.kind == "single_provider" else "coverage"
        where = _where(g.cohort_name, [x.region_name for x in group])
        if g.kind == "no_provider" and g.sheltered_in:
            title = f"{where}: sheltered, but who provides the {g.service} is not recorded"
        elif g.kind == "no_provider":
            title = f"{where}: no recorded provider of {g.service}"
        elif g.kind == "single_provider":
            title = f"{where}: {g.provider_names[0]} is the only provider of {g.service}"
        else:
            title = f"{where}: uncoordinated providers of {g.service}"
        explanation = g.explanation if len(group) == 1 else g.explanation.replace(
            f"{g.cohort_name} in {g.region_name}", where, 1)
        items.append(
            _Item(kind, g.kind, max(x.score for x in group), title,
                  [g.cohort, *(x.region for x in group), *g.providers], explanation,
                  [e for x in group for e in x.evidence], list(group),
                  pending=[p for x in group for p in x.pending], perspectives=["coverage"],
                  hole=(g.cohort, frozenset(x.region for x in group), g.service) if g.kind == "no_provider" else None,
                  about=[g.cohort, *(x.region for x in group)])
        )
    return items


def _merge_holes(mandate: list[_Item], coverage: list[_Item]) -> list[_Item]:
    """One finding per hole: a mandate gap for the service nobody provides joins that coverage gap.

    Both perspectives stay in it: the coverage gap says nobody is recorded
    providing the service, the mandate gap who the law names to provide it.
    Returns the mandate items left on their own (the merged ones are now in
    ``coverage``).
    """
    holes: dict[tuple[str, str], list[_Item]] = {}
    for i in coverage:
        if i.hole is not None:
            holes.setdefault((i.hole[0], i.hole[2]), []).append(i)
    alone = []
    for m in mandate:
        assert m.hole is not None
        cohort, regions, service = m.hole
        # the coverage finding of the same cohort and service whose places hold all of the mandate gap's
        c = next((i for i in holes.get((cohort, service), ()) if regions <= i.hole[1]), None)  # type: ignore[index]
        if c is None:
            alone.append(m)
            continue
        part = m.title.split(": ", 1)[-1]
        if part not in c.title:  # two regions' mandate gaps of one row read the same
            c.title += "; " + part
        if m.explanation not in c.explanation:
            c.explanation += " " + m.explanation
        c.score = max(c.score, m.score)
        c.subjects += m.subjects
        c.evidence += m.evidence
        c.details += m.details
        c.pending += [p for p in m.pending if p not in c.pending]
        c.caveats += [x for x in m.caveats if x not in c.caveats]
        c.perspectives += [x for x in m.perspectives if x not in c.perspectives]
    return alone


def _fragility_item(f: NetworkFragility) -> _Item:
    if f.kind == "articulation_point":
        title = f"{f.names[0]} is the only recorded coordination link between parts of the network"
    else:
        title = f"The tie {f.names[0]} - {f.names[1]} is a bridge"
    return _Item("spof", f.kind, f.score, title, list(f.agencies), f.explanation, list(f.evidence), [f], perspectives=["spof"])


def _missing_item(t: MissingTie) -> _Item:
    title = f"{t.name_a} and {t.name_b} serve the same cohorts/regions without a tie (overlap {t.overlap:.2f})"
    return _Item("ties", "missing_tie", t.score, title, [t.agency_a, t.agency_b], t.explanation, list(t.evidence), [t],
                 perspectives=["ties"], about=[*t.shared_cohorts, *t.shared_regions])


def _stale_items(ties: list[StaleTie]) -> list[_Item]:
    groups: dict[tuple, list[StaleTie]] = {}
    for t in ties:
        groups.setdefault((t.last_contact, t.reasons), []).append(t)
    items = []
    for (last, reasons), group in groups.items():
        t = group[0]
        agencies = sorted({a for x in group for a in (x.agency_a, x.agency_b)})
        names = sorted({n for x in group for n in (x.name_a, x.name_b)})
        if len(group) == 1:
            title = f"{t.name_a} - {t.name_b}: last recorded contact {last.isoformat()} ({t.age_years:.1f} years)"
            explanation = t.explanation
        else:
            title = f"{len(group)} ties among {len(agencies)} agencies last recorded {last.isoformat()} ({t.age_years:.1f} years)"
            explanation = (
                f"{', '.join(names)}: {len(group)} coordination ties whose last recorded contact was "
                f"{last.isoformat()} ({'; '.join(reasons)}), {t.age_years:.1f} years before the reference date."
            )
        caveat = (
            f"{last.isoformat()} is the last contact the sources record, not the last contact: a later meeting may "
            "simply not have been reported"
        )
        items.append(_Item("ties", "stale_tie", max(x.score for x in group), title, agencies, explanation,
                           [e for x in group for e in x.evidence], list(group), caveats=[caveat], perspectives=["ties"]))
    return items


def _handoff_item(g: PathwayGap) -> _Item:
    title = f"{g.cohort_name}: broken referral {g.service}"
    return _Item("ties", "broken_handoff", g.score, title, [g.cohort, *g.agencies], g.explanation, list(g.evidence), [g],
                 perspectives=["ties"], about=[g.cohort])


def coordination_gaps(
    G: nx.MultiDiGraph | Analysis,
    kinds: str | Iterable[str] = "all",
    as_of: dt.date | None = None,
    stale_years: float = 5,
    mandates: MandateSet | None = None,
    templates: PathwayTemplates | None = None,
    *,
    top_missing_ties: int | None = None,
) -> list[CoordinationGap]:
    """Every coordination gap of the requested kinds, ranked.

    Findings that differ only in the region (one cohort present in several
    regions, the same mandate or service missing in each) are merged into one
    gap naming all those regions; stale ties last renewed by the same contact
    (one meeting) are merged into one gap. ``details`` keeps every original
    finding.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it. Either way one index and one coordination network are shared
        by every analytic (and every cohort's referral pathway) below.
    kinds : str or iterable of str
        ``"all"`` or any of :data:`GAP_KINDS` (``mandate``, ``coverage``,
        ``ties``, ``spof``).
    as_of : datetime.date, optional
        "Now" for stale ties and recency; defaults to the latest date in ``G``.
    stale_years : float
        Ties older than this are stale.
    mandates, templates : optional
        Mandates and pathway templates (defaults: the package's data).
    top_missing_ties : int, optional
        Keep only the strongest missing ties (all when None). A national
        graph has about a million of them; the report keeps
        :data:`REPORT_MISSING_TIES`.

    Returns
    -------
    list of CoordinationGap
        Ranked by score (highest first), then kind and title; ``rank`` is
        1-based.

    See Also
    --------
    find_gaps : the same analytics, keeping their own results.
    GapFindings.ranked

    References
    ----------
    .. [1] The project's ``docs/findings.md``: what a finding rests on (basis,
       status, sources consulted), its confidence, one finding per hole, and
       the caveats on network findings.
    .. [2] The project's ``docs/mandates.md`` (mandate gaps) and
       ``docs/pathways.md`` (missing steps and broken hand-offs).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees", size=171)
    >>> _ = G.add_edge("kupang", "c", key="HOSTS_COHORT", type="HOSTS_COHORT",
    ...                evidence=[{"source": "src-002", "quote": "pengungsi di wilayah kota kupang"}])
    >>> gaps = coordination_gaps(G, kinds="mandate")
    >>> top = gaps[0]
    >>> top.rank, top.kind, top.details[0].duty, top.basis, top.confidence
    (1, 'mandate', 'immigration_supervision', 'not_recorded', 'low')

    UNHCR's rows rest on a definition and on practice, not on a duty: they
    rank below the duties, as questions to check.

    >>> [(g.details[0].duty, g.details[0].phrasing) for g in gaps if g.details[0].actor == "UNHCR"]
    [('status_determination', 'definition'), ('repatriation_resettlement', 'practice')]
    """
    return find_gaps(G, kinds, as_of, stale_years, mandates, templates, k=1, top_missing_ties=top_missing_ties).ranked()


REPORT_MISSING_TIES = 1000
"""Missing ties the main job ranks and reports (the strongest; their total is counted)."""


def find_gaps(
    G: nx.MultiDiGraph | Analysis,
    kinds: str | Iterable[str] = "all",
    as_of: dt.date | None = None,
    stale_years: float = 5,
    mandates: MandateSet | None = None,
    templates: PathwayTemplates | None = None,
    *,
    k: int = 1,
    top_missing_ties: int | None = None,
) -> GapFindings:
    """Run the analytics behind :func:`coordination_gaps` once and keep their own results.

    For a caller that needs both the ranked list (``.ranked()``) and the
    detailed findings, such as the main job (overview highlight and report
    sections): nothing is computed twice.

    Parameters
    ----------
    G, kinds, as_of, stale_years, mandates, templates, top_missing_ties
        As in :func:`coordination_gaps`.
    k : int
        The number of alternative chains kept per cohort's referral pathway
        (the ranking uses only the best chain, which does not depend on ``k``).

    Returns
    -------
    GapFindings
        The analytics' own results; ``.ranked()`` is :func:`coordination_gaps`.

    See Also
    --------
    coordination_gaps, GapFindings.ranked

    References
    ----------
    .. [1] The project's ``docs/findings.md``: basis, status and confidence of
       the findings :meth:`GapFindings.ranked` ranks.

    Examples
    --------
    >>> import networkx as nx
    >>> found = find_gaps(nx.MultiDiGraph(), kinds="mandate")
    >>> found.mandate, found.ranked()
    ([], [])
    """
    wanted = _kinds(kinds)
    return _findings(Analysis.of(G), wanted, as_of, stale_years, mandates, templates, k=k, top_missing_ties=top_missing_ties)


@dataclass
class GapFindings:
    """The other analytics' results that :func:`coordination_gaps` ranks (empty when not asked for).

    ``missing`` holds the strongest ``top_missing_ties`` missing ties (all
    when not limited) and ``missing_total`` how many there are in all;
    ``analysis`` the :class:`~graphmodel.analytics.analysis.Analysis` they
    were found on (what :meth:`ranked` reads the sources from).
    """

    kinds: frozenset[str] = frozenset()
    mandate: list[MandateGap] = field(default_factory=list)
    coverage: list[CoverageGap] = field(default_factory=list)
    fragility: list[NetworkFragility] = field(default_factory=list)
    missing: list[MissingTie] = field(default_factory=list)
    missing_total: int = 0
    stale: list[StaleTie] = field(default_factory=list)
    # every cohort in order: its pathway, or why it has none
    pathways: list[tuple[str, PathwayResult | AnalyticsError]] = field(default_factory=list)
    analysis: Analysis | None = field(default=None, repr=False, compare=False)
    _ranked: list[CoordinationGap] | None = field(default=None, repr=False, compare=False)

    def ranked(self, kinds: str | Iterable[str] | None = None) -> list[CoordinationGap]:
        """The findings as one ranked list of :class:`CoordinationGap`.

        Parameters
        ----------
        kinds : str or iterable of str, optional
            The kinds to rank (as in :func:`coordination_gaps`); by default
            the kinds these findings were collected for, ranked once and
            kept. Kinds that were not collected add nothing.

        Returns
        -------
        list of CoordinationGap
            What :func:`coordination_gaps` returns for those kinds.

        See Also
        --------
        coordination_gaps, find_gaps

        Examples
        --------
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
        >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees", size=171)
        >>> _ = G.add_edge("kupang", "c", key="HOSTS_COHORT", type="HOSTS_COHORT",
        ...                evidence=[{"source": "src-002", "quote": "pengungsi di wilayah kota kupang"}])
        >>> found = find_gaps(G, kinds=("mandate", "coverage"))
        >>> found.ranked("mandate") == coordination_gaps(G, kinds="mandate")
        True
        """
        if kinds is not None:
            return _rank(_kinds(kinds), self)
        if self._ranked is None:
            self._ranked = _rank(set(self.kinds), self)
        return self._ranked


def _findings(
    A: Analysis, wanted: set[str], as_of: dt.date | None, stale_years: float, mandates: MandateSet | None,
    templates: PathwayTemplates | None, k: int, top_missing_ties: int | None = None,
) -> GapFindings:
    """Run the analytics the wanted kinds need, on one index and one coordination network.

    The broken hand-offs come from each cohort's *best* chain, which does not
    depend on ``k`` (the chains are generated best first), so a caller that
    shows ``k`` alternatives (the report) can reuse the same results.
    """
    found = GapFindings(kinds=frozenset(wanted), analysis=A)
    if "mandate" in wanted:
        found.mandate = mandate_gaps(A, mandates)
    if wanted & {"coverage", "spof"}:
        found.coverage = coverage_gaps(A, templates)
    if "spof" in wanted:
        found.fragility = network_fragility(A.network)
    if "ties" in wanted:
        found.missing, found.missing_total = missing_ties_and_total(A, top=top_missing_ties)
        when = as_of or A.index.latest_date()
        if when is not None:
            found.stale = stale_ties(A, when, stale_years)
        # a cohort type without a template has no pathway to break: its entry is the AnalyticsError saying so
        # each cohort as of its own period (pathways.cohort_as_of) unless the caller fixed one date for all
        found.pathways = list(all_referral_pathways(A, k=k, templates=templates, as_of=as_of).items())
    return found


def _rank(wanted: set[str], found: GapFindings) -> list[CoordinationGap]:
    """The findings of the wanted kinds as one ranked list, each with what it rests on.

    Ranked by basis (recorded first), then confidence, then score: a finding
    the sources show comes before one that only rests on what they do not
    mention, however high the latter's triage score. The order of collection
    breaks ties, as it always did.
    """
    items: list[_Item] = []
    mandate = _mandate_items(found.mandate) if "mandate" in wanted else []
    coverage = _coverage_items(found.coverage) if wanted & {"coverage", "spof"} else []
    if mandate and "coverage" in wanted:
        mandate = _merge_holes(mandate, coverage)
    items += mandate
    items += [i for i in coverage if i.kind in wanted]
    if "spof" in wanted:
        items += [_fragility_item(f) for f in found.fragility]
    if "ties" in wanted:
        items += [_missing_item(t) for t in found.missing]
        items += _stale_items(found.stale)
        for _, result in found.pathways:
            if isinstance(result, PathwayResult):
                items += [_handoff_item(g) for g in result.gaps if g.kind == "broken_handoff"]
    ix = found.analysis.index if found.analysis is not None else None
    gaps = [_rest_on(i, ix) for i in items] if ix is not None else [(i, "not_recorded", "low", None) for i in items]
    gaps.sort(key=lambda x: (BASES.index(x[1]), CONFIDENCES.index(x[2]), -x[0].score, GAP_KINDS.index(x[0].kind), x[0].title))
    out = []
    for rank, (i, basis, conf, consulted) in enumerate(gaps, start=1):
        evidence = dedupe(i.evidence)
        out.append(CoordinationGap(
            rank, i.kind, i.subkind, round(i.score, 4), i.title, tuple(dict.fromkeys(i.subjects)), i.explanation,
            evidence, tuple(i.details), basis, conf, consulted, consulted.summary() if consulted else "",
            tuple(sorted({e.status for e in evidence}, key=STATUS_ORDER.__getitem__)), _one_each(i.pending),
            tuple(dict.fromkeys(i.caveats)), tuple(dict.fromkeys(i.perspectives)),
        ))
    return out


def _one_each(pending: list[PendingActivity]) -> tuple[PendingActivity, ...]:
    """One pending activity per (agency, service, status): the earliest dated, with every quote behind it."""
    found: dict[tuple[str, str, str], PendingActivity] = {}
    for p in pending:
        key = (p.agency, p.service, p.status)
        old = found.get(key)
        if old is None:
            found[key] = p
        else:
            since = min((d for d in (old.since, p.since) if d), default=None)
            found[key] = PendingActivity(p.agency, p.agency_name, p.service, p.status, since, dedupe(old.evidence + p.evidence),
                                         old.requested or p.requested)
    return tuple(found.values())


def _rest_on(i: _Item, ix: GraphIndex) -> tuple[_Item, str, str, SourcesConsulted]:
    """The item's basis, confidence and sources consulted; caveats and the "question to verify" sentence added."""
    reach = source_reach(ix)
    # a country is no place: every report about anything in Indonesia "mentions" it
    about = [n for n in (i.about or i.subjects) if ix.attr(n, "kind") != "country"] or i.about or i.subjects
    consulted = sources_consulted(ix, about, reach=reach)
    if i.kind == "spof" and i.subkind in ("articulation_point", "bridge"):
        i.caveats += selection_caveats(ix, reach, [s for s in i.subjects if ix.is_agency(s)])
    # the sources show the hole itself only when an agency was asked to provide the service (a request states an
    # unmet need); an announced plan, or a hope in a programme's purpose clause ("agar tetap memberikan
    # perlindungan": may well be going on), says nothing of who provides it: the gap stays a question to verify
    basis = "recorded" if any(p.requested for p in i.pending) else "not_recorded"
    statuses = {e.status for e in i.evidence}
    conf = confidence(basis, consulted, statuses, i.caveats)
    if basis == "not_recorded":
        i.explanation += (
            f" Not recorded in {consulted.summary()} about this: a question to verify, not a proven absence."
        )
    return i, basis, conf, consulted
