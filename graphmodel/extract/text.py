"""Paragraphs, sentences and evidence quotes of a news text, by character offsets.

spaCy's rule-based sentencizer breaks after every full stop, which cuts
Indonesian titles and initials ("Mayor Inf. M. Sirait", "Drs. Hadi", "Jl.
Selebes") in two; this splitter knows those abbreviations, so an evidence
quote is a whole sentence or clause.

Everything here costs time in proportion to the text's length (an article
may be 2 MiB on one line): no step rescans the text before or after the
place it is looking at.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Segment", "Claimed", "LONGEST_SENTENCE", "paragraphs", "sentences", "sentence_at", "sentence_around",
           "quote_span", "slugify", "ABBREVIATIONS"]

ABBREVIATIONS = frozenset(
    """ir h hj dr drs dra prof inf kol kombes pol mayjen brigjen irjen komjen letkol lettu kapt mayor serka
    akbp akp iptu ipda aiptu bripka brigpol jl jln no nomor kab kec kel prov plt plh st sh mh se mm msi sos
    sip sp spd skm mkes wn wna dr drg tbk pt cv dkk dll dsb tsb yth an bpk sdr kpt ny nn ttd hlm rp
    s.sos s.h s.e m.si s.ip a.md m.h s.kom m.m m.pd s.pd""".split()
)

LONGEST_SENTENCE = 1000
"""Characters in a sentence at most; a longer run without a full stop is cut at spaces into pieces this long.

The longest sentence of the curated and held-out articles is under 400
characters. Rules read the sentence around each mention, so without a bound
a text with no full stop (a table, a scrape) would make every mention read
the whole text. Rules that look for the stops around a mention themselves
(:func:`sentence_around`) look no farther than this either."""

# a match starts only where a run of stops starts: tried inside the run, it would rescan the run at each stop
_END_RE = re.compile(r"(?<![.!?])[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_WORD_CHAR = re.compile(r"[\w.]")


@dataclass(frozen=True)
class Segment:
    """A span of the text: [start, end) character offsets and the paragraph it lies in."""

    start: int
    end: int
    paragraph: int


class Claimed:
    """Characters of a text already claimed by a mention, so that an overlapping one can be turned down.

    Asking costs the length of the span asked about, not the number of spans claimed so far.

    >>> c = Claimed(20)
    >>> c.claim(5, 9)
    >>> c.overlaps(0, 5), c.overlaps(8, 12), c.covers(6), c.covers(9)
    (False, True, True, False)
    """

    def __init__(self, length: int):
        self._mask = bytearray(length)

    def claim(self, start: int, end: int) -> None:
        """Mark [start, end) as taken."""
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a claimed span."""
        return self._mask.find(1, start, end) != -1

    def covers(self, pos: int) -> bool:
        """Whether the character at ``pos`` is claimed."""
        return 0 <= pos < len(self._mask) and self._mask[pos] == 1


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
    # the word before the stop, found by stepping back from it: a search of text[:dot] would copy and scan
    # everything before it, for every stop of the article
    start = dot
    while start > 0 and _WORD_CHAR.match(text, start - 1):
        start -= 1
    if start == dot:
        return False
    word = text[start:dot].lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or word.rstrip(".") in ABBREVIATIONS


def sentences(text: str) -> list[Segment]:
    """Sentences by offsets; titles, initials and abbreviations do not end a sentence.

    A sentence longer than :data:`LONGEST_SENTENCE` is cut into pieces at spaces.

    >>> t = "Pabung 0204/DS Mayor Inf. M. Sirait hadir. Rapat ditutup."
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Pabung 0204/DS Mayor Inf. M. Sirait hadir.', 'Rapat ditutup.']
    >>> [s.end - s.start for s in sentences("kata " * 500)]
    [999, 999, 499]
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
            out.extend(_bounded(text, start, end, para.paragraph))
            start = end
            while start < para.end and text[start].isspace():
                start += 1
        if start < para.end:
            out.extend(_bounded(text, start, para.end, para.paragraph))
    return out


def _bounded(text: str, start: int, end: int, paragraph: int) -> list[Segment]:
    """[start, end) as one segment, or as pieces of at most :data:`LONGEST_SENTENCE` cut at spaces when longer."""
    out: list[Segment] = []
    while end - start > LONGEST_SENTENCE:
        limit = start + LONGEST_SENTENCE
        cut = text.rfind(" ", start + LONGEST_SENTENCE // 2, limit)
        cut = cut if cut != -1 else limit  # no space in the second half: cut inside the word
        out.append(Segment(start, cut, paragraph))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append(Segment(start, end, paragraph))
    return out


def sentence_around(text: str, start: int, end: int, stops: str = ".!?\n",
                    window: int = LONGEST_SENTENCE) -> tuple[int, int]:
    """[from, to) of the text between the last of ``stops`` before ``start`` and the first at or after ``end``.

    Looks at most ``window`` characters either way (a stop farther away leaves the span cut there).

    >>> t = "Rapat dibuka. Para PMI hadir! Lalu"
    >>> a, b = sentence_around(t, 19, 22)
    >>> t[a:b]
    ' Para PMI hadir'
    """
    lo, hi = max(0, start - window), min(len(text), end + window)
    left = max(max(text.rfind(c, lo, start) for c in stops), lo - 1)
    rights = [i for i in (text.find(c, end, hi) for c in stops) if i != -1]
    return left + 1, min(rights) if rights else hi


def sentence_at(segments: Sequence[Segment], starts: Sequence[int], pos: int) -> Segment:
    """The segment holding ``pos``, else the nearest one (the earlier on a tie); ``starts`` are their starts.

    Segments are in order and do not overlap, so a bisection finds it.

    >>> t = "Rapat dibuka.  Rapat ditutup."
    >>> segs = sentences(t)
    >>> starts = [s.start for s in segs]
    >>> [t[s.start:s.end] for s in (sentence_at(segs, starts, 3), sentence_at(segs, starts, 14))]
    ['Rapat dibuka.', 'Rapat dibuka.']
    """
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < segments[i].end:
        return segments[i]
    # between two segments (or before the first, after the last): the nearer neighbour
    near = [segments[k] for k in (i, i + 1) if 0 <= k < len(segments)]
    return min(near, key=lambda s: min(abs(s.start - pos), abs(s.end - pos)))


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
