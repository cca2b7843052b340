"""Documents (plans, initiatives, resolutions, treaties, amendments) with English names.

A numbered resolution becomes "UN Security Council Resolution 1234" when the Security
Council issues it; other documents are named "<Demonym> <Modifier> <Head>" from a small
FR/EN head-noun table ("plan de paix" proposed by Norway -> "Norwegian Peace Plan").
Unnamed repeats ("the draft", "the amendment", "le plan") resolve to the article's only
document with that head.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from graphkg.model import EntityRef
from graphkg.vocab import EntityType

from .context import ArticleContext, Mention
from .lexicon import Lexicon
from .mentions import KIND_CONF, preferred_form
from .tokens import TokenView, sentence_memo, view

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["document_mentions", "english_demonym", "register_owner"]

_UNSC = "United Nations Security Council"
_UNGA = "United Nations General Assembly"
_NUM = re.compile(r"^(?:\d{3,4}|(?:[A-Z]{1,5}/)+[A-Z0-9][A-Z0-9./()-]*|[A-Z]\.\d{1,3}(?:/Rev\.\d)?|ES-\d+/\d+)$")
_SKIP = frozenset("du de la le l' of the d' des , ( n° no no. numéro number".split())


def english_demonym(ref: EntityRef) -> str:
    """English adjective of a country ("Morocco" -> "Moroccan"); the label when unknown."""
    if ref.type != EntityType.COUNTRY:
        return ref.label
    return preferred_form(ref.id, "demonym") or ref.label


@functools.cache
def _head_index(lang: str) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Document head nouns of ``lang`` by first word."""
    from .lexicon import by_first_word, lexicon

    return by_first_word(lexicon(lang).doc_heads, lambda e: e[0])


def _match_head(sent: Span, i: int, lex: Lexicon, v: TokenView | None = None) -> tuple[int, str] | None:
    if v is None:
        v = view(sent.doc)
    low, lem = v.lower, v.lemma
    index = _head_index(lex.lang)
    entries = index.get(low[i], ()) + (index.get(lem[i], ()) if lem[i] != low[i] else ())
    if v.pos[i] in {"VERB", "AUX"}:  # a verb starts only a phrase by its own form ("adopted text"):
        # "according" is no accord, "to deal with" no deal
        entries = tuple(e for e in index.get(low[i], ()) if len(e[0]) > 1)
    if not entries:
        return None
    for words, eng in sorted(entries, key=lambda x: -len(x[0])):
        n = len(words)
        if i + n <= sent.end and all(low[i + k] == w or lem[i + k] == w for k, w in enumerate(words)):
            return n, eng
    return None


def _stopped(sent: Span, i: int, n: int, lex: Lexicon) -> bool:
    doc = sent.doc
    for words in lex.doc_stops:
        for off in range(len(words)):
            s = i - off
            if s >= sent.start and s + len(words) <= sent.end and all(
                    doc[s + k].lower_ == w for k, w in enumerate(words)):
                return True
    return False


def _heads(sent: Span, lex: Lexicon) -> dict[int, tuple[int, str]]:
    """Document head nouns of ``sent`` by start token, stop phrases left out (cached per
    sentence: they depend on the parse only)."""
    return sentence_memo(sent, ("doc-heads", lex.lang), lambda: _heads_of(sent, lex))


def _heads_of(sent: Span, lex: Lexicon) -> dict[int, tuple[int, str]]:
    v = view(sent.doc)
    out = {}
    for i in range(sent.start, sent.end):
        hit = _match_head(sent, i, lex, v)
        if hit is not None and not _stopped(sent, i, hit[0], lex):
            out[i] = hit
    return out


def document_mentions(sent: Span, lex: Lexicon, ctx: ArticleContext, mentions: list[Mention]) -> list[Mention]:
    """Document mentions of ``sent``, named and registered in ``ctx``."""
    out: list[Mention] = []
    doc = sent.doc
    heads = _heads(sent, lex)
    i = sent.start
    while i < sent.end:
        hit = heads.get(i)
        if hit is None:
            i += 1
            continue
        n, head = hit
        m = _build(sent, i, i + n, head, lex, ctx, mentions)
        if m is not None:
            out.append(m)
            i = max(m.end, i + n)
        else:
            i += n
    del doc
    return out


def _build(sent: Span, s: int, e: int, head: str, lex: Lexicon, ctx: ArticleContext,
           mentions: list[Mention]) -> Mention | None:
    doc = sent.doc
    if head == "=resolution" or (head in {"Resolution", "Draft Resolution"} and not _number(sent, e, mentions)[0]):
        name = _only(ctx.resolutions.values())
        if not isinstance(name, str):
            return _unnumbered(sent, s, e, head, lex, ctx, mentions)
        ref = EntityRef(doc[s:e].text, name, EntityType.DOCUMENT, None, "document:repeat")
        return Mention(s, e, ref, KIND_CONF["document"] * 0.9, "document")
    if head in {"Resolution", "Draft Resolution"}:
        number, end = _number(sent, e, mentions)
        issuer = _issuer(sent, s, end, mentions) or _default_issuer(ctx)
        iss_ref = next((m.ref for m in mentions if m.ref.label == issuer), None)
        if issuer in _UN_BODIES:
            name = f"{_UN_BODIES[issuer]} Resolution {number}"
        elif issuer:
            name = f"{_issuer_name(iss_ref) if iss_ref is not None else issuer} Resolution {number}"
        else:
            name = f"Resolution {number}"
        ctx.resolutions.setdefault(str(number), name)
        ref = EntityRef(doc[s:end].text, name, EntityType.DOCUMENT, None, "document:numbered")
        iss = next((m.ref for m in mentions if m.ref.label == issuer), None)
        return Mention(s, end, ref, KIND_CONF["document"], "document", issuer=iss)
    return _named(sent, s, e, head, lex, ctx, mentions)


_SHORT = {_UNSC: "Security Council", _UNGA: "General Assembly"}
_UN_BODIES = {_UNSC: "UN Security Council", _UNGA: "UN General Assembly",
              "United Nations Human Rights Council": "UN Human Rights Council"}


def _issuer_name(org: EntityRef) -> str:
    """How a document names the body behind it: "UN Security Council", else the body's acronym
    ("IAEA", "OAS"), else its name."""
    if org.label in _UN_BODIES:
        return _UN_BODIES[org.label]
    return preferred_form(org.id, "acronym") or org.label


def _unnumbered(sent: Span, s: int, e: int, head: str, lex: Lexicon, ctx: ArticleContext,
                mentions: list[Mention]) -> Mention | None:
    """A resolution or draft without a number: named after the body that issues or votes on it
    ("Security Council Draft Resolution"); a later bare "the draft" / "the resolution" refers back
    to the latest one of that kind."""
    doc = sent.doc
    orgs = [m for m in mentions if m.type == EntityType.ORGANIZATION and m.end <= s and s - m.end <= 14]
    if head != "=resolution" and orgs and not _definite(sent, s):
        org = orgs[-1].ref
        name = f"{_SHORT.get(org.label) or _issuer_name(org)} {head}"
        topic = _described(sent, s, e, head, ArticleContext(ctx.lang))
        end = e
        if topic is not None and topic[2] > e:  # "résolution sur l'énergie propre": named by its subject
            name, end = topic[0], topic[2]
        ctx.unnumbered[head] = name
        ctx.unnumbered["=resolution"] = name
        ref = EntityRef(doc[s:end].text, name, EntityType.DOCUMENT, None, "document:issuer")
        return Mention(s, end, ref, KIND_CONF["document"] * 0.9, "document", issuer=orgs[-1].ref)
    repeat = ctx.unnumbered.get(head) or ctx.unnumbered.get("=resolution")
    if repeat is None:
        if head == "=resolution":
            return None
        return _named(sent, s, e, head, lex, ctx, mentions)
    ref = EntityRef(doc[s:e].text, repeat, EntityType.DOCUMENT, None, "document:repeat")
    return Mention(s, e, ref, KIND_CONF["document"] * 0.85, "document")


def _definite(sent: Span, s: int) -> bool:
    """Whether the head noun is introduced by a definite article (a repeat, not a new document)."""
    j = s - 1
    while j >= sent.start and sent.doc[j].pos_ in {"ADJ", "PROPN"}:
        j -= 1
    return j >= sent.start and sent.doc[j].lower_ in {"the", "le", "la", "l'", "ce", "cette", "this"}


def _modifier(sent: Span, s: int, e: int, lex: Lexicon) -> tuple[str, int, int]:
    """The document's kind word ("free trade", "de défense") and the widened (start, end)."""
    doc = sent.doc
    modifier, end = "", e
    if lex.lang == "fr":
        j = e
        if j + 1 < sent.end and doc[j].lower_ in {"de", "d'", "du", "pour", "sur"}:
            for n in (3, 2, 1):  # "libre-échange" may be three tokens, "défense mutuelle" two
                word = doc[j + 1:min(sent.end, j + 1 + n)].text.lower()
                if word in lex.doc_modifiers:
                    return lex.doc_modifiers[word], s, min(sent.end, j + 1 + n)
        return modifier, s, end
    j = s - 1
    for n in (3, 2):  # "free trade", "free-trade"
        word = doc[max(sent.start, s - n):s].text.lower()
        if s - n >= sent.start and word in lex.doc_modifiers:
            return lex.doc_modifiers[word], s - n, end
    if j >= sent.start and doc[j].lower_ in lex.doc_modifiers:
        return lex.doc_modifiers[doc[j].lower_], j, end
    if e + 1 < sent.end and doc[e].lower_ in {"for", "of", "on"} and doc[e + 1].lower_ in lex.doc_modifiers:
        return lex.doc_modifiers[doc[e + 1].lower_], s, e + 2
    return modifier, s, end


def _named(sent: Span, s: int, e: int, head: str, lex: Lexicon, ctx: ArticleContext,
           mentions: list[Mention]) -> Mention | None:
    doc = sent.doc
    modifier, s, end = _modifier(sent, s, e, lex)
    owner, s, end = _owner(sent, s, end, mentions)
    proper = _proper_name(sent, s, e, end, head, lex, mentions) if owner is None else None
    if proper is not None:
        return _register_named(sent, proper, head, modifier, ctx)
    key = (head, modifier)
    if owner is not None:
        ctx.doc_owner.setdefault(key, owner)
    owner = owner or ctx.doc_owner.get(key)
    if owner is None and not modifier:
        owner_key = _only([k for k in ctx.doc_owner if k[0] == head])
        if isinstance(owner_key, tuple):
            key = owner_key
            owner = ctx.doc_owner[key]
            modifier = key[1]
    prefix = english_demonym(owner) + " " if owner is not None else ""
    named = _named_repeat(ctx, head, modifier) if owner is None else None
    if named is not None:  # "the treaty" after (or before) "le traité d'Aix-la-Chapelle"
        ref = EntityRef(doc[s:end].text, named, EntityType.DOCUMENT, None, "document:name-repeat")
        return Mention(s, end, ref, KIND_CONF["document"] * 0.9, "document")
    name = _synonym(ctx, key, owner)
    if name is None and owner is None:
        described = _described(sent, s, end, head, ctx, bare=not modifier)
        if described is not None:
            name, s, end = described
            ctx.described_keys.setdefault(name, key)
            ref = EntityRef(doc[s:end].text, name, EntityType.DOCUMENT, None, "document:described")
            return Mention(s, end, ref, KIND_CONF["document"] * 0.8, "document")
    if name is None and owner is None and not modifier:  # a bare "the agreements": named as written
        text = " ".join(t.text for t in doc[s:end] if t.pos_ != "DET")
        name = text[:1].upper() + text[1:] if text else head
    name = name or f"{prefix}{modifier + ' ' if modifier else ''}{head}"
    ctx.docs[key] = name
    conf = 1.0 if owner is not None else 0.8 if modifier else 0.55
    ref = EntityRef(doc[s:end].text, name, EntityType.DOCUMENT, None, "document:named")
    return Mention(s, end, ref, KIND_CONF["document"] * conf, "document")


_PHRASE_DEPS = frozenset({"nmod", "amod", "case", "det", "flat", "fixed", "compound", "nummod", "conj", "cc",
                          "prep", "pobj", "poss", "npadvmod", "obl"})
_PARTY_WORDS = frozenset("avec with entre between par by among parmi".split())  # the parties, not the topic
_STOP_DEPS = frozenset({"acl", "relcl", "appos", "parataxis", "advcl", "ccomp", "xcomp"})
_LEFT_DEPS = frozenset({"amod", "compound", "nmod"})
_MAX_PHRASE = 14


def _continues(sent: Span, j: int, inside: set[int]) -> bool:
    """After a comma, the phrase goes on with another member of a list it holds ("de la défense,
    de l'énergie et de la formation")."""
    doc = sent.doc
    while j < sent.end and doc[j].dep_ in {"case", "det"}:
        j += 1
    return j < sent.end and doc[j].dep_ in {"conj", "nmod"} and doc[j].head.i in inside


def _described(sent: Span, s: int, e: int, head: str, ctx: ArticleContext, bare: bool = True) -> tuple[str, int, int] | None:
    """A document no owner or proper name identifies, named by what the article says of it: the
    noun phrase around its head ("mémorandum d'entente sur la coopération agricole", "the new
    defence cooperation agreement", "resolution on Ukrainian nuclear facilities"). A description
    whose words all appear in an earlier one of the same head is that document again ("l'accord
    de financement" after "un accord de financement portant sur ..."). A bare repeat
    ("l'accord", ``bare``) takes the article's last description of that head and number
    (singular or plural); ``None`` when there is none."""
    doc = sent.doc
    left, right = s, e
    while left - 1 >= sent.start and doc[left - 1].dep_.split(":")[0] in _LEFT_DEPS \
            and doc[left - 1].pos_ in {"ADJ", "NOUN", "PROPN"} and s <= doc[left - 1].head.i < e + 1:
        left -= 1
    heads = [t for t in doc[s:e] if not s <= t.head.i < e] or [doc[e - 1]]
    for child in sorted((c for h in heads for c in h.children if c.i >= e), key=lambda c: c.i):
        dep = child.dep_.split(":")[0]
        if child.is_punct and child.text == "," and _continues(sent, child.i + 1, set(range(left, right))):
            continue
        if dep not in _PHRASE_DEPS or child.left_edge.i > right or child.pos_ in {"VERB", "AUX"}:
            break
        stop = _phrase_stop(sent, child.left_edge.i, child.right_edge.i + 1)
        right = max(right, stop)
        if stop <= child.right_edge.i or right - left >= _MAX_PHRASE:
            break
    right = min(_topic(sent, right, ctx.lang), left + _MAX_PHRASE)
    while right > e and (doc[right - 1].is_punct or doc[right - 1].pos_ in {"ADP", "DET", "CCONJ"}):
        right -= 1
    plural = any(t.morph.get("Number", []) == ["Plur"] for t in heads)
    known = ctx.descriptions.setdefault(head, [])
    if right > e or left < s or not bare:
        words = _content_words(doc[left:right])
        name = next((n for n, w, _ in reversed(known) if words <= w), None)
        if name is None:
            text = doc[left:right].text
            name = text[:1].upper() + text[1:]
            known.append((name, words, plural))
        ctx.described_docs[head] = name
        return name, left, right
    repeat = next((n for n, _, pl in reversed(known) if pl == plural), None)
    return (repeat, s, e) if repeat is not None else None


def _content_words(span: Span) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in span if t.pos_ in {"NOUN", "PROPN", "ADJ", "NUM", "X"})


_TOPIC = {"fr": (("sur",), ("relatif", "à"), ("relative", "à"), ("relatifs", "à"), ("relatives", "à"), ("relatif", "au"),
                  ("relative", "au"), ("relatif", "aux"), ("portant", "sur"), ("concernant",), ("visant",), ("pour",),
                  ("en", "matière", "de"), ("en", "matière", "d'")),
          "en": (("on",), ("concerning",), ("regarding",), ("for",), ("relating", "to"), ("related", "to"))}
_TOPIC_OK = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP", "CCONJ", "PART", "X"})
_TOPIC_ADP = frozenset("de d' du des à au aux en of in to the a an from between".split()) - _PARTY_WORDS


def _topic(sent: Span, right: int, lang: str) -> int:
    """The end of a document's description once the topic that follows its head is taken in,
    read along the words rather than the tree (parsers often hang "sur ..." / "on ..." on the
    verb): "un accord intergouvernemental | sur l'usage pacifique de l'énergie nucléaire", "a
    memorandum | on technical cooperation in agriculture". It stops at a verb, a clause, a
    date, the parties ("with", "entre"), and before another document of a list ("... and a
    letter of intent")."""
    doc = sent.doc
    low = [t.lower_ for t in doc[right:min(sent.end, right + 3)]]
    lead = next((w for w in _TOPIC.get(lang, ()) if tuple(low[:len(w)]) == w), None)
    if lead is None:
        return right
    j, end = right + len(lead), right
    heads = _heads(sent, lexicon_of(lang))
    while j < sent.end and j - right <= 12:
        tok = doc[j]
        if tok.pos_ not in _TOPIC_OK and not (tok.text in {"-", "'"}) or tok.ent_type_ in {"DATE", "TIME"} \
                or tok.lower_ in _PARTY_WORDS or tok.pos_ == "ADP" and tok.lower_ not in _TOPIC_ADP:
            break
        if tok.pos_ == "CCONJ" and any(k in heads for k in range(j + 1, min(sent.end, j + 4))):
            break  # "... and a letter of intent on air services": the next document of a list
        j += 1
        if tok.pos_ in {"NOUN", "PROPN", "NUM", "ADJ", "X"}:
            end = j
    return end


def lexicon_of(lang: str) -> Lexicon:
    from .lexicon import lexicon

    return lexicon(lang)


def _phrase_stop(sent: Span, start: int, end: int) -> int:
    """Where a complement of a document's head stops being its description: before a verb, a
    relative or participial clause, or the preposition that introduces the parties."""
    doc = sent.doc
    for i in range(start, end):
        tok = doc[i]
        if tok.pos_ in {"VERB", "AUX"} or tok.dep_.split(":")[0] in _STOP_DEPS or tok.lower_ in _PARTY_WORDS \
                or tok.text in {";", ":", "(", "—", "–", "\u00ab", "\u00bb", '"', "\u201c", "\u201d"} \
                or tok.ent_type_ in {"DATE", "TIME"}:
            return i
    return end


_SYNONYM_HEADS = frozenset({"Plan", "Initiative", "Proposal"})


def _synonym(ctx: ArticleContext, key: tuple[str, str], owner: EntityRef | None) -> str | None:
    """One proposal named two ways in an article ("plan d'autonomie" and "Initiative d'Autonomie"
    of the same owner) keeps the name it got first: same owner, same modifier, synonymous head.

    >>> from graphkg.model import EntityRef
    >>> ma = EntityRef("Maroc", "Morocco", EntityType.COUNTRY, "wd:Q1028", "name")
    >>> ctx = ArticleContext("fr")
    >>> ctx.docs[("Plan", "Autonomy")] = "Moroccan Autonomy Plan"
    >>> ctx.doc_owner[("Plan", "Autonomy")] = ma
    >>> _synonym(ctx, ("Initiative", "Autonomy"), ma)
    'Moroccan Autonomy Plan'
    >>> _synonym(ctx, ("Treaty", "Autonomy"), ma) is None
    True
    """
    head, modifier = key
    if owner is None or head not in _SYNONYM_HEADS:
        return None
    for h, mod in ctx.docs:  # insertion order: the first-named head wins
        other = ctx.doc_owner.get((h, mod))
        if h in _SYNONYM_HEADS and mod == modifier and other is not None \
                and (other.id or other.label) == (owner.id or owner.label):
            return f"{english_demonym(owner)} {mod + ' ' if mod else ''}{h}"
    return None


def register_owner(ctx: ArticleContext, doc_name: str, owner: EntityRef) -> None:
    """Remember that the document named ``doc_name`` belongs to (was proposed by) ``owner``."""
    if owner.type != EntityType.COUNTRY:
        return
    for key, name in list(ctx.docs.items()):
        if name == doc_name:
            ctx.doc_owner.setdefault(key, owner)
    described = ctx.described_keys.get(doc_name)  # named by its description until its owner is known
    if described is not None:
        ctx.doc_owner.setdefault(described, owner)


_OF = frozenset("of de du d' des".split())
_OF_DET = frozenset("the la l' le".split())
_STATE_KINDS = frozenset({"name", "official", "alias", "acronym"})


def _owner(sent: Span, s: int, e: int, mentions: list[Mention]) -> tuple[EntityRef | None, int, int]:
    """The state a document belongs to and the widened span: an adjacent demonym ("le plan
    d'autonomie *marocain*", "the *Moroccan* plan"), a possessive ("*Morocco's* autonomy plan")
    or an "of" complement ("the autonomy plan *of Morocco*", "le plan d'autonomie *du Maroc*");
    the last two are taken into the document's span so the state is not read as an argument."""
    doc = sent.doc
    for m in mentions:
        if m.kind == "demonym" and (m.end == s or m.start == e or m.start == e + 1 and doc[e].is_punct is False):
            return m.ref, s, e
    for m in mentions:
        if m.type != EntityType.COUNTRY or m.kind not in _STATE_KINDS or m.locative:
            continue
        if m.end == s - 1 and doc[s - 1].lower_ in {"'s", "'"}:
            return m.ref, m.start, e
        if m.end == s and doc[s - 1].lower_.endswith("'s"):
            return m.ref, m.start, e
        if e < sent.end and doc[e].lower_ in _OF and (
                m.start == e + 1 or m.start == e + 2 and doc[e + 1].lower_ in _OF_DET):
            return m.ref, s, m.end
    return None, s, e


_NAMED_HEADS = frozenset({"Treaty", "Agreement", "Accord", "Accords", "Pact", "Convention", "Protocol",
                          "Charter", "Memorandum", "Declaration", "Joint Declaration", "Roadmap", "Deal"})


def _proper_name(sent: Span, s: int, e: int, end: int, head: str, lex: Lexicon,
                 mentions: list[Mention]) -> tuple[str, int, int] | None:
    """A document named after a place or a proper name: "traité d'Aix-la-Chapelle",
    "accord de Lima", "the Treaty of Lisbon", "the Aachen Treaty" -> (name, start, end).
    States and organisations are owners, not names; modifiers ("coopération") are not names."""
    if head not in _NAMED_HEADS:
        return None
    doc = sent.doc
    blocked = {i for m in mentions if m.type == EntityType.ORGANIZATION or m.kind == "demonym"
               or m.type == EntityType.COUNTRY and m.kind in _STATE_KINDS for i in range(m.start, m.end)}

    def name_at(i: int, step: int) -> tuple[int, int] | None:
        """Up to three capitalised tokens from ``i`` walking by ``step``, as a [start, end) span."""
        j = i
        while sent.start <= j < sent.end and abs(j - i) < 3 and doc[j].text[:1].isupper() and j not in blocked \
                and doc[j].lower_ not in lex.doc_modifiers and doc[j].pos_ not in _FUNCTION_POS:
            j += step
        if step > 0:
            return (i, j) if j > i else None
        if j < i and not (j + 1 == sent.start and doc[j + 1].pos_ != "PROPN"):
            return j + 1, i + 1
        return None

    for stop in dict.fromkeys((e, end)):
        if stop + 1 < sent.end and doc[stop].lower_ in _OF and not doc[stop].text[:1].isupper():
            span = name_at(stop + 1, +1)
            if span is not None:
                return _canonical(doc[span[0]:span[1]].text, head), s, span[1]
    if lex.lang == "en" and s > sent.start:
        span = name_at(s - 1, -1)
        if span is not None:
            return _canonical(doc[span[0]:span[1]].text, head), span[0], end
    return None


_FUNCTION_POS = frozenset({"DET", "ADP", "PUNCT", "CCONJ", "SCONJ", "AUX", "VERB", "NUM", "PART", "SYM"})


def _canonical(name: str, head: str) -> str:
    """ "Treaty of X" for treaties, "X <Head>" for the other named documents."""
    return f"Treaty of {name}" if head == "Treaty" else f"{name} {head}"


def _register_named(sent: Span, proper: tuple[str, int, int], head: str, modifier: str,
                    ctx: ArticleContext) -> Mention:
    name, s, end = proper
    known = ctx.named_docs.setdefault(head, {})
    known.setdefault(name, modifier)
    ctx.last_named[head] = name
    ref = EntityRef(sent.doc[s:end].text, name, EntityType.DOCUMENT, None, "document:proper-name")
    return Mention(s, end, ref, KIND_CONF["document"], "document")


def _named_repeat(ctx: ArticleContext, head: str, modifier: str) -> str | None:
    """A bare or modifier-only mention ("the treaty", "traité de coopération") of a head the
    article also names properly: the last such name seen, else the first one of the article."""
    known = ctx.named_docs.get(head)
    if not known:
        return None
    last = ctx.last_named.get(head)
    if last is not None and (not modifier or known.get(last) == modifier):
        return last
    fits = [n for n, mod in known.items() if not modifier or mod == modifier]
    return fits[0] if fits else None


def _number(sent: Span, e: int, mentions: list[Mention]) -> tuple[str, int]:
    doc = sent.doc
    inside = {i for m in mentions if m.type == EntityType.ORGANIZATION for i in range(m.start, m.end)}
    j = e
    while j < min(sent.end, e + 12):
        tok = doc[j]
        if j in inside:
            j += 1
            continue
        if _NUM.match(tok.text):
            end = j + 1
            if end + 2 < sent.end and doc[end].text == "(" and doc[end + 2].text == ")":
                end += 3
            return tok.text, end
        if tok.lower_ not in _SKIP and not tok.text[:1].isupper():
            break
        j += 1
    return "", e


def _issuer(sent: Span, s: int, end: int, mentions: list[Mention]) -> str | None:
    for m in mentions:
        if m.type == EntityType.ORGANIZATION and (s <= m.start < end or m.end == s or m.end == s - 1):
            return m.ref.label
    return None


def _default_issuer(ctx: ArticleContext) -> str | None:
    if _UNSC in ctx.org_labels:
        return _UNSC
    if _UNGA in ctx.org_labels:
        return _UNGA
    return None


def _only(values: object) -> object:
    vals = list(dict.fromkeys(values))  # type: ignore[call-overload]
    return vals[0] if len(vals) == 1 else None
