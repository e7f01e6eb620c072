"""Who does what, where and when (4W), and where coverage is missing, thin or uncoordinated.

The *4W matrix* lists each agency delivering a service in a region in a
period. It counts implementers, not funders: an agency that only ``FUNDS`` a
programme does not deliver it. *Coverage gaps* compare the services a cohort
needs (its referral pathway template, ``graphmodel/data/pathways.yaml``) with
the agencies that deliver them to it.

References
----------
.. [1] OCHA, "Who does What Where (3W/4W)" operational presence data,
   humanitarianresponse.info.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.basis import PendingActivity, pending_activity
from graphmodel.analytics.dates import period_label
from graphmodel.analytics.findings import EvidenceRef, Finding, dedupe, evidence_of, fact_status
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.pathways import PathwayTemplates, load_pathways

__all__ = ["MAX_UNTIED_PAIRS", "CoverageGap", "coverage_gaps", "coverage_matrix", "untied_provider_pairs"]

MATRIX_COLUMNS = [
    "agency", "agency_name", "agency_kind", "agency_level", "service", "region", "region_name",
    "adm1_name", "adm1_code", "adm2_name", "adm2_code", "period", "start", "end",
    "cohorts", "cohort_types", "via", "through", "sources", "records",
]


def coverage_matrix(G: nx.MultiDiGraph | Analysis) -> pd.DataFrame:
    """The 4W matrix: agency x service x region x period, implementers only.

    One row per (agency, service, region, period) where the agency delivers the
    service: it ``SERVES`` a cohort present in the region with that service,
    ``IMPLEMENTS`` a programme with that service that ``TARGETS`` the region or
    a cohort present there (or ``SUPPORTS`` a facility sheltering one), or
    ``OPERATES`` a facility sheltering a cohort there (service ``shelter``).
    ``period`` is the year or span of years of the dates recorded
    (``SERVES`` ``since``/``last_seen``, programme ``start``/``end``, shelter
    ``as_of``) or ``"undated"``; an undated fact joins the dated periods of
    the same agency, service and region, and only makes an ``"undated"`` row
    when none is dated. ``records`` counts the underlying facts; ``sources``
    lists the documents behind them.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index is then used).

    Returns
    -------
    pandas.DataFrame
        One row per (agency, service, region, period), sorted by them; the
        columns name the agency, service, region (with its province and
        regency/city and their codes), period, dates, cohorts, how the service
        is given (``via``, ``through``), ``sources`` and ``records``.

    See Also
    --------
    coverage_gaps, graphmodel.export.hxl.write_4w_hxl

    References
    ----------
    .. [1] OCHA, "Who does What Where (3W/4W)" operational presence data: one
       row per organisation, sector (here a service), location and period.
    .. [2] Kemendagri's codes of provinces and regencies/cities, as shipped in
       ``graphmodel/data/idn-area-data`` (the region columns' codes).

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("medan", label="Region", name="Kota Medan", kind="city", code="12.71")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> G.add_node("iom", label="Agency", name="IOM Medan", kind="international_office", level="regency_city")
    >>> G.add_node("donor", label="Agency", name="Donor", kind="other", level="international")
    >>> G.add_node("p", label="Programme", name="Cash", services=["basic_needs_cash"])
    >>> ev = [{"source": "src-000", "quote": "bantuan uang tunai"}]
    >>> _ = G.add_edge("medan", "c", key="HOSTS_COHORT", type="HOSTS_COHORT", evidence=ev)
    >>> _ = G.add_edge("iom", "p", key="IMPLEMENTS", type="IMPLEMENTS", evidence=ev)
    >>> _ = G.add_edge("donor", "p", key="FUNDS", type="FUNDS", evidence=ev)
    >>> _ = G.add_edge("p", "c", key="TARGETS", type="TARGETS", evidence=ev)
    >>> coverage_matrix(G)[["agency", "service", "region", "period"]].values.tolist()
    [['iom', 'basic_needs_cash', 'medan', 'undated']]
    """
    ix = Analysis.of(G).index
    by_place: dict[tuple[str, str, str], list] = defaultdict(list)
    for p in ix.provisions:
        if p.delivers:
            for region in p.regions or ("",):
                by_place[(p.agency, p.service, region)].append(p)
    groups: dict[tuple[str, str, str, str], list] = defaultdict(list)
    for (agency, service, region), provs in by_place.items():
        dated = [p for p in provs if p.start or p.end]
        undated = [p for p in provs if not (p.start or p.end)]
        periods = sorted({period_label(p.start, p.end) for p in dated}) or ["undated"]
        for p in dated:
            groups[(agency, service, region, period_label(p.start, p.end))].append(p)
        for period in periods:  # an undated fact belongs to whichever period the place is known in
            groups[(agency, service, region, period)].extend(undated)
    rows = []
    for (agency, service, region, period), provs in sorted(groups.items()):
        adm1, adm2 = ix.admin_areas(region) if region else (None, None)
        starts = [d for p in provs for d in (p.start,) if d]
        ends = [d for p in provs for d in (p.end,) if d]
        cohorts = sorted({p.cohort for p in provs if p.cohort})
        # a tuple per row in MATRIX_COLUMNS order, not a dict: tens of thousands of rows of 20 fields, and
        # the dicts were most of the memory the frame took to build
        rows.append((
            agency,
            ix.name(agency),
            ix.attr(agency, "kind"),
            ix.attr(agency, "level"),
            service,
            region,
            ix.name(region) if region else "",
            ix.name(adm1) if adm1 else "",
            ix.attr(adm1, "code", "") if adm1 else "",
            ix.name(adm2) if adm2 else "",
            ix.attr(adm2, "code", "") if adm2 else "",
            period,
            min(starts) if starts else None,
            max(ends) if ends else None,
            "; ".join(cohorts),
            "; ".join(sorted({str(ix.attr(c, "cohort_type")) for c in cohorts})),
            "; ".join(sorted({p.via for p in provs})),
            "; ".join(sorted({p.through for p in provs if p.through})),
            "; ".join(sorted({e.source for p in provs for e in p.evidence})),
            len(provs),
        ))
    return pd.DataFrame(rows, columns=MATRIX_COLUMNS)


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True, slots=True)
class CoverageGap(Finding):
    """A needed service for a cohort in a region that nobody, one agency, or uncoordinated agencies deliver.

    ``kind`` is ``"no_provider"``, ``"single_provider"`` (a single point of
    failure) or ``"uncoordinated_overlap"`` (several providers, ``untied`` pairs
    of which have no recorded coordination tie). ``untied_pairs`` lists the
    first :data:`MAX_UNTIED_PAIRS` of those pairs in id order: a national
    service can have hundreds of providers, and every pair of them would grow
    with the square of that number. ``pending`` lists the planned or hoped
    provisions of the service to the cohort there: they never close the gap and
    are shown beside it.
    """

    kind: str
    cohort: str
    cohort_name: str
    cohort_type: str
    region: str
    region_name: str
    service: str
    step: int
    providers: tuple[str, ...]
    provider_names: tuple[str, ...]
    untied_pairs: tuple[tuple[str, str], ...]
    untied: int
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float
    pending: tuple[PendingActivity, ...] = ()
    sheltered_in: tuple[str, ...] = ()  # for shelter without provider: the facilities the cohort is recorded in


MAX_UNTIED_PAIRS = 20
"""Untied provider pairs listed per finding (``CoverageGap.untied`` counts them all)."""

MAX_NAMED = 10
"""Provider names spelled out in an explanation (``provider_names`` has them all)."""

_BASE_SCORE = {"no_provider": 0.85, "single_provider": 0.6, "uncoordinated_overlap": 0.5}


def coverage_gaps(G: nx.MultiDiGraph | Analysis, templates: PathwayTemplates | None = None) -> list[CoverageGap]:
    """Services a cohort needs that have no provider, one provider, or uncoordinated providers.

    For every cohort ``c`` present in region ``R`` and every service ``S`` of
    the pathway template for ``c``'s type, the providers are the agencies that
    deliver ``S`` to ``c`` there (as in :func:`coverage_matrix`; funders do not
    count). Then:

    * no provider -> ``no_provider``;
    * one provider -> ``single_provider`` (thin coverage: that agency is a
      single point of failure for the service);
    * several providers of which some pair shares no tie in the
      :func:`~graphmodel.analytics.network.coordination_network` ->
      ``uncoordinated_overlap`` (with the number of such pairs, and the
      first :data:`MAX_UNTIED_PAIRS` of them).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index and coordination network are then used).
    templates : PathwayTemplates, optional
        The services each cohort type needs (default: :func:`load_pathways`).

    Returns
    -------
    list of CoverageGap
        Ranked by ``score``: no provider first, then single provider, then
        overlap; within a kind larger cohorts first, then pathway order.

    See Also
    --------
    coverage_matrix, graphmodel.analytics.gaps.coordination_gaps

    References
    ----------
    .. [1] OCHA, "Who does What Where (3W/4W)" operational presence data.
    .. [2] The project's ``docs/pathways.md``, "Steps" and "Providers": the
       services each cohort type needs, and who counts as a provider.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> ev = [{"source": "src-002", "quote": "pengungsi di wilayah kota kupang"}]
    >>> _ = G.add_edge("kupang", "c", key="HOSTS_COHORT", type="HOSTS_COHORT", evidence=ev)
    >>> [(g.kind, g.service) for g in coverage_gaps(G)][:2]
    [('no_provider', 'identification_registration'), ('no_provider', 'status_determination')]
    """
    tpl = templates or load_pathways()
    A = Analysis.of(G)
    ix, H = A.index, A.network
    gaps: list[CoverageGap] = []
    untied_cache: dict[tuple[str, ...], tuple[int, tuple[tuple[str, str], ...]]] = {}
    has_pending = any(p.pending for p in ix.provisions)  # the usual case, none at all: no lookups
    names_cache: dict[tuple[str, ...], tuple[str, ...]] = {}
    for cohort in ix.cohorts():
        ctype = str(ix.attr(cohort, "cohort_type", ""))
        template = tpl.for_cohort_type(ctype)
        if template is None:
            continue
        size = ix.cohort_size(cohort)
        for region, presence_ev in ix.cohort_presence(cohort).items():
            # one lookup per (cohort, region), split by service, instead of one per pathway step
            by_service = ix.delivered_to(cohort, region)
            for step, service in enumerate(template.steps, start=1):
                provs = by_service.get(service.value, [])
                providers = tuple(sorted({p.agency for p in provs}))
                if len(providers) > 1 and providers not in untied_cache:
                    # national providers recur in every region: each set of providers is counted once
                    untied_cache[providers] = untied_provider_pairs(H, providers)
                untied = untied_cache.get(providers, (0, ()))
                if len(providers) > 1 and not untied[0]:
                    continue  # every pair of providers is tied: no gap
                names = names_cache.get(providers)
                if names is None:
                    names = names_cache[providers] = tuple(ix.name(a) for a in providers)
                prov_ev = dedupe(e for p in provs for e in p.evidence)
                pending = _pending(ix, cohort, region, service.value, has_pending) if len(providers) < 2 else ()
                sheltered = _sheltered_in(ix, cohort, region) if not providers and service.value == _SHELTER else ()
                gap = _coverage_gap(ix, cohort, ctype, region, service.value, step, providers, names, untied, presence_ev,
                                    prov_ev, size, pending, sheltered)
                if gap is not None:
                    gaps.append(gap)
    gaps.sort(key=lambda g: (-g.score, g.cohort, g.region, g.step))
    return gaps


def untied_provider_pairs(H: nx.Graph, providers: tuple[str, ...], listed: int = MAX_UNTIED_PAIRS) -> tuple[int, tuple[tuple[str, str], ...]]:
    """How many pairs of ``providers`` have no edge in ``H``, and the first ``listed`` of them in id order.

    Counted as all pairs minus the tied ones, and the tied ones by walking,
    for each provider, the shorter of its neighbours and the provider list, so
    the time grows with the ties, not with the square of the providers; only
    the providers whose partners are listed are paired off one by one.

    >>> H = nx.Graph([("a", "b")])
    >>> untied_provider_pairs(H, ("a", "b", "c"))
    (2, (('a', 'c'), ('b', 'c')))
    """
    providers = tuple(sorted(providers))
    position = {a: i for i, a in enumerate(providers)}
    n = len(providers)
    # NetworkX's own adjacency dicts: through the public view every membership test is a Python call,
    # and at national scale (hundreds of providers, hub agencies) these tests are most of coverage_gaps
    adj = H._adj
    total = 0
    pairs: list[tuple[str, str]] = []
    for i, a in enumerate(providers):
        nbrs = adj.get(a, {})
        if len(nbrs) < n - i:
            tied_after = sum(1 for b in nbrs if position.get(b, -1) > i)
        else:
            tied_after = sum(map(nbrs.__contains__, providers[i + 1:]))
        untied_after = n - i - 1 - tied_after
        total += untied_after
        if untied_after and len(pairs) < listed:
            pairs.extend((a, b) for b in providers[i + 1:] if b not in nbrs)
    return total, tuple(pairs[:listed])


def _pending(ix: GraphIndex, cohort: str, region: str, service: str, has_pending: bool) -> tuple[PendingActivity, ...]:
    if not has_pending:
        return ()
    # only plans for this cohort, or for this very place: a regency's plan is no plan for a whole country's cohort
    return pending_activity(
        ix, (p for p in ix.provisions_to(cohort, region, service) if p.cohort == cohort or region in p.regions)
    )


_SHELTER = "shelter"


def _sheltered_in(ix: GraphIndex, cohort: str, region: str) -> tuple[tuple[str, tuple[EvidenceRef, ...]], ...]:
    """Shelters (not detention houses) the cohort is reported in, in ``region``, with the quotes: who runs them may be unknown."""
    found = []
    related = ix.related_regions(region)
    for facility, d in ix.inn(cohort, "SHELTERS"):
        if ix.label(facility) != "Facility" or ix.attr(facility, "kind") == "detention_centre" or fact_status(d) not in ("reported", "inferred"):
            continue
        located = {r for r, _ in ix.out(facility, "LOCATED_IN")}
        if located and not (located & related):
            continue
        found.append((facility, evidence_of(d, f"SHELTERS {facility} -> {cohort}")))
    return tuple(found)


def _sentence(text: str) -> str:
    """``text`` with its first letter upper case (``str.capitalize`` would lower the rest, names included)."""
    return text[:1].upper() + text[1:]


def _named(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    more = len(names) - MAX_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _coverage_gap(
    ix: GraphIndex, cohort: str, ctype: str, region: str, service: str, step: int,
    providers: tuple[str, ...], names: tuple[str, ...], untied: tuple[int, tuple[tuple[str, str], ...]],
    presence_ev: tuple[EvidenceRef, ...], prov_ev: tuple[EvidenceRef, ...], size: int | None,
    pending: tuple[PendingActivity, ...] = (),
    sheltered: tuple[tuple[str, tuple[EvidenceRef, ...]], ...] = (),
) -> CoverageGap | None:
    cohort_name, region_name = ix.name(cohort), ix.name(region)
    # the region left out when the cohort's name already says it ("Refugees in Kota Kupang")
    where = cohort_name if region_name.casefold() in cohort_name.casefold() else f"{cohort_name} in {region_name}"
    count, listed = untied
    if not providers:
        kind = "no_provider"
        explanation = f"{service} is step {step} of the {ctype} pathway, but no agency is recorded delivering it to {where}."
        evidence = presence_ev
        if sheltered:
            # the people are recorded in shelters: what is missing is who runs or pays for them, not the shelter
            places = ", ".join(ix.name(f) for f, _ in sheltered)
            explanation = (
                f"{where} is recorded in shelters ({places}), but no agency is recorded running or paying for "
                f"them: who provides step {step} ({service}) of the {ctype} pathway is not recorded."
            )
            evidence = presence_ev + tuple(e for _, ev in sheltered for e in ev)
    elif len(providers) == 1:
        kind = "single_provider"
        explanation = (
            f"{names[0]} is the only recorded provider of {service} to {where}: "
            f"a single point of failure for step {step} of the {ctype} pathway."
        )
        evidence = presence_ev + prov_ev
    else:
        if not count:
            return None
        kind = "uncoordinated_overlap"
        n = len(providers)
        shown = "; ".join(f"{ix.name(a)} and {ix.name(b)}" for a, b in listed)
        if count == 1:
            which = f"this pair has no recorded coordination tie: {shown}"
        elif count <= len(listed):
            which = f"these {count} pairs have no recorded coordination tie: {shown}"
        else:
            which = f"{count:,} of their {n * (n - 1) // 2:,} pairs have no recorded coordination tie, among them {shown}"
        explanation = f"{n} agencies deliver {service} to {where} ({_named(names)}), but {which}."
        evidence = prov_ev
    if pending:
        explanation += (
            f" {_sentence('; '.join(p.phrase() for p in pending))}: not reported delivered, so it does not close the gap."
        )
        evidence = evidence + tuple(e for p in pending for e in p.evidence)
    score = _BASE_SCORE[kind] + (0.01 * min(math.log10(size), 5) / 5 if size else 0.0) - 0.0001 * step
    return CoverageGap(
        kind=kind, cohort=cohort, cohort_name=ix.name(cohort), cohort_type=ctype, region=region,
        region_name=ix.name(region), service=service, step=step, providers=providers, provider_names=names,
        untied_pairs=listed, untied=count, explanation=explanation, evidence=dedupe(evidence), score=round(score, 4),
        pending=pending, sheltered_in=tuple(f for f, _ in sheltered),
    )
