"""A logistic regression over the vector the model already made of a question: one dot product.

Two kinds: the emergency classifier (``urgency``), shipped beside this file and trained offline by
``ros1qa train`` on labelled messages about many topics (an emergency the patterns missed), and each
labelled page's model of what it answers (``examples.with_page_models``), learned by the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class VectorClassifier:
    model_id: str  # the embedding model whose vectors it reads; any other model's vectors are not judged
    weights: np.ndarray
    bias: float
    threshold: float  # probability at or above which the class holds
    examples: int  # questions it was trained on
    scope: str = ""  # what else its judgement depends on ("" for nothing), e.g. the corpus it was trained for

    def probability(self, vector: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(float(vector @ self.weights) + self.bias))))

    def holds(self, vector: np.ndarray) -> bool:
        return self.probability(vector) >= self.threshold


def train_logistic(vectors: np.ndarray, labels: Sequence[bool], model_id: str, regularisation: float,
                   threshold: float, scope: str = "") -> VectorClassifier:
    """L2-regularised logistic regression (``regularisation`` is scikit-learn's C), classes weighted
    equally (lbfgs: the same data, the same weights)."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000).fit(vectors, list(labels))
    return VectorClassifier(model_id, fitted.coef_[0].astype(np.float64), float(fitted.intercept_[0]), threshold,
                            len(labels), scope)


def save_classifier(classifier: VectorClassifier, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, model_id=np.array(classifier.model_id), weights=classifier.weights,
                 bias=np.array(classifier.bias), threshold=np.array(classifier.threshold),
                 examples=np.array(classifier.examples), scope=np.array(classifier.scope))


def load_classifier(path: Path) -> VectorClassifier | None:
    """The classifier saved at ``path``, or None when there is none."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        scope = str(data["scope"]) if "scope" in data.files else ""
        return VectorClassifier(str(data["model_id"]), data["weights"].astype(np.float64), float(data["bias"]),
                                float(data["threshold"]), int(data["examples"]), scope)
