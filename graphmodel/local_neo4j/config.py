"""Configuration of the local server: its ``neo4j.conf``, its ports, its password and ``.env``.

* :func:`render_conf` writes ``.neo4j/conf/neo4j.conf``: Bolt on a loopback
  port, HTTP off unless asked, auth on, no usage reporting.
* :func:`resolve_password` takes the password of user ``neo4j`` from
  ``NEO4J_PASSWORD`` (environment, then ``.env``) or generates one with
  :func:`secrets.token_urlsafe` and stores it in ``.env``;
  :func:`set_initial_password` gives it to a new database. It is never
  printed, logged, put in an exception, or passed on a command line.
* :func:`write_env_file` sets ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``
  in the repo-root ``.env`` so that they read back exactly.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pydantic import SecretStr

from graphmodel.db.settings import (
    DEFAULT_USER,
    ENV_FILE_NAME,
    ENV_PASSWORD,
    ENV_USER,
    read_env_file,
)
from graphmodel.errors import Neo4jUnavailable
from graphmodel.local_neo4j.layout import (
    ADMIN_CLASS,
    DEFAULT_HEAP_INITIAL,
    DEFAULT_HEAP_MAX,
    DEFAULT_PAGECACHE,
    LOOPBACK,
    Layout,
    last_lines,
)
from graphmodel.local_neo4j.provision import JVM_FLAGS, jvm_command, jvm_environment

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "free_port",
    "is_new_database",
    "port_in_use",
    "render_conf",
    "resolve_password",
    "set_initial_password",
    "write_env_file",
]

MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length

# --------------------------------------------------------------------------- config


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """Whether a server could not listen on ``port``: something listens there already.

    With ``SO_REUSEADDR``, as the JVM sets it on a listening socket: the closed
    connections of a server that died (``TIME_WAIT`` for a minute on Linux) do
    not stop a new server from listening on its port, so they do not count.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def render_conf(
    layout: Layout,
    bolt_port: int,
    http_port: int | None = None,
    *,
    heap_initial: str = DEFAULT_HEAP_INITIAL,
    heap_max: str = DEFAULT_HEAP_MAX,
    pagecache: str = DEFAULT_PAGECACHE,
) -> str:
    """The text of ``neo4j.conf`` for the local server.

    Everything listens on 127.0.0.1 only; HTTP is off unless ``http_port`` is
    given; HTTPS is always off; auth is on; usage reporting is off.
    """
    http_lines = (
        [
            "server.http.enabled=true",
            f"server.http.listen_address={LOOPBACK}:{http_port}",
            f"server.http.advertised_address={LOOPBACK}:{http_port}",
        ]
        if http_port is not None
        else ["server.http.enabled=false"]
    )
    lines = [
        "# Written by graphmodel.local_neo4j at every start; edits are overwritten.",
        "# Local development server: loopback only, auth on, no usage reporting.",
        f"server.directories.data={layout.data}",
        f"server.directories.logs={layout.logs}",
        f"server.directories.run={layout.run}",
        f"server.directories.import={layout.import_}",
        f"server.directories.plugins={layout.plugins}",
        f"server.directories.lib={layout.lib}",
        "",
        f"server.default_listen_address={LOOPBACK}",
        f"server.default_advertised_address={LOOPBACK}",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address={LOOPBACK}:{bolt_port}",
        f"server.bolt.advertised_address={LOOPBACK}:{bolt_port}",
        "server.bolt.tls_level=DISABLED",
        *http_lines,
        "server.https.enabled=false",
        "",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "",
        "# Memory: the launcher turns the heap settings into -Xms/-Xmx; we pass those too.",
        f"server.memory.heap.initial_size={heap_initial}",
        f"server.memory.heap.max_size={heap_max}",
        f"server.memory.pagecache.size={pagecache}",
        "",
        "# Keep transaction logs small: this is a development database.",
        "db.tx_log.rotation.retention_policy=1 days 512M",
        "db.tx_log.rotation.size=64M",
        "",
    ]
    lines += [f"server.jvm.additional={flag}" for flag in JVM_FLAGS]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- password / .env

_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def _env_value_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored in ``.env`` and read back exactly, or ``None``."""
    if "\0" in value:
        return "a NUL character"
    # every break that str.splitlines knows: write_env_file rewrites .env line by line
    if len(f"x{value}x".splitlines()) > 1:
        return "a line break"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "bytes that are not UTF-8 text"
    return None


def _check_env_value(name: str, value: str, source: str | None = None) -> None:
    """Refuse a value that ``.env`` cannot hold, naming the variable but never the value."""
    problem = _env_value_problem(value)
    if problem is not None:
        origin = f" (from {source})" if source else ""
        raise Neo4jUnavailable(
            f"{name}{origin} contains {problem}, which {ENV_FILE_NAME} cannot hold; choose another value"
        )


def _dotenv_quote(value: str) -> str:
    r"""``value`` as python-dotenv reads it back exactly (``interpolate=False``): bare, or single-quoted.

    Single quotes, because inside them python-dotenv unescapes only ``\\`` and
    ``\'`` (double quotes also decode ``\n``, ``\t``, ...), and Docker Compose,
    which also reads this ``.env``, expands no ``${...}`` in them.

    >>> _dotenv_quote("bolt://127.0.0.1:7687")
    'bolt://127.0.0.1:7687'
    >>> print(_dotenv_quote("it's ${HOME}\\"))
    'it\'s ${HOME}\\'
    """
    if re.fullmatch(r"[A-Za-z0-9_.:/@%+,=-]*", value):
        return value
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def write_env_file(repo_root: Path, values: Mapping[str, str]) -> Path:
    """Set ``values`` in ``repo_root/.env`` (mode 0600), keeping every other line.

    Every value reads back exactly through :func:`~graphmodel.db.settings.read_env_file`;
    one that cannot (a NUL, a line break) raises :class:`Neo4jUnavailable` before
    anything is written.
    """
    for key, value in values.items():
        _check_env_value(key, value)
    path = Path(repo_root) / ENV_FILE_NAME
    old = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    pending = dict(values)
    out: list[str] = []
    for line in old:
        match = _ENV_LINE.match(line)
        if match and match.group(1) in values:
            key = match.group(1)
            if key in pending:
                out.append(f"{key}={_dotenv_quote(pending.pop(key))}")
            continue  # drop duplicates of a key we set
        out.append(line)
    out += [f"{key}={_dotenv_quote(value)}" for key, value in pending.items()]
    fd, tmp = tempfile.mkstemp(prefix=".env.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(out) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def resolve_password(layout: Layout) -> tuple[SecretStr, str]:
    """The password to use and where it came from (``environment``/``.env``/``generated``)."""
    value = os.environ.get(ENV_PASSWORD)
    source = "environment"
    if not value:
        value = read_env_file(layout.repo_root).get(ENV_PASSWORD)
        source = ENV_FILE_NAME
    if not value:
        value = secrets.token_urlsafe(24)
        source = "generated"
        write_env_file(layout.repo_root, {ENV_USER: DEFAULT_USER, ENV_PASSWORD: value})
    if len(value) < MIN_PASSWORD_LENGTH:
        raise Neo4jUnavailable(
            f"NEO4J_PASSWORD (from {source}) is shorter than {MIN_PASSWORD_LENGTH} "
            "characters, which Neo4j refuses"
        )
    # refused before the database is created with a password that .env could not hold
    _check_env_value(ENV_PASSWORD, value, source)
    return SecretStr(value), source


def is_new_database(layout: Layout) -> bool:
    """Whether the local database has never started (it has no ``system`` database yet)."""
    return not (layout.data / "databases" / "system").exists()


def _argfile_quote(arg: str) -> str:
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def set_initial_password(java: Path, layout: Layout, password: SecretStr) -> None:
    """``neo4j-admin dbms set-initial-password`` before the first start.

    The admin tool runs from the server classpath; its arguments (the password
    among them) go through a ``java @argfile`` in ``.neo4j/run`` (mode 0600,
    deleted at once), so the password never appears on a command line.
    """
    argv = jvm_command(java, layout, ADMIN_CLASS, heap_initial="64m", heap_max="512m")[1:]
    # "--" ends the options: a password may begin with "-" (token_urlsafe makes one in 64 so), and the
    # admin tool would read it as an unknown option and refuse with its usage text
    argv += ["dbms", "set-initial-password", "--", password.get_secret_value()]
    fd, argfile = tempfile.mkstemp(prefix="admin-", suffix=".args", dir=layout.run)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(_argfile_quote(a) for a in argv) + "\n")
        proc = subprocess.run(
            [str(java), f"@{argfile}"],
            cwd=layout.home,
            env=jvm_environment(layout),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jUnavailable("setting the initial Neo4j password timed out") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(argfile)
    if proc.returncode != 0:
        secret = password.get_secret_value()
        output = last_lines((proc.stdout + proc.stderr).replace(secret, "***"), 20)
        raise Neo4jUnavailable(
            f"setting the initial Neo4j password failed (exit {proc.returncode}):\n{output}"
        )
