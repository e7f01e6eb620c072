"""The chain DAG of one cohort's referral pathway: one layer of providers per step, as arrays.

Its operations come in two engines that give the same answers:
:mod:`~graphmodel.analytics.pathways.python_engine` (plain lists, for the
small DAGs of most cohorts) and
:mod:`~graphmodel.analytics.pathways.array_engine` (NumPy and SciPy, for any
size); :attr:`ChainDag.small` says which one a DAG is worked with.
"""

from __future__ import annotations

import numpy as np

from graphmodel.analytics.pathways.costs import TieCosts

__all__ = ["PYTHON_DAG_MAX_HANDOFFS", "ChainDag"]

PYTHON_DAG_MAX_HANDOFFS = 400
"""A cohort's chain DAG with at most this many intact hand-offs is worked in plain Python, a larger one
with NumPy and SciPy (the same results, tested). Below it, a hundred NumPy calls cost more than the work on
a cohort's few dozen nodes; above it, the arrays win, by most for the maximum flow (bench/HISTORY.md)."""


class ChainDag:
    """The chain DAG of one cohort, by layers, as arrays (no graph object).

    Nodes are ints numbered layer by layer (``layers[i]`` is the range of
    layer ``i``); node ``g`` is the (step, agency) pair of its layer's step
    and ``agency[g]``. The source feeds every node of the first layer and
    every node of the last layer feeds the sink. Only the *intact* hand-offs
    (same agency, or a tie in the network) are stored, per pair of
    consecutive layers as arrays ``(u, g, cost)`` of local node numbers and
    micro-costs (millionths, exact ints); every other pair of
    consecutive-layer nodes is a broken hand-off of cost
    :data:`BROKEN_HANDOFF_COST`. The tied pairs come from one gather over
    the sparse rows of :class:`~graphmodel.analytics.pathways.costs.TieCosts` per pair of layers.
    """

    def __init__(self, layers: list[tuple[str, ...]], costs: TieCosts) -> None:
        self.layers: list[range] = []
        self.agency: list[str] = []
        # rank of each node's agency id within its layer (chains tie-break on agency ids)
        self.order: list[np.ndarray] = []
        self.handoffs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # into layer i+1 from layer i
        previous: tuple[str, ...] = ()
        prev_pos = np.zeros(0, dtype=np.int64)
        for agencies in layers:
            first = len(self.agency)
            self.agency.extend(agencies)
            self.layers.append(range(first, len(self.agency)))
            rank = np.empty(len(agencies), dtype=np.int64)
            rank[sorted(range(len(agencies)), key=agencies.__getitem__)] = np.arange(len(agencies))
            self.order.append(rank)
            pos = costs.positions(agencies)
            if previous:
                tu, tg, tc = costs.between(prev_pos, pos)  # agencies outside the network: an empty row
                where = {a: j for j, a in enumerate(previous)}
                same = [(where[a], j) for j, a in enumerate(agencies) if a in where]
                su = np.array([u for u, _ in same], dtype=np.int64)
                sg = np.array([g for _, g in same], dtype=np.int64)
                u = np.concatenate([su, tu])
                g = np.concatenate([sg, tg])
                c = np.concatenate([np.zeros(len(same), dtype=np.int64), tc])
                self.handoffs.append((u, g, c))
            previous, prev_pos = agencies, pos

    @property
    def small(self) -> bool:
        """Whether the DAG has at most :data:`PYTHON_DAG_MAX_HANDOFFS` intact hand-offs (worked in plain Python)."""
        return sum(len(u) for u, _, _ in self.handoffs) <= PYTHON_DAG_MAX_HANDOFFS

    def handoff_lists(self) -> list[tuple[list[int], list[int], list[int]]]:
        """:attr:`handoffs` as lists of Python ints (made once)."""
        lists = self.__dict__.get("_handoff_lists")
        if lists is None:
            lists = self.__dict__["_handoff_lists"] = [(u.tolist(), g.tolist(), c.tolist()) for u, g, c in self.handoffs]
        return lists

    # ------------------------------------------------------------------ disjoint intact chains

    def one_intact_chain(self) -> list[int]:
        """The nodes of one chain whose hand-offs are all intact (first step first), or [] if there is none."""
        ok = np.ones(len(self.layers[0]), dtype=bool)
        via: list[np.ndarray] = []
        for (u, g, _), layer in zip(self.handoffs, self.layers[1:]):
            live = ok[u]
            came = np.full(len(layer), -1, dtype=np.int64)
            came[g[live]] = u[live]
            via.append(came)
            ok = came >= 0
        if not ok.any():
            return []
        local = int(np.flatnonzero(ok)[0])
        chain = [self.layers[-1][local]]
        for layer, came in zip(reversed(self.layers[:-1]), reversed(via)):
            local = int(came[local])
            chain.append(layer[local])
        return chain[::-1]
