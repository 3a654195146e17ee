"""Pick the sentence(s) of a passage that answer, as character ranges within the passage.

A learned selector reads features of each sentence against the question that mean the same on every
page: how the question matches the sentence read alone and read with the sentence before it (the
search unit), how it matches the next one, the question concepts the sentence names, where it sits
and what it is (a lead-in ending in ":", a figure, its length), and whether it offers the kind of
answer the question asks for (a figure for "how many", a reason for "why": ``question_kind``). It is a
logistic regression learned from the gold spans of the labelled questions of many pages (``ros1qa
train``; ``highlight_model.json``) and scored leaving one page or set out (docs/quality.md). The best
sentence is marked, and the next best too when it is nearly as likely to be the one (never more than
two). Without a usable model (another embedding model), the ranking mix with the concepts a sentence
names picks instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ros1qa.ask.question_kind import KINDS, NUMBER, offers
from ros1qa.settings import RetrievalSettings

MODEL_FILE = Path(__file__).with_name("highlight_model.json")
FEATURES = ("cosine", "cosine below best", "next cosine", "BM25 share", "coverage", "coverage below best",
            "alone cosine", "alone cosine below best", "previous alone cosine", "first", "last", "log words",
            "lead-in", "figure", *(f"offers {kind} asked" for kind in KINDS))
VERSION = "highlight-v2"
REGULARISATION = 0.1  # scikit-learn's C; chosen leaving one page (and one seed set) out
SECOND_WITHIN = 1.0  # log-odds: the second-best sentence is marked too when its odds are within e¹ of the best's
HIGHLIGHT_MARGIN = 0.02  # without a model: other sentences within this much of the best are marked too


def sentence_features(cosines: np.ndarray, alone: np.ndarray, lexical: np.ndarray, coverage: Sequence[float],
                      texts: Sequence[str], asked: frozenset[str] = frozenset()) -> np.ndarray:
    """One row of ``FEATURES`` per sentence of a passage, in order. ``cosines``: the question against each
    sentence's search unit (read after the sentence before it); ``alone``: against the sentence read alone;
    ``lexical``: each unit's BM25 score; ``coverage``: the share of the question's concepts each names;
    ``asked``: the kinds of answer the question asks for (``question_kind.asks``)."""
    cosines, alone = np.asarray(cosines, dtype=np.float64), np.asarray(alone, dtype=np.float64)
    lexical, coverage = np.asarray(lexical, dtype=np.float64), np.asarray(coverage, dtype=np.float64)
    count = len(texts)
    peak = lexical.max(initial=0.0)
    place = np.arange(count)
    return np.column_stack([
        cosines, cosines - cosines.max(), np.append(cosines[1:], cosines[-1:]),
        lexical / peak if peak > 0 else np.zeros(count), coverage, coverage - coverage.max(),
        alone, alone - alone.max(), np.append(0.0, alone[:-1]),
        place == 0, place == count - 1, np.log([max(1, len(t.split())) for t in texts]),
        [t.rstrip().endswith(":") for t in texts], [bool(NUMBER.search(t)) for t in texts],
        *([kind in asked and kind in offers(t) for t in texts] for kind in KINDS),
    ]).astype(np.float64)


def chosen(logits: Sequence[float]) -> list[int]:
    """The sentences a learned selector marks, in passage order: the best, and the next best when it is nearly as likely."""
    if not len(logits):
        return []
    order = np.argsort(-np.asarray(logits, dtype=np.float64), kind="stable")
    best = [int(order[0])]
    if len(order) > 1 and logits[order[0]] - logits[order[1]] < SECOND_WITHIN:
        best.append(int(order[1]))
    return sorted(best)


def read_with_next(unit_scores: np.ndarray) -> np.ndarray:
    """Without a model: each sentence's score as the mean of the two units that read it: its own, and the
    next sentence's, which carries it as context. (The last sentence of a passage has only its own.)"""
    scores = np.asarray(unit_scores, dtype=np.float64)
    return (scores + np.append(scores[1:], scores[-1:])) / 2 if len(scores) else scores


def unlearned(cosines: np.ndarray, lexical: np.ndarray, coverage: Sequence[float], settings: RetrievalSettings) -> list[int]:
    """Without a model: the sentences whose ranking mix, plus the share of question concepts they name, is within
    ``HIGHLIGHT_MARGIN`` of the best."""
    cosines, lexical = read_with_next(cosines), read_with_next(lexical)
    peak = float(lexical.max(initial=0.0))
    share = lexical / peak if peak > 0 else np.zeros_like(lexical)
    scores = settings.dense_weight * cosines + (1 - settings.dense_weight) * share
    scores = scores + settings.highlight_coverage_weight * np.asarray(coverage)
    return [n for n, s in enumerate(scores) if s >= scores.max() - HIGHLIGHT_MARGIN] if len(scores) else []


def highlight_ranges(passage_start: int, sentences: Sequence[tuple[int, int]], marked: Sequence[int]
                     ) -> tuple[tuple[int, int], ...]:
    """Ranges (relative to the passage) of the ``marked`` sentences."""
    return tuple((sentences[n][0] - passage_start, sentences[n][1] - passage_start) for n in marked)
