"""The embedding model on ONNX Runtime: the exported transformer, its tokenizer, pooling and
normalisation in numpy. No torch at run time, so a process starts in about a second instead of
the ≈8 s torch and sentence-transformers take to import, and one question encodes ≈2× faster.
Vectors agree with sentence-transformers' to a cosine of 1.0000 (tests/test_onnx_embedding.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ros1qa.errors import ModelUnavailable
from ros1qa.index.embedding import LoadedOnce, TokenVectors
from ros1qa.index.onnx_export import ONNX_FILE, TOKENIZER_FILE, read_export
from ros1qa.index.tuning import tuning_digest
from ros1qa.runtime import prepare_process
from ros1qa.settings import TUNED_MODEL


@dataclass(frozen=True)
class OnnxModel:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer, truncating to the model's maximum length, padding to the longest
    inputs: tuple[str, ...]
    pooling: str  # "mean" or "cls"
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.read(texts)[0]

    def read(self, texts: list[str], tokens: bool = False) -> tuple[np.ndarray, list[TokenVectors]]:
        """The texts' unit vectors, and with ``tokens`` each text's pieces and their vectors before pooling."""
        encodings = self.tokenizer.encode_batch(texts)
        arrays = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self.session.run(None, {name: arrays[name] for name in self.inputs})[0]
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            mask = arrays["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        lengths = arrays["attention_mask"].sum(axis=1).tolist() if tokens else []  # padded to the longest text
        read = [TokenVectors(tuple(e.tokens[:n]), hidden[row, :n]) for row, (e, n) in enumerate(zip(encodings, lengths))]
        return pooled / np.clip(norms, 1e-12, None), read


class OnnxEmbedder(LoadedOnce):
    """The ONNX export of ``model`` in ``folder`` (made by ``ros1qa export-onnx``)."""

    backend = "onnx"

    def __init__(self, model: str, folder: Path, threads: int = 0) -> None:
        super().__init__(model, threads)
        self.folder = folder

    def _load(self) -> OnnxModel:
        prepare_process()
        described = read_export(self.folder)
        if described["model"] != self.model_id:
            raise ModelUnavailable(f"The ONNX model at {self.folder} was exported from {described['model']!r}, "
                                   f"not {self.model_id!r}. Export it with: ros1qa export-onnx")
        if self.model_id == TUNED_MODEL and described.get("tuning") != tuning_digest():
            raise ModelUnavailable(f"The ONNX model at {self.folder} was exported with another tuning than the one "
                                   "ros1qa ships. Export it again with: ros1qa export-onnx")
        try:
            import onnxruntime
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
            session = onnxruntime.InferenceSession(str(self.folder / ONNX_FILE), _session_options(self._threads),
                                                   providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime and tokenizers raise many kinds; callers need one
            raise ModelUnavailable(f"Cannot load the ONNX model at {self.folder}: {exc}. "
                                   "Export it again with: ros1qa export-onnx") from exc
        tokenizer.enable_truncation(max_length=int(described["max_length"]))
        padding = tokenizer.padding or {"pad_id": 0, "pad_token": "[PAD]"}
        tokenizer.enable_padding(pad_id=padding["pad_id"], pad_token=padding["pad_token"])  # to the longest text
        output = session.get_outputs()[0]
        return OnnxModel(session, tokenizer, tuple(i.name for i in session.get_inputs()), described["pooling"],
                         int(output.shape[-1]))

    @property
    def dimension(self) -> int:
        self.warm_up()
        return self._model.dimension

    def _encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
        """Texts in batches of similar length (less padding), longest first; rows in the caller's order."""
        vectors = np.zeros((len(texts), self._model.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        starts: Any = range(0, len(texts), batch_size)
        if progress:
            from tqdm import tqdm

            starts = tqdm(starts, desc="Embedding", unit="batch")
        for start in starts:
            chosen = order[start:start + batch_size]
            vectors[chosen] = self._model.embed([texts[i] for i in chosen])
        return vectors

    def _encode_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        if not texts:
            return np.zeros((0, self._model.dimension), dtype=np.float32), []
        return self._model.read(texts, tokens=True)


def _session_options(threads: int) -> Any:
    """ONNX Runtime on ``threads`` threads that sleep between questions. By default it takes every core and
    spins after each run, starving whatever shares the machine (measured: 15 ms → 39 ms per question)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options
