"""Neo4j commands: ``graphkg schema apply|show``, ``graphkg query``, ``graphkg sync``.

Connection settings come from ``--uri/--user/--password/--database`` or the conventional
``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` variables.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import click

__all__ = ["COMMANDS", "schema", "query", "sync"]


def _connection(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed([
        click.option("--uri", envvar="NEO4J_URI", default=None,
                     help="Bolt URI (env NEO4J_URI; default bolt://localhost:7687)."),
        click.option("--user", envvar="NEO4J_USERNAME", default=None, help="User (env NEO4J_USERNAME; default neo4j)."),
        click.option("--password", envvar="NEO4J_PASSWORD", default=None, help="Password (env NEO4J_PASSWORD)."),
        click.option("--database", envvar="NEO4J_DATABASE", default=None,
                     help="Database (env NEO4J_DATABASE; default: the server's default)."),
    ]):
        f = opt(f)
    return f


def _open(uri: str | None, user: str | None, password: str | None, database: str | None) -> Any:
    from graphkg.stores.neo4j import Neo4jStore

    return Neo4jStore.open(uri=uri, user=user, password=password, database=database)


def _info(msg: str) -> None:
    obj = click.get_current_context().find_root().obj
    if not getattr(obj, "quiet", False):
        click.echo(msg, err=True)


@click.group()
def schema() -> None:
    """Create or show the Neo4j constraints and indexes derived from the ontology."""


@schema.command(name="apply")
@_connection
def schema_apply(uri: str | None, user: str | None, password: str | None, database: str | None) -> None:
    """Create the missing uniqueness constraints and indexes (safe to re-run)."""
    store = _open(uri, user, password, database)
    try:
        ran = store.apply_schema()
    finally:
        store.close()
    for q in ran:
        click.echo(q)
    _info(f"{len(ran)} constraint(s)/index(es) created; schema up to date on {store.uri}")


@schema.command(name="show")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_connection
def schema_show(fmt: str, uri: str | None, user: str | None, password: str | None,
                database: str | None) -> None:
    """List the constraints and indexes on the server."""
    store = _open(uri, user, password, database)
    try:
        found = store.schema()
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, default=str))
        return
    for kind, rows in found.items():
        click.echo(kind)
        for r in rows:
            on = ",".join(r.get("labelsOrTypes") or []) + "(" + ",".join(r.get("properties") or []) + ")"
            click.echo(f"  {r['name']:<36} {r['type']:<24} {on}")


_PARAM_TYPES = ("str", "int", "float", "bool", "json", "date")


def _parse_param(raw: str) -> tuple[str, Any]:
    """``NAME[:TYPE]=VALUE``: a string unless a type is named (``year:int=2021``,
    ``ids:json='["wd:Q1028"]'``, ``since:date=2024-01-01``, ``ok:bool=true``).

    >>> _parse_param("year=2021"), _parse_param("year:int=2021"), _parse_param('ids:json=["a"]')
    (('year', '2021'), ('year', 2021), ('ids', ['a']))
    >>> _parse_param("since:date=2024-01-31")
    ('since', datetime.date(2024, 1, 31))
    """
    import datetime

    spec, sep, value = raw.partition("=")
    name, _, kind = spec.partition(":")
    name, kind = name.strip(), (kind.strip() or "str")
    if not sep or not name:
        raise click.BadParameter(f"{raw!r}: expected NAME=VALUE or NAME:TYPE=VALUE (TYPE one of "
                                 f"{', '.join(_PARAM_TYPES)}; a string by default)", param_hint="--param")
    if kind not in _PARAM_TYPES:
        raise click.BadParameter(f"{raw!r}: unknown type {kind!r}; expected one of {', '.join(_PARAM_TYPES)}",
                                 param_hint="--param")
    try:
        if kind == "int":
            return name, int(value)
        if kind == "float":
            return name, float(value)
        if kind == "bool":
            if value.lower() not in {"true", "false"}:
                raise ValueError("expected true or false")
            return name, value.lower() == "true"
        if kind == "json":
            return name, json.loads(value)
        if kind == "date":
            return name, datetime.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{raw!r}: cannot be read as {kind} ({err})", param_hint="--param") from None
    return name, value


def _plain(value: Any) -> Any:
    """Driver values (nodes, relationships, paths, temporal types) as JSON-friendly data."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _render(keys: list[str], rows: list[list[Any]], fmt: str) -> str:
    rows = [[_plain(v) for v in row] for row in rows]
    if fmt == "json":
        return json.dumps([dict(zip(keys, row, strict=False)) for row in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return buf.getvalue().rstrip("\n")
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(k)] + [len(r[i]) for r in cells]) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=False)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in cells]
    return "\n".join(lines)


@click.command()
@click.argument("cypher")
@click.option("--param", "params", multiple=True, metavar="NAME[:TYPE]=VALUE",
              help="Query parameter ($NAME), a string unless TYPE says int, float, bool, json or date "
                   "(year:int=2021, ids:json='[\"wd:Q1028\"]', since:date=2024-01-01; repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--write", is_flag=True,
              help="Allow what is refused by default: writes, schema changes, LOAD CSV and procedures not known "
                   "to be read-only (the query runs in a write transaction).")
@_connection
def query(cypher: str, params: tuple[str, ...], fmt: str, write: bool, uri: str | None, user: str | None,
          password: str | None, database: str | None) -> None:
    """Run a Cypher query against Neo4j (read-only unless --write: the server's EXPLAIN must say
    the query only reads the graph).

    Example: graphkg query "MATCH (s)-[:SUPPORTS]->(d {name: $doc}) RETURN s.name" --param doc="Plan"
    """
    values = dict(_parse_param(p) for p in params)
    store = _open(uri, user, password, database)
    try:
        keys, rows = store.run_cypher(cypher, values, write=write)
    finally:
        store.close()
    click.echo(_render(keys, rows, fmt))
    _info(f"{len(rows)} row(s)")


@click.command()
@click.option("--to", "target", type=click.Choice(["neo4j", "embedded"]), required=True,
              help="neo4j: copy the embedded store (--home) into Neo4j; embedded: copy Neo4j into --home.")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Articles per write transaction.")
@_connection
def sync(target: str, batch_size: int, uri: str | None, user: str | None, password: str | None,
         database: str | None) -> None:
    """Copy the graph between the embedded store and Neo4j, keeping every id (idempotent)."""
    from graphkg.stores import open_store
    from graphkg.stores.neo4j import copy_store

    home = click.get_current_context().find_root().obj.home
    neo = _open(uri, user, password, database)
    try:
        embedded = open_store("oxigraph", home=home)
        try:
            src, dst = (embedded, neo) if target == "neo4j" else (neo, embedded)
            report = copy_store(src, dst, batch_size=batch_size)
        finally:
            embedded.close()
    finally:
        neo.close()
    _info(f"copied {report.articles} article(s), {report.relations} relation(s) "
          f"({report.new_relations} new) to {target} [{neo.uri} <-> {home}]")


COMMANDS = [schema, query, sync]
