"""RuleExtractor: Article -> Candidate triples over the ontology's predicates (FR/EN).

The article is parsed paragraph by paragraph and walked twice: the first walk learns
names, roles, document names and owners; the second emits candidates. Each candidate keeps
its evidence sentence with offsets into ``article.text``, the cue and the rule name.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from graphkg.model import Article, Candidate, EntityRef
from graphkg.vocab import EntityType, Predicate, actor_types, symmetric_predicates

from .budget import check as check_budget
from .budget import paused
from .context import ArticleContext, Mention
from .cues import find_cues
from .documents import document_mentions, register_owner
from .filters import hedge_reason
from .lexicon import Lexicon, lexicon
from .mentions import (anaphora_mentions, document_pronouns, gazetteer_mentions, person_mentions,
                       pronoun_mentions)
from .nlp import detect_language, load_nlp, parse_paragraphs
from .roles import attach_roles, find_roles, role_mentions
from .sentence import SentenceRules, broad_areas
from .tokens import sent_ents, sent_text, sentence_memo

if TYPE_CHECKING:
    from spacy.tokens import Span

    from graphkg.resolve.gazetteer import Gazetteer

__all__ = ["RuleExtractor"]

_LEARN = frozenset({Predicate.PROPOSES})
_DATELINE = re.compile(r"^\s*([A-ZÀ-Ý][A-ZÀ-Ý .'\-]{2,40})\s*(?:\([^)]{1,30}\))?\s*[,:\u2014\u2013-]")


class RuleExtractor:
    """Dependency- and lexicon-driven relation extractor for French and English news."""

    name = "graphkg-rules"
    version = "0.1.0"

    def __init__(self, gazetteer: Gazetteer | None = None, fr_model: str = "fr_core_news_md",
                 en_model: str = "en_core_web_sm") -> None:
        if gazetteer is None:
            from graphkg.resolve.gazetteer import default_gazetteer

            gazetteer = default_gazetteer()
        self.gazetteer = gazetteer
        self.broad_areas = broad_areas(gazetteer)
        self.models = {"fr": fr_model, "en": en_model}

    @property
    def tag(self) -> str:
        return f"{self.name}/{self.version}"

    def prepare(self, article: Article) -> Article:
        """The article with its language set (detected from the text when the reader gave none).

        This is the one place an article's language is detected.
        """
        if article.lang is not None:
            return article
        return dataclasses.replace(article, lang=detect_language(article.text))

    def extract(self, article: Article) -> list[Candidate]:
        """Return the deduplicated candidates of ``article`` (empty for undetected languages)."""
        return _dedupe(self._walk(self.prepare(article)))

    def _walk(self, article: Article) -> list[Any]:
        """Parse the article and walk it twice (learn, then emit); what :meth:`_emit` returned."""
        lang = article.lang
        if lang not in self.models:
            return []
        with paused():  # loaded once per process, not the article's cost
            nlp = load_nlp(lang, self.models[lang])
            lex = lexicon(lang)
        docs = parse_paragraphs(nlp, article.text)
        ctx = ArticleContext(lang)
        ctx.dateline = self._dateline(article.text)
        sents = [(offset, sent) for offset, doc in docs for sent in doc.sents if sent_text(sent).strip()]
        ctx.sentence_count = len(sents)
        out: list[Any] = []
        for emit in (False, True):
            ctx.emit = emit
            ctx.history.clear()
            ctx.last_subject = None
            ctx.last_state_subject = None
            ctx.last_named.clear()
            ctx.previous = None
            out = []
            for index, (offset, sent) in enumerate(sents):
                check_budget()
                ctx.sentence_index = index
                out.extend(self._sentence(sent, offset, article, lex, ctx))
        return out

    def _dateline(self, text: str) -> EntityRef | None:
        m = _DATELINE.match(text.lstrip()[:80])
        if not m:
            return None
        place = m.group(1).strip().title()
        for entry in self.gazetteer.lookup(place):
            if entry.entity.type == EntityType.COUNTRY:
                return EntityRef(place, entry.entity.label, entry.entity.type, entry.entity.id, "dateline")
        return None

    def _mentions(self, sent: Span, lex: Lexicon, ctx: ArticleContext) -> tuple[list[Mention], set[int]]:
        # the gazetteer pass does not depend on what the article taught: once for both walks
        gaz = list(sentence_memo(sent, ("gazetteer", id(self.gazetteer)), lambda: [
            m for m in gazetteer_mentions(sent, self.gazetteer) if not _inside_person(m, sent)]))
        for m in gaz:
            if m.type == EntityType.ORGANIZATION:
                ctx.org_labels.add(m.ref.label)
        taken = {i for m in gaz for i in range(m.start, m.end)}
        persons = person_mentions(sent, lex, ctx, taken)
        taken |= {i for m in persons for i in range(m.start, m.end)}
        roles = find_roles(sent, lex, frozenset(i for m in gaz if m.kind == "demonym" for i in range(m.start, m.end)))
        used = attach_roles(sent, roles, persons, gaz, ctx, lex)
        rmentions, consumed = role_mentions(sent, roles, used, gaz, ctx)
        consumed |= {i for i in used if any(m.start <= i < m.end for m in gaz)}
        taken |= {i for m in rmentions for i in range(m.start, m.end)} | used
        base = [m for m in gaz if m.start not in consumed]
        ana = anaphora_mentions(sent, lex, ctx, taken, base)
        hidden = {i for m in ana if m.kind == "speaker" for i in range(m.start, m.end)}
        base = [m for m in base if m.start not in hidden]
        pron = pronoun_mentions(sent, ctx, taken)
        mentions = base + persons + rmentions + ana + pron
        docs = document_mentions(sent, lex, ctx, mentions)
        docs += document_pronouns(sent, ctx, docs)
        doc_tokens = {i for m in docs for i in range(m.start, m.end)}
        mentions = [m for m in mentions if m.start not in doc_tokens or m.type == EntityType.ORGANIZATION]
        return sorted(mentions + docs, key=lambda m: (m.start, -m.end)), consumed | used

    def _sentence(self, sent: Span, offset: int, article: Article, lex: Lexicon,
                  ctx: ArticleContext) -> list[Any]:
        mentions, blocked = self._mentions(sent, lex, ctx)
        start = offset + sent.start_char
        end = offset + sent.end_char
        evidence = article.text[start:end]
        rules = SentenceRules(sent, lex, ctx, mentions, self.tag, (evidence, start, end), self.broad_areas)
        blocked |= {i for m in mentions for i in range(m.start, m.end)}
        out = self._emit(sent, rules, blocked, lex, ctx) if ctx.emit else self._learn(sent, rules, blocked, lex, ctx)
        self._update_subject(sent, mentions, ctx)
        ctx.remember([m for m in mentions if m.type in actor_types() | {EntityType.DOCUMENT}])
        return out

    def _learn(self, sent: Span, rules: SentenceRules, blocked: set[int], lex: Lexicon,
               ctx: ArticleContext) -> list[Any]:
        """The first walk only learns who proposed which document (to name it)."""
        for hit in find_cues(sent, lex, blocked, _LEARN):
            if hit.predicate != Predicate.PROPOSES:
                continue
            cands = rules.apply(hit)  # apply is pure; the hedge check costs more, so it runs second
            if not cands or hedge_reason(sent.doc[hit.head], sent, lex) is not None:
                continue
            for cand in cands:
                self._register(cand, rules, ctx)
        return []

    def _emit(self, sent: Span, rules: SentenceRules, blocked: set[int], lex: Lexicon,
              ctx: ArticleContext) -> list[Any]:
        """The second walk's candidates of one sentence: the precise rules, hedged cues dropped."""
        out: list[Candidate] = rules.represents()
        for hit in find_cues(sent, lex, blocked, None):
            cands = rules.apply(hit)
            if not cands or hedge_reason(sent.doc[hit.head], sent, lex) is not None:
                continue
            for cand in cands:
                out.append(cand)
                self._register(cand, rules, ctx)
        out.extend(rules.votes())
        out.extend(rules.requests_by_modal())
        out.extend(rules.concerns())
        return out

    @staticmethod
    def _register(cand: Candidate, rules: SentenceRules, ctx: ArticleContext) -> None:
        if cand.predicate == Predicate.PROPOSES and cand.object.type == EntityType.DOCUMENT:
            owner = rules.owner_of(cand)
            if owner is not None:
                register_owner(ctx, cand.object.label, owner)

    @staticmethod
    def _update_subject(sent: Span, mentions: list[Mention], ctx: ArticleContext) -> None:
        ctx.previous = (sent, mentions)
        root = sent.root
        for child in root.children:
            if child.dep_.startswith("nsubj"):
                span = {t.i for t in child.subtree}
                state = [m for m in mentions if m.start in span and m.type in {EntityType.COUNTRY, EntityType.ORGANIZATION}]
                if state:
                    ctx.last_state_subject = state[0]
                for m in mentions:
                    if m.start <= child.i < m.end and (m.type == EntityType.PERSON or m.kind == "speaker"):
                        ctx.last_subject = m
                        return

    def explain(self, candidate: Candidate) -> str:
        """One line saying which rule and cue produced ``candidate`` and how its arguments resolved."""
        return (f"{candidate.subject.label} --{candidate.predicate.value}--> {candidate.object.label} "
                f"[rule {candidate.pattern}, cue {candidate.cue!r}, subject via {candidate.subject.how}, "
                f"object via {candidate.object.how}, confidence {candidate.confidence:.2f}]")


def _inside_person(m: Mention, sent: Span) -> bool:
    """A gazetteer hit that is only part of a person's name ("Golan" in "Yaron Golan")."""
    for start, end, label, text in sent_ents(sent):
        if label in {"PER", "PERSON"} and start <= m.start and m.end <= end \
                and end - start > m.end - m.start and text[:1].isupper() and "," not in text:
            return True
    return False


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    best: dict[tuple[str, str, str], Candidate] = {}
    for c in cands:
        s = c.subject.id or c.subject.label
        o = c.object.id or c.object.label
        if c.predicate in symmetric_predicates():
            s, o = sorted((s, o))
        key = (s, c.predicate.value, o)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return list(best.values())
