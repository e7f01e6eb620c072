"""Load a validated dataset into Neo4j: idempotent, batched, parameterised.

How a load works
----------------
1. Uniqueness constraints on ``id`` for every node label, and indexes, are
   created first with ``IF NOT EXISTS``.
2. Nodes, then relationships, are written with ``UNWIND $rows ... MERGE`` in
   batches, one transaction per batch, by two sessions at once. ``SET n =
   row.props`` replaces all of an element's properties, so a property deleted
   from the seed disappears too. The node batches return each node's element
   id, and the relationship batches find their ends by it (checked against
   ``id``) rather than by a second and third index seek per row.
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
import logging
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import networkx as nx
from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError, TransientError

from graphmodel.db.codec import to_properties
from graphmodel.db.defaults import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
from graphmodel.errors import LoadConflict
from graphmodel.graph import build_graph
from graphmodel.schema import NodeLabel, RelType
from graphmodel.seed import Dataset
from graphmodel.yamlfile import gc_paused

__all__ = ["load_dataset", "load_graph", "LoadReport", "ensure_schema", "dataset_load_id", "DEFAULT_BATCH_SIZE", "DEFAULT_WORKERS"]


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
    """A content hash of the graph: same seed, same id; any edit, a new one.

    The canonical JSON (keys sorted) of every node, then every edge, in sorted
    order, encoded a chunk at a time: one encoder call per 10,000 elements
    instead of one per element halves its cost on a national graph, and no
    chunk's text is held longer than it is hashed.
    """
    encode = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False).encode
    digest = hashlib.sha256()
    nodes = sorted(G.nodes(data=True), key=lambda item: item[0])
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    for items in (nodes, edges):
        for start in range(0, len(items), _HASH_CHUNK):
            digest.update(encode(items[start : start + _HASH_CHUNK]).encode())
    return digest.hexdigest()[:16]


_HASH_CHUNK = 10_000


@dataclass(frozen=True)
class LoadReport:
    """What a load did."""

    load_id: str
    nodes_written: int
    relationships_written: int
    nodes_removed: int
    relationships_removed: int
    batches: int
    retried: int = 0
    """Batches rolled back by a transient error (a deadlock between concurrent writers) and written again."""


def _node_query(label: str) -> str:
    # the element ids come back so that the relationships can find their ends without an index seek
    return (
        f"UNWIND $rows AS row MERGE (n:{_name(label)} {{id: row.id}}) SET n = row.props "
        "RETURN row.id AS id, elementId(n) AS eid"
    )


def _rel_query(rtype: str) -> str:
    # Ends found by element id (a direct record lookup) and checked by id: an element id of a node that
    # another writer deleted may be reused by a new node, which must not receive the relationship.
    # The count tells the loader whether every row found both its ends.
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a) WHERE elementId(a) = row.a AND a.id = row.from "
        f"MATCH (b) WHERE elementId(b) = row.b AND b.id = row.to "
        f"MERGE (a)-[r:{_name(rtype)} {{key: row.key}}]->(b) "
        f"SET r = row.props "
        f"RETURN count(*) AS written"
    )


def _batches(rows: list[dict], size: int) -> Iterable[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _write_nodes(tx: ManagedTransaction, query: str, rows: list[dict]) -> list[tuple[str, str]]:
    return [(record[0], record[1]) for record in tx.run(query, rows=rows)]


def _write_relationships(tx: ManagedTransaction, query: str, rows: list[dict]) -> int:
    return tx.run(query, rows=rows).single(strict=True)[0]


class _RetryCounter(logging.Filter):
    """Counts the driver's "will be retried" warnings (deadlocks between our own writers) and keeps them off stderr."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Transaction failed and will be retried"):
            self.count += 1
            return False
        return True


class _Writers:
    """Batches written by ``workers`` sessions at once, each a managed (retried) write transaction.

    The client prepares and encodes one batch while the server writes
    another, and the server's two cores both work: 1.3-1.5x a single writer
    on the 100k-node synthetic graph (bench/RESULTS.md). Concurrent batches
    of relationships may deadlock on a shared end node; Neo4j then rolls one
    back with a transient error, which ``execute_write`` retries.
    """

    def __init__(self, driver: Driver, database: str | None, workers: int):
        self._driver, self._database = driver, database
        self._local = threading.local()
        self._sessions: list[Any] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphmodel-load")
        self.retries = _RetryCounter()
        logging.getLogger("neo4j.pool").addFilter(self.retries)  # where the driver's retry loop logs

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._driver.session(database=self._database)
            with self._lock:
                self._sessions.append(session)
        return session

    def _run(self, work: Callable[..., Any], query: str, rows: list[dict]) -> Any:
        return self._session().execute_write(work, query, rows)

    def write(self, work: Callable[..., Any], jobs: list[tuple[str, list[dict]]],
              done: Callable[[list[dict], Any], None]) -> None:
        """Write every ``(query, rows)`` job; ``done(rows, result)`` is called in this thread as each ends."""
        futures = {self._pool.submit(self._run, work, query, rows): rows for query, rows in jobs}
        try:
            for future in as_completed(futures):
                done(futures[future], future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        logging.getLogger("neo4j.pool").removeFilter(self.retries)
        for session in self._sessions:
            session.close()


def load_graph(
    driver: Driver,
    G: nx.MultiDiGraph,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    database: str | None = None,
    progress: Callable[[int], None] | None = None,
    sweep: bool = True,
    workers: int = DEFAULT_WORKERS,
) -> LoadReport:
    """Write graph ``G`` (as built by :func:`graphmodel.graph.build_graph`) into Neo4j.

    Nodes first (``MERGE`` on the label's unique id), then relationships
    between the nodes' element ids, each phase in batches of ``batch_size``
    written by ``workers`` concurrent sessions; then the sweep. ``progress``
    is called with the number of elements written after each batch. Raises
    :class:`~graphmodel.errors.LoadConflict` when another writer removed
    nodes of this load while it ran (the next load completes it).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    load_id = dataset_load_id(G)
    ensure_schema(driver, database)

    with gc_paused():  # hundreds of thousands of new dicts, no cyclic garbage
        nodes_by_label: dict[str, list[dict]] = defaultdict(list)
        for node, attrs in G.nodes(data=True):
            props = to_properties(attrs)
            props["load_id"] = load_id
            nodes_by_label[attrs["label"]].append({"id": node, "props": props})

    element_ids: dict[str, str] = {}
    batches = 0

    def nodes_done(rows: list[dict], written: list[tuple[str, str]]) -> None:
        nonlocal batches
        element_ids.update(written)
        batches += 1
        if progress:
            progress(len(rows))

    def relationships_done(rows: list[dict], written: int) -> None:
        nonlocal batches
        if written != len(rows):
            raise LoadConflict(
                f"{len(rows) - written} of {len(rows)} relationships could not be written: their end nodes were "
                "removed while this load ran (another load or a delete at the same time); run the load again"
            )
        batches += 1
        if progress:
            progress(len(rows))

    writers = _Writers(driver, database, workers)
    try:
        writers.write(
            _write_nodes,
            [(_node_query(label), rows) for label in sorted(nodes_by_label) for rows in _batches(nodes_by_label[label], batch_size)],
            nodes_done,
        )
        del nodes_by_label
        with gc_paused():
            rels_by_type: dict[str, list[dict]] = defaultdict(list)
            for u, v, key, attrs in G.edges(keys=True, data=True):
                props = to_properties(attrs)
                props["load_id"] = load_id
                props["key"] = key
                a, b = element_ids.get(u), element_ids.get(v)
                if a is None or b is None:
                    raise LoadConflict(f"node {u if a is None else v!r} was not written; run the load again")
                rels_by_type[attrs["type"]].append({"a": a, "from": u, "b": b, "to": v, "key": key, "props": props})
        writers.write(
            _write_relationships,
            [(_rel_query(rtype), rows) for rtype in sorted(rels_by_type) for rows in _batches(rels_by_type[rtype], batch_size)],
            relationships_done,
        )
    finally:
        writers.close()
    removed_rels = removed_nodes = 0
    if sweep:
        with driver.session(database=database) as session:
            removed_rels, removed_nodes = _sweep(session, load_id)
    return LoadReport(
        load_id=load_id,
        nodes_written=G.number_of_nodes(),
        relationships_written=G.number_of_edges(),
        nodes_removed=removed_nodes,
        relationships_removed=removed_rels,
        batches=batches,
        retried=writers.retries.count,
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
