"""A second opinion on emergencies: a logistic regression over the vector the model already made.

The patterns in ``safety`` miss wording they were not written for ("breathing like a fish out of
water", "her eyes are swelling shut"): on blind sets their first-run recall was 0.65–0.86. The
classifier reads the question's meaning instead. It is trained offline (``ros1qa train-urgency``)
on the labelled messages in ``eval/`` and shipped beside this file; it only adds emergencies, never
removes one the patterns found, and it costs one dot product, not another encode.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.errors import Ros1qaError

CLASSIFIER_FILE = Path(__file__).with_name("urgency_classifier.npz")
THRESHOLD = 0.85  # probability at or above which a message is urgent (README: Safety)
REGULARISATION = 10.0  # scikit-learn's C: inverse strength of the L2 penalty


@dataclass(frozen=True)
class UrgencyClassifier:
    model_id: str  # the embedding model whose vectors it reads; any other model's vectors are not judged
    weights: np.ndarray
    bias: float
    threshold: float
    examples: int  # messages it was trained on

    def probability(self, vector: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(float(vector @ self.weights) + self.bias))))

    def is_urgent(self, vector: np.ndarray) -> bool:
        return self.probability(vector) >= self.threshold


def message_files(eval_dir: Path) -> list[Path]:
    """The question sets and emergency sets in ``eval_dir``: what the classifier is trained and checked on."""
    return sorted(eval_dir.glob("*_questions.jsonl")) + sorted(eval_dir.glob("emergency*_messages.jsonl"))


def labelled_messages(eval_dir: Path) -> list[tuple[str, bool]]:
    """Every message of the question sets and emergency sets in ``eval_dir``, with whether it is urgent."""
    messages = []
    for path in message_files(eval_dir):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    item = json.loads(line)
                    messages.append((str(item["q"]), item["kind"] == "urgent"))
                except (ValueError, KeyError, TypeError) as exc:
                    raise Ros1qaError(f"{path}:{number}: not a message line ({exc})") from exc
    return messages


def train_classifier(vectors: np.ndarray, urgent: Sequence[bool], model_id: str) -> UrgencyClassifier:
    """L2-regularised logistic regression, classes weighted equally (lbfgs: the same data, the same weights)."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000).fit(vectors, list(urgent))
    return UrgencyClassifier(model_id, fitted.coef_[0].astype(np.float64), float(fitted.intercept_[0]), THRESHOLD,
                             len(urgent))


def train_from(eval_dir: Path, read: Callable[[list[str]], np.ndarray], model_id: str) -> UrgencyClassifier:
    """Train on ``eval_dir``'s messages; ``read`` turns messages into the vectors the engine makes of them."""
    messages = labelled_messages(eval_dir)
    if not any(urgent for _, urgent in messages) or all(urgent for _, urgent in messages):
        raise Ros1qaError(f"{eval_dir} needs both urgent and other messages to train on")
    return train_classifier(read([text for text, _ in messages]), [urgent for _, urgent in messages], model_id)


def save_classifier(classifier: UrgencyClassifier, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, model_id=np.array(classifier.model_id), weights=classifier.weights,
                 bias=np.array(classifier.bias), threshold=np.array(classifier.threshold),
                 examples=np.array(classifier.examples))


def load_classifier(path: Path = CLASSIFIER_FILE) -> UrgencyClassifier | None:
    """The shipped classifier, or None when there is none (the patterns still judge every message)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return UrgencyClassifier(str(data["model_id"]), data["weights"].astype(np.float64), float(data["bias"]),
                                 float(data["threshold"]), int(data["examples"]))
