"""Concurrency: one shared engine serves many threads with exactly the answers it gives one at a time.

The embedder serialises encode with a lock (tokenizers are not thread-safe) and loads the model
once; FAISS search, BM25 scoring and the shared PyStemmer instance are only read. The slow test
drives the real engine from 50 threads; the fast ones check each shared part on its own.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from ros1qa.index.embedding import SentenceTransformerEmbedder
from ros1qa.index.lexical import terms
from ros1qa.index.vectors import search

ANSWERABLE = [
    "Is immunotherapy used first for ROS1+ cancer?",
    "what is a TKI",
    "what happened when crizotinib was combined with nivolumab",
    "do ros1 patients respond to keytruda",
    "what is car-t cell therapy",
    "can pneumonitis from immunotherapy stop me getting a tki later",
    "is targeted therapy better tolerated than immunotherapy",
    "has chemo plus immunotherapy been tested in ros1 patients",
]
UNANSWERABLE = [
    "how much does lorlatinib cost",
    "what is the weather in boston",
    "write me a poem about spring",
    "which hospital is best for lung cancer",
    "can i drink wine on entrectinib",
    "",
]
URGENT = [
    "i cant breathe",
    "my dad is coughing up blood right now",
    "i want to end my life",
    "on chemo and my temp is 39.4",
    "my wife just collapsed and wont wake up",
    "my husbands face is drooping",
]
QUESTIONS = ANSWERABLE + UNANSWERABLE + URGENT
THREADS = 50


def run_in_threads(work, count: int) -> list:
    """Start ``count`` threads at the same moment; return their results (or raise the first error)."""
    barrier = threading.Barrier(count)

    def start(index: int):
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


@pytest.mark.slow
def test_fifty_threads_get_exactly_the_sequential_answers(real_engine):
    assert len(QUESTIONS) == 20
    expected = {q: real_engine.ask(q).to_dict() for q in QUESTIONS}
    assert {a["status"] for a in expected.values()} == {"answered", "not_found", "urgent"}

    def ask_all(index: int) -> list[tuple[str, dict]]:
        order = QUESTIONS[:]
        random.Random(index).shuffle(order)
        return [(q, real_engine.ask(q).to_dict()) for q in order]

    started = time.perf_counter()
    results = run_in_threads(ask_all, THREADS)
    elapsed = time.perf_counter() - started
    answers = [pair for thread in results for pair in thread]
    assert len(answers) == THREADS * len(QUESTIONS)
    mismatched = [q for q, answer in answers if answer != expected[q]]
    assert mismatched == []
    assert elapsed < 120


class OverlapDetectingModel:
    """Stands in for SentenceTransformer: notes how many encodes run at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.calls = 0
        self._count = threading.Lock()

    def encode(self, texts, **kwargs) -> np.ndarray:
        with self._count:
            self.running += 1
            self.calls += 1
            self.most = max(self.most, self.running)
        time.sleep(0.002)  # long enough for another thread to get in, if it could
        with self._count:
            self.running -= 1
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    def get_sentence_embedding_dimension(self) -> int:
        return 4


def test_the_embedder_runs_one_encode_at_a_time():
    embedder = SentenceTransformerEmbedder()
    model = OverlapDetectingModel()
    embedder._model = model
    run_in_threads(lambda i: [embedder.encode([f"question {i} {n}"]) for n in range(10)], 16)
    assert model.calls == 160
    assert model.most == 1


def test_the_model_is_loaded_once_however_many_threads_ask_first(monkeypatch):
    embedder = SentenceTransformerEmbedder()
    loads = []

    def slow_load():
        loads.append(threading.get_ident())
        time.sleep(0.05)
        return OverlapDetectingModel()

    monkeypatch.setattr(embedder, "_load", slow_load)
    vectors = run_in_threads(lambda i: embedder.encode(["first question"]), 16)
    assert len(loads) == 1
    assert all(v.shape == (1, 4) for v in vectors)


def test_shared_faiss_index_searches_agree_across_threads(fake_engine):
    index = fake_engine.index.vectors
    rng = np.random.default_rng(5)
    queries = rng.normal(size=(64, index.d)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    expected = [search(index, q, 20) for q in queries]
    results = run_in_threads(lambda i: [search(index, q, 20) for q in queries[i % 8::8]], 16)
    for thread, found in enumerate(results):
        for got, want in zip(found, expected[thread % 8::8]):
            assert np.array_equal(got[1], want[1]) and np.array_equal(got[0], want[0])


def test_shared_bm25_and_stemmer_agree_across_threads(fake_engine):
    lexical = fake_engine.index.lexical
    texts = [p.text for p in fake_engine.index.passages] + QUESTIONS
    expected_terms = [terms(t) for t in texts]
    expected_scores = [lexical.scores(t) for t in expected_terms]

    def work(i: int) -> list[tuple[list[str], np.ndarray]]:
        return [(terms(t), lexical.scores(terms(t))) for t in texts[i % 5:] + texts[: i % 5]]

    for i, found in enumerate(run_in_threads(work, 24)):
        order = list(range(i % 5, len(texts))) + list(range(i % 5))
        for position, (got_terms, got_scores) in zip(order, found):
            assert got_terms == expected_terms[position]
            assert np.array_equal(got_scores, expected_scores[position])


def test_shared_fake_engine_answers_agree_across_threads(fake_engine):
    expected = {q: fake_engine.ask(q).to_dict() for q in QUESTIONS}
    def ask_all(i: int) -> list[tuple[str, dict]]:
        return [(q, fake_engine.ask(q).to_dict()) for q in QUESTIONS[i % 20:] + QUESTIONS[: i % 20]]

    results = run_in_threads(ask_all, 32)
    assert [q for thread in results for q, answer in thread if answer != expected[q]] == []
