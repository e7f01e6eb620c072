"""Fragility of the coordination network: its single points of failure.

Articulation points and bridges: agencies and ties whose loss splits the
coordination network, all found with one depth-first search [1]_ [2]_. An
office's ``PART_OF`` link alone (an organisation chart, not coordination) is
no bridge.

References
----------
.. [1] Tarjan, R. (1972). Depth-first search and linear graph algorithms.
   SIAM Journal on Computing, 1(2), 146-160.
.. [2] Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: efficient algorithms
   for graph manipulation. Communications of the ACM, 16(6), 372-378.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graphmodel.analytics.findings import EvidenceRef, Finding, dedupe

__all__ = ["NetworkFragility", "network_fragility"]


@dataclass(frozen=True, slots=True)
class NetworkFragility(Finding):
    """An agency (articulation point) or a tie (bridge) whose loss splits the coordination network.

    ``separated`` lists the groups of agencies cut off, every member named:
    every group but the largest (for a bridge, the smaller side; on a tie of
    sizes the largest is the group holding the smallest agency id). ``rest`` is
    the size of the largest group, the rest of the component that they lose
    their path to; it is not listed, because on a national network it is
    nearly every agency, and listing it per finding grows with the square of
    the network.
    """

    kind: str
    agencies: tuple[str, ...]
    names: tuple[str, ...]
    separated: tuple[tuple[str, ...], ...]
    rest: int
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


MAX_NAMED = 10
"""Names spelled out per group in a fragility explanation; ``separated`` has them all."""


def _names(H: nx.Graph, nodes: Iterable[str]) -> str:
    """``{A, B, C}``, or ``{A, ..., J and 27 more}`` above :data:`MAX_NAMED`."""
    names = sorted(H.nodes[n].get("name", n) for n in nodes)
    shown = ", ".join(names[:MAX_NAMED])
    more = len(names) - MAX_NAMED
    return "{" + (f"{shown} and {more} more" if more > 0 else shown) + "}"


def _rest_text(H: nx.Graph, rest: list[str]) -> str:
    """The largest group: named when small, counted otherwise."""
    if len(rest) <= MAX_NAMED:
        return _names(H, rest)
    return f"the other {len(rest):,} agencies of its component"


def network_fragility(H: nx.Graph) -> list[NetworkFragility]:
    """Single points of failure of the coordination network: articulation points and bridges.

    An *articulation point* is an agency whose removal disconnects agencies
    that are otherwise connected; a *bridge* is a tie whose removal does.
    A bridge that is only a ``PART_OF`` link (an office and its parent: an
    organisation chart, not coordination) is not reported.
    Removing one splits its component into groups; each finding lists the
    groups cut off from the largest (``separated``, every member; for a
    bridge, the smaller side) and the size of the largest (``rest``; on a
    tie, the largest is the group holding the smallest agency id), with the
    evidence for the ties involved.
    Ranked by the number of agencies cut off (capped at 10 in the score).

    One depth-first search finds them all (Hopcroft & Tarjan 1973): with
    ``disc(x)`` the preorder number and ``low(x)`` the smallest ``disc``
    reachable from the subtree of ``x`` by one back edge, a child ``c`` of
    ``v`` with ``low(c) >= disc(v)`` is cut off by removing ``v`` (its subtree
    is one of the groups), and the tie ``v - c`` is a bridge when
    ``low(c) > disc(v)`` (its sides are the subtree of ``c`` and the rest of
    the component). A subtree and a component are contiguous runs of the
    preorder, so every group is a few slices of it and the largest is only
    counted: the time is that of writing out the smaller groups.

    Parameters
    ----------
    H : nx.Graph
        The coordination network
        (:func:`~graphmodel.analytics.network.coordination_network`, for any
        window of the ties): agencies with a ``name``, ties with ``reasons``,
        ``evidence`` and ``part_of``, ``meetings``, ``programmes``,
        ``cooperates``.

    Returns
    -------
    list of NetworkFragility
        Highest score first, then kind and agencies.

    See Also
    --------
    coordination_communities, graphmodel.analytics.network.coordination_network

    References
    ----------
    .. [1] Tarjan, R. (1972). Depth-first search and linear graph algorithms.
       SIAM Journal on Computing, 1(2), 146-160 (low points; biconnected
       components and bridges).
    .. [2] Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: efficient
       algorithms for graph manipulation. Communications of the ACM, 16(6),
       372-378 (articulation points in one depth-first search).
    .. [3] The project's ``docs/findings.md``, "Caveats on network findings":
       an organisation chart is not coordination, and source selection.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphmodel.analytics import coordination_network
    >>> G = nx.MultiDiGraph()
    >>> for a in "xyz":
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="national")
    >>> ev = [{"source": "s", "quote": "kerja sama"}]
    >>> _ = G.add_edge("x", "y", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=ev)
    >>> _ = G.add_edge("y", "z", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=ev)
    >>> H = coordination_network(G)
    >>> [(f.kind, f.agencies, f.separated, f.rest) for f in network_fragility(H)]
    [('articulation_point', ('y',), (('z',),), 1), ('bridge', ('x', 'y'), (('x',),), 2), ('bridge', ('y', 'z'), (('z',),), 2)]
    """
    found: list[NetworkFragility] = []
    dfs = _DepthFirst(H)
    order, disc, size = dfs.order, dfs.disc, dfs.size
    for root in dfs.roots:
        r0, r1 = disc[root], disc[root] + size[root]
        component = order[r0:r1]
        for v in component:
            cut = dfs.separated_children(v)
            if not cut:
                continue
            parts = [dfs.subtree(c) for c in cut]
            if v != root:
                # the parent's side: the component without v's subtree, plus the subtrees of the
                # children that reach above v (each a contiguous run of the preorder)
                kept = set(cut)
                parent_side = order[r0:disc[v]] + order[disc[v] + size[v]:r1]
                for c in dfs.children[v]:
                    if c not in kept:
                        parent_side += dfs.subtree(c)
                parts.append(parent_side)
            found.append(_articulation_finding(H, v, parts))
        for c in component:
            u = dfs.parent.get(c)
            if u is None or dfs.low[c] <= disc[u]:
                continue
            lo, hi = disc[c], disc[c] + size[c]
            below = order[lo:hi]
            above = order[r0:lo] + order[hi:r1]
            a, b = sorted((u, c))
            if _org_chart_only(H.edges[a, b]):
                continue
            side_a, side_b = (above, below) if a == u else (below, above)
            found.append(_bridge_finding(H, a, b, side_a, side_b))
    found.sort(key=lambda f: (-f.score, f.kind, f.agencies))
    return found


def _org_chart_only(tie: dict) -> bool:
    """Whether a tie is only a ``PART_OF`` link: an organisation chart, not coordination.

    An office and its parent are one organisation; the link between them is
    no coordination bridge to report (an articulation point that rests on it
    still is: the agency is where the parts meet).
    """
    return bool(tie.get("part_of")) and not (tie.get("meetings") or tie.get("programmes") or tie.get("cooperates"))


class _DepthFirst:
    """An iterative depth-first search forest of an undirected graph: preorder, low points, subtree sizes."""

    def __init__(self, H: nx.Graph):
        self.disc: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.size: dict[str, int] = {}
        self.parent: dict[str, str | None] = {}
        self.children: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.roots: list[str] = []
        adj = H.adj
        disc, low, parent, order = self.disc, self.low, self.parent, self.order
        for root in H:
            if root in disc:
                continue
            self.roots.append(root)
            disc[root] = low[root] = len(order)
            order.append(root)
            parent[root] = None
            self.children[root] = []
            stack = [(root, iter(adj[root]))]
            while stack:
                v, neighbours = stack[-1]
                for w in neighbours:
                    if w == v:
                        continue  # a self-loop neither cuts nor bridges
                    if w not in disc:
                        parent[w] = v
                        self.children[v].append(w)
                        self.children[w] = []
                        disc[w] = low[w] = len(order)
                        order.append(w)
                        stack.append((w, iter(adj[w])))
                        break
                    if w != parent[v] and disc[w] < low[v]:
                        low[v] = disc[w]  # a back edge (a simple graph has one edge to the parent)
                else:
                    stack.pop()
                    self.size[v] = len(order) - disc[v]
                    p = parent[v]
                    if p is not None and low[v] < low[p]:
                        low[p] = low[v]

    def subtree(self, v: str) -> list[str]:
        """``v`` and its descendants (a contiguous run of the preorder)."""
        return self.order[self.disc[v] : self.disc[v] + self.size[v]]

    def separated_children(self, v: str) -> list[str]:
        """Children whose subtree loses its connection to the rest without ``v`` (empty: not a cut point)."""
        kids = self.children[v]
        if self.parent[v] is None:
            return kids if len(kids) > 1 else []
        return [c for c in kids if self.low[c] >= self.disc[v]]


def _split(parts: list[list[str]]) -> tuple[list[str], list[tuple[str, ...]]]:
    """The largest group (on a tie, the one holding the smallest agency id) and the others, sorted.

    Only the others are sorted: the largest is counted, never written out.
    """
    most = max(len(p) for p in parts)
    largest = [i for i, p in enumerate(parts) if len(p) == most]
    keep = largest[0] if len(largest) == 1 else min(largest, key=lambda i: min(parts[i]))
    cut = sorted((tuple(sorted(p)) for i, p in enumerate(parts) if i != keep), key=lambda c: (-len(c), c))
    return parts[keep], cut


def _articulation_finding(H: nx.Graph, v: str, found_parts: list[list[str]]) -> NetworkFragility:
    rest, cut = _split(found_parts)
    cut_off = sum(len(p) for p in cut)
    groups = "; ".join(_names(H, p) for p in cut)
    evidence = dedupe(e for u in H.neighbors(v) for e in H.edges[v, u]["evidence"])
    return NetworkFragility(
        kind="articulation_point",
        agencies=(v,),
        names=(H.nodes[v]["name"],),
        separated=tuple(cut),
        rest=len(rest),
        explanation=(
            f"{H.nodes[v]['name']} is the only coordination link between {groups} and {_rest_text(H, rest)}: "
            f"without it {cut_off} agenc{'y' if cut_off == 1 else 'ies'} lose every recorded path to the rest."
        ),
        evidence=evidence,
        score=round(0.7 + 0.01 * min(cut_off, 10), 4),
    )


def _bridge_finding(H: nx.Graph, u: str, v: str, side_u: list[str], side_v: list[str]) -> NetworkFragility:
    rest, (small,) = _split([side_u, side_v])
    d = H.edges[u, v]
    return NetworkFragility(
        kind="bridge",
        agencies=(u, v),
        names=(H.nodes[u]["name"], H.nodes[v]["name"]),
        separated=(small,),
        rest=len(rest),
        explanation=(
            f"The tie {H.nodes[u]['name']} - {H.nodes[v]['name']} ({'; '.join(d['reasons'])}) is the only "
            f"path between {_names(H, small)} and {_rest_text(H, rest)}."
        ),
        evidence=d["evidence"],
        score=round(0.55 + 0.01 * min(len(small), 10), 4),
    )
