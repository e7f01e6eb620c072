"""Seed files -> a validated :class:`Dataset`.

``load_seed(seed_dir)`` reads every seed file, checks each record against the
schema, then checks the records against each other (no duplicate or dangling
ids, relationship endpoints of allowed types, evidence quotes found verbatim in
their source, official region codes and names) and raises one
:class:`~graphmodel.errors.SeedValidationError` listing every problem as
``file:line: field: message``. Nothing is returned, so nothing can be written,
from an invalid seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphmodel.errors import Problem, SeedValidationError
from graphmodel.model.schema import DERIVED_RELS, ENDPOINTS, AnyRel, NodeLabel, RelType, rel_key
from graphmodel.seed.checks import check_evidence, check_nationalities, check_regions
from graphmodel.seed.dataset import Dataset, Origin, RecordSink
from graphmodel.seed.records import read_nodes, read_relationships, read_vocabulary, seed_files
from graphmodel.seed.sources import source_texts

__all__ = ["load_seed"]


def load_seed(seed_dir: Path | str, *, sink: RecordSink | None = None) -> Dataset:
    """Read and validate a seed folder; raise :class:`SeedValidationError` listing every problem.

    With ``sink`` (see :class:`RecordSink`), each relationship goes to it as
    soon as it is checked and is not kept: the returned dataset's
    ``relationships`` is empty, and a national seed's millions of relationship
    records are never all in memory at once
    (:func:`graphmodel.graph.build_graph_from_seed` builds the graph this way).

    Parameters
    ----------
    seed_dir : path
        The seed folder (``sources.yaml``, node files or folders, ``relationships/``, ``vocabulary.yaml``).
    sink : RecordSink, optional
        Where to hand the nodes and each checked relationship instead of keeping them.

    Returns
    -------
    Dataset
        The validated nodes, relationships (none with a ``sink``), vocabulary, source texts and origins.

    Raises
    ------
    SeedValidationError
        Listing every problem found, as ``file:line: field: message``.

    See Also
    --------
    graphmodel.graph.build_graph_from_seed : validates and builds the evidence graph in one pass.

    Examples
    --------
    >>> load_seed("no-such-folder")
    Traceback (most recent call last):
    ...
    graphmodel.errors.SeedValidationError: no-such-folder:0: folder: not a folder
    """
    return _load_seed(Path(seed_dir), sink)


def _load_seed(seed_dir: Path, sink: RecordSink | None = None) -> Dataset:
    if not seed_dir.is_dir():
        raise SeedValidationError([Problem(str(seed_dir), 0, "folder", "not a folder")])
    problems: list[Problem] = []
    files = seed_files(seed_dir, problems)
    invalid: dict[str, NodeLabel] = {}
    node_list, origins, node_lines = read_nodes(files, seed_dir, problems, invalid)
    # a node file that could not be read at all hides its ids: dangling-reference
    # reports would then be noise, so they wait until that file is fixed
    unreadable = any(p.field == "file" and not p.message.startswith("unknown seed file") for p in problems)
    invalid_terms: set[str] = set()
    vocabulary = read_vocabulary(files, seed_dir, problems, invalid_terms)
    nodes = {n.id: n for n in node_list}
    texts = source_texts(nodes, origins, seed_dir, problems)

    quote_found: dict[tuple[str, str], bool] = {}
    for node in nodes.values():
        origin = origins[node.id]
        check_evidence(origin.file, origin.line, node.evidence, nodes, texts, problems, node_lines[node.id], invalid, quote_found)
    check_regions(nodes, origins, problems, node_lines, invalid)

    check_nationalities(nodes, origins, problems, node_lines, vocabulary, invalid_terms)
    del node_lines

    relationships: list[AnyRel] = []
    if sink is not None:
        sink.nodes(nodes)
    keys: dict[tuple, Origin] = {}
    endpoints: Mapping[Any, frozenset[tuple[str, str]]] = ENDPOINTS  # looked up by the records' plain strings
    for rel, record in read_relationships(files, seed_dir, problems):
        found_before = len(problems)
        if sink is None:
            relationships.append(rel)
        rec = record.data
        origin = Origin(record.file, rec.line)
        # the type and labels stay the models' plain strings: RelType and NodeLabel are StrEnums, so the
        # sets and maps keyed by them find the strings, and print alike (an enum call per record is slow at a
        # national seed's millions)
        rtype = rel.type
        if rtype in DERIVED_RELS:
            problems.append(Problem(origin.file, rec.line_of("type"), "type", f"{rtype} is derived from node evidence; do not list it"))
            continue
        start, end = nodes.get(rel.source_node), nodes.get(rel.target_node)
        for field_name, node_id, found in (("from", rel.source_node, start), ("to", rel.target_node, end)):
            if found is None and node_id not in invalid and not unreadable:
                problems.append(Problem(origin.file, rec.line_of(field_name), field_name, f"no node with id {node_id!r}"))
        if start is not None and end is not None:
            pair = (start.label, end.label)
            if pair not in endpoints[rtype]:
                allowed = ", ".join(sorted(f"{a}->{b}" for a, b in endpoints[rtype]))
                problems.append(Problem(origin.file, rec.line, "to", f"{rtype} cannot go {pair[0]}->{pair[1]} (allowed: {allowed})"))
            elif rtype == RelType.LOCATED_IN and pair == (NodeLabel.REGION, NodeLabel.REGION):
                problems.append(Problem(origin.file, rec.line, "type", "the region hierarchy is derived from each region's parent; do not list it"))
            if rel.source_node == rel.target_node:
                problems.append(Problem(origin.file, rec.line_of("to"), "to", "a relationship cannot join a node to itself"))
        key = rel_key(rel)
        if key in keys:
            first = keys[key]
            problems.append(Problem(origin.file, rec.line, "type", f"duplicate relationship {key[1]} {key[0]}->{key[2]} (first at {first.file}:{first.line}); merge their evidence"))
        else:
            keys[key] = origin
        # most quotes back several records (a meeting's attendances): when each was found already, the
        # full check (which also looks up its source) has nothing to add
        if not all(quote_found.get((ev.source, ev.quote)) for ev in rel.evidence):
            check_evidence(origin.file, origin.line, rel.evidence, nodes, texts, problems, rec, invalid, quote_found)
        if sink is not None and len(problems) == found_before:
            sink.relationship(rel)

    if problems:
        raise SeedValidationError(problems)
    all_origins: dict[Any, Origin] = dict(origins)
    all_origins.update(keys)
    return Dataset(
        nodes=nodes,
        relationships=relationships,
        nationalities=vocabulary,
        source_texts=texts,
        origins=all_origins,
    )
