"""Programme records: cash and in-kind aid the document reports, and programmes the seed knows by name."""

from __future__ import annotations

import re
from typing import Any

from graphmodel.extract.records.builder import DocumentBuilder
from graphmodel.extract.records.cohorts import REFUGEE_WORDS, TRAFFICKING_WORDS, migrant_words
from graphmodel.extract.records.document import AgencyEntity
from graphmodel.extract.text import Segment, slugify
from graphmodel.model.schema import CohortType, NodeLabel, Programme, RelType, ServiceType

__all__ = ["propose_programmes"]

_ITEM_UNIT = re.compile(r"[\w -]{0,40}?(?=\s+(?:untuk|kepada|bagi|ke|yang|dan)\b|[,.;]|$)")
_AID = re.compile(r"\b(?:bantuan|santunan|biaya\s+hidup|uang\s+tunai|tunjangan|uang\s+saku|cash)\b", re.I)
_AID_VERB = re.compile(r"\b(?:menyerahkan|memberikan|membagikan|mengirimkan|menyalurkan|mendistribusikan|bantuan|diserahkan|dibagikan)\b", re.I)


def propose_programmes(b: DocumentBuilder) -> None:
    """Propose the programmes reported: cash aid, in-kind aid, and programmes the seed knows named in the text."""
    t = b.text
    for money in b.m.money:
        seg = b.sentence(money.start)
        sent = t[seg.start:seg.end]
        if not _AID.search(sent):
            continue
        implementer = _subject(b, seg, money.start)
        prog_match = None
        if b.ds is not None:
            for n in b.ds.nodes.values():
                if isinstance(n, Programme) and n.money and abs(n.money.amount - money.amount) < 0.5 and n.money.currency == money.currency:
                    prog_match = n.id
        who = implementer.acronym or implementer.canonical if implementer else "Unknown provider"
        per = f" per {money.per}" if money.per else ""
        if prog_match:
            pid = prog_match
            b.add_node(NodeLabel.PROGRAMME, {"id": pid, "name": b.seed_node(pid).name}, rule="programme:cash",
                       confidence=0.8, span=(money.start, money.end), match=pid,
                       note="same amount of money as the existing programme")
        else:
            pid = b.ids.new(f"prog-{slugify(who, 20)}-cash-{b.src}")
            data: dict[str, Any] = {"id": pid, "name": f"{who} cash assistance ({money.original}{per})", "kind": "cash_assistance",
                    "services": ["basic_needs_cash"],
                    "money": {"amount": money.amount if money.amount != int(money.amount) else int(money.amount),
                              "currency": money.currency, "per": money.per, "original": money.original}}
            if money.per is None:
                del data["money"]["per"]
            b.add_node(NodeLabel.PROGRAMME, data, rule="programme:cash", confidence=0.7, span=(money.start, money.end),
                       note=None if implementer else "no provider named in the sentence")
        _programme_links(b, pid, seg, implementer, (money.start, money.end), ServiceType.BASIC_NEEDS_CASH)
    for c in b.m.counts:
        if c.kind != "items":
            continue
        seg = b.sentence(c.start)
        sent = t[seg.start:seg.end]
        if not _AID_VERB.search(sent):
            continue
        unit_m = _ITEM_UNIT.match(t, c.end - len(c.unit))
        unit = (unit_m.group(0) if unit_m else c.unit).strip() or c.unit
        around = t[c.start:min(seg.end, c.end + 80)]
        services = ["health"] if re.search(r"hygiene|kebersihan|kesehatan|medis|masker|APD|ventilator|obat", around, re.I) else ["basic_needs_cash"]
        implementer = _subject(b, seg, c.start)
        who = implementer.acronym or implementer.canonical if implementer else "Unknown provider"
        prog_match = None
        if b.ds is not None:
            for n in b.ds.nodes.values():
                if isinstance(n, Programme) and n.quantity and n.quantity.value == c.value:
                    prog_match = n.id
        original = f"{t[c.start:c.end - len(c.unit)]}{unit}"
        if prog_match:
            pid = prog_match
            b.add_node(NodeLabel.PROGRAMME, {"id": pid, "name": b.seed_node(pid).name}, rule="programme:in-kind",
                       confidence=0.8, span=(c.start, c.end), match=pid, note="same quantity as the existing programme")
        else:
            pid = b.ids.new(f"prog-{slugify(who, 20)}-aid-{b.src}")
            data = {"id": pid, "name": f"{who}: {original}", "kind": "in_kind_aid", "services": services,
                    "quantity": {"value": c.value, "unit": unit, "original": original}}
            if b.reference_date:
                data["start"] = b.reference_date.isoformat()
            b.add_node(NodeLabel.PROGRAMME, data, rule="programme:in-kind", confidence=0.65, span=(c.start, c.end),
                       note="start is the report's date" if b.reference_date else None)
        _programme_links(b, pid, seg, implementer, (c.start, c.end), ServiceType(services[0]))
    # programmes the seed already knows, named in the text
    for (label, name), ids in b.gaz.other_names.items():
        if label != "PROGRAMME" or len(ids) != 1:
            continue
        for mm in re.finditer(re.escape(name), t, re.I):
            pid = next(iter(ids))
            if any(r.label is NodeLabel.PROGRAMME and r.id == pid for r in b.records):
                break
            b.add_node(NodeLabel.PROGRAMME, {"id": pid, "name": b.seed_node(pid).name}, rule="programme:seed-name",
                       confidence=0.9, span=(mm.start(), mm.end()), match=pid)
            seg = b.sentence(mm.start())
            b.found_programmes.append((pid, seg.start, set()))
            implementer = _subject(b, seg, mm.start())
            if implementer:
                b.add_rel(RelType.IMPLEMENTS, implementer.id, pid, (mm.start(), mm.end()), rule="implements:subject", confidence=0.6)
            break


def _subject(b: DocumentBuilder, seg: Segment, pos: int) -> AgencyEntity | None:
    """The agency that does what a sentence says: after 'oleh', else the last before ``pos``, else the first."""
    t = b.text
    oleh = re.search(r"\b(?:oleh|dari)\s+", t[seg.start:seg.end])
    if oleh:
        ent = next(iter(b.entities_in(seg.start + oleh.end(), min(seg.end, seg.start + oleh.end() + 3))), None)
        if ent:
            return ent
    before = b.entities_in(seg.start, pos)
    if before:
        return before[-1]
    inside = b.entities_in(seg.start, seg.end)
    return inside[0] if inside else None


def _programme_links(b: DocumentBuilder, pid: str, seg: Segment, implementer: AgencyEntity | None, span: tuple[int, int],
                     service: ServiceType) -> None:
    sent = b.text[seg.start:seg.end]
    targets = set()
    if implementer:
        b.add_rel(RelType.IMPLEMENTS, implementer.id, pid, span, rule="implements:subject", confidence=0.65)
    named = [c for c in b.cohorts
             if (c[1] is CohortType.FOREIGN_REFUGEES and REFUGEE_WORDS.search(sent))
             or (c[1] is not CohortType.FOREIGN_REFUGEES and (migrant_words(b, sent, seg.start) or TRAFFICKING_WORDS.search(sent)))]
    only = len(b.cohorts) == 1 and not named
    for cid, ctype, _info in b.cohorts:
        hit = any(c[0] == cid for c in named) or only
        if hit:
            targets.add(ctype)
            b.add_rel(RelType.TARGETS, pid, cid, span, rule="targets:cohort-named", confidence=0.6)
            if implementer:
                b.add_rel(RelType.SERVES, implementer.id, cid, span, rule="serves:programme", confidence=0.6,
                          service=service.value,
                          last_seen=b.reference_date.isoformat() if b.reference_date else None)
    b.found_programmes.append((pid, seg.start, targets))
