"""The Cypher the loader sends: labels and relationship types from the schema's closed sets only.

Cypher cannot take a label or a relationship type as a parameter, so the
loader writes them into its statements; :func:`schema_name` lets through only
the values of :class:`~graphmodel.model.schema.NodeLabel` and
:class:`~graphmodel.model.schema.RelType`. Every value travels as a parameter
(``$rows``, ``$load_id``).
"""

from __future__ import annotations

import re

from graphmodel.model.schema import NodeLabel, RelType

__all__ = [
    "INDEXES",
    "LOCK_CONSTRAINT",
    "node_merge_query",
    "relationship_create_query",
    "relationship_merge_query",
    "schema_name",
    "schema_statements",
]

_SAFE_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_ALLOWED = frozenset(label.value for label in NodeLabel) | frozenset(rel.value for rel in RelType)

INDEXES: tuple[tuple[NodeLabel, str], ...] = (
    (NodeLabel.MEETING, "date"),
    (NodeLabel.MIGRANT_COHORT, "cohort_type"),
    (NodeLabel.REGION, "code"),
    (NodeLabel.AGENCY, "kind"),
    (NodeLabel.AGENCY, "level"),
)
"""The node properties that planners' queries look up, indexed at every load."""

LOCK_CONSTRAINT = (
    "CREATE CONSTRAINT graphmodel_load_lock IF NOT EXISTS FOR (l:GraphmodelLoadLock) REQUIRE l.id IS UNIQUE"
)
"""The constraint that makes the load lock's node unique (:class:`graphmodel.db.write.LoadLock`)."""


def schema_name(value: str) -> str:
    """A label or relationship type from the closed schema set, checked before it enters Cypher.

    Parameters
    ----------
    value : str
        A node label or a relationship type.

    Returns
    -------
    str
        ``value``, unchanged.

    Raises
    ------
    ValueError
        If ``value`` is not a label of :class:`~graphmodel.model.schema.NodeLabel`
        or a type of :class:`~graphmodel.model.schema.RelType`.

    Examples
    --------
    >>> schema_name("Agency")
    'Agency'
    >>> schema_name("Agency) DETACH DELETE (n")
    Traceback (most recent call last):
    ...
    ValueError: 'Agency) DETACH DELETE (n' is not a schema label or relationship type
    """
    if value not in _ALLOWED or not _SAFE_NAME.match(value):
        raise ValueError(f"{value!r} is not a schema label or relationship type")
    return value


def schema_statements() -> list[str]:
    """The uniqueness constraints and indexes of the graph, each ``IF NOT EXISTS`` (idempotent).

    A unique ``id`` per node label, the :data:`INDEXES`, an index on every
    relationship type's ``load_id`` (the sweep looks for stale ones), and the
    load lock's constraint.

    Examples
    --------
    >>> schema_statements()[0]
    'CREATE CONSTRAINT agency_id_unique IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE'
    """
    stmts = []
    for label in NodeLabel:
        name = schema_name(label.value)
        stmts.append(f"CREATE CONSTRAINT {name.lower()}_id_unique IF NOT EXISTS FOR (n:{name}) REQUIRE n.id IS UNIQUE")
    for label, prop in INDEXES:
        name = schema_name(label.value)
        stmts.append(f"CREATE INDEX {name.lower()}_{prop} IF NOT EXISTS FOR (n:{name}) ON (n.{prop})")
    for rel in RelType:
        name = schema_name(rel.value)
        stmts.append(f"CREATE INDEX rel_{name.lower()}_load_id IF NOT EXISTS FOR ()-[r:{name}]-() ON (r.load_id)")
    stmts.append(LOCK_CONSTRAINT)
    return stmts


def node_merge_query(label: str) -> str:
    """``UNWIND $rows`` merging nodes of ``label`` on their ``id``; returns each one's element id and whether it is new.

    The element ids come back so that the relationships can find their ends
    without an index seek, and whether each node is new, so that its
    relationships can be created without a merge.

    Raises
    ------
    ValueError
        If ``label`` is not a schema label (:func:`schema_name`).
    """
    return (
        f"UNWIND $rows AS row "
        f"WITH row, EXISTS {{ MATCH (old:{schema_name(label)} {{id: row.id}}) }} AS existed "
        f"MERGE (n:{schema_name(label)} {{id: row.id}}) SET n = row.props "
        "RETURN row.id AS id, elementId(n) AS eid, NOT existed AS created"
    )


def relationship_merge_query(rtype: str) -> str:
    """``UNWIND $rows`` merging relationships of ``rtype`` on their ``key``; returns how many rows were written.

    Ends are found by element id (a direct record lookup) and checked by id:
    an element id of a node that another writer deleted may be reused by a
    new node, which must not receive the relationship. The count tells the
    loader whether every row found both its ends.

    Raises
    ------
    ValueError
        If ``rtype`` is not a schema relationship type (:func:`schema_name`).
    """
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a) WHERE elementId(a) = row.a AND a.id = row.from "
        f"MATCH (b) WHERE elementId(b) = row.b AND b.id = row.to "
        f"MERGE (a)-[r:{schema_name(rtype)} {{key: row.key}}]->(b) "
        f"SET r = row.props "
        f"RETURN count(*) AS written"
    )


def relationship_create_query(rtype: str) -> str:
    """As :func:`relationship_merge_query`, with ``CREATE``: for relationships with an end new to the database.

    None of them can exist yet, so no merge: no search among the end's
    relationships, no locks taken while reading, no deadlocks between the
    writers.

    Raises
    ------
    ValueError
        If ``rtype`` is not a schema relationship type (:func:`schema_name`).
    """
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a) WHERE elementId(a) = row.a AND a.id = row.from "
        f"MATCH (b) WHERE elementId(b) = row.b AND b.id = row.to "
        f"CREATE (a)-[r:{schema_name(rtype)}]->(b) "
        f"SET r = row.props "
        f"RETURN count(*) AS written"
    )
