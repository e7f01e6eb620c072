"""Official Indonesian region codes (Kemendagri), from the shipped idn-area-data snapshot.

Data: idn-area-data 4.0.1 (https://github.com/fityannugroho/idn-area-data),
Open Database License 1.0; see ``graphmodel/data/idn-area-data/NOTICE.md``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

DATA_DIR = Path(str(resources.files("graphmodel") / "data"))
AREA_DIR = DATA_DIR / "idn-area-data"


@dataclass(frozen=True)
class OfficialRegion:
    """One row of the official list: a province (``NN``) or a regency/city (``NN.NN``)."""

    code: str
    name: str
    province_code: str | None  # None for provinces

    @property
    def is_city(self) -> bool:
        """Whether the row is a city (kota) rather than a regency (kabupaten) or a province."""
        return self.name.startswith("Kota ")

    @property
    def csv_row(self) -> str:
        """The row exactly as it stands in the CSV file (used as evidence quote)."""
        if self.province_code is None:
            return f"{self.code},{_csv_field(self.name)}"
        return f"{self.code},{self.province_code},{_csv_field(self.name)}"


def _csv_field(value: str) -> str:
    return f'"{value}"' if ("," in value or '"' in value) else value


@cache
def official_regions() -> dict[str, OfficialRegion]:
    """All 38 provinces and 514 regencies and cities, by code."""
    out: dict[str, OfficialRegion] = {}
    with (AREA_DIR / "provinces.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["code"]] = OfficialRegion(row["code"], row["name"], None)
    with (AREA_DIR / "regencies.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["code"]] = OfficialRegion(row["code"], row["name"], row["province_code"])
    return out


def reference_path(relative: str) -> Path:
    """Path of a reference dataset file named relative to the package's data folder."""
    return DATA_DIR / relative
