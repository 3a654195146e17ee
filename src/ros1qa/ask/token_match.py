"""How much of a question a passage matches word piece by word piece: the model's token vectors, softly aligned.

One vector per text says how close question and passage are as wholes; a passage that names every topic of a
page comes close to many questions it does not answer. The transformer also gives a vector for each word piece
of a text, read in its context. Each content piece of the question is matched to its nearest piece of the
passage (the passage's sentences, each read alone: ``index.pieces``), and the mean of those cosines says how much
of what the question asks the passage speaks of, in any words: "puffed out" meets "breathless" where BM25 sees
nothing (BERTScore's recall, Zhang et al. 2020; ColBERT's late interaction, Khattab and Zaharia 2020, with the
model as it is, no training). A pure function over arrays.
"""

from __future__ import annotations

import numpy as np


def soft_recall(question: np.ndarray, passage: np.ndarray) -> float:
    """The mean, over the question's content pieces, of the cosine with the nearest piece of the passage (rows of
    ``index.pieces.pieces``); 0 when either has none."""
    if not len(question) or not len(passage):
        return 0.0
    return float((question @ passage.T).max(axis=1).mean())
