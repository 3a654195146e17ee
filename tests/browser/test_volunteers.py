"""A volunteer in a real browser: feedback kept only with consent, and many questions answered at once."""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from .visitor import ask

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

QUESTION = "Is immunotherapy used first for ROS1+ cancer?"
CONSENT = "Save my feedback to help improve the answers"


def saved_rows(path: Path) -> list[tuple[str, int | None, int]]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute("SELECT question, rating, not_covered FROM feedback ORDER BY saved_at").fetchall()


def wait_for_rows(path: Path, expected: list[tuple[str, int | None, int]], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while saved_rows(path) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert saved_rows(path) == expected


def test_feedback_is_stored_only_after_the_visitor_opts_in(page: Any, feedback_file: Path) -> None:
    before = saved_rows(feedback_file)
    question = f"{QUESTION} (feedback test)"
    message = ask(page, question)
    consent = page.get_by_role("checkbox", name=CONSENT)
    expect(consent).not_to_be_checked()

    message.get_by_role("radio", name="Thumbs up").click()
    expect(message).to_contain_text("Not saved")
    time.sleep(1)
    assert saved_rows(feedback_file) == before  # no consent: nothing written (and no file if there was none)

    page.get_by_text(CONSENT).click()
    expect(consent).to_be_checked()
    message.get_by_role("radio", name="Thumbs down").click()
    wait_for_rows(feedback_file, [*before, (question, 0, 0)])  # one rerun at a time: a click during a rerun can be lost
    message.get_by_role("button", name="Not covered").click()
    wait_for_rows(feedback_file, [*before, (question, 0, 1)])
    expect(message).to_contain_text("your feedback was saved")

    page.get_by_text(CONSENT).click()  # withdrawing consent deletes what this visit saved
    expect(consent).not_to_be_checked()
    wait_for_rows(feedback_file, before)


def test_a_batch_of_questions_is_answered_and_downloaded_as_csv(page: Any) -> None:
    page.get_by_role("link", name="Many questions (volunteers)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer many questions")
    expect(page.get_by_text("It is not medical advice.")).to_be_visible()  # the disclaimer is here too
    questions = "question\nIs immunotherapy used first for ROS1+ cancer?\nWhat is the weather in Paris?\n" \
                "I can't breathe and my chest hurts\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "questions.csv", "mimeType": "text/csv", "buffer": questions.encode()}])
    expect(page.get_by_text("3 questions:")).to_be_visible()
    expect(page.get_by_text("1 answered, 1 not found, 1 urgent.")).to_be_visible()
    expect(page.locator("[data-testid=stDataFrame]")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download answers (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "questions-answers.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == ["answered", "not_found", "urgent"]
    assert rows[0]["quote"].startswith("Immunotherapy should NOT be used as first-line treatment")
    assert rows[0]["citation"] == "Immunotherapy & ROS1+ Cancer"
    assert rows[0]["url"] == "https://www.theros1ders.org/post/immunotherapy-ros1-cancer"
    assert rows[2]["message"].startswith("This sounds like it may be an emergency")


def test_an_unusable_upload_is_explained_with_its_name_shown_literally(page: Any) -> None:
    page.get_by_role("link", name="Many questions (volunteers)").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "*my* $list$.txt", "mimeType": "text/plain", "buffer": b"\n   \n"}])
    alert = page.locator("[data-testid=stAlert]").filter(has_text="No questions found")
    expect(alert).to_be_visible()
    assert "No questions found in *my* $list$.txt" in alert.inner_text().replace("\u2060", "")
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)
