"""``graphmodel neo4j start|stop|status``: the local Neo4j server from the command line.

Expected faults (no Java, Maven failure, server did not start, wrong password)
are printed as one message on stderr with a non-zero exit code, never a
traceback. The password is never printed.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from graphmodel.db import server
from graphmodel.db.settings import find_repo_root
from graphmodel.errors import GraphModelError

app = typer.Typer(
    help="Run the project's local Neo4j 5.26 server (data and logs in .neo4j/).",
    no_args_is_help=True,
    add_completion=False,
)

_out = Console()
_err = Console(stderr=True)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _fail(exc: GraphModelError) -> typer.Exit:
    _err.print(Text.assemble(("error: ", "bold red"), str(exc)), highlight=False, soft_wrap=True)
    return typer.Exit(code=getattr(exc, "exit_code", 1) or 1)


_MEMORY = re.compile(r"^[1-9][0-9]*[kmg]$")
_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def _bytes(size: str) -> int:
    return int(size[:-1]) * _UNITS[size[-1]]


@app.command()
def start(
    port: Annotated[
        int | None, typer.Option("--port", help="Bolt port on 127.0.0.1 (default: a free one).")
    ] = None,
    http_port: Annotated[
        int | None,
        typer.Option(
            "--http-port", help="Also open HTTP on 127.0.0.1:PORT (e.g. 7474 for Browser)."
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for Bolt to answer.")
    ] = 180.0,
    heap: Annotated[
        str,
        typer.Option("--heap", envvar="NEO4J_HEAP", help="Maximum JVM heap, e.g. 2g (env NEO4J_HEAP)."),
    ] = server.DEFAULT_HEAP_MAX,
    pagecache: Annotated[
        str,
        typer.Option(
            "--pagecache", envvar="NEO4J_PAGECACHE", help="Page cache size, e.g. 1g (env NEO4J_PAGECACHE)."
        ),
    ] = server.DEFAULT_PAGECACHE,
) -> None:
    """Fetch the jars if needed, start the server and wait until Bolt answers."""
    root = find_repo_root()
    for name, value in (("--heap", heap), ("--pagecache", pagecache)):
        if not _MEMORY.match(value):
            raise typer.BadParameter(f"{value!r}: expected a size such as 512m or 4g", param_hint=name)
    try:
        with _err.status("Starting Neo4j (first run fetches ~120 MB of jars)..."):
            info = server.start(
                root, port=port, timeout=timeout, http_port=http_port,
                heap_initial=min(heap, server.DEFAULT_HEAP_INITIAL, key=_bytes), heap_max=heap, pagecache=pagecache,
            )
    except GraphModelError as exc:
        raise _fail(exc) from None
    if info.already_running:
        _out.print(f"already running: {info.summary()}", highlight=False, soft_wrap=True)
    else:
        _out.print(
            f"started in {info.started_in:.1f} s: {info.summary()}", highlight=False, soft_wrap=True
        )
    _out.print(
        "credentials: user neo4j, password in NEO4J_PASSWORD or .env (git-ignored)",
        highlight=False,
    )


@app.command()
def stop(
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait before SIGKILL.")
    ] = 60.0,
) -> None:
    """Stop the local server (no error if it is not running)."""
    try:
        was_running = server.stop(find_repo_root(), timeout=timeout)
    except GraphModelError as exc:
        raise _fail(exc) from None
    _out.print("stopped" if was_running else "not running", highlight=False, soft_wrap=True)


@app.command()
def status(
    format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.text,
) -> None:
    """Ask the server in NEO4J_URI (environment or .env) for its version; exit 1 if none answers."""
    try:
        info = server.status()  # settings from the environment and the project's .env only
    except GraphModelError as exc:
        raise _fail(exc) from None
    if info is None:
        _err.print(
            "Neo4j is not reachable (no NEO4J_URI/NEO4J_PASSWORD in the environment or .env, "
            "or no server answers there); start one with `graphmodel neo4j start`",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1)
    if format is OutputFormat.json:
        typer.echo(json.dumps(info.to_dict(), indent=2, sort_keys=True))
    else:
        _out.print(f"running: {info.summary()}", highlight=False, soft_wrap=True)
