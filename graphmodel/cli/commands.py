"""The ``graphmodel`` app and its main commands (``validate``, ``run``, ``load``); the other groups mount on it.

Exit codes: 0 success; 1 unexpected failure; 2 invalid input (seed, query
parameters, options); 3 Neo4j unavailable. Expected faults print one clear
message on stderr and no traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphmodel.cli.common import SeedOption, TextFormat, TextFormatOption, end_process_now, run_app
from graphmodel.db.defaults import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
from graphmodel.errors import SeedValidationError
from graphmodel.util.escaping import terminal_text

app = typer.Typer(
    name="graphmodel",
    help="Graph-based stakeholder coordination model for migration governance in Indonesia.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DEFAULT_SEED = Path("seed")
DEFAULT_OUT = Path("out")




def _seed_summary_table(counts: dict) -> Table:
    table = Table(title="Seed summary", show_lines=False)
    table.add_column("kind")
    table.add_column("type")
    table.add_column("count", justify="right")
    for label, count in sorted(counts["nodes"].items()):
        table.add_row("node", label, str(count))
    for rtype, count in sorted(counts["relationships"].items()):
        table.add_row("relationship", rtype, str(count))
    return table


@app.command()
def validate(
    seed_dir: Annotated[Path, typer.Argument(help="Seed folder to check.")] = DEFAULT_SEED,
    fmt: TextFormatOption = TextFormat.TEXT,
) -> None:
    """Check a seed folder: types, references, endpoint types, evidence quotes. Exit 2 on any problem."""
    from graphmodel.seed import load_seed

    try:
        ds = load_seed(seed_dir)
    except SeedValidationError as exc:
        if fmt is TextFormat.JSON:
            out.print_json(json.dumps({"valid": False, "problems": [p.__dict__ for p in exc.problems]}))
        else:
            for problem in exc.problems:
                err.print(terminal_text(problem), markup=False, highlight=False, soft_wrap=True)
            err.print(f"{len(exc.problems)} problem(s) in {terminal_text(seed_dir)}; nothing was written.",
                      markup=False, highlight=False)
        raise typer.Exit(2) from None
    counts = ds.counts()
    if fmt is TextFormat.JSON:
        out.print_json(json.dumps({"valid": True, "nodes": counts["nodes"], "relationships": counts["relationships"]}))
    else:
        out.print(_seed_summary_table(counts))
        total_n, total_r = sum(counts["nodes"].values()), sum(counts["relationships"].values())
        summary = f"{total_n} nodes, {total_r} relationships, every relationship with evidence"
        out.print(f"{terminal_text(seed_dir)}: valid ({summary})", markup=False, highlight=False)


UriOption = Annotated[
    str | None, typer.Option("--uri", help="Bolt URI (default: NEO4J_URI from the environment or .env).")
]


@app.command()
def run(
    seed: SeedOption = DEFAULT_SEED,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = DEFAULT_OUT,
    neo4j: Annotated[
        bool | None,
        typer.Option("--neo4j/--embedded", help="Load into Neo4j and analyse what it reads back (default: only when NEO4J_URI is set in the environment)."),
    ] = None,
    uri: UriOption = None,
) -> None:
    """The main job: validate the seed, build the graph, write the report and exports to OUT."""
    import os

    from graphmodel.pipeline import run_main_job

    use_neo4j = neo4j if neo4j is not None else bool(uri or os.environ.get("NEO4J_URI"))
    retained: list[object] = []  # the graph and its analytics, held past the job so that the process can end without freeing them
    written = run_main_job(seed, out_dir, console=err, neo4j_uri=uri, use_neo4j=use_neo4j, retain=retained)
    for path in written:
        out.print(terminal_text(path), markup=False, highlight=False)
    end_process_now(0)


@app.command()
def load(
    seed: SeedOption = DEFAULT_SEED,
    uri: UriOption = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")] = DEFAULT_BATCH_SIZE,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Transactions written at once.")] = DEFAULT_WORKERS,
    fmt: TextFormatOption = TextFormat.TEXT,
) -> None:
    """Validate the seed and load it into Neo4j (idempotent; facts deleted from the seed are removed)."""
    from graphmodel.db.session import connect
    from graphmodel.pipeline import load_with_progress
    from graphmodel.seed import load_seed

    ds = load_seed(seed)  # an invalid seed stops here: the database is not touched
    with connect(uri) as driver:
        report = load_with_progress(driver, ds, batch_size=batch_size, workers=workers, console=err)
    if fmt is TextFormat.JSON:
        out.print_json(json.dumps(report.__dict__))
    else:
        out.print(
            f"loaded {report.nodes_written} nodes and {report.relationships_written} relationships "
            f"in {report.batches} batches ({report.retried} retried; load {report.load_id}); removed {report.nodes_removed} nodes "
            f"and {report.relationships_removed} relationships no longer in the seed",
            markup=False,
        )


def _mount_optional() -> None:
    """Sub-commands that live in modules of their own, each registered on the one app."""
    from graphmodel.cli.analytics import register as register_analytics
    from graphmodel.cli.export import register as register_export
    from graphmodel.cli.extract import register as register_extract
    from graphmodel.cli.neo4j import app as neo4j_app
    from graphmodel.cli.query import register as register_query
    from graphmodel.cli.synth import register as register_synth

    for register in (register_export, register_analytics, register_query, register_extract, register_synth):
        register(app)
    app.add_typer(neo4j_app, name="neo4j", help="Start, stop and check the local Neo4j server.")


_mount_optional()


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and turns expected faults into a message and an exit code."""
    run_app(app, argv, ends_process=True)


if __name__ == "__main__":  # pragma: no cover
    main()
