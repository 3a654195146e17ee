"""How much of a question a passage matches word piece by word piece: the model's token vectors, softly aligned.

One vector per text says how close question and passage are as wholes; a passage that names every topic of a
page comes close to many questions it does not answer. The transformer also gives a vector for each word piece
of a text, read in its context. Each content piece of the question is matched to its nearest piece of the
passage (the passage's sentences, each read alone: ``index.pieces``): the mean of those cosines says how much
of what the question asks the passage speaks of, in any words: "puffed out" meets "breathless" where BM25 sees
nothing (BERTScore's recall, Zhang et al. 2020; ColBERT's late interaction, Khattab and Zaharia 2020, with the
model as it is, no training). The least of them says how well the passage speaks of the part of the question it
speaks of least: a near miss asks for the one detail the page leaves out (a dose, a country, another drug), and
its piece finds no close match however well the rest does. Pure functions over arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PieceMatch:
    """The question's content pieces, each matched to the nearest piece of the passage (0 when either has none)."""

    recall: float  # the mean of their cosines
    weakest: float  # the least of them


def piece_match(question: np.ndarray, passage: np.ndarray) -> PieceMatch:
    """How the question's content pieces meet the passage's (rows of ``index.pieces.pieces``)."""
    if not len(question) or not len(passage):
        return PieceMatch(0.0, 0.0)
    nearest = (question @ passage.T).max(axis=1)
    return PieceMatch(float(nearest.mean()), float(nearest.min()))
