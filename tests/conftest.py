"""Shared fixtures: a deterministic fake embedder for fast tests, and the real engine for a few."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ros1qa.ask.engine import Engine
from ros1qa.index.embedding import TokenVectors
from ros1qa.index.indexing import build_index
from ros1qa.index.lexical import words
from ros1qa.index.store import load_index
from ros1qa.settings import Settings

REPO = Path(__file__).resolve().parent.parent
FAKE_MODEL = "fake-hashing-embedder"
SHIPPED = Settings(corpus_dir=REPO / "corpus", index_dir=REPO / "index", models_dir=REPO / "models")  # the real model


class HashingEmbedder:
    """Bag-of-words vectors from a stable hash (blake2b, not ``hash()``): same text, same vector, every run."""

    model_id = FAKE_MODEL
    backend = Settings().backend  # the default, as the command line records it

    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension
        self.calls = 0
        self.encoded = 0

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        return self._vectors(texts)

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """``encode``'s vectors, and each word of a text as one piece, with that word's vector (one call)."""
        vectors = self.encode(texts)
        return vectors, [TokenVectors(("[CLS]", *words(t), "[SEP]"), self._vectors(["", *words(t), ""])) for t in texts]

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text) or [""]:
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % self._dimension
                vectors[row, slot] += 1.0 if digest[4] % 2 else -1.0
            norm = np.linalg.norm(vectors[row])
            vectors[row] = vectors[row] / norm if norm else vectors[row]
        return vectors


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the repository's corpus (documents, glossary and labelled questions)."""
    target = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", target)
    return target


@pytest.fixture
def fake_settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    return Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "index", model=FAKE_MODEL)


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def fake_engine(fake_settings: Settings, embedder: HashingEmbedder) -> Engine:
    """An engine over the real corpus with the fake embedder: real chunking, BM25 and FAISS."""
    build_index(fake_settings, embedder)
    return Engine(load_index(fake_settings.index_dir), embedder, fake_settings.retrieval)


@pytest.fixture(scope="session")
def real_engine() -> Engine:
    """The shipped index with the bundled model (loads once per test session)."""
    from ros1qa.service import open_engine

    return open_engine(SHIPPED)
