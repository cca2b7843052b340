"""Readable reference page of the ontology (``graphkg ontology doc``), Markdown or HTML.

Everything is read from ``ontology/graphkg.ttl``: a class or property added there shows up in
the page with no code change. ``docs/ontology.md`` is this module's output (a test keeps it so).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from graphkg.vocab import GKG, data_path
from graphkg.vocab.terms import DOC_PREFIXES, PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["render_ontology_doc", "doc_blocks"]

Block = tuple[Any, ...]


def _short(node: Any) -> str:
    text = str(node)
    for prefix, ns in DOC_PREFIXES.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _lit(g: Graph, s: Any, p: Any, lang: str | None = None) -> str:
    from rdflib import Literal

    values = sorted(str(v) for v in g.objects(s, p) if isinstance(v, Literal) and (lang is None or v.language == lang))
    return " / ".join(values)


def _classes_of(g: Graph, node: Any) -> str:
    """``gkg:A``, or ``gkg:A ∪ gkg:B`` for an ``owl:unionOf``, or a restricted datatype."""
    from rdflib import OWL, BNode
    from rdflib.collection import Collection

    if node is None:
        return ""
    if isinstance(node, BNode):
        head = g.value(node, OWL.unionOf)
        if head is not None:
            return " ∪ ".join(_short(m) for m in Collection(g, head))
        base = g.value(node, OWL.onDatatype)
        if base is not None:
            return f"{_short(base)} (restricted)"
        return "(anonymous)"
    return _short(node)


def _refs(g: Graph, s: Any, p: Any) -> str:
    return ", ".join(f"`{_short(o)}`" for o in sorted(g.objects(s, p), key=str))


def _subjects(g: Graph, kind: Any) -> list[Any]:
    from rdflib import RDF, URIRef

    return sorted((s for s in set(g.subjects(RDF.type, kind)) if isinstance(s, URIRef) and str(s).startswith(GKG)), key=str)


def _term_blocks(g: Graph, s: Any, fields: list[tuple[str, str]]) -> Iterator[Block]:
    from rdflib import RDFS
    from rdflib.namespace import SKOS

    yield ("h3", f"{_lit(g, s, RDFS.label, 'en')} — `{_short(s)}`")
    rows = [("IRI", f"`{s}`"), ("label (en)", _lit(g, s, RDFS.label, "en")),
            ("label (fr)", _lit(g, s, RDFS.label, "fr")),
            ("definition (en)", _lit(g, s, SKOS.definition, "en")),
            ("definition (fr)", _lit(g, s, SKOS.definition, "fr"))]
    rows += [(k, v) for k, v in fields if v]
    comment = _lit(g, s, RDFS.comment)
    if comment:
        rows.append(("note", comment))
    yield ("dl", rows)


def doc_blocks(g: Graph | None = None) -> list[Block]:
    """The page as blocks: ``("h1"|"h2"|"h3"|"p", text)``, ``("table", head, rows)``, ``("dl", rows)``."""
    from rdflib import OWL, RDF, RDFS, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    from graphkg.vocab.load import parse_ontology

    g = g if g is not None else parse_ontology(data_path("graphkg.ttl"))

    def k(name: str) -> URIRef:
        return URIRef(GKG + name)

    onto = next(iter(g.subjects(RDF.type, OWL.Ontology)))
    out: list[Block] = [("h1", "graphkg ontology reference"), ("p", _GENERATED)]
    out.append(("dl", [
        ("ontology IRI", f"`{onto}`"), ("version IRI", _refs(g, onto, OWL.versionIRI)),
        ("version", _lit(g, onto, OWL.versionInfo)), ("licence", _refs(g, onto, DCTERMS.license)),
        ("title", _lit(g, onto, DCTERMS.title)), ("description (en)", _lit(g, onto, DCTERMS.description, "en")),
        ("description (fr)", _lit(g, onto, DCTERMS.description, "fr")),
        ("JSON-LD context", "`https://w3id.org/graphkg/context.jsonld` (shipped as `ontology/context.jsonld`)"),
        ("SHACL shapes", "`ontology/shapes.ttl` (`graphkg validate`)")]))
    out.append(("h2", "Namespaces"))
    out.append(("table", ("prefix", "namespace"), [(f"`{p}:`", f"`{ns}`") for p, ns in PREFIXES.items()]))
    out.append(("p", _LAYOUT))
    preds = _subjects(g, OWL.ObjectProperty)
    out.append(("h2", "Predicates at a glance"))
    out.append(("table", ("Neo4j type", "property", "en", "fr", "domain", "range", "PLOVER", "CAMEO", "polarity", "symmetric"), [
        (f"`{_lit(g, p, k('neo4jType'))}`", f"`{_short(p)}`", _lit(g, p, RDFS.label, "en"), _lit(g, p, RDFS.label, "fr"),
         _classes_of(g, g.value(p, RDFS.domain)), _classes_of(g, g.value(p, RDFS.range)),
         _lit(g, p, k("ploverType")) or "–", _lit(g, p, k("cameoRoot")) or "–",
         _short(g.value(p, k("polarity"))).removeprefix("gkg:"),
         "yes" if (p, RDF.type, OWL.SymmetricProperty) in g else "no") for p in preds]))
    out.append(("h2", "Classes"))
    for c in _subjects(g, OWL.Class):
        out += _term_blocks(g, c, [("subclass of", _refs(g, c, RDFS.subClassOf)),
                                   ("Neo4j label", _lit(g, c, k("neo4jLabel")) and f"`{_lit(g, c, k('neo4jLabel'))}`"),
                                   ("see also", _refs(g, c, RDFS.seeAlso))])
    out.append(("h2", "Predicates (object properties)"))
    for p in preds:
        out += _term_blocks(g, p, [
            ("domain", _classes_of(g, g.value(p, RDFS.domain))), ("range", _classes_of(g, g.value(p, RDFS.range))),
            ("symmetric", "yes (owl:SymmetricProperty)" if (p, RDF.type, OWL.SymmetricProperty) in g else "no"),
            ("polarity", _short(g.value(p, k("polarity")))), ("PLOVER type", _lit(g, p, k("ploverType"))),
            ("CAMEO root", _lit(g, p, k("cameoRoot"))), ("Neo4j type", f"`{_lit(g, p, k('neo4jType'))}`"),
            ("Wikidata", _refs(g, p, k("wikidataProperty"))), ("close match", _refs(g, p, SKOS.closeMatch)),
            ("see also", _refs(g, p, RDFS.seeAlso))])
    out.append(("h2", "Data properties (identity and provenance)"))
    for p in _subjects(g, OWL.DatatypeProperty):
        out += _term_blocks(g, p, [
            ("domain", _classes_of(g, g.value(p, RDFS.domain))), ("range", _classes_of(g, g.value(p, RDFS.range))),
            ("functional", "yes" if (p, RDF.type, OWL.FunctionalProperty) in g else "no")])
    out.append(("h2", "Annotation properties (alignment and export metadata)"))
    for p in _subjects(g, OWL.AnnotationProperty):
        out += _term_blocks(g, p, [("range", _classes_of(g, g.value(p, RDFS.range)))])
    out.append(("h2", "Polarity values"))
    for v in _subjects(g, k("Polarity")):
        out += _term_blocks(g, v, [])
    return out


_GENERATED = ("Generated from `ontology/graphkg.ttl` by `graphkg ontology doc`; do not edit by hand "
              "(regenerate with `graphkg ontology doc -o docs/ontology.md`).")
_LAYOUT = ("Data layout: entities and articles live in the default graph; each article has a named graph "
           "(its IRI) holding the asserted triples and one `gkg:Assertion` per relation, with "
           "`rdf:subject`/`rdf:predicate`/`rdf:object`, the evidence sentence and offsets, confidence, "
           "extractor, date and `prov:wasDerivedFrom` the article. Entities carry `owl:sameAs` their "
           "Wikidata item; articles carry `dcterms:title`, `dcterms:issued`, `dcterms:language`, "
           "`dcterms:publisher`, `schema:url` and `schema:mentions`.")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _render_md(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        if b[0] in ("h1", "h2", "h3"):
            lines += ["#" * int(b[0][1]) + " " + b[1], ""]
        elif b[0] == "p":
            lines += [b[1], ""]
        elif b[0] == "table":
            lines.append("| " + " | ".join(b[1]) + " |")
            lines.append("|" + "|".join("---" for _ in b[1]) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b[2]]
            lines.append("")
        else:
            lines += [f"- **{key}**: {_md_cell(value)}" for key, value in b[1]] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _inline_html(text: str) -> str:
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text, quote=False))


def _render_html(blocks: list[Block]) -> str:
    body: list[str] = []
    for b in blocks:
        if b[0] in ("h1", "h2", "h3"):
            anchor = re.sub(r"[^a-z0-9]+", "-", b[1].lower()).strip("-")
            body.append(f'<{b[0]} id="{anchor}">{_inline_html(b[1])}</{b[0]}>')
        elif b[0] == "p":
            body.append(f"<p>{_inline_html(b[1])}</p>")
        elif b[0] == "table":
            head = "".join(f"<th>{_inline_html(h)}</th>" for h in b[1])
            rows = "".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in row) + "</tr>" for row in b[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            items = "".join(f"<dt>{_inline_html(k)}</dt><dd>{_inline_html(v)}</dd>" for k, v in b[1])
            body.append(f"<dl>{items}</dl>")
    style = ("body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
             "dt{font-weight:bold}dd{margin:0 0 .4em 1.5em}code{background:#f4f4f4}")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>graphkg ontology reference</title><style>{style}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def render_ontology_doc(fmt: str = "md") -> str:
    """The ontology reference page as Markdown (``md``) or a self-contained HTML page (``html``)."""
    blocks = doc_blocks()
    return _render_html(blocks) if fmt == "html" else _render_md(blocks)
