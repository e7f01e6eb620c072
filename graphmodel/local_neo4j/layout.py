"""Where the local server lives: the ``.neo4j/`` home folder, its files, and the fixed names.

The server runs from a project-local home folder ``.neo4j/`` at the repository
root (``conf/``, ``data/``, ``logs/``, ``run/``, ``import/``, ``plugins/``), all
of it git-ignored; its jars are in ``neo4j/target/lib``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ADMIN_CLASS",
    "DEFAULT_HEAP_INITIAL",
    "DEFAULT_HEAP_MAX",
    "DEFAULT_PAGECACHE",
    "HOME_DIR_NAME",
    "LIB_PATH",
    "LOOPBACK",
    "MAIN_CLASS",
    "POM_PATH",
    "Layout",
    "last_lines",
]

HOME_DIR_NAME = ".neo4j"
POM_PATH = Path("neo4j") / "pom.xml"
LIB_PATH = Path("neo4j") / "target" / "lib"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
LOOPBACK = "127.0.0.1"

# Sized for a 2-core / 24 GiB machine running the model, the tests and Python
# next to the server: see docs/neo4j.md.
DEFAULT_HEAP_INITIAL = "1g"
DEFAULT_HEAP_MAX = "2g"
DEFAULT_PAGECACHE = "1g"


@dataclass(frozen=True)
class Layout:
    """The folders and files of the local server (all under ``repo_root/.neo4j``).

    Examples
    --------
    >>> layout = Layout.for_repo(Path("/srv/project"))
    >>> layout.conf_file.as_posix()
    '/srv/project/.neo4j/conf/neo4j.conf'
    >>> layout.lib.as_posix()
    '/srv/project/neo4j/target/lib'
    """

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
        """The layout of the server of the repository at ``repo_root``."""
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
        """``conf/neo4j.conf``, written at every start."""
        return self.conf / "neo4j.conf"

    @property
    def pid_file(self) -> Path:
        """``run/neo4j.pid``: the pid of the running server."""
        return self.run / "neo4j.pid"

    @property
    def state_file(self) -> Path:
        """``run/server.json``: the pid and ports of the running server."""
        return self.run / "server.json"

    @property
    def console_log(self) -> Path:
        """``logs/console.log``: what the JVM printed."""
        return self.logs / "console.log"

    @property
    def user_log(self) -> Path:
        """``logs/neo4j.log``: the server's own log."""
        return self.logs / "neo4j.log"

    def make_dirs(self) -> None:
        """Create the home folder (mode 0700) and its sub-folders."""
        for folder in (self.conf, self.data, self.logs, self.run, self.import_, self.plugins):
            folder.mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o700)


def last_lines(text: str, count: int) -> str:
    """The last ``count`` lines of ``text``: what an error message quotes of a tool's output.

    Examples
    --------
    >>> print(last_lines(chr(10).join("abc"), 2))
    b
    c
    """
    return "\n".join(text.splitlines()[-count:])
