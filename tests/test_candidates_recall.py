"""Recall of the candidate generator: constructions it must propose (the model decides on them)."""

from __future__ import annotations

import pytest

from graphkg.model import Article

pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def generator() -> object:
    from graphkg.extract.candidates import CandidateGenerator

    return CandidateGenerator()


def _triples(generator: object, text: str, lang: str) -> dict[tuple[str, str, str], set[str]]:
    _, props = generator.proposals(Article.make(text, "t.txt", lang=lang))  # type: ignore[attr-defined]
    out: dict[tuple[str, str, str], set[str]] = {}
    for p in props:
        out.setdefault((p.subject.label, p.predicate.value, p.object.label), set()).add(p.pattern)
    return out


def test_a_capital_after_a_preposition_is_no_part_of_a_title(generator: object) -> None:
    # "à Rabat" is where the meeting is, not the affiliation of "son homologue ghanéen"
    text = "Le ministre sénégalais a reçu lundi à Rabat son homologue ghanéen, Kofi Mensah."
    got = _triples(generator, text, "fr")
    assert ("Morocco", "Country") in generator.seen  # type: ignore[attr-defined]
    assert any(p == "MEETS" for _, p, _ in got)


def test_a_clause_without_subject_proposes_the_actor_of_the_article(generator: object) -> None:
    text = ("The Arab League held its summit in Cairo on Saturday. "
            "The ministers also condemned the strikes and urged Israel to withdraw.")
    got = _triples(generator, text, "en")
    assert "implicit-subject" in got.get(("League of Arab States", "REQUESTS", "Israel"), set())
    assert "implicit-subject" in got.get(("League of Arab States", "OPPOSES", "Israel"), set())


def test_a_clause_with_its_subject_proposes_no_implicit_one(generator: object) -> None:
    text = "The Arab League held its summit in Cairo on Saturday. Egypt urged Israel to withdraw."
    got = _triples(generator, text, "en")
    assert not any("implicit-subject" in pats for pats in got.values())
