"""Validate instance data against ``ontology/shapes.ttl`` (and the generated
``shapes-predicates.ttl``) with pyshacl.

The stores write entities and articles to the default graph and one named graph per article;
the shapes are written for the union of all of them plus the ontology, which is what
:func:`validate_graph` builds before calling pyshacl (``inference="none"``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphkg.vocab import data_path
from graphkg.vocab.terms import DOC_PREFIXES, SHAPES

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.term import Node

__all__ = ["ValidationReport", "validate_graph", "SHAPES", "shapes_graph"]

# Short forms used in the one-line violations (the full report text keeps full IRIs).
_PREFIXES = {f"{k}:": v for k, v in DOC_PREFIXES.items()}


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Outcome of a SHACL validation.

    ``violations`` holds one readable line per result, ``"focus node — path — message"``,
    sorted; ``text`` is pyshacl's full report.
    """

    conforms: bool
    violations: tuple[str, ...]
    text: str


@functools.cache
def shapes_graph() -> Graph:
    """The parsed ``shapes.ttl`` with the generated ``shapes-predicates.ttl`` it imports (cached;
    do not mutate)."""
    from graphkg.vocab.load import parse_ontology
    from graphkg.vocab.shapes import FILE

    graph = parse_ontology(data_path("shapes.ttl"))
    graph += parse_ontology(data_path(FILE))
    return graph


@functools.cache
def _ontology_graph() -> Graph:
    from graphkg.vocab.load import parse_ontology

    return parse_ontology(data_path("graphkg.ttl"))


def validate_graph(data: Dataset | Graph) -> ValidationReport:
    """Validate ``data`` (all its graphs, merged) against the graphkg shapes.

    Args:
        data: an rdflib ``Dataset`` (default graph plus named graphs, as the stores write it) or
            a plain ``Graph``. It is not modified.

    Returns:
        A :class:`ValidationReport`; ``conforms`` is false when any result has severity
        ``sh:Violation``.
    """
    import pyshacl

    merged = _query_caching_graph()
    for prefix, namespace in _PREFIXES.items():
        merged.bind(prefix.rstrip(":"), namespace)
    merged += _ontology_graph()
    if hasattr(data, "quads"):  # Dataset / ConjunctiveGraph: take the union of every graph
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
    else:
        merged += data
    conforms, results, text = pyshacl.validate(
        merged,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=False,
        abort_on_first=False,
        allow_warnings=True,
    )
    return ValidationReport(conforms=bool(conforms), violations=_violations(results), text=str(text))


@functools.lru_cache(maxsize=64)
def _prepared(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def _query_caching_graph() -> Graph:
    """An empty graph that parses each distinct SPARQL text once per process.

    pyshacl runs every SPARQL-based constraint once per focus node with the same text and
    ``initBindings``; rdflib would re-parse it each time (~50 ms), which dominated validation.
    """
    from rdflib import Graph

    class _CachingGraph(Graph):
        def query(self, query_object: Any, processor: Any = "sparql", *args: Any, **kwargs: Any) -> Any:
            if isinstance(query_object, str) and processor == "sparql":
                query_object = _prepared(query_object)
            return super().query(query_object, processor, *args, **kwargs)

    return _CachingGraph()


def _violations(results: Graph) -> tuple[str, ...]:
    from rdflib import RDF
    from rdflib.namespace import SH

    lines = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        messages = sorted(_compact(str(m)) for m in results.objects(result, SH.resultMessage))
        value = results.value(result, SH.value)
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        component = results.value(result, SH.sourceConstraintComponent)
        message = "; ".join(messages) or f"fails {_short(component)}"
        if value is not None and value != focus and _short(value) not in message:
            message += f" (value: {_short(value)})"
        lines.append(f"{_short(focus)} — {_short(path) if path is not None else '-'} — {message}")
    return tuple(sorted(set(lines)))


def _compact(text: str) -> str:
    """Replace full IRIs in a message by their short forms."""
    for prefix, namespace in _PREFIXES.items():
        text = re.sub(f"<{re.escape(namespace)}([^<>\\s]*)>", prefix + r"\1", text).replace(namespace, prefix)
    return text


def _short(node: Node | None) -> str:
    """Compact a term for one-line messages: ``gkg:supports``, ``gke:wd/Q1028``, ``"x"``."""
    from rdflib import BNode, Literal

    if node is None:
        return "-"
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(node, BNode):
        return "[]"
    text = str(node)
    for prefix, namespace in _PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return f"<{text}>"
