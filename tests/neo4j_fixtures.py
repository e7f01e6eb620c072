"""pytest plugin: fixtures for tests that run against a real Neo4j server.

Load it from ``tests/conftest.py`` with either of::

    pytest_plugins = ["tests.neo4j_fixtures"]      # rootdir on sys.path
    from neo4j_fixtures import *                    # noqa: F403 (tests/ on sys.path)

Settings come from ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` (exported
by ``scripts/with-neo4j.sh``), falling back to the repo-root ``.env``.

* ``neo4j_settings`` (session): the :class:`ConnectionSettings`.
* ``neo4j_driver`` (session): an open, verified ``neo4j.Driver``; closed at the end.
* ``clean_neo4j`` (function): empties the database (nodes, relationships,
  constraints, indexes other than the built-in token lookup ones) *before* the
  test and returns the driver.

Without a reachable server the tests that use these fixtures are skipped, except
when ``CI=true``: then they fail, so a CI run can never pass by skipping them.
The report header names the server version and URI (never the password).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

import neo4j
from graphmodel.db.settings import ConnectionSettings, find_repo_root, load_settings, open_driver
from graphmodel.errors import Neo4jUnavailable

__all__ = [
    "clean_neo4j",
    "neo4j_driver",
    "neo4j_settings",
    "pytest_report_header",
    "reset_database",
]

_REPO_ROOT = find_repo_root(Path(__file__).resolve().parent)
_HOW_TO = "run the tests with `make test` or `scripts/with-neo4j.sh .venv/bin/python -m pytest`"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _unreachable(reason: str) -> NoReturn:
    message = f"Neo4j is not available: {reason}; {_HOW_TO}"
    if _in_ci():
        pytest.fail(f"{message} (CI=true: Neo4j tests must not be skipped)", pytrace=False)
    pytest.skip(message)


def reset_database(driver: neo4j.Driver) -> None:
    """Delete every node and relationship, every constraint, and every index
    except the built-in token LOOKUP indexes, in the default database."""
    with driver.session() as session:
        session.run(
            "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        names = [r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")]
        for name in names:
            session.run(f"DROP CONSTRAINT {_quote(name)} IF EXISTS").consume()
        names = [
            r["name"]
            for r in session.run(
                "SHOW INDEXES YIELD name, type, owningConstraint "
                "WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name"
            )
        ]
        for name in names:
            session.run(f"DROP INDEX {_quote(name)} IF EXISTS").consume()


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


@pytest.fixture(scope="session")
def neo4j_settings() -> ConnectionSettings:
    """Connection settings from the environment or ``.env``."""
    settings = load_settings(_REPO_ROOT)
    if settings is None:
        _unreachable("NEO4J_URI/NEO4J_PASSWORD are not set (environment or .env)")
    return settings


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: ConnectionSettings) -> Iterator[neo4j.Driver]:
    """One verified driver for the whole session."""
    try:
        driver = open_driver(neo4j_settings)
    except Neo4jUnavailable as exc:
        _unreachable(str(exc))
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_neo4j(neo4j_driver: neo4j.Driver) -> neo4j.Driver:
    """The session driver, on a database emptied before the test."""
    reset_database(neo4j_driver)
    return neo4j_driver


def pytest_report_header(config: pytest.Config) -> list[str]:
    """``neo4j: Neo4j/5.26.x community at bolt://...`` (or why it is not reachable)."""
    settings = load_settings(_REPO_ROOT)
    if settings is None:
        return ["neo4j: no NEO4J_URI/NEO4J_PASSWORD (Neo4j tests will be skipped)"]
    try:
        with open_driver(settings, connection_timeout=5.0) as driver:
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD versions, edition "
                "RETURN versions[0] AS version, edition",
                database_="system",
            )
    except Neo4jUnavailable as exc:
        return [f"neo4j: not reachable: {exc}"]
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
        return [f"neo4j: {settings.uri} answered but could not report its version: {exc}"]
    version = records[0]["version"] if records else "?"
    edition = records[0]["edition"] if records else "?"
    return [f"neo4j: server {version} ({edition}) at {settings.uri} as user {settings.user}"]
