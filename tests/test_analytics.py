"""Alliance analytics: signed actor graph, roll-up, blocs, centrality, stance, name resolution."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkg.analytics import (
    actor_graph,
    centrality,
    filter_relations,
    focus_relations,
    resolve_actor,
    roll_up_persons,
    signed_blocs,
    signed_modularity,
    stance,
)
from graphkg.errors import QueryError, ResolutionError
from graphkg.maps.layout import DENSE_LIMIT, layout
from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate

C = EntityType.COUNTRY


def country(name: str, *aliases: str) -> Entity:
    return Entity(f"wd:{name}", name, C, aliases)


def rel(s: Entity, p: Predicate, o: Entity, article: str, when: str | None = None,
        evidence: str | None = None, conf: float = 0.9) -> Relation:
    pv = Provenance(article, evidence or f"{s.label} {p.value} {o.label} in {article}.", 0, 10, "test/1", conf,
                    url=f"https://example.org/{article}", title=f"title {article}",
                    published=date(2025, 3, 1))
    return Relation(s, p, o, pv, (), when)


MA, DZ, FR, ES = country("Morocco", "Maroc"), country("Algeria", "Algérie"), country("France"), country("Spain")


def test_weight_counts_independent_articles_with_polarity() -> None:
    rels = [rel(FR, Predicate.SUPPORTS, MA, "a1"),
            rel(FR, Predicate.COOPERATES_WITH, MA, "a1"),          # same article: one vote
            rel(MA, Predicate.SANCTIONS, FR, "a2"),                 # conflictual, other direction
            rel(FR, Predicate.AIDS, MA, "a3", evidence="Paris aide Rabat."),
            rel(FR, Predicate.AIDS, MA, "a4", evidence="Paris  aide Rabat."),  # wire copy of a3
            rel(FR, Predicate.REQUESTS, DZ, "a5")]                  # neutral: no edge
    g = actor_graph(rels)
    e = g.edges[FR.id, MA.id]
    assert (e["weight"], e["positive"], e["negative"], e["articles"]) == (1, 2, 1, 3)
    assert len(e["votes"]) == 5
    assert not g.has_edge(FR.id, DZ.id) and DZ.id in g  # actor kept, neutral link dropped


def test_roll_up_attributes_persons_to_what_they_represent() -> None:
    bourita = Entity.minted("Nasser Bourita", EntityType.PERSON)
    attaf = Entity.minted("Ahmed Attaf", EntityType.PERSON)
    rels = [rel(bourita, Predicate.REPRESENTS, MA, "a1"), rel(attaf, Predicate.REPRESENTS, DZ, "a1"),
            rel(bourita, Predicate.OPPOSES, attaf, "a1"), rel(bourita, Predicate.MEETS, MA, "a2")]
    flat = actor_graph(rels)
    assert flat.has_edge(bourita.id, attaf.id) and not flat.has_edge(MA.id, DZ.id)
    up = actor_graph(rels, roll_up=True)
    assert up.edges[MA.id, DZ.id]["weight"] == -1
    assert bourita.id not in up and MA.id in up  # the self-loop (Bourita meets Morocco) is gone
    assert all(r.predicate is not Predicate.REPRESENTS for r in roll_up_persons(rels))


def _two_camps() -> list[Relation]:
    west = [country(n) for n in ("A", "B", "C")]
    east = [country(n) for n in ("D", "E", "F")]
    rels, k = [], 0
    for camp in (west, east):
        for i, x in enumerate(camp):
            for y in camp[i + 1:]:
                k += 1
                rels += [rel(x, Predicate.COOPERATES_WITH, y, f"c{k}"), rel(x, Predicate.SUPPORTS, y, f"s{k}")]
    for x in west:
        for y in east:
            k += 1
            rels.append(rel(x, Predicate.THREATENS, y, f"t{k}"))
    return rels


def test_blocs_follow_signs_and_are_deterministic() -> None:
    g = actor_graph(_two_camps())
    part = signed_blocs(g, seed=3)
    assert part == signed_blocs(g, seed=3)
    assert len({part["wd:A"], part["wd:B"], part["wd:C"]}) == 1
    assert len({part["wd:D"], part["wd:E"], part["wd:F"]}) == 1
    assert part["wd:A"] != part["wd:D"]
    assert signed_modularity(g, part) > signed_modularity(g, {n: 0 for n in g})


def test_conflict_inside_a_positive_community_splits_it() -> None:
    x = country("X")
    rels = [rel(MA, Predicate.COOPERATES_WITH, FR, "a1"), rel(FR, Predicate.COOPERATES_WITH, ES, "a2"),
            rel(MA, Predicate.COOPERATES_WITH, ES, "a3"), rel(x, Predicate.SUPPORTS, MA, "a4"),
            rel(x, Predicate.SUPPORTS, FR, "a5")]
    rels += [rel(x, Predicate.SANCTIONS, ES, f"n{i}") for i in range(3)]
    g = actor_graph(rels)
    positive = nx.Graph([(a, b) for a, b, w in g.edges(data="weight") if w > 0])
    assert nx.community.louvain_communities(positive, seed=0) == [{x.id, MA.id, FR.id, ES.id}]
    part = signed_blocs(g, seed=0)
    assert part[x.id] != part[ES.id]
    assert all(part[a] != part[b] for a, b, w in g.edges(data="weight") if w < 0)


def test_centrality_star() -> None:
    hub, spokes = country("Hub"), [country(f"S{i}") for i in range(4)]
    rels = [rel(hub, Predicate.SUPPORTS, s, f"a{i}") for i, s in enumerate(spokes)]
    rels.append(rel(hub, Predicate.OPPOSES, spokes[0], "z"))
    c = centrality(actor_graph(rels))
    assert (c[hub.id].degree, c[hub.id].positive, c[hub.id].negative) == (4, 3.0, 0.0)
    assert c[hub.id].betweenness == 1.0 and c[spokes[1].id].betweenness == 0.0
    assert c[spokes[0].id].strength == 0.0  # one support, one opposition


def test_stance_over_time_with_running_score() -> None:
    rels = [rel(MA, Predicate.COOPERATES_WITH, DZ, "a1", "2024-01-10"),
            rel(MA, Predicate.SANCTIONS, DZ, "a2", "2024-03-02"),
            rel(DZ, Predicate.THREATENS, MA, "a3", "2024-03-20"),
            rel(DZ, Predicate.OPPOSES, MA, "a4", "2024-05"),
            rel(DZ, Predicate.SUPPORTS, MA, "a5", "bientôt")]  # not a date: the article's date is used
    points = stance(actor_graph(rels), DZ.id, MA.id)
    assert [(p.period, p.score, p.running) for p in points] == [
        ("2024-01", 1, 1), ("2024-03", -2, -1), ("2024-05", -1, -2), ("2025-03", 1, -1)]
    assert [v.predicate for v in points[1].votes] == [Predicate.SANCTIONS, Predicate.THREATENS]
    assert stance(actor_graph(rels), MA.id, DZ.id, by="year")[0].score == -2
    with pytest.raises(QueryError, match="did you mean 'month'"):
        stance(actor_graph(rels), MA.id, DZ.id, by="mont")


def test_resolve_actor_by_label_alias_id_case_insensitive() -> None:
    g = actor_graph([rel(MA, Predicate.OPPOSES, DZ, "a1")])
    assert resolve_actor(g, "morocco") == resolve_actor(g, "MAROC") == resolve_actor(g, "wd:morocco") == MA.id
    assert resolve_actor(g, "algérie") == DZ.id
    with pytest.raises(ResolutionError, match="did you mean 'Morocco'"):
        resolve_actor(g, "Moroco")


def test_filter_relations_dates_predicates_confidence() -> None:
    rels = [rel(MA, Predicate.SUPPORTS, FR, "a1", "2024"), rel(MA, Predicate.OPPOSES, FR, "a2", "2024-06-15"),
            rel(MA, Predicate.SUPPORTS, FR, "a3", "2023-12-31", conf=0.3)]
    assert len(filter_relations(rels, since="2024-03")) == 2      # "2024" overlaps March onwards
    assert len(filter_relations(rels, until="2024-05")) == 2      # 2023-12-31 and "2024"
    assert len(filter_relations(rels, since="2024-07")) == 1
    assert len(filter_relations(rels, predicates=[Predicate.SUPPORTS], min_confidence=0.5)) == 1
    with pytest.raises(QueryError, match="YYYY-MM"):
        filter_relations(rels, since="June 2024")


def test_focus_relations_depth() -> None:
    rels = [rel(MA, Predicate.SUPPORTS, FR, "a1"), rel(FR, Predicate.SUPPORTS, ES, "a2"),
            rel(ES, Predicate.SUPPORTS, DZ, "a3")]
    assert len(focus_relations(rels, MA.id, 1)) == 1
    assert len(focus_relations(rels, MA.id, 2)) == 2
    assert focus_relations(rels, MA.id, 0) == []


def test_layout_is_deterministic_and_scales_past_the_dense_limit() -> None:
    small = nx.karate_club_graph()
    assert layout(small, seed=1) == layout(small, seed=1)
    big = nx.gnm_random_graph(DENSE_LIMIT * 3, DENSE_LIMIT * 9, seed=2)
    big.add_nodes_from(range(DENSE_LIMIT * 3, DENSE_LIMIT * 3 + 5))  # isolated nodes too
    pos = layout(big, seed=1)
    assert set(pos) == set(big)
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 0.95 * len(pos)


def _seeded_home(tmp: Path) -> Path:
    from graphkg.stores.oxigraph import OxigraphStore

    rels = [rel(MA, Predicate.COOPERATES_WITH, FR, "a1", "2024-01-05"),
            rel(MA, Predicate.SANCTIONS, DZ, "a2", "2024-02-01"),
            rel(DZ, Predicate.THREATENS, MA, "a3", "2024-02-09"),
            rel(FR, Predicate.SUPPORTS, MA, "a4", "2024-03-01")]
    store = OxigraphStore.open(home=tmp)
    try:
        for r in rels:
            art = Article(r.provenance.article_id, "", "inline", r.provenance.url, r.provenance.title,
                          r.provenance.published)
            store.write([(art, [r], [r.subject, r.object])])
    finally:
        store.close()
    return tmp


def test_cli_analyze(tmp_path: Path) -> None:
    from graphkg.cli import cli

    home = ["--home", str(_seeded_home(tmp_path)), "--store", "oxigraph"]
    run = CliRunner().invoke
    res = run(cli, [*home, "analyze", "stance", "algeria", "Maroc", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [(p["period"], p["running"]) for p in data["periods"]] == [("2024-02", -2)]
    assert data["weight"] == -2
    res = run(cli, [*home, "analyze", "blocs", "--format", "json"])
    blocs = json.loads(res.output)["blocs"]
    assert {m["label"] for m in blocs[0]["members"]} == {"France", "Morocco"}
    res = run(cli, [*home, "analyze", "centrality"])
    assert res.exit_code == 0 and res.output.splitlines()[1].startswith("Morocco")
    res = run(cli, [*home, "analyze", "stance", "Marocco", "France"])
    assert res.exit_code == 1 and "did you mean 'Morocco'" in res.output
    res = run(cli, [*home, "analyze", "blocs", "--since", "last year"])
    assert res.exit_code == 1 and "YYYY-MM" in res.output
