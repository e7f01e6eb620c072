"""The planner query library: named, parameterised ``.cypher`` files, read-only runs.

Each file in ``graphmodel/db/queries/`` holds one query a planner can paste into
Neo4j Browser or cypher-shell, under a header comment::

    // name: agencies_met_agency
    // purpose: Agencies that sat in a meeting with a given agency ...
    // parameters: $agency (string) e.g. 'iom' -- id of the agency
    // parameters: $since (date?) e.g. 2016-01-01 -- first day; null for no bound
    // example: :param agency => 'iom'
    // returns: agency_id, agency_name, ...

Parameter types are ``string``, ``int``, ``float``, ``date`` (ISO
``YYYY-MM-DD``), ``bool`` and ``list<string>`` (comma-separated on the command
line); a trailing ``?`` makes a parameter optional (null when left out, or
given as ``null`` or an empty value). Values only ever travel as query
parameters; the query text is the file, never built at run time.

:func:`run_query` runs a query in a READ session (``execute_read``), so a
statement that tries to write is refused by the server; that refusal, an
unknown query, a missing or unknown parameter and a value of the wrong type
are all raised as :class:`~graphmodel.errors.QueryError`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Path, Relationship

import neo4j
from graphmodel.errors import Neo4jUnavailable, QueryError
from neo4j import Driver, ManagedTransaction

__all__ = [
    "PARAMETER_TYPES",
    "ParameterSpec",
    "PlannerQuery",
    "coerce_value",
    "get_query",
    "list_queries",
    "parse_cli_params",
    "parse_query_file",
    "prepare_params",
    "run_cypher",
    "run_query",
    "to_plain",
]

PARAMETER_TYPES = frozenset({"string", "int", "float", "date", "bool", "list<string>"})
"""Declared parameter types; append ``?`` for an optional (nullable) parameter."""

DEFAULT_TIMEOUT = 60.0  # seconds; a planner query on the model's graphs takes milliseconds
FETCH_SIZE = 10_000

_HEADER_KEY = re.compile(r"^//\s*(name|purpose|parameters|example|returns):\s*(.*?)\s*$")
_PARAM_LINE = re.compile(
    r"^\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[^)]+)\)"
    r"(?:\s*e\.g\.\s*(?P<example>.*?))?"
    r"(?:\s+--\s+(?P<description>.*))?\s*$"
)
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
_NULL = {"", "null", "none"}
_READ_ONLY_CODES = ("AccessMode", "ForbiddenDueToTransactionType", "ForbiddenOnReadOnlyDatabase", "WriteOnReadOnlyAccess")


class ParameterSpec(NamedTuple):
    """A declared parameter: its type (``date?`` when optional), an example value, what it means."""

    type: str
    example: str
    description: str

    @property
    def optional(self) -> bool:
        return self.type.endswith("?")

    @property
    def base_type(self) -> str:
        return self.type.rstrip("?")


@dataclass(frozen=True)
class PlannerQuery:
    """One ``.cypher`` file of the library, with its parsed header."""

    name: str
    purpose: str
    parameters: dict[str, ParameterSpec]
    returns: list[str]
    text: str
    examples: list[str] = field(default_factory=list)
    notes: str = ""

    def describe_parameters(self) -> str:
        """``$agency (string) e.g. 'iom'; $since (date?) e.g. 2016-01-01`` for listings."""
        return "; ".join(f"${name} ({spec.type}) e.g. {spec.example}" for name, spec in self.parameters.items())

    def example_params(self) -> dict[str, Any]:
        """The header's example values, typed (what ``:param`` lines would set)."""
        return {name: coerce_value(self.name, name, spec, _unquote(spec.example)) for name, spec in self.parameters.items()}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _code_only(text: str) -> str:
    """The query text without ``//`` comments and string literals (to find ``$parameter`` uses)."""
    lines = []
    for line in text.splitlines():
        code = _STRING_LITERAL.sub("''", line)
        cut = code.find("//")
        lines.append(code if cut < 0 else code[:cut])
    return "\n".join(lines)


def parse_query_file(text: str, filename: str) -> PlannerQuery:
    """Parse one query file; a malformed header raises :class:`QueryError` naming the file."""

    def fail(message: str) -> QueryError:
        return QueryError(f"{filename}: {message}")

    fields: dict[str, str] = {}
    parameters: dict[str, ParameterSpec] = {}
    examples: list[str] = []
    notes: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            if stripped:
                break  # the header is the leading comment block
            continue
        match = _HEADER_KEY.match(stripped)
        if match is None:
            note = stripped[2:].strip()
            if note:
                notes.append(note)
            continue
        key, value = match.groups()
        if key == "parameters":
            if not value:
                continue
            pm = _PARAM_LINE.match(value)
            if pm is None:
                raise fail(f"cannot read parameter line {value!r} (expected: $name (type) e.g. value -- description)")
            spec = ParameterSpec(pm["type"].strip(), (pm["example"] or "").strip(), (pm["description"] or "").strip())
            if spec.base_type not in PARAMETER_TYPES:
                raise fail(f"parameter ${pm['name']} has unknown type {spec.type!r}; use one of {', '.join(sorted(PARAMETER_TYPES))}")
            if pm["name"] in parameters:
                raise fail(f"parameter ${pm['name']} is declared twice")
            parameters[pm["name"]] = spec
        elif key == "example":
            examples.append(value)
        elif key in fields:
            raise fail(f"header field {key!r} appears twice")
        else:
            fields[key] = value
    for key in ("name", "purpose", "returns"):
        if not fields.get(key):
            raise fail(f"header lacks '// {key}: ...'")
    used = set(_PARAM_USE.findall(_code_only(text)))
    if undeclared := sorted(used - set(parameters)):
        raise fail("uses undeclared parameter(s) " + ", ".join(f"${p}" for p in undeclared))
    if unused := sorted(set(parameters) - used):
        raise fail("declares parameter(s) it never uses: " + ", ".join(f"${p}" for p in unused))
    returns = [col.strip() for col in fields["returns"].split(",") if col.strip()]
    return PlannerQuery(
        name=fields["name"],
        purpose=fields["purpose"],
        parameters=parameters,
        returns=returns,
        text=text,
        examples=examples,
        notes=" ".join(notes),
    )


@functools.cache
def _library() -> dict[str, PlannerQuery]:
    folder = importlib.resources.files("graphmodel.db.queries")
    queries: dict[str, PlannerQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".cypher"):
            continue
        query = parse_query_file(entry.read_text(encoding="utf-8"), entry.name)
        stem = entry.name.removesuffix(".cypher")
        if query.name != stem:
            raise QueryError(f"{entry.name}: header name {query.name!r} differs from the file name {stem!r}")
        queries[query.name] = query
    return queries


def list_queries() -> list[PlannerQuery]:
    """Every planner query, sorted by name."""
    return list(_library().values())


def get_query(name: str) -> PlannerQuery:
    """The query called ``name``; :class:`QueryError` listing the known names otherwise."""
    try:
        return _library()[name]
    except KeyError:
        known = ", ".join(_library())
        raise QueryError(f"unknown query {name!r}; known queries: {known} (see `graphmodel query --list`)") from None


# --------------------------------------------------------------------------- parameters


def coerce_value(query: str, name: str, spec: ParameterSpec, value: Any) -> Any:
    """``value`` (a string from the command line, or a Python value) as the declared type."""

    def bad(why: str) -> QueryError:
        return QueryError(f"query {query!r}: parameter {name}={value!r} is not a valid {spec.base_type}: {why}")

    if value is None or (isinstance(value, str) and spec.base_type != "string" and value.strip().lower() in _NULL):
        if spec.optional:
            return None
        raise bad("the parameter is required")
    if isinstance(value, str) and spec.optional and spec.base_type == "string" and value.strip().lower() == "null":
        return None
    kind = spec.base_type
    if kind == "string":
        if not isinstance(value, str):
            raise bad("expected text")
        return value
    if kind == "int":
        if isinstance(value, bool):
            raise bad("expected a whole number")
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad("expected a whole number") from None
    if kind == "float":
        if isinstance(value, bool):
            raise bad("expected a number")
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(str(value).strip())
        except ValueError:
            raise bad("expected a number") from None
    if kind == "date":
        if isinstance(value, dt.datetime):
            raise bad("expected a date, not a date and time")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise bad("expected an ISO date YYYY-MM-DD") from None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad("expected true or false")
    if kind == "list<string>":
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        raise bad("expected comma-separated text")
    raise bad("unknown type")  # pragma: no cover - types are checked when the file is read


def prepare_params(query: PlannerQuery, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``params`` against the query's declared parameters and convert them to their types.

    Unknown or missing (required) parameters raise :class:`QueryError`; optional
    ones left out are null.
    """
    if unknown := sorted(set(params) - set(query.parameters)):
        declared = ", ".join(query.parameters) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}; its parameters: {declared}")
    missing = [n for n, spec in query.parameters.items() if n not in params and not spec.optional]
    if missing:
        hints = ", ".join(f"--param {n}={_unquote(query.parameters[n].example)}" for n in missing)
        raise QueryError(f"query {query.name!r} needs parameter(s) {', '.join(missing)} (e.g. {hints})")
    return {
        name: coerce_value(query.name, name, spec, params.get(name)) for name, spec in query.parameters.items()
    }


def parse_cli_params(query: PlannerQuery, items: Sequence[str]) -> dict[str, Any]:
    """``["agency=iom", "since=2016-01-01"]`` -> typed parameters of ``query``."""
    raw: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().removeprefix("$")
        if not sep or not key:
            raise QueryError(f"--param {item!r} is not key=value")
        if key in raw:
            raise QueryError(f"parameter {key!r} is given twice")
        raw[key] = value
    return prepare_params(query, raw)


# --------------------------------------------------------------------------- values


def to_plain(value: Any) -> Any:
    """A Neo4j result value as plain JSON-able Python (dates as ISO text, nodes as dicts)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Node):
        return {
            "id": value.get("id"),
            "labels": sorted(value.labels),
            "properties": {k: to_plain(v) for k, v in sorted(value.items())},
        }
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": value.start_node.get("id") if value.start_node is not None else None,
            "end": value.end_node.get("id") if value.end_node is not None else None,
            "properties": {k: to_plain(v) for k, v in sorted(value.items())},
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_plain(n) for n in value.nodes],
            "relationships": [to_plain(r) for r in value.relationships],
        }
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    iso_format = getattr(value, "iso_format", None)  # neo4j.time Date, DateTime, Time, Duration
    if callable(iso_format):
        return iso_format()
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, tuple) or hasattr(value, "srid"):  # neo4j.spatial points
        return list(value)
    return str(value)


# --------------------------------------------------------------------------- running


def _collect(tx: ManagedTransaction, text: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    result = tx.run(text, params)  # text comes from the packaged .cypher files
    columns = list(result.keys())
    rows = [[to_plain(v) for v in record.values()] for record in result]
    return columns, rows


def run_cypher(
    driver: Driver,
    text: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    label: str = "query",
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[list[str], list[list[Any]]]:
    """Run Cypher ``text`` read-only (READ session, ``execute_read``): ``(columns, rows)``.

    The path every planner query takes. A statement that tries to write is
    refused by the server and raised as :class:`QueryError`; so is any other
    error the server reports for the statement.
    """
    work = neo4j.unit_of_work(timeout=timeout)(_collect)
    try:
        with driver.session(
            database=database,
            default_access_mode=neo4j.READ_ACCESS,
            fetch_size=FETCH_SIZE,
            # "property end_date is not in the database" and the like are noise for a planner
            notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
        ) as session:
            return session.execute_read(work, text, dict(params or {}))
    except ClientError as exc:
        code = exc.code or ""
        if any(part in code for part in _READ_ONLY_CODES):
            raise QueryError(
                f"{label} tried to write ({code}); planner queries run read-only: nothing was changed"
            ) from exc
        raise QueryError(f"{label} failed: {code}: {exc.message}") from exc
    except (ServiceUnavailable, SessionExpired) as exc:
        raise Neo4jUnavailable(f"Neo4j became unreachable while running {label}: {exc}") from exc
    except Neo4jError as exc:
        raise QueryError(f"{label} failed: {exc.code}: {exc.message}") from exc
    except DriverError as exc:
        raise Neo4jUnavailable(f"the Neo4j driver failed while running {label}: {exc}") from exc


def run_query(
    driver: Driver,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[list[str], list[list[Any]]]:
    """Run the planner query ``name`` with ``params`` (typed values, or strings to convert).

    Returns ``(columns, rows)``: the column names and one list of plain values
    per row (dates as ISO text, nodes/relationships/paths as dicts).
    """
    query = get_query(name)
    typed = prepare_params(query, params or {})
    return run_cypher(driver, query.text, typed, database=database, label=f"query {name!r}", timeout=timeout)
