"""SPARQL on a store that has the ``sparql`` capability, read-only unless asked otherwise.

Queries run over the union of all graphs (``GRAPH ?g`` still names an article's graph) with
the graphkg prefixes predeclared (``gkg:``, ``gke:``, ``gka:``, ``prov:``, ``dcterms:``, ...).
Updates are refused before they reach the store unless ``write=True``; as a second guard the
read path only ever calls the store's query method, which rejects update syntax.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox

from graphkg.errors import QueryError, printable
from graphkg.vocab.terms import PREFIXES, sparql_prologue
from graphkg.plugins import Capability, Store, facet

__all__ = ["UPDATE_KEYWORDS", "SparqlResult", "update_keyword", "run_sparql", "write_result", "term_text"]

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_QUERY_KEYWORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# Strings, IRIs and comments may contain keywords; remove them before looking for the verb.
_NOISE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*<>\s*)*", re.IGNORECASE)




def _first_line(message: str, limit: int = 160) -> str:
    line = message.splitlines()[0] if message else message
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class SparqlResult:
    """What a SPARQL call produced: ``kind`` is ``"solutions"``, ``"boolean"``, ``"graph"`` or ``"update"``."""

    kind: str
    value: Any = None


def update_keyword(text: str) -> str | None:
    """The update verb of a SPARQL text, or ``None`` when it is a query.

    >>> update_keyword("PREFIX x: <http://x/> INSERT DATA { x:a x:b 'SELECT' }")
    'INSERT'
    >>> update_keyword("SELECT * WHERE { ?s ?p 'DROP' }") is None
    True
    """
    bare = _PROLOGUE.sub("", _NOISE.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", text))
    match = re.match(r"\s*([A-Za-z]+)", bare)
    if match is None:
        return None
    verb = match.group(1).upper()
    if verb in _QUERY_KEYWORDS:
        return None
    if verb in UPDATE_KEYWORDS:
        return verb
    # Anything else: look for an update verb anywhere (a query would start with its form).
    found = re.search(r"\b(" + "|".join(UPDATE_KEYWORDS) + r")\b", bare, re.IGNORECASE)
    return found.group(1).upper() if found else None


def remote_access(text: str) -> str | None:
    """``SERVICE`` or ``LOAD`` in a SPARQL text (what would make the engine send requests over
    the network: a ``LOAD`` of a prefixed name or under a ``BASE`` can name a remote IRI too),
    else ``None``; read from the text with its strings, IRIs and comments blanked, so a word
    inside them does not count.

    >>> remote_access("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    'SERVICE'
    >>> remote_access("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE") is None, remote_access("LOAD <https://x.org/d.ttl>")
    (True, 'LOAD')
    """
    bare = _NOISE.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", text)
    if re.search(r"(?i)(?<![\w:])LOAD\b", bare):  # any LOAD: a prefixed name or BASE can make any IRI remote
        return "LOAD"  # first: it is refused even where SERVICE is allowed
    if re.search(r"(?i)(?<![\w:])SERVICE\b", bare):
        return "SERVICE"
    return None


def run_sparql(store: Store, text: str, *, write: bool = False, allow_service: bool = False) -> SparqlResult:
    """Run a SPARQL query (or, with ``write=True``, an update) on ``store``.

    ``SERVICE`` (a federated query: requests to the endpoints it names) runs only with
    ``allow_service``; ``LOAD`` of a remote IRI never runs.

    Raises:
        QueryError: the store has no SPARQL, the text is an update and ``write`` is false, it
            would reach the network unasked, a SERVICE endpoint fails, or the text does not parse
            (the message gives line and column).
    """
    sparql = facet(store, Capability.SPARQL)
    if sparql is None:
        raise QueryError(text, f"store {store.name!r} has no SPARQL; use the embedded store (--store oxigraph)")
    verb = update_keyword(text)
    remote = remote_access(text)
    if remote == "SERVICE" and not allow_service:
        raise QueryError(text, "refused: SERVICE would reach the network; graphkg answers from the local "
                               "store only (pass --allow-service to query the endpoint, or copy its data in "
                               "with `graphkg import`)")
    if remote == "LOAD":
        raise QueryError(text, "refused: LOAD fetches its IRI (perhaps over the network); download the file and "
                               "use `graphkg import`")
    try:
        if verb is not None:
            if not write:
                raise QueryError(text, f"SPARQL update ({verb}) refused: the store is read-only for "
                                       "`graphkg sparql`; pass --write to modify it")
            # Store.update takes no predeclared prefixes, unlike Store.query: prepend them.
            sparql.update(sparql_prologue() + text)
            return SparqlResult("update")
        result = sparql.query(text)
    except SyntaxError as err:
        raise QueryError(text, f"SPARQL syntax error: {_first_line(str(err))}") from None
    except (OSError, RuntimeError, ValueError) as err:  # a SERVICE endpoint that fails or answers nonsense
        raise QueryError(text, f"SPARQL evaluation failed: {printable(_first_line(str(err)), 200)}") from None
    if isinstance(result, (bool, ox.QueryBoolean)):
        return SparqlResult("boolean", bool(result))
    if isinstance(result, ox.QueryTriples):
        return SparqlResult("graph", result)
    return SparqlResult("solutions", result)


def term_text(term: Any) -> str:
    """Short, readable form of an RDF term for tables: compact IRIs, plain literal values.

    >>> term_text(ox.NamedNode("https://w3id.org/graphkg/entity/wd/Q1028"))
    'gke:wd/Q1028'
    >>> term_text(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    '3'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def write_result(result: SparqlResult, fmt: str, output: IO[bytes]) -> int:
    """Write a result as ``table``, ``json`` or ``csv``; return the number of rows/triples.

    Solutions: a text table, SPARQL 1.1 JSON results or SPARQL CSV. ASK: ``true``/``false``
    (JSON: ``{"head": {}, "boolean": ...}``). CONSTRUCT/DESCRIBE: Turtle for ``table``,
    JSON-LD for ``json``, N-Triples for ``csv``.
    """
    if result.kind == "update":
        return 0
    if result.kind == "boolean":
        text = json.dumps({"head": {}, "boolean": result.value}) if fmt == "json" else str(result.value).lower()
        output.write(text.encode() + b"\n")
        return 1
    if result.kind == "graph":
        triples = list(result.value)
        rdf_fmt = {"table": ox.RdfFormat.TURTLE, "json": ox.RdfFormat.JSON_LD}.get(fmt, ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, output, rdf_fmt, prefixes=dict(PREFIXES) if fmt == "table" else None)
        return len(triples)
    if fmt in ("json", "csv"):
        counter = _Counting(output)
        result.value.serialize(counter, ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.CSV)
        return max(counter.lines - 1, 0) if fmt == "csv" else -1
    return _write_table(result.value, output)


class _Counting(io.RawIOBase):
    """Binary sink that forwards to ``output`` and counts CRLF-terminated lines (CSV rows)."""

    def __init__(self, output: IO[bytes]) -> None:
        self._out, self.lines = output, 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        b = bytes(data)
        self.lines += b.count(b"\n")
        self._out.write(b)
        return len(b)


def _write_table(solutions: Any, output: IO[bytes], limit_width: int = 80) -> int:
    names = [v.value for v in solutions.variables]
    rows = [[term_text(row[n]) for n in names] for row in solutions]
    widths = [min(limit_width, max([len(n), *(len(r[i]) for r in rows)])) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        cut = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(cells, widths, strict=False)]
        return "  ".join(c.ljust(w) for c, w in zip(cut, widths, strict=False)).rstrip()

    out = [line(names), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    output.write(("\n".join(out) + "\n").encode("utf-8"))
    return len(rows)
