"""Classifiers over the vector the model already made of a question: no other encode.

Two kinds: a logistic regression (one dot product), each labelled page's model of what it answers
(``examples.with_page_models``), learned by the build; and a small network of one hidden layer, the emergency
classifier (``safety.urgency``), trained offline by ``ros1qa train`` on labelled messages about many topics.
A line cannot tell "is breathlessness a side effect?" from "I can't breathe" when both lie near the same
topic; a hidden layer can weigh the topic against how the message is framed.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ros1qa.errors import Ros1qaError


class Classifier(Protocol):
    """What the engine asks of a classifier."""

    model_id: str
    threshold: float
    examples: int

    def probability(self, vector: np.ndarray) -> float: ...

    def holds(self, vector: np.ndarray) -> bool: ...


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


@dataclass(frozen=True)
class NetworkClassifier:
    """The mean of a few networks of one hidden layer (ReLU, then a logistic output), each trained from its own
    random start: one network's decisions near the threshold depend on where it started; the mean's much less."""

    model_id: str  # the embedding model whose vectors it reads
    hidden_weights: np.ndarray  # (networks, dimension, hidden)
    hidden_bias: np.ndarray  # (networks, hidden)
    output_weights: np.ndarray  # (networks, hidden)
    output_bias: np.ndarray  # (networks,)
    threshold: float
    examples: int

    def probability(self, vector: np.ndarray) -> float:
        hidden = np.maximum(np.einsum("d,ndh->nh", np.asarray(vector, dtype=np.float64), self.hidden_weights)
                            + self.hidden_bias, 0.0)
        logits = np.einsum("nh,nh->n", hidden, self.output_weights) + self.output_bias
        return float(np.mean(1.0 / (1.0 + np.exp(-logits))))

    def holds(self, vector: np.ndarray) -> bool:
        return self.probability(vector) >= self.threshold


def train_network(vectors: np.ndarray, labels: Sequence[bool], model_id: str, hidden: int, regularisation: float,
                  networks: int, threshold: float) -> NetworkClassifier:
    """``networks`` of scikit-learn's multi-layer perceptrons (Adam, ``regularisation`` is its L2 ``alpha``), seeded
    0, 1, …: the same data, the same networks."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    with warnings.catch_warnings():  # 500 epochs is where training stops, converged or not: part of the recipe
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = [MLPClassifier(hidden_layer_sizes=(hidden,), alpha=regularisation, max_iter=500, random_state=seed)
                  .fit(vectors, list(labels)) for seed in range(networks)]
    return NetworkClassifier(
        model_id, np.stack([f.coefs_[0] for f in fitted]), np.stack([f.intercepts_[0] for f in fitted]),
        np.stack([f.coefs_[1][:, 0] for f in fitted]), np.array([f.intercepts_[1][0] for f in fitted]),
        threshold, len(labels))


def save_network(classifier: NetworkClassifier, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, model_id=np.array(classifier.model_id), hidden_weights=classifier.hidden_weights,
                 hidden_bias=classifier.hidden_bias, output_weights=classifier.output_weights,
                 output_bias=classifier.output_bias, threshold=np.array(classifier.threshold),
                 examples=np.array(classifier.examples))


def load_network(path: Path) -> NetworkClassifier | None:
    """The network saved at ``path``, or None when there is none."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if "hidden_weights" not in data.files:
            raise Ros1qaError(f"{path} is not a network classifier (one of an older ros1qa?): run `ros1qa train`")
        return NetworkClassifier(str(data["model_id"]), data["hidden_weights"].astype(np.float64),
                                 data["hidden_bias"].astype(np.float64), data["output_weights"].astype(np.float64),
                                 data["output_bias"].astype(np.float64), float(data["threshold"]),
                                 int(data["examples"]))
