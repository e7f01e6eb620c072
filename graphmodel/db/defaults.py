"""The loader's defaults, in a module without imports so the CLI can show them without loading the driver."""

DEFAULT_BATCH_SIZE = 5_000
"""Rows per write transaction."""

DEFAULT_WORKERS = 2
"""Write transactions in flight at once: the client encodes one batch while the server writes another
(three were no faster than two on the 2-core machine; bench/HISTORY.md, fourth round)."""
