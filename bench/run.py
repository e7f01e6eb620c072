"""``python -m bench.run``: the benchmark, in one run on one machine, printed as a table and saved as JSON.

For each scale it generates a synthetic seed (``graphmodel synth``), then
measures, each step in a subprocess of its own (time and peak memory):

* validation (``load_seed``) and the graph build;
* every analytic of the main job, and ``run_main_job`` end to end;
* the GraphML export (its node and edge counts checked by re-reading it);
* with Neo4j (unless ``--embedded-only``), after warming the server up: the
  loader against a naive one-row-per-transaction baseline, read-back against
  record-by-record reads, and ``neo4j-admin database import`` of the same
  data (see :mod:`bench.neo4j_bench`).

Results are checked, not only timed: counts against the generator and the
files written, and the fast analytics against the NetworkX reference on
samples (Burt's measures on sampled agencies, betweenness on sampled
subgraphs, bridge sides by a connected-component search, the coordination
projection by a direct count). Growth exponents are least-squares slopes of
log(time) on log(nodes) over the scales measured.

Neo4j settings come from ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``
(``scripts/with-neo4j.sh`` exports them) or the repo-root ``.env``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import pickle
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.steps import ANALYTICS, RESULT_PREFIX

ROOT = Path(__file__).resolve().parents[1]
console = Console(stderr=True)


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """nproc, RAM, CPU model, versions: what a reader needs to compare runs."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    import networkx
    import numpy

    import neo4j as neo4j_driver

    return {
        "date": dt.date.today().isoformat(),
        "nproc": os.cpu_count(),
        "ram_gib": ram,
        "cpu": cpu,
        "python": platform.python_version(),
        "networkx": networkx.__version__,
        "numpy": numpy.__version__,
        "neo4j_driver": neo4j_driver.__version__,
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],  # other work on the machine skews the times
    }


# --------------------------------------------------------------------------- running steps


STEP_MEMORY_GIB = 18.0
"""Address-space limit of a step: a step that needs more fails with MemoryError, not the machine."""


def _limit_memory() -> None:
    import resource

    limit = int(STEP_MEMORY_GIB * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_step(step: str, spec: dict, timeout: float) -> dict:
    """Run ``bench.steps STEP`` in a subprocess; its result, or ``{"error": ...}`` / ``{"timeout": s}``."""
    cmd = [sys.executable, "-m", "bench.steps", step, json.dumps(spec)]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT, check=False,
                              preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout, "checks": {}}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX):])
            result["wall_seconds"] = time.perf_counter() - started
            return result
    return {"error": "\n".join((proc.stdout + proc.stderr).splitlines()[-12:]), "checks": {}}


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) on log(x): time ~ n^slope."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


# --------------------------------------------------------------------------- one scale


def bench_scale(scale: int, args: argparse.Namespace, workdir: Path, on_step: Any = None,
                into: dict[str, Any] | None = None) -> dict[str, Any]:
    """Measure one scale; ``into`` (if given) is filled as steps finish and ``on_step`` called after each."""
    from graphmodel.synth import NATIONAL_ACTORS_AT, generate

    out: dict[str, Any] = into if into is not None else {"scale": scale}
    # the shape is in the folder name only where it changes the graph (above 100k nodes)
    seed_dir = workdir / (f"seed-{scale}-{args.seed}" + (f"-{args.shape}" if scale > NATIONAL_ACTORS_AT else ""))
    stamp = seed_dir / ".bench-complete"
    t0 = time.perf_counter()
    reused = stamp.exists()
    if not reused:
        console.print(f"[bold]scale {scale}[/]: generating the synthetic seed")
        report = generate(seed_dir, scale, args.seed, overwrite=True, shape=args.shape)
        stamp.write_text(json.dumps({"nodes": report.node_count, "relationships": report.relationship_count}))
    expected = json.loads(stamp.read_text())
    # a seed left by an earlier run in the same workdir is reused, and its generation is not timed
    out["synth"] = ({"reused": True} if reused else {"seconds": time.perf_counter() - t0}) | {
        **expected, "bytes": sum(p.stat().st_size for p in seed_dir.rglob("*") if p.is_file())}
    pickle_path = workdir / f"{seed_dir.name.replace('seed-', 'graph-', 1)}.pickle"
    def step(name: str, kind: str, spec: dict, timeout: float) -> dict:
        if on_step is not None:
            on_step()
        console.print(f"  scale {scale}: {name}", highlight=False)
        result = run_step(kind, spec, timeout)
        if "error" in result:
            console.print(f"    [red]failed[/]: {result['error']}", highlight=False)
        elif "timeout" in result:
            console.print(f"    [yellow]timeout after {timeout:.0f} s[/]", highlight=False)
        else:
            console.print(f"    {result.get('seconds', 0):.2f} s, peak {result.get('peak_mib', 0):.0f} MiB", highlight=False)
        return result

    spec = {"seed_dir": str(seed_dir), "expected": expected, "graph_pickle": str(pickle_path)}
    out["validate"] = step("validate + build", "prepare", spec, args.timeout)
    if not pickle_path.exists():
        out["error"] = "validation failed; nothing else measured"
        return out
    out["graph"] = {"nodes": out["validate"]["nodes"], "edges": out["validate"]["edges"]}

    out["graphml"] = step("GraphML export", "graphml",
                          {"graph_pickle": str(pickle_path), "out": str(workdir / f"graph-{scale}.graphml")}, args.timeout)

    out["analytics"] = {}
    for name in args.analytics:
        if name.startswith("overview") and scale > args.overview_max:
            continue
        spec = {"graph_pickle": str(pickle_path), "analytic": name}
        out["analytics"][name] = step(name, "analytic", spec, args.analytics_timeout)

    if scale <= args.betweenness_max:
        out["betweenness"] = step("betweenness exact vs sampled", "betweenness",
                                  {"graph_pickle": str(pickle_path), "k": args.betweenness_k,
                                   "exact": scale <= args.exact_betweenness_max, "igraph": scale <= args.igraph_max},
                                  args.analytics_timeout)

    if scale <= args.main_job_max:
        spec = {"seed_dir": str(seed_dir), "out": str(workdir / f"out-{scale}")}
        out["main_job"] = step("run_main_job", "main_job", spec, args.timeout)

    if not args.embedded_only:
        out["neo4j"] = bench_neo4j(pickle_path, args, workdir)
    if not args.keep:
        pickle_path.unlink(missing_ok=True)
    return out


def bench_neo4j(pickle_path: Path, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from bench.neo4j_bench import bench_admin_import, bench_loader, bench_readback, warm_up, wipe
    from graphmodel.db.session import connect

    with open(pickle_path, "rb") as fh:
        G = pickle.load(fh)
    result: dict[str, Any] = {}
    with connect() as driver:
        console.print("  Neo4j: warming the server up (loads and read-backs of a sample, not timed in the table)")
        result["warm_up"] = warm_up(driver, G)
        console.print("    rounds: " + ", ".join(f"{t:.1f} s" for t in result["warm_up"]["rounds"]))
        console.print("  Neo4j: loader vs per-row baseline")
        result["load"] = bench_loader(driver, G, sample=args.baseline_sample)
        console.print(f"    {result['load']['seconds']:.1f} s, {result['load']['elements_per_second']:.0f} elements/s")
        console.print("  Neo4j: read-back vs record-by-record")
        result["readback"] = bench_readback(driver, G, sample=args.readback_sample)
        console.print(f"    {result['readback']['seconds']:.1f} s, {result['readback']['rows_per_second']:.0f} rows/s")
        wipe(driver)
    if not args.skip_admin_import:
        console.print("  neo4j-admin database import")
        try:
            result["admin_import"] = bench_admin_import(G, ROOT, workdir)
        except Exception as exc:  # noqa: BLE001 - report why the tool could not run, keep the rest
            result["admin_import"] = {"error": f"{type(exc).__name__}: {exc}"}
        ai = result["admin_import"]
        if "seconds" in ai and "error" not in ai:
            ai["loader_fraction_of_import_speed"] = ai["seconds"] / result["load"]["seconds"]
    return result


# --------------------------------------------------------------------------- table


def _fmt_s(r: dict | None) -> str:
    if not r:
        return "-"
    if "timeout" in r:
        return f">{r['timeout']:.0f} s"
    if "error" in r:
        return "error"
    return f"{r['seconds']:.2f} s / {r.get('peak_mib', 0):.0f} MiB"


def rows(results: dict[str, Any]) -> list[tuple[str, list[str], str, str]]:
    """(measure, one cell per scale, growth exponent in nodes, growth exponent in elements) for the printed table.

    The exponents are the slopes of log(time) on log(size), with size the
    graph's nodes, then its elements (nodes and relationships). The national
    shape grows denser with scale (more relationships per node), so work
    linear in the graph's size shows an exponent above 1 in nodes and near 1
    in elements. The last row gives the exponents of n log n itself over the
    same scales, the issue's bound, to compare with.
    """
    scales = results["scales"]
    out: list[tuple[str, list[str], str, str]] = []

    def size(s: dict, elements: bool) -> float:
        return s["graph"]["nodes"] + (s["graph"]["edges"] if elements else 0)

    def exponent(pts: list[tuple[float, float]]) -> str:
        exp = fit_exponent(pts)
        return f"{exp:.2f}" if exp is not None else "-"

    def get(s: dict, *path: str) -> Any:
        for p in path:
            if not isinstance(s, dict) or p not in s:
                return None
            s = s[p]
        return s

    def add(label: str, path: tuple[str, ...], fmt=_fmt_s, time_key: str = "seconds") -> None:
        cells, timed = [], []
        for s in scales:
            r = get(s, *path)
            cells.append(fmt(r))
            if isinstance(r, dict) and time_key in r and "graph" in s:
                timed.append((s, r[time_key]))
        out.append((label, cells, exponent([(size(s, False), t) for s, t in timed]),
                    exponent([(size(s, True), t) for s, t in timed])))

    out.append(("graph nodes / edges (built, with derived)",
                [f"{s['graph']['nodes']:,} / {s['graph']['edges']:,}" if "graph" in s else "-" for s in scales], "-", "-"))
    out.append(("seed relationships per node",
                [f"{s['synth']['relationships'] / s['synth']['nodes']:.2f}" for s in scales], "-", "-"))
    add("synth (generate the seed)", ("synth",),
        fmt=lambda r: f"{r['seconds']:.1f} s" if r and "seconds" in r else ("reused" if r and r.get("reused") else "-"))
    add("validate load_seed", ("validate",))
    add("build_graph", ("validate",), fmt=lambda r: f"{r['build_seconds']:.2f} s" if r and "build_seconds" in r else "-",
        time_key="build_seconds")
    add("GraphML export", ("graphml",))
    names = list(results.get("analytics") or ANALYTICS)
    for name in names:
        add(name, ("analytics", name))
    add("betweenness (the package's, on the coordination network)", ("betweenness",),
        fmt=lambda r: f"{r['seconds']:.2f} s, {r['method']}, n={r['n']:,}" if r and "seconds" in r else _fmt_s(r))
    add("betweenness sampled, NetworkX (k pivots)", ("betweenness",), time_key="sampled_seconds",
        fmt=lambda r: f"{r['sampled_seconds']:.2f} s k={r['k']}" if r and "sampled_seconds" in r else "-")
    add("betweenness exact (NetworkX)", ("betweenness",), time_key="exact_seconds",
        fmt=lambda r: (f"{r['exact_seconds']:.2f} s, sampled max err {r['max_abs_error']:.2g}" if r and "exact_seconds" in r else "-"))
    add("betweenness exact (igraph)", ("betweenness",), time_key="igraph_exact_seconds",
        fmt=lambda r: f"{r['igraph_exact_seconds']:.2f} s" if r and "igraph_exact_seconds" in r else "-")
    add("run_main_job end to end", ("main_job",))
    if any("neo4j" in s for s in scales):
        add("Neo4j load (project loader)", ("neo4j", "load"),
            fmt=lambda r: f"{r['seconds']:.1f} s, {r['elements_per_second']:,.0f} el/s" if r else "-")
        add("Neo4j reload of the same graph (merged; idempotent)", ("neo4j", "load"), time_key="reload_seconds",
            fmt=lambda r: (f"{r['reload_seconds']:.1f} s, {r['reload_elements_per_second']:,.0f} el/s"
                           if r and "reload_seconds" in r else "-"))
        add("Neo4j load per-row baseline (sampled, extrapolated)", ("neo4j", "load"), time_key="baseline_estimated_seconds",
            fmt=lambda r: f"{r['baseline_estimated_seconds']:.0f} s, {r['baseline_elements_per_second']:,.0f} el/s" if r else "-")
        add("Neo4j loader speed-up vs baseline", ("neo4j", "load"),
            fmt=lambda r: f"{r['speedup_vs_baseline']:.0f}x" if r else "-", time_key="_none")
        add("neo4j-admin import (same data)", ("neo4j", "admin_import"),
            fmt=lambda r: (f"{r['seconds']:.1f} s; loader takes {1 / r['loader_fraction_of_import_speed']:.1f}x its time"
                           if r and "loader_fraction_of_import_speed" in r else (r.get("error", "-")[:60] if r else "-")))
        add("Neo4j read-back (read_graph)", ("neo4j", "readback"),
            fmt=lambda r: f"{r['seconds']:.1f} s, {r['rows_per_second']:,.0f} rows/s" if r else "-")
        add("Neo4j read-back speed-up vs record-by-record", ("neo4j", "readback"),
            fmt=lambda r: f"{r['speedup_vs_baseline']:.0f}x ({r['baseline_rows_per_second']:,.0f} rows/s)" if r else "-",
            time_key="_none")
    sized = [s for s in scales if "graph" in s]
    out.append(("reference: n log n (the issue's bound)", ["-"] * len(scales),
                exponent([(size(s, False), size(s, False) * math.log(size(s, False))) for s in sized]),
                exponent([(size(s, True), size(s, True) * math.log(size(s, True))) for s in sized])))
    return out


def merge_missing(results: dict[str, Any], earlier: dict[str, Any], source: str) -> None:
    """Fill the measurements this run skipped from an earlier run on the same machine (each marked ``merged_from``)."""
    results.setdefault("merged_runs", []).append({"source": source, "machine": earlier.get("machine"), "args": earlier.get("args")})
    by_scale = {s["scale"]: s for s in earlier.get("scales", [])}
    measured = {s["scale"] for s in results["scales"]}
    for old in earlier.get("scales", []):
        if old["scale"] not in measured:  # a scale measured only in the earlier run
            results["scales"].append({**old, "merged_from": source})
    results["scales"].sort(key=lambda s: s["scale"])
    for scale in results["scales"]:
        old = by_scale.get(scale["scale"])
        if old is None:
            continue
        for part in ("validate", "graphml", "betweenness", "main_job", "neo4j"):
            if part not in scale and part in old:
                scale[part] = {**old[part], "merged_from": source}
        mine = scale.setdefault("analytics", {})
        for name, value in old.get("analytics", {}).items():
            if name not in mine:
                mine[name] = {**value, "merged_from": source}


def all_checks(results: dict[str, Any]) -> dict[str, bool]:
    """Every check of every step, flattened as ``scale/step/.../check: ok``."""
    found: dict[str, bool] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "checks" and isinstance(v, dict):
                    for name, ok in v.items():
                        found[f"{path}/{name}"] = bool(ok)
                else:
                    walk(v, f"{path}/{k}" if path else str(k))

    for s in results["scales"]:
        walk(s, str(s["scale"]))
    return found


def print_table(results: dict[str, Any], out: Console | None = None) -> Table:
    table = Table(title=f"graphmodel benchmark, {results['machine']['date']} "
                        f"({results['machine']['nproc']} cores, {results['machine']['ram_gib']} GiB, {results['machine']['cpu']})")
    table.add_column("measure")
    for s in results["scales"]:
        table.add_column(f"scale {s['scale']:,}", justify="right")
    table.add_column("growth exp. (nodes)", justify="right")
    table.add_column("(elements)", justify="right")
    for label, cells, exp_nodes, exp_elements in rows(results):
        table.add_row(label, *cells, exp_nodes, exp_elements)
    (out or Console()).print(table)
    return table


def markdown_table(results: dict[str, Any]) -> str:
    """The table of :func:`rows` as GitHub Markdown (what ``bench/RESULTS.md`` records)."""
    head = ["measure", *(f"{s['scale']:,}" for s in results["scales"]), "growth exp. (nodes)", "(elements)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, cells, exp_nodes, exp_elements in rows(results):
        lines.append("| " + " | ".join([label, *cells, exp_nodes, exp_elements]).replace("\n", " ") + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from graphmodel.synth import SHAPES

    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="10000,100000,500000", help="comma-separated node counts")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shape", choices=SHAPES, default=SHAPES[0],
                   help="how the synthetic graph grows above 100k nodes (graphmodel.synth)")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/graphmodel-bench"))
    p.add_argument("--results", type=Path, default=None, help="JSON file (default bench/results-<date>.json)")
    p.add_argument("--embedded-only", action="store_true", help="skip the Neo4j measurements")
    p.add_argument("--skip-admin-import", action="store_true")
    p.add_argument("--analytics", default=",".join(ANALYTICS), help="comma-separated analytics to run (names as in the table)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per validation/main-job/export step")
    p.add_argument("--analytics-timeout", type=float, default=1200, help="seconds per analytic")
    p.add_argument("--overview-max", type=int, default=10**9, help="largest scale to draw the overview at")
    p.add_argument("--main-job-max", type=int, default=10**9, help="largest scale to run run_main_job end to end at")
    p.add_argument("--igraph-max", type=int, default=10**9, help="largest scale for exact igraph betweenness")
    p.add_argument("--betweenness-max", type=int, default=10**9, help="largest scale for the betweenness comparison")
    p.add_argument("--exact-betweenness-max", type=int, default=20000)
    p.add_argument("--betweenness-k", type=int, default=200)
    p.add_argument("--baseline-sample", type=int, default=5000)
    p.add_argument("--readback-sample", type=int, default=2000)
    p.add_argument("--keep", action="store_true", help="keep the graph pickles")
    p.add_argument("--step-memory-gib", type=float, default=STEP_MEMORY_GIB, help="address-space limit per step")
    p.add_argument("--merge-from", type=Path, action="append", default=[],
                   help="an earlier results file (same machine) whose measurements fill the steps this run skipped; "
                        "each merged entry is marked merged_from (repeat for several files)")
    args = p.parse_args(argv)
    args.scales = [int(x) for x in str(args.scales).split(",") if x]
    args.analytics = [a for a in args.analytics.split(",") if a] if isinstance(args.analytics, str) else args.analytics
    unknown = set(args.analytics) - set(ANALYTICS)
    if unknown:
        p.error(f"unknown analytics: {sorted(unknown)}; known: {list(ANALYTICS)}")
    return args


def run(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    global STEP_MEMORY_GIB
    STEP_MEMORY_GIB = args.step_memory_gib
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                               "analytics": args.analytics, "scales": []}
    if not args.embedded_only:
        try:
            from graphmodel.db.session import connect

            with connect() as driver:
                results["machine"]["neo4j"] = driver.get_server_info().agent
        except Exception as exc:  # noqa: BLE001
            console.print(f"[red]Neo4j unavailable[/]: {exc}")
            raise SystemExit(3) from None
    path = args.results or ROOT / "bench" / f"results-{results['machine']['date']}.json"
    for scale in args.scales:
        current: dict[str, Any] = {"scale": scale, "partial": True}
        results["scales"].append(current)

        def save() -> None:  # before every step and at the end: a long or killed run keeps what it measured
            path.write_text(json.dumps(results, indent=1, default=str))

        done = bench_scale(scale, args, args.workdir, on_step=save, into=current)
        done.pop("partial", None)
        save()
    for earlier in args.merge_from:
        merge_missing(results, json.loads(Path(earlier).read_text()), str(earlier))
    results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["checks"] = all_checks(results)
    results["all_checks_passed"] = all(results["checks"].values())
    path.write_text(json.dumps(results, indent=1, default=str))
    print_table(results)
    failed = [k for k, ok in results["checks"].items() if not ok]
    Console().print(f"{len(results['checks'])} checks, {len(failed)} failed{': ' + ', '.join(failed) if failed else ''}; results in {path}")
    return results


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--markdown"]:  # python -m bench.run --markdown RESULTS.json: the table of an earlier run
        if len(args) != 2:
            console.print("usage: python -m bench.run --markdown RESULTS.json")
            return 2
        results = json.loads(Path(args[1]).read_text())
        sys.stdout.write(markdown_table(results))
        return 0
    results = run(args)
    return 0 if results["all_checks_passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
