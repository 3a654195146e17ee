import io
import json

import pytest
from tests.conftest import FAKE_MODEL, SHIPPED, HashingEmbedder

from ros1qa import messages
from ros1qa.cli import main

CONTRACT_KEYS = {"question", "status", "message", "passages"}
PASSAGE_KEYS = {"text", "document", "title", "section", "url", "score", "start", "end", "highlight"}


@pytest.fixture
def cli(monkeypatch, fake_settings):
    """Run ``ros1qa`` in-process against a private corpus and index with the fake embedder."""
    monkeypatch.setattr("ros1qa.service.make_embedder", lambda settings: HashingEmbedder())
    base = ["--corpus", str(fake_settings.corpus_dir), "--index", str(fake_settings.index_dir), "--model", FAKE_MODEL]

    def run(*args: str, stdin: str = "") -> tuple[int, str]:
        out = io.StringIO()
        code = main([*base, *args], stdin=io.StringIO(stdin), out=out)
        return code, out.getvalue()

    return run


def test_build_then_check_then_ask(cli):
    code, out = cli("build")
    assert code == 0 and "Built index" in out and "6 passages" in out
    assert cli("check") == (0, f"Index in {out.split(' in ')[1].split(':')[0]} is current.\n")
    code, out = cli("ask", "Are ROS1+ patients unlikely to respond to immunotherapy?")
    assert code == 0
    assert "  > " in out and "— Immunotherapy & ROS1+ Cancer" in out
    assert "https://www.theros1ders.org/post/immunotherapy-ros1-cancer" in out


def test_check_reports_stale_index_and_fails(cli, corpus_dir):
    cli("build")
    (corpus_dir / "immunotherapy-and-ros1-cancer.txt").write_text("---\ntitle: T\nurl: https://x.org\n---\nNew.", encoding="utf-8")
    code, out = cli("check")
    assert code == 1 and "changed: immunotherapy-and-ros1-cancer.txt" in out and "ros1qa build" in out


def test_jsonl_contract_one_line_per_question_in_order(cli):
    cli("build")
    questions = ["What is immunotherapy?", "", "   ", "I can't breathe", "Who won the game last night?", "x" * 5000, "{\"json\": true}"]
    code, out = cli("ask", "--jsonl", stdin="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["question"] for line in lines] == [q for q in questions if q.strip()]
    for line in lines:
        assert set(line) == CONTRACT_KEYS and line["status"] in ("answered", "not_found", "urgent")
        for passage in line["passages"]:
            assert set(passage) == PASSAGE_KEYS
            assert passage["text"][passage["highlight"][0][0]:passage["highlight"][0][1]]
        if line["status"] != "answered":
            assert line["passages"] == [] and line["message"]
    assert lines[0]["status"] == "answered" and lines[0]["passages"][0]["url"].startswith("https://")
    assert lines[1]["status"] == "urgent" and lines[1]["message"] == messages.URGENT
    assert lines[3]["message"] == messages.too_long(1000)


def test_missing_index_is_a_one_line_error_naming_the_fix(cli, capsys):
    code, _ = cli("ask", "What is immunotherapy?")
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("ros1qa: No index found") and "ros1qa build" in err and "Traceback" not in err


def test_ask_without_question_explains_usage(cli, capsys):
    assert cli("ask")[0] == 2
    assert "ros1qa ask" in capsys.readouterr().err


def test_eval_prints_table_with_baselines_and_enforces_floors(cli, tmp_path):
    cli("build")
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "kind": "answerable", "q": "Are ROS1+ patients unlikely to respond to immunotherapy?", "gold": ["unlikely to respond"]}\n'
        '{"id": "u", "kind": "urgent", "q": "I want to kill myself"}\n',
        encoding="utf-8",
    )
    code, out = cli("eval", str(questions))
    assert code == 0
    header = out.splitlines()[1].split()
    assert header == ["metric", "hybrid", "dense", "bm25"]
    assert "hit@1" in out and "urgent routed" in out
    floors = tmp_path / "floors.json"
    floors.write_text('{"hit_at_1": 1.01}', encoding="utf-8")
    code, out = cli("eval", str(questions), "--floors", str(floors))
    assert code == 1 and "BELOW FLOOR: hit_at_1" in out


def test_eval_scores_several_sets_as_one(cli, tmp_path):
    cli("build")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "u", "kind": "urgent", "q": "I want to kill myself"}\n', encoding="utf-8")
    second.write_text('{"id": "n", "kind": "unanswerable", "q": "Who won the football game last night?"}\n', encoding="utf-8")
    code, out = cli("eval", str(first), str(second), "--sweep")
    assert code == 0
    assert out.splitlines()[0] == "0 answerable, 1 unanswerable, 1 urgent"
    assert "threshold" in out


def test_export_onnx_writes_to_the_models_folder_for_the_model(monkeypatch, tmp_path):
    written = []

    def fake_export(model, folder):
        written.append((model, folder))
        return {"model": model, "onnx_sha256": "ab" * 32}

    monkeypatch.setattr("ros1qa.onnx_export.export_onnx", fake_export)
    out = io.StringIO()
    assert main(["--models", str(tmp_path), "--model", "org/name", "export-onnx"], out=out) == 0
    assert written == [("org/name", tmp_path / "onnx" / "org__name")]
    assert "Exported org/name" in out.getvalue()


def test_asking_without_an_onnx_export_is_one_line_naming_the_fix(tmp_path, capsys):
    shipped = ["--corpus", str(SHIPPED.corpus_dir), "--index", str(SHIPPED.index_dir)]
    code = main([*shipped, "--models", str(tmp_path / "none"), "ask", "What is ROS1?"], out=io.StringIO())
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ros1qa export-onnx" in err[0]
