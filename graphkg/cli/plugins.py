"""``graphkg plugins``: every registered reader, extractor and store, loaded, with the ones that fail."""

from __future__ import annotations

import click

__all__ = ["COMMANDS", "plugins"]


@click.command()
def plugins() -> None:
    """List the registered readers, extractors and stores; report the ones that fail to load.

    Exit code 1 when a plugin fails to load (its error is printed).
    """
    from graphkg.plugins import GROUPS, registry

    reg = registry()
    failed = 0
    for kind, group in GROUPS.items():
        click.echo(group)
        loaded, failures = reg.load_all(kind)
        for name, _ in loaded:
            click.echo(f"  {name:<10} {reg.target(kind, name)}")
        for f in failures:
            click.echo(f"  {f.name:<10} {f.target}  FAILED: {f.error}")
            failed += 1
    if failed:
        raise click.ClickException(f"{failed} plugin(s) failed to load")


COMMANDS = [plugins]
