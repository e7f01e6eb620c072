"""Communities of the coordination network: Louvain on tie weights with a fixed seed.

NetworkX's implementation on small networks, igraph's (in C) on large ones;
both are the method of Blondel et al. [1]_.

References
----------
.. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008).
   Fast unfolding of communities in large networks. J. Stat. Mech. P10008.
"""

from __future__ import annotations

import networkx as nx

__all__ = ["coordination_communities"]


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
(bench/HISTORY.md). The partitions differ in detail (each run of the method
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
