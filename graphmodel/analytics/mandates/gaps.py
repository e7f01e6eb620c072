"""Mandate gaps: where the law expects an actor the graph does not show acting.

A *mandate gap* is a cohort present in a region, a mandate for its type that
applies there, and no matching agency with jurisdiction over that region
recorded delivering *the mandated service* to the cohort. Planned or hoped
activity never meets a mandate: it is carried beside the gap (``pending``).
The mandates and the articles they rest on are in
:mod:`graphmodel.analytics.mandates.law`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from graphmodel.analytics.agencies import Provision
from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.basis import PendingActivity, pending_activity
from graphmodel.analytics.findings import EvidenceRef, Finding, dedupe, evidence_of
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.mandates.law import Mandate, MandateInstrument, MandateSet, load_mandates
from graphmodel.model.schema import Presence, RegionKind, RelType
from graphmodel.util.text import fold_name

__all__ = ["MandateGap", "ResponsibleAgencies", "applies", "mandate_gaps", "responsible_agencies"]


@dataclass(frozen=True, slots=True)
class MandateGap(Finding):
    """A cohort in a region that no agency a mandate makes responsible is recorded serving with the mandated service.

    ``status`` is ``"no_actor_recorded"`` when the graph has no matching agency
    with jurisdiction over the region at all, and ``"actor_not_linked"`` when
    it has some (listed in ``candidates``) but none is recorded delivering
    ``duty`` (the mandated service) to the cohort: a link for another service
    (``linked_for``) does not meet the mandate, and planned or hoped activity
    of the mandated service (``pending``) does not either.

    ``phrasing`` says how the article binds: only ``"duty"`` makes the gap an
    unmet obligation (``binding``); a definition, an enabling clause or a
    practice makes it a question to check. ``verified`` says whether the
    article's wording was read in a copy of the text (``verification_note``
    says which), whatever the phrasing. ``cohort``, ``region`` and ``duty``
    name the hole, the same as a coverage gap's cohort, region and service.
    """

    cohort: str
    cohort_name: str
    cohort_type: str
    region: str
    region_name: str
    mandate: str
    instrument: str
    article: str
    phrasing: str
    binding: bool
    duty: str
    obligation: str
    responsible: str
    actor: str
    status: str
    candidates: tuple[str, ...]
    linked_for: tuple[str, ...]
    pending: tuple[PendingActivity, ...]
    verified: bool
    verification_note: str
    citation: str
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


def responsible_agencies(G: nx.MultiDiGraph | Analysis, mandate: Mandate) -> list[str]:
    """Agencies in ``G`` that ``mandate`` makes responsible (kind, level and name rules; no region check).

    An agency is responsible when its ``kind`` is one of the mandate's
    ``agency_kinds`` (if it gives any), its ``level`` one of its ``levels``
    (if any), and, for a mandate naming an actor, one of its names, or
    those of an organisation it is ``PART_OF``, contains one of
    ``actor_match`` as whole words (names folded: case and accents ignored).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index is then used).
    mandate : Mandate
        One mandate row (:func:`load_mandates`).

    Returns
    -------
    list of str
        The responsible agencies' ids, in the graph's order.

    See Also
    --------
    mandate_gaps : the responsible agencies with jurisdiction, region by region.
    graphmodel.analytics.mandates.ResponsibleAgencies : the same agencies by region.

    References
    ----------
    .. [1] The project's ``docs/mandates.md``, "What a mandate row says" and
       "How the tool decides met".
    .. [2] Peraturan Presiden No. 125 Tahun 2016 tentang Penanganan Pengungsi
       dari Luar Negeri (the regency/city shelter duty of the example).

    Examples
    --------
    >>> from graphmodel.analytics.mandates import load_mandates
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("pemko", label="Agency", name="Pemko Medan", kind="regional_government", level="regency_city")
    >>> G.add_node("iom", label="Agency", name="IOM Indonesia", kind="international_office", level="national")
    >>> shelter = next(m for m in load_mandates().mandates if m.id == "perpres125-shelter-regency-city")
    >>> responsible_agencies(G, shelter)
    ['pemko']
    """
    return _responsible(Analysis.of(G).index, mandate)


def _responsible(ix: GraphIndex, mandate: Mandate) -> list[str]:
    found = []
    for agency in ix.agencies():
        if mandate.agency_kinds and ix.attr(agency, "kind") not in mandate.agency_kinds:
            continue
        if mandate.levels and ix.attr(agency, "level") not in mandate.levels:
            continue
        if mandate.actor_match:
            names = [n for a in (agency, *ix.part_of_chain(agency)) for n in ix.agency_names(a)]
            if not mandate.matches_names(names):
                continue
        found.append(agency)
    return found


class ResponsibleAgencies:
    """The agencies a mandate makes responsible, indexed by the regions of their jurisdiction.

    For ``agencies`` (:func:`responsible_agencies`), ``in_region(R)`` equals
    ``[a for a in agencies if ix.covers(a, R)]``
    (same order), from the regions related to ``R`` instead of a test of
    every responsible agency for every cohort and region.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphmodel.analytics import GraphIndex
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
    >>> G.add_node("imi", label="Agency", name="Imigrasi", kind="immigration", level="national")
    >>> ResponsibleAgencies(GraphIndex(G), ["imi"]).in_region("kupang")
    ['imi']
    """

    def __init__(self, ix: GraphIndex, agencies: list[str]):
        self.ix = ix
        self.position = {a: i for i, a in enumerate(agencies)}
        self.everywhere: list[str] = []
        self.by_region: dict[str, list[str]] = defaultdict(list)
        for a in agencies:
            j = ix.jurisdiction(a)
            if j.basis.startswith("assumed nationwide") and not j.regions:
                self.everywhere.append(a)  # covers() says yes for every region
            for r in j.regions:
                self.by_region[r].append(a)

    def in_region(self, region: str) -> list[str]:
        """The agencies whose jurisdiction covers ``region`` (:meth:`GraphIndex.covers`), in the given order."""
        found = set(self.everywhere)
        for r in self.ix.related_regions(region):
            found.update(self.by_region.get(r, ()))
        return sorted(found, key=self.position.__getitem__)


# --------------------------------------------------------------------------- where a mandate applies

_INDONESIA = "indonesia"


def _country(ix: GraphIndex, region: str) -> str | None:
    """Where a region lies: ``"indonesia"``, ``"abroad"``, or None when the graph does not say.

    A region with a Kemendagri code, or under a country region named
    Indonesia, is in Indonesia (only Indonesian regions carry those codes); a
    region under another country is abroad.
    """
    for r in ix.ancestors(region):
        if ix.attr(r, "code"):
            return _INDONESIA
        if ix.attr(r, "kind") == RegionKind.COUNTRY:
            return _INDONESIA if fold_name(ix.name(r)) == _INDONESIA or r == _INDONESIA else "abroad"
    return None


def _presence_kinds(ix: GraphIndex, cohort: str, region: str) -> set[str]:
    """How a cohort is present in a region: the HOSTS_COHORT ``presence`` values; sheltered there counts as residing."""
    kinds = {str(d.get("presence") or Presence.RESIDING.value) for r, d in ix.inn(cohort, RelType.HOSTS_COHORT) if r == region}
    if not kinds:
        kinds.add(Presence.RESIDING.value)  # present through a facility LOCATED_IN the region that SHELTERS it
    return kinds


def applies(ix: GraphIndex, mandate: Mandate, cohort: str, region: str) -> bool:
    """Whether ``mandate`` applies to ``cohort`` in ``region`` (where and how the cohort is present; not its type).

    A row for victims abroad (``applies_where: abroad``, UU 21/2007 Pasal 54
    ayat (1): "Dalam hal korban berada di luar negeri") applies only where the
    graph places the region in another country: not in Indonesia, and not
    where the graph does not say (a gap must rest on the article applying).
    """
    if mandate.applies_where != "anywhere":
        wanted = "abroad" if mandate.applies_where == "abroad" else _INDONESIA
        if _country(ix, region) != wanted:
            return False
    if mandate.applies_to_presence:
        return bool(_presence_kinds(ix, cohort, region) & {p.value for p in mandate.applies_to_presence})
    return True


# --------------------------------------------------------------------------- gaps


def _gap_score(status: str, verified: bool, size: int | None, binding: bool = True) -> float:
    if binding:
        base = 0.9 if status == "no_actor_recorded" else 0.8
    else:
        # a definition, an enabling clause or a practice: a question to check, ranked below every unmet duty
        base = 0.6 if status == "no_actor_recorded" else 0.55
    if not verified:
        base -= 0.05
    return round(base + (0.01 * min(math.log10(size), 5) / 5 if size else 0.0), 4)


def mandate_gaps(G: nx.MultiDiGraph | Analysis, mandates: MandateSet | None = None) -> list[MandateGap]:
    """Mandate gaps: cohorts whose mandated actor is absent or not recorded delivering the mandated service.

    For every migrant cohort ``c`` of type ``T`` present in region ``R``
    (``R -HOSTS_COHORT-> c``, or a facility ``LOCATED_IN R`` that ``SHELTERS``
    ``c``) and every mandate ``m`` whose cohort types include ``T`` and that
    applies to ``c`` in ``R`` (:func:`applies`; cooperation rows never do),
    let ``A(m, R)`` be the agencies that ``m`` makes responsible (kind, level,
    named actor) whose jurisdiction includes ``R``, a region above it or one
    inside it (``HAS_JURISDICTION`` and the region hierarchy; national
    agencies without a recorded jurisdiction count as nationwide). The pair is
    *met* when an agency of ``A(m, R)`` has a provision of the mandated
    service ``m.duty`` that reaches ``c`` in ``R``
    (:meth:`GraphIndex.provisions_to`) and is reported or inferred: it
    ``SERVES`` ``c`` with that service, ``FUNDS`` or ``IMPLEMENTS`` a programme
    of that service that ``TARGETS`` ``c`` or its region, or (shelter)
    ``OPERATES`` a facility that ``SHELTERS`` ``c``. Funding counts: the
    articles say who must see that the service is given, not whose staff give
    it. A link for another service does not meet the mandate (Kemensos's
    hygiene kits are not the social rehabilitation of UU 21/2007 Pasal 52
    ayat (1)), and planned or hoped provisions do not either: they are
    carried as ``pending``. Otherwise the pair is a gap.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph (:func:`graphmodel.graph.build_graph`), or an
        :class:`~graphmodel.analytics.analysis.Analysis` of it.
    mandates : MandateSet, optional
        Defaults to :func:`load_mandates` (the package's mandates).

    Returns
    -------
    list of MandateGap
        Ranked by ``score`` (unmet duties before questions from non-duty
        rows; no actor recorded before actor not linked; verified mandates
        first; larger cohorts first), then by cohort, region and mandate id.
        Each gap carries the mandate's citation, the evidence that the cohort
        is present in the region, and the quotes of any pending activity.

    See Also
    --------
    load_mandates, responsible_agencies, graphmodel.analytics.gaps.coordination_gaps

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees in Kupang", cohort_type="foreign_refugees", size=171)
    >>> _ = G.add_edge("kupang", "c", key="HOSTS_COHORT", type="HOSTS_COHORT",
    ...            evidence=[{"source": "src-002", "quote": "pengungsi di wilayah kota kupang"}])
    >>> gaps = mandate_gaps(G)
    >>> sorted((g.duty, g.phrasing) for g in gaps if g.actor == "UNHCR")
    [('repatriation_resettlement', 'practice'), ('status_determination', 'definition')]
    >>> gaps[0].evidence[0].source
    'src-002'

    References
    ----------
    .. [1] Perpres 125/2016 Pasal 1 angka 1 (status from the UN through UNHCR).
    .. [2] UU 21/2007 Pasal 52 ayat (1) and Pasal 54 ayat (1).
    """
    ms = mandates or load_mandates()
    ix = Analysis.of(G).index
    gaps: list[MandateGap] = []
    active = [m for m in ms.mandates if m.yields_gaps]
    responsible = {m.id: ResponsibleAgencies(ix, _responsible(ix, m)) for m in active}
    for cohort in ix.cohorts():
        ctype = str(ix.attr(cohort, "cohort_type", ""))
        cohort_ev = evidence_of(ix.G.nodes[cohort], f"cohort {cohort}")
        for region, presence_ev in ix.cohort_presence(cohort).items():
            provisions = ix.provisions_to(cohort, region)
            for m in active:
                if ctype not in m.cohort_types or not applies(ix, m, cohort, region):
                    continue
                with_jurisdiction = responsible[m.id].in_region(region)
                theirs = [p for p in provisions if p.agency in with_jurisdiction]
                if any(p.service == m.duty.value and not p.pending for p in theirs):
                    continue
                gaps.append(_make_gap(ix, ms, m, cohort, ctype, region, with_jurisdiction, theirs, presence_ev + cohort_ev))
    gaps.sort(key=lambda g: (-g.score, g.cohort, g.region, g.mandate))
    return gaps


def _make_gap(
    ix: GraphIndex, ms: MandateSet, m: Mandate, cohort: str, ctype: str, region: str,
    candidates: list[str], theirs: list[Provision], evidence: tuple[EvidenceRef, ...],
) -> MandateGap:
    instrument = ms.instrument(m.instrument)
    status = "actor_not_linked" if candidates else "no_actor_recorded"
    linked_for = tuple(sorted({p.service for p in theirs if not p.pending and p.service != m.duty.value}))
    pending = pending_activity(ix, [p for p in theirs if p.service == m.duty.value])
    explanation = _explain(ix, instrument, m, ctype, ix.name(cohort), ix.name(region), candidates, linked_for, pending)
    juris_ev = tuple(e for a in candidates for e in ix.jurisdiction(a).evidence)
    pending_ev = tuple(e for p in pending for e in p.evidence)
    return MandateGap(
        cohort=cohort,
        cohort_name=ix.name(cohort),
        cohort_type=ctype,
        region=region,
        region_name=ix.name(region),
        mandate=m.id,
        instrument=instrument.short,
        article=m.article,
        phrasing=m.phrasing,
        binding=m.binding,
        duty=m.duty.value,
        obligation=m.asks,
        responsible=m.responsible,
        actor=m.actor or "",
        status=status,
        candidates=tuple(candidates),
        linked_for=linked_for,
        pending=pending,
        verified=m.verified,
        verification_note=m.verification_note,
        citation=m.citation,
        explanation=explanation,
        evidence=dedupe(evidence + juris_ev + pending_ev),
        score=_gap_score(status, m.verified, ix.cohort_size(cohort), m.binding),
    )


_PHRASING_WORDS = {
    "definition": "a definition, not a duty",
    "enabling": "an enabling provision, not a duty",
    "practice": "the actor's role in practice; no article assigning it was found",
}


def _explain(
    ix: GraphIndex, instrument: MandateInstrument, m: Mandate, ctype: str, cohort_name: str, region_name: str,
    candidates: list[str], linked_for: tuple[str, ...], pending: tuple[PendingActivity, ...],
) -> str:
    """The finding in words: what the article asks, what the sources lack, and how far the article binds.

    Only a duty row whose wording was read says "verified"; a non-duty row
    says what it is instead, so that a definition never reads as a breach.
    """
    cite = f"{instrument.short} {m.article}"
    if m.binding:
        head = f"{cite} obliges {m.responsible} to {m.asks} for {ctype} cohorts."
    else:
        head = f"{cite} is {_PHRASING_WORDS[m.phrasing]}: it points to {m.responsible} to {m.asks} for {ctype} cohorts."
    if not candidates:
        who = m.actor or f"agency of the kind the article names ({m.responsible})"
        reason = f"the graph records no {who} with jurisdiction over {region_name}"
    else:
        names = ", ".join(ix.name(a) for a in candidates)
        verb = "has" if len(candidates) == 1 else "have"
        reason = f"{names} {verb} jurisdiction over {region_name}, but the sources record no {m.evidence_sought} by them for the cohort"
        if linked_for:
            reason += f" (they are recorded for {', '.join(linked_for)}, which does not meet this mandate)"
    text = f"{head} {cohort_name} is present in {region_name}, but {reason}."
    if pending:
        text += f" Only {'; '.join(p.phrase() for p in pending)}: not reported delivered, so it does not meet the mandate."
    if not m.binding:
        return text + " This is a question to check, not an unmet obligation."
    if m.verified:
        return text + " Mandate wording verified in a copy of the text."
    return text + " Mandate not verified: " + m.verification_note
