"""The FAISS vector index: exact inner-product search while it is fast, HNSW beyond."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ros1qa.runtime import prepare_process

EXACT_SEARCH_LIMIT = 200_000  # vectors; above this an exact scan costs more than one question's encode
HNSW_NEIGHBOURS = 32
HNSW_BUILD_DEPTH = 80
HNSW_SEARCH_DEPTH = 96


def _faiss() -> Any:
    prepare_process()
    import faiss

    return faiss


def choose_index_type(count: int) -> str:
    return "flat" if count <= EXACT_SEARCH_LIMIT else "hnsw"


def build_vector_index(vectors: np.ndarray, kind: str) -> Any:
    faiss = _faiss()
    dimension = vectors.shape[1]
    if kind == "flat":
        index = faiss.IndexFlatIP(dimension)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_BUILD_DEPTH
    else:
        raise ValueError(f"unknown vector index type {kind!r}")
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def describe(kind: str) -> dict[str, Any]:
    if kind == "hnsw":
        return {"type": "hnsw", "m": HNSW_NEIGHBOURS, "ef_construction": HNSW_BUILD_DEPTH, "ef_search": HNSW_SEARCH_DEPTH}
    return {"type": "flat", "metric": "inner_product"}


def save_vector_index(index: Any, path: Path) -> None:
    _faiss().write_index(index, str(path))


def load_vector_index(path: Path) -> Any:
    faiss = _faiss()
    index = faiss.read_index(str(path))
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = HNSW_SEARCH_DEPTH
    return index


def all_vectors(index: Any) -> np.ndarray:
    """The stored vectors, in insertion order (used to reuse embeddings on rebuild)."""
    return index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d), dtype=np.float32)


def search(index: Any, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, unit ids) of the k nearest units to one unit-length query vector."""
    k = min(k, index.ntotal)
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]
