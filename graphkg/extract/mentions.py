"""Entity mentions in one sentence: gazetteer spans, persons, anaphora and pronouns.

Office holders and documents have their own modules (:mod:`.roles`, :mod:`.documents`);
this module finds the plain mentions and resolves in-article references ("the country",
"the Council", "ce dernier", "he") against the article history.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from graphkg.errors import ResolutionError
from graphkg.resolve.gazetteer import default_gazetteer
from graphkg.model import EntityRef
from graphkg.vocab import EntityType, actor_types

from .context import ArticleContext, Mention
from .lexicon import Lexicon
from .tokens import sent_ents, sent_text, sentence_memo, view

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["gazetteer_mentions", "person_mentions", "unknown_organizations", "anaphora_mentions", "pronoun_mentions", "document_pronouns", "KIND_CONF", "ref_of"]

KIND_CONF = {"name": 1.0, "official": 1.0, "acronym": 0.95, "alias": 0.95, "demonym": 0.85,
             "capital": 0.8, "metonym": 0.8, "person": 0.95, "surname": 0.9, "role": 0.85,
             "pronoun": 0.7, "anaphora": 0.75, "speaker": 0.85, "latest": 0.8, "document": 0.85}
_LOCATIVE = frozenset("in à at en dans near from to vers depuis".split())
_PERSON_LABELS = frozenset({"PER", "PERSON"})
_TITLES = frozenset("mr mr. mrs mrs. ms ms. m. mme mme. dr dr. sir lord sheikh cheikh son sa excellence his her "
                    "excellency maréchal marechal général general colonel capitaine captain commandant prince "
                    "princesse princess roi king reine queen émir emir shri honourable hon. dame".split())
_PARTICLES = frozenset("de du la le van von der den al bin ben el ibn da das do dos di del della e y ter ten".split())
_DETS = frozenset("the le la l' les ce cet cette this that these those".split())


def ref_of(entry: Any, surface: str) -> EntityRef:
    """EntityRef of a gazetteer entry found as ``surface``."""
    ent = entry.entity
    return EntityRef(text=surface, label=ent.label, type=ent.type, id=ent.id, how=f"gazetteer:{entry.kind}")


def gazetteer_mentions(sent: Span, gazetteer: Any) -> list[Mention]:
    """Longest-match gazetteer spans of ``sent`` mapped onto its tokens."""
    out: list[Mention] = []
    doc = sent.doc
    text = sent_text(sent)
    for s, e, entry in gazetteer.find_all(text):
        span = doc.char_span(sent.start_char + s, sent.start_char + e, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        kind = entry.kind
        if all(t.is_stop for t in span) and not span.text.isupper():
            continue  # "Un soutien" is not the UN
        if kind == "demonym" and entry.entity.type != EntityType.COUNTRY:
            continue
        prev = doc[span.start - 1].lower_ if span.start > sent.start else ""
        # A capital after a locative preposition is a place, not the government it can stand for.
        locative = kind == "capital" and prev in _LOCATIVE
        # "SEOUL, Aug 19 -", "BRUXELLES (AFP) —": a dateline names where the story was filed.
        locative = locative or (span.start == sent.start and span.text.isupper() and len(span.text) > 3
                                and span.end < sent.end and doc[span.end].text in {",", "(", "-", "\u2014", "\u2013"})
        surface = text[s:e]
        out.append(Mention(span.start, span.end, ref_of(entry, surface), KIND_CONF.get(kind, 0.8), kind, locative))
    return out


_HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _clean_person(doc: Doc, start: int, end: int, sent_end: int, lex: Lexicon) -> tuple[int, int] | None:
    """Trim titles, role words and punctuation off the entity ``[start, end)`` of a sentence
    ending at ``sent_end``; extend it over directly following capitalised words."""
    role_words = {w for words, _ in lex.roles for w in words}
    v = view(doc)
    low, txt = v.lower, v.text
    while start < end and (low[start] in _TITLES or low[start] in role_words
                           or low[start] in _DETS or not txt[start][:1].isalpha()):
        start += 1
    while end > start and (low[end - 1] in {"'s", "'", "s"} or not txt[end - 1][:1].isalnum()):
        end -= 1
    if start >= end:
        return None
    if start >= 3 and txt[start - 3][:1].isupper() and _joins(doc, start - 2, start) and doc[start - 1].is_alpha:
        start -= 3  # the NER kept only "Kim" of "Min-ji Kim"
    # NER often stops one word short on compound names ("Karim Ben | Ali"): extend over
    # directly following capitalised words.
    while end < sent_end and end - start < 5:
        if txt[end][:1].isupper() and doc[end].is_alpha and low[end] not in role_words \
                and doc[end].ent_type_ in {"", "PER", "PERSON", "MISC", "GPE", "LOC", "ORG"} and doc[end].pos_ == "PROPN":
            end += 1
        elif low[end] in _PARTICLES and end + 1 < sent_end and txt[end + 1][:1].isupper() \
                and doc[end + 1].pos_ == "PROPN" and end - start >= 1:  # "Ursula von der Leyen"
            end += 1
        elif _joins(doc, end, sent_end) and txt[end + 1][:1].isupper():  # "Asante | -Mensah"
            end += 2
        else:
            break
    words = txt[start:end]
    if not words[0][:1].isupper() or not (words[-1][:1].isupper() or end - start >= 3 and _joins(doc, end - 2, end)):
        return None  # "Park Seung-hoon": a lower-case last part after a hyphen is still a name
    if any(not w[:1].isupper() and w.lower() not in _PARTICLES and not _joins(doc, k, end)
           and not (k > start + 1 and _joins(doc, k - 1, end) and w.isalpha())  # "Min-ji"
           for k, w in zip(range(start, end), words, strict=False)):
        return None
    return start, end


def _joins(doc: Doc, k: int, end: int) -> bool:
    """Token ``k`` is a hyphen glued between two words of a name ("Asante-Mensah", "Jean-Yves")."""
    return doc[k].text in _HYPHENS and 0 < k < end - 1 and not doc[k - 1].whitespace_ and not doc[k].whitespace_


def person_mentions(sent: Span, lex: Lexicon, ctx: ArticleContext, taken: set[int]) -> list[Mention]:
    """Persons from NER (PER/PERSON), names next to an office title whatever label the NER gave
    them ("La ministre philippine des Affaires étrangères, Theresa Lazaro"), plus known surnames,
    resolved to the article's full names."""
    out: list[Mention] = []
    seen: set[int] = set()
    for start, end, label, text in [*sent_ents(sent), *_titled_runs(sent, lex)]:
        if label not in _PERSON_LABELS and not _known(text, ctx) and not (
                label in _NAME_LABELS and end - start >= 2 and _titled(sent, start, end, lex)):
            continue
        span = _clean_person(sent.doc, start, end, sent.end, lex)
        if span is None or any(i in taken or i in seen for i in range(*span)):
            continue
        text = sent.doc[span[0]:span[1]].text
        ctx.add_full_name(text)
        out.append(_person(span, text, ctx))
        seen.update(range(*span))
    if not ctx.surnames:
        return out
    v = view(sent.doc)
    for i in range(sent.start, sent.end):  # surnames the NER missed in this sentence
        if i in seen or i in taken or not v.text[i][:1].isupper():
            continue
        if i + 2 < sent.end and _joins(sent.doc, i + 1, sent.end) and i + 2 not in taken \
                and f"{v.lower[i]}-{v.lower[i + 2]}" in ctx.surnames:  # a hyphenated surname
            out.append(_person((i, i + 3), sent.doc[i:i + 3].text, ctx))
            seen.update(range(i, i + 3))
        elif v.lower[i] in ctx.surnames and v.pos[i] in {"PROPN", "NOUN", "X"}:
            out.append(_person((i, i + 1), v.text[i], ctx))
    return out


_NAME_LABELS = frozenset({"ORG", "MISC", "LOC", "GPE", "NORP", "TITLED", "FAC", "PRODUCT", "WORK_OF_ART"})
_HONORIFICS = frozenset("m. mme mme. mr mr. mrs mrs. ms ms. dr dr. sir lord sheikh cheikh shri dame "
                        "monsieur madame son excellence his her excellency honourable hon. hon".split())
_ROLE_GLUE = frozenset(", the le la l' son sa its his her".split())


@functools.cache
def _role_words(lang: str) -> frozenset[str]:
    """Words that end an office title in the lexicon ("ministre", "étrangères", "president", "envoy")."""
    from .lexicon import lexicon

    return frozenset(words[-1] for words, _ in lexicon(lang).roles)


def _titled(sent: Span, start: int, end: int, lex: Lexicon) -> bool:
    """A capitalised span right after an office title or an honorific, or right before
    ", <title>": a person, even when the NER labelled it otherwise."""
    v = view(sent.doc)
    low = v.lower
    roles = _role_words(lex.lang)
    j = start - 1
    while j >= sent.start and (low[j] in _HONORIFICS or low[j] == "," or v.pos[j] == "PUNCT"):
        if low[j] in _HONORIFICS:
            return True
        j -= 1
    if j >= sent.start and low[j] in roles:
        return True
    k = end
    while k < sent.end and k < end + 3 and (low[k] in _ROLE_GLUE or v.pos[k] == "DET"):
        k += 1
    return k > end and k < sent.end and low[end] == "," and (low[k] in roles or any(
        low[x] in roles for x in range(k, min(sent.end, k + 3))))


def _titled_runs(sent: Span, lex: Lexicon) -> list[tuple[int, int, str, str]]:
    """Runs of capitalised proper nouns right after an office title or an honorific (names the NER
    missed entirely), as ``(start, end, "TITLED", text)``."""
    v = view(sent.doc)
    roles = _role_words(lex.lang)
    out = []
    i = sent.start
    while i < sent.end:
        if v.lower[i] in roles or v.lower[i] in _HONORIFICS:
            j = i + 1
            while j < sent.end and v.text[j] == ",":
                j += 1
            k = j
            while k < sent.end and k - j < 5 and (v.text[k][:1].isupper() and v.pos[k] in {"PROPN", "X", "NOUN", "ADJ"}
                                                   or k > j and v.text[k] in {"-", "‑"}):
                k += 1
            if k - j >= 2:
                out.append((j, k, "TITLED", sent.doc[j:k].text))
            i = max(i + 1, k)
            continue
        i += 1
    return out


def _known(text: str, ctx: ArticleContext) -> bool:
    return text in ctx.persons or text.lower() in ctx.surnames


def _person(span: tuple[int, int], text: str, ctx: ArticleContext) -> Mention:
    label = ctx.full_name(text)
    ctx.person(label)
    kind = "person" if label == text else "surname"
    return Mention(span[0], span[1], EntityRef(text, label, EntityType.PERSON, None, kind), KIND_CONF[kind], kind)


def _anaphora_candidates(sent: Span, lex: Lexicon) -> tuple[tuple[int, str], ...]:
    """Tokens of ``sent`` that may start an anaphor, with the two-word lexicon entry they start
    ("" when none); cached per sentence (they depend on the parse only)."""
    return sentence_memo(sent, ("anaphora", lex.lang), lambda: _anaphora_candidates_of(sent, lex))


def _anaphora_candidates_of(sent: Span, lex: Lexicon) -> tuple[tuple[int, str], ...]:
    v = view(sent.doc)
    low, lemma, table = v.lower, v.lemma, lex.anaphora
    found = []
    two = "deux" if lex.lang == "fr" else "two"
    for i in range(sent.start, sent.end):
        word = low[i]
        n = _NUMBERS.get(word, 0)
        pair = ""
        if i + 1 < sent.end:
            pair = table.get(f"{word} {low[i + 1]}", "") or (table.get(f"{two} {low[i + 1]}", "") if n > 2 else "")
            if pair.startswith("pair:") and n > 2:
                pair = f"group{n}:{pair[5:]}"
        if pair or word in table or lemma[i] in table:  # else nothing applies
            found.append((i, pair))
    return tuple(found)


# "les trois pays", "the four leaders": a group of that many (deux/two/both are the lexicon's pairs)
_NUMBERS = {w: n for n, ws in {3: "trois three", 4: "quatre four", 5: "cinq five", 6: "six", 7: "sept seven",
                               8: "huit eight", 9: "neuf nine", 10: "dix ten"}.items() for w in ws.split()}


def anaphora_mentions(sent: Span, lex: Lexicon, ctx: ArticleContext, taken: set[int],
                      mentions: list[Mention]) -> list[Mention]:
    """Definite descriptions, "ce dernier"/"the latter", speakers and subject pronouns."""
    out: list[Mention] = []
    doc = sent.doc
    v = view(doc)
    low = v.lower
    by_start = {m.start: m for m in mentions}
    for i, pair in _anaphora_candidates(sent, lex):
        if i in taken:
            continue
        word = low[i]
        tok = doc[i]
        if pair.startswith("pair:"):
            out.extend(_pair(tok, pair[5:], ctx, mentions + out))
            continue
        if pair.startswith("group"):
            size, _, group = pair[5:].partition(":")
            out.extend(_pair(tok, group, ctx, mentions + out, int(size)))
            continue
        if pair:
            target = ctx.latest(actor_types(), "") if not out else None
            prior = [m for m in mentions + out if m.end <= tok.i and m.type in actor_types()]
            ref = max(prior, key=lambda m: m.end) if prior else target
            if ref is not None:
                out.append(Mention(tok.i, tok.i + 2, _retext(ref.ref, tok, 2, "latest"), KIND_CONF["latest"], "latest"))
            continue
        what = lex.anaphora.get(word) or lex.anaphora.get(v.lemma[i])
        prev = low[i - 1] if i > sent.start else ""
        if what == "speaker":
            nxt = _of_mention(tok, by_start)
            if nxt is not None and nxt.type in actor_types() - {EntityType.PERSON}:
                out.append(Mention(tok.i, nxt.end, _retext(nxt.ref, tok, nxt.end - tok.i, "speaker"),
                                   KIND_CONF["speaker"], "speaker"))
                taken.update(range(nxt.start, nxt.end))
            continue
        if what and what.startswith("Country:") and not _followed_by_of(tok) and (
                prev in _DETS or prev in _CONTRACTED) and not _title_of_office(tok, lex):
            verb = next((a.i for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), -1)
            before = [m for m in mentions + out if m.end <= tok.i and not any(  # not its own clause's subject
                t.dep_.startswith("nsubj") and t.head.i == verb for t in doc[m.start:m.end])]
            ref = _latest_of_form(what[8:], before, ctx)
            if ref is not None:
                out.append(Mention(tok.i, tok.i + 1, _retext(ref.ref, tok, 1, "anaphora"), KIND_CONF["anaphora"], "anaphora"))
            continue
        if what in {"Country", "Organization"} and prev in _DETS and not _followed_by_of(tok):
            if what == "Country" and tok.text[:1].isupper() and lex.lang == "en":
                continue
            t = EntityType.COUNTRY if what == "Country" else EntityType.ORGANIZATION
            generic = word in {"organisation", "organization", "alliance", "bloc", "pays", "country", "nation"}
            ref = ctx.latest(frozenset({t}), "" if generic else word)
            if ref is not None:
                out.append(Mention(tok.i, tok.i + 1, _retext(ref.ref, tok, 1, "anaphora"), KIND_CONF["anaphora"], "anaphora"))
    return out


_CONTRACTED = frozenset({"du", "au", "of"})


@functools.cache
def preferred_form(entity_id: str | None, kind: str) -> str:
    """The gazetteer's preferred English form of one kind ("official", "demonym") for an entity.

    >>> preferred_form("wd:Q1028", "official"), preferred_form("wd:Q1028", "demonym")
    ('Kingdom of Morocco', 'Moroccan')
    >>> preferred_form("person/x", "official")
    ''
    """
    if not entity_id:
        return ""
    try:
        forms = default_gazetteer().forms(entity_id, kind, "en")
    except ResolutionError:
        return ""
    return forms[0] if forms else ""


def _latest_of_form(form: str, before: list[Mention], ctx: ArticleContext) -> Mention | None:
    """"le Royaume", "the Republic": the last country (earlier in the sentence, then in the
    article) whose official name carries ``form`` ("Kingdom of Morocco", "Republic of Senegal")."""
    pool = list(reversed(before)) + list(reversed(ctx.history))
    for m in pool:
        if m.type == EntityType.COUNTRY and m.kind not in {"pronoun", "latest", "group"} \
                and form.lower() in preferred_form(m.ref.id, "official").lower().split():
            return m
    return None


def _title_of_office(tok: Any, lex: Lexicon) -> bool:
    """"le président de la République", "the President of the Republic": the office's own state,
    not an anaphora of the last republic named."""
    doc = tok.doc
    role_words = {words[-1] for words, _ in lex.roles}
    for i in range(max(tok.sent.start, tok.i - 3), tok.i):
        if doc[i].lower_ in role_words and all(doc[k].lower_ in {"de", "la", "of", "the", "du"} for k in range(i + 1, tok.i)):
            return True
    return False


_PAIR_TYPES = {"Country": frozenset({EntityType.COUNTRY}), "Person": frozenset({EntityType.PERSON}),
               "Actor": frozenset({EntityType.COUNTRY, EntityType.ORGANIZATION})}


def _pair(tok: Any, what: str, ctx: ArticleContext, mentions: list[Mention], n: int = 2) -> list[Mention]:
    """"les deux pays", "the two leaders", "both sides", "les trois ministres": the last ``n``
    distinct entities of the type (in this sentence first, then in the article so far), one mention
    each over the same tokens."""
    types = _PAIR_TYPES.get(what, frozenset({EntityType.COUNTRY}))
    seen: dict[str, Mention] = {}
    pool = list(reversed([m for m in mentions if m.end <= tok.i and m.type in types]))
    pool += [m for m in reversed(ctx.history) if m.type in types and m.kind not in {"pronoun", "group"}]
    for m in pool:
        seen.setdefault(m.ref.id or m.ref.label, m)
        if len(seen) == n:
            break
    if len(seen) < n:
        return []
    return [Mention(tok.i, tok.i + 2, _retext(m.ref, tok, 2, "group"), KIND_CONF["anaphora"], "group")
            for m in seen.values()]


def pronoun_mentions(sent: Span, ctx: ArticleContext, taken: set[int]) -> list[Mention]:
    """Singular personal subject pronouns resolved to the last person (or speaker) subject."""
    out: list[Mention] = []
    if ctx.last_subject is None:
        return out
    v = view(sent.doc)
    for i in range(sent.start, sent.end):
        if i in taken or v.lower[i] not in {"il", "elle", "he", "she"}:
            continue
        tok = sent.doc[i]
        if not tok.dep_.startswith("nsubj"):
            continue
        ref = ctx.last_subject.ref
        out.append(Mention(tok.i, tok.i + 1, _retext(ref, tok, 1, "pronoun"), KIND_CONF["pronoun"], "pronoun"))
    return out


def document_pronouns(sent: Span, ctx: ArticleContext, docs: list[Mention]) -> list[Mention]:
    """"voted against it": an object "it" refers to the document just mentioned (earlier in the
    sentence or among the last few mentions of the article)."""
    out: list[Mention] = []
    v = view(sent.doc)
    for i in range(sent.start, sent.end):
        if v.lower[i] != "it":
            continue
        tok = sent.doc[i]
        if tok.dep_ not in {"pobj", "dobj"}:
            continue
        before = [m for m in docs if m.end <= tok.i]
        recent = [m for m in ctx.history[-12:] if m.type == EntityType.DOCUMENT and m.kind != "pronoun"]
        target = before[-1] if before else recent[-1] if recent else None
        if target is not None:
            out.append(Mention(tok.i, tok.i + 1, _retext(target.ref, tok, 1, "pronoun"), KIND_CONF["pronoun"],
                               "pronoun"))
    return out


def _retext(ref: EntityRef, tok: Any, n: int, how: str) -> EntityRef:
    text = tok.doc[tok.i:tok.i + n].text
    return EntityRef(text=text, label=ref.label, type=ref.type, id=ref.id, how=f"{how}:{ref.how}")


def _of_mention(tok: Any, by_start: dict[int, Mention]) -> Mention | None:
    doc = tok.doc
    i = tok.i + 1
    while i < min(len(doc), tok.i + 4) and doc[i].lower_ in {"of", "for", "de", "du", "d'", "des", "the", "la", "le", "l'"}:
        i += 1
    if i > tok.i + 1:
        return by_start.get(i)
    return None


def _followed_by_of(tok: Any) -> bool:
    doc = tok.doc
    return tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in {"of", "de", "du", "d'", "des"}


_ORG_LABELS = frozenset({"ORG", "ORGANIZATION"})
_STATE_WORDS = frozenset("ministère ministry gouvernement government présidence presidency cabinet kremlin "
                         "département department administration".split())
_ACRONYM = frozenset(ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-")


@functools.cache
def _media(lang: str) -> frozenset[str]:
    """News agencies and outlets (``ontology/lexicon/media.tsv``): sources, not actors."""
    from graphkg.vocab import data_path

    path = data_path("lexicon/media.tsv")
    return frozenset(line.split("\t")[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines()[1:]
                     if line.strip())


def unknown_organizations(sent: Span, lex: Lexicon, ctx: ArticleContext, mentions: list[Mention]) -> list[Mention]:
    """Organisations the gazetteer does not know, from the NER (armed groups, parties, agencies):
    "Forces de soutien rapide (FSR)" names one with its acronym, and a later "FSR" is the same.
    Ministries and governments are the state, not an organisation; media are sources."""
    doc = sent.doc
    v = view(doc)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    roles = _role_words(lex.lang)
    media = _media(lex.lang)
    out: list[Mention] = []
    for start, end, label, _ in sent_ents(sent):
        if label not in _ORG_LABELS:
            continue
        while start < end and (v.lower[start] in _DETS or not v.text[start][:1].isalnum()):
            start += 1
        while end > start and not v.text[end - 1][:1].isalnum():
            end -= 1
        if start >= end or end - start > 8 or any(i in taken for i in range(start, end)):
            continue
        text = doc[start:end].text
        if end - start == 1 and not (len(text) >= 2 and set(text) <= _ACRONYM):
            continue  # one capitalised word that is no acronym: a demonym or a name, seldom a body
        words = {v.lower[i] for i in range(start, end)}
        if not text[:1].isupper() or words & roles or words & _STATE_WORDS or text.lower() in media:
            continue
        name = ctx.org_acronyms.get(text, text)
        if end + 2 < sent.end and v.text[end] == "(" and v.text[end + 2] == ")" and set(v.text[end + 1]) <= _ACRONYM:
            ctx.org_acronyms.setdefault(v.text[end + 1], name)
            end_span = end + 3
        else:
            end_span = end
        out.append(Mention(start, end_span, EntityRef(text, name, EntityType.ORGANIZATION, None, "ner:organization"),
                           0.6, "ner"))
        taken.update(range(start, end_span))
    for i in range(sent.start, sent.end):  # acronyms the article spelled out before
        if i not in taken and v.text[i] in ctx.org_acronyms:
            name = ctx.org_acronyms[v.text[i]]
            out.append(Mention(i, i + 1, EntityRef(v.text[i], name, EntityType.ORGANIZATION, None, "ner:acronym"),
                               0.6, "ner"))
    return out
