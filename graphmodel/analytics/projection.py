"""The projection of the evidence graph onto agencies, read from its :class:`GraphIndex`.

The builders behind :func:`~graphmodel.analytics.network.coordination_network`
and :func:`~graphmodel.analytics.network.coordination_digraph`, which take the
evidence graph (or an :class:`~graphmodel.analytics.analysis.Analysis` of it);
here they take the index, so that an ``Analysis`` can build its network from
the index it already has.

References
----------
.. [1] Borgatti, S. P., & Halgin, D. S. (2011). Analyzing affiliation
   networks. In The SAGE Handbook of Social Network Analysis (pp. 417-433).
   (Projecting two-mode affiliation data onto one mode.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import combinations

import networkx as nx

from graphmodel.analytics.findings import EvidenceRef, dedupe, evidence_of, fact_status
from graphmodel.analytics.index import GraphIndex
from graphmodel.graph import as_date
from graphmodel.model.schema import DELIVERING_STATUSES, NodeLabel, RelType

__all__ = ["DEFAULT_TIE_WEIGHTS", "project_digraph", "project_network"]

DEFAULT_TIE_WEIGHTS: Mapping[str, float] = {
    "meeting": 1.0,
    "programme": 1.0,
    "cooperates_with": 1.0,
    "part_of": 1.0,
}
"""Weight one tie of each kind adds to a pair: each shared meeting, each shared
programme, a recorded COOPERATES_WITH and a PART_OF link count 1 by default."""


def _in_window(start: dt.date | None, end: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether a dated interval overlaps [since, until]; undated facts count in every window."""
    if start is None and end is None:
        return True
    first, last = start or end, end or start
    assert first is not None and last is not None
    return (since is None or last >= since) and (until is None or first <= until)


# A tie being gathered is a list, not a dict (these positions): at national scale the projection adds
# millions of (pair, reason) facts, and list slots are cheaper to make and to reach than string keys.
_WEIGHT, _MEETINGS, _PROGRAMMES, _COOPERATES, _PART_OF, _REASONS, _DATES, _EVIDENCE = range(8)


def _finished(d: list, shared: dict[tuple, tuple]) -> dict:
    """A tie's final attributes, in a new dict built at its final size.

    Adding the three derived keys to the working dict (after dropping its
    ``dates``) made each of the hundreds of thousands of tie dicts outgrow its
    table and double it, for every tie of a national network. The keys keep the order they always had.

    Equal ``meetings``, ``programmes`` and ``reasons`` tuples are one object
    (``shared``): every pair of a meeting's participants that met only there
    has the same ones (at 500k nodes, 647k ties have 122k distinct meeting lists).
    """
    dates = sorted(d[_DATES])
    weight = d[_WEIGHT]
    meetings = tuple(sorted(set(d[_MEETINGS])))
    programmes = tuple(sorted(set(d[_PROGRAMMES])))
    reasons = tuple(dict.fromkeys(d[_REASONS]))
    return {
        "weight": weight,
        "meetings": shared.setdefault(meetings, meetings),
        "programmes": shared.setdefault(programmes, programmes),
        "cooperates": d[_COOPERATES],
        "part_of": d[_PART_OF],
        "reasons": shared.setdefault(reasons, reasons),
        "evidence": dedupe(d[_EVIDENCE]),
        "first_contact": dates[0] if dates else None,
        "last_contact": dates[-1] if dates else None,
        "distance": 1.0 / weight if weight > 0 else float("inf"),
    }


def _add(ties: dict[tuple[str, str], list], a: str, b: str, kind: str, weight: float, reason: str,
         evidence: tuple[EvidenceRef, ...], dates: list[dt.date], item: str | None = None) -> None:
    """Add one reason to the tie (a, b), kept in a plain list (see _WEIGHT ...) until the projection is built.

    A dict keyed by pair, not ``H.has_edge``/``H.edges[a, b]``: at national
    scale (two million ties from a decade of meetings) NetworkX's views cost
    a Python call per lookup and were most of the projection's time.
    ``dates`` holds no None (:func:`_ties` gives only the dates a fact has).
    """
    if a == b:
        return
    d = ties.get((a, b))
    if d is None:
        d = ties[a, b] = [0.0, [], [], False, False, [], [], []]
    d[_WEIGHT] += weight
    d[_REASONS].append(reason)
    d[_EVIDENCE] += evidence
    d[_DATES] += dates
    if kind == "meeting" and item:
        d[_MEETINGS].append(item)
    elif kind == "programme" and item:
        d[_PROGRAMMES].append(item)
    elif kind == "cooperates_with":
        d[_COOPERATES] = True
    elif kind == "part_of":
        d[_PART_OF] = True


def _agency_nodes(H: nx.Graph | nx.DiGraph, ix: GraphIndex) -> None:
    for a in ix.agencies():
        H.add_node(a, name=ix.name(a), kind=ix.attr(a, "kind"), level=ix.attr(a, "level"))


def _ties(ix: GraphIndex, since: dt.date | None, until: dt.date | None, *, evidence: bool = True):
    """Every tie the projections use: (kind, participants, directed pairs, reason, evidence, dates, item).

    With ``evidence=False`` the meetings' evidence is left empty (for the attribute-free digraph).
    """
    for meeting in ix.nodes(NodeLabel.MEETING):  # in id order
        start, end = ix.meeting_dates(meeting)
        if not _in_window(start, end, since, until):
            continue
        parts = ix.meeting_participants(meeting, evidence=evidence)
        if not parts:
            continue
        when = start.isoformat() if start else "undated"
        conveners = [p.agency for p in parts if p.role == "host"]
        pairs: list[tuple[str, str]] = []
        if conveners:
            for p in parts:
                for c in conveners:
                    if p.agency != c:
                        pairs.append((c, p.agency))
                        if p.role == "visitor":
                            pairs.append((p.agency, c))
        else:
            pairs = [(p.agency, q.agency) for p in parts for q in parts if p.agency != q.agency]
        ev = {p.agency: p.evidence for p in parts}
        yield ("meeting", [p.agency for p in parts], pairs, f"met at {ix.name(meeting)} ({when})", ev, [d for d in (start, end) if d], meeting)
    for programme, parts in sorted(ix.programme_participation.items()):
        start, end = ix.programme_dates(programme)
        if not _in_window(start, end, since, until):
            continue
        funders = [p.agency for p in parts if "funder" in p.role]
        implementers = [p.agency for p in parts if "implementer" in p.role]
        supported = [p.agency for p in parts if p.role == "supported"]
        pairs = [(f, i) for f in funders for i in implementers if f != i]
        pairs += [(x, s) for x in dict.fromkeys(funders + implementers) for s in supported if x != s]
        ev = {p.agency: p.evidence for p in parts}
        yield ("programme", [p.agency for p in parts], pairs, f"both take part in programme {ix.name(programme)}", ev, [d for d in (start, end) if d], programme)
    for u, v, d in ix.edges(RelType.COOPERATES_WITH):
        if not (ix.is_agency(u) and ix.is_agency(v)) or fact_status(d) not in DELIVERING_STATUSES:
            continue  # a cooperation only planned or hoped for is not a tie yet
        seen = as_date(d.get("last_seen"))
        if not _in_window(seen, seen, since, until):
            continue
        label = f"COOPERATES_WITH (last seen {seen.isoformat()})" if seen else "COOPERATES_WITH (undated)"
        tie_ev = evidence_of(d, f"COOPERATES_WITH {u} -> {v}")
        yield ("cooperates_with", [u, v], [(u, v), (v, u)], label, {u: tie_ev, v: ()}, [seen] if seen else [], None)
    for u, v, d in ix.edges(RelType.PART_OF):
        if not (ix.is_agency(u) and ix.is_agency(v)):
            continue
        tie_ev = evidence_of(d, f"PART_OF {u} -> {v}")
        yield ("part_of", [u, v], [(u, v), (v, u)], f"{ix.name(u)} is part of {ix.name(v)}", {u: tie_ev, v: ()}, [], None)


def project_network(
    ix: GraphIndex,
    since: dt.date | None = None,
    until: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
) -> nx.Graph:
    """The undirected coordination network of the graph that ``ix`` indexes.

    What :func:`~graphmodel.analytics.network.coordination_network` returns
    (its parameters and attributes), built from an index the caller has.

    See Also
    --------
    graphmodel.analytics.network.coordination_network

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in ("x", "y"):
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="national")
    >>> _ = G.add_edge("x", "y", key="PART_OF", type="PART_OF", evidence=[{"source": "s", "quote": "bagian"}])
    >>> project_network(GraphIndex(G)).edges["x", "y"]["reasons"]
    ('X is part of Y',)
    """
    w = {**DEFAULT_TIE_WEIGHTS, **(weights or {})}
    H = nx.Graph(name="coordination network")
    _agency_nodes(H, ix)
    ties: dict[tuple[str, str], list] = {}
    for kind, members, _, reason, ev, dates, item in _ties(ix, since, until):
        weight = w[kind]
        for a, b in combinations(sorted(set(members)), 2):
            _add(ties, a, b, kind, weight, reason, ev.get(a, ()) + ev.get(b, ()), dates, item)
    # in the order the ties were first met; each working dict goes as its final one is made (no second copy of all)
    shared: dict[tuple, tuple] = {}
    H.add_edges_from((a, b, _finished(ties.pop((a, b)), shared)) for a, b in list(ties))
    return H


def project_digraph(
    ix: GraphIndex,
    since: dt.date | None = None,
    until: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    attributes: bool = True,
) -> nx.DiGraph:
    """The directed coordination network of the graph that ``ix`` indexes.

    What :func:`~graphmodel.analytics.network.coordination_digraph` returns
    (its parameters and attributes), built from an index the caller has.

    See Also
    --------
    graphmodel.analytics.network.coordination_digraph

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in ("donor", "ngo"):
    ...     G.add_node(a, label="Agency", name=a, kind="other", level="national")
    >>> G.add_node("p", label="Programme", name="Kits")
    >>> _ = G.add_edge("donor", "p", key="FUNDS", type="FUNDS", evidence=[{"source": "s", "quote": "dana"}])
    >>> _ = G.add_edge("ngo", "p", key="IMPLEMENTS", type="IMPLEMENTS", evidence=[{"source": "s", "quote": "kits"}])
    >>> sorted(project_digraph(GraphIndex(G), attributes=False).edges())
    [('donor', 'ngo')]
    """
    w = {**DEFAULT_TIE_WEIGHTS, **(weights or {})}
    D = nx.DiGraph(name="directed coordination network")
    _agency_nodes(D, ix)
    if not attributes:
        # the same pairs, in the order _add would first meet them
        D.add_edges_from(dict.fromkeys((a, b) for _, _, pairs, *_ in _ties(ix, since, until, evidence=False) for a, b in pairs if a != b))
        return D
    ties: dict[tuple[str, str], list] = {}
    for kind, _, pairs, reason, ev, dates, item in _ties(ix, since, until):
        for a, b in dict.fromkeys(pairs):
            _add(ties, a, b, kind, w[kind], reason, ev.get(a, ()) + ev.get(b, ()), dates, item)
    shared: dict[tuple, tuple] = {}
    D.add_edges_from((a, b, _finished(ties.pop((a, b)), shared)) for a, b in list(ties))
    return D
