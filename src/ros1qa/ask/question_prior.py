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

import numpy as np

from ros1qa.ask.regression import Fitted, fit_balanced

REGULARISATION = 0.003  # scikit-learn's C: 384 dimensions, a few hundred questions; chosen leaving one page out


QuestionPrior = Fitted  # its ``logit`` of a question's vector: log-odds that a page about its topic answers it


def train_prior(vectors: np.ndarray, answerable: np.ndarray, weights: np.ndarray,
                regularisation: float = REGULARISATION) -> QuestionPrior:
    """Fit on question vectors, each row weighing ``weights`` (each page's together the same), each class the same."""
    return fit_balanced(vectors, answerable, weights, regularisation)


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
        logits[own] = prior.logit(vectors[own])
    return logits


def prior_to_dict(prior: QuestionPrior | None) -> dict | None:
    if prior is None:
        return None
    return {"mean": prior.mean.tolist(), "scale": prior.scale.tolist(), "weights": prior.weights.tolist(), "bias": prior.bias}


def prior_from_dict(data: dict | None) -> QuestionPrior | None:
    if data is None:
        return None
    return QuestionPrior(np.array(data["mean"]), np.array(data["scale"]), np.array(data["weights"]), float(data["bias"]))
