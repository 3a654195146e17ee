"""Feedback storage: nothing on disk until a save, exactly the stated fields, CSV export safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ros1qa.ask.answer import Answer, Quote
from ros1qa.cli import main
from ros1qa.feedback import COLUMNS, Feedback, FeedbackError, FeedbackStore, feedback_path

WHEN = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


def answered(question: str = "Is immunotherapy used first?") -> Answer:
    quote = Quote(text="Immunotherapy should NOT be used first.", document="immuno.txt", title="Immunotherapy",
                  section="", url="https://example.org/immuno", score=0.9, start=5, end=44, highlight=((0, 39),))
    return Answer(question, "answered", "", (quote,))


def exported(store: FeedbackStore) -> list[dict[str, str]]:
    out = io.StringIO()
    store.export_csv(out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_no_file_exists_until_feedback_is_saved(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    store.delete(["abc"])
    assert not store.path.exists()
    with pytest.raises(FeedbackError, match="No feedback saved yet"):
        store.rows()
    assert not store.path.exists()
    store.save(Feedback.about("abc", answered(), 1, []), now=WHEN)
    assert store.path.is_file()


def test_the_file_never_exists_without_its_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite makes an empty file on connect; a reader in that moment (an export, another session) found no table."""
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    seen: list[list[str]] = []
    connect = sqlite3.connect

    def watching(*args: object, **kwargs: object) -> sqlite3.Connection:
        db = connect(*args, **kwargs)  # type: ignore[arg-type]
        if store.path.exists():
            with closing(connect(f"{store.path.as_uri()}?mode=ro", uri=True)) as reader:
                seen.append([row[0] for row in reader.execute("SELECT name FROM sqlite_master WHERE type='table'")])
        return db

    monkeypatch.setattr(sqlite3, "connect", watching)
    store.save(Feedback.about("abc", answered(), 1, []), now=WHEN)
    store.save(Feedback.about("def", answered(), 0, []), now=WHEN)
    assert seen and all(tables == ["feedback"] for tables in seen)
    assert [path.name for path in tmp_path.iterdir()] == ["feedback.sqlite3"]  # the file built aside is gone


def test_a_record_holds_exactly_the_stated_fields(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(Feedback.about("abc", answered(), 0, ["wrong_passage"]), now=WHEN)
    with sqlite3.connect(store.path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(feedback)")]
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
    assert columns == ["answer_id", *COLUMNS]
    assert tables == ["feedback", "sqlite_autoindex_feedback_1"]
    assert store.rows() == [{
        "saved_at": "2026-11-26T12:00:00+00:00", "question": "Is immunotherapy used first?", "status": "answered",
        "rating": "not helpful", "wrong_passage": "yes", "not_covered": "", "document": "immuno.txt", "section": "",
        "url": "https://example.org/immuno", "passage_start": 5, "passage_end": 44,
        "passage": "Immunotherapy should NOT be used first.",
    }]


def test_changing_feedback_replaces_it_and_taking_it_back_removes_it(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(Feedback.about("abc", answered(), 1, []), now=WHEN)
    store.save(Feedback.about("abc", answered(), 0, ["not_covered"]), now=WHEN)
    assert [(r["rating"], r["not_covered"]) for r in store.rows()] == [("not helpful", "yes")]
    store.save(Feedback.about("abc", answered(), None, []), now=WHEN)
    assert store.rows() == []


def test_deleting_removes_only_the_given_answers(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    for answer_id in ("a", "b", "c"):
        store.save(Feedback.about(answer_id, answered(answer_id), 1, []), now=WHEN)
    store.delete(["a", "c"])
    assert [r["question"] for r in store.rows()] == ["b"]


def test_feedback_on_a_not_found_answer_has_no_passage(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(Feedback.about("x", Answer("weather?", "not_found", "Not found."), 0, []), now=WHEN)
    row = store.rows()[0]
    assert (row["status"], row["document"], row["passage_start"], row["passage"]) == ("not_found", "", None, "")


def test_unknown_ratings_and_reasons_are_refused() -> None:
    with pytest.raises(ValueError):
        Feedback("x", "q", "answered", rating=5)
    with pytest.raises(ValueError):
        Feedback("x", "q", "answered", reasons=frozenset({"rude"}))


def test_saves_from_many_threads_all_arrive(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    threads = [threading.Thread(target=store.save, args=(Feedback.about(str(i), answered(str(i)), 1, []),))
               for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["question"] for r in store.rows()) == [str(i) for i in range(8)]


def test_export_is_csv_that_spreadsheets_show_as_text(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.save(Feedback.about("a", answered('=HYPERLINK("http://evil.example","click")'), 1, []), now=WHEN)
    rows = exported(store)
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["question"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows[0]["rating"] == "helpful"


def test_a_file_that_is_not_feedback_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    path.write_bytes(b"not a database at all, just text" * 10)
    with pytest.raises(FeedbackError, match="not a ros1qa feedback file"):
        FeedbackStore(path).rows()


def test_feedback_path_defaults_beside_the_app_and_follows_the_environment(tmp_path: Path) -> None:
    assert feedback_path({}, tmp_path) == tmp_path / "feedback.sqlite3"
    assert feedback_path({"ROS1QA_FEEDBACK": "/data/fb.sqlite3"}, tmp_path) == Path("/data/fb.sqlite3")


def test_cli_exports_csv_to_stdout_and_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "feedback.sqlite3"
    FeedbackStore(database).save(Feedback.about("a", answered(), 1, ["not_covered"]), now=WHEN)
    out = io.StringIO()
    assert main(["feedback", "export", "--db", str(database)], out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["question"], r["rating"], r["not_covered"]) for r in rows] == [
        ("Is immunotherapy used first?", "helpful", "yes")]
    target = tmp_path / "out" / "feedback.csv"
    assert main(["feedback", "export", "--db", str(database), "--output", str(target)], out=io.StringIO()) == 0
    assert target.read_text(encoding="utf-8") == out.getvalue()
    assert "Exported 1 feedback record from" in capsys.readouterr().err


def test_cli_export_without_a_file_says_so_and_creates_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "feedback.sqlite3"
    assert main(["feedback", "export", "--db", str(database)], out=io.StringIO()) == 1
    assert "No feedback saved yet" in capsys.readouterr().err
    assert not database.exists()


def test_cli_export_reads_the_path_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "env.sqlite3"
    FeedbackStore(database).save(Feedback.about("a", answered(), 0, []), now=WHEN)
    monkeypatch.setenv("ROS1QA_FEEDBACK", str(database))
    out = io.StringIO()
    assert main(["feedback", "export"], out=out) == 0
    assert "not helpful" in out.getvalue()
