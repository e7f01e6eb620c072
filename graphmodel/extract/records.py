"""From mentions to proposed seed records: nodes, relationships, their evidence and draft notes.

Each proposed record is a seed record (the fields of :mod:`graphmodel.model.schema`)
plus a ``draft`` mapping the reviewer reads and merge strips::

    draft:
      status: proposed        # proposed | accepted | rejected
      confidence: 0.85
      rule: agency:rudenim
      offsets: [412, 489]     # the first evidence quote in the source text
      mention: [430, 452]     # what the rule matched
      match: null             # an existing seed id this record attaches to
      note: ...

A record that matches an existing node keeps that node's id and name and
carries only new evidence (and new spellings as aliases): merge adds those to
the existing node and changes nothing else about it.

The builder's cost is linear in the article's length: mentions, sentences,
regions and dates are in text order, so "what lies in this sentence" is a
bisection, and what a meeting or a cohort needs of the others is indexed
once, not searched for each of them.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphmodel.extract.articles import Article
from graphmodel.extract.dates import DateMention
from graphmodel.extract.gazetteer import Gazetteer
from graphmodel.extract.numbers import CountMention
from graphmodel.extract.resolve import PmiReading, Resolution, Resolver, normalise_name
from graphmodel.extract.rules import KNOWN_TITLES, AgencyMention, InstrumentMention, Mentions
from graphmodel.extract.status import StatusReading, activity_status, clause_of, goes_further
from graphmodel.extract.text import Segment, paragraphs, quote_span, slugify
from graphmodel.model.regions import official_regions
from graphmodel.model.schema import (
    ACTIVITY_RELS,
    ActivityStatus,
    AdminLevel,
    Agency,
    AgencyKind,
    CohortType,
    Facility,
    FacilityKind,
    LegalInstrument,
    Meeting,
    MeetingKind,
    MigrantCohort,
    NodeLabel,
    Programme,
    Region,
    RegionKind,
    RelType,
    ServiceType,
    Source,
    SourceKind,
)
from graphmodel.util.text import fold_name, fold_space

if TYPE_CHECKING:  # pragma: no cover
    from graphmodel.seed import Dataset

__all__ = ["DraftRecord", "DocumentExtraction", "build_document", "NODE_FILE_OF", "AgencyEntity"]

NODE_FILE_OF: dict[NodeLabel, str] = {
    NodeLabel.SOURCE: "sources.yaml",
    NodeLabel.REGION: "regions.yaml",
    NodeLabel.AGENCY: "agencies.yaml",
    NodeLabel.MEETING: "meetings.yaml",
    NodeLabel.PROGRAMME: "programmes.yaml",
    NodeLabel.MIGRANT_COHORT: "cohorts.yaml",
    NodeLabel.FACILITY: "facilities.yaml",
    NodeLabel.LEGAL_INSTRUMENT: "instruments.yaml",
}


@dataclass
class DraftRecord:
    """One proposed record: the seed fields, and the draft mapping about it."""

    label: NodeLabel | None  # None for a relationship
    data: dict[str, Any]
    draft: dict[str, Any]

    @property
    def id(self) -> str | None:
        return self.data.get("id")

    def key(self) -> tuple:
        if self.label is None:
            qual = self.data.get("service") or self.data.get("duty") or ""
            return (self.data["type"], self.data["from"], self.data["to"], qual)
        return (self.label, self.data["id"])


@dataclass
class AgencyEntity:
    """One agency named (perhaps several times) in a document."""

    mentions: list[AgencyMention]
    resolution: Resolution
    canonical: str
    aliases: list[str]
    kind: AgencyKind
    level: AdminLevel
    region: str | None
    acronym: str | None
    id: str = ""

    @property
    def first(self) -> AgencyMention:
        return self.mentions[0]

    @property
    def confidence(self) -> float:
        return max(m.confidence for m in self.mentions)

    @property
    def rule(self) -> str:
        return max(self.mentions, key=lambda m: m.confidence).rule

    def names(self) -> set[str]:
        """Folded names this agency goes by (for evaluation)."""
        return {fold_name(n) for n in (self.canonical, *self.aliases, self.acronym or "", self.id) if n}


@dataclass
class DocumentExtraction:
    """What was extracted from one article."""

    article: Article
    source_id: str
    source_match: str | None
    mentions: Mentions
    agencies: list[AgencyEntity] = field(default_factory=list)
    records: list[DraftRecord] = field(default_factory=list)
    relationships: list[DraftRecord] = field(default_factory=list)
    reference_date: dt.date | None = None

    @property
    def region_codes(self) -> list[str]:
        return sorted({r.code for r in self.mentions.regions})


# --------------------------------------------------------------------------- helpers

_REFUGEE = re.compile(r"\b(?:pengungsi|imigran|pencari\s+suaka|orang\s+asing|WNA|warga\s+negara\s+asing|refugees?|asylum|Rohingya)\b", re.I)
_TRAFFICKING = re.compile(r"\b(?:korban\s+(?:tindak\s+pidana\s+)?perdagangan\s+(?:orang|manusia)|korban\s+TPPO|KPO|WNI[- ]?M\s*KPO|trafficking)\b", re.I)
_NONPROC = re.compile(r"\b(?:PMI[- ]NP|non[- ]?prosedural|nonprosedural|unprosedural|tidak\s+(?:resmi|prosedural)|ilegal|illegal|irregular)\b", re.I)
_MIGRANT = re.compile(r"\b(?:pekerja\s+migran|CPMI|TKI|TKW|buruh\s+migran|tenaga\s+kerja\s+indonesia)\b|\bPMI\b", re.I)
# matched at an offset (pattern.match(text, pos)), not on a slice that would copy the rest of the text
_SUBCOUNT = re.compile(r"\s*(?:orang\s+)?(?:\w+\s+){0,2}?(?:di\s?antaranya|lagi|lainnya|sisanya)\b", re.I)
_ITEM_UNIT = re.compile(r"[\w -]{0,40}?(?=\s+(?:untuk|kepada|bagi|ke|yang|dan)\b|[,.;]|$)")
_UNDER = re.compile(r"\s+di\s+bawah\s+")
_NOT_COHORT_AFTER = re.compile(r"\s*(?:orang\s+)?(?:tersangka|pelaku|petugas|anggota|personel|staf|pegawai|relawan|perekrut|calo)\b", re.I)
_COOPERATION = re.compile(r"\b(?:bekerja\s*sama|kerja\s*sama|kerjasama|bermitra|mitra|kemitraan|berkolaborasi|kolaborasi|menggandeng|gandeng|berkoordinasi|sinergi)\b", re.I)
_AID = re.compile(r"\b(?:bantuan|santunan|biaya\s+hidup|uang\s+tunai|tunjangan|uang\s+saku|cash)\b", re.I)
_AID_VERB = re.compile(r"\b(?:menyerahkan|memberikan|membagikan|mengirimkan|menyalurkan|mendistribusikan|bantuan|diserahkan|dibagikan)\b", re.I)
_ONLINE = re.compile(r"\b(?:daring|virtual|online|zoom|video\s*conference|telekonferensi|vicon)\b", re.I)
_HYBRID = re.compile(r"\b(?:hybrid|hibrid(?:a)?)\b", re.I)
_MEETING_KINDS: list[tuple[re.Pattern, MeetingKind, str]] = [
    (re.compile(r"\b(?:rapat\s+koordinasi|rakor|coordination\s+meeting|FGD|focus\s+group\s+discussion|lokakarya|workshop|rapat\s+kerja|rakernis|rakerda)\b", re.I), MeetingKind.COORDINATION_MEETING, "rakor"),
    (re.compile(r"\baudiensi\b", re.I), MeetingKind.AUDIENCE, "audience"),
    (re.compile(r"\b(?:kunjungan(?:\s+kerja)?|berkunjung|mengunjungi|kunker)\b", re.I), MeetingKind.VISIT, "visit"),
    (re.compile(r"\b(?:penyerahan|serah\s+terima)\b", re.I), MeetingKind.HANDOVER, "handover"),
    (re.compile(r"\b(?:jumpa\s+pers|konferensi\s+pers|press\s+conference)\b", re.I), MeetingKind.PRESS_CONFERENCE, "press"),
    (re.compile(r"\b(?:pertemuan(?:nya)?|bertemu)\b", re.I), MeetingKind.AUDIENCE, "meeting"),
    (re.compile(r"\brapat\b", re.I), MeetingKind.COORDINATION_MEETING, "rapat"),
]
_MEETING_TITLE = {
    MeetingKind.COORDINATION_MEETING: "Coordination meeting", MeetingKind.AUDIENCE: "Audience",
    MeetingKind.VISIT: "Visit", MeetingKind.HANDOVER: "Handover", MeetingKind.PRESS_CONFERENCE: "Press conference",
}
_BACKREF = re.compile(r"\b(?:tersebut|ini|itu)\b", re.I)
_VENUE = re.compile(
    r"\bdi\s+(?P<v>(?:Aula|Balai|[Rr]uang(?:an)?|Kantor|[Kk]antor|Gedung|Hotel|Pendopo|Rumah\s+(?:Dinas|Jabatan|Detensi)|"
    r"Kompleks?|Komplek|Kementerian|Mapolda|Mapolres\w*|Mako\w*|Wisma|Hall|Lapangan|Halaman|Pelabuhan|Bandara|Markas|"
    r"Gubernuran|Rujab|Rudenim|Lobby|Lobi|Graha|Sekretariat)\b[^,.;()“”\"]*?)"
    r"(?=\s*[,.;(“”\"]|\s+(?:pada|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|yang|untuk|dengan|dan|kemarin|menjelaskan|mengatakan|dihadiri)\b|$)"
)
_TOPIC = re.compile(r"\b(?:terkait|membahas|mengenai|tentang|untuk membahas)\s+(?P<t>[^.;“”\"]{10,140}?)(?=\s+(?:yang\s+digelar|yang\s+dilaksanakan|di\s+[A-Z])|[.;,]|$)")
_HOST_VERB = re.compile(r"\b(?:menggelar|mengadakan|menyelenggarakan|menerima\s+(?:audiensi|kunjungan)|mendapatkan\s+kunjungan|menjamu|memimpin)\b", re.I)
_VISIT_FROM = re.compile(r"\b(?:kunjungan\s+(?:kerja\s+)?dari|audiensi|berkunjung\s+ke)\b", re.I)
_SPEAKER = re.compile(r"\b(?:narasumber|sambutan(?:nya)?|pemaparan|paparan|pembicara)\b", re.I)
_SERVICE_CUES: list[tuple[re.Pattern, ServiceType]] = [
    (re.compile(r"\bpengawasan\b", re.I), ServiceType.IMMIGRATION_SUPERVISION),
    (re.compile(r"\bpenentuan\s+status|status\s+pengungsi\b", re.I), ServiceType.STATUS_DETERMINATION),
    (re.compile(r"\bpsikososial|konseling\b", re.I), ServiceType.PSYCHOSOCIAL),
    (re.compile(r"\b(?:pemeriksaan|layanan|pelayanan)\s+kesehatan|tenaga\s+medis|pengobatan\b", re.I), ServiceType.HEALTH),
    (re.compile(r"\bnegara\s+ketiga|resettlement|pemukiman\s+kembali\b", re.I), ServiceType.REPATRIATION_RESETTLEMENT),
    (re.compile(r"\bbantuan\s+hukum|pendampingan\s+hukum\b", re.I), ServiceType.LEGAL_AID_DOCUMENTATION),
    (re.compile(r"\bpendataan|didata|registrasi|identifikasi\b", re.I), ServiceType.IDENTIFICATION_REGISTRATION),
    (re.compile(r"\bmenggagalkan|tersangka|penyidikan|diamankan|ditangkap\b", re.I), ServiceType.LAW_ENFORCEMENT),
    (re.compile(r"\bbiaya\s+hidup|uang\s+tunai|santunan|sembako\b", re.I), ServiceType.BASIC_NEEDS_CASH),
    (re.compile(r"\bdipulangkan|pemulangan|repatriasi\b", re.I), ServiceType.SAFE_RETURN),
    (re.compile(r"\bditampung|menampung\b", re.I), ServiceType.SHELTER),
]
_SERVICE_AGENCY_KINDS: dict[ServiceType, set[AgencyKind]] = {
    ServiceType.IMMIGRATION_SUPERVISION: {AgencyKind.DETENTION_CENTRE, AgencyKind.IMMIGRATION_OFFICE,
                                          AgencyKind.DIRECTORATE_GENERAL, AgencyKind.DIRECTORATE},
    ServiceType.LAW_ENFORCEMENT: {AgencyKind.POLICE, AgencyKind.DIRECTORATE, AgencyKind.TASK_FORCE},
    ServiceType.STATUS_DETERMINATION: {AgencyKind.INTERNATIONAL_ORGANISATION, AgencyKind.INTERNATIONAL_OFFICE},
}
"""Who can provide a service: a cue like 'pengawasan' is credited only to agencies of these kinds."""
_COHORT_SHORT = {
    CohortType.FOREIGN_REFUGEES: "refugees", CohortType.INDONESIAN_MIGRANT_WORKERS: "pmi",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "pmi-np", CohortType.TRAFFICKING_VICTIMS: "tppo",
}


_NAMED_OPERATOR = StatusReading(ActivityStatus.REPORTED, "", why="the text names the operator with the facility "
                                "(its name, or 'di bawah'), whatever the sentence says of the people in it")
"""OPERATES read from a facility's name: the operator is a fact of the name, not of the sentence's verb."""
_STRUCTURE = StatusReading(ActivityStatus.INFERRED, "", why="structural knowledge, not stated in the text")
"""PART_OF from the administrative structure (a Rudenim in Ditjen Imigrasi): the curator's inference."""


def _evidence(source_id: str, text: str, start: int, end: int) -> dict[str, str]:
    return {"source": source_id, "quote": fold_space(text[start:end])}


class _Ids:
    """Fresh ids that collide neither with the seed nor with each other."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)
        self._next: dict[str, int] = {}  # wanted -> the suffix to try next (those before it are taken)

    def new(self, wanted: str) -> str:
        wanted = slugify(wanted, 70)
        if len(wanted) < 2:
            wanted = f"x-{wanted}"
        n = self._next.get(wanted, 1)
        candidate = wanted if n == 1 else f"{wanted}-{n}"
        n = max(n, 2)
        while candidate in self.taken:
            candidate = f"{wanted}-{n}"
            n += 1
        self._next[wanted] = n
        self.taken.add(candidate)
        return candidate


# --------------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, article: Article, mentions: Mentions, dataset: Dataset | None, gaz: Gazetteer,
                 source_id: str, source_match: str | None, ids: _Ids):
        self.article, self.m, self.ds, self.gaz = article, mentions, dataset, gaz
        self.text = mentions.text
        self.src = source_id
        self.source_match = source_match
        self.ids = ids
        self.records: list[DraftRecord] = []
        self.rels: dict[tuple, DraftRecord] = {}
        self.paras = paragraphs(self.text)
        stated = [d for d in mentions.dates if d.basis == "stated"]
        self.reference_date = article.date or (max(d.date for d in stated) if stated else None)
        self.region_ids: dict[str, str] = {}
        self.cohorts: list[tuple[str, CohortType, dict]] = []  # (id, type, info)
        self.entities: list[AgencyEntity] = []
        self.found_programmes: list[tuple[str, int, set[str]]] = []  # (id, sentence start, cohort types)
        self.instrument_ids: dict[str, str] = {}
        self.meetings: list[dict] = []
        # mentions are in text order: the lookups by place below bisect these
        self.para_starts = [p.start for p in self.paras]
        self.region_starts = [r.start for r in mentions.regions]
        self.date_starts = [d.start for d in mentions.dates]
        self.pmi_at: dict[int, PmiReading] = {}
        for p in mentions.pmi:
            self.pmi_at.setdefault(p.start, p.reading)
        self.seed_pairs = ({(r.source_node, r.type, r.target_node) for r in dataset.relationships}
                           if dataset is not None else set())
        self.resolver: Resolver | None = None
        self.resolved: dict[tuple[str, ...], Resolution] = {}
        self.found_agencies: dict[tuple[str, ...], str | None] = {}

    # ------------------------------------------------------------------ basics

    def sentence(self, pos: int) -> Segment:
        return self.m.sentence_of(pos)

    def paragraph(self, pos: int) -> Segment:
        """The paragraph holding ``pos``."""
        i = bisect_right(self.para_starts, pos) - 1
        if i >= 0 and pos < self.paras[i].end:
            return self.paras[i]
        return next(p for p in self.paras if p.start <= pos < p.end)  # not in one: fails as a scan would

    def regions_between(self, start: int, end: int) -> list:
        """Region mentions starting in [start, end), in text order."""
        return self.m.regions[bisect_left(self.region_starts, start):bisect_left(self.region_starts, end)]

    def dates_between(self, start: int, end: int) -> list[DateMention]:
        """Dates starting in [start, end), in text order."""
        return self.m.dates[bisect_left(self.date_starts, start):bisect_left(self.date_starts, end)]

    def pmi_reading_at(self, pos: int) -> PmiReading | None:
        """How the "PMI" starting at ``pos`` reads (None if none starts there)."""
        return self.pmi_at.get(pos)

    def quote(self, start: int, end: int) -> tuple[int, int]:
        return quote_span(self.text, self.sentence(start), start, end)

    def add_node(self, label: NodeLabel, data: dict, *, rule: str, confidence: float, span: tuple[int, int],
                 match: str | None = None, note: str | None = None, candidates=(), status: str = "proposed") -> DraftRecord:
        qs, qe = self.quote(*span)
        ev0 = _evidence(self.src, self.text, qs, qe)
        if "evidence" not in data:
            data["evidence"] = [ev0]
        elif label is not NodeLabel.REGION:
            # the first quote is the one the offsets point at
            rest = [ev for ev in data["evidence"] if ev != ev0]
            data["evidence"] = [ev0, *rest][: max(3, len(data["evidence"]))]
        draft = {"status": status, "confidence": round(confidence, 2), "rule": rule, "offsets": [qs, qe],
                 "mention": [span[0], span[1]], "match": match, "note": note}
        if candidates:
            draft["candidates"] = [{"id": i, "score": s} for i, s in candidates[:5]]
        rec = DraftRecord(label, data, draft)
        self.records.append(rec)
        return rec

    def status_of(self, rtype: RelType, span: tuple[int, int]) -> StatusReading | None:
        """The status an activity relationship triggered at ``span`` proposes, read from its clause (None: not one)."""
        if rtype not in ACTIVITY_RELS:
            return None
        seg = self.sentence(span[0])
        return activity_status(self.text[seg.start:seg.end], (span[0] - seg.start, span[1] - seg.start))

    def add_rel(self, rtype: RelType, src: str, dst: str, span: tuple[int, int], *, rule: str, confidence: float,
                note: str | None = None, quote_span_: tuple[int, int] | None = None,
                reading: StatusReading | None = None, **fields: Any) -> None:
        if not src or not dst or src == dst:
            return
        reading = reading or self.status_of(rtype, span)
        if reading is not None and reading.status is None:
            # the sentence says it did not happen (or was refused): no relationship, only a line to check
            seg = self.sentence(span[0])
            flag = (f"{rtype.value} {src} -> {dst} not proposed: negated by '{reading.cue}' in "
                    f"\"{fold_space(self.text[seg.start:seg.end])[:160]}\"")
            if flag not in self.m.flags:
                self.m.flags.append(flag)
            return
        if rtype is RelType.COOPERATES_WITH:
            # symmetric: keep one direction, the seed's when it already has the pair
            reverse = (dst, rtype.value, src, "")
            seed_has_reverse = reverse[:3] in self.seed_pairs
            if seed_has_reverse or (rtype.value, dst, src, "") in self.rels:
                src, dst = dst, src
        qs, qe = quote_span_ or self.quote(*span)
        data: dict[str, Any] = {"type": rtype.value, "from": src, "to": dst}
        if reading is not None:
            data["status"] = reading.status.value
        data.update({k: v for k, v in fields.items() if v is not None})
        ev = _evidence(self.src, self.text, qs, qe)
        rec = DraftRecord(None, data, {"status": "proposed", "confidence": round(confidence, 2), "rule": rule,
                                      "offsets": [qs, qe], "mention": [span[0], span[1]], "match": None, "note": note})
        if reading is not None:
            # the cue that decided the status: in the seed record's notes (it stays after merge) and for review
            data["notes"] = reading.note
            rec.draft["cue"] = reading.cue
        key = rec.key()
        if key in self.rels:
            old = self.rels[key]
            if reading is not None and goes_further(data["status"], old.data.get("status")):
                # a later quote says more ("telah" after "akan"): it leads, and its status holds
                old.data["status"], old.data["notes"] = data["status"], data["notes"]
                old.draft.update(offsets=[qs, qe], mention=[span[0], span[1]], cue=reading.cue)
                old.data["evidence"] = [ev, *(e for e in old.data["evidence"] if e != ev)][:3]
                return
            if ev not in old.data["evidence"] and len(old.data["evidence"]) < 3:
                old.data["evidence"].append(ev)
            return
        data["evidence"] = [ev]
        if "notes" in data:
            data["notes"] = data.pop("notes")  # after the evidence, as in the seed's files
        self.rels[key] = rec

    def seed_node(self, node_id: str):
        return self.ds.nodes.get(node_id) if self.ds is not None else None

    # ------------------------------------------------------------------ regions

    def regions(self) -> None:
        by_code: dict[str, list] = defaultdict(list)
        for r in self.m.regions:
            by_code[r.code].append(r)
        seed_by_code = {}
        country = "indonesia"
        ref_sources = {"province": "idn-area-provinces", "regency": "idn-area-regencies"}
        if self.ds is not None:
            for n in self.ds.nodes.values():
                if isinstance(n, Region):
                    if n.code:
                        seed_by_code[n.code] = n.id
                    elif n.kind is RegionKind.COUNTRY and fold_name(n.name) == "indonesia":
                        country = n.id
                if isinstance(n, Source) and n.kind is SourceKind.REFERENCE_DATASET:
                    if n.path.endswith("provinces.csv"):
                        ref_sources["province"] = n.id
                    elif n.path.endswith("regencies.csv"):
                        ref_sources["regency"] = n.id
        needed = dict(by_code)
        for code in list(by_code):
            prov = code.split(".")[0]
            if "." in code and prov not in needed and prov not in seed_by_code:
                needed[prov] = []
        official = official_regions()
        for code in sorted(needed, key=lambda c: (len(c), c)):
            entry = self.gaz.regions[code]
            mentions = needed[code]
            span = (mentions[0].start, mentions[0].end) if mentions else None
            notes = "; ".join(dict.fromkeys(m.note for m in mentions if m.note)) or None
            if code in seed_by_code:
                rid = seed_by_code[code]
                self.region_ids[code] = rid
                node = self.seed_node(rid)
                printed = sorted({m.text for m in mentions if not m.text.isupper()} - {node.name, *node.aliases}
                                 - {a for a in {m.text for m in mentions} if fold_name(a) in {fold_name(x) for x in (node.name, *node.aliases)}})
                data = {"id": rid, "name": node.name}
                if printed:
                    data["aliases"] = printed
                self.add_node(NodeLabel.REGION, data, rule=mentions[0].rule, confidence=max(m.confidence for m in mentions),
                              span=span, match=rid, note=notes)
                continue
            prefix = {RegionKind.PROVINCE: "prov", RegionKind.CITY: "kota", RegionKind.REGENCY: "kab"}[entry.kind]
            rid = self.ids.new(f"{prefix}-{entry.base if entry.kind is not RegionKind.PROVINCE else entry.name}")
            self.region_ids[code] = rid
            parent = country if entry.kind is RegionKind.PROVINCE else self.region_ids.get(entry.province) or seed_by_code.get(entry.province)
            ref = official[code]
            evidence = [{"source": ref_sources["province" if entry.kind is RegionKind.PROVINCE else "regency"], "quote": ref.csv_row}]
            aliases = sorted({m.text for m in mentions if not m.text.isupper() and m.text != entry.name
                              and fold_name(m.text) != fold_name(entry.name)})
            data = {"id": rid, "name": entry.name}
            if aliases:
                data["aliases"] = aliases
            data.update({"kind": entry.kind.value, "code": code, "parent": parent, "evidence": evidence})
            if mentions:
                qs, qe = self.quote(*span)
                evidence.append(_evidence(self.src, self.text, qs, qe))
                self.add_node(NodeLabel.REGION, data, rule=mentions[0].rule, confidence=max(m.confidence for m in mentions),
                              span=span, note=notes)
            else:
                child = next(c for c in by_code if c.startswith(code + "."))
                cm = by_code[child][0]
                self.add_node(NodeLabel.REGION, data, rule="region:parent", confidence=0.9, span=(cm.start, cm.end),
                              note=f"not named in the text: the province of {self.gaz.regions[child].name}, needed as its parent")

    # ------------------------------------------------------------------ agencies

    def resolve(self, names: tuple[str, ...]) -> Resolution:
        """The resolver's answer for ``names``, asked once per spelling (an agency is named again and again)."""
        if self.resolver is None:
            self.resolver = Resolver(self.ds, self.gaz)
        if names not in self.resolved:
            self.resolved[names] = self.resolver.resolve(list(names))
        return self.resolved[names]

    def agencies(self) -> None:
        groups: dict[str, list[tuple[AgencyMention, Resolution]]] = defaultdict(list)
        for mention in self.m.agencies:
            if len(mention.seed_ids) == 1:
                res = Resolution(mention.seed_ids[0], "exact")
            else:
                res = self.resolve((mention.canonical, *mention.aliases, mention.text))
            key = res.match or "new:" + normalise_name(mention.canonical, self.gaz)
            groups[key].append((mention, res))
        for key, items in groups.items():
            mentions = [m for m, _ in items]
            res = next((r for _, r in items if r.match), None) or max((r for _, r in items), key=lambda r: len(r.candidates))
            best = max(mentions, key=lambda m: (m.kind is not AgencyKind.OTHER, m.rule != "agency:office-holder", m.confidence))
            region = Counter(m.region for m in mentions if m.region).most_common(1)
            acronym = next((m.acronym for m in mentions if m.acronym), None)
            aliases: list[str] = []
            for m in mentions:
                for a in (m.canonical, *m.aliases):
                    if a and a not in aliases and fold_name(a) != fold_name(best.canonical):
                        aliases.append(a)
            ent = AgencyEntity(mentions, res, best.canonical, aliases, best.kind, best.level,
                               region[0][0] if region else None, acronym)
            if res.match:
                ent.id = res.match
                node = self.seed_node(res.match)
                if node is not None:
                    ent.canonical = node.name
                    ent.kind, ent.level = node.kind, node.level
                    ent.acronym = node.acronym or ent.acronym
            self.entities.append(ent)
        self.entities.sort(key=lambda e: e.first.start)
        for ent in self.entities:
            m0 = ent.first
            notes = [n for n in dict.fromkeys(m.note for m in ent.mentions) if n]
            if ent.resolution.note:
                notes.insert(0, ent.resolution.note)
            if ent.id:
                node = self.seed_node(ent.id)
                known = {fold_name(x) for x in (node.name, *node.aliases, node.acronym or "", node.id)}
                new_aliases = []
                for m in ent.mentions:
                    if m.rule in ("agency:office-holder",) or m.nested:
                        continue
                    printed = re.sub(r"\s+", " ", m.text).strip()
                    if fold_name(printed) not in known and printed not in new_aliases and len(printed) >= 3:
                        new_aliases.append(printed)
                data = {"id": ent.id, "name": node.name}
                if new_aliases:
                    data["aliases"] = new_aliases
                data["evidence"] = self._mention_evidence(ent.mentions)
                self.add_node(NodeLabel.AGENCY, data, rule=ent.rule, confidence=ent.confidence, span=(m0.start, m0.end),
                              match=ent.id, note="; ".join(notes) or None)
                continue
            ent.id = self.ids.new(self._agency_slug(ent))
            data = {"id": ent.id, "name": ent.canonical}
            if ent.aliases:
                data["aliases"] = ent.aliases
            data.update({"kind": ent.kind.value, "level": ent.level.value})
            if ent.acronym:
                data["acronym"] = ent.acronym
            data["evidence"] = self._mention_evidence(ent.mentions)
            if ent.region:
                data["notes"] = f"Jurisdiction read from the name: {self.gaz.regions[ent.region].name} ({ent.region})."
            self.add_node(NodeLabel.AGENCY, data, rule=ent.rule, confidence=ent.confidence if not ent.resolution.candidates else 0.6,
                          span=(m0.start, m0.end), note="; ".join(notes) or "new agency", candidates=ent.resolution.candidates)
        self._index_entities()

    def _index_entities(self) -> None:
        """Where each agency is mentioned, sorted by place, for the lookups by place below."""
        rows = sorted((m.start, i, m.nested) for i, ent in enumerate(self.entities) for m in ent.mentions)
        self.mention_rows = rows
        self.mention_starts = [r[0] for r in rows]
        plain = sorted((m.start, m.end, i) for i, ent in enumerate(self.entities) for m in ent.mentions if not m.nested)
        self.plain_rows = plain  # mentions not inside another's name do not overlap
        self.plain_starts = [r[0] for r in plain]
        self.entity_of = {id(m): ent for ent in reversed(self.entities) for m in ent.mentions}
        self.paragraph_firsts: dict[int, list[tuple[int, AgencyEntity]]] = {}
        self.starts_of: dict[int, tuple[list[int], list[int]]] = {}  # id(entity) -> (all starts, plain starts)
        self.mentions_by_start: dict[int, list[AgencyMention]] = {}
        for ent in self.entities:
            ordered = sorted(ent.mentions, key=lambda m: m.start)
            self.starts_of[id(ent)] = ([m.start for m in ordered], [m.start for m in ordered if not m.nested])
            self.mentions_by_start[id(ent)] = ordered

    def _mention_evidence(self, mentions: list[AgencyMention]) -> list[dict]:
        out: list[dict] = []
        for m in mentions:
            qs, qe = self.quote(m.start, m.end)
            ev = _evidence(self.src, self.text, qs, qe)
            if ev not in out:
                out.append(ev)
            if len(out) == 2:
                break
        return out

    def _agency_slug(self, ent: AgencyEntity) -> str:
        reg = self.gaz.regions.get(ent.region) if ent.region else None
        place = (reg.base if reg.kind is not RegionKind.PROVINCE else reg.name) if reg else ""
        short = {
            AgencyKind.DETENTION_CENTRE: "rudenim", AgencyKind.IMMIGRATION_OFFICE: "kanim",
        }.get(ent.kind)
        if ent.kind is AgencyKind.REGIONAL_GOVERNMENT and reg:
            short = {RegionKind.PROVINCE: "pemprov", RegionKind.CITY: "pemko", RegionKind.REGENCY: "pemkab"}[reg.kind]
        elif ent.kind is AgencyKind.POLICE and reg:
            short = "polda" if ent.level is AdminLevel.PROVINCIAL else (
                "polrestabes" if "Kota Besar" in ent.canonical else "polresta" if "Kota" in ent.canonical else "polres")
        elif ent.kind is AgencyKind.INTERNATIONAL_OFFICE and reg and ent.acronym is None:
            short = ent.canonical.split()[0].lower()
        elif ent.acronym and len(ent.acronym) <= 12 and reg:
            short = ent.acronym.lower()
        if short and place:
            return f"{short}-{place}"
        if ent.acronym and not place:
            return ent.acronym
        return ent.canonical

    def entity_at(self, pos: int) -> AgencyEntity | None:
        """The agency whose name (not inside another's) covers ``pos``."""
        i = bisect_right(self.plain_starts, pos) - 1
        if i >= 0 and pos < self.plain_rows[i][1]:
            return self.entities[self.plain_rows[i][2]]
        return None

    def iter_entities_in(self, start: int, end: int, *, nested: bool = False) -> Iterator[AgencyEntity]:
        """Agencies mentioned in [start, end), in order of first mention there, found as they are needed."""
        seen: set[int] = set()
        for k in range(bisect_left(self.mention_starts, start), bisect_left(self.mention_starts, end)):
            _, i, is_nested = self.mention_rows[k]
            if i not in seen and (nested or not is_nested):
                seen.add(i)
                yield self.entities[i]

    def first_two_in_paragraph(self, para: Segment) -> list[tuple[int, AgencyEntity]]:
        """The paragraph's first two agencies, with where each is first named (asked once per paragraph).

        Whatever a rule wants of "the paragraph's first agency (other than this one)" is among them; finding
        them again for each sentence would read a one-line article from its start each time.
        """
        if para.start not in self.paragraph_firsts:
            firsts: list[tuple[int, AgencyEntity]] = []
            for k in range(bisect_left(self.mention_starts, para.start), bisect_left(self.mention_starts, para.end)):
                pos, i, is_nested = self.mention_rows[k]
                if not is_nested and all(e is not self.entities[i] for _, e in firsts):
                    firsts.append((pos, self.entities[i]))
                    if len(firsts) == 2:
                        break
            self.paragraph_firsts[para.start] = firsts
        return self.paragraph_firsts[para.start]

    def entities_in(self, start: int, end: int, *, nested: bool = False) -> list[AgencyEntity]:
        """Agencies mentioned in [start, end), in order of first mention there."""
        return list(self.iter_entities_in(start, end, nested=nested))

    def first_start(self, ent: AgencyEntity, start: int, end: int, *, nested: bool = False) -> int | None:
        """Where ``ent`` is first mentioned in [start, end) (counting mentions inside other names if ``nested``)."""
        starts = self.starts_of[id(ent)][0 if nested else 1]
        k = bisect_left(starts, start)
        return starts[k] if k < len(starts) and starts[k] < end else None

    def mentions_between(self, ent: AgencyEntity, start: int, end: int) -> list[AgencyMention]:
        """``ent``'s mentions starting in [start, end), in text order."""
        starts = self.starts_of[id(ent)][0]
        return self.mentions_by_start[id(ent)][bisect_left(starts, start):bisect_left(starts, end)]

    def agency_relationships(self) -> None:
        seed_gov = self._seed_governments()
        text_gov: dict[str, str] = {}  # region code -> the first regional government named in the text
        for e in self.entities:
            if e.kind is AgencyKind.REGIONAL_GOVERNMENT and e.region is not None:
                text_gov.setdefault(e.region, e.id)
        for ent in self.entities:
            m0 = ent.first
            if ent.region and ent.region in self.region_ids:
                with_region = next((m for m in ent.mentions if m.region == ent.region), m0)
                self.add_rel(RelType.HAS_JURISDICTION, ent.id, self.region_ids[ent.region], (with_region.start, with_region.end),
                             rule="jurisdiction:name", confidence=0.8,
                             note=f"the agency's name carries {self.gaz.regions[ent.region].name}")
            for m in ent.mentions:
                if m.parent is None:
                    continue
                parent = self._entity_for(m.parent)
                if parent:
                    self.add_rel(RelType.PART_OF, ent.id, parent, (m.start, m.end), rule="part-of:name",
                                 confidence=0.8 if not m.parent.nested or m.parent.rule != "agency:international" else 0.6,
                                 note=m.parent_note)
                    break
            if ent.kind is AgencyKind.REGIONAL_DEPARTMENT and ent.region:
                gov = text_gov.get(ent.region) or seed_gov.get(ent.region)
                if gov:
                    self.add_rel(RelType.PART_OF, ent.id, gov, (m0.start, m0.end), rule="part-of:regional-department",
                                 confidence=0.7, note="a Dinas/Badan of a region belongs to that region's government",
                                 reading=_STRUCTURE)
            if ent.kind in (AgencyKind.DETENTION_CENTRE, AgencyKind.IMMIGRATION_OFFICE):
                ditjen = self._find_agency("Direktorat Jenderal Imigrasi")
                if ditjen:
                    self.add_rel(RelType.PART_OF, ent.id, ditjen, (m0.start, m0.end), rule="part-of:structure",
                                 confidence=0.6, note="structural knowledge, not stated in the text: Rudenim and "
                                 "Kantor Imigrasi are technical units of the Directorate General of Immigration",
                                 reading=_STRUCTURE)

    def _entity_for(self, mention: AgencyMention) -> str | None:
        ent = self.entity_of.get(id(mention))
        if ent is not None:
            return ent.id
        return self._find_agency(mention.canonical, mention.text)

    def _find_agency(self, *names: str) -> str | None:
        """The id of the agency going by one of ``names``: named in the text, else in the seed (once per names)."""
        if names not in self.found_agencies:
            self.found_agencies[names] = self._look_up_agency(names)
        return self.found_agencies[names]

    def _look_up_agency(self, names: tuple[str, ...]) -> str | None:
        for ent in self.entities:
            if any(fold_name(n) in ent.names() or normalise_name(n, self.gaz) in {normalise_name(x, self.gaz) for x in (ent.canonical, *ent.aliases)} for n in names):
                return ent.id
        if self.ds is not None:
            return self.resolve(names).match
        return None

    def _seed_governments(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.ds is None:
            return out
        for rel in self.ds.relationships:
            if rel.type == RelType.HAS_JURISDICTION.value:
                agency, region = self.ds.nodes.get(rel.source_node), self.ds.nodes.get(rel.target_node)
                if isinstance(agency, Agency) and agency.kind is AgencyKind.REGIONAL_GOVERNMENT and isinstance(region, Region) and region.code:
                    out[region.code] = agency.id
        return out

    # ------------------------------------------------------------------ instruments

    def instruments(self) -> None:
        groups: dict[str, list[InstrumentMention]] = defaultdict(list)
        for ins in self.m.instruments:
            groups[ins.key].append(ins)
        for key, items in groups.items():
            first = items[0]
            match = None
            if self.ds is not None:
                for n in self.ds.nodes.values():
                    if isinstance(n, LegalInstrument) and n.kind is first.kind and n.number == first.number and n.year == first.year:
                        match = n.id
            printed = [re.sub(r"\s+", " ", i.text) for i in items]
            if match:
                node = self.seed_node(match)
                known = {fold_name(x) for x in (node.name, *node.aliases)}
                data = {"id": match, "name": node.name}
                new = [p for p in dict.fromkeys(printed) if fold_name(p) not in known]
                if new:
                    data["aliases"] = new
                self.instrument_ids[key] = match
                self.add_node(NodeLabel.LEGAL_INSTRUMENT, data, rule=first.rule, confidence=0.95, span=(first.start, first.end), match=match)
                continue
            title = next((i.title for i in items if i.title), None) or KNOWN_TITLES.get(key)
            note = None
            if not any(i.title for i in items):
                note = "title not printed: taken from the list of known titles" if title else "title not printed: fill it in"
            long_kind = {"uu": "Undang-Undang", "perppu": "Peraturan Pemerintah Pengganti Undang-Undang",
                         "perpres": "Peraturan Presiden", "keppres": "Keputusan Presiden", "inpres": "Instruksi Presiden",
                         "pp": "Peraturan Pemerintah", "permen": "Peraturan Menteri", "perda": "Peraturan Daerah",
                         "pergub": "Peraturan Gubernur", "perbup": "Peraturan Bupati", "perwali": "Peraturan Wali Kota"}[first.short]
            name = f"{long_kind} Nomor {first.number} Tahun {first.year}" + (f" tentang {title}" if title else "")
            iid = self.ids.new(f"{first.short}-{first.number}-{first.year}")
            self.instrument_ids[key] = iid
            data = {"id": iid, "name": name}
            aliases = [p for p in dict.fromkeys(printed) if p != name]
            if aliases:
                data["aliases"] = aliases
            data.update({"kind": first.kind.value, "number": first.number, "year": first.year,
                         "title": title or "(title not printed in the source)"})
            self.add_node(NodeLabel.LEGAL_INSTRUMENT, data, rule=first.rule, confidence=0.9, span=(first.start, first.end), note=note)
        for ins in self.m.instruments:
            sent = self.sentence(ins.start)
            agencies = self.entities_in(sent.start, sent.end)
            conf, note = 0.7, None
            if not agencies:
                agencies = [e for _, e in self.first_two_in_paragraph(self.paragraph(ins.start))[:1]]
                conf, note = 0.5, "no agency in the sentence: the paragraph's first agency is taken as the one applying it"
            if agencies:
                self.add_rel(RelType.APPLIES, agencies[0].id, self.instrument_ids[ins.key], (ins.start, ins.end),
                             rule="applies:instrument-cited", confidence=conf, note=note)

    # ------------------------------------------------------------------ cohorts and facilities

    def _classify(self, window: str) -> CohortType | None:
        if _TRAFFICKING.search(window):
            return CohortType.TRAFFICKING_VICTIMS
        if _NONPROC.search(window) and _MIGRANT.search(window):
            return CohortType.NON_PROCEDURAL_MIGRANT_WORKERS
        if _REFUGEE.search(window):
            return CohortType.FOREIGN_REFUGEES
        if self._migrant_words(window):
            return CohortType.INDONESIAN_MIGRANT_WORKERS
        return None

    def _migrant_words(self, window: str, offset: int | None = None) -> bool:
        for mm in _MIGRANT.finditer(window):
            if mm.group(0) != "PMI":
                return True
            if offset is None:
                return True
            pos = offset + mm.start()
            reading = self.pmi_reading_at(pos)
            if reading is None or not reading.is_red_cross:
                return True
        return False

    def _count_type(self, c: CountMention) -> CohortType | None:
        if c.kind != "people" or _NOT_COHORT_AFTER.match(self.text, c.end - len(c.unit) - 1 if c.unit == "orang" else c.end):
            return None
        if _NOT_COHORT_AFTER.match(self.text, c.end):
            return None
        sent = self.sentence(c.start)
        local = self.text[max(sent.start, c.start - 60): min(sent.end, c.end + 80)]
        return self._classify(local) or self._classify(self.text[sent.start:sent.end])

    def find_cohorts(self) -> None:
        found: dict[CohortType, dict] = {}
        for c in self.m.counts:
            ctype = self._count_type(c)
            if ctype is None:
                continue
            info = found.setdefault(ctype, {"counts": [], "subcounts": [], "spans": []})
            if _SUBCOUNT.match(self.text, c.end) or re.search(r"\b(?:sedangkan|sementara)\s*$", self.text[max(0, c.start - 20):c.start]):
                info["subcounts"].append(c)
            else:
                info["counts"].append(c)
            info["spans"].append((c.start, c.end))
        term_patterns = [
            (CohortType.NON_PROCEDURAL_MIGRANT_WORKERS, re.compile(r"Pekerja\s+Migran\s+Indonesia\s+Non[- ]?Prosedural(?:\s*\(PMI[- ]NP\))?|\bPMI[- ]NP\b|\b(?:PMI|pekerja\s+migran|TKI)\s+(?:non[- ]?prosedural|nonprosedural|ilegal)\b|buruh\s+migran\s+ilegal", re.I)),
            (CohortType.TRAFFICKING_VICTIMS, re.compile(r"Warga\s+Negara\s+Indonesia\s+Migran\s+Korban\s+Perdagangan\s+Orang(?:\s*\(WNI[- ]?M\s*KPO\))?|\bWNI[- ]?M\s*KPO\b|korban\s+(?:tindak\s+pidana\s+)?perdagangan\s+(?:orang|manusia)|korban\s+TPPO", re.I)),
            (CohortType.INDONESIAN_MIGRANT_WORKERS, re.compile(r"(?:Pekerja\s+Migran\s+Indonesia|\bPMI\b|pekerja\s+migran)\s+(?:\(PMI\)\s+)?(?:asal|dari|yang\s+berasal\s+dari)\s+|daerah\s+(?:dengan\s+jumlah|penyumbang|asal)\s+(?:Pekerja\s+Migran|PMI|migran)|Pekerja\s+Migran\s+Indonesia\s+\(PMI\)\s+terbesar", re.I)),
            (CohortType.FOREIGN_REFUGEES, re.compile(r"\bpengungsi\s+(?:luar\s+negeri|asing|dari\s+luar\s+negeri)|\bpencari\s+suaka\b|\bimigran\s+\(orang\s+asing\)", re.I)),
        ]
        for ctype, pattern in term_patterns:
            for mm in pattern.finditer(self.text):
                if ctype is CohortType.INDONESIAN_MIGRANT_WORKERS and "PMI" in mm.group(0):
                    pos = self.text.find("PMI", mm.start())
                    reading = self.pmi_reading_at(pos)
                    if reading is not None and reading.is_red_cross:
                        continue
                info = found.setdefault(ctype, {"counts": [], "subcounts": [], "spans": []})
                info["spans"].append((mm.start(), mm.end()))
        # PMI-NP and PMI in general stay apart: a text that counts migrant workers does not count the non-procedural ones
        for ctype, info in found.items():
            self._cohort(ctype, info)

    def _regions_in(self, start: int, end: int) -> list:
        regs = self.regions_between(start, end)
        codes = {r.code for r in regs}
        # a province is the container when one of its regencies is named beside it
        return [r for r in regs if "." in r.code or not any(c.startswith(r.code + ".") for c in codes)]

    def _cohort(self, ctype: CohortType, info: dict) -> None:
        spans = sorted(info["spans"])
        first_start, first_end = spans[0]
        counts = info["counts"]
        size_c = counts[0] if counts else None
        sentences_ = list(dict.fromkeys(self.sentence(s) for s, _ in spans))
        presence_default = "residing" if ctype is CohortType.FOREIGN_REFUGEES else "origin"
        hosts: dict[str, tuple[str, int, int]] = {}
        for seg in sentences_:
            sent_text = self.text[seg.start:seg.end]
            for r in self._regions_in(seg.start, seg.end):
                before = self.text[max(seg.start, r.start - 40):r.start].casefold()
                if re.search(r"\b(?:asal|berasal\s+dari|daerah|dari)\b[^,.]*$", before) or re.search(r"\bdaerah\b", sent_text, re.I) and ctype is not CohortType.FOREIGN_REFUGEES:
                    presence = "origin"
                elif re.search(r"\btransit\b|\bpos\b", sent_text, re.I) and ctype is not CohortType.FOREIGN_REFUGEES:
                    presence = "transit"
                elif re.search(r"\b(?:di|tinggal|menetap|berada|ditampung|wilayah)\b[^,.]*$", before):
                    presence = "residing" if ctype is CohortType.FOREIGN_REFUGEES else presence_default
                else:
                    presence = presence_default
                if r.rule == "region:dateline":
                    continue
                if self.entity_at(r.start) is not None and ctype is CohortType.FOREIGN_REFUGEES and presence != "residing":
                    continue  # "Rudenim Kupang" names the agency's place, not the cohort's
                hosts.setdefault(r.code, (presence, r.start, r.end))
        if not hosts:
            dateline = next((r for r in self.m.regions if r.rule == "region:dateline"), None)
            if dateline is not None:
                hosts[dateline.code] = (presence_default, dateline.start, dateline.end)
        main_code = next(iter(hosts), None)
        place = self.gaz.regions[main_code].name if main_code else None
        names = {
            CohortType.FOREIGN_REFUGEES: f"Foreign refugees in {place}" if place else "Foreign refugees",
            CohortType.INDONESIAN_MIGRANT_WORKERS: f"Indonesian migrant workers from {place}" if place else "Indonesian migrant workers",
            CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: f"Non-procedural Indonesian migrant workers (PMI-NP) from {place}" if place else "Non-procedural Indonesian migrant workers (PMI-NP)",
            CohortType.TRAFFICKING_VICTIMS: f"Indonesian trafficking victims at {place}" if place else "Indonesian trafficking victims",
        }
        match, match_note = self._seed_cohort(ctype, set(hosts))
        nationalities = ["Indonesia"] if ctype is not CohortType.FOREIGN_REFUGEES else self._nationalities(ctype)
        if match:
            cid = match
            data = {"id": cid, "name": self.seed_node(cid).name}
        else:
            cid = self.ids.new(f"cohort-{slugify(self.gaz.regions[main_code].base) if main_code else self.src}-{_COHORT_SHORT[ctype]}")
            data = {"id": cid, "name": names[ctype], "cohort_type": ctype.value}
            if size_c:
                data["size"] = size_c.value
                data["size_basis"] = size_c.basis
            else:
                data["size_basis"] = "unknown"
            if nationalities:
                data["nationalities"] = nationalities
            if self.reference_date:
                data["as_of"] = self.reference_date.isoformat()
        evidence = []
        for s, e in spans[:3]:
            qs, qe = self.quote(s, e)
            ev = _evidence(self.src, self.text, qs, qe)
            if ev not in evidence:
                evidence.append(ev)
        data["evidence"] = evidence
        others = [c for c in counts[1:] if c.value != (size_c.value if size_c else None)]
        note_parts = [match_note] if match_note else []
        if others:
            note_parts.append("other figures in the text: " + ", ".join(f"{c.original!r}" for c in others))
        if ctype is CohortType.FOREIGN_REFUGEES:
            unknown = self._unknown_nationalities()
            if unknown:
                note_parts.append("nationalities not in vocabulary.yaml (add them there first): " + ", ".join(unknown))
        if not match and self.reference_date and not self.article.date:
            note_parts.append("as_of is the latest date printed in the report")
        span = (size_c.start, size_c.end) if size_c else (first_start, first_end)
        self.add_node(NodeLabel.MIGRANT_COHORT, data, rule="cohort:count" if size_c else "cohort:term", confidence=0.75 if size_c else 0.6,
                      span=span, match=match, note="; ".join(note_parts) or None)
        self.cohorts.append((cid, ctype, {"hosts": hosts, "subcounts": info["subcounts"], "size": size_c, "spans": spans}))
        for code, (presence, s, e) in hosts.items():
            if code in self.region_ids:
                self.add_rel(RelType.HOSTS_COHORT, self.region_ids[code], cid, (s, e), rule=f"hosts-cohort:{presence}",
                             confidence=0.7, presence=presence)

    def _seed_cohort(self, ctype: CohortType, codes: set[str]) -> tuple[str | None, str | None]:
        if self.ds is None or not codes:
            return None, None
        region_ids = {self.region_ids.get(c) for c in codes} - {None}
        for rel in self.ds.relationships:
            if rel.type == RelType.HOSTS_COHORT.value and rel.source_node in region_ids:
                node = self.ds.nodes.get(rel.target_node)
                if isinstance(node, MigrantCohort) and node.cohort_type is ctype:
                    return node.id, f"same cohort type in the same region as the existing {node.id}"
        return None, None

    def _nationalities(self, ctype: CohortType) -> list[str]:
        out: list[str] = []
        for n in self.m.nationalities:
            if n.name == "Indonesia":
                continue
            seg = self.sentence(n.start)
            sent = self.text[seg.start:seg.end]
            if _REFUGEE.search(sent) or re.search(r"\b(?:berasal|asal|WN\.?|negara)\b", sent, re.I):
                if n.name not in out:
                    out.append(n.name)
        return out

    def _unknown_nationalities(self) -> list[str]:
        known = {n.text for n in self.m.nationalities}
        out = []
        for seg in self.m.sentences:
            sent = self.text[seg.start:seg.end]
            mm = re.search(r"\b(?:berasal\s+dari|asal|WN\.?)\s+((?:[A-Z][a-z]+(?:,\s*|\s+dan\s+|\s+serta\s+)?){2,})", sent)
            if mm and _REFUGEE.search(sent):
                for name in re.split(r",\s*|\s+dan\s+|\s+serta\s+", mm.group(1)):
                    name = name.strip()
                    if name and name not in known and not self.gaz.lookup_region(name) and name not in out:
                        out.append(name)
        return out

    def facilities(self) -> None:
        t = self.text
        made: dict[str, str] = {}

        def facility(name: str, kind: FacilityKind, span: tuple[int, int], *, rule: str, confidence: float,
                     region: str | None = None, operator: str | None = None, note: str | None = None, aliases=()) -> str:
            key = fold_name(name)
            if key in made:
                return made[key]
            match = None
            if self.ds is not None:
                ids = {i for i in self.ds.candidates(name) if isinstance(self.ds.nodes[i], Facility)}
                for (label, fname), fids in self.gaz.other_names.items():
                    if label == "FACILITY" and fold_name(fname) == key:
                        ids |= fids
                if operator and not ids:
                    for rel in self.ds.relationships:
                        if rel.type == RelType.OPERATES.value and rel.source_node == operator:
                            fac = self.ds.nodes.get(rel.target_node)
                            if isinstance(fac, Facility) and fac.kind is kind:
                                ids.add(fac.id)
                if region and not ids and kind is FacilityKind.COMMUNITY_SHELTER:
                    rid = self.region_ids.get(region)
                    for rel in self.ds.relationships:
                        if rel.type == RelType.LOCATED_IN.value and rel.target_node == rid:
                            fac = self.ds.nodes.get(rel.source_node)
                            if isinstance(fac, Facility) and fac.kind is kind:
                                ids.add(fac.id)
                if len(ids) == 1:
                    match = next(iter(ids))
            if match:
                node = self.seed_node(match)
                self.add_node(NodeLabel.FACILITY, {"id": match, "name": node.name}, rule=rule, confidence=confidence,
                              span=span, match=match, note=note)
                fid = match
            else:
                fid = self.ids.new(slugify(name, 50))
                data = {"id": fid, "name": name}
                if aliases:
                    data["aliases"] = list(aliases)
                data["kind"] = kind.value
                self.add_node(NodeLabel.FACILITY, data, rule=rule, confidence=confidence, span=span, note=note)
            made[key] = fid
            if region and region in self.region_ids:
                self.add_rel(RelType.LOCATED_IN, fid, self.region_ids[region], span, rule="located-in:facility", confidence=0.7)
            if operator:
                self.add_rel(RelType.OPERATES, operator, fid, span, rule="operates:facility", confidence=0.65,
                             reading=_NAMED_OPERATOR)
            return fid

        def region_near(start: int, end: int) -> str | None:
            inside = self.regions_between(start, end)
            if inside:
                return inside[-1].code
            seg = self.sentence(start)
            regs = self._regions_in(seg.start, seg.end)
            return regs[0].code if regs else None

        refugees = next((c for c in self.cohorts if c[1] is CohortType.FOREIGN_REFUGEES), None)
        subcounts_in: dict[Segment, list[CountMention]] = defaultdict(list)  # the refugees' subcounts, by sentence
        for c in refugees[2]["subcounts"] if refugees else []:
            subcounts_in[self.sentence(c.start)].append(c)
        # detention houses where people are held
        for ent in self.entities:
            if ent.kind is not AgencyKind.DETENTION_CENTRE:
                continue
            for m in ent.mentions:
                before = t[max(0, m.start - 40):m.start]
                same = subcounts_in.get(self.sentence(m.start), [])
                sub = min(same, key=lambda c: (c.start > m.start, abs(m.start - c.start)), default=None)
                if re.search(r"\b(?:berada|ditahan|ditampung|tinggal|menghuni|dititipkan)\s+di\s*$", before) or sub:
                    reg = self.gaz.regions.get(ent.region) if ent.region else None
                    name = f"Rumah Detensi Imigrasi {reg.base if reg else ''} (detention building)".replace("  ", " ")
                    fid = facility(name, FacilityKind.DETENTION_CENTRE, (m.start, m.end), rule="facility:detention",
                                   confidence=0.7, region=ent.region, operator=ent.id)
                    if refugees:
                        self.add_rel(RelType.SHELTERS, fid, refugees[0], (sub.start, sub.end) if sub else (m.start, m.end),
                                     rule="shelters:count" if sub else "shelters:held", confidence=0.7,
                                     count=sub.value if sub else None, count_basis=sub.basis if sub else None,
                                     as_of=self.reference_date.isoformat() if self.reference_date else None)
                    break
        # hotels and guesthouses used as shelters
        for mm in re.finditer(r"\b(Hotel|Wisma)\s+([A-Z][\w’'-]*(?:[ \t]+(?!dan\b|serta\b)[A-Z][\w’'-]*){0,3})", t):
            seg = self.sentence(mm.start())
            sent = t[seg.start:seg.end]
            if not re.search(r"penampungan|shelter|pengungsi|ditampung|tinggal", sent, re.I):
                continue
            name = f"{mm.group(1)} {mm.group(2)}".strip().rstrip(".")
            kind = FacilityKind.HOTEL_SHELTER if mm.group(1) == "Hotel" else FacilityKind.COMMUNITY_SHELTER
            fid = facility(name, kind, (mm.start(), mm.end()), rule="facility:hotel", confidence=0.7,
                           region=region_near(mm.start(), mm.end()))
            if refugees:
                self.add_rel(RelType.SHELTERS, fid, refugees[0], (mm.start(), mm.end()), rule="shelters:named", confidence=0.65)
        # unnamed community shelters
        for mm in re.finditer(r"\b(?:(?:sejumlah|beberapa|berbagai|\d+|dua|tiga|empat|lima)\s+)?(?:tempat\s+|wisma\s+|rumah\s+)?penampungan(?:\s*\(community house\))?|\bcommunity\s+house", t, re.I):
            seg = self.sentence(mm.start())
            if re.search(r"\b(?:Hotel|Wisma)\s+[A-Z]", t[mm.end():seg.end]) or not refugees:
                continue
            code = region_near(mm.start(), mm.end()) or next(iter(refugees[2]["hosts"]), None)
            place = self.gaz.regions[code].name if code else "the area"
            fid = facility(f"Community shelters for refugees in {place}", FacilityKind.COMMUNITY_SHELTER, (mm.start(), mm.end()),
                           rule="facility:community-shelter", confidence=0.6, region=code,
                           note="several shelters named together; one node stands for all of them")
            sub = next((c for c in refugees[2]["subcounts"]
                        if self.sentence(c.start) == seg and abs(c.start - mm.start()) < 80), None)
            self.add_rel(RelType.SHELTERS, fid, refugees[0], (sub.start, mm.end()) if sub and sub.start < mm.start() else (mm.start(), mm.end()),
                         rule="shelters:count" if sub else "shelters:named", confidence=0.65,
                         count=sub.value if sub else None, count_basis=sub.basis if sub else None,
                         as_of=self.reference_date.isoformat() if self.reference_date and sub else None)
            break
        # transit posts and agency shelters
        span_starts = [[s for s, _ in info["spans"]] for _, _, info in self.cohorts]  # spans are sorted
        for mm in re.finditer(r"\b(?:[Tt]ransit\s+[Pp]os|[Pp]os\s+[Tt]ransit|[Rr]umah\s+[Ss]inggah|[Ss]helter)\b", t):
            seg = self.sentence(mm.start())
            ent = next(self.iter_entities_in(mm.end(), min(seg.end, mm.end() + 8)), None)
            if ent is not None:
                name = f"Shelter {ent.canonical}"
                end = max(m.end for m in self.mentions_between(ent, mm.end(), mm.end() + 120))
                fid = facility(name, FacilityKind.TRANSIT_POST, (mm.start(), end), rule="facility:agency-shelter",
                               confidence=0.6, region=ent.region, operator=ent.id)
            else:
                reg = next(iter(self.regions_between(mm.end(), min(seg.end, mm.end() + 80))), None)
                if reg is None:
                    continue
                words = t[mm.start():reg.end]
                if re.search(r"[,.;]", words):
                    continue
                name = words[0].upper() + words[1:]
                fid = facility(name, FacilityKind.TRANSIT_POST, (mm.start(), reg.end), rule="facility:transit-post",
                               confidence=0.7, region=reg.code)
            for (cid, ctype, info), starts in zip(self.cohorts, span_starts):
                k = bisect_left(starts, seg.start)
                if ctype is not CohortType.FOREIGN_REFUGEES and k < len(starts) and starts[k] < seg.end:
                    self.add_rel(RelType.SHELTERS, fid, cid, (mm.start(), mm.end()), rule="shelters:transit", confidence=0.55)
        # RPTC
        for mm in re.finditer(r"\bRPTC\b|Rumah\s+Perlindungan\s+(?:dan\s+)?Trauma\s+Cent(?:er|re)", t):
            under = _UNDER.match(t, mm.end())
            operator = None
            if under:
                op = self.entity_at(under.end())
                operator = op.id if op else None
            facility("RPTC" if mm.group(0) == "RPTC" else mm.group(0), FacilityKind.PROTECTION_CENTRE, (mm.start(), mm.end()),
                     rule="facility:rptc", confidence=0.75, operator=operator)

    # ------------------------------------------------------------------ programmes

    def programmes(self) -> None:
        t = self.text
        for money in self.m.money:
            seg = self.sentence(money.start)
            sent = t[seg.start:seg.end]
            if not _AID.search(sent):
                continue
            implementer = self._subject(seg, money.start)
            prog_match = None
            if self.ds is not None:
                for n in self.ds.nodes.values():
                    if isinstance(n, Programme) and n.money and abs(n.money.amount - money.amount) < 0.5 and n.money.currency == money.currency:
                        prog_match = n.id
            who = implementer.acronym or implementer.canonical if implementer else "Unknown provider"
            per = f" per {money.per}" if money.per else ""
            if prog_match:
                pid = prog_match
                self.add_node(NodeLabel.PROGRAMME, {"id": pid, "name": self.seed_node(pid).name}, rule="programme:cash",
                              confidence=0.8, span=(money.start, money.end), match=pid,
                              note="same amount of money as the existing programme")
            else:
                pid = self.ids.new(f"prog-{slugify(who, 20)}-cash-{self.src}")
                data = {"id": pid, "name": f"{who} cash assistance ({money.original}{per})", "kind": "cash_assistance",
                        "services": ["basic_needs_cash"],
                        "money": {"amount": money.amount if money.amount != int(money.amount) else int(money.amount),
                                  "currency": money.currency, "per": money.per, "original": money.original}}
                if money.per is None:
                    del data["money"]["per"]
                self.add_node(NodeLabel.PROGRAMME, data, rule="programme:cash", confidence=0.7, span=(money.start, money.end),
                              note=None if implementer else "no provider named in the sentence")
            self._programme_links(pid, seg, implementer, (money.start, money.end), ServiceType.BASIC_NEEDS_CASH)
        for c in self.m.counts:
            if c.kind != "items":
                continue
            seg = self.sentence(c.start)
            sent = t[seg.start:seg.end]
            if not _AID_VERB.search(sent):
                continue
            unit_m = _ITEM_UNIT.match(t, c.end - len(c.unit))
            unit = (unit_m.group(0) if unit_m else c.unit).strip() or c.unit
            around = t[c.start:min(seg.end, c.end + 80)]
            services = ["health"] if re.search(r"hygiene|kebersihan|kesehatan|medis|masker|APD|ventilator|obat", around, re.I) else ["basic_needs_cash"]
            implementer = self._subject(seg, c.start)
            who = implementer.acronym or implementer.canonical if implementer else "Unknown provider"
            prog_match = None
            if self.ds is not None:
                for n in self.ds.nodes.values():
                    if isinstance(n, Programme) and n.quantity and n.quantity.value == c.value:
                        prog_match = n.id
            original = f"{t[c.start:c.end - len(c.unit)]}{unit}"
            if prog_match:
                pid = prog_match
                self.add_node(NodeLabel.PROGRAMME, {"id": pid, "name": self.seed_node(pid).name}, rule="programme:in-kind",
                              confidence=0.8, span=(c.start, c.end), match=pid, note="same quantity as the existing programme")
            else:
                pid = self.ids.new(f"prog-{slugify(who, 20)}-aid-{self.src}")
                data = {"id": pid, "name": f"{who}: {original}", "kind": "in_kind_aid", "services": services,
                        "quantity": {"value": c.value, "unit": unit, "original": original}}
                if self.reference_date:
                    data["start"] = self.reference_date.isoformat()
                self.add_node(NodeLabel.PROGRAMME, data, rule="programme:in-kind", confidence=0.65, span=(c.start, c.end),
                              note="start is the report's date" if self.reference_date else None)
            self._programme_links(pid, seg, implementer, (c.start, c.end), ServiceType(services[0]))
        # programmes the seed already knows, named in the text
        for (label, name), ids in self.gaz.other_names.items():
            if label != "PROGRAMME" or len(ids) != 1:
                continue
            for mm in re.finditer(re.escape(name), t, re.I):
                pid = next(iter(ids))
                if any(r.label is NodeLabel.PROGRAMME and r.id == pid for r in self.records):
                    break
                self.add_node(NodeLabel.PROGRAMME, {"id": pid, "name": self.seed_node(pid).name}, rule="programme:seed-name",
                              confidence=0.9, span=(mm.start(), mm.end()), match=pid)
                seg = self.sentence(mm.start())
                self.found_programmes.append((pid, seg.start, set()))
                implementer = self._subject(seg, mm.start())
                if implementer:
                    self.add_rel(RelType.IMPLEMENTS, implementer.id, pid, (mm.start(), mm.end()), rule="implements:subject", confidence=0.6)
                break

    def _subject(self, seg: Segment, pos: int) -> AgencyEntity | None:
        """The agency that does what a sentence says: after 'oleh', else the last before ``pos``, else the first."""
        t = self.text
        oleh = re.search(r"\b(?:oleh|dari)\s+", t[seg.start:seg.end])
        if oleh:
            ent = next(iter(self.entities_in(seg.start + oleh.end(), min(seg.end, seg.start + oleh.end() + 3))), None)
            if ent:
                return ent
        before = self.entities_in(seg.start, pos)
        if before:
            return before[-1]
        inside = self.entities_in(seg.start, seg.end)
        return inside[0] if inside else None

    def _programme_links(self, pid: str, seg: Segment, implementer: AgencyEntity | None, span: tuple[int, int],
                         service: ServiceType) -> None:
        sent = self.text[seg.start:seg.end]
        targets = set()
        if implementer:
            self.add_rel(RelType.IMPLEMENTS, implementer.id, pid, span, rule="implements:subject", confidence=0.65)
        named = [c for c in self.cohorts
                 if (c[1] is CohortType.FOREIGN_REFUGEES and _REFUGEE.search(sent))
                 or (c[1] is not CohortType.FOREIGN_REFUGEES and (self._migrant_words(sent, seg.start) or _TRAFFICKING.search(sent)))]
        only = len(self.cohorts) == 1 and not named
        for cid, ctype, info in self.cohorts:
            hit = any(c[0] == cid for c in named) or only
            if hit:
                targets.add(ctype)
                self.add_rel(RelType.TARGETS, pid, cid, span, rule="targets:cohort-named", confidence=0.6)
                if implementer:
                    self.add_rel(RelType.SERVES, implementer.id, cid, span, rule="serves:programme", confidence=0.6,
                                 service=service.value,
                                 last_seen=self.reference_date.isoformat() if self.reference_date else None)
        self.found_programmes.append((pid, seg.start, targets))

    # ------------------------------------------------------------------ meetings

    def find_meetings(self) -> None:
        t = self.text
        current: dict | None = None
        for seg in self.m.sentences:
            sent = t[seg.start:seg.end]
            kinds = [(p.search(sent), k, short) for p, k, short in _MEETING_KINDS]
            kinds = [(mm, k, short) for mm, k, short in kinds if mm]
            if not kinds:
                continue
            dates = self.dates_between(seg.start, seg.end)
            venue = _VENUE.search(sent)
            backref = any(_BACKREF.match(sent[mm.end():mm.end() + 12].strip()) for mm, _, _ in kinds)
            if current is not None and (backref or (not dates and not venue) or (dates and dates[0].date == current["date"].date)):
                current["sentences"].append(seg)
                if venue and not current["venue"]:
                    current["venue"] = (seg.start + venue.start("v"), seg.start + venue.end("v"))
                continue
            if not dates and not venue:
                continue
            if not dates:
                earlier = bisect_left(self.date_starts, seg.start)  # how many dates start before the sentence
                date = self.m.dates[earlier - 1] if earlier else None
                if date is None and self.article.date:
                    date = DateMention(self.article.date, seg.start, seg.start, "", "inferred",
                                       "the article's date (from its metadata)", confidence=0.5)
                if date is None:
                    self.m.flags.append(f"offset {seg.start}: a meeting without any date in the report; not proposed")
                    continue
                date = DateMention(date.date, date.start, date.end, date.original, "inferred",
                                   f"no date printed with the meeting; the date '{date.original or date.date.isoformat()}' printed "
                                   f"before it in the report is taken as an upper bound", date.weekday, min(date.confidence, 0.55))
            else:
                date = dates[0]
            mm, kind, short = kinds[0]
            current = {"kind": kind, "short": short, "date": date, "sentences": [seg], "trigger": (seg.start + mm.start(), seg.start + mm.end()),
                       "venue": (seg.start + venue.start("v"), seg.start + venue.end("v")) if venue else None}
            self.meetings.append(current)
        self._index_for_meetings()
        for meeting in self.meetings:
            self._meeting(meeting)

    def _index_for_meetings(self) -> None:
        """What each sentence holds that a meeting in it discussed: cohorts, programmes, instruments."""
        # cohort -> sentence start -> its first span there (spans in order, so the first found is kept)
        self.cohort_span_in: list[dict[int, tuple[int, int]]] = []
        for _, _, info in self.cohorts:
            first: dict[int, tuple[int, int]] = {}
            for s, e in info["spans"]:
                first.setdefault(self.sentence(s).start, (s, e))
            self.cohort_span_in.append(first)
        self.programmes_in: dict[int, list[int]] = defaultdict(list)  # sentence start -> indices, in order
        for k, (_, sstart, _) in enumerate(self.found_programmes):
            self.programmes_in[sstart].append(k)
        self.instruments_in: dict[int, list[int]] = defaultdict(list)
        for k, ins in enumerate(self.m.instruments):
            self.instruments_in[self.sentence(ins.start).start].append(k)

    def _meeting(self, mt: dict) -> None:
        t = self.text
        segs: list[Segment] = mt["sentences"]
        first = segs[0]
        sent_text = " ".join(t[s.start:s.end] for s in segs)
        date: DateMention = mt["date"]
        fmt = "online" if _ONLINE.search(t[first.start:first.end]) else ("hybrid" if _HYBRID.search(sent_text) else "in_person")
        venue = fold_space(t[mt["venue"][0]:mt["venue"][1]]) if mt["venue"] else None
        # roles
        roles: dict[str, tuple[str, tuple[int, int], AgencyEntity]] = {}
        for seg in segs:
            s_text = t[seg.start:seg.end]
            ents = self.entities_in(seg.start, seg.end)
            host_verb = _HOST_VERB.search(s_text)
            visit = _VISIT_FROM.search(s_text)
            with_m = re.search(r"\bpertemuan(?:nya)?\s+dengan\b", s_text, re.I)
            # the host is the last agency named before the verb
            before_verb = [e for e in ents if host_verb and self.first_start(e, seg.start, seg.end, nested=True)
                           - seg.start < host_verb.start()]
            host_here = before_verb[-1] if before_verb else None
            for ent in ents:
                pos = self.first_start(ent, seg.start, seg.end)
                rel_pos = pos - seg.start
                role = "participant"
                if host_verb and rel_pos < host_verb.start() and ent is host_here:
                    role = "host"
                elif with_m and rel_pos > with_m.end():
                    role = "host"
                elif with_m and rel_pos < with_m.start():
                    role = "visitor"
                elif visit and rel_pos > visit.start():
                    role = "visitor"
                elif _SPEAKER.search(s_text):
                    role = "speaker"
                old = roles.get(ent.id)
                rank = {"host": 3, "visitor": 2, "speaker": 1, "participant": 0}
                if old is None or rank[role] > rank[old[0]]:
                    roles[ent.id] = (role, (pos, pos + 1), ent)
        host = next((e for r, _, e in roles.values() if r == "host"), None)
        # where
        region_code = None
        if mt["venue"]:
            inside = self.regions_between(*mt["venue"])
            region_code = inside[-1].code if inside else None
        if region_code is None and host is not None and host.region:
            region_code = host.region
        if region_code is None:
            dl = [r for r in self.regions_between(first.start, first.end) if r.rule == "region:dateline"]
            region_code = dl[0].code if dl else None
        match = None
        if self.ds is not None:
            for n in self.ds.nodes.values():
                if isinstance(n, Meeting) and n.date == date.date:
                    match = n.id
        place = self.gaz.regions[region_code].base if region_code else (venue or "")
        who = host.acronym or host.canonical if host else None
        name = f"{_MEETING_TITLE[mt['kind']]}" + (f" hosted by {who}" if who else "") + (f" at {venue}" if venue else (f" in {place}" if place else "")) + f" ({date.date.isoformat()})"
        topic = _TOPIC.search(t[first.start:first.end])
        trig = mt["trigger"]
        if match:
            mid = match
            self.add_node(NodeLabel.MEETING, {"id": mid, "name": self.seed_node(mid).name}, rule=f"meeting:{mt['short']}",
                          confidence=0.8, span=trig, match=mid, note="an existing meeting on the same date")
        else:
            mid = self.ids.new(f"mtg-{date.date.isoformat()}-{slugify(place, 24) if place else 'x'}-{mt['short']}")
            data: dict[str, Any] = {"id": mid, "name": name[:480], "kind": mt["kind"].value, "date": date.date.isoformat(),
                                    "date_precision": "day", "date_basis": date.basis}
            if date.basis == "inferred":
                data["date_reasoning"] = date.reasoning or "inferred"
            if venue:
                data["venue"] = venue[:480]
            data["format"] = fmt
            if topic:
                data["topics"] = [fold_space(topic.group("t"))[:480]]
            qs = quote_span(t, first, trig[0], trig[1])
            evidence = [_evidence(self.src, t, *qs)]
            dq = quote_span(t, self.sentence(date.start), date.start, date.end) if date.original else None
            if dq and _evidence(self.src, t, *dq) not in evidence:
                evidence.append(_evidence(self.src, t, *dq))
            data["evidence"] = evidence
            note = f"date {date.date.isoformat()} ({date.basis})" + (f": {date.reasoning}" if date.reasoning else "")
            self.add_node(NodeLabel.MEETING, data, rule=f"meeting:{mt['short']}", confidence=0.7 if date.basis == "stated" else 0.55,
                          span=trig, note=note)
        if region_code and region_code in self.region_ids:
            self.add_rel(RelType.LOCATED_IN, mid, self.region_ids[region_code], mt["venue"] or trig,
                         rule="located-in:meeting", confidence=0.6)
        for ent_id, (role, (pos, _), ent) in roles.items():
            m = self.mentions_between(ent, pos, pos + 1)[0]
            span = (m.start, m.end)
            self.add_rel(RelType.ATTENDED, ent_id, mid, span, rule=f"attended:{role}", confidence=0.65 if role != "participant" else 0.55,
                         role=role)
            if role == "host":
                self.add_rel(RelType.HOSTED, ent_id, mid, span, rule="hosted:verb", confidence=0.6)
        seg_starts = {s.start for s in segs}
        for (cid, ctype, info), first_in in zip(self.cohorts, self.cohort_span_in):
            spans_here = [first_in[ss] for ss in seg_starts if ss in first_in]
            if spans_here:  # the cohort's first span in one of the meeting's sentences
                s, e = min(spans_here)
                self.add_rel(RelType.DISCUSSED, mid, cid, (s, e), rule="discussed:cohort-in-meeting", confidence=0.55)
        for k in sorted(k for ss in seg_starts for k in self.programmes_in.get(ss, ())):
            pid = self.found_programmes[k][0]
            self.add_rel(RelType.DISCUSSED, mid, pid, trig, rule="discussed:programme-in-meeting", confidence=0.5)
        for k in sorted(k for ss in seg_starts for k in self.instruments_in.get(ss, ())):
            ins = self.m.instruments[k]
            self.add_rel(RelType.DISCUSSED, mid, self.instrument_ids[ins.key], (ins.start, ins.end),
                         rule="discussed:instrument-in-meeting", confidence=0.5)

    # ------------------------------------------------------------------ cooperation and services

    def cooperation(self) -> None:
        t = self.text
        last = self.reference_date.isoformat() if self.reference_date else None
        for seg in self.m.sentences:
            mm = _COOPERATION.search(t[seg.start:seg.end])
            if not mm:
                continue
            ents = self.entities_in(seg.start, seg.end)
            pos = seg.start + mm.start()
            conf, note = 0.65, None
            if len(ents) == 1:
                # the paragraph's first agency up to here, other than the one in the sentence
                speaker = next((e for pos, e in self.first_two_in_paragraph(self.paragraph(seg.start))
                                if pos < seg.end and e is not ents[0]), None)
                if speaker is None:
                    continue
                ents = [speaker, ents[0]]
                conf, note = 0.45, "one partner is named in the sentence; the other is the paragraph's first agency: check"
            if len(ents) < 2:
                continue
            first = ents[0]
            for other in ents[1:]:
                if other.id == first.id:
                    continue
                self.add_rel(RelType.COOPERATES_WITH, first.id, other.id, (pos, pos + len(mm.group(0))),
                             rule="cooperates:keyword", confidence=conf, note=note, last_seen=last)

    def services(self) -> None:
        t = self.text
        last = self.reference_date.isoformat() if self.reference_date else None
        for seg in self.m.sentences:
            sent = t[seg.start:seg.end]
            ents = self.entities_in(seg.start, seg.end)
            if not ents:
                continue
            for cid, ctype, info in self.cohorts:
                named = (_REFUGEE.search(sent) if ctype is CohortType.FOREIGN_REFUGEES
                         else (self._migrant_words(sent, seg.start) or _TRAFFICKING.search(sent) or re.search(r"\bkorban\b", sent, re.I)))
                if not named:
                    continue
                for pattern, cue_service in _SERVICE_CUES:
                    service = cue_service
                    if service is ServiceType.SAFE_RETURN and ctype is CohortType.FOREIGN_REFUGEES:
                        service = ServiceType.REPATRIATION_RESETTLEMENT
                    preferred = _SERVICE_AGENCY_KINDS.get(service)
                    pool = [e for e in ents if preferred is None or e.kind in preferred]
                    if not pool:
                        continue
                    # every cue, not only the first: "X belum menyediakan layanan kesehatan, sementara IOM akan
                    # memberikan pemeriksaan kesehatan" holds two, each with its own clause and its own status
                    for cue in pattern.finditer(sent):
                        ent = self._provider(pool, seg, cue.start(), cue.end())
                        cue_pos = seg.start + cue.start()
                        self.add_rel(RelType.SERVES, ent.id, cid, (cue_pos, seg.start + cue.end()),
                                     rule=f"serves:cue:{service.value}", confidence=0.5,
                                     note=f"'{cue.group(0)}' near {ent.canonical}: check who does it",
                                     service=service.value, last_seen=last)

    def _provider(self, pool: list[AgencyEntity], seg: Segment, start: int, end: int) -> AgencyEntity:
        """The agency of ``pool`` a service cue at [start, end) of sentence ``seg`` is credited to.

        One named in the cue's own clause if any (the clause also gives the
        status), else the one named nearest the cue in the sentence.
        """
        lo, hi = clause_of(self.text[seg.start:seg.end], (start, end))
        cue_pos = seg.start + start
        in_clause = [e for e in pool if self.mentions_between(e, seg.start + lo, seg.start + hi)]
        return min(in_clause or pool, key=lambda e: min(abs(m.start - cue_pos)
                                                         for m in self.mentions_between(e, seg.start, seg.end)))

    # ------------------------------------------------------------------ source

    def run(self) -> DocumentExtraction:
        self.regions()
        self.agencies()
        self.agency_relationships()
        self.instruments()
        self.find_cohorts()
        self.facilities()
        self.programmes()
        self.find_meetings()
        self.cooperation()
        self.services()
        doc = DocumentExtraction(self.article, self.src, self.source_match, self.m, self.entities, self.records,
                                 list(self.rels.values()), self.reference_date)
        return doc


def build_document(article: Article, mentions: Mentions, dataset: Dataset | None, gaz: Gazetteer, *,
                   source_id: str, source_match: str | None, ids: _Ids) -> DocumentExtraction:
    """Turn one article's mentions into proposed records and relationships."""
    return _Builder(article, mentions, dataset, gaz, source_id, source_match, ids).run()
