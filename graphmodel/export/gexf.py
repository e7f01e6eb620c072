"""GEXF 1.3 for Gephi: colours, shapes and sizes by type, declared attributes, time intervals.

The time intervals let Gephi's timeline play the meetings in order.

The graph is written with ``mode="dynamic"`` and ``timeformat="date"``.
Meetings exist on their day(s) (``start``/``end``), and so do the attendance,
hosting and discussion edges of a meeting; programmes from their start to
their end; a service (``SERVES``) from ``since``; a shelter count or an office
holding from ``as_of``. Everything else has no interval and is always shown.
See :func:`graphmodel.export.common.node_interval` and
:func:`~graphmodel.export.common.edge_interval`.

Every recorded edge has the attribute ``status`` (reported, planned, hoped,
inferred: how the source knows it); a planned edge is drawn ``dashed`` and a
hoped one ``dotted`` (``viz:shape``, GEXF's edge shapes), the others solid.
A meeting's ``date_precision`` is an attribute too: ``no_later_than`` means
its ``start`` is an upper bound, not the day.

Attribute values are GEXF scalars: lists and records (aliases, evidence ...)
are JSON text, dates ISO text. The node type is the attribute ``type`` (GEXF's
own ``label`` is the display name) and so is the relationship type of an edge.

References
----------
GEXF 1.3 primer, https://gexf.net/primer.html
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx
from lxml import etree

from graphmodel.export.common import (
    STATUS_STYLE,
    Highlight,
    edge_element_id,
    edge_interval,
    edge_status,
    node_interval,
    scalar_text,
    short_label,
    style_of,
)

__all__ = ["write_gexf", "GEXF_NS", "VIZ_NS"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# attributes GEXF carries elsewhere (the element's id, label, start and end)
_NODE_SKIP = {"id", "label"}
_EDGE_SKIP = {"id"}


def _gexf_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(scalar_text(value))


def _declare(parent: etree._Element, cls: str, items: list[dict[str, Any]], rename: dict[str, str]) -> dict[str, str]:
    values: dict[str, list[Any]] = {}
    for attrs in items:
        for key, value in attrs.items():
            if value is not None:
                values.setdefault(key, []).append(value)
    types = {key: _gexf_type(vals) for key, vals in values.items()}
    block = etree.SubElement(parent, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
    for key in sorted(types):
        etree.SubElement(block, f"{{{GEXF_NS}}}attribute", {"id": key, "title": rename.get(key, key), "type": types[key]})
    return types


def _attvalues(parent: etree._Element, attrs: dict[str, Any]) -> None:
    present = {k: v for k, v in attrs.items() if v is not None}
    if not present:
        return
    block = etree.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
    for key in sorted(present):
        etree.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": _text(present[key])})


def _interval(element: etree._Element, interval: tuple[dt.date | None, dt.date | None]) -> None:
    start, end = interval
    if start:
        element.set("start", start.isoformat())
    if end:
        element.set("end", end.isoformat())


def gexf_tree(G: nx.MultiDiGraph, *, highlight: Highlight | None = None, description: str = "") -> etree._ElementTree:
    """The GEXF document of ``G`` (already filtered and, for sharing, redacted)."""
    hl = highlight or Highlight()
    root = etree.Element(
        f"{{{GEXF_NS}}}gexf",
        nsmap={None: GEXF_NS, "viz": VIZ_NS, "xsi": XSI_NS},
        attrib={f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"},
    )
    meta = etree.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": dt.date.today().isoformat()})
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "graphmodel"
    etree.SubElement(meta, f"{{{GEXF_NS}}}description").text = description or "Stakeholder coordination graph"
    graph = etree.SubElement(
        root, f"{{{GEXF_NS}}}graph", {"mode": "dynamic", "defaultedgetype": "directed", "timeformat": "date"}
    )

    node_rows = []
    for n, d in G.nodes(data=True):
        row = {k: v for k, v in d.items() if k not in _NODE_SKIP}
        row["type"] = d.get("label")
        row["short_label"] = short_label(G, n, lines=3, width=40).replace("\n", " ")
        if n in hl.nodes:
            row["highlight"] = True
            if hl.reasons and n in hl.reasons:
                row["highlight_reason"] = hl.reasons[n]
        node_rows.append((n, d, row))
    edge_rows = []
    for u, v, k, d in G.edges(keys=True, data=True):
        row = {kk: vv for kk, vv in d.items() if kk not in _EDGE_SKIP}
        row["edge_key"] = k
        if hl.has_edge(u, v):
            row["highlight"] = True
        edge_rows.append((u, v, k, d, row))
    _declare(graph, "node", [r for _, _, r in node_rows], {})
    _declare(graph, "edge", [r for *_, r in edge_rows], {})

    nodes = etree.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    degree = dict(G.degree())
    for n, d, row in node_rows:
        el = etree.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": n, "label": str(d.get("name", n))})
        _interval(el, node_interval(d))
        _attvalues(el, row)
        style = style_of(d.get("label"))
        r, g, b = (230, 0, 0) if n in hl.nodes else style.rgb
        etree.SubElement(el, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
        etree.SubElement(el, f"{{{VIZ_NS}}}size", {"value": f"{6 + 2 * min(degree.get(n, 0), 12):.1f}"})
        etree.SubElement(el, f"{{{VIZ_NS}}}shape", {"value": style.gexf_shape})

    edges = etree.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for u, v, k, d, row in edge_rows:
        el = etree.SubElement(
            edges, f"{{{GEXF_NS}}}edge",
            {"id": edge_element_id(u, k, v), "source": u, "target": v, "kind": k, "label": str(d.get("type", k))},
        )
        _interval(el, edge_interval(G, u, v, d))
        _attvalues(el, row)
        if row.get("highlight"):
            etree.SubElement(el, f"{{{VIZ_NS}}}color", {"r": "230", "g": "0", "b": "0", "a": "1.0"})
            etree.SubElement(el, f"{{{VIZ_NS}}}thickness", {"value": "3.0"})
        shape = STATUS_STYLE[edge_status(d)].gexf_shape if edge_status(d) in STATUS_STYLE else None
        if shape:  # GEXF draws an edge without one solid
            etree.SubElement(el, f"{{{VIZ_NS}}}shape", {"value": shape})
    return etree.ElementTree(root)


def write_gexf(G: nx.MultiDiGraph, path: Path | str, *, highlight: Highlight | None = None, description: str = "") -> Path:
    """Write ``G`` as GEXF 1.3 (see the module docstring for intervals and attributes)."""
    path = Path(path)
    gexf_tree(G, highlight=highlight, description=description).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return path
