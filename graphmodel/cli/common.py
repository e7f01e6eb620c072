"""Running a typer app the graphmodel way: expected faults become a message and an exit code."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from graphmodel.errors import (
    AnalyticsError,
    ExportError,
    GraphModelError,
    LoadConflict,
    Neo4jUnavailable,
    OutputError,
    QueryError,
    SeedValidationError,
    UnknownNode,
)
from graphmodel.extract.errors import ExtractionError
from graphmodel.util.escaping import terminal_text
from graphmodel.util.runtime import gc_paused

err = Console(stderr=True)

# set by run_app when it runs the app as the whole process (the console script), not inside a caller
_ENDS_PROCESS: contextvars.ContextVar[bool] = contextvars.ContextVar("graphmodel_ends_process", default=False)


class TextFormat(StrEnum):
    """``--format`` of a command that prints a message or a record: text for people, json for machines."""

    TEXT = "text"
    JSON = "json"


class TableFormat(StrEnum):
    """``--format`` of a command that prints rows: a table for people, json or csv for machines."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


SeedOption = Annotated[Path, typer.Option("--seed", help="Seed folder.", show_default=True)]
TextFormatOption = Annotated[TextFormat, typer.Option("--format", help="text, or json for machines.")]
TableFormatOption = Annotated[TableFormat, typer.Option("--format", help="table for people, json or csv for machines.")]


EXIT_CODES: dict[type[GraphModelError], int] = {
    SeedValidationError: 2,  # bad input: the user fixes a file
    QueryError: 2,
    AnalyticsError: 2,
    ExportError: 2,
    OutputError: 2,
    UnknownNode: 2,
    Neo4jUnavailable: 3,  # the server, not the input
    LoadConflict: 4,  # run the load again
    ExtractionError: 2,
}
"""The process exit code of each expected fault (the most specific class in an error's MRO wins; others exit 1)."""


OPTIONAL_DEPENDENCIES = {"spacy": "extract", "rapidfuzz": "extract"}
"""Packages that only some commands need, and the extra (``pyproject.toml``) that installs each."""


def exit_code_of(exc: GraphModelError) -> int:
    """The exit code for ``exc``: that of its nearest class in :data:`EXIT_CODES`, else 1.

    >>> exit_code_of(SeedValidationError([]))
    2
    >>> exit_code_of(GraphModelError("other"))
    1
    """
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


def end_process_now(code: int = 0) -> None:
    """End the process at once, without freeing its objects one by one, when the command is the whole process.

    A national graph and its analytics are tens of millions of Python objects;
    freeing them one by one as a command returns is a large part of the main
    job at national scale (bench/HISTORY.md), for memory the operating system
    takes back at once. Called after
    every output is written and published: it flushes the standard streams and
    the logging handlers, then calls :func:`os._exit`. When the app runs inside
    another program (a test, a notebook calling :func:`run_app`'s app
    directly), it returns and nothing changes.
    """
    if not _ENDS_PROCESS.get():
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            pass
    logging.shutdown()
    os._exit(code)


def plain_text(value: object) -> Text:
    """A value as terminal text for a rich table or line: never read as Rich markup.

    Its control characters are shown (:func:`graphmodel.util.escaping.terminal_text`), not sent.
    """
    return Text(terminal_text(value))


class Terminated(BaseException):
    """SIGTERM arrived. Raised in the main thread so that clean-up (``finally``, ``except BaseException``) runs.

    A ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception`` of
    library code swallows it.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: object) -> None:  # noqa: ARG001 - the signal handler's signature
    signal.signal(signum, signal.SIG_DFL)  # a second SIGTERM ends the process at once, clean-up or not
    raise Terminated(signum)


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` instead of ending the process on the spot.

    Python's default action for SIGTERM ends the process without running
    ``finally`` blocks, so a job stopped by ``kill`` or a service manager would
    leave its staging folder behind. Only the main thread can receive Python
    signal handlers; elsewhere this does nothing. The earlier handler is put
    back on the way out.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def run_app(app: typer.Typer, argv: list[str] | None = None, *, ends_process: bool = False) -> None:
    """Run ``app`` and turn expected faults into one message on stderr and an exit code (no traceback).

    ``ends_process``: the app is the whole process (the console script), so a
    command may end it with :func:`end_process_now` once its work is done.
    SIGTERM stops the command like an interrupt: its clean-up runs (no staging
    folder is left), then the process exits with 143 (128 + SIGTERM).
    """
    _ENDS_PROCESS.set(ends_process)
    try:
        # the process's runtime policy, set here once for every command (the library sets none): the cyclic
        # collector stays off while a command builds millions of objects that hold no cyclic garbage
        with sigterm_raises(), gc_paused():
            rc = app(args=argv, standalone_mode=False)
    except Terminated as exc:
        err.print("terminated", markup=False)
        sys.exit(128 + exc.signum)
    except SeedValidationError as exc:
        for problem in exc.problems:
            err.print(terminal_text(problem), markup=False, highlight=False, soft_wrap=True)
        err.print(f"{len(exc.problems)} problem(s); nothing was written.", markup=False)
        sys.exit(exit_code_of(exc))
    except GraphModelError as exc:
        err.print(f"error: {terminal_text(exc)}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(exit_code_of(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except ModuleNotFoundError as exc:
        extra = OPTIONAL_DEPENDENCIES.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        err.print(f"error: this command needs {exc.name}, which is not installed: install the {extra!r} extra "
                  f"(pip install -e '.[{extra}]', or make test, which installs it)", markup=False, highlight=False,
                  soft_wrap=True)
        sys.exit(1)
    except Exception as exc:
        # Usage errors (bad option, unknown command) arrive as click exceptions; typer
        # vendors click in recent releases, so recognise them by what they can do.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise
    sys.exit(rc if isinstance(rc, int) else 0)
