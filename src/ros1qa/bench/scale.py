"""Scale: build, store and serve synthetic corpora of 10k–1M search units, each in its own process.

Passages are varied sentences of the real corpus with real BM25; their vectors are synthetic
(mixed from real embeddings, see ``synthetic_vectors``) because embedding a million texts takes
hours. Questions are real and encoded by the real model, so the ask path is the real one.
The children run as ``python -m ros1qa.bench.scale build|serve <json>`` and print one JSON line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ros1qa.ask.engine import Engine
from ros1qa.bench.measure import Latency, folder_bytes, rss_bytes
from ros1qa.bench.synthetic import synthetic_index, synthetic_pieces, synthetic_vectors
from ros1qa.index.embedding import Embedder
from ros1qa.index.lexical import LexicalIndex
from ros1qa.index.pieces import PIECES_VERSION
from ros1qa.index.store import IndexContents, current_build, load_index, write_index
from ros1qa.index.vectors import all_vectors, build_vector_index, choose_index_type, describe, search
from ros1qa.ingest.corpus import sha256_bytes
from ros1qa.ingest.units import EMBEDDING_TEXT_VERSION, lexical_texts, make_units
from ros1qa.settings import ChunkerSettings, Settings

RECALL_AT = 10


def build_scale_index(index_dir: Path, count: int, base: np.ndarray, sentences: Sequence[str], glossary_text: str,
                      model: str, backend: str, pieces_per_text: int) -> dict[str, Any]:
    """Write a synthetic index of ``count`` units; times exclude making the synthetic data."""
    documents, passages = synthetic_index(sentences, count)
    units = make_units(passages)
    vectors = synthetic_vectors(base, len(units))
    texts = lexical_texts(units, passages)
    started = time.perf_counter()
    kind = choose_index_type(len(units))
    vector_index = build_vector_index(vectors, kind)
    vectors_done = time.perf_counter()
    lexical = LexicalIndex.build(texts)
    lexical_done = time.perf_counter()
    manifest = {
        "model": {"id": model, "backend": backend, "dimension": int(vectors.shape[1])},
        "chunker": ChunkerSettings().describe(), "embedding_text": EMBEDDING_TEXT_VERSION, "pieces": PIECES_VERSION,
        "corpus": {},
        "glossary_sha256": sha256_bytes(glossary_text.encode("utf-8")), "vectors": describe(kind, len(units)),
        "counts": {"documents": len(documents), "passages": len(passages), "units": len(units)}, "synthetic": True,
    }
    alone = vectors[[u.is_sentence for u in units]]  # synthetic too: the sentences read alone
    pieces = synthetic_pieces(base, passages, pieces_per_text)
    write_index(index_dir, IndexContents(manifest, documents, passages, vector_index, alone, pieces, lexical,
                                         glossary_text))
    written = time.perf_counter()
    folder = current_build(index_dir)
    return {
        "units": len(units), "type": kind, "vectors_seconds": vectors_done - started,
        "bm25_seconds": lexical_done - vectors_done, "write_seconds": written - lexical_done,
        "disk_bytes": folder_bytes(folder), "vector_file_bytes": (folder / "vectors.faiss").stat().st_size,
        "raw_vector_bytes": int(vectors.nbytes),
    }


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k largest inner products for each query, by brute force (blocks of 65,536 rows)."""
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for start in range(0, len(vectors), 65_536):
        scores = queries @ vectors[start:start + 65_536].T
        keep = np.argpartition(-scores, min(k, scores.shape[1]) - 1, axis=1)[:, :k]
        best_scores = np.concatenate([best_scores, np.take_along_axis(scores, keep, axis=1)], axis=1)
        best_ids = np.concatenate([best_ids, keep + start], axis=1)
        order = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores, best_ids = np.take_along_axis(best_scores, order, 1), np.take_along_axis(best_ids, order, 1)
    return best_ids


def serve_scale_index(index_dir: Path, settings: Settings, embedder: Embedder, questions: Sequence[str],
                      rounds: int = 2) -> dict[str, Any]:
    """Load the big index next to the small shipped one; time the same questions on both, interleaved.

    The index's memory is the process's growth from loading it to having asked it every question; the
    small index has asked them all before, so what the model and Python keep for questions is not counted.
    """
    small = Engine(load_index(settings.index_dir), embedder, settings.retrieval, settings.max_question_chars)
    vectors = embedder.encode(list(questions))
    for question in questions:
        small.ask(question)
    before = rss_bytes()
    started = time.perf_counter()
    engine = Engine(load_index(index_dir), embedder, settings.retrieval, settings.max_question_chars)
    load_seconds = time.perf_counter() - started
    for question in questions[:5]:
        engine.ask(question)
    big_times: list[float] = []
    small_times: list[float] = []
    search_times: list[float] = []
    for _ in range(rounds):
        for question, vector in zip(questions, vectors):
            started = time.perf_counter()
            small.ask(question)
            middle = time.perf_counter()
            engine.ask(question)
            ended = time.perf_counter()
            search(engine.index.vectors, vector, settings.retrieval.candidates)
            search_times.append(time.perf_counter() - ended)
            small_times.append(middle - started)
            big_times.append(ended - middle)
    served = rss_bytes()  # with what asking filled, such as the cached maxima of the questions' concepts
    found = [set(search(engine.index.vectors, v, RECALL_AT)[1].tolist()) for v in vectors]
    exact = exact_top(all_vectors(engine.index.vectors), vectors, RECALL_AT)
    recall = float(np.mean([len(f & set(e.tolist())) / RECALL_AT for f, e in zip(found, exact)]))
    big, few, dense = Latency.of(big_times), Latency.of(small_times), Latency.of(search_times)
    return {
        "load_seconds": load_seconds, "index_rss_bytes": served - before, "process_rss_bytes": served,
        "ask_p50_ms": big.p50, "ask_p99_ms": big.p99, "small_ask_p50_ms": few.p50, "small_ask_p99_ms": few.p99,
        "search_p50_ms": dense.p50, "search_p99_ms": dense.p99, "recall_at_10": recall,
    }


def measure_scale(count: int, workdir: Path, settings: Settings, base: np.ndarray, sentences: Sequence[str],
                  questions: Sequence[str], embedder: Embedder | None = None) -> dict[str, Any]:
    """Build then serve a corpus of ``count`` units: in child processes, or here when given an embedder."""
    index_dir = workdir / f"scale-{count}"
    shipped = load_index(settings.index_dir).pieces  # as many pieces per sentence as the real corpus's
    assert shipped is not None, "the shipped index predates word pieces: run ros1qa build"
    per_text = max(1, round(len(shipped.rows) / (len(shipped.offsets) - 1)))
    glossary = settings.corpus_dir / "glossary.toml"
    glossary_text = glossary.read_text(encoding="utf-8") if glossary.is_file() else ""
    if embedder is not None:
        built = build_scale_index(index_dir, count, base, sentences, glossary_text, settings.model, settings.backend,
                                  per_text)
        return {**built, **serve_scale_index(index_dir, settings, embedder, questions)}
    np.save(workdir / "base.npy", base)
    request = {
        "index_dir": str(index_dir), "count": count, "base": str(workdir / "base.npy"), "sentences": list(sentences),
        "glossary_text": glossary_text, "questions": list(questions), "model": settings.model,
        "backend": settings.backend, "corpus_dir": str(settings.corpus_dir), "small_index_dir": str(settings.index_dir),
        "models_dir": str(settings.models_dir), "pieces_per_text": per_text,
    }
    (workdir / "scale-request.json").write_text(json.dumps(request), encoding="utf-8")
    built = _child("build", workdir / "scale-request.json")
    return {**built, **_child("serve", workdir / "scale-request.json")}


def _child(mode: str, request: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "ros1qa.bench.scale", mode, str(request)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scale {mode} child failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str]) -> None:
    mode, request = argv[0], json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    if mode == "build":
        result = build_scale_index(Path(request["index_dir"]), request["count"], np.load(request["base"]),
                                   request["sentences"], request["glossary_text"], request["model"], request["backend"],
                                   request["pieces_per_text"])
    else:
        from ros1qa.service import make_embedder

        settings = replace(Settings(), corpus_dir=Path(request["corpus_dir"]),
                           index_dir=Path(request["small_index_dir"]), model=request["model"], backend=request["backend"],
                           models_dir=Path(request["models_dir"]))
        result = serve_scale_index(Path(request["index_dir"]), settings, make_embedder(settings), request["questions"])
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
