"""What a hand-off costs: broken, or along a tie that weakens with the years since its last contact."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from graphmodel.analytics.dates import years_between

__all__ = ["BROKEN_HANDOFF_COST", "SHARED_COSTS_MIN_COHORTS", "CostBook", "TieCosts", "tie_cost"]

BROKEN_HANDOFF_COST = 100.0
"""Cost of a hand-off between providers with no recorded tie (dominates any tied hand-off)."""

SHARED_COSTS_MIN_COHORTS = 20
"""In a loop over cohorts, an as-of date shared by at least this many cohorts gets one cost matrix of the whole
network; a cohort at a rarer date gets the ties among its own providers (a few, where the whole network's
matrix costs a pass over every tie)."""


def tie_cost(d: Mapping[str, Any], as_of: dt.date | None, half_life: float) -> float:
    """The cost ``1 / (w * r)`` of a tied hand-off (edge data ``d`` of the coordination network), rounded to 6 decimals."""
    last = d.get("last_contact")
    age = years_between(last, as_of) if (last and as_of) else half_life
    recency = 0.5 ** (max(age, 0.0) / half_life)
    return round(1.0 / (d["weight"] * recency), 6)



class CostBook:
    """Tie costs and solved chain DAGs shared by a loop over cohorts, each cohort at its own date.

    A matrix of every tie's cost (:class:`TieCosts` of the whole network) is
    built once per as-of date that at least :data:`SHARED_COSTS_MIN_COHORTS`
    cohorts share (with one date given for all, that is one matrix, as
    before); a cohort whose date few others share gets the ties among its own
    providers only, as :func:`referral_pathways` does. Either way a tie costs
    the same, so the results equal one call per cohort.
    """

    def __init__(self, H: nx.Graph, half_life: float, cohorts_per_date: Counter) -> None:
        self.H, self.half_life, self.cohorts_per_date = H, half_life, cohorts_per_date
        self.shared: dict[dt.date | None, TieCosts] = {}
        self.solved: dict[tuple, tuple] = {}
        """(as_of, provider layers, k) -> (best chains' agencies, disjoint chains, critical providers) of the DAGs solved so far."""

    def costs(self, as_of: dt.date | None, agencies: set[str]) -> TieCosts:
        """The tie costs for a cohort at ``as_of`` whose providers are ``agencies``."""
        if self.cohorts_per_date[as_of] < SHARED_COSTS_MIN_COHORTS:
            return TieCosts(self.H, as_of, self.half_life, agencies=agencies)
        found = self.shared.get(as_of)
        if found is None:
            found = self.shared[as_of] = TieCosts(self.H, as_of, self.half_life)
        return found


class TieCosts:
    """The hand-off cost of every tie of a coordination network, in millionths, as a sparse matrix.

    ``matrix[i, j] - 1`` is the micro-cost (an exact int, so equal costs
    compare equal) of the tie from the agency at ``position[a] = i`` to the
    one at ``j`` (both ways for an undirected network); the stored value is
    shifted by one so that no tie is an implicit zero. Built once for a loop
    over cohorts; with ``agencies`` only the ties among them are kept (one
    cohort's providers). Agencies not in the network share a last, empty row.
    """

    def __init__(self, H: nx.Graph, as_of: dt.date | None, half_life: float, agencies: Iterable[str] | None = None) -> None:
        nodes = list(H) if agencies is None else sorted(set(agencies))
        self.position = {a: i for i, a in enumerate(nodes)}
        self.missing = len(nodes)
        pos = self.position
        memo: dict[tuple[Any, Any], int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        if agencies is None:
            edges = H.edges(data=True)
        else:
            # NetworkX's own adjacency: a Python call per key through the public views is the slow part
            succ = H._succ if H.is_directed() else H._adj
            edges = ((a, b, d) for a in nodes if a in succ for b, d in succ[a].items() if b in pos)
        for a, b, d in edges:
            if a == b:
                continue  # the same provider continuing costs nothing, tie or not
            key = (d["weight"], d.get("last_contact"))
            c = memo.get(key)
            if c is None:
                c = memo[key] = round(tie_cost(d, as_of, half_life) * 1_000_000) + 1
            rows.append(pos[a])
            cols.append(pos[b])
            vals.append(c)
        if agencies is None and not H.is_directed():
            rows, cols = rows + cols, cols + rows
            vals = vals + vals
        n = len(nodes) + 1
        # each (row, col) occurs once: an undirected network's edges are listed once and mirrored here,
        # or (for a subset) met once from each end of its adjacency
        matrix = sparse.csr_matrix(
            (np.array(vals, dtype=np.int64), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(n, n)
        )
        # the raw CSR arrays: one cohort's submatrices are a few numpy gathers, where scipy's indexing
        # checks every call, which at national scale (thousands of cohorts) cost more than the gathers
        self.indptr = matrix.indptr.astype(np.int64)
        self.indices = matrix.indices.astype(np.int64)
        self.data = matrix.data
        self._local = np.full(n, -1, dtype=np.int64)  # scratch: network position -> place in a layer

    def positions(self, agencies: tuple[str, ...]) -> np.ndarray:
        """The network positions of ``agencies`` (those outside the network: the shared empty row)."""
        return np.array([self.position.get(a, self.missing) for a in agencies], dtype=np.int64)

    def between(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ties from the agencies at ``rows`` to those at ``cols`` (positions).

        ``cols`` repeats no position except the shared one of agencies outside
        the network, whose row and column are empty.

        Returns ``(i, j, micro_cost)`` with ``i`` an index into ``rows`` and
        ``j`` into ``cols``, in row order.
        """
        start, stop = self.indptr[rows], self.indptr[rows + 1]
        length = stop - start
        i = np.repeat(np.arange(len(rows)), length)
        at = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length) + np.repeat(start, length)
        local = self._local
        local[cols] = np.arange(len(cols))
        j = local[self.indices[at]]
        local[cols] = -1
        hit = j >= 0
        return i[hit], j[hit], self.data[at[hit]] - 1
