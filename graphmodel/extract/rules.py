"""The extraction rules: mentions of agencies, regions, dates, numbers, money and instruments.

Each rule returns mentions with character offsets into the article's text, the
rule's name and a confidence. Rules work on top of the gazetteer's spaCy spans
(regions, the seed's agencies, known organisations, nationalities) and add the
Indonesian agency-name patterns of :mod:`graphmodel.extract.agency_names`.

The rules cost time in proportion to the text's length: a rule looks at a
bounded window around what it matched (never "the rest of the text"), finds
the region after a head by bisection, and turns down overlapping mentions by
:class:`~graphmodel.extract.text.Claimed` characters, not by comparing with
every mention kept so far.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from typing import TYPE_CHECKING

from graphmodel.extract.agency_names import find_agencies
from graphmodel.extract.dates import DEFAULT_WINDOW, find_dates
from graphmodel.extract.gazetteer import SPANS_KEY, Gazetteer
from graphmodel.extract.mentions import InstrumentMention, Mentions, NationalityMention, PmiMention, RegionMention
from graphmodel.extract.numbers import find_counts, find_money
from graphmodel.extract.resolve import pmi_definitions, pmi_reading
from graphmodel.extract.text import Claimed, sentences
from graphmodel.model.schema import InstrumentKind, RegionKind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["find_mentions", "KNOWN_TITLES"]


# --------------------------------------------------------------------------- regions


def _regions(doc, gaz: Gazetteer, text: str) -> list[RegionMention]:
    spans = [s for s in doc.spans[SPANS_KEY] if s.label_ == "REGION"]
    spans.sort(key=lambda s: (-(s.end_char - s.start_char), s.start_char))
    taken = Claimed(len(text))
    out: list[RegionMention] = []
    for s in spans:
        a, b = s.start_char, s.end_char
        if taken.overlaps(a, b):
            continue
        if text[a:b].isupper() and text[a:b] not in gaz.bare_names and a > 200:
            continue  # an upper-case name outside the dateline is more likely a heading or an acronym
        taken.claim(a, b)
        codes = tuple(sorted(s.id_.split("|")))
        prefixed = bool(re.match(r"(?i)(kota|kabupaten|kab\.?|provinsi|prov\.?|propinsi)\b", text[a:b]))
        rule = "region:prefixed" if prefixed else ("region:dateline" if text[a:b].isupper() else "region:bare")
        out.append(RegionMention(a, b, text[a:b], codes, rule, 0.95 if prefixed else 0.85))
    out.sort(key=lambda m: m.start)
    # an ambiguous bare name (Kupang: Kota or Kabupaten) follows an explicit mention in the same text
    explicit = Counter(m.code for m in out if len(m.codes) == 1)
    for m in out:
        if len(m.codes) > 1:
            seen = [c for c in m.codes if explicit.get(c)]
            if len(seen) == 1:
                m.codes = (seen[0],)
                m.note = f"'{m.text}' may be {' or '.join(gaz.regions[c].name for c in sorted(set(m.codes) | set(seen)))}; the text names {gaz.regions[seen[0]].name} elsewhere"
            else:
                cities = [c for c in m.codes if gaz.regions[c].kind is RegionKind.CITY]
                chosen = cities[0] if cities else m.codes[0]
                names = " or ".join(gaz.regions[c].name for c in m.codes)
                m.note = f"'{m.text}' may be {names}; taken as {gaz.regions[chosen].name} (the usual sense in the press): check"
                m.codes = (chosen,)
                m.confidence = 0.6
    return out


# --------------------------------------------------------------------------- instruments

_INSTRUMENT_KINDS: list[tuple[str, InstrumentKind, str]] = [
    (r"Undang[- ]Undang|UU", InstrumentKind.LAW, "uu"),
    (r"Peraturan\s+Pemerintah\s+Pengganti\s+Undang[- ]Undang|Perppu|Perpu", InstrumentKind.LAW, "perppu"),
    (r"Peraturan\s+Presiden|Perpres", InstrumentKind.PRESIDENTIAL_REGULATION, "perpres"),
    (r"Keputusan\s+Presiden|Keppres", InstrumentKind.PRESIDENTIAL_REGULATION, "keppres"),
    (r"Instruksi\s+Presiden|Inpres", InstrumentKind.PRESIDENTIAL_REGULATION, "inpres"),
    (r"Peraturan\s+Pemerintah|PP", InstrumentKind.GOVERNMENT_REGULATION, "pp"),
    (r"Peraturan\s+Menteri(?:\s+[A-Z][a-z]+){0,4}|Permen[A-Za-z]*", InstrumentKind.MINISTERIAL_REGULATION, "permen"),
    (r"Peraturan\s+Daerah(?:\s+(?:Provinsi|Kabupaten|Kota)(?:\s+[A-Z][a-z]+){1,3})?|Perda", InstrumentKind.REGIONAL_REGULATION, "perda"),
    (r"Peraturan\s+Gubernur|Pergub", InstrumentKind.REGIONAL_REGULATION, "pergub"),
    (r"Peraturan\s+Bupati|Perbup", InstrumentKind.REGIONAL_REGULATION, "perbup"),
    (r"Peraturan\s+Wali\s?[Kk]ota|Perwali|Perwako", InstrumentKind.REGIONAL_REGULATION, "perwali"),
]
_ABBR_IN_PARENS = r"(?:\s*\((?:UU|Perpres|PP|Perppu|Perpu|Permen\w*|Perda|Keppres|Inpres|Pergub|Perbup|Perwali)\))?"
_INSTRUMENT_RE = re.compile(
    r"\b(?P<kind>" + "|".join(f"(?:{p})" for p, _, _ in _INSTRUMENT_KINDS) + r")" + _ABBR_IN_PARENS
    + r"\s*(?:(?:Nomor|nomor|NOMOR|No\.?|no\.?|Nomer|Nr\.?)\s*)?(?P<num>\d{1,4}[A-Z]?)"
    r"(?:\s*(?:[Tt]ahun|TAHUN|Th\.?|/)\s*(?P<year>(?:19|20)\d{2}))"
)
_TITLE_RE = re.compile(r"\s*,?\s*tentang\s+(?P<title>[^.,;:\"“”()\n]{3,160})", re.IGNORECASE)

KNOWN_TITLES: dict[str, str] = {
    "uu 18/2017": "Pelindungan Pekerja Migran Indonesia",
    "uu 21/2007": "Pemberantasan Tindak Pidana Perdagangan Orang",
    "uu 6/2011": "Keimigrasian",
    "uu 39/2004": "Penempatan dan Perlindungan Tenaga Kerja Indonesia di Luar Negeri",
    "perpres 125/2016": "Penanganan Pengungsi dari Luar Negeri",
    "perpres 69/2008": "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang",
    "perpres 22/2021": "Perubahan atas Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan Penanganan TPPO",
}
"""Titles of instruments that recur in migration governance, for when a report prints only the number."""


def _instruments(text: str) -> list[InstrumentMention]:
    out = []
    for m in _INSTRUMENT_RE.finditer(text):
        raw_kind = m.group("kind")
        kind, short = next((k, s) for p, k, s in _INSTRUMENT_KINDS if re.fullmatch(p, raw_kind))
        title_m = _TITLE_RE.match(text, m.end())
        title = None
        if title_m:
            title = re.split(r"\s+(?:dan|serta)\s+(?:UU|Undang|Perpres|Peraturan|PP)\b|\s+(?:yang|karena|sehingga|agar)\s", title_m.group("title"))[0].strip()
        out.append(InstrumentMention(m.start(), title_m.end() if title_m else m.end(), text[m.start():m.end()],
                                     kind, short, m.group("num"), int(m.group("year")), title))
    return out


# --------------------------------------------------------------------------- nationalities and PMI


def _nationalities(doc, gaz: Gazetteer, text: str) -> list[NationalityMention]:
    from rapidfuzz import fuzz

    out: list[NationalityMention] = []
    taken = Claimed(len(text))
    for s in sorted((s for s in doc.spans[SPANS_KEY] if s.label_ == "NATIONALITY"), key=lambda s: -(s.end_char - s.start_char)):
        if taken.overlaps(s.start_char, s.end_char):
            continue
        taken.claim(s.start_char, s.end_char)
        out.append(NationalityMention(s.start_char, s.end_char, s.text, s.id_, True))
    spellings = [(term.name, a) for term in gaz.nationalities for a in (term.name, *term.aliases) if len(a) >= 5]
    closest: dict[str, tuple[float, str]] = {}  # a capitalised word recurs: compare it with the spellings once
    for m in re.finditer(r"\b[A-Z][a-z]{4,}\b", text):
        if taken.covers(m.start()) or gaz.lookup_region(m.group(0)):
            continue
        word = m.group(0)
        if word not in closest:
            closest[word] = max(((fuzz.ratio(word.casefold(), a.casefold()), name) for name, a in spellings),
                                default=(0, ""))
        best = closest[word]
        if best[0] >= 85:
            out.append(NationalityMention(m.start(), m.end(), m.group(0), best[1], False))
    return sorted(out, key=lambda n: n.start)


def _pmi(text: str) -> list[PmiMention]:
    out = []
    definitions = pmi_definitions(text)
    for m in re.finditer(r"\bPMI\b(?!-)", text):
        inside_definition = re.search(r"(?:Palang\s+Merah|Pekerja\s+Migran)\s+Indonesia\s*\(\s*$", text[max(0, m.start() - 40):m.start()])
        if inside_definition:
            continue
        out.append(PmiMention(m.start(), m.end(), pmi_reading(text, m.start(), m.end(), definitions=definitions)))
    return out


# --------------------------------------------------------------------------- all together


def find_mentions(text: str, nlp: Language, gaz: Gazetteer, *, article_date: dt.date | None = None,
                  year_window: tuple[int, int] | None = None) -> Mentions:
    """Run every rule over ``text``."""
    doc = nlp(text)
    mentions = Mentions(text=text, sentences=sentences(text))
    mentions.regions = _regions(doc, gaz, text)
    mentions.pmi = _pmi(text)
    for p in mentions.pmi:
        if p.reading.meaning == "unsure":
            mentions.flags.append(
                f"offset {p.start}: 'PMI' could be migrant workers or the Red Cross ({'; '.join(p.reading.cues) or 'no cues'}); "
                f"read as {p.reading.default.replace('_', ' ')}: check")
    mentions.agencies = find_agencies(text, doc, gaz, mentions.regions, mentions.pmi)
    mentions.dates = find_dates(text, article_date=article_date, window=year_window or DEFAULT_WINDOW)
    red_cross = sorted({p.start for p in mentions.pmi if p.reading.is_red_cross})
    mentions.counts = [c for c in find_counts(text)  # a count of "PMI" that holds a Red Cross "PMI" is not one
                       if not (c.unit == "PMI" and bisect_left(red_cross, c.end) > bisect_left(red_cross, c.start))]
    mentions.money = find_money(text)
    mentions.instruments = _instruments(text)
    mentions.nationalities = _nationalities(doc, gaz, text)
    return mentions
