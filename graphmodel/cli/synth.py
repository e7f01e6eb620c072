"""``graphmodel synth``: write a synthetic, valid seed folder of a given size (for benchmarks)."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

__all__ = ["register", "synth", "Shape"]


class Shape(StrEnum):
    """:data:`graphmodel.synth.SHAPES`, as a CLI choice."""

    NATIONAL = "national"
    UNIFORM = "uniform"


_out = Console()
_err = Console(stderr=True)


def synth(
    scale: Annotated[int, typer.Option("--scale", help="Approximate number of nodes (200 to 2,000,000).", min=200)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Seed folder to write (must not exist or be empty).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same scale and seed write identical files.")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Replace the output folder if it has files.")] = False,
    shape: Annotated[Shape, typer.Option(
        "--shape",
        help="Above 100k nodes: 'national' adds meetings and reports among the country's actors; "
             "'uniform' grows every kind in proportion (a stress test). The same below.",
    )] = Shape.NATIONAL,
) -> None:
    """Write a synthetic seed shaped like the real domain; it passes `graphmodel validate`."""
    from graphmodel.synth import generate
    from graphmodel.util.output import check_output_target, output_errors

    check_output_target(output, folder=True)  # a file, FIFO, device or link at -o is refused, not replaced
    existed = output.exists()
    # only a new or empty folder is cleaned after a failure: one with files is the user's (without --force,
    # generate refuses it untouched) or was already emptied by --force
    fresh = not existed or not any(output.iterdir())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task("generating" if phase == "phases" else phase, total=total)
            progress.update(tasks[phase], completed=done, total=total)

        try:
            with output_errors(output, "nothing was left behind" if fresh else "the folder holds a partial seed"):
                try:
                    result = generate(output, scale, seed, progress=report, overwrite=force, shape=shape.value)
                except BaseException:  # a full disk, SIGTERM: no half-written seed that `validate` would reject
                    if fresh:
                        _remove_partial(output, existed)
                    raise
        except FileExistsError as exc:
            _err.print(f"{exc} (use --force to replace it)", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except ValueError as exc:
            _err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
    _out.print(
        f"wrote {output}: {result.node_count} nodes, {result.relationship_count} relationships "
        f"in {result.files} files (scale {scale}, seed {seed}, shape {shape.value})",
        markup=False,
    )


def _remove_partial(output: Path, existed: bool) -> None:
    """Put a folder that was new or empty before a failed generation back as it was."""
    shutil.rmtree(output, ignore_errors=True)
    if existed:
        output.mkdir(exist_ok=True)


def register(app: typer.Typer) -> None:
    """Add the ``synth`` command to ``app``."""
    app.command(name="synth")(synth)
