"""Which of the passages an answer shows leads: the one whose sentence answers, judged across pages.

Retrieval orders passages by how the question matches each as a whole, but a patient reads the first
passage's highlighted sentence first (issue 16: passage and span agree). The lead judgement compares the
first passage with each of the next ones an answer would show, from differences that mean the same on
every page: of their ranking scores, of the highlight's log-odds for their best sentence (``highlight``),
and of their pair features (``pair_features``: cosines, BM25, the question's concepts and word pieces each covers). It is
the calibrated regression the other judgements share, learned by ``ros1qa train`` from the answerable
questions of many pages where exactly one of the two passages holds the answer (``lead_model.json``).
That regression weighs both outcomes the same; the threshold puts the outcomes' real shares back, so a
passage takes the lead only when it is more likely than not the one that answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.ask import pair_features
from ros1qa.ask.answer_model import AnswerModel, train_answer_model

MODEL_FILE = Path(__file__).with_name("lead_model.json")
COMPARED = ("dense", "sentence", "lexical", "coverage", "sentence_coverage", "missing", "tokens")  # of the pair features
FEATURES = ("score", "best sentence", "one sentence", *COMPARED)  # each: the other passage's minus the first's
VERSION = "lead-v2"
REGULARISATION = 1.0  # scikit-learn's C; chosen leaving one page out (docs/quality.md, stop 27)
_COLUMNS = [pair_features.FEATURES.index(name) for name in COMPARED]


@dataclass(frozen=True)
class Contender:
    """What the lead judgement reads of one passage an answer would show."""

    score: float  # its ranking score
    pair: np.ndarray  # its pair features (``pair_features.FEATURES``)
    best_sentence: float | None  # the highlight's log-odds for its best sentence (None: a passage of one sentence)


def best_sentence(highlighter: AnswerModel, sentence_features: np.ndarray | None) -> float | None:
    """The highlight selector's log-odds for a passage's best sentence, from its sentences' ``highlight.FEATURES``
    (None: a passage of one sentence, which has none)."""
    return None if sentence_features is None else float(highlighter.logit(sentence_features).max())


def lead_features(first: Contender, other: Contender) -> np.ndarray:
    """``FEATURES``: how ``other`` compares with the passage that leads now."""
    def sentence(c: Contender) -> tuple[float, float]:
        return (0.0, 1.0) if c.best_sentence is None else (c.best_sentence, 0.0)

    (first_best, first_one), (other_best, other_one) = sentence(first), sentence(other)
    return np.array([other.score - first.score, other_best - first_best, other_one - first_one,
                     *(np.asarray(other.pair)[_COLUMNS] - np.asarray(first.pair)[_COLUMNS])])


def leader(model: AnswerModel, contenders: Sequence[Contender]) -> int:
    """The position of the passage that leads: of those the model finds likelier to answer than the first, the
    likeliest; else the first (0)."""
    if len(contenders) < 2:
        return 0
    likely = model.probability(np.stack([lead_features(contenders[0], c) for c in contenders[1:]]))
    best = int(np.argmax(likely))
    return best + 1 if likely[best] >= model.threshold else 0


def train_lead_model(features: np.ndarray, other_answers: Sequence[bool], pages: Sequence[str],
                     model_id: str) -> AnswerModel:
    """The lead judgement, from rows of ``FEATURES`` (the other passage against the first; label: the other holds
    the answer and the first does not), each page's rows weighing the same. The fit weighs both labels the same (by
    their counts), which adds log(first's count / other's count) to every log-odds; the threshold takes it off
    again: the probability at which the real odds are even is the share of rows where the first answers."""
    labels = np.asarray(other_answers, dtype=bool)
    threshold = float(np.mean(~labels))
    return train_answer_model(features, labels, pages, model_id, REGULARISATION, threshold, FEATURES, VERSION)
