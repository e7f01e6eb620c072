"""The local server's process: start it, stop it, ask it who it is, read its logs.

* :func:`start` writes the configuration (:mod:`graphmodel.local_neo4j.config`),
  sets the initial password of user ``neo4j`` while the database is still new,
  launches ``org.neo4j.server.CommunityEntryPoint`` on JDK 17 with the JVM flags
  the ``neo4j`` launcher passes, waits until Bolt answers, then writes
  ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` to the repo-root ``.env``.
* :func:`stop` ends it (SIGTERM, SIGKILL only after a timeout);
  :func:`status` asks any server named by the connection settings for its version.

A lock file in ``.neo4j/run`` keeps two starts (or a start and a stop) from
running at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from neo4j.exceptions import AuthError, DriverError, Neo4jError
from pydantic import SecretStr

import neo4j
from graphmodel.db.settings import (
    DEFAULT_USER,
    ENV_FILE_NAME,
    ENV_PASSWORD,
    ENV_URI,
    ENV_USER,
    ConnectionSettings,
    find_repo_root,
    load_settings,
    open_driver,
)
from graphmodel.errors import Neo4jUnavailable
from graphmodel.local_neo4j.config import (
    free_port,
    is_new_database,
    port_in_use,
    render_conf,
    resolve_password,
    set_initial_password,
    write_env_file,
)
from graphmodel.local_neo4j.layout import (
    DEFAULT_HEAP_INITIAL,
    DEFAULT_HEAP_MAX,
    DEFAULT_PAGECACHE,
    LOOPBACK,
    MAIN_CLASS,
    Layout,
    last_lines,
)
from graphmodel.local_neo4j.provision import ensure_jars, find_java, jvm_command, jvm_environment

__all__ = [
    "ServerInfo",
    "log_tail",
    "pid_alive",
    "running_pid",
    "start",
    "status",
    "stop",
]

_DETACHED: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True)
class ServerInfo:
    """What a running server told us about itself (never holds the password)."""

    uri: str
    version: str
    edition: str
    agent: str
    pid: int | None = None
    http_port: int | None = None
    started_in: float | None = None
    already_running: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict, for ``graphmodel neo4j status --format json``."""
        return asdict(self)

    def summary(self) -> str:
        """One line for a person: version, edition, address.

        Examples
        --------
        >>> ServerInfo("bolt://127.0.0.1:7687", "5.26.0", "community", "Neo4j/5.26.0").summary()
        'Neo4j 5.26.0 (community) at bolt://127.0.0.1:7687'
        """
        text = f"Neo4j {self.version} ({self.edition}) at {self.uri}"
        if self.http_port is not None:
            text += f", HTTP on http://{LOOPBACK}:{self.http_port}"
        return text


# --------------------------------------------------------------------------- process


def log_tail(repo_root: Path, lines: int = 20, since: Mapping[str, int] | None = None) -> str:
    """The last ``lines`` lines the server wrote to ``console.log`` and ``neo4j.log``.

    ``since`` maps file names to byte offsets: only what was written after them
    is shown (used by :func:`start` to show this run's lines only).
    """
    layout = Layout.for_repo(repo_root)
    collected: list[str] = []
    for path in (layout.console_log, layout.user_log):
        offset = (since or {}).get(path.name, 0)
        try:
            with open(path, "rb") as fh:
                fh.seek(offset)
                text = fh.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        collected += [
            f"{path.name}: {line}"
            for line in text.splitlines()
            if line.strip() and not line.startswith("==== graphmodel")
        ]
    return last_lines("\n".join(collected), lines) or "(the server wrote no log lines)"


def _log_offsets(layout: Layout) -> dict[str, int]:
    offsets = {}
    for path in (layout.console_log, layout.user_log):
        with contextlib.suppress(OSError):
            offsets[path.name] = path.stat().st_size
    return offsets


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is alive (a zombie is not; our own dead child is reaped).

    Examples
    --------
    >>> pid_alive(os.getpid())
    True
    """
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our own child
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _is_our_server(pid: int, layout: Layout) -> bool:
    """Whether ``pid`` is a Neo4j JVM running from this ``.neo4j`` home."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid_alive(pid)  # no /proc: trust the pid file
    args = [a.decode(errors="replace") for a in cmdline]
    return MAIN_CLASS in args and f"--home-dir={layout.home}" in args


def running_pid(repo_root: Path) -> int | None:
    """The pid of the local server if it is running (stale pid files are removed)."""
    layout = Layout.for_repo(repo_root)
    try:
        pid = int(layout.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if pid_alive(pid) and _is_our_server(pid, layout):
        return pid
    with contextlib.suppress(OSError):
        layout.pid_file.unlink()
    return None


def _read_state(layout: Layout) -> dict[str, Any]:
    try:
        data = json.loads(layout.state_file.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@contextlib.contextmanager
def _lock(layout: Layout) -> Iterator[None]:
    layout.run.mkdir(parents=True, exist_ok=True)
    with open(layout.run / "lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _query_info(driver: neo4j.Driver, uri: str) -> ServerInfo:
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition",
        database_="system",
        routing_=neo4j.RoutingControl.READ,
    )
    record = records[0] if records else None
    agent = driver.get_server_info().agent
    version = str(record["version"]) if record else agent.partition("/")[2]
    edition = str(record["edition"]) if record else "unknown"
    return ServerInfo(uri=uri, version=version, edition=edition, agent=agent)


def _local_settings(bolt_port: int, password: SecretStr) -> ConnectionSettings:
    return ConnectionSettings(
        uri=f"bolt://{LOOPBACK}:{bolt_port}", user=DEFAULT_USER, password=password
    )


def _wait_until_ready(
    proc: subprocess.Popen[bytes],
    layout: Layout,
    settings: ConnectionSettings,
    deadline: float,
    offsets: Mapping[str, int],
) -> ServerInfo:
    password = settings.password.get_secret_value()
    while True:
        code = proc.poll()
        if code is not None:
            raise Neo4jUnavailable(
                f"Neo4j exited with code {code} while starting; last lines of its logs "
                f"in {layout.logs}:\n{log_tail(layout.repo_root, since=offsets)}"
            )
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.user, password), connection_timeout=2.0
        )
        try:
            driver.verify_connectivity()
            return _query_info(driver, settings.uri)
        except AuthError:
            raise Neo4jUnavailable(
                f"Neo4j started at {settings.uri} but refused the password of user "
                f"'neo4j' taken from NEO4J_PASSWORD/{ENV_FILE_NAME}. The database in "
                f"{layout.data} was created with another password: put that one in "
                f"{ENV_FILE_NAME}, or stop the server and delete {layout.data} to start afresh."
            ) from None
        except (Neo4jError, DriverError, OSError):
            pass
        finally:
            driver.close()
        if time.monotonic() >= deadline:
            raise Neo4jUnavailable(
                f"Neo4j did not answer on {settings.uri} within the timeout; last lines "
                f"of its logs in {layout.logs}:\n{log_tail(layout.repo_root, since=offsets)}"
            )
        time.sleep(0.5)


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() >= deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while pid_alive(pid) and time.monotonic() < kill_deadline:
                time.sleep(0.1)
            return
        time.sleep(0.2)


# --------------------------------------------------------------------------- API


def start(
    repo_root: Path | None = None,
    port: int | None = None,
    timeout: float = 180,
    *,
    http_port: int | None = None,
    heap_initial: str = DEFAULT_HEAP_INITIAL,
    heap_max: str = DEFAULT_HEAP_MAX,
    pagecache: str = DEFAULT_PAGECACHE,
) -> ServerInfo:
    """Start the local server (or return the one already running) and wait for Bolt.

    ``port`` is the Bolt port on 127.0.0.1 (a free one if ``None``). Raises
    :class:`Neo4jUnavailable` if the jars cannot be fetched, Java is missing, the
    process exits early, or Bolt does not answer within ``timeout`` seconds of
    launching the JVM (fetching the jars is not counted).
    """
    began = time.monotonic()
    layout = Layout.for_repo(repo_root if repo_root is not None else find_repo_root())
    with _lock(layout):
        pid = running_pid(layout.repo_root)
        password, _source = resolve_password(layout)
        if pid is not None:
            state = _read_state(layout)
            bolt = state.get("bolt_port")
            if not isinstance(bolt, int):
                raise Neo4jUnavailable(
                    f"a Neo4j server (pid {pid}) is already running from {layout.home} "
                    "but its port is unknown; run `graphmodel neo4j stop` first"
                )
            settings = _local_settings(bolt, password)
            with open_driver(settings, connection_timeout=5.0) as driver:
                info = _query_info(driver, settings.uri)
            return replace(info, pid=pid, http_port=state.get("http_port"), already_running=True)

        for wanted in (port, http_port):
            if wanted is not None and port_in_use(wanted):
                raise Neo4jUnavailable(f"port {wanted} on {LOOPBACK} is already in use")
        bolt_port = port if port is not None else free_port()
        if http_port is not None and http_port == bolt_port:
            raise Neo4jUnavailable("the Bolt and HTTP ports must differ")

        ensure_jars(layout.repo_root)
        java = find_java()
        layout.make_dirs()
        layout.conf_file.write_text(
            render_conf(
                layout,
                bolt_port,
                http_port,
                heap_initial=heap_initial,
                heap_max=heap_max,
                pagecache=pagecache,
            ),
            encoding="utf-8",
        )
        if is_new_database(layout):
            set_initial_password(java, layout, password)

        cmd = jvm_command(java, layout, heap_initial=heap_initial, heap_max=heap_max)
        cmd += [f"--home-dir={layout.home}", f"--config-dir={layout.conf}"]
        offsets = _log_offsets(layout)
        launched = time.monotonic()  # the timeout covers the JVM, not Maven
        with open(layout.console_log, "ab") as log:
            log.write(f"\n==== graphmodel: starting Neo4j, Bolt port {bolt_port} ====\n".encode())
            log.flush()
            proc = subprocess.Popen(
                cmd,
                cwd=layout.home,
                env=jvm_environment(layout),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _DETACHED.append(proc)  # the server outlives us; keep Popen from warning about it
        layout.pid_file.write_text(f"{proc.pid}\n")
        layout.state_file.write_text(
            json.dumps({"pid": proc.pid, "bolt_port": bolt_port, "http_port": http_port}) + "\n"
        )
        settings = _local_settings(bolt_port, password)
        try:
            info = _wait_until_ready(proc, layout, settings, launched + timeout, offsets)
        except BaseException:
            _terminate(proc.pid, 30)
            with contextlib.suppress(OSError):
                layout.pid_file.unlink()
            raise
        write_env_file(
            layout.repo_root,
            {
                ENV_URI: settings.uri,
                ENV_USER: settings.user,
                ENV_PASSWORD: password.get_secret_value(),
            },
        )
        return replace(
            info,
            pid=proc.pid,
            http_port=http_port,
            started_in=round(time.monotonic() - began, 1),
        )


def stop(repo_root: Path | None = None, timeout: float = 60) -> bool:
    """Stop the local server: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Returns whether a server was running; no error if none was.
    """
    layout = Layout.for_repo(repo_root if repo_root is not None else find_repo_root())
    with _lock(layout):
        pid = running_pid(layout.repo_root)
        if pid is not None:
            _terminate(pid, timeout)
        for path in (layout.pid_file, layout.state_file):
            with contextlib.suppress(OSError):
                path.unlink()
        return pid is not None


def status(
    target: Path | ConnectionSettings | None = None, *, timeout: float = 5.0
) -> ServerInfo | None:
    """Ask the server named by the settings (or by ``target``'s env/.env) who it is.

    ``target`` is a repository root (settings from its environment and ``.env``)
    or explicit settings. Returns ``None`` when there are no settings or the
    server does not answer; raises :class:`Neo4jUnavailable` when it refuses
    the credentials.
    """
    if isinstance(target, ConnectionSettings):
        settings: ConnectionSettings | None = target
        root = find_repo_root()
    else:
        root = Path(target) if target is not None else find_repo_root()
        settings = load_settings(Path(target) if target is not None else None)  # never the cwd fallback's .env
    if settings is None:
        return None
    try:
        driver = open_driver(settings, connection_timeout=timeout)
    except Neo4jUnavailable as exc:
        if isinstance(exc.__cause__, AuthError):
            raise
        return None
    with driver:
        try:
            info = _query_info(driver, settings.uri)
        except (Neo4jError, DriverError, OSError):
            return None
    state = _read_state(Layout.for_repo(root))
    if state.get("bolt_port") is not None and settings.uri.endswith(f":{state['bolt_port']}"):
        return replace(info, pid=running_pid(root), http_port=state.get("http_port"))
    return info
