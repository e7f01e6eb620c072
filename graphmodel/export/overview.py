"""The main job's pictures: ``overview.png``, ``overview.svg`` and ``network.html``.

All three are meant for sharing, so they are redacted
(:func:`graphmodel.export.common.redact_graph`).

Up to :data:`OVERVIEW_MAX_NODES` drawn nodes (people and sources are not
drawn) they show the whole graph. A bigger graph drawn whole is a hairball
that says nothing and a page of hundreds of megabytes, so above that they
show :func:`top_agencies_view`: the :data:`TOP_AGENCIES` agencies with the
most partners in the coordination network, their ties and the regions they
work in, and say so in the title.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphmodel.export import ExportFormat, export_graph
from graphmodel.export.common import Highlight, as_of_text, reference_date
from graphmodel.model.schema import NodeLabel, RelType

if TYPE_CHECKING:
    from graphmodel.analytics import Analysis

__all__ = ["write_overview", "top_agencies_view", "OVERVIEW_FILES", "OVERVIEW_MAX_NODES", "TOP_AGENCIES", "TIE_TYPE"]

OVERVIEW_FILES = {"overview.png": ExportFormat.PNG, "overview.svg": ExportFormat.SVG, "network.html": ExportFormat.HTML}

OVERVIEW_MAX_NODES = 300
"""Above this many drawn nodes the overview shows the top agencies, not the whole graph."""

TOP_AGENCIES = 40
"""How many agencies the overview of a big graph shows."""

TOP_CENTRAL = 14
"""Of those, at most this many national and international ones: the hubs would otherwise fill the view
(and the centre disc) and hide every province."""

TIES_PER_AGENCY = 3
"""The view keeps each shown agency's strongest ties to other shown agencies (all would be a grey blot:
the national agencies are tied to nearly everyone)."""

TIE_TYPE = "COORDINATION_TIE"
"""Edge type of a coordination-network tie in the top-agencies view (not a seed relationship)."""

_HIDDEN = frozenset({NodeLabel.PERSON.value, NodeLabel.SOURCE.value})
_CENTRAL_LEVELS = frozenset({"national", "international"})
_PLACED_BY = frozenset({RelType.HAS_JURISDICTION.value, RelType.LOCATED_IN.value})


def write_overview(
    G: nx.MultiDiGraph | Analysis, out_dir: Path | str, highlight: Any = None, *, as_of: dt.date | None = None,
) -> list[Path]:
    """Write the overview diagram (PNG, SVG) and the interactive page into ``out_dir``.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.Analysis` of
        it: a big graph's overview needs its coordination network, which an
        ``Analysis`` that has one shares (built here otherwise).
    out_dir : path
        The folder to write ``overview.png``, ``overview.svg`` and ``network.html`` into.
    highlight : optional
        Node ids and (from, to) pairs to emphasise, or a
        :class:`~graphmodel.export.common.Highlight`, e.g. from
        :func:`graphmodel.export.overlays.gap_highlight`.
    as_of : datetime.date, optional
        The reference date the three print, when the caller has it
        (``Analysis.index.latest_date()``); default
        :func:`graphmodel.export.common.reference_date`, the date the report uses.

    Returns
    -------
    list of Path
        The paths written.

    See Also
    --------
    top_agencies_view : what a big graph's overview shows.
    """
    out_dir = Path(out_dir)
    graph = G if isinstance(G, nx.Graph) else G.G
    if as_of is None:
        as_of = reference_date(graph)
    drawn = sum(1 for _, label in graph.nodes(data="label") if label not in _HIDDEN)
    if drawn > OVERVIEW_MAX_NODES:
        return _write_top_agencies(G, out_dir, highlight, as_of)
    written: list[Path] = []
    for name, fmt in OVERVIEW_FILES.items():
        written += export_graph(graph, fmt, out_dir / name, highlight=highlight, as_of=as_of)
    return written


def top_agencies_view(G: nx.MultiDiGraph | Analysis, n: int | None = None) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """The ``n`` (default :data:`TOP_AGENCIES`) most connected agencies of the coordination network, as a small graph.

    Agencies are ranked by their number of partners in
    :func:`graphmodel.analytics.network.coordination_network` (ties by total
    tie weight, then name); at most :data:`TOP_CENTRAL` of the ``n`` are
    national or international, the rest provincial or local. The view holds
    those agencies; the regions they
    have jurisdiction over or are located in, with the regions above them (so
    each is drawn in its province's sector); every recorded relationship among
    these nodes; and one :data:`TIE_TYPE` edge (``derived``, with the tie's
    ``weight``) for each of the :data:`TIES_PER_AGENCY` strongest ties of each
    agency to another of the agencies.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.Analysis` of
        it (whose coordination network is then used).
    n : int, optional
        How many agencies to show.

    Returns
    -------
    tuple
        ``(view, counts)``; ``counts`` has ``agencies`` (in ``G``), ``shown``
        (agencies in the view), ``central`` (national and international ones
        among them), ``nodes`` (in ``G``, people and sources included) and
        ``left_out`` (nodes of ``G`` not in the view).

    See Also
    --------
    write_overview
    """
    from graphmodel.analytics.analysis import Analysis

    A = Analysis.of(G)
    graph, H = A.G, A.network
    n = TOP_AGENCIES if n is None else n
    agencies = [a for a, label in graph.nodes(data="label") if label == NodeLabel.AGENCY]
    rank = {a: (-H.degree(a), -H.degree(a, weight="weight")) if a in H else (0, 0.0) for a in agencies}
    ranked = sorted(agencies, key=lambda a: (*rank[a], str(graph.nodes[a].get("name", a)), a))
    central = [a for a in ranked if graph.nodes[a].get("level") in _CENTRAL_LEVELS]
    local = [a for a in ranked if graph.nodes[a].get("level") not in _CENTRAL_LEVELS]
    n_central = min(len(central), TOP_CENTRAL, n)
    n_central = max(n_central, n - len(local))  # too few local agencies: fill up with central ones
    chosen = set(central[:n_central]) | set(local[: n - n_central])
    top = [a for a in ranked if a in chosen]
    keep = set(top)
    for a in top:
        for _, r, d in graph.out_edges(a, data=True):
            if d.get("type") in _PLACED_BY:
                while r is not None and r in graph and r not in keep and graph.nodes[r].get("label") == NodeLabel.REGION:
                    keep.add(r)
                    r = graph.nodes[r].get("parent")
    V = nx.MultiDiGraph()
    V.graph.update(graph.graph)
    V.add_nodes_from((v, dict(graph.nodes[v])) for v in sorted(keep))
    for u in sorted(keep):
        for v, by_key in graph.adj[u].items():
            if v in keep:
                for k, d in by_key.items():
                    V.add_edge(u, v, key=k, **d)
    shown = set(top)
    ties: dict[tuple[str, str], float] = {}
    for a in top:
        if a not in H:
            continue
        mine = sorted(((float(d.get("weight", 1.0)), b) for b, d in H[a].items() if b in shown and b != a), key=lambda t: (-t[0], t[1]))
        for weight, b in mine[:TIES_PER_AGENCY]:
            ties[(min(a, b), max(a, b))] = weight
    for (a, b), weight in sorted(ties.items()):
        V.add_edge(a, b, key=TIE_TYPE, type=TIE_TYPE, derived=True, weight=round(weight, 3))
    counts = {"agencies": len(agencies), "shown": len(top), "central": n_central, "nodes": graph.number_of_nodes(), "left_out": graph.number_of_nodes() - len(keep)}
    return V, counts


def _write_top_agencies(G: nx.MultiDiGraph | Analysis, out_dir: Path, highlight: Any, as_of: dt.date | None) -> list[Path]:
    from graphmodel.export.common import prepare
    from graphmodel.export.diagram import write_diagram
    from graphmodel.export.html import write_html
    from graphmodel.util.output import atomic_write

    V, c = top_agencies_view(G)
    hl = Highlight.of(highlight)
    hl = Highlight(frozenset(v for v in hl.nodes if v in V),
                   frozenset(e for e in hl.edges if e[0] in V and e[1] in V), hl.reasons)
    data, hl = prepare(V, redact=True, highlight=hl)
    title = f"Stakeholder coordination graph: the {c['shown']} most connected of {c['agencies']:,} agencies"
    what = (f"the {c['central']} national and international and {c['shown'] - c['central']} provincial and local agencies "
            f"with the most coordination partners, and each one's strongest ties; {c['left_out']:,} of {c['nodes']:,} nodes not shown")
    subtitle = f"{what} · {as_of_text(as_of)}"
    notes = [f"Lines: each agency's {TIES_PER_AGENCY} strongest", "  coordination ties (shared meetings or",
             "  programmes, cooperation, part of)", "  and recorded relationships."]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fmt in OVERVIEW_FILES.items():
        path = out_dir / name
        with atomic_write(path) as tmp:
            if fmt is ExportFormat.HTML:
                write_html(data, tmp, highlight=hl, title=title, description=what[:1].upper() + what[1:], as_of=as_of)
            else:
                write_diagram(data, tmp, fmt=fmt.value, title=title, subtitle=subtitle, highlight=hl, extra_notes=notes,
                              hidden_labels={NodeLabel.REGION.value})
        written.append(path)
    return written
