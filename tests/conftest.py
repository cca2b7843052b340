"""Shared fixtures: stores (parametrised over every backend) and inline sample data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.ontology import EntityType, Predicate
from graphkg.stores import Store
from graphkg.stores.memory import MemoryStore
from graphkg.stores.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000-fr-seed.txt"

STORE_FACTORIES = {
    "memory": lambda tmp: MemoryStore(),
    "oxigraph": lambda tmp: OxigraphStore.open(home=tmp),
}


@pytest.fixture(params=sorted(STORE_FACTORIES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Every store backend, fresh and empty."""
    s = STORE_FACTORIES[request.param](tmp_path)
    yield s
    s.close()


def make_sample() -> tuple[Article, list[Relation], list[Entity]]:
    """A small article with three relations, built inline."""
    art = Article.make("Le Maroc et la France ont signé un accord. Paris soutient Rabat.", "inline.txt",
                       title="Accord", published=date(2025, 1, 2), lang="fr", url="https://example.org/a")
    ma = Entity("wd:Q1028", "Morocco", EntityType.COUNTRY, ("Maroc",), "Q1028")
    fr = Entity("wd:Q142", "France", EntityType.COUNTRY, ("Paris",), "Q142")
    p = Entity.minted("Jean Dupont", EntityType.PERSON)
    def prov(conf: float) -> Provenance:
        return Provenance(art.id, "Paris soutient Rabat.", 43, 64, "test/1", conf, url=art.url,
                          title=art.title, published=art.published, lang="fr", source=art.source)
    rels = [
        Relation(fr, Predicate.SUPPORTS, ma, prov(0.9), (("aspect", "sovereignty"),), "2025-01-02"),
        Relation(p, Predicate.REPRESENTS, fr, prov(0.8), (("role", "Minister of Foreign Affairs"),)),
        Relation(fr, Predicate.COOPERATES_WITH, ma, prov(0.7), (), "2024"),
    ]
    return art, rels, [ma, fr, p]
