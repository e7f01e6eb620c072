"""Changes proposed for files other engineers own, applied here only for measurement.

The benchmark runs each measured step twice where a proposal exists: once
with the project's code as it is, once with the proposal patched in
(``with proposed.applied(): ...``). Nothing here is imported by the package.

Proposals
---------
``yamlfile.read_yaml``: a JSON-lines fast path, and the cyclic GC paused while
a file is read.
    A seed file whose records are each one line ``- {JSON object}`` (what
    ``graphmodel synth`` writes; JSON is a subset of YAML 1.2) is read with
    ``json.loads`` per line instead of PyYAML's Python constructor. Anything
    else (a comment after a record, block style, anchors, a non-printable
    character, a surrogate escape, a float PyYAML would read as text, a
    duplicate key, deep nesting) falls back to the YAML path, so every file is
    read to exactly what PyYAML gives, and every error is still reported by the
    YAML path with its line. The YAML path runs with ``gc`` paused: building
    hundreds of thousands of tracked containers triggers full collections
    that make reading superlinear (20k records: 6.9 s with gc, 2.0 s without).

analytics: share ``GraphIndex`` and ``coordination_network`` per graph.
    ``referral_pathways`` builds a ``GraphIndex`` and the whole coordination
    network for every cohort, and ``coordination_gaps`` calls it once per
    cohort: time grows as cohorts x graph size. Here both are memoised per
    graph object for the duration of one analytic (the real change: build
    them once in ``coordination_gaps``/``analytics_sections`` and pass them
    down, e.g. ``referral_pathways(G, c, index=ix, network=H)``).

brokerage.network_fragility: one working copy for all bridges.
    Each bridge copies the whole network (``H.copy()``) to remove one edge;
    here one copy is made, the edge removed and put back.

brokerage.brokerage_table: Burt's constraint and effective size, exact, fast.
    ``nx.constraint``/``nx.effective_size`` with weights recompute every
    normalised mutual weight from scratch (a sum over a neighbourhood) inside
    a double loop over neighbourhoods: cubic in the degree, and the
    coordination network has hubs (national ministries, IOM) tied to most
    agencies. :func:`structural_holes` computes both measures from weights
    normalised once, summing over common neighbours of each tie only; the
    results equal NetworkX's up to floating-point rounding (checked).

The benchmark checks that the proposed code gives the same results (a digest
of each analytic's output is compared between the two runs).
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphmodel import seed as seed_module
from graphmodel import yamlfile
from graphmodel.errors import Problem
from graphmodel.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, LineDict

__all__ = ["applied", "read_yaml_fast", "PROPOSALS"]

PROPOSALS = {
    "yamlfile.read_yaml": "JSON-lines fast path for one-record-per-line files; gc paused while parsing YAML",
    "analytics GraphIndex/coordination_network": "built once per graph and shared, not once per call (per cohort)",
    "_index.GraphIndex.provisions_to": "provisions indexed by cohort and region instead of a scan of all "
    "provisions per (cohort, region, service)",
    "brokerage.network_fragility": "one working copy of the network for all bridges, not one copy per bridge",
    "brokerage_table betweenness": "exact betweenness with igraph (C) up to 20,000 agencies, NetworkX "
    "with k=200 sampled pivots above (error bound in bench/RESULTS.md)",
    "report.timeline_svg": "above 60 meetings: meetings per month as one line plus the 30 latest labelled, "
    "instead of one labelled row per meeting (a 0.45-inch row each: 90,000 inches at 200k meetings)",
    "brokerage_table constraint/effective_size": "Burt's measures from precomputed normalised weights over common "
    "neighbours (exact; O(sum over ties of min degree)) instead of NetworkX's O(sum of degree^3)",
}

# PyYAML (YAML 1.1) resolves a plain scalar as a float only in this form; JSON numbers outside it
# (1e5, 1.5e10) would be strings to PyYAML, so such a line goes the YAML way.
_YAML_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$")
# Characters PyYAML's reader refuses (yaml.reader.Reader.NON_PRINTABLE)
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _NotJsonLines(Exception):
    pass


def _float(text: str) -> float:
    if not _YAML_FLOAT.match(text):
        raise _NotJsonLines
    return float(text)


def _constant(_text: str) -> Any:
    raise _NotJsonLines  # NaN / Infinity are plain strings to YAML


def _json_lines(text: str) -> list[LineDict] | None:
    """The records of a file made only of ``- {JSON object}`` lines, comments and blank lines; else None."""
    if _NON_PRINTABLE.search(text) or _SURROGATE_ESCAPE.search(text):
        return None
    records: list[LineDict] = []
    line_no = 0

    def pairs(items: list[tuple[str, Any]]) -> LineDict:
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            raise _NotJsonLines  # the YAML path reports the duplicate key with its line
        return LineDict(items, line=line_no, key_lines=dict.fromkeys(keys, line_no))

    decoder = json.JSONDecoder(object_pairs_hook=pairs, parse_float=_float, parse_constant=_constant)
    try:
        for line_no, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if not line.startswith("- {") or line.count("{") + line.count("[") > MAX_DEPTH - 1:
                return None
            value = decoder.decode(line[2:])
            if not isinstance(value, LineDict):
                return None
            records.append(value)
    except (ValueError, _NotJsonLines):
        return None
    return records or None


def read_yaml_fast(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Drop-in for :func:`graphmodel.yamlfile.read_yaml`: same results, much faster on JSON-lines files."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_yaml_fast(path, display)
    finally:
        if enabled:
            gc.enable()


def _read_yaml_fast(path: Path, display: str) -> tuple[Any, list[Problem]]:
    try:
        size = path.stat().st_size
    except OSError:
        return yamlfile.read_yaml(path, display)
    if size <= MAX_FILE_BYTES:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None:
            records = _json_lines(text.removeprefix("\ufeff"))
            if records is not None:
                return records, []
    return yamlfile.read_yaml(path, display)


def _indexed_provisions_to(ix: Any) -> Any:
    """``GraphIndex.provisions_to`` from an index of provisions by cohort and by region, same order.

    The original scans every provision for every (cohort, region, service)
    question: cohorts x provisions. Here a provision for a cohort is found by
    the cohort, one for a region by each region related to the question's
    regions (the region, those above it and those inside it).
    """
    built: dict[str, Any] = {}

    def provisions_to(cohort: str, region: str | None = None, service: str | None = None) -> list:
        if not built:
            by_cohort: dict[str, list[int]] = {}
            by_region: dict[str, list[int]] = {}
            for i, p in enumerate(ix.provisions):
                if p.cohort is not None:
                    by_cohort.setdefault(p.cohort, []).append(i)
                else:
                    for r in p.regions:
                        by_region.setdefault(r, []).append(i)
            built.update(cohort=by_cohort, region=by_region)
        found = set(built["cohort"].get(cohort, ()))
        for r in ([region] if region else list(ix.cohort_regions(cohort))):
            for related in ix.related_regions(r):
                found.update(built["region"].get(related, ()))
        provisions = ix.provisions
        return [provisions[i] for i in sorted(found) if service is None or provisions[i].service == service]

    return provisions_to


def _shared_analytics() -> tuple[Any, Any, Any]:
    """A memoising ``GraphIndex`` factory, ``coordination_network`` and a copy-once ``network_fragility``."""
    import networkx as nx

    from graphmodel.analytics import _index, brokerage, network

    indexes: dict[int, Any] = {}
    networks: dict[tuple, Any] = {}
    original_network = network.coordination_network

    def shared_index(G: Any) -> Any:
        ix = indexes.get(id(G))
        if ix is None or ix.G is not G:
            ix = indexes[id(G)] = _index.GraphIndex(G)
            ix.provisions_to = _indexed_provisions_to(ix)
        return ix

    def shared_network(G: Any, since: Any = None, until: Any = None, weights: Any = None) -> Any:
        key = (id(G), since, until, tuple(sorted((weights or {}).items())))
        hit = networks.get(key)
        if hit is None or hit[0] is not G:
            hit = networks[key] = (G, original_network(G, since, until, weights))
        return hit[1]

    source = inspect.getsource(brokerage.network_fragility)
    source = source.replace(
        "    for u, v in sorted(tuple(sorted(e)) for e in nx.bridges(H)):\n        rest = H.copy()\n        rest.remove_edge(u, v)\n",
        "    rest = nx.Graph(H.edges())\n    rest.add_nodes_from(H)\n"
        "    for u, v in sorted(tuple(sorted(e)) for e in nx.bridges(H)):\n        rest.remove_edge(u, v)\n",
    ).replace(
        "        smaller = min(len(side_u), len(side_v))\n",
        "        rest.add_edge(u, v)\n        smaller = min(len(side_u), len(side_v))\n",
    )
    if "rest.add_edge(u, v)" not in source:
        raise RuntimeError("brokerage.network_fragility changed: update the proposal in bench/proposed.py")
    namespace = dict(vars(brokerage))
    namespace["nx"] = nx
    exec(compile(source, brokerage.__file__, "exec"), namespace)  # noqa: S102 - our own patched copy, for measuring
    return shared_index, shared_network, namespace["network_fragility"]


TIMELINE_LABELS = 30
EXACT_BETWEENNESS_MAX = 20_000
BETWEENNESS_PIVOTS = 200


def timeline_svg_scaled(ds: Any) -> str:
    """The report's meeting timeline at any size: unchanged up to 60 meetings, aggregated above."""
    import datetime as dt
    import io

    import matplotlib
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from graphmodel import report
    from graphmodel.schema import DateBasis, Meeting, NodeLabel

    meetings = sorted((m for m in ds.by_label(NodeLabel.MEETING) if isinstance(m, Meeting)), key=lambda m: m.date)
    if len(meetings) <= 60:
        return _ORIGINAL_TIMELINE[0](ds)
    per_month: dict[dt.date, int] = {}
    for m in meetings:
        key = m.date.replace(day=1)
        per_month[key] = per_month.get(key, 0) + 1
    months = sorted(per_month)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(10, 2.5 + 0.3 * TIMELINE_LABELS), height_ratios=[1, 3])
    ax.step([mdates.date2num(d) for d in months], [per_month[d] for d in months], where="post", color="#1f77b4")
    ax.set_title(f"{len(meetings):,} meetings per month; the {TIMELINE_LABELS} latest below (hollow: date inferred)", fontsize=9)
    latest = meetings[-TIMELINE_LABELS:]
    for i, meeting in enumerate(latest):
        inferred = meeting.date_basis is DateBasis.INFERRED
        ax2.plot([meeting.date], [i], marker="o", markersize=7, color="#1f77b4", markerfacecolor="white" if inferred else "#1f77b4")
        ax2.annotate(f"{meeting.date.isoformat()}  {meeting.name}"[:90], (mdates.date2num(meeting.date), i),
                     xytext=(8, 0), textcoords="offset points", va="center", fontsize=8)
    ax2.invert_yaxis()
    ax2.get_yaxis().set_visible(False)
    for a in (ax, ax2):
        a.xaxis.set_major_locator(mdates.YearLocator())
        a.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.tight_layout()
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "graphmodel"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    del report
    return text[text.index("<svg") :]


_ORIGINAL_TIMELINE: list[Any] = []


def structural_holes(H: Any, weight: str = "weight") -> tuple[dict, dict]:
    """Burt's constraint and effective size of every node of an undirected graph, as NetworkX defines them.

    With ``m(u, v) = 2 w(u, v)`` the mutual weight, ``p(u, v) = m(u, v) / sum_w m(u, w)``
    and ``q(u, v) = m(u, v) / max_w m(u, w)``:
    ``constraint(v) = sum_{n in N(v)} (p(v, n) + sum_{w in N(v) & N(n)} p(v, w) p(w, n))^2`` and
    ``effective_size(v) = sum_{u in N(v)} (1 - sum_{w in N(v) & N(u)} p(v, w) q(u, w))``;
    both NaN for a node without neighbours.
    """
    nbrs = {v: {u: float(d.get(weight, 1)) for u, d in H[v].items() if u != v} for v in H}
    p = {}
    q = {}
    for v, ws in nbrs.items():
        total = sum(ws.values())
        top = max(ws.values()) if ws else 0.0
        p[v] = {u: w / total for u, w in ws.items()} if total else {}
        q[v] = {u: w / top for u, w in ws.items()} if top else {}
    indirect: dict[tuple, float] = {}
    redundant: dict[tuple, float] = {}
    for v, ws in nbrs.items():
        for n in ws:
            if (v, n) in indirect:
                continue
            a, b = (ws, nbrs[n]) if len(ws) <= len(nbrs[n]) else (nbrs[n], ws)
            common = [w for w in a if w in b]
            pv, pn, qv, qn = p[v], p[n], q[v], q[n]
            indirect[(v, n)] = sum(pv[w] * p[w][n] for w in common)
            indirect[(n, v)] = sum(pn[w] * p[w][v] for w in common)
            redundant[(v, n)] = sum(pv[w] * qn[w] for w in common)
            redundant[(n, v)] = sum(pn[w] * qv[w] for w in common)
    nan = float("nan")
    constraint = {}
    effective = {}
    for v, ws in nbrs.items():
        if not ws:
            constraint[v] = effective[v] = nan
            continue
        constraint[v] = sum((p[v][n] + indirect[(v, n)]) ** 2 for n in ws)
        effective[v] = sum(1 - redundant[(v, u)] for u in ws)
    return constraint, effective


_INDEX_USERS = ("coverage", "gaps", "mandates", "network", "pathways", "sections", "ties")
_NETWORK_USERS = ("brokerage", "coverage", "pathways", "ties")


@contextlib.contextmanager
def applied() -> Iterator[None]:
    """Patch the proposals in for the duration of the block."""
    import importlib

    shared_index, shared_network, fragility = _shared_analytics()
    saved: list[tuple[Any, str, Any]] = [(seed_module, "read_yaml", seed_module.read_yaml)]
    seed_module.read_yaml = read_yaml_fast
    for name in _INDEX_USERS:
        module = importlib.import_module(f"graphmodel.analytics.{name}")
        saved.append((module, "GraphIndex", module.GraphIndex))
        module.GraphIndex = shared_index
    for name in _NETWORK_USERS:
        module = importlib.import_module(f"graphmodel.analytics.{name}")
        saved.append((module, "coordination_network", module.coordination_network))
        module.coordination_network = shared_network
    for name in ("brokerage", "gaps", "sections"):
        module = importlib.import_module(f"graphmodel.analytics.{name}")
        saved.append((module, "network_fragility", module.network_fragility))
        module.network_fragility = fragility
    import networkx as nx

    from graphmodel.analytics import brokerage

    cache: dict[int, tuple] = {}

    def holes(H: Any) -> tuple:
        hit = cache.get(id(H))
        if hit is None or hit[0] is not H:
            hit = cache[id(H)] = (H, *structural_holes(H))
        return hit

    def fast_constraint(H: Any, nodes: Any = None, weight: Any = None) -> dict:
        if weight != "weight" or H.is_directed() or nodes is not None:
            return saved_nx[0](H, nodes=nodes, weight=weight)
        return dict(holes(H)[1])

    def fast_effective_size(H: Any, nodes: Any = None, weight: Any = None) -> dict:
        if weight != "weight" or H.is_directed() or nodes is not None:
            return saved_nx[1](H, nodes=nodes, weight=weight)
        return dict(holes(H)[2])

    def fast_betweenness(H: Any, k: Any = None, normalized: bool = True, weight: Any = None, **kw: Any) -> dict:
        if k is not None or weight is not None or H.is_directed() or kw or not normalized:
            return nx.betweenness_centrality(H, k=k, normalized=normalized, weight=weight, **kw)
        n = H.number_of_nodes()
        if n > EXACT_BETWEENNESS_MAX:
            return nx.betweenness_centrality(H, k=BETWEENNESS_PIVOTS, seed=42)
        import igraph as ig

        nodes = list(H)
        index = {v: i for i, v in enumerate(nodes)}
        g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in H.edges()], directed=False)
        raw = g.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        return {v: raw[i] * scale for i, v in enumerate(nodes)}

    saved_nx = (nx.constraint, nx.effective_size)
    # brokerage reads them as nx.constraint / nx.effective_size: a module proxy keeps the rest of nx intact
    proxy = type(nx)("networkx_proxy")
    proxy.__dict__.update(vars(nx))
    proxy.constraint = fast_constraint
    proxy.effective_size = fast_effective_size
    proxy.betweenness_centrality = fast_betweenness
    saved.append((brokerage, "nx", brokerage.nx))
    brokerage.nx = proxy

    from graphmodel import report

    if not _ORIGINAL_TIMELINE:
        _ORIGINAL_TIMELINE.append(report.timeline_svg)
    saved.append((report, "timeline_svg", report.timeline_svg))
    report.timeline_svg = timeline_svg_scaled

    import graphmodel.analytics as package

    saved.append((package, "network_fragility", package.network_fragility))
    package.network_fragility = fragility
    try:
        yield
    finally:
        for module, attr, value in reversed(saved):
            setattr(module, attr, value)
