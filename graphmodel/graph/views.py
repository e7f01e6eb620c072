"""Filtered views of the graph: a region, a time window, a cohort type, node types, or one agency's ego network.

A region view holds the region and its sub-regions.

The same filter means the same thing everywhere: exports, the report, and the
Neo4j read-back (:func:`graphmodel.db.read.read_graph` with a filter gives
the subgraph that :func:`subgraph` cuts from the whole graph).

Definition of the region view
-----------------------------
Let *scope* be the region and every region below it (through ``parent``).
The view keeps the scope regions; every node joined to a scope region by a
recorded (not derived) relationship (*core*: the agencies with jurisdiction
there, the cohorts it hosts, the meetings and facilities located there, the
programmes targeting it); and every node joined to a core node by a recorded
relationship (*ring*: the agencies serving those cohorts or attending those
meetings, the facilities sheltering the cohorts, ...), except other regions
and sources. The sources that mention kept nodes are added back so every fact
keeps its evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graphmodel.errors import UnknownNode
from graphmodel.graph.build import as_date
from graphmodel.model.schema import NodeLabel, RelType

__all__ = ["GraphFilter", "subgraph", "region_scope"]


@dataclass(frozen=True)
class GraphFilter:
    """What to keep. Every field is optional; an empty filter keeps the whole graph."""

    region: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    cohort_type: str | None = None
    node_types: frozenset[str] | None = None
    ego: str | None = None
    radius: int = 1
    extra: dict = field(default_factory=dict, compare=False)

    def is_empty(self) -> bool:
        """Whether the filter selects the whole graph (no criterion set)."""
        return not any([self.region, self.since, self.until, self.cohort_type, self.node_types, self.ego])

    def describe(self) -> str:
        """A short human description for titles: 'region kota-medan, 2016-01-01 to ...'."""
        parts = []
        if self.region:
            parts.append(f"region {self.region} and sub-regions")
        if self.since or self.until:
            parts.append(f"{self.since or '...'} to {self.until or '...'}")
        if self.cohort_type:
            parts.append(f"cohort type {self.cohort_type}")
        if self.node_types:
            parts.append("types " + ", ".join(sorted(self.node_types)))
        if self.ego:
            parts.append(f"ego network of {self.ego} (radius {self.radius})")
        return "; ".join(parts) or "whole graph"


def _recorded_neighbours(G: nx.MultiDiGraph, node: str) -> Iterable[str]:
    for _, v, d in G.out_edges(node, data=True):
        if not d.get("derived"):
            yield v
    for u, _, d in G.in_edges(node, data=True):
        if not d.get("derived"):
            yield u


def region_scope(G: nx.MultiDiGraph, region: str) -> set[str]:
    """The region and every region below it (through each region's ``parent``)."""
    if region not in G or G.nodes[region].get("label") != NodeLabel.REGION:
        raise UnknownNode(f"region {region!r} not in graph")
    children: dict[str, list[str]] = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == NodeLabel.REGION and d.get("parent"):
            children.setdefault(d["parent"], []).append(n)
    scope, stack = set(), [region]
    while stack:
        current = stack.pop()
        if current not in scope:
            scope.add(current)
            stack.extend(children.get(current, []))
    return scope


def _in_window(attrs: dict, since: dt.date | None, until: dt.date | None) -> bool:
    start = as_date(attrs.get("date"))
    end = as_date(attrs.get("end_date")) or start
    if start is None or end is None:  # (end is None only when start is)
        return True
    return not ((since and end < since) or (until and start > until))


def subgraph(G: nx.MultiDiGraph, f: GraphFilter) -> nx.MultiDiGraph:
    """The view of ``G`` that filter ``f`` selects (a copy; ``G`` is not changed).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", label="Meeting", date="2019-07-25")
    >>> subgraph(G, GraphFilter(since=dt.date(2020, 1, 1))).number_of_nodes()
    0
    """
    if f.is_empty():
        return G.copy()
    keep = set(G.nodes)
    if f.cohort_type:
        keep -= {n for n, d in G.nodes(data=True) if d.get("label") == NodeLabel.MIGRANT_COHORT and d.get("cohort_type") != f.cohort_type}
    if f.since or f.until:
        keep -= {n for n, d in G.nodes(data=True) if d.get("label") == NodeLabel.MEETING and not _in_window(d, f.since, f.until)}
    H = G.subgraph(keep)
    if f.region:
        scope = region_scope(G, f.region)
        barrier = {NodeLabel.REGION.value, NodeLabel.SOURCE.value}
        core = {v for r in scope for v in _recorded_neighbours(H, r) if H.nodes[v].get("label") not in barrier}
        ring = {w for v in core for w in _recorded_neighbours(H, v) if H.nodes[w].get("label") not in barrier}
        keep &= scope | core | ring
    if f.ego:
        if f.ego not in G:
            raise UnknownNode(f"node {f.ego!r} not in graph")
        U = nx.Graph()
        U.add_nodes_from(H.subgraph(keep))
        U.add_edges_from((u, v) for u, v, d in H.subgraph(keep).edges(data=True) if not d.get("derived"))
        keep &= set(nx.single_source_shortest_path_length(U, f.ego, cutoff=f.radius)) if f.ego in U else set()
    if f.node_types:
        keep = {n for n in keep if G.nodes[n].get("label") in f.node_types}
    if not f.node_types or NodeLabel.SOURCE in f.node_types:
        keep |= {
            v for n in list(keep) for _, v, d in G.out_edges(n, data=True)
            if d.get("type") == RelType.MENTIONED_IN
        }
    return G.subgraph(keep).copy()
