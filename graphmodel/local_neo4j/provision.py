"""Provisioning the local server: the Neo4j jars (through Maven) and a JDK 17 to run them.

The server jars come from Maven Central through ``neo4j/pom.xml``
(:func:`ensure_jars`); :func:`find_java` finds a JDK that Neo4j 5.26 supports;
:func:`jvm_command` and :func:`jvm_environment` launch a Neo4j class as the
``neo4j`` launcher does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from graphmodel.errors import Neo4jUnavailable
from graphmodel.local_neo4j.layout import (
    DEFAULT_HEAP_INITIAL,
    DEFAULT_HEAP_MAX,
    MAIN_CLASS,
    POM_PATH,
    Layout,
    last_lines,
)

__all__ = [
    "JVM_FLAGS",
    "ensure_jars",
    "find_java",
    "jvm_command",
    "jvm_environment",
    "neo4j_version",
]

ENV_JAVA = "GRAPHMODEL_JAVA"
JDK17_JAVA = Path("/usr/lib/jvm/java-17-openjdk-amd64/bin/java")
SUPPORTED_JAVA = (17, 21)

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
        output = last_lines((proc.stdout or "") + (proc.stderr or ""), 20)
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


def jvm_environment(layout: Layout) -> dict[str, str]:
    """The environment of a Neo4j JVM: ours, less anything that would reconfigure it.

    ``NEO4J_*`` variables (the connection settings among them) and the JVM's
    option variables are dropped; ``NEO4J_HOME`` and ``NEO4J_CONF`` name the
    local home.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.pop("JAVA_TOOL_OPTIONS", None)
    env.pop("_JAVA_OPTIONS", None)
    env.pop("JDK_JAVA_OPTIONS", None)
    env["NEO4J_HOME"] = str(layout.home)
    env["NEO4J_CONF"] = str(layout.conf)
    return env
