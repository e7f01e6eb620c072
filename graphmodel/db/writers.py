"""Batches written by several sessions at once, each in a managed (retried) write transaction.

The client prepares and encodes one batch while the server writes another,
and a server with two cores has both at work (bench/HISTORY.md has the
figures). Concurrent batches of relationships may deadlock on a shared end
node; Neo4j then rolls one back with a transient error, which the driver's
``execute_write`` retries: :class:`BatchWriters` counts those retries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from neo4j import Driver, ManagedTransaction

__all__ = ["BatchWriters"]

_DRIVER_RETRY_LOGGER = "neo4j.pool"  # where the driver's retry loop (execute_write) logs


class _QuietRetries(logging.Filter):
    """Keeps the driver's retry notices off stderr: the load counts its retries and reports them itself.

    The notices are the warnings the driver logs in a writer thread while that
    thread is inside ``execute_write``, between two attempts at a batch.
    """

    def __init__(self, inside: threading.local):
        super().__init__()
        self._inside = inside

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` goes on: not if it is a warning from inside ``execute_write``."""
        return not (record.levelno == logging.WARNING and getattr(self._inside, "writing", False))


class BatchWriters:
    """Batches written by ``workers`` sessions at once, each a managed (retried) write transaction.

    Parameters
    ----------
    driver : neo4j.Driver
        The driver; each worker thread opens one session of its own.
    database : str or None
        The database (``None``: the server's default).
    workers : int
        Sessions writing at once.

    Attributes
    ----------
    retried : int
        Attempts at a batch that were rolled back (a deadlock between the
        writers, a dropped connection) and made again: each call of the unit
        of work after the first, for the same batch.

    See Also
    --------
    graphmodel.db.write.load_graph : the loader that writes with these.
    """

    def __init__(self, driver: Driver, database: str | None, workers: int):
        self._driver, self._database = driver, database
        self._local = threading.local()
        self._sessions: list[Any] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphmodel-load")
        self._depth = 2 * workers
        self.retried = 0
        self._quiet = _QuietRetries(self._local)
        logging.getLogger(_DRIVER_RETRY_LOGGER).addFilter(self._quiet)

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._driver.session(database=self._database)
            with self._lock:
                self._sessions.append(session)
        return session

    def _run(self, work: Callable[..., Any], query: str, rows: list[dict]) -> Any:
        attempts = 0

        def attempt(tx: ManagedTransaction, query: str, rows: list[dict]) -> Any:
            nonlocal attempts
            attempts += 1  # execute_write calls the unit of work once per attempt
            return work(tx, query, rows)

        self._local.writing = True
        try:
            return self._session().execute_write(attempt, query, rows)
        finally:
            self._local.writing = False
            if attempts > 1:
                with self._lock:
                    self.retried += attempts - 1

    def write(self, work: Callable[..., Any], jobs: Iterable[tuple[str, list[dict]]],
              done: Callable[[list[dict], Any], None]) -> None:
        """Write every ``(query, rows)`` job; ``done(rows, result)`` is called in this thread as each ends.

        ``work(tx, query, rows)`` is the unit of work of one batch, run in a
        managed write transaction. ``jobs`` is drawn from as the writers go, at
        most ``2 * workers`` batches ahead: the next batches are prepared while
        the server writes the last ones, and only those are held in memory.
        """
        pending: dict[Future[Any], list[dict]] = {}

        def settle() -> None:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                done(pending.pop(future), future.result())

        try:
            for query, rows in jobs:
                pending[self._pool.submit(self._run, work, query, rows)] = rows
                if len(pending) >= self._depth:
                    settle()
            while pending:
                settle()
        except BaseException:
            for future in pending:
                future.cancel()
            raise

    def close(self) -> None:
        """Wait for the batches in flight, then close the sessions."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        logging.getLogger(_DRIVER_RETRY_LOGGER).removeFilter(self._quiet)
        for session in self._sessions:
            session.close()
