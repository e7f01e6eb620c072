"""Cooperation between agencies, and the services they give a cohort, read from cue words."""

from __future__ import annotations

import re

from graphmodel.extract.records.builder import DocumentBuilder
from graphmodel.extract.records.cohorts import REFUGEE_WORDS, TRAFFICKING_WORDS, migrant_words
from graphmodel.extract.records.document import AgencyEntity
from graphmodel.extract.status import clause_of
from graphmodel.extract.text import Segment
from graphmodel.model.schema import AgencyKind, CohortType, RelType, ServiceType

__all__ = ["propose_cooperation", "propose_services"]

_COOPERATION = re.compile(r"\b(?:bekerja\s*sama|kerja\s*sama|kerjasama|bermitra|mitra|kemitraan|berkolaborasi|kolaborasi|menggandeng|gandeng|berkoordinasi|sinergi)\b", re.I)
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


def propose_cooperation(b: DocumentBuilder) -> None:
    """Propose COOPERATES_WITH between the agencies of a sentence with a cooperation word."""
    t = b.text
    last = b.reference_date.isoformat() if b.reference_date else None
    for seg in b.m.sentences:
        mm = _COOPERATION.search(t[seg.start:seg.end])
        if not mm:
            continue
        ents = b.entities_in(seg.start, seg.end)
        pos = seg.start + mm.start()
        conf, note = 0.65, None
        if len(ents) == 1:
            # the paragraph's first agency up to here, other than the one in the sentence
            speaker = next((e for pos, e in b.first_two_in_paragraph(b.paragraph(seg.start))
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
            b.add_rel(RelType.COOPERATES_WITH, first.id, other.id, (pos, pos + len(mm.group(0))),
                      rule="cooperates:keyword", confidence=conf, note=note, last_seen=last)


def propose_services(b: DocumentBuilder) -> None:
    """Propose SERVES from an agency to a cohort for each service cue in a sentence naming both."""
    t = b.text
    last = b.reference_date.isoformat() if b.reference_date else None
    for seg in b.m.sentences:
        sent = t[seg.start:seg.end]
        ents = b.entities_in(seg.start, seg.end)
        if not ents:
            continue
        for cid, ctype, _info in b.cohorts:
            named = (REFUGEE_WORDS.search(sent) if ctype is CohortType.FOREIGN_REFUGEES
                     else (migrant_words(b, sent, seg.start) or TRAFFICKING_WORDS.search(sent) or re.search(r"\bkorban\b", sent, re.I)))
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
                    ent = _provider(b, pool, seg, cue.start(), cue.end())
                    cue_pos = seg.start + cue.start()
                    b.add_rel(RelType.SERVES, ent.id, cid, (cue_pos, seg.start + cue.end()),
                              rule=f"serves:cue:{service.value}", confidence=0.5,
                              note=f"'{cue.group(0)}' near {ent.canonical}: check who does it",
                              service=service.value, last_seen=last)


def _provider(b: DocumentBuilder, pool: list[AgencyEntity], seg: Segment, start: int, end: int) -> AgencyEntity:
    """The agency of ``pool`` a service cue at [start, end) of sentence ``seg`` is credited to.

    One named in the cue's own clause if any (the clause also gives the
    status), else the one named nearest the cue in the sentence.
    """
    lo, hi = clause_of(b.text[seg.start:seg.end], (start, end))
    cue_pos = seg.start + start
    in_clause = [e for e in pool if b.mentions_between(e, seg.start + lo, seg.start + hi)]
    return min(in_clause or pool, key=lambda e: min(abs(m.start - cue_pos)
                                                     for m in b.mentions_between(e, seg.start, seg.end)))
