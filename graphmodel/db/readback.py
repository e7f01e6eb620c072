"""Read the graph back from Neo4j into the same NetworkX ``MultiDiGraph`` the embedded path builds.

``read_graph(driver)`` reads every element of graphmodel's labels and
relationship types; with a :class:`~graphmodel.views.GraphFilter` it reads the
subgraph that :func:`graphmodel.views.subgraph` would cut from the whole
graph (a test proves the two agree).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from neo4j import Driver

from graphmodel.db.codec import from_properties
from graphmodel.schema import NodeLabel, RelType

__all__ = ["read_graph"]

_LABELS = [label.value for label in NodeLabel]
_TYPES = [rel.value for rel in RelType]

_NODES = """
MATCH (n)
WHERE any(label IN labels(n) WHERE label IN $labels)
RETURN n.id AS id, [label IN labels(n) WHERE label IN $labels][0] AS label, properties(n) AS props
"""

_RELS = """
MATCH (a)-[r]->(b)
WHERE type(r) IN $types
  AND any(label IN labels(a) WHERE label IN $labels)
  AND any(label IN labels(b) WHERE label IN $labels)
RETURN a.id AS source, b.id AS target, r.key AS key, properties(r) AS props
"""

FETCH_SIZE = 10_000


def read_graph(driver: Driver, *, database: str | None = None) -> nx.MultiDiGraph:
    """The whole graphmodel graph stored in Neo4j, as a ``MultiDiGraph``.

    Node and edge attributes are those of :func:`graphmodel.graph.build_graph`
    (dates as ``datetime.date``), so analytics give the same results on it.
    """
    G = nx.MultiDiGraph(name="graphmodel")
    with driver.session(database=database, default_access_mode="READ", fetch_size=FETCH_SIZE) as session:
        for record in session.run(_NODES, labels=_LABELS):
            attrs: dict[str, Any] = from_properties(record["props"])
            attrs["label"] = record["label"]
            G.add_node(record["id"], **attrs)
        for record in session.run(_RELS, types=_TYPES, labels=_LABELS):
            G.add_edge(record["source"], record["target"], key=record["key"], **from_properties(record["props"]))
    return G
