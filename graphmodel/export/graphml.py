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
import re
from json.encoder import encode_basestring as _json_str  # the C escaper JSONEncoder(ensure_ascii=False) uses
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphML

from graphmodel.export.common import edge_element_id, key_from_edge_element_id
from graphmodel.graph import edge_attribute_dicts
from graphmodel.model.schema import NODE_MODELS, REL_MODELS

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


# json.dumps(value, ensure_ascii=False, default=str, sort_keys=True), with the encoder made once: dumps makes
# a new JSONEncoder on every call with options, a tenth of a national GraphML's time
_json = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True).encode


def evidence_json(value: Any) -> str:
    """``_json(value)`` for an evidence list, written directly when it is the usual list of ``{source, quote}``.

    Every element and edge has one; formatting it here takes a third of the encoder's time (the
    encoder's own string escaping, ``encode_basestring``, is used, so the text is the same: tested).
    """
    if type(value) is list:
        parts = []
        for e in value:
            if type(e) is not dict or len(e) != 2:
                break
            quote, source = e.get("quote"), e.get("source")
            if type(quote) is not str or type(source) is not str:
                break
            parts.append(f'{{"quote": {_json_str(quote)}, "source": {_json_str(source)}}}')
        else:
            return "[" + ", ".join(parts) + "]"
    return _json(value)


# how a value is written in GraphML, by (attribute name, value type): the one place that decides it
_AS_TEXT, _AS_EVIDENCE, _AS_JSON, _AS_ISO, _AS_STR = range(5)


def _writer(name: str, value: Any) -> int:
    """How ``value`` is written (the same for every value of its name and type): :func:`_encode`, :func:`_element`."""
    if name == "evidence":
        return _AS_EVIDENCE
    if name in JSON_FIELDS:
        return _AS_JSON
    if isinstance(value, (dt.date, dt.datetime)):
        return _AS_ISO
    if isinstance(value, (list, dict)):
        return _AS_JSON
    return _AS_TEXT if type(value) is str else _AS_STR


def _encode(attrs: dict[str, Any]) -> dict[str, Any]:
    """The attributes as GraphML scalars: JSON text, ISO dates, or the value itself (see :func:`_writer`)."""
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        how = _writer(key, value)
        if how == _AS_EVIDENCE:
            out[key] = evidence_json(value)
        elif how == _AS_JSON:
            out[key] = _json(value)
        elif how == _AS_ISO:
            out[key] = value.isoformat()
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
    return type(value) if _writer(key, value) in (_AS_TEXT, _AS_STR) else str


_XML_TYPES = GraphML()
_XML_TYPES.construct_types()  # NetworkX's Python type -> GraphML attr.type table ("string", "long", "double", "boolean")

# What libxml2 (lxml) escapes when it serialises text and attribute values: the same bytes, tested
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_SPECIAL = re.compile(r'[&<>"\n\r\t]')
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
# characters XML 1.0 cannot carry (lxml refuses them too)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    # four substring tests: a third of the pattern search's time on a long value (evidence JSON), no more on a short one
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_TEXT_ESCAPES)
    return value


def _attr(value: str) -> str:
    return value.translate(_ATTR_ESCAPES) if _ATTR_SPECIAL.search(value) else value


def _xml_type(value_type: type) -> str:
    try:
        return _XML_TYPES.xml_type[value_type]
    except KeyError:
        raise TypeError(f"GraphML does not support type {value_type} as data values.") from None


class _Keys:
    """The ``<key>`` declarations, numbered as NetworkX numbers them: ``d0``, ``d1`` ... in order first seen.

    A key is one (name, GraphML type, scope); the graph's attributes come first,
    then the nodes', then the edges'.
    """

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def id(self, name: str, xml_type: str, scope: str) -> str:
        key = (name, xml_type, scope)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = f"d{len(self.ids)}"
        return found

    def declarations(self) -> str:
        # NetworkX inserts each new key before the others: the last seen is written first
        return "".join(
            f'<key id="{kid}" for="{scope}" attr.name="{_attr(name)}" attr.type="{xml_type}"/>\n'
            for (name, xml_type, scope), kid in reversed(self.ids.items())
        )


class _NotXml(ValueError):
    """A value with a character XML 1.0 cannot carry; the caller says which element holds it."""


def _element(tag: str, head: str, scope: str, attrs: dict[str, Any], keys: _Keys,
             known: dict[tuple[str, type], tuple[str, int]]) -> str:
    """One pretty-printed ``<node>`` or ``<edge>`` with its ``<data>`` children, as lxml writes it.

    Each value is encoded as :func:`_encode` encodes it, straight into the
    text; ``known`` (one per scope) keeps the key id and the way to write
    each (name, value type), worked out once. Characters XML cannot carry
    are looked for by :class:`_CheckedFile`, a chunk of elements at a time.
    """
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        spec = known.get((name, type(value)))
        if spec is None:
            spec = known[name, type(value)] = (keys.id(name, _xml_type(_encoded_type(name, value)), scope), _writer(name, value))
        kid, how = spec
        if how == _AS_TEXT:
            text = value
        elif how == _AS_EVIDENCE:
            text = evidence_json(value)
        elif how == _AS_JSON:
            text = _json(value)
        elif how == _AS_ISO:
            text = value.isoformat()
        else:
            text = str(value)
        parts.append(f'  <data key="{kid}">{_text(text)}</data>\n')
    return f"<{tag} {head}>\n" + "".join(parts) + f"</{tag}>\n" if parts else f"<{tag} {head}/>\n"


def _where_not_xml(head: str, attrs: dict[str, Any]) -> None:
    """Raise :class:`_NotXml` saying whether the id or which attribute holds a character XML cannot carry."""
    if _NOT_XML.search(head):
        raise _NotXml("its id holds a character XML cannot carry (a NUL byte or control character)")
    for name, value in _encode(attrs).items():
        if _NOT_XML.search(value if type(value) is str else str(value)):
            raise _NotXml(f"attribute {name!r} holds a character XML cannot carry (a NUL byte or control character)")
    raise AssertionError("a character XML cannot carry, in neither the id nor an attribute")  # pragma: no cover


# the UTF-8 bytes of the characters _NOT_XML refuses below U+0080 (U+FFFE and U+FFFF are looked for as characters)
_XML_BYTES = bytes(b for b in range(256) if not _NOT_XML.match(chr(b)) or b >= 0x80)


CHECK_CHUNK_CHARS = 1 << 20
"""About how much GraphML text (in characters) is checked for characters XML cannot carry at a time."""


class _CheckedFile:
    """Elements written a chunk (about a MiB) at a time, each chunk checked for characters XML cannot carry.

    A check per chunk is one byte translation of its UTF-8 text (delete every
    allowed byte: anything left is a control character) and two character
    tests, where a pattern search over every element took a fifth of the
    writer's time. Only when a chunk fails are its elements searched one by
    one, to say which one (and which of its values) holds the character.
    """

    def __init__(self, f: Any) -> None:
        self.f = f
        self.parts: list[str] = []
        self.whos: list[tuple] = []
        self.size = 0

    def add(self, text: str, who: tuple) -> None:
        """``who``: ``(head, attrs, node)`` or ``(head, attrs, u, v, key)``, for a :class:`ValueError` about it."""
        self.parts.append(text)
        self.whos.append(who)
        self.size += len(text)
        if self.size >= CHECK_CHUNK_CHARS:  # read at each use, so that a test may set a small chunk
            self.flush()

    def flush(self) -> None:
        chunk = "".join(self.parts)
        data = chunk.encode("utf-8")
        if data.translate(None, _XML_BYTES) or "\ufffe" in chunk or "\uffff" in chunk:
            for text, (head, attrs, *ids) in zip(self.parts, self.whos):
                if _NOT_XML.search(text):
                    what = f"node {ids[0]!r}" if len(ids) == 1 else f"edge {ids[0]!r} -> {ids[1]!r} ({ids[2]})"
                    try:
                        _where_not_xml(head, attrs)
                    except _NotXml as exc:
                        raise ValueError(f"{what}: {exc}") from None
        self.f.write(data)
        self.parts, self.whos, self.size = [], [], 0


def write_graphml(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """Write ``G`` as GraphML with typed keys (``attr.type`` string, long, double, boolean).

    The bytes are those of NetworkX's lxml writer on the encoded graph
    (``nx.write_graphml_lxml(graphml_ready(G), path, named_key_ids=False,
    edge_id_from_attribute=None)``, tested), written without building an XML
    element per attribute: each node and edge is formatted as text, escaped as
    libxml2 escapes it (tested against lxml on arbitrary strings), and
    streamed a chunk of about a MiB at a time (:class:`_CheckedFile`), so memory holds one chunk, not a second graph. It
    saves most of the CPU time of NetworkX's writer, whose per-attribute
    element objects were most of it (bench/HISTORY.md).

    Raises ``ValueError`` naming the element (and the attribute) when an id
    or a value holds a character XML 1.0 cannot carry, as lxml would.
    """
    path = Path(path)
    keys = _Keys()
    graph_key = keys.id("name", "string", "graph")
    name = G.graph.get("name", "graphmodel")
    # the keys come first in the file, so they are collected before anything is written: encoded types only,
    # nothing encoded (named key ids would repeat for a node and an edge attribute of one name, which the schema forbids)
    for scope, attr_dicts in (("node", G._node.values()), ("edge", edge_attribute_dicts(G))):
        seen: set[tuple[str, type]] = set()  # each (name, value type) once: millions of attributes, a few dozen keys
        for d in attr_dicts:
            for k, v in d.items():
                if v is not None and (k, type(v)) not in seen:
                    seen.add((k, type(v)))
                    keys.id(str(k), _xml_type(_encoded_type(k, v)), scope)
    with open(path, "wb") as f:
        f.write((
            "<?xml version='1.0' encoding='utf-8'?>\n"
            f'<graphml xmlns="{GraphML.NS_GRAPHML}" xmlns:xsi="{GraphML.NS_XSI}" xsi:schemaLocation="{GraphML.SCHEMALOCATION}">'
        ).encode())
        out = _CheckedFile(f)
        if _NOT_XML.search(str(name)):
            raise ValueError("the graph's name holds a character XML cannot carry (a NUL byte or control character)")
        declarations = keys.declarations()
        if _NOT_XML.search(declarations):
            raise ValueError("an attribute name holds a character XML cannot carry (a NUL byte or control character)")
        f.write(declarations.encode("utf-8"))
        f.write(f'<graph edgedefault="directed"><data key="{graph_key}">{_text(str(name))}</data>\n'.encode())
        add = out.add
        known: dict[tuple[str, type], tuple[str, int]] = {}
        for node, d in G._node.items():  # G.nodes(data=True) order, without a view's tuple per node
            head = f'id="{_attr(str(node))}"'
            add(_element("node", head, "node", d, keys, known), (head, d, node))
        known = {}
        for u, nbrs in G._succ.items():  # G.edges(keys=True, data=True) order (graph.edge_attribute_dicts)
            source = _attr(str(u))
            for v, keydict in nbrs.items():
                target = _attr(str(v))
                for k, d in keydict.items():
                    head = f'source="{source}" target="{target}" id="{_attr(edge_element_id(u, k, v))}"'
                    add(_element("edge", head, "edge", d, keys, known), (head, d, u, v, k))
        out.flush()
        f.write(b"</graph></graphml>")
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
