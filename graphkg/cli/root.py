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
    from graphkg.extract import detect_language
    from graphkg.loaders.readers import read_sources

    for item in read_sources(list(paths), max_bytes=max_bytes):
        if isinstance(item, Article) and item.lang is None:
            item = dataclasses.replace(item, lang=detect_language(item.text))
        yield item


def _extractor(fr_model: str | None) -> Any:
    from graphkg.extract import RuleExtractor

    return RuleExtractor(fr_model=fr_model) if fr_model else RuleExtractor()


def _lookup() -> Any:
    from graphkg.resolve.gazetteer import default_gazetteer

    return default_gazetteer().get


_MAX = click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
                    help="Refuse input files larger than this.")
_MINC = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Drop relations whose confidence is lower.")
_FRM = click.option("--fr-model", default=None, help="spaCy French pipeline (default fr_core_news_sm).")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Articles per write batch (a batch is also written once 5 s old, so slow runs journal often).")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extraction processes (each loads spaCy once); the store is written by one process.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Skip input files that loaded cleanly before (journal in the data directory). "
                   "Articles already stored are always skipped by content hash.")
@click.option("--field", "fields", multiple=True, metavar="ROLE=NAME",
              help="Field or column of JSONL/CSV dumps for a role: text, title, url, date, language, "
                   "publisher (e.g. --field text=body; NAME may be 'a|b'; repeatable).")
@click.option("--extractor", "extractor_kind", type=click.Choice(["auto", "rule", "gdelt"]), default="auto",
              show_default=True, help="auto: GDELT rows by their CAMEO codes, text by the NLP rules; "
                                      "gdelt: never load spaCy.")
@click.option("--max-unpacked", type=click.IntRange(min=1), default=1024 * 1024 * 1024, show_default=True,
              help="Decompressed bytes allowed per .gz/.zip archive (zip-bomb guard).")
@_MAX
@_MINC
@_FRM
@click.pass_obj
def ingest(obj: _Ctx, paths: tuple[str, ...], batch_size: int, workers: int, resume: bool,
           fields: tuple[str, ...], extractor_kind: str, max_unpacked: int, max_bytes: int,
           min_confidence: float, fr_model: str | None) -> None:
    """Read articles (files, directories, archives, '-' for stdin) and store their relations.

    Text, Markdown, HTML, JSONL/CSV dumps, RSS/Atom feeds, GDELT event exports, and .gz/.zip
    archives of them. Re-running on the same input writes nothing new; an interrupted run
    resumes where it stopped. Exit code 1 if anything failed; everything else still goes in,
    and nothing of a failed item is written.
    """
    import functools
    import os
    import time

    from graphkg.pipeline.journal import Journal
    from graphkg.pipeline.dispatch import make_extractor
    from graphkg.loaders.dumps import parse_fields
    from graphkg.loaders.readers import iter_sources, load_readers, read_sources
    from graphkg.pipeline import FileError
    from graphkg.pipeline import ingest as run

    field_map = parse_fields(fields)
    readers = [r.configure(field_map) if hasattr(r, "configure") else r for r in load_readers()]
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    sources = list(iter_sources([p for p in paths if p not in missing])) if len(missing) < len(paths) else []
    store = obj.open()
    journal = Journal.open(obj.home) if "persistent" in store.capabilities else None
    try:
        info = _journal_start(obj, store, journal, paths, resume)
        todo = [s for s in sources if not (resume and journal is not None and journal.file_done(s))]
        factory = functools.partial(make_extractor, extractor_kind, fr_model)
        seen_files: set[str] = set()
        counts = {"n": 0, "t0": time.monotonic()}

        def show(_: Any) -> str:
            rate = counts["n"] / max(time.monotonic() - counts["t0"], 1e-6)
            return f"{counts['n']} article(s), {rate:.1f}/s"

        with click.progressbar(length=max(len(todo), 1), label="ingesting", file=sys.stderr,
                               hidden=obj.quiet or len(todo) < 2, show_pos=True, item_show_func=show) as bar:
            def tick(src: str, status: str) -> None:
                counts["n"] += 1
                key = _file_of(src)
                if key not in seen_files:
                    seen_files.add(key)
                    bar.update(1)

            items = read_sources(todo, max_bytes=max_bytes, readers=readers, max_unpacked=max_unpacked)
            report = run(items, store, factory() if workers == 1 else _NoExtractor(), lookup=_lookup(),
                         batch_size=batch_size, min_confidence=min_confidence, on_item=tick,
                         workers=workers, extractor_factory=factory, journal=journal,
                         run=info, keep_rejected=bool(obj.verbose))
        report.errors[:0] = [FileError(p, "no such file or directory") for p in missing]
        report.files_skipped = len(sources) - len(todo)
        if journal is not None:
            bad = {_file_of(e.source) for e in report.errors}
            journal.mark_files([s for s in todo if s != "-" and _file_of(s) not in bad], info)
            journal.finish_run(info)
    finally:
        store.close()
        if journal is not None:
            journal.close()
    _ingest_summary(obj, report, readers)


class _NoExtractor:
    """Placeholder for the parent process when workers extract (never called)."""

    name, version = "workers", "0"

    def extract(self, article: Article) -> list[Any]:
        raise AssertionError("extraction runs in the workers")


def _file_of(source: str) -> str:
    """The input file an item came from: ``a.zip!x.jsonl:3`` → ``a.zip``, ``f.rss:item 2`` → ``f.rss``."""
    import re

    base = source.split("!", 1)[0]
    m = re.match(r"^(.*?):(?:\d+|item \d+)$", base)
    return m.group(1) if m else base


def _journal_start(obj: _Ctx, store: Any, journal: Any, paths: tuple[str, ...], resume: bool) -> int:
    """Check the journal against the store, seed or reset it, and open a run."""
    if journal is None:
        return 0
    latest = journal.latest()
    if latest is not None and not store.has_article(latest):
        journal.reset()  # the store was replaced or wiped: the journal no longer describes it
    if journal.count() == 0:
        journal.seed((a.id, a.url, a.source) for a in store.articles())
    if not resume:
        journal.forget_all_files()
    info = journal.start_run(list(paths))
    if info.resumed is not None:
        obj.info(f"resuming interrupted run #{info.resumed}: {info.done_before} article(s) it wrote are skipped")
    return int(info.id)


def _ingest_summary(obj: _Ctx, report: Any, readers: list[Any]) -> None:
    for err in report.errors:
        click.echo(f"error: {err.source}: {err.reason}", err=True)
    if obj.verbose:
        for rej in report.rejected:
            c = rej.candidate
            obj.info(f"rejected: {c.subject.label} {c.predicate.value} {c.object.label}: {rej.reason}")
    for reader in readers:
        stats = getattr(reader, "stats", None)
        if stats:
            obj.info(f"{reader.name}: " + ", ".join(f"{v} {k}" for k, v in stats.items()))
    nothing = report.articles_written == 0 and report.relations_written == 0
    new = "nothing new written" if nothing else f"{report.relations_written} relation(s) written"
    files = f", {report.files_skipped} unchanged file(s) skipped" if report.files_skipped else ""
    replaced = f", {report.replaced} replaced" if report.replaced else ""
    obj.info(f"{report.read} article(s) read, {report.skipped} skipped as already ingested{files}, "
             f"{report.articles_written} written{replaced}, {new}, {report.rejected_total} candidate(s) rejected, "
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
    by_key: dict[tuple[str, Any, str], Any] = {}
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
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ntriples",
                                                   "graphml", "gexf", "csv"]),
              default="turtle", show_default=True,
              help="RDF (turtle, trig, nquads, ntriples, jsonld), Gephi (graphml, gexf) or csv "
                   "(one row per relation with its provenance).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: standard output).")
@click.option("--ontology/--no-ontology", default=True, show_default=True,
              help="Include the ontology triples in the export.")
@click.pass_obj
def export(obj: _Ctx, fmt: str, output: Path | None, ontology: bool) -> None:
    """Export the store as RDF (named graphs kept in TriG, N-Quads and JSON-LD), GraphML/GEXF or CSV."""
    from graphkg.rdf.export import export as run

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
@click.option("--title", default="graphkg alliance map", show_default=True, help="Page title (shown as text).")
@click.option("--focus", default=None, help="Only the neighbourhood of this actor (name, alias or id).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --focus.")
@click.option("--predicate", "predicates", multiple=True, help="Keep only this predicate (repeatable).")
@click.option("--since", default=None, help="Only relations dated on or after (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, help="Only relations dated on or before (YYYY[-MM[-DD]]).")
@click.option("--roll-up-persons", is_flag=True, help="Draw officials' relations on the state they represent.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also render the map to this PNG with headless Chromium.")
@click.option("--seed", type=int, default=7, show_default=True, help="Layout and bloc detection seed.")
@_MINC
@click.pass_obj
def map_(obj: _Ctx, output: Path, title: str, focus: str | None, depth: int, predicates: tuple[str, ...],
         since: str | None, until: str | None, roll_up_persons: bool, png: Path | None, seed: int,
         min_confidence: float) -> None:
    """Write a self-contained interactive HTML map (works offline, no external URL)."""
    from graphkg.analytics import filter_relations, focus_relations, resolve_actor, roll_up_persons as roll
    from graphkg.vocab import parse_predicate
    from graphkg.maps.render import relation_graph, render_map

    preds = [parse_predicate(p) for p in predicates]
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
    tmp = output.with_name(output.name + ".part")
    tmp.write_text(render_map(rels, title=title, seed=seed), encoding="utf-8")
    tmp.replace(output)
    obj.info(f"wrote {output} ({len(rels)} relation(s))")
    if png is not None:
        from graphkg.maps.browser import screenshot

        screenshot(output, png)
        obj.info(f"wrote {png}")


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
    from graphkg.cli.commands import register

    register(cli)


_register()
