"""``graphkg export``, ``graphkg map`` and ``graphkg stats``: what comes out of a store."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from graphkg.cli.context import FORCE, STDOUT, CliContext, check_output, output_file

__all__ = ["COMMANDS", "export", "map_", "stats"]

def _predicates(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--predicate`` values checked against the ontology: a wrong one is a usage error."""
    from graphkg.errors import OntologyError
    from graphkg.vocab import parse_predicate

    for v in values:
        try:
            parse_predicate(v)
        except OntologyError as err:
            msg = str(err)
            hint = msg.split("; did you mean", 1)[1] if "; did you mean" in msg else None
            raise click.BadParameter(f"unknown predicate {v!r}; " + (f"did you mean{hint}" if hint else
                                     "`graphkg ontology` lists the predicates")) from None
    return values


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--since``/``--until`` checked by the analytics' own date check: a wrong one is a usage error."""
    from graphkg.analytics.views import check_date
    from graphkg.errors import QueryError

    if value is None:
        return None
    try:
        return check_date(value)
    except QueryError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-06") from None


_MINC = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Drop relations whose confidence is lower.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ntriples",
                                                   "graphml", "gexf", "csv", "neo4j-import"]),
              default="turtle", show_default=True,
              help="RDF (turtle, trig, nquads, ntriples, jsonld), Gephi (graphml, gexf), csv "
                   "(one row per relation with its provenance), or neo4j-import (a folder of CSV files "
                   "for neo4j-admin database import, see docs/neo4j.md).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output file (default: standard output); a folder for neo4j-import.")
@click.option("--ontology/--no-ontology", default=True, show_default=True,
              help="Include the ontology triples in the export.")
@FORCE
@click.pass_obj
def export(obj: CliContext, fmt: str, output: Path | None, ontology: bool, force: bool) -> None:
    """Export the store as RDF (named graphs kept in TriG, N-Quads and JSON-LD), GraphML/GEXF or CSV."""
    from graphkg.rdf.export import export as run

    if fmt == "neo4j-import":
        _neo4j_import(obj, output)
        return
    if output is not None:
        check_output(output, force)  # before the store is read
    store = obj.open()
    try:
        if output is None or output == STDOUT:
            run(store, fmt, sys.stdout.buffer, ontology=ontology)
        else:
            with output_file(output, force) as fh:
                run(store, fmt, fh, ontology=ontology)
            obj.info(f"wrote {output} ({fmt})")
    finally:
        store.close()


def _neo4j_import(obj: CliContext, output: Path | None) -> None:
    from graphkg.stores.neo4j_import import write_import_files

    if output is None or (output.exists() and not output.is_dir()):
        raise click.UsageError("--format neo4j-import writes a folder: pass -o DIR")
    store = obj.open()
    try:
        done = write_import_files(store, output)
    finally:
        store.close()
    obj.info(f"wrote {done.nodes} node(s) and {done.relationships} relationship(s) in {len(done.files)} file(s) "
             f"to {output}; load them with neo4j-admin database import full (docs/neo4j.md)")


@click.command(name="map")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("map.html"),
              show_default=True, help="HTML file to write ('-': standard output).")
@click.option("--title", default="graphkg alliance map", show_default=True, help="Page title (shown as text).")
@click.option("--focus", default=None, help="Only the neighbourhood of this actor (name, alias or id).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --focus.")
@click.option("--predicate", "predicates", multiple=True, callback=_predicates,
              help="Keep only this predicate (repeatable).")
@click.option("--since", default=None, callback=_day, help="Only relations dated on or after (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, callback=_day, help="Only relations dated on or before (YYYY[-MM[-DD]]).")
@click.option("--roll-up-persons", is_flag=True, help="Draw officials' relations on the state they represent.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also render the map to this PNG with headless Chromium.")
@click.option("--seed", type=int, default=7, show_default=True, help="Layout and bloc detection seed.")
@_MINC
@FORCE
@click.pass_obj
def map_(obj: CliContext, output: Path, title: str, focus: str | None, depth: int, predicates: tuple[str, ...],
         since: str | None, until: str | None, roll_up_persons: bool, png: Path | None, seed: int,
         min_confidence: float, force: bool) -> None:
    """Write a self-contained interactive HTML map (works offline, no external URL)."""
    from graphkg.analytics import filter_relations, focus_relations, resolve_actor, roll_up_persons as roll
    from graphkg.vocab import parse_predicate
    from graphkg.maps.render import relation_graph, render_map

    preds = [parse_predicate(p) for p in predicates]
    check_output(output, force)
    if png is not None:
        if output == STDOUT:
            raise click.UsageError("--png renders the map file: pass -o FILE, not -o -")
        check_output(png, force)
        from graphkg.maps.browser import chromium_path

        chromium_path()  # no browser: one line before any work
    store = obj.open()
    try:
        rels = filter_relations(store.relations(), predicates=preds, since=since, until=until,
                                min_confidence=min_confidence)
    finally:
        store.close()
    if roll_up_persons:
        rels = roll(rels)
    if focus:
        rels = focus_relations(rels, str(resolve_actor(relation_graph(rels), focus)), depth)
    page = render_map(rels, title=title, seed=seed)
    with output_file(output, force) as fh:
        fh.write(page.encode("utf-8"))
    obj.info(f"wrote {output} ({len(rels)} relation(s))")
    if png is not None:
        from graphkg.maps.browser import screenshot

        with output_file(png, force) as fh:
            fh.write(screenshot(output))
        obj.info(f"wrote {png}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, help="Most connected actors.")
@click.pass_obj
def stats(obj: CliContext, fmt: str, top: int) -> None:
    """Counts per entity type and predicate, and the most connected actors."""
    store = obj.open()
    try:
        counts = store.counts()
        degree: Counter[str] = Counter()
        labels = {}
        for r in store.relations():
            for e in (r.subject, r.object):
                degree[e.id] += 1
                labels[e.id] = e.label
    finally:
        store.close()
    actors = [{"id": i, "label": labels[i], "degree": d} for i, d in degree.most_common(top)]
    if fmt == "json":
        click.echo(json.dumps({"articles": counts.articles, "entities": counts.entities,
                               "relations": counts.relations, "by_type": counts.by_type,
                               "by_predicate": counts.by_predicate, "top_actors": actors}, indent=2))
        return
    click.echo(f"articles   {counts.articles}\nentities   {counts.entities}\nrelations  {counts.relations}")
    for title, table in (("entity type", counts.by_type), ("predicate", counts.by_predicate)):
        click.echo(f"\n{title}")
        for k, v in sorted(table.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {k:<18} {v}")
    if actors:
        click.echo("\nmost connected")
        for a in actors:
            click.echo(f"  {a['label']:<40} {a['degree']}  ({a['id']})")


COMMANDS = [export, map_, stats]
