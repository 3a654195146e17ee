"""How likely a question of its kind is answered by patient-education pages at all, from the question alone.

Near misses come in kinds that recur on any page: the price of a drug in one country, an exact dose or
survival figure a page for patients does not give, a local insurance rule. The match of question and
passage (``pair_features``) hardly tells them apart: the passage names the drug, the trial, the treatment.
What the question asks for does. A strongly regularised logistic regression over the question's vector
and the question words it uses that recur across pages ("cost", "dose", "percentag"…), learned from the
labelled questions of many pages (each page weighing the same), gives its logit; the answer model reads it
as one more feature. Learned on one page, such a model learns what that page answers; learned across pages
and scored on a page left out, it keeps what carries over (docs/quality.md). The words are chosen the same
way: only those that questions about ``MIN_PAGES`` training pages or more use, so no page's own topic
words are among them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ros1qa.ask.regression import Fitted, fit_balanced
from ros1qa.index.lexical import terms

REGULARISATION = 0.003  # scikit-learn's C: 384 dimensions, a few hundred questions; chosen leaving one page out
MIN_PAGES = 4  # a question word joins the prior when questions about this many pages use it; chosen leaving one page out


@dataclass(frozen=True)
class QuestionPrior:
    """Log-odds that a page about a question's topic answers it, from its vector and its recurring words."""

    fitted: Fitted
    vocabulary: tuple[str, ...] = ()  # the question words it reads (stems), in column order after the vector

    @cached_property
    def columns(self) -> dict[str, int]:
        """Each vocabulary word's column after the vector."""
        return columns_of(self.vocabulary)

    def logit(self, vector: np.ndarray, words: frozenset[str] = frozenset()) -> float:
        return float(self.logits(np.atleast_2d(vector), [words])[0])

    def logits(self, vectors: np.ndarray, words: Sequence[frozenset[str]]) -> np.ndarray:
        return self.fitted.logit(question_rows(vectors, words, self.columns))


def question_words(text: str) -> frozenset[str]:
    """A question's words as the prior reads them: its stemmed content words."""
    return frozenset(terms(text))


def recurring(words: Sequence[frozenset[str]], pages: Sequence[str], min_pages: int = MIN_PAGES) -> tuple[str, ...]:
    """The words that questions about ``min_pages`` different pages or more use, sorted."""
    pages_of: dict[str, set[str]] = {}
    for used, page in zip(words, pages):
        for word in used:
            pages_of.setdefault(word, set()).add(page)
    return tuple(sorted(word for word, seen in pages_of.items() if len(seen) >= min_pages))


def columns_of(vocabulary: Sequence[str]) -> dict[str, int]:
    return {word: number for number, word in enumerate(vocabulary)}


def question_rows(vectors: np.ndarray, words: Sequence[frozenset[str]], columns: Mapping[str, int]) -> np.ndarray:
    """The prior's input, one row per question: its vector, then 1 in the column of each vocabulary word it
    uses (only the question's few words are looked up, not the whole vocabulary)."""
    used = np.zeros((len(words), len(columns)))
    for row, question in enumerate(words):
        used[row, [columns[w] for w in question if w in columns]] = 1.0
    return np.column_stack([np.asarray(vectors, dtype=np.float64), used])


def train_prior(vectors: np.ndarray, words: Sequence[frozenset[str]], answerable: np.ndarray, weights: np.ndarray,
                pages: Sequence[str], regularisation: float = REGULARISATION) -> QuestionPrior:
    """Fit on questions' vectors and recurring words, each row weighing ``weights`` (each page's together the
    same), each class the same."""
    vocabulary = recurring(words, pages)
    fitted = fit_balanced(question_rows(vectors, words, columns_of(vocabulary)), answerable, weights, regularisation)
    return QuestionPrior(fitted, vocabulary)


def out_of_page(vectors: np.ndarray, words: Sequence[frozenset[str]], answerable: np.ndarray, pages: Sequence[str],
                weights: np.ndarray) -> np.ndarray:
    """Each question's logit by a prior learned without its page (its words too): the column the answer model
    trains on is the one a new page's questions will have (a prior scoring its own training questions would be
    too sure). 0 (no opinion) for a page whose absence leaves questions of one kind only."""
    pages_array = np.asarray(pages)
    logits = np.zeros(len(pages_array))
    for page in sorted(set(pages)):
        own = pages_array == page
        if len(set(answerable[~own].tolist())) < 2:
            continue
        others = np.flatnonzero(~own)
        prior = train_prior(vectors[others], [words[i] for i in others], answerable[others], weights[others],
                            pages_array[others].tolist())
        logits[own] = prior.logits(vectors[own], [words[i] for i in np.flatnonzero(own)])
    return logits


def prior_to_dict(prior: QuestionPrior | None) -> dict | None:
    if prior is None:
        return None
    fitted = prior.fitted
    return {"mean": fitted.mean.tolist(), "scale": fitted.scale.tolist(), "weights": fitted.weights.tolist(),
            "bias": fitted.bias, "vocabulary": list(prior.vocabulary)}


def prior_from_dict(data: dict | None) -> QuestionPrior | None:
    if data is None:
        return None
    fitted = Fitted(np.array(data["mean"]), np.array(data["scale"]), np.array(data["weights"]), float(data["bias"]))
    return QuestionPrior(fitted, tuple(data.get("vocabulary", ())))
