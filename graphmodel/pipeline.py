"""The main job, one entry point: validate, build, analyse, write the report and exports.

Outputs are written into a staging folder beside ``out/`` and moved into place
only when every file is complete, so a failure leaves ``out/`` as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graphmodel.export.graphml import write_graphml
from graphmodel.graph import build_graph
from graphmodel.report import write_report
from graphmodel.seed import load_seed

__all__ = ["run_main_job", "atomic_write"]


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _publish(staging: Path, out_dir: Path) -> list[Path]:
    """Move every file of ``staging`` into ``out_dir`` (each move atomic), then drop staging."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            dest = out_dir / path.relative_to(staging)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, dest)
            written.append(dest)
    shutil.rmtree(staging, ignore_errors=True)
    return written


def run_main_job(seed_dir: Path, out_dir: Path, console: Console | None = None) -> list[Path]:
    """Validate the seed, build the graph and write the report and GraphML into ``out_dir``.

    Raises :class:`~graphmodel.errors.SeedValidationError` before anything is written.
    """
    console = console or Console(stderr=True)
    out_dir = Path(out_dir)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("validating the seed", total=None)
        ds = load_seed(seed_dir)
        progress.update(task, description="building the graph")
        G = build_graph(ds)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-staging-", dir=out_dir.parent))
        try:
            progress.update(task, description="writing the report")
            write_report(ds, G, staging, seed_dir=Path(seed_dir))
            progress.update(task, description="writing GraphML")
            write_graphml(G, staging / "graph.graphml")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return _publish(staging, out_dir)
