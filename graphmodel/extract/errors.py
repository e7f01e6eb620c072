"""Expected faults of the extraction workflow (bad article, bad draft, no terminal)."""

from __future__ import annotations

from graphmodel.errors import GraphModelError

__all__ = ["ExtractionError", "ArticleError", "DraftError", "ReviewError"]


class ExtractionError(GraphModelError):
    """Root of the extraction workflow's expected faults; the CLI exits 2 with the message."""


class ArticleError(ExtractionError):
    """An article cannot be read: missing, empty, binary, not UTF-8, too large, bad header."""


class DraftError(ExtractionError):
    """A draft folder is missing, malformed, already merged, or its accepted records do not fit the seed."""


class ReviewError(ExtractionError):
    """Interactive review cannot run (no terminal) or was given an impossible answer."""
