"""``python -m graphmodel.cli``: the ``graphmodel`` command."""

from graphmodel.cli.app import main

main()
