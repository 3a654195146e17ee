"""Index build throughput against bare batch encoding, and the cost of a one-document rebuild."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ros1qa.index.embedding import Embedder
from ros1qa.index.indexing import build_index, texts_read
from ros1qa.ingest.chunking import Passage, chunk_corpus
from ros1qa.ingest.corpus import load_corpus
from ros1qa.settings import Settings

BatchEncode = Callable[[list[str]], Any]


@dataclass(frozen=True)
class BuildFigures:
    documents: int
    passages: int
    units: int
    build_seconds: float  # build_index from an empty index folder: read, chunk, embed, BM25, FAISS, write
    encode_seconds: float  # the model's batch encode of the distinct texts the build reads (each once: the units',
    # the sentences' read alone, which also give their word pieces): mean of one run before, one after
    vector_type: str


@dataclass(frozen=True)
class RebuildFigures:
    units: int
    read: int  # texts the model read again (embedded, or read into word pieces)
    changed_texts: int  # distinct texts the edit changed (what should be read)
    seconds: float


def measure_build(settings: Settings, embedder: Embedder, bare_encode: BatchEncode) -> BuildFigures:
    """Build ``settings.index_dir`` (expected empty) from ``settings.corpus_dir``, timing bare encoding around it."""
    passages = _passages(settings)
    reads = sorted(texts_read(passages))
    encoded_before = _seconds(bare_encode, reads)
    started = time.perf_counter()
    report = build_index(settings, embedder)
    build_seconds = time.perf_counter() - started
    encode_seconds = (encoded_before + _seconds(bare_encode, reads)) / 2
    counts = report.manifest["counts"]
    return BuildFigures(counts["documents"], counts["passages"], report.units, build_seconds, encode_seconds,
                        report.manifest["vectors"]["type"])


def measure_rebuild(settings: Settings, embedder: Embedder) -> RebuildFigures:
    """Change one sentence of one document, rebuild over the previous build, and time it."""
    before = texts_read(_passages(settings))
    page = min(p for p in settings.corpus_dir.iterdir() if p.suffix in (".md", ".txt"))
    text = page.read_text(encoding="utf-8")
    cut = text.index(". ", text.index("\n## ")) + 1  # the end of the first sentence under the first heading
    page.write_text(text[:cut] + " It was updated after review." + text[cut:], encoding="utf-8")
    changed = len(texts_read(_passages(settings)) - before)
    started = time.perf_counter()
    report = build_index(settings, embedder)
    return RebuildFigures(report.units, report.read, changed, time.perf_counter() - started)


def _seconds(encode: BatchEncode, texts: list[str]) -> float:
    started = time.perf_counter()
    encode(texts)
    return time.perf_counter() - started


def _passages(settings: Settings) -> tuple[Passage, ...]:
    return chunk_corpus(load_corpus(settings.corpus_dir), settings.chunker)


def bench_settings(settings: Settings, corpus_dir: Path, index_dir: Path) -> Settings:
    return replace(settings, corpus_dir=corpus_dir, index_dir=index_dir)
