"""Collection maintenance commands: ``graphkg remove --article ID|URL``.

Updates need no command: re-ingesting a changed article (same URL, different text) replaces
the stored one, because the ingest journal maps each URL to the article last written for it
(see :mod:`graphkg.pipeline`). ``remove`` deletes an article and exactly the relations it
contributed; entities stay while another article still mentions them.
"""

from __future__ import annotations

from typing import Any

import click

from graphkg.errors import GraphkgError, LoaderError, printable

__all__ = ["COMMANDS", "remove", "find_articles"]


def find_articles(store: Any, journal: Any, ref: str) -> list[str]:
    """The ids of the articles ``ref`` names: an article id, or every article stored under a URL.

    A URL can stand for several articles (GDELT exports cite one URL in several files).

    Raises:
        LoaderError: no stored article has that id or URL.
    """
    if "://" not in ref:
        if store.has_article(ref):
            return [ref]
        raise LoaderError(ref, "no article with this id in the store; pass an id as shown by "
                               "`graphkg export --format csv` or the article's URL")
    ids = sorted({str(a.id) for a in store.articles() if a.url == ref})
    owner = journal.owner_of(ref) if journal is not None else None
    if owner is not None and store.has_article(owner) and owner not in ids:
        ids.append(str(owner))
    if ids:
        return ids
    raise LoaderError(ref, "no article with this URL in the store; check the URL as ingested "
                           "(scheme, trailing slash) or pass the article id")


@click.command()
@click.option("--article", "refs", multiple=True, required=True, metavar="ID|URL",
              help="Article id or URL to remove (repeatable).")
@click.pass_obj
def remove(obj: Any, refs: tuple[str, ...]) -> None:
    """Remove articles and exactly the relations they contributed (entities kept while mentioned)."""
    from graphkg.pipeline.journal import Journal

    store = obj.open()
    journal = Journal.open(obj.home, store) if "persistent" in store.capabilities else None
    failed = 0
    try:
        for ref in refs:
            try:
                ids = find_articles(store, journal, ref)
            except GraphkgError as err:
                click.echo(f"error: {printable(str(err), 300)}", err=True)
                failed += 1
                continue
            for aid in ids:
                if journal is not None:  # first: its input file must be read again if re-ingested
                    journal.forget_all_files()
                n = store.remove_article(aid)  # one transaction: a kill leaves all of it or none
                if journal is not None:
                    journal.forget(aid)
                obj.info(f"removed article {aid} and {n} relation(s)")
    finally:
        store.close()
        if journal is not None:
            journal.close()
    if failed:
        raise SystemExit(1)


COMMANDS = [remove]
