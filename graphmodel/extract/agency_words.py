"""The words agency names are made of: unit words, acronyms, and a name as printed made plain.

Unit names in the middle of a pattern ("Dinas *Sosial dan Tenaga Kerja* Kota
Medan") may use only the words of :data:`UNIT_WORDS`, acronyms and "dan", so
a person's name that follows a title is not swallowed into the agency's name.
"""

from __future__ import annotations

import re

from graphmodel.extract.gazetteer import RegionEntry
from graphmodel.model.schema import RegionKind

__all__ = ["UNIT_WORDS", "CONNECTORS", "ACRONYM", "fits_between", "clean_name", "paren_acronym", "region_phrase"]

UNIT_WORDS = frozenset(
    """sosial tenaga kerja transmigrasi nakertrans kesehatan pendidikan kependudukan pencatatan sipil dukcapil
    dpmpd pemberdayaan masyarakat desa pemerintahan perempuan perlindungan pelindungan anak keluarga berencana
    kesatuan bangsa politik penanggulangan bencana daerah komunikasi informatika informasi statistik persandian
    perhubungan pariwisata perdagangan perindustrian koperasi usaha kecil menengah hukum hak asasi manusia ham
    luar dalam negeri ketenagakerjaan imigrasi keimigrasian lalu lintas penindakan pengawasan sama kerjasama
    rehabilitasi reserse kriminal umum khusus narkoba intelijen keamanan pelayanan pekerja migran indonesia
    penempatan nasional penanganan pengungsi pencegahan pemberantasan tindak pidana orang penyelundupan
    covid-19 percepatan terpadu satu pintu sekretariat jenderal jendral inspektorat kebijakan strategis organisasi
    internasional agama ketertiban ketenteraman pamong praja polisi sumber daya aparatur perencanaan pembangunan
    penelitian pengembangan keuangan aset pendapatan kepegawaian humas hubungan protokol administrasi
    kesejahteraan rakyat perekonomian tata kelola perbatasan kelautan perikanan pertanian pangan lingkungan hidup
    kehutanan pekerjaan perumahan permukiman kawasan kebudayaan pemuda olahraga penataan ruang penanaman modal
    perizinan layanan bantuan jaminan trauma center wilayah pos batas negara kelas non madya pratama utama
    gender kekerasan korban saksi penyandang disabilitas lanjut usia fakir miskin tpi ppln tppo pmi tki
    kemanusiaan darurat tanggap bina bidang urusan""".split()
)
CONNECTORS = frozenset({"dan", "&", "serta"})
_ROMAN = frozenset({"I", "II", "III", "IV"})
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
_WORD_RE = re.compile(r"\([^()]{1,60}\)|[^\s()]+")


def fits_between(middle: str, *, acronyms: bool = True, address: bool = False, max_words: int = 9,
               allow_empty: bool = True, level_words: bool = True) -> bool:
    """Whether the words between an agency's head and its place (``middle``) fit an agency's name.

    Only unit words, connectors ("dan"), Roman numerals, level words ("Kota")
    and, if ``acronyms``, acronyms fit; punctuation or a person's name do not.

    Parameters
    ----------
    middle : str
        The words between the head ("Dinas") and the place ("Kota Medan").
    acronyms : bool
        Whether acronyms ("PPPA") fit.
    address : bool
        Whether a leading street address ("Jalan Selebes, ") is skipped.
    max_words : int
        At most this many words fit.
    allow_empty : bool
        Whether nothing in between fits.
    level_words : bool
        Whether level words ("Kota", "Provinsi") fit.

    Returns
    -------
    bool

    Examples
    --------
    >>> fits_between(" Sosial dan Tenaga Kerja "), fits_between(" Rehabilitasi Sosial Harry Hikmat ")
    (True, False)
    """
    if address:
        middle = re.sub(r"^\s*(?:\([^()]*\)\s*)?(?:Jalan|Jl\.?|Jln\.?)\s+[A-Z][\w.'’-]*(?:\s+(?:No\.?\s*\d+\w*|[A-Z][\w.'’-]*))*\s*,\s*",
                        " ", middle)
    if re.search(r"[.,;:!?\"“”]", re.sub(r"\([^()]*\)", "", middle)):
        return False
    words = _WORD_RE.findall(middle)
    if not words:
        return allow_empty
    if len(words) > max_words:
        return False
    for w in words:
        if w.startswith("("):
            inner = w[1:-1].split()
            if len(inner) > 4 or not all(ACRONYM.match(x) or x[:1].isupper() for x in inner):
                return False
            continue
        if w.casefold() in UNIT_WORDS or w.casefold() in CONNECTORS or w in _ROMAN:
            continue
        if level_words and w.casefold() in {"kota", "kabupaten", "kab.", "kab", "provinsi", "prov.", "cabang"}:
            continue
        if acronyms and ACRONYM.match(w):
            continue
        return False
    return True


def clean_name(text: str) -> str:
    """A printed name without parenthesised acronyms, with 'Dan' as 'dan' and single spaces."""
    text = re.sub(r"\s*\([^()]{1,60}\)\s*", " ", text)
    text = re.sub(r"\bDan\b", "dan", text)
    return re.sub(r"\s+", " ", text).strip()


def paren_acronym(text: str) -> str | None:
    """The acronym printed in parentheses in ``text`` (None if none).

    >>> paren_acronym("Dinas Sosial (Dinsos) Kota Medan")
    'Dinsos'
    """
    m = re.search(r"\(([A-Z][A-Za-z0-9 &-]{1,20})\)", text)
    return m.group(1).strip() if m else None


def region_phrase(reg: RegionEntry) -> str:
    """How a region is named after an agency's head: "Provinsi X" for a province, else its name without "Administrasi"."""
    if reg.kind is RegionKind.PROVINCE:
        return f"Provinsi {reg.name}"
    return reg.name.replace("Kabupaten Administrasi ", "Kabupaten ").replace("Kota Administrasi ", "Kota ")
