"""What to highlight in the diagrams and the interactive page: coordination gaps and single points of failure.

:func:`gap_highlight` uses :func:`graphmodel.analytics.coordination_gaps` when
the analytics package is importable: the cohorts with a mandate or coverage
gap, the agencies that are single points of failure (articulation points,
single providers) and the ties that are bridges. Without it, it falls back to
the articulation points of the recorded (not derived) relationships between
agencies, cohorts, programmes, meetings, facilities and regions: the actors
whose removal splits the network.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphmodel.export.common import Highlight
from graphmodel.model.schema import NodeLabel

if TYPE_CHECKING:
    from graphmodel.analytics import Analysis

__all__ = ["gap_highlight", "articulation_highlight"]

_GAP_SUBJECT = {"mandate": NodeLabel.MIGRANT_COHORT.value, "coverage": NodeLabel.MIGRANT_COHORT.value}


def articulation_highlight(G: nx.MultiDiGraph) -> Highlight:
    """Agencies whose removal disconnects the recorded network (no analytics needed).

    >>> G = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     G.add_node(n, label="Agency", name=n)
    >>> _ = G.add_edge("a", "b", type="COOPERATES_WITH"), G.add_edge("b", "c", type="COOPERATES_WITH")
    >>> sorted(articulation_highlight(G).nodes)
    ['b']
    """
    skip = {NodeLabel.PERSON.value, NodeLabel.SOURCE.value}
    U = nx.Graph()
    U.add_nodes_from(n for n, d in G.nodes(data=True) if d.get("label") not in skip)
    U.add_edges_from((u, v) for u, v, d in G.edges(data=True) if not d.get("derived") and u in U and v in U and u != v)
    points = {n for n in nx.articulation_points(U) if G.nodes[n].get("label") == NodeLabel.AGENCY}
    reasons = {n: "single point of failure: removing it splits the network" for n in points}
    return Highlight(frozenset(points), frozenset(), reasons)


def gap_highlight(G: nx.MultiDiGraph | Analysis, *, gaps: list[Any] | None = None) -> Highlight:
    """Gaps and single points of failure of ``G`` as a :class:`Highlight` (see the module docstring).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.Analysis` of
        it (whose index and coordination network the gaps are then found on).
    gaps : list of CoordinationGap, optional
        The ranked ``coordination_gaps(G)`` when the caller has them (the
        main job ranks them once for the overview and the report).

    Returns
    -------
    Highlight
        The cohorts and agencies to emphasise, with the reason for each, and
        the bridge ties.

    See Also
    --------
    articulation_highlight : without the analytics.
    graphmodel.analytics.coordination_gaps

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n in "xyz":
    ...     G.add_node(n, label="Agency", name=n.upper(), kind="other", level="national")
    >>> ev = [{"source": "s", "quote": "kerja sama"}]
    >>> _ = G.add_edge("x", "y", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=ev)
    >>> _ = G.add_edge("y", "z", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=ev)
    >>> sorted(gap_highlight(G).nodes), sorted(gap_highlight(G).edges)
    (['y'], [('x', 'y'), ('y', 'z')])
    """
    graph = G if isinstance(G, nx.Graph) else G.G
    if gaps is None:
        try:
            from graphmodel.analytics import coordination_gaps
        except ImportError:
            return articulation_highlight(G)
        # missing ties are not drawn: the strongest are enough to rank, and far cheaper on a national graph
        gaps = coordination_gaps(G, top_missing_ties=0)
    titles: dict[str, list[str]] = defaultdict(list)
    edges: set[tuple[str, str]] = set()
    for gap in gaps:
        subjects = [s for s in getattr(gap, "subjects", ()) if s in graph]
        kind, subkind = getattr(gap, "kind", ""), getattr(gap, "subkind", "")
        if kind in _GAP_SUBJECT:
            chosen = [s for s in subjects if graph.nodes[s].get("label") == _GAP_SUBJECT[kind]][:1]
        elif kind == "spof" and subkind == "bridge" and len(subjects) == 2:
            edges.add((subjects[0], subjects[1]))
            chosen = []
        elif kind == "spof":
            chosen = [s for s in subjects if graph.nodes[s].get("label") == NodeLabel.AGENCY]
        else:  # missing and stale ties: shown in the report, too many to draw
            chosen = []
        for s in chosen:
            titles[s].append(str(getattr(gap, "title", kind)))
    reasons = {n: (ts[0] if len(ts) == 1 else f"{len(ts)} gaps, first: {ts[0]}") for n, ts in titles.items()}
    return Highlight(frozenset(titles), frozenset(edges), reasons)
