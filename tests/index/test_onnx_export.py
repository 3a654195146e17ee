import hashlib
import json
from pathlib import Path

import onnx
import pytest

from ros1qa.errors import ModelUnavailable
from ros1qa.index.onnx_export import (
    EXPORT_FILE,
    ONNX_FILE,
    TOKENIZER_FILE,
    _pooling,
    export_folder,
    export_onnx,
    read_export,
)
from ros1qa.settings import BUNDLED_MODEL


def test_each_model_has_its_own_folder():
    assert export_folder(Path("models"), BUNDLED_MODEL) == Path("models/onnx/sentence-transformers__all-MiniLM-L6-v2")
    assert export_folder(Path("m"), "/abs/my-model") == Path("m/onnx/abs__my-model")


def test_a_missing_or_unreadable_export_names_the_command(tmp_path):
    with pytest.raises(ModelUnavailable, match="ros1qa export-onnx"):
        read_export(tmp_path)
    (tmp_path / EXPORT_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="ros1qa export-onnx"):
        read_export(tmp_path)
    (tmp_path / EXPORT_FILE).write_text('{"model": "x"}', encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="unreadable"):
        read_export(tmp_path)


def _pooling_config(folder: Path, **modes: bool) -> Path:
    (folder / "1_Pooling").mkdir(parents=True, exist_ok=True)
    settings = {"word_embedding_dimension": 384, **{f"pooling_mode_{k}": v for k, v in modes.items()}}
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(settings), encoding="utf-8")
    return folder


def test_pooling_is_read_from_the_model_and_only_mean_or_cls_is_exported(tmp_path):
    assert _pooling(tmp_path / "no-config") == "mean"
    assert _pooling(_pooling_config(tmp_path / "a", mean_tokens=True, cls_token=False)) == "mean"
    assert _pooling(_pooling_config(tmp_path / "b", cls_token=True, mean_tokens=False)) == "cls"
    with pytest.raises(ModelUnavailable, match="max_tokens"):
        _pooling(_pooling_config(tmp_path / "c", max_tokens=True))


@pytest.mark.slow
def test_export_is_self_contained_described_and_repeatable(tmp_path):
    first = export_onnx(BUNDLED_MODEL, tmp_path / "first")
    assert sorted(p.name for p in (tmp_path / "first").iterdir()) == sorted([EXPORT_FILE, ONNX_FILE, TOKENIZER_FILE])
    assert read_export(tmp_path / "first") == first
    assert first["model"] == BUNDLED_MODEL and first["max_length"] == 256 and first["pooling"] == "mean"
    operators = {node.op_type for node in onnx.load(str(tmp_path / "first" / ONNX_FILE)).graph.node}
    assert first["fusion"] == "bert" and {"Attention", "SkipLayerNormalization", "BiasGelu"} <= operators
    assert first["onnx_sha256"] == hashlib.sha256((tmp_path / "first" / ONNX_FILE).read_bytes()).hexdigest()
    again = export_onnx(BUNDLED_MODEL, tmp_path / "first")  # over an existing export: replaced whole
    assert again == first
    assert [p.name for p in tmp_path.iterdir()] == ["first"]  # no scratch folder left behind
