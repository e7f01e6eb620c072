"""Migrant cohort records: who the document is about, how many, and where they are."""

from __future__ import annotations

import re

from graphmodel.extract.numbers import CountMention
from graphmodel.extract.records.builder import DocumentBuilder, quoted_evidence
from graphmodel.extract.text import slugify
from graphmodel.model.schema import CohortType, MigrantCohort, NodeLabel, RelType

__all__ = ["propose_cohorts", "migrant_words", "REFUGEE_WORDS", "TRAFFICKING_WORDS", "MIGRANT_WORDS"]

REFUGEE_WORDS = re.compile(r"\b(?:pengungsi|imigran|pencari\s+suaka|orang\s+asing|WNA|warga\s+negara\s+asing|refugees?|asylum|Rohingya)\b", re.I)
TRAFFICKING_WORDS = re.compile(r"\b(?:korban\s+(?:tindak\s+pidana\s+)?perdagangan\s+(?:orang|manusia)|korban\s+TPPO|KPO|WNI[- ]?M\s*KPO|trafficking)\b", re.I)
_NONPROC = re.compile(r"\b(?:PMI[- ]NP|non[- ]?prosedural|nonprosedural|unprosedural|tidak\s+(?:resmi|prosedural)|ilegal|illegal|irregular)\b", re.I)
MIGRANT_WORDS = re.compile(r"\b(?:pekerja\s+migran|CPMI|TKI|TKW|buruh\s+migran|tenaga\s+kerja\s+indonesia)\b|\bPMI\b", re.I)
# matched at an offset (pattern.match(text, pos)), not on a slice that would copy the rest of the text
_SUBCOUNT = re.compile(r"\s*(?:orang\s+)?(?:\w+\s+){0,2}?(?:di\s?antaranya|lagi|lainnya|sisanya)\b", re.I)
_NOT_COHORT_AFTER = re.compile(r"\s*(?:orang\s+)?(?:tersangka|pelaku|petugas|anggota|personel|staf|pegawai|relawan|perekrut|calo)\b", re.I)
_COHORT_SHORT = {
    CohortType.FOREIGN_REFUGEES: "refugees", CohortType.INDONESIAN_MIGRANT_WORKERS: "pmi",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "pmi-np", CohortType.TRAFFICKING_VICTIMS: "tppo",
}


def _classify(b: DocumentBuilder, window: str) -> CohortType | None:
    if TRAFFICKING_WORDS.search(window):
        return CohortType.TRAFFICKING_VICTIMS
    if _NONPROC.search(window) and MIGRANT_WORDS.search(window):
        return CohortType.NON_PROCEDURAL_MIGRANT_WORKERS
    if REFUGEE_WORDS.search(window):
        return CohortType.FOREIGN_REFUGEES
    if migrant_words(b, window):
        return CohortType.INDONESIAN_MIGRANT_WORKERS
    return None


def migrant_words(b: DocumentBuilder, window: str, offset: int | None = None) -> bool:
    """Whether ``window`` names Indonesian migrant workers (a "PMI" at ``offset + i`` that reads as the Red Cross does not count)."""
    for mm in MIGRANT_WORDS.finditer(window):
        if mm.group(0) != "PMI":
            return True
        if offset is None:
            return True
        pos = offset + mm.start()
        reading = b.pmi_reading_at(pos)
        if reading is None or not reading.is_red_cross:
            return True
    return False


def _count_type(b: DocumentBuilder, c: CountMention) -> CohortType | None:
    if c.kind != "people" or _NOT_COHORT_AFTER.match(b.text, c.end - len(c.unit) - 1 if c.unit == "orang" else c.end):
        return None
    if _NOT_COHORT_AFTER.match(b.text, c.end):
        return None
    sent = b.sentence(c.start)
    local = b.text[max(sent.start, c.start - 60): min(sent.end, c.end + 80)]
    return _classify(b, local) or _classify(b, b.text[sent.start:sent.end])


def propose_cohorts(b: DocumentBuilder) -> None:
    """Propose the migrant cohorts the document is about: one per cohort type, with its size and the regions hosting it."""
    found: dict[CohortType, dict] = {}
    for c in b.m.counts:
        ctype = _count_type(b, c)
        if ctype is None:
            continue
        info = found.setdefault(ctype, {"counts": [], "subcounts": [], "spans": []})
        if _SUBCOUNT.match(b.text, c.end) or re.search(r"\b(?:sedangkan|sementara)\s*$", b.text[max(0, c.start - 20):c.start]):
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
        for mm in pattern.finditer(b.text):
            if ctype is CohortType.INDONESIAN_MIGRANT_WORKERS and "PMI" in mm.group(0):
                pos = b.text.find("PMI", mm.start())
                reading = b.pmi_reading_at(pos)
                if reading is not None and reading.is_red_cross:
                    continue
            info = found.setdefault(ctype, {"counts": [], "subcounts": [], "spans": []})
            info["spans"].append((mm.start(), mm.end()))
    # PMI-NP and PMI in general stay apart: a text that counts migrant workers does not count the non-procedural ones
    for ctype, info in found.items():
        _cohort(b, ctype, info)


def _cohort(b: DocumentBuilder, ctype: CohortType, info: dict) -> None:
    spans = sorted(info["spans"])
    first_start, first_end = spans[0]
    counts = info["counts"]
    size_c = counts[0] if counts else None
    sentences_ = list(dict.fromkeys(b.sentence(s) for s, _ in spans))
    presence_default = "residing" if ctype is CohortType.FOREIGN_REFUGEES else "origin"
    hosts: dict[str, tuple[str, int, int]] = {}
    for seg in sentences_:
        sent_text = b.text[seg.start:seg.end]
        for r in b.regions_in(seg.start, seg.end):
            before = b.text[max(seg.start, r.start - 40):r.start].casefold()
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
            if b.entity_at(r.start) is not None and ctype is CohortType.FOREIGN_REFUGEES and presence != "residing":
                continue  # "Rudenim Kupang" names the agency's place, not the cohort's
            hosts.setdefault(r.code, (presence, r.start, r.end))
    if not hosts:
        dateline = next((r for r in b.m.regions if r.rule == "region:dateline"), None)
        if dateline is not None:
            hosts[dateline.code] = (presence_default, dateline.start, dateline.end)
    main_code = next(iter(hosts), None)
    place = b.gaz.regions[main_code].name if main_code else None
    names = {
        CohortType.FOREIGN_REFUGEES: f"Foreign refugees in {place}" if place else "Foreign refugees",
        CohortType.INDONESIAN_MIGRANT_WORKERS: f"Indonesian migrant workers from {place}" if place else "Indonesian migrant workers",
        CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: f"Non-procedural Indonesian migrant workers (PMI-NP) from {place}" if place else "Non-procedural Indonesian migrant workers (PMI-NP)",
        CohortType.TRAFFICKING_VICTIMS: f"Indonesian trafficking victims at {place}" if place else "Indonesian trafficking victims",
    }
    match, match_note = _seed_cohort(b, ctype, set(hosts))
    nationalities = ["Indonesia"] if ctype is not CohortType.FOREIGN_REFUGEES else _nationalities(b, ctype)
    if match:
        cid = match
        data = {"id": cid, "name": b.seed_node(cid).name}
    else:
        cid = b.ids.new(f"cohort-{slugify(b.gaz.regions[main_code].base) if main_code else b.src}-{_COHORT_SHORT[ctype]}")
        data = {"id": cid, "name": names[ctype], "cohort_type": ctype.value}
        if size_c:
            data["size"] = size_c.value
            data["size_basis"] = size_c.basis
        else:
            data["size_basis"] = "unknown"
        if nationalities:
            data["nationalities"] = nationalities
        if b.reference_date:
            data["as_of"] = b.reference_date.isoformat()
    evidence = []
    for s, e in spans[:3]:
        qs, qe = b.quote(s, e)
        ev = quoted_evidence(b.src, b.text, qs, qe)
        if ev not in evidence:
            evidence.append(ev)
    data["evidence"] = evidence
    others = [c for c in counts[1:] if c.value != (size_c.value if size_c else None)]
    note_parts = [match_note] if match_note else []
    if others:
        note_parts.append("other figures in the text: " + ", ".join(f"{c.original!r}" for c in others))
    if ctype is CohortType.FOREIGN_REFUGEES:
        unknown = _unknown_nationalities(b)
        if unknown:
            note_parts.append("nationalities not in vocabulary.yaml (add them there first): " + ", ".join(unknown))
    if not match and b.reference_date and not b.article.date:
        note_parts.append("as_of is the latest date printed in the report")
    span = (size_c.start, size_c.end) if size_c else (first_start, first_end)
    b.add_node(NodeLabel.MIGRANT_COHORT, data, rule="cohort:count" if size_c else "cohort:term", confidence=0.75 if size_c else 0.6,
               span=span, match=match, note="; ".join(note_parts) or None)
    b.cohorts.append((cid, ctype, {"hosts": hosts, "subcounts": info["subcounts"], "size": size_c, "spans": spans}))
    for code, (presence, s, e) in hosts.items():
        if code in b.region_ids:
            b.add_rel(RelType.HOSTS_COHORT, b.region_ids[code], cid, (s, e), rule=f"hosts-cohort:{presence}",
                      confidence=0.7, presence=presence)


def _seed_cohort(b: DocumentBuilder, ctype: CohortType, codes: set[str]) -> tuple[str | None, str | None]:
    if b.ds is None or not codes:
        return None, None
    region_ids = {b.region_ids.get(c) for c in codes} - {None}
    for rel in b.ds.relationships:
        if rel.type == RelType.HOSTS_COHORT.value and rel.source_node in region_ids:
            node = b.ds.nodes.get(rel.target_node)
            if isinstance(node, MigrantCohort) and node.cohort_type is ctype:
                return node.id, f"same cohort type in the same region as the existing {node.id}"
    return None, None


def _nationalities(b: DocumentBuilder, ctype: CohortType) -> list[str]:
    out: list[str] = []
    for n in b.m.nationalities:
        if n.name == "Indonesia":
            continue
        seg = b.sentence(n.start)
        sent = b.text[seg.start:seg.end]
        if REFUGEE_WORDS.search(sent) or re.search(r"\b(?:berasal|asal|WN\.?|negara)\b", sent, re.I):
            if n.name not in out:
                out.append(n.name)
    return out


def _unknown_nationalities(b: DocumentBuilder) -> list[str]:
    known = {n.text for n in b.m.nationalities}
    out = []
    for seg in b.m.sentences:
        sent = b.text[seg.start:seg.end]
        mm = re.search(r"\b(?:berasal\s+dari|asal|WN\.?)\s+((?:[A-Z][a-z]+(?:,\s*|\s+dan\s+|\s+serta\s+)?){2,})", sent)
        if mm and REFUGEE_WORDS.search(sent):
            for name in re.split(r",\s*|\s+dan\s+|\s+serta\s+", mm.group(1)):
                name = name.strip()
                if name and name not in known and not b.gaz.lookup_region(name) and name not in out:
                    out.append(name)
    return out
