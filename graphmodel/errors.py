"""One exception root with specific children.

Expected faults (bad seed, unreachable server, wrong password) are raised as
children of :class:`GraphModelError`; the CLI prints their message and exits
non-zero without a traceback. The exit code of each is the CLI's business
(:data:`graphmodel.cli.common.EXIT_CODES`), not the library's.
"""

from __future__ import annotations

from dataclasses import dataclass


class GraphModelError(Exception):
    """Root of every expected error in graphmodel."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, reported as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class SeedValidationError(GraphModelError):
    """The seed has one or more problems; all of them are listed in ``problems``."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class Neo4jUnavailable(GraphModelError):
    """The Neo4j server cannot be reached, refused the credentials, or failed to start."""


class QueryError(GraphModelError):
    """A planner query is unknown, lacks a parameter, or tried to write in read mode."""


class AnalyticsError(GraphModelError):
    """An analytic was asked about a node or cohort that is not in the graph."""


class ExportError(GraphModelError):
    """An export format or filter is not supported or cannot be written."""


class OutputError(GraphModelError):
    """The output cannot be written there: a device, FIFO, link or folder in its place, a full or read-only disk."""


class LoadConflict(GraphModelError):
    """Another writer removed nodes of a load while it ran; running the load again completes it."""


class UnknownNode(GraphModelError):
    """A filter names a node that is not in the graph."""
