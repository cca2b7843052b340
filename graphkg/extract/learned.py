"""The learned extractor: the candidate generator proposes, the trained model decides.

``LearnedExtractor().extract(article)`` runs :class:`~graphkg.extract.candidates.CandidateGenerator`
over the article, scores every proposal with the shipped :class:`~graphkg.extract.model.LinearModel`
(``graphkg/extract/data/model.json``, rebuilt by ``graphkg train``), keeps each triple whose
calibrated probability reaches the model's threshold (and, for a person's office, only the best
one), and returns one :class:`~graphkg.model.Candidate` per kept triple: the evidence of its
best-scoring proposal, the probability as its confidence, and the features that weighed most
(``graphkg extract --explain`` prints them).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from graphkg.model import Article, Candidate

from .candidates import CandidateGenerator, Proposal
from .model import LinearModel, default_model, keep

if TYPE_CHECKING:
    from graphkg.resolve.gazetteer import Gazetteer

__all__ = ["LearnedExtractor", "decide"]

_TOP = 6  # features shown per triple


def decide(model: LinearModel, proposals: list[Proposal]) -> list[tuple[Proposal, float, float]]:
    """The kept triples of one article: (best proposal, raw score, probability), in text order."""
    best: dict[tuple[str, str, str], tuple[float, Proposal]] = {}
    for p in proposals:
        z = model.score(p.feats)
        k = p.key()
        if k not in best or z > best[k][0]:
            best[k] = (z, p)
    kept = keep([(k, z) for k, (z, _) in best.items()], model.threshold, model.confidence)
    out = [(p, z, model.confidence(z, p.predicate.value)) for k, (z, p) in best.items() if k in kept]
    return sorted(out, key=lambda x: (x[0].evidence[1], x[0].predicate.value, x[0].subject.label, x[0].object.label))


class LearnedExtractor:
    """Rules propose, a trained model decides; see the module docstring."""

    name = "graphkg-learned"

    def __init__(self, gazetteer: Gazetteer | None = None, fr_model: str = "fr_core_news_md",
                 en_model: str = "en_core_web_sm", model: LinearModel | None = None) -> None:
        self.generator = CandidateGenerator(gazetteer, fr_model=fr_model, en_model=en_model)
        self.model = model if model is not None else default_model()
        #: the generator's version and the model's (a retrained model is a new extractor version)
        self.version = f"{self.generator.version}+model.{self.model.version}"

    @property
    def tag(self) -> str:
        return f"{self.name}/{self.version}"

    def prepare(self, article: Article) -> Article:
        """The article with its language set (see :meth:`RuleExtractor.prepare`)."""
        return self.generator.prepare(article)

    def extract(self, article: Article) -> list[Candidate]:
        """The triples the model keeps, one candidate each (empty for undetected languages)."""
        _, proposals = self.generator.proposals(article)
        tag = self.tag
        out = []
        for p, _, prob in decide(self.model, proposals):
            cand = p.candidate(tag, prob)
            out.append(dataclasses.replace(cand, features=tuple(self.model.top(p.feats, _TOP))))
        return out

    def explain(self, candidate: Candidate) -> str:
        """One line: the triple, its probability, and the features that weighed most."""
        feats = ", ".join(f"{f} {w:+.2f}" for f, w in candidate.features)
        return (f"{candidate.subject.label} --{candidate.predicate.value}--> {candidate.object.label} "
                f"[p={candidate.confidence:.2f}; cue {candidate.cue!r}, pattern {candidate.pattern or '-'}; {feats}]")
