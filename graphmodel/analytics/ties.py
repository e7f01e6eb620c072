"""Missing and stale coordination ties.

*Missing ties*: two agencies working with the same cohort or in the same
region, measured by the Jaccard overlap of what they serve, that share no
meeting, programme, cooperation or PART_OF tie in a time window.
*Stale ties*: tied agencies whose last dated contact is older than N years.

References
----------
.. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone.
   New Phytologist, 11(2), 37-50 (the overlap |A & B| / |A | B|).
.. [2] Provan, K. G., & Kenis, P. (2008). Modes of network governance.
   Journal of Public Administration Research and Theory, 18(2), 229-252
   (why overlapping service providers need coordination ties).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.dates import subtract_years, years_between
from graphmodel.analytics.findings import EvidenceRef, Finding, dedupe
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.network import coordination_network
from graphmodel.errors import AnalyticsError

__all__ = [
    "BLOCK_SHARED_TOKENS", "MissingTie", "StaleTie", "count_missing_ties", "missing_ties", "missing_ties_and_total", "service_footprints", "stale_ties",
]


@dataclass(frozen=True, slots=True)
class MissingTie(Finding):
    """Two agencies serving overlapping cohorts or regions with no coordination tie in the window."""

    agency_a: str
    agency_b: str
    name_a: str
    name_b: str
    overlap: float
    shared_cohorts: tuple[str, ...]
    shared_regions: tuple[str, ...]
    reasons: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


@dataclass(frozen=True, slots=True)
class StaleTie(Finding):
    """A coordination tie whose last dated contact is older than the threshold."""

    agency_a: str
    agency_b: str
    name_a: str
    name_b: str
    last_contact: dt.date
    age_years: float
    reasons: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


def service_footprints(G: nx.MultiDiGraph | Analysis) -> dict[str, dict[str, tuple[EvidenceRef, ...]]]:
    """What each agency serves: ``{agency: {"cohort:<id>" | "region:<id>": evidence}}``.

    An agency's footprint holds each cohort it ``SERVES``, funds or implements
    a programme for, or shelters in a facility it operates, and each region
    where it does so (the cohort's regions, or a programme's target regions).
    Only reported (or inferred) activity counts: an agency that only plans or
    hopes to serve a cohort does not serve it yet.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis` of it.

    Returns
    -------
    dict
        Agency id -> ``{"cohort:<id>" | "region:<id>": evidence}``, for agencies that serve anything.

    See Also
    --------
    missing_ties : the pairs whose footprints overlap without a tie.

    References
    ----------
    .. [1] The project's ``docs/findings.md``, "The status of a fact": only
       reported and inferred activity counts as delivered.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> G.add_node("iom", label="Agency", name="IOM", kind="other", level="regency_city")
    >>> _ = G.add_edge("iom", "c", key="SERVES:health", type="SERVES", service="health",
    ...                evidence=[{"source": "s", "quote": "q"}])
    >>> list(service_footprints(G)["iom"])
    ['cohort:c']
    """
    return _footprints(Analysis.of(G).index)


def _footprints(ix: GraphIndex) -> dict[str, dict[str, tuple[EvidenceRef, ...]]]:
    found: dict[str, dict[str, list[EvidenceRef]]] = defaultdict(lambda: defaultdict(list))
    for p in ix.provisions:
        if p.pending:
            continue
        if p.cohort:
            found[p.agency][f"cohort:{p.cohort}"].extend(p.evidence)
        for r in p.regions:
            found[p.agency][f"region:{r}"].extend(p.evidence)
    return {a: {k: dedupe(v) for k, v in items.items()} for a, items in found.items()}


def _label(ix: GraphIndex, token: str) -> str:
    kind, node = token.split(":", 1)
    return f"{kind} {ix.name(node)}"


def missing_ties(
    G: nx.MultiDiGraph | Analysis,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_overlap: float = 0.0,
    *,
    top: int | None = None,
) -> list[MissingTie]:
    """Pairs of agencies that serve the same cohorts or regions but have no coordination tie.

    The footprint ``F(a)`` of an agency is the set of cohorts it serves and
    regions it serves in (:func:`service_footprints`; funding counts). A pair
    ``(a, b)`` is reported when ``F(a) & F(b)`` is not empty, its Jaccard
    overlap ``|F(a) & F(b)| / |F(a) | F(b)|`` exceeds ``min_overlap``, and
    the :func:`~graphmodel.analytics.network.coordination_network` for
    ``[since, until]`` has no edge between them (no shared meeting, no shared
    programme, no ``COOPERATES_WITH``, no ``PART_OF``). Agencies of the same
    organisation (one ``PART_OF`` the other, directly or through a common
    parent) are not reported: their coordination is internal.

    On a national graph there are about as many such pairs as agencies times
    the agencies they share a region with (a million at 100,000 nodes):
    ``top`` keeps only the best ``top`` of the ranking, and the findings
    (explanations, evidence) are built for those only.
    :func:`count_missing_ties` gives the total. The shared cohorts and regions
    of every pair are counted at once as the sparse product ``F F^T`` of the
    agency-by-footprint incidence matrix, in blocks of agencies (29 million
    pairs at 500,000 nodes).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index, and without a window its coordination network,
        are then used).
    since, until : datetime.date, optional
        The window of the ties, as in
        :func:`~graphmodel.analytics.network.coordination_network`.
    min_overlap : float
        Report only pairs whose overlap exceeds this (0 to 1).
    top : int, optional
        Keep only the best ``top`` pairs (all when None).

    Returns
    -------
    list of MissingTie
        Ranked by overlap (descending), then number of shared cohorts, then
        names. Each says what the two share, with the evidence of each
        agency's service there.

    See Also
    --------
    count_missing_ties, missing_ties_and_total, service_footprints

    References
    ----------
    .. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone.
       New Phytologist, 11(2), 37-50 (the overlap ``|A & B| / |A | B|``).
    .. [2] Provan, K. G., & Kenis, P. (2008). Modes of network governance.
       Journal of Public Administration Research and Theory, 18(2), 229-252
       (why overlapping service providers need coordination ties).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> for a in ("iom", "rudenim"):
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="regency_city")
    >>> ev = [{"source": "s", "quote": "pengungsi"}]
    >>> _ = G.add_edge("iom", "c", key="SERVES:basic_needs_cash", type="SERVES", service="basic_needs_cash", evidence=ev)
    >>> _ = G.add_edge("rudenim", "c", key="SERVES:shelter", type="SERVES", service="shelter", evidence=ev)
    >>> [(t.agency_a, t.agency_b, t.overlap) for t in missing_ties(G)]
    [('iom', 'rudenim', 1.0)]
    """
    return missing_ties_and_total(G, since, until, min_overlap, top=top)[0]


def count_missing_ties(
    G: nx.MultiDiGraph | Analysis, since: dt.date | None = None, until: dt.date | None = None, min_overlap: float = 0.0,
) -> int:
    """How many pairs :func:`missing_ties` finds (without building the findings).

    Parameters
    ----------
    G, since, until, min_overlap
        As in :func:`missing_ties`.

    Returns
    -------
    int
        The number of agency pairs that serve the same cohorts or regions without a tie.

    See Also
    --------
    missing_ties, missing_ties_and_total

    References
    ----------
    .. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone.
       New Phytologist, 11(2), 37-50.

    Examples
    --------
    >>> import networkx as nx
    >>> count_missing_ties(nx.MultiDiGraph())
    0
    """
    return missing_ties_and_total(G, since, until, min_overlap, top=0)[1]


def missing_ties_and_total(
    G: nx.MultiDiGraph | Analysis,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_overlap: float = 0.0,
    *,
    top: int | None = None,
) -> tuple[list[MissingTie], int]:
    """The best ``top`` missing ties (all when None) and how many there are in all, in one pass.

    Parameters
    ----------
    G, since, until, min_overlap, top
        As in :func:`missing_ties`.

    Returns
    -------
    tuple
        ``(missing_ties(...), count_missing_ties(...))``, without counting
        the pairs twice.

    Raises
    ------
    AnalyticsError
        If ``min_overlap`` is not between 0 and 1 or ``top`` is negative.

    See Also
    --------
    missing_ties, count_missing_ties

    References
    ----------
    .. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone.
       New Phytologist, 11(2), 37-50.

    Examples
    --------
    >>> import networkx as nx
    >>> missing_ties_and_total(nx.MultiDiGraph(), top=5)
    ([], 0)
    """
    if not 0.0 <= min_overlap <= 1.0:
        raise AnalyticsError(f"min_overlap must be between 0 and 1, got {min_overlap}")
    if top is not None and top < 0:
        raise AnalyticsError(f"top must be at least 0, got {top}")
    A = Analysis.of(G)
    ix = A.index
    H = A.network if since is None and until is None else coordination_network(A, since, until)
    feet = _footprints(ix)
    agencies = sorted(feet)
    n = len(agencies)
    if n < 2:
        return [], 0
    position = {a: i for i, a in enumerate(agencies)}
    # who serves what: agencies x footprint tokens, and the same for cohort tokens only
    token_ids: dict[str, int] = {}
    rows, cols = [], []
    for i, a in enumerate(agencies):
        for token in feet[a]:
            rows.append(i)
            cols.append(token_ids.setdefault(token, len(token_ids)))
    serves = _incidence(rows, cols, n, len(token_ids))
    is_cohort = np.array([t.startswith("cohort:") for t in token_ids], dtype=bool)
    serves_cohort = serves[:, np.flatnonzero(is_cohort)]
    sizes = np.diff(serves.indptr).astype(np.int64)
    # organisations: an agency and what it is part of; two agencies of one organisation are not "missing" a tie
    org_ids: dict[str, int] = {}
    rows, cols = [], []
    for i, a in enumerate(agencies):
        for org in {a, *ix.part_of_chain(a)}:
            rows.append(i)
            cols.append(org_ids.setdefault(org, len(org_ids)))
    organisation = _incidence(rows, cols, n, len(org_ids))
    # ties: (i, j) is tied when agencies[j] is a neighbour of agencies[i] in the network
    adj = H._adj  # NetworkX's own dicts: one pass over every tie
    rows, cols = [], []
    for a, nbrs in adj.items():
        row = position.get(a)
        if row is not None:
            for b in nbrs:
                col = position.get(b)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
    tied = _incidence(rows, cols, n, n)
    # the name order of the ranking as ints (equal names share a rank; ids break the tie)
    names = [ix.name(a) for a in agencies]
    name_rank = np.empty(n, dtype=np.int64)
    ordered = sorted(range(n), key=names.__getitem__)
    rank = 0
    for k, i in enumerate(ordered):
        if k and names[i] != names[ordered[k - 1]]:
            rank = k
        name_rank[i] = rank

    total = 0
    pool: list[np.ndarray] = []  # columns: -overlap (rounded, in 1/10,000), -shared cohorts, name ranks, i, j
    kept = 0
    for lo, hi in _row_blocks(serves, BLOCK_SHARED_TOKENS):
        shared = (serves[lo:hi] @ serves.T).tocoo()
        i, j, count = shared.row.astype(np.int64) + lo, shared.col.astype(np.int64), shared.data.astype(np.int64)
        upper = j > i
        i, j, count = i[upper], j[upper], count[upper]
        keep = ~_holds(tied[lo:hi], lo, i, j) & ~_holds(organisation[lo:hi] @ organisation.T, lo, i, j)
        i, j, count = i[keep], j[keep], count[keep]
        overlap = count / (sizes[i] + sizes[j] - count)
        keep = overlap > min_overlap
        i, j, count, overlap = i[keep], j[keep], count[keep], overlap[keep]
        total += len(i)
        if top == 0 or not len(i):
            continue
        cohorts = _values_at(serves_cohort[lo:hi] @ serves_cohort.T, lo, i, j)
        block = np.column_stack([-_round4(overlap), -cohorts, name_rank[i], name_rank[j], i, j])
        pool.append(block)
        kept += len(block)
        if top is not None and kept > 4 * top:
            best = _best(np.concatenate(pool), top)
            pool, kept = [best], len(best)
    ranked = _best(np.concatenate(pool), top) if pool else np.zeros((0, 6), dtype=np.int64)
    window = _window_text(since, until)
    found = []
    for *_, i, j in ranked.tolist():
        a, b = agencies[i], agencies[j]
        shared_tokens = len(feet[a].keys() & feet[b].keys())
        overlap = shared_tokens / (len(feet[a]) + len(feet[b]) - shared_tokens)
        found.append(_missing_tie(ix, feet, a, b, overlap, window))
    return found, total


BLOCK_SHARED_TOKENS = 20_000_000
"""Agency pairs with a shared token produced per block of rows (bounds the memory of one sparse product)."""


def _incidence(rows: list[int], cols: list[int], n_rows: int, n_cols: int) -> sparse.csr_matrix:
    data = np.ones(len(rows), dtype=np.int64)
    m = sparse.csr_matrix((data, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(n_rows, n_cols))
    m.data[:] = 1  # a repeated (row, col) counts once
    return m


def _row_blocks(m: sparse.csr_matrix, budget: int) -> list[tuple[int, int]]:
    """Row ranges whose product with ``m.T`` holds at most about ``budget`` entries.

    A row's product is bounded by the sum, over its columns, of the column's
    entries: the rows that share a token with it.
    """
    column_sizes = np.bincount(m.indices, minlength=m.shape[1])
    per_row = np.add.reduceat(column_sizes[m.indices], m.indptr[:-1]) if m.nnz else np.zeros(m.shape[0], dtype=np.int64)
    per_row[np.diff(m.indptr) == 0] = 0  # reduceat repeats the next value for empty rows
    blocks, lo, acc = [], 0, 0
    for r, cost in enumerate(per_row.tolist()):
        if acc and acc + cost > budget:
            blocks.append((lo, r))
            lo, acc = r, 0
        acc += cost
    blocks.append((lo, m.shape[0]))
    return blocks


def _holds(block: sparse.spmatrix, lo: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether each pair ``(i[k], j[k])`` is an entry of ``block`` (rows from ``lo``)."""
    coo = block.tocoo()
    width = block.shape[1]
    stored = np.sort((coo.row.astype(np.int64) + lo) * width + coo.col)
    return np.isin(i * width + j, stored, assume_unique=False)


def _values_at(block: sparse.spmatrix, lo: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``block[i - lo, j]`` for each pair (0 where nothing is stored)."""
    coo = block.tocoo()
    width = block.shape[1]
    codes = (coo.row.astype(np.int64) + lo) * width + coo.col
    order = np.argsort(codes)
    codes, values = codes[order], coo.data[order].astype(np.int64)
    if not len(codes):
        return np.zeros(len(i), dtype=np.int64)
    wanted = i * width + j
    at = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
    return np.where(codes[at] == wanted, values[at], 0)


def _round4(overlap: np.ndarray) -> np.ndarray:
    """``round(x, 4)`` as Python rounds each float (in 1/10,000, an int), for an array.

    ``rint(x * 10,000)`` agrees with Python's correctly rounded ``round``
    except when ``x * 10,000`` lands next to a half, where the product's own
    rounding can decide; those few are rounded by Python.
    """
    scaled = overlap * 10_000
    out = np.rint(scaled).astype(np.int64)
    near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    if near.any():
        out[near] = [round(round(x, 4) * 10_000) for x in overlap[near].tolist()]
    return out


def _best(rows: np.ndarray, top: int | None) -> np.ndarray:
    """The first ``top`` rows (all when None) in the order of their columns, first column first."""
    order = np.lexsort(rows.T[::-1])
    return rows[order if top is None else order[:top]]


def _missing_tie(ix: GraphIndex, feet: dict, a: str, b: str, overlap: float, window: str) -> MissingTie:
    shared = feet[a].keys() & feet[b].keys()
    cohorts = tuple(sorted(t.split(":", 1)[1] for t in shared if t.startswith("cohort:")))
    regions = tuple(sorted(t.split(":", 1)[1] for t in shared if t.startswith("region:")))
    reasons = tuple(f"both serve {_label(ix, t)}" for t in sorted(shared))
    evidence = dedupe(e for t in sorted(shared) for x in (a, b) for e in feet[x][t])
    what = ", ".join(ix.name(c) for c in cohorts) or ", ".join(ix.name(r) for r in regions)
    explanation = (
        f"{ix.name(a)} and {ix.name(b)} both serve {what} (overlap {overlap:.2f}) "
        f"but share no meeting, programme, cooperation or PART_OF tie{window}."
    )
    return MissingTie(
        a, b, ix.name(a), ix.name(b), round(overlap, 4), cohorts, regions, reasons, explanation, evidence,
        round(0.3 + 0.4 * overlap, 4),
    )


def _window_text(since: dt.date | None, until: dt.date | None) -> str:
    if since and until:
        return f" between {since.isoformat()} and {until.isoformat()}"
    if since:
        return f" since {since.isoformat()}"
    if until:
        return f" up to {until.isoformat()}"
    return ""


def stale_ties(G: nx.MultiDiGraph | Analysis, as_of: dt.date, years: float = 5) -> list[StaleTie]:
    """Coordination ties whose last dated contact is more than ``years`` before ``as_of``.

    The last contact of a tie is the latest date among its shared meetings
    (``end_date`` or ``date``), ``COOPERATES_WITH`` ``last_seen`` and shared
    programmes' ``end`` or ``start``. A tie is stale when that date is before
    ``as_of`` minus ``years`` calendar years. Ties with no dated contact
    (undated cooperation) cannot be judged, and ties inside one organisation
    (PART_OF, directly or through a common parent) do not lapse; neither is
    reported.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index and coordination network are then used).
    as_of : datetime.date
        The reference date ("now"); :func:`~graphmodel.analytics.graph_as_of`
        gives the latest date recorded in ``G``.
    years : float
        Age threshold in years (> 0).

    Returns
    -------
    list of StaleTie
        Oldest first.

    See Also
    --------
    missing_ties, graphmodel.analytics.dates.graph_as_of

    References
    ----------
    .. [1] The project's ``docs/findings.md``, "Caveats on network findings"
       (Time): a stale tie gives the last *recorded* contact, not the last time
       the agencies met.
    .. [2] Provan, K. G., & Kenis, P. (2008). Modes of network governance.
       Journal of Public Administration Research and Theory, 18(2), 229-252.

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in ("pemko", "iom"):
    ...     G.add_node(a, label="Agency", name=a, kind="other", level="regency_city")
    >>> ev = [{"source": "s", "quote": "kerja sama"}]
    >>> _ = G.add_edge("pemko", "iom", key="COOPERATES_WITH", type="COOPERATES_WITH",
    ...                last_seen=dt.date(2016, 10, 1), evidence=ev)
    >>> [(t.agency_a, t.agency_b, t.age_years) for t in stale_ties(G, dt.date(2024, 9, 11), years=5)]
    [('iom', 'pemko', 7.95)]
    """
    if years <= 0:
        raise AnalyticsError(f"years must be positive, got {years}")
    cutoff = subtract_years(as_of, years)
    A = Analysis.of(G)
    ix, H = A.index, A.network
    found: list[StaleTie] = []
    for a, b in sorted(tuple(sorted(e)) for e in H.edges()):
        d = H.edges[a, b]
        last = d.get("last_contact")
        if last is None or last >= cutoff or d["part_of"] or ix.same_organisation(a, b):
            continue
        age = round(years_between(last, as_of), 2)
        na, nb = H.nodes[a]["name"], H.nodes[b]["name"]
        explanation = (
            f"The last recorded contact between {na} and {nb} was {last.isoformat()}, "
            f"{age:.1f} years before {as_of.isoformat()} (threshold {years:g} years): {'; '.join(d['reasons'])}."
        )
        score = 0.3 + min(age - years, 10) / 100
        found.append(StaleTie(a, b, na, nb, last, age, tuple(d["reasons"]), explanation, d["evidence"], round(score, 4)))
    found.sort(key=lambda t: (t.last_contact, t.name_a, t.name_b))
    return found
