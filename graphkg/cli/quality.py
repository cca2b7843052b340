"""``graphkg quality``: run the extractor over annotated articles and print the scorer's figures,
or cross-validate the learned extractor (``--cv K``).

The folder holds articles in the dev-set layout (``NNN-lang-slug.txt``, directly or under
``articles/``) and a gold file (``gold.jsonl``, one annotated article per line). Figures are
printed per language and per predicate. By default the in-project scorer
(:mod:`graphkg.quality.scoring`) is used; ``--scorer PATH`` runs an external scorer
script instead (for example the reference ``../shared/score.py``) on the same predictions.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

__all__ = ["COMMANDS", "quality"]


def _articles_dir(folder: Path) -> Path:
    sub = folder / "articles"
    return sub if sub.is_dir() and not any(folder.glob("*.txt")) else folder


def _gold_path(folder: Path, gold: Path | None) -> Path:
    if gold is not None:
        return gold
    for cand in (folder / "gold.jsonl", folder.parent / "gold.jsonl"):
        if cand.is_file():
            return cand
    raise click.UsageError(f"no gold file next to {folder}; pass --gold GOLD.jsonl")


def _fmt(x: float, defined: bool) -> str:
    return f"{x:.3f}" if defined else "  -  "


def _print_score(title: str, result: Any, verbose: bool) -> None:
    t = result.total
    click.echo(f"== {title}: {len(result.articles)} articles")
    click.echo(f"{'predicate':<16}    TP    FP    FN      P      R     F1")
    for name in sorted(result.predicates):
        c = result.predicates[name]
        click.echo(f"{name:<16}  {c.tp:4d}  {c.fp:4d}  {c.fn:4d}  {_fmt(c.precision, c.tp + c.fp > 0)}  "
                   f"{_fmt(c.recall, c.tp + c.fn > 0)}  {_fmt(c.f1, c.tp + c.fp + c.fn > 0)}")
    click.echo(f"{'TOTAL':<16}  {t.tp:4d}  {t.fp:4d}  {t.fn:4d}  {t.precision:.3f}  {t.recall:.3f}  {t.f1:.3f}")
    if verbose:
        for f, (s, p, o) in result.misses:
            click.echo(f"  MISS  {f}: {s} --{p}--> {o}")
        for f, (s, p, o) in result.false_positives:
            click.echo(f"  FP    {f}: {s} --{p}--> {o}")
    click.echo(f"F1={t.f1:.3f} P={t.precision:.3f} R={t.recall:.3f}")


def _external(scorer: Path, gold: Path, rows: list[dict[str, Any]], files: list[str], verbose: bool) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    cmd = [sys.executable, str(scorer), "--gold", str(gold), "--pred", fh.name, "--only-files", *files]
    if verbose:
        cmd.append("--verbose")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    finally:
        Path(fh.name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise click.ClickException(f"scorer {scorer} failed: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


@click.command("quality")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold JSONL (default: gold.jsonl in FOLDER or its parent).")
@click.option("--only-lang", type=click.Choice(["fr", "en"]), help="Score one language only.")
@click.option("--extractor", "extractor_name", default="auto", show_default=True,
              help="Extractor to score (a registered name, see `graphkg plugins`).")
@click.option("--fr-model", default="fr_core_news_md", show_default=True, help="spaCy model for French.")
@click.option("--en-model", default="en_core_web_sm", show_default=True, help="spaCy model for English.")
@click.option("--scorer", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="External scorer script (same CLI as ../shared/score.py) instead of the built-in one.")
@click.option("--pred", "pred_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the predictions (scorer JSONL) here.")
@click.option("--cv", "folds", type=click.IntRange(2, 20), default=None,
              help="Cross-validate the learned extractor instead: train on K-1 folds of articles, score the "
                   "held-out fold, over FOLDERS (default: the project's annotated sets and ../shared/devset).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the folds (with --cv).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that parse the articles (with --cv).")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the parsed proposals here between runs (with --cv).")
@click.option("--split", default=None, metavar="NAME",
              help="Score only the articles listed under NAME in the folder's splits.json (for example "
                   "'heldout': the articles no shipped model was trained on).")
@click.option("--verbose", is_flag=True, help="List misses and false positives.")
def quality(folders: tuple[Path, ...], gold: Path | None, only_lang: str | None, extractor_name: str, fr_model: str,
            en_model: str, scorer: Path | None, pred_out: Path | None, folds: int | None, seed: int, workers: int,
            cache: Path | None, split: str | None, verbose: bool) -> None:
    """Score an extractor on the annotated articles of FOLDERS, per language and predicate; or,
    with --cv K, cross-validate the learned extractor by article (mean and spread over folds)."""
    if folds is not None:
        _cross_validate(folders, folds, seed, (fr_model, en_model), workers, cache, only_lang)
        return
    if not folders:
        raise click.UsageError("name the annotated folder to score (or use --cv)")
    for folder in folders:
        _score_folder(folder, gold, only_lang, extractor_name, (fr_model, en_model), scorer, pred_out, verbose,
                      _split(folder, split))


def _cross_validate(folders: tuple[Path, ...], k: int, seed: int, models: tuple[str, str], workers: int,
                    cache: Path | None, only_lang: str | None) -> None:
    from graphkg.cli.train import annotated_sets
    from graphkg.quality.train import collect, cross_validate, format_report

    sets = annotated_sets(folders, shared=True)
    articles = [a for a in collect(sets, models=models, workers=workers, cache=cache)
                if only_lang is None or a.lang == only_lang]
    if len(articles) < k:
        raise click.ClickException(f"{len(articles)} annotated article(s): too few for {k} folds")
    report = cross_validate(articles, k=k, seed=seed)
    for line in format_report(report):
        click.echo(line)
    total = report.pooled["all"].total
    click.echo(f"F1={total.f1:.3f} P={total.precision:.3f} R={total.recall:.3f}")


def _split(folder: Path, name: str | None) -> frozenset[str] | None:
    """The article names of split ``name`` in ``folder/splits.json`` (None: every article)."""
    if name is None:
        return None
    path = folder / "splits.json"
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.UsageError(f"--split {name}: cannot read {path}: {exc}") from None
    if not isinstance(splits, dict) or not isinstance(splits.get(name), list):
        known = ", ".join(sorted(splits)) if isinstance(splits, dict) else "none"
        raise click.UsageError(f"--split {name}: no such split in {path} (splits: {known})")
    return frozenset(str(x) for x in splits[name])


def _score_folder(folder: Path, gold: Path | None, only_lang: str | None, extractor_name: str,
                  models: tuple[str, str], scorer: Path | None, pred_out: Path | None, verbose: bool,
                  only: frozenset[str] | None = None) -> None:
    from graphkg.quality.runner import article_lang, predict
    from graphkg.quality.scoring import load_gold, score

    articles = _articles_dir(folder)
    gold_file = _gold_path(folder, gold)
    langs = frozenset({only_lang}) if only_lang else frozenset({"fr", "en"})
    rows = predict(articles, models[0], models[1], langs, extractor=extractor_name, only=only)
    if pred_out is not None:
        pred_out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    gold_docs = load_gold(gold_file)
    for lang in sorted(langs, reverse=True):
        files = [f for f in sorted(gold_docs) if article_lang(Path(f)) == lang and (articles / f).is_file()
                 and (only is None or f in only)]
        if not files:
            continue
        if scorer is not None:
            click.echo(f"== {lang} ({scorer})")
            click.echo(_external(scorer, gold_file, rows, files, verbose).rstrip())
        else:
            _print_score(lang, score(gold_docs, rows, files), verbose)


COMMANDS = [quality]
