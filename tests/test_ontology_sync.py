"""The Python vocabulary, the OWL ontology and the SHACL shapes say the same thing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

from graphkg.vocab.load import load_entity_types, load_predicate_infos, load_predicate_names
from graphkg.errors import OntologyError
from graphkg.rdf.shacl import shapes_graph
from graphkg.vocab import (
    GKG as GKG_IRI,
    EntityType,
    Polarity,
    Predicate,
    actor_types,
    check_relation,
    data_path,
    predicate_info,
    symmetric_predicates,
)
from graphkg.vocab.shapes import FILE, predicate_shapes

GKG = Namespace(GKG_IRI)
SH = Namespace("http://www.w3.org/ns/shacl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ONTOLOGY = data_path("graphkg.ttl")
SHAPES = data_path("shapes.ttl")

C, P, O, T, D = (EntityType.COUNTRY, EntityType.PERSON, EntityType.ORGANIZATION,
                 EntityType.TERRITORY, EntityType.DOCUMENT)
ACTOR = {C, P, O}
ANY = {C, P, O, T, D}
coop, neut, confl = Polarity.COOPERATIVE, Polarity.NEUTRAL, Polarity.CONFLICTUAL

# The design table, written out independently of the ontology file.
EXPECTED = {
    Predicate.SUPPORTS: (ACTOR, ANY, coop, "SUPPORT", "05"),
    Predicate.OPPOSES: (ACTOR, ANY, confl, "REJECT", "12"),
    Predicate.MEETS: (ACTOR, ACTOR, coop, "CONSULT", "04"),
    Predicate.VISITS: (ACTOR, {C, T, O}, coop, "CONSULT", "04"),
    Predicate.SIGNS: (ACTOR, {D}, coop, "AGREE", "05"),
    Predicate.AGREES_WITH: (ACTOR, ACTOR, coop, "AGREE", "03"),
    Predicate.COOPERATES_WITH: (ACTOR, ACTOR, coop, "COOPERATE", "06"),
    Predicate.AIDS: (ACTOR, ACTOR | {T}, coop, "AID", "07"),
    Predicate.REQUESTS: (ACTOR, ACTOR, neut, "REQUEST", "02"),
    Predicate.THREATENS: (ACTOR, ACTOR | {T}, confl, "THREATEN", "13"),
    Predicate.SANCTIONS: (ACTOR, ACTOR, confl, "SANCTION", "16"),
    Predicate.RECOGNIZES: (ACTOR, ANY, coop, "SUPPORT", "05"),
    Predicate.PROPOSES: (ACTOR, {D}, neut, "AGREE", "03"),
    Predicate.ADOPTS: (ACTOR, {D}, neut, "AGREE", "05"),
    Predicate.MEMBER_OF: ({C, O, P}, {O}, coop, None, None),
    Predicate.REPRESENTS: ({P}, {C, O}, neut, None, None),
    Predicate.CONCERNS: ({D}, {T, C, O, D}, neut, None, None),
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def _members(g: Graph, expr: object) -> set[str]:
    """Concrete entity classes in a class expression: a gkg class (an abstract one stands for its
    subclasses: gkg:Actor, gkg:Entity) or an owl:unionOf list of them."""
    if isinstance(expr, URIRef):
        concrete = {t.value for t in EntityType}
        name = str(expr).removeprefix(GKG_IRI)
        if name in concrete:
            return {name}
        return {str(c).removeprefix(GKG_IRI) for c in g.subjects(RDFS.subClassOf, expr)} & concrete
    assert isinstance(expr, BNode)
    head = g.value(expr, OWL.unionOf)
    return set().union(*(_members(g, m) for m in Collection(g, head)))  # type: ignore[arg-type]


def _lang_values(g: Graph, s: URIRef, p: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in g.objects(s, p):
        assert isinstance(v, Literal)
        out.setdefault(v.language or "", []).append(str(v))
    return out


def test_both_files_parse(onto: Graph, shapes: Graph) -> None:
    assert len(onto) > 300
    assert len(shapes) > 300


def test_ontology_header(onto: Graph) -> None:
    o = URIRef("https://w3id.org/graphkg/ontology")
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) == URIRef("https://w3id.org/graphkg/ontology/0.1.0")
    assert onto.value(o, OWL.versionInfo) == Literal("0.1.0")
    assert onto.value(o, DCTERMS.license) == URIRef("https://opensource.org/licenses/MIT")
    assert set(_lang_values(onto, o, RDFS.label)) == {"en", "fr"}


def test_entity_classes_equal_enum(onto: Graph) -> None:
    assert load_entity_types(ONTOLOGY) == {t.value for t in EntityType}
    for t in EntityType:
        cls = GKG[t.value]
        assert (cls, RDF.type, OWL.Class) in onto
        assert onto.value(cls, GKG.neo4jLabel) == Literal(t.value)
        for prop in (RDFS.label, SKOS.definition):
            langs = _lang_values(onto, cls, prop)
            assert sorted(langs) == ["en", "fr"] and all(len(v) == 1 for v in langs.values()), (t, prop)


def test_object_properties_equal_enum(onto: Graph) -> None:
    declared = {str(p).removeprefix(GKG_IRI) for p in onto.subjects(RDF.type, OWL.ObjectProperty)
                if str(p).startswith(GKG_IRI)}
    assert declared == {p.rdf_name for p in Predicate}
    assert load_predicate_names(ONTOLOGY) == {p.value for p in Predicate}


@pytest.mark.parametrize("p", list(Predicate))
def test_predicate_info(p: Predicate) -> None:
    info = predicate_info(p)
    domain, range_, polarity, plover, cameo = EXPECTED[p]
    assert (info.domain, info.range) == (domain, range_)
    assert (info.polarity, info.plover, info.cameo) == (polarity, plover, cameo)
    assert info.neo4j_type == p.value
    for text in (info.label_en, info.label_fr):
        assert text and text == text.strip()
    for sentence in (info.definition_en, info.definition_fr):
        assert len(sentence) > 40 and sentence[0].isupper() and sentence.endswith(".")
    assert info.definition_en != info.definition_fr


def test_symmetric_predicates() -> None:
    assert {p for p in Predicate if predicate_info(p).symmetric} == {Predicate.MEETS, Predicate.COOPERATES_WITH}


def test_alignment_annotations(onto: Graph) -> None:
    wdt = Namespace("http://www.wikidata.org/prop/direct/")
    assert onto.value(GKG.memberOf, GKG.wikidataProperty) == wdt.P463
    assert wdt.P39 in set(onto.objects(GKG.represents, RDFS.seeAlso))
    for p in Predicate:
        cameo = onto.value(GKG[p.rdf_name], GKG.cameoRoot)
        assert cameo is None or (isinstance(cameo, Literal) and cameo.datatype in (None, XSD.string))
    for pol in Polarity:
        assert (GKG[pol.value], RDF.type, GKG.Polarity) in onto
        assert set(_lang_values(onto, GKG[pol.value], RDFS.label)) == {"en", "fr"}


def test_check_relation_agrees_with_ttl(onto: Graph) -> None:
    """check_relation (through the loader) accepts exactly what the raw Turtle allows."""
    for p in Predicate:
        prop = GKG[p.rdf_name]
        dom = _members(onto, onto.value(prop, RDFS.domain))
        rng = _members(onto, onto.value(prop, RDFS.range))
        for s, o in itertools.product(EntityType, EntityType):
            allowed = s.value in dom and o.value in rng
            assert (check_relation(s, p, o) is None) == allowed, (s, p, o)


def _shape_classes(g: Graph, node: object) -> set[str]:
    cls = g.value(node, SH["class"])  # type: ignore[arg-type]
    if cls is not None:
        return {str(cls).removeprefix(GKG_IRI)}
    items = Collection(g, g.value(node, SH["or"]))  # type: ignore[arg-type]
    return {str(g.value(item, SH["class"])).removeprefix(GKG_IRI) for item in items}


def test_generated_shapes_file_is_up_to_date() -> None:
    """ontology/shapes-predicates.ttl is exactly what graphkg.vocab.shapes generates from graphkg.ttl."""
    assert data_path(FILE).read_text(encoding="utf-8") == predicate_shapes(), (
        "regenerate it: python -m graphkg.vocab.shapes > ontology/shapes-predicates.ttl")


def test_actor_class_is_the_actor_set(onto: Graph) -> None:
    members = _members(onto, onto.value(GKG.Actor, OWL.equivalentClass))
    assert members == _members(onto, GKG.Actor) == {t.value for t in actor_types()} == {"Country", "Person", "Organization"}
    assert symmetric_predicates() == {p for p in Predicate
                                      if (GKG[p.rdf_name], RDF.type, OWL.SymmetricProperty) in onto}


def test_shapes_repeat_the_ontology() -> None:
    """Each per-predicate SHACL shape has the ontology's domain and range."""
    shapes = shapes_graph()
    for p in Predicate:
        prop = GKG[p.rdf_name]
        (shape,) = shapes.subjects(SH.targetSubjectsOf, prop)
        (pshape,) = shapes.objects(shape, SH.property)
        assert shapes.value(pshape, SH.path) == prop
        info = predicate_info(p)
        assert _shape_classes(shapes, shape) == {t.value for t in info.domain}, p
        assert _shape_classes(shapes, pshape) == {t.value for t in info.range}, p
    (predicate_shape,) = [x for x in shapes.subjects(SH.path, RDF.predicate) if shapes.value(x, SH["in"])]
    allowed = set(Collection(shapes, shapes.value(predicate_shape, SH["in"])))  # type: ignore[arg-type]
    assert allowed == {URIRef(p.iri) for p in Predicate}


def _broken_copy(tmp_path: Path, edit: str) -> Path:
    g = Graph().parse(ONTOLOGY, format="turtle")
    if edit == "missing":
        g.remove((GKG.sanctions, None, None))
    elif edit == "polarity":
        g.set((GKG.aids, GKG.polarity, GKG.friendly))
    elif edit == "range":
        g.set((GKG.signs, RDFS.range, GKG.Article))
    elif edit == "label":
        g.remove((GKG.meets, RDFS.label, Literal("rencontre", lang="fr")))
    out = tmp_path / "broken.ttl"
    g.serialize(out, format="turtle")
    return out


@pytest.mark.parametrize(
    ("edit", "needle"),
    [("missing", "SANCTIONS is missing"), ("polarity", "AIDS: gkg:polarity"),
     ("range", "SIGNS: rdfs:range names"), ("label", "rdfs:label@fr")],
)
def test_loader_rejects_malformed_ontology(tmp_path: Path, edit: str, needle: str) -> None:
    with pytest.raises(OntologyError, match=needle):
        load_predicate_infos(_broken_copy(tmp_path, edit))


def test_loader_rejects_unparsable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix gkg: <x> .\ngkg:a gkg:b", encoding="utf-8")
    with pytest.raises(OntologyError, match="cannot read ontology"):
        load_predicate_infos(bad)
