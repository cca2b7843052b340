"""Per-paragraph token attribute lists, built once and shared by both walks of an article.

Indexing a spaCy ``Doc`` builds a fresh ``Token`` object and every string attribute goes
through the string store, so the mention finders read these plain lists instead of
``doc[i].lower_`` in their inner loops. The view is stored in ``doc.user_data``.
"""

from __future__ import annotations

import bisect

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["TokenView", "view", "sentence_memo", "sent_text", "sent_ents"]

T = TypeVar("T")

_KEY = "graphkg.extract.tokens"


@dataclass(frozen=True, slots=True)
class TokenView:
    """String attributes of the tokens of one ``Doc``, indexed like the doc (no ``Token`` objects:
    they point back at the doc, and a cycle through ``user_data`` would keep every parsed
    paragraph alive until the cyclic garbage collector runs)."""

    lower: list[str]
    lemma: list[str]  # lemma_.lower()
    text: list[str]
    pos: list[str]
    string: str  # doc.text
    memo: dict[Any, Any]  # per-sentence results that depend on the parse only


def view(doc: Doc) -> TokenView:
    """The (cached) :class:`TokenView` of ``doc``.

    >>> import spacy
    >>> v = view(spacy.blank("en")("The UN met"))
    >>> v.lower, v.text[1]
    (['the', 'un', 'met'], 'UN')
    """
    cached = doc.user_data.get(_KEY)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    strings = doc.vocab.strings
    cols = doc.to_array(["LOWER", "LEMMA", "ORTH", "POS"]).T.tolist() if len(doc) else [[], [], [], []]
    v = TokenView([strings[h] for h in cols[0]], [strings[h].lower() if h else "" for h in cols[1]],
                  [strings[h] for h in cols[2]], [strings[h] if h else "" for h in cols[3]],
                  doc.user_data.get("graphkg.text") or doc.text, {})
    doc.user_data[_KEY] = v
    return v


def sentence_memo(sent: Span, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per sentence and ``key``, kept in the doc's view: for results that
    depend on the parse only, so the extractor's two walks over an article pay once.

    >>> import spacy
    >>> doc = spacy.blank("en")("One. Two.")
    >>> calls = []
    >>> [sentence_memo(doc[0:2], ("n",), lambda: calls.append(1) or len(calls)) for _ in range(2)]
    [1, 1]
    """
    memo = view(sent.doc).memo
    full = (*key, sent.start)
    if full not in memo:
        memo[full] = compute()
    return memo[full]  # type: ignore[no-any-return]


def sent_text(sent: Span) -> str:
    """``sent.text`` read from the cached document text (``Span.text`` rebuilds it token by token).

    >>> import spacy
    >>> doc = spacy.blank("en")("Hi there.  Bye ")
    >>> [sent_text(doc[a:b]) == doc[a:b].text for a, b in ((0, 3), (1, 4), (3, 4), (0, 0))]
    [True, True, True, True]
    """
    return view(sent.doc).string[sent.start_char:sent.end_char]


def sent_ents(sent: Span) -> list[tuple[int, int, str, str]]:
    """``(start, end, label_, text)`` of the entities inside ``sent``, like ``sent.ents`` but
    reading ``doc.ents`` (a walk over the whole paragraph) only once per doc.

    >>> import spacy
    >>> from spacy.tokens import Span
    >>> doc = spacy.blank("en")("Ask Ann Lee in Paris")
    >>> doc.ents = [Span(doc, 1, 3, "PER"), Span(doc, 4, 5, "LOC")]
    >>> sent_ents(doc[0:4]), sent_ents(doc[2:5])
    ([(1, 3, 'PER', 'Ann Lee')], [(4, 5, 'LOC', 'Paris')])
    """
    v = view(sent.doc)
    hit: tuple[list[tuple[int, int, str, str]], list[int]] | None = v.memo.get("ents")
    if hit is None:
        ents = [(e.start, e.end, e.label_, e.text) for e in sent.doc.ents]  # sorted by start
        hit = v.memo["ents"] = (ents, [e[0] for e in ents])
    ents, starts = hit
    lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
    return [e for e in ents[lo:hi] if e[1] <= sent.end]  # a sentence of a long paragraph costs its own entities
