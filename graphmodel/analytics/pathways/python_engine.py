"""The plain-Python engine of the chain DAG: the small DAGs most cohorts have.

Each function gives what its namesake in
:mod:`~graphmodel.analytics.pathways.array_engine` gives (tested against each
other and against the definitions); on a DAG of a few dozen nodes, plain
lists cost less than a hundred NumPy calls.
"""

from __future__ import annotations

from typing import cast

from graphmodel.analytics.pathways.costs import BROKEN_HANDOFF_COST
from graphmodel.analytics.pathways.dag import ChainDag

__all__ = ["best_chain", "critical_providers", "disjoint_chains"]


def best_chain(dag: ChainDag) -> tuple[str, ...]:
    """The agencies (in step order) of the cheapest chain, ties by agency ids.

    Dynamic programming with one best partial chain per node: the first of
    :func:`~graphmodel.analytics.pathways.array_engine.k_best_chains` with
    ``k = 1``.

    Keeping only the best ``(cost, agencies)`` per node is exact: every
    partial chain ending at a node is extended by the same hand-offs, and
    adding the same cost and appending the same agencies keeps the order
    of two partial chains of one length. A node's candidates are its
    intact predecessors (plus the hand-off's cost) and the best
    predecessor it has no intact hand-off from (plus a broken hand-off's).
    """
    broken = round(BROKEN_HANDOFF_COST * 1_000_000)
    agency = dag.agency
    best: list[tuple[int, tuple[str, ...]]] = [(0, (agency[x],)) for x in dag.layers[0]]
    for layer, (u, g, c) in zip(dag.layers[1:], dag.handoff_lists()):
        size = len(layer)
        cand: list[tuple[int, tuple[str, ...]] | None] = [None] * size
        tied: list[set[int]] = [set() for _ in range(size)]
        for x, y, cost in zip(u, g, c):
            tied[y].add(x)
            item = (best[x][0] + cost, best[x][1])
            old = cand[y]
            if old is None or item < old:
                cand[y] = item
        ranked = sorted(range(len(best)), key=best.__getitem__)
        for y in range(size):
            for x in ranked:
                if x not in tied[y]:
                    item = (best[x][0] + broken, best[x][1])
                    old = cand[y]
                    if old is None or item < old:
                        cand[y] = item
                    break
        # every node has a candidate: the previous layer is not empty
        best = [(cost, chain + (agency[layer.start + y],)) for y, (cost, chain) in enumerate(cast(list[tuple[int, tuple[str, ...]]], cand))]
    return min(best)[1]


def disjoint_chains(dag: ChainDag) -> int:
    """How many intact chains share no (step, agency) node: the local node connectivity of source and sink.

    Menger's theorem as a maximum flow by shortest augmenting paths
    (Edmonds-Karp), in plain Python, on the network of
    :func:`~graphmodel.analytics.pathways.array_engine.disjoint_chains` with unit capacities
    everywhere (a source arc feeds one first-step node, a sink arc
    drains one last-step node, and each carries one chain at most):
    vertex ``2x`` is node ``x``'s inlet and ``2x + 1`` its outlet. Each
    augmenting path adds one chain; a few dozen nodes need a few passes.
    """
    n = len(dag.agency)
    source, sink = 2 * n, 2 * n + 1
    residual: list[dict[int, int]] = [{} for _ in range(2 * n + 2)]

    def arc(a: int, b: int) -> None:
        residual[a][b] = 1
        residual[b].setdefault(a, 0)

    for x in range(n):
        arc(2 * x, 2 * x + 1)
    for x in dag.layers[0]:
        arc(source, 2 * x)
    for x in dag.layers[-1]:
        arc(2 * x + 1, sink)
    for (u, g, _), here, there in zip(dag.handoff_lists(), dag.layers, dag.layers[1:]):
        for x, y in zip(u, g):
            arc(2 * (here.start + x) + 1, 2 * (there.start + y))
    flow = 0
    while True:
        parent = {source: source}
        frontier = [source]
        while frontier and sink not in parent:
            following = []
            for a in frontier:
                for b, room in residual[a].items():
                    if room and b not in parent:
                        parent[b] = a
                        following.append(b)
            frontier = following
        if sink not in parent:
            return flow
        b = sink
        while b != source:
            a = parent[b]
            residual[a][b] -= 1
            residual[b][a] += 1
            b = a
        flow += 1


def critical_providers(dag: ChainDag, chain: list[int]) -> tuple[str, ...]:
    """Agencies without whose nodes no intact chain is left (sorted).

    Such an agency lies on every intact chain, in particular on ``chain``
    (one intact chain): only its agencies are tested, by one forward pass
    per suspect over the intact hand-offs, skipping the suspect's nodes.
    """
    agency = dag.agency
    found = []
    for suspect in sorted({agency[x] for x in chain}):
        alive = {y for y, x in enumerate(dag.layers[0]) if agency[x] != suspect}
        for (u, g, _), there in zip(dag.handoff_lists(), dag.layers[1:]):
            alive = {y for x, y in zip(u, g) if x in alive and agency[there.start + y] != suspect}
        if not alive:
            found.append(suspect)
    return tuple(found)
