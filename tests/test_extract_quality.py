"""The in-project scorer and the ``graphkg quality`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkg.cli import cli
from graphkg.quality.scoring import normalize, score, similarity

DATA = Path(__file__).resolve().parent / "data" / "extract"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "score.py"

GOLD = {
    "001-en-a.txt": {
        "file": "001-en-a.txt", "lang": "en",
        "entities": [
            {"name": "Nasser Bourita", "type": "Person", "aliases": ["Bourita"]},
            {"name": "United States", "type": "Country", "aliases": ["U.S.", "Washington"]},
            {"name": "Ghana", "type": "Country", "aliases": []},
            {"name": "Moroccan Foreign Minister", "type": "Person", "aliases": []},
            {"name": "Peace Plan", "type": "Document", "aliases": ["plan"]},
        ],
        "triples": [
            {"s": "United States", "p": "SUPPORTS", "o": "Ghana", "optional": False},
            {"s": "Ghana", "p": "MEETS", "o": "United States", "optional": False},
            {"s": "Ghana", "p": "PROPOSES", "o": "Peace Plan", "optional": False},
            {"s": "Ghana", "p": "OPPOSES", "o": "United States", "optional": True},
        ],
    }
}
PREDS = [
    {"source": "articles/001-en-a.txt", "subject": {"label": "U.S."}, "predicate": "SUPPORTS", "object": {"label": "Ghana"}},
    {"source": "001-en-a", "subject": {"label": "Washington"}, "predicate": "SUPPORTS", "object": {"label": "Ghana"}},  # dup
    {"source": "x/001-en-a.txt", "subject": {"label": "the U.S."}, "predicate": "meets", "object": {"label": "Ghana"}},  # sym
    {"source": "001-en-a.txt", "subject": {"label": "Ghana"}, "predicate": "OPPOSES", "object": {"label": "US"}},  # optional
    {"source": "001-en-a.txt", "subject": {"label": "Moroccan"}, "predicate": "SUPPORTS", "object": {"label": "Ghana"}},  # FP
    {"source": "999-en-b.txt", "subject": {"label": "Ghana"}, "predicate": "SUPPORTS", "object": {"label": "Ghana"}},  # unknown
]


def test_normalize_and_similarity() -> None:
    assert normalize("L\u2019Union Économique") == "union economique"
    assert normalize("U.S.A.") == "usa"
    assert similarity("bourita", "nasser bourita") == 1.0
    assert similarity("moroccan", "moroccan foreign minister") < 0.85


def test_score_counts_duplicates_symmetry_optionals() -> None:
    result = score(GOLD, PREDS)
    assert (result.total.tp, result.total.fp, result.total.fn) == (2, 1, 1)
    assert result.predicates["PROPOSES"].fn == 1
    assert result.false_positives == [("001-en-a.txt", ("Moroccan", "SUPPORTS", "Ghana"))]
    assert round(result.total.f1, 3) == 0.667


@pytest.mark.skipif(not REFERENCE.is_file(), reason="reference scorer not present next to the project")
def test_same_figures_as_reference_scorer(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(d) + "\n" for d in GOLD.values()), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in PREDS), encoding="utf-8")
    out = subprocess.run([sys.executable, str(REFERENCE), "--gold", str(gold), "--pred", str(pred)],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    t = score(GOLD, PREDS).total
    assert out == f"F1={t.f1:.3f} P={t.precision:.3f} R={t.recall:.3f}"


@pytest.mark.slow
def test_quality_command_on_own_articles(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["quality", str(DATA), "--only-lang", "en", "--pred", str(pred)])
    assert result.exit_code == 0, result.output
    assert "== en: 6 articles" in result.output and "== fr" not in result.output
    last = result.output.strip().splitlines()[-1]
    f1 = float(last.split()[0].split("=")[1])
    assert f1 >= 0.75, result.output
    rows = [json.loads(x) for x in pred.read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["source"].startswith("articles/1") for r in rows)


def test_quality_command_without_gold_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "001-en-a.txt").write_text("Ghana backs Togo.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["quality", str(tmp_path)])
    assert result.exit_code == 2 and "--gold" in result.output


@pytest.mark.slow
def test_quality_on_the_second_annotated_set_does_not_regress(tmp_path: Path) -> None:
    """tests/data/blind: 8 articles of bench/corpus annotated blind by a second annotator (first
    score 0.331). Rules were improved on general errors it showed since, so it is no longer
    blind: this guards the level reached (fr F1 0.62 P 0.83, en F1 0.69 P 1.00) against regressions."""
    result = CliRunner().invoke(cli, ["quality", str(DATA.parent / "blind")])
    assert result.exit_code == 0, result.output
    totals = [dict(part.split("=") for part in line.split()[:3])
              for line in result.output.splitlines() if line.startswith("F1=")]
    assert len(totals) == 2, result.output  # French, then English
    for figures in totals:
        assert float(figures["F1"]) >= 0.6 and float(figures["P"]) >= 0.8, result.output
