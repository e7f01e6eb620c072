"""Static diagrams (PNG, SVG) of the graph for briefings, drawn with matplotlib (Agg).

Layout: "where" is the angle and "which level" the distance from the centre.
National and international actors (IOM, ministries, directorates, national
programmes and laws) sit in the centre disc, international ones innermost.
Around it, one shaded sector per province holds everything placed there: the
province and its provincial agencies on the inner ring, regencies and cities
and their agencies further out, meetings and programmes between them, and the
migrant cohorts and facilities on the outer ring, near the regions they are
linked to. People and sources are hidden unless asked for.

Labels are acronyms, short aliases or abbreviated names
(:func:`graphmodel.export.common.short_label`), set outward from their node
and pushed apart until no two overlap; a label moved far from its node gets a
thin leader line.

Highlighted nodes (coordination gaps, single points of failure) get a thick
red ring, highlighted edges a thick red line, with a legend entry.

How a tie is known (:data:`graphmodel.export.common.STATUS_STYLE`): a line
is solid when a relationship joining the pair is reported, dash-dot when the
best is the curator's inference, dashed when it is only planned, dotted when
only hoped for; the legend has an entry for each status drawn. A meeting
known only to have happened on or before its date (``date_precision:
no_later_than``) is a hollow marker, its label reads ``≤ date``. In the SVG,
each line's group has the id ``tie--<from>--<to>--<status>``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Wedge

from graphmodel.export.common import (
    STATUS_STYLE,
    Highlight,
    as_of_text,
    edge_status,
    pair_status,
    short_label,
    style_of,
)
from graphmodel.export.labels import place_labels, repel_labels
from graphmodel.model.schema import ActivityStatus, DatePrecision, NodeLabel, RelType
from graphmodel.util.escaping import MATPLOTLIB_TEXT_RC, matplotlib_text

__all__ = ["diagram_layout", "draw_diagram", "write_diagram", "province_sectors", "default_subtitle", "FIGSIZE", "DPI"]

FIGSIZE = (16.0, 32.0 / 3.0)
DPI = 150
"""PNG size: 16 x 10.67 in at 150 dpi = 2400 x 1600 px."""

HIGHLIGHT_COLOUR = "#D7191C"
HIDDEN_BY_DEFAULT = frozenset({NodeLabel.PERSON.value, NodeLabel.SOURCE.value})

# ring radius of each kind of node inside a province's sector
_R_CENTRE = 2.05  # the centre disc
_R_PROVINCE = 2.55
_R_PROVINCIAL_AGENCY = 3.0
_R_MEETING_PROGRAMME = 3.5
_R_LOCAL_REGION = 3.95
_R_LOCAL_AGENCY = 4.5
_R_OUTER = 5.1
_R_PERSON = 5.55
_R_RIM = 5.8

_LEVEL_RADIUS = {"international": 0.0, "national": 1.3}
_REGION_LINKS = {RelType.HAS_JURISDICTION, RelType.LOCATED_IN, RelType.HOSTS_COHORT, RelType.TARGETS}


def _province_of_region(G: nx.MultiDiGraph, region: str) -> str | None:
    seen = set()
    while region and region not in seen:
        seen.add(region)
        attrs = G.nodes[region] if region in G else {}
        kind = attrs.get("kind")
        if kind == "province":
            return region
        if kind == "country" or not attrs:
            return None
        region = str(attrs.get("parent") or "")
    return None


def _is_central(d: dict[str, Any]) -> bool:
    label = d.get("label")
    if label == NodeLabel.AGENCY:
        return d.get("level") in {"international", "national"}
    if label == NodeLabel.REGION:
        return d.get("kind") == "country"
    return label == NodeLabel.LEGAL_INSTRUMENT


def province_sectors(G: nx.MultiDiGraph, nodes: list[str]) -> dict[str, str | None]:
    """The province each node is drawn in (``None``: the centre disc).

    A region lies in its own province; another node in the province of the
    regions it is linked to (jurisdiction, location, cohort, target), by
    majority; a node with no region of its own goes where most of its
    neighbours are. National and international actors go to the centre.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph.
    nodes : list of str
        The nodes to place.

    Returns
    -------
    dict
        Node id -> province node id, or ``None`` for the centre.

    See Also
    --------
    diagram_layout : the positions drawn in these sectors.
    """
    province: dict[str, str | None] = {}
    undecided = []
    for n in nodes:
        d = G.nodes[n]
        if _is_central(d):
            province[n] = None
        elif d.get("label") == NodeLabel.REGION:
            province[n] = _province_of_region(G, n)
        else:
            votes: Counter = Counter()
            for a, b, e in list(G.out_edges(n, data=True)) + list(G.in_edges(n, data=True)):
                other = b if a == n else a
                if e.get("type") in _REGION_LINKS and G.nodes[other].get("label") == NodeLabel.REGION:
                    votes[_province_of_region(G, other)] += 1
            votes.pop(None, None)
            if votes:
                province[n] = votes.most_common(1)[0][0]
            else:
                undecided.append(n)
    # nodes with no region of their own go where most of their neighbours are
    for _ in range(3):
        still = []
        for n in undecided:
            votes = Counter(
                province[m] for m in nx.all_neighbors(G, n)
                if m in province and G.nodes[m].get("label") not in HIDDEN_BY_DEFAULT
            )
            if votes:
                best, count = votes.most_common(1)[0]
                province[n] = best if count * 2 > sum(votes.values()) else None
            else:
                still.append(n)
        undecided = still
    for n in undecided:
        province[n] = None
    return province


def _ring(d: dict[str, Any], central: bool) -> float:
    label = d.get("label")
    if central:
        if label == NodeLabel.AGENCY:
            return _LEVEL_RADIUS.get(d.get("level", ""), 1.3)
        if label == NodeLabel.REGION:
            return 0.6
        return 1.8
    if label == NodeLabel.REGION:
        return _R_PROVINCE if d.get("kind") == "province" else _R_LOCAL_REGION
    if label == NodeLabel.AGENCY:
        return _R_PROVINCIAL_AGENCY if d.get("level") == "provincial" else _R_LOCAL_AGENCY
    if label in {NodeLabel.MEETING, NodeLabel.PROGRAMME}:
        return _R_MEETING_PROGRAMME
    if label == NodeLabel.PERSON:
        return _R_PERSON
    return _R_OUTER


def diagram_layout(G: nx.MultiDiGraph, nodes: list[str] | None = None) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Positions of ``nodes`` (default: all) and the angular span of each province's sector.

    Returns ``(pos, sectors)`` with ``sectors[province] = (start, end)`` in radians.
    """
    nodes = sorted(nodes if nodes is not None else G.nodes)
    province = province_sectors(G, nodes)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if province[n] is not None:
            groups[province[n]].append(n)  # type: ignore[index]
    pos: dict[str, tuple[float, float]] = {}

    # sectors: width by the number of nodes on the sector's busiest ring, provinces in name order
    names = sorted(groups, key=lambda p: str(G.nodes[p].get("name", p)) if p in G else p)
    weight = {}
    for p in names:
        rings = Counter(_ring(G.nodes[n], False) for n in groups[p])
        weight[p] = max(1.0, 0.6 * max(rings.values(), default=1) + 0.25 * len(groups[p]))
    total = sum(weight.values()) or 1.0
    sectors: dict[str, tuple[float, float]] = {}
    angle = math.pi / 2 + (math.pi * weight[names[0]] / total if names else 0.0)  # first sector centred at the top
    for p in names:
        span = 2 * math.pi * weight[p] / total
        sectors[p] = (angle - span, angle)
        angle -= span

    desired: dict[str, float] = {}
    for p in names:
        lo, hi = sectors[p]
        by_ring: dict[float, list[str]] = defaultdict(list)
        for n in groups[p]:
            by_ring[_ring(G.nodes[n], False)].append(n)
        # regions first (their order anchors the rest), then rings outward by how they link to regions
        order = sorted(by_ring, key=lambda r: (0 if any(G.nodes[n].get("label") == NodeLabel.REGION for n in by_ring[r]) else 1, r))
        for r in order:
            ring_nodes = by_ring[r]
            for n in ring_nodes:
                anchors = [desired[m] for m in nx.all_neighbors(G, n) if m in desired and m != n]
                desired.setdefault(n, float(np.mean(anchors)) if anchors else (lo + hi) / 2)
            ring_nodes.sort(key=lambda n: (-desired[n], str(G.nodes[n].get("name", n))))
            margin = min(0.12, (hi - lo) * 0.08)
            k = len(ring_nodes)
            for i, n in enumerate(ring_nodes):
                theta = hi - margin - (hi - lo - 2 * margin) * ((i + 0.5) / k)
                desired[n] = theta
                pos[n] = (r * math.cos(theta), r * math.sin(theta))

    centre = [n for n in nodes if province[n] is None]
    by_ring = defaultdict(list)
    for n in centre:
        by_ring[_ring(G.nodes[n], True)].append(n)
    for r, ring_nodes in sorted(by_ring.items()):
        ring_nodes.sort(key=lambda n: (str(G.nodes[n].get("label")), str(G.nodes[n].get("name", n))))
        k = len(ring_nodes)
        if r == 0.0:
            for i, n in enumerate(ring_nodes):
                pos[n] = (0.35 * (i - (k - 1) / 2), 0.0)
            continue
        offset = math.pi / 2 + (0.3 if r > 1.5 else 0.0)
        for i, n in enumerate(ring_nodes):
            theta = offset - 2 * math.pi * i / k
            pos[n] = (r * math.cos(theta), r * math.sin(theta))
    return pos, sectors


def _pairs(H: nx.MultiDiGraph) -> dict[tuple[str, str], tuple[int, str]]:
    """Each connected pair of nodes (in sorted order): how many relationships join it and the status it is drawn with."""
    statuses: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u, v, d in H.edges(data=True):
        if u != v:
            statuses[(u, v) if u <= v else (v, u)].append(edge_status(d))
    return {pair: (len(found), pair_status(found)) for pair, found in statuses.items()}


def _status_handles(present: Collection[str]) -> list[Line2D]:
    """Legend lines for the statuses drawn, in :data:`STATUS_STYLE` order; a reported-only graph keeps one line."""
    if set(present) <= {ActivityStatus.REPORTED.value}:
        return [Line2D([], [], color="#8C8C8C", linewidth=1.2, label="Relationship (wider: several)")]
    return [
        Line2D([], [], color="#8C8C8C" if status == ActivityStatus.REPORTED else "#4D4D4D", linewidth=1.4,
               linestyle=style.mpl, label=style.title + (" (wider: several)" if status == ActivityStatus.REPORTED else ""))
        for status, style in STATUS_STYLE.items() if status in present
    ]


def _dated_no_later_than(attrs: dict[str, Any]) -> bool:
    return attrs.get("label") == NodeLabel.MEETING and attrs.get("date_precision") == DatePrecision.NO_LATER_THAN


def _marker_area(degree: int) -> float:
    return 70.0 + 14.0 * min(degree, 14)


def _visible_nodes(G: nx.MultiDiGraph, include_people: bool, include_sources: bool) -> list[str]:
    hidden = set()
    if not include_people:
        hidden.add(NodeLabel.PERSON.value)
    if not include_sources:
        hidden.add(NodeLabel.SOURCE.value)
    return [n for n, d in G.nodes(data=True) if d.get("label") not in hidden]


def draw_diagram(
    G: nx.MultiDiGraph,
    *,
    title: str = "Stakeholder coordination graph",
    subtitle: str = "",
    highlight: Highlight | None = None,
    include_people: bool = False,
    include_sources: bool = False,
    extra_notes: Sequence[str] = (),
    hidden_labels: Collection[str] = (),
) -> plt.Figure:
    """The diagram of ``G`` as a matplotlib figure (2400 x 1600 px at :data:`DPI`).

    ``extra_notes``: lines added to the notes under the legend. ``hidden_labels``:
    node types not drawn (regions still place nodes in their province's sector).
    Every text (names, title, subtitle, notes) is drawn literally, through
    :func:`graphmodel.util.escaping.matplotlib_text`: a ``$`` is not maths.
    """
    hl = highlight or Highlight()
    nodes = [n for n in _visible_nodes(G, include_people, include_sources) if G.nodes[n].get("label") not in hidden_labels]
    H = G.subgraph(nodes)
    pos, sectors = diagram_layout(G, nodes)

    fig = plt.figure(figsize=FIGSIZE, dpi=DPI, facecolor="white")
    ax = fig.add_axes((0.005, 0.01, 0.76, 0.88))
    ax.set_aspect("equal")
    ax.axis("off")
    extent = 6.3
    ax.set_xlim(-extent * 1.02, extent * 1.02)
    ax.set_ylim(-extent * 0.99, extent * 0.99)

    # province sectors, shaded, with the province's name at the rim
    shades = ["#F4F4F4", "#E9EEF4"]
    rim_texts = []
    for i, (p, (lo, hi)) in enumerate(sectors.items()):
        ax.add_patch(Wedge((0, 0), _R_RIM, math.degrees(lo), math.degrees(hi), width=_R_RIM - _R_CENTRE - 0.1,
                           facecolor=shades[i % 2], edgecolor="white", linewidth=2, zorder=0))
        mid = (lo + hi) / 2
        name = str(G.nodes[p].get("name", p)) if p in G else p
        cx, cy = math.cos(mid), math.sin(mid)
        ha = "left" if cx > 0.2 else "right" if cx < -0.2 else "center"
        va = "bottom" if cy > 0.2 else "top" if cy < -0.2 else "center"
        rim_texts.append(ax.text((_R_RIM + 0.1) * cx, (_R_RIM + 0.1) * cy, matplotlib_text(name), ha=ha, va=va,
                                 fontsize=10.5, color="#4D4D4D", fontweight="bold", zorder=1))
    ax.add_patch(plt.Circle((0, 0), _R_CENTRE, facecolor="#FFF8E7", edgecolor="white", zorder=0))

    # edges: one line per connected pair, wider when several relationships join it, dashed or dotted
    # when nothing joins the pair but planned or hoped activity (see STATUS_STYLE)
    pairs = _pairs(H)
    for (u, v), (count, status) in pairs.items():
        (x0, y0), (x1, y1) = pos[u], pos[v]
        style = STATUS_STYLE.get(status, STATUS_STYLE[ActivityStatus.REPORTED])
        if hl.has_edge(u, v):
            line, = ax.plot([x0, x1], [y0, y1], color=HIGHLIGHT_COLOUR, linewidth=2.6, alpha=0.9, zorder=2,
                            solid_capstyle="round", linestyle=style.mpl)
        else:
            # a tie that is not (yet) delivered is drawn darker: dashes of the usual light grey would vanish
            colour, alpha = ("#8C8C8C", 0.45) if status == ActivityStatus.REPORTED else ("#4D4D4D", 0.8)
            line, = ax.plot([x0, x1], [y0, y1], color=colour, linewidth=0.5 + 0.35 * min(count, 4), alpha=alpha, zorder=1,
                            linestyle=style.mpl)
        line.set_gid(f"tie--{u}--{v}--{status}")  # the SVG group's id: which pair, drawn as which status

    degree = dict(H.degree())
    for label in sorted({H.nodes[n].get("label") for n in nodes}, key=str):
        members = [n for n in nodes if H.nodes[n].get("label") == label]
        node_style = style_of(label)
        # a meeting known only to have happened by a date (a later report's) is hollow: not a day on the map
        bounded = [n for n in members if _dated_no_later_than(H.nodes[n])]
        exact = [n for n in members if n not in set(bounded)]
        for group, fill, edge in ((exact, node_style.colour, "white"), (bounded, "white", node_style.colour)):
            if group:
                ax.scatter([pos[n][0] for n in group], [pos[n][1] for n in group],
                           s=[_marker_area(degree.get(n, 0)) for n in group], c=fill, marker=node_style.marker,
                           edgecolors=edge, linewidths=0.8 if fill != "white" else 1.8, zorder=3)
    gap_nodes = [n for n in nodes if n in hl.nodes]
    if gap_nodes:
        ax.scatter([pos[n][0] for n in gap_nodes], [pos[n][1] for n in gap_nodes],
                   s=[360 + 14 * min(degree.get(n, 0), 14) for n in gap_nodes], facecolors="none",
                   edgecolors=HIGHLIGHT_COLOUR, linewidths=2.4, zorder=4)

    # labels: each at the free side of its node (outward preferred), then pushed apart
    texts = []
    for n in nodes:
        d = H.nodes[n]
        weight = "bold" if d.get("label") in {NodeLabel.AGENCY, NodeLabel.MIGRANT_COHORT} else "normal"
        texts.append(ax.text(*pos[n], matplotlib_text(short_label(G, n)), fontsize=8.6, fontweight=weight,
                             color=HIGHLIGHT_COLOUR if n in hl.nodes else "#1A1A1A", zorder=6, linespacing=1.0,
                             bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.72}))
    fig.canvas.draw()
    anchors_px = ax.transData.transform(np.array([pos[n] for n in nodes])) if nodes else np.zeros((0, 2))
    # marker radius in pixels: scatter sizes are areas in points squared
    radii = np.array([math.sqrt(_marker_area(degree.get(n, 0))) / 2 * DPI / 72 + 2 for n in nodes])
    place_labels(ax, nodes, texts, anchors_px, radii, rim_texts)
    before = [ax.transData.transform(t.get_position()) for t in texts]
    repel_labels(ax, texts + rim_texts, anchors_px, radii)
    for n, t, b in zip(nodes, texts, before, strict=True):
        after = ax.transData.transform(t.get_position())
        if np.hypot(*(after - b)) > 10:
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # the Agg canvas matplotlib draws on
            box = t.get_window_extent(renderer)
            px, py = anchors_px[nodes.index(n)]
            # from the node to the nearest point of the label's box
            qx, qy = min(max(px, box.x0), box.x1), min(max(py, box.y0), box.y1)
            (x0, y0), (x1, y1) = ax.transData.inverted().transform([(px, py), (qx, qy)])
            ax.plot([x0, x1], [y0, y1], color="#6E6E6E", linewidth=0.6, alpha=0.9, zorder=5)

    # title, subtitle, legend
    fig.text(0.012, 0.965, matplotlib_text(title), fontsize=17, fontweight="bold", ha="left", va="center")
    if subtitle:
        fig.text(0.012, 0.928, matplotlib_text(subtitle), fontsize=10.5, color="#404040", ha="left", va="center")
    handles = []
    for label in [lab.value for lab in NodeLabel]:
        if any(H.nodes[n].get("label") == label for n in nodes):
            s = style_of(label)
            handles.append(Line2D([], [], marker=s.marker, linestyle="none", markersize=10, markerfacecolor=s.colour,
                                  markeredgecolor="white", label=s.title))
    handles += _status_handles({status for _, status in pairs.values()})
    if any(H.nodes[n].get("label") == NodeLabel.MEETING and H.nodes[n].get("date_precision") == DatePrecision.NO_LATER_THAN
           for n in nodes):
        s = style_of(NodeLabel.MEETING.value)
        handles.append(Line2D([], [], marker=s.marker, linestyle="none", markersize=10, markerfacecolor="white",
                              markeredgecolor=s.colour, markeredgewidth=1.8, label="Meeting on or before the date (≤)"))
    if hl:
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=13, markerfacecolor="none",
                              markeredgecolor=HIGHLIGHT_COLOUR, markeredgewidth=2.2, label="Gap / single point of failure"))
        if hl.edges:
            handles.append(Line2D([], [], color=HIGHLIGHT_COLOUR, linewidth=2.6, label="Highlighted link"))
    legend_ax = fig.add_axes((0.77, 0.30, 0.22, 0.60))
    legend_ax.axis("off")
    legend_ax.legend(handles=handles, loc="upper left", title="Node types", title_fontsize=12, fontsize=11,
                     frameon=False, labelspacing=0.9, alignment="left")
    notes = [
        "Centre (yellow): national and",
        "  international actors.",
        "Shaded sectors: provinces.",
        "Distance from centre: level:",
        "  international and national inside,",
        "  provincial, then regency / city,",
        "  cohorts and facilities outermost.",
        "Node size: number of relationships.",
    ]
    hidden = [w for w, shown in (("people", include_people), ("sources", include_sources)) if not shown]
    if hidden:
        notes.append(f"Not shown: {' and '.join(hidden)}.")
    notes += extra_notes
    fig.text(0.775, 0.27, matplotlib_text("\n".join(notes)), fontsize=10, color="#404040", va="top", ha="left",
             linespacing=1.5)
    return fig


def write_diagram(
    G: nx.MultiDiGraph,
    path: Path | str,
    *,
    fmt: str | None = None,
    title: str = "Stakeholder coordination graph",
    subtitle: str = "",
    highlight: Highlight | None = None,
    include_people: bool = False,
    include_sources: bool = False,
    extra_notes: Sequence[str] = (),
    hidden_labels: Collection[str] = (),
) -> Path:
    """Write the diagram as PNG (2400 x 1600 px) or SVG (text kept as text), by ``fmt`` or the suffix."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    rc: dict[Any, Any] = {"svg.fonttype": "none", "font.family": "DejaVu Sans", **MATPLOTLIB_TEXT_RC}
    with plt.rc_context(rc):
        fig = draw_diagram(G, title=title, subtitle=subtitle, highlight=highlight,
                           include_people=include_people, include_sources=include_sources, extra_notes=extra_notes, hidden_labels=hidden_labels)
        try:
            metadata = {"Title": title} if fmt == "svg" else {"Title": title, "Software": "graphmodel"}
            fig.savefig(path, format=fmt, dpi=DPI, metadata=metadata)
        finally:
            plt.close(fig)
    return path


def default_subtitle(G: nx.MultiDiGraph, description: str, as_of: dt.date | None = None) -> str:
    """``<filter> · as of <date> (...) · N actors ...`` for the diagram's second line.

    ``as_of``: the reference date (:func:`graphmodel.export.common.reference_date`
    of the whole graph, which the report uses too); ``None`` when no source is dated.
    """
    counts = Counter(d.get("label") for _, d in G.nodes(data=True))
    parts = [description, as_of_text(as_of),
             f"{counts.get('Agency', 0)} agencies, {counts.get('MigrantCohort', 0)} cohorts, {counts.get('Meeting', 0)} meetings"]
    if G.graph.get("redacted"):
        parts.append("personal names withheld")
    return " · ".join(parts)
