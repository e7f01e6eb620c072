"""Mandates as data, and mandate gaps: where the law expects an actor the graph does not link.

A *mandate* says that, under a legal instrument's article, agencies of some
kind at some administrative level (or one named actor, such as UNHCR) must
provide a service (a :class:`~graphmodel.schema.ServiceType` duty) to migrants
of a cohort type. The package ships them in ``graphmodel/data/mandates.yaml``,
each with its citation and an honest ``verified`` flag.

A *mandate gap* is a cohort present in a region, a mandate for its type, and
no matching agency with jurisdiction over that region linked to the cohort.

References
----------
.. [1] Peraturan Presiden No. 125 Tahun 2016 tentang Penanganan Pengungsi dari
   Luar Negeri.
.. [2] Undang-Undang No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran
   Indonesia; Peraturan Pemerintah No. 59 Tahun 2021.
.. [3] Undang-Undang No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana
   Perdagangan Orang; Perpres 69/2008 jo. Perpres 22/2021.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

import networkx as nx
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from graphmodel.analytics._index import EvidenceRef, Finding, GraphIndex, dedupe, evidence_of
from graphmodel.schema import AdminLevel, AgencyKind, CohortType, InstrumentKind, ServiceType
from graphmodel.seed import fold_name

__all__ = [
    "Mandate",
    "MandateGap",
    "MandateInstrument",
    "MandateSet",
    "parse_mandates",
    "load_mandates",
    "mandate_gaps",
    "mandates_table",
    "responsible_agencies",
]

_Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=2, max_length=80)]
_Text = Annotated[str, Field(min_length=1, max_length=2000)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class MandateInstrument(_Frozen):
    """A legal instrument that mandates rows cite."""

    id: _Slug
    short: _Text
    title: _Text
    kind: InstrumentKind
    number: _Text
    year: Annotated[int, Field(ge=1945, le=2100)]


class Mandate(_Frozen):
    """Who should provide which service to which cohort type, under which article.

    An agency is responsible under the mandate when its kind is one of
    ``agency_kinds`` (if any are given), its level one of ``levels`` (if any),
    and -- when ``actor_match`` is given -- one of its names, or those of an
    organisation it is part of, contains one of those phrases as whole words.
    """

    id: _Slug
    instrument: _Slug
    article: _Text
    duty: ServiceType
    cohort_types: tuple[CohortType, ...] = Field(min_length=1)
    responsible: _Text
    agency_kinds: tuple[AgencyKind, ...] = ()
    levels: tuple[AdminLevel, ...] = ()
    actor: _Text | None = None
    actor_match: tuple[_Text, ...] = ()
    citation: _Text
    verified: bool
    verification_note: _Text
    checked_sources: tuple[_Text, ...] = ()

    @model_validator(mode="after")
    def _says_who(self) -> "Mandate":
        if not self.agency_kinds and not self.actor_match:
            raise ValueError("a mandate names agency_kinds, an actor (actor_match), or both")
        if bool(self.actor) != bool(self.actor_match):
            raise ValueError("actor and actor_match go together")
        return self

    def matches_names(self, names: list[str]) -> bool:
        """Whether any folded name contains one of ``actor_match`` as whole words."""
        patterns = [fold_name(p) for p in self.actor_match]
        return any(f" {p} " in f" {n} " for p in patterns for n in names)


class MandateSet(_Frozen):
    """The instruments and the mandates citing them."""

    instruments: tuple[MandateInstrument, ...]
    mandates: tuple[Mandate, ...]

    @model_validator(mode="after")
    def _consistent(self) -> "MandateSet":
        ids = [i.id for i in self.instruments]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate instrument id")
        mids = [m.id for m in self.mandates]
        dupes = sorted({m for m in mids if mids.count(m) > 1})
        if dupes:
            raise ValueError(f"duplicate mandate id(s): {', '.join(dupes)}")
        unknown = sorted({m.instrument for m in self.mandates} - set(ids))
        if unknown:
            raise ValueError(f"mandates cite unknown instrument(s): {', '.join(unknown)}")
        return self

    def instrument(self, instrument_id: str) -> MandateInstrument:
        return next(i for i in self.instruments if i.id == instrument_id)

    def for_cohort_type(self, cohort_type: str) -> list[Mandate]:
        return [m for m in self.mandates if cohort_type in m.cohort_types]


def parse_mandates(data: Mapping[str, Any]) -> MandateSet:
    """Validate a mandates mapping (``{"instruments": [...], "mandates": [...]}``).

    Raises ``pydantic.ValidationError`` listing every problem.
    """
    return MandateSet.model_validate(data)


@lru_cache(maxsize=1)
def load_mandates() -> MandateSet:
    """The mandates shipped in ``graphmodel/data/mandates.yaml``.

    >>> ms = load_mandates()
    >>> m = next(m for m in ms.mandates if m.id == "perpres125-status-determination-unhcr")
    >>> (m.actor, m.duty.value, m.article, m.verified)
    ('UNHCR', 'status_determination', 'Pasal 1 angka 1', True)
    """
    text = (resources.files("graphmodel") / "data" / "mandates.yaml").read_text(encoding="utf-8")
    return parse_mandates(yaml.safe_load(text))


def mandates_table(mandates: MandateSet | None = None) -> pd.DataFrame:
    """The mandates as a table (one row per mandate, with its instrument's short name)."""
    ms = mandates or load_mandates()
    rows = []
    for m in ms.mandates:
        rows.append(
            {
                "id": m.id,
                "instrument": ms.instrument(m.instrument).short,
                "article": m.article,
                "duty": m.duty.value,
                "cohort_types": ", ".join(c.value for c in m.cohort_types),
                "responsible": m.responsible,
                "agency_kinds": ", ".join(k.value for k in m.agency_kinds),
                "levels": ", ".join(lv.value for lv in m.levels),
                "actor": m.actor or "",
                "verified": m.verified,
                "verification_note": m.verification_note,
                "citation": m.citation,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True, slots=True)
class MandateGap(Finding):
    """A cohort in a region with no linked agency that a mandate makes responsible.

    ``status`` is ``"no_actor_recorded"`` when the graph has no matching agency
    with jurisdiction over the region at all, and ``"actor_not_linked"`` when
    it has some (listed in ``candidates``) but none is linked to the cohort.
    """

    cohort: str
    cohort_name: str
    cohort_type: str
    region: str
    region_name: str
    mandate: str
    instrument: str
    article: str
    duty: str
    responsible: str
    actor: str
    status: str
    candidates: tuple[str, ...]
    verified: bool
    verification_note: str
    citation: str
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


def responsible_agencies(G: nx.MultiDiGraph, mandate: Mandate) -> list[str]:
    """Agencies in ``G`` that ``mandate`` makes responsible (kind, level and name rules; no region check).

    >>> from graphmodel.analytics.mandates import load_mandates
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("pemko", label="Agency", name="Pemko Medan", kind="regional_government", level="regency_city")
    >>> G.add_node("iom", label="Agency", name="IOM Indonesia", kind="international_office", level="national")
    >>> shelter = next(m for m in load_mandates().mandates if m.id == "perpres125-shelter-regency-city")
    >>> responsible_agencies(G, shelter)
    ['pemko']
    """
    return _responsible(GraphIndex(G), mandate)


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


class _Responsible:
    """The agencies a mandate makes responsible, indexed by the regions of their jurisdiction.

    ``in_region(R)`` equals ``[a for a in responsible if ix.covers(a, R)]``
    (same order), from the regions related to ``R`` instead of a test of
    every responsible agency for every cohort and region.
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
        found = set(self.everywhere)
        for r in self.ix.related_regions(region):
            found.update(self.by_region.get(r, ()))
        return sorted(found, key=self.position.__getitem__)


def _gap_score(status: str, verified: bool, size: int | None) -> float:
    base = 0.9 if status == "no_actor_recorded" else 0.8
    if not verified:
        base -= 0.05
    return round(base + (0.01 * min(math.log10(size), 5) / 5 if size else 0.0), 4)


def mandate_gaps(
    G: nx.MultiDiGraph, mandates: MandateSet | None = None, *, index: GraphIndex | None = None
) -> list[MandateGap]:
    """Mandate gaps: cohorts whose mandated actor is absent or not linked to them.

    For every migrant cohort ``c`` of type ``T`` present in region ``R``
    (``R -HOSTS_COHORT-> c``, or a facility ``LOCATED_IN R`` that ``SHELTERS``
    ``c``) and every mandate ``m`` whose cohort types include ``T``, let
    ``A(m, R)`` be the agencies that ``m`` makes responsible (kind, level, named
    actor) whose jurisdiction includes ``R``, a region above it or one inside it
    (``HAS_JURISDICTION`` and the region hierarchy; national agencies without a
    recorded jurisdiction count as nationwide). The pair is a gap when no agency
    of ``A(m, R)`` is *linked* to ``c``: it ``SERVES`` ``c``, ``FUNDS`` or
    ``IMPLEMENTS`` a programme that ``TARGETS`` ``c`` or its region, or
    ``OPERATES`` a facility that ``SHELTERS`` ``c``. A link for any service
    counts, since the mandate gap asks whether the mandated actor is involved
    at all; :func:`~graphmodel.analytics.coverage.coverage_gaps` asks about
    each service.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph (:func:`graphmodel.graph.build_graph`).
    mandates : MandateSet, optional
        Defaults to :func:`load_mandates` (the package's mandates).
    index : GraphIndex, optional
        The index of ``G`` when the caller has one.

    Returns
    -------
    list of MandateGap
        Ranked by ``score`` (no actor recorded before actor not linked;
        verified mandates first; larger cohorts first), then by cohort, region
        and mandate id. Each gap carries the mandate's citation and the
        evidence that the cohort is present in the region.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees in Kupang", cohort_type="foreign_refugees", size=171)
    >>> _ = G.add_edge("kupang", "c", key="HOSTS_COHORT", type="HOSTS_COHORT",
    ...            evidence=[{"source": "src-002", "quote": "pengungsi di wilayah kota kupang"}])
    >>> gaps = mandate_gaps(G)
    >>> [g.duty for g in gaps if g.actor == "UNHCR"]
    ['status_determination']
    >>> gaps[0].evidence[0].source
    'src-002'

    References
    ----------
    .. [1] Perpres 125/2016 Pasal 1 angka 1 (status from the UN through UNHCR).
    """
    ms = mandates or load_mandates()
    ix = index if index is not None else GraphIndex(G)
    gaps: list[MandateGap] = []
    responsible = {m.id: _Responsible(ix, _responsible(ix, m)) for m in ms.mandates}
    for cohort in ix.cohorts():
        ctype = str(ix.attr(cohort, "cohort_type", ""))
        cohort_ev = evidence_of(G.nodes[cohort], f"cohort {cohort}")
        for region, presence_ev in ix.cohort_presence(cohort).items():
            # linked = reached by one of the agency's provisions: the agencies of provisions_to(cohort, region)
            linked = ix.agencies_reaching(cohort, region)
            for m in ms.for_cohort_type(ctype):
                with_jurisdiction = responsible[m.id].in_region(region)
                if any(a in linked for a in with_jurisdiction):
                    continue
                status = "actor_not_linked" if with_jurisdiction else "no_actor_recorded"
                gaps.append(_make_gap(ix, ms, m, cohort, ctype, region, status, with_jurisdiction, presence_ev + cohort_ev))
    gaps.sort(key=lambda g: (-g.score, g.cohort, g.region, g.mandate))
    return gaps


def _make_gap(
    ix: GraphIndex, ms: MandateSet, m: Mandate, cohort: str, ctype: str, region: str, status: str,
    candidates: list[str], evidence: tuple[EvidenceRef, ...],
) -> MandateGap:
    instrument = ms.instrument(m.instrument)
    who = m.actor or m.responsible
    cohort_name, region_name = ix.name(cohort), ix.name(region)
    if status == "no_actor_recorded":
        reason = f"the graph records no {who} with jurisdiction over {region_name}"
    else:
        names = ", ".join(ix.name(a) for a in candidates)
        verb = "has" if len(candidates) == 1 else "have"
        reason = (
            f"{names} {verb} jurisdiction over {region_name} but no recorded link to the cohort "
            "(SERVES, a programme targeting it or its region, or a facility sheltering it)"
        )
    check = "Mandate verified in the text." if m.verified else "Mandate not verified: " + m.verification_note
    explanation = (
        f"{instrument.short} {m.article} expects {m.responsible} to provide {m.duty.value} to {ctype} cohorts. "
        f"{cohort_name} is present in {region_name}, but {reason}. {check}"
    )
    juris_ev = tuple(e for a in candidates for e in ix.jurisdiction(a).evidence)
    return MandateGap(
        cohort=cohort,
        cohort_name=cohort_name,
        cohort_type=ctype,
        region=region,
        region_name=region_name,
        mandate=m.id,
        instrument=instrument.short,
        article=m.article,
        duty=m.duty.value,
        responsible=m.responsible,
        actor=m.actor or "",
        status=status,
        candidates=tuple(candidates),
        verified=m.verified,
        verification_note=m.verification_note,
        citation=m.citation,
        explanation=explanation,
        evidence=dedupe(evidence + juris_ev),
        score=_gap_score(status, m.verified, ix.cohort_size(cohort)),
    )

