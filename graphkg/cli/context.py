"""What every command gets from the root group (``--home``, ``--store``, ``-v``, ``-q``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from graphkg.plugins import Store

__all__ = ["CliContext"]


@dataclasses.dataclass
class CliContext:
    """The global options, and the one way commands open the store."""

    home: Path
    store_name: str
    verbose: int
    quiet: bool

    def open(self, **options: object) -> Store:
        """Open the chosen store on the data directory (``options`` go to the store's ``open``)."""
        from graphkg.stores import open_store

        return open_store(self.store_name, home=self.home, **options)

    def info(self, msg: str) -> None:
        """A progress or summary line on standard error (silent with ``-q``)."""
        if not self.quiet:
            click.echo(msg, err=True)
