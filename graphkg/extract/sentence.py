"""Turning one sentence's cues and mentions into candidates."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graphkg.model import Candidate, EntityRef
from graphkg.vocab import EntityType, Predicate, actor_types

from .context import ArticleContext, Mention
from .cues import CueHit
from .dates import find_date
from .filters import hedge_reason
from .lexicon import Lexicon
from .rules import Arg, fits, objects, passive_object, subjects, vote_lists
from .tokens import view

if TYPE_CHECKING:
    from spacy.tokens import Span

    from graphkg.resolve.gazetteer import Gazetteer

__all__ = ["SentenceRules"]

_PERSON_LEVEL = frozenset({Predicate.MEETS, Predicate.VISITS})
_LOCATIVE_OK = frozenset({Predicate.VISITS, Predicate.SANCTIONS})
_DOC_ONLY = frozenset({Predicate.PROPOSES, Predicate.ADOPTS, Predicate.SIGNS})
# predicates whose coordinated subjects relate to each other ("X and Y agreed", "X et Y coopèrent"):
# a reading of the sentence, not the ontology's symmetric set (AGREES_WITH is directed there)
_PAIRWISE = frozenset({Predicate.AGREES_WITH, Predicate.COOPERATES_WITH})
_COOPERATION = re.compile(r"coop[ée]ration|partner|partenariat|d[ée]fen[cs]e|s[ée]curit|alliance|access|acc[eè]s",
                          re.IGNORECASE)
_VOTE_WORDS = frozenset({"vote", "voted", "voting", "votes", "voter", "voté", "votent", "votaient"})
_PARTNER_PREPS = frozenset({"with", "avec", "between", "entre", "and", "et"})


_MACRO = re.compile(r"Africa|America|Asia|Pacific|Middle East|Near East|Maghreb|Balkans|Caucasus")


def broad_areas(gazetteer: Gazetteer) -> frozenset[str]:
    """Ids of the gazetteer's continents and macro-regions ("Asia", "Indo-Pacific"): a text named
    in the same sentence as one is seldom *about* it, so co-occurrence gives no CONCERNS."""
    return frozenset(e.id for e in gazetteer.entities(EntityType.TERRITORY)
                     if gazetteer.category(e.id) == "continent"
                     or gazetteer.category(e.id) == "region" and _MACRO.search(e.label))


class SentenceRules:
    """Rules over one parsed sentence; every method returns candidates."""

    def __init__(self, sent: Span, lex: Lexicon, ctx: ArticleContext, mentions: list[Mention],
                 tag: str, evidence: tuple[str, int, int], broad: frozenset[str] = frozenset()) -> None:
        self.sent, self.lex, self.ctx, self.mentions, self.tag = sent, lex, ctx, mentions, tag
        self.evidence = evidence
        self.broad = broad  # entity ids of areas too broad for a co-occurrence CONCERNS

    # ------------------------------------------------------------------ building
    def _cand(self, s: EntityRef, p: Predicate, o: EntityRef, conf: float, cue: str, pattern: str,
              props: tuple[tuple[str, str], ...] = (), date: str | None = None) -> Candidate | None:
        if s.type not in actor_types() and p != Predicate.CONCERNS or not fits(s.type, p, o.type):
            return None
        if (s.id or s.label) == (o.id or o.label):
            return None
        text, start, end = self.evidence
        return Candidate(subject=s, predicate=p, object=o, evidence=text, start=start, end=end,
                         confidence=round(max(0.05, min(1.0, conf)), 3), extractor=self.tag,
                         properties=props, date=date, cue=cue, pattern=pattern)

    def _state(self, ref: EntityRef, pred: Predicate) -> tuple[EntityRef, float]:
        """A person's position is attributed to the state or organisation he or she represents."""
        if ref.type != EntityType.PERSON or pred in _PERSON_LEVEL:
            return ref, 1.0
        info = self.ctx.persons.get(ref.label)
        country = info.country if info is not None and info.roles else None
        if country is None and info is not None and info.roles:
            country = self.ctx.dateline
        if country is None:
            return ref, 0.8
        lift = 0.8 if info is not None and info.inferred else 0.95
        return EntityRef(ref.text, country.label, country.type, country.id, f"represents:{ref.label}"), lift

    # ------------------------------------------------------------------ rules
    def represents(self) -> list[Candidate]:
        """REPRESENTS for each named office holder whose role was stated in this sentence."""
        out: list[Candidate] = []
        if not self.ctx.emit:
            return out
        span = (self.sent.start_char, self.sent.end_char)
        for m in self.mentions:
            info = self.ctx.persons.get(m.ref.label) if m.type == EntityType.PERSON else None
            if info is None or not info.roles or info.evidence != span or m.kind == "role":
                continue
            country = info.country or self.ctx.dateline
            if country is None:
                continue
            conf = (0.65 if info.country is None or info.inferred else 0.9) * m.conf
            pattern = "role-counterpart-context" if info.inferred else "role-apposition"
            cand = self._cand(m.ref, Predicate.REPRESENTS, country, conf, " and ".join(info.roles), pattern,
                              (("role", " and ".join(info.roles)),))
            if cand is not None:
                out.append(cand)
        return out

    def apply(self, hit: CueHit) -> list[Candidate]:
        """Candidates of one cue."""
        pred = hit.predicate
        if pred == Predicate.MEETS:
            return self._meets(hit)
        if pred == Predicate.REQUESTS and hit.cue.kind == "speech":
            return []
        subj = subjects(hit, self.sent, self.mentions, actor_types(), self.lex.speech)
        if not subj:
            return self._adopts_by_issuer(hit, subj, [])
        keys = {a.mention.key() for a in subj} | {self._state(a.mention.ref, pred)[0].id or "" for a in subj}
        if subj[0].how == "agent":
            objs = passive_object(hit, self.sent, self.mentions)
        else:
            objs = objects(hit, self.sent, self.mentions, pred, keys, pred in _LOCATIVE_OK)
        if pred in _PAIRWISE:
            subj, objs = self._mutual(hit, subj, objs)
        if not objs:
            objs = self._voted_text(hit)
        out: list[Candidate] = []
        cue_text = self.sent.doc[hit.start:hit.end].text
        tail = self.sent.doc[hit.end:min(self.sent.end, hit.end + 14)].text
        date = find_date(tail) if pred in _DOC_ONLY | {Predicate.SIGNS, Predicate.MEMBER_OF, Predicate.RECOGNIZES} else None
        for sa in subj:
            s_ref, s_conf = self._state(sa.mention.ref, pred)
            for oa in objs:
                if pred in _DOC_ONLY and oa.mention.type != EntityType.DOCUMENT:
                    continue
                props = self._aspect(hit, oa)
                conf = hit.cue.strength * sa.certainty * oa.certainty * sa.mention.conf * oa.mention.conf * s_conf
                cand = self._cand(s_ref, pred, oa.mention.ref, conf + 0.1, cue_text,
                                  f"{hit.cue.kind}-{sa.how}", props, date)
                if cand is not None:
                    out.append(cand)
        if pred == Predicate.SIGNS and out:
            out += self._co_signers(out, cue_text)
        return out or self._adopts_by_issuer(hit, subj, objs)

    def _co_signers(self, signed: list[Candidate], cue_text: str) -> list[Candidate]:
        """"Le Sénégal et la Mauritanie ont signé un accord de coopération": states that sign a
        cooperation, partnership, security or defence text together COOPERATE_WITH each other."""
        texts = [c for c in signed if _COOPERATION.search(f"{c.object.text} {c.object.label}")]
        states: dict[str, tuple[EntityRef, float]] = {}
        for c in texts:
            if c.subject.type in {EntityType.COUNTRY, EntityType.ORGANIZATION}:
                states.setdefault(c.subject.id or c.subject.label, (c.subject, c.confidence))
        refs = list(states.values())
        out = []
        for k, (one, c1) in enumerate(refs):
            for other, c2 in refs[k + 1:]:
                cand = self._cand(one, Predicate.COOPERATES_WITH, other, 0.9 * min(c1, c2), cue_text, "co-signers")
                if cand is not None:
                    out.append(cand)
        return out

    def _voted_text(self, hit: CueHit) -> list[Arg]:
        """"X, Y et Z ont voté contre.", "Russia voted against on Friday.": a vote cue that ends
        its clause votes on the text last named in the article."""
        if hit.predicate not in {Predicate.SUPPORTS, Predicate.OPPOSES} or hit.cue.kind != "phrase" \
                or not _VOTE_WORDS & set(hit.cue.words):
            return []
        doc = self.sent.doc
        for i in range(hit.end, self.sent.end):
            if doc[i].is_punct:
                break
            if doc[i].pos_ in {"NOUN", "PROPN", "PRON"} and doc[i].ent_type_ not in {"DATE", "TIME"}:
                return []  # the vote has an object of its own (or one the rules could not read)
        text = self.ctx.latest(frozenset({EntityType.DOCUMENT}))
        return [Arg(text, "voted-text", 0.8)] if text is not None else []

    def _mutual(self, hit: CueHit, subj: list[Arg], objs: list[Arg]) -> tuple[list[Arg], list[Arg]]:
        """AGREES_WITH / COOPERATES_WITH: "X and Y agreed", "exercises between X and Y",
        "X agreed with Y"; a bare object without with/avec/between is not a partner."""
        doc = self.sent.doc
        linked = [o for o in objs if any(doc[j].lower_ in _PARTNER_PREPS
                                         for j in range(max(self.sent.start, o.mention.start - 3), o.mention.start))]
        if hit.cue.kind == "phrase" and hit.cue.words[-1] in _PARTNER_PREPS:
            linked = objs
        if len(linked) >= 2 and any(doc[j].lower_ in {"between", "entre"}
                                    for j in range(max(self.sent.start, linked[0].mention.start - 3),
                                                   linked[0].mention.start)):
            return linked[:1], linked[1:]
        if not linked and len(subj) >= 2 and hit.cue.kind != "noun":
            if hit.predicate == Predicate.COOPERATES_WITH:  # symmetric: every pair of the list
                return subj, subj  # (the same one twice is dropped, mirrored pairs are merged)
            return subj[:1], subj[1:]
        return subj, linked

    def _adopts_by_issuer(self, hit: CueHit, subj: list[Arg], objs: list[Arg]) -> list[Candidate]:
        """"la résolution du Conseil de sécurité ... adoptée le ..." -> the issuer ADOPTS it."""
        if hit.predicate != Predicate.ADOPTS:
            return []
        out: list[Candidate] = []
        for m in self.mentions:
            if m.type == EntityType.DOCUMENT and m.issuer is not None and m.end <= hit.start and hit.start - m.end <= 8:
                tail = self.sent.doc[hit.end:min(self.sent.end, hit.end + 14)].text
                cand = self._cand(m.issuer, Predicate.ADOPTS, m.ref, 0.8 * hit.cue.strength,
                                  self.sent.doc[hit.start:hit.end].text, "participle-issuer", (), find_date(tail))
                if cand is not None:
                    out.append(cand)
        return out

    def _aspect(self, hit: CueHit, oa: Arg) -> tuple[tuple[str, str], ...]:
        if hit.predicate not in {Predicate.SUPPORTS, Predicate.OPPOSES}:
            return ()
        between = self.sent.doc[hit.end:oa.mention.start].text.lower()
        found = [eng for src, eng in self.lex.aspects if src in between]
        return (("aspect", " and ".join(dict.fromkeys(found))),) if found else ()

    def _meets(self, hit: CueHit) -> list[Candidate]:
        persons = [m for m in self.mentions if m.type == EntityType.PERSON]
        labels = list(dict.fromkeys(m.ref.label for m in persons))
        cue_text = self.sent.doc[hit.start:hit.end].text
        head = self.sent.doc[hit.head]
        pairs: list[tuple[Mention, Mention, str]] = []
        if head.pos_ in {"VERB", "AUX"} or hit.cue.kind == "phrase" and hit.end < self.sent.end:
            subj = [a.mention for a in subjects(hit, self.sent, self.mentions, frozenset({EntityType.PERSON}))]
            objs = [a.mention for a in objects(hit, self.sent, self.mentions, Predicate.MEETS,
                                               {m.key() for m in subj}, False)]
            pairs += [(s, o, "verb-meets") for s in subj for o in objs]
            if len(subj) >= 2 and not objs:
                pairs += [(subj[0], o, "coordinated-subject") for o in subj[1:]]
        if not pairs and hit.cue.kind != "verb" and 2 <= len(labels) <= 3:
            firsts = [next(m for m in persons if m.ref.label == lab) for lab in labels]
            pairs += [(firsts[0], o, "meeting-noun") for o in firsts[1:]]
        out: list[Candidate] = []
        for s, o, pattern in pairs:
            conf = hit.cue.strength * s.conf * o.conf * (1.0 if pattern != "meeting-noun" else 0.85) + 0.1
            cand = self._cand(s.ref, Predicate.MEETS, o.ref, conf, cue_text, pattern)
            if cand is not None:
                out.append(cand)
        return out

    def votes(self) -> list[Candidate]:
        """Parenthesised voter lists: in favour -> SUPPORTS, against -> OPPOSES the voted document."""
        lists = vote_lists(self.sent, self.lex.lang)
        docs = [m for m in self.mentions if m.type == EntityType.DOCUMENT]
        if not lists or not docs:
            return []
        out: list[Candidate] = []
        base = self.sent.start_char
        for pred, s, e in lists:
            voters = [m for m in self.mentions if m.type in {EntityType.COUNTRY, EntityType.ORGANIZATION}
                      and s <= self.sent.doc[m.start].idx - base < e]
            for v in voters:
                aspect = "vote in favour" if pred == Predicate.SUPPORTS else "vote against"
                cand = self._cand(v.ref, pred, docs[-1].ref, 0.85 * v.conf * docs[-1].conf + 0.1,
                                  "in favour" if pred == Predicate.SUPPORTS else "against", "vote-list",
                                  (("aspect", aspect),))
                if cand is not None:
                    out.append(cand)
        return out

    def concerns(self) -> list[Candidate]:
        """A document and a territory named in the same sentence: the document CONCERNS it."""
        docs = [m for m in self.mentions if m.type == EntityType.DOCUMENT]
        terrs = [m for m in self.mentions if (m.type == EntityType.TERRITORY or m.ref.how.endswith("territory"))
                 and m.ref.id not in self.broad]
        out: list[Candidate] = []
        for d in docs:
            for t in terrs:
                cand = self._cand(d.ref, Predicate.CONCERNS, t.ref, 0.55 * d.conf * t.conf, "", "co-occurrence")
                if cand is not None:
                    out.append(cand)
        return out

    def requests_by_modal(self) -> list[Candidate]:
        """"X made clear that Y should release ..." -> X REQUESTS Y (obligation under a speech verb)."""
        out: list[Candidate] = []
        doc = self.sent.doc
        v = view(doc)
        for i in range(self.sent.start, self.sent.end):
            if v.lower[i] not in self.lex.obligation:
                continue
            tok = doc[i]
            verb = tok.head if tok.dep_.startswith("aux") else tok
            target = self._subject_mention(verb)
            speech = next((a for a in verb.ancestors if a.lemma_.lower() in self.lex.speech), None)
            if target is None or speech is None or hedge_reason(speech, self.sent, self.lex):
                continue
            speaker = self._subject_mention(speech)
            if speaker is None:
                continue
            s_ref, s_conf = self._state(speaker.ref, Predicate.REQUESTS)
            what = " ".join(t.text for t in doc[verb.i:min(self.sent.end, verb.i + 6)] if not t.is_punct)
            cand = self._cand(s_ref, Predicate.REQUESTS, target.ref, 0.7 * s_conf * speaker.conf * target.conf + 0.1,
                              f"{speech.text} ... {tok.text}", "speech-obligation", (("aspect", what),))
            if cand is not None:
                out.append(cand)
        return out

    def _subject_mention(self, verb: object) -> Mention | None:
        for child in getattr(verb, "children", ()):
            if child.dep_.startswith("nsubj"):
                for m in self.mentions:
                    if m.start <= child.i < m.end and m.type in actor_types():
                        return m
        return None

    def owner_of(self, cand: Candidate) -> EntityRef | None:
        """The country a PROPOSES candidate's subject stands for (to name the document)."""
        s = cand.subject
        return s if s.type == EntityType.COUNTRY else None


