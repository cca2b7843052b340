"""The candidate generator: rules propose, generously, and a trained model decides.

:class:`CandidateGenerator` walks an article like the rule extractor (mentions, roles,
documents, anaphora, cues from ``ontology/lexicon/``) but keeps far more than the precise
rules would: for every cue, every pair of mentions around it whose types the ontology
allows (coordinated lists distributed, a person's act also lifted to the state the person
represents), every office holder against every state or organisation the article puts near
them, and everything the precise rules emit, hedged cues included. Each proposal carries its
feature record (:mod:`graphkg.extract.features`); deciding is the model's job.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphkg.model import Candidate, EntityRef
from graphkg.vocab import EntityType, Predicate, actor_types, check_relation, predicate_info, symmetric_predicates

from .context import ArticleContext, Mention
from .cues import CueHit, find_cues
from .dates import find_date
from .extractor import RuleExtractor
from .features import SentenceTree, bucket, cue_context, finish, hedge_features, lexical_features, pair_features
from .filters import hedge_reason
from .lexicon import Lexicon, cue_classes_of, lexicon
from .lists import LIST_PREDICATES, Spot, SpotIndex, find_runs, list_targets, run_features
from .mentions import gazetteer_mentions, unknown_organizations
from .tokens import sentence_memo, view
from .rules import range_only
from .sentence import SentenceRules

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["Proposal", "CandidateGenerator", "triple_key"]

_PERSON_LEVEL = frozenset({Predicate.MEETS, Predicate.VISITS})
_DATED = frozenset({Predicate.PROPOSES, Predicate.ADOPTS, Predicate.SIGNS, Predicate.MEMBER_OF,
                    Predicate.RECOGNIZES})
_NEAR_PATH = 6       # mentions at most this many dependency steps from the cue (lists collapsed)
_NEAR_TOKENS = 25   # ... or this many tokens away
_MAX_PAIRS = 80      # per cue
_HEADER_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")


@dataclass(slots=True)
class Proposal:
    """One candidate triple as one sentence proposes it, with its features."""

    subject: EntityRef
    predicate: Predicate
    object: EntityRef
    evidence: tuple[str, int, int]
    sentence: int
    feats: list[str]
    cue: str = ""
    pattern: str = ""
    props: tuple[tuple[str, str], ...] = ()
    date: str | None = None
    rule: bool = False
    probability: float = 0.0
    weights: list[tuple[str, float]] = field(default_factory=list)

    def key(self) -> tuple[str, str, str]:
        return triple_key(self.subject, self.predicate, self.object)

    def candidate(self, extractor: str, confidence: float) -> Candidate:
        text, start, end = self.evidence
        return Candidate(self.subject, self.predicate, self.object, text, start, end,
                         round(max(0.0, min(1.0, confidence)), 3), extractor, self.props, self.date,
                         self.cue, self.pattern)


def triple_key(s: EntityRef, p: Predicate, o: EntityRef) -> tuple[str, str, str]:
    """Identity of a triple within an article (symmetric predicates in argument order)."""
    a, b = s.id or f"{s.type.value}:{s.label}", o.id or f"{o.type.value}:{o.label}"
    if p in symmetric_predicates() and b < a:
        a, b = b, a
    return a, p.value, b


def _ref_key(ref: EntityRef) -> str:
    return ref.id or f"{ref.type.value}:{ref.label}"


class CandidateGenerator(RuleExtractor):
    """Proposals of an article: see the module docstring."""

    name = "graphkg-candidates"
    version = "1.0.0"

    def proposals(self, article: Any) -> tuple[str, list[Proposal]]:
        """The article's language and every proposal of it, article-level features added."""
        article = self.prepare(article)
        self._freq: Counter[str] = Counter()
        self._refs: dict[str, EntityRef] = {}
        self.seen: set[tuple[str, str]] = set()  # (label, type) of every mention of the article
        self._spots: list[Spot] = []
        self._lemma_of: dict[str, str] = {}  # lower-cased word -> its lemma in this article
        props: list[Proposal] = self._walk(article)
        lang = article.lang or "und"
        props.extend(self._lists(article.text, lang))
        _article_features(props, lang)
        return lang, props

    # ------------------------------------------------------------------ mentions
    def _mentions(self, sent: Span, lex: Lexicon, ctx: ArticleContext) -> tuple[list[Mention], set[int]]:
        mentions, blocked = super()._mentions(sent, lex, ctx)
        orgs = unknown_organizations(sent, lex, ctx, mentions)
        if orgs:
            mentions = sorted(mentions + orgs, key=lambda m: (m.start, -m.end))
        # states and bodies a title took in ("the president of the European Council", "le ministre
        # marocain"): no argument of the rules, but the office holder's affiliation candidates
        kept = {(m.start, m.end) for m in mentions}
        self._in_titles = [dataclasses.replace(m, kind="intitle") for m in sentence_memo(
            sent, ("gazetteer", id(self.gazetteer)), lambda: list(gazetteer_mentions(sent, self.gazetteer)))
            if m.start in blocked and (m.start, m.end) not in kept
            and m.type in {EntityType.COUNTRY, EntityType.ORGANIZATION}]
        return mentions, blocked

    # ------------------------------------------------------------------ walks
    def _learn(self, sent: Span, rules: SentenceRules, blocked: set[int], lex: Lexicon,
               ctx: ArticleContext) -> list[Any]:
        for m in rules.mentions:  # how often each state or organisation is named
            if m.type in {EntityType.COUNTRY, EntityType.ORGANIZATION} and not m.locative:
                self._freq[m.key()] += 1
                self._refs.setdefault(m.key(), m.ref)
        return super()._learn(sent, rules, blocked, lex, ctx)

    def _emit(self, sent: Span, rules: SentenceRules, blocked: set[int], lex: Lexicon,
              ctx: ArticleContext) -> list[Any]:
        tree = SentenceTree.of(sent)
        where = _where(ctx.sentence_index, ctx.sentence_count)
        v = view(sent.doc)
        for i in range(sent.start, sent.end):
            self._lemma_of.setdefault(v.lower[i], v.lemma[i].lower())
        self.seen.update((m.ref.label, m.type.value) for m in rules.mentions)
        self._place(sent, rules, ctx)
        out: list[Proposal] = []
        out.extend(self._represents(sent, rules, ctx, tree, where))
        for hit in find_cues(sent, lex, blocked, None):
            out.extend(self._cue(hit, sent, rules, lex, ctx, tree, where))
        out.extend(self._concerns(sent, rules, ctx, tree, where))
        for pattern, cands in (("vote", rules.votes()), ("modal", rules.requests_by_modal()),
                               ("cooccurrence", rules.concerns())):
            out.extend(self._rule_proposal(c, ctx, [f"rule={c.pattern}", f"gen={pattern}", *where]) for c in cands)
        return out

    # ------------------------------------------------------------------ cues
    def _cue(self, hit: CueHit, sent: Span, rules: SentenceRules, lex: Lexicon, ctx: ArticleContext,
             tree: SentenceTree, where: list[str]) -> list[Proposal]:
        doc = sent.doc
        head = doc[hit.head]
        reason = hedge_reason(head, sent, lex)
        rule_cands = rules.apply(hit)
        if reason is None:
            for c in rule_cands:
                self._register(c, rules, ctx)
        lemma = " ".join(hit.cue.words)
        cue_feats = [f"cue={lemma}", f"kind={hit.cue.kind}", f"pos={head.pos_}", *hedge_features(reason),
                     *cue_context(sent, hit.head), *where]
        if any(c.dep_ in {"aux:pass", "auxpass"} for c in head.children):
            cue_feats.append("passive")
        found: dict[tuple[str, str, str], Proposal] = {}
        rule_s = {_ref_key(c.subject) for c in rule_cands}
        rule_o = {_ref_key(c.object) for c in rule_cands}
        for c in rule_cands:
            p = self._rule_proposal(c, ctx, [f"rule={c.pattern}", *cue_feats], raw=True)
            found.setdefault(p.key(), p)
        cue_text = doc[hit.start:hit.end].text
        tail = doc[hit.end:min(sent.end, hit.end + 14)].text
        date = find_date(tail) if hit.predicate in _DATED else None
        for a, b in self._pairs(hit, rules.mentions, tree):
            base = self._pair_base(hit, lemma, sent, tree, a, b, rules, lex, rule_o)
            for s_ref, lift in self._lifts(a, hit.predicate, rules):
                feats = [*base, *lift, *cue_feats]
                if _ref_key(s_ref) in rule_s:
                    feats.append("rs")
                    if "ro" in base:
                        feats.append("rs&ro")
                _merge(found, Proposal(s_ref, hit.predicate, b.ref, rules.evidence, ctx.sentence_index,
                                       feats, cue_text, f"{hit.cue.kind}-pair", (), date))
        if hit.predicate == Predicate.ADOPTS:
            for d in (m for m in rules.mentions if m.type == EntityType.DOCUMENT):
                for org, why in self._adopters(hit, rules):
                    feats = [f"asrc={why}", f"dd={bucket(abs(d.start - hit.head))}", *cue_feats]
                    _merge(found, Proposal(org, Predicate.ADOPTS, d.ref, rules.evidence, ctx.sentence_index,
                                           feats, cue_text, "adopter", (), date))
        lang = lex.lang
        out = list(found.values())
        for p in out:
            p.feats = finish(p.predicate.value, lang, p.feats)
        return out

    @staticmethod
    def _pair_base(hit: CueHit, lemma: str, sent: Span, tree: SentenceTree, a: Mention, b: Mention,
                   rules: SentenceRules, lex: Lexicon, rule_o: set[Any]) -> list[str]:
        """The features of one (subject, object) pair of a cue, before lifting the subject."""
        base = pair_features(hit.predicate.value, tree, hit.head, a, b)
        base += [f"cue={lemma}|{f}" for f in base if f.startswith(("sr=", "or=", "roles=", "ord="))]
        base += lexical_features(sent, tree, a, b, rules.mentions, cue_classes_of(lex.lang))
        base += [f"st={a.type.value}", f"ot={b.type.value}", f"sk={a.kind}", f"ok={b.kind}",
                 f"sh={_how(a.ref)}", f"oh={_how(b.ref)}"]
        if a.locative:
            base.append("sloc")
        if b.locative:
            base.append("oloc")
        if _ref_key(b.ref) in rule_o:
            base.append("ro")
        return base

    def _pairs(self, hit: CueHit, mentions: list[Mention], tree: SentenceTree) -> list[tuple[Mention, Mention]]:
        """Ordered (subject, object) pairs of mentions near the cue that the ontology allows."""
        info = predicate_info(hit.predicate)
        narrow = range_only(hit.predicate)
        rng = info.range & narrow if narrow is not None else info.range
        near: list[tuple[int, Mention]] = []
        for m in mentions:
            _, steps = tree.path(tree.head_of(m), hit.head)
            gap = min(abs(m.start - hit.head), abs(m.end - 1 - hit.head))
            if (steps <= _NEAR_PATH or gap <= _NEAR_TOKENS) and not (hit.start <= m.start < hit.end
                                                                     and m.kind != "demonym"):
                near.append((steps, m))
        pairs: list[tuple[int, Mention, Mention]] = []
        symmetric = hit.predicate in symmetric_predicates()
        for sa, a in near:
            if a.type not in info.domain or a.type not in actor_types():
                continue
            for sb, b in near:
                if b is a or b.type not in rng or a.key() == b.key() or (symmetric and b.start < a.start):
                    continue
                if a.start < b.end and b.start < a.end:
                    continue  # overlapping spans
                pairs.append((sa + sb, a, b))
        pairs.sort(key=lambda x: (x[0], x[1].start, x[2].start))
        return [(a, b) for _, a, b in pairs[:_MAX_PAIRS]]

    @staticmethod
    def _lifts(a: Mention, pred: Predicate, rules: SentenceRules) -> list[tuple[EntityRef, list[str]]]:
        """The subject as named, and a person also as the state or body they represent."""
        if a.type != EntityType.PERSON or pred in _PERSON_LEVEL:
            return [(a.ref, [])]
        state, factor = rules._state(a.ref, pred)
        if state is a.ref:
            return [(a.ref, ["person", "unlifted"])]
        how = "inferred" if factor < 0.9 else "stated"
        return [(state, [f"lift={how}"]), (a.ref, ["person"])]

    # ------------------------------------------------------------------ documents
    def _concerns(self, sent: Span, rules: SentenceRules, ctx: ArticleContext, tree: SentenceTree,
                  where: list[str]) -> list[Proposal]:
        """A document against every country, territory and organisation of its sentence, those its
        own words name ("la résolution sur le Soudan") included."""
        docs = [m for m in rules.mentions if m.type == EntityType.DOCUMENT]
        if not docs:
            return []
        gaz = [m for m in gazetteer_mentions(sent, self.gazetteer)
               if m.type in {EntityType.COUNTRY, EntityType.TERRITORY, EntityType.ORGANIZATION}]
        out: list[Proposal] = []
        for d in docs:
            seen: set[str] = set()
            for x in gaz:
                if x.ref.id in self.broad_areas or x.ref.id in seen or d.issuer is not None and x.ref.id == d.issuer.id:
                    continue
                seen.add(x.ref.id or x.ref.label)
                inside = d.start <= x.start < d.end
                prev = view(sent.doc).lower[x.start - 1] if x.start > sent.start else ""
                feats = [f"inphrase={inside}", f"xt={x.type.value}", f"xk={x.kind}", f"prev={prev}",
                         f"dd={bucket(abs(x.start - d.start))}", f"dh={_how(d.ref)}", *where]
                if x.locative:
                    feats.append("xloc")
                out.append(Proposal(d.ref, Predicate.CONCERNS, x.ref, rules.evidence, ctx.sentence_index,
                                    finish("CONCERNS", rules.lex.lang, ["gen=concerns", *feats]), "", "doc-mentions"))
        return out

    def _adopters(self, hit: CueHit, rules: SentenceRules) -> list[tuple[EntityRef, str]]:
        """Who may have adopted what an adoption cue names: the sentence's organisations, the
        document's issuer and the article's most named organisations."""
        out: dict[str, tuple[EntityRef, str]] = {}
        for m in rules.mentions:
            if m.type == EntityType.ORGANIZATION:
                out.setdefault(_ref_key(m.ref), (m.ref, "sentence"))
            if m.type == EntityType.DOCUMENT and m.issuer is not None:
                out.setdefault(_ref_key(m.issuer), (m.issuer, "issuer"))
        orgs = [k for k, _ in self._freq.most_common() if self._refs[k].type == EntityType.ORGANIZATION][:2]
        for rank, k in enumerate(orgs):
            out.setdefault(k, (self._refs[k], f"top{rank + 1}"))
        return list(out.values())

    # ------------------------------------------------------------------ lists and tables
    def _place(self, sent: Span, rules: SentenceRules, ctx: ArticleContext) -> None:
        """Remember where in the article each mention of the sentence is (for lists across lines)."""
        doc = sent.doc
        offset = rules.evidence[1] - sent.start_char
        for m in rules.mentions:
            last = doc[m.end - 1]
            self._spots.append(Spot(offset + doc[m.start].idx, offset + last.idx + len(last.text), m,
                                    ctx.sentence_index, rules.evidence))

    def _lists(self, text: str, lang: str) -> list[Proposal]:
        """Members of a list (a vote table, a list of signatories or members) against the
        documents and bodies it may belong to, for every predicate a list can state; features say
        whether the header's words signal that predicate in the lexicon ("In favour" ->
        SUPPORTS). A list of abstentions proposes nothing."""
        out: list[Proposal] = []
        classes_of = cue_classes_of(lang)
        hedges = lexicon(lang).hedges if lang in self.models else {}
        index = SpotIndex(self._spots)
        for run in find_runs(text, self._spots):
            words = self._header_lemmas(run.header, lang)
            if any(hedges.get(w) == "abstention" for w in words):
                continue
            classes = {p for w in words for p in classes_of.get(w, ())}
            targets = list_targets(run, index)
            for item in run.items:
                for target, where in targets:
                    if item.ref.id is not None and item.ref.id == target.ref.id:
                        continue
                    feats = run_features(run, item, target, where)
                    preds = LIST_PREDICATES.get(target.mention.type, ())
                    for pred in preds:
                        if check_relation(item.mention.type, pred, target.mention.type) is not None:
                            continue
                        why = ["lwmatch" if pred.value in classes else "lwother" if classes else "lwnone",
                               *(f"lwc={c}" for c in sorted(classes))]
                        out.append(Proposal(item.ref, pred, target.ref, item.evidence, item.sentence,
                                            finish(pred.value, lang, ["gen=list", *feats, *why]), run.header[-40:],
                                            "list", (), None))
        return out

    def _header_lemmas(self, header: str, lang: str) -> list[str]:
        """The words of a list's header (its last line before the list) and their lemmas as the
        article's parse gave them."""
        tail = header.strip().splitlines()[-1][-120:] if header.strip() else ""
        words = [w.lower() for w in _HEADER_WORD.findall(tail)]
        return list(dict.fromkeys(words + [self._lemma_of.get(w, w) for w in words]))

    # ------------------------------------------------------------------ office holders
    def _represents(self, sent: Span, rules: SentenceRules, ctx: ArticleContext, tree: SentenceTree,
                    where: list[str]) -> list[Proposal]:
        """Every person of the sentence against the states and bodies near them, the one the rules
        chose, the dateline's and the article's most named ones; the words around the name (the
        title, said or not in the lexicon) are features, so the model learns what an office is."""
        out: list[Proposal] = []
        rule = {(c.subject.label, _ref_key(c.object)): c for c in rules.represents()}
        span = (sent.start_char, sent.end_char)
        ranked = [k for k, _ in self._freq.most_common(3)]
        lang = rules.lex.lang
        affiliations = [o for o in rules.mentions if o.type in {EntityType.COUNTRY, EntityType.ORGANIZATION}]
        affiliations += getattr(self, "_in_titles", [])
        for m in rules.mentions:
            if m.type != EntityType.PERSON:
                continue
            info = ctx.persons.get(m.ref.label)
            options: dict[str, tuple[EntityRef, list[str]]] = {}

            def add(ref: EntityRef, why: str, options: dict[str, tuple[EntityRef, list[str]]] = options) -> None:
                options.setdefault(_ref_key(ref), (ref, []))[1].append(f"src={why}")

            near = sorted((o for o in affiliations if abs(o.start - m.start) <= 15), key=lambda o: abs(o.start - m.start))
            for o in near:
                add(o.ref, "sentence")
            if info is not None and info.country is not None:
                add(info.country, "role")
            if ctx.dateline is not None:
                add(ctx.dateline, "dateline")
            for rank, k in enumerate(ranked):
                add(self._refs[k], f"top{rank + 1}")
            titles = _title_words(sent, m)
            roles = " and ".join(info.roles) if info is not None and info.roles else ""
            stated = info is not None and bool(info.roles) and info.evidence == span
            person = [*(f"tw={w}" for w in titles), f"titled={bool(titles)}", f"roled={bool(roles)}",
                      f"stated={stated}", f"pk={m.kind}", *where]
            if info is not None and info.roles:
                person.append(f"role={info.roles[0]}")
            if info is not None and info.inferred:
                person.append("inferred")
            order = {_ref_key(o.ref): rank for rank, o in enumerate(near)}
            for key, (ref, why) in options.items():
                feats = [*why, *person, f"ot={ref.type.value}", f"n={bucket(len(options))}",
                         f"rank={order.get(key, 9) if key in order else 'none'}"]
                close = [o for o in near if _ref_key(o.ref) == key]
                if close:
                    o = close[0]
                    path, steps = tree.path(tree.head_of(m), tree.head_of(o))
                    feats += [f"rp={path if steps <= 4 else 'far'}", f"rd={bucket(abs(o.start - m.start))}",
                              f"ok={o.kind}", "o" + ("before" if o.start < m.start else "after")]
                    feats += lexical_features(sent, tree, m, o, rules.mentions, cue_classes_of(lang))
                c = rule.get((m.ref.label, key))
                if c is not None:
                    feats.append(f"rule={c.pattern}")
                out.append(Proposal(m.ref, Predicate.REPRESENTS, ref, rules.evidence, ctx.sentence_index,
                                    finish("REPRESENTS", lang, feats), roles, "person-affiliation",
                                    (("role", roles),) if roles else (), None, c is not None))
        return out

    # ------------------------------------------------------------------ rules
    def _rule_proposal(self, c: Candidate, ctx: ArticleContext, feats: list[str], raw: bool = False) -> Proposal:
        """A proposal of the precise rules (features finished unless the caller adds more)."""
        feats = [*feats, f"st={c.subject.type.value}", f"ot={c.object.type.value}"]
        return Proposal(c.subject, c.predicate, c.object, (c.evidence, c.start, c.end), ctx.sentence_index,
                        feats if raw else finish(c.predicate.value, ctx.lang, feats),
                        c.cue, c.pattern, c.properties, c.date, True)


def _title_words(sent: Span, m: Mention) -> list[str]:
    """Lower-case words right before a name ("the foreign minister X", "le chancelier X") and of an
    apposition right after it ("X, Kenya's foreign minister,"): the office, whatever its wording."""
    v = view(sent.doc)
    out: list[str] = []
    i = m.start - 1
    while i >= sent.start and m.start - i <= 5 and v.pos[i] not in {"VERB", "AUX", "PUNCT"} or \
            i >= sent.start and m.start - i == 1 and v.text[i] == ",":
        if v.text[i][:1].islower() and v.pos[i] in {"NOUN", "ADJ", "PROPN"}:
            out.append(v.lemma[i])
        i -= 1
    if m.end + 1 < sent.end and v.text[m.end] == ",":
        j = m.end + 1
        while j < sent.end and j - m.end <= 6 and v.text[j] not in {",", ".", ";"} and v.pos[j] not in {"VERB", "AUX"}:
            if v.text[j][:1].islower() and v.pos[j] in {"NOUN", "ADJ"}:
                out.append(v.lemma[j])
            j += 1
    return out


def _how(ref: EntityRef) -> str:
    """How a mention was resolved, without the names it carries ("gazetteer:demonym", "document:described")."""
    how = ref.how.split(":")
    return ":".join(how[:2]) if how[0] in {"gazetteer", "document"} else how[0]


def _merge(found: dict[tuple[str, str, str], Proposal], p: Proposal) -> None:
    """Add ``p``, or its features to the proposal of the same triple already found."""
    key = p.key()
    if key in found:
        found[key].feats = list(dict.fromkeys([*found[key].feats, *p.feats]))
    else:
        found[key] = p


def _where(index: int, count: int) -> list[str]:
    """The sentence's place: the headline (first), the lead (next two), the body; a text of a
    few sentences (a snippet, a feed item) has no such places, so no feature says where.

    >>> _where(0, 20), _where(2, 20), _where(0, 3)
    (['at=title'], ['at=lead'], [])
    """
    if count <= 3:
        return []
    return ["at=title"] if index == 0 else ["at=lead"] if index <= 2 else ["at=body"]


def _article_features(props: list[Proposal], lang: str) -> None:
    """How often the article proposes each triple, and in how many sentences."""
    counts: Counter[tuple[str, str, str]] = Counter()
    sentences: dict[tuple[str, str, str], set[int]] = {}
    ruled: set[tuple[str, str, str]] = set()
    for p in props:
        k = p.key()
        counts[k] += 1
        sentences.setdefault(k, set()).add(p.sentence)
        if p.rule and "hedged" not in p.feats:  # a rule would emit it: on an asserted cue
            ruled.add(k)
    for p in props:
        k = p.key()
        extra = [f"nprop={bucket(counts[k])}", f"nsent={bucket(len(sentences[k]))}"]
        if k in ruled:
            extra.append("ruled")
        pred = p.predicate.value
        p.feats.extend([*extra, *(f"{pred}|{f}" for f in extra)])  # new names: no repeats
