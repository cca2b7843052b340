"""Per-article state shared by the mention finders and the relation rules.

The extractor walks an article twice: the first walk learns full names, roles and
document names (so that a surname or "the draft" resolve even when the full form comes
later), the second emits candidates. Everything learnt lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphkg.model import EntityRef
from graphkg.vocab import EntityType

__all__ = ["Mention", "PersonInfo", "ArticleContext"]


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention over tokens ``[start, end)`` of a parsed paragraph."""

    start: int
    end: int
    ref: EntityRef
    conf: float
    kind: str
    locative: bool = False
    issuer: EntityRef | None = None

    @property
    def type(self) -> EntityType:
        return self.ref.type

    def key(self) -> str:
        """Identity of the entity (gazetteer id, else type + label)."""
        return self.ref.id or f"{self.ref.type.value}:{self.ref.label}"


@dataclass(slots=True)
class PersonInfo:
    """What the article says about one person."""

    label: str
    roles: list[str] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    country: EntityRef | None = None
    evidence: tuple[int, int] | None = None
    inferred: bool = False


@dataclass(slots=True)
class ArticleContext:
    """Mutable per-article memory (never shared between articles)."""

    lang: str
    emit: bool = False
    persons: dict[str, PersonInfo] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)
    docs: dict[tuple[str, str], str] = field(default_factory=dict)
    doc_owner: dict[tuple[str, str], EntityRef] = field(default_factory=dict)
    resolutions: dict[str, str] = field(default_factory=dict)
    unnumbered: dict[str, str] = field(default_factory=dict)
    history: list[Mention] = field(default_factory=list)
    last_subject: Mention | None = None
    last_state_subject: Mention | None = None
    dateline: EntityRef | None = None
    org_labels: set[str] = field(default_factory=set)
    named_docs: dict[str, dict[str, str]] = field(default_factory=dict)
    described_docs: dict[str, str] = field(default_factory=dict)  # head -> last descriptive name
    described_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # descriptive name -> (head, modifier)
    descriptions: dict[str, list[tuple[str, frozenset[str], bool]]] = field(default_factory=dict)  # head -> (name, words, plural)
    org_acronyms: dict[str, str] = field(default_factory=dict)  # "FSR" -> "Forces de soutien rapide"
    last_named: dict[str, str] = field(default_factory=dict)
    previous: tuple[Any, list[Mention]] | None = None  # the last sentence (spaCy Span) and its mentions
    sentence_index: int = 0  # of the sentence being read, in the article
    sentence_count: int = 0  # sentences of the article

    def previous_actors(self) -> list[EntityRef]:
        """States that were clause subjects of the previous sentence ("Japan announced aid")."""
        if self.previous is None:
            return []
        sent, mentions = self.previous
        subj = {t.i for tok in sent if tok.dep_.startswith("nsubj") for t in tok.subtree}
        return [m.ref for m in mentions if m.type == EntityType.COUNTRY and m.start in subj
                and not m.locative and m.kind not in {"pronoun", "group"}]

    def remember(self, mentions: list[Mention]) -> None:
        """Append a sentence's mentions to the history used by anaphora."""
        self.history.extend(sorted(mentions, key=lambda m: m.start))
        del self.history[:-200]

    def latest(self, types: frozenset[EntityType], word: str = "") -> Mention | None:
        """Most recent mention of one of ``types`` whose text or label contains ``word``."""
        for m in reversed(self.history):
            if m.type in types and m.kind not in {"pronoun", "latest", "group"}:
                if not word or word in m.ref.text.lower() or word in m.ref.label.lower():
                    return m
        return None

    def person(self, label: str) -> PersonInfo:
        """The record of ``label``, created on first use."""
        info = self.persons.get(label)
        if info is None:
            info = self.persons[label] = PersonInfo(label)
        return info

    def full_name(self, name: str) -> str:
        """Resolve a surname (or a shorter form) to the full name seen in the article."""
        if len(name.split()) > 1:
            return name
        return self.surnames.get(name.lower(), name)

    def add_full_name(self, name: str) -> None:
        """Register a multi-word name so its last word resolves to it."""
        parts = name.split()
        if len(parts) > 1:
            self.surnames.setdefault(parts[-1].lower(), name)
