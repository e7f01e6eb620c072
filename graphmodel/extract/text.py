"""Paragraphs, sentences and evidence quotes of a news text, by character offsets.

spaCy's rule-based sentencizer breaks after every full stop, which cuts
Indonesian titles and initials ("Mayor Inf. M. Sirait", "Drs. Hadi", "Jl.
Selebes") in two; this splitter knows those abbreviations, so an evidence
quote is a whole sentence or clause.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Segment", "paragraphs", "sentences", "quote_span", "slugify", "ABBREVIATIONS"]

ABBREVIATIONS = frozenset(
    """ir h hj dr drs dra prof inf kol kombes pol mayjen brigjen irjen komjen letkol lettu kapt mayor serka
    akbp akp iptu ipda aiptu bripka brigpol jl jln no nomor kab kec kel prov plt plh st sh mh se mm msi sos
    sip sp spd skm mkes wn wna dr drg tbk pt cv dkk dll dsb tsb yth an bpk sdr kpt ny nn ttd hlm rp
    s.sos s.h s.e m.si s.ip a.md m.h s.kom m.m m.pd s.pd""".split()
)

_END_RE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Segment:
    """A span of the text: [start, end) character offsets and the paragraph it lies in."""

    start: int
    end: int
    paragraph: int


def paragraphs(text: str) -> list[Segment]:
    """Non-empty lines, each a paragraph (news texts put one paragraph per line)."""
    out: list[Segment] = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Segment(s, e, len(out)))
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"([\w.]+)$", text[:dot])
    if not m:
        return False
    word = m.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or word.rstrip(".") in ABBREVIATIONS


def sentences(text: str) -> list[Segment]:
    """Sentences by offsets; titles, initials and abbreviations do not end a sentence.

    >>> t = "Pabung 0204/DS Mayor Inf. M. Sirait hadir. Rapat ditutup."
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Pabung 0204/DS Mayor Inf. M. Sirait hadir.', 'Rapat ditutup.']
    """
    out: list[Segment] = []
    for para in paragraphs(text):
        start = para.start
        chunk = text[para.start : para.end]
        for m in _END_RE.finditer(chunk):
            dot = para.start + m.start()
            if text[dot] == "." and _is_abbreviation(text, dot):
                continue
            end = para.start + m.end()
            out.append(Segment(start, end, para.paragraph))
            start = end
            while start < para.end and text[start].isspace():
                start += 1
        if start < para.end:
            out.append(Segment(start, para.end, para.paragraph))
    return out


_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–—-]\s")


def quote_span(text: str, sentence: Segment, start: int, end: int, limit: int = 300) -> tuple[int, int]:
    """A verbatim quote around [start, end): the sentence, or a clause window of it when longer than ``limit``.

    >>> t = "Kata dia, " + "x " * 200 + ", Rudenim Makassar hadir di rapat koordinasi pengungsi, lalu " + "y " * 200
    >>> s = sentences(t)[0]
    >>> a, b = quote_span(t, s, t.index("Rudenim"), t.index("Rudenim") + 16)
    >>> t[a:b]
    'Rudenim Makassar hadir di rapat koordinasi pengungsi'
    """
    s, e = sentence.start, sentence.end
    while s < e and text[s] in " \"“”'‘’":
        s += 1
    if e - s <= limit:
        return s, e
    # the clause around the mention; a window of the sentence if the clause is still too long
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text, s, e)]
    left = max([b + 1 for b in breaks if b < start] or [s])
    right = min([b for b in breaks if b >= end] or [e])
    # a clause of a few words ("SERGAI", "Kota Medan") says too little: take in its neighbours
    while right - left < 80:
        wider_left = max([b + 1 for b in breaks if b + 1 < left] or [s])
        wider_right = min([b for b in breaks if b > right] or [e])
        if (wider_left, wider_right) == (left, right) or wider_right - wider_left > limit:
            break
        left, right = wider_left, wider_right
    while text[left].isspace():
        left += 1
    if right - left < 40:  # still a fragment: a window of the sentence around the mention
        left, right = s, e
    if right - left > limit:
        left = max(left, start - limit // 2)
        right = min(right, end + limit // 2)
        while left > s and not text[left - 1].isspace():
            left += 1
        while right < e and not text[right].isspace():
            right -= 1
    return left, right


def slugify(value: str, max_length: int = 60) -> str:
    """A lower-case id slug.

    >>> slugify("Rumah Detensi Imigrasi (Rudenim) Makassar")
    'rumah-detensi-imigrasi-rudenim-makassar'
    >>> slugify("Hotel Ina Bo’I")
    'hotel-ina-boi'
    """
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]", "", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > max_length:
        text = text[:max_length].rsplit("-", 1)[0]
    return text or "x"
