"""Cold start: a new process from its start to its first answer, against one that only loads the model.

Run as a child by the benchmark: ``python -m ros1qa.bench.coldstart answer|model ...`` prints
``READY <resident bytes>`` when done. Imports stay inside the modes, so the child that only loads
the model pays for nothing of ros1qa's own.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Sequence

READY = "READY"


@dataclass(frozen=True)
class ColdStart:
    answer_seconds: float  # median: process start → first answer (`open_engine` + one `ask`)
    model_seconds: float  # median: process start → sentence-transformers imported and the model loaded
    answer_rss: int  # resident bytes of the answering process: one replica's engine and model
    runs: int


def time_until_ready(command: Sequence[str], timeout: float = 300.0) -> tuple[float, int]:
    """Seconds from starting ``command`` until it prints READY, and the RSS it reports then."""
    started = time.perf_counter()
    child = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith(READY):
                elapsed = time.perf_counter() - started
                parts = line.split()
                return elapsed, int(parts[1]) if len(parts) > 1 else 0
        raise RuntimeError(f"{' '.join(command[:4])}… ended without answering (exit {child.wait()})")
    finally:
        child.kill()
        child.wait(timeout)


def measure_cold_start(answer: Sequence[str], model: Sequence[str], runs: int) -> ColdStart:
    """Alternate the two commands ``runs`` times each; medians of their times."""
    answers: list[float] = []
    models: list[float] = []
    rss = 0
    for _ in range(runs):
        seconds, _rss = time_until_ready(model)
        models.append(seconds)
        seconds, rss = time_until_ready(answer)
        answers.append(seconds)
    return ColdStart(statistics.median(answers), statistics.median(models), rss, runs)


def child_commands(index: str, corpus: str, model: str, backend: str, question: str) -> tuple[list[str], list[str]]:
    """(answering child, model-only child) for this Python."""
    base = [sys.executable, "-m", "ros1qa.bench.coldstart"]
    chosen = ["--model", model, "--backend", backend]
    answer = [*base, "answer", "--index", index, "--corpus", corpus, *chosen, "--question", question]
    return answer, [*base, "model", *chosen]


def _answer(args: argparse.Namespace) -> None:
    from pathlib import Path

    from ros1qa.service import open_engine
    from ros1qa.settings import Settings

    settings = Settings(corpus_dir=Path(args.corpus), index_dir=Path(args.index), model=args.model,
                        backend=args.backend)
    open_engine(settings).ask(args.question)


def _model(args: argparse.Namespace) -> None:
    from pathlib import Path

    from ros1qa.embedding import resolve_model_location
    from ros1qa.runtime import keep_model_offline, prepare_process

    prepare_process()
    location = resolve_model_location(args.model)
    if Path(location).is_dir():
        keep_model_offline()
    from sentence_transformers import SentenceTransformer

    SentenceTransformer(location, device="cpu", backend=args.backend)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ros1qa.bench.coldstart")
    parser.add_argument("mode", choices=("answer", "model"))
    parser.add_argument("--index", default="index")
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--model", required=True)
    parser.add_argument("--backend", default="torch")
    parser.add_argument("--question", default="What is ROS1?")
    args = parser.parse_args(argv)
    (_answer if args.mode == "answer" else _model)(args)
    from ros1qa.bench.measure import rss_bytes

    print(READY, rss_bytes(), flush=True)


if __name__ == "__main__":
    main()
