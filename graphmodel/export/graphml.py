"""GraphML for yEd, Gephi, Cytoscape and igraph, written and read back without loss.

GraphML attributes are scalars, so list- and record-valued fields (aliases,
evidence, money ...) are written as JSON text and dates as ISO 8601 text;
:func:`read_graphml` turns them back, so
``read_graphml(write_graphml(G))`` has the same nodes, edges and attributes.

The file is valid against the GraphML 1.0 XML schema: key ids are unique
(``d0``, ``d1`` ...; readers go by ``attr.name``) and so are edge ids,
``from--KEY--to`` (see :func:`graphmodel.export.common.edge_element_id`),
from which :func:`read_graphml` recovers the MultiDiGraph key.

References
----------
GraphML Primer, http://graphml.graphdrawing.org/primer/graphml-primer.html
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriterLxml, IncrementalElement

from graphmodel.export.common import edge_element_id, key_from_edge_element_id
from graphmodel.schema import NODE_MODELS, REL_MODELS

__all__ = ["write_graphml", "read_graphml", "JSON_FIELDS"]


def _json_fields() -> frozenset[str]:
    """Fields whose values are lists or records, found from the schema's annotations."""
    names: set[str] = {"evidence"}
    for model in [*NODE_MODELS.values(), *REL_MODELS.values()]:
        for name, info in model.model_fields.items():
            text = str(info.annotation)
            if "tuple" in text or "Money" in text or "Quantity" in text:
                names.add(name)
    return frozenset(names)


JSON_FIELDS = _json_fields()
"""Attributes stored as JSON text in GraphML."""


def _encode(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if key in JSON_FIELDS:
            out[key] = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
        elif isinstance(value, (dt.date, dt.datetime)):
            out[key] = value.isoformat()
        elif isinstance(value, (list, dict)):
            out[key] = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
        else:
            out[key] = value
    return out


def _decode(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: (json.loads(v) if k in JSON_FIELDS and isinstance(v, str) else v) for k, v in attrs.items()}


def graphml_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are all GraphML scalars."""
    H = nx.MultiDiGraph(name=G.graph.get("name", "graphmodel"))
    for n, attrs in G.nodes(data=True):
        H.add_node(n, **_encode(attrs))
    for u, v, k, attrs in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=edge_element_id(u, k, v), **_encode(attrs))
    return H


def _encoded_type(key: str, value: Any) -> type:
    """The Python type :func:`_encode` turns a value into, without encoding it."""
    if key in JSON_FIELDS or isinstance(value, (dt.date, dt.datetime, list, dict)):
        return str
    return type(value)


class _StreamingWriter(GraphMLWriterLxml):
    """NetworkX's lxml GraphML writer, fed the graph's attributes encoded one element at a time.

    Writing ``graphml_ready(G)`` with ``nx.write_graphml_lxml`` held a second,
    encoded copy of the whole graph (6 GiB at 500,000 nodes) and walked it
    three times. This writer declares the same keys from the values' encoded
    types, then encodes each node and edge as it is written; the XML itself
    is still NetworkX's and lxml's (``get_key``, ``add_attributes``,
    incremental writing), so the file is byte for byte the one
    ``nx.write_graphml_lxml(graphml_ready(G), ...)`` writes (tested).
    """

    def add_graph_element(self, G: nx.MultiDiGraph) -> None:
        graphdata = {"name": G.graph.get("name", "graphmodel")}
        # keys in NetworkX's order: graph, then node, then edge attributes, each first seen first
        for k, v in graphdata.items():
            self.get_key(k, self.get_xml_type(type(v)), "graph", None)
        for _, d in G.nodes(data=True):
            for k, v in d.items():
                if v is not None:
                    self.get_key(str(k), self.get_xml_type(_encoded_type(k, v)), "node", None)
        for _, _, d in G.edges(data=True):
            for k, v in d.items():
                if v is not None:
                    self.get_key(str(k), self.get_xml_type(_encoded_type(k, v)), "edge", None)
        for key in self.xml:
            self._xml.write(key, pretty_print=self._prettyprint)
        out = IncrementalElement(self._xml, self._prettyprint)
        with self._xml.element("graph", edgedefault="directed"):
            self.add_attributes("graph", out, graphdata, {})
            for node, d in G.nodes(data=True):
                element = self.myElement("node", id=str(node))
                self.add_attributes("node", element, _encode(d), {})
                out.append(element)
            for u, v, k, d in G.edges(keys=True, data=True):
                element = self.myElement("edge", source=str(u), target=str(v), id=edge_element_id(u, k, v))
                self.add_attributes("edge", element, _encode(d), {})
                out.append(element)


def write_graphml(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """Write ``G`` as GraphML with typed keys (``attr.type`` string, long, double, boolean).

    Streams: each element's attributes are encoded as it is written, so the
    memory needed is that of one element, not of a second graph.
    """
    path = Path(path)
    # Named key ids would repeat for a node and an edge attribute of one name
    # ("notes"), which the schema's key_id_key constraint forbids.
    writer = _StreamingWriter(path, graph=G, named_key_ids=False, edge_id_from_attribute=None)
    writer.dump()
    return path


def read_graphml(path: Path | str) -> nx.MultiDiGraph:
    """Read a file written by :func:`write_graphml` back into the same graph."""
    raw = nx.read_graphml(path, force_multigraph=True)
    G = nx.MultiDiGraph(name=raw.graph.get("name", "graphmodel"))
    for n, attrs in raw.nodes(data=True):
        G.add_node(n, **_decode(attrs))
    for u, v, k, attrs in raw.edges(keys=True, data=True):
        G.add_edge(u, v, key=key_from_edge_element_id(str(k), u, v) or k, **_decode(attrs))
    return G
