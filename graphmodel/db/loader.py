"""Load a validated dataset into Neo4j: idempotent, batched, parameterised.

How a load works
----------------
1. Uniqueness constraints on ``id`` for every node label, and indexes, are
   created first with ``IF NOT EXISTS``.
2. Nodes, then relationships, are written with ``UNWIND $rows ... MERGE`` in
   batches, one transaction per batch. ``SET n = row.props`` replaces all of
   an element's properties, so a property deleted from the seed disappears too.
3. Every element carries ``load_id``: a hash of the dataset's content, so
   loading the same seed twice writes the very same properties. After every
   batch has been written, elements of graphmodel's labels and relationship
   types whose ``load_id`` differs (facts deleted from the seed) are removed.

An interrupted load (killed process, server stopped) leaves the previous
graph plus some new elements, with nothing yet removed; the next load writes
the rest and removes the stale elements, ending at exactly the seed.

Labels and relationship types come only from the schema's closed sets
(:class:`~graphmodel.schema.NodeLabel`, :class:`~graphmodel.schema.RelType`);
every value travels as a query parameter.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError, TransientError

from graphmodel.db.codec import to_properties
from graphmodel.graph import build_graph
from graphmodel.schema import NodeLabel, RelType
from graphmodel.seed import Dataset

__all__ = ["load_dataset", "load_graph", "LoadReport", "ensure_schema", "dataset_load_id", "DEFAULT_BATCH_SIZE"]

DEFAULT_BATCH_SIZE = 5_000

_SAFE_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")


def _name(value: str) -> str:
    """A label or relationship type from the closed schema set, checked before it enters Cypher."""
    if value not in _ALLOWED or not _SAFE_NAME.match(value):
        raise ValueError(f"{value!r} is not a schema label or relationship type")
    return value


_ALLOWED = frozenset(label.value for label in NodeLabel) | frozenset(rel.value for rel in RelType)

INDEXES: tuple[tuple[NodeLabel, str], ...] = (
    (NodeLabel.MEETING, "date"),
    (NodeLabel.MIGRANT_COHORT, "cohort_type"),
    (NodeLabel.REGION, "code"),
    (NodeLabel.AGENCY, "kind"),
    (NodeLabel.AGENCY, "level"),
)


def _constraint_statements() -> list[str]:
    stmts = []
    for label in NodeLabel:
        name = _name(label.value)
        stmts.append(f"CREATE CONSTRAINT {name.lower()}_id_unique IF NOT EXISTS FOR (n:{name}) REQUIRE n.id IS UNIQUE")
    for label, prop in INDEXES:
        name = _name(label.value)
        stmts.append(f"CREATE INDEX {name.lower()}_{prop} IF NOT EXISTS FOR (n:{name}) ON (n.{prop})")
    for rel in RelType:
        name = _name(rel.value)
        stmts.append(f"CREATE INDEX rel_{name.lower()}_load_id IF NOT EXISTS FOR ()-[r:{name}]-() ON (r.load_id)")
    return stmts


RETRIES = 8
_ALREADY_EXISTS = ("EquivalentSchemaRuleAlreadyExists", "ConstraintAlreadyExists", "IndexAlreadyExists", "ConstraintWithNameAlreadyExists", "IndexWithNameAlreadyExists")


def _run_retrying(session: Any, query: str, **params: Any) -> Any:
    """Run an auto-commit statement, retrying transient errors (deadlocks between concurrent loads).

    Schema statements and ``CALL ... IN TRANSACTIONS`` cannot run inside the
    driver's managed (retrying) transactions, so they get this retry instead.
    """
    for attempt in range(RETRIES):
        try:
            return session.run(query, **params).consume()
        except TransientError:
            if attempt == RETRIES - 1:
                raise
            time.sleep(min(0.2 * 2**attempt, 5.0) * (1 + random.random()))
    raise AssertionError("unreachable")


def ensure_schema(driver: Driver, database: str | None = None) -> None:
    """Create the uniqueness constraints and indexes (idempotent), then wait for them to be online."""
    with driver.session(database=database) as session:
        for stmt in _constraint_statements():
            try:
                _run_retrying(session, stmt)
            except ClientError as exc:
                # IF NOT EXISTS is not atomic across sessions: a concurrent load may
                # create the same rule between the check and the creation.
                if not (exc.code or "").endswith(_ALREADY_EXISTS):
                    raise
        _run_retrying(session, "CALL db.awaitIndexes(300)")


def dataset_load_id(G: nx.MultiDiGraph) -> str:
    """A content hash of the graph: same seed, same id; any edit, a new one."""
    digest = hashlib.sha256()
    for node in sorted(G.nodes):
        digest.update(json.dumps([node, G.nodes[node]], sort_keys=True, default=str, ensure_ascii=False).encode())
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        digest.update(json.dumps([u, v, k, d], sort_keys=True, default=str, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class LoadReport:
    """What a load did."""

    load_id: str
    nodes_written: int
    relationships_written: int
    nodes_removed: int
    relationships_removed: int
    batches: int


def _node_query(label: str) -> str:
    return f"UNWIND $rows AS row MERGE (n:{_name(label)} {{id: row.id}}) SET n = row.props"


def _rel_query(rtype: str, from_label: str, to_label: str) -> str:
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{_name(from_label)} {{id: row.from}}) "
        f"MATCH (b:{_name(to_label)} {{id: row.to}}) "
        f"MERGE (a)-[r:{_name(rtype)} {{key: row.key}}]->(b) "
        f"SET r = row.props"
    )


def _batches(rows: list[dict], size: int) -> Iterable[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _write(tx: ManagedTransaction, query: str, rows: list[dict]) -> None:
    tx.run(query, rows=rows).consume()


def load_graph(
    driver: Driver,
    G: nx.MultiDiGraph,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    database: str | None = None,
    progress: Callable[[int], None] | None = None,
    sweep: bool = True,
) -> LoadReport:
    """Write graph ``G`` (as built by :func:`graphmodel.graph.build_graph`) into Neo4j.

    ``progress`` is called with the number of elements written after each batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    load_id = dataset_load_id(G)
    ensure_schema(driver, database)

    nodes_by_label: dict[str, list[dict]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        props = to_properties(attrs)
        props["load_id"] = load_id
        nodes_by_label[attrs["label"]].append({"id": node, "props": props})
    rels_by_shape: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        props = to_properties(attrs)
        props["load_id"] = load_id
        props["key"] = key
        shape = (attrs["type"], G.nodes[u]["label"], G.nodes[v]["label"])
        rels_by_shape[shape].append({"from": u, "to": v, "key": key, "props": props})

    batches = 0
    with driver.session(database=database) as session:
        for label in sorted(nodes_by_label):
            query = _node_query(label)
            for rows in _batches(nodes_by_label[label], batch_size):
                session.execute_write(_write, query, rows)
                batches += 1
                if progress:
                    progress(len(rows))
        for shape in sorted(rels_by_shape):
            query = _rel_query(*shape)
            for rows in _batches(rels_by_shape[shape], batch_size):
                session.execute_write(_write, query, rows)
                batches += 1
                if progress:
                    progress(len(rows))
        removed_rels = removed_nodes = 0
        if sweep:
            removed_rels, removed_nodes = _sweep(session, load_id)
    return LoadReport(
        load_id=load_id,
        nodes_written=G.number_of_nodes(),
        relationships_written=G.number_of_edges(),
        nodes_removed=removed_nodes,
        relationships_removed=removed_rels,
        batches=batches,
    )


def _sweep(session: Any, load_id: str) -> tuple[int, int]:
    """Remove graphmodel's elements that the current load did not write (deleted from the seed)."""
    removed_rels = removed_nodes = 0
    for rel in RelType:
        query = (
            f"MATCH ()-[r:{_name(rel.value)}]->() WHERE r.load_id IS NULL OR r.load_id <> $load_id "
            "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        )
        removed_rels += _run_retrying(session, query, load_id=load_id).counters.relationships_deleted
    for label in NodeLabel:
        query = (
            f"MATCH (n:{_name(label.value)}) WHERE n.load_id IS NULL OR n.load_id <> $load_id "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        summary = _run_retrying(session, query, load_id=load_id)
        removed_nodes += summary.counters.nodes_deleted
        removed_rels += summary.counters.relationships_deleted
    return removed_rels, removed_nodes


def load_dataset(driver: Driver, ds: Dataset, **kwargs: Any) -> LoadReport:
    """Build the graph of a validated dataset and load it (see :func:`load_graph`)."""
    return load_graph(driver, build_graph(ds), **kwargs)
