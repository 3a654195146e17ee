"""The FAISS vector index: exact inner-product search while it is fast, an inverted file (IVF) beyond.

Exact search reads every vector for every question (≈0.13 µs each on this class of machine): at
20,000 units that is ≈2.5 ms, a tenth of one question's encode. Beyond, an IVF index clusters the
vectors into ≈√N lists and reads only the ``probes`` lists nearest the question. ``ros1qa bench``
measures recall@10 against exact search at 100k and 1M units (≥ 0.95 is the target). IVF builds in
seconds to a minute at 1M on two cores, where HNSW took ≈90 s already at 100k.

Searching an IVF index is bound by reading its vectors, so it stores them as float16: half the
memory and ≈0.7× the search time of float32 at 1M units (42 probes: 4.8 against 6.9 ms), with the
same recall per probe (0.953 against 0.954). The time saved buys more probes at 1M: 51 lists read
(recall@10 ≈ 0.96 rather than 0.95 with 42). Each float16 component is within 0.05% of the model's,
so a similarity moves by less than ranking or highlighting can tell apart; exact search, the size
ros1qa ships at, keeps float32. Measured and not taken at 1M: 8-bit codes (recall
0.934 at 42 probes; 64 probes for 0.95 cost as much as float16), more lists (2,048 or 4,096: no
faster at equal recall, and training 4,096 took 132 s instead of 7 s), and a larger k-means sample
(more recall per probe, but lists so uneven that each probe read more).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from ros1qa.runtime import prepare_process

EXACT_SEARCH_LIMIT = 20_000  # vectors; above this an exact scan costs more than ≈10% of an encode
IVF_MIN_PROBES = 32  # lists read per question…
IVF_PROBE_SHARE = 20  # …or one list in this many, if more: recall@10 ≈ 0.96 at 100k and 1M units (ros1qa bench)
IVF_TRAINING_PER_LIST = 40  # k-means sample: this many vectors per list (FAISS asks for ≥ 39)
IVF_TRAINING_ROUNDS = 10


def _faiss() -> Any:
    prepare_process()
    import faiss

    return faiss


def choose_index_type(count: int) -> str:
    return "flat" if count <= EXACT_SEARCH_LIMIT else "ivf"


def ivf_lists(count: int) -> int:
    """≈√count lists, a power of two: 128 at 20k units, 256 at 100k, 1024 at 1M (read: 32, 32, 51)."""
    return 2 ** max(0, round(math.log2(max(1.0, math.sqrt(count)))))


def ivf_probes(lists: int) -> int:
    return min(lists, max(IVF_MIN_PROBES, lists // IVF_PROBE_SHARE))


def build_vector_index(vectors: np.ndarray, kind: str, threads: int | None = None) -> Any:
    """An index over ``vectors`` (ids = row numbers); IVF training uses ``threads`` (default: all cores)."""
    faiss = _faiss()
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    count, dimension = vectors.shape
    if kind == "flat":
        index = faiss.IndexFlatIP(dimension)
        index.add(vectors)
        return index
    if kind != "ivf":
        raise ValueError(f"unknown vector index type {kind!r}")
    lists = ivf_lists(count)
    index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dimension), dimension, lists,
                                          faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    index.by_residual = False  # each vector as it is, not its offset from the list's centre: exact in float16
    index.cp.niter = IVF_TRAINING_ROUNDS
    index.cp.seed = 1234
    sample = np.random.default_rng(0).choice(count, size=min(count, lists * IVF_TRAINING_PER_LIST), replace=False)
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads or os.cpu_count() or 1)  # this thread only; serving threads keep theirs
    try:
        index.train(vectors[np.sort(sample)])
        index.add(vectors)
    finally:
        faiss.omp_set_num_threads(previous)
    index.make_direct_map()  # reconstruct(unit id) for highlighting and for reuse on rebuild
    index.nprobe = ivf_probes(lists)
    return index


def describe(kind: str, count: int = 0) -> dict[str, Any]:
    """What the manifest records about the vector index built for ``count`` units."""
    if kind == "ivf":
        lists = ivf_lists(count)
        return {"type": "ivf", "metric": "inner_product", "lists": lists, "probes": ivf_probes(lists), "codes": "float16"}
    return {"type": "flat", "metric": "inner_product"}


def stored_as(description: dict[str, Any]) -> str:
    """How an index that the manifest describes stores its vectors ("float32" unless it says otherwise)."""
    return str(description.get("codes", "float32"))


def save_vector_index(index: Any, path: Path) -> None:
    _faiss().write_index(index, str(path))


def load_vector_index(path: Path) -> Any:
    faiss = _faiss()
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexIVF):
        index.nprobe = ivf_probes(index.nlist)
        if index.direct_map.type == faiss.DirectMap.NoMap:
            index.make_direct_map()
    return index


def all_vectors(index: Any) -> np.ndarray:
    """The stored vectors, in insertion order (used to reuse embeddings on rebuild), as float32."""
    return index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d), dtype=np.float32)


def search(index: Any, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, unit ids) of the k nearest units to one unit-length query vector."""
    k = min(k, index.ntotal)
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]
