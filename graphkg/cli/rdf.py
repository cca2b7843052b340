"""RDF commands for researchers: ``sparql``, ``validate``, ``import`` and ``ontology doc``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["COMMANDS"]

_RDF = ("turtle", "trig", "nquads", "ntriples", "jsonld")


@click.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table: aligned text; json/csv: SPARQL 1.1 results formats.")
@click.option("--write", is_flag=True, help="Allow SPARQL updates (INSERT, DELETE, CLEAR, DROP, ...; LOAD is "
                                             "always refused: use `graphkg import`).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE clauses: the query then sends requests to the endpoints it names "
                   "(refused by default: graphkg answers from the local store only).")
@click.pass_obj
def sparql(obj: Any, query: str, fmt: str, write: bool, allow_service: bool) -> None:
    """Run a SPARQL query on the embedded store (read-only unless --write).

    QUERY is the query text, or @FILE to read it from a file ('-' for stdin). The default
    graph is the union of all graphs; the gkg:, gke:, gka:, prov:, dcterms:, schema: ...
    prefixes are predeclared. See docs/sparql-cookbook.md.
    """
    from graphkg.rdf.sparql import run_sparql, write_result

    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise click.BadParameter(f"cannot read {query[1:]} ({getattr(err, 'strerror', None) or err})",
                                     param_hint="QUERY") from None
    from graphkg.errors import QueryError, printable

    store = obj.open()
    failure = None
    try:
        result = run_sparql(store, query, write=write, allow_service=allow_service)
        kind = result.kind
        try:
            write_result(result, fmt, sys.stdout.buffer)  # solutions are computed as they are written
        except BrokenPipeError:  # `| head`: the reader left; click handles it
            raise
        except (OSError, RuntimeError, ValueError) as err:  # a SERVICE endpoint failing mid-way
            failure = printable(str(err).splitlines()[0] if str(err) else type(err).__name__, 200)
        del result  # unfinished solutions (and the error's frames) hold the store open
        sys.stdout.flush()
    finally:
        store.close()
    if failure is not None:  # raised here, outside the except block, so nothing holds the store
        raise QueryError(query, f"SPARQL evaluation failed: {failure}")
    if kind == "update":
        obj.info("update applied")


@click.command()
@click.option("--max-lines", type=click.IntRange(min=1), default=50, show_default=True,
              help="Violations listed before the summary.")
@click.option("--full", is_flag=True, help="Print pyshacl's full report too.")
@click.pass_obj
def validate(obj: Any, max_lines: int, full: bool) -> None:
    """Check the whole store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    from graphkg.rdf.load import validate_store

    store = obj.open()
    try:
        report = validate_store(store)
    finally:
        store.close()
    if report.conforms:
        obj.info("the store conforms to the graphkg shapes")
        return
    for line in report.violations[:max_lines]:
        click.echo(f"violation: {line}")
    hidden = len(report.violations) - max_lines
    if hidden > 0:
        click.echo(f"... and {hidden} more")
    if full:
        click.echo(report.text)
    click.echo(f"error: the store does not conform: {len(report.violations)} violation(s)", err=True)
    sys.exit(1)


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_RDF), default=None,
              help="RDF format (default: from the extension .ttl .trig .nq .nt .jsonld).")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the file (faster on big files).")
@click.pass_obj
def import_(obj: Any, file: Path, fmt: str | None, no_validate: bool) -> None:
    """Load a graphkg RDF export into the store, all or nothing.

    A syntax error, a format that does not match the extension, or data that is not
    graphkg's or violates the shapes leaves the store unchanged (exit 1).
    """
    from graphkg.rdf.load import import_file

    store = obj.open()
    try:
        report = import_file(store, file, fmt, validate=not no_validate)
    finally:
        store.close()
    obj.info(f"imported {file} ({report.format}): {report.quads_loaded} quad(s), "
             f"{report.articles} article graph(s), {report.assertions} assertion(s)")


@click.group()
def ontology() -> None:
    """The graphkg ontology (ontology/graphkg.ttl)."""


@ontology.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default=None,
              help="Markdown or HTML (default: from the output's extension, else md).")
@click.option("--force", is_flag=True, help="Replace the output file when it exists.")
def doc(output: Path | None, fmt: str | None, force: bool) -> None:
    """Write the ontology reference page: every class and property with FR/EN labels,
    definitions, domain/range, PLOVER/CAMEO, polarity, symmetry and Neo4j names."""
    from graphkg.vocab.doc import render_ontology_doc

    fmt = fmt or ("html" if output is not None and output.suffix.lower() in (".html", ".htm") else "md")
    text = render_ontology_doc(fmt)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
    else:
        from graphkg.cli.context import output_file

        with output_file(output, force) as fh:
            fh.write(text.encode("utf-8"))
        click.echo(f"wrote {output} ({fmt})", err=True)


COMMANDS = [sparql, validate, import_, ontology]
