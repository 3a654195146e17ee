"""A volunteer in a real browser: feedback kept only with consent, many questions answered at once, and answers
marked as labelled questions in a temporary copy of the corpus."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ros1qa.index.labels import holds

from .conftest import serve
from .server import REPO, AppServer, open_app
from .visitor import ask, open_expander

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


VOLUNTEER_VIEW = "Volunteer view: top passages and their scores"
DOCUMENT = "immunotherapy-and-ros1-cancer.txt"


@pytest.fixture(scope="module")
def marking_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's corpus for the app to mark in: the repository's own is never written."""
    target = tmp_path_factory.mktemp("marking") / "corpus"
    shutil.copytree(REPO / "corpus", target)
    return target


@pytest.fixture(scope="module")
def marking_server(browser: Any, marking_corpus: Path, tmp_path_factory: pytest.TempPathFactory,
                   request: pytest.FixtureRequest) -> Iterator[AppServer]:
    """The app on the committed index and the corpus copy; feedback goes to a temporary file."""
    work = tmp_path_factory.mktemp("marking-server")
    env = {"ROS1QA_CORPUS": str(marking_corpus), "ROS1QA_INDEX": str(REPO / "index"),
           "ROS1QA_FEEDBACK": str(work / "feedback.sqlite3")}
    yield from serve(request.config, work / "streamlit.log", env)


@pytest.fixture
def volunteer(browser: Any, marking_server: AppServer) -> Iterator[Any]:
    """A visitor on the marking server with the volunteer view turned on."""
    visitor = open_app(browser, marking_server.url)
    visitor.get_by_text("Volunteer view").click()
    expect(visitor.get_by_role("switch", name="Volunteer view")).to_be_checked()
    yield visitor
    visitor.context.close()


def marks(corpus: Path, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The labelled questions in the volunteers file, once it holds ``count`` of them."""
    path = corpus / "labelled" / "volunteers.jsonl"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if len(lines) >= count:
            return [json.loads(line) for line in lines]
        time.sleep(0.2)
    raise AssertionError(f"{path} does not hold {count} labelled questions")


def test_a_volunteer_marks_the_answering_passage_and_a_question_not_covered(volunteer: Any,
                                                                             marking_corpus: Path) -> None:
    repository_marks = REPO / "corpus" / "labelled" / "volunteers.jsonl"
    before = repository_marks.read_bytes() if repository_marks.exists() else None
    message = ask(volunteer, QUESTION)
    scores = open_expander(message, VOLUNTEER_VIEW)
    expect(scores.get_by_text("Marking writes this question's text to the corpus's labelled questions")).to_be_visible()
    assert not (marking_corpus / "labelled" / "volunteers.jsonl").exists()  # nothing is written until a click
    scores.get_by_role("button", name="This passage answers it").first.click()
    (answered,) = marks(marking_corpus, 1)
    saved = scores.locator("[data-testid=stAlert]").filter(has_text="Saved as a labelled question in")
    expect(saved).to_be_visible()  # the volunteer view stays open to say so
    assert str(marking_corpus / "labelled" / "volunteers.jsonl") in saved.inner_text()
    expect(saved).to_contain_text("It is used from the next ros1qa build.")
    page_text = (marking_corpus / DOCUMENT).read_text(encoding="utf-8")
    assert answered["q"] == QUESTION and answered["kind"] == "answerable" and answered["page"] == DOCUMENT
    assert answered["gold"] and all(gold.strip() and holds(page_text, gold) for gold in answered["gold"])
    best = message.locator("[data-testid=stMarkdownContainer] strong").first.inner_text()  # the highlight shown
    assert holds(" ".join(answered["gold"]), " ".join(best.split()))

    other = "What is the weather in Paris?"
    message = ask(volunteer, other)
    open_expander(message, VOLUNTEER_VIEW).get_by_role("button", name="Not covered by the pages").click()
    first, second = marks(marking_corpus, 2)
    assert first == answered
    assert (second["q"], second["kind"], second["gold"]) == (other, "unanswerable", [])
    expect(message.get_by_text("Saved as a labelled question in")).to_be_visible()
    assert (repository_marks.read_bytes() if repository_marks.exists() else None) == before
