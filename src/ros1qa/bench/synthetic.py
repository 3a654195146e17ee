"""Synthetic but realistic data for the benchmark, made from the real corpus's own sentences.

- ``write_text_corpus``: Markdown pages (front matter, headings, paragraphs) written to a folder,
  for measuring ``build_index`` end to end with the real model.
- ``synthetic_index``: documents and one-sentence passages in memory, for corpora of 10k–1M
  units where embedding every text would take hours.
- ``synthetic_vectors``: unit vectors mixed from real embeddings plus noise, standing in for the
  embeddings of those passages (the output says so).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ros1qa.index.pieces import PassagePieces, first_texts
from ros1qa.ingest.chunking import Passage, chunk_corpus
from ros1qa.ingest.corpus import Document, load_corpus
from ros1qa.settings import ChunkerSettings

DRUGS = (
    "crizotinib", "entrectinib", "lorlatinib", "repotrectinib", "taletrectinib", "ceritinib", "cabozantinib",
    "nivolumab", "pembrolizumab", "atezolizumab", "durvalumab", "ipilimumab", "pemetrexed", "carboplatin",
)
TOPICS = (
    "brain metastases", "pneumonitis", "liver tests", "fatigue", "swelling", "dizziness", "taste changes",
    "clinical trials", "second-line treatment", "resistance mutations", "biopsy", "next-generation sequencing",
)
DRUG = re.compile("|".join(DRUGS), re.IGNORECASE)
NUMBER = re.compile(r"\b\d+\b")


def corpus_sentences(corpus_dir: Path) -> list[str]:
    """Every sentence of the real corpus, in reading order (at least one)."""
    passages = chunk_corpus(load_corpus(corpus_dir), ChunkerSettings())
    sentences = [text.strip() for p in passages for text in p.sentence_texts()]
    return [s for s in sentences if len(s.split()) >= 4] or [p.text for p in passages]


def vary(sentence: str, rng: random.Random) -> str:
    """The sentence with its drug names and numbers swapped, and sometimes a topic added."""
    text = DRUG.sub(lambda _: rng.choice(DRUGS), sentence)
    text = NUMBER.sub(lambda _: str(rng.randint(1, 99)), text)
    if rng.random() < 0.3:
        text = f"{text.rstrip('.')} (see also {rng.choice(TOPICS)})."
    return " ".join(text.split())


def write_text_corpus(folder: Path, sentences: Sequence[str], documents: int, seed: int = 0) -> int:
    """Write ``documents`` Markdown pages of varied sentences; returns how many paragraphs they hold."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = 0
    for number in range(documents):
        lines = ["---", f"title: ROS1 page {number}", f"url: https://example.org/ros1/{number}",
                 "publisher: Synthetic", "---", ""]
        for section in range(rng.randint(2, 3)):
            lines += [f"## {rng.choice(TOPICS).capitalize()} ({number}.{section})", ""]
            for _ in range(rng.randint(1, 3)):
                lines += [" ".join(vary(rng.choice(sentences), rng) for _ in range(rng.randint(2, 4))), ""]
                paragraphs += 1
        (folder / f"page-{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    return paragraphs


def synthetic_index(sentences: Sequence[str], count: int, per_document: int = 20, seed: int = 0
                    ) -> tuple[tuple[Document, ...], tuple[Passage, ...]]:
    """``count`` one-sentence passages (so one search unit each) in pages of ``per_document``."""
    rng = random.Random(seed)
    documents: list[Document] = []
    passages: list[Passage] = []
    for number in range(0, count, per_document):
        texts = [vary(rng.choice(sentences), rng) for _ in range(min(per_document, count - number))]
        text = "\n\n".join(texts)
        doc_id = f"page-{number // per_document:06d}.md"
        title, url = f"ROS1 page {number // per_document}", f"https://example.org/ros1/{number // per_document}"
        documents.append(Document(doc_id, title, url, "Synthetic", text, ()))
        start = 0
        for sentence in texts:
            end = start + len(sentence)
            passages.append(Passage(doc_id, title, url, "", start, end, sentence, ((start, end),)))
            start = end + 2
    return tuple(documents), tuple(passages)


def synthetic_vectors(base: np.ndarray, count: int, seed: int = 0, noise: float = 0.5) -> np.ndarray:
    """``count`` unit vectors, each a random mix of up to three ``base`` rows plus Gaussian noise.

    Real embeddings of one topic crowd into a few directions; mixing real ones keeps that shape,
    and the noise (``noise`` × the norm of a base row) keeps neighbours from being exact ties.
    """
    rng = np.random.default_rng(seed)
    dimension = base.shape[1]
    out = np.empty((count, dimension), dtype=np.float32)
    scale = np.float32(noise / np.sqrt(dimension))
    for start in range(0, count, 65_536):
        rows = min(65_536, count - start)
        weights = np.zeros((rows, len(base)), dtype=np.float32)
        picks = rng.integers(0, len(base), size=(rows, 3))
        weights[np.arange(rows)[:, None], picks] = rng.dirichlet([0.5, 0.5, 0.5], size=rows).astype(np.float32)
        block = weights @ base + rng.standard_normal((rows, dimension), dtype=np.float32) * scale
        out[start:start + rows] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def synthetic_pieces(base: np.ndarray, passages: Sequence[Passage], per_text: int, seed: int = 1) -> PassagePieces:
    """``per_text`` synthetic word pieces (float16, mixed like ``synthetic_vectors``) for each text a build reads
    into pieces: as many rows, and as much disk, as a real build stores (``per_text``: the real corpus's mean)."""
    first = first_texts(passages)
    texts = int(first[-1])
    rows = np.empty((texts * per_text, base.shape[1]), dtype=np.float16)
    for start in range(0, len(rows), 1 << 20):  # a block at a time: float32 for all would not fit beside the index
        count = min(1 << 20, len(rows) - start)
        rows[start:start + count] = synthetic_vectors(base, count, seed + start)
    return PassagePieces(rows, np.arange(texts + 1, dtype=np.int64) * per_text, first)
