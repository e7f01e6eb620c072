"""A synthetic seed folder: :func:`generate` writes one, :func:`plan` gives its counts without writing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graphmodel.synth.activity import (
    add_cohorts,
    add_cooperation,
    add_facilities,
    add_legal_instruments,
    add_programmes,
)
from graphmodel.synth.actors import add_ngos, add_people, add_regions, add_skeleton
from graphmodel.synth.generator import NATIONAL_ACTORS_AT, SHAPES, Generator
from graphmodel.synth.meetings import add_meetings

__all__ = ["MAX_SCALE", "MIN_SCALE", "SynthReport", "generate", "plan"]

MIN_SCALE = 200
"""The smallest scale written: below it the skeleton of agencies is most of the graph."""
MAX_SCALE = 2_000_000
"""The largest scale written. A synthetic seed is for running the main job on, and the main job holds about
12 KiB a node (README "Scale"): 2 million nodes is about what the 24 GiB development machine can run, four times
the largest graph measured (bench/RESULTS.md has the figures). ``--scale 1000000000000`` asked numpy for 6 TiB."""


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
        """The number of nodes written."""
        return sum(self.nodes.values())

    @property
    def relationship_count(self) -> int:
        """The number of relationships written (without the ones the graph builder derives)."""
        return sum(self.relationships.values())


def _check(scale: int, shape: str) -> None:
    if scale < MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE}, got {scale}")
    if scale > MAX_SCALE:
        raise ValueError(f"scale must be at most {MAX_SCALE:,} (about what the main job can hold in 24 GiB of memory, "
                         f"at some 12 KiB a node), got {scale:,}")
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")


def plan(scale: int, seed: int = 0, *, shape: str = "national") -> dict[str, int]:
    """How many of each kind :func:`generate` would draw for ``(scale, seed, shape)``, without writing anything.

    Parameters
    ----------
    scale : int
        Approximate number of nodes (:data:`MIN_SCALE` to :data:`MAX_SCALE`).
    seed : int
        Seed of the random generator (below about 9k nodes it picks the regencies).
    shape : {"national", "uniform"}
        How the graph grows above :data:`~graphmodel.synth.NATIONAL_ACTORS_AT` nodes.

    Returns
    -------
    dict of str to int
        The numbers of meetings, persons, ngos, cohorts, programmes, facilities,
        instruments and cooperation agreements to draw, and of the regencies
        and provinces the graph covers.

    Raises
    ------
    ValueError
        ``scale`` or ``shape`` out of range.

    See Also
    --------
    generate : writes the seed so planned.

    Examples
    --------
    >>> plan(400_000)["regencies"]
    514
    >>> plan(1000, seed=1) == plan(1000, seed=1, shape="uniform")
    True
    """
    _check(scale, shape)
    return Generator(Path(), scale, seed, None, shape).plan()


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
        How the graph grows above :data:`~graphmodel.synth.NATIONAL_ACTORS_AT` nodes: by
        meetings and their reports among the country's actors, or every kind
        in proportion (see :mod:`graphmodel.synth`). The same below it.

    Returns
    -------
    SynthReport
        Counts of the nodes and relationships written.

    Raises
    ------
    ValueError
        ``scale`` or ``shape`` out of range, before anything is written.
    FileExistsError
        ``out_dir`` has files and ``overwrite`` is false.

    See Also
    --------
    plan : the counts alone.
    graphmodel.seed.load_seed : reads and validates the folder written.

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
    _check(scale, shape)
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out} exists and is not empty")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(out, scale, seed, progress, shape)
    phases = ["regions", "agencies", "ngos", "people", "cohorts", "facilities", "instruments", "programmes",
              "cooperation", "meetings", "sources", "writing"]

    def phase(i: int) -> None:
        gen.progress("phases", i, len(phases))

    # the order of the builders is the order of the random draws: the same (scale, seed) writes the same files
    counts = gen.plan()
    phase(0)
    add_regions(gen)
    phase(1)
    add_skeleton(gen)
    phase(2)
    add_ngos(gen, counts["ngos"])
    phase(3)
    add_people(gen, counts["persons"])
    phase(4)
    add_cohorts(gen, counts["cohorts"])
    phase(5)
    add_facilities(gen, counts["facilities"])
    phase(6)
    add_legal_instruments(gen, counts["instruments"])
    phase(7)
    add_programmes(gen, counts["programmes"])
    phase(8)
    add_cooperation(gen, counts["cooperation"])
    phase(9)
    add_meetings(gen, counts["meetings"])
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
