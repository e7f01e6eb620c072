"""The ``graphmodel`` command: one module per command group, one error path (:func:`graphmodel.cli.common.run_app`).

The app is imported when it is first asked for, so that ``python -m
graphmodel.cli.neo4j`` (what scripts/with-neo4j.sh runs) loads its own module
once, not a second time through the app.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``graphmodel`` console script (:func:`graphmodel.cli.commands.main`)."""
    from graphmodel.cli.commands import main as run

    run(argv)


def __getattr__(name: str) -> Any:
    if name == "app":
        from graphmodel.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
