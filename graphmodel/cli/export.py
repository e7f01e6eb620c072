"""``graphmodel export``: the graph, or a filtered view of it, in a format other tools open.

Formats meant for sharing (gexf, cytoscape, png, svg, html) are redacted by
default (people's names, facility addresses; ``--no-redact`` keeps them);
data exports (graphml, neo4j-csv, hxl-4w) are full-fidelity (``--redact`` to
redact). See :mod:`graphmodel.export` and ``docs/exports.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphmodel.errors import ExportError
from graphmodel.export import ExportFormat

__all__ = ["register"]

_out = Console()




def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ExportError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Export format.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (a folder for neo4j-csv).")],
    seed: Annotated[Path, typer.Option("--seed", help="Seed folder.")] = Path("seed"),
    region: Annotated[str | None, typer.Option("--region", help="Region id: keep it, its sub-regions and what is linked to them.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Drop meetings before this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Drop meetings after this date (YYYY-MM-DD).")] = None,
    types: Annotated[str | None, typer.Option("--types", help="Comma-separated node types to keep, e.g. Agency,Region.")] = None,
    cohort_type: Annotated[str | None, typer.Option("--cohort-type", help="Keep only cohorts of this type.")] = None,
    ego: Annotated[str | None, typer.Option("--ego", help="Keep the ego network of this node.")] = None,
    radius: Annotated[int, typer.Option("--radius", help="Ego network radius (with --ego).")] = 1,
    highlight_gaps: Annotated[bool, typer.Option("--highlight-gaps", help="Emphasise coordination gaps and single points of failure.")] = False,
    redact: Annotated[
        bool | None,
        typer.Option("--redact/--no-redact", help="Withhold people's names and addresses (default: on for gexf, cytoscape, png, svg, html; off for graphml, neo4j-csv)."),
    ] = None,
    include_people: Annotated[bool, typer.Option("--include-people", help="Draw Person and Source nodes in png/svg.")] = False,
) -> None:
    """Export the graph, or a filtered view of it, to a file other tools open."""
    from graphmodel.export import check_export_target, export_graph
    from graphmodel.graph import build_graph
    from graphmodel.graph.views import GraphFilter
    from graphmodel.seed import load_seed

    node_types = frozenset(t.strip() for t in types.split(",") if t.strip()) if types else None
    if radius != 1 and not ego:
        raise ExportError("--radius needs --ego")
    check_export_target(str(fmt), output)  # a device, FIFO, link or folder at -o: refused before the seed is read
    f = GraphFilter(
        region=region, since=_date(since, "--since"), until=_date(until, "--until"), cohort_type=cohort_type,
        node_types=node_types, ego=ego, radius=radius,
    )
    G = build_graph(load_seed(seed))
    highlight = None
    if highlight_gaps:
        from graphmodel.export.overlays import gap_highlight

        highlight = gap_highlight(G)
    written = export_graph(G, str(fmt), output, filter=f, redact=redact, highlight=highlight,
                           include_people=include_people, include_sources=include_people)
    shown = written[0] if len(written) == 1 else output
    from graphmodel.graph.views import subgraph

    view = subgraph(G, f)
    _out.print(f"wrote {shown} ({view.number_of_nodes()} nodes, {view.number_of_edges()} edges; {f.describe()})", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""
    app.command(name="export")(export)
