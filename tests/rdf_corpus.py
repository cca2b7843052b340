"""A small inline corpus for the RDF tests: four articles, nine entities, thirteen relations.

Built from the model classes (no NLP), so the cookbook answers are known exactly:
- Spain, France and the UN support the autonomy plan, Algeria opposes it;
- Algeria and Spain have both a conflictual (sanctions) and a cooperative (agrees with) relation;
- Bourita (Morocco) and Albares (Spain) meet, each represents his country with a role;
- one relation has a low confidence (0.4).
"""

from __future__ import annotations

from datetime import date

from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate

__all__ = ["E", "ARTICLES", "corpus", "load"]

C, P, O, T, D = (EntityType.COUNTRY, EntityType.PERSON, EntityType.ORGANIZATION, EntityType.TERRITORY,
                 EntityType.DOCUMENT)
E = {
    "ma": Entity("wd:Q1028", "Morocco", C, ("Maroc", "Rabat"), "Q1028"),
    "es": Entity("wd:Q29", "Spain", C, ("Espagne", "Madrid"), "Q29"),
    "dz": Entity("wd:Q262", "Algeria", C, ("Algérie", "Alger"), "Q262"),
    "fr": Entity("wd:Q142", "France", C, ("Paris",), "Q142"),
    "un": Entity("wd:Q1065", "United Nations", O, ("ONU", "UN"), "Q1065"),
    "ws": Entity("wd:Q6250", "Western Sahara", T, ("Sahara occidental",), "Q6250"),
    "plan": Entity.minted("Moroccan autonomy plan", D, ("plan d'autonomie",)),
    "bourita": Entity.minted("Nasser Bourita", P),
    "albares": Entity.minted("José Manuel Albares", P),
}

# (key, text, date, lang, publisher, [(subject, predicate, object, confidence, date, props, evidence)])
_SPEC = [
    ("a1", "L'Espagne et la France soutiennent le plan d'autonomie. L'Algérie s'y oppose. "
           "Le ministre Nasser Bourita a rencontré José Manuel Albares.",
     date(2025, 1, 10), "fr", "Example Presse", [
        ("es", Predicate.SUPPORTS, "plan", 0.9, "2025-01-10", (), "L'Espagne et la France soutiennent le plan d'autonomie."),
        ("fr", Predicate.SUPPORTS, "plan", 0.85, None, (), "L'Espagne et la France soutiennent le plan d'autonomie."),
        ("dz", Predicate.OPPOSES, "plan", 0.8, None, (), "L'Algérie s'y oppose."),
        ("bourita", Predicate.REPRESENTS, "ma", 0.95, None, (("role", "ministre des Affaires étrangères"),),
         "Le ministre Nasser Bourita a rencontré José Manuel Albares."),
        ("bourita", Predicate.MEETS, "albares", 0.7, "2025-01-09", (),
         "Le ministre Nasser Bourita a rencontré José Manuel Albares."),
    ]),
    ("a2", "Algeria recalled its ambassador to Madrid. Spain and Morocco will cooperate on migration. "
           "Minister José Manuel Albares spoke for Spain.",
     date(2025, 2, 3), "en", "Example News", [
        ("dz", Predicate.SANCTIONS, "es", 0.75, "2025-02", (), "Algeria recalled its ambassador to Madrid."),
        ("es", Predicate.COOPERATES_WITH, "ma", 0.8, None, (("aspect", "migration"),),
         "Spain and Morocco will cooperate on migration."),
        ("albares", Predicate.REPRESENTS, "es", 0.9, None, (("role", "minister of foreign affairs"),),
         "Minister José Manuel Albares spoke for Spain."),
    ]),
    ("a3", "L'Espagne et l'Algérie se sont accordées sur le gaz. La France aiderait le Maroc.",
     date(2025, 2, 20), "fr", "Example Presse", [
        ("es", Predicate.AGREES_WITH, "dz", 0.6, "2025", (), "L'Espagne et l'Algérie se sont accordées sur le gaz."),
        ("fr", Predicate.AIDS, "ma", 0.4, None, (), "La France aiderait le Maroc."),
    ]),
    ("a4", "The United Nations supports the autonomy plan, a resolution on Western Sahara. Spain backs the plan.",
     date(2025, 3, 5), "en", "Example News", [
        ("un", Predicate.SUPPORTS, "plan", 0.7, None, (), "The United Nations supports the autonomy plan"),
        ("plan", Predicate.CONCERNS, "ws", 0.8, None, (), "The United Nations supports the autonomy plan, a resolution on Western Sahara."),
        ("es", Predicate.SUPPORTS, "plan", 0.88, None, (), "Spain backs the plan."),
    ]),
]


def _build() -> tuple[dict[str, Article], list[tuple[Article, list[Relation], list[Entity]]]]:
    arts: dict[str, Article] = {}
    batch = []
    for key, text, published, lang, publisher, rels in _SPEC:
        art = Article.make(text, f"{key}.txt", url=f"https://example.org/{key}", title=f"Article {key}",
                           published=published, lang=lang, publisher=publisher)
        arts[key] = art
        relations, mentioned = [], {}
        for s, p, o, conf, when, props, evidence in rels:
            start = text.find(evidence)
            if start < 0:
                raise ValueError(f"evidence not in the text of {key}: {evidence!r}")
            prov = Provenance(art.id, evidence, start, start + len(evidence), "graphkg-test/1", conf,
                              url=art.url, title=art.title, publisher=publisher, published=published,
                              lang=lang, source=art.source)
            relations.append(Relation(E[s], p, E[o], prov, props, when))
            mentioned[s], mentioned[o] = E[s], E[o]
        batch.append((art, relations, list(mentioned.values())))
    return arts, batch


ARTICLES, _BATCH = _build()


def corpus() -> list[tuple[Article, list[Relation], list[Entity]]]:
    """The batch to pass to ``store.write``."""
    return list(_BATCH)


def load(store):  # type: ignore[no-untyped-def]
    """Write the corpus into ``store`` and return it."""
    store.write(corpus())
    return store
