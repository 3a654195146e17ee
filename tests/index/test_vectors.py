"""The FAISS index: exact search for small corpora, IVF (float16) beyond, vectors back out, settings restored."""

from __future__ import annotations

import numpy as np
import pytest

from ros1qa.index.vectors import (
    EXACT_SEARCH_LIMIT,
    _faiss,
    all_vectors,
    build_vector_index,
    choose_index_type,
    describe,
    ivf_lists,
    ivf_probes,
    load_vector_index,
    save_vector_index,
    search,
    stored_as,
)


def clustered(count: int, dimension: int = 32, centres: int = 50, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    middles = rng.standard_normal((centres, dimension)).astype(np.float32)
    noise = rng.standard_normal((count, dimension)).astype(np.float32)
    vectors = middles[rng.integers(0, centres, count)] + 0.4 * noise
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_exact_search_up_to_the_limit_then_ivf():
    assert choose_index_type(33) == "flat"
    assert choose_index_type(EXACT_SEARCH_LIMIT) == "flat"
    assert choose_index_type(EXACT_SEARCH_LIMIT + 1) == "ivf"


def test_ivf_lists_grow_with_the_square_root_and_probes_with_the_lists():
    assert [ivf_lists(n) for n in (20_001, 100_000, 1_000_000)] == [128, 256, 1024]
    assert [ivf_probes(ivf_lists(n)) for n in (20_001, 100_000, 1_000_000)] == [32, 32, 51]
    assert ivf_probes(8) == 8  # never more probes than lists


def test_manifest_description_names_the_type_and_its_parameters():
    assert describe("flat", 33) == {"type": "flat", "metric": "inner_product"}
    assert describe("ivf", 100_000) == {"type": "ivf", "metric": "inner_product", "lists": 256, "probes": 32,
                                        "codes": "float16"}
    assert [stored_as(describe(kind, 100_000)) for kind in ("flat", "ivf")] == ["float32", "float16"]


def test_flat_search_is_exact_and_best_first():
    vectors = clustered(500)
    index = build_vector_index(vectors, "flat")
    sims, ids = search(index, vectors[42], 5)
    assert ids[0] == 42 and np.all(np.diff(sims) <= 0)
    assert set(ids) == set(np.argsort(-(vectors @ vectors[42]))[:5])


def test_search_never_asks_for_more_than_there_is():
    index = build_vector_index(clustered(3), "flat")
    _, ids = search(index, clustered(1, seed=9)[0], 100)
    assert sorted(ids.tolist()) == [0, 1, 2]


def test_ivf_round_trip_keeps_float16_vectors_probes_and_good_recall(tmp_path):
    vectors = clustered(EXACT_SEARCH_LIMIT + 5_000)
    index = build_vector_index(vectors, choose_index_type(len(vectors)))
    save_vector_index(index, tmp_path / "vectors.faiss")
    loaded = load_vector_index(tmp_path / "vectors.faiss")
    faiss = _faiss()
    assert isinstance(loaded, faiss.IndexIVF) and loaded.nprobe == ivf_probes(loaded.nlist)
    stored = all_vectors(loaded)
    assert np.allclose(stored, vectors, rtol=2**-11, atol=2**-24)  # float16 rounding, nothing more
    assert np.array_equal(loaded.reconstruct(1234), stored[1234])  # highlighting reads these
    again = build_vector_index(stored, "ivf")  # a rebuild that reuses them stores the same codes
    assert np.array_equal(all_vectors(again), stored)
    queries = clustered(50, seed=3)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    found = [search(loaded, q, 10)[1] for q in queries]
    recall = np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact)])
    assert recall >= 0.9


def test_building_restores_the_threads_of_the_calling_thread():
    faiss = _faiss()
    before = faiss.omp_get_max_threads()
    build_vector_index(clustered(EXACT_SEARCH_LIMIT + 100, dimension=8), "ivf", threads=2)
    assert faiss.omp_get_max_threads() == before


def test_unknown_index_type_is_refused():
    with pytest.raises(ValueError, match="hnsw"):
        build_vector_index(clustered(10), "hnsw")
