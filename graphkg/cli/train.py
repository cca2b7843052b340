"""``graphkg train``: rebuild the extraction model from annotated articles.

Every annotated set (a folder with ``articles/*.txt`` and ``gold.jsonl``) goes through the
candidate generator; the proposals, labelled by the scorer's matching rules, train a logistic
regression (:mod:`graphkg.quality.train`). The articles are first cross-validated by article
(calibration, threshold, reported score), then the model is fitted on all of them and written
with its manifest. Same data, same versions, same seed: the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import click

from graphkg.cli.context import CliContext

__all__ = ["COMMANDS", "train", "annotated_sets"]


def annotated_sets(folders: tuple[Path, ...], shared: bool) -> list:  # type: ignore[type-arg]
    """The sets named on the command line, or the project's (``tests/data``: own minus its held-out
    articles, extract, blind) and, with ``shared``, ``../shared/devset`` when it is there."""
    from graphkg.quality.train import AnnotatedSet, default_sets

    if folders:
        out = []
        for f in folders:
            articles = f / "articles" if (f / "articles").is_dir() else f
            gold = f / "gold.jsonl" if (f / "gold.jsonl").is_file() else f.parent / "gold.jsonl"
            if not gold.is_file():
                raise click.UsageError(f"no gold.jsonl in {f} or its parent")
            out.append(AnnotatedSet(f.name if f.name != "articles" else f.parent.name, articles, gold))
        return out
    root = _project_root()
    if root is None:
        raise click.UsageError("not inside a graphkg checkout (no tests/data): name the annotated folders")
    sets = default_sets(root)
    return sets if shared else [s for s in sets if s.name != "devset"]


def _project_root() -> Path | None:
    for cand in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (cand / "tests" / "data" / "own" / "gold.jsonl").is_file():
            return cand
    return None


@click.command("train")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Model file to write (default: the package's graphkg/extract/data/model.json).")
@click.option("--shared/--no-shared", default=True, show_default=True,
              help="Include ../shared/devset when no FOLDERS are named and it is there.")
@click.option("--folds", "k", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds (by article).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the folds and the solver.")
@click.option("--c", "c", type=click.FloatRange(min=1e-6), default=None, help="Inverse L2 strength (default 0.1).")
@click.option("--limit", type=click.IntRange(min=2), default=None,
              help="Use only the first N articles of each set (a quick slice).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that parse the articles.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the parsed proposals here (keyed by text and generator version).")
@click.pass_obj
def train(obj: CliContext, folders: tuple[Path, ...], out: Path | None, shared: bool, k: int, seed: int,
          c: float | None, limit: int | None, workers: int, cache: Path | None) -> None:
    """Cross-validate and rebuild the extraction model from annotated FOLDERS (default: the project's
    annotated sets, and ../shared/devset when present)."""
    from graphkg.extract.model import model_path
    from graphkg.quality.train import C, build, format_report

    sets = annotated_sets(folders, shared)
    root = _project_root()
    obj.info("training sets: " + ", ".join(f"{s.name} ({len(s.files()) if limit is None else min(limit, len(s.files()))})"
                                             for s in sets))
    try:
        model, report = build(sets, k=k, seed=seed, c=C if c is None else c, workers=workers, cache=cache,
                              limit=limit, root=root)
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    for line in format_report(report, per_predicate=False):
        click.echo(line)
    target = out or model_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(target)
    click.echo(f"model {model.digest()} ({len(model.weights)} weights, threshold {model.threshold:.2f}) -> {target}")


COMMANDS = [train]
