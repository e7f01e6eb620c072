"""Entity resolution: whether a mention names a node the seed already has.

A mention attaches to an existing node only on an exact match of a name,
alias, acronym or id (case and punctuation folded, :meth:`Dataset.candidates`),
or of its *normalised* form: the same name once the press's abbreviations are
spelt out ("Pemko" -> "Pemerintah Kota", "Ditjen"/"Dirjen" -> "Direktorat
Jenderal", "Jendral" -> "Jenderal", "Sumut" -> "Sumatera Utara", a
parenthesised acronym dropped ...). A near match (rapidfuzz similarity of
at least :data:`NEAR_MATCH` but not equal) is never merged: it is offered to
the reviewer as a candidate, with its score.

"PMI" is two organisations' worth of ambiguity: *Pekerja Migran Indonesia*
(the migrant workers themselves, a cohort) and *Palang Merah Indonesia* (the
Red Cross, an agency). :func:`pmi_reading` decides from the words around it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from graphmodel.extract.gazetteer import MINISTRY_ACRONYMS, Gazetteer
from graphmodel.extract.text import sentence_around
from graphmodel.model.schema import NodeLabel
from graphmodel.util.text import fold_name

if TYPE_CHECKING:  # pragma: no cover
    from graphmodel.seed import Dataset

__all__ = ["Resolution", "Resolver", "normalise_name", "PmiReading", "pmi_reading", "pmi_definitions",
           "NEAR_MATCH"]

NEAR_MATCH = 85.0
"""Similarity (0-100, rapidfuzz) from which a non-identical name is offered as a candidate."""

_EXPANSIONS: dict[str, str] = {
    "pemko": "pemerintah kota", "pemkot": "pemerintah kota", "pemkab": "pemerintah kabupaten",
    "pemprov": "pemerintah provinsi", "kab": "kabupaten", "prov": "provinsi", "propinsi": "provinsi",
    "ditjen": "direktorat jenderal", "dirjen": "direktorat jenderal", "jendral": "jenderal",
    "direktur": "direktorat", "kanwil": "kantor wilayah", "ham": "hak asasi manusia",
    "rudenim": "rumah detensi imigrasi", "kanim": "kantor imigrasi", "polres": "kepolisian resor",
    "polresta": "kepolisian resor kota", "polrestabes": "kepolisian resor kota besar", "polda": "kepolisian daerah",
    "satgas": "satuan tugas", "nakertrans": "tenaga kerja dan transmigrasi",
    "disnakertrans": "dinas tenaga kerja dan transmigrasi", "disnaker": "dinas tenaga kerja",
    "dinsos": "dinas sosial", "dinkes": "dinas kesehatan", "kesbangpol": "badan kesatuan bangsa dan politik",
    "bakesbangpol": "badan kesatuan bangsa dan politik", "organisation": "organization", "migrant": "migration",
    "walikota": "wali kota", "wakapolres": "kepolisian resor", "kapolres": "kepolisian resor",
    "kapolda": "kepolisian daerah", "wakapolda": "kepolisian daerah",
}
_DROP_WORDS = {"the", "ri"}
_LONG_IOM = re.compile(r"\binternational (?:organization (?:for|of) migration|of migration)\b")


def normalise_name(name: str, gaz: Gazetteer | None = None) -> str:
    """A key under which spellings of one agency's name coincide.

    >>> normalise_name("Direktorat Jendral (Ditjen) Imigrasi")
    'direktorat jenderal imigrasi'
    >>> normalise_name("Pemko Medan") == normalise_name("Pemerintah Kota Medan")
    True
    >>> normalise_name("International Organisation for Migration (IOM) Kupang")
    'iom kupang'
    """
    text = re.sub(r"\([^)]{1,40}\)", " ", name)
    key = fold_name(text)
    words: list[str] = []
    for word in key.split():
        if word in _DROP_WORDS:
            continue
        word = MINISTRY_ACRONYMS.get(word, _EXPANSIONS.get(word, word)).casefold()
        words.extend(word.split())
    key = " ".join(words)
    key = _LONG_IOM.sub("iom", key)
    key = re.sub(r"\bkementerian kementerian\b", "kementerian", key)
    if gaz is not None:
        key = _expand_regions(key, gaz)
    deduped: list[str] = []
    for word in key.split():
        if not deduped or deduped[-1] != word:
            deduped.append(word)
    return " ".join(deduped)


def _expand_regions(key: str, gaz: Gazetteer) -> str:
    """Replace a region's short form by its official base name ("sumut" -> "sumatera utara")."""
    out = []
    for word in key.split():
        codes = gaz.lookup_region(word)
        if len(codes) == 1:
            entry = gaz.regions[next(iter(codes))]
            base = fold_name(entry.base)
            out.append(base if base != word else word)
        else:
            out.append(word)
    return " ".join(out)


@dataclass(frozen=True)
class Resolution:
    """What a mention resolved to: an existing id, or nothing (new), with near candidates."""

    match: str | None
    how: str  # "exact", "normalised", "new", "ambiguous"
    candidates: tuple[tuple[str, float], ...] = ()
    note: str | None = None


@dataclass
class Resolver:
    """Resolves agency mentions against the seed's agencies (any node label, in fact)."""

    dataset: Dataset | None
    gaz: Gazetteer
    label: NodeLabel = NodeLabel.AGENCY
    _keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set), repr=False)
    _names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list), repr=False)

    def __post_init__(self) -> None:
        if self.dataset is None:
            return
        for node in self.dataset.nodes.values():
            if node.label != self.label:
                continue
            for name in (node.name, *node.aliases, getattr(node, "acronym", None)):
                if name:
                    key = normalise_name(name, self.gaz)
                    self._keys[key].add(node.id)
                    self._names[node.id].append(key)

    def _regions(self, key: str) -> set[str]:
        words = key.split()
        found: set[str] = set()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                codes = self.gaz.lookup_region(" ".join(words[i : i + n]))
                if len(codes) == 1:
                    found |= codes
        return found

    def resolve(self, names: list[str] | tuple[str, ...]) -> Resolution:
        """Resolve a mention known by ``names`` (canonical form first, then as printed).

        >>> from graphmodel.extract.gazetteer import build_gazetteer
        >>> Resolver(None, build_gazetteer()).resolve(["Rudenim Makassar"]).how
        'new'
        """
        names = [n for n in names if n]
        if self.dataset is not None:
            for name in names:
                ids = {i for i in self.dataset.candidates(name) if self.dataset.nodes[i].label == self.label}
                if len(ids) == 1:
                    return Resolution(next(iter(ids)), "exact")
                if len(ids) > 1:
                    return Resolution(None, "ambiguous", tuple((i, 100.0) for i in sorted(ids)),
                                      f"{name!r} names several nodes: {', '.join(sorted(ids))}; set draft.match")
        for name in names:
            ids = self._keys.get(normalise_name(name, self.gaz), set())
            if len(ids) == 1:
                return Resolution(next(iter(ids)), "normalised", note=f"{name!r} is a spelling of {next(iter(ids))}")
            if len(ids) > 1:
                return Resolution(None, "ambiguous", tuple((i, 100.0) for i in sorted(ids)),
                                  f"{name!r} may be any of {', '.join(sorted(ids))}; set draft.match")
        near: dict[str, float] = {}
        for name in names:
            key = normalise_name(name, self.gaz)
            regions = self._regions(key)
            for node_id, keys in self._names.items():
                for other in keys:
                    score = max(fuzz.ratio(key, other), fuzz.token_sort_ratio(key, other))
                    if score < NEAR_MATCH:
                        continue
                    other_regions = self._regions(other)
                    if regions and other_regions and not regions & other_regions:
                        continue  # "Rudenim Makassar" is not a misspelling of "Rudenim Medan"
                    near[node_id] = max(near.get(node_id, 0.0), round(score, 1))
        if near:
            ranked = tuple(sorted(near.items(), key=lambda kv: (-kv[1], kv[0])))
            listed = ", ".join(f"{i} ({s:.0f})" for i, s in ranked[:3])
            return Resolution(None, "new", ranked,
                              f"near match, not merged: {listed}; if it is the same, set draft.match to that id")
        return Resolution(None, "new")


# --------------------------------------------------------------------------- PMI


@dataclass(frozen=True)
class PmiReading:
    """What one "PMI" stands for, how sure, and the words that decided it."""

    meaning: str  # "migrant_workers", "red_cross" or "unsure"
    confidence: float
    cues: tuple[str, ...]
    default: str = "migrant_workers"  # what "unsure" is taken as

    @property
    def is_red_cross(self) -> bool:
        """Whether "PMI" reads as the Red Cross here."""
        return self.meaning == "red_cross"


_MIGRANT_WORDS = (
    "pekerja", "migran", "tki", "tkw", "bp2mi", "bp3mi", "p2mi", "kp2mi", "prosedural", "nonprosedural",
    "unprosedural", "ilegal", "calon", "penempatan", "dipulangkan", "pemulangan", "deportasi", "dideportasi",
    "repatriasi", "luar negeri", "malaysia", "arab saudi", "hong kong", "taiwan", "majikan", "paspor",
    "perdagangan orang", "tppo", "kpo", "devisa", "jenazah", "tenaga kerja", "penyalur", "perekrut", "calo",
    "gaji", "berangkat", "pemberangkatan", "asal",
)
_RED_CROSS_WORDS = (
    "darah", "donor", "bencana", "relawan", "sukarelawan", "palang merah", "red cross", "markas", "pengurus",
    "tanggap darurat", "evakuasi", "ksr", "pmr", "pertolongan pertama", "posko", "udd", "banjir", "gempa",
    "kebakaran", "ambulans",
)
_RED_CROSS_BEFORE = re.compile(
    r"(?:relawan|sukarelawan|ketua|wakil ketua|sekretaris|markas|pengurus|anggota|petugas|palang merah indonesia\s*\(?)\s*$",
    re.IGNORECASE,
)
_RED_CROSS_AFTER = re.compile(r"^\s*(?:kota|kabupaten|kab\.|provinsi|cabang|daerah)\b", re.IGNORECASE)
_MIGRANT_BEFORE = re.compile(
    r"(?:para|calon|eks|mantan|pemulangan|penempatan|perlindungan|pelindungan|jenazah|sebanyak|\d[\d.]*|"
    r"pekerja migran indonesia\s*\(?|warga)\s*$",
    re.IGNORECASE,
)
_MIGRANT_AFTER = re.compile(
    r"^\s*(?:-?\s*NP\b|asal\b|non[- ]?prosedural|ilegal|yang (?:bekerja|dipulangkan|berangkat|dideportasi)|di luar negeri|korban)",
    re.IGNORECASE,
)


def pmi_definitions(text: str) -> tuple[bool, bool]:
    """Whether ``text`` spells out (Pekerja Migran Indonesia (PMI), Palang Merah Indonesia (PMI)).

    Found once per text and passed to :func:`pmi_reading` for each of its "PMI".
    """
    return (bool(re.search(r"pekerja\s+migran\s+indonesia\s*\(\s*pmi\s*\)", text, re.I)),
            bool(re.search(r"palang\s+merah\s+indonesia\s*\(\s*pmi\s*\)", text, re.I)))


def pmi_reading(text: str, start: int, end: int, *, definitions: tuple[bool, bool] | None = None) -> PmiReading:
    """Decide whether the "PMI" at ``text[start:end]`` is migrant workers or the Red Cross.

    Words right next to it count most ("Relawan PMI", "Ketua PMI Kota Surabaya"
    vs "para PMI", "PMI asal NTT"), then the words of its sentence, then which
    expansion the document spells out (``definitions``: :func:`pmi_definitions` of
    the text, when the caller reads many). When neither side wins clearly the
    reading is ``unsure`` (taken as migrant workers, the usual sense in this
    corpus) and the extractor flags it for the reviewer.

    >>> pmi_reading("para PMI yang dideportasi dari Malaysia", 5, 8).meaning
    'migrant_workers'
    >>> pmi_reading("Relawan PMI membagikan darah untuk korban banjir", 8, 11).meaning
    'red_cross'
    >>> pmi_reading("Kata PMI.", 5, 8).meaning
    'unsure'
    """
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    sentence = text[slice(*sentence_around(text, start, end))].casefold()
    migrant, red, cues = 0.0, 0.0, []
    if red_cross_before := _RED_CROSS_BEFORE.search(before):
        red += 4
        cues.append(f"red cross: '{red_cross_before.group(0).strip()} PMI'")
    if _RED_CROSS_AFTER.search(after) and not re.search(r"asal\s*$", before, re.I):
        red += 2
        cues.append("red cross: 'PMI' + a region (a branch)")
    if migrant_before := _MIGRANT_BEFORE.search(before):
        migrant += 4
        cues.append(f"migrant: '{migrant_before.group(0).strip()} PMI'")
    if migrant_after := _MIGRANT_AFTER.search(after):
        migrant += 4
        cues.append(f"migrant: 'PMI {migrant_after.group(0).strip()}'")
    for word in _MIGRANT_WORDS:
        if re.search(rf"\b{re.escape(word)}", sentence):
            migrant += 1
            cues.append(f"migrant: {word}")
    for word in _RED_CROSS_WORDS:
        if re.search(rf"\b{re.escape(word)}", sentence):
            red += 1
            cues.append(f"red cross: {word}")
    defines_migrant, defines_red = definitions if definitions is not None else pmi_definitions(text)
    if defines_migrant != defines_red:
        if defines_migrant:
            migrant += 1.5
            cues.append("document spells out Pekerja Migran Indonesia (PMI)")
        else:
            red += 1.5
            cues.append("document spells out Palang Merah Indonesia (PMI)")
    default = "red_cross" if defines_red and not defines_migrant else "migrant_workers"
    diff = migrant - red
    if abs(diff) < 1.5:
        return PmiReading("unsure", 0.5, tuple(cues), default)
    meaning = "migrant_workers" if diff > 0 else "red_cross"
    return PmiReading(meaning, round(min(0.95, 0.55 + 0.08 * abs(diff)), 2), tuple(cues), default)
