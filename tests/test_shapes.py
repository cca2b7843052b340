"""SHACL shapes accept the data the stores write and reject broken variants of it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef

from graphkg.vocab import data_path
from graphkg.rdf.shacl import validate_graph

GKG = Namespace("https://w3id.org/graphkg/ontology#")
ENT = Namespace("https://w3id.org/graphkg/entity/")
ART = URIRef("https://w3id.org/graphkg/article/a1b2c3")
ASSERT = Namespace("https://w3id.org/graphkg/assertion/")

# Exactly what the stores write: entities and articles in the default graph, the asserted
# triple and its gkg:Assertion in the article's named graph.
TRIG = """
@prefix gkg: <https://w3id.org/graphkg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ent: <https://w3id.org/graphkg/entity/> .
@prefix as: <https://w3id.org/graphkg/assertion/> .

ent:wd\\/Q1028 a gkg:Country ; gkg:entityId "wd:Q1028" ; rdfs:label "Morocco"@en, "Maroc"@fr ;
    skos:altLabel "Royaume du Maroc", "Rabat" ; owl:sameAs <http://www.wikidata.org/entity/Q1028> .
ent:wd\\/Q29 a gkg:Country ; gkg:entityId "wd:Q29" ; rdfs:label "Spain"@en ;
    owl:sameAs <http://www.wikidata.org/entity/Q29> .
ent:person\\/nasser-bourita a gkg:Person ; gkg:entityId "person/nasser-bourita" ; rdfs:label "Nasser Bourita" .
ent:document\\/plan-d-autonomie a gkg:Document ; gkg:entityId "document/plan-d-autonomie" ;
    rdfs:label "plan d'autonomie"@fr .

<https://w3id.org/graphkg/article/a1b2c3> a gkg:Article ; gkg:articleId "a1b2c3" ;
    dcterms:title "L'Espagne soutient le plan d'autonomie" ; dcterms:language "fr" ;
    dcterms:issued "2025-04-28"^^xsd:date ; schema:url "https://example.org/a"^^xsd:anyURI ;
    dcterms:publisher "Example" ; gkg:source "samples/x.txt" ;
    schema:mentions ent:wd\\/Q1028, ent:wd\\/Q29, ent:person\\/nasser-bourita .

<https://w3id.org/graphkg/article/a1b2c3> {
    ent:wd\\/Q29 gkg:supports ent:document\\/plan-d-autonomie .
    ent:person\\/nasser-bourita gkg:represents ent:wd\\/Q1028 .

    as:k1 a gkg:Assertion ; rdf:subject ent:wd\\/Q29 ; rdf:predicate gkg:supports ;
        rdf:object ent:document\\/plan-d-autonomie ; gkg:relationKey "k1" ;
        gkg:evidence "L'Espagne soutient le plan d'autonomie marocain." ;
        gkg:evidenceStart 10 ; gkg:evidenceEnd 120 ; gkg:confidence 0.85 ;
        gkg:extractor "graphkg-rules/0.1.0" ; prov:wasDerivedFrom <https://w3id.org/graphkg/article/a1b2c3> ;
        gkg:date "2025-04-28"^^xsd:date ; gkg:aspect "autonomy" .

    as:k2 a gkg:Assertion ; rdf:subject ent:person\\/nasser-bourita ; rdf:predicate gkg:represents ;
        rdf:object ent:wd\\/Q1028 ; gkg:relationKey "k2" ;
        gkg:evidence "Le ministre marocain Nasser Bourita a salué la décision." ;
        gkg:evidenceStart 130 ; gkg:evidenceEnd 190 ; gkg:confidence 0.9 ;
        gkg:extractor "graphkg-rules/0.1.0" ; prov:wasDerivedFrom <https://w3id.org/graphkg/article/a1b2c3> ;
        gkg:role "ministre des Affaires étrangères" ; gkg:date "2025"^^xsd:gYear .
}
"""

Q1028, Q29 = ENT["wd/Q1028"], ENT["wd/Q29"]
BOURITA, PLAN = ENT["person/nasser-bourita"], ENT["document/plan-d-autonomie"]
K1, K2 = ASSERT.k1, ASSERT.k2


def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=TRIG, format="trig")
    return ds


def test_conforming_dataset() -> None:
    ds = dataset()
    before = len(list(ds.quads((None, None, None, None))))
    report = validate_graph(ds)
    assert report.violations == ()
    assert report.conforms, report.text
    assert len(list(ds.quads((None, None, None, None)))) == before  # input left untouched


def test_plain_graph_is_accepted() -> None:
    g = Graph()
    for s, p, o, _ in dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    assert validate_graph(g).conforms


def _named(ds: Dataset) -> Graph:
    return ds.graph(ART)


def missing_evidence(ds: Dataset) -> None:
    _named(ds).remove((K1, GKG.evidence, None))


def confidence_too_high(ds: Dataset) -> None:
    _named(ds).set((K1, GKG.confidence, Literal(Decimal("1.5"))))


def confidence_as_double(ds: Dataset) -> None:
    _named(ds).set((K1, GKG.confidence, Literal(0.85)))


def represents_country_subject(ds: Dataset) -> None:
    g = _named(ds)
    g.remove((BOURITA, GKG.represents, Q1028))
    g.add((Q29, GKG.represents, Q1028))
    g.set((K2, RDF.subject, Q29))


def represents_assertion_only(ds: Dataset) -> None:
    """The reified statement alone is wrong (its asserted triple is missing too)."""
    _named(ds).set((K2, RDF.subject, Q29))


def triple_with_wrong_range(ds: Dataset) -> None:
    _named(ds).add((Q29, GKG.signs, Q1028))


def entity_without_id(ds: Dataset) -> None:
    ds.default_graph.remove((BOURITA, GKG.entityId, None))


def entity_iri_mismatch(ds: Dataset) -> None:
    ds.default_graph.set((Q29, GKG.entityId, Literal("wd:Q30")))


def unknown_predicate(ds: Dataset) -> None:
    _named(ds).set((K1, RDF.predicate, GKG.likes))


def bad_date(ds: Dataset) -> None:
    _named(ds).set((K1, GKG.date, Literal("avril 2025")))


def offsets_reversed(ds: Dataset) -> None:
    _named(ds).set((K1, GKG.evidenceStart, Literal(500)))


def article_extra_property(ds: Dataset) -> None:
    ds.default_graph.add((ART, URIRef("http://schema.org/url"), Literal("https://example.org/a", datatype=XSD.anyURI)))


def derived_from_nothing(ds: Dataset) -> None:
    _named(ds).set((K1, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), URIRef("https://example.org/x")))


def two_entity_classes(ds: Dataset) -> None:
    ds.default_graph.add((Q1028, RDF.type, GKG.Territory))


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (missing_evidence, "gkr:k1 — gkg:evidence —"),
        (confidence_too_high, "gkr:k1 — gkg:confidence —"),
        (confidence_as_double, "gkr:k1 — gkg:confidence —"),
        (represents_country_subject, "gke:wd/Q29 — - — the subject of gkg:represents must be a Person"),
        (represents_country_subject, "gkr:k2 — rdf:subject — rdf:subject gke:wd/Q29 is not in the domain of gkg:represents"),
        (represents_assertion_only, "gkr:k2 — rdf:subject — rdf:subject gke:wd/Q29 is not in the domain"),
        (represents_assertion_only, "but that triple is not in the data"),
        (triple_with_wrong_range, "gke:wd/Q29 — gkg:signs — the object of gkg:signs must be a Document"),
        (entity_without_id, "gke:person/nasser-bourita — gkg:entityId —"),
        (entity_iri_mismatch, "gke:wd/Q29 — gkg:entityId — entity IRI gke:wd/Q29 does not match its gkg:entityId wd:Q30"),
        (unknown_predicate, "gkr:k1 — rdf:predicate —"),
        (bad_date, "gkr:k1 — gkg:date —"),
        (offsets_reversed, "gkr:k1 — gkg:evidenceStart —"),
        (article_extra_property, "gka:a1b2c3 — <http://schema.org/url> —"),
        (derived_from_nothing, "gkr:k1 — prov:wasDerivedFrom —"),
        (two_entity_classes, "gke:wd/Q1028 — - — an entity must be typed with exactly one"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_broken_variant_is_reported(breakage: Callable[[Dataset], None], expected: str) -> None:
    ds = dataset()
    breakage(ds)
    report = validate_graph(ds)
    assert not report.conforms
    assert any(line.startswith(expected) or expected in line for line in report.violations), report.violations


def test_assertion_check_refuses_to_pass_without_the_ontology() -> None:
    """Run pyshacl on the data alone: the ontology-driven constraints must say so, not pass."""
    import pyshacl

    g = Graph()
    for s, p, o, _ in dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    shapes = Graph().parse(data_path("shapes.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none")
    assert not conforms
    assert "validate together with ontology/graphkg.ttl" in str(text)
