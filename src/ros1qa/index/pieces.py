"""Each passage's word pieces as the model reads them in context, made by the build and stored with the index.

The transformer gives a vector for every word piece of a text, read in its context. A passage's content pieces
(not the model's markers, punctuation or stop words; the rest of a word split into pieces, "##s", counts), from
each of its sentences read alone, are what ``ask.token_match`` matches the question's pieces against. Reading
them costs a run of the model over every sentence, so the build does it once (reusing the previous build's for
unchanged sentences) and stores them at float16; a question then costs no passage reads, on a corpus of any size.
The same run gives each sentence's vector read alone, which the build keeps too (``PiecesRead.vectors``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from ros1qa.index.embedding import Embedder, TokenVectors
from ros1qa.index.lexical import STOPWORDS
from ros1qa.ingest.chunking import Passage

PIECES_VERSION = "content-pieces-v1"  # what the stored pieces are; another recipe means a rebuild
SPECIAL = frozenset(("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "<s>", "</s>", "<pad>", "<unk>"))
BATCH = 256  # texts the build reads at once (the model's token vectors of a batch are held in memory together)


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


def piece_texts(passage: Passage) -> list[str]:
    """What is read for a passage's pieces: each sentence alone (the passage's text when it has none)."""
    return passage.sentence_texts() or [passage.text]


class Rows(Protocol):
    """Rows of a 2-d array, sliced: the array itself, or rows read from the index folder on demand."""

    def __len__(self) -> int: ...

    def __getitem__(self, rows: slice) -> np.ndarray: ...


@dataclass(frozen=True)
class PassagePieces:
    """Every passage's content pieces: ``rows`` (float16) of all piece texts in passage order, ``offsets`` where each
    text's rows begin (one more than texts), ``first_text`` where each passage's texts begin (one more than passages)."""

    rows: Rows
    offsets: np.ndarray
    first_text: np.ndarray

    def of(self, passage: int) -> np.ndarray:
        """A passage's pieces, one unit row each, as float32 (at float16 precision)."""
        start, end = self.offsets[self.first_text[passage]], self.offsets[self.first_text[passage + 1]]
        return np.asarray(self.rows[start:end], dtype=np.float32)

    def by_text(self, passages: Sequence[Passage]) -> dict[str, np.ndarray]:
        """Each piece text's rows (float16), for a later build to reuse (``passages``: those these pieces are of)."""
        texts = [t for p in passages for t in piece_texts(p)]
        return {t: self.rows[self.offsets[n]:self.offsets[n + 1]] for n, t in enumerate(texts)}


def first_texts(passages: Sequence[Passage]) -> np.ndarray:
    """Where each passage's piece texts begin among all passages' (one more than passages)."""
    return np.concatenate([[0], np.cumsum([len(piece_texts(p)) for p in passages])]).astype(np.int64)


@dataclass(frozen=True)
class PiecesRead:
    """What a build's read of the passages' pieces gives: the pieces, and each text the model read with its vector
    (the same run's ``encode`` vector: a sentence read alone, which the build need not encode again)."""

    pieces: PassagePieces
    vectors: dict[str, np.ndarray]  # only the texts read now (not those reused)


def read_pieces(passages: Sequence[Passage], embedder: Embedder, reuse: dict[str, np.ndarray]) -> PiecesRead:
    """Every passage's pieces; the model reads only the texts not in ``reuse`` (text → rows), in batches."""
    texts = [t for p in passages for t in piece_texts(p)]
    missing = sorted({t for t in texts if t not in reuse})
    vectors: dict[str, np.ndarray] = {}
    found = dict(reuse)
    for start in range(0, len(missing), BATCH):
        batch = missing[start:start + BATCH]
        read_vectors, read = embedder.encode_tokens(batch)
        vectors.update(zip(batch, read_vectors))
        found.update((text, pieces(one).astype(np.float16)) for text, one in zip(batch, read))
    rows = [found[t] for t in texts]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    dimension = rows[0].shape[1] if rows else 0
    stacked = np.concatenate(rows).astype(np.float16) if rows else np.zeros((0, dimension), np.float16)
    return PiecesRead(PassagePieces(stacked, offsets, first_texts(passages)), vectors)
