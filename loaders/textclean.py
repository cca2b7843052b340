"""Clean article text: paragraphs, web boilerplate, headline and publication date.

Pure functions over strings. The extractor parses paragraph by paragraph, so the output keeps one
paragraph (or heading) per block, blocks separated by exactly one blank line. Scraped ``.txt``
pages carry navigation, widget and comment-form lines that trafilatura cannot remove (it returns
nothing on plain text), so a line-level filter driven by ``ontology/lexicon/boilerplate.tsv``
drops them. Dates are looked for only in the header region, never in the whole article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

__all__ = [
    "CleanText",
    "Lexicon",
    "clean_text",
    "normalise",
    "split_paragraphs",
    "filter_boilerplate",
    "find_title",
    "parse_date_line",
    "line_key",
    "load_lexicon",
]

HEADER_LINES = 6          # date search window: at most this many paragraphs, before the body starts
_TITLE_WORDS = (3, 25)
_MENU_WORDS = 4           # a line this short, without sentence punctuation, may be a menu item
_PREFIX_MAX_WORDS = 40    # a prefix match longer than this is a real paragraph, not a widget
_WRAP_MAX = 200           # hard-wrapped text has lines at most this long


@dataclass(frozen=True, slots=True)
class CleanText:
    """Result of :func:`clean_text`: body text, detected headline and date, dropped lines."""

    text: str
    title: str | None = None
    published: date | None = None
    removed: tuple[str, ...] = ()


# ---------------------------------------------------------------- normalisation

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DROP_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise(raw: str) -> str:
    """Normalise newlines, Unicode (NFC), apostrophes and spaces; strip each line.

    >>> normalise("l\u2019ONU\\r\\n  a   dit\u00a0:\\r")
    "l'ONU\\na dit :\\n"
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text).translate(_DROP_CHARS).translate(_APOSTROPHES)
    text = _CONTROL.sub(" ", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def line_key(line: str) -> str:
    """Matching key of a line: casefolded, accents and hyphens removed, outer punctuation stripped.

    >>> line_key("  S\u2019il vous plaît entrez votre commentaire! ")
    "s'il vous plait entrez votre commentaire"
    >>> line_key("Suivez-nous :")
    'suivez nous'
    """
    s = unicodedata.normalize("NFKD", line.translate(_APOSTROPHES).casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[-\u2010-\u2015_]+", " ", s)
    s = re.sub(r"\s+", " ", s)
    start, end = 0, len(s)
    while start < end and (s[start].isspace() or unicodedata.category(s[start])[0] in "PS"):
        start += 1
    while end > start and (s[end - 1].isspace() or unicodedata.category(s[end - 1])[0] in "PS"):
        end -= 1
    return s[start:end]


# ---------------------------------------------------------------- paragraphs

_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$|^=+$")
_BULLET = re.compile(r"^(?:[-*+\u2022\u25aa\u25cf\u2013]|\d{1,3}[.)])\s+")
_MD_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
)


def _markdown_line(line: str) -> tuple[str, bool]:
    """Strip markdown syntax from one line; the flag says it must stand alone (heading, item)."""
    if _MD_RULE.match(line) or line.startswith("```"):
        return "", True
    m = _MD_HEADING.match(line)
    standalone = bool(m)
    if m:
        line = m.group(1)
    line = re.sub(r"^>\s?", "", line)
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line.strip(), standalone


def split_paragraphs(text: str, *, markdown: bool = False, one_per_line: bool = False) -> list[str]:
    """Split normalised text into paragraphs, re-joining hard-wrapped prose lines.

    Blank lines separate blocks. Inside a block, a line joins the previous one when it starts in
    lower case, or when the block looks hard-wrapped (three lines or more, the previous line close
    to the block's width of at most 200 characters, no sentence break between them); headings,
    short lines and list items stand alone.

    >>> split_paragraphs("Title\\n\\nA line of prose that was wrapped by the\\neditor at a fixed width.")
    ['Title', 'A line of prose that was wrapped by the editor at a fixed width.']
    >>> split_paragraphs("## Contexte\\n- un\\n- deux", markdown=True)
    ['Contexte', 'un', 'deux']
    """
    paragraphs: list[str] = []
    block: list[tuple[str, bool]] = []

    def flush() -> None:
        width = max((len(line) for line, _ in block), default=0)
        current: list[str] = []
        for line, standalone in block:
            if current and not standalone and not one_per_line and _continues(current[-1], line, width, len(block)):
                current.append(line)
                continue
            if current:
                paragraphs.append(" ".join(current))
            current = [line]
        if current:
            paragraphs.append(" ".join(current))
        block.clear()

    for raw in text.split("\n"):
        line, standalone = _markdown_line(raw) if markdown else (raw.strip(), False)
        if not raw.strip():
            flush()
            continue
        if not line:
            continue
        if _BULLET.match(line) and (markdown or not line[0].isdigit()):
            line, standalone = _BULLET.sub("", line, count=1), True
        if standalone and block:
            block.append((line, True))
            flush()
            continue
        block.append((line, standalone))
    flush()
    return [p for p in paragraphs if p]


def _continues(prev: str, line: str, width: int, lines: int) -> bool:
    """Is ``line`` the hard-wrapped continuation of ``prev``?"""
    if width > _WRAP_MAX:
        return False
    if line[0].islower():
        return True
    sentence_break = prev[-1] in ".!?\u2026:" and line[0].isupper()
    return lines >= 3 and width >= 40 and len(prev) >= 0.6 * width and not sentence_break


def _words(line: str) -> int:
    return len(line.split())


def _is_prose(line: str) -> bool:
    """A body paragraph: a real sentence, not a heading or a widget line."""
    n = _words(line)
    return n >= 25 or (n >= 8 and line.rstrip()[-1] in ".!?\u2026\u00bb\"\u201d)")


def _is_menu_like(line: str) -> bool:
    return _words(line) <= _MENU_WORDS and line.rstrip()[-1] not in ".!?;:,\u2026"


# ---------------------------------------------------------------- boilerplate

@dataclass(frozen=True, slots=True)
class Lexicon:
    """Boilerplate phrases as matching keys (see :func:`line_key`)."""

    lines: frozenset[str]
    tail_markers: frozenset[str]
    prefixes: tuple[str, ...]          # plain prefixes: any word boundary after them
    label_prefixes: tuple[str, ...]    # 'Tags:'-style prefixes: a colon must follow

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, str, str]]) -> Lexicon:
        """Build from ``(lang, kind, phrase)`` rows; unknown kinds are refused."""
        lines: set[str] = set()
        tails: set[str] = set()
        prefixes: set[str] = set()
        labels: set[str] = set()
        for _lang, kind, phrase in rows:
            key = line_key(phrase)
            if kind == "line":
                lines.add(key)
            elif kind == "tail_marker":
                tails.add(key)
            elif kind == "prefix":
                (labels if phrase.rstrip().endswith(":") else prefixes).add(key)
            else:
                raise ValueError(f"unknown boilerplate kind {kind!r}; expected line, prefix or tail_marker")
        return cls(frozenset(lines), frozenset(tails), tuple(sorted(prefixes)), tuple(sorted(labels)))

    def kind(self, line: str) -> str | None:
        """``'tail'``, ``'line'`` or None (content) for one line."""
        key = line_key(line)
        if key in self.tail_markers:
            return "tail"
        if key in self.lines or _is_copyright(line):
            return "line"
        if _words(line) <= _PREFIX_MAX_WORDS:
            for p in self.prefixes:
                if key.startswith(p) and (len(key) == len(p) or not key[len(p)].isalnum()):
                    return "line"
            low = line_key(line.split(":", 1)[0]) if ":" in line else None
            if low is not None and low in self.label_prefixes:
                return "line"
        return None


_COPYRIGHT = re.compile(r"^\s*(?:\u00a9|\(c\)\s*\d{4}|copyright\s*(?:\u00a9|\(c\)|\d{4}))", re.IGNORECASE)
_RIGHTS = re.compile(r"(?:all rights reserved|tous droits r[ée]serv[ée]s)", re.IGNORECASE)


def _is_copyright(line: str) -> bool:
    """A copyright footer: starts with © / 'Copyright 2025', or a short 'all rights reserved' line."""
    return bool(_COPYRIGHT.match(line)) or (_words(line) <= 20 and bool(_RIGHTS.search(line)))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The bundled FR/EN boilerplate lexicon (``ontology/lexicon/boilerplate.tsv``)."""
    from graphkg.vocab import data_path

    rows: list[tuple[str, str, str]] = []
    with open(data_path("lexicon/boilerplate.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(parts) != 3 or parts == ["lang", "kind", "phrase"]:
                continue
            rows.append((parts[0], parts[1], parts[2]))
    return Lexicon.from_rows(rows)


def filter_boilerplate(paragraphs: Sequence[str], lexicon: Lexicon | None = None) -> tuple[list[str], list[str]]:
    """Drop boilerplate paragraphs; return ``(kept, removed)``.

    Drops lexicon lines and prefixes, copyright footers, everything from a tail marker (comment
    form, "Popular Articles") on once a body paragraph has been seen, and runs of short menu-like
    lines (three or more in a row, or next to boilerplate). A short line directly followed by a
    body paragraph is a heading and is kept.

    >>> filter_boilerplate(["Partager", "Portrait", "Contexte", "Le Maroc et le Kazakhstan ont signé un accord de coopération."])
    (['Contexte', 'Le Maroc et le Kazakhstan ont signé un accord de coopération.'], ['Partager', 'Portrait'])
    """
    lex = lexicon or load_lexicon()
    paras = list(paragraphs)
    kinds = [lex.kind(p) for p in paras]
    drop = [k is not None for k in kinds]
    body_seen = False
    for i, p in enumerate(paras):
        if kinds[i] == "tail" and body_seen:
            drop[i:] = [True] * (len(paras) - i)
            break
        body_seen = body_seen or (not drop[i] and _is_prose(p))
    lexical = list(drop)
    i = 0
    while i < len(paras):
        if drop[i] or not _is_menu_like(paras[i]):
            i += 1
            continue
        j = i
        while j < len(paras) and not drop[j] and _is_menu_like(paras[j]):
            j += 1
        touches = (i > 0 and lexical[i - 1]) or (j < len(paras) and lexical[j])
        if j - i >= 3 or touches:
            heading = j < len(paras) and not lexical[j] and _is_prose(paras[j])
            for k in range(i, j - 1 if heading else j):
                drop[k] = True
        i = j
    kept = [p for p, d in zip(paras, drop, strict=False) if not d]
    removed = [p for p, d in zip(paras, drop, strict=False) if d]
    return kept, removed


# ---------------------------------------------------------------- dates and title

_MONTHS = (r"janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept?(?:embre)?"
           r"|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?"
           r"|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|october|november|december")
_DATE_PATTERNS = (
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b"),
    re.compile(rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:er|st|nd|rd|th)?,?\s+\d{{4}}\b", re.IGNORECASE),
)
_TIME = re.compile(r"\b\d{1,2}\s*[:h]\s*\d{2}(?:\s*(?:am|pm|gmt|utc|cet|cest))?\b", re.IGNORECASE)
_DATE_LINE_EXTRA_WORDS = 5


def parse_date_line(line: str, lang_hint: str | None = None) -> date | None:
    """The date of a header line made mostly of a full date (day, month and year), else None.

    >>> parse_date_line("lundi, avril 28, 2025")
    datetime.date(2025, 4, 28)
    >>> parse_date_line("Published: 3 March 2024 10:32")
    datetime.date(2024, 3, 3)
    >>> parse_date_line("en 2007") is None, parse_date_line("\u00a9 2025 Le Journal") is None
    (True, True)
    """
    if _words(line) > 14:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.search(line)
        if not m:
            continue
        rest = _TIME.sub(" ", line[:m.start()] + " " + line[m.end():])
        if sum(1 for w in rest.split() if any(c.isalpha() for c in w)) > _DATE_LINE_EXTRA_WORDS:
            return None
        return _parse_date(m.group(0), lang_hint)
    return None


def _parse_date(text: str, lang_hint: str | None) -> date | None:
    import dateparser  # type: ignore[import-untyped, unused-ignore]  # heavy: imported on first use

    langs = ["fr", "en"]
    if lang_hint in langs:
        langs.sort(key=lambda lang: lang != lang_hint)
    settings: dict[str, Any] = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", text):
        settings["DATE_ORDER"] = "MDY" if lang_hint == "en" else "DMY"
    parsed = dateparser.parse(text, languages=langs, settings=settings)
    return parsed.date() if parsed is not None else None


def _is_label(line: str) -> bool:
    """No word starts in lower case: a section label or breadcrumb ("World News", "9586th Meeting (AM)").

    Headlines, even in Title Case, keep their function words in lower case ("for", "of", "du").
    """
    return not any(w[0].islower() for w in line.split())


def find_title(paragraphs: Sequence[str], lexicon: Lexicon | None = None) -> int | None:
    """Index of the headline among the lines before the body, or None.

    A headline has 3-25 words, no final period, is neither boilerplate nor a date, and is not a
    label (some word starts in lower case); if every candidate is a label (an all-caps headline),
    the first candidate wins.

    >>> find_title(["Portrait", "World News Politics", "Le Kazakhstan appuie le Maroc", "Le texte a été signé hier à Rabat."])
    2
    """
    lex = lexicon or load_lexicon()
    candidates: list[int] = []
    for i, p in enumerate(paragraphs):
        if _is_prose(p):
            break
        n = _words(p)
        if (_TITLE_WORDS[0] <= n <= _TITLE_WORDS[1] and p[-1] not in ".:;,"
                and lex.kind(p) is None and parse_date_line(p) is None):
            candidates.append(i)
    headlines = [i for i in candidates if not _is_label(paragraphs[i])]
    best = headlines or candidates
    return best[0] if best else None


# ---------------------------------------------------------------- entry point

def _header_end(paras: Sequence[str], lex: Lexicon) -> int:
    """End of the header region: the first body paragraph, or after six non-boilerplate lines."""
    seen = 0
    for i, p in enumerate(paras):
        if lex.kind(p) is not None:
            continue
        if _is_prose(p) or seen == HEADER_LINES:
            return i
        seen += 1
    return len(paras)


def clean_text(raw: str, lang_hint: str | None = None, *, markdown: bool = False,
               one_per_line: bool = False) -> CleanText:
    """Clean one article's text and detect its headline and publication date.

    Args:
        raw: the decoded text (a scraped page, a hand-written article, trafilatura output).
        lang_hint: ``"fr"`` or ``"en"`` when known; orders date parsing languages.
        markdown: strip markdown syntax (headings, list markers, links, emphasis).
        one_per_line: every line is its own paragraph (trafilatura output), never re-joined.

    Returns:
        A :class:`CleanText`; its text is empty when nothing but boilerplate was found.
    """
    paras = split_paragraphs(normalise(raw), markdown=markdown, one_per_line=one_per_line)
    removed: list[str] = []
    published: date | None = None
    header = _header_end(paras, load_lexicon())
    kept: list[str] = []
    for i, p in enumerate(paras):
        day = parse_date_line(p, lang_hint) if i < header else None
        if day is not None:
            published = published or day
            removed.append(p)
        else:
            kept.append(p)
    kept, dropped = filter_boilerplate(kept)
    removed.extend(dropped)
    title_at = find_title(kept)
    title = kept[title_at] if title_at is not None else None
    if title_at:
        # breadcrumbs and section labels above the headline ("Monde", "World News Politics")
        labels = [p for p in kept[:title_at] if _is_menu_like(p) or _is_label(p)]
        removed.extend(labels)
        kept = [p for p in kept[:title_at] if p not in labels] + kept[title_at:]
    return CleanText("\n\n".join(kept), title, published, tuple(removed))
