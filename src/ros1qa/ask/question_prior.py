"""How likely a question of its kind is answered by patient-education pages at all, from its vector alone.

Near misses come in kinds that recur on any page: the price of a drug in one country, an exact dose or
survival figure a page for patients does not give, a local insurance rule. The match of question and
passage (``pair_features``) hardly tells them apart: the passage names the drug, the trial, the treatment.
What the question asks for does. A strongly regularised logistic regression over the question's vector,
learned from the labelled questions of many pages (each page weighing the same), gives its logit; the
answer model reads it as one more feature. Learned on one page, such a model learns what that page answers;
learned across pages and scored on a page left out, it keeps what carries over (docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

REGULARISATION = 0.003  # scikit-learn's C: 384 dimensions, a few hundred questions; chosen leaving one page out


@dataclass(frozen=True)
class QuestionPrior:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logit(self, vector: np.ndarray) -> float:
        """Log-odds that a question with this vector is answerable by a page about its topic."""
        return float(((np.asarray(vector, dtype=np.float64) - self.mean) / self.scale) @ self.weights + self.bias)


def train_prior(vectors: np.ndarray, answerable: np.ndarray, weights: np.ndarray,
                regularisation: float = REGULARISATION) -> QuestionPrior:
    """Fit on question vectors, each row weighing ``weights`` (each page's together the same), each class the same."""
    from sklearn.linear_model import LogisticRegression

    vectors = np.asarray(vectors, dtype=np.float64)
    mean, scale = vectors.mean(axis=0), vectors.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    fitted = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000).fit(
        (vectors - mean) / scale, answerable, sample_weight=weights / weights.mean())
    return QuestionPrior(mean, scale, fitted.coef_[0].astype(np.float64), float(fitted.intercept_[0]))


def out_of_page(vectors: np.ndarray, answerable: np.ndarray, pages: Sequence[str], weights: np.ndarray) -> np.ndarray:
    """Each question's logit by a prior learned without its page: the column the answer model trains on is the
    one a new page's questions will have (a prior scoring its own training questions would be too sure).
    0 (no opinion) for a page whose absence leaves questions of one kind only."""
    pages_array = np.asarray(pages)
    logits = np.zeros(len(pages_array))
    for page in sorted(set(pages)):
        own = pages_array == page
        if len(set(answerable[~own].tolist())) < 2:
            continue
        prior = train_prior(vectors[~own], answerable[~own], weights[~own])
        logits[own] = [prior.logit(v) for v in vectors[own]]
    return logits


def prior_to_dict(prior: QuestionPrior | None) -> dict | None:
    if prior is None:
        return None
    return {"mean": prior.mean.tolist(), "scale": prior.scale.tolist(), "weights": prior.weights.tolist(), "bias": prior.bias}


def prior_from_dict(data: dict | None) -> QuestionPrior | None:
    if data is None:
        return None
    return QuestionPrior(np.array(data["mean"]), np.array(data["scale"]), np.array(data["weights"]), float(data["bias"]))
