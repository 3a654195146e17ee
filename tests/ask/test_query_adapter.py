import numpy as np
import pytest

from ros1qa.ask.query_adapter import ADAPTER_FILE, QueryAdapter, load_adapter, save_adapter
from ros1qa.settings import Settings


def _adapter(matrix: np.ndarray, model_id: str = "m") -> QueryAdapter:
    return QueryAdapter(model_id, matrix.astype(np.float32), 3, ("a.txt",))


def test_the_identity_searches_with_the_question_itself():
    vector = np.array([0.6, 0.8, 0.0], dtype=np.float32)
    assert np.allclose(_adapter(np.eye(3)).apply(vector), vector)


def test_the_searched_vector_has_length_one():
    mapped = _adapter(np.diag([2.0, 1.0, 0.5])).apply(np.array([0.6, 0.8, 0.0]))
    assert mapped.dtype == np.float32 and np.isclose(np.linalg.norm(mapped), 1.0, atol=1e-6)
    assert np.allclose(mapped, np.array([1.2, 0.8, 0.0]) / np.linalg.norm([1.2, 0.8, 0.0]), atol=1e-6)


def test_a_map_that_erases_the_vector_leaves_it_as_it_was():
    vector = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    assert np.array_equal(_adapter(np.diag([1.0, 0.0, 1.0])).apply(vector), vector)


@pytest.mark.parametrize(("model_id", "dimension", "usable"), [("m", 3, True), ("other", 3, False), ("m", 4, False)])
def test_an_adapter_maps_only_its_own_models_vectors(model_id, dimension, usable):
    assert _adapter(np.eye(3)).usable_with(model_id, dimension) is usable


def test_saved_and_loaded_it_is_the_same(tmp_path):
    adapter = _adapter(np.arange(9).reshape(3, 3))
    save_adapter(adapter, tmp_path / "a.npz")
    loaded = load_adapter(tmp_path / "a.npz")
    assert loaded is not None and np.array_equal(loaded.matrix, adapter.matrix)
    assert (loaded.model_id, loaded.questions, loaded.pages, loaded.version) == ("m", 3, ("a.txt",), adapter.version)
    assert load_adapter(tmp_path / "missing.npz") is None


def test_the_shipped_adapter_fits_the_default_model():
    adapter = load_adapter(ADAPTER_FILE)
    assert adapter is not None and adapter.usable_with(Settings().model, 384) and len(adapter.pages) >= 10
