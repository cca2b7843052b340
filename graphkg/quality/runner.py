"""Run an extractor over a folder of annotated articles (dev-set layout) and write scorer-ready JSONL.

Articles go through the same path as ``graphkg extract``: the registered text reader, the
extractor, resolution and the ontology check (:func:`graphkg.pipeline.extract`).

Usage::

    python -m graphkg.quality.runner ARTICLES_DIR OUT.jsonl [--fr-model fr_core_news_md]
    python3 /work/shared/score.py --gold gold.jsonl --pred OUT.jsonl --verbose
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from graphkg.errors import LoaderError
from graphkg.model import Relation

__all__ = ["relation_row", "article_lang", "predict", "run"]

_LANG = re.compile(r"^\d+-(fr|en)-")


def relation_row(source: str, r: Relation) -> dict[str, Any]:
    """One scorer JSON object for a resolved relation."""
    def ref(e: Any) -> dict[str, Any]:
        return {"label": e.label, "id": e.id, "type": e.type.value}

    return {"source": source, "subject": ref(r.subject), "predicate": r.predicate.value, "object": ref(r.object),
            "properties": dict(r.properties), "date": r.date, "evidence": r.provenance.evidence,
            "confidence": r.provenance.confidence}


def article_lang(path: Path) -> str | None:
    """Language from a dev-set file name ("000-fr-seed.txt" -> "fr")."""
    m = _LANG.match(path.name)
    return m.group(1) if m else None


def predict(folder: Path, fr_model: str = "fr_core_news_md", en_model: str = "en_core_web_sm",
            langs: frozenset[str] = frozenset({"fr", "en"}), extractor: str = "auto",
            only: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Scorer rows for every ``*.txt`` of ``folder`` whose name says one of ``langs`` (and is in
    ``only``, file names, when given).

    Raises:
        LoaderError: an article cannot be read or extracted (an annotated set must be whole).
    """
    from graphkg.pipeline import FileError, IngestOptions, extract_relations

    paths = [str(p) for p in sorted(folder.glob("*.txt"))
             if article_lang(p) in langs and (only is None or p.name in only)]
    options = IngestOptions(extractor=extractor, fr_model=fr_model, en_model=en_model)
    rows: list[dict[str, Any]] = []
    for result in extract_relations(paths, options):
        if isinstance(result, FileError):
            raise LoaderError(result.source, result.reason)
        name = Path(result.article.source).name
        rows.extend(relation_row(f"articles/{name}", r) for r in result.relations)
    return rows


def run(folder: Path, out: Path, fr_model: str = "fr_core_news_md", en_model: str = "en_core_web_sm") -> int:
    """Extract every ``*.txt`` in ``folder`` into ``out``; return the number of rows written."""
    rows = predict(folder, fr_model, en_model)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--fr-model", default="fr_core_news_md")
    ap.add_argument("--en-model", default="en_core_web_sm")
    a = ap.parse_args(argv)
    n = run(a.folder, a.out, a.fr_model, a.en_model)
    print(f"{n} candidates -> {a.out}")


if __name__ == "__main__":
    main()
