import json
import subprocess
import sys

import numpy as np
import pytest
from tests.conftest import REPO, SHIPPED

from ros1qa.errors import ModelUnavailable
from ros1qa.index.embedding import SentenceTransformerEmbedder
from ros1qa.index.onnx_embedding import OnnxEmbedder
from ros1qa.index.onnx_export import EXPORT_FILE, ONNX_FILE, TOKENIZER_FILE, export_folder, export_onnx
from ros1qa.index.tuning import tuning_digest
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL

TEXTS = [
    "Keytruda is an immunotherapy",
    "short",
    "",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
    "lone \ud800 surrogate",
    "émoji 😀 текст עברית",
    *[f"question {i} about ROS1 cancer and liver problems " * (i % 5 + 1) for i in range(70)],  # > one batch
]


def _describe(folder, **fields):
    folder.mkdir(parents=True, exist_ok=True)
    described = {"model": BUNDLED_MODEL, "max_length": 256, "pooling": "mean", **fields}
    (folder / EXPORT_FILE).write_text(json.dumps(described), encoding="utf-8")
    return folder


def test_a_missing_export_is_a_clear_error_naming_the_command(tmp_path):
    with pytest.raises(ModelUnavailable, match="ros1qa export-onnx"):
        OnnxEmbedder(BUNDLED_MODEL, tmp_path / "nothing").encode(["hello"])


def test_an_export_of_another_model_is_refused(tmp_path):
    folder = _describe(tmp_path / "other", model="someone/else")
    with pytest.raises(ModelUnavailable, match="exported from 'someone/else'"):
        OnnxEmbedder(BUNDLED_MODEL, folder).warm_up()


def test_a_damaged_onnx_file_is_a_clear_error(tmp_path):
    folder = _describe(tmp_path / "damaged")
    (folder / ONNX_FILE).write_bytes(b"not a model")
    (folder / TOKENIZER_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="export-onnx"):
        OnnxEmbedder(BUNDLED_MODEL, folder).warm_up()


def test_an_export_of_another_tuning_is_refused(tmp_path):
    folder = _describe(tmp_path / "retuned", model=TUNED_MODEL, tuning="0" * 64)
    with pytest.raises(ModelUnavailable, match="another tuning"):
        OnnxEmbedder(TUNED_MODEL, folder).warm_up()


@pytest.fixture(scope="module")
def onnx_folder(tmp_path_factory):
    """The export `make setup` made for the shipped index, or a fresh one when it is missing."""
    shipped = export_folder(SHIPPED.models_dir, SHIPPED.model)
    if (shipped / EXPORT_FILE).is_file():
        return shipped
    folder = tmp_path_factory.mktemp("onnx") / "model"
    export_onnx(SHIPPED.model, folder)
    return folder


@pytest.mark.slow
def test_onnx_vectors_match_sentence_transformers_on_torch(onnx_folder):
    onnx = OnnxEmbedder(SHIPPED.model, onnx_folder)
    ours = onnx.encode(TEXTS)
    reference = SentenceTransformerEmbedder(SHIPPED.model).encode(TEXTS)
    assert ours.shape == reference.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    assert onnx.dimension == 384
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * reference).sum(axis=1).min() > 0.9999
    one_by_one = np.vstack([onnx.encode([text]) for text in TEXTS[:8]])  # padding in a batch changes nothing
    assert (one_by_one * ours[:8]).sum(axis=1).min() > 0.9999
    assert onnx.encode([]).shape == (0, 384)


@pytest.mark.slow
def test_the_tuned_model_is_exported_with_the_shipped_tuning_merged_as_torch_merges_it(tmp_path):
    described = export_onnx(TUNED_MODEL, tmp_path / "tuned")
    assert described["model"] == TUNED_MODEL and described["tuning"] == tuning_digest()
    ours = OnnxEmbedder(TUNED_MODEL, tmp_path / "tuned").encode(TEXTS[:8])
    reference = SentenceTransformerEmbedder(TUNED_MODEL).encode(TEXTS[:8])
    bundled = SentenceTransformerEmbedder(BUNDLED_MODEL).encode(TEXTS[:8])
    assert (ours * reference).sum(axis=1).min() > 0.9999  # the same weights on both backends
    assert (ours * bundled).sum(axis=1).min() < 0.99  # and not the bundled model's


@pytest.mark.slow
def test_onnx_word_pieces_and_their_vectors_match_sentence_transformers_on_torch(onnx_folder):
    texts = ["Keytruda is an immunotherapy", "Is ROS1 cancer treated with crizotinib?", "short", ""]
    onnx, reference = OnnxEmbedder(SHIPPED.model, onnx_folder), SentenceTransformerEmbedder(SHIPPED.model)
    (ours, ours_read), (theirs, theirs_read) = onnx.encode_tokens(texts), reference.encode_tokens(texts)
    assert (ours * theirs).sum(axis=1).min() > 0.9999 and (ours * onnx.encode(texts)).sum(axis=1).min() > 0.9999
    for mine, other in zip(ours_read, theirs_read):  # the same pieces, each with the same vector in context
        assert mine.tokens == other.tokens and mine.tokens[0] == "[CLS]" and mine.tokens[-1] == "[SEP]"
        assert mine.vectors.shape == other.vectors.shape == (len(mine.tokens), 384)
        cosines = (mine.vectors * other.vectors).sum(axis=1) / np.linalg.norm(mine.vectors, axis=1) \
            / np.linalg.norm(other.vectors, axis=1)
        assert cosines.min() > 0.999
    assert ours_read[1].tokens[1:4] == ("is", "ro", "##s")  # ROS1 as the model splits it


@pytest.mark.slow
def test_the_onnx_backend_answers_without_importing_torch(onnx_folder):
    """What makes its cold start short: torch and sentence-transformers are never imported."""
    code = (
        "import sys\n"
        "for name in ('torch', 'sentence_transformers', 'transformers'): sys.modules[name] = None  # import fails\n"
        "from pathlib import Path\n"
        "from ros1qa.index.onnx_embedding import OnnxEmbedder\n"
        "from ros1qa.ask.engine import Engine\n"
        "from ros1qa.settings import Settings\n"
        "from ros1qa.index.store import load_index\n"
        f"embedder = OnnxEmbedder({SHIPPED.model!r}, Path({str(onnx_folder)!r}))\n"
        f"engine = Engine(load_index(Path({str(REPO / 'index')!r})), embedder, Settings().retrieval)\n"
        "print(engine.ask('Is immunotherapy used first for ROS1+ cancer?').status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "answered"
