"""Brokers of the coordination network: Gould-Fernandez roles and the brokerage table.

* Gould-Fernandez brokerage roles on a directed network with node groups
  (NetworkX has no implementation) [1]_;
* the brokerage table: per agency, betweenness (exact with igraph, or sampled
  above a size), Burt's constraint and effective size [2]_
  (:mod:`~graphmodel.analytics.structural_holes`, equal to NetworkX's), the
  roles, whether it is an articulation point
  (:mod:`~graphmodel.analytics.fragility`) and its community
  (:mod:`~graphmodel.analytics.communities`).

References
----------
.. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
   formal approach to brokerage in transaction networks. Sociological
   Methodology, 19, 89-126.
.. [2] Burt, R. S. (1992). Structural Holes: The Social Structure of
   Competition. Harvard University Press.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable

import networkx as nx
import pandas as pd

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.communities import coordination_communities
from graphmodel.analytics.network import coordination_digraph, coordination_network
from graphmodel.analytics.structural_holes import betweenness, structural_holes
from graphmodel.errors import AnalyticsError

__all__ = [
    "BROKERAGE_ROLES",
    "brokerage_table",
    "gould_fernandez_brokerage",
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

    See Also
    --------
    gould_fernandez_brokerage : the role counts.
    structural_holes : constraint and effective size.
    betweenness : exact or sampled betweenness.
    network_fragility : the articulation points and bridges, with the agencies they cut off.
    coordination_communities : the communities.

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
       formal approach to brokerage in transaction networks. Sociological
       Methodology, 19, 89-126.
    .. [2] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press (constraint, effective size).
    .. [3] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology, 25(2), 163-177.
    .. [4] Brandes, U., & Pich, C. (2007). Centrality estimation in large
       networks. International Journal of Bifurcation and Chaos, 17(7),
       2303-2318 (the sampled estimate).
    .. [5] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. Journal of
       Statistical Mechanics, P10008.

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
