"""``graphkg ingest`` and ``graphkg extract``: thin commands over :mod:`graphkg.pipeline`."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import click

from graphkg.cli.context import CliContext, error_line
from graphkg.pipeline.dispatch import extractor_names

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

__all__ = ["COMMANDS", "ingest", "extract"]


_MAX = click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
                    help="Refuse input files larger than this.")
_MINC = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Drop relations whose confidence is lower.")
_FRM = click.option("--fr-model", default=None, help="spaCy French pipeline (default fr_core_news_md).")
_EXT = click.option("--extractor", "extractor_name", type=click.Choice(extractor_names()), default="auto",
                    show_default=True,
                    help="A registered extractor (`graphkg plugins`): auto = GDELT rows by their CAMEO codes, "
                         "text by the learned NLP extractor (learned; rule = its precise rules alone); "
                         "gdelt never loads spaCy.")
_LANG = click.option("--lang", type=click.Choice(["fr", "en"]), default=None,
                     help="Language of the articles whose source states none (default: detected from the text).")
_SECS = click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True,
                     help="Extraction time allowed per article; an article over it is reported and skipped, "
                          "the run goes on.")
_CHARS = click.option("--max-chars", type=click.IntRange(min=1), default=2_000_000, show_default=True,
                      help="Text length allowed per article (memory: about 1 GB per million characters); "
                           "a longer article is reported and skipped.")
_FOLLOW = click.option("--follow-symlinks", is_flag=True,
                       help="Read symbolic links (and walk linked folders) that lead out of a given folder; "
                            "without it they are refused with one line each.")
_UNDETECTED = ("{n} article(s) in no language graphkg reads (fr, en) or too short to tell{langs}: nothing "
               "extracted from them (for articles that state no language, --lang fr or --lang en says which)")


def _languages(counts: Counter[str]) -> str:
    """`` (und: 2, de: 1)``: the languages of the articles nothing was extracted from."""
    return " (" + ", ".join(f"{k}: {v}" for k, v in counts.most_common(6)) + ")" if counts else ""


class _Bar:
    """Progress of an ingest run on standard error: a click progress bar over input files, with
    the articles read so far and their rate, redrawn as articles come (a dump of 200 articles
    is one file, but it shows them)."""

    def __init__(self, obj: CliContext) -> None:
        self.obj, self.n, self.t0, self.drawn = obj, 0, time.monotonic(), 0.0
        self.bar: ProgressBar[int | None] | None = None
        self.files: set[str] = set()
        self.stack = ExitStack()

    def planned(self, files: int, resumed_run: int | None, done_before: int) -> None:
        if resumed_run is not None:
            self.obj.info(f"resuming interrupted run #{resumed_run}: {done_before} article(s) it wrote are skipped")
        self.bar = self.stack.enter_context(click.progressbar(
            length=max(files, 1), label="ingesting", file=sys.stderr, hidden=self.obj.quiet,
            show_pos=True, item_show_func=self._show))

    def _show(self, _: int | None) -> str:
        rate = self.n / max(time.monotonic() - self.t0, 1e-6)
        return f"{self.n} article(s), {rate:.1f}/s"

    def item(self, source: str, status: str) -> None:
        from graphkg.pipeline import input_file

        self.n += 1
        key = input_file(source)
        if self.bar is None:
            return
        if key not in self.files:
            self.files.add(key)
            self.bar.update(1)
        elif time.monotonic() - self.drawn > 0.25:  # articles inside one dump or archive count too
            self.bar.render_progress()
        else:
            return
        self.drawn = time.monotonic()

    @contextmanager
    def running(self) -> Iterator[_Bar]:
        with self.stack:
            yield self
            if self.bar is not None:
                self.bar.render_progress()  # the last count, however fast the end came


@click.command()
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
@_EXT
@click.option("--max-unpacked", type=click.IntRange(min=1), default=1024 * 1024 * 1024, show_default=True,
              help="Decompressed bytes allowed per .gz/.zip archive (zip-bomb guard).")
@_MAX
@_MINC
@_FRM
@_LANG
@_FOLLOW
@_SECS
@_CHARS
@click.option("--store-text", is_flag=True,
              help="Keep each article's text on its Neo4j node (a.text), to read the source beside the graph "
                   "(with --store neo4j).")
@click.pass_obj
def ingest(obj: CliContext, paths: tuple[str, ...], batch_size: int, workers: int, resume: bool,
           fields: tuple[str, ...], extractor_name: str, max_unpacked: int, max_bytes: int,
           min_confidence: float, fr_model: str | None, lang: str | None, follow_symlinks: bool,
           max_seconds: float, max_chars: int, store_text: bool) -> None:
    """Read articles (files, directories, archives, '-' for stdin) and store their relations.

    Text, Markdown, HTML, JSONL/CSV dumps, RSS/Atom feeds, GDELT event exports, and .gz/.zip
    archives of them. Re-running on the same input writes nothing new; an interrupted run
    resumes where it stopped. Exit code 1 if anything failed; everything else still goes in,
    and nothing of a failed item is written.
    """
    from graphkg.pipeline import IngestOptions, run

    options = IngestOptions(extractor=extractor_name, fr_model=fr_model, workers=workers, batch_size=batch_size,
                            min_confidence=min_confidence, home=obj.home, resume=resume,
                            fields=fields, max_bytes=max_bytes, max_unpacked=max_unpacked,
                            keep_rejected=bool(obj.verbose), lang=lang, follow_symlinks=follow_symlinks,
                            max_seconds=max_seconds, max_chars=max_chars)
    if store_text and obj.store_name != "neo4j":
        raise click.UsageError("--store-text keeps article texts in Neo4j: use it with --store neo4j")
    store = obj.open(store_text=True) if store_text else obj.open()
    where = _where(obj, store)
    bar = _Bar(obj)
    try:
        with bar.running():
            report = run(list(paths), store, options, progress=bar)
    finally:
        store.close()
    _ingest_summary(obj, report, where)


def _where(obj: CliContext, store: Any) -> str:
    """Where the run wrote: the server and database of a Neo4j store, else the data directory."""
    uri = getattr(store, "uri", None)
    if isinstance(uri, str) and "://" in uri:  # a server (the embedded store's uri is its folder)
        database = getattr(store, "database", None)
        return f"{obj.store_name}: {uri}" + (f", database {database}" if database else "")
    return f"{obj.store_name}: {obj.home}"


def _ingest_summary(obj: CliContext, report: Any, where: str) -> None:
    for failure in report.plugin_failures:
        click.echo(f"warning: {failure.error}", err=True)
    for err in report.errors:
        click.echo(error_line(err.source, err.reason), err=True)
    if report.undetected:
        click.echo("warning: " + _UNDETECTED.format(n=report.undetected, langs=_languages(report.unread_languages)),
                   err=True)
    if obj.verbose:
        for rej in report.rejected:
            c = rej.candidate
            obj.info(f"rejected: {c.subject.label} {c.predicate.value} {c.object.label}: {rej.reason}")
    for name, stats in report.reader_stats.items():
        obj.info(f"{name}: " + ", ".join(f"{v} {k}" for k, v in stats.items()))
    nothing = report.articles_written == 0 and report.relations_written == 0
    new = "nothing new written" if nothing else f"{report.relations_written} relation(s) written"
    files = f", {report.files_skipped} unchanged file(s) skipped" if report.files_skipped else ""
    replaced = f", {report.replaced} replaced (new version of the same page)" if report.replaced else ""
    if report.same_url_kept:
        replaced += f", {report.same_url_kept} kept beside an article with the same URL"
    obj.info(f"{report.read} article(s) read, {report.skipped} skipped as already ingested{files}, "
             f"{report.articles_written} written{replaced}, {new}, {report.rejected_total} candidate(s) rejected, "
             f"{len(report.errors)} error(s) [{where}]")
    if report.errors:
        sys.exit(1)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table", show_default=True)
@click.option("--explain", is_flag=True,
              help="Show per triple the sentence, cue, pattern, entity resolution and (learned extractor) "
                   "the model's probability with the features that weighed most.")
@_EXT
@_MAX
@_MINC
@_FRM
@_LANG
@_FOLLOW
@_SECS
@_CHARS
@click.pass_obj
def extract(obj: CliContext, paths: tuple[str, ...], fmt: str, explain: bool, extractor_name: str,
            max_bytes: int, min_confidence: float, fr_model: str | None, lang: str | None,
            follow_symlinks: bool, max_seconds: float, max_chars: int) -> None:
    """Print the triples found in articles, without storing them."""
    from graphkg.pipeline import FileError, IngestOptions
    from graphkg.pipeline.ingest import READ_LANGUAGES
    from graphkg.pipeline import extract_relations as run

    options = IngestOptions(extractor=extractor_name, fr_model=fr_model, max_bytes=max_bytes,
                            min_confidence=min_confidence, lang=lang, follow_symlinks=follow_symlinks,
                            max_seconds=max_seconds, max_chars=max_chars)
    failed = 0
    unread: Counter[str] = Counter()
    for result in run(list(paths), options):
        if isinstance(result, FileError):
            click.echo(error_line(result.source, result.reason), err=True)
            failed += 1
            continue
        _print_result(result, fmt, explain)
        lang = result.article.lang
        if lang is not None and lang not in READ_LANGUAGES:
            unread[lang] += 1
        if obj.verbose:
            for rej in result.rejected:
                c = rej.candidate
                obj.info(f"rejected: {c.subject.label} {c.predicate.value} {c.object.label}: {rej.reason}")
    if unread:
        click.echo("warning: " + _UNDETECTED.format(n=sum(unread.values()), langs=_languages(unread)), err=True)
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
                click.echo(f"    cue: {c.cue!r}  pattern: {c.pattern or '-'}  extractor: {c.extractor}")
                if c.features:
                    click.echo(f"    model: p={c.confidence:.3f}; weightiest features: "
                               + ", ".join(f"{f} {w:+.2f}" for f, w in c.features))
                click.echo(f"    subject: {c.subject.text!r} → {r.subject.id} ({c.subject.how})")
                click.echo(f"    object:  {c.object.text!r} → {r.object.id} ({c.object.how})")


COMMANDS = [ingest, extract]
