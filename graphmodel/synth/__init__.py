"""Synthetic seed folders shaped like the real domain, for benchmarks and scale tests.

``generate(out_dir, scale=N, seed=S)`` writes a seed folder that
:func:`graphmodel.seed.load_seed` accepts, with about ``N`` nodes. The same
``(scale, seed)`` always gives byte-identical files (numpy
``Generator(PCG64(seed))``, no clocks, no hash-ordered iteration).

Shape
-----
* **Regions**: the country and, from the official Kemendagri list, all 38
  provinces and 514 regencies and cities (below about 9k nodes a subset:
  the cohort hotspots first, then a seeded random choice).
* **Skeleton of agencies**: per regency or city its government (Pemkab or
  Pemko), Dinas Sosial, Dinas Tenaga Kerja, Polres and immigration office;
  per province its Pemprov, Dinas Sosial, Disnakertrans, Dinas PPPA, Kanwil
  Kemenkumham, Polda, BP3MI and the provincial anti-trafficking task force;
  the national ministries and directorates; the 13 detention houses
  (Rudenim); IOM, UNHCR, UNICEF, UNODC, ILO and UN Women with their country
  offices and field offices where refugees live. ``PART_OF``,
  ``HAS_JURISDICTION`` and ``LOCATED_IN`` tie them together.
* **Growing part** (the rest of ``N``): NGOs (activity log-normal), office
  holders, migrant cohorts where the real ones concentrate (refugees in
  Medan, Jakarta, Makassar, Pekanbaru, Tanjung Pinang, Kupang ...; migrant
  workers from NTB, NTT, Jawa Timur, Jawa Tengah, Jawa Barat, Sumut and
  Lampung; trafficking victims at transit points such as Nunukan, Entikong,
  Batam, Dumai), facilities, programmes, legal instruments and meetings over
  2015-2024 whose attendance is heavy-tailed (``1 + Zipf(2.3)`` attendees,
  capped) and drawn by preferential attachment (an agency's chance grows
  with the meetings it has attended).
* **Evidence**: every node and relationship cites a synthetic source whose
  text is written from the quotes that cite it (meeting bulletins per
  province, and profiles per region), so every quote is found verbatim.

Relationships per node: about 4 listed in the seed, about 5 in the built
graph (with the derived ``MENTIONED_IN`` and region ``LOCATED_IN`` edges).

Two shapes above 100k nodes
---------------------------
Up to :data:`NATIONAL_ACTORS_AT` (100,000) nodes both shapes are the same
graph (byte-identical files). Above it they part:

* ``national`` (the default): the country's actors are counted, not grown.
  The growing part's agencies, office holders, cohorts, programmes,
  facilities, instruments and cooperation agreements stay at their numbers
  at 100k (about 10,700 agencies with the skeleton, 9,200 cohorts: the
  "thousands of agencies and offices" of a national model, about 21 per
  regency or city), and every further node is a meeting or the bulletin that reports
  it, which is how a national graph grows over a decade of reports.
* ``uniform``: every kind grows in proportion to ``N``, as below 100k. At
  500k that is about 53,000 agencies and 47,000 cohorts, some 100 agencies and
  90 cohorts per regency: a stress test for the analytics whose work grows
  with the providers of a place (pathways, coverage gaps), not a picture of
  the country.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graphmodel.model.regions import official_regions
from graphmodel.model.schema import ACTIVITY_RELS, CohortType, ServiceType

__all__ = ["generate", "SynthReport", "MIN_SCALE", "MAX_SCALE", "MAX_RECORDS_PER_FILE", "SHAPES", "NATIONAL_ACTORS_AT"]

MIN_SCALE = 200
MAX_SCALE = 2_000_000
"""The largest scale written. A synthetic seed is for running the main job on, and the main job holds about
12 KiB a node (5.8 GiB at 500k nodes, README "Scale"): 2 million nodes is about what the 24 GiB development
machine can run, four times the largest graph measured. Generating it takes about 5 KiB a node of memory
(0.5 GiB at 100k) and 2 kB a node of disk. ``--scale 1000000000000`` asked numpy for 6 TiB."""
SHAPES = ("national", "uniform")
"""How the graph grows above :data:`NATIONAL_ACTORS_AT` nodes (the module docstring); the first is the default."""
NATIONAL_ACTORS_AT = 100_000
"""In the ``national`` shape, the actors, cohorts and programmes of a graph this size are the country's."""
MAX_RECORDS_PER_FILE = 50_000
"""Records per YAML file: far below the 64 MiB seed file limit."""
MAX_SOURCE_SENTENCES = 400
"""Sentences per synthetic document, far below the 5 MiB source limit."""
MEETINGS_PER_BULLETIN = 6
OUTLET = "graphmodel synth (synthetic data)"
YEARS = tuple(range(2015, 2025))
START, END = dt.date(2015, 1, 1), dt.date(2024, 12, 31)

# --------------------------------------------------------------------------- where the cohorts are

REFUGEE_HOTSPOTS: dict[str, float] = {
    "12.71": 20, "31.71": 5, "31.72": 4, "31.73": 5, "31.74": 4, "31.75": 4, "73.71": 12, "14.71": 10,
    "21.72": 8, "21.71": 5, "53.71": 6, "35.78": 4, "33.74": 2, "51.71": 2, "71.71": 2, "61.71": 2,
    "64.71": 1, "91.71": 1, "32.01": 5, "36.71": 2,
}
"""Kemendagri code -> weight: Medan, Jakarta, Makassar, Pekanbaru, Tanjung Pinang, Batam, Kupang ..."""

WORKER_PROVINCES: dict[str, float] = {"52": 10, "53": 8, "35": 9, "33": 8, "32": 8, "12": 5, "18": 5}
"""Provinces the migrant workers come from: NTB, NTT, Jatim, Jateng, Jabar, Sumut, Lampung."""

WORKER_HOTSPOTS: dict[str, float] = {
    "52.03": 8, "52.02": 6, "52.01": 4, "52.04": 3, "53.02": 5, "53.03": 3, "32.12": 7, "32.09": 5,
    "33.01": 5, "35.02": 5, "35.05": 4, "35.04": 4, "35.07": 4, "18.07": 4, "12.18": 3, "12.09": 3,
}

TRANSIT_HOTSPOTS: dict[str, float] = {
    "65.03": 8, "61.03": 6, "61.71": 5, "21.71": 7, "21.72": 4, "14.72": 4, "12.72": 3, "53.71": 4,
    "36.03": 5, "35.78": 3, "12.71": 3,
}
"""Transit points: Nunukan, Sanggau (Entikong), Pontianak, Batam, Tanjung Pinang, Dumai, Tanjungbalai ..."""

RUDENIM: dict[str, str] = {
    "12.71": "Medan", "14.71": "Pekanbaru", "21.72": "Tanjung Pinang", "31.75": "Jakarta", "33.74": "Semarang",
    "35.78": "Surabaya", "51.71": "Denpasar", "53.71": "Kupang", "73.71": "Makassar", "71.71": "Manado",
    "61.71": "Pontianak", "64.71": "Balikpapan", "91.71": "Jayapura",
}
"""The 13 immigration detention houses (Rumah Detensi Imigrasi), by the city they sit in."""

REFUGEE_NATIONALITIES = (
    ("Afghanistan", "AFG", ("WN. Afghanistan",)), ("Somalia", "SOM", ()), ("Myanmar", "MMR", ("Rohingya",)),
    ("Sri Lanka", "LKA", ("Srilangka",)), ("Iraq", "IRQ", ("Irak",)), ("Iran", "IRN", ()),
    ("Sudan", "SDN", ()), ("Pakistan", "PAK", ()), ("Ethiopia", "ETH", ("Etophia",)), ("Yemen", "YEM", ("Yaman",)),
    ("Syria", "SYR", ("Suriah",)), ("Egypt", "EGY", ("Mesir",)), ("Palestine", "PSE", ("Palestina",)),
)
NATIONALITY_WEIGHTS = np.array([40, 12, 12, 6, 6, 5, 6, 5, 3, 2, 2, 1, 1], dtype=float)

# --------------------------------------------------------------------------- services by cohort type

SERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    CohortType.FOREIGN_REFUGEES: (
        "identification_registration", "status_determination", "shelter", "basic_needs_cash", "health",
        "repatriation_resettlement", "immigration_supervision", "security",
    ),
    CohortType.TRAFFICKING_VICTIMS: (
        "identification_registration", "shelter", "health", "psychosocial", "legal_aid_documentation",
        "safe_return", "reintegration_livelihoods", "law_enforcement",
    ),
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: (
        "prevention_awareness", "identification_registration", "law_enforcement", "safe_return",
        "reintegration_livelihoods", "legal_aid_documentation",
    ),
    CohortType.INDONESIAN_MIGRANT_WORKERS: (
        "prevention_awareness", "identification_registration", "legal_aid_documentation", "safe_return",
        "reintegration_livelihoods",
    ),
}

# which skeleton roles provide a service (local first); "ngo" = a local NGO
PROVIDERS: dict[str, tuple[str, ...]] = {
    "identification_registration": ("kanim", "dinsos", "disnaker", "polres"),
    "status_determination": ("unhcr",),
    "shelter": ("dinsos", "pemda", "iom", "ngo"),
    "basic_needs_cash": ("iom", "dinsos", "ngo"),
    "health": ("pemda", "iom", "ngo"),
    "psychosocial": ("dinsos", "ngo", "dinas-pppa"),
    "legal_aid_documentation": ("ngo", "disnaker"),
    "repatriation_resettlement": ("iom", "unhcr"),
    "safe_return": ("bp3mi", "disnaker", "dinsos"),
    "reintegration_livelihoods": ("disnaker", "ngo", "dinsos"),
    "prevention_awareness": ("disnaker", "ngo", "bp3mi", "gugus-tugas"),
    "law_enforcement": ("polres", "polda"),
    "immigration_supervision": ("kanim", "rudenim"),
    "security": ("polres",),
}

SERVICE_WORDS: dict[str, str] = {
    "identification_registration": "pendataan dan identifikasi",
    "status_determination": "penentuan status pengungsi",
    "shelter": "penampungan",
    "basic_needs_cash": "bantuan kebutuhan dasar dan uang tunai",
    "health": "layanan kesehatan",
    "psychosocial": "dukungan psikososial",
    "legal_aid_documentation": "bantuan hukum dan dokumen",
    "repatriation_resettlement": "pemulangan sukarela dan penempatan ke negara ketiga",
    "safe_return": "pemulangan yang aman ke daerah asal",
    "reintegration_livelihoods": "reintegrasi dan pemberdayaan ekonomi",
    "prevention_awareness": "sosialisasi dan pencegahan",
    "law_enforcement": "penegakan hukum",
    "immigration_supervision": "pengawasan keimigrasian",
    "security": "pengamanan",
}
assert set(SERVICE_WORDS) == {s.value for s in ServiceType}

COHORT_WORDS: dict[str, str] = {
    CohortType.FOREIGN_REFUGEES: "Pengungsi luar negeri",
    CohortType.INDONESIAN_MIGRANT_WORKERS: "Pekerja Migran Indonesia (PMI)",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "PMI non-prosedural (PMI-NP)",
    CohortType.TRAFFICKING_VICTIMS: "WNI korban perdagangan orang (TPPO)",
}
COHORT_SHORT = {
    CohortType.FOREIGN_REFUGEES: "ref", CohortType.INDONESIAN_MIGRANT_WORKERS: "pmi",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "pminp", CohortType.TRAFFICKING_VICTIMS: "tppo",
}
PRESENCE = {
    CohortType.FOREIGN_REFUGEES: "residing", CohortType.INDONESIAN_MIGRANT_WORKERS: "origin",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "origin", CohortType.TRAFFICKING_VICTIMS: "transit",
}

MEETING_KINDS = ("coordination_meeting", "audience", "visit", "handover", "press_conference")
MEETING_KIND_P = np.array([0.45, 0.2, 0.2, 0.1, 0.05])
MEETING_WORDS = {
    "coordination_meeting": "Rapat koordinasi", "audience": "Audiensi", "visit": "Kunjungan kerja",
    "handover": "Serah terima bantuan", "press_conference": "Konferensi pers",
}
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")

PROGRAMME_KINDS = {
    "cash_assistance": ("basic_needs_cash",),
    "in_kind_aid": ("basic_needs_cash", "health"),
    "prevention": ("prevention_awareness",),
    "protection": ("shelter", "psychosocial", "legal_aid_documentation", "safe_return"),
    "cooperation": ("identification_registration", "law_enforcement", "reintegration_livelihoods"),
}
PROGRAMME_WORDS = {
    "cash_assistance": "Bantuan tunai bulanan", "in_kind_aid": "Bantuan paket kebersihan dan kesehatan",
    "prevention": "Program pencegahan migrasi non-prosedural", "protection": "Program pelindungan terpadu",
    "cooperation": "Kerja sama penanganan",
}

FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dewi", "Ahmad", "Sri", "Hendra", "Rina", "Joko", "Yuni", "Rahmat", "Nur", "Eko",
    "Wati", "Andi", "Fitri", "Dedi", "Lestari", "Hadi", "Maria", "Yohanes", "Made", "Ketut", "Wayan", "Putu",
    "Muhammad", "Abdul", "Irfan", "Indah", "Rudi", "Teguh", "Ratna", "Bambang", "Sari", "Heru", "Melati",
)
LAST_NAMES = (
    "Santoso", "Hidayat", "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Wijaya", "Saputra",
    "Pratama", "Kusuma", "Setiawan", "Nugroho", "Hasibuan", "Daulay", "Manurung", "Ndun", "Amalo", "Pah",
    "Riwu", "Mbere", "Daeng", "Rahman", "Syahputra", "Tanjung", "Purba", "Sembiring", "Ginting", "Sinaga",
)
NGO_WORDS = (
    "Peduli", "Migran", "Sejahtera", "Mandiri", "Harapan", "Kasih", "Bangsa", "Insan", "Cahaya", "Perempuan",
    "Keadilan", "Buruh", "Nusantara", "Bakti", "Sahabat", "Pelita", "Lentera", "Rumah", "Pintar", "Damai",
)
NGO_FORMS = ("Yayasan", "Perkumpulan", "Lembaga Bantuan Hukum", "Serikat", "Jaringan", "Lembaga")


# --------------------------------------------------------------------------- small helpers

_SLUG = re.compile(r"[^a-z0-9]+")


_ACTIVITY = frozenset(str(t) for t in ACTIVITY_RELS)


def slug(text: str) -> str:
    """A lower-case id fragment: ``slug("Kota Administrasi Jakarta Pusat") == "kota-administrasi-jakarta-pusat"``.

    >>> slug("Kabupaten Serdang Bedagai")
    'kabupaten-serdang-bedagai'
    """
    return _SLUG.sub("-", text.lower()).strip("-")


_json_str = json.encoder.encode_basestring  # the C encoder, as json.dumps(ensure_ascii=False) uses


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML).

    >>> print(_q('Rudenim "Kupang"'))
    "Rudenim \\"Kupang\\""
    """
    return _json_str(text)


_record = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _ev(source: str, quote: str) -> list[dict[str, str]]:
    return [{"source": source, "quote": quote}]


def _date_id(day: dt.date) -> str:
    return f"{DAYS_ID[day.weekday()]} ({day.day}/{day.month}/{day.year})"


def _region_short(name: str) -> str:
    return name.replace("Kabupaten Administrasi ", "").replace("Kota Administrasi ", "").replace("Kabupaten ", "").replace("Kota ", "")


# --------------------------------------------------------------------------- sources


@dataclass
class _Doc:
    id: str
    title: str
    published: dt.date
    sentences: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add(self, sentence: str) -> None:
        if sentence not in self.seen:
            self.seen.add(sentence)
            self.sentences.append(sentence)


class _Library:
    """The synthetic documents: each fact's sentence goes into a document, whose text is written from them."""

    def __init__(self) -> None:
        self.docs: list[_Doc] = []
        self._open: dict[str, _Doc] = {}
        self._parts: dict[str, int] = defaultdict(int)

    def doc(self, key: str, title: str, published: dt.date, room: int = 1) -> _Doc:
        """The open document for ``key``, or a new part when the open one has no room for ``room`` sentences."""
        current = self._open.get(key)
        if current is None or len(current.sentences) + room > MAX_SOURCE_SENTENCES:
            self._parts[key] += 1
            part = self._parts[key]
            current = _Doc(f"src-{key}-{part}" if part > 1 else f"src-{key}",
                           title if part == 1 else f"{title} (bagian {part})", published)
            self.docs.append(current)
            self._open[key] = current
        return current

    def cite(self, key: str, title: str, published: dt.date, sentence: str) -> str:
        doc = self.doc(key, title, published)
        doc.add(sentence)
        return doc.id

    def close(self, key: str) -> None:
        self._open.pop(key, None)


# --------------------------------------------------------------------------- writing


class _Sink:
    """Records of one seed file kind, written as YAML flow mappings, one per line, in files of bounded size."""

    def __init__(self, root: Path, name: str, folder: bool, folder_name: str | None = None):
        self.root, self.name, self.folder = root, name, folder
        self.folder_name = folder_name or name
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def __len__(self) -> int:
        return len(self.lines)

    def write(self, header: str) -> list[Path]:
        written = []
        if not self.folder:
            path = self.root / f"{self.name}.yaml"
            path.write_text(header + "".join(f"- {line}\n" for line in self.lines), encoding="utf-8")
            return [path]
        folder = self.root / self.folder_name
        folder.mkdir(parents=True, exist_ok=True)
        for part, start in enumerate(range(0, max(len(self.lines), 1), MAX_RECORDS_PER_FILE), start=1):
            chunk = self.lines[start : start + MAX_RECORDS_PER_FILE]
            if not chunk:
                break
            path = folder / f"{self.name}-{part:04d}.yaml"
            path.write_text(header + "".join(f"- {line}\n" for line in chunk), encoding="utf-8")
            written.append(path)
        return written


@dataclass(frozen=True)
class SynthReport:
    """What :func:`generate` wrote: counts by node label and relationship type, and the files."""

    out_dir: Path
    scale: int
    seed: int
    nodes: dict[str, int]
    relationships: dict[str, int]
    files: int

    @property
    def node_count(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_count(self) -> int:
        return sum(self.relationships.values())


# --------------------------------------------------------------------------- the generator


@dataclass
class _Agency:
    id: str
    name: str
    kind: str
    level: str
    role: str  # skeleton role ("pemda", "dinsos" ...), "ngo", "national", "intl"
    region: str | None  # region id of its seat
    province: str | None  # province code
    weight: float
    acronym: str | None = None


class _Generator:
    def __init__(self, out_dir: Path, scale: int, seed: int, progress: Callable[[str, int, int], None] | None,
                 shape: str = "national"):
        self.out = out_dir
        self.scale = scale
        self.shape = shape
        self.rng = np.random.Generator(np.random.PCG64(seed))
        self.seed = seed
        self.progress = progress or (lambda _phase, _done, _total: None)
        self.lib = _Library()
        self.sinks: dict[str, _Sink] = {}
        self.rel_counts: dict[str, int] = defaultdict(int)
        self.node_counts: dict[str, int] = defaultdict(int)
        self.rel_sinks: dict[str, _Sink] = {}
        self.agencies: list[_Agency] = []
        self.agency_index: dict[str, int] = {}
        self.by_role: dict[tuple[str, str], int] = {}  # (role, region id or province code) -> agency index
        self.local_pool: dict[str, list[int]] = defaultdict(list)  # regency id -> agency indices seated there
        self.prov_pool: dict[str, list[int]] = defaultdict(list)  # province code -> provincial agencies
        self.global_pool: list[int] = []
        self.holders: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # agency -> (person id, name, office)
        self.region_name: dict[str, str] = {}
        self.region_province: dict[str, str] = {}
        self.region_id_by_code: dict[str, str] = {}
        self.regencies: list[str] = []  # selected regency/city region ids
        self.cohorts_in: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)  # region -> (id, type, name, year)
        self.programmes_in: dict[str, list[tuple[str, str, int]]] = defaultdict(list)  # region -> (id, name, year)
        self.facilities_in: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # region -> (id, kind, name)
        self.instruments: list[tuple[str, str]] = []
        self.ngos_in: dict[str, list[int]] = defaultdict(list)
        self._hot_weights: dict[tuple[int, float], np.ndarray] = {}

    # ------------------------------------------------------------ plumbing

    def _sink(self, name: str, folder: bool) -> _Sink:
        sink = self.sinks.get(name)
        if sink is None:
            sink = self.sinks[name] = _Sink(self.out, name, folder)
        return sink

    def node(self, kind_file: str, label: str, record: dict) -> None:
        """One node record, written as a one-line JSON object (valid YAML, and quick to read)."""
        self._sink(kind_file, kind_file != "sources").add(_record(record))
        self.node_counts[label] += 1

    def rel(self, rtype: str, src: str, dst: str, source: str, quote: str, **fields: object) -> None:
        sink = self.rel_sinks.get(rtype)
        if sink is None:
            sink = self.rel_sinks[rtype] = _Sink(self.out, rtype.lower(), True, "relationships")
        if rtype in _ACTIVITY and "status" not in fields:
            fields["status"] = "reported"  # the generated sentences state the activity as done
        record = {"type": rtype, "from": src, "to": dst, **fields, "evidence": _ev(source, quote)}
        sink.add(_record(record))
        self.rel_counts[rtype] += 1

    def choice(self, n: int, p: np.ndarray | None = None) -> int:
        if p is None:
            return int(self.rng.integers(n))
        return int(self.rng.choice(n, p=p / p.sum()))

    def profile(self, region: str | None, sentence: str) -> str:
        """Cite a structural fact in the profile document of a region (or the national one)."""
        if region is None:
            return self.lib.cite("profil-nasional", "Profil kelembagaan penanganan migrasi nasional (sintetis)",
                                 END, sentence)
        name = self.region_name[region]
        return self.lib.cite(f"profil-{region}", f"Profil kelembagaan penanganan migrasi {name} (sintetis)", END, sentence)

    # ------------------------------------------------------------ plan

    def plan(self) -> dict[str, int]:
        official = official_regions()
        provinces = sorted(c for c, r in official.items() if r.province_code is None)
        regencies = sorted(c for c, r in official.items() if r.province_code is not None)
        national = len(NATIONAL_AGENCIES) + len(INTERNATIONAL_ORGS) * 2
        per_regency, per_province = 1 + len(REGENCY_ROLES), 1 + len(PROVINCE_ROLES)
        full = 1 + len(provinces) * per_province + len(regencies) * per_regency + national + len(RUDENIM)
        budget = 0.4 * self.scale
        if budget >= full:
            chosen = regencies
        else:
            hot = [c for c in {**REFUGEE_HOTSPOTS, **WORKER_HOTSPOTS, **TRANSIT_HOTSPOTS} if c in official]
            rest = [c for c in regencies if c not in hot]
            order = hot + [rest[i] for i in self.rng.permutation(len(rest))]
            chosen, provs, cost = [], set(), 1 + national
            for code in order:
                add = per_regency + (per_province if official[code].province_code not in provs else 0)
                if cost + add > budget and len(chosen) >= 3:
                    break
                chosen.append(code)
                provs.add(official[code].province_code)
                cost += add
            chosen.sort()
        provs_used = sorted({official[c].province_code for c in chosen})
        skeleton = 1 + len(provs_used) * per_province + len(chosen) * per_regency + national
        skeleton += sum(1 for c in RUDENIM if c in chosen)
        # sources come out at about meetings / MEETINGS_PER_BULLETIN plus the profiles
        shares = {"meetings": 0.44, "persons": 0.14, "ngos": 0.08, "cohorts": 0.095, "programmes": 0.095,
                  "facilities": 0.06, "instruments": 0.012, "cooperation": 0.03}
        if self.shape == "national" and self.scale > NATIONAL_ACTORS_AT:
            # every regency is in the skeleton at both sizes (budget >= full), so this is the 100k graph's plan ...
            rest = NATIONAL_ACTORS_AT - skeleton
            counts = {k: max(int(rest * v), 3) for k, v in shares.items()}
            # ... plus meetings, each bulletin reporting MEETINGS_PER_BULLETIN of them: the nodes beyond 100k
            more = self.scale - NATIONAL_ACTORS_AT
            counts["meetings"] += more * MEETINGS_PER_BULLETIN // (MEETINGS_PER_BULLETIN + 1)
        else:
            rest = max(self.scale - skeleton, 60)
            counts = {k: max(int(rest * v), 3) for k, v in shares.items()}
        counts["regencies"], counts["provinces"] = len(chosen), len(provs_used)
        self._chosen, self._provinces = chosen, provs_used
        return counts

    # ------------------------------------------------------------ regions

    def regions(self) -> None:
        official = official_regions()
        self.region_name["indonesia"] = "Indonesia"
        self.node("regions", "Region", {"id": "indonesia", "name": "Indonesia", "aliases": ["Republik Indonesia"],
                                        "kind": "country"})
        used_ids: set[str] = {"indonesia"}
        for code in self._provinces:
            ref = official[code]
            rid = f"prov-{slug(ref.name)}"
            self.region_id_by_code[code] = rid
            self.region_name[rid] = f"Provinsi {ref.name}"
            self.region_province[rid] = code
            used_ids.add(rid)
            self.node("regions", "Region", {"id": rid, "name": ref.name, "kind": "province", "code": code,
                                            "parent": "indonesia", "evidence": _ev("idn-area-provinces", ref.csv_row)})
        for code in self._chosen:
            ref = official[code]
            rid = slug(ref.name.replace("Kabupaten ", "kab-"))
            if rid in used_ids:
                rid = f"{rid}-{code.replace('.', '')}"
            used_ids.add(rid)
            self.region_id_by_code[code] = rid
            self.region_name[rid] = ref.name
            self.region_province[rid] = ref.province_code or ""
            self.regencies.append(rid)
            kind = "city" if ref.is_city else "regency"
            record: dict = {"id": rid, "name": ref.name}
            if _region_short(ref.name) != ref.name:
                record["aliases"] = [_region_short(ref.name)]
            record.update(kind=kind, code=code, parent=self.region_id_by_code[ref.province_code],
                          evidence=_ev("idn-area-regencies", ref.csv_row))
            self.node("regions", "Region", record)

    # ------------------------------------------------------------ agencies

    def add_agency(self, a: _Agency, *, part_of: str | None = None, jurisdiction: str | None = None,
                   seat: str | None = None, aliases: Iterable[str] = ()) -> int:
        index = len(self.agencies)
        self.agencies.append(a)
        self.agency_index[a.id] = index
        where = jurisdiction or seat
        region_for_doc = where if where not in (None, "indonesia") else None
        if where is not None:
            place = self.region_name[where]
            sentence = f"{a.name} berkedudukan dan berwenang di wilayah {place}."
        else:
            sentence = f"{a.name} merupakan mitra penanganan migrasi di Indonesia."
        src = self.profile(region_for_doc, sentence)
        record: dict = {"id": a.id, "name": a.name}
        if aliases:
            record["aliases"] = list(aliases)
        record.update(kind=a.kind, level=a.level)
        if a.acronym:
            record["acronym"] = a.acronym
        record["evidence"] = _ev(src, sentence)
        self.node("agencies", "Agency", record)
        if jurisdiction is not None:
            self.rel("HAS_JURISDICTION", a.id, jurisdiction, src, sentence)
        if seat is not None:
            self.rel("LOCATED_IN", a.id, seat, src, sentence)
        if part_of is not None:
            parent = self.agencies[self.agency_index[part_of]]
            s2 = f"{a.name} merupakan bagian dari {parent.name}."
            self.rel("PART_OF", a.id, part_of, self.profile(region_for_doc, s2), s2)
        return index

    def skeleton(self) -> None:
        for aid, name, kind, acronym, parent, weight in NATIONAL_AGENCIES:
            i = self.add_agency(_Agency(aid, name, kind, "national", "national", "indonesia", None, weight, acronym),
                                part_of=parent, jurisdiction="indonesia")
            self.global_pool.append(i)
            self.by_role[(aid, "")] = i
        for org, name, weight in INTERNATIONAL_ORGS:
            self.add_agency(_Agency(org, name, "international_organisation", "international", "intl", None, None,
                                    weight, org.upper()))
            i = self.add_agency(
                _Agency(f"{org}-indonesia", f"{name} ({org.upper()}) Indonesia", "international_office", "national",
                        "intl", "indonesia", None, weight, None),
                part_of=org, jurisdiction="indonesia", aliases=[f"{org.upper()} Indonesia"],
            )
            self.global_pool.append(i)
            self.by_role[(org, "")] = i
        for code in self._provinces:
            rid = self.region_id_by_code[code]
            short = official_regions()[code].name
            for role, kind, fmt, acronym, parent, weight in PROVINCE_ROLES:
                parent_id = (f"pemprov-{slug(short)}" if parent == "pemprov" else parent)
                i = self.add_agency(
                    _Agency(f"{role}-prov-{slug(short)}" if role != "pemprov" else f"pemprov-{slug(short)}",
                            fmt.format(p=short), kind, "provincial", role, rid, code, weight,
                            acronym.format(p=short) if acronym else None),
                    part_of=parent_id, jurisdiction=rid, seat=rid,
                )
                self.prov_pool[code].append(i)
                self.by_role[(role, code)] = i
        for rid in self.regencies:
            name = self.region_name[rid]
            code = self.region_province[rid]
            short = _region_short(name)
            city = name.startswith("Kota ")
            pemda_name = f"Pemerintah {'Kota' if city else 'Kabupaten'} {short}"
            pemda_id = f"{'pemko' if city else 'pemkab'}-{rid.removeprefix('kota-').removeprefix('kab-')}"
            for role, kind, fmt, acronym, parent, weight in REGENCY_ROLES:
                if role == "pemda":
                    aid, aname = pemda_id, pemda_name
                    acr = f"{'Pemko' if city else 'Pemkab'} {short}"
                else:
                    aid, aname = f"{role}-{rid}", fmt.format(r=name, s=short)
                    acr = acronym.format(s=short) if acronym else None
                if parent == "pemda":
                    parent_id = pemda_id
                elif parent:
                    parent_id = self.agencies[self.by_role[(parent, code)]].id
                else:
                    parent_id = None
                i = self.add_agency(_Agency(aid, aname, kind, "regency_city", role, rid, code, weight, acr),
                                    part_of=parent_id, jurisdiction=rid, seat=rid)
                self.local_pool[rid].append(i)
                self.by_role[(role, rid)] = i
        for code, city in RUDENIM.items():
            rid = self.region_id_by_code.get(code)
            if rid is None or rid not in self.local_pool:
                continue
            i = self.add_agency(
                _Agency(f"rudenim-{slug(city)}", f"Rumah Detensi Imigrasi (Rudenim) {city}", "detention_centre",
                        "regency_city", "rudenim", rid, self.region_province[rid], 3.0, f"Rudenim {city}"),
                part_of="ditjen-imigrasi", seat=rid, jurisdiction=rid,
            )
            self.local_pool[rid].append(i)
            self.by_role[("rudenim", rid)] = i
        # field offices of IOM and UNHCR where refugees live
        for code, w in sorted(REFUGEE_HOTSPOTS.items(), key=lambda kv: -kv[1]):
            rid = self.region_id_by_code.get(code)
            if rid is None or rid not in self.local_pool:
                continue
            short = _region_short(self.region_name[rid])
            for org in ("iom", "unhcr"):
                if org == "unhcr" and w < 4:
                    continue
                i = self.add_agency(
                    _Agency(f"{org}-{rid}", f"{org.upper()} {short}", "international_office", "regency_city", org,
                            rid, self.region_province[rid], 4.0),
                    part_of=f"{org}-indonesia", jurisdiction=rid, seat=rid,
                )
                self.local_pool[rid].append(i)
                self.by_role[(org, rid)] = i

    def ngos(self, n: int) -> None:
        weights = self._region_weights(extra=1.0)
        regions = self.rng.choice(len(self.regencies), size=n, p=weights)
        activity = self.rng.lognormal(0.0, 1.0, size=n)
        forms = self.rng.integers(len(NGO_FORMS), size=n)
        words = self.rng.integers(len(NGO_WORDS), size=(n, 2))
        national = self.rng.random(n) < 0.03
        for k in range(n):
            rid = self.regencies[int(regions[k])]
            short = _region_short(self.region_name[rid])
            name = f"{NGO_FORMS[forms[k]]} {NGO_WORDS[words[k, 0]]} {NGO_WORDS[words[k, 1]]} {short}"
            aid = f"ngo-{k + 1:06d}-{slug(short)}"[:80]
            level = "national" if national[k] else "regency_city"
            i = self.add_agency(_Agency(aid, name, "ngo", level, "ngo", rid, self.region_province[rid],
                                        float(activity[k])), seat=rid)
            (self.global_pool if national[k] else self.local_pool[rid]).append(i)
            self.ngos_in[rid].append(i)

    def _region_weights(self, extra: float) -> np.ndarray:
        w = np.full(len(self.regencies), extra)
        codes = {rid: c for c, rid in self.region_id_by_code.items()}
        for j, rid in enumerate(self.regencies):
            c = codes[rid]
            w[j] += REFUGEE_HOTSPOTS.get(c, 0) + WORKER_HOTSPOTS.get(c, 0) + TRANSIT_HOTSPOTS.get(c, 0)
            w[j] += 0.5 * WORKER_PROVINCES.get(c.split(".")[0], 0) / 10
            if c.split(".")[1] == "71":  # the province's capital city is usually its .71
                w[j] += 1.0
        return w / w.sum()

    # ------------------------------------------------------------ people

    def persons(self, n: int) -> None:
        w = np.array([a.weight for a in self.agencies])
        picks = self.rng.choice(len(self.agencies), size=n, p=w / w.sum())
        firsts = self.rng.integers(len(FIRST_NAMES), size=n)
        lasts = self.rng.integers(len(LAST_NAMES), size=n)
        titles = self.rng.integers(len(OFFICE_TITLES), size=n)
        for k in range(n):
            a = self.agencies[int(picks[k])]
            pid = f"person-{k + 1:06d}"
            name = f"{FIRST_NAMES[firsts[k]]} {LAST_NAMES[lasts[k]]}"
            office = f"{OFFICE_TITLES[titles[k]]} {a.name}"
            sentence = f"{name} menjabat sebagai {office}."
            region = a.region if a.region != "indonesia" else None
            src = self.profile(region, sentence)
            self.node("people", "Person", {"id": pid, "name": name, "office": office, "evidence": _ev(src, sentence)})
            self.rel("HOLDS_OFFICE", pid, a.id, src, sentence, office=office)
            self.holders[int(picks[k])].append((pid, name, office))

    # ------------------------------------------------------------ cohorts and facilities

    def _hot_choice(self, table: dict[str, float], size: int, spread: float) -> np.ndarray:
        key = (id(table), spread)
        w = self._hot_weights.get(key)
        if w is None:
            codes = {rid: c for c, rid in self.region_id_by_code.items()}
            w = np.full(len(self.regencies), spread)
            for j, rid in enumerate(self.regencies):
                w[j] += table.get(codes[rid], 0.0)
            w = self._hot_weights[key] = w / w.sum()
        return self.rng.choice(len(self.regencies), size=size, p=w)

    def _worker_choice(self, size: int) -> np.ndarray:
        codes = {rid: c for c, rid in self.region_id_by_code.items()}
        w = np.full(len(self.regencies), 0.05)
        for j, rid in enumerate(self.regencies):
            c = codes[rid]
            w[j] += WORKER_HOTSPOTS.get(c, 0.0) + WORKER_PROVINCES.get(c.split(".")[0], 0.0) / 8
        return self.rng.choice(len(self.regencies), size=size, p=w / w.sum())

    def cohorts(self, n: int) -> None:
        types = self.rng.choice(4, size=n, p=[0.3, 0.3, 0.2, 0.2])
        order = (CohortType.FOREIGN_REFUGEES, CohortType.INDONESIAN_MIGRANT_WORKERS,
                 CohortType.NON_PROCEDURAL_MIGRANT_WORKERS, CohortType.TRAFFICKING_VICTIMS)
        where = {
            0: self._hot_choice(REFUGEE_HOTSPOTS, n, 0.02),
            1: self._worker_choice(n), 2: self._worker_choice(n),
            3: self._hot_choice(TRANSIT_HOTSPOTS, n, 0.05),
        }
        origins = self._worker_choice(n)
        years = self.rng.integers(YEARS[0], YEARS[-1] + 1, size=n)
        sizes = self.rng.lognormal(4.5, 1.3, size=n).astype(int) + 1
        basis = self.rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
        nat_p = NATIONALITY_WEIGHTS / NATIONALITY_WEIGHTS.sum()
        serve_draws = self.rng.random((n, 8))
        for k in range(n):
            ctype = order[int(types[k])]
            rid = self.regencies[int(where[int(types[k])][k])]
            year = int(years[k])
            place = self.region_name[rid]
            if ctype is CohortType.FOREIGN_REFUGEES:
                nats = sorted({REFUGEE_NATIONALITIES[int(i)][0] for i in self.rng.choice(len(nat_p), size=1 + int(self.rng.integers(3)), p=nat_p)})
                group = f" ({', '.join(nats)})"
            else:
                nats, group = ["Indonesia"], ""
            cid = f"cohort-{k + 1:06d}-{COHORT_SHORT[ctype]}-{rid}"[:80]
            name = f"{COHORT_WORDS[ctype]}{group} di {place}, {year}"
            as_of = dt.date(year, 12, 31) if year < 2024 else END
            record = {"id": cid, "name": name, "cohort_type": ctype.value}
            if basis[k] == 2:
                size_text = f"{name} belum diketahui jumlahnya."
                record["size_basis"] = "unknown"
            else:
                word = "tercatat" if basis[k] == 0 else "diperkirakan sekitar"
                size_text = f"{name} {word} {int(sizes[k]):,} orang.".replace(",", ".")
                record.update(size=int(sizes[k]), size_basis="stated" if basis[k] == 0 else "approximate")
            src = self.profile(rid, size_text)
            record.update(nationalities=nats, as_of=as_of.isoformat(), evidence=_ev(src, size_text))
            self.node("cohorts", "MigrantCohort", record)
            self.rel("HOSTS_COHORT", rid, cid, src, size_text, presence=PRESENCE[ctype])
            if ctype is CohortType.TRAFFICKING_VICTIMS:
                origin = self.regencies[int(origins[k])]
                if origin != rid:
                    s = f"Sebagian {name} berasal dari {self.region_name[origin]}."
                    self.rel("HOSTS_COHORT", origin, cid, self.profile(rid, s), s, presence="origin")
            self.cohorts_in[rid].append((cid, ctype.value, name, year))
            self._serve(cid, ctype, name, rid, year, serve_draws[k])

    def _provider(self, role: str, rid: str) -> int | None:
        code = self.region_province[rid]
        if role in ("iom", "unhcr"):
            return self.by_role.get((role, rid), self.by_role.get((role, "")))
        if role == "ngo":
            ngos = self.ngos_in.get(rid)
            return ngos[int(self.rng.integers(len(ngos)))] if ngos else None
        if role in ("bp3mi", "polda", "gugus-tugas", "dinas-pppa"):
            return self.by_role.get((role, code))
        return self.by_role.get((role, rid))

    def _serve(self, cid: str, ctype: CohortType, name: str, rid: str, year: int, draws: np.ndarray) -> None:
        seen: set[tuple[int, str]] = set()
        for j, service in enumerate(SERVICE_NEEDS[ctype]):
            if draws[j % len(draws)] > 0.65:
                continue  # a needed service with no recorded provider: the gaps the analytics look for
            roles = PROVIDERS[service]
            role = roles[int(self.rng.integers(len(roles)))]
            who = self._provider(role, rid)
            if who is None or (who, service) in seen:
                continue
            seen.add((who, service))
            a = self.agencies[who]
            since = dt.date(max(YEARS[0], year - int(self.rng.integers(3))), 1 + int(self.rng.integers(12)), 1)
            last = dt.date(year, 1 + int(self.rng.integers(12)), 1 + int(self.rng.integers(28)))
            if last < since:
                since, last = last, since
            sentence = f"{a.name} memberikan layanan {SERVICE_WORDS[service]} kepada {name}."
            self.rel("SERVES", a.id, cid, self.profile(rid, sentence), sentence,
                     service=service, since=since.isoformat(), last_seen=last.isoformat())

    def facilities(self, n: int) -> None:
        kinds = self.rng.choice(4, size=n, p=[0.45, 0.3, 0.15, 0.1])
        for k in range(n):
            kind = ("community_shelter", "hotel_shelter", "transit_post", "protection_centre")[int(kinds[k])]
            table = TRANSIT_HOTSPOTS if kind == "transit_post" else REFUGEE_HOTSPOTS
            rid = self.regencies[int(self._hot_choice(table, 1, 0.05)[0])]
            short = _region_short(self.region_name[rid])
            name = {
                "community_shelter": f"Community house pengungsi {short} {k + 1}",
                "hotel_shelter": f"Hotel {NGO_WORDS[int(self.rng.integers(len(NGO_WORDS)))]} {short} (penampungan {k + 1})",
                "transit_post": f"Pos transit kepulangan PMI {short} {k + 1}",
                "protection_centre": f"Rumah Perlindungan Trauma Center (RPTC) {short} {k + 1}",
            }[kind]
            fid = f"fac-{k + 1:06d}-{rid}"[:80]
            sentence = f"{name} berada di {self.region_name[rid]}."
            src = self.profile(rid, sentence)
            address = f"Jalan {NGO_WORDS[k % len(NGO_WORDS)]} No. {k % 97 + 1}, {short}"
            self.node("facilities", "Facility", {"id": fid, "name": name, "kind": kind, "address": address,
                                                 "evidence": _ev(src, sentence)})
            self.rel("LOCATED_IN", fid, rid, src, sentence)
            operator_role = {"community_shelter": "iom", "hotel_shelter": "iom", "transit_post": "bp3mi",
                             "protection_centre": "dinsos"}[kind]
            op = self._provider(operator_role, rid) or self._provider("pemda", rid)
            if op is not None:
                s = f"{name} dikelola oleh {self.agencies[op].name}."
                self.rel("OPERATES", self.agencies[op].id, fid, self.profile(rid, s), s)
            wanted = {"community_shelter": "foreign_refugees", "hotel_shelter": "foreign_refugees",
                      "transit_post": "trafficking_victims", "protection_centre": "trafficking_victims"}[kind]
            matches = [c for c in self.cohorts_in.get(rid, []) if c[1] == wanted]
            if matches:
                take = self.rng.choice(len(matches), size=min(len(matches), 1 + int(self.rng.integers(2))), replace=False)
                for t in sorted(int(x) for x in take):
                    cid, _, cname, _ = matches[t]
                    count = 1 + int(self.rng.integers(300))
                    s = f"{name} menampung {count} orang dari {cname}."
                    self.rel("SHELTERS", fid, cid, self.profile(rid, s), s, count=count, count_basis="stated")
            self.facilities_in[rid].append((fid, kind, name))

    # ------------------------------------------------------------ instruments

    def legal_instruments(self, n: int) -> None:
        for iid, kind, number, year, title, mandates in NATIONAL_INSTRUMENTS:
            name = f"{INSTRUMENT_WORDS[kind]} Nomor {number} Tahun {year} tentang {title}"
            src = self.profile(None, name + ".")
            self.node("instruments", "LegalInstrument", {"id": iid, "name": name, "kind": kind, "number": number,
                                                         "year": year, "title": title, "evidence": _ev(src, name)})
            self.instruments.append((iid, name))
            for agency, duty in mandates:
                if agency not in self.agency_index:
                    continue
                s = f"{name} menugaskan {self.agencies[self.agency_index[agency]].name} dalam {SERVICE_WORDS[duty]}."
                self.rel("MANDATES", iid, agency, self.profile(None, s), s, duty=duty)
        extra = max(n - len(NATIONAL_INSTRUMENTS), 0)
        picks = self._worker_choice(extra)
        used: set[str] = set()
        for k in range(extra):
            rid = self.regencies[int(picks[k])]
            pemda = self.by_role.get(("pemda", rid))
            if pemda is None:
                continue
            year = int(self.rng.integers(2015, 2025))
            number = str(k + 1)
            iid = f"perda-{rid}-{year}-{number}"[:80]
            if iid in used:
                continue
            used.add(iid)
            title = "Pelindungan Pekerja Migran Indonesia asal " + _region_short(self.region_name[rid])
            name = f"Peraturan Daerah {self.region_name[rid]} Nomor {number} Tahun {year} tentang {title}"
            src = self.profile(rid, name + ".")
            self.node("instruments", "LegalInstrument", {"id": iid, "name": name, "kind": "regional_regulation",
                                                         "number": number, "year": year, "title": title,
                                                         "evidence": _ev(src, name)})
            a = self.agencies[pemda]
            s = f"{a.name} menerapkan {name}."
            self.rel("APPLIES", a.id, iid, self.profile(rid, s), s)
            dis = self.by_role.get(("disnaker", rid))
            if dis is not None:
                s = f"{name} menugaskan {self.agencies[dis].name} dalam {SERVICE_WORDS['prevention_awareness']}."
                self.rel("MANDATES", iid, self.agencies[dis].id, self.profile(rid, s), s, duty="prevention_awareness")
        # every regency government applies Perpres 125/2016 where refugees live
        for rid in self.regencies:
            if any(c[1] == "foreign_refugees" for c in self.cohorts_in.get(rid, [])):
                pemda = self.by_role.get(("pemda", rid))
                if pemda is not None:
                    a = self.agencies[pemda]
                    s = f"{a.name} menerapkan {self.instruments[0][1]}."
                    self.rel("APPLIES", a.id, self.instruments[0][0], self.profile(rid, s), s)

    # ------------------------------------------------------------ programmes

    def programmes(self, n: int) -> None:
        kinds = list(PROGRAMME_KINDS)
        kind_idx = self.rng.integers(len(kinds), size=n)
        region_w = self._region_weights(extra=0.3)
        regions = self.rng.choice(len(self.regencies), size=n, p=region_w)
        starts = self.rng.integers(0, (END - START).days - 60, size=n)
        funders = [i for i in self.global_pool if self.agencies[i].kind in ("international_office", "ministry")]
        fw = np.array([self.agencies[i].weight for i in funders])
        fpick = self.rng.choice(len(funders), size=n, p=fw / fw.sum())
        implementer_pools: dict[str, list[int]] = {}
        for k in range(n):
            kind = kinds[int(kind_idx[k])]
            rid = self.regencies[int(regions[k])]
            short = _region_short(self.region_name[rid])
            start = START + dt.timedelta(days=int(starts[k]))
            end = min(start + dt.timedelta(days=int(90 + self.rng.integers(900))), END)
            name = f"{PROGRAMME_WORDS[kind]} {short} {start.year} ({k + 1})"
            pid = f"prog-{k + 1:06d}-{slug(kind)}-{rid}"[:80]
            services = list(PROGRAMME_KINDS[kind])
            record: dict = {"id": pid, "name": name, "kind": kind, "services": services,
                            "start": start.isoformat(), "end": end.isoformat()}
            if kind == "cash_assistance":
                amount = int(self.rng.integers(5, 30)) * 100_000
                record["money"] = {"amount": amount, "currency": "IDR", "per": "month",
                                   "original": f"Rp{amount:,}".replace(",", ".")}
            elif kind == "in_kind_aid":
                value = int(self.rng.integers(1, 50)) * 100
                record["quantity"] = {"value": value, "unit": "hygiene kits", "original": f"{value:,} paket".replace(",", ".")}
            sentence = f"{name} berjalan dari {start.day} {MONTHS_ID[start.month - 1]} {start.year} hingga {end.day} {MONTHS_ID[end.month - 1]} {end.year}."
            src = self.profile(rid, sentence)
            record["evidence"] = _ev(src, sentence)
            self.node("programmes", "Programme", record)
            funder = self.agencies[funders[int(fpick[k])]]
            s = f"{name} didanai oleh {funder.name}."
            self.rel("FUNDS", funder.id, pid, self.profile(rid, s), s)
            pool = implementer_pools.get(rid)
            if pool is None:
                pool = implementer_pools[rid] = [
                    i for i in self.local_pool[rid] if self.agencies[i].role in ("ngo", "dinsos", "disnaker", "pemda", "iom")
                ]
            implementers = set()
            for _ in range(1 + int(self.rng.integers(3))):
                if pool:
                    implementers.add(pool[int(self.rng.integers(len(pool)))])
            for i in sorted(implementers):
                s = f"{name} dilaksanakan oleh {self.agencies[i].name}."
                self.rel("IMPLEMENTS", self.agencies[i].id, pid, self.profile(rid, s), s)
            s = f"{name} dilaksanakan di {self.region_name[rid]}."
            self.rel("TARGETS", pid, rid, self.profile(rid, s), s)
            cohorts = self.cohorts_in.get(rid, [])
            if cohorts:
                for t in sorted({int(x) for x in self.rng.integers(len(cohorts), size=1 + int(self.rng.integers(2)))}):
                    cid, _, cname, _ = cohorts[t]
                    s = f"{name} menyasar {cname}."
                    self.rel("TARGETS", pid, cid, self.profile(rid, s), s)
            if self.rng.random() < 0.3:
                facilities = self.facilities_in.get(rid, [])
                if facilities:
                    fid, _, fname = facilities[int(self.rng.integers(len(facilities)))]
                    s = f"{name} mendukung {fname}."
                    self.rel("SUPPORTS", pid, fid, self.profile(rid, s), s)
                else:
                    target = self.by_role.get(("dinsos", rid))
                    if target is not None and target not in implementers:
                        s = f"{name} mendukung {self.agencies[target].name}."
                        self.rel("SUPPORTS", pid, self.agencies[target].id, self.profile(rid, s), s)
            self.programmes_in[rid].append((pid, name, start.year))

    # ------------------------------------------------------------ cooperation

    def cooperation(self, n: int) -> None:
        """Memoranda of understanding: a regency's government or Dinas with an NGO or international office there."""
        regions = self.rng.choice(len(self.regencies), size=n, p=self._region_weights(extra=1.0))
        national = [self.by_role[(org, "")] for org in ("iom", "unhcr") if (org, "") in self.by_role]
        done: set[tuple[int, int]] = set()
        for k in range(n):
            rid = self.regencies[int(regions[k])]
            sides = [self.by_role[(r, rid)] for r in ("pemda", "dinsos", "disnaker") if (r, rid) in self.by_role]
            partners = self.ngos_in.get(rid, []) + [i for i in self.local_pool[rid] if self.agencies[i].role in ("iom", "unhcr")]
            if not sides:
                continue
            a = sides[int(self.rng.integers(len(sides)))]
            b = (partners[int(self.rng.integers(len(partners)))] if partners and self.rng.random() < 0.85
                 else national[int(self.rng.integers(len(national)))])
            if a == b or (a, b) in done:
                continue
            done.add((a, b))
            year = int(self.rng.integers(2015, 2025))
            seen = dt.date(year, 1 + int(self.rng.integers(12)), 1 + int(self.rng.integers(28)))
            s = f"{self.agencies[a].name} menjalin kerja sama dengan {self.agencies[b].name} sejak {year}."
            self.rel("COOPERATES_WITH", self.agencies[a].id, self.agencies[b].id, self.profile(rid, s), s,
                     last_seen=seen.isoformat())

    # ------------------------------------------------------------ meetings

    def _near(self, items: list[tuple], year: int, tries: int) -> tuple:
        """Of a few random items (whose last field is a year), the one closest to ``year``."""
        picks = [items[int(self.rng.integers(len(items)))] for _ in range(tries)]
        return min(picks, key=lambda item: abs(item[-1] - year))

    def meetings(self, n: int) -> None:
        year_w = np.array([0.6, 0.7, 0.8, 0.9, 1.0, 0.7, 0.8, 1.1, 1.2, 1.3])
        day_offsets = []
        years = self.rng.choice(len(YEARS), size=n, p=year_w / year_w.sum())
        for y in years:
            day_offsets.append(int(self.rng.integers(365)))
        dates = sorted(min(dt.date(YEARS[int(y)], 1, 1) + dt.timedelta(days=d), END) for y, d in zip(years, day_offsets, strict=True))
        region_w = self._region_weights(extra=0.5)
        region_idx = self.rng.choice(len(self.regencies), size=n, p=region_w)
        # heavy-tailed attendance: 1 + Zipf(2.3) invited agencies besides the host, at most 120
        sizes = np.minimum(self.rng.zipf(2.3, size=n), 120)
        kinds = self.rng.choice(len(MEETING_KINDS), size=n, p=MEETING_KIND_P)
        counts = np.zeros(len(self.agencies))
        base = np.array([a.weight for a in self.agencies])
        global_arr = np.array(self.global_pool, dtype=np.int64)
        # meetings of one province are reported together in bulletins of MEETINGS_PER_BULLETIN meetings
        order = sorted(range(n), key=lambda k: (self.region_province[self.regencies[int(region_idx[k])]], dates[k], k))
        in_bulletin: dict[str, int] = defaultdict(int)
        bulletin_no: dict[str, int] = defaultdict(int)
        local_arrays = {rid: np.array(self.local_pool[rid] + self.prov_pool[self.region_province[rid]], dtype=np.int64)
                        for rid in self.regencies}
        mids = [f"mtg-{dates[k].isoformat()}-{k + 1:06d}" for k in range(n)]
        step = max(n // 100, 1)
        for done, k in enumerate(order):
            if done % step == 0:
                self.progress("meetings", done, n)
            rid = self.regencies[int(region_idx[k])]
            code = self.region_province[rid]
            day = dates[k]
            kind = MEETING_KINDS[int(kinds[k])]
            local = local_arrays[rid]
            # host: the local government side mostly; national or international bodies for handovers and visits
            if kind in ("handover",) or self.rng.random() < 0.2:
                pool = global_arr
            else:
                pool = local
            p = base[pool] * (1.0 + counts[pool])
            host = int(pool[self.choice(len(pool), p)])
            k_att = int(sizes[k])
            n_global = int(self.rng.binomial(k_att, 0.3))
            attendees: list[int] = []
            for arr, m in ((local, k_att - n_global), (global_arr, n_global)):
                cand = arr[arr != host]
                m = min(m, len(cand))
                if m <= 0:
                    continue
                p = base[cand] * (1.0 + counts[cand])
                picked = self.rng.choice(len(cand), size=m, replace=False, p=p / p.sum())
                attendees.extend(int(cand[int(x)]) for x in picked)
            attendees = sorted(set(attendees) - {host})
            counts[host] += 1
            counts[attendees] += 1
            # the bulletin this meeting is reported in
            if in_bulletin[code] == 0:
                bulletin_no[code] += 1
            in_bulletin[code] = (in_bulletin[code] + 1) % MEETINGS_PER_BULLETIN
            prov_name = self.region_name[self.region_id_by_code[code]]
            key = f"buletin-{code.replace('.', '')}-{bulletin_no[code]:05d}"
            doc = self.lib.doc(key, f"Buletin koordinasi penanganan migrasi {prov_name} no. {bulletin_no[code]} (sintetis)",
                               day, room=len(attendees) + 6)
            doc.published = max(doc.published, day)
            src = doc.id
            place = self.region_name[rid]
            short = _region_short(place)
            cohorts = self.cohorts_in.get(rid, [])
            topic_cohort = self._near(cohorts, day.year, 3) if cohorts and self.rng.random() < 0.7 else None
            topic = COHORT_WORDS[topic_cohort[1]].lower() if topic_cohort else "penanganan migrasi"
            name = f"{MEETING_WORDS[kind]} {topic} di {short}"
            mid = mids[k]
            venue = f"Aula kantor {self.agencies[host].name}"
            opening = f"{name} digelar di {venue}, {place}, {_date_id(day)}"
            fmt = "online" if (day.year in (2020, 2021) and self.rng.random() < 0.6) else "in_person"
            record = {"id": mid, "name": name, "kind": kind, "date": day.isoformat(), "date_basis": "stated"}
            if self.rng.random() < 0.05:
                record["date_basis"] = "inferred"
                record["date_reasoning"] = "The bulletin prints the day and month only; the year is the bulletin year."
            record.update(venue=venue, format=fmt, topics=[topic], evidence=_ev(src, opening))
            self.node("meetings", "Meeting", record)
            doc.add(opening + ".")
            self.rel("LOCATED_IN", mid, rid, src, opening)
            host_phrase = f"Kegiatan dipimpin oleh {OFFICE_TITLES[0]} {self.agencies[host].name}"
            doc.add(host_phrase + ".")
            self.rel("HOSTED", self.agencies[host].id, mid, src, host_phrase)
            self.rel("ATTENDED", self.agencies[host].id, mid, src, host_phrase, role="host")
            phrases = []
            for i in attendees:
                a = self.agencies[i]
                holders = self.holders.get(i)
                office = f"perwakilan {a.name}"
                if holders and self.rng.random() < 0.25:
                    pid, pname, poffice = holders[int(self.rng.integers(len(holders)))]
                    phrase = f"{pname} selaku {poffice}"
                    self.rel("ATTENDED", pid, mid, src, phrase)
                    office = poffice
                else:
                    phrase = office
                phrases.append(phrase)
                role = "visitor" if kind == "visit" and a.role in ("intl", "iom", "unhcr", "national") else (
                    "recipient" if kind == "handover" else ("speaker" if self.rng.random() < 0.1 else "participant"))
                self.rel("ATTENDED", a.id, mid, src, office, role=role)
            if phrases:
                doc.add("Hadir dalam kegiatan itu " + "; ".join(phrases) + ".")
            if topic_cohort is not None:
                s = f"Pertemuan membahas {topic_cohort[2]}"
                doc.add(s + ".")
                self.rel("DISCUSSED", mid, topic_cohort[0], src, s)
            programmes = self.programmes_in.get(rid, [])
            if programmes and self.rng.random() < 0.3:
                pid, pname, _ = self._near(programmes, day.year, 2)
                s = f"Peserta juga membahas {pname}"
                doc.add(s + ".")
                self.rel("DISCUSSED", mid, pid, src, s)
            if self.instruments and self.rng.random() < 0.15:
                iid, iname = self.instruments[int(self.rng.integers(min(len(self.instruments), 6)))]
                s = f"Rujukan pembahasan adalah {iname}"
                doc.add(s + ".")
                self.rel("DISCUSSED", mid, iid, src, s)
        self.progress("meetings", n, n)

    # ------------------------------------------------------------ output

    def write_sources(self) -> int:
        folder = self.out / "sources"
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for bucket_doc in self.lib.docs:
            bucket = bucket_doc.id.split("-")[1]
            sub = folder / bucket
            sub.mkdir(exist_ok=True)
            rel_path = f"sources/{bucket}/{bucket_doc.id}.txt"
            paragraphs = [" ".join(bucket_doc.sentences[i : i + 6]) for i in range(0, len(bucket_doc.sentences), 6)]
            text = bucket_doc.title + "\n\n" + "\n\n".join(paragraphs) + "\n"
            (self.out / rel_path).write_text(text, encoding="utf-8")
            lines.append({"id": bucket_doc.id, "name": bucket_doc.title, "kind": "news", "outlet": OUTLET,
                          "published": bucket_doc.published.isoformat(), "date_basis": "stated", "path": rel_path})
        for ref_id, name, path in (
            ("idn-area-provinces", "idn-area-data 4.0.1: provinces.csv (Kemendagri region codes)", "idn-area-data/provinces.csv"),
            ("idn-area-regencies", "idn-area-data 4.0.1: regencies.csv (Kemendagri region codes)", "idn-area-data/regencies.csv"),
        ):
            lines.append({"id": ref_id, "name": name, "kind": "reference_dataset",
                          "outlet": "idn-area-data (Kemendagri codes, ODbL 1.0)",
                          "url": "https://github.com/fityannugroho/idn-area-data", "path": path, "language": "en"})
        sink = self._sink("sources", False)
        for line in lines:
            sink.add(_record(line))
        self.node_counts["Source"] += len(lines)
        return len(lines)

    def write_vocabulary(self) -> None:
        rows = [("Indonesia", "IDN", ("WNI", "Warga Negara Indonesia")), *REFUGEE_NATIONALITIES]
        text = "# Nationalities (synthetic seed): canonical name, ISO 3166-1 alpha-3, spellings.\nnationalities:\n"
        text += "".join(f"  - {_record({'name': n, 'iso3': iso, 'aliases': list(a)})}\n" for n, iso, a in sorted(rows))
        (self.out / "vocabulary.yaml").write_text(text, encoding="utf-8")

    def write(self) -> int:
        files = 0
        # the shape is named only where it matters, so seeds of 100k nodes or fewer stay as they were
        shape = f" --shape {self.shape}" if self.scale > NATIONAL_ACTORS_AT else ""
        header = (f"# Synthetic seed written by `graphmodel synth --scale {self.scale} --seed {self.seed}{shape}`.\n"
                  "# Not real data: names, people, numbers and documents are generated.\n")
        for sink in [*self.sinks.values(), *(self.rel_sinks[t] for t in sorted(self.rel_sinks))]:
            files += len(sink.write(header))
        self.write_vocabulary()
        return files + 1


# --------------------------------------------------------------------------- skeleton tables

# (id, name, kind, acronym, part_of, weight)
NATIONAL_AGENCIES: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("kemenko-polhukam", "Kementerian Koordinator Bidang Politik, Hukum, dan Keamanan", "ministry", "Kemenko Polhukam", None, 6.0),
    ("kemenkumham", "Kementerian Hukum dan Hak Asasi Manusia", "ministry", "Kemenkumham", None, 5.0),
    ("ditjen-imigrasi", "Direktorat Jenderal Imigrasi", "directorate_general", "Ditjen Imigrasi", "kemenkumham", 8.0),
    ("dit-kerja-sama-keimigrasian", "Direktorat Kerja Sama Keimigrasian", "directorate", None, "ditjen-imigrasi", 3.0),
    ("dit-penindakan-pengawasan-keimigrasian", "Direktorat Pengawasan dan Penindakan Keimigrasian", "directorate", None, "ditjen-imigrasi", 3.0),
    ("kemensos", "Kementerian Sosial", "ministry", "Kemensos", None, 7.0),
    ("ditjen-rehsos", "Direktorat Jenderal Rehabilitasi Sosial", "directorate_general", "Ditjen Rehsos", "kemensos", 4.0),
    ("kemnaker", "Kementerian Ketenagakerjaan", "ministry", "Kemnaker", None, 5.0),
    ("kp2mi", "Kementerian Pelindungan Pekerja Migran Indonesia", "ministry", "KP2MI", None, 8.0),
    ("kemenlu", "Kementerian Luar Negeri", "ministry", "Kemenlu", None, 5.0),
    ("kemendagri", "Kementerian Dalam Negeri", "ministry", "Kemendagri", None, 3.0),
    ("ditjen-dukcapil", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil", "directorate_general", "Ditjen Dukcapil", "kemendagri", 2.0),
    ("kemenpppa", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "ministry", "KemenPPPA", None, 4.0),
    ("kemenkes", "Kementerian Kesehatan", "ministry", "Kemenkes", None, 3.0),
    ("polri", "Kepolisian Negara Republik Indonesia", "police", "Polri", None, 6.0),
    ("bareskrim", "Badan Reserse Kriminal Polri", "police", "Bareskrim", "polri", 4.0),
    ("gugus-tugas-tppo", "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang", "task_force", "Gugus Tugas TPPO", "kemenko-polhukam", 5.0),
    ("satgas-pengungsi", "Satuan Tugas Penanganan Pengungsi dari Luar Negeri", "task_force", "Satgas PPLN", "kemenko-polhukam", 4.0),
    ("tni", "Tentara Nasional Indonesia", "military", "TNI", None, 2.0),
)

# (org id, name, weight): each also gets an Indonesia country office
INTERNATIONAL_ORGS: tuple[tuple[str, str, float], ...] = (
    ("iom", "International Organization for Migration", 9.0),
    ("unhcr", "United Nations High Commissioner for Refugees", 7.0),
    ("unicef", "United Nations Children's Fund", 3.0),
    ("unodc", "United Nations Office on Drugs and Crime", 3.0),
    ("ilo", "International Labour Organization", 3.0),
    ("unwomen", "UN Women", 2.0),
)

# (role, kind, name format, acronym format, part_of, weight); {p} = province name
PROVINCE_ROLES: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("pemprov", "regional_government", "Pemerintah Provinsi {p}", "Pemprov {p}", None, 6.0),
    ("dinsos", "regional_department", "Dinas Sosial Provinsi {p}", "Dinsos Provinsi {p}", "pemprov", 3.0),
    ("disnakertrans", "regional_department", "Dinas Tenaga Kerja dan Transmigrasi Provinsi {p}", "Disnakertrans {p}", "pemprov", 3.0),
    ("dinas-pppa", "regional_department", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi {p}", "DP3A {p}", "pemprov", 2.0),
    ("kanwil", "ministry_regional_office", "Kantor Wilayah Kementerian Hukum dan HAM {p}", "Kanwil Kemenkumham {p}", "kemenkumham", 3.0),
    ("polda", "police", "Kepolisian Daerah {p}", "Polda {p}", "polri", 3.0),
    ("bp3mi", "ministry_regional_office", "Balai Pelayanan Pelindungan Pekerja Migran Indonesia {p}", "BP3MI {p}", "kp2mi", 4.0),
    ("gugus-tugas", "task_force", "Gugus Tugas TPPO Provinsi {p}", None, "pemprov", 2.0),
)

# (role, kind, name format, acronym format, part_of role, weight); {r} = region name, {s} = short name
REGENCY_ROLES: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("pemda", "regional_government", "", None, None, 6.0),
    ("dinsos", "regional_department", "Dinas Sosial {r}", "Dinsos {s}", "pemda", 4.0),
    ("disnaker", "regional_department", "Dinas Tenaga Kerja {r}", "Disnaker {s}", "pemda", 4.0),
    ("polres", "police", "Kepolisian Resor {s}", "Polres {s}", "polda", 3.0),
    ("kanim", "immigration_office", "Kantor Imigrasi {s}", "Kanim {s}", "kanwil", 3.0),
)

OFFICE_TITLES = ("Kepala", "Sekretaris", "Kepala Bidang Pelindungan", "Kepala Seksi Pengawasan", "Koordinator Program")

INSTRUMENT_WORDS = {
    "law": "Undang-Undang", "government_regulation": "Peraturan Pemerintah",
    "presidential_regulation": "Peraturan Presiden", "ministerial_regulation": "Peraturan Menteri",
}

# (id, kind, number, year, title, ((agency, duty), ...))
NATIONAL_INSTRUMENTS: tuple[tuple[str, str, str, int, str, tuple[tuple[str, str], ...]], ...] = (
    ("perpres-125-2016", "presidential_regulation", "125", 2016, "Penanganan Pengungsi dari Luar Negeri",
     (("ditjen-imigrasi", "immigration_supervision"), ("polri", "security"), ("iom-indonesia", "basic_needs_cash"),
      ("unhcr-indonesia", "status_determination"), ("satgas-pengungsi", "identification_registration"))),
    ("uu-18-2017", "law", "18", 2017, "Pelindungan Pekerja Migran Indonesia",
     (("kp2mi", "safe_return"), ("kemnaker", "prevention_awareness"), ("kemenlu", "legal_aid_documentation"))),
    ("pp-59-2021", "government_regulation", "59", 2021, "Pelaksanaan Pelindungan Pekerja Migran Indonesia",
     (("kp2mi", "reintegration_livelihoods"),)),
    ("uu-21-2007", "law", "21", 2007, "Pemberantasan Tindak Pidana Perdagangan Orang",
     (("polri", "law_enforcement"), ("kemensos", "psychosocial"), ("gugus-tugas-tppo", "prevention_awareness"))),
    ("perpres-69-2008", "presidential_regulation", "69", 2008,
     "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang", (("gugus-tugas-tppo", "law_enforcement"),)),
    ("uu-6-2011", "law", "6", 2011, "Keimigrasian", (("ditjen-imigrasi", "identification_registration"),)),
)


# --------------------------------------------------------------------------- entry point


def generate(
    out_dir: Path | str,
    scale: int,
    seed: int = 0,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    overwrite: bool = False,
    shape: str = "national",
) -> SynthReport:
    """Write a synthetic, valid seed folder of about ``scale`` nodes into ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Folder to create (it must not exist, or be empty, unless ``overwrite``).
    scale : int
        Approximate number of nodes (:data:`MIN_SCALE` to :data:`MAX_SCALE`).
    seed : int
        Seed of the random generator: the same ``(scale, seed)`` writes byte-identical files.
    progress : callable, optional
        ``progress(phase, done, total)``, called as generation advances.
    overwrite : bool
        Replace an existing ``out_dir``.
    shape : {"national", "uniform"}
        How the graph grows above :data:`NATIONAL_ACTORS_AT` nodes: by
        meetings and their reports among the country's actors, or every kind
        in proportion (the module docstring). The same below it.

    Returns
    -------
    SynthReport
        Counts of the nodes and relationships written.

    Raises
    ------
    ValueError
        ``scale`` or ``shape`` out of range, before anything is written.

    Examples
    --------
    >>> import tempfile
    >>> from graphmodel.seed import load_seed
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     report = generate(Path(tmp) / "seed", scale=1000, seed=1)
    ...     ds = load_seed(Path(tmp) / "seed")
    >>> 800 < report.node_count < 1200 and len(ds.nodes) == report.node_count
    True
    """
    if scale < MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE}, got {scale}")
    if scale > MAX_SCALE:
        raise ValueError(f"scale must be at most {MAX_SCALE:,} (about what the main job can hold in 24 GiB of memory, "
                         f"at some 12 KiB a node), got {scale:,}")
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out} exists and is not empty")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    gen = _Generator(out, scale, seed, progress, shape)
    phases = ["regions", "agencies", "ngos", "people", "cohorts", "facilities", "instruments", "programmes",
              "cooperation", "meetings", "sources", "writing"]

    def phase(i: int) -> None:
        gen.progress("phases", i, len(phases))

    counts = gen.plan()
    phase(0)
    gen.regions()
    phase(1)
    gen.skeleton()
    phase(2)
    gen.ngos(counts["ngos"])
    phase(3)
    gen.persons(counts["persons"])
    phase(4)
    gen.cohorts(counts["cohorts"])
    phase(5)
    gen.facilities(counts["facilities"])
    phase(6)
    gen.legal_instruments(counts["instruments"])
    phase(7)
    gen.programmes(counts["programmes"])
    phase(8)
    gen.cooperation(counts["cooperation"])
    phase(9)
    gen.meetings(counts["meetings"])
    phase(10)
    gen.write_sources()
    phase(11)
    files = gen.write()
    phase(12)
    readme = (
        f"# Synthetic seed (scale {scale}, seed {seed}{f', shape {shape}' if scale > NATIONAL_ACTORS_AT else ''})\n\n"
        "Written by `graphmodel synth`: not real data. Names, people, numbers and documents are generated;\n"
        "region codes and names are the official Kemendagri list (idn-area-data, ODbL 1.0).\n\n"
        + "".join(f"- {k}: {v}\n" for k, v in sorted(gen.node_counts.items()))
        + "".join(f"- {k}: {v}\n" for k, v in sorted(gen.rel_counts.items()))
    )
    (out / "README.md").write_text(readme, encoding="utf-8")
    return SynthReport(out, scale, seed, dict(sorted(gen.node_counts.items())), dict(sorted(gen.rel_counts.items())), files + 1)
