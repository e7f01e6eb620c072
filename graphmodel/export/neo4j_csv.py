r"""CSV files for ``neo4j-admin database import`` (the offline bulk importer).

One node file per label and one relationship file per (type, start label,
end label), because the header names the ID space of each end::

    nodes_Agency.csv     id:ID(Agency),name,aliases:string[],...,:LABEL
    rels_ATTENDED_Agency_Meeting.csv
                         :START_ID(Agency),:END_ID(Meeting),:TYPE,key,role,...

Properties are those the Neo4j loader writes (:func:`graphmodel.db.codec.to_properties`):
evidence as two parallel arrays ``evidence_sources:string[]`` and
``evidence_quotes:string[]``, money and quantity flattened, dates as ``:date``,
and each relationship's ``key`` (``TYPE[:qualifier]``). Arrays use ``;``
between elements; a ``;`` inside an element is written as the full-width
``；`` (U+FF1B), because the importer has no escape for its array delimiter.

``import-command.txt`` beside the files holds the command that imports them::

    neo4j-admin database import full neo4j --array-delimiter=";" --multiline-fields=true \
        --nodes=nodes_Agency.csv ... --relationships=rels_ATTENDED_Agency_Meeting.csv ...

References
----------
Neo4j Operations Manual, "Import" (CSV header format).
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from graphmodel.db.codec import to_properties

__all__ = ["write_neo4j_csv", "is_export_file", "ARRAY_DELIMITER", "COMMAND_FILE"]

ARRAY_DELIMITER = ";"
COMMAND_FILE = "import-command.txt"
_SAFE_DELIMITER = "\uff1b"


def _column_type(values: list[Any]) -> str:
    """The neo4j-admin type suffix of a column (``""`` for string)."""
    def scalar(v: Any) -> str:
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, int):
            return "long"
        if isinstance(v, float):
            return "double"
        if isinstance(v, dt.datetime):
            return "datetime"
        if isinstance(v, dt.date):
            return "date"
        return "string"

    kinds = set()
    for v in values:
        if isinstance(v, (list, tuple)):
            kinds.add(("array", frozenset(scalar(x) for x in v) or frozenset({"string"})))
        else:
            kinds.add(("scalar", frozenset({scalar(v)})))
    if any(k == "array" for k, _ in kinds):
        inner = set().union(*(s for _, s in kinds))
        base = "long" if inner == {"long"} else "double" if inner <= {"long", "double"} else "string"
        return f"{base}[]"
    inner = set().union(*(s for _, s in kinds))
    if inner == {"long"}:
        return "long"
    if inner <= {"long", "double"}:
        return "double"
    if len(inner) == 1 and next(iter(inner)) in {"boolean", "date", "datetime"}:
        return next(iter(inner))
    return ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(_cell(v).replace(ARRAY_DELIMITER, _SAFE_DELIMITER) for v in value)
    return str(value)


def _header(props: list[dict[str, Any]], skip: set[str]) -> list[tuple[str, str]]:
    values: dict[str, list[Any]] = defaultdict(list)
    for p in props:
        for k, v in p.items():
            if v is not None and k not in skip:
                values[k].append(v)
    return [(k, _column_type(values[k])) for k in sorted(values)]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def is_export_file(name: str) -> bool:
    """Whether a file of this name is one that :func:`write_neo4j_csv` writes (so a new export may replace it)."""
    return name == COMMAND_FILE or any(fnmatch.fnmatchcase(name, pattern) for pattern in ("nodes_*.csv", "rels_*.csv"))


def write_neo4j_csv(G: nx.MultiDiGraph, out_dir: Path | str) -> list[Path]:
    """Write ``G`` as neo4j-admin import CSV files into the folder ``out_dir``; return the files written.

    The files are written into a staging folder beside ``out_dir``, which takes
    its place whole once every file is complete: a failure (a full disk) leaves
    an earlier export exactly as it was, never new files beside an old
    ``import-command.txt``. ``out_dir`` must be new, empty, or hold only an
    earlier export (:func:`is_export_file`); anything else there is refused
    (:class:`~graphmodel.errors.OutputError`), not deleted.
    """
    from graphmodel.util.output import staged_folder

    out_dir = Path(out_dir)
    with staged_folder(out_dir, is_export_file) as staging:
        names = _write_files(G, staging)
    return [out_dir / name for name in names]


def _write_files(G: nx.MultiDiGraph, out_dir: Path) -> list[str]:
    by_label: dict[str, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        by_label[str(d.get("label", "Node"))].append(n)
    node_files = []
    for label in sorted(by_label):
        props = {n: to_properties({k: v for k, v in G.nodes[n].items() if k not in {"id", "label"}}) for n in by_label[label]}
        columns = _header(list(props.values()), skip=set())
        header = [f"id:ID({label})"] + [f"{k}:{t}" if t else k for k, t in columns] + [":LABEL"]
        rows = [[n] + [_cell(props[n].get(k)) for k, _ in columns] + [label] for n in sorted(by_label[label])]
        name = f"nodes_{label}.csv"
        _write(out_dir / name, header, rows)
        node_files.append(name)

    by_shape: dict[tuple[str, str, str], list[tuple[str, str, str, dict]]] = defaultdict(list)
    for u, v, k, d in G.edges(keys=True, data=True):
        shape = (str(d.get("type", k)), str(G.nodes[u].get("label")), str(G.nodes[v].get("label")))
        by_shape[shape].append((u, v, k, d))
    rel_files = []
    for (rtype, start, end), edges in sorted(by_shape.items()):
        rel_props = [to_properties({"key": k, **{kk: vv for kk, vv in d.items() if kk != "type"}}) for _, _, k, d in edges]
        columns = _header(rel_props, skip=set())
        header = [f":START_ID({start})", f":END_ID({end})", ":TYPE"] + [f"{k}:{t}" if t else k for k, t in columns]
        rows = sorted(
            [[u, v, rtype] + [_cell(p.get(k)) for k, _ in columns] for (u, v, _, _), p in zip(edges, rel_props, strict=True)]
        )
        name = f"rels_{rtype}_{start}_{end}.csv"
        _write(out_dir / name, header, rows)
        rel_files.append(name)

    command = (
        'neo4j-admin database import full neo4j --array-delimiter=";" --multiline-fields=true \\\n'
        + "".join(f"  --nodes={name} \\\n" for name in node_files)
        + " \\\n".join(f"  --relationships={name}" for name in rel_files)
        + "\n"
    )
    (out_dir / COMMAND_FILE).write_text(command, encoding="utf-8")
    return node_files + rel_files + [COMMAND_FILE]
