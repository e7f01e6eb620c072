"""Connection settings for Neo4j: where they come from and how a driver is opened.

Settings are read from the environment variables ``NEO4J_URI``, ``NEO4J_USER``
and ``NEO4J_PASSWORD``; a variable that is not set in the environment is taken
from the git-ignored ``.env`` file at the repository root (written by
``graphmodel neo4j start``). The password is held as a :class:`pydantic.SecretStr`
so it never shows up in a ``repr``, a log line or an error message.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

import neo4j
from dotenv import dotenv_values
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable
from pydantic import BaseModel, ConfigDict, SecretStr

from graphmodel.errors import Neo4jUnavailable

__all__ = [
    "ENV_FILE_NAME",
    "ENV_PASSWORD",
    "ENV_URI",
    "ENV_USER",
    "ConnectionSettings",
    "find_repo_root",
    "load_settings",
    "open_driver",
    "read_env_file",
    "unavailable_error",
]

ENV_URI = "NEO4J_URI"
ENV_USER = "NEO4J_USER"
ENV_PASSWORD = "NEO4J_PASSWORD"
ENV_FILE_NAME = ".env"
DEFAULT_USER = "neo4j"
PROJECT_NAME = "graphmodel"


class ConnectionSettings(BaseModel):
    """Where the Neo4j server is and how to log in; ``repr`` hides the password.

    >>> s = ConnectionSettings(uri="bolt://127.0.0.1:7687", password="s3cret-pw")
    >>> "s3cret-pw" in repr(s)
    False
    >>> s.user
    'neo4j'
    """

    model_config = ConfigDict(frozen=True)

    uri: str
    user: str = DEFAULT_USER
    password: SecretStr

    def describe(self) -> str:
        """``user@uri`` for messages (never the password)."""
        return f"{self.user}@{self.uri}"


def _is_graphmodel_root(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    project = data.get("project")
    return isinstance(project, dict) and project.get("name") == PROJECT_NAME


def find_repo_root(start: Path | None = None) -> Path:
    """Walk up from ``start`` (default: cwd) to the folder whose ``pyproject.toml``
    names the ``graphmodel`` project; fall back to ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_graphmodel_root(folder):
            return folder
    return here


def read_env_file(repo_root: Path) -> dict[str, str]:
    """The ``KEY=value`` pairs of ``repo_root/.env`` (empty if there is no such file)."""
    path = repo_root / ENV_FILE_NAME
    if not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(
    repo_root: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> ConnectionSettings | None:
    """Settings from the environment, then ``.env``; ``None`` without a URI or password.

    Each variable is looked up on its own: one set in the environment wins over
    the same variable in ``.env``. ``NEO4J_USER`` defaults to ``neo4j``.
    """
    env = os.environ if environ is None else environ
    root = repo_root if repo_root is not None else find_repo_root()
    file_values = read_env_file(root)

    def pick(name: str) -> str | None:
        value = env.get(name)
        if value:
            return value
        value = file_values.get(name)
        return value or None

    uri = pick(ENV_URI)
    password = pick(ENV_PASSWORD)
    if uri is None or password is None:
        return None
    return ConnectionSettings(
        uri=uri, user=pick(ENV_USER) or DEFAULT_USER, password=SecretStr(password)
    )


def open_driver(
    settings: ConnectionSettings,
    *,
    connection_timeout: float = 10.0,
    max_transaction_retry_time: float = 15.0,
    verify: bool = True,
) -> neo4j.Driver:
    """A :class:`neo4j.Driver` for ``settings``, checked with ``verify_connectivity``.

    Refused credentials and unreachable servers raise
    :class:`~graphmodel.errors.Neo4jUnavailable` with one message that names the
    URI and user but never the password.
    """
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password.get_secret_value()),
            connection_timeout=connection_timeout,
            max_transaction_retry_time=max_transaction_retry_time,
            connection_acquisition_timeout=connection_timeout + 5.0,
        )
    except (ValueError, DriverError) as exc:
        raise Neo4jUnavailable(f"invalid Neo4j URI {settings.uri!r}: {exc}") from exc
    if not verify:
        return driver
    try:
        driver.verify_connectivity()
    except (Neo4jError, DriverError, OSError) as exc:
        driver.close()
        raise unavailable_error(settings, exc) from exc
    except BaseException:
        driver.close()
        raise
    return driver


def unavailable_error(
    settings: ConnectionSettings, exc: Neo4jError | DriverError | OSError
) -> Neo4jUnavailable:
    """One clear :class:`Neo4jUnavailable` for a driver failure (never with the password)."""
    if isinstance(exc, AuthError):
        return Neo4jUnavailable(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r} "
            f"(check NEO4J_USER/NEO4J_PASSWORD in the environment or in {ENV_FILE_NAME})"
        )
    if isinstance(exc, ServiceUnavailable | OSError):
        return Neo4jUnavailable(
            f"cannot reach Neo4j at {settings.uri}: {exc} "
            "(start the local server with `graphmodel neo4j start`, "
            "or set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD)"
        )
    code = getattr(exc, "code", None) or type(exc).__name__
    return Neo4jUnavailable(f"Neo4j at {settings.uri} is not usable: {code}")
