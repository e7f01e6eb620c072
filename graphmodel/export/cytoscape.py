"""Cytoscape.js JSON: ``{"elements": {"nodes": [{"data": ...}], "edges": [{"data": ...}]}}``.

The same shape as :func:`networkx.cytoscape_data` and Cytoscape desktop's
``.cyjs`` files. Node ``data`` carries the graph's own attributes (``id``,
``label`` = node type, ``name`` ...) plus ``short`` (a display label),
``colour``, ``shape``, ``start``/``end`` (see
:func:`graphmodel.export.common.node_interval`) and ``highlight``. Edge
``data`` carries ``id`` (``from--KEY--to``), ``source``, ``target``, ``key``,
``type`` and the edge's attributes. Values are JSON: dates as ISO text,
evidence as a list of ``{source, quote}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from graphmodel.export.common import (
    Highlight,
    edge_element_id,
    edge_interval,
    json_safe,
    node_interval,
    short_label,
    style_of,
)

__all__ = ["cytoscape_elements", "write_cytoscape_json"]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def cytoscape_elements(G: nx.MultiDiGraph, *, highlight: Highlight | None = None) -> dict[str, list[dict[str, Any]]]:
    """The ``elements`` object of ``G`` for Cytoscape.js."""
    hl = highlight or Highlight()
    nodes = []
    for n, d in G.nodes(data=True):
        style = style_of(d.get("label"))
        start, end = node_interval(d)
        data = json_safe(d) | {
            "id": n,
            "short": short_label(G, n),
            "colour": style.colour,
            "shape": style.cy_shape,
            "start": _iso(start),
            "end": _iso(end),
            "highlight": n in hl.nodes,
        }
        if hl.reasons and n in hl.reasons:
            data["highlight_reason"] = hl.reasons[n]
        nodes.append({"data": {k: v for k, v in data.items() if v is not None}})
    edges = []
    for u, v, k, d in G.edges(keys=True, data=True):
        start, end = edge_interval(G, u, v, d)
        data = json_safe(d) | {
            "id": edge_element_id(u, k, v),
            "source": u,
            "target": v,
            "key": k,
            "start": _iso(start),
            "end": _iso(end),
            "highlight": hl.has_edge(u, v),
        }
        edges.append({"data": {kk: vv for kk, vv in data.items() if vv is not None}})
    return {"nodes": nodes, "edges": edges}


def write_cytoscape_json(G: nx.MultiDiGraph, path: Path | str, *, highlight: Highlight | None = None, description: str = "") -> Path:
    """Write ``G`` as Cytoscape.js JSON (UTF-8, one document)."""
    path = Path(path)
    document = {
        "format_version": "1.0",
        "generated_by": "graphmodel",
        "target_cytoscapejs_version": "~3.34",
        "data": {"name": G.graph.get("name", "graphmodel"), "description": description, "redacted": bool(G.graph.get("redacted"))},
        "elements": cytoscape_elements(G, highlight=highlight),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False), encoding="utf-8")
    return path
