"""Features of a question–passage pair: how well the passage matches the question, on any page.

Whether a passage answers is judged from the match, not from the question alone: a classifier over
the question's vector learns what one page answers, while these features mean the same on every page
(similarities of passage and sentences, coverage of the question's concepts weighted by how rare they
are, the concept a passage lacks, the margin to the runner-up, words of the question that no page
uses, the question's word pieces matched in the passage, on average and at worst). Pure functions over plain
arrays; no model, no index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ros1qa.ask.token_match import PieceMatch

FEATURES = (
    "dense",  # best cosine of the question with the passage or any of its sentences
    "sentence",  # best cosine with one of its sentences (the passage itself when it has one sentence)
    "lexical",  # best BM25 of its units, as a share of the question's best passage
    "coverage",  # share of the question's concepts in the passage, weighted by their rarity (idf)
    "sentence_coverage",  # the same within its best sentence
    "missing",  # the rarest concept of the question that the passage lacks (its idf / the question's rarest)
    "unknown",  # share of the question's concepts that no page uses
    "margin",  # ranking score minus the best other passage's
    "kept",  # cosine of the question with itself without the words no page uses (1 when there are none)
    "tokens",  # the question's word pieces matched to the passage's, in context (``token_match.piece_match``'s recall)
    "weakest",  # the cosine of the question's least matched piece with the passage's nearest (its ``weakest``)
)
VERSION = "pair-features-v3"


@dataclass(frozen=True)
class PairEvidence:
    """What the retrievers found for one question and one passage (its units in passage order)."""

    cosines: np.ndarray  # one per unit: the passage's own unit first, then its sentences (if several)
    lexical_share: float
    presence: np.ndarray  # concepts × units: whether each unit holds the concept under any alternative
    score: float  # ranking score
    best_other_score: float
    pieces: PieceMatch  # the question's word pieces matched to the passage's


def pair_features(evidence: PairEvidence, idf: np.ndarray, kept: float) -> np.ndarray:
    """The feature vector (``FEATURES`` order) of one pair; ``idf`` per concept (0: no page uses it)."""
    cosines = np.asarray(evidence.cosines, dtype=np.float64)
    sentences = cosines[1:] if len(cosines) > 1 else cosines
    known = idf > 0
    weight = float(idf.sum())
    presence = np.asarray(evidence.presence, dtype=bool).reshape(len(idf), len(cosines))
    if weight > 0:
        unit_coverage = idf @ presence / weight
        sentence_units = unit_coverage[1:] if len(cosines) > 1 else unit_coverage
        coverage, sentence_coverage = float(unit_coverage[0]), float(sentence_units.max())
        missing = float(np.where(presence[:, 0], 0.0, idf).max() / idf.max())
    else:
        coverage = sentence_coverage = 0.0
        missing = 1.0
    unknown = float(1 - known.mean()) if len(idf) else 0.0
    return np.array([
        cosines.max(), sentences.max(), evidence.lexical_share, coverage, sentence_coverage, missing, unknown,
        evidence.score - evidence.best_other_score, kept, evidence.pieces.recall, evidence.pieces.weakest,
    ])
