"""A local Neo4j 5.26 LTS Community server from its Maven jars, provisioned and run by the project.

The server runs from ``.neo4j/`` at the repository root; its jars come from
Maven Central through ``neo4j/pom.xml``. No command line here: ``graphmodel
neo4j start|stop|status`` (:mod:`graphmodel.cli.neo4j`) calls these functions,
and ``scripts/with-neo4j.sh`` runs ``python -m graphmodel.cli.neo4j``.

* :mod:`~graphmodel.local_neo4j.layout`: the home folder and its files.
* :mod:`~graphmodel.local_neo4j.provision`: the jars and a JDK 17 to run them.
* :mod:`~graphmodel.local_neo4j.config`: ``neo4j.conf``, ports, the password, ``.env``.
* :mod:`~graphmodel.local_neo4j.process`: start, stop, status, logs.

The names below are imported from their module when first used, so that the
command line can show its help without loading the Neo4j driver.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphmodel.local_neo4j.config import (
        MIN_PASSWORD_LENGTH,
        free_port,
        port_in_use,
        render_conf,
        write_env_file,
    )
    from graphmodel.local_neo4j.layout import (
        ADMIN_CLASS,
        DEFAULT_HEAP_INITIAL,
        DEFAULT_HEAP_MAX,
        DEFAULT_PAGECACHE,
        LIB_PATH,
        LOOPBACK,
        MAIN_CLASS,
        POM_PATH,
        Layout,
    )
    from graphmodel.local_neo4j.process import ServerInfo, log_tail, pid_alive, running_pid, start, status, stop
    from graphmodel.local_neo4j.provision import (
        JVM_FLAGS,
        ensure_jars,
        find_java,
        jvm_command,
        jvm_environment,
        neo4j_version,
    )

_HOME = {
    "ADMIN_CLASS": "layout",
    "DEFAULT_HEAP_INITIAL": "layout",
    "DEFAULT_HEAP_MAX": "layout",
    "DEFAULT_PAGECACHE": "layout",
    "JVM_FLAGS": "provision",
    "LIB_PATH": "layout",
    "LOOPBACK": "layout",
    "Layout": "layout",
    "MAIN_CLASS": "layout",
    "MIN_PASSWORD_LENGTH": "config",
    "POM_PATH": "layout",
    "ServerInfo": "process",
    "ensure_jars": "provision",
    "find_java": "provision",
    "free_port": "config",
    "jvm_command": "provision",
    "jvm_environment": "provision",
    "log_tail": "process",
    "neo4j_version": "provision",
    "pid_alive": "process",
    "port_in_use": "config",
    "render_conf": "config",
    "running_pid": "process",
    "start": "process",
    "status": "process",
    "stop": "process",
    "write_env_file": "config",
}

__all__ = [
    "ADMIN_CLASS",
    "DEFAULT_HEAP_INITIAL",
    "DEFAULT_HEAP_MAX",
    "DEFAULT_PAGECACHE",
    "JVM_FLAGS",
    "LIB_PATH",
    "LOOPBACK",
    "MAIN_CLASS",
    "MIN_PASSWORD_LENGTH",
    "POM_PATH",
    "Layout",
    "ServerInfo",
    "ensure_jars",
    "find_java",
    "free_port",
    "jvm_command",
    "jvm_environment",
    "log_tail",
    "neo4j_version",
    "pid_alive",
    "port_in_use",
    "render_conf",
    "running_pid",
    "start",
    "status",
    "stop",
    "write_env_file",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
