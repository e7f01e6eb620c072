"""Read the graph back from Neo4j into the same NetworkX ``MultiDiGraph`` the embedded path builds.

``read_graph(driver)`` reads every element of graphmodel's labels and
relationship types, ``chunk_size`` nodes with their outgoing relationships per
record; with a :class:`~graphmodel.graph.views.GraphFilter` it reads the
subgraph that :func:`graphmodel.graph.views.subgraph` would cut from the whole
graph (a test proves the two agree).

How a filtered read works
-------------------------
The view is selected in Cypher, inside one read transaction, in the steps of
:func:`graphmodel.graph.views.subgraph` (see its module docstring for the meaning):

1. *excluded*: cohorts of another type than ``cohort_type`` and meetings
   outside ``since``/``until`` (a meeting is in the window when
   ``date .. end_date`` overlaps it; a meeting without a date stays);
2. *region*: the scope (the region and every region below it through the
   ``parent`` property), the core (non-region, non-source nodes joined to the
   scope by a recorded relationship) and the ring (the same, one step further),
   never crossing an excluded node;
3. *ego*: breadth-first steps over recorded relationships within what is
   kept, up to ``radius``;
4. *node types*, then the sources that kept nodes are ``MENTIONED_IN``.

The selected nodes travel between the steps as element ids (valid within the
transaction), and the nodes and the relationships among them are then read by
element id. Only values travel as parameters; the statements are constants.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx

from graphmodel.db.codec import from_properties_in_place
from graphmodel.errors import UnknownNode
from graphmodel.graph.views import GraphFilter
from graphmodel.model.schema import NODE_MODELS, REL_MODELS, NodeLabel, RelType
from neo4j import Driver, ManagedTransaction, NotificationMinimumSeverity

__all__ = ["read_graph", "graph_parts", "graph_part_records", "CHUNK_SIZE", "FETCH_SIZE", "PARTS"]

_LABELS = [label.value for label in NodeLabel]
_TYPES = [rel.value for rel in RelType]

CHUNK_SIZE = 1_000
"""Nodes (with their outgoing relationships) per record of a read-back."""

FETCH_SIZE = 50_000
"""Records per network round trip; large, because a read-back streams the whole graph."""

PARTS = 2
"""Queries reading the whole graph at once: the server runs each on one core (two cores here)."""

# --------------------------------------------------------------------------- whole graph


def _holds_date(annotation: Any) -> bool:
    """Whether a field's annotation is a date.

    ``dt.date``, ``schema.Date`` (a date with its bounds), or either of them
    or ``None`` (``Optional`` and ``X | None`` alike).
    """
    if annotation is dt.date:
        return True
    return any(_holds_date(arg) for arg in typing.get_args(annotation))  # Annotated's first argument, a union's


def _date_fields(model: type) -> tuple[str, ...]:
    """The fields of a schema model that hold a date."""
    return tuple(
        name for name, field in model.model_fields.items()  # type: ignore[attr-defined]
        if _holds_date(field.annotation)
    )


NODE_DATE_FIELDS = {label.value: _date_fields(NODE_MODELS[label]) for label in NodeLabel}
REL_DATE_FIELDS = {rel.value: _date_fields(REL_MODELS[rel]) for rel in RelType}
"""The date fields of each node label and relationship type: Neo4j returns them as text, turned back into dates."""
_SCHEMA_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")


def _projection(var: str, kind: str, dates: dict[str, tuple[str, ...]], wrap: str = "{}") -> str:
    """A Cypher expression of the element's properties, with the schema's date fields as ISO text.

    The driver turns each date into its own ``neo4j.time.Date`` in Python
    (several objects and calls a date) and the graph wants ``datetime.date``:
    sent as text, a date is one ``date.fromisoformat`` call. The server's map
    projection (``r {.*, ...}``) costs more than ``properties(r)``, so only
    the labels and types with dates get one. A field the element lacks comes
    as null and is dropped. ``wrap`` places the map in a larger expression.
    The names all come from the schema.
    """
    def name(value: str) -> str:
        if not _SCHEMA_NAME.match(value):
            raise ValueError(f"{value!r} is not a schema name")
        return value

    cases = " ".join(
        f"WHEN '{name(kind_name)}' THEN "
        + wrap.format(f"{var} {{.*, " + ", ".join(f"`{name(key)}`: toString({var}.`{key}`)" for key in keys) + "}")
        for kind_name, keys in dates.items() if keys
    )
    return f"CASE {kind} {cases} ELSE {wrap.format(f'properties({var})')} END"


_NODE_PROPS = _projection("a", "kind", NODE_DATE_FIELDS)
_REL_PROPS = _projection("r", "type(r)", REL_DATE_FIELDS, wrap="[b.id, {}]")

# The nodes travel a chunk per record: each record carries, for up to $chunk nodes, three
# parallel lists (labels, properties, outgoing relationships as [target id, properties]).
# The driver spends more per record than on its values, so a record per node costs the
# client far more than a record per chunk (bench/HISTORY.md). The node id and the
# relationship key are read from the properties rather than sent twice. Only node
# references are collected over the whole graph; the chunks are built and sent one after
# another, so the client decodes one while the server builds the next.
#
# A read is split into parts by the last character of the node's id ($tails; the part with
# $rest takes every other node, including one without an id), read at once in sessions of
# their own: the server runs each query on one core, and building the maps is most of its
# work. A node's part depends on nothing but its id, so the parts are disjoint and complete
# whatever else changes between their queries.
_GRAPH = f"""
MATCH (a)
WITH a, CASE WHEN a.id IS :: STRING THEN right(a.id, 1) ELSE '' END AS tail
WHERE any(label IN labels(a) WHERE label IN $labels)
  AND (tail IN $tails) <> $rest
WITH collect(a) AS nodes
UNWIND range(0, size(nodes) - 1, $chunk) AS start
CALL (nodes, start) {{
  UNWIND nodes[start..start + $chunk] AS a
  WITH a, [label IN labels(a) WHERE label IN $labels][0] AS kind
  WITH kind, {_NODE_PROPS} AS props,
       COLLECT {{
         MATCH (a)-[r]->(b)
         WHERE type(r) IN $types AND any(label IN labels(b) WHERE label IN $labels)
         RETURN {_REL_PROPS}
       }} AS out
  RETURN collect(kind) AS labels, collect(props) AS props, collect(out) AS outs
}}
RETURN labels, props, outs
"""

_ID_TAILS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def graph_parts(n: int) -> list[tuple[list[str], bool]]:
    """``(tails, rest)`` for each of ``n`` parts of a read of the whole graph: every node is in exactly one.

    A node is in a part when the last character of its id is in ``tails``
    (``rest`` false), or, for the last part (``rest`` true), when it is not:
    that part also takes a node without an id.

    Parameters
    ----------
    n : int
        The number of parts (at least 1).

    Returns
    -------
    list of (list of str, bool)
        The arguments of :func:`graph_part_records` for each part.

    Examples
    --------
    >>> [(len(tails), rest) for tails, rest in graph_parts(2)]
    [(31, False), (31, True)]
    >>> graph_parts(1)
    [([], True)]
    """
    firsts = [list(_ID_TAILS[k::n]) for k in range(n - 1)]
    return [(tails, False) for tails in firsts] + [([c for tails in firsts for c in tails], True)]


def graph_part_records(session: Any, tails: list[str], rest: bool, *, chunk_size: int = CHUNK_SIZE) -> Any:
    """The records of one part of the whole graph (see :func:`graph_parts`), a chunk of nodes per record.

    Each record holds three parallel lists for up to ``chunk_size`` nodes:
    their labels, their properties, and their outgoing relationships as
    ``[target id, properties]``. :func:`read_graph` turns the records of every
    part into one graph.

    Parameters
    ----------
    session : neo4j.Session
        A session of the database.
    tails, rest
        One part, as :func:`graph_parts` gives it.
    chunk_size : int
        Nodes per record.

    Returns
    -------
    neo4j.Result
        The records ``(labels, props, outs)``, streamed.
    """
    return session.run(_GRAPH, chunk=chunk_size, labels=_LABELS, types=_TYPES, tails=tails, rest=rest)


# --------------------------------------------------------------------------- filtered view

# Step 1: cohorts of another type and meetings outside the window.
_EXCLUDED = """
MATCH (c:MigrantCohort)
WHERE $cohort_type IS NOT NULL AND (c.cohort_type IS NULL OR c.cohort_type <> $cohort_type)
RETURN elementId(c) AS eid
UNION
MATCH (m:Meeting)
WHERE m.date IS NOT NULL
  AND (($since IS NOT NULL AND coalesce(m.end_date, m.date) < $since)
       OR ($until IS NOT NULL AND m.date > $until))
RETURN elementId(m) AS eid
"""

# Step 2a: the region and every region below it, following the `parent` property
# breadth-first (a level per step; steps after the last level cost nothing).
_SCOPE = """
MATCH (root:Region {id: $region})
MATCH (r:Region)
WITH root, collect({id: r.id, parent: r.parent, eid: elementId(r)}) AS regions
WITH regions, reduce(acc = {scope: [root.id], frontier: [root.id]}, step IN regions |
       CASE WHEN size(acc.frontier) = 0 THEN acc
       ELSE {scope: acc.scope + [x IN regions WHERE x.parent IN acc.frontier AND NOT x.id IN acc.scope | x.id],
             frontier: [x IN regions WHERE x.parent IN acc.frontier AND NOT x.id IN acc.scope | x.id]}
       END) AS acc
RETURN [x IN regions WHERE x.id IN acc.scope | x.eid] AS scope
"""

# Step 2b: core (recorded neighbours of the scope) and ring (recorded neighbours of the core),
# neither regions nor sources, never excluded nodes.
_REGION_VIEW = """
UNWIND $scope AS sid
MATCH (s:Region)-[r]-(c)
WHERE elementId(s) = sid
  AND type(r) IN $types AND coalesce(r.derived, false) = false
  AND NOT c:Region AND NOT c:Source
  AND any(label IN labels(c) WHERE label IN $labels)
  AND NOT elementId(c) IN $excluded
WITH collect(DISTINCT c) AS core
RETURN [c IN core | elementId(c)] AS core,
       COLLECT {
         UNWIND core AS c
         MATCH (c)-[r]-(w)
         WHERE type(r) IN $types AND coalesce(r.derived, false) = false
           AND NOT w:Region AND NOT w:Source
           AND any(label IN labels(w) WHERE label IN $labels)
           AND NOT elementId(w) IN $excluded
         RETURN DISTINCT elementId(w)
       } AS ring
"""

_EGO = """
MATCH (n)
WHERE n.id = $ego AND any(label IN labels(n) WHERE label IN $labels)
RETURN elementId(n) AS eid
"""

# Step 3: one breadth-first step of the ego network over recorded relationships, within `keep`.
_EGO_STEP = """
UNWIND $frontier AS fid
MATCH (a)-[r]-(b)
WHERE elementId(a) = fid
  AND type(r) IN $types AND coalesce(r.derived, false) = false
  AND any(label IN labels(b) WHERE label IN $labels)
  AND ($keep IS NULL OR elementId(b) IN $keep)
  AND NOT elementId(b) IN $excluded
RETURN DISTINCT elementId(b) AS eid
"""

# Step 4: node types, then the sources that the kept nodes are MENTIONED_IN.
_FINAL = """
MATCH (n)
WHERE any(label IN labels(n) WHERE label IN $labels)
  AND ($keep IS NULL OR elementId(n) IN $keep)
  AND NOT elementId(n) IN $excluded
  AND ($node_types IS NULL OR any(label IN labels(n) WHERE label IN $node_types))
WITH collect(n) AS kept
RETURN [n IN kept | elementId(n)] AS keep,
       CASE WHEN $add_sources
         THEN COLLECT { UNWIND kept AS n MATCH (n)-[:MENTIONED_IN]->(s:Source) RETURN DISTINCT elementId(s) }
         ELSE [] END AS sources
"""

# The kept nodes and the relationships among them, in the chunks of _GRAPH.
_VIEW = f"""
UNWIND range(0, size($keep) - 1, $chunk) AS start
CALL (start) {{
  UNWIND $keep[start..start + $chunk] AS eid
  MATCH (a)
  WHERE elementId(a) = eid
  WITH a, [label IN labels(a) WHERE label IN $labels][0] AS kind
  WITH kind, {_NODE_PROPS} AS props,
       COLLECT {{
         MATCH (a)-[r]->(b)
         WHERE type(r) IN $types AND elementId(b) IN $keep
         RETURN {_REL_PROPS}
       }} AS out
  RETURN collect(kind) AS labels, collect(props) AS props, collect(out) AS outs
}}
RETURN labels, props, outs
"""


def _single(tx: ManagedTransaction, query: str, **params: Any) -> Any:
    record = tx.run(query, params).single()  # constant statements above
    return record


def _select(tx: ManagedTransaction, f: GraphFilter) -> list[str]:
    """The element ids of the nodes the view keeps (see the module docstring)."""
    base: dict[str, Any] = {"labels": _LABELS, "types": _TYPES}
    excluded = [
        r["eid"]
        for r in tx.run(_EXCLUDED, cohort_type=f.cohort_type or None, since=f.since, until=f.until)
    ]
    keep: list[str] | None = None
    if f.region:
        record = _single(tx, _SCOPE, region=f.region)
        if record is None:
            raise UnknownNode(f"region {f.region!r} not in graph")
        scope = record["scope"]
        record = _single(tx, _REGION_VIEW, scope=scope, excluded=excluded, **base)
        keep = list(dict.fromkeys([*scope, *record["core"], *record["ring"]]))
    if f.ego:
        found = [r["eid"] for r in tx.run(_EGO, ego=f.ego, labels=_LABELS)]
        if not found:
            raise UnknownNode(f"node {f.ego!r} not in graph")
        start = found[0]
        allowed = keep is None or start in set(keep)
        if start in set(excluded) or not allowed:
            keep = []
        else:
            seen, frontier = {start}, [start]
            for _ in range(f.radius):
                if not frontier:
                    break
                step = [r["eid"] for r in tx.run(_EGO_STEP, frontier=frontier, keep=keep, excluded=excluded, **base)]
                frontier = [eid for eid in step if eid not in seen]
                seen.update(frontier)
            keep = list(seen)
    add_sources = not f.node_types or NodeLabel.SOURCE.value in f.node_types
    record = _single(
        tx,
        _FINAL,
        keep=keep,
        excluded=excluded,
        node_types=sorted(f.node_types) if f.node_types else None,
        add_sources=add_sources,
        labels=_LABELS,
    )
    return list(dict.fromkeys([*record["keep"], *record["sources"]]))


def _read_view(tx: ManagedTransaction, f: GraphFilter, chunk_size: int) -> nx.MultiDiGraph:
    keep = _select(tx, f)
    return _build(tx.run(_VIEW, keep=keep, chunk=chunk_size, labels=_LABELS, types=_TYPES))


# --------------------------------------------------------------------------- building the graph


def _dates_in_place(props: dict[str, Any], keys: tuple[str, ...]) -> None:
    """The date fields ``keys`` of ``props`` from ISO text (see :func:`_projection`) to ``datetime.date``."""
    for key in keys:
        value = props.get(key)
        if value is None:
            props.pop(key, None)  # the element has no such date
        elif type(value) is str:
            props[key] = _from_iso(value)


_from_iso = dt.date.fromisoformat


def _gather(records: Any) -> tuple[list[tuple[Any, dict[str, Any]]], list[tuple[Any, Any, Any, dict[str, Any]]]]:
    """The nodes ``(id, attributes)`` and edges ``(source, target, key, attributes)`` of a stream of records.

    Each record holds three parallel lists: labels, node properties and outgoing relationships, each a list of
    ``[target id, relationship properties]``, the schema's dates as ISO text (:func:`_projection`).
    The attribute dicts are the decoded property dicts themselves, not copies.
    """
    nodes: list[tuple[Any, dict[str, Any]]] = []
    edges: list[tuple[Any, Any, Any, dict[str, Any]]] = []
    add_node, add_edge = nodes.append, edges.append
    node_dates, rel_dates = NODE_DATE_FIELDS, REL_DATE_FIELDS
    for labels, props_list, outs in records:
        for label, props, out in zip(labels, props_list, outs, strict=True):
            node_id = props.get("id")
            dates = node_dates.get(label)
            if dates:
                _dates_in_place(props, dates)
            attrs = from_properties_in_place(props)
            attrs["label"] = label
            add_node((node_id, attrs))
            for target, rel_props in out:
                key = rel_props.get("key")
                dates = rel_dates.get(rel_props.get("type"))  # the loader stores the type as a property too
                if dates:
                    _dates_in_place(rel_props, dates)
                add_edge((node_id, target, key, from_properties_in_place(rel_props)))
    return nodes, edges


def _assemble(parts: list[tuple[list[tuple[Any, dict[str, Any]]], list[tuple[Any, Any, Any, dict[str, Any]]]]]) -> nx.MultiDiGraph:
    """The ``MultiDiGraph`` of the gathered parts: every part's nodes, then every part's edges.

    The adjacency dicts are filled directly: ``add_node``/``add_edge`` with
    keyword attributes cost as much as the decoding. Elements those methods
    would treat specially (a missing id or key, a node read twice, a target
    that is not a node, a repeated key) go through them, so the graph is the
    one they would build.
    """
    G = nx.MultiDiGraph(name="graphmodel")
    node_attrs, succ, pred = G._node, G._succ, G._pred
    for nodes, _ in parts:
        for node_id, attrs in nodes:
            if node_id is None or node_id in node_attrs:
                G.add_node(node_id, **attrs)
            else:
                node_attrs[node_id] = attrs
                succ[node_id] = {}
                pred[node_id] = {}
    # after every node, so no target is created without its attributes
    for _, edges in parts:
        for source, target, key, attrs in edges:
            nbrs = succ[source]
            keydict = nbrs.get(target)
            if keydict is None and key is not None and target in node_attrs:
                nbrs[target] = pred[target][source] = {key: attrs}
            elif keydict is not None and key is not None and key not in keydict:
                keydict[key] = attrs
            else:
                G.add_edge(source, target, key, **attrs)
    return G


def _build(records: Any) -> nx.MultiDiGraph:
    """The graph of one stream of records (see :func:`_gather`)."""
    return _assemble([_gather(records)])


def read_graph(
    driver: Driver,
    *,
    database: str | None = None,
    filter: GraphFilter | None = None,  # noqa: A002 - the public name
    chunk_size: int = CHUNK_SIZE,
    parts: int = PARTS,
) -> nx.MultiDiGraph:
    """The graphmodel graph stored in Neo4j, or the view ``filter`` selects, as a ``MultiDiGraph``.

    Node and edge attributes are those of :func:`graphmodel.graph.build_graph`
    (dates as ``datetime.date``), so analytics give the same results on it.
    With a filter the result equals ``subgraph(whole graph, filter)``
    (:func:`graphmodel.graph.views.subgraph`); an unknown region or ego node raises
    :class:`~graphmodel.graph.views.UnknownNode`. ``chunk_size`` is the number of
    nodes per record, ``parts`` the number of queries that read the whole
    graph at once, each in its own session (the result depends on neither).
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    if filter is not None and not filter.is_empty():
        with _session(driver, database) as session:
            return session.execute_read(_read_view, filter, chunk_size)

    def read_part(tails: list[str], rest: bool) -> tuple[list[Any], list[Any]]:
        with _session(driver, database) as session:
            return _gather(graph_part_records(session, tails, rest, chunk_size=chunk_size))

    if parts == 1:
        return _assemble([read_part([], True)])
    with ThreadPoolExecutor(max_workers=parts, thread_name_prefix="graphmodel-read") as pool:
        futures = [pool.submit(read_part, tails, rest) for tails, rest in graph_parts(parts)]
        return _assemble([future.result() for future in futures])


def _session(driver: Driver, database: str | None) -> Any:
    return driver.session(
        database=database,
        default_access_mode="READ",
        fetch_size=FETCH_SIZE,
        notifications_min_severity=NotificationMinimumSeverity.OFF,  # e.g. "no property end_date": expected
    )
