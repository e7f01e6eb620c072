"""The main job, one entry point: validate, build, analyse, write the report and exports.

Outputs are written into a staging folder beside ``out/`` and moved into place
only when every file is complete, so a failure leaves ``out/`` as it was.
Every output takes the place of a regular file (a folder, for a folder
output) or a new path only: a device, FIFO, socket or symbolic link where an
output goes is refused and left as it is (:func:`graphmodel.util.output.check_output_target`).
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graphmodel.db.defaults import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
from graphmodel.export.graphml import write_graphml
from graphmodel.graph import build_graph, build_graph_from_seed, dataset_from_graph
from graphmodel.report import prepare_report, render_report
from graphmodel.seed import load_seed
from graphmodel.util.output import check_output_target, output_errors, publish
from graphmodel.util.runtime import gc_paused, heap_frozen

__all__ = ["run_main_job", "load_with_progress"]


def load_with_progress(driver, ds, *, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = DEFAULT_WORKERS, console: Console | None = None):
    """Load a dataset into Neo4j with a progress bar over the elements written."""
    from graphmodel.db.write import load_graph

    G = build_graph(ds)
    total = G.number_of_nodes() + G.number_of_edges()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=True) as progress:
        task = progress.add_task("loading into Neo4j", total=total)

        def advance(n: int) -> None:
            progress.update(task, advance=n, description="loading into Neo4j")

        def waiting() -> None:  # another load holds the database's load lock
            progress.update(task, description="waiting for another graphmodel load to finish")

        return load_graph(driver, G, batch_size=batch_size, workers=workers, progress=advance, waiting=waiting)


def run_main_job(
    seed_dir: Path,
    out_dir: Path,
    console: Console | None = None,
    *,
    use_neo4j: bool = False,
    neo4j_uri: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    retain: list[object] | None = None,
) -> list[Path]:
    """Validate the seed, build the graph and write the report and exports into ``out_dir``.

    With ``use_neo4j`` the dataset is loaded into Neo4j first and everything is
    computed on the graph read back from it. Raises
    :class:`~graphmodel.errors.SeedValidationError` before anything is written,
    and :class:`~graphmodel.errors.OutputError` when ``out_dir`` is not a
    folder or a new path, or the outputs cannot be written there (``out_dir``
    is then as it was, and no staging folder is left beside it).

    ``retain``: when given, the graph and the analytics' results are appended
    to it instead of being freed as the job returns, for a command that ends
    its process next (:func:`graphmodel.cli.common.end_process_now`).
    """
    console = console or Console(stderr=True)
    out_dir = Path(out_dir)
    check_output_target(out_dir, folder=True)  # before the work, not after minutes of it
    # the job builds tens of millions of long-lived objects (graph, index, projection, findings) and
    # almost no cyclic garbage; the cyclic collector's passes over that heap cost a third or more of
    # the analytics' time at national scale, so it is off until the job ends
    with gc_paused():
        return _build_and_write(seed_dir, out_dir, console, use_neo4j=use_neo4j, neo4j_uri=neo4j_uri,
                                batch_size=batch_size, retain=retain)


def _build_and_write(seed_dir: Path, out_dir: Path, console: Console, *, use_neo4j: bool, neo4j_uri: str | None,
                     batch_size: int, retain: list[object] | None) -> list[Path]:
    if use_neo4j:
        from graphmodel.db.read import read_graph
        from graphmodel.db.session import connect

        ds = load_seed(seed_dir)
        with connect(neo4j_uri) as driver:
            load_with_progress(driver, ds, batch_size=batch_size, console=console)
            G = read_graph(driver)
        ds = dataset_from_graph(G)  # report what the database holds, not what was sent
    else:
        # each relationship becomes an edge as validation passes it, and its record goes: the records of
        # a national seed are never all held at once (they take more memory than the graph)
        ds, G = build_graph_from_seed(seed_dir)
    # The report's own tables come from the dataset's nodes (no relationship records are kept); take them
    # now and let the dataset go before the analytics run. The records hold no reference
    # cycles (tested), so `del ds` frees them by reference counting. The report's charts leave some cyclic
    # garbage (matplotlib's), which one collection frees; with the heap frozen first, that collection skips
    # the graph's tens of millions of objects (bench/HISTORY.md has the cost of a full pass). The freeze ends with the job.
    with heap_frozen():
        report = prepare_report(ds, G, Path(seed_dir))
        del ds
        gc.collect()
        # redrawn once a second, not ten times: each redraw takes the interpreter lock from the job
        # (bench/HISTORY.md); the elapsed time still ticks
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True,
                      refresh_per_second=1) as progress:
            task = progress.add_task("building the outputs", total=None)
            with output_errors(out_dir):
                out_dir.parent.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-staging-", dir=out_dir.parent))
            try:
                with output_errors(out_dir, f"{out_dir} is as it was"):  # it names out/, not the staging folder
                    kept = _write_outputs(G, report, staging, lambda what: progress.update(task, description=what))
                if retain is not None:
                    retain.extend(kept)
                return publish(staging, out_dir)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise


def _write_outputs(G, report, staging: Path, step: Callable[[str], None]) -> tuple[object, ...]:
    """Run every analytic once and write the report and exports into ``staging``; return what they built."""
    step("writing the report")
    from graphmodel.analytics import REPORT_MISSING_TIES, Analysis, find_gaps
    from graphmodel.export.hxl import write_4w_hxl
    from graphmodel.export.overlays import gap_highlight
    from graphmodel.export.overview import write_overview
    from graphmodel.report import analytics_sections

    # one index, one coordination network and one run of every analytic, for the overview and the report:
    # every one of them is given this Analysis, which keeps the index and the network it builds here
    step("indexing the graph")
    analysis = Analysis(G)
    analysis.network  # noqa: B018 -- a cached property: built now, under this step's name
    step("finding coordination gaps")
    # each cohort's best chain is enough for the ranking and the pathway table; the report's
    # sections work out the alternatives of the pathways they show in detail
    found = find_gaps(analysis, k=1, top_missing_ties=REPORT_MISSING_TIES)
    step("drawing the overview")
    highlight = gap_highlight(analysis, gaps=found.ranked())
    # the report's reference date, from the same index: the overview and the page print the same "as of"
    write_overview(analysis, staging, highlight=highlight, as_of=analysis.index.latest_date())
    step("writing the report")
    sections = analytics_sections(analysis, findings=found)
    render_report(report, staging, extra_sections=sections)
    write_4w_hxl(analysis, staging / "4w_hxl.csv")
    step("writing GraphML")
    write_graphml(G, staging / "graph.graphml")
    return G, analysis, found, sections
