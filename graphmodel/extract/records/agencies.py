"""Agency records, and what their names tell: jurisdiction and the body they are part of."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from graphmodel.extract.mentions import AgencyMention
from graphmodel.extract.records.builder import DocumentBuilder, quoted_evidence
from graphmodel.extract.records.document import AgencyEntity
from graphmodel.extract.resolve import Resolution, normalise_name
from graphmodel.extract.status import StatusReading
from graphmodel.model.schema import (
    ActivityStatus,
    AdminLevel,
    Agency,
    AgencyKind,
    NodeLabel,
    Region,
    RegionKind,
    RelType,
)
from graphmodel.util.text import fold_name

__all__ = ["propose_agencies", "propose_agency_relationships"]

_STRUCTURE = StatusReading(ActivityStatus.INFERRED, "", why="structural knowledge, not stated in the text")
"""PART_OF from the administrative structure (a Rudenim in Ditjen Imigrasi): the curator's inference."""


def propose_agencies(b: DocumentBuilder) -> None:
    """Propose the agencies named: one record per agency, however often and however spelled it is named.

    A name that resolves to a seed agency attaches to it (new spellings become
    aliases); a new one gets a fresh id from its kind and place. Indexes the
    mentions by place for the builders that follow.
    """
    groups: dict[str, list[tuple[AgencyMention, Resolution]]] = defaultdict(list)
    for mention in b.m.agencies:
        if len(mention.seed_ids) == 1:
            res = Resolution(mention.seed_ids[0], "exact")
        else:
            res = b.resolve((mention.canonical, *mention.aliases, mention.text))
        key = res.match or "new:" + normalise_name(mention.canonical, b.gaz)
        groups[key].append((mention, res))
    for items in groups.values():
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
            node = b.seed_node(res.match)
            if node is not None:
                ent.canonical = node.name
                ent.kind, ent.level = node.kind, node.level
                ent.acronym = node.acronym or ent.acronym
        b.entities.append(ent)
    b.entities.sort(key=lambda e: e.first.start)
    for ent in b.entities:
        m0 = ent.first
        notes = [n for n in dict.fromkeys(m.note for m in ent.mentions) if n]
        if ent.resolution.note:
            notes.insert(0, ent.resolution.note)
        if ent.id:
            node = b.seed_node(ent.id)
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
            data["evidence"] = _mention_evidence(b, ent.mentions)
            b.add_node(NodeLabel.AGENCY, data, rule=ent.rule, confidence=ent.confidence, span=(m0.start, m0.end),
                       match=ent.id, note="; ".join(notes) or None)
            continue
        ent.id = b.ids.new(_agency_slug(b, ent))
        data = {"id": ent.id, "name": ent.canonical}
        if ent.aliases:
            data["aliases"] = ent.aliases
        data.update({"kind": ent.kind.value, "level": ent.level.value})
        if ent.acronym:
            data["acronym"] = ent.acronym
        data["evidence"] = _mention_evidence(b, ent.mentions)
        if ent.region:
            data["notes"] = f"Jurisdiction read from the name: {b.gaz.regions[ent.region].name} ({ent.region})."
        b.add_node(NodeLabel.AGENCY, data, rule=ent.rule, confidence=ent.confidence if not ent.resolution.candidates else 0.6,
                   span=(m0.start, m0.end), note="; ".join(notes) or "new agency", candidates=ent.resolution.candidates)
    b.index_agencies()


def _mention_evidence(b: DocumentBuilder, mentions: list[AgencyMention]) -> list[dict]:
    out: list[dict] = []
    for m in mentions:
        qs, qe = b.quote(m.start, m.end)
        ev = quoted_evidence(b.src, b.text, qs, qe)
        if ev not in out:
            out.append(ev)
        if len(out) == 2:
            break
    return out


def _agency_slug(b: DocumentBuilder, ent: AgencyEntity) -> str:
    reg = b.gaz.regions.get(ent.region) if ent.region else None
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


def propose_agency_relationships(b: DocumentBuilder) -> None:
    """Propose what the agencies' names tell: jurisdiction over the region named, and the body each is part of."""
    seed_gov = _seed_governments(b)
    text_gov: dict[str, str] = {}  # region code -> the first regional government named in the text
    for e in b.entities:
        if e.kind is AgencyKind.REGIONAL_GOVERNMENT and e.region is not None:
            text_gov.setdefault(e.region, e.id)
    for ent in b.entities:
        m0 = ent.first
        if ent.region and ent.region in b.region_ids:
            with_region = next((m for m in ent.mentions if m.region == ent.region), m0)
            b.add_rel(RelType.HAS_JURISDICTION, ent.id, b.region_ids[ent.region], (with_region.start, with_region.end),
                      rule="jurisdiction:name", confidence=0.8,
                      note=f"the agency's name carries {b.gaz.regions[ent.region].name}")
        for m in ent.mentions:
            if m.parent is None:
                continue
            parent = _entity_for(b, m.parent)
            if parent:
                b.add_rel(RelType.PART_OF, ent.id, parent, (m.start, m.end), rule="part-of:name",
                          confidence=0.8 if not m.parent.nested or m.parent.rule != "agency:international" else 0.6,
                          note=m.parent_note)
                break
        if ent.kind is AgencyKind.REGIONAL_DEPARTMENT and ent.region:
            gov = text_gov.get(ent.region) or seed_gov.get(ent.region)
            if gov:
                b.add_rel(RelType.PART_OF, ent.id, gov, (m0.start, m0.end), rule="part-of:regional-department",
                          confidence=0.7, note="a Dinas/Badan of a region belongs to that region's government",
                          reading=_STRUCTURE)
        if ent.kind in (AgencyKind.DETENTION_CENTRE, AgencyKind.IMMIGRATION_OFFICE):
            ditjen = _find_agency(b, "Direktorat Jenderal Imigrasi")
            if ditjen:
                b.add_rel(RelType.PART_OF, ent.id, ditjen, (m0.start, m0.end), rule="part-of:structure",
                          confidence=0.6, note="structural knowledge, not stated in the text: Rudenim and "
                          "Kantor Imigrasi are technical units of the Directorate General of Immigration",
                          reading=_STRUCTURE)


def _entity_for(b: DocumentBuilder, mention: AgencyMention) -> str | None:
    ent = b.entity_of.get(id(mention))
    if ent is not None:
        return ent.id
    return _find_agency(b, mention.canonical, mention.text)


def _find_agency(b: DocumentBuilder, *names: str) -> str | None:
    """The id of the agency going by one of ``names``: named in the text, else in the seed (once per names)."""
    if names not in b.found_agencies:
        b.found_agencies[names] = _look_up_agency(b, names)
    return b.found_agencies[names]


def _look_up_agency(b: DocumentBuilder, names: tuple[str, ...]) -> str | None:
    for ent in b.entities:
        if any(fold_name(n) in ent.names() or normalise_name(n, b.gaz) in {normalise_name(x, b.gaz) for x in (ent.canonical, *ent.aliases)} for n in names):
            return ent.id
    if b.ds is not None:
        return b.resolve(names).match
    return None


def _seed_governments(b: DocumentBuilder) -> dict[str, str]:
    out: dict[str, str] = {}
    if b.ds is None:
        return out
    for rel in b.ds.relationships:
        if rel.type == RelType.HAS_JURISDICTION.value:
            agency, region = b.ds.nodes.get(rel.source_node), b.ds.nodes.get(rel.target_node)
            if isinstance(agency, Agency) and agency.kind is AgencyKind.REGIONAL_GOVERNMENT and isinstance(region, Region) and region.code:
                out[region.code] = agency.id
    return out
