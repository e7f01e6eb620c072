"""A local Neo4j 5.26 LTS Community server, provisioned and run by the project.

The server jars come from Maven Central through ``neo4j/pom.xml``
(:func:`ensure_jars`); the server runs from a project-local home folder
``.neo4j/`` at the repository root (``conf/``, ``data/``, ``logs/``, ``run/``,
``import/``, ``plugins/``), all of it git-ignored.

* :func:`start` writes ``.neo4j/conf/neo4j.conf`` (Bolt on a loopback port, HTTP
  off unless asked, auth on, no usage reporting), sets the initial password of
  user ``neo4j`` while the database is still new, launches
  ``org.neo4j.server.CommunityEntryPoint`` on JDK 17 with the JVM flags the
  ``neo4j`` launcher passes, waits until Bolt answers, then writes
  ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` to the repo-root ``.env``.
* :func:`stop` ends it (SIGTERM, SIGKILL only after a timeout);
  :func:`status` asks any server named by the connection settings for its version.

The password comes from ``NEO4J_PASSWORD`` (environment, then ``.env``) or is
generated with :func:`secrets.token_urlsafe` and stored in ``.env``. It is never
printed, logged, put in an exception, or passed on a command line.

Run as ``python -m graphmodel.local_neo4j.server start|stop|status`` (the same commands as
``graphmodel neo4j``); ``scripts/with-neo4j.sh`` uses that form.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
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
    read_env_file,
)
from graphmodel.errors import Neo4jUnavailable

__all__ = [
    "DEFAULT_HEAP_INITIAL",
    "DEFAULT_HEAP_MAX",
    "DEFAULT_PAGECACHE",
    "JVM_FLAGS",
    "Layout",
    "ServerInfo",
    "ensure_jars",
    "find_java",
    "free_port",
    "log_tail",
    "neo4j_version",
    "render_conf",
    "running_pid",
    "start",
    "status",
    "stop",
    "write_env_file",
]

HOME_DIR_NAME = ".neo4j"
POM_PATH = Path("neo4j") / "pom.xml"
LIB_PATH = Path("neo4j") / "target" / "lib"
ENV_JAVA = "GRAPHMODEL_JAVA"
JDK17_JAVA = Path("/usr/lib/jvm/java-17-openjdk-amd64/bin/java")
SUPPORTED_JAVA = (17, 21)
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
LOOPBACK = "127.0.0.1"
MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length
_DETACHED: list[subprocess.Popen[bytes]] = []

# Sized for a 2-core / 24 GiB machine running the model, the tests and Python
# next to the server: see docs/neo4j.md.
DEFAULT_HEAP_INITIAL = "1g"
DEFAULT_HEAP_MAX = "2g"
DEFAULT_PAGECACHE = "1g"

# The ``server.jvm.additional`` lines of the neo4j.conf shipped with Neo4j 5.26;
# the ``neo4j`` launcher (org.neo4j.server.startup.Bootloader) passes them before
# its own ``-Dfile.encoding=UTF-8 -Xms.. -Xmx..``. ExitOnOutOfMemoryError is ours:
# a dev server that ran out of heap should die visibly, not limp on.
JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class Layout:
    """The folders and files of the local server (all under ``repo_root/.neo4j``)."""

    repo_root: Path
    home: Path
    conf: Path
    data: Path
    logs: Path
    run: Path
    import_: Path
    plugins: Path
    lib: Path

    @classmethod
    def for_repo(cls, repo_root: Path) -> Layout:
        root = Path(repo_root).resolve()
        home = root / HOME_DIR_NAME
        return cls(
            repo_root=root,
            home=home,
            conf=home / "conf",
            data=home / "data",
            logs=home / "logs",
            run=home / "run",
            import_=home / "import",
            plugins=home / "plugins",
            lib=root / LIB_PATH,
        )

    @property
    def conf_file(self) -> Path:
        return self.conf / "neo4j.conf"

    @property
    def pid_file(self) -> Path:
        return self.run / "neo4j.pid"

    @property
    def state_file(self) -> Path:
        return self.run / "server.json"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def user_log(self) -> Path:
        return self.logs / "neo4j.log"

    def make_dirs(self) -> None:
        for folder in (self.conf, self.data, self.logs, self.run, self.import_, self.plugins):
            folder.mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o700)


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
        return asdict(self)

    def summary(self) -> str:
        text = f"Neo4j {self.version} ({self.edition}) at {self.uri}"
        if self.http_port is not None:
            text += f", HTTP on http://{LOOPBACK}:{self.http_port}"
        return text


# --------------------------------------------------------------------------- jars


def neo4j_version(repo_root: Path) -> str:
    """The Neo4j version pinned in ``neo4j/pom.xml`` (property ``neo4j.version``)."""
    pom = Path(repo_root) / POM_PATH
    try:
        tree = ET.parse(pom)
    except (OSError, ET.ParseError) as exc:
        raise Neo4jUnavailable(f"cannot read {pom}: {exc}") from exc
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = tree.find("m:properties/m:neo4j.version", ns)
    if node is None or not (node.text or "").strip():
        raise Neo4jUnavailable(f"{pom} has no <neo4j.version> property")
    return (node.text or "").strip()


def ensure_jars(repo_root: Path, *, mvn: str = "mvn") -> Path:
    """``neo4j/target/lib`` with the server jars, fetched with Maven if missing.

    Runs ``mvn -q -B -f neo4j/pom.xml dependency:copy-dependencies`` when the
    folder is missing, empty, or lacks the pinned ``neo4j-<version>.jar``.
    """
    layout = Layout.for_repo(repo_root)
    version = neo4j_version(layout.repo_root)
    marker = layout.lib / f"neo4j-{version}.jar"
    if marker.is_file():
        return layout.lib
    exe = shutil.which(mvn)
    if exe is None:
        raise Neo4jUnavailable(
            f"the Neo4j jars are missing from {layout.lib} and `{mvn}` is not on PATH; "
            f"install Maven or run `mvn -q -B -f {POM_PATH} dependency:copy-dependencies`"
        )
    cmd = [exe, "-q", "-B", "-f", str(layout.repo_root / POM_PATH), "dependency:copy-dependencies"]
    env = dict(os.environ)
    java = _java_or_none()
    if java is not None:  # run Maven on the same JDK as the server
        env["JAVA_HOME"] = str(java.parent.parent)
    proc = subprocess.run(
        cmd,
        cwd=layout.repo_root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not marker.is_file():
        output = _last_lines((proc.stdout or "") + (proc.stderr or ""), 20)
        raise Neo4jUnavailable(
            f"fetching the Neo4j {version} jars failed (`{' '.join(cmd[1:])}` exited "
            f"{proc.returncode}):\n{output}"
        )
    return layout.lib


# --------------------------------------------------------------------------- java


def _java_major(java: Path) -> int | None:
    try:
        proc = subprocess.run(
            [str(java), "-version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)', proc.stderr + proc.stdout)
    return int(match.group(1)) if match else None


def _java_or_none() -> Path | None:
    override = os.environ.get(ENV_JAVA)
    candidates = [Path(override)] if override else [JDK17_JAVA]
    if not override:
        candidates += sorted(Path("/usr/lib/jvm").glob("*-17-*/bin/java"))
        candidates += sorted(Path("/usr/lib/jvm").glob("*-21-*/bin/java"))
    for java in candidates:
        if java.is_file() and os.access(java, os.X_OK):
            return java
    return None


def find_java() -> Path:
    """The ``java`` of a JDK 17 (or 21), by full path; ``$GRAPHMODEL_JAVA`` overrides.

    ``JAVA_HOME`` and ``PATH`` are deliberately ignored: they may point at a JDK
    that Neo4j 5.26 does not support.
    """
    java = _java_or_none()
    if java is None:
        raise Neo4jUnavailable(
            f"no JDK 17 found at {JDK17_JAVA}; install openjdk-17-jre-headless "
            f"or point {ENV_JAVA} at the `java` of a JDK 17 or 21"
        )
    major = _java_major(java)
    if major not in SUPPORTED_JAVA:
        raise Neo4jUnavailable(
            f"{java} is Java {major}; Neo4j 5.26 needs Java 17 or 21 (set {ENV_JAVA})"
        )
    return java


# --------------------------------------------------------------------------- config


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int, host: str = LOOPBACK) -> bool:
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
        "# Written by graphmodel.local_neo4j.server at every start; edits are overwritten.",
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


def jvm_command(
    java: Path,
    layout: Layout,
    main_class: str = MAIN_CLASS,
    *,
    heap_initial: str = DEFAULT_HEAP_INITIAL,
    heap_max: str = DEFAULT_HEAP_MAX,
) -> list[str]:
    """``java -cp lib/* <flags> -Xms -Xmx <main_class>`` as the Neo4j launcher builds it."""
    return [
        str(java),
        "-cp",
        f"{layout.plugins}/*:{layout.conf}/*:{layout.lib}/*",
        *JVM_FLAGS,
        f"-Xms{heap_initial}",
        f"-Xmx{heap_max}",
        main_class,
    ]


def _child_env(layout: Layout) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.pop("JAVA_TOOL_OPTIONS", None)
    env.pop("_JAVA_OPTIONS", None)
    env.pop("JDK_JAVA_OPTIONS", None)
    env["NEO4J_HOME"] = str(layout.home)
    env["NEO4J_CONF"] = str(layout.conf)
    return env


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


def _resolve_password(layout: Layout) -> tuple[SecretStr, str]:
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


def _is_new_database(layout: Layout) -> bool:
    return not (layout.data / "databases" / "system").exists()


def _argfile_quote(arg: str) -> str:
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _set_initial_password(java: Path, layout: Layout, password: SecretStr) -> None:
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
            env=_child_env(layout),
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
        output = _last_lines((proc.stdout + proc.stderr).replace(secret, "***"), 20)
        raise Neo4jUnavailable(
            f"setting the initial Neo4j password failed (exit {proc.returncode}):\n{output}"
        )


# --------------------------------------------------------------------------- process


def _last_lines(text: str, count: int) -> str:
    return "\n".join(text.splitlines()[-count:])


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
    return _last_lines("\n".join(collected), lines) or "(the server wrote no log lines)"


def _log_offsets(layout: Layout) -> dict[str, int]:
    offsets = {}
    for path in (layout.console_log, layout.user_log):
        with contextlib.suppress(OSError):
            offsets[path.name] = path.stat().st_size
    return offsets


def _pid_alive(pid: int) -> bool:
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
        return _pid_alive(pid)  # no /proc: trust the pid file
    args = [a.decode(errors="replace") for a in cmdline]
    return MAIN_CLASS in args and f"--home-dir={layout.home}" in args


def running_pid(repo_root: Path) -> int | None:
    """The pid of the local server if it is running (stale pid files are removed)."""
    layout = Layout.for_repo(repo_root)
    try:
        pid = int(layout.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid) and _is_our_server(pid, layout):
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
    while _pid_alive(pid):
        if time.monotonic() >= deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while _pid_alive(pid) and time.monotonic() < kill_deadline:
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
        password, _source = _resolve_password(layout)
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
            if wanted is not None and _port_in_use(wanted):
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
        if _is_new_database(layout):
            _set_initial_password(java, layout, password)

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
                env=_child_env(layout),
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
