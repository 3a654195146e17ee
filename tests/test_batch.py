"""Volunteer tables: questions from uploads, one row per answer, the same JSONL as the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ros1qa.ask.answer import Answer, Quote
from ros1qa.ask.engine import Engine
from ros1qa.batch import (
    MAX_QUESTIONS,
    ROW_COLUMNS,
    BatchError,
    answer_row,
    answers_csv,
    answers_jsonl,
    ask_all,
    read_questions,
    scored_passages,
)
from ros1qa.cli import main

REPO = Path(__file__).resolve().parent.parent


def quote(text: str = "Targeted therapy is preferred.", section: str = "Treatment") -> Quote:
    return Quote(text=text, document="d.txt", title="Title", section=section, url="https://example.org/d",
                 score=0.81234, start=0, end=len(text), highlight=((0, len(text)),))


def test_text_files_give_one_question_per_line_as_the_cli_reads_stdin() -> None:
    data = "\ufeffFirst question?\r\n\n   \nSecond, with a comma\n  third keeps its spaces  \n".encode()
    assert read_questions(data, "q.txt") == ["First question?", "Second, with a comma", "  third keeps its spaces  "]


def test_csv_files_use_the_question_column_or_the_first() -> None:
    with_header = b'id,Question\n1,"Is it safe, really?"\n2,\n3,What next?\n'
    assert read_questions(with_header, "Q.CSV") == ["Is it safe, really?", "What next?"]
    assert read_questions(b"What is ROS1?,extra\nWhy?\n", "q.csv") == ["What is ROS1?", "Why?"]


def test_unusable_uploads_say_what_to_do() -> None:
    with pytest.raises(BatchError, match="not UTF-8"):
        read_questions(b"\xff\xfe\x00bad", "q.txt")
    with pytest.raises(BatchError, match="No questions"):
        read_questions(b"\n \n", "q.txt")
    with pytest.raises(BatchError, match=f"at most {MAX_QUESTIONS}"):
        read_questions(("q?\n" * (MAX_QUESTIONS + 1)).encode(), "q.txt")


def test_a_row_has_the_status_the_quote_and_where_it_comes_from() -> None:
    row = answer_row(Answer("Which first?", "answered", "", (quote(), quote("Other.", ""))))
    assert row == {
        "question": "Which first?", "status": "answered", "quote": "Targeted therapy is preferred.",
        "citation": "Title › Treatment", "url": "https://example.org/d", "confidence": "0.812",
        "other_passages": "1", "message": "",
    }
    empty = answer_row(Answer("Weather?", "not_found", "I couldn't find an answer."))
    assert (empty["status"], empty["quote"], empty["citation"], empty["message"]) == (
        "not_found", "", "", "I couldn't find an answer.")


def test_csv_has_a_header_and_cells_a_spreadsheet_shows_as_text() -> None:
    text = answers_csv([Answer("=1+1", "not_found", "No."), Answer("ok?", "answered", "", (quote("-dash"),))])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(ROW_COLUMNS)
    assert (rows[0]["question"], rows[1]["quote"]) == ("'=1+1", "'-dash")


def test_jsonl_lines_are_answer_dicts_one_per_line() -> None:
    answers = [Answer("a\u2028b", "not_found", "No."), Answer("c", "urgent", "Call.")]
    lines = answers_jsonl(answers).splitlines()
    assert [json.loads(line) for line in lines] == [a.to_dict() for a in answers]
    assert "\\u2028" in answers[0].to_jsonl() and "\u2028" not in answers[0].to_jsonl()


def test_ask_all_keeps_order_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    answers = ask_all(lambda q: Answer(q, "not_found", "No."), ["a", "b", "c"], lambda d, t: seen.append((d, t)))
    assert [a.question for a in answers] == ["a", "b", "c"]
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_scored_passages_show_the_threshold_decision(fake_engine: Engine) -> None:
    _, ranked = fake_engine.respond("Is immunotherapy used as first-line treatment for ROS1+ cancer?")
    threshold = ranked[0].confidence
    rows = scored_passages(ranked, fake_engine.index.passages, threshold, limit=3)
    assert [r.rank for r in rows] == [1, 2, 3]
    assert rows[0].above_threshold and rows[0].confidence == ranked[0].confidence
    assert all(not r.above_threshold for r in rows[1:] if r.confidence < threshold)
    assert rows[0].text == fake_engine.index.passages[ranked[0].passage].text


@pytest.mark.slow
def test_page_jsonl_is_what_ros1qa_ask_jsonl_prints(real_engine: Engine) -> None:
    upload = "Is immunotherapy used first for ROS1+ cancer?\nwhat is the weather in Paris\nI want to kill myself\n"
    out = io.StringIO()
    assert main(["--corpus", str(REPO / "corpus"), "--index", str(REPO / "index"), "ask", "--jsonl"],
                stdin=io.StringIO(upload), out=out) == 0
    page = answers_jsonl(ask_all(real_engine.ask, read_questions(upload.encode(), "questions.txt")))
    assert page == out.getvalue()
    assert [json.loads(line)["status"] for line in page.splitlines()] == ["answered", "not_found", "urgent"]
