"""Triple scoring against an annotated gold set (the dev-set format), inside the project.

The rules follow the annotation README of the dev set (``../shared/devset/README.md``) and
give the same figures as the reference scorer in strict mode:

* a prediction belongs to the gold article whose file name equals its ``source`` basename;
* labels are normalised (accents, case, punctuation, leading articles, "U.S." -> "us") and
  mapped to a gold entity by name or alias, else by a token-set similarity >= 0.85 in which a
  subset only counts when the shorter label holds at least half of the longer one's tokens;
* MEETS / COOPERATES_WITH (and gold triples flagged ``symmetric``) match in either direction;
* required triples are matched first (exact alias matches before fuzzy ones); a prediction
  that only matches an optional triple, or repeats a matched one, counts neither way.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkg.vocab import symmetric_predicates

__all__ = ["Counts", "Score", "ArticleLabels", "normalize", "similarity", "load_gold", "score"]

THRESHOLD = 0.85
_ARTICLES = frozenset({"the", "le", "la", "les", "l'", "de", "du", "des", "d'"})
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_UNMATCHED = 2


def _symmetric() -> frozenset[str]:
    """Predicates matched in either direction: the ontology's symmetric ones."""
    return frozenset(p.value for p in symmetric_predicates())

Key = tuple[str, str, str]


def normalize(label: str | None) -> str:
    """Comparable form of an entity label.

    >>> normalize("L'Organisation des Nations unies")
    'organisation des nations unies'
    >>> normalize("U.S.")
    'us'
    """
    if not label:
        return ""
    text = "".join(c for c in unicodedata.normalize("NFKD", str(label)) if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s']", " ", text.translate(_APOS).casefold()).replace("_", " ")
    words = text.replace("'", "' ").split()
    while words and words[0] in _ARTICLES:
        words.pop(0)
    out: list[str] = []
    letters = ""
    for w in (w.strip("'") for w in words):
        if not w:
            continue
        if len(w) == 1 and w.isalpha():
            letters += w
            continue
        if letters:
            out.append(letters)
            letters = ""
        out.append(w)
    if letters:
        out.append(letters)
    return " ".join(out)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def similarity(a: str, b: str) -> float:
    """Token-set similarity of two normalised labels in [0, 1] with the subset-coverage guard.

    >>> similarity("dupont", "jean dupont")
    1.0
    >>> similarity("moroccan", "moroccan foreign minister") < 0.85
    True
    """
    ta, tb = set(a.split()), set(b.split())
    if not ta or not tb:
        return 0.0
    common = sorted(ta & tb)
    left = " ".join(common + sorted(ta - tb)).strip()
    right = " ".join(common + sorted(tb - ta)).strip()
    best = _ratio(left, right)
    if common:
        subset = ta <= tb or tb <= ta
        if not subset or 2 * len(common) >= max(len(ta), len(tb)):
            inter = " ".join(common)
            best = max(best, _ratio(inter, left), _ratio(inter, right))
    return best


class _Entities:
    """Gold entities of one article, looked up by normalised label."""

    def __init__(self, entities: Iterable[dict[str, Any]]) -> None:
        self.forms: dict[str, set[str]] = defaultdict(set)
        for ent in entities:
            for form in [ent["name"], *ent.get("aliases", [])]:
                if normalize(form):
                    self.forms[normalize(form)].add(ent["name"])
        self._cache: dict[str, tuple[frozenset[str], int]] = {}

    def resolve(self, label: str) -> tuple[frozenset[str], int]:
        """Candidate canonical names and the match level (0 exact, 1 fuzzy, 2 none)."""
        norm = normalize(label)
        if norm not in self._cache:
            self._cache[norm] = self._resolve(norm)
        return self._cache[norm]

    def _resolve(self, norm: str) -> tuple[frozenset[str], int]:
        if norm in self.forms:
            return frozenset(self.forms[norm]), 0
        best, names = 0.0, set()
        for form, canon in self.forms.items():
            sim = similarity(norm, form)
            if sim > best + 1e-9:
                best, names = sim, set(canon)
            elif abs(sim - best) <= 1e-9:
                names |= canon
        if best >= THRESHOLD and names:
            return frozenset(names), 1
        return frozenset({"<unmatched>:" + norm}), _UNMATCHED


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    """Micro-averaged counts, per article and per predicate, plus the misses and false positives."""

    total: Counts = field(default_factory=Counts)
    articles: dict[str, Counts] = field(default_factory=dict)
    predicates: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[tuple[str, Key]] = field(default_factory=list)
    false_positives: list[tuple[str, Key]] = field(default_factory=list)


def _pred_name(p: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(p or "").strip()).upper()


def _label(x: Any) -> str:
    if isinstance(x, dict):
        return next((str(x[k]) for k in ("label", "name", "text", "id") if x.get(k)), "")
    return "" if x is None else str(x)


def load_gold(path: Path) -> dict[str, dict[str, Any]]:
    """Gold articles keyed by file name."""
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            out[doc["file"]] = doc
    return out


def _file_of(source: Any, files: Iterable[str]) -> str | None:
    base = os.path.basename(str(source or "").replace("\\", "/"))
    names = set(files)
    if base in names:
        return base
    if base + ".txt" in names:
        return base + ".txt"
    stem = os.path.splitext(base)[0]
    return next((f for f in sorted(names) if os.path.splitext(f)[0] == stem), None)


def _matches(gold: Key, symmetric: bool, keys: Iterable[Key]) -> bool:
    gs, gp, go = gold
    return any(p == gp and ((s, o) == (gs, go) or symmetric and (s, o) == (go, gs)) for s, p, o in keys)


@dataclass(slots=True)
class _Gold:
    key: Key
    sym: bool
    opt: bool
    hit: bool = False


@dataclass(slots=True)
class _Pred:
    keys: set[Key]
    level: int
    raw: Key
    status: str = ""
    gold: _Gold | None = None


class ArticleLabels:
    """What the gold of one article says of a proposed triple, by the scorer's matching rules.

    ``label(s, p, o)`` is ``"TP"`` when the triple matches a required gold triple (in either
    direction for symmetric ones, exact or fuzzy label matches), ``"OPT"`` when it matches only
    an optional one, ``"FP"`` otherwise; with the matched gold triples' evidence. Unlike
    :func:`score`, every proposal is labelled on its own (repeats of a triple all count).
    """

    def __init__(self, doc: dict[str, Any]) -> None:
        self.index = _Entities(doc.get("entities", []))
        self.gold = _gold_items(doc)
        self.evidence = {g.key: str(t.get("evidence") or "") for g, t in zip(self.gold, doc.get("triples", []), strict=True)}

    def label(self, s: str, p: str, o: str) -> tuple[str, list[str]]:
        """``("TP"|"OPT"|"FP", evidence of the matched required triples)``."""
        subj, _ = self.index.resolve(s)
        obj, _ = self.index.resolve(o)
        keys = {(a, p, b) for a in subj for b in obj}
        required = [g for g in self.gold if not g.opt and _matches(g.key, g.sym, keys)]
        if required:
            return "TP", [self.evidence[g.key] for g in required]
        if any(g.opt and _matches(g.key, g.sym, keys) for g in self.gold):
            return "OPT", []
        return "FP", []

    def matched(self, s: str, p: str, o: str) -> tuple[str, frozenset[int]]:
        """Like :meth:`label`, with the indices of the required gold triples matched."""
        subj, _ = self.index.resolve(s)
        obj, _ = self.index.resolve(o)
        keys = {(a, p, b) for a in subj for b in obj}
        hit = frozenset(i for i, g in enumerate(self.gold) if not g.opt and _matches(g.key, g.sym, keys))
        if hit:
            return "TP", hit
        if any(g.opt and _matches(g.key, g.sym, keys) for g in self.gold):
            return "OPT", hit
        return "FP", hit

    @property
    def required(self) -> int:
        """Required gold triples of the article."""
        return sum(1 for g in self.gold if not g.opt)


def _gold_items(doc: dict[str, Any]) -> list[_Gold]:
    gold = []
    for t in doc.get("triples", []):
        p = _pred_name(t["p"])
        gold.append(_Gold((t["s"], p, t["o"]), p in _symmetric() or bool(t.get("symmetric")), bool(t.get("optional"))))
    return gold


def _pred_items(index: _Entities, preds: list[dict[str, str]]) -> list[_Pred]:
    """Predictions mapped to gold entity names; repeats of one resolved triple kept once."""
    items: list[_Pred] = []
    seen: set[frozenset[Key]] = set()
    for pr in preds:
        subj, s_level = index.resolve(pr["s"])
        obj, o_level = index.resolve(pr["o"])
        keys = {(s, pr["p"], o) for s in subj for o in obj}
        ident = frozenset(keys | ({(o, p, s) for s, p, o in keys} if pr["p"] in _symmetric() else set()))
        if ident not in seen:
            seen.add(ident)
            items.append(_Pred(keys, max(s_level, o_level), (pr["s"], pr["p"], pr["o"])))
    return items


def _match(items: list[_Pred], gold: list[_Gold]) -> None:
    """Set every prediction's status: TP (required triples, exact matches first), OPT, DUP or FP."""
    required = [g for g in gold if not g.opt]
    optional = [g for g in gold if g.opt]
    for level in (0, 1):  # exact alias matches first, then fuzzy ones
        for it in items:
            if it.status or it.level > level:
                continue
            g = next((g for g in required if not g.hit and _matches(g.key, g.sym, it.keys)), None)
            if g is not None:
                g.hit, it.status, it.gold = True, "TP", g
    for it in items:
        if it.status:
            continue
        if any(_matches(g.key, g.sym, it.keys) for g in optional):
            it.status = "OPT"
        elif any(g.hit and _matches(g.key, g.sym, it.keys) for g in required):
            it.status = "DUP"
        else:
            it.status = "FP"


def _score_article(doc: dict[str, Any], preds: list[dict[str, str]], score: Score) -> Counts:
    gold = _gold_items(doc)
    items = _pred_items(_Entities(doc.get("entities", [])), preds)
    _match(items, gold)
    counts = Counts()
    name = doc["file"]
    for it in items:
        if it.status == "TP" and it.gold is not None:
            counts.tp += 1
            score.predicates[it.gold.key[1]].tp += 1
        elif it.status == "FP":
            counts.fp += 1
            score.predicates[it.raw[1]].fp += 1
            score.false_positives.append((name, it.raw))
    for g in gold:
        if not g.opt and not g.hit:
            counts.fn += 1
            score.predicates[g.key[1]].fn += 1
            score.misses.append((name, g.key))
    return counts


def score(gold: dict[str, dict[str, Any]], predictions: Iterable[dict[str, Any]],
          only_files: Iterable[str] | None = None) -> Score:
    """Score prediction rows (``source``, ``subject``, ``predicate``, ``object``) against ``gold``."""
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in predictions:
        f = _file_of(row.get("source") or row.get("file") or row.get("doc"), gold)
        if f is not None:
            by_file[f].append({"s": _label(row.get("subject", row.get("s"))),
                               "p": _pred_name(row.get("predicate", row.get("p"))),
                               "o": _label(row.get("object", row.get("o")))})
    files = sorted(gold) if only_files is None else sorted(set(only_files) & set(gold))
    result = Score()
    for f in files:
        c = _score_article(gold[f], by_file.get(f, []), result)
        result.articles[f] = c
        result.total.tp += c.tp
        result.total.fp += c.fp
        result.total.fn += c.fn
    result.predicates = dict(result.predicates)
    return result
