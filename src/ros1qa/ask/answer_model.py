"""Does this passage answer this question? A calibrated logistic regression over pair features.

It reads features of the question–passage pair (``pair_features``), which mean the same on every
page, and the question prior (``question_prior``): how likely a question of its kind is answered at
all. Both are learned across pages and carry over to pages without labelled questions of their own.
It is trained offline (``ros1qa train``) on the labelled questions of many pages, each page weighted
equally, and ships beside this module as a corpus-independent model. A probability of
``threshold`` or more means "answer", the same on every page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.ask.pair_features import FEATURES, VERSION
from ros1qa.ask.question_prior import QuestionPrior, out_of_page, prior_from_dict, prior_to_dict, train_prior
from ros1qa.ask.regression import fit_balanced
from ros1qa.errors import Ros1qaError

MODEL_FILE = Path(__file__).with_name("answer_model.json")
REGULARISATION = 1.0  # scikit-learn's C
THRESHOLD = 0.5  # classes weigh the same, so answering and refusing are equally likely here; ros1qa train
# replaces it with the threshold its held-out judgements support (learning.left_out_threshold)


@dataclass(frozen=True)
class AnswerModel:
    model_id: str  # the embedding model whose cosines the features hold
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    questions: int  # labelled questions it was trained on
    pages: tuple[str, ...]  # the pages they were about
    features: tuple[str, ...] = FEATURES
    version: str = VERSION
    prior: QuestionPrior | None = None  # when set, its logit for the question is read after ``features``

    def probability(self, features: np.ndarray, vector: np.ndarray | None = None,
                    words: frozenset[str] = frozenset()) -> np.ndarray:
        """Probability that each row's passage answers its question (``vector`` and ``words``: the question's
        vector and ``question_words``, for the prior)."""
        return 1.0 / (1.0 + np.exp(-self.logit(features, vector, words)))

    def logit(self, features: np.ndarray, vector: np.ndarray | None = None,
              words: frozenset[str] = frozenset()) -> np.ndarray:
        """The log-odds of ``probability``."""
        rows = np.atleast_2d(features)
        if self.prior is not None:
            if vector is None:
                raise ValueError("this answer model reads the question's vector too")
            rows = np.column_stack([rows, np.full(len(rows), self.prior.logit(vector, words))])
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias

    def usable_with(self, model_id: str, features: tuple[str, ...] = FEATURES, version: str = VERSION) -> bool:
        """Whether it reads these features (by default the pair features), computed from this model's vectors."""
        return self.model_id == model_id and self.features == features and self.version == version


def should_answer(confidences: Sequence[float], verdict: bool | None, threshold: float,
                  covered: bool | None = None) -> bool:
    """Answer when a near-paraphrase labelled question says so; else when the surest of the passages an answer
    would show reaches the threshold and the page it would lead with does not say it answers no such question
    (``covered``: that page's own model, None when it has none)."""
    if verdict is not None:
        return verdict
    return max(confidences, default=float("-inf")) >= threshold and covered is not False


def train_answer_model(features: np.ndarray, answers: Sequence[bool], pages: Sequence[str], model_id: str,
                       regularisation: float = REGULARISATION, threshold: float = THRESHOLD,
                       feature_names: tuple[str, ...] = FEATURES, version: str = VERSION,
                       vectors: np.ndarray | None = None, words: Sequence[frozenset[str]] | None = None,
                       prior_column: np.ndarray | None = None) -> AnswerModel:
    """Fit on one row per labelled question (the features of its best passage; label: the question is
    answerable), each page's questions weighing as much as another page's, each class as much as the other.
    With the questions' ``vectors`` (and ``words``), the model reads the question prior too: it is learned from all of them,
    and the column trained on holds each question's logit by a prior learned without its page (``out_of_page``).
    (``prior_column``: that column when the caller already has it, as ``answer_left_out`` does for every subset.)
    The same calibrated regression learns other yes/no judgements over other features (``feature_names``, ``version``):
    the follow-up model (``conversation``) and the highlight (``highlight``) are two. (``pages``: the groups whose
    rows weigh the same; for the highlight, each question's sentences.)"""
    labels = np.asarray(answers, dtype=bool)
    if labels.all() or not labels.any():
        raise Ros1qaError("training needs examples of both answers (answerable and unanswerable, or the like)")
    weights = page_weights(pages)
    prior = None
    if vectors is not None:
        words = list(words) if words is not None else [frozenset()] * len(labels)
        prior = train_prior(vectors, words, labels, weights, pages)
        column = out_of_page(vectors, words, labels, pages, weights) if prior_column is None else prior_column
        features = np.column_stack([features, column])
    fitted = fit_balanced(features, labels, weights, regularisation)
    return AnswerModel(model_id, fitted.mean, fitted.scale, fitted.weights, fitted.bias, threshold, len(labels),
                       tuple(sorted(set(pages))), feature_names, version, prior)


def page_weights(pages: Sequence[str]) -> np.ndarray:
    """One weight per row: each page's rows together weigh 1, however many questions it has."""
    names, counts = np.unique(np.asarray(pages), return_counts=True)
    per_page = dict(zip(names.tolist(), counts.tolist()))
    return np.array([1.0 / per_page[page] for page in pages])


def save_answer_model(model: AnswerModel, path: Path) -> None:
    data = {"model_id": model.model_id, "version": model.version, "features": list(model.features),
            "mean": model.mean.tolist(), "scale": model.scale.tolist(), "weights": model.weights.tolist(),
            "bias": model.bias, "threshold": model.threshold, "questions": model.questions, "pages": list(model.pages),
            "prior": prior_to_dict(model.prior)}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_answer_model(path: Path = MODEL_FILE) -> AnswerModel | None:
    """The model saved at ``path``, or None when there is none."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return AnswerModel(data["model_id"], np.array(data["mean"]), np.array(data["scale"]), np.array(data["weights"]),
                       float(data["bias"]), float(data["threshold"]), int(data["questions"]), tuple(data["pages"]),
                       tuple(data["features"]), data["version"], prior_from_dict(data.get("prior")))
