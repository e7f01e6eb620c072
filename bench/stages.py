"""``python -m bench.stages SEED_DIR``: the main job's own steps, timed one by one in one process.

``bench.run`` times each analytic alone in a subprocess of its own, as a
notebook calling it would run it (each builds its own index and projection).
This script runs what :func:`graphmodel.pipeline.run_main_job` runs, in its
order and sharing what it shares (one index, one coordination network, one
run of the gap analytics, the cyclic collector paused after validation), and
prints each step's time and the process's peak memory so far; the gap
analytics are split into their parts. Outputs go to a temporary folder,
removed at the end unless ``--keep``.
This is how the "stage by stage" tables of ``bench/HISTORY.md`` were made.
"""

from __future__ import annotations

import argparse
import gc
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PARTS = ("mandate_gaps", "coverage_gaps", "network_fragility", "missing_ties_and_total", "stale_ties", "all_referral_pathways")


def _peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux


def _rss_mib() -> int:
    """Resident memory now (``/proc/self/statm``): with the peak, it shows which step holds what."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__.splitlines()[0])
    parser.add_argument("seed_dir", type=Path, help="a seed folder, e.g. one written by `graphmodel synth`")
    parser.add_argument("--keep", action="store_true", help="keep the outputs (else the temporary folder is removed)")
    args = parser.parse_args(argv)

    from graphmodel.analytics import REPORT_MISSING_TIES, Analysis, gaps
    from graphmodel.export.graphml import write_graphml
    from graphmodel.export.hxl import write_4w_hxl
    from graphmodel.export.overlays import gap_highlight
    from graphmodel.export.overview import write_overview
    from graphmodel.graph import build_graph_from_seed
    from graphmodel.report import analytics_sections, prepare_report, render_report

    parts: dict[str, float] = dict.fromkeys(PARTS, 0.0)
    for name in PARTS:  # time the parts of find_gaps where it calls them
        real = getattr(gaps, name)

        def timed_part(*a: Any, _real: Callable = real, _name: str = name, **k: Any) -> Any:
            start = time.perf_counter()
            try:
                return _real(*a, **k)
            finally:
                parts[_name] += time.perf_counter() - start

        setattr(gaps, name, timed_part)

    def step(name: str, fn: Callable, *a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        result = fn(*a, **k)
        print(f"{name:30s} {time.perf_counter() - start:8.1f} s   now {_rss_mib():,} MiB   peak {_peak_mib():,} MiB",
              flush=True)
        return result

    out = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    began = time.perf_counter()
    gc.disable()  # as run_main_job does
    ds, G = step("validate and build (build_graph_from_seed)", build_graph_from_seed, args.seed_dir)  # as run_main_job builds it
    gc.freeze()  # as run_main_job does (pipeline: heap_frozen): the collection below sees only what the report made
    report = step("report's own tables", prepare_report, ds, G, args.seed_dir)
    del ds
    step("free the records (gc.collect)", gc.collect)
    analysis = Analysis(G)  # as run_main_job does: every analytic below shares its index and network
    step("graph index", lambda: analysis.index)
    step("coordination network", lambda: analysis.network)
    found = step("gap analytics (find_gaps)", gaps.find_gaps, analysis, k=1, top_missing_ties=REPORT_MISSING_TIES)
    print("  of which " + ", ".join(f"{k.lstrip('_')} {v:.1f} s" for k, v in parts.items()), flush=True)
    ranked = step("rank", found.ranked)
    highlight = step("gap highlight", gap_highlight, analysis, gaps=ranked)
    step("overview", write_overview, analysis, out, highlight=highlight, as_of=analysis.index.latest_date())
    sections = step("report sections", analytics_sections, analysis, findings=found)
    step("render report", render_report, report, out, extra_sections=sections)
    step("4W HXL", write_4w_hxl, analysis, out / "4w_hxl.csv")
    step("GraphML", write_graphml, G, out / "graph.graphml")
    print(f"{'total':30s} {time.perf_counter() - began:8.1f} s   peak {_peak_mib():,} MiB")
    if args.keep:
        print(f"outputs in {out}")
    else:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
