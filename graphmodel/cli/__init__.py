"""The ``graphmodel`` command: one module per command group, one error path (:func:`graphmodel.cli.common.run_app`)."""

from graphmodel.cli.app import app, main

__all__ = ["app", "main"]
