"""The NumPy and SciPy engine of the chain DAG: any size.

Each function gives what its namesake in
:mod:`~graphmodel.analytics.pathways.python_engine` gives (tested against
each other and against the definitions).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import maximum_flow

from graphmodel.analytics.pathways.costs import BROKEN_HANDOFF_COST
from graphmodel.analytics.pathways.dag import ChainDag

__all__ = ["critical_providers", "disjoint_chains", "k_best_chains"]


def k_best_chains(dag: ChainDag, k: int) -> list[tuple[str, ...]]:
    """The agencies (in step order) of the k cheapest chains, cheapest first.

    Ties in cost go by the tuple of agency ids. Keeps the k best partial
    chains ending at each node, layer by layer, as arrays of *entries*
    (node, cost, back-pointer to the entry it extends, and ``lex``: the
    rank of the partial chain among the layer's partial chains in
    agency-id order). A node's candidates are its intact predecessors'
    entries plus the k best entries of the previous layer at nodes
    without a tie to it (extended by a broken hand-off); two candidates
    for the same node compare by (cost, lex of what they extend).
    """
    broken = round(BROKEN_HANDOFF_COST * 1_000_000)
    sizes = [len(r) for r in dag.layers]
    # layer 0: one entry per node, cost 0
    node = np.arange(sizes[0], dtype=np.int64)
    cost = np.zeros(sizes[0], dtype=np.int64)
    lex = dag.order[0].copy()
    backs: list[np.ndarray] = [np.full(sizes[0], -1, dtype=np.int64)]
    nodes: list[np.ndarray] = [node]
    for i, (u, g, c) in enumerate(dag.handoffs):
        m_prev, m = sizes[i], sizes[i + 1]
        # entries are grouped by node: the entries of node x are start[x]:start[x]+count[x]
        count = np.bincount(node, minlength=m_prev)
        start = np.concatenate([[0], np.cumsum(count)[:-1]])
        # intact candidates: every entry of every tied predecessor
        reps = count[u]
        edge = np.repeat(np.arange(len(u)), reps)
        offset = np.arange(len(edge)) - np.repeat(np.cumsum(reps) - reps, reps)
        entry = start[u][edge] + offset
        cand_g, cand_cost, cand_back = [g[edge]], [cost[entry] + c[edge]], [entry]
        # broken candidates: for each node, the first k entries (by cost, then lex) at untied nodes
        ranked = np.lexsort((lex, cost))
        tied_in = np.bincount(g, minlength=m)
        window = ranked[: min(len(ranked), k * (1 + int(tied_in.max(initial=0))))]
        tied = np.zeros((m, m_prev), dtype=bool)
        tied[g, u] = True
        free = ~tied[:, node[window]]
        pick = free & (np.cumsum(free, axis=1) <= k)
        gg, tt = np.nonzero(pick)
        cand_g.append(gg)
        cand_cost.append(cost[window[tt]] + broken)
        cand_back.append(window[tt])
        cg, cc, cb = np.concatenate(cand_g), np.concatenate(cand_cost), np.concatenate(cand_back)
        # the k best candidates per node: by node, then cost, then the lex rank of what they extend
        keep_order = np.lexsort((lex[cb], cc, cg))
        cg, cc, cb = cg[keep_order], cc[keep_order], cb[keep_order]
        first_of = np.searchsorted(cg, cg, side="left")
        kept = (np.arange(len(cg)) - first_of) < k
        node, cost, back = cg[kept], cc[kept], cb[kept]
        # lex rank of the new partial chains: by what they extend, then by their own agency id
        new_lex = np.empty(len(node), dtype=np.int64)
        new_lex[np.lexsort((dag.order[i + 1][node], lex[back]))] = np.arange(len(node))
        lex = new_lex
        backs.append(back)
        nodes.append(node)
    best = np.lexsort((lex, cost))[:k]
    chains = []
    for e in best:
        chain = []
        for layer in range(len(dag.layers) - 1, -1, -1):
            chain.append(dag.agency[dag.layers[layer][nodes[layer][e]]])
            e = backs[layer][e]
        chains.append(tuple(reversed(chain)))
    return chains


def disjoint_chains(dag: ChainDag) -> int:
    """How many intact chains share no (step, agency) node: the local node connectivity of source and sink.

    Menger's theorem as a maximum flow (SciPy's Dinic, in C) on the intact
    hand-offs with every node split into an inlet and an outlet joined by
    an arc of capacity 1; the source and the sink are not split (their
    inlet-outlet arc has capacity n).
    """
    n = len(dag.agency)
    source, sink = n, n + 1
    total = n + 2  # node x: inlet x, outlet x + total
    tails = [np.arange(total)]  # inlet -> outlet
    heads = [np.arange(total) + total]
    for i, (u, g, _) in enumerate(dag.handoffs):
        tails.append(dag.layers[i].start + u + total)
        heads.append(dag.layers[i + 1].start + g)
    first, last = dag.layers[0], dag.layers[-1]
    tails += [np.full(len(first), source + total), np.arange(last.start, last.stop) + total]
    heads += [np.arange(first.start, first.stop), np.full(len(last), sink)]
    capacity = np.ones(sum(len(t) for t in tails), dtype=np.int32)
    capacity[[source, sink]] = n
    arcs = sparse.csr_matrix((capacity, (np.concatenate(tails), np.concatenate(heads))), shape=(2 * total, 2 * total))
    return int(maximum_flow(arcs, source, sink + total, method="dinic").flow_value)


def critical_providers(dag: ChainDag, chain: list[int]) -> tuple[str, ...]:
    """Agencies without whose nodes no intact chain is left (sorted).

    Such an agency lies on every intact chain, in particular on ``chain``
    (one intact chain): only its agencies (at most one per step) are
    tested, all at once, by one reachability pass over the intact DAG
    from the last step back to the first (a boolean column per agency).
    """
    suspects = sorted({dag.agency[g] for g in chain})
    if not suspects:
        return ()
    n = len(suspects)
    number = {a: i for i, a in enumerate(suspects)}

    def alive_without(layer: range) -> np.ndarray:
        # reach[x, s]: node x can still reach the sink without agency s; agency s's own nodes cannot
        ids = np.array([number.get(a, -1) for a in dag.agency[layer.start:layer.stop]], dtype=np.int64)
        return ids[:, None] != np.arange(n)[None, :]

    reach = alive_without(dag.layers[-1])
    for i in range(len(dag.handoffs) - 1, -1, -1):
        u, g, _ = dag.handoffs[i]
        hits = (u[:, None] * n + np.arange(n)[None, :])[reach[g]]
        reach = (np.bincount(hits, minlength=len(dag.layers[i]) * n).reshape(-1, n) > 0) & alive_without(dag.layers[i])
    alive = np.asarray(reach.any(axis=0))
    return tuple(a for a, ok in zip(suspects, alive) if not ok)
