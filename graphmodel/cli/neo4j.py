"""``graphmodel neo4j start|stop|status``: the local Neo4j server from the command line.

Expected faults (no Java, Maven failure, server did not start, wrong password)
are printed as one message on stderr with a non-zero exit code, never a
traceback (:func:`graphmodel.cli.common.run_app`). The password is never printed.
``python -m graphmodel.cli.neo4j`` is what scripts/with-neo4j.sh runs.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphmodel import local_neo4j  # its functions load the driver when first used, not here
from graphmodel.cli.common import TextFormat, TextFormatOption, run_app
from graphmodel.errors import Neo4jUnavailable
from graphmodel.local_neo4j.layout import DEFAULT_HEAP_INITIAL, DEFAULT_HEAP_MAX, DEFAULT_PAGECACHE

app = typer.Typer(
    help="Run the project's local Neo4j 5.26 server (data and logs in .neo4j/).",
    no_args_is_help=True,
    add_completion=False,
)

_out = Console()
_err = Console(stderr=True)


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
    ] = DEFAULT_HEAP_MAX,
    pagecache: Annotated[
        str,
        typer.Option(
            "--pagecache", envvar="NEO4J_PAGECACHE", help="Page cache size, e.g. 1g (env NEO4J_PAGECACHE)."
        ),
    ] = DEFAULT_PAGECACHE,
) -> None:
    """Fetch the jars if needed, start the server and wait until Bolt answers."""
    from graphmodel.db.settings import find_repo_root

    root = find_repo_root()
    for name, value in (("--heap", heap), ("--pagecache", pagecache)):
        if not _MEMORY.match(value):
            raise typer.BadParameter(f"{value!r}: expected a size such as 512m or 4g", param_hint=name)
    with _err.status("Starting Neo4j (first run fetches ~120 MB of jars)..."):
        info = local_neo4j.start(
            root, port=port, timeout=timeout, http_port=http_port,
            heap_initial=min(heap, DEFAULT_HEAP_INITIAL, key=_bytes), heap_max=heap, pagecache=pagecache,
        )
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
    from graphmodel.db.settings import find_repo_root

    was_running = local_neo4j.stop(find_repo_root(), timeout=timeout)
    _out.print("stopped" if was_running else "not running", highlight=False, soft_wrap=True)


@app.command()
def status(
    format: TextFormatOption = TextFormat.TEXT,
) -> None:
    """Ask the server in NEO4J_URI (environment or .env) for its version; exit 1 if none answers."""
    info = local_neo4j.status()  # settings from the environment and the project's .env only
    if info is None:
        _err.print(
            "Neo4j is not reachable (no NEO4J_URI/NEO4J_PASSWORD in the environment or .env, "
            "or no server answers there); start one with `graphmodel neo4j start`",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1)
    if format is TextFormat.JSON:
        typer.echo(json.dumps(info.to_dict(), indent=2, sort_keys=True))
    else:
        _out.print(f"running: {info.summary()}", highlight=False, soft_wrap=True)


def export_env(repo_root: Path) -> int:
    """Write the local server's ``NEO4J_*=value`` from ``.env``, NUL-separated, to a pipe.

    For scripts/with-neo4j.sh: :func:`graphmodel.local_neo4j.start` wrote these to ``.env``; the
    environment is ignored so an exported remote ``NEO4J_URI`` cannot leak in. The
    values are read as :func:`load_settings` reads them (no ``${...}`` expansion), so
    the password is exactly the one the server was given.
    """
    from graphmodel.db.settings import ENV_FILE_NAME, ENV_PASSWORD, ENV_URI, ENV_USER, load_settings

    if sys.stdout.isatty():
        sys.stderr.write("refusing to write the credentials to a terminal\n")
        return 2
    try:
        settings = load_settings(repo_root, environ={})
    except Neo4jUnavailable as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if settings is None:
        sys.stderr.write(f"no NEO4J_URI/NEO4J_PASSWORD in {repo_root / ENV_FILE_NAME}\n")
        return 1
    values = {
        ENV_URI: settings.uri,
        ENV_USER: settings.user,
        ENV_PASSWORD: settings.password.get_secret_value(),
    }
    sys.stdout.write("".join(f"{k}={v}\0" for k, v in values.items()))
    sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphmodel.cli.neo4j start|stop|status|running|env`` (what scripts/with-neo4j.sh runs)."""
    from graphmodel.db.settings import find_repo_root

    args = list(sys.argv[1:] if argv is None else argv)
    root = find_repo_root()
    if args[:1] == ["running"]:  # exit 0 when the local server's process is alive
        return 0 if local_neo4j.running_pid(root) is not None else 1
    if args[:1] == ["env"]:
        return export_env(root)
    try:
        run_app(app, args)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
