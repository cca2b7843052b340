"""Run the rule extractor over a folder of dev-set articles and write scorer-ready JSONL.

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

from graphkg.model import Article, Candidate

__all__ = ["read_article", "candidate_row", "article_lang", "predict", "run"]

_LANG = re.compile(r"^\d+-(fr|en)-")


def read_article(path: Path) -> Article:
    """Read a dev-set ``.txt`` page, cleaned by :func:`graphkg.loaders.textclean.clean_text`."""
    raw = path.read_text(encoding="utf-8")
    m = _LANG.match(path.name)
    lang = m.group(1) if m else None
    try:
        from graphkg.loaders.textclean import clean_text
    except ImportError:  # minimal fallback: straighten apostrophes only
        text = raw.replace("\u2019", "'")
        return Article.make(text, str(path), lang=lang)
    cleaned = clean_text(raw, lang)
    return Article.make(cleaned.text, str(path), lang=lang, title=cleaned.title, published=cleaned.published)


def candidate_row(source: str, c: Candidate) -> dict[str, Any]:
    """One scorer JSON object for a candidate."""
    def ref(r: Any) -> dict[str, Any]:
        return {"label": r.label, "id": r.id, "type": r.type.value}

    return {"source": source, "subject": ref(c.subject), "predicate": c.predicate.value, "object": ref(c.object),
            "properties": dict(c.properties), "date": c.date, "evidence": c.evidence,
            "confidence": c.confidence, "pattern": c.pattern, "cue": c.cue}


def article_lang(path: Path) -> str | None:
    """Language from a dev-set file name ("000-fr-seed.txt" -> "fr")."""
    m = _LANG.match(path.name)
    return m.group(1) if m else None


def predict(folder: Path, fr_model: str = "fr_core_news_sm", en_model: str = "en_core_web_sm",
            langs: frozenset[str] = frozenset({"fr", "en"})) -> list[dict[str, Any]]:
    """Scorer rows for every ``*.txt`` of ``folder`` whose name says one of ``langs``."""
    from graphkg.extract import RuleExtractor

    extractor = RuleExtractor(fr_model=fr_model, en_model=en_model)
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.txt")):
        if article_lang(path) not in langs:
            continue
        for c in extractor.extract(read_article(path)):
            rows.append(candidate_row(f"articles/{path.name}", c))
    return rows


def run(folder: Path, out: Path, fr_model: str = "fr_core_news_sm", en_model: str = "en_core_web_sm") -> int:
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
    ap.add_argument("--fr-model", default="fr_core_news_sm")
    ap.add_argument("--en-model", default="en_core_web_sm")
    a = ap.parse_args(argv)
    n = run(a.folder, a.out, a.fr_model, a.en_model)
    print(f"{n} candidates -> {a.out}")


if __name__ == "__main__":
    main()
