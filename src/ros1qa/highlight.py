"""Pick the sentence(s) of a passage that answer best, as character ranges within the passage."""

from __future__ import annotations

from typing import Sequence

HIGHLIGHT_MARGIN = 0.03  # other sentences within this much of the best are marked too


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
