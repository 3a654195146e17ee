"""The tuned embedding model: the bundled all-MiniLM-L6-v2 with a small learned change.

``ros1qa tune`` tunes the bundled model on the training pages' questions and the sentences that answer
them (``learning.embedding_tuning``) and writes the change here, beside this module, as a low-rank
(LoRA) adapter of the transformer's linear layers: ``tuning/adapter_config.json`` and
``tuning/adapter_model.safetensors`` (peft's format, ≈2.6 MB). The tuned model is named ``TUNED_MODEL``
(settings.py; measured, not yet the default: docs/quality.md, stop 42); loading it, for the torch backend or
for the ONNX export, loads the bundled model and merges the adapter into its weights, so encoding costs the
same as the bundled model's.

``tuning_digest`` names the shipped adapter: the ONNX export records it, and an export of another
adapter is refused (export again), as an index built with another model is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ros1qa.errors import ModelUnavailable
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL

TUNING_DIR = Path(__file__).parent / "tuning"
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")


def base_model(model: str) -> str:
    """The model whose weights ``model`` starts from (itself, unless it is the tuned model)."""
    return BUNDLED_MODEL if model == TUNED_MODEL else model


def tuning_digest(folder: Path = TUNING_DIR) -> str:
    """The sha256 of the adapter's files; raises ModelUnavailable when they are missing."""
    digest = hashlib.sha256()
    for name in ADAPTER_FILES:
        try:
            digest.update((folder / name).read_bytes())
        except OSError as exc:
            raise ModelUnavailable(f"The tuned model's adapter is missing ({folder / name}). "
                                   "Learn it again with: ros1qa tune") from exc
    return digest.hexdigest()


def merge_tuning(network: Any, folder: Path = TUNING_DIR) -> Any:
    """``network`` (the bundled model's transformer, a transformers model) with the adapter merged into it."""
    tuning_digest(folder)  # a clear error before peft's own
    from peft import PeftModel

    return PeftModel.from_pretrained(network, str(folder)).merge_and_unload()
