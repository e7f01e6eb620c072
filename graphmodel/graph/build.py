"""A validated :class:`~graphmodel.seed.Dataset` <-> a NetworkX ``MultiDiGraph``, without loss.

Nodes are keyed by their id and carry ``id``, ``label`` (the node type),
``name`` and the rest of their type's fields. Edges are keyed by
``TYPE`` or ``TYPE:qualifier`` (see :func:`graphmodel.model.schema.rel_qualifier`)
and carry ``type``, their fields and ``evidence`` (a list of
``{"source", "quote"}``).

Two kinds of edges are derived here rather than listed in the seed, and carry
``derived=True``: ``MENTIONED_IN`` from every node to each source that
mentions it (its quotes from that source as evidence), and ``LOCATED_IN``
from a region to its parent region (the official code list's row as evidence).
:func:`dataset_from_graph` drops them again, so the round trip is exact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, cast

import networkx as nx

from graphmodel.model.regions import official_regions
from graphmodel.model.schema import (
    NODE_MODELS,
    REL_MODELS,
    AnyNode,
    AnyRel,
    NodeLabel,
    Region,
    RegionKind,
    RelType,
    rel_qualifier,
)
from graphmodel.seed import Dataset, load_seed

__all__ = [
    "build_graph", "dataset_from_graph", "edge_attribute_dicts", "edge_key", "build_graph_from_seed", "node_attributes",
    "out_edge_attributes", "relationship_attributes",
]

REFERENCE_SOURCE = {RegionKind.PROVINCE: "idn-area-provinces"}
REGENCY_SOURCE = "idn-area-regencies"


_SCALARS = frozenset({str, int, float, bool, dt.date})


def _plain(value: Any) -> Any:
    """Enums to their string values, tuples to lists, recursively; dates stay dates."""
    if type(value) in _SCALARS:  # most values (an exact type test: a str enum is not a str here)
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def _plain_fresh(value: Any) -> Any:
    """:func:`_plain` of what ``model_dump`` has just made, reusing its lists and dicts (nobody else holds them).

    The same value as ``_plain(value)``; a national seed's millions of records
    no longer make each attribute dict, evidence list and quote dict twice.
    """
    kind = type(value)
    if kind is dict:
        for k, v in value.items():
            if type(v) not in _SCALARS:
                if v is None:
                    return _plain(value)  # a None to drop: a new dict after all
                value[k] = _plain_fresh(v)  # a new value for a key that is there: the dict does not resize
        return value
    if kind is list:
        for i, v in enumerate(value):
            if type(v) not in _SCALARS:
                value[i] = _plain_fresh(v)
        return value
    if kind is tuple:  # a record's evidence: a new list, of the very dicts model_dump made
        return [v if type(v) in _SCALARS else _plain_fresh(v) for v in value]
    return _plain(value)


def node_attributes(node: AnyNode) -> dict[str, Any]:
    """The attribute dict of a node: every field that has a value, enums as strings, tuples as lists.

    Examples
    --------
    >>> from graphmodel.model.schema import Agency
    >>> node_attributes(Agency(id="iom", name="IOM", kind="international_organisation", level="international"))
    {'id': 'iom', 'name': 'IOM', 'aliases': [], 'evidence': [], 'label': 'Agency', 'kind': 'international_organisation', 'level': 'international'}
    """
    return _plain_fresh(node.model_dump(exclude_none=True))


def relationship_attributes(rel: AnyRel) -> dict[str, Any]:
    """The attribute dict of a relationship, without its endpoints.

    See Also
    --------
    node_attributes : the same for a node.
    edge_key : the key of the relationship's edge.
    """
    return _plain_fresh(rel.model_dump(exclude_none=True, exclude={"source_node", "target_node"}))


def edge_attribute_dicts(G: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Every edge's attribute dict, in ``G.edges`` order, without a tuple per edge.

    ``G.edges(data=True)`` builds a ``(u, v, attributes)`` tuple for each of a
    national graph's millions of edges; a pass that needs only the attributes
    walks NetworkX's own adjacency (``_succ``, which its edge views walk too;
    subgraph views have one as well).
    """
    for nbrs in G._succ.values():
        for keydict in nbrs.values():
            yield from keydict.values()


def out_edge_attributes(G: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(target, attributes)`` of each edge out of ``node``, in ``G.out_edges(node)`` order (no view objects)."""
    for v, keydict in G._succ[node].items():
        for d in keydict.values():
            yield v, d


def edge_key(rel_type: str, qualifier: str = "") -> str:
    """The MultiDiGraph key of an edge: its type, and its qualifier when it has one.

    Examples
    --------
    >>> edge_key("SERVES", "shelter"), edge_key("HOSTED")
    ('SERVES:shelter', 'HOSTED')
    """
    return f"{rel_type}:{qualifier}" if qualifier else rel_type


class _GraphSink:
    """Adds records to a new graph: nodes first, then each relationship as an edge.

    :func:`build_graph` feeds it a dataset's records; :func:`build_graph_from_seed` hands it
    to :func:`~graphmodel.seed.load_seed` as its :class:`~graphmodel.seed.RecordSink`.
    """

    def __init__(self) -> None:
        self.G = nx.MultiDiGraph(name="graphmodel")
        self.texts: dict[str, str] = {}
        """Each distinct evidence source id and quote seen so far, as the one string object the graph keeps."""

    # Nodes and edges go straight into NetworkX's own dicts, as add_node and add_edge put them: those
    # copy the attributes into a new dict (after a keyword-argument dict of them), while each attribute
    # dict here is fresh and nobody else holds it. Two fewer dicts made and dropped per element, for a
    # national graph's millions (tested: the same graph, dicts and adjacency, as add_node/add_edge make).

    def nodes(self, nodes: Mapping[str, AnyNode]) -> None:
        G = self.G
        for node in nodes.values():
            attrs = self._shared(node_attributes(node))
            if node.id in G._succ:
                G.add_node(node.id, **attrs)  # (never for a validated seed: its ids are unique)
                continue
            G._succ[node.id] = {}
            G._pred[node.id] = {}
            G._node[node.id] = attrs

    def relationship(self, rel: AnyRel) -> None:
        attrs = self._shared(relationship_attributes(rel))
        G, u, v = self.G, rel.source_node, rel.target_node
        key = edge_key(rel.type, rel_qualifier(rel))
        nbrs = G._succ.get(u)
        if nbrs is None or v not in G._succ:
            G.add_edge(u, v, key=key, **attrs)  # (never for a validated seed: both ends are its nodes)
            return
        keydict = nbrs.get(v)
        if keydict is None:
            nbrs[v] = G._pred[v][u] = {key: attrs}
        elif key in keydict:
            keydict[key].update(attrs)  # (never for a validated seed: no duplicate relationships)
        else:
            keydict[key] = attrs

    def _shared(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """``attrs`` with its evidence's source ids and quotes replaced by the graph's one copy of each text.

        Each record read brings its own copy of them, and one quote backs many
        records (a meeting's, every attendance of it): the edges of a national
        graph hold each distinct quote a few times over, and the quotes are
        most of the text it holds (bench/HISTORY.md has the memory saved).
        """
        texts = self.texts
        for e in attrs.get("evidence", ()):
            if type(e) is dict:
                for k in ("source", "quote"):
                    v = e.get(k)
                    if type(v) is str:
                        e[k] = texts.setdefault(v, v)
        return attrs


def build_graph(ds: Dataset, *, derived: bool = True, release: bool = False) -> nx.MultiDiGraph:
    """Build the evidence graph of a dataset.

    Parameters
    ----------
    ds : Dataset
        A validated seed (see :func:`graphmodel.seed.load_seed`).
    derived : bool
        Also add the derived ``MENTIONED_IN`` and region ``LOCATED_IN`` edges.
    release : bool
        Let each relationship record go as soon as its edge is in the graph:
        ``ds.relationships`` is left empty (the nodes stay). For a caller that
        holds the records already and needs the graph only: the peak is then
        the larger of the records and the graph, not their sum (a national
        seed's records take more memory than its graph). From a seed folder,
        :func:`build_graph_from_seed` never holds all the records at all.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by id, edges keyed by :func:`edge_key`, attributes as
        :func:`node_attributes` and :func:`relationship_attributes` give them.

    See Also
    --------
    build_graph_from_seed : validates a seed folder and builds its graph in one pass.
    dataset_from_graph : the way back.

    Examples
    --------
    >>> from graphmodel.model.schema import Agency, Hosted, Meeting
    >>> from graphmodel.seed import Dataset
    >>> nodes = {
    ...     "iom": Agency(id="iom", name="IOM", kind="international_organisation", level="international"),
    ...     "mtg": Meeting(id="mtg", name="Rakor", kind="coordination_meeting", date="2024-03-05",
    ...                    date_basis="stated", format="in_person"),
    ... }
    >>> ev = [{"source": "src", "quote": "IOM memimpin rakor."}]
    >>> G = build_graph(Dataset(nodes=nodes, relationships=[Hosted(**{"from": "iom", "to": "mtg", "evidence": ev})]))
    >>> list(G.edges(keys=True))
    [('iom', 'mtg', 'HOSTED')]
    """
    sink = _GraphSink()
    rels = ds.relationships
    sink.nodes(ds.nodes)
    for i, rel in enumerate(rels):
        sink.relationship(rel)
        if release:
            rels[i] = None  # type: ignore[call-overload]  # the record holds no cycle: freed here (tested)
    if release:
        rels.clear()
    if derived:
        _add_derived(sink, ds)
    return sink.G


def build_graph_from_seed(seed_dir: Path | str, *, derived: bool = True) -> tuple[Dataset, nx.MultiDiGraph]:
    """Validate a seed and build its evidence graph in one pass: ``build_graph(load_seed(seed_dir))``.

    Each relationship becomes an edge as soon as validation has checked it,
    and its record is let go: the relationship records of a national seed
    (millions of pydantic models, more memory than the graph they make) are
    never all held at once. The graph is equal to ``build_graph(load_seed(
    seed_dir))``, with nodes and edges in the same order (tested); the dataset
    returned has the nodes, vocabularies, source texts and origins, and no
    ``relationships`` (as after ``build_graph(ds, release=True)``). An invalid
    seed raises the same :class:`~graphmodel.errors.SeedValidationError`, and
    the partial graph is dropped.
    """
    sink = _GraphSink()
    ds = load_seed(seed_dir, sink=sink)
    if derived:
        _add_derived(sink, ds)
    return ds, sink.G


def _add_derived(sink: _GraphSink, ds: Dataset) -> None:
    G, shared = sink.G, sink._shared
    official = official_regions()
    for node in ds.nodes.values():
        by_source: dict[str, list[dict]] = defaultdict(list)
        for ev in node.evidence:
            by_source[ev.source].append({"source": ev.source, "quote": ev.quote})
        for source_id, evidence in by_source.items():
            G.add_edge(node.id, source_id, key=RelType.MENTIONED_IN.value,
                       **shared({"type": RelType.MENTIONED_IN.value, "evidence": evidence, "derived": True}))
        if isinstance(node, Region) and node.parent is not None:
            # load_seed guarantees an official code for every region below the country
            row = official[cast(str, node.code)]
            source = REFERENCE_SOURCE.get(node.kind, REGENCY_SOURCE)
            evidence = [{"source": source, "quote": row.csv_row}]
            if source not in ds.nodes:
                continue  # a seed without the reference sources keeps its hierarchy in `parent` only
            G.add_edge(node.id, node.parent, key=RelType.LOCATED_IN.value,
                       **shared({"type": RelType.LOCATED_IN.value, "evidence": evidence, "derived": True}))


def dataset_from_graph(G: nx.MultiDiGraph) -> Dataset:
    """Rebuild the dataset from a graph made by :func:`build_graph` (derived edges are dropped).

    Raises ``pydantic.ValidationError`` when an attribute does not fit the schema.
    """
    nodes: dict[str, AnyNode] = {}
    for node_id, attrs in G.nodes(data=True):
        model = NODE_MODELS[NodeLabel(attrs["label"])]
        nodes[node_id] = model.model_validate({k: v for k, v in attrs.items()})
    rels: list[AnyRel] = []
    for u, v, attrs in G.edges(data=True):
        if attrs.get("derived"):
            continue
        rel_model = REL_MODELS[RelType(attrs["type"])]
        rels.append(rel_model.model_validate({**attrs, "from": u, "to": v}))
    return Dataset(nodes=nodes, relationships=rels)


def as_date(value: Any) -> dt.date | None:
    """A date attribute as a ``date`` whether it is one already or an ISO string.

    Examples
    --------
    >>> as_date("2024-03-05"), as_date(None)
    (datetime.date(2024, 3, 5), None)
    """
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
