"""The learned extractor: a deterministic ``graphkg train``, the shipped model and its manifest,
``--explain``, cross-validation in ``graphkg quality``, and quality floors on articles no shipped
model was trained on (the own set's held-out split)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkg.cli import cli
from graphkg.extract.model import LinearModel, default_model, model_path
from graphkg.model import Article

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent


def _totals(output: str) -> list[dict[str, float]]:
    """The ``F1=... P=... R=...`` lines of a ``graphkg quality`` run (French first, then English)."""
    return [{k: float(v) for k, v in (part.split("=") for part in line.split()[:3])}
            for line in output.splitlines() if line.startswith("F1=")]


# ---------------------------------------------------------------- the shipped model (fast)

def test_shipped_model_has_its_manifest() -> None:
    raw = json.loads(model_path().read_text(encoding="utf-8"))
    manifest = raw["manifest"]
    assert manifest["built_by"] == "graphkg train"
    assert manifest["settings"]["seed"] == 0 and manifest["settings"]["solver"] == "liblinear"
    assert {"graphkg", "generator", "spacy", "scikit-learn", "fr_core_news_md", "en_core_web_sm"} <= set(manifest["versions"])
    sets = {d["set"]: d for d in manifest["data"]}
    assert {"own", "extract", "blind"} <= set(sets)
    assert sets["own"]["excluded"] == 45  # the held-out split never trains the shipped model
    assert all(re.fullmatch(r"[0-9a-f]{64}", d["gold_sha256"]) for d in manifest["data"])
    cv = manifest["cv"]["all"]
    assert 0.0 < cv["f1"] <= 1.0 and cv["precision"] >= 0.75  # the operating point keeps P >= 0.75
    model = default_model()
    assert isinstance(model, LinearModel) and len(model.weights) > 1000
    assert 0.0 < model.threshold < 1.0


def test_no_feature_names_a_proper_noun() -> None:
    """Features are words, classes and paths; proper nouns only by class (no name gets a weight)."""
    names = {"morocco", "maroc", "kazakhstan", "bourita", "nato", "otan", "ukraine", "russia", "russie"}
    for feature in default_model().weights:
        words = set(re.split(r"[=|_/^>\[\]\s]+", feature.lower()))
        assert not words & names, feature


# ---------------------------------------------------------------- training (slow)

@pytest.mark.slow
def test_train_is_deterministic_on_a_slice(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for i in range(2):
        out = tmp_path / f"model{i}.json"
        result = runner.invoke(cli, ["train", "--no-shared", "--limit", "3", "--folds", "2", "--out", str(out),
                                     "--cache", str(tmp_path / "cache")])
        assert result.exit_code == 0, result.output
        assert "cross-validation: 2 folds by article (seed 0)" in result.output
        assert re.search(r"^model [0-9a-f]{12} \(\d+ weights, threshold [\d.]+\) -> ", result.output, re.M)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]  # the second run read the parsed proposals from the cache: same bytes
    manifest = json.loads(outs[0])["manifest"]
    assert {d["set"]: sum(d["used"].values()) for d in manifest["data"]} == {"own": 3, "extract": 3, "blind": 3}
    assert manifest["settings"]["k"] == 2
    other = tmp_path / "seed1.json"
    assert runner.invoke(cli, ["train", "--no-shared", "--limit", "3", "--folds", "2", "--seed", "1", "--out",
                               str(other), "--cache", str(tmp_path / "cache")]).exit_code == 0
    assert json.loads(other.read_bytes())["manifest"]["settings"]["seed"] == 1


@pytest.mark.slow
def test_quality_cross_validates_by_article() -> None:
    result = CliRunner().invoke(cli, ["quality", "--cv", "2", str(DATA / "extract")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("cross-validation: 2 folds by article (seed 0), threshold ")
    for group in ("all", "extract", "all/fr", "all/en"):
        assert any(re.match(rf"^{re.escape(group)}\s+\d+\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+ ± [\d.]+$",
                            line) for line in lines), (group, result.output)
    assert "-- all per predicate" in result.output
    (total,) = _totals(result.output)
    assert total["F1"] > 0.3, result.output  # six articles a fold: a smoke floor, not a figure to quote


def test_quality_split_errors_are_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quality", str(DATA / "own"), "--split", "nope"])
    assert result.exit_code == 2 and "no such split" in result.output and "heldout" in result.output
    result = CliRunner().invoke(cli, ["quality", str(tmp_path), "--split", "heldout", "--gold", str(DATA / "own" / "gold.jsonl")])
    assert result.exit_code == 2 and "cannot read" in result.output


# ---------------------------------------------------------------- the extractor (slow)

@pytest.mark.slow
def test_learned_candidates_carry_probability_and_features() -> None:
    from graphkg.extract.learned import LearnedExtractor

    ex = LearnedExtractor()
    text = ("Le Chili soutient le Pérou dans ses efforts de médiation.\n\n"
            "Le Chili ne soutient pas la Bolivie.")
    cands = ex.extract(Article.make(text, "x.txt", lang="fr"))
    got = {(c.subject.label, c.predicate.value, c.object.label): c for c in cands}
    assert ("Chile", "SUPPORTS", "Peru") in got and not any(o == "Bolivia" for _, _, o in got)
    c = got[("Chile", "SUPPORTS", "Peru")]
    assert c.extractor == ex.tag and "+model." in c.extractor
    assert ex.model.threshold <= c.confidence <= 1.0 and c.features
    assert all(isinstance(name, str) and isinstance(w, float) for name, w in c.features)
    assert text[c.start:c.end] == c.evidence


@pytest.mark.slow
def test_extract_explain_shows_probability_and_features(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Chile recalled its ambassador to Peru after the incident.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--explain", str(art)])
    assert result.exit_code == 0, result.output
    assert "Chile –SANCTIONS→ Peru" in result.output
    assert re.search(r"^\s+model: p=0\.\d{3}; weightiest features: \S+ [+-]\d\.\d\d", result.output, re.M), result.output
    assert "sentence: Chile recalled its ambassador" in result.output


# ---------------------------------------------------------------- floors on unseen articles (slow)

# Measured once, with the model shipped on 2026-12-04, by
#   graphkg quality tests/data/own --split heldout
# on the 45 held-out articles (never inspected, never trained on): fr F1 0.323 P 0.567 (23
# articles), en F1 0.335 P 0.645 (22). Far below the cross-validated figures of the articles the
# generator was developed on (own: F1 0.45 P 0.76): that gap is the honest first-sight measure.
# The floors guard that level against regressions; they are not the target.
HELDOUT_FLOOR = {"fr": (0.30, 0.52), "en": (0.31, 0.60)}  # (F1, P)


@pytest.mark.slow
def test_quality_on_the_held_out_articles() -> None:
    result = CliRunner().invoke(cli, ["quality", str(DATA / "own"), "--split", "heldout"])
    assert result.exit_code == 0, result.output
    assert "== fr: 22 articles" in result.output or "== fr: 23 articles" in result.output, result.output
    fr, en = _totals(result.output)
    for lang, figures in (("fr", fr), ("en", en)):
        f1, p = HELDOUT_FLOOR[lang]
        assert figures["F1"] >= f1 and figures["P"] >= p, (lang, result.output)
