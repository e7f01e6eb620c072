"""One measured step of the benchmark, run in a subprocess of its own.

``python -m bench.steps STEP SPEC_JSON`` runs one step and prints one JSON
line (``BENCH_RESULT {...}``) with its wall time, the process's peak resident
memory (``ru_maxrss``), the resident memory before the measured part (so the
step's own increment is ``peak - base``) and the step's checks. A subprocess
per step keeps one step's memory out of the next one's peak.

Steps that need the evidence graph read it from a pickle written by the
``prepare`` step; unpickling is not part of the measured time.
"""

from __future__ import annotations

import gc
import json
import math
import pickle
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

RESULT_PREFIX = "BENCH_RESULT "


def rss_mib() -> float:
    """Current resident set size of this process (MiB)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _graph(spec: dict) -> nx.MultiDiGraph:
    with open(spec["graph_pickle"], "rb") as fh:
        return pickle.load(fh)


# --------------------------------------------------------------------------- steps


def step_prepare(spec: dict) -> dict:
    """Validate the seed (``load_seed``), build the graph, pickle it for the other steps."""
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    base = rss_mib()
    t0 = time.perf_counter()
    ds = load_seed(spec["seed_dir"])
    t_validate = time.perf_counter() - t0
    t1 = time.perf_counter()
    G = build_graph(ds)
    t_build = time.perf_counter() - t1
    counts = ds.counts()
    expected = spec.get("expected") or {}
    checks = {
        "nodes_match_generator": sum(counts["nodes"].values()) == expected.get("nodes", sum(counts["nodes"].values())),
        "relationships_match_generator": sum(counts["relationships"].values())
        == expected.get("relationships", sum(counts["relationships"].values())),
        "every_relationship_has_evidence": all(r.evidence for r in ds.relationships),
    }
    if spec.get("graph_pickle"):
        with open(spec["graph_pickle"], "wb") as fh:
            pickle.dump(G, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "seconds": t_validate,
        "build_seconds": t_build,
        "base_mib": base,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "seed_nodes": sum(counts["nodes"].values()),
        "seed_relationships": sum(counts["relationships"].values()),
        "checks": checks,
    }


def step_graphml(spec: dict) -> dict:
    """Export GraphML; check the file's node and edge counts against the graph."""
    from lxml import etree

    from graphmodel.export.graphml import write_graphml

    G = _graph(spec)
    base = rss_mib()
    path = Path(spec["out"])
    t0 = time.perf_counter()
    write_graphml(G, path)
    seconds = time.perf_counter() - t0
    nodes = edges = 0
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    for _, el in etree.iterparse(str(path), events=("end",), tag=(f"{ns}node", f"{ns}edge")):
        if el.tag == f"{ns}node":
            nodes += 1
        else:
            edges += 1
        el.clear()
    size = path.stat().st_size
    path.unlink()
    return {
        "seconds": seconds,
        "base_mib": base,
        "bytes": size,
        "checks": {"graphml_node_count": nodes == G.number_of_nodes(), "graphml_edge_count": edges == G.number_of_edges()},
    }


def _coordination_reference_check(G: nx.MultiDiGraph, H: nx.Graph, samples: int = 200) -> bool:
    """Spot check of the projection against a direct count on the evidence graph.

    For sampled agency pairs (tied and untied), the tie weight must equal the
    number of shared meetings (HOSTED/ATTENDED) plus shared programmes
    (FUNDS/IMPLEMENTS, and SUPPORTS to the agency) plus a COOPERATES_WITH and
    a PART_OF in either direction, counted here straight from ``G``.
    """
    events: dict[str, set[str]] = {}
    for u, v, d in G.edges(data=True):
        t = d.get("type")
        if t in ("HOSTED", "ATTENDED", "FUNDS", "IMPLEMENTS") and G.nodes[u].get("label") == "Agency":
            events.setdefault(u, set()).add(v)
        elif t == "SUPPORTS" and G.nodes[v].get("label") == "Agency":
            events.setdefault(v, set()).add(u)
    rng = random.Random(42)
    edges = list(H.edges())
    agencies = list(H.nodes())
    pairs = rng.sample(edges, min(samples, len(edges)))
    pairs += [tuple(rng.sample(agencies, 2)) for _ in range(samples)] if len(agencies) > 1 else []

    def direct(a: str, b: str) -> float:
        w = float(len(events.get(a, set()) & events.get(b, set())))
        for x, y in ((a, b), (b, a)):
            for k in G.get_edge_data(x, y, default={}):
                if k in ("COOPERATES_WITH", "PART_OF"):
                    w += 1
        return w

    for a, b in pairs:
        got = H.edges[a, b]["weight"] if H.has_edge(a, b) else 0.0
        if abs(got - direct(a, b)) > 1e-9:
            return False
    return True


REFERENCE_MAX_COST = 200_000
"""Burt's measures are checked against NetworkX on agencies whose cost there is at most this: NetworkX
recomputes every normalised weight as a sum over a neighbourhood, so one node costs about
degree x (sum of its neighbours' degrees) x 2."""


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _brokerage_reference_check(G: nx.MultiDiGraph, frame: Any, samples: int = 25) -> dict[str, bool]:
    """Constraint and effective size of sampled agencies against ``networkx.constraint``/``effective_size``.

    NetworkX computes one node at a time when given ``nodes=[v]``; agencies
    whose cost there exceeds :data:`REFERENCE_MAX_COST` are left out of the
    sample.
    """
    from graphmodel.analytics import coordination_network

    H = coordination_network(G)
    rng = random.Random(42)

    def cost(v: Any) -> int:
        return 2 * H.degree(v) * sum(H.degree(w) for w in H[v])

    pool = sorted(v for v in frame.index if cost(v) <= REFERENCE_MAX_COST)
    busiest = sorted(pool, key=lambda v: -H.degree(v))[:3]  # the busiest allowed, where errors would show
    chosen = sorted(set(rng.sample(pool, min(samples, len(pool)))) | set(busiest))
    constraint_ok = all(_close(nx.constraint(H, nodes=[v], weight="weight")[v], float(frame.at[v, "constraint"])) for v in chosen)
    effective_ok = all(
        _close(nx.effective_size(H, nodes=[v], weight="weight")[v], float(frame.at[v, "effective_size"])) for v in chosen
    )
    return {"constraint_equals_networkx_on_sample": constraint_ok and bool(chosen),
            "effective_size_equals_networkx_on_sample": effective_ok and bool(chosen)}


def _fragility_reference_check(G: nx.MultiDiGraph, findings: list, samples: int = 20) -> dict[str, bool]:
    """For sampled bridges: removing the tie must split the network into the side listed and a side of ``rest`` agencies."""
    from graphmodel.analytics import coordination_network

    H = coordination_network(G)
    bridges = [f for f in findings if f.kind == "bridge"]
    rng = random.Random(42)
    ok = True
    for f in rng.sample(bridges, min(samples, len(bridges))):
        u, v = f.agencies
        R = nx.Graph(H)
        R.remove_edge(u, v)
        sides = [nx.node_connected_component(R, u), nx.node_connected_component(R, v)]
        small = set(f.separated[0])  # the side cut off; the other is counted in f.rest
        ok &= len(f.separated) == 1 and small in sides
        ok &= f.rest == len(sides[1] if small == sides[0] else sides[0]) >= len(small)
    # NetworkX's bridges without the ones that are only PART_OF links (an organisation chart: not reported)
    bridge_set = {frozenset((u, v)) for u, v in nx.bridges(H)
                  if not (H.edges[u, v].get("part_of") and not (H.edges[u, v].get("meetings")
                          or H.edges[u, v].get("programmes") or H.edges[u, v].get("cooperates")))}
    return {"sampled_bridge_sides_equal_components": ok,
            "bridges_are_networkx_bridges": {frozenset(f.agencies) for f in bridges} == bridge_set}


ANALYTICS: dict[str, Callable[[nx.MultiDiGraph], Any]] = {}


def _analytic(name: str):
    def register(fn):
        ANALYTICS[name] = fn
        return fn

    return register


@_analytic("report")
def _report(G):
    import tempfile

    from graphmodel.graph import dataset_from_graph
    from graphmodel.report import write_report

    ds = dataset_from_graph(G)
    with tempfile.TemporaryDirectory() as tmp:
        return write_report(ds, G, Path(tmp))


@_analytic("coordination_network")
def _network(G):
    from graphmodel.analytics import coordination_network

    return coordination_network(G)


@_analytic("coverage_matrix")
def _coverage_matrix(G):
    from graphmodel.analytics import coverage_matrix

    return coverage_matrix(G)


@_analytic("coverage_gaps")
def _coverage_gaps(G):
    from graphmodel.analytics import coverage_gaps

    return coverage_gaps(G)


@_analytic("mandate_gaps")
def _mandate_gaps(G):
    from graphmodel.analytics import mandate_gaps

    return mandate_gaps(G)


@_analytic("missing_ties")
def _missing_ties(G):
    from graphmodel.analytics import REPORT_MISSING_TIES, missing_ties_and_total

    # as the main job runs it: the strongest REPORT_MISSING_TIES built in full, all of them counted
    # (a national graph has about a million; building every finding is the analyst's choice, not the job's)
    found, total = missing_ties_and_total(G, top=REPORT_MISSING_TIES)
    return found, total


@_analytic("stale_ties")
def _stale_ties(G):
    from graphmodel.analytics import graph_as_of, stale_ties

    return stale_ties(G, graph_as_of(G), 5)


@_analytic("brokerage_table")
def _brokerage(G):
    from graphmodel.analytics import brokerage_table

    return brokerage_table(G)


@_analytic("network_fragility")
def _fragility(G):
    from graphmodel.analytics import coordination_network, network_fragility

    return network_fragility(coordination_network(G))


@_analytic("coordination_communities")
def _communities(G):
    from graphmodel.analytics import coordination_communities, coordination_network

    return coordination_communities(coordination_network(G))


@_analytic("referral_pathways")
def _pathways(G):
    from graphmodel.analytics import PathwayResult, all_referral_pathways

    # every cohort's pathway, as the main job runs it: one index, one network and one tie-cost matrix for all
    found = all_referral_pathways(G, k=3)
    return [r for _, r in sorted(found.items()) if isinstance(r, PathwayResult)]


@_analytic("coordination_gaps")
def _gaps(G):
    from graphmodel.analytics import REPORT_MISSING_TIES, coordination_gaps

    return coordination_gaps(G, top_missing_ties=REPORT_MISSING_TIES)


@_analytic("analytics_sections")
def _sections(G):
    from graphmodel.report import analytics_sections

    return [section["markdown"] for section in analytics_sections(G)]


@_analytic("4w_hxl")
def _hxl(G):
    from graphmodel.export.hxl import hxl_text

    return hxl_text(G)


@_analytic("overview_png_svg_html")
def _overview(G):
    import tempfile

    from graphmodel.export.overlays import gap_highlight
    from graphmodel.export.overview import write_overview

    with tempfile.TemporaryDirectory() as tmp:
        return [p.name for p in write_overview(G, Path(tmp), highlight=gap_highlight(G))]


def _fingerprint(result: Any) -> str:
    """A stable digest of an analytic's result, to compare two runs (or two versions of the code)."""
    import hashlib

    import pandas as pd

    if isinstance(result, nx.Graph):
        text = repr(sorted((min(u, v), max(u, v), round(d.get("weight", 0), 9)) for u, v, d in result.edges(data=True)))
    elif isinstance(result, pd.DataFrame):
        # floats to 9 decimals, rows by index: another version may sum in another order,
        # which moves ties in a float sort key
        text = result.round(9).sort_index().to_csv()
    elif isinstance(result, list) and result and isinstance(result[0], Path):
        text = "".join(p.name for p in result)
    else:
        text = repr(result)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def step_analytic(spec: dict) -> dict:
    name = spec["analytic"]
    fn = ANALYTICS[name]
    G = _graph(spec)
    gc.collect()
    base = rss_mib()
    t0 = time.perf_counter()
    result = fn(G)
    seconds = time.perf_counter() - t0
    peak = peak_mib()  # before the checks and the fingerprint (a repr of the whole result) add their own
    checks: dict[str, bool] = {}
    if name == "coordination_network":
        checks["projection_matches_direct_count"] = _coordination_reference_check(G, result)
    elif name == "brokerage_table" and len(result):
        checks.update(_brokerage_reference_check(G, result))
    elif name == "network_fragility":
        checks.update(_fragility_reference_check(G, result))
    size = result.number_of_edges() if isinstance(result, nx.Graph) else (len(result) if hasattr(result, "__len__") else None)
    return {"seconds": seconds, "base_mib": base, "peak_mib": peak, "result_size": size, "fingerprint": _fingerprint(result),
            "checks": checks}


def _ball(H: nx.Graph, start: Any, size: int) -> nx.Graph:
    """The first ``size`` nodes reached breadth-first from ``start``, as an induced subgraph."""
    seen = [start]
    for _, v in nx.bfs_edges(H, start):
        if len(seen) >= size:
            break
        seen.append(v)
    return H.subgraph(seen).copy()


def step_betweenness(spec: dict) -> dict:
    """The package's betweenness on the coordination network (time, method), checked against NetworkX.

    Also: NetworkX's sampled estimate (k pivots) and, where ``exact`` is set,
    NetworkX's exact value with the estimate's largest error; igraph's exact
    time. The package's values are compared with NetworkX's exact ones on
    sampled breadth-first subgraphs of 400 nodes.
    """
    from graphmodel.analytics import coordination_network
    from graphmodel.analytics.structural_holes import betweenness

    G = _graph(spec)
    H = coordination_network(G)
    base = rss_mib()
    t0 = time.perf_counter()
    _, method = betweenness(H)
    out: dict[str, Any] = {"seconds": time.perf_counter() - t0, "method": method, "base_mib": base,
                           "n": H.number_of_nodes(), "m": H.number_of_edges()}
    k = min(int(spec.get("k", 500)), H.number_of_nodes())
    t0 = time.perf_counter()
    approx = nx.betweenness_centrality(H, k=k, seed=42)
    out.update(sampled_seconds=time.perf_counter() - t0, k=k)
    if spec.get("exact", False):
        t1 = time.perf_counter()
        exact = nx.betweenness_centrality(H)
        out["exact_seconds"] = time.perf_counter() - t1
        out["max_abs_error"] = max(abs(approx[v] - exact[v]) for v in H)
        top_exact = sorted(H, key=lambda v: -exact[v])[:20]
        top_approx = set(sorted(H, key=lambda v: -approx[v])[:20])
        out["top20_overlap"] = len(top_approx.intersection(top_exact)) / max(len(top_exact), 1)
    try:
        if not spec.get("igraph", True):
            raise RuntimeError("skipped at this scale (--igraph-max)")
        import igraph as ig

        g = ig.Graph.from_networkx(H)
        t2 = time.perf_counter()
        g.betweenness(directed=False)
        out["igraph_exact_seconds"] = time.perf_counter() - t2
    except Exception as exc:  # noqa: BLE001 - optional backend; say why it is missing
        out["igraph_error"] = f"{type(exc).__name__}: {exc}"
    rng = random.Random(42)
    same = True
    for start in rng.sample(sorted(H), min(5, H.number_of_nodes())):
        sub = _ball(H, start, 400)
        mine, _ = betweenness(sub)
        ref = nx.betweenness_centrality(sub)
        same &= all(abs(mine[v] - ref[v]) <= 1e-9 for v in sub)
    out["checks"] = {"package_equals_networkx_on_sampled_subgraphs": same}
    return out


def step_main_job(spec: dict) -> dict:
    """``run_main_job`` end to end (validate, build, report, GraphML), as the CLI runs it."""
    from rich.console import Console

    from graphmodel.pipeline import run_main_job

    base = rss_mib()
    t0 = time.perf_counter()
    written = run_main_job(Path(spec["seed_dir"]), Path(spec["out"]), Console(stderr=True, quiet=True))
    seconds = time.perf_counter() - t0
    import shutil

    shutil.rmtree(spec["out"], ignore_errors=True)
    return {"seconds": seconds, "base_mib": base, "checks": {"outputs_written": bool(written)}}


STEPS = {
    "prepare": step_prepare,
    "graphml": step_graphml,
    "analytic": step_analytic,
    "betweenness": step_betweenness,
    "main_job": step_main_job,
}


def main(argv: list[str]) -> int:
    from graphmodel.util.runtime import gc_paused

    step, spec = argv[0], json.loads(argv[1])
    # the runtime policy of the package's own entry points (the main job, the CLI): the cyclic collector
    # off while a step builds millions of objects and no cyclic garbage; the library itself sets no policy
    with gc_paused():
        result = STEPS[step](spec)
    result.setdefault("peak_mib", peak_mib())
    print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
