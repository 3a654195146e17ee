import os
from pathlib import Path

import numpy as np
import pytest

from ros1qa.errors import ModelUnavailable
from ros1qa.index.embedding import SentenceTransformerEmbedder, model_threads, resolve_model_location
from ros1qa.index.onnx_embedding import OnnxEmbedder
from ros1qa.runtime import prepare_process
from ros1qa.service import make_embedder
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL, Settings


def test_bundled_model_resolves_to_a_local_folder_and_the_tuned_model_starts_from_it():
    assert Path(resolve_model_location(BUNDLED_MODEL), "config.json").is_file()
    assert resolve_model_location(TUNED_MODEL) == resolve_model_location(BUNDLED_MODEL)
    assert resolve_model_location("/some/path") == "/some/path"


def test_unknown_backend_is_refused_naming_the_choices():
    with pytest.raises(ModelUnavailable, match="tensorflow.*onnx, torch"):
        make_embedder(Settings(backend="tensorflow"))


def test_each_backend_gets_its_embedder_and_nothing_loads_yet(tmp_path):
    onnx = make_embedder(Settings(backend="onnx", models_dir=tmp_path))
    assert isinstance(onnx, OnnxEmbedder) and onnx.folder == tmp_path / "onnx" / "sentence-transformers__all-MiniLM-L6-v2"
    assert isinstance(make_embedder(Settings(backend="torch")), SentenceTransformerEmbedder)
    assert onnx._model is None


def test_an_encode_uses_every_core_unless_told_while_searches_keep_one_thread(monkeypatch):
    assert model_threads(0) == os.cpu_count() and model_threads(3) == 3
    assert make_embedder(Settings())._threads == os.cpu_count()
    assert make_embedder(Settings(threads=1, backend="torch"))._threads == 1
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    prepare_process()
    assert os.environ["OMP_NUM_THREADS"] == "1"  # faiss's pool, started after this, runs one thread per search


def test_missing_model_is_a_clear_error(tmp_path):
    embedder = SentenceTransformerEmbedder(str(tmp_path / "no-model-here"))
    with pytest.raises(ModelUnavailable, match="no-model-here"):
        embedder.warm_up()


@pytest.mark.slow
def test_real_model_gives_unit_vectors_and_similar_texts_are_close(real_engine):
    embedder = real_engine.embedder
    vectors = embedder.encode(["Keytruda is an immunotherapy", "pembrolizumab immune checkpoint inhibitor", "banana bread recipe"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
