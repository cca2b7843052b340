"""The root ``graphkg`` group: global options, error mapping, and the command modules it holds."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from graphkg.cli.analyze import COMMANDS as ANALYZE
from graphkg.cli.collection import COMMANDS as COLLECTION
from graphkg.cli.context import CliContext
from graphkg.cli.ingest import COMMANDS as INGEST
from graphkg.cli.neo4j import COMMANDS as NEO4J
from graphkg.cli.output import COMMANDS as OUTPUT
from graphkg.cli.plugins import COMMANDS as PLUGINS
from graphkg.cli.quality import COMMANDS as QUALITY
from graphkg.cli.rdf import COMMANDS as RDF
from graphkg.cli.train import COMMANDS as TRAIN
from graphkg.errors import GraphkgError
from graphkg.version import __version__

__all__ = ["main", "cli"]

_COMMANDS = (*INGEST, *OUTPUT, *PLUGINS, *NEO4J, *RDF, *ANALYZE, *COLLECTION, *QUALITY, *TRAIN)


class _Group(click.Group):
    """Maps library errors to one-line messages with exit code 1, and prints every error, click's
    usage errors included, as ``error: ...`` (the same prefix as the per-item lines of ingest)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as err:  # a group without its subcommand: its help
            err.show()
            sys.exit(err.exit_code)
        except click.ClickException as err:
            _show(err)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        # click returns ctx.exit(code)'s code; commands themselves return nothing
        sys.exit(result if isinstance(result, int) and not isinstance(result, bool) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphkgError as err:
            raise click.ClickException(str(err)) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None


def _show(err: click.ClickException) -> None:
    """What click's ``show()`` prints, with ``error:`` where click writes ``Error:``."""
    if isinstance(err, click.UsageError) and err.ctx is not None:
        hint = ""
        if err.ctx.command.get_help_option(err.ctx) is not None:
            hint = f"Try '{err.ctx.command_path} {err.ctx.help_option_names[0]}' for help.\n"
        click.echo(f"{err.ctx.get_usage()}\n{hint}", err=True)
    click.echo(f"error: {err.format_message()}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkg")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHKG_HOME",
              default="graphkg-data", show_default=True,
              help="Data directory of the embedded store (env GRAPHKG_HOME).")
@click.option("--store", "store_name", default="oxigraph", show_default=True, callback=lambda c, p, v: _store(v),
              help="Store backend: oxigraph (embedded, default), neo4j or memory (see `graphkg plugins`).")
@click.option("-v", "--verbose", count=True, help="More detail (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, home: Path, store_name: str, verbose: int, quiet: bool) -> None:
    """graphkg: a knowledge graph of diplomatic relations built from news.

    Read French and English articles, extract who supports, meets, sanctions whom
    (with the evidence sentence behind every edge), store them, and export RDF or an
    interactive HTML map.
    """
    ctx.obj = CliContext(home=home, store_name=store_name, verbose=verbose, quiet=quiet)
    _driver_logs(verbose)


def _store(name: str) -> str:
    """``--store``: a registered store (an unknown one is a usage error, exit 2)."""
    from graphkg.errors import suggest
    from graphkg.stores import store_names

    known = store_names()
    if name not in known and name not in {"embedded", "default"}:
        raise click.BadParameter(f"unknown store {name!r}; {suggest(name, known)}", param_hint="'--store'")
    return name


def _driver_logs(verbose: int) -> None:
    """The Neo4j driver logs each retry of a failing transaction as a warning ("Transaction
    failed and will be retried in 1.1s"), ten lines before the one error graphkg prints: they
    are shown with ``-vv`` only."""
    log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = verbose >= 2


for _command in _COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="graphkg")
