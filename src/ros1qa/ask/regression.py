"""The one regression the learned judgements share: standardised features, each class weighing the same, each
row weighing as given (each page's rows together the same). Pure; scikit-learn is imported only to fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Fitted:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logit(self, rows: np.ndarray) -> np.ndarray:
        """Log-odds of the class for each row (a scalar for one row given as a vector)."""
        return ((np.asarray(rows, dtype=np.float64) - self.mean) / self.scale) @ self.weights + self.bias


def fit_balanced(features: np.ndarray, labels: np.ndarray, row_weights: np.ndarray, regularisation: float) -> Fitted:
    """L2-regularised logistic regression (``regularisation`` is scikit-learn's C) on standardised ``features``
    (a column that never varies is left unscaled)."""
    from sklearn.linear_model import LogisticRegression

    features = np.asarray(features, dtype=np.float64)
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    fitted = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000).fit(
        (features - mean) / scale, labels, sample_weight=row_weights / row_weights.mean())
    return Fitted(mean, scale, fitted.coef_[0].astype(np.float64), float(fitted.intercept_[0]))
