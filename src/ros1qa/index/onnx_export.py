"""Export a sentence-transformers model once to a self-contained ONNX folder (needs torch and onnx).

sentence-transformers' own ONNX backend needs ``optimum-onnx``, and no release of it accepts
transformers 5 (README, Performance). So the transformer is exported here with
``torch.onnx.export`` and served by ``OnnxEmbedder`` through onnxruntime and tokenizers, without
torch. The folder holds what encoding needs and nothing else::

    model.onnx        token ids → last hidden state, dynamic batch and length; a BERT-family graph
                      with attention, layer norms and GELU fused into ONNX Runtime's operators
    tokenizer.json    the model's own tokenizer
    export.json       model id, maximum length, pooling, fusion, the sha256 of model.onnx, and for the
                      tuned model the digest of the adapter merged into it (``index.tuning``)

The folder is written beside its destination and renamed into place, so an interrupted export
leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from ros1qa.errors import ModelUnavailable
from ros1qa.index.embedding import resolve_model_location
from ros1qa.index.tuning import merge_tuning, tuning_digest
from ros1qa.runtime import keep_model_offline, prepare_process
from ros1qa.settings import TUNED_MODEL

EXPORT_FILE = "export.json"
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_folder(models_dir: Path, model: str) -> Path:
    """Where the ONNX export of ``model`` lives: one folder per model id."""
    return models_dir / "onnx" / model.strip("/").replace("/", "__")


def read_export(folder: Path) -> dict[str, Any]:
    """The export's description; raises ModelUnavailable naming the fix when it is missing or damaged."""
    try:
        described = json.loads((folder / EXPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"No ONNX model at {folder} ({exc.__class__.__name__}). "
                               "Export it with: ros1qa export-onnx") from exc
    if not isinstance(described, dict) or not {"model", "max_length", "pooling"} <= described.keys():
        raise ModelUnavailable(f"The ONNX model at {folder} has an unreadable {EXPORT_FILE}. "
                               "Export it again with: ros1qa export-onnx")
    return described


def export_onnx(model: str, destination: Path) -> dict[str, Any]:
    """Export ``model`` (a name or a folder) to ``destination``; returns what export.json records."""
    prepare_process()
    location = resolve_model_location(model)
    if Path(location).is_dir():
        keep_model_offline()
    source = Path(location)
    pooling = _pooling(source)
    max_length = _max_length(source)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{destination.name}.", dir=destination.parent) as scratch:
        work = Path(scratch) / "export"
        work.mkdir()
        tuned = model == TUNED_MODEL
        fusion = _export_transformer(location, work / ONNX_FILE, work / TOKENIZER_FILE, tuned)
        described = {
            "model": model, "max_length": max_length, "pooling": pooling, "opset": OPSET, "fusion": fusion,
            "onnx_sha256": hashlib.sha256((work / ONNX_FILE).read_bytes()).hexdigest(),
            **({"tuning": tuning_digest()} if tuned else {}),
        }
        (work / EXPORT_FILE).write_text(json.dumps(described, indent=2) + "\n", encoding="utf-8")
        if destination.exists():
            shutil.rmtree(destination)
        work.rename(destination)
    return described


def _pooling(source: Path) -> str:
    """The model's pooling: 'mean' or 'cls' (others are refused); mean when no config says otherwise."""
    config = source / "1_Pooling" / "config.json"
    if not config.is_file():
        return "mean"
    modes = {k.removeprefix("pooling_mode_"): v for k, v in json.loads(config.read_text()).items()
             if k.startswith("pooling_mode_") and v}
    if set(modes) == {"mean_tokens"}:
        return "mean"
    if set(modes) == {"cls_token"}:
        return "cls"
    raise ModelUnavailable(f"Cannot export {source}: pooling {sorted(modes)} is not supported (mean or cls only)")


def _max_length(source: Path) -> int:
    config = source / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 256))
    return 256


def _export_transformer(location: str, onnx_path: Path, tokenizer_path: Path, tuned: bool) -> str:
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(location)
        # Attention written out (not torch's fused kernel), so ONNX Runtime's optimizer can recognise and fuse it.
        network = AutoModel.from_pretrained(location, attn_implementation="eager")
        network = (merge_tuning(network) if tuned else network).eval()
    except Exception as exc:  # the libraries raise many kinds; callers need one
        raise ModelUnavailable(f"Cannot load {location} for export: {exc}") from exc

    sample = tokenizer(["an example sentence to trace, padded", "short"], padding=True, return_tensors="pt")
    names = [name for name in INPUTS if name in sample]  # not every model takes token type ids

    class HiddenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.network = network

        def forward(self, *tensors: Any) -> Any:
            return self.network(**dict(zip(names, tensors))).last_hidden_state

    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on Python control flow; outputs are checked by tests
        torch.onnx.export(HiddenStates(), tuple(sample[name] for name in names), str(onnx_path), dynamo=False,
                          input_names=names, output_names=["last_hidden_state"], opset_version=OPSET,
                          dynamic_axes={name: axes for name in (*names, "last_hidden_state")})
    tokenizer.backend_tokenizer.save(str(tokenizer_path))
    return _fuse(onnx_path, network.config)


def _fuse(onnx_path: Path, config: Any) -> str:
    """Fuse a BERT-family graph's attention, layer norms and GELU into ONNX Runtime's single operators.

    Measured on the eval questions, 2 cores: one question encodes in ≈0.85× the time at p50 and p99,
    with the same vectors (cosine ≥ 0.9999999 to the unfused graph). Other architectures are left as
    exported. Returns what was done, for export.json.
    """
    if getattr(config, "model_type", None) != "bert":
        return "none"
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(str(onnx_path), model_type="bert", num_heads=config.num_attention_heads,
                                     hidden_size=config.hidden_size, opt_level=0, use_gpu=False)
    fused.save_model_to_file(str(onnx_path))
    return "bert"
