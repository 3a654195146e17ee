"""Pure scoring: unit scores → passage scores → ranking → confidence. No model, no I/O.

Ranking mixes the two retrievers within one question: ``dense_weight × cosine + (1 −
dense_weight) × BM25 / best BM25``. Whether to answer at all is a separate, absolute judgement
(``confidence``) that means the same for every question, unlike fused or max-normalised scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ros1qa.settings import RetrievalSettings


@dataclass(frozen=True)
class RankedPassage:
    passage: int
    score: float  # mixed score: orders passages within one question only
    dense: float  # best cosine of the question with any unit of the passage
    lexical: float  # best BM25 of any unit of the passage, as a share of the question's best
    coverage: float  # share of the question's concepts found in the passage (0..1)
    confidence: float  # absolute; compared with the threshold


def best_per_passage(unit_scores: np.ndarray, unit_passage: np.ndarray, passages: int) -> np.ndarray:
    """The maximum unit score of each passage (``-inf`` where a passage has no scored unit)."""
    best = np.full(passages, -np.inf, dtype=np.float64)
    np.maximum.at(best, unit_passage, unit_scores.astype(np.float64))
    return best


def confidence(dense: float, coverage: float, off_pages: bool, settings: RetrievalSettings) -> float:
    """How surely a passage answers, on one scale for all questions.

    The cosine of the question with the passage, plus a little for each question concept the
    passage contains, minus a penalty if the question names a subject that no page uses at all
    ("price", "dose", "weather"): the pages cannot speak to it. The penalty is paid once, not per
    word: a patient who explains their situation uses more words the pages lack, and is asking
    no less answerable a question for it.
    """
    penalty = settings.unknown_term_penalty if off_pages else 0.0
    return dense + settings.coverage_weight * coverage - penalty


def rank_passages(
    dense_units: np.ndarray,
    lexical_units: np.ndarray,
    unit_passage: np.ndarray,
    coverage: np.ndarray,
    off_pages: bool,
    settings: RetrievalSettings,
) -> list[RankedPassage]:
    """Passages with any evidence, best first."""
    count = len(coverage)
    dense = best_per_passage(dense_units, unit_passage, count)
    lexical = best_per_passage(lexical_units, unit_passage, count)
    seen = np.isfinite(dense) | (lexical > 0)
    dense = np.where(np.isfinite(dense), dense, 0.0)
    lexical = np.where(lexical > 0, lexical, 0.0)
    top_lexical = lexical.max(initial=0.0)
    lexical_share = lexical / top_lexical if top_lexical > 0 else lexical
    score = settings.dense_weight * dense + (1 - settings.dense_weight) * lexical_share
    order = np.argsort(-score, kind="stable")
    return [
        RankedPassage(
            passage=int(p),
            score=float(score[p]),
            dense=float(dense[p]),
            lexical=float(lexical_share[p]),
            coverage=float(coverage[p]),
            confidence=confidence(float(dense[p]), float(coverage[p]), off_pages, settings),
        )
        for p in order
        if seen[p]
    ]
