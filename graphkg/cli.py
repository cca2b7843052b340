"""The ``graphkg`` command line. Only this module prints or exits."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from graphkg import __version__
from graphkg.errors import GraphkgError
from graphkg.model import Article

__all__ = ["main", "cli"]


class _Group(click.Group):
    """Maps library errors to one-line messages with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphkgError as err:
            raise click.ClickException(str(err)) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None


@dataclasses.dataclass
class _Ctx:
    home: Path
    store_name: str
    verbose: int
    quiet: bool

    def open(self) -> Any:
        from graphkg.stores import open_store

        return open_store(self.store_name, home=self.home)

    def info(self, msg: str) -> None:
        if not self.quiet:
            click.echo(msg, err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkg")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHKG_HOME",
              default="graphkg-data", show_default=True,
              help="Data directory of the embedded store (env GRAPHKG_HOME).")
@click.option("--store", "store_name", default="oxigraph", show_default=True,
              help="Store backend: oxigraph (embedded, default) or memory (see `graphkg plugins`).")
@click.option("-v", "--verbose", count=True, help="More detail (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, home: Path, store_name: str, verbose: int, quiet: bool) -> None:
    """graphkg: a knowledge graph of diplomatic relations built from news.

    Read French and English articles, extract who supports, meets, sanctions whom
    (with the evidence sentence behind every edge), store them, and export RDF or an
    interactive HTML map.
    """
    ctx.obj = _Ctx(home=home, store_name=store_name, verbose=verbose, quiet=quiet)


def _articles(paths: tuple[str, ...], max_bytes: int) -> Iterator[Any]:
    from graphkg.loaders.extract import detect_language
    from graphkg.loaders.readers import read_sources

    for item in read_sources(list(paths), max_bytes=max_bytes):
        if isinstance(item, Article) and item.lang is None:
            item = dataclasses.replace(item, lang=detect_language(item.text))
        yield item


def _extractor(fr_model: str | None) -> Any:
    from graphkg.loaders.extract import RuleExtractor

    return RuleExtractor(fr_model=fr_model) if fr_model else RuleExtractor()


def _lookup() -> Any:
    from graphkg.gazetteer import default_gazetteer

    return default_gazetteer().get


_MAX = click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
                    help="Refuse input files larger than this.")
_MINC = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Drop relations whose confidence is lower.")
_FRM = click.option("--fr-model", default=None, help="spaCy French pipeline (default fr_core_news_sm).")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Articles per write transaction.")
@_MAX
@_MINC
@_FRM
@click.pass_obj
def ingest(obj: _Ctx, paths: tuple[str, ...], batch_size: int, max_bytes: int, min_confidence: float,
           fr_model: str | None) -> None:
    """Read articles (files, directories, '-' for stdin) and store their relations.

    Re-running on the same input writes nothing new. Exit code 1 if any file failed;
    the other files still go in, and nothing of a failed file is written.
    """
    from graphkg.loaders.readers import iter_sources
    from graphkg.pipeline import ingest as run

    sources = list(iter_sources(list(paths)))
    store = obj.open()
    try:
        with click.progressbar(length=len(sources), label="ingesting", file=sys.stderr,
                               hidden=obj.quiet or len(sources) < 2, show_pos=True) as bar:
            report = run(_articles(paths, max_bytes), store, _extractor(fr_model), lookup=_lookup(),
                         batch_size=batch_size, min_confidence=min_confidence,
                         on_item=lambda src, status: bar.update(1))
    finally:
        store.close()
    for err in report.errors:
        click.echo(f"error: {err.source}: {err.reason}", err=True)
    if obj.verbose:
        for rej in report.rejected:
            c = rej.candidate
            obj.info(f"rejected: {c.subject.label} {c.predicate.value} {c.object.label}: {rej.reason}")
    new = "nothing new" if report.articles_written == 0 and report.read else f"{report.relations_written} relation(s) written"
    obj.info(f"{report.read} article(s) read, {report.skipped} skipped as already ingested, "
             f"{report.articles_written} written, {new}, {len(report.rejected)} candidate(s) rejected, "
             f"{len(report.errors)} error(s) [{obj.store_name}: {obj.home}]")
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table", show_default=True)
@click.option("--explain", is_flag=True, help="Show sentence, cue, pattern and entity resolution per triple.")
@_MAX
@_MINC
@_FRM
@click.pass_obj
def extract(obj: _Ctx, paths: tuple[str, ...], fmt: str, explain: bool, max_bytes: int,
            min_confidence: float, fr_model: str | None) -> None:
    """Print the triples found in articles, without storing them."""
    from graphkg.pipeline import resolve_candidates

    extractor, lookup, failed = _extractor(fr_model), _lookup(), 0
    for item in _articles(paths, max_bytes):
        if not isinstance(item, Article):
            click.echo(f"error: {item}", err=True)
            failed += 1
            continue
        result = resolve_candidates(item, extractor.extract(item), lookup=lookup,
                                    min_confidence=min_confidence)
        _print_result(result, fmt, explain)
        if obj.verbose:
            for rej in result.rejected:
                c = rej.candidate
                obj.info(f"rejected: {c.subject.label} {c.predicate.value} {c.object.label}: {rej.reason}")
    if failed:
        sys.exit(1)


def _print_result(result: Any, fmt: str, explain: bool) -> None:
    by_key = {}
    for c in result.candidates:
        by_key.setdefault((c.subject.label, c.predicate, c.object.label), c)
    for r in result.relations:
        props = dict(r.properties) | ({"date": r.date} if r.date else {})
        if fmt == "jsonl":
            row = {"source": result.article.source, "article": r.provenance.article_id,
                   "subject": {"label": r.subject.label, "id": r.subject.id, "type": r.subject.type.value},
                   "predicate": r.predicate.value,
                   "object": {"label": r.object.label, "id": r.object.id, "type": r.object.type.value},
                   "properties": props, "evidence": r.provenance.evidence,
                   "confidence": r.provenance.confidence}
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            extra = " ".join(f"{k}={v}" for k, v in props.items())
            click.echo(f"{r.subject.label} –{r.predicate.value}→ {r.object.label}  "
                       f"[{r.provenance.confidence:.2f}] {extra}".rstrip())
        if explain:
            c = by_key.get((r.subject.label, r.predicate, r.object.label))
            click.echo(f"    sentence: {r.provenance.evidence}")
            if c is not None:
                click.echo(f"    cue: {c.cue!r}  pattern: {c.pattern}")
                click.echo(f"    subject: {c.subject.text!r} → {r.subject.id} ({c.subject.how})")
                click.echo(f"    object:  {c.object.text!r} → {r.object.id} ({c.object.how})")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ntriples"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: standard output).")
@click.option("--ontology/--no-ontology", default=True, show_default=True,
              help="Include the ontology triples in the export.")
@click.pass_obj
def export(obj: _Ctx, fmt: str, output: Path | None, ontology: bool) -> None:
    """Export the store as RDF (named graphs kept in TriG, N-Quads and JSON-LD)."""
    from graphkg.export import export as run

    store = obj.open()
    try:
        if output is None:
            run(store, fmt, sys.stdout.buffer, ontology=ontology)
        else:
            tmp = output.with_name(output.name + ".part")
            with tmp.open("wb") as fh:
                run(store, fmt, fh, ontology=ontology)
            tmp.replace(output)
            obj.info(f"wrote {output} ({fmt})")
    finally:
        store.close()


@cli.command(name="map")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("map.html"),
              show_default=True, help="HTML file to write.")
@click.option("--title", default="graphkg alliance map", show_default=True)
@_MINC
@click.pass_obj
def map_(obj: _Ctx, output: Path, title: str, min_confidence: float) -> None:
    """Write a self-contained interactive HTML map (works offline, no external URL)."""
    from graphkg.viz import render_map

    store = obj.open()
    try:
        rels = [r for r in store.relations() if r.provenance.confidence >= min_confidence]
    finally:
        store.close()
    output.write_text(render_map(rels, title=title), encoding="utf-8")
    obj.info(f"wrote {output} ({len(rels)} relation(s))")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, help="Most connected actors.")
@click.pass_obj
def stats(obj: _Ctx, fmt: str, top: int) -> None:
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


@cli.command()
def plugins() -> None:
    """List the registered loaders and stores (entry points)."""
    from importlib.metadata import entry_points

    for group in ("graphkg.loaders", "graphkg.stores"):
        click.echo(group)
        for ep in sorted(entry_points(group=group), key=lambda e: e.name):
            click.echo(f"  {ep.name:<10} {ep.value}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="graphkg")


def _register() -> None:
    from graphkg.commands import register

    register(cli)


_register()
