"""Feedback on answers, kept only when the visitor opts in: one small SQLite file, exported as CSV.

What a record holds is exactly the fields of :class:`Feedback` plus the time it was saved: the
question, what was shown (status and the top passage's place and text) and the rating. No name,
address, session or browser details. Nothing touches the disk until the first ``save``; without
consent the app never calls it, so no file is created.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from ros1qa.ask.answer import Answer
from ros1qa.errors import Ros1qaError
from ros1qa.presentation import spreadsheet_cell

FEEDBACK_FILE = "feedback.sqlite3"
FEEDBACK_ENV = "ROS1QA_FEEDBACK"
SCHEMA_VERSION = 1
REASONS = {"wrong_passage": "Wrong passage", "not_covered": "Not covered"}
RATINGS = {1: "helpful", 0: "not helpful"}  # st.feedback("thumbs"): 1 = up, 0 = down

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL,
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    rating INTEGER,
    wrong_passage INTEGER NOT NULL,
    not_covered INTEGER NOT NULL,
    document TEXT NOT NULL,
    section TEXT NOT NULL,
    url TEXT NOT NULL,
    passage_start INTEGER,
    passage_end INTEGER,
    passage TEXT NOT NULL
)
"""
COLUMNS = (
    "saved_at", "question", "status", "rating", "wrong_passage", "not_covered",
    "document", "section", "url", "passage_start", "passage_end", "passage",
)


class FeedbackError(Ros1qaError):
    """No feedback file to read, or one that is not ours."""


@dataclass(frozen=True)
class Feedback:
    """One visitor's judgement of one shown answer. ``answer_id`` is random per answer, not per person."""

    answer_id: str
    question: str
    status: str
    rating: int | None = None  # 1 helpful, 0 not helpful, None not rated
    reasons: frozenset[str] = frozenset()  # keys of REASONS
    document: str = ""
    section: str = ""
    url: str = ""
    passage_start: int | None = None
    passage_end: int | None = None
    passage: str = ""

    def __post_init__(self) -> None:
        if self.rating not in (None, *RATINGS):
            raise ValueError(f"rating must be one of {sorted(RATINGS)} or None, not {self.rating!r}")
        unknown = set(self.reasons) - set(REASONS)
        if unknown:
            raise ValueError(f"unknown feedback reasons: {sorted(unknown)}")

    @property
    def is_empty(self) -> bool:
        return self.rating is None and not self.reasons

    @classmethod
    def about(cls, answer_id: str, answer: Answer, rating: int | None, reasons: Iterable[str]) -> Feedback:
        """Feedback on ``answer``: the top passage shown (if any) is recorded with it."""
        top = answer.quotes[0] if answer.quotes else None
        return cls(
            answer_id=answer_id, question=answer.question, status=answer.status, rating=rating,
            reasons=frozenset(reasons),
            document=top.document if top else "", section=top.section if top else "", url=top.url if top else "",
            passage_start=top.start if top else None, passage_end=top.end if top else None,
            passage=top.text if top else "",
        )


def feedback_path(env: Mapping[str, str], root: Path = Path(".")) -> Path:
    """Where feedback is kept: ``ROS1QA_FEEDBACK`` or ``feedback.sqlite3`` (git-ignored) under ``root``."""
    return root / env.get(FEEDBACK_ENV, FEEDBACK_FILE)


class FeedbackStore:
    """The feedback file. Each call opens its own connection, so sessions on other threads can share it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, feedback: Feedback, now: datetime | None = None) -> None:
        """Insert or replace the record for this answer; an empty one (no rating, no reason) is removed."""
        if feedback.is_empty:
            self.delete([feedback.answer_id])
            return
        saved_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        self._create()
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    feedback.answer_id, saved_at, feedback.question, feedback.status, feedback.rating,
                    int("wrong_passage" in feedback.reasons), int("not_covered" in feedback.reasons),
                    feedback.document, feedback.section, feedback.url,
                    feedback.passage_start, feedback.passage_end, feedback.passage,
                ),
            )

    def _create(self) -> None:
        """Make the file with its table if there is none: built aside, then linked into place, so a reader or
        another session never finds the file without its table (SQLite creates an empty file on connect)."""
        if self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.close(fd)
        try:
            with closing(sqlite3.connect(name)) as db, db:
                db.execute(SCHEMA)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            os.link(name, self.path)
        except FileExistsError:
            pass  # another session created it first: same schema
        finally:
            os.unlink(name)

    def delete(self, answer_ids: Iterable[str]) -> None:
        """Remove these answers' records (consent withdrawn, or a rating taken back). No file, nothing to do."""
        ids = list(answer_ids)
        if not ids or not self.path.exists():
            return
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.executemany("DELETE FROM feedback WHERE answer_id = ?", [(i,) for i in ids])

    def rows(self) -> list[dict[str, object]]:
        """Every record, oldest first, as the CSV shows it (rating and reasons in words)."""
        if not self.path.is_file():
            raise FeedbackError(f"No feedback saved yet: there is no file at {self.path}")
        try:
            with closing(sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)) as db:
                db.row_factory = sqlite3.Row
                records = db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY saved_at, rowid").fetchall()
        except sqlite3.DatabaseError as exc:
            raise FeedbackError(f"{self.path} is not a ros1qa feedback file ({exc})") from exc
        return [_readable(dict(record)) for record in records]

    def export_csv(self, out: TextIO) -> int:
        """Write every record as CSV (header first); returns how many records."""
        records = self.rows()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: spreadsheet_cell(v) if isinstance(v, str) else v for k, v in record.items()})
        return len(records)


def _readable(record: dict[str, object]) -> dict[str, object]:
    rating = record["rating"]
    record["rating"] = RATINGS.get(rating, "") if isinstance(rating, int) else ""
    for reason in REASONS:
        record[reason] = "yes" if record[reason] else ""
    return record
