"""Load a validated dataset into Neo4j: idempotent, batched, parameterised.

How a load works
----------------
1. Uniqueness constraints on ``id`` for every node label, and indexes, are
   created first with ``IF NOT EXISTS``.
2. The load takes the database's *load lock* (:class:`LoadLock`): one
   graphmodel load writes at a time, and a second waits until the first ends
   (or its process dies: the lock is an open transaction, which the server
   rolls back when the connection drops).
3. Nodes, then relationships, are written with ``UNWIND $rows ...`` in
   batches, one transaction per batch, by two sessions at once, each batch
   prepared while the previous ones are written. Nodes are merged on their
   label's unique id; ``SET n = row.props`` replaces all of an element's
   properties, so a property deleted from the seed disappears too. The node
   batches return each node's element id and whether the node is new to the
   database; the relationship batches find their ends by element id (checked
   against ``id``) rather than by a second and third index seek per row.
4. A relationship with an end that this load created cannot exist yet, and
   no other load writes while the lock is held, so it is written with
   ``CREATE``; the others are merged on their ``key``. On an empty database
   every relationship is created: faster than merging them, with no
   deadlocks between the two writers (bench/HISTORY.md, ninth round).
5. Every element carries ``load_id``: a hash of the dataset's content, so
   loading the same seed twice writes the very same properties. After every
   batch has been written, elements of graphmodel's labels and relationship
   types whose ``load_id`` differs (facts deleted from the seed) are removed.

An interrupted load (killed process, server stopped) leaves the previous
graph plus some new elements, with nothing yet removed; the next load writes
the rest and removes the stale elements, ending at exactly the seed.

Labels and relationship types come only from the schema's closed sets
(:class:`~graphmodel.model.schema.NodeLabel`, :class:`~graphmodel.model.schema.RelType`);
every value travels as a query parameter.
"""

from __future__ import annotations

import hashlib
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import networkx as nx
import orjson
from neo4j.exceptions import ClientError, DriverError, Neo4jError, TransientError

from graphmodel.db.codec import to_properties
from graphmodel.db.defaults import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
from graphmodel.db.statements import (
    LOCK_CONSTRAINT,
    node_merge_query,
    relationship_create_query,
    relationship_merge_query,
    schema_name,
    schema_statements,
)
from graphmodel.db.writers import BatchWriters
from graphmodel.errors import LoadConflict
from graphmodel.graph import build_graph
from graphmodel.model.schema import NodeLabel, RelType
from graphmodel.seed import Dataset
from neo4j import Driver, ManagedTransaction

__all__ = [
    "load_dataset", "load_graph", "LoadReport", "LoadLock", "ensure_schema", "dataset_load_id",
    "DEFAULT_BATCH_SIZE", "DEFAULT_WORKERS",
]


def _write_nodes(tx: ManagedTransaction, query: str, rows: list[dict]) -> list[tuple[str, str, bool]]:
    return [(record[0], record[1], record[2]) for record in tx.run(query, rows=rows)]


def _write_relationships(tx: ManagedTransaction, query: str, rows: list[dict]) -> int:
    return tx.run(query, rows=rows).single(strict=True)[0]


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
        for stmt in schema_statements():
            _create_schema_rule(session, stmt)
        _run_retrying(session, "CALL db.awaitIndexes(300)")


def _create_schema_rule(session: Any, stmt: str) -> None:
    try:
        _run_retrying(session, stmt)
    except ClientError as exc:
        # IF NOT EXISTS is not atomic across sessions: a concurrent load may
        # create the same rule between the check and the creation.
        if not (exc.code or "").endswith(_ALREADY_EXISTS):
            raise


def dataset_load_id(G: nx.MultiDiGraph) -> str:
    """A content hash of the graph: same seed, same id; any edit, a new one.

    The canonical JSON (keys sorted, as orjson writes it: dates in ISO form) of
    every node, then every edge, in sorted order, encoded a chunk of 10,000
    elements at a time, so no chunk's text is held longer than it is hashed.
    orjson, because the standard library's encoder was a large part of a
    national load (bench/HISTORY.md). The edges are put in order by sorting
    each node's neighbours and keys (the order of sorting the ``(u, v, key)``
    triples, with small sorts of single values).
    """
    digest = hashlib.sha256()
    nodes = [(n, G._node[n]) for n in sorted(G._node)]
    succ = G._succ
    edges = [
        (u, v, k, keydict[k])
        for u in sorted(succ)
        for v, keydict in sorted(succ[u].items(), key=_first)
        for k in sorted(keydict)
    ]
    for items in (nodes, edges):
        for start in range(0, len(items), _HASH_CHUNK):
            digest.update(orjson.dumps(items[start : start + _HASH_CHUNK], default=str, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()[:16]


def _first(item: tuple[Any, Any]) -> Any:
    return item[0]


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
    relationships_created: int = 0
    """Relationships written with ``CREATE`` because an end node was new to the database (the rest were merged)."""
    waited: bool = False
    """Whether the load waited for another load to release the load lock."""


class _Rows(list):
    """A batch's rows: a list (the driver packs it as one), with a short ``repr``.

    The driver writes each RUN message to its debug log with ``repr`` of the
    parameters, worked out before the logger decides whether to log it, so
    every batch of thousands of rows was also turned into text, a large part
    of the client's work in the relationship phase. This ``repr`` is ``<5000 rows>``.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


_TAKE_LOCK = "MERGE (:GraphmodelLoadLock {id: 'load'})"
_WAIT_NOTICE_SECONDS = 1.0
LOCK_METADATA = "load lock"
"""The ``graphmodel`` entry of the lock transaction's metadata."""


class LoadLock:
    """One graphmodel load at a time per database.

    The holder creates a ``GraphmodelLoadLock`` node, whose ``id`` is unique
    by constraint, in a transaction it keeps open for the whole load and then
    rolls back. A second load's identical ``MERGE`` waits on the constraint's
    lock until that transaction ends; the node is never committed, so the
    database keeps no trace of it. A holder that dies loses its connection and
    the server rolls the transaction back at once: there is no lease to expire.

    This is what lets a load create the relationships of its new nodes
    without merging them: no other load writes meanwhile. Other writers (a
    planner's own Cypher) are not held back by it.

    Use as a context manager; ``on_wait`` is called once if the lock is held
    by another load after a second of waiting, and ``waited`` says so.
    """

    def __init__(self, driver: Driver, database: str | None = None, on_wait: Callable[[], None] | None = None):
        self._driver, self._database, self._on_wait = driver, database, on_wait
        self._session: Any = None
        self._tx: Any = None
        self.waited = False

    def __enter__(self) -> LoadLock:
        session = self._driver.session(database=self._database)
        taker: threading.Thread | None = None
        try:
            # Without the constraint two lock nodes could be made at once. It is made here too, before the
            # lock is taken: made while a holder's transaction is open, it would wait for that to end.
            _create_schema_rule(session, LOCK_CONSTRAINT)
            # the metadata tells an administrator who holds it (SHOW TRANSACTIONS YIELD metaData)
            tx = session.begin_transaction(metadata={"graphmodel": LOCK_METADATA, "host": socket.gethostname(), "pid": os.getpid()})
            outcome: list[BaseException | None] = []

            def take() -> None:
                try:
                    tx.run(_TAKE_LOCK).consume()
                    outcome.append(None)
                except BaseException as exc:  # handed to the waiting thread
                    outcome.append(exc)

            # a daemon thread, so that an interrupted wait does not keep the process alive
            taker = threading.Thread(target=take, name="graphmodel-load-lock", daemon=True)
            taker.start()
            taker.join(_WAIT_NOTICE_SECONDS)
            if taker.is_alive():
                self.waited = True
                if self._on_wait:
                    self._on_wait()
                taker.join()
            if outcome[0] is not None:
                raise outcome[0]
        except BaseException:
            if taker is None or not taker.is_alive():  # else the thread still uses the connection; it closes with the process
                with suppress(Neo4jError, DriverError, OSError):
                    session.close()
            raise
        self._session, self._tx = session, tx
        return self

    def check(self) -> None:
        """Raise :class:`~graphmodel.errors.LoadConflict` if the lock's transaction is no longer open."""
        try:
            self._tx.run("RETURN 1").consume()
        except (Neo4jError, DriverError) as exc:
            raise LoadConflict(
                "the load lost its lock on the database (the transaction holding it was ended by the server or "
                f"the connection dropped: {exc}); another load may have written at the same time: run the load again"
            ) from exc

    def __exit__(self, *exc_info: object) -> None:
        # a rollback: the lock node was never meant to be kept; errors mean the server has let go already
        with suppress(Neo4jError, DriverError, OSError):
            self._tx.rollback()
        with suppress(Neo4jError, DriverError, OSError):
            self._session.close()


def load_graph(
    driver: Driver,
    G: nx.MultiDiGraph,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    database: str | None = None,
    progress: Callable[[int], None] | None = None,
    sweep: bool = True,
    workers: int = DEFAULT_WORKERS,
    waiting: Callable[[], None] | None = None,
) -> LoadReport:
    """Write graph ``G`` (as built by :func:`graphmodel.graph.build_graph`) into Neo4j.

    Under the database's :class:`LoadLock`: nodes first (``MERGE`` on the
    label's unique id), then relationships between the nodes' element ids
    (``CREATE`` where an end is new, else ``MERGE`` on the key), each phase in
    batches of ``batch_size`` written by ``workers`` concurrent sessions; then
    the sweep. ``progress`` is called with the number of elements written after
    each batch; ``waiting`` once, if another load holds the lock and this one
    waits for it. Raises :class:`~graphmodel.errors.LoadConflict` when another
    writer removed nodes of this load while it ran, or the lock was lost (the
    next load completes it).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    load_id = dataset_load_id(G)
    ensure_schema(driver, database)

    element_ids: dict[str, str] = {}
    created: set[str] = set()
    batches = 0
    counts = {"created": 0}

    def nodes_done(rows: list[dict], written: list[tuple[str, str, bool]]) -> None:
        nonlocal batches
        for node_id, eid, new in written:
            element_ids[node_id] = eid
            if new:
                created.add(node_id)
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

    removed_rels = removed_nodes = 0
    with LoadLock(driver, database, on_wait=waiting) as lock:
        writers = BatchWriters(driver, database, workers)
        try:
            writers.write(_write_nodes, _node_jobs(G, load_id, batch_size), nodes_done)
            writers.write(
                _write_relationships,
                _relationship_jobs(G, load_id, batch_size, element_ids, created, counts),
                relationships_done,
            )
        finally:
            writers.close()
        lock.check()
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
        retried=writers.retried,
        relationships_created=counts["created"],
        waited=lock.waited,
    )


def _node_jobs(G: nx.MultiDiGraph, load_id: str, batch_size: int) -> Iterator[tuple[str, list[dict]]]:
    """Batches of node rows, a label per batch, made as the writers draw them."""
    queries: dict[str, str] = {}
    buffers: dict[str, list[dict]] = {}
    for node, attrs in G.nodes(data=True):
        props = to_properties(attrs)
        props["load_id"] = load_id
        label = attrs["label"]
        rows = buffers.get(label)
        if rows is None:
            rows = buffers[label] = _Rows()
            queries[label] = node_merge_query(label)
        rows.append({"id": node, "props": props})
        if len(rows) >= batch_size:
            yield queries[label], rows
            buffers[label] = _Rows()
    for label in sorted(buffers):
        if buffers[label]:
            yield queries[label], buffers[label]


def _relationship_jobs(
    G: nx.MultiDiGraph, load_id: str, batch_size: int, element_ids: dict[str, str], created: set[str],
    counts: dict[str, int],
) -> Iterator[tuple[str, list[dict]]]:
    """Batches of relationship rows, a type and a way of writing per batch, made as the writers draw them.

    A relationship with an end in ``created`` (nodes this load made) is
    created; the others are merged. ``counts["created"]`` counts the first.
    """
    queries: dict[tuple[str, bool], str] = {}
    buffers: dict[tuple[str, bool], list[dict]] = {}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        a, b = element_ids.get(u), element_ids.get(v)
        if a is None or b is None:
            raise LoadConflict(f"node {u if a is None else v!r} was not written; run the load again")
        props = to_properties(attrs)
        props["load_id"] = load_id
        props["key"] = key
        slot = (attrs["type"], u in created or v in created)
        rows = buffers.get(slot)
        if rows is None:
            rows = buffers[slot] = _Rows()
            queries[slot] = relationship_create_query(slot[0]) if slot[1] else relationship_merge_query(slot[0])
        rows.append({"a": a, "from": u, "b": b, "to": v, "key": key, "props": props})
        if len(rows) >= batch_size:
            if slot[1]:
                counts["created"] += len(rows)
            yield queries[slot], rows
            buffers[slot] = _Rows()
    for slot in sorted(buffers):
        if buffers[slot]:
            if slot[1]:
                counts["created"] += len(buffers[slot])
            yield queries[slot], buffers[slot]


def _sweep(session: Any, load_id: str) -> tuple[int, int]:
    """Remove graphmodel's elements that the current load did not write (deleted from the seed)."""
    removed_rels = removed_nodes = 0
    for rel in RelType:
        query = (
            f"MATCH ()-[r:{schema_name(rel.value)}]->() WHERE r.load_id IS NULL OR r.load_id <> $load_id "
            "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        )
        removed_rels += _run_retrying(session, query, load_id=load_id).counters.relationships_deleted
    for label in NodeLabel:
        query = (
            f"MATCH (n:{schema_name(label.value)}) WHERE n.load_id IS NULL OR n.load_id <> $load_id "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        summary = _run_retrying(session, query, load_id=load_id)
        removed_nodes += summary.counters.nodes_deleted
        removed_rels += summary.counters.relationships_deleted
    return removed_rels, removed_nodes


def load_dataset(driver: Driver, ds: Dataset, **kwargs: Any) -> LoadReport:
    """Build the graph of a validated dataset and load it (see :func:`load_graph`)."""
    return load_graph(driver, build_graph(ds), **kwargs)
