"""The gazetteer: every name the extractor looks up, and the spaCy pipeline built from it.

Three sources of names, all offline:

* the official regions shipped in ``graphmodel/data/idn-area-data/``
  (Kemendagri codes, ODbL): 38 provinces and 514 regencies and cities, as
  "Kabupaten X", "Kab. X", "Kota X", "Provinsi X", the bare "X" where it names
  one region only, and the short forms the press uses (Sumut, NTB, Kepri,
  Sergai, TTS ...);
* the seed: every agency's name, aliases and acronym (so a mention attaches to
  an existing node), and the nationalities of ``vocabulary.yaml`` with their
  spellings;
* a short list of organisations that recur in migration governance (IOM,
  UNHCR, ILO, BP2MI, ministries ...) with their spellings.

The pipeline is ``spacy.blank("id")`` (tokeniser only; nothing is downloaded)
with two ``span_ruler`` components (the EntityRuler's sibling that keeps
overlapping matches, so "Sumut" inside "Kanwil Kemenkumham Sumut" is both
part of an agency and a region) filled from these names: one matches names in
any case, the other names as written. Both are phrase matchers (a lookup per
token, whatever the number of names); their spans are merged, in order, under
:data:`SPANS_KEY`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from graphmodel.extract.articles import MAX_ARTICLE_BYTES
from graphmodel.model.regions import official_regions
from graphmodel.model.schema import AdminLevel, AgencyKind, NationalityTerm, RegionKind
from graphmodel.util.text import fold_name

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.pipeline import SpanRuler

    from graphmodel.seed import Dataset

__all__ = ["Gazetteer", "RegionEntry", "OrgEntry", "build_gazetteer", "region_base_name", "SHORT_FORMS", "KNOWN_ORGS"]

SPANS_KEY = "gazetteer"
_ANY_CASE_KEY, _AS_WRITTEN_KEY = "gazetteer-any-case", "gazetteer-as-written"
_MERGE = "graphmodel_gazetteer_spans"

# Short forms and other names the press uses, by official name (codes are looked up).
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "Aceh": ("NAD", "Nanggroe Aceh Darussalam"),
    "Sumatera Utara": ("Sumut", "Sumatra Utara", "North Sumatra", "North Sumatera"),
    "Sumatera Barat": ("Sumbar", "Sumatra Barat", "West Sumatra"),
    "Sumatera Selatan": ("Sumsel", "Sumatra Selatan", "South Sumatra"),
    "Kepulauan Bangka Belitung": ("Babel", "Bangka Belitung"),
    "Kepulauan Riau": ("Kepri", "Riau Islands"),
    "Daerah Khusus Ibukota Jakarta": ("DKI Jakarta", "DKI", "Jakarta"),
    "Jawa Barat": ("Jabar", "West Java"),
    "Jawa Tengah": ("Jateng", "Central Java"),
    "Daerah Istimewa Yogyakarta": ("DIY", "DI Yogyakarta", "Yogyakarta"),
    "Jawa Timur": ("Jatim", "East Java"),
    "Nusa Tenggara Barat": ("NTB", "West Nusa Tenggara"),
    "Nusa Tenggara Timur": ("NTT", "East Nusa Tenggara"),
    "Kalimantan Barat": ("Kalbar", "West Kalimantan"),
    "Kalimantan Tengah": ("Kalteng", "Central Kalimantan"),
    "Kalimantan Selatan": ("Kalsel", "South Kalimantan"),
    "Kalimantan Timur": ("Kaltim", "East Kalimantan"),
    "Kalimantan Utara": ("Kaltara", "North Kalimantan"),
    "Sulawesi Utara": ("Sulut", "North Sulawesi"),
    "Sulawesi Tengah": ("Sulteng", "Central Sulawesi"),
    "Sulawesi Selatan": ("Sulsel", "South Sulawesi"),
    "Sulawesi Tenggara": ("Sultra", "Southeast Sulawesi"),
    "Sulawesi Barat": ("Sulbar", "West Sulawesi"),
    "Maluku Utara": ("Malut", "North Maluku"),
    "Papua Barat": ("Pabar", "West Papua"),
    "Kabupaten Serdang Bedagai": ("Sergai",),
    "Kabupaten Labuhanbatu Utara": ("Labura",),
    "Kabupaten Labuhanbatu Selatan": ("Labusel",),
    "Kabupaten Mandailing Natal": ("Madina",),
    "Kabupaten Tapanuli Utara": ("Taput",),
    "Kabupaten Tapanuli Tengah": ("Tapteng",),
    "Kabupaten Tapanuli Selatan": ("Tapsel",),
    "Kabupaten Humbang Hasundutan": ("Humbahas",),
    "Kabupaten Lombok Timur": ("Lotim",),
    "Kabupaten Lombok Barat": ("Lobar",),
    "Kabupaten Lombok Tengah": ("Loteng",),
    "Kabupaten Lombok Utara": ("KLU",),
    "Kabupaten Timor Tengah Selatan": ("TTS",),
    "Kabupaten Timor Tengah Utara": ("TTU",),
    "Kabupaten Indragiri Hilir": ("Inhil",),
    "Kabupaten Indragiri Hulu": ("Inhu",),
    "Kabupaten Rokan Hilir": ("Rohil",),
    "Kabupaten Rokan Hulu": ("Rohul",),
    "Kabupaten Kuantan Singingi": ("Kuansing",),
    "Kota Administrasi Jakarta Selatan": ("Jaksel",),
    "Kota Administrasi Jakarta Barat": ("Jakbar",),
    "Kota Administrasi Jakarta Utara": ("Jakut",),
    "Kota Administrasi Jakarta Timur": ("Jaktim",),
    "Kota Administrasi Jakarta Pusat": ("Jakpus",),
    "Kota Bau Bau": ("Baubau", "Bau-Bau"),
    "Kabupaten Toli-Toli": ("Tolitoli",),
    "Kabupaten Pangkajene dan Kepulauan": ("Pangkep",),
}

BARE_STOPLIST = frozenset({"Batu", "Banjar", "Pati", "Buru", "Bima", "Bone", "Kaur", "Agam", "Malaka", "Lingga", "Asahan"})
"""Bare regency/city names that are also common words or personal names; they match only with a prefix."""

_JOINABLE_PREFIXES = ("Tanjung", "Pangkal", "Pematang", "Padang", "Lubuk", "Tebing", "Bandar", "Sungai", "Bukit", "Kota")


def region_base_name(name: str) -> str:
    """A regency's or city's name without "Kabupaten"/"Kota" (provinces are unchanged).

    >>> region_base_name("Kota Administrasi Jakarta Pusat"), region_base_name("Kabupaten Serdang Bedagai")
    ('Jakarta Pusat', 'Serdang Bedagai')
    """
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@dataclass(frozen=True)
class RegionEntry:
    """An official region with what the extractor needs to name it."""

    code: str
    name: str
    base: str
    kind: RegionKind
    province: str | None  # province code, None for provinces

    @property
    def level(self) -> AdminLevel:
        """The administrative level of an agency of this region: provincial, or regency/city."""
        return AdminLevel.PROVINCIAL if self.kind is RegionKind.PROVINCE else AdminLevel.REGENCY_CITY


@dataclass(frozen=True)
class OrgEntry:
    """A well-known organisation: canonical name, acronym, kind, level, other spellings."""

    name: str
    acronym: str | None
    kind: AgencyKind
    level: AdminLevel
    aliases: tuple[str, ...] = ()


K, LV = AgencyKind, AdminLevel
KNOWN_ORGS: tuple[OrgEntry, ...] = (
    OrgEntry("International Organization for Migration", "IOM", K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL,
             ("International Organisation for Migration", "Organisasi Internasional untuk Migrasi")),
    OrgEntry("United Nations High Commissioner for Refugees", "UNHCR", K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL,
             ("UN Refugee Agency", "Komisariat Tinggi PBB untuk Pengungsi", "Komisariat Tinggi PBB untuk Urusan Pengungsi",
              "Badan PBB untuk Pengungsi", "Badan PBB urusan Pengungsi")),
    OrgEntry("International Labour Organization", "ILO", K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL,
             ("International Labor Organization", "Organisasi Perburuhan Internasional")),
    OrgEntry("United Nations Office on Drugs and Crime", "UNODC", K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL),
    OrgEntry("United Nations Children's Fund", "UNICEF", K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL),
    OrgEntry("UN Women", None, K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL),
    OrgEntry("International Committee of the Red Cross", "ICRC", K.INTERNATIONAL_ORGANISATION, LV.INTERNATIONAL,
             ("Komite Internasional Palang Merah",)),
    OrgEntry("Jesuit Refugee Service", "JRS", K.NGO, LV.NATIONAL),
    OrgEntry("Church World Service", "CWS", K.NGO, LV.NATIONAL),
    OrgEntry("Palang Merah Indonesia", None, K.NGO, LV.NATIONAL),  # "PMI" needs context: see resolve.pmi_reading
    OrgEntry("Badan Pelindungan Pekerja Migran Indonesia", "BP2MI", K.MINISTRY, LV.NATIONAL,
             ("Badan Perlindungan Pekerja Migran Indonesia",)),
    OrgEntry("Kementerian Pelindungan Pekerja Migran Indonesia", "KP2MI", K.MINISTRY, LV.NATIONAL,
             ("Kementerian P2MI", "Kementerian Perlindungan Pekerja Migran Indonesia")),
    OrgEntry("Badan Nasional Penempatan dan Perlindungan Tenaga Kerja Indonesia", "BNP2TKI", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Ketenagakerjaan", "Kemnaker", K.MINISTRY, LV.NATIONAL, ("Kemenaker", "Kementerian Tenaga Kerja")),
    OrgEntry("Kementerian Sosial", "Kemensos", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Luar Negeri", "Kemenlu", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Hukum dan Hak Asasi Manusia", "Kemenkumham", K.MINISTRY, LV.NATIONAL, ("Kementerian Hukum dan HAM",)),
    OrgEntry("Kementerian Imigrasi dan Pemasyarakatan", "Kemenimipas", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Dalam Negeri", "Kemendagri", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Kesehatan", "Kemenkes", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Agama", "Kemenag", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "KemenPPPA", K.MINISTRY, LV.NATIONAL, ("Kemen PPPA",)),
    OrgEntry("Kementerian Koordinator Bidang Politik, Hukum, dan Keamanan", "Kemenko Polhukam", K.MINISTRY, LV.NATIONAL,
             ("Kemenkopolhukam",)),
    OrgEntry("Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "Kemenko PMK", K.MINISTRY, LV.NATIONAL),
    OrgEntry("Kepolisian Negara Republik Indonesia", "Polri", K.POLICE, LV.NATIONAL, ("Mabes Polri",)),
    OrgEntry("Badan Reserse Kriminal Polri", "Bareskrim", K.POLICE, LV.NATIONAL, ("Bareskrim Polri",)),
    OrgEntry("Tentara Nasional Indonesia", "TNI", K.MILITARY, LV.NATIONAL),
    OrgEntry("Lembaga Perlindungan Saksi dan Korban", "LPSK", K.OTHER, LV.NATIONAL),
    OrgEntry("Komisi Nasional Hak Asasi Manusia", "Komnas HAM", K.OTHER, LV.NATIONAL),
    OrgEntry("Komisi Perlindungan Anak Indonesia", "KPAI", K.OTHER, LV.NATIONAL),
    OrgEntry("Badan Nasional Penanggulangan Bencana", "BNPB", K.OTHER, LV.NATIONAL),
    OrgEntry("Badan Nasional Pengelola Perbatasan", "BNPP", K.OTHER, LV.NATIONAL),
    OrgEntry("Badan Keamanan Laut", "Bakamla", K.OTHER, LV.NATIONAL),
    OrgEntry("Badan Pusat Statistik", "BPS", K.OTHER, LV.NATIONAL),
)

MINISTRY_ACRONYMS: dict[str, str] = {
    "kemensos": "Kementerian Sosial", "mensos": "Kementerian Sosial",
    "kemenlu": "Kementerian Luar Negeri", "menlu": "Kementerian Luar Negeri",
    "kemenkumham": "Kementerian Hukum dan Hak Asasi Manusia", "menkumham": "Kementerian Hukum dan Hak Asasi Manusia",
    "kemnaker": "Kementerian Ketenagakerjaan", "kemenaker": "Kementerian Ketenagakerjaan",
    "menaker": "Kementerian Ketenagakerjaan", "menakertrans": "Kementerian Ketenagakerjaan",
    "kemendagri": "Kementerian Dalam Negeri", "mendagri": "Kementerian Dalam Negeri",
    "kemenkes": "Kementerian Kesehatan", "menkes": "Kementerian Kesehatan",
    "kemenag": "Kementerian Agama", "menag": "Kementerian Agama",
    "kemenpppa": "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
    "menpppa": "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
    "kemenimipas": "Kementerian Imigrasi dan Pemasyarakatan", "menimipas": "Kementerian Imigrasi dan Pemasyarakatan",
    "kp2mi": "Kementerian Pelindungan Pekerja Migran Indonesia",
}
"""Ministry acronyms and ministers' short titles -> the ministry's name."""


@dataclass
class Gazetteer:
    """Names to look up, by what they name; built once per seed."""

    regions: dict[str, RegionEntry]
    region_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Lower-cased name (official, prefixed, bare or short form) -> region codes."""
    bare_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Bare names as written (case-sensitive) -> region codes (several when ambiguous)."""
    agency_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Seed agency names, aliases and acronyms (as written) -> seed ids."""
    orgs: tuple[OrgEntry, ...] = KNOWN_ORGS
    nationalities: tuple[NationalityTerm, ...] = ()
    seed_ids: frozenset[str] = frozenset()
    other_names: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(label, name as written) -> seed ids, for programmes and facilities."""

    def region(self, code: str) -> RegionEntry:
        """The official region with ``code`` (KeyError if there is none)."""
        return self.regions[code]

    def lookup_region(self, name: str) -> set[str]:
        """Codes a name may denote (prefixed, official, bare or short form), case-insensitively."""
        return set(self.region_names.get(_norm_region(name), ()))

    def org(self, name: str) -> OrgEntry | None:
        """The known organisation going by ``name`` (None if none)."""
        key = fold_name(name)
        for org in self.orgs:
            if key in {fold_name(n) for n in (org.name, org.acronym or "", *org.aliases) if n}:
                return org
        return None


def _norm_region(name: str) -> str:
    text = re.sub(r"\s+", " ", name.replace("Kab.", "Kabupaten").replace("kab.", "kabupaten").replace("Prov.", "Provinsi")).strip()
    text = re.sub(r"^(?:kab|kabupaten)\s", "kabupaten ", text, flags=re.I)
    text = re.sub(r"^(?:propinsi|provinsi|prov)\s", "provinsi ", text, flags=re.I)
    return text.casefold()


def _joined_variants(base: str) -> set[str]:
    out = set()
    words = base.split()
    if len(words) == 2 and words[0] in _JOINABLE_PREFIXES:
        out.add(words[0] + words[1].lower())
    for prefix in _JOINABLE_PREFIXES:
        if base.startswith(prefix) and len(base) > len(prefix) + 2 and base[len(prefix)].islower():
            out.add(f"{prefix} {base[len(prefix)].upper()}{base[len(prefix) + 1:]}")
    return out


def _region_entries() -> dict[str, RegionEntry]:
    out = {}
    for code, ref in official_regions().items():
        if ref.province_code is None:
            kind = RegionKind.PROVINCE
        else:
            kind = RegionKind.CITY if ref.is_city else RegionKind.REGENCY
        out[code] = RegionEntry(code, ref.name, region_base_name(ref.name), kind, ref.province_code)
    return out


def build_gazetteer(dataset: Dataset | None = None) -> Gazetteer:
    """Collect every name: official regions with their forms, the seed's agencies and nationalities."""
    regions = _region_entries()
    gaz = Gazetteer(regions=regions)
    by_name = {r.name: r.code for r in regions.values()}
    short_by_code: dict[str, tuple[str, ...]] = {by_name[n]: forms for n, forms in SHORT_FORMS.items() if n in by_name}
    for code, reg in regions.items():
        names = {reg.base} | _joined_variants(reg.base)
        shorts = set(short_by_code.get(code, ()))
        if reg.kind is RegionKind.PROVINCE:
            for n in names | shorts:
                gaz.region_names[_norm_region(f"Provinsi {n}")].add(code)
                gaz.region_names[_norm_region(n)].add(code)
                gaz.bare_names[n].add(code)
        else:
            prefixes = ("Kota", "Kota Administrasi") if reg.kind is RegionKind.CITY else ("Kabupaten", "Kabupaten Administrasi")
            for n in names | shorts:
                for p in prefixes:
                    gaz.region_names[_norm_region(f"{p} {n}")].add(code)
            for n in (names - set(BARE_STOPLIST)) | shorts:
                gaz.bare_names[n].add(code)
                gaz.region_names[_norm_region(n)].add(code)
    # a bare name shared by a province and its capital (Jambi, Bengkulu, Gorontalo) names the province
    for name, codes in gaz.bare_names.items():
        provinces = {c for c in codes if "." not in c}
        if provinces and len(codes) > 1:
            codes.intersection_update(provinces)
            gaz.region_names[_norm_region(name)] = set(provinces)
    if dataset is not None:
        from graphmodel.model.schema import Agency, Facility, Programme, Region

        for node in dataset.nodes.values():
            if isinstance(node, (Facility, Programme)):
                label = "FACILITY" if isinstance(node, Facility) else "PROGRAMME"
                for name in (node.name, *node.aliases):
                    if len(name) >= 4 and len(name) <= 80:
                        gaz.other_names[(label, name)].add(node.id)
            elif isinstance(node, Agency):
                for agency_name in (node.name, *node.aliases, node.acronym):
                    if agency_name and len(agency_name) >= 3:
                        gaz.agency_names[agency_name].add(node.id)
            elif isinstance(node, Region) and node.code:
                for alias in node.aliases:
                    if alias[:1].isupper() and alias not in BARE_STOPLIST:
                        gaz.bare_names[alias].add(node.code)
                        gaz.region_names[_norm_region(alias)].add(node.code)
        gaz.nationalities = tuple(dataset.nationalities)
        gaz.seed_ids = frozenset(dataset.nodes)
    return gaz


# --------------------------------------------------------------------------- spaCy


def _merge_spans(doc: Any) -> Any:
    """Both rulers' spans as one ruler gives them: without duplicates, in order."""
    doc.spans[SPANS_KEY] = sorted(set(doc.spans[_ANY_CASE_KEY]) | set(doc.spans[_AS_WRITTEN_KEY]))
    return doc


def build_nlp(gaz: Gazetteer) -> Language:
    """``spacy.blank("id")`` with a span ruler holding every gazetteer name (nothing downloaded).

    Labels: ``REGION`` (id = Kemendagri code, or codes joined by ``|`` when a
    bare name is ambiguous), ``AGENCY``, ``FACILITY`` and ``PROGRAMME`` (id =
    seed id), ``ORG`` (id = the known organisation's name) and ``NATIONALITY``
    (id = canonical name).
    Prefixed and official names match case-insensitively; bare names, short
    forms and acronyms only as written, so "malang" (unlucky) is not Malang.
    """
    import spacy
    from spacy.language import Language

    if not Language.has_factory(_MERGE):
        Language.component(_MERGE, func=_merge_spans)
    nlp = spacy.blank("id")
    # spaCy refuses texts over a million characters (its parser and NER need memory in proportion); this
    # pipeline has neither, and an article may have up to MAX_ARTICLE_BYTES characters
    nlp.max_length = max(nlp.max_length, MAX_ARTICLE_BYTES)
    # names as written (ORTH) were token patterns once: the same matches, but the token matcher tries every
    # pattern at every token, where a phrase matcher looks each token up
    any_case = cast("SpanRuler", nlp.add_pipe("span_ruler", config={"spans_key": _ANY_CASE_KEY, "phrase_matcher_attr": "LOWER",
                                                  "validate": False}))
    as_written = cast("SpanRuler", nlp.add_pipe("span_ruler", name="span_ruler_as_written",
                              config={"spans_key": _AS_WRITTEN_KEY, "phrase_matcher_attr": "ORTH", "validate": False}))
    nlp.add_pipe(_MERGE)
    patterns: dict[bool, list[dict[str, Any]]] = {True: [], False: []}  # exact -> patterns
    seen: set[tuple[bool, str, str, str]] = set()

    def add(label: str, name: str, ident: str, *, exact: bool = False) -> None:
        key = (exact, label, name, ident)
        if key not in seen:
            seen.add(key)
            patterns[exact].append({"label": label, "pattern": name, "id": ident})

    bare_lower = {n.casefold() for n in gaz.bare_names}
    for name, codes in gaz.region_names.items():
        if name in bare_lower:
            continue  # bare names are added case-sensitively below
        add("REGION", name, "|".join(sorted(codes)))
    for name, codes in gaz.bare_names.items():
        add("REGION", name, "|".join(sorted(codes)), exact=True)
        if len(name) > 3 and not name.isupper():
            add("REGION", name.upper(), "|".join(sorted(codes)), exact=True)  # datelines: "MEDAN -"
    for name, ids in gaz.agency_names.items():
        ident = "|".join(sorted(ids))
        if len(name.split()) == 1 or name.isupper():
            add("AGENCY", name, ident, exact=True)
        else:
            add("AGENCY", name.casefold(), ident)
    for (label, name), ids in gaz.other_names.items():
        add(label, name.casefold() if " " in name else name, "|".join(sorted(ids)), exact=" " not in name)
    for org in gaz.orgs:
        for name in (org.name, *org.aliases):
            add("ORG", name.casefold(), org.name)
        if org.acronym:
            add("ORG", org.acronym, org.name, exact=True)
    for term in gaz.nationalities:
        for name in (term.name, *term.aliases):
            add("NATIONALITY", name, term.name, exact=True)
            add("NATIONALITY", name.casefold(), term.name)
    any_case.add_patterns(patterns[False])
    as_written.add_patterns(patterns[True])
    return nlp


_CACHE: dict[int, tuple[Any, Gazetteer, Language]] = {}


def gazetteer_for(dataset: Dataset | None) -> tuple[Gazetteer, Language]:
    """The gazetteer and pipeline for a seed, built once per dataset object (every name becomes a pattern)."""
    hit = _CACHE.get(id(dataset))
    if hit is None or hit[0] is not dataset:
        gaz = build_gazetteer(dataset)
        hit = (dataset, gaz, build_nlp(gaz))  # holding the dataset keeps its id from being reused
        if len(_CACHE) >= 4:
            _CACHE.clear()
        _CACHE[id(dataset)] = hit
    return hit[1], hit[2]
