"""Opening a driver from the user's settings, as one context manager for the CLI and notebooks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired, TransientError
from pydantic import SecretStr

import neo4j
from graphmodel.db.settings import ConnectionSettings, load_settings, open_driver, unavailable_error
from graphmodel.errors import Neo4jUnavailable

__all__ = ["connect"]


@contextlib.contextmanager
def connect(uri: str | None = None) -> Iterator[neo4j.Driver]:
    """A verified driver for ``uri`` (or NEO4J_URI from the environment or ``.env``), closed on exit."""
    settings = load_settings()
    if uri is not None:
        if settings is None:
            import os

            password = os.environ.get("NEO4J_PASSWORD")
            if not password:
                raise Neo4jUnavailable("no password: set NEO4J_PASSWORD (or start the local server, which writes .env)")
            settings = ConnectionSettings(uri=uri, user=os.environ.get("NEO4J_USER", "neo4j"), password=SecretStr(password))
        else:
            settings = settings.model_copy(update={"uri": uri})
    if settings is None:
        raise Neo4jUnavailable(
            "no Neo4j configured: start the local server with `graphmodel neo4j start`, "
            "or set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD"
        )
    driver = open_driver(settings)
    try:
        yield driver
    except (ServiceUnavailable, SessionExpired, AuthError, TransientError, OSError) as exc:
        # the server went away (or refused us) mid-work: one clear message, not a traceback
        raise unavailable_error(settings, exc) from exc
    finally:
        driver.close()
