"""The state of one generation: the random generator, the agencies and places drawn so far, the files being written.

A :class:`Generator` is made by :func:`graphmodel.synth.generate`, which
plans the counts (:meth:`Generator.plan`) and then calls the builders in a
fixed order: :mod:`~graphmodel.synth.actors` (regions, agencies, people),
:mod:`~graphmodel.synth.activity` (cohorts, facilities, instruments,
programmes, cooperation) and :mod:`~graphmodel.synth.meetings`. The order of
the random draws is the order of those calls, so it must not change: the same
``(scale, seed)`` writes byte-identical files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graphmodel.model.regions import official_regions
from graphmodel.model.schema import ACTIVITY_RELS
from graphmodel.synth.vocabulary import (
    END,
    INTERNATIONAL_ORGS,
    NATIONAL_AGENCIES,
    PROVINCE_ROLES,
    REFUGEE_HOTSPOTS,
    REFUGEE_NATIONALITIES,
    REGENCY_ROLES,
    RUDENIM,
    TRANSIT_HOTSPOTS,
    WORKER_HOTSPOTS,
    WORKER_PROVINCES,
)
from graphmodel.synth.writing import Library, RecordFile, evidence_of, record_line

__all__ = ["MEETINGS_PER_BULLETIN", "NATIONAL_ACTORS_AT", "OUTLET", "SHAPES", "Generator", "SynthAgency"]

SHAPES = ("national", "uniform")
"""How the graph grows above :data:`NATIONAL_ACTORS_AT` nodes (the package docstring); the first is the default."""
NATIONAL_ACTORS_AT = 100_000
"""In the ``national`` shape, the actors, cohorts and programmes of a graph this size are the country's."""
MEETINGS_PER_BULLETIN = 6
"""Meetings of one province reported together in one synthetic bulletin."""
OUTLET = "graphmodel synth (synthetic data)"
"""The outlet of every synthetic document."""

_ACTIVITY = frozenset(str(t) for t in ACTIVITY_RELS)


@dataclass
class SynthAgency:
    """An agency drawn so far: what its records say, and what the builders draw it by."""

    id: str
    name: str
    kind: str
    level: str
    role: str  # skeleton role ("pemda", "dinsos" ...), "ngo", "national", "intl"
    region: str | None  # region id of its seat
    province: str | None  # province code
    weight: float
    acronym: str | None = None


class Generator:
    """One generation of a synthetic seed into ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        The seed folder to write.
    scale : int
        Approximate number of nodes.
    seed : int
        Seed of the random generator (numpy ``PCG64``).
    progress : callable or None
        ``progress(phase, done, total)``, called as generation advances.
    shape : {"national", "uniform"}
        How the graph grows above :data:`NATIONAL_ACTORS_AT` nodes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     counts = Generator(Path(tmp), 1000, 1, None).plan()
    >>> counts["regencies"] >= 3
    True
    """

    def __init__(self, out_dir: Path, scale: int, seed: int, progress: Callable[[str, int, int], None] | None,
                 shape: str = "national"):
        self.out = out_dir
        self.scale = scale
        self.shape = shape
        self.rng = np.random.Generator(np.random.PCG64(seed))
        self.seed = seed
        self.progress = progress or (lambda _phase, _done, _total: None)
        self.lib = Library()
        self.sinks: dict[str, RecordFile] = {}
        self.rel_counts: dict[str, int] = defaultdict(int)
        self.node_counts: dict[str, int] = defaultdict(int)
        self.rel_sinks: dict[str, RecordFile] = {}
        self.agencies: list[SynthAgency] = []
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
        self.chosen: list[str] = []  # Kemendagri codes of the regencies and cities in the graph (set by plan)
        self.provinces: list[str] = []  # ... and of their provinces

    # ------------------------------------------------------------ plumbing

    def _sink(self, name: str, folder: bool) -> RecordFile:
        sink = self.sinks.get(name)
        if sink is None:
            sink = self.sinks[name] = RecordFile(self.out, name, folder)
        return sink

    def node(self, kind_file: str, label: str, record: dict[str, Any]) -> None:
        """One node record, written as a one-line JSON object (valid YAML, and quick to read)."""
        self._sink(kind_file, kind_file != "sources").add(record_line(record))
        self.node_counts[label] += 1

    def rel(self, rtype: str, src: str, dst: str, source: str, quote: str, **fields: object) -> None:
        """One relationship record of type ``rtype`` from ``src`` to ``dst``, citing ``quote`` in ``source``."""
        sink = self.rel_sinks.get(rtype)
        if sink is None:
            sink = self.rel_sinks[rtype] = RecordFile(self.out, rtype.lower(), True, "relationships")
        if rtype in _ACTIVITY and "status" not in fields:
            fields["status"] = "reported"  # the generated sentences state the activity as done
        record = {"type": rtype, "from": src, "to": dst, **fields, "evidence": evidence_of(source, quote)}
        sink.add(record_line(record))
        self.rel_counts[rtype] += 1

    def choice(self, n: int, p: np.ndarray | None = None) -> int:
        """A random index below ``n``, uniform or with weights ``p`` (normalised here)."""
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
        """How many of each kind to draw, and which regencies and provinces the graph covers.

        Below about 9k nodes the regencies are a subset: the cohort hotspots
        first, then a seeded random choice (the one draw made here).
        """
        official = official_regions()
        provinces = sorted(c for c, r in official.items() if r.province_code is None)
        regencies = sorted(c for c, r in official.items() if r.province_code is not None)
        province_of = {c: r.province_code for c, r in official.items() if r.province_code is not None}
        national = len(NATIONAL_AGENCIES) + len(INTERNATIONAL_ORGS) * 2
        per_regency, per_province = 1 + len(REGENCY_ROLES), 1 + len(PROVINCE_ROLES)
        full = 1 + len(provinces) * per_province + len(regencies) * per_regency + national + len(RUDENIM)
        budget = 0.4 * self.scale
        chosen: list[str]
        if budget >= full:
            chosen = regencies
        else:
            hot = [c for c in {**REFUGEE_HOTSPOTS, **WORKER_HOTSPOTS, **TRANSIT_HOTSPOTS} if c in official]
            others = [c for c in regencies if c not in hot]
            order = hot + [others[i] for i in self.rng.permutation(len(others))]
            chosen, provs, cost = [], set(), 1 + national
            for code in order:
                add = per_regency + (per_province if province_of[code] not in provs else 0)
                if cost + add > budget and len(chosen) >= 3:
                    break
                chosen.append(code)
                provs.add(province_of[code])
                cost += add
            chosen.sort()
        provs_used = sorted({province_of[c] for c in chosen})
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
        self.chosen, self.provinces = chosen, provs_used
        return counts

    # ------------------------------------------------------------ where things are drawn

    def region_weights(self, extra: float) -> np.ndarray:
        """Weights of the regencies for activity: ``extra`` each, plus their cohort hotspots and capital cities."""
        w = np.full(len(self.regencies), extra)
        codes = {rid: c for c, rid in self.region_id_by_code.items()}
        for j, rid in enumerate(self.regencies):
            c = codes[rid]
            w[j] += REFUGEE_HOTSPOTS.get(c, 0) + WORKER_HOTSPOTS.get(c, 0) + TRANSIT_HOTSPOTS.get(c, 0)
            w[j] += 0.5 * WORKER_PROVINCES.get(c.split(".")[0], 0) / 10
            if c.split(".")[1] == "71":  # the province's capital city is usually its .71
                w[j] += 1.0
        return w / w.sum()

    def hot_choice(self, table: dict[str, float], size: int, spread: float) -> np.ndarray:
        """``size`` regency indices drawn by the weights of ``table`` (by code), ``spread`` added to each."""
        key = (id(table), spread)
        w = self._hot_weights.get(key)
        if w is None:
            codes = {rid: c for c, rid in self.region_id_by_code.items()}
            w = np.full(len(self.regencies), spread)
            for j, rid in enumerate(self.regencies):
                w[j] += table.get(codes[rid], 0.0)
            w = self._hot_weights[key] = w / w.sum()
        return self.rng.choice(len(self.regencies), size=size, p=w)

    def worker_choice(self, size: int) -> np.ndarray:
        """``size`` regency indices drawn where migrant workers come from."""
        codes = {rid: c for c, rid in self.region_id_by_code.items()}
        w = np.full(len(self.regencies), 0.05)
        for j, rid in enumerate(self.regencies):
            c = codes[rid]
            w[j] += WORKER_HOTSPOTS.get(c, 0.0) + WORKER_PROVINCES.get(c.split(".")[0], 0.0) / 8
        return self.rng.choice(len(self.regencies), size=size, p=w / w.sum())

    def provider(self, role: str, rid: str) -> int | None:
        """The agency (by index) of a skeleton ``role`` that serves region ``rid``, or a local NGO; None if none."""
        code = self.region_province[rid]
        if role in ("iom", "unhcr"):
            return self.by_role.get((role, rid), self.by_role.get((role, "")))
        if role == "ngo":
            ngos = self.ngos_in.get(rid)
            return ngos[int(self.rng.integers(len(ngos)))] if ngos else None
        if role in ("bp3mi", "polda", "gugus-tugas", "dinas-pppa"):
            return self.by_role.get((role, code))
        return self.by_role.get((role, rid))

    def near(self, items: list[tuple], year: int, tries: int) -> tuple:
        """Of a few random items (whose last field is a year), the one closest to ``year``."""
        picks = [items[int(self.rng.integers(len(items)))] for _ in range(tries)]
        return min(picks, key=lambda item: abs(item[-1] - year))

    # ------------------------------------------------------------ output

    def write_sources(self) -> int:
        """Write the synthetic documents' texts and list them, with the two reference datasets, as Source records."""
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
            sink.add(record_line(line))
        self.node_counts["Source"] += len(lines)
        return len(lines)

    def write_vocabulary(self) -> None:
        """Write ``vocabulary.yaml``: the nationalities the cohorts name."""
        rows = [("Indonesia", "IDN", ("WNI", "Warga Negara Indonesia")), *REFUGEE_NATIONALITIES]
        text = "# Nationalities (synthetic seed): canonical name, ISO 3166-1 alpha-3, spellings.\nnationalities:\n"
        text += "".join(f"  - {record_line({'name': n, 'iso3': iso, 'aliases': list(a)})}\n" for n, iso, a in sorted(rows))
        (self.out / "vocabulary.yaml").write_text(text, encoding="utf-8")

    def write(self) -> int:
        """Write every record file and the vocabulary; return the number of files written."""
        files = 0
        # the shape is named only where it matters, so seeds of 100k nodes or fewer stay as they were
        shape = f" --shape {self.shape}" if self.scale > NATIONAL_ACTORS_AT else ""
        header = (f"# Synthetic seed written by `graphmodel synth --scale {self.scale} --seed {self.seed}{shape}`.\n"
                  "# Not real data: names, people, numbers and documents are generated.\n")
        for sink in [*self.sinks.values(), *(self.rel_sinks[t] for t in sorted(self.rel_sinks))]:
            files += len(sink.write(header))
        self.write_vocabulary()
        return files + 1
