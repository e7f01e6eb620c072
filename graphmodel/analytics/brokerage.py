"""Brokers and fragility of the coordination network.

* Gould-Fernandez brokerage roles on a directed network with node groups
  (NetworkX has no implementation);
* betweenness (exact with igraph, or sampled above a size), Burt's
  constraint and effective size
  (:mod:`~graphmodel.analytics.structural_holes`, equal to NetworkX's);
* articulation points and bridges: agencies and ties whose loss splits the
  coordination network (single points of failure), all found with one
  depth-first search [3]_;
* communities (Louvain with a fixed seed).

References
----------
.. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
   formal approach to brokerage in transaction networks. Sociological
   Methodology, 19, 89-126.
.. [2] Burt, R. S. (1992). Structural Holes: The Social Structure of
   Competition. Harvard University Press.
.. [3] Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: efficient algorithms
   for graph manipulation. Communications of the ACM, 16(6), 372-378.
.. [4] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008).
   Fast unfolding of communities in large networks. J. Stat. Mech. P10008.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.findings import EvidenceRef, Finding, dedupe
from graphmodel.analytics.network import coordination_digraph, coordination_network
from graphmodel.analytics.structural_holes import betweenness, structural_holes
from graphmodel.errors import AnalyticsError

__all__ = [
    "BROKERAGE_ROLES",
    "NetworkFragility",
    "brokerage_table",
    "coordination_communities",
    "gould_fernandez_brokerage",
    "network_fragility",
]

BROKERAGE_ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
"""The five Gould-Fernandez roles; ``itinerant`` is also called *consultant*."""


def _role(ga: Hashable, gv: Hashable, gc: Hashable) -> str:
    if ga == gv == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gv:
        return "representative"
    if gv == gc:
        return "gatekeeper"
    return "liaison"


@nx.utils.not_implemented_for("undirected")
def gould_fernandez_brokerage(
    D: nx.DiGraph, attribute: str, nodes: Iterable[Hashable] | None = None
) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez brokerage role counts for each node of a directed graph.

    For a broker ``v``, every ordered pair ``(a, c)`` of distinct nodes other
    than ``v`` with ``a -> v``, ``v -> c`` and **no** ``a -> c`` is one
    brokered relation. With ``g(x)`` the group of ``x`` (its ``attribute``),
    the relation is counted in the role

    ==============  ================================  ======================
    role            groups                            v mediates ...
    ==============  ================================  ======================
    coordinator     g(a) = g(v) = g(c)                within its own group
    itinerant       g(a) = g(c) != g(v)               for another group
    representative  g(a) = g(v) != g(c)               its group to outsiders
    gatekeeper      g(a) != g(v) = g(c)               outsiders into its group
    liaison         g(a), g(v), g(c) all different    between two other groups
    ==============  ================================  ======================

    (``itinerant`` is also called the *consultant* role.) Counts are raw, not
    normalised; self-loops and parallel edges are ignored.

    The pairs are not enumerated one by one (``indeg x outdeg`` per broker,
    quadratic for a hub): for each pair of groups the open pairs are all
    ``(a, c)`` pairs, counted from the groups of ``v``'s in- and
    out-neighbours, minus those with ``a = c`` and minus the closed ones
    (``a -> c``), found by intersecting ``succ(a)`` with ``v``'s
    out-neighbours from the smaller side: ``O(sum over ties of min degree)``.

    Parameters
    ----------
    D : nx.DiGraph or nx.MultiDiGraph
        Directed network.
    attribute : str
        Node attribute holding each node's group (e.g. ``"level"``, ``"kind"``).
    nodes : iterable, optional
        Brokers to score (default: all nodes).

    Returns
    -------
    dict
        ``{node: {role: count}}`` with every role in :data:`BROKERAGE_ROLES`.

    Raises
    ------
    NetworkXNotImplemented
        If ``D`` is undirected.
    AnalyticsError
        If a node involved lacks ``attribute``.

    See Also
    --------
    brokerage_table : the roles with betweenness and Burt's measures.
    graphmodel.analytics.network.coordination_digraph

    Examples
    --------
    Agency ``b`` passes a request from ``a`` (national) on to ``c``
    (regency): ``b``, also national, represents its group to the regency.

    >>> import networkx as nx
    >>> D = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(D, {"a": "national", "b": "national", "c": "regency"}, "level")
    >>> gould_fernandez_brokerage(D, "level")["b"]
    {'coordinator': 0, 'itinerant': 0, 'representative': 1, 'gatekeeper': 0, 'liaison': 0}

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation.
       Sociological Methodology, 19, 89-126 (pp. 91-93, the five roles).
    """
    missing = [n for n, d in D.nodes(data=True) if attribute not in d]
    if missing:
        raise AnalyticsError(f"node {missing[0]!r} has no attribute {attribute!r} (needed for brokerage groups)")
    group = nx.get_node_attributes(D, attribute)
    brokers = list(D) if nodes is None else list(nodes)
    for v in brokers:
        if v not in D:
            raise AnalyticsError(f"node {v!r} not in graph")
    succ = {v: set(D.successors(v)) for v in D}
    result: dict[Hashable, dict[str, int]] = {}
    for v in brokers:
        ins = [a for a in D.predecessors(v) if a != v]
        outs = succ[v] - {v}
        pairs: Counter = Counter()
        in_groups = Counter(group[a] for a in ins)
        out_groups = Counter(group[c] for c in outs)
        for ga, na in in_groups.items():
            for gc, nc in out_groups.items():
                pairs[ga, gc] += na * nc
        for a in ins:
            ga = group[a]
            if a in outs:
                pairs[ga, ga] -= 1  # a -> v -> a is no brokerage
            closing = succ[a]
            small, large = (closing, outs) if len(closing) < len(outs) else (outs, closing)
            for c in small:
                if c != a and c in large:
                    pairs[ga, group[c]] -= 1  # a -> c exists: v is not needed
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        for (ga, gc), n in pairs.items():
            if n:
                counts[_role(ga, group[v], gc)] += n
        result[v] = counts
    return result


def coordination_communities(H: nx.Graph, seed: int = 42) -> list[frozenset[str]]:
    """Communities of the coordination network (Louvain on tie weights, fixed seed).

    NetworkX's implementation up to :data:`LOUVAIN_NETWORKX_MAX` agencies,
    igraph's (in C) above it. Returned largest first, then by smallest member
    id, so the order is stable.
    Agencies without ties are communities of one.

    Parameters
    ----------
    H : nx.Graph
        The coordination network
        (:func:`~graphmodel.analytics.network.coordination_network`, for
        any window of the ties), or any graph with ``weight`` on its edges.
    seed : int
        The random seed of the method: the same network gives the same communities.

    Returns
    -------
    list of frozenset of str
        Agency ids per community, largest first, then by smallest member id.

    See Also
    --------
    brokerage_table : each agency's community beside its brokerage.
    network_fragility

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. Journal of
       Statistical Mechanics, P10008.

    Examples
    --------
    >>> import networkx as nx
    >>> H = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])
    >>> nx.set_edge_attributes(H, 1.0, "weight")
    >>> [sorted(c) for c in coordination_communities(H)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    if H.number_of_nodes() == 0:
        return []
    return _louvain(H, seed)


LOUVAIN_NETWORKX_MAX = 5_000
"""Largest network (agencies) whose communities come from NetworkX's Louvain; above it, igraph's (C).

Both are Blondel et al.'s (2008) method on tie weights with a fixed seed;
igraph's is an order of magnitude faster on a national network
(bench/RESULTS.md). The partitions differ in detail (each run of the method
is one local optimum), not in quality. Tested: both find a planted
partition, with modularities within 1%.
"""


def _louvain(H: nx.Graph, seed: int) -> list[frozenset[str]]:
    """Louvain communities of ``H`` (weights ``weight``), largest first, then by smallest member id (Blondel et al. 2008)."""
    if H.number_of_nodes() <= LOUVAIN_NETWORKX_MAX:  # read at each call: a test sets it to reach igraph
        found = nx.community.louvain_communities(H, weight="weight", seed=seed)
    else:
        import random

        import igraph as ig  # imported here, as for betweenness: only large networks need the C library

        nodes = list(H)
        position = {v: i for i, v in enumerate(nodes)}
        edges, weights = [], []
        for u, v, d in H.edges(data=True):
            if u != v:
                edges.append((position[u], position[v]))
                weights.append(float(d.get("weight", 1)))
        g = ig.Graph(n=len(nodes), edges=edges, directed=False)
        # python-igraph draws from Python's random module: seeded for a stable result, and put back as it was
        state = random.getstate()
        random.seed(seed)
        try:
            clusters = g.community_multilevel(weights=weights)
        finally:
            random.setstate(state)
        found = [{nodes[i] for i in members} for members in clusters]
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(c)))


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

    Examples
    --------
    >>> import networkx as nx
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


def brokerage_table(
    G: nx.MultiDiGraph | Analysis,
    attribute: str = "level",
    since: dt.date | None = None,
    until: dt.date | None = None,
    seed: int = 42,
) -> pd.DataFrame:
    """One row per agency: centrality, structural holes, brokerage roles, fragility, community.

    Betweenness is exact up to
    :data:`~graphmodel.analytics.structural_holes.EXACT_BETWEENNESS_MAX`
    agencies and estimated from sampled pivots above (error bound:
    :func:`~graphmodel.analytics.structural_holes.betweenness`); which one was
    used is in ``frame.attrs["betweenness_method"]``. Constraint and effective
    size come from :func:`~graphmodel.analytics.structural_holes.structural_holes`
    (NetworkX's definitions, computed over common neighbours).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose network is used when no window is given).
    attribute : str
        The node attribute that groups agencies for the brokerage roles.
    since, until : datetime.date, optional
        The window of the ties, as in :func:`~graphmodel.analytics.network.coordination_network`.
    seed : int
        The seed of :func:`coordination_communities`.

    Returns
    -------
    pandas.DataFrame
        By agency id: ``name``, ``kind``, ``level``, ``degree``, ``strength``
        (sum of tie weights), ``betweenness`` (normalised, unweighted),
        ``constraint`` and ``effective_size`` (Burt, on tie weights; NaN for
        agencies without ties, as NetworkX defines them), the five
        Gould-Fernandez role counts on :func:`coordination_digraph` grouped by
        ``attribute`` plus their ``brokerage_total``, ``articulation_point``
        and ``community`` (index into :func:`coordination_communities`).
        Sorted by betweenness, then brokerage total; empty without agencies.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a, level in (("s", "national"), ("x", "province"), ("y", "province")):
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level=level)
    >>> for leaf in "xy":
    ...     _ = G.add_edge("s", leaf, key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=[{"source": "s", "quote": "q"}])
    >>> t = brokerage_table(G)
    >>> list(t.index), float(t.loc["s", "betweenness"]), int(t.loc["s", "itinerant"])
    (['s', 'x', 'y'], 1.0, 2)
    """
    A = Analysis.of(G)
    H = A.network if since is None and until is None else coordination_network(A, since, until)
    if H.number_of_nodes() == 0:
        return pd.DataFrame()
    # the roles need the directed ties, not their reasons; the digraph (a million ties at 500k nodes) goes
    # before the structural-hole products are formed, so the two are never held at once
    roles = gould_fernandez_brokerage(coordination_digraph(A, since, until, attributes=False), attribute)
    between, method = betweenness(H)
    constraint, effective = structural_holes(H, weight="weight")
    cut = set(nx.articulation_points(H))
    community = {n: i for i, c in enumerate(coordination_communities(H, seed)) for n in c}
    rows = []
    for n, d in H.nodes(data=True):
        row = {
            "agency": n,
            "name": d["name"],
            "kind": d["kind"],
            "level": d["level"],
            "degree": H.degree(n),
            "strength": H.degree(n, weight="weight"),
            "betweenness": between[n],
            "constraint": constraint[n],
            "effective_size": effective[n],
            **roles[n],
            "brokerage_total": sum(roles[n].values()),
            "articulation_point": n in cut,
            "community": community.get(n),
        }
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("agency")
    frame = frame.sort_values(["betweenness", "brokerage_total", "name"], ascending=[False, False, True])
    frame.attrs["betweenness_method"] = method
    return frame
