"""Run every measure and turn the figures into table rows, each beside its floor from the same run."""

from __future__ import annotations

import platform
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from ros1qa.bench import building, coldstart, latency, scale, sessions
from ros1qa.bench.measure import MIB, Row, cores, folder_bytes, format_table, mib, ratio_row
from ros1qa.bench.synthetic import corpus_sentences, write_text_corpus
from ros1qa.embedding import Embedder
from ros1qa.engine import Engine
from ros1qa.evaluation import load_questions
from ros1qa.settings import Settings
from ros1qa.store import load_index
from ros1qa.vectors import all_vectors

REPLICA_SIZES_GIB = (1, 2, 4)


@dataclass(frozen=True)
class BenchConfig:
    questions: tuple[str, ...]  # real patient questions (answerable and unanswerable, not urgent)
    latency_rounds: int = 3
    build_documents: int = 80  # synthetic pages for build throughput (≈1,500 search units)
    scale_sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    askers: tuple[int, ...] = (1, 4, 16)
    asked_per_level: int = 200
    cold_start_runs: int = 3  # 0 skips the cold-start children
    sessions: int = 100  # 0 skips the AppTest sessions child
    app: Path = Path("app.py")


def quick(config: BenchConfig) -> BenchConfig:
    """CI-sized: no 1M corpus, fewer repetitions."""
    return replace(config, latency_rounds=2, build_documents=30, scale_sizes=(10_000, 100_000), asked_per_level=100,
                   cold_start_runs=1, sessions=20)


def bench_questions(eval_dir: Path) -> tuple[str, ...]:
    return tuple(q.question for path in sorted(eval_dir.glob("*.jsonl")) for q in load_questions(path)
                 if q.kind != "urgent")


@dataclass(frozen=True)
class Models:
    """The embedder under test and the model's bare encode (the floor); tests pass a fake for both."""

    embedder: Embedder
    bare_encode: Callable[[list[str]], Any]
    in_process: bool = False  # scale in this process; no children (tests)


def real_models(settings: Settings) -> Models:
    """ros1qa's embedder, and a second copy of the same model called directly for the floor."""
    from ros1qa.embedding import resolve_model_location
    from ros1qa.service import make_embedder

    embedder = make_embedder(settings)
    embedder.warm_up()
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_location(settings.model), device="cpu", backend=settings.backend)

    def bare_encode(texts: list[str]) -> Any:
        return model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)

    return Models(embedder, bare_encode)


def run_bench(config: BenchConfig, settings: Settings, models: Models, progress: TextIO) -> list[Row]:
    rows: list[Row] = []
    engine = Engine(load_index(settings.index_dir), models.embedder, settings.retrieval, settings.max_question_chars)
    _note(progress, "· warm latency")
    warm = latency.measure_latency(engine, config.questions, models.bare_encode, config.latency_rounds)
    rows += latency_rows(warm, len(engine.index.passages), len(config.questions) * config.latency_rounds)
    _note(progress, "· concurrent askers")
    levels = [latency.measure_throughput(engine, config.questions, n, config.asked_per_level, models.bare_encode)
              for n in config.askers]
    rows += throughput_rows(levels)
    with tempfile.TemporaryDirectory(prefix="ros1qa-bench-") as scratch:
        work = Path(scratch)
        _note(progress, "· build throughput and one-document rebuild")
        sentences = corpus_sentences(settings.corpus_dir)
        write_text_corpus(work / "corpus", sentences, config.build_documents)
        build_settings = building.bench_settings(settings, work / "corpus", work / "index")
        built = building.measure_build(build_settings, models.embedder, models.bare_encode)
        rebuilt = building.measure_rebuild(build_settings, models.embedder)
        rows += build_rows(built, rebuilt)
        base = all_vectors(load_index(build_settings.index_dir).vectors)
        if not models.in_process:
            rows += _children(config, settings, progress)
        for count in config.scale_sizes:
            _note(progress, f"· scale: {count:,} units")
            figures = scale.measure_scale(count, work, settings, base, sentences, config.questions,
                                          models.embedder if models.in_process else None)
            rows += scale_rows(count, figures)
    return rows


def _note(progress: TextIO, text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=progress, flush=True)


def _children(config: BenchConfig, settings: Settings, progress: TextIO) -> list[Row]:
    rows: list[Row] = []
    replica = 0
    if config.cold_start_runs:
        _note(progress, "· cold start")
        answer, model = coldstart.child_commands(str(settings.index_dir), str(settings.corpus_dir), settings.model,
                                                 settings.backend, config.questions[0])
        cold = coldstart.measure_cold_start(answer, model, config.cold_start_runs)
        replica = cold.answer_rss
        rows += cold_rows(cold)
    if config.sessions and config.app.is_file():
        _note(progress, f"· memory of {config.sessions} app sessions")
        rows += session_rows(sessions.measure_sessions(config.app, config.sessions, config.questions[0]), replica)
    return rows


def latency_rows(warm: latency.WarmLatency, passages: int, count: int) -> list[Row]:
    group = f"warm latency: Engine.ask vs bare encode, shipped index ({passages} passages), {count} questions"
    return [
        ratio_row(group, "p50", warm.ask.p50, warm.encode.p50, "ms", 1.3),
        ratio_row(group, "p95", warm.ask.p95, warm.encode.p95, "ms", 2.0),
        ratio_row(group, "p99", warm.ask.p99, warm.encode.p99, "ms", 2.0),
    ]


def throughput_rows(levels: Sequence[latency.Throughput]) -> list[Row]:
    group = "throughput: threads sharing one engine (floor: the same questions' bare encodes, one at a time)"
    return [
        Row(group, f"{t.askers} asker{'s' if t.askers > 1 else ''}", f"{t.questions_per_second:.1f} q/s",
            f"{t.encodes_per_second:.1f} q/s", t.questions_per_second / t.encodes_per_second,
            f"(wait p50 {t.latency.p50:.0f} ms, p95 {t.latency.p95:.0f} ms)")
        for t in levels
    ]


def build_rows(built: building.BuildFigures, rebuilt: building.RebuildFigures) -> list[Row]:
    group = (f"index build: {built.documents} synthetic pages, {built.passages} passages, {built.units} units "
             f"({built.vector_type}), real model")
    units_per_s, floor = built.units / built.build_seconds, built.units / built.encode_seconds
    return [
        ratio_row(group, "build throughput (units/s)", units_per_s, floor, "units/s", 0.9, higher_is_better=True),
        Row(group, "build throughput (passages/s)", f"{built.passages / built.build_seconds:.4g} passages/s"),
        Row(group, "rebuild after editing one sentence", f"{rebuilt.seconds:.2f} s",
            f"{built.build_seconds:.2f} s (full)", rebuilt.seconds / built.build_seconds, f"embeds only changed ({rebuilt.changed_texts})",
            rebuilt.embedded == rebuilt.changed_texts),
        Row(group, "units re-embedded", f"{rebuilt.embedded} of {rebuilt.units}"),
    ]


def cold_rows(cold: coldstart.ColdStart) -> list[Row]:
    group = f"cold start: new process → first answer vs → model loaded (median of {cold.runs})"
    extra = cold.answer_seconds - cold.model_seconds
    return [Row(group, "start → first answer", f"{cold.answer_seconds:.2f} s", f"{cold.model_seconds:.2f} s",
                cold.answer_seconds / cold.model_seconds, "≤ floor + 1 s", extra <= 1.0),
            Row(group, "  of which ros1qa's own", f"{extra:+.2f} s")]


def session_rows(memory: sessions.SessionMemory, replica: int) -> list[Row]:
    group = "memory: one replica (engine + model), and each app session (Streamlit AppTest)"
    rows = [Row(group, "replica RSS after first answer", mib(replica)) if replica else None,
            Row(group, "app process RSS after one session", mib(memory.first_session_rss)),
            Row(group, f"per extra session ({memory.sessions} sessions, 1 answer each)", mib(memory.per_session_bytes))]
    base = memory.first_session_rss
    for gib in REPLICA_SIZES_GIB:
        fits = max(0, int((gib * 1024 * MIB - base) / max(memory.per_session_bytes, 1)))
        rows.append(Row(group, f"sessions a {gib} GiB replica holds (memory only)", f"{fits:,}"))
    return [r for r in rows if r is not None]


def scale_rows(count: int, f: dict[str, Any]) -> list[Row]:
    group = f"scale: {count:,} one-sentence passages (real BM25, SYNTHETIC vectors), {f['type']} index"
    build = f["vectors_seconds"] + f["bm25_seconds"] + f["write_seconds"]
    return [
        Row(group, "build (vectors + BM25 + write)", f"{build:.1f} s", "", None,
            f"{f['vectors_seconds']:.1f} + {f['bm25_seconds']:.1f} + {f['write_seconds']:.1f} s"),
        Row(group, "index on disk", mib(f["disk_bytes"]), f"{mib(f['raw_vector_bytes'])} raw vectors",
            f["disk_bytes"] / f["raw_vector_bytes"]),
        Row(group, "resident memory of the loaded index", mib(f["index_rss_bytes"]),
            f"{mib(f['raw_vector_bytes'])} raw vectors", f["index_rss_bytes"] / f["raw_vector_bytes"], "≤ 2×",
            f["index_rss_bytes"] <= 2 * f["raw_vector_bytes"]),
        ratio_row(group, "Engine.ask p50 vs shipped index", f["ask_p50_ms"], f["small_ask_p50_ms"], "ms", 1.5),
        ratio_row(group, "Engine.ask p99 vs shipped index", f["ask_p99_ms"], f["small_ask_p99_ms"], "ms", 2.0),
        Row(group, "vector search alone p50 / p99", f"{f['search_p50_ms']:.2f} / {f['search_p99_ms']:.2f} ms"),
        Row(group, "recall@10 vs exact search", f"{f['recall_at_10']:.3f}", "1.000", None, "≥ 0.95",
            f["recall_at_10"] >= 0.95),
        Row(group, "load time", f"{f['load_seconds']:.1f} s"),
    ]


def header(settings: Settings, quick_run: bool) -> str:
    import numpy

    memory = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").is_file() else 0
    return "\n".join([
        (f"ros1qa bench{' --quick' if quick_run else ''}: {cores()} cores, {mib(memory)} memory, "
         f"{platform.machine()}, Python {platform.python_version()}, numpy {numpy.__version__}"),
        f"model {settings.model} ({settings.backend}), index {settings.index_dir}, corpus {settings.corpus_dir}",
        f"shipped index: {mib(folder_bytes(settings.index_dir))} on disk",
    ])


def bench_report(settings: Settings, quick_run: bool, progress: TextIO, eval_dir: Path = Path("eval")) -> str:
    """Everything ``ros1qa bench`` prints: the machine, the table, and what the figures rest on."""
    config = BenchConfig(bench_questions(eval_dir))
    config = quick(config) if quick_run else config
    rows = run_bench(config, settings, real_models(settings), progress)
    return "\n\n".join([
        header(settings, quick_run),
        format_table(rows),
        ("Floors are measured in the same run. Scale corpora use synthetic vectors (mixes of real embeddings plus "
         "noise): embedding a million texts would take hours; their questions and BM25 are real."),
    ])
