"""Facility records: detention houses, shelters, transit posts and protection centres, and who operates them."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from typing import Any

from graphmodel.extract.numbers import CountMention
from graphmodel.extract.records.builder import DocumentBuilder
from graphmodel.extract.status import StatusReading
from graphmodel.extract.text import Segment, slugify
from graphmodel.model.schema import ActivityStatus, AgencyKind, CohortType, Facility, FacilityKind, NodeLabel, RelType
from graphmodel.util.text import fold_name

__all__ = ["propose_facilities"]

_UNDER = re.compile(r"\s+di\s+bawah\s+")
_NAMED_OPERATOR = StatusReading(ActivityStatus.REPORTED, "", why="the text names the operator with the facility "
                                "(its name, or 'di bawah'), whatever the sentence says of the people in it")
"""OPERATES read from a facility's name: the operator is a fact of the name, not of the sentence's verb."""


def propose_facilities(b: DocumentBuilder) -> None:
    """Propose the facilities named: detention houses holding people, hotels and shelters, transit posts, protection centres.

    Each gets its region (LOCATED_IN), its operator when named (OPERATES) and
    the cohort it shelters (SHELTERS, with the count when one is printed).
    """
    t = b.text
    made: dict[str, str] = {}

    def facility(name: str, kind: FacilityKind, span: tuple[int, int], *, rule: str, confidence: float,
                 region: str | None = None, operator: str | None = None, note: str | None = None, aliases=()) -> str:
        key = fold_name(name)
        if key in made:
            return made[key]
        match = None
        if b.ds is not None:
            ids = {i for i in b.ds.candidates(name) if isinstance(b.ds.nodes[i], Facility)}
            for (label, fname), fids in b.gaz.other_names.items():
                if label == "FACILITY" and fold_name(fname) == key:
                    ids |= fids
            if operator and not ids:
                for rel in b.ds.relationships:
                    if rel.type == RelType.OPERATES.value and rel.source_node == operator:
                        fac = b.ds.nodes.get(rel.target_node)
                        if isinstance(fac, Facility) and fac.kind is kind:
                            ids.add(fac.id)
            if region and not ids and kind is FacilityKind.COMMUNITY_SHELTER:
                rid = b.region_ids.get(region)
                for rel in b.ds.relationships:
                    if rel.type == RelType.LOCATED_IN.value and rel.target_node == rid:
                        fac = b.ds.nodes.get(rel.source_node)
                        if isinstance(fac, Facility) and fac.kind is kind:
                            ids.add(fac.id)
            if len(ids) == 1:
                match = next(iter(ids))
        if match:
            node = b.seed_node(match)
            b.add_node(NodeLabel.FACILITY, {"id": match, "name": node.name}, rule=rule, confidence=confidence,
                       span=span, match=match, note=note)
            fid = match
        else:
            fid = b.ids.new(slugify(name, 50))
            data: dict[str, Any] = {"id": fid, "name": name}
            if aliases:
                data["aliases"] = list(aliases)
            data["kind"] = kind.value
            b.add_node(NodeLabel.FACILITY, data, rule=rule, confidence=confidence, span=span, note=note)
        made[key] = fid
        if region and region in b.region_ids:
            b.add_rel(RelType.LOCATED_IN, fid, b.region_ids[region], span, rule="located-in:facility", confidence=0.7)
        if operator:
            b.add_rel(RelType.OPERATES, operator, fid, span, rule="operates:facility", confidence=0.65,
                      reading=_NAMED_OPERATOR)
        return fid

    def region_near(start: int, end: int) -> str | None:
        inside = b.regions_between(start, end)
        if inside:
            return inside[-1].code
        seg = b.sentence(start)
        regs = b.regions_in(seg.start, seg.end)
        return regs[0].code if regs else None

    refugees = next((c for c in b.cohorts if c[1] is CohortType.FOREIGN_REFUGEES), None)
    subcounts_in: dict[Segment, list[CountMention]] = defaultdict(list)  # the refugees' subcounts, by sentence
    for c in refugees[2]["subcounts"] if refugees else []:
        subcounts_in[b.sentence(c.start)].append(c)
    # detention houses where people are held
    for ent in b.entities:
        if ent.kind is not AgencyKind.DETENTION_CENTRE:
            continue
        for m in ent.mentions:
            before = t[max(0, m.start - 40):m.start]
            same = subcounts_in.get(b.sentence(m.start), [])
            sub = min(same, key=lambda c: (c.start > m.start, abs(m.start - c.start)), default=None)
            if re.search(r"\b(?:berada|ditahan|ditampung|tinggal|menghuni|dititipkan)\s+di\s*$", before) or sub:
                reg = b.gaz.regions.get(ent.region) if ent.region else None
                name = f"Rumah Detensi Imigrasi {reg.base if reg else ''} (detention building)".replace("  ", " ")
                fid = facility(name, FacilityKind.DETENTION_CENTRE, (m.start, m.end), rule="facility:detention",
                               confidence=0.7, region=ent.region, operator=ent.id)
                if refugees:
                    b.add_rel(RelType.SHELTERS, fid, refugees[0], (sub.start, sub.end) if sub else (m.start, m.end),
                              rule="shelters:count" if sub else "shelters:held", confidence=0.7,
                              count=sub.value if sub else None, count_basis=sub.basis if sub else None,
                              as_of=b.reference_date.isoformat() if b.reference_date else None)
                break
    # hotels and guesthouses used as shelters
    for mm in re.finditer(r"\b(Hotel|Wisma)\s+([A-Z][\w’'-]*(?:[ \t]+(?!dan\b|serta\b)[A-Z][\w’'-]*){0,3})", t):
        seg = b.sentence(mm.start())
        sent = t[seg.start:seg.end]
        if not re.search(r"penampungan|shelter|pengungsi|ditampung|tinggal", sent, re.I):
            continue
        name = f"{mm.group(1)} {mm.group(2)}".strip().rstrip(".")
        kind = FacilityKind.HOTEL_SHELTER if mm.group(1) == "Hotel" else FacilityKind.COMMUNITY_SHELTER
        fid = facility(name, kind, (mm.start(), mm.end()), rule="facility:hotel", confidence=0.7,
                       region=region_near(mm.start(), mm.end()))
        if refugees:
            b.add_rel(RelType.SHELTERS, fid, refugees[0], (mm.start(), mm.end()), rule="shelters:named", confidence=0.65)
    # unnamed community shelters
    for mm in re.finditer(r"\b(?:(?:sejumlah|beberapa|berbagai|\d+|dua|tiga|empat|lima)\s+)?(?:tempat\s+|wisma\s+|rumah\s+)?penampungan(?:\s*\(community house\))?|\bcommunity\s+house", t, re.I):
        seg = b.sentence(mm.start())
        if re.search(r"\b(?:Hotel|Wisma)\s+[A-Z]", t[mm.end():seg.end]) or not refugees:
            continue
        code = region_near(mm.start(), mm.end()) or next(iter(refugees[2]["hosts"]), None)
        place = b.gaz.regions[code].name if code else "the area"
        fid = facility(f"Community shelters for refugees in {place}", FacilityKind.COMMUNITY_SHELTER, (mm.start(), mm.end()),
                       rule="facility:community-shelter", confidence=0.6, region=code,
                       note="several shelters named together; one node stands for all of them")
        sub = next((c for c in refugees[2]["subcounts"]
                    if b.sentence(c.start) == seg and abs(c.start - mm.start()) < 80), None)
        b.add_rel(RelType.SHELTERS, fid, refugees[0], (sub.start, mm.end()) if sub and sub.start < mm.start() else (mm.start(), mm.end()),
                  rule="shelters:count" if sub else "shelters:named", confidence=0.65,
                  count=sub.value if sub else None, count_basis=sub.basis if sub else None,
                  as_of=b.reference_date.isoformat() if b.reference_date and sub else None)
        break
    # transit posts and agency shelters
    span_starts = [[s for s, _ in info["spans"]] for _, _, info in b.cohorts]  # spans are sorted
    for mm in re.finditer(r"\b(?:[Tt]ransit\s+[Pp]os|[Pp]os\s+[Tt]ransit|[Rr]umah\s+[Ss]inggah|[Ss]helter)\b", t):
        seg = b.sentence(mm.start())
        keeper = next(b.iter_entities_in(mm.end(), min(seg.end, mm.end() + 8)), None)
        if keeper is not None:
            name = f"Shelter {keeper.canonical}"
            end = max(m.end for m in b.mentions_between(keeper, mm.end(), mm.end() + 120))
            fid = facility(name, FacilityKind.TRANSIT_POST, (mm.start(), end), rule="facility:agency-shelter",
                           confidence=0.6, region=keeper.region, operator=keeper.id)
        else:
            reg = next(iter(b.regions_between(mm.end(), min(seg.end, mm.end() + 80))), None)
            if reg is None:
                continue
            words = t[mm.start():reg.end]
            if re.search(r"[,.;]", words):
                continue
            name = words[0].upper() + words[1:]
            fid = facility(name, FacilityKind.TRANSIT_POST, (mm.start(), reg.end), rule="facility:transit-post",
                           confidence=0.7, region=reg.code)
        for (cid, ctype, _info), starts in zip(b.cohorts, span_starts):
            k = bisect_left(starts, seg.start)
            if ctype is not CohortType.FOREIGN_REFUGEES and k < len(starts) and starts[k] < seg.end:
                b.add_rel(RelType.SHELTERS, fid, cid, (mm.start(), mm.end()), rule="shelters:transit", confidence=0.55)
    # RPTC
    for mm in re.finditer(r"\bRPTC\b|Rumah\s+Perlindungan\s+(?:dan\s+)?Trauma\s+Cent(?:er|re)", t):
        under = _UNDER.match(t, mm.end())
        operator = None
        if under:
            op = b.entity_at(under.end())
            operator = op.id if op else None
        facility("RPTC" if mm.group(0) == "RPTC" else mm.group(0), FacilityKind.PROTECTION_CENTRE, (mm.start(), mm.end()),
                 rule="facility:rptc", confidence=0.75, operator=operator)
