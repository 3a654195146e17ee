"""The benchmark runs end to end on a tiny configuration and prints its table (figures are not judged)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np

from ros1qa.bench import coldstart
from ros1qa.bench.measure import MIB, Latency, Row, format_table, ratio_row
from ros1qa.bench.run import BenchConfig, Models, bench_questions, cold_rows, quick, run_bench, session_rows
from ros1qa.bench.scale import exact_top
from ros1qa.bench.sessions import SessionMemory
from ros1qa.bench.synthetic import (
    corpus_sentences,
    synthetic_index,
    synthetic_pieces,
    synthetic_vectors,
    write_text_corpus,
)
from ros1qa.index.indexing import build_index
from ros1qa.ingest.corpus import load_corpus
from ros1qa.safety.safety import is_urgent

REPO = Path(__file__).resolve().parent.parent


def test_tiny_bench_prints_every_section(fake_settings, embedder):
    build_index(fake_settings, embedder)
    config = BenchConfig(questions=("What is immunotherapy?", "Is a TKI used first?", "what is the weather"),
                         latency_rounds=1, build_documents=4, scale_sizes=(400,), askers=(1, 2), asked_per_level=6,
                         cold_start_runs=0, sessions=0)
    rows = run_bench(config, fake_settings, Models(embedder, embedder.encode, in_process=True), io.StringIO())
    table = format_table(rows)
    for expected in ("warm latency", "p99", "what the model reads", "follow-ups: Engine.ask of a question after", "2 askers", "build throughput (units/s)", "texts read again",
                     "scale: 400", "recall@10 vs exact search", "SYNTHETIC vectors"):
        assert expected in table
    recall = next(r for r in rows if r.measure.startswith("recall"))
    assert recall.value == "1.000"  # 400 units: exact search


def test_rebuild_in_the_bench_embeds_only_what_the_edit_changed(fake_settings, embedder):
    build_index(fake_settings, embedder)
    config = BenchConfig(questions=("What is immunotherapy?",), latency_rounds=1, build_documents=3, scale_sizes=(),
                         askers=(1,), asked_per_level=1, cold_start_runs=0, sessions=0)
    rows = run_bench(config, fake_settings, Models(embedder, embedder.encode, in_process=True), io.StringIO())
    rebuild = next(r for r in rows if r.measure.startswith("rebuild"))
    assert rebuild.met is True


def test_quick_config_skips_the_million():
    config = quick(BenchConfig(questions=("q",)))
    assert max(config.scale_sizes) < 1_000_000 and config.cold_start_runs == 1


def test_bench_questions_are_the_corpus_labelled_questions_without_urgent_messages():
    questions = bench_questions(REPO / "corpus")
    assert len(questions) > 50
    assert "Is immunotherapy recommended first for ROS1-positive cancer?" in questions  # corpus/labelled/dev.jsonl
    assert not any(is_urgent(q) for q in questions)


def test_table_marks_targets_met_and_missed():
    rows = [ratio_row("g", "fast", 10.0, 9.0, "ms", 1.3), ratio_row("g", "slow", 30.0, 9.0, "ms", 1.3),
            Row("h", "plain", "3 s")]
    table = format_table(rows)
    assert "[g]" in table and "[h]" in table
    assert "1.11×" in table and "yes" in table and "NO" in table


def test_the_tables_as_markdown_have_a_heading_and_a_row_per_figure():
    from ros1qa.bench.run import NOTE, BenchReport

    rows = [ratio_row("g", "fast", 10.0, 9.0, "ms", 1.3), ratio_row("g", "slow", 30.0, 9.0, "ms", 1.3),
            Row("h|x", "plain", "3 s")]
    markdown = BenchReport("machine", rows).markdown()
    lines = markdown.splitlines()
    assert lines[:3] == ["```", "machine", "```"] and markdown.endswith(NOTE)
    assert "**g**" in lines and "| fast | 10 ms | 9 ms | 1.11× | ≤ 1.3× | yes |" in lines
    assert "| slow | 30 ms | 9 ms | 3.33× | ≤ 1.3× | **no** |" in lines and "| plain | 3 s |  |  |  |  |" in lines


def test_latency_percentiles_in_milliseconds():
    latency = Latency.of([0.010] * 98 + [0.050, 0.100])
    assert round(latency.p50, 6) == 10.0 and latency.p99 > 40 and latency.count == 100


def test_synthetic_text_corpus_parses_and_varies(tmp_path):
    sentences = corpus_sentences(REPO / "corpus")
    paragraphs = write_text_corpus(tmp_path / "corpus", sentences, documents=5)
    documents = load_corpus(tmp_path / "corpus")
    assert len(documents) == 5 and paragraphs >= 10
    assert len({d.title for d in documents}) == 5


def test_synthetic_passages_are_verbatim_spans_of_their_documents():
    documents, passages = synthetic_index(["One sentence about ROS1.", "Another about crizotinib 3 times."], 45, 20)
    texts = {d.doc_id: d.text for d in documents}
    assert len(passages) == 45 and len(documents) == 3
    assert all(texts[p.doc_id][p.start:p.end] == p.text and p.sentences == ((p.start, p.end),) for p in passages)


def test_synthetic_pieces_give_each_passage_as_many_rows_as_asked():
    _, passages = synthetic_index(["One sentence about ROS1.", "Another about crizotinib 3 times."], 45, 20)
    stored = synthetic_pieces(np.eye(8, 16, dtype=np.float32), passages, per_text=5)
    assert stored.rows.shape == (45 * 5, 16) and stored.rows.dtype == np.float16
    assert all(stored.of(n).shape == (5, 16) for n in range(45))


def test_synthetic_vectors_are_unit_length_and_exact_top_finds_them():
    base = np.eye(8, 16, dtype=np.float32)
    vectors = synthetic_vectors(base, 1000, seed=1)
    assert vectors.shape == (1000, 16) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    top = exact_top(vectors, vectors[[3, 700]], k=5)
    assert top[0, 0] == 3 and top[1, 0] == 700


def test_cold_start_times_a_child_until_it_is_ready():
    seconds, rss = coldstart.time_until_ready([sys.executable, "-c", "print('READY 123', flush=True)"])
    assert 0 < seconds < 30 and rss == 123


def test_cold_start_medians_each_child_and_keeps_the_answering_ones_memory():
    ready = [sys.executable, "-c"]
    commands = {"st-model": [*ready, "print('READY 1')"], "answer": [*ready, "print('READY 42')"],
                "onnx-model": [*ready, "print('READY 7')"]}
    cold = coldstart.measure_cold_start(commands, runs=2)
    assert cold.runs == 2 and cold.answer_rss == 42
    assert cold.answer_seconds > 0 and cold.model_seconds > 0 and cold.onnx_seconds is not None
    rows = cold_rows(cold)
    assert [r.measure for r in rows][-1].strip() == "vs only loading the ONNX model"
    assert "onnx-model" in coldstart.child_commands("index", "corpus", "models", "m", "onnx", "q")
    assert "onnx-model" not in coldstart.child_commands("index", "corpus", "models", "m", "torch", "q")


def test_session_rows_say_how_many_sessions_fit_or_that_memory_is_not_the_limit():
    measured = SessionMemory(100, 240 * MIB, 50 * 1024, 0.3)
    rows = {r.measure: r.value for r in session_rows(measured, 130 * MIB)}
    assert rows["per extra session (100 sessions, 1 answer each)"] == "50 KiB"
    assert rows["sessions a 1 GiB replica holds (memory only)"] == f"{(1024 - 240) * 1024 // 50:,}"
    assert rows["one visit: first page run + asking run (wall time)"] == "300 ms"
    flat = {r.measure: r.value for r in session_rows(SessionMemory(100, 240 * MIB, 0.0, 0.3), 0)}
    assert flat["sessions a replica holds (memory only)"] == "not limited by memory"
