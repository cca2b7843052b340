"""The feature record of a candidate: what the classifier sees, in one place.

Every candidate triple proposed by :mod:`graphkg.extract.candidates` gets a list of string
features (one-hot; the model weighs each). They describe the cue (lemma, kind, the rule pattern
that fired), the syntax between the arguments and the cue (dependency paths with coordination
collapsed, order, distance), the arguments (entity types, how each mention was found, how a
person was lifted to a state), the assertion status of the cue (negation, hedge, modality,
future, question, quote, claim, invitation, observer...) and the sentence's place in the
article. Each feature also exists conjoined with the predicate; the language is a feature too.

No feature names an entity: a model trained on annotated articles must not learn who is who.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .context import Mention
from .tokens import view

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["SentenceTree", "bucket", "pair_features", "lexical_features", "cue_classes", "finish", "hedge_features", "cue_context"]

_CASE_DEPS = frozenset({"case", "mark"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X", "ADJ", "DET"})
_PREP_DEPS = frozenset({"prep", "agent"})
_QUOTES = frozenset('"\u00ab\u00bb\u201c\u201d\u2018\u2019'.split() + ['"', "\u00ab", "\u00bb", "\u201c", "\u201d"])


def bucket(n: int, edges: Iterable[int] = (0, 1, 2, 3, 5, 8, 13)) -> str:
    """A coarse bin of a count or distance: ``bucket(4) == "<5"``.

    >>> bucket(0), bucket(4), bucket(40)
    ('0', '<5', '13+')
    """
    last = 0
    for e in edges:
        if n < e:
            return f"<{e}"
        if n == e == 0:
            return "0"
        last = e
    return f"{last}+"


@dataclass(slots=True)
class SentenceTree:
    """The dependency tree of one sentence, read once: parents with coordination collapsed
    (a conjunct takes the place of the first member of its list), dependency labels, and the
    preposition that introduces each token."""

    start: int
    end: int
    parent: list[int]
    dep: list[str]
    prep: list[str]
    root: int
    shared: dict[int, int]  # a coordinated verb without a subject of its own -> the verb whose subject it shares
    memo: dict[Any, Any] = field(default_factory=dict)  # paths and ancestor chains already walked

    @classmethod
    def of(cls, sent: Span) -> SentenceTree:
        v = view(sent.doc)
        heads, deps = _arrays(sent.doc)
        low, pos = v.lower, v.pos
        start, end = sent.start, sent.end
        n = end - start
        parent, dep, prep = [-1] * n, [""] * n, [""] * n
        shared: dict[int, int] = {}
        case: dict[int, int] = {}   # token -> its last case/mark child before it
        subj: set[int] = set()      # tokens with a subject child
        for j in range(start, end):
            h = heads[j]
            if deps[j] in _CASE_DEPS and j < h:
                case[h] = j
            if deps[j].startswith("nsubj"):
                subj.add(h)
        for k in range(n):
            i = start + k
            t = i
            while deps[t] == "conj" and heads[t] != t and start <= heads[t] < end and pos[t] in _NOMINAL:
                t = heads[t]  # a list member stands where the list's first member stands
            h = heads[t]
            parent[k] = h - start if h != t and start <= h < end else -1
            dep[k] = deps[t].split(":")[0]
            if t in case:
                prep[k] = low[case[t]]
            if not prep[k] and h != t and deps[h] in _PREP_DEPS and dep[k] == "pobj":
                prep[k] = low[h]
            if deps[i] == "conj" and pos[i] in {"VERB", "AUX"} and start <= heads[i] < end and i not in subj:
                shared[k] = heads[i] - start  # "France supports X and condemned Y": one subject
        root = next((k for k in range(n) if parent[k] == -1), 0)
        return cls(start, end, parent, dep, prep, root, shared)

    def ancestors(self, i: int) -> list[int]:
        """``i`` (a doc index) and its ancestors up to the root, as sentence offsets."""
        hit = self.memo.get(i)
        if hit is None:
            hit = self.memo[i] = self._ancestors(i)
        return hit

    def _ancestors(self, i: int) -> list[int]:
        out, k = [], i - self.start
        seen: set[int] = set()
        while k >= 0 and k not in seen:
            out.append(k)
            seen.add(k)
            k = self.parent[k]
        return out

    def head_of(self, m: Mention) -> int:
        """The token of a mention whose parent lies outside it (doc index)."""
        for i in range(m.start, m.end):
            p = self.parent[i - self.start]
            if p < 0 or not m.start <= p + self.start < m.end:
                return i
        return m.end - 1

    def path(self, i: int, j: int) -> tuple[str, int]:
        """The labelled path from token ``i`` up to the common ancestor and down to ``j``, and its
        length: ``"nsubj^"`` (i is the subject of j), ``"obl[par]^"``, ``"nsubj^>obj"``."""
        hit = self.memo.get((i, j))
        if hit is None:
            hit = self.memo[(i, j)] = self._path(i, j)
        return hit

    def _path(self, i: int, j: int) -> tuple[str, int]:
        up, down = self.ancestors(i), self.ancestors(j)
        first = self.shared.get(j - self.start)
        if first is not None and len(up) > 1 and up[1] == first and self.dep[up[0]] in {"nsubj", "nsubjpass"}:
            return f"{self.dep[up[0]]}^", 1  # the subject the coordinated verb shares
        downs_set = set(down)
        common = next((k for k in up if k in downs_set), None)
        if common is None:
            return "none", 99
        ups = up[:up.index(common)]
        downs = list(reversed(down[:down.index(common)]))
        def lab(k: int) -> str:
            return self.dep[k] + (f"[{self.prep[k]}]" if self.prep[k] else "")
        text = "".join(lab(k) + "^" for k in ups) + "".join(">" + self.dep[k] for k in downs)
        return (text or "self"), len(ups) + len(downs)


def _arrays(doc: Any) -> tuple[list[int], list[str]]:
    """Absolute head index and dependency label of every token of ``doc`` (read once per doc)."""
    memo = view(doc).memo
    hit = memo.get("heads+deps")
    if hit is None:
        arr = doc.to_array(["HEAD", "DEP"])
        strings = doc.vocab.strings
        heads = [i + off for i, off in enumerate(arr[:, 0].astype("int64").tolist())]
        hit = memo["heads+deps"] = (heads, [strings[d] if d else "" for d in arr[:, 1].tolist()])
    return hit


def hedge_features(reason: str | None) -> list[str]:
    """``hedge=negation`` ... from the filter's reason (``"negation:pas"``), or ``asserted``."""
    if reason is None:
        return ["asserted"]
    kind = reason.split(":", 1)[0]
    return ["hedged", f"hedge={kind}"]  # the class pools the rare kinds (questions, claims ...)


_CONTENT = frozenset({"NOUN", "VERB", "ADJ", "ADP", "ADV", "PROPN", "SCONJ", "CCONJ", "AUX", "PRON"})


def cue_classes(lemmas: Iterable[str], cue_of: dict[str, frozenset[str]], prefix: str) -> list[str]:
    """The predicates whose lexicon cues these words are ("thank" -> SUPPORTS): a class of words
    the model can weigh across all the words of a class, seen in training or not."""
    hits = [cue_of[w] for w in lemmas if w in cue_of]
    if not hits:
        return []
    out = hits[0].union(*hits[1:]) if len(hits) > 1 else hits[0]
    return [f"{prefix}={p}" for p in sorted(out)]


def _word(word: str, pos: str) -> str:
    """A word as a feature: proper nouns only by their class (no feature names anyone)."""
    return "PROPN" if pos == "PROPN" else word


def lexical_features(sent: Span, tree: SentenceTree, a: Mention, b: Mention, mentions: list[Mention],
                     cue_of: dict[str, frozenset[str]] | None = None) -> list[str]:
    """The words of a pair: lemmas between the two mentions, the word before the first and after
    the second, the lemma that governs both (their lowest common ancestor), the lemmas on the
    dependency path, and how many other actor mentions stand between them. They do not depend
    on the cue: computed once per pair and sentence (the result is shared; do not mutate it)."""
    key = ("lex", a.start, a.end, b.start, b.end, cue_of is None)
    hit = tree.memo.get(key)
    if hit is not None and hit[0] is mentions:  # the same mentions (the other walk has its own)
        return hit[1]  # type: ignore[no-any-return]
    feats = _lexical_features(sent, tree, a, b, mentions, cue_of)
    tree.memo[key] = (mentions, feats)
    return feats


def _lexical_features(sent: Span, tree: SentenceTree, a: Mention, b: Mention, mentions: list[Mention],
                      cue_of: dict[str, frozenset[str]] | None) -> list[str]:
    v = view(sent.doc)
    first, second = (a, b) if a.start <= b.start else (b, a)
    lo, hi = first.end, second.start
    feats: list[str] = []
    inside = tree.memo.get("inside")
    if inside is None or tree.memo.get("inside-of") is not mentions:
        inside = tree.memo["inside"] = {i for m in mentions for i in range(m.start, m.end)}
        tree.memo["inside-of"] = mentions
    words = [_word(v.lemma[i], v.pos[i]) for i in range(lo, hi) if v.pos[i] in _CONTENT and i not in inside]
    if hi - lo > 14:
        feats.append("bw=LONG")
        words = words[:5] + words[-5:]
    feats += [f"bw={w}" for w in dict.fromkeys(words)]
    if cue_of is not None:
        feats += cue_classes(words, cue_of, "bwc")
    if words:
        feats += [f"bw1={words[0]}", f"bwl={words[-1]}"]
    else:
        feats.append("bw=NONE")
    if first.start > tree.start:
        feats.append(f"wb={_word(v.lower[first.start - 1], v.pos[first.start - 1])}")
    if second.end < tree.end:
        feats.append(f"wa={_word(v.lower[second.end], v.pos[second.end])}")
    ha, hb = tree.head_of(a), tree.head_of(b)
    up, down = tree.ancestors(ha), tree.ancestors(hb)
    down_set = set(down)
    common = next((k for k in up if k in down_set), None)
    if common is not None:
        feats.append(f"lca={_word(v.lemma[common + tree.start], v.pos[common + tree.start])}")
        on_path = up[:up.index(common)] + down[:down.index(common)]
        path_lemmas = [v.lemma[k + tree.start] for k in on_path
                       if k + tree.start not in inside and v.pos[k + tree.start] in {"VERB", "NOUN", "ADP", "ADJ"}]
        feats += [f"pl={w}" for w in path_lemmas]
        if cue_of is not None:
            feats += cue_classes([v.lemma[common + tree.start], *path_lemmas], cue_of, "plc")
    between = sum(1 for m in mentions if lo <= m.start < hi and m is not a and m is not b)
    feats.append(f"nb={bucket(between)}")
    return feats


_SUBJ = frozenset({"nsubj", "agent", "csubj"})
_OBJ = frozenset({"obj", "dobj", "iobj", "obl", "pobj", "nmod", "dative", "attr", "appos", "compound", "amod"})
_POSS = frozenset({"poss", "nmod:poss"})


def role(path: str) -> str:
    """A coarse semantic role from a labelled path to the cue: ``S`` the subject (also of the verb
    a noun cue is the object of: "X a apporté son soutien"), ``A`` the agent of a passive, ``O`` a
    complement (with its preposition), ``P`` a possessor, ``far`` otherwise.

    >>> role("nsubj^"), role("nsubj^>obj"), role("obl[à]^"), role("pobj^prep[by]^"), role("nmod^acl^")
    ('S', 'S', 'O[à]', 'A', 'far')
    """
    if path in {"far", "none", "self"}:
        return "far"
    up, *downs = path.split(">")
    steps = [x for x in up.split("^") if x]
    if not steps:
        return "far"
    dep, _, prep = steps[0].partition("[")
    prep = prep.rstrip("]")
    if not downs:
        if len(steps) == 2 and dep == "pobj" and steps[1].startswith(("prep", "agent")):
            word = steps[1].partition("[")[2].rstrip("]")
            return "A" if word in {"by", "par"} else f"O[{word}]"
        if len(steps) == 1:
            if dep in _SUBJ:
                return "S"
            if dep in _POSS:
                return "P"
            if prep in {"par", "by"}:
                return "A"
            if dep in _OBJ:
                return f"O[{prep}]" if prep else "O"
        return "far"
    if len(steps) == 1 and len(downs) == 1 and dep in _SUBJ and downs[0] in {"obj", "dobj", "xcomp", "ccomp", "obl", "nmod"}:
        return "S"  # the subject of the verb whose complement the cue is: "X a apporté son soutien"
    return "far"


def pair_features(pred: str, tree: SentenceTree, cue: int, a: Mention, b: Mention) -> list[str]:
    """Syntax of a (subject, object) pair around the cue token ``cue`` (doc index)."""
    ha, hb = tree.head_of(a), tree.head_of(b)
    sp, sl = tree.path(ha, cue)
    op, ol = tree.path(hb, cue)
    sr, orr = role(sp), role(op)
    sp = sp if sl <= 4 else "far"
    op = op if ol <= 4 else "far"
    order = "".join(x for _, x in sorted([(a.start, "s"), (cue, "c"), (b.start, "o")]))
    ab, _ = tree.path(ha, hb)
    feats = [f"sr={sr}", f"or={orr}", f"roles={sr}/{orr}", f"sp={sp}", f"op={op}", f"sp={sp}|op={op}", f"ord={order}",
             f"sd={bucket(abs(cue - a.start))}", f"od={bucket(abs(b.start - cue))}",
             f"sl={bucket(sl)}", f"ol={bucket(ol)}", f"ab={ab if len(ab) < 40 else 'long'}"]
    return feats


def _quoted(sent: Span, cue: int) -> bool:
    """The cue sits inside quotation marks (an odd number of quotes before it in the sentence)."""
    txt = view(sent.doc).text
    return sum(1 for i in range(sent.start, cue) if txt[i] in _QUOTES) % 2 == 1


def cue_context(sent: Span, cue: int) -> list[str]:
    """Where the cue is: in a quotation, in a question."""
    out = []
    if _quoted(sent, cue):
        out.append("quoted")
    return out


def finish(pred: str, lang: str, feats: list[str]) -> list[str]:
    """Every feature once plain and once conjoined with the predicate, with the language as a
    feature of its own (copies of every feature per language were tried: they fitted the
    training folds better and the held-out ones no better)."""
    base = list(dict.fromkeys([f"P={pred}", f"lang={lang}", *feats]))
    return base + [f"{pred}|{f}" for f in base[1:]]
