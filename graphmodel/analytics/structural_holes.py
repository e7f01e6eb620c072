"""Burt's structural-hole measures and betweenness, fast enough for a national network.

NetworkX's ``constraint`` and ``effective_size`` recompute each normalised
mutual weight (itself a sum over a neighbourhood) inside a double loop over
neighbourhoods: ``O(sum_v deg(v)^3)``, which never finishes on a coordination
network whose hubs (national ministries, IOM) are tied to most agencies.
:func:`structural_holes` gives the same numbers from weights normalised once,
summing over the common neighbours of each tie only.

:func:`betweenness` is exact (igraph, C) up to :data:`EXACT_BETWEENNESS_MAX`
nodes and a fixed-seed pivot-sampling estimate above, and says which it used.

References
----------
.. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
   Competition. Harvard University Press (constraint: ch. 2, pp. 54-55;
   effective size: pp. 51-53).
.. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
   measures. Connections, 20(1), 35-38.
.. [3] NetworkX, ``networkx.algorithms.structuralholes`` (``constraint``,
   ``effective_size``, ``local_constraint``, ``normalized_mutual_weight``):
   the definitions reproduced here, including NaN for isolated nodes.
.. [4] Brandes, U. (2001). A faster algorithm for betweenness centrality.
   Journal of Mathematical Sociology, 25(2), 163-177.
.. [5] Brandes, U., & Pich, C. (2007). Centrality estimation in large
   networks. International Journal of Bifurcation and Chaos, 17(7),
   2303-2318.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Any

import networkx as nx

from graphmodel.errors import AnalyticsError

__all__ = [
    "BETWEENNESS_PIVOTS",
    "BETWEENNESS_SEED",
    "EXACT_BETWEENNESS_MAX",
    "betweenness",
    "structural_holes",
]

EXACT_BETWEENNESS_MAX = 5_000
"""Largest network (nodes) whose betweenness is computed exactly (igraph: O(n m)).

Above it (a national graph's network) the exact computation costs many
times the pivot estimate (bench/HISTORY.md), whose error bound
:func:`betweenness` states.
"""

BETWEENNESS_PIVOTS = 500
"""Sampled source nodes (pivots) for the betweenness estimate above :data:`EXACT_BETWEENNESS_MAX`."""

BETWEENNESS_SEED = 42
"""Random seed of the pivot sample: the same network gives the same estimate."""


@nx.utils.not_implemented_for("directed")
@nx.utils.not_implemented_for("multigraph")
def structural_holes(H: nx.Graph, weight: str | None = "weight") -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Burt's constraint and effective size of every node, exactly as NetworkX defines them.

    With ``a(u, v)`` the weight of the tie ``u - v`` (1 when ``weight`` is
    None or the attribute is missing; 0 without a tie), the mutual weight is
    ``m(u, v) = a(u, v) + a(v, u) = 2 a(u, v)`` and

    * ``p(u, v) = m(u, v) / sum_{w in N(u)} m(u, w)``, the share of ``u``'s
      ties invested in ``v``;
    * ``q(u, v) = m(u, v) / max_{w in N(u)} m(u, w)``.

    Constraint (Burt 1992, eq. 2.4)::

        c(v) = sum_{n in N(v)} ( p(v, n) + sum_{w in N(v) & N(n)} p(v, w) p(w, n) )^2

    Effective size (Burt 1992, p. 52; the redundancy of ``u`` is what ``v``'s
    other contacts already give it)::

        e(v) = sum_{u in N(v)} ( 1 - sum_{w in N(v) & N(u)} p(v, w) q(u, w) )

    Both are NaN for a node without neighbours. ``p(w, n)`` and ``q(u, w)``
    vanish unless ``w`` is a neighbour of ``n`` (of ``u``), so NetworkX's sums
    over all of ``N(v)`` reduce to the common neighbours used here.

    Weights must be positive and the graph free of self-loops: NetworkX's
    own code paths (sparse-matrix and per-node) disagree with each other on
    zero weights and self-loops, so there is no reference to equal there.

    Parameters
    ----------
    H : nx.Graph
        Undirected simple graph.
    weight : str or None
        Edge attribute holding the tie weight; None counts every tie as 1.

    Returns
    -------
    (dict, dict)
        ``(constraint, effective_size)``, each ``{node: float}`` for every node.

    Raises
    ------
    NetworkXNotImplemented
        If ``H`` is directed or a multigraph.
    AnalyticsError
        If ``H`` has a self-loop or a tie weight that is not positive.

    See Also
    --------
    betweenness, graphmodel.analytics.brokerage.gould_fernandez_brokerage

    Notes
    -----
    In matrix form, with ``P`` and ``Q`` the sparse matrices of ``p`` and
    ``q`` and ``A`` the 0/1 pattern of the ties::

        c = rowsum( (P + (P @ P) * A) ** 2 )      e = deg - rowsum( (P @ Q.T) * A )

    (``*`` elementwise): the products sum over common neighbours only,
    because ``p(w, n)`` and ``q(n, w)`` vanish unless ``w`` is tied to ``n``.
    They are formed with SciPy's sparse products, a block of rows at a time
    so that memory stays bounded by the two-step paths of a block, and both
    at once, as the real and imaginary parts of ``P @ (P + i Q.T)`` (one
    walk of the two-step paths instead of two; ``P`` is real, so each part
    is the real product exactly: the same values to the last bit, in less
    time); the time
    is that of the two-step paths, in compiled code, against NetworkX's
    ``O(sum_v deg(v)^3)`` in Python. The results equal NetworkX's per-node
    ``nx.constraint(H, nodes=..., weight=...)`` and
    ``nx.effective_size(H, nodes=..., weight=...)`` up to floating-point
    rounding (the sums are taken in another order); the tests check this on
    random weighted graphs, and say why not NetworkX's own sparse path.

    Examples
    --------
    A star: the centre's three contacts are not tied to each other.

    >>> H = nx.star_graph(3)
    >>> c, e = structural_holes(H, weight=None)
    >>> round(c[0], 4), e[0], c[1], e[1]
    (0.3333, 3.0, 1.0, 1.0)
    >>> H.add_node("alone")
    >>> structural_holes(H)[0]["alone"]
    nan

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    .. [2] NetworkX ``constraint`` / ``effective_size`` (networkx.algorithms.structuralholes).
    """
    import numpy as np  # imported here: only the matrix path needs them
    from scipy import sparse

    nodes = list(H)
    if not nodes:
        return {}, {}
    position = {v: i for i, v in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for v, adj in H.adjacency():
        if v in adj:
            raise AnalyticsError(f"structural holes: node {v!r} has a self-loop")
        i = position[v]
        for u, d in adj.items():
            m = 2.0 * _weight(d, weight)  # the mutual weight a(v, u) + a(u, v)
            if not m > 0:
                raise AnalyticsError(f"structural holes: node {v!r} has a tie whose {weight!r} is not positive")
            rows.append(i)
            cols.append(position[u])
            vals.append(m)
    n = len(nodes)
    M = sparse.csr_matrix((np.asarray(vals, dtype=float), (np.asarray(rows), np.asarray(cols))), shape=(n, n))
    del rows, cols, vals  # millions of list slots at national scale: gone before the products are formed
    degree = np.diff(M.indptr)
    with np.errstate(divide="ignore", invalid="ignore"):
        P = sparse.diags(1.0 / np.asarray(M.sum(axis=1)).ravel()) @ M  # p(v, u), rows of isolated nodes empty
        Q = sparse.diags(1.0 / M.max(axis=1).toarray().ravel()) @ M  # q(v, u)
    P.data[~np.isfinite(P.data)] = 0.0
    Q.data[~np.isfinite(Q.data)] = 0.0
    pattern = M.copy()
    pattern.data[:] = 1.0
    del M
    # P and Q^T have M's pattern (M is symmetric), so P + i Q^T has it too, and one complex product
    # Pb @ (P + i Q^T) gives Pb @ P as its real part and Pb @ Q^T as its imaginary part: the two-step
    # paths are walked once, not twice. Pb is real, so each term's parts are the real products exactly.
    PQ = (P + 1j * Q.T).tocsr()
    del Q
    c = np.empty(n)
    e = np.empty(n)
    # (P @ P)[v, n] and (P @ Q^T)[v, n] are the sums over common neighbours w; they are needed on the
    # ties only, so they are formed a block of rows at a time, each block sized by its two-step paths
    two_step = pattern @ degree.astype(float)
    for lo, hi in _blocks(two_step, _BLOCK_TWO_STEP_PATHS):
        Pb, mask = P[lo:hi], pattern[lo:hi]
        both = (Pb @ PQ).multiply(mask).tocsr()
        direct_and_indirect = (Pb + both.real).tocsr()
        c[lo:hi] = np.asarray(direct_and_indirect.multiply(direct_and_indirect).sum(axis=1)).ravel()
        e[lo:hi] = degree[lo:hi] - np.asarray(both.imag.sum(axis=1)).ravel()
    isolated = degree == 0
    c[isolated] = np.nan
    e[isolated] = np.nan
    constraint = {v: float(c[i]) for i, v in enumerate(nodes)}
    effective = {v: float(e[i]) for i, v in enumerate(nodes)}
    return constraint, effective


_BLOCK_TWO_STEP_PATHS = 3_000_000
"""Two-step paths per block of rows in :func:`structural_holes` (bounds the memory of the products: a
complex product entry takes 20 bytes, so a block holds about as much as 5 million real ones did)."""


def _blocks(cost: Any, budget: float) -> list[tuple[int, int]]:
    """Consecutive row ranges whose summed ``cost`` stays within ``budget`` (at least one row each)."""
    blocks = []
    lo, acc = 0, 0.0
    for i, x in enumerate(cost):
        if i > lo and acc + x > budget:
            blocks.append((lo, i))
            lo, acc = i, 0.0
        acc += x
    if lo < len(cost):
        blocks.append((lo, len(cost)))
    return blocks


def _weight(d: dict[str, Any], weight: str | None) -> float:
    return float(d.get(weight, 1)) if weight is not None else 1.0


@nx.utils.not_implemented_for("directed")
def betweenness(
    H: nx.Graph,
    exact_max: int = EXACT_BETWEENNESS_MAX,
    pivots: int = BETWEENNESS_PIVOTS,
    seed: int = BETWEENNESS_SEED,
) -> tuple[dict[Hashable, float], str]:
    """Normalised shortest-path betweenness (unweighted), exact up to ``exact_max`` nodes, estimated above.

    The betweenness of ``v`` is ``sum_{s != v != t} sigma_st(v) / sigma_st``
    (``sigma_st`` the number of shortest ``s``-``t`` paths, ``sigma_st(v)``
    those through ``v``), divided by ``(n - 1)(n - 2) / 2``, the number of
    pairs of other nodes in an undirected graph -- the definition and the
    normalisation of ``nx.betweenness_centrality(H)``.

    * ``n <= exact_max``: exact, Brandes' algorithm in C (python-igraph,
      ``Graph.betweenness``), ``O(n m)`` time and ``O(n + m)`` memory; equal
      to ``nx.betweenness_centrality(H)`` up to rounding.
    * ``n > exact_max``: the value of
      ``nx.betweenness_centrality(H, k=pivots, seed=seed)`` (same pivots, same
      scaling), computed in C as igraph's subset betweenness from the pivots:
      Brandes & Pich (2007) pivot sampling, ``O(k m)``. The dependencies are
      accumulated from ``k`` source nodes drawn uniformly without replacement
      and averaged. For a node ``v`` not sampled, each pivot ``s`` contributes
      ``delta_s(v) / (n - 2)`` (the share of paths from ``s`` through ``v``),
      a number in ``[0, 1]``, and the estimate is the mean of the ``k``
      contributions, an unbiased estimate of the exact value (NetworkX's
      rescaling). By Hoeffding's inequality (which holds for sampling without
      replacement) one node's estimate is off by more than ``eps`` with
      probability at most ``2 exp(-2 k eps^2)``; with a union bound over the
      ``n`` nodes, every estimate is within
      ``eps = sqrt(ln(2 n / delta) / (2 k))`` of its exact value with
      probability ``1 - delta`` (k = 500, n = 50,000, delta = 0.05:
      eps = 0.12). The bound is loose: errors on real networks are usually far
      smaller, and the ranking of the large brokers is what is reliable.

    Parameters
    ----------
    H : nx.Graph
        Undirected graph (weights are ignored: every tie has length 1).
    exact_max : int
        Largest node count computed exactly.
    pivots : int
        Sampled sources ``k`` above ``exact_max``.
    seed : int
        Seed of the pivot sample.

    Returns
    -------
    (dict, str)
        ``{node: betweenness}`` and the method used, e.g.
        ``"exact: Brandes' algorithm, igraph"`` or
        ``"estimated: Brandes-Pich sampling of 500 pivots, seed 42"``.

    See Also
    --------
    structural_holes, graphmodel.analytics.brokerage.brokerage_table

    Examples
    --------
    >>> bc, method = betweenness(nx.path_graph(3))
    >>> bc, method
    ({0: 0.0, 1: 1.0, 2: 0.0}, "exact: Brandes' algorithm, igraph")
    >>> betweenness(nx.path_graph(3), exact_max=2, pivots=3)[1]
    'estimated: Brandes-Pich sampling of 3 pivots, seed 42'

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology, 25(2), 163-177.
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large
       networks. International Journal of Bifurcation and Chaos, 17(7),
       2303-2318.
    """
    n = H.number_of_nodes()
    sampled = n > exact_max
    k = min(pivots, n)
    if sampled and (k < 2 or n < 3):
        # too few pivots for NetworkX's scaling (it gives NaN to a lone pivot): its own code
        return nx.betweenness_centrality(H, k=k, seed=seed), f"estimated: Brandes-Pich sampling of {k} pivots, seed {seed}"
    import igraph as ig  # imported here: only this function needs the C library

    nodes = list(H)
    position = {v: i for i, v in enumerate(nodes)}
    # self-loops do not change shortest paths; igraph counts each unordered pair once
    edges = [(position[u], position[v]) for u, v in H.edges() if u != v]
    g = ig.Graph(n=n, edges=edges, directed=False)
    if not sampled:
        raw = g.betweenness(directed=False) if n else []
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # nx: no rescaling below three nodes
        return {v: raw[i] * scale for i, v in enumerate(nodes)}, "exact: Brandes' algorithm, igraph"
    # the pivots NetworkX draws for seed=seed (random.Random(seed).sample of the node list) ...
    chosen = random.Random(seed).sample(nodes, k)
    raw = g.betweenness(directed=False, sources=[position[v] for v in chosen])
    # ... and its scaling: ordered (pivot, target) pairs (twice igraph's undirected count), averaged over
    # the pivots other than the node itself, per pair of other nodes
    is_pivot = set(chosen)
    return (
        {v: 2.0 * raw[i] / (((k - 1) if v in is_pivot else k) * (n - 2)) for i, v in enumerate(nodes)},
        f"estimated: Brandes-Pich sampling of {k} pivots, seed {seed}",
    )
