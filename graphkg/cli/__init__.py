"""The ``graphkg`` command line: a click tree only (the root group and one module per command group)."""

from graphkg.cli.root import cli, main

__all__ = ["cli", "main"]
