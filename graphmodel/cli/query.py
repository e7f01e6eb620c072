"""``graphmodel query``: run a named planner query (``graphmodel/db/queries/*.cypher``) read-only.

    graphmodel query --list
    graphmodel query agencies_met_agency --param agency=iom --param since=2016-01-01 --param until=
    graphmodel query cohorts_by_region -p region=prov-sumatera-utara --format csv
    graphmodel query evidence_for_relationship --show

Faults are raised as :class:`~graphmodel.errors.QueryError` (exit 2) or
:class:`~graphmodel.errors.Neo4jUnavailable` (exit 3); ``graphmodel.cli.main``
turns them into one message and the exit code.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from graphmodel.cli.common import TableFormat, plain_text
from graphmodel.errors import QueryError

__all__ = ["register", "query", "print_rows"]

_out = Console()
_err = Console(stderr=True)


def _cell(value: Any) -> str:
    """One value as table or CSV text: lists joined with '; ', records as JSON, null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _print_list(fmt: TableFormat) -> None:
    from graphmodel.db.queries import list_queries

    queries = list_queries()
    if fmt is TableFormat.JSON:
        data = [
            {
                "name": q.name,
                "purpose": q.purpose,
                "parameters": {
                    name: {"type": spec.type, "example": spec.example, "description": spec.description}
                    for name, spec in q.parameters.items()
                },
                "returns": q.returns,
            }
            for q in queries
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is TableFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["name", "purpose", "parameters"])
        for q in queries:
            writer.writerow([q.name, q.purpose, q.describe_parameters()])
        return
    table = Table(title=f"Planner queries ({len(queries)})", show_lines=True)
    table.add_column("name", no_wrap=True)
    table.add_column("purpose")
    table.add_column("parameters")
    for q in queries:
        params = "\n".join(f"${n} ({s.type}) e.g. {s.example}" for n, s in q.parameters.items())
        table.add_row(plain_text(q.name), plain_text(q.purpose), plain_text(params), style=None)
    _out.print(table)
    _out.print("Run one with: graphmodel query NAME --param key=value ...", markup=False, highlight=False)


def print_rows(name: str, params: dict[str, Any], columns: list[str], rows: list[list[Any]], fmt: TableFormat) -> None:
    """Print the rows of planner query ``name`` to stdout: a table for people, or exact JSON or CSV for machines.

    In the table every value read back from the database is shown as text (no
    markup, control characters visible); JSON and CSV carry the values as they
    are. The table's row count goes to stderr.
    """
    if fmt is TableFormat.JSON:
        from graphmodel.db.queries import to_plain

        data = {
            "query": name,
            "parameters": to_plain(params),
            "columns": columns,
            "rows": [dict(zip(columns, row, strict=True)) for row in rows],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt is TableFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    else:
        table = Table(title=plain_text(name), show_lines=False)
        for column in columns:
            table.add_column(plain_text(column), overflow="fold")
        for row in rows:
            # values read back from the database are not validated here: any writer may have put them there
            table.add_row(*(plain_text(_cell(v)) for v in row))
        _out.print(table)
        _err.print(f"{len(rows)} row(s)", markup=False, highlight=False)


def query(
    name: Annotated[str | None, typer.Argument(help="Query name (see --list).", show_default=False)] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as key=value; repeat for each one. Dates are YYYY-MM-DD, lists comma-separated, an empty value is null (optional parameters only)."),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json or csv.")] = TableFormat.TABLE,
    list_: Annotated[bool, typer.Option("--list", help="List the queries with their purpose and parameters.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Print the query's Cypher file (to paste into Neo4j Browser) instead of running it.")] = False,
    uri: Annotated[str | None, typer.Option("--uri", help="Bolt URI (default: NEO4J_URI from the environment or .env).")] = None,
) -> None:
    """Run a named, parameterised planner query against Neo4j (read-only). Exit 2 on a bad query or parameter, 3 if Neo4j is unavailable."""
    from graphmodel.db.queries import get_query, parse_cli_params, run_query

    if list_:
        _print_list(fmt)
        return
    if not name:
        raise QueryError("give a query name (see `graphmodel query --list`)")
    planner_query = get_query(name)
    if show:
        sys.stdout.write(planner_query.text if planner_query.text.endswith("\n") else planner_query.text + "\n")
        return
    params = parse_cli_params(planner_query, param or [])

    from graphmodel.db.session import connect

    with connect(uri) as driver:
        columns, rows = run_query(driver, name, params)
    print_rows(name, params, columns, rows, fmt)


def register(app: typer.Typer) -> None:
    """Add the ``query`` command to ``app``."""
    app.command(name="query")(query)
