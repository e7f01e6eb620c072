r"""One self-contained interactive HTML page of the graph (Cytoscape.js, inlined).

The page needs no network: the vendored Cytoscape.js (see ``vendor/VERSION.md``)
and the page's own script are inlined, and a Content-Security-Policy meta
allows exactly those two scripts (by their sha256 hashes) and nothing to be
fetched. It offers a search box, filters by node type, province and time,
a details panel (properties and evidence quotes, source id + quote) on click,
and a toggle for the highlighted gaps.

Each link carries its ``status`` (reported, planned, hoped, inferred) and is
drawn in its status's line style (:data:`graphmodel.export.common.STATUS_STYLE`:
planned dashed, hoped dotted, inferred dash-dot), with a "Links" legend entry
for each status present; the details panel names the status. A meeting dated
only by an upper bound shows ``≤ date``. The header prints the reference date,
the one the report uses (:func:`graphmodel.export.common.reference_date`).

Escaping: the graph is embedded as JSON in ``<script type="application/json">``
with ``<``, ``>`` and ``&`` (and U+2028/U+2029) written as ``\u003c`` etc.,
so no value can close the script element; the page renders every value with
``textContent``, never ``innerHTML``. A name such as
``<img src=x onerror=alert(1)>`` shows as text.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from graphmodel.export.common import (
    NODE_STYLE,
    STATUS_STYLE,
    Highlight,
    as_of_text,
    edge_element_id,
    edge_interval,
    edge_status,
    json_safe,
    meeting_date_text,
    node_interval,
    short_label,
    style_of,
)
from graphmodel.export.diagram import diagram_layout, province_sectors
from graphmodel.model.schema import NodeLabel

__all__ = ["write_html", "network_document", "script_json", "CYTOSCAPE_VERSION"]

CYTOSCAPE_VERSION = "3.34.4"
_SCALE = 110.0  # layout units -> Cytoscape pixels


def script_json(value: Any) -> str:
    r"""JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators.

    >>> script_json({"name": "</script><b>&"})
    '{"name": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def network_document(
    G: nx.MultiDiGraph, *, highlight: Highlight | None = None, title: str = "", description: str = "",
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The data the page shows: nodes with preset positions, edges with their status, types, statuses, provinces."""
    hl = highlight or Highlight()
    pos, _ = diagram_layout(G)
    province = province_sectors(G, sorted(G.nodes))
    nodes = []
    for n, d in G.nodes(data=True):
        start, end = node_interval(d)
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({
            "data": {
                "id": n,
                "type": d.get("label"),
                "name": str(d.get("name", n)),
                "short": short_label(G, n),
                "province": province.get(n) or "",
                "start": _iso(start),
                "end": _iso(end),
                "deg": G.degree(n),
                "highlight": n in hl.nodes,
                "reason": (hl.reasons or {}).get(n, ""),
                "props": json_safe({k: v for k, v in d.items() if k not in {"evidence"}}),
                "evidence": json_safe(d.get("evidence") or []),
                "when": meeting_date_text(d) if d.get("label") == NodeLabel.MEETING else "",
            },
            "position": {"x": round(x * _SCALE, 1), "y": round(-y * _SCALE, 1)},
        })
    edges = []
    statuses: set[str] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        start, end = edge_interval(G, u, v, d)
        status = edge_status(d)
        statuses.add(status)
        edges.append({
            "data": {
                "id": edge_element_id(u, k, v),
                "source": u,
                "target": v,
                "type": d.get("type", k),
                "status": status,
                "derived": bool(d.get("derived")),
                "start": _iso(start),
                "end": _iso(end),
                "highlight": hl.has_edge(u, v),
                "props": json_safe({kk: vv for kk, vv in d.items() if kk not in {"evidence"}}),
                "evidence": json_safe(d.get("evidence") or []),
            }
        })
    provinces = sorted(
        ({"id": p, "name": str(G.nodes[p].get("name", p))} for p in set(province.values()) if p),
        key=lambda r: r["name"],
    )
    types = [
        {"id": str(label), "title": s.title, "colour": s.colour, "shape": s.cy_shape,
         "count": sum(1 for _, d in G.nodes(data=True) if d.get("label") == str(label))}
        for label, s in NODE_STYLE.items()
    ]
    return {
        "title": title,
        "description": description,
        "asOf": as_of.isoformat() if as_of else None,
        "asOfText": as_of_text(as_of),
        # the legend's entries: the statuses present, strongest first, each with its dash pattern
        "statuses": [{"id": st, "title": style.title, "dashes": list(style.dashes)}
                     for st, style in STATUS_STYLE.items() if st in statuses],
        "redacted": bool(G.graph.get("redacted")),
        "nodes": nodes,
        "edges": edges,
        "types": [t for t in types if t["count"]],
        "hiddenTypes": ["Person", "Source"],
        "provinces": provinces,
        "styles": {t: {"colour": style_of(t).colour, "shape": style_of(t).cy_shape} for t in NODE_STYLE},
    }


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def write_html(G: nx.MultiDiGraph, path: Path | str, *, highlight: Highlight | None = None,
               title: str = "Stakeholder coordination graph", description: str = "", as_of: dt.date | None = None) -> Path:
    """Write the interactive page (one file, no network access needed).

    ``as_of``: the reference date the header prints (see
    :func:`graphmodel.export.common.reference_date`); ``None`` says no source is dated.
    """
    path = Path(path)
    here = resources.files("graphmodel.export")
    vendor = here.joinpath("vendor", "cytoscape.min.js").read_text(encoding="utf-8")
    app_js = here.joinpath("network.js").read_text(encoding="utf-8")
    env = Environment(loader=PackageLoader("graphmodel.export", "templates"), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("network.html.j2")
    doc = network_document(G, highlight=highlight, title=title, description=description, as_of=as_of)
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vendor)} {_csp_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'"
    )
    html = template.render(
        title=title,
        description=description,
        csp=Markup(csp),  # our own constant text and hashes, no data
        vendor_js=Markup(vendor),
        app_js=Markup(app_js),
        data_json=Markup(script_json(doc)),
        cytoscape_version=CYTOSCAPE_VERSION,
        as_of_text=doc["asOfText"],
        redacted=doc["redacted"],
    )
    path.write_text(html, encoding="utf-8")
    return path
