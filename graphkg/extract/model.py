"""The trained decision model: a sparse logistic regression over the candidates' features.

The model is data, like the lexicon: ``graphkg/extract/data/model.json`` holds the weights of
every feature, the bias, the calibration of the article-level score and the decision threshold,
with its manifest (training data, versions, seeds, cross-validated score). It is built by
``graphkg train`` (:mod:`graphkg.quality.train`); reading and applying it needs no scikit-learn.

A proposal's score is ``bias + sum(weights of its features)``; a triple's score in an article is
the best score of its proposals; its confidence is ``sigmoid(a * score + b)`` (Platt calibration
fitted on held-out folds, per predicate when the predicate had enough examples: the scores of
predicates are not on one scale), and it is kept when the confidence reaches the threshold.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from graphkg.errors import OntologyError

__all__ = ["LinearModel", "FORMAT", "default_model", "model_path", "FUNCTIONAL", "keep"]

#: predicates whose subject holds at most one object in an article (a person's office)
FUNCTIONAL = frozenset({"REPRESENTS"})


def keep(scored: list[tuple[tuple[str, str, str], float]], threshold: float,
         confidence: Any) -> set[tuple[str, str, str]]:
    """The triples an article keeps: confidence at the threshold or above, and for a functional
    predicate only the best object of each subject.

    >>> k = keep([(("p", "REPRESENTS", "a"), 2.0), (("p", "REPRESENTS", "b"), 1.0), (("x", "SUPPORTS", "y"), -3.0)],
    ...          0.5, lambda z, p: 1 / (1 + math.exp(-z)))
    >>> sorted(k)
    [('p', 'REPRESENTS', 'a')]
    """
    best: dict[tuple[str, str], float] = {}
    for (s, p, _), z in scored:
        if p in FUNCTIONAL:
            best[(s, p)] = max(best.get((s, p), z), z)
    return {key for key, z in scored if confidence(z, key[1]) >= threshold
            and not (key[1] in FUNCTIONAL and z < best[(key[0], key[1])])}

FORMAT = "graphkg-linear/1"


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Weights, calibration and threshold of the decision model."""

    weights: dict[str, float]
    bias: float
    calibration: tuple[float, float] = (1.0, 0.0)
    threshold: float = 0.5
    manifest: dict[str, Any] = field(default_factory=dict)
    by_predicate: dict[str, tuple[float, float]] = field(default_factory=dict)  # calibration per predicate

    def score(self, feats: list[str]) -> float:
        """The raw (logit) score of one proposal."""
        return self.bias + sum(map(self.weights.get, feats, itertools.repeat(0.0, len(feats))))  # each feature once

    def confidence(self, score: float, predicate: str | None = None) -> float:
        """Calibrated probability that a triple of ``predicate`` with this (best) score is right
        (each predicate's own calibration when it had enough held-out examples, else the global one)."""
        a, b = self.by_predicate.get(predicate, self.calibration) if predicate is not None else self.calibration
        z = a * score + b
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0

    def top(self, feats: list[str], n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` features that weigh most (by absolute weight) in a proposal's score."""
        w = self.weights
        scored = [(f, w[f]) for f in set(feats) if f in w]
        return sorted(scored, key=lambda x: (-abs(x[1]), x[0]))[:n]

    @property
    def version(self) -> str:
        """A short hash of the weights (changes whenever the model does)."""
        return str(self.manifest.get("version") or self.digest())

    def digest(self) -> str:
        """A hash of what decides (weights, bias, calibration, threshold, as the file stores them)."""
        data = json.loads(self.to_json())
        data.pop("manifest")
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()[:12]

    def to_json(self) -> str:
        """The model file's text (sorted keys, fixed float formatting: byte-stable across runs)."""
        data = {"format": FORMAT, "bias": round(self.bias, 6), "calibration": [round(x, 6) for x in self.calibration],
                "calibration_by_predicate": {p: [round(x, 6) for x in ab] for p, ab in sorted(self.by_predicate.items())},
                "threshold": round(self.threshold, 4), "manifest": self.manifest,
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if round(v, 6) != 0.0}}
        return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "model") -> LinearModel:
        """Parse a model file.

        Raises:
            OntologyError: not a graphkg linear model file.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise OntologyError(f"{source}: not a model file ({err})", source) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise OntologyError(f"{source}: not a {FORMAT} model file", source)
        a, b = data.get("calibration", (1.0, 0.0))
        per = {str(p): (float(x), float(y)) for p, (x, y) in data.get("calibration_by_predicate", {}).items()}
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                   (float(a), float(b)), float(data.get("threshold", 0.5)), dict(data.get("manifest", {})), per)

    def save(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")


def model_path() -> Path:
    """Where the shipped model lives (package data)."""
    return Path(str(resources.files("graphkg.extract").joinpath("data/model.json")))


@functools.cache
def default_model() -> LinearModel:
    """The shipped model, read once per process.

    Raises:
        OntologyError: the model file is missing (rebuild it: ``graphkg train``) or unreadable.
    """
    path = model_path()
    if not path.is_file():
        raise OntologyError(f"the extraction model {path} is missing; build it with `graphkg train`", str(path))
    return LinearModel.from_json(path.read_text(encoding="utf-8"), str(path))
