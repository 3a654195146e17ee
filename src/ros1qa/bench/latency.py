"""Warm latency of the whole ask path against bare ``encode``, and throughput with concurrent askers."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ros1qa.ask.engine import Engine
from ros1qa.bench.measure import Latency

BareEncode = Callable[[list[str]], Any]


@dataclass(frozen=True)
class WarmLatency:
    ask: Latency  # Engine.ask: safety check, encode, search, BM25, fusion, threshold, highlight
    encode: Latency  # the model's own encode of the same question, nothing else
    read: Latency  # the model's own encodes of what ros1qa has it read: the question and its glossary words,
    # and for some questions the same without the words no page uses (see ``read_twice``)
    read_twice: float  # share of questions the model reads a second time, to judge words off the pages
    torch: Latency | None = None  # bare sentence-transformers on torch, when ros1qa runs another backend


class _Recording:
    """An embedder that notes every batch of texts it is asked to encode."""

    def __init__(self, embedder: Any) -> None:
        self._embedder = embedder
        self.batches: list[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._embedder, name)

    def encode(self, texts: Sequence[str], **options: Any) -> Any:
        self.batches.append(list(texts))
        return self._embedder.encode(texts, **options)

    def encode_tokens(self, texts: Sequence[str]) -> Any:
        self.batches.append(list(texts))
        return self._embedder.encode_tokens(texts)


def model_reads(engine: Engine, questions: Sequence[str]) -> dict[str, list[list[str]]]:
    """What the model encodes when ``engine`` answers each question: its batches of texts, per question."""
    recording = _Recording(engine.embedder)
    watched = copy.copy(engine)  # the same engine in every other respect, shared read-only
    watched.embedder = recording
    reads = {}
    for question in questions:
        recording.batches = []
        watched.ask(question)
        reads[question] = recording.batches
    return reads


def measure_latency(engine: Engine, questions: Sequence[str], bare_encode: BareEncode, rounds: int = 3,
                    torch_encode: BareEncode | None = None) -> WarmLatency:
    """Time each question every way, interleaved so that all see the same machine load."""
    read = model_reads(engine, questions)  # before timing: the floor is the encodes alone
    ways: list[Callable[[str], Any]] = [lambda q: bare_encode([q]), engine.ask,
                                        lambda q: [bare_encode(batch) for batch in read[q]]]
    if torch_encode is not None:
        ways.append(lambda q: torch_encode([q]))
    for question in questions[:5]:  # warm every path
        for way in ways:
            way(question)
    times: list[list[float]] = [[] for _ in ways]
    for _ in range(rounds):
        for question in questions:
            for way, timings in zip(ways, times):
                started = time.perf_counter()
                way(question)
                timings.append(time.perf_counter() - started)
    encode, ask, reads, *torch = (Latency.of(t) for t in times)
    twice = sum(sum(map(len, batches)) > 1 for batches in read.values()) / max(1, len(read))
    return WarmLatency(ask, encode, reads, twice, torch[0] if torch else None)


@dataclass(frozen=True)
class FollowUpLatency:
    plain: Latency  # a question asked on its own
    follow_up: Latency  # the same question after an answered one: read alone and with it, and the two weighed


def measure_follow_ups(engine: Engine, questions: Sequence[str], rounds: int = 3) -> FollowUpLatency:
    """Each question asked alone, and asked after the question before it was answered, interleaved."""
    earlier = {q: engine.respond(q)[0] for q in questions}
    pairs = list(pairwise(questions))
    ways: list[Callable[[tuple[str, str], Any], Any]] = [
        lambda pair, _: engine.respond(pair[1]), lambda pair, answers: engine.respond(pair[1], answers)]
    for pair in pairs[:5]:  # warm both paths
        for way in ways:
            way(pair, [earlier[pair[0]]])
    times: list[list[float]] = [[], []]
    for _ in range(rounds):
        for pair in pairs:
            for way, timings in zip(ways, times):
                answers = [earlier[pair[0]]]
                started = time.perf_counter()
                way(pair, answers)
                timings.append(time.perf_counter() - started)
    return FollowUpLatency(Latency.of(times[0]), Latency.of(times[1]))


@dataclass(frozen=True)
class Throughput:
    askers: int
    questions_per_second: float
    latency: Latency  # of one question, as its asker waited for it
    encodes_per_second: float  # floor: the same questions' bare encodes, one after another


def measure_throughput(engine: Engine, questions: Sequence[str], askers: int, total: int,
                       bare_encode: BareEncode, rounds: int = 5) -> Throughput:
    """``askers`` threads share one engine and ask ``total`` questions between them.

    In ``rounds`` turns, a block of bare encodes (the floor) then a block of concurrent asks, so
    both see the same machine load even when other work comes and goes.
    """
    chosen = [questions[i % len(questions)] for i in range(total)]
    blocks = [chosen[i::rounds] for i in range(rounds) if chosen[i::rounds]]
    waits: list[float] = []
    encode_seconds = ask_seconds = 0.0
    for block in blocks:
        started = time.perf_counter()
        for question in block:
            bare_encode([question])
        encode_seconds += time.perf_counter() - started
        seconds, block_waits = _ask_concurrently(engine, block, askers)
        ask_seconds += seconds
        waits += block_waits
    return Throughput(askers, total / ask_seconds, Latency.of(waits), total / encode_seconds)


def _ask_concurrently(engine: Engine, questions: Sequence[str], askers: int) -> tuple[float, list[float]]:
    """Wall time for ``askers`` threads to ask ``questions`` between them, and each question's wait."""
    lock = threading.Lock()
    waits: list[float] = []
    barrier = threading.Barrier(askers + 1)

    def work(worker: int) -> None:
        barrier.wait()
        for question in questions[worker::askers]:
            started = time.perf_counter()
            engine.ask(question)
            elapsed = time.perf_counter() - started
            with lock:
                waits.append(elapsed)

    with ThreadPoolExecutor(max_workers=askers) as pool:
        running = [pool.submit(work, n) for n in range(askers)]
        barrier.wait()
        started = time.perf_counter()
        for future in running:
            future.result()
        elapsed = time.perf_counter() - started
    return elapsed, waits
