"""``python -m graphmodel.cli``: the ``graphmodel`` command."""

from graphmodel.cli.commands import main

main()
