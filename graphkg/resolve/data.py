"""Readers for the gazetteer TSV files in ``ontology/gazetteer/`` (private to :mod:`graphkg.resolve.gazetteer`).

Each reader turns rows into :class:`Draft` records: one mutable record per entity, holding the
surface forms ``(surface, kind, lang)`` the index is built from. Entity keys used across files:
``country:MAR`` (alpha-3), ``org:nato`` (``org_id``), ``territory:gaza-strip`` (slug), or a
plain entity id (``wd:Q30``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphkg.errors import LoaderError
from graphkg.model import slugify
from graphkg.vocab import EntityType

__all__ = ["Draft", "Policy", "read_all", "english_plurals", "POLICIES"]

POLICIES = frozenset({"block", "lookup_only", "risky", "stop"})
_KINDS = frozenset({"name", "official", "acronym", "alias", "demonym", "capital", "metonym"})
_QID = re.compile(r"^Q[0-9]+$")


@dataclass
class Draft:
    """An entity being assembled from several files."""

    key: str
    id: str
    label: str
    type: EntityType
    qid: str | None
    surfaces: list[tuple[str, str, str | None]] = field(default_factory=list)
    codes: tuple[str, ...] = ()
    parent_key: str | None = None
    category: str = ""  # territories: continent, region, sea, disputed ...

    def add(self, values: str, kind: str, lang: str | None) -> None:
        """Add ``|``-separated surface forms of one kind."""
        for value in values.split("|"):
            value = value.strip()
            if value:
                self.surfaces.append((value, kind, lang))


@dataclass(frozen=True, slots=True)
class Policy:
    """A row of ``ambiguous.tsv``: how a risky surface form is treated (``entity_id`` "" = all)."""

    surface: str
    entity_id: str
    policy: str
    note: str


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            lines = (line for line in fh if line.strip() and not line.startswith("#"))
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield {k: (v or "").strip() for k, v in row.items() if k is not None}
    except OSError as exc:
        raise LoaderError(str(path), f"cannot read gazetteer file: {exc.strerror}") from exc


def _entity_id(qid: str, fallback: str, path: Path) -> tuple[str, str | None]:
    if not qid:
        return fallback, None
    if not _QID.match(qid):
        raise LoaderError(str(path), f"bad QID {qid!r}; expected Q followed by digits")
    return f"wd:{qid}", qid


def english_plurals(demonym: str) -> list[str]:
    """English plural of a demonym noun, by rule (none for invariable forms).

    >>> english_plurals("Moroccan"), english_plurals("Chinese"), english_plurals("Swiss")
    (['Moroccans'], [], [])
    >>> english_plurals("Filipino"), english_plurals("Iraqi"), english_plurals("Kyrgyz")
    (['Filipinos'], ['Iraqis'], [])
    """
    low = demonym.lower()
    if not low or " " in low or low.endswith(("ese", "ss", "sh", "ch", "ois", "x", "z", "y", "lao", "men")):
        return []
    if low in {"british", "irish", "french", "dutch", "scottish", "welsh", "swiss", "kyrgyz"}:
        return []
    return [demonym + "s"]


def _countries(path: Path) -> list[Draft]:
    out = []
    for row in _rows(path):
        a3 = row["alpha3"]
        key = f"country:{a3}" if a3 else f"country:{slugify(row['name_en'])}"
        eid, qid = _entity_id(row["qid"], f"country/{slugify(row['name_en'])}", path)
        d = Draft(key, eid, row["name_en"], EntityType.COUNTRY, qid,
                  codes=tuple(c for c in (row["alpha2"], a3) if c))
        d.add(row["name_en"], "name", "en")
        d.add(row["name_en_variants"], "name", "en")
        d.add(row["name_en_official"], "official", "en")
        d.add(row["name_fr"], "name", "fr")
        d.add(row["name_fr_variants"], "name", "fr")
        d.add(row["name_fr_official"], "official", "fr")
        for col in ("demonym_en", "demonym_en_variants"):
            d.add(row[col], "demonym", "en")
            for dem in row[col].split("|"):
                d.add("|".join(english_plurals(dem.strip())), "demonym", "en")
        for col in ("demonym_fr_ms", "demonym_fr_fs", "demonym_fr_mp", "demonym_fr_fp", "demonym_fr_variants"):
            d.add(row[col], "demonym", "fr")
        d.add(row["capital_en"], "capital", "en")
        d.add(row["capital_fr"], "capital", "fr")
        out.append(d)
    return out


def _organizations(path: Path) -> list[Draft]:
    out = []
    for row in _rows(path):
        oid = row["org_id"]
        eid, qid = _entity_id(row["qid"], f"org/{oid}", path)
        d = Draft(f"org:{oid}", eid, row["name_en"], EntityType.ORGANIZATION, qid,
                  parent_key=f"org:{row['parent_org_id']}" if row["parent_org_id"] else None)
        d.add(row["name_en"], "name", "en")
        d.add(row["name_fr"], "name", "fr")
        d.add(row["acronym_en"], "acronym", "en")
        d.add(row["acronym_fr"], "acronym", "fr")
        d.add(row["alt_names_en"], "alias", "en")
        d.add(row["alt_names_fr"], "alias", "fr")
        out.append(d)
    return out


def _territories(path: Path, by_key: dict[str, Draft]) -> list[Draft]:
    """Territory rows; a row with ``alpha3`` retypes that country row (Western Sahara)."""
    out = []
    for row in _rows(path):
        slug = row["slug"]
        existing = by_key.get(f"country:{row['alpha3']}") if row["alpha3"] else None
        if existing is not None:
            existing.type = EntityType.TERRITORY
            by_key[f"territory:{slug}"] = d = existing
        else:
            eid, qid = _entity_id(row["qid"], f"territory/{slug}", path)
            d = Draft(f"territory:{slug}", eid, row["name_en"], EntityType.TERRITORY, qid)
            d.add(row["name_en"], "name", "en")
            d.add(row["name_fr"], "name", "fr")
            out.append(d)
        d.category = row.get("category", "")
        d.add(row["aliases_en"], "alias", "en")
        d.add(row["aliases_fr"], "alias", "fr")
        d.add(row["demonyms_en"], "demonym", "en")
        for dem in row["demonyms_en"].split("|"):
            d.add("|".join(english_plurals(dem.strip())), "demonym", "en")
        d.add(row["demonyms_fr"], "demonym", "fr")
    return out


def _aliases(path: Path, by_key: dict[str, Draft]) -> None:
    for row in _rows(path):
        d = _resolve_key(row["entity_key"], by_key, path)
        kind, lang = row["kind"], row["lang"] or None
        if kind not in _KINDS:
            raise LoaderError(str(path), f"alias {row['alias']!r}: unknown kind {kind!r}; expected one of {sorted(_KINDS)}")
        d.add(row["alias"], kind, lang)


def _pycountry(path: Path, by_key: dict[str, Draft]) -> None:
    if not path.exists():
        return
    for row in _rows(path):
        d = by_key.get(f"country:{row['alpha3']}")
        if d is not None:
            d.add(row["name"], "official" if row.get("field") == "official_name" else "name", "en")


def _resolve_key(key: str, by_key: dict[str, Draft], path: Path) -> Draft:
    d = by_key.get(key)
    if d is None:
        raise LoaderError(str(path), f"unknown entity key {key!r}; expected country:<alpha3>, org:<org_id>, "
                                     "territory:<slug> or an entity id such as wd:Q30")
    return d


def read_all(directory: Path) -> tuple[list[Draft], list[Policy]]:
    """Read every gazetteer file of ``directory``; returns the entities and the policy rows."""
    drafts = _countries(directory / "countries.tsv") + _organizations(directory / "organizations.tsv")
    by_key = {d.key: d for d in drafts}
    by_key.update({d.id: d for d in drafts})
    if (directory / "territories.tsv").exists():
        for d in _territories(directory / "territories.tsv", by_key):
            drafts.append(d)
            by_key[d.key] = by_key[d.id] = d
    _pycountry(directory / "pycountry_variants.tsv", by_key)
    if (directory / "aliases.tsv").exists():
        _aliases(directory / "aliases.tsv", by_key)
    policies: list[Policy] = []
    if (directory / "ambiguous.tsv").exists():
        path = directory / "ambiguous.tsv"
        for row in _rows(path):
            if row["policy"] not in POLICIES:
                raise LoaderError(str(path), f"{row['surface']!r}: unknown policy {row['policy']!r}; "
                                             f"expected one of {sorted(POLICIES)}")
            eid = _resolve_key(row["entity_key"], by_key, path).id if row["entity_key"] else ""
            policies.append(Policy(row["surface"], eid, row["policy"], row.get("note", "")))
    for d in drafts:
        if d.parent_key is not None:  # from here on, the parent's entity id
            d.parent_key = _resolve_key(d.parent_key, by_key, directory / "organizations.tsv").id
    return drafts, policies
