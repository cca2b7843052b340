"""Namespaces, the one prefix table, the SPARQL prologue and the closed ``gkg:`` term namespace.

``gkg.articleId`` is the IRI of a term the ontology declares; a term it does not declare raises
:class:`~graphkg.errors.OntologyError` (with the closest declared term), so no module can mint an
IRI in the ontology's namespace by joining strings. The declared terms are read from
``ontology/graphkg.ttl`` with pyoxigraph on first use.
"""

from __future__ import annotations

import functools

from graphkg.errors import OntologyError, suggest
from graphkg.vocab.files import data_path

__all__ = [
    "GKG", "ENTITY", "ARTICLE", "ASSERTION", "SHAPES",
    "RDF", "RDFS", "XSD", "OWL", "SKOS", "PROV", "DCT", "SCHEMA", "WD", "SH",
    "PREFIXES", "DOC_PREFIXES", "sparql_prologue", "ClosedNamespace", "gkg", "decimal_text",
]

GKG = "https://w3id.org/graphkg/ontology#"
ENTITY = "https://w3id.org/graphkg/entity/"
ARTICLE = "https://w3id.org/graphkg/article/"
ASSERTION = "https://w3id.org/graphkg/assertion/"
SHAPES = "https://w3id.org/graphkg/shapes#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"  # as in ontology/graphkg.ttl and shapes.ttl (closed ArticleShape)
WD = "http://www.wikidata.org/entity/"
SH = "http://www.w3.org/ns/shacl#"

#: The prefix table of exports, SPARQL queries and short names in messages.
PREFIXES: dict[str, str] = {
    "gkg": GKG,
    "gke": ENTITY,
    "gka": ARTICLE,
    "gkr": ASSERTION,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCT,
    "schema": SCHEMA,
    "wd": WD,
}

#: :data:`PREFIXES` plus the namespaces only the ontology and shape files use (their reference page).
DOC_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "gkgsh": SHAPES,
    "sh": SH,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "vann": "http://purl.org/vocab/vann/",
}


@functools.cache
def sparql_prologue() -> str:
    """``PREFIX`` declarations of :data:`PREFIXES`, one per line.

    >>> sparql_prologue().splitlines()[0]
    'PREFIX gkg: <https://w3id.org/graphkg/ontology#>'
    """
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


def decimal_text(value: float) -> str:
    """Canonical xsd:decimal lexical form (what Oxigraph stores), 3 decimals at most.

    >>> decimal_text(0.8), decimal_text(1), decimal_text(0.8567)
    ('0.8', '1.0', '0.857')
    """
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


class ClosedNamespace:
    """IRIs of the terms an ontology file declares, by local name; anything else raises."""

    def __init__(self, base: str, source: str) -> None:
        self._base, self._source = base, source

    @functools.cached_property
    def terms(self) -> frozenset[str]:
        """Local names of every IRI in the namespace that the file gives an ``rdf:type``."""
        import pyoxigraph as ox

        with data_path(self._source).open("rb") as fh:
            quads = ox.parse(fh, ox.RdfFormat.TURTLE)
            rdf_type = ox.NamedNode(RDF + "type")
            return frozenset(q.subject.value[len(self._base):] for q in quads
                             if q.predicate == rdf_type and isinstance(q.subject, ox.NamedNode)
                             and q.subject.value.startswith(self._base))

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self.terms:
            raise OntologyError(f"{self._source} declares no term {name!r}; {suggest(name, self.terms)}", name)
        return self._base + name

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


#: The ontology's own terms: ``gkg.Assertion``, ``gkg.relationKey`` ...
gkg = ClosedNamespace(GKG, "graphkg.ttl")
