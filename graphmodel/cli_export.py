"""``graphmodel export``: the graph, or a filtered view of it, in a format other tools open."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["register"]

_out = Console()


class ExportFormat(StrEnum):
    GRAPHML = "graphml"


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Export format.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    seed: Annotated[Path, typer.Option("--seed", help="Seed folder.")] = Path("seed"),
) -> None:
    """Export the graph to a file other tools open."""
    from graphmodel.export.graphml import write_graphml
    from graphmodel.graph import build_graph
    from graphmodel.pipeline import atomic_write
    from graphmodel.seed import load_seed

    G = build_graph(load_seed(seed))
    with atomic_write(output) as tmp:
        write_graphml(G, tmp)
    _out.print(f"wrote {output} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""
    app.command(name="export")(export)
