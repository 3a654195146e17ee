"""How much of a question a passage matches word piece by word piece: the model's token vectors, softly aligned.

One vector per text says how close question and passage are as wholes; a passage that names every topic of a
page comes close to many questions it does not answer. The transformer also gives a vector for each word piece
of a text, read in its context. Each content piece of the question is matched to its nearest piece of the
passage (the passage's sentences, each read alone), and the mean of those cosines says how much of what the
question asks the passage speaks of, in any words: "puffed out" meets "breathless" where BM25 sees nothing
(BERTScore's recall, Zhang et al. 2020; ColBERT's late interaction, Khattab and Zaharia 2020, with the model
as it is, no training). Pure functions over arrays; the engine asks the model for the vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ros1qa.index.embedding import TokenVectors
from ros1qa.index.lexical import STOPWORDS

SPECIAL = frozenset(("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "<s>", "</s>", "<pad>", "<unk>"))


def content(tokens: Sequence[str]) -> np.ndarray:
    """Which word pieces carry content: not the model's markers, not punctuation, not a stop word (the rest of a
    word split into pieces, "##s", belongs to its word and counts)."""
    return np.fromiter((_carries_content(t) for t in tokens), dtype=bool, count=len(tokens))


@lru_cache(maxsize=1 << 16)
def _carries_content(token: str) -> bool:  # a model's vocabulary is some 30,000 pieces: each is judged once
    return token not in SPECIAL and any(c.isalnum() for c in token) and (
        token.startswith("##") or token.lower().lstrip("▁Ġ") not in STOPWORDS)


def pieces(read: TokenVectors) -> np.ndarray:
    """The unit vectors of a text's content pieces, one row each (float32)."""
    rows = np.asarray(read.vectors, dtype=np.float32)[content(read.tokens)]
    return rows / np.clip(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12, None)


def soft_recall(question: np.ndarray, passage: np.ndarray) -> float:
    """The mean, over the question's content pieces, of the cosine with the nearest piece of the passage (rows of
    ``pieces``); 0 when either has none."""
    if not len(question) or not len(passage):
        return 0.0
    return float((question @ passage.T).max(axis=1).mean())
