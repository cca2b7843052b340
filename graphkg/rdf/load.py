"""Load a graphkg RDF export back into a store (all-or-nothing) and validate whole stores.

Import parses the whole file into a temporary in-memory Oxigraph store first, so a syntax error
(reported with its line), a format that does not match the extension, triples about resources
outside graphkg's namespaces or a SHACL violation leave the target store untouched. Turtle and
N-Triples exports have no named graphs: each assertion and its asserted triple are put back into
the named graph of the article the assertion ``prov:wasDerivedFrom``. The ontology part of the
file is dropped (the target store carries its own copy).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphkg.errors import GraphkgError, LoaderError, suggest
from graphkg.rdf.export import EXTENSIONS, FORMATS, is_ontology_quad, store_quads
from graphkg.vocab.terms import RDF, gkg, sparql_prologue
from graphkg.rdf.shacl import ValidationReport, validate_graph
from graphkg.plugins import Capability, Store, facet

__all__ = ["ImportReport", "guess_format", "import_file", "validate_store", "to_rdflib"]

_OURS = "https://w3id.org/graphkg/"
_NAMES = {"turtle": "Turtle", "trig": "TriG", "nquads": "N-Quads", "ntriples": "N-Triples", "jsonld": "JSON-LD"}
_PFX = sparql_prologue()
# Put reified assertions (and the triple each one asserts) back into their article's graph.
_REGROUP = _PFX + """
DELETE { ?s ?p ?o } INSERT { GRAPH ?art { ?s ?p ?o } }
WHERE { ?a a gkg:Assertion ; prov:wasDerivedFrom ?art ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        ?s ?p ?o } ;
DELETE { ?a ?p ?o } INSERT { GRAPH ?art { ?a ?p ?o } }
WHERE { ?a a gkg:Assertion ; prov:wasDerivedFrom ?art ; ?p ?o }
"""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import added: quads read from the file, quads loaded, graphs, assertions."""

    path: str
    format: str
    quads_read: int
    quads_loaded: int
    articles: int
    assertions: int


def guess_format(path: Path, fmt: str | None = None) -> str:
    """The RDF format of ``path``: ``fmt`` when given, else from the extension.

    Raises:
        LoaderError: unknown format name or extension.
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise LoaderError(str(path), f"unknown RDF format {fmt!r}; {suggest(fmt, FORMATS)}")
        return fmt
    for name, exts in EXTENSIONS.items():
        if name in FORMATS and path.suffix.lower() in exts:
            return name
    known = sorted(e for n, exts in EXTENSIONS.items() if n in FORMATS for e in exts)
    raise LoaderError(str(path), f"cannot tell the RDF format from the extension {path.suffix!r}; "
                                 f"expected one of {known}, or pass --format")


def _parse(path: Path, fmt: str) -> ox.Store:
    tmp = ox.Store()
    try:
        tmp.bulk_extend(ox.parse(path=str(path), format=FORMATS[fmt]))
    except SyntaxError as err:
        raise LoaderError(str(path), _syntax_reason(path, fmt, err)) from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise LoaderError(str(path), f"cannot read it as {_NAMES[fmt]}: {err}") from None
    return tmp


def _syntax_reason(path: Path, fmt: str, err: SyntaxError) -> str:
    where = f"line {err.lineno}: " if err.lineno else ""
    msg = str(err.msg or err).removeprefix("Parser error at ")
    msg = msg.split(": ", 1)[1] if msg.startswith("line ") and ": " in msg else msg
    reason = f"{where}not valid {_NAMES[fmt]}: {msg}"
    other = _sniff(path, fmt)
    if other is not None:
        reason += f"; it looks like {_NAMES[other]}: rename it to *{EXTENSIONS[other][0]} or pass --format {other}"
    return reason


def _sniff(path: Path, fmt: str) -> str | None:
    """Another RDF format the start of the file parses as (for 'wrong format' messages)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    if head.lstrip()[:1] in (b"{", b"["):
        return None if fmt == "jsonld" else "jsonld"
    head = head[: head.rfind(b"\n") + 1] if b"\n" in head else head
    for other in ("nquads", "ntriples", "turtle", "trig"):
        if other == fmt:
            continue
        try:
            if sum(1 for _ in ox.parse(head, format=FORMATS[other])):  # the whole head must parse
                return other
        except SyntaxError:
            continue
    return None


def _check_ours(path: Path, tmp: ox.Store) -> None:
    """Refuse data that is not a graphkg export (foreign subjects, nothing of ours)."""
    foreign = next((q for q in tmp if not is_ontology_quad(q) and not (
        isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(_OURS))), None)
    if foreign is not None:
        raise LoaderError(str(path), f"not a graphkg export: it describes {foreign.subject} "
                                     f"outside {_OURS}; import only files written by `graphkg export`")
    if not any(True for q in tmp if not is_ontology_quad(q)):
        raise LoaderError(str(path), "not a graphkg export: it holds no entity, article or assertion")


def to_rdflib(quads: Iterable[Any]) -> Any:
    """An rdflib ``Graph`` holding the union of ``quads`` (for pyshacl)."""
    from rdflib import BNode, Graph, Literal, URIRef

    def conv(t: Any) -> Any:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    g = Graph()
    for q in quads:
        g.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return g


def validate_store(store: Store) -> ValidationReport:
    """Run the SHACL shapes over everything ``store`` holds (the ontology is added by pyshacl's caller)."""
    return validate_graph(to_rdflib(store_quads(store, ontology=False)))


def _instance_quads(tmp: ox.Store) -> Iterator[ox.Quad]:
    return (q for q in tmp if not is_ontology_quad(q))


def import_file(store: Store, path: Path, fmt: str | None = None, *, validate: bool = True) -> ImportReport:
    """Load a graphkg RDF export into ``store``; nothing is written unless all of it is good.

    Args:
        store: the target store (RDF stores get the quads as they are; others get the model
            objects read back from them).
        path: the file.
        fmt: one of ``turtle, trig, nquads, ntriples, jsonld``; ``None`` guesses from the extension.
        validate: run the SHACL shapes on the file's data before writing.

    Raises:
        LoaderError: unreadable file, syntax error (with its line), data that is not graphkg's
            or violates the shapes (the first violations are named).
    """
    fmt = guess_format(path, fmt)
    tmp = _parse(path, fmt)
    read = len(tmp)
    if fmt in ("turtle", "ntriples"):
        tmp.update(_REGROUP)
    _check_ours(path, tmp)
    if validate:
        report = validate_graph(to_rdflib(_instance_quads(tmp)))
        if not report.conforms:
            more = f" (and {len(report.violations) - 1} more)" if len(report.violations) > 1 else ""
            first = report.violations[0] if report.violations else "see `graphkg validate`"
            raise LoaderError(str(path), f"does not conform to the graphkg shapes: {first}{more}")
    loaded = [0]

    def counted() -> Iterator[ox.Quad]:
        for q in _instance_quads(tmp):
            loaded[0] += 1
            yield q

    articles = sum(1 for _ in tmp.named_graphs())
    assertions = sum(1 for _ in tmp.quads_for_pattern(
        None, ox.NamedNode(RDF + "type"), ox.NamedNode(gkg.Assertion), None))
    try:
        rdf = facet(store, Capability.RDF)
        if rdf is not None:
            rdf.load_quads(counted())
        else:
            loaded[0] = sum(1 for _ in _instance_quads(tmp))
            _write_model(store, tmp)
    except (OSError, ValueError) as err:
        raise GraphkgError(f"import of {path} failed, nothing written: {err}") from None
    return ImportReport(str(path), fmt, read, loaded[0], articles, assertions)


def _write_model(store: Store, tmp: ox.Store) -> None:
    """Stores without RDF: read the model back through an in-memory Oxigraph store, one write."""
    from graphkg.stores.oxigraph import OxigraphStore

    view = OxigraphStore(tmp, "memory://import")
    batch = [(a, list(view.relations(article=a.id)), list(view.mentions(a.id))) for a in view.articles()]
    store.write(batch)
