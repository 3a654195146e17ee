"""Cold start: a new process from its start to its first answer, against one that only loads the model.

Run as a child by the benchmark: ``python -m ros1qa.bench.coldstart MODE ...`` prints
``READY <resident bytes>`` when done. Imports stay inside the modes, so a child that only loads
the model pays for the loader (ros1qa's embedder, which imports little more than numpy) and the
model, nothing else of ros1qa's.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

READY = "READY"


@dataclass(frozen=True)
class ColdStart:
    answer_seconds: float  # median: process start → first answer (`open_engine` + one `ask`)
    model_seconds: float  # median: process start → sentence-transformers imported and the model loaded (torch)
    answer_rss: int  # resident bytes of the answering process: one replica's engine and model
    runs: int
    onnx_seconds: float | None = None  # median: process start → the ONNX export loaded, when that is the backend


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


def measure_cold_start(commands: dict[str, list[str]], runs: int) -> ColdStart:
    """Run each of ``commands`` (answer, st-model, and onnx-model if the backend is onnx) ``runs`` times, in turn."""
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    rss = 0
    for _ in range(runs):
        for name, command in commands.items():
            elapsed, reported = time_until_ready(command)
            seconds[name].append(elapsed)
            rss = reported if name == "answer" else rss
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    return ColdStart(medians["answer"], medians["st-model"], rss, runs, medians.get("onnx-model"))


def child_commands(index: str, corpus: str, models: str, model: str, backend: str,
                   question: str) -> dict[str, list[str]]:
    """The children to time, by mode, for this Python."""
    base = [sys.executable, "-m", "ros1qa.bench.coldstart"]
    chosen = ["--model", model, "--models", models]
    commands = {
        "st-model": [*base, "st-model", *chosen],
        "answer": [*base, "answer", "--index", index, "--corpus", corpus, "--backend", backend, *chosen,
                   "--question", question],
    }
    if backend == "onnx":
        commands["onnx-model"] = [*base, "onnx-model", *chosen]
    return commands


def _answer(args: argparse.Namespace) -> None:
    from pathlib import Path

    from ros1qa.service import open_engine
    from ros1qa.settings import Settings

    settings = Settings(corpus_dir=Path(args.corpus), index_dir=Path(args.index), model=args.model,
                        backend=args.backend, models_dir=Path(args.models))
    open_engine(settings).ask(args.question)


def _model(args: argparse.Namespace) -> None:
    from ros1qa.index.embedding import SentenceTransformerEmbedder

    SentenceTransformerEmbedder(args.model).warm_up()  # imports sentence-transformers and loads the model


def _onnx_model(args: argparse.Namespace) -> None:
    from pathlib import Path

    from ros1qa.index.onnx_embedding import OnnxEmbedder
    from ros1qa.index.onnx_export import export_folder

    OnnxEmbedder(args.model, export_folder(Path(args.models), args.model)).warm_up()


MODES = {"answer": _answer, "st-model": _model, "onnx-model": _onnx_model}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ros1qa.bench.coldstart")
    parser.add_argument("mode", choices=tuple(MODES))
    parser.add_argument("--index", default="index")
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--model", required=True)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--models", default="models")
    parser.add_argument("--question", default="What is ROS1?")
    args = parser.parse_args(argv)
    MODES[args.mode](args)
    from ros1qa.bench.measure import rss_bytes

    print(READY, rss_bytes(), flush=True)


if __name__ == "__main__":
    main()
