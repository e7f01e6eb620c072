"""Running a typer app the graphmodel way: expected faults become a message and an exit code."""

from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.console import Console

from graphmodel.errors import GraphModelError, SeedValidationError

err = Console(stderr=True)


def run_app(app: typer.Typer, argv: Optional[list[str]] = None) -> None:
    """Run ``app`` and turn expected faults into one message on stderr and an exit code (no traceback)."""
    try:
        rc = app(args=argv, standalone_mode=False)
    except SeedValidationError as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        err.print(f"{len(exc.problems)} problem(s); nothing was written.", markup=False)
        sys.exit(exc.exit_code)
    except GraphModelError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        # Usage errors (bad option, unknown command) arrive as click exceptions; typer
        # vendors click in recent releases, so recognise them by what they can do.
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    sys.exit(rc if isinstance(rc, int) else 0)
