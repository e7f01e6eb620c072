"""Connection settings for Neo4j: where they come from and how a driver is opened.

Settings are read from the environment variables ``NEO4J_URI``, ``NEO4J_USER``
and ``NEO4J_PASSWORD``; a variable that is not set in the environment is taken
from the git-ignored ``.env`` file of the project itself (the folder whose
``pyproject.toml`` names the ``graphmodel`` project, found by walking up from
the current directory; written by ``graphmodel neo4j start``). Outside such a
checkout no ``.env`` is read: a ``.env`` in some unrelated folder could
otherwise point ``NEO4J_URI`` at another server, which would then receive the
password from the environment. The password is held as a
:class:`pydantic.SecretStr` so it never shows up in a ``repr``, a log line or an
error message, and a URI with user info (``bolt://user:password@host``) is
refused: messages show a URI only through :func:`redact_uri`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable
from pydantic import BaseModel, ConfigDict, SecretStr

import neo4j
from graphmodel.errors import Neo4jUnavailable

__all__ = [
    "ENV_FILE_NAME",
    "ENV_PASSWORD",
    "ENV_URI",
    "ENV_USER",
    "ConnectionSettings",
    "find_project_root",
    "find_repo_root",
    "load_settings",
    "open_driver",
    "read_env_file",
    "redact_uri",
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
        """``user@uri`` for messages (never the password, nor user info inside the URI)."""
        return f"{self.user}@{redact_uri(self.uri)}"


def redact_uri(uri: str) -> str:
    """``uri`` without user info, for every message that shows a URI.

    Everything between the scheme and the last ``@`` goes: a password may
    itself contain ``@``, ``/`` or ``#``, a host name cannot contain ``@``.

    >>> redact_uri("bolt://neo4j:s3cr@t/pw@127.0.0.1:7687")
    'bolt://127.0.0.1:7687'
    >>> redact_uri("neo4j:s3cret@db.example.org")
    'db.example.org'
    >>> redact_uri("neo4j:s3cret@bolt://db.example.org")
    'bolt://db.example.org'
    >>> redact_uri("neo4j+s://xxxx.databases.neo4j.io")
    'neo4j+s://xxxx.databases.neo4j.io'
    """
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" in scheme:
        scheme, sep, rest = "", "", uri
    return f"{scheme}{sep}{rest.rpartition('@')[2]}"


def _refuse_user_info(uri: str, what: str) -> None:
    """Raise :class:`Neo4jUnavailable` if ``uri`` carries user info; the message shows it without."""
    if "@" in uri:
        raise Neo4jUnavailable(
            f"{what} contains user info ('user:password@'), which graphmodel does not accept: "
            f"give the URI as {redact_uri(uri)!r}, the user in {ENV_USER} and the password in {ENV_PASSWORD}"
        )


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


def find_project_root(start: Path | None = None) -> Path | None:
    """The root of the graphmodel checkout at or above ``start`` (default: cwd), or ``None`` outside one.

    The root is the first folder whose ``pyproject.toml`` names the ``graphmodel`` project.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_graphmodel_root(folder):
            return folder
    return None


def find_repo_root(start: Path | None = None) -> Path:
    """:func:`find_project_root`, falling back to ``start`` (default: cwd) itself.

    The fallback only says where the local server's files (``.neo4j/``) live;
    :func:`load_settings` never reads a ``.env`` found through it.
    """
    return find_project_root(start) or (start or Path.cwd()).resolve()


def read_env_file(repo_root: Path) -> dict[str, str]:
    """The ``KEY=value`` pairs of ``repo_root/.env`` (empty if there is no such file).

    Values are taken literally: ``${HOME}`` in a password stays ``${HOME}``
    (python-dotenv would expand it by default).
    """
    path = repo_root / ENV_FILE_NAME
    if not path.is_file():
        return {}
    values = dotenv_values(path, interpolate=False, encoding="utf-8")
    return {k: v for k, v in values.items() if v is not None}


def load_settings(
    repo_root: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> ConnectionSettings | None:
    """Settings from the environment, then the project's ``.env``; ``None`` without a URI or password.

    Parameters
    ----------
    repo_root
        The folder whose ``.env`` to read. By default the project's own folder
        (:func:`find_project_root`); outside a checkout no ``.env`` is read at
        all. Never pass :func:`find_repo_root`'s fallback here.
    environ
        The environment (default: ``os.environ``).

    Each variable is looked up on its own: one set in the environment wins over
    the same variable in ``.env``. ``NEO4J_USER`` defaults to ``neo4j``.

    Raises
    ------
    Neo4jUnavailable
        If ``NEO4J_URI`` carries user info (``bolt://user:password@host``).
    """
    env = os.environ if environ is None else environ
    root = repo_root if repo_root is not None else find_project_root()
    file_values = read_env_file(root) if root is not None else {}

    def pick(name: str) -> tuple[str | None, str]:
        """The value of ``name`` and where it came from."""
        if env.get(name):
            return env[name], "the environment"
        return file_values.get(name) or None, str(root / ENV_FILE_NAME if root else ENV_FILE_NAME)

    uri, uri_source = pick(ENV_URI)
    if uri is not None:
        _refuse_user_info(uri, f"{ENV_URI} (from {uri_source})")
    password, _ = pick(ENV_PASSWORD)
    if uri is None or password is None:
        return None
    return ConnectionSettings(
        uri=uri, user=pick(ENV_USER)[0] or DEFAULT_USER, password=SecretStr(password)
    )


def open_driver(
    settings: ConnectionSettings,
    *,
    connection_timeout: float = 10.0,
    max_transaction_retry_time: float = 15.0,
    verify: bool = True,
) -> neo4j.Driver:
    """A :class:`neo4j.Driver` for ``settings``, checked with ``verify_connectivity``.

    Refused credentials, unreachable servers and a URI with user info raise
    :class:`~graphmodel.errors.Neo4jUnavailable` with one message that names the
    URI (without user info) and user but never the password.
    """
    # settings built in code or by --uri never went through load_settings
    _refuse_user_info(settings.uri, "the Neo4j URI")
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password.get_secret_value()),
            connection_timeout=connection_timeout,
            max_transaction_retry_time=max_transaction_retry_time,
            connection_acquisition_timeout=connection_timeout + 5.0,
        )
    except (ValueError, DriverError) as exc:
        raise Neo4jUnavailable(f"invalid Neo4j URI {redact_uri(settings.uri)!r}: {exc}") from exc
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
    uri = redact_uri(settings.uri)
    if isinstance(exc, AuthError):
        return Neo4jUnavailable(
            f"Neo4j at {uri} refused the credentials of user {settings.user!r} "
            f"(check NEO4J_USER/NEO4J_PASSWORD in the environment or in {ENV_FILE_NAME})"
        )
    if isinstance(exc, ServiceUnavailable | OSError):
        return Neo4jUnavailable(
            f"cannot reach Neo4j at {uri}: {exc} "
            "(start the local server with `graphmodel neo4j start`, "
            "or set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD)"
        )
    code = getattr(exc, "code", None) or type(exc).__name__
    return Neo4jUnavailable(f"Neo4j at {uri} is not usable: {code}")
