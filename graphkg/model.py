"""Immutable records that cross module boundaries: Article, Entity, Candidate, Relation.

Free-form dicts stop at the parse boundary; from the reader on, everything is one of
these frozen dataclasses with enum fields.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from graphkg.errors import printable
from graphkg.vocab import ARTICLE, ASSERTION, ENTITY, EntityType, Predicate, symmetric_predicates

__all__ = [
    "Article",
    "Entity",
    "EntityRef",
    "Candidate",
    "Provenance",
    "Relation",
    "Batch",
    "StoreCounts",
    "article_id",
    "relation_key",
    "slugify",
    "entity_iri",
    "article_iri",
    "assertion_iri",
    "normalise_text",
]

Props = tuple[tuple[str, str], ...]


def normalise_text(text: str) -> str:
    """Canonical form used for hashing: NFC, curly quotes straightened, whitespace collapsed.

    >>> normalise_text("l\u2019ONU  a\\n dit")
    "l'ONU a dit"
    """
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def _digest(*parts: str, size: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:size]


def article_id(text: str, url: str | None = None) -> str:
    """Stable article id: hash of the normalised text plus the URL when known."""
    return _digest(normalise_text(text), url or "")


def slugify(text: str) -> str:
    """ASCII slug for ids.

    >>> slugify("Nasser Bourita")
    'nasser-bourita'
    >>> slugify("Résolution 2756 du Conseil")
    'resolution-2756-du-conseil'
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def entity_iri(entity_id: str) -> str:
    """IRI of an entity id: ``wd:Q1028`` -> ``.../entity/wd/Q1028``."""
    return ENTITY + entity_id.replace(":", "/", 1)


def article_iri(aid: str) -> str:
    return ARTICLE + aid


def assertion_iri(key: str) -> str:
    return ASSERTION + key


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a source, before extraction."""

    id: str
    text: str
    source: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    lang: str | None = None
    publisher: str | None = None
    versioned: bool = False  # the reader says the URL names one page: a later text under it is a new version

    @classmethod
    def make(cls, text: str, source: str, **meta: object) -> Article:
        """Build an article, computing its id from text and URL. Text and string metadata are
        made valid Unicode first (no store takes a lone surrogate or a NUL); the source (a file
        name, perhaps not UTF-8 or holding a newline) is kept :func:`~graphkg.errors.printable`.

        >>> a = Article.make("cut emoji \\ud83d here\\x00", "x.jsonl:1", title="t\\udc00")
        >>> a.text, a.title
        ('cut emoji \ufffd here', 't\ufffd')
        """
        meta = {k: valid_text(v) if isinstance(v, str) else v for k, v in meta.items()}
        lang = meta.get("lang")
        if isinstance(lang, str):
            meta["lang"] = language_code(lang)
        text = valid_text(text)
        url = meta.get("url")
        return cls(id=article_id(text, url if isinstance(url, str) else None), text=text,
                   source=printable(source), **meta)  # type: ignore[arg-type]


_LANGUAGE_NAMES = {"fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr",
                   "eng": "en", "english": "en", "anglais": "en"}


def language_code(value: str) -> str | None:
    """A reader's language value as a two-letter code: ISO 639-2 codes, English or French names
    and region variants fold ("fra", "French", "fr-CA" -> "fr"); an empty value is ``None``
    (detect from the text); any other code is kept (the extractor reads fr and en).

    >>> [language_code(v) for v in ("fra", "French", "fr_FR", "EN-us", "eng", "de", "")]
    ['fr', 'fr', 'fr', 'en', 'en', 'de', None]
    """
    v = value.strip().lower()
    if not v:
        return None
    v = _LANGUAGE_NAMES.get(v, v)
    base = v.replace("_", "-").split("-", 1)[0]
    return _LANGUAGE_NAMES.get(base, base)


def valid_text(s: str) -> str:
    """``s`` as valid Unicode: surrogate pairs joined, lone surrogates (half an emoji cut by a
    dump) replaced by U+FFFD, NUL characters dropped.

    >>> valid_text("ok \\ud83d\\ude00 \\ud83d x\\x00")
    'ok \U0001f600 \ufffd x'
    """
    if s.isascii() and "\x00" not in s:
        return s
    fixed = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return fixed.replace("\x00", "")


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity with a stable id (Wikidata QID ``wd:Q..`` or a typed slug)."""

    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    qid: str | None = None

    @classmethod
    def minted(cls, label: str, type_: EntityType, aliases: tuple[str, ...] = ()) -> Entity:
        """An entity with no gazetteer id: ``person/nasser-bourita``."""
        return cls(id=f"{type_.value.lower()}/{slugify(label)}", label=label, type=type_, aliases=aliases)


@dataclass(frozen=True, slots=True)
class EntityRef:
    """What the extractor knows about an argument: surface text plus its best resolution."""

    text: str
    label: str
    type: EntityType
    id: str | None = None
    how: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An extracted, not yet resolved or checked, relation."""

    subject: EntityRef
    predicate: Predicate
    object: EntityRef
    evidence: str
    start: int
    end: int
    confidence: float
    extractor: str
    properties: Props = ()
    date: str | None = None
    cue: str = ""
    pattern: str = ""
    features: tuple[tuple[str, float], ...] = ()  # a learned extractor's weightiest features (name, weight)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a relation comes from."""

    article_id: str
    evidence: str
    start: int
    end: int
    extractor: str
    confidence: float
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    lang: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A checked relation: one per (subject, predicate, object, article)."""

    subject: Entity
    predicate: Predicate
    object: Entity
    provenance: Provenance
    properties: Props = ()
    date: str | None = None
    key: str = field(default="")

    def __post_init__(self) -> None:
        if not self.key:
            k = relation_key(self.subject.id, self.predicate, self.object.id, self.provenance.article_id)
            object.__setattr__(self, "key", k)

    def canonical(self) -> Relation:
        """The same relation with a symmetric predicate's arguments in id order (one key per pair)."""
        if self.predicate not in symmetric_predicates() or self.subject.id <= self.object.id:
            return self
        return replace(self, subject=self.object, object=self.subject, key="")


#: what a store writes in one call: articles with their relations and mentioned entities
Batch = Sequence[tuple[Article, Sequence[Relation], Sequence[Entity]]]


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """What a store holds, for ``graphkg stats``."""

    articles: int
    entities: int
    relations: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_predicate: dict[str, int] = field(default_factory=dict)


def relation_key(subject_id: str, p: Predicate, object_id: str, aid: str) -> str:
    """Idempotency key of a relation: hash(subject, predicate, object, article)."""
    return _digest(subject_id, p.value, object_id, aid, size=24)
