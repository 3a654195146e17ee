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


def best_units(unit_scores: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` units with a positive score, ordered by score, then unit number (all, if fewer).

    Equal scores are common (a corpus repeats sentences); taking the lowest unit numbers among them
    makes the choice the same whatever the corpus size. Only the units at or above a threshold are
    sorted: at a million units that costs one comparison pass, not a partition of every score.
    """
    if count >= len(unit_scores):
        chosen = np.flatnonzero(unit_scores > 0)
    else:
        chosen = _at_least(unit_scores, count)
        values = unit_scores[chosen]
        if len(chosen) > count:  # keep those above the count-th score, then the lowest numbers among its ties
            kth = np.partition(values, len(values) - count)[len(values) - count]
            tied = chosen[values == kth][: count - int(np.count_nonzero(values > kth))]
            chosen = np.sort(np.concatenate([chosen[values > kth], tied]))
    return chosen[np.argsort(-unit_scores[chosen], kind="stable")]


def _at_least(unit_scores: np.ndarray, count: int) -> np.ndarray:
    """Ascending numbers of positive units including the ``count`` best (all positive ones if fewer).

    The threshold is guessed from every ``stride``-th score and checked: a guess that keeps fewer
    than ``count`` units is lowered until enough remain, down to "any positive score".
    """
    stride = max(1, len(unit_scores) // (64 * count))
    sample = unit_scores[::stride]
    ranks = [r for r in (2 * count // stride, 8 * count // stride) if r < len(sample)]
    guesses = -np.partition(-sample, ranks)[ranks] if ranks else []
    for guess in guesses:
        if guess > 0:
            chosen = np.flatnonzero(unit_scores >= guess)
            if len(chosen) >= count:
                return chosen
    return np.flatnonzero(unit_scores > 0)


def best_passages(unit_scores: np.ndarray, unit_passage: np.ndarray, limit: int) -> np.ndarray:
    """The ``limit`` passages whose best unit scores highest (all with a positive score, if fewer).

    Reading units best first (ties: lower unit number first), the first ``limit`` distinct passages
    are those passages, so only the best few hundred units need ordering.
    """
    wanted = 4 * limit
    while True:
        top = best_units(unit_scores, wanted)
        passages = unit_passage[top]
        firsts = np.sort(np.unique(passages, return_index=True)[1])
        if len(firsts) >= limit or len(top) < wanted:
            return passages[firsts[:limit]]
        wanted *= 4


def best_per_passage(unit_scores: np.ndarray, unit_passage: np.ndarray, passages: int) -> np.ndarray:
    """The maximum unit score of each passage (``-inf`` where a passage has no scored unit)."""
    best = np.full(passages, -np.inf, dtype=np.float64)
    np.maximum.at(best, unit_passage, unit_scores.astype(np.float64))
    return best


def confidence(dense: float, coverage: float, settings: RetrievalSettings) -> float:
    """How surely a passage answers, on one scale for all questions: the cosine of the question with
    the passage, plus a little for each question concept the passage contains."""
    return dense + settings.coverage_weight * coverage


def surest(ranked: list[RankedPassage], settings: RetrievalSettings) -> float:
    """The best confidence among the passages an answer would show (the first ``shown``): what the
    threshold is held against. The first in order may be less sure than one after it when example
    questions put it there."""
    return max((r.confidence for r in ranked[: settings.shown]), default=float("-inf"))


def rank_passages(
    dense_units: np.ndarray,
    lexical_units: np.ndarray,
    unit_passage: np.ndarray,
    coverage: np.ndarray,
    settings: RetrievalSettings,
    numbers: np.ndarray | None = None,
    ranking_units: np.ndarray | None = None,
    boost: np.ndarray | None = None,
) -> list[RankedPassage]:
    """Passages with any evidence, best first; ``numbers`` renames passage ``i`` to ``numbers[i]``.

    The order takes each passage's cosine from its ``ranking_units`` (default: all): its sentences,
    each read in context, rather than the whole passage, which names every topic it touches and so
    comes close to many questions it does not answer. Whether to answer (``confidence``) still reads
    the best of all its units. ``boost`` (per passage) adds to the order only: the sentence read alone, votes.
    """
    count = len(coverage)
    dense = best_per_passage(dense_units, unit_passage, count)
    lexical = best_per_passage(lexical_units, unit_passage, count)
    seen = np.isfinite(dense) | (lexical > 0)
    dense = np.where(np.isfinite(dense), dense, 0.0)
    closest = dense
    if ranking_units is not None:
        closest = best_per_passage(np.where(ranking_units, dense_units, -np.inf), unit_passage, count)
        closest = np.where(np.isfinite(closest), closest, dense)  # none of them among the nearest units
    lexical = np.where(lexical > 0, lexical, 0.0)
    top_lexical = lexical.max(initial=0.0)
    lexical_share = lexical / top_lexical if top_lexical > 0 else lexical
    score = settings.dense_weight * closest + (1 - settings.dense_weight) * lexical_share
    if boost is not None:
        score = score + boost
    order = np.argsort(-score, kind="stable")
    order = order[seen[order]]
    names = (np.arange(count) if numbers is None else np.asarray(numbers))[order]
    columns = (names, score[order], dense[order], lexical_share[order], np.asarray(coverage, dtype=np.float64)[order])
    return [  # Python numbers from tolist(): building hundreds of rows costs ≈10× less than float() on each element
        RankedPassage(passage, total, cosine, share, covered, confidence(cosine, covered, settings))
        for passage, total, cosine, share, covered in zip(*(column.tolist() for column in columns))
    ]
