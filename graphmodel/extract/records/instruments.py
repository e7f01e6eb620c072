"""Legal instrument records (laws and regulations cited), and who applies them."""

from __future__ import annotations

import re
from collections import defaultdict

from graphmodel.extract.mentions import InstrumentMention
from graphmodel.extract.records.builder import DocumentBuilder
from graphmodel.extract.rules import KNOWN_TITLES
from graphmodel.model.schema import LegalInstrument, NodeLabel, RelType
from graphmodel.util.text import fold_name

__all__ = ["propose_instruments"]


def propose_instruments(b: DocumentBuilder) -> None:
    """Propose the legal instruments cited, and APPLIES from the agency of the sentence (else of the paragraph) citing each."""
    groups: dict[str, list[InstrumentMention]] = defaultdict(list)
    for ins in b.m.instruments:
        groups[ins.key].append(ins)
    for key, items in groups.items():
        first = items[0]
        match = None
        if b.ds is not None:
            for n in b.ds.nodes.values():
                if isinstance(n, LegalInstrument) and n.kind is first.kind and n.number == first.number and n.year == first.year:
                    match = n.id
        printed = [re.sub(r"\s+", " ", i.text) for i in items]
        if match:
            node = b.seed_node(match)
            known = {fold_name(x) for x in (node.name, *node.aliases)}
            data = {"id": match, "name": node.name}
            new = [p for p in dict.fromkeys(printed) if fold_name(p) not in known]
            if new:
                data["aliases"] = new
            b.instrument_ids[key] = match
            b.add_node(NodeLabel.LEGAL_INSTRUMENT, data, rule=first.rule, confidence=0.95, span=(first.start, first.end), match=match)
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
        iid = b.ids.new(f"{first.short}-{first.number}-{first.year}")
        b.instrument_ids[key] = iid
        data = {"id": iid, "name": name}
        aliases = [p for p in dict.fromkeys(printed) if p != name]
        if aliases:
            data["aliases"] = aliases
        data.update({"kind": first.kind.value, "number": first.number, "year": first.year,
                     "title": title or "(title not printed in the source)"})
        b.add_node(NodeLabel.LEGAL_INSTRUMENT, data, rule=first.rule, confidence=0.9, span=(first.start, first.end), note=note)
    for ins in b.m.instruments:
        sent = b.sentence(ins.start)
        agencies = b.entities_in(sent.start, sent.end)
        conf, note = 0.7, None
        if not agencies:
            agencies = [e for _, e in b.first_two_in_paragraph(b.paragraph(ins.start))[:1]]
            conf, note = 0.5, "no agency in the sentence: the paragraph's first agency is taken as the one applying it"
        if agencies:
            b.add_rel(RelType.APPLIES, agencies[0].id, b.instrument_ids[ins.key], (ins.start, ins.end),
                      rule="applies:instrument-cited", confidence=conf, note=note)
