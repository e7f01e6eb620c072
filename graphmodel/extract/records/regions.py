"""Region records: the regions a document names, attached to the seed's or added with their official code."""

from __future__ import annotations

from collections import defaultdict

from graphmodel.extract.records.builder import DocumentBuilder, quoted_evidence
from graphmodel.model.regions import official_regions
from graphmodel.model.schema import NodeLabel, Region, RegionKind, Source, SourceKind
from graphmodel.util.text import fold_name

__all__ = ["propose_regions"]


def propose_regions(b: DocumentBuilder) -> None:
    """Propose the regions named, attached to the seed's by official code, or new ones from the official list with their parent."""
    by_code: dict[str, list] = defaultdict(list)
    for r in b.m.regions:
        by_code[r.code].append(r)
    seed_by_code = {}
    country = "indonesia"
    ref_sources = {"province": "idn-area-provinces", "regency": "idn-area-regencies"}
    if b.ds is not None:
        for n in b.ds.nodes.values():
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
        entry = b.gaz.regions[code]
        mentions = needed[code]
        notes = "; ".join(dict.fromkeys(m.note for m in mentions if m.note)) or None
        if code in seed_by_code:
            rid = seed_by_code[code]
            b.region_ids[code] = rid
            node = b.seed_node(rid)
            printed = sorted({m.text for m in mentions if not m.text.isupper()} - {node.name, *node.aliases}
                             - {a for a in {m.text for m in mentions} if fold_name(a) in {fold_name(x) for x in (node.name, *node.aliases)}})
            data = {"id": rid, "name": node.name}
            if printed:
                data["aliases"] = printed
            span = (mentions[0].start, mentions[0].end)  # a seed region is here because the text names it
            b.add_node(NodeLabel.REGION, data, rule=mentions[0].rule, confidence=max(m.confidence for m in mentions),
                       span=span, match=rid, note=notes)
            continue
        prefix = {RegionKind.PROVINCE: "prov", RegionKind.CITY: "kota", RegionKind.REGENCY: "kab"}[entry.kind]
        rid = b.ids.new(f"{prefix}-{entry.base if entry.kind is not RegionKind.PROVINCE else entry.name}")
        b.region_ids[code] = rid
        parent = country if entry.province is None else b.region_ids.get(entry.province) or seed_by_code.get(entry.province)
        ref = official[code]
        evidence = [{"source": ref_sources["province" if entry.kind is RegionKind.PROVINCE else "regency"], "quote": ref.csv_row}]
        aliases = sorted({m.text for m in mentions if not m.text.isupper() and m.text != entry.name
                          and fold_name(m.text) != fold_name(entry.name)})
        data = {"id": rid, "name": entry.name}
        if aliases:
            data["aliases"] = aliases
        data.update({"kind": entry.kind.value, "code": code, "parent": parent, "evidence": evidence})
        if mentions:
            span = (mentions[0].start, mentions[0].end)
            qs, qe = b.quote(*span)
            evidence.append(quoted_evidence(b.src, b.text, qs, qe))
            b.add_node(NodeLabel.REGION, data, rule=mentions[0].rule, confidence=max(m.confidence for m in mentions),
                       span=span, note=notes)
        else:
            child = next(c for c in by_code if c.startswith(code + "."))
            cm = by_code[child][0]
            b.add_node(NodeLabel.REGION, data, rule="region:parent", confidence=0.9, span=(cm.start, cm.end),
                       note=f"not named in the text: the province of {b.gaz.regions[child].name}, needed as its parent")
