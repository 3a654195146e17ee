"""The Streamlit page, driven by Streamlit's AppTest over the shipped index and the real model."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.conftest import SHIPPED

from ros1qa.ask import messages
from ros1qa.presentation import copy_text, escape_markdown

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
QUESTION = "Is immunotherapy used first for ROS1+ cancer?"
SOURCE_URL = "https://www.theros1ders.org/post/immunotherapy-ros1-cancer"


@pytest.fixture
def feedback_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("ROS1QA_FEEDBACK", str(path))
    monkeypatch.delenv("ROS1QA_INDEX", raising=False)
    monkeypatch.delenv("ROS1QA_CORPUS", raising=False)
    return path


@pytest.fixture
def app(feedback_file: Path) -> AppTest:
    """A fresh visitor on the chat page (the engine itself is cached per process)."""
    return AppTest.from_file(APP, default_timeout=180).run()


def ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, app.exception
    return app


def markdown(app: AppTest) -> list[str]:
    return [element.value for element in app.markdown]


def test_first_visit_shows_what_is_covered_and_suggested_questions(app: AppTest) -> None:
    assert not app.exception
    assert messages.DISCLAIMER in app.caption[0].value
    texts = markdown(app)
    assert "## What I cover" in texts
    assert any(SOURCE_URL in text and "The ROS1ders" in text for text in texts)
    assert len(app.button) >= 2 and all(b.label.endswith("?") for b in app.button)


def test_a_question_gets_the_quoted_passage_and_its_citation(app: AppTest) -> None:
    ask(app, QUESTION)
    texts = markdown(app)
    assert escape_markdown(QUESTION) in texts
    quote = next(text for text in texts if text.startswith("> "))
    assert "**Immunotherapy should NOT be used as first\\-line treatment in ROS1\\+ cancer\\.**" in quote
    citation = next(text for text in texts if text.startswith("Source: ["))
    assert f"]({SOURCE_URL}#:~:text=" in citation
    assert "Copy answer" in {e.label for e in app.expander}


def test_show_in_context_has_the_rest_of_the_section_around_the_quote(app: AppTest) -> None:
    ask(app, "What is CAR-T cell therapy?")
    context = next(e for e in app.expander if e.label == "Show in context")
    text = context.markdown[0].value
    quote = next(t for t in markdown(app) if t.startswith("> "))
    assert quote in text and len(text) > len(quote) + 100


def test_clicking_a_suggested_question_asks_it(app: AppTest) -> None:
    suggestion = app.button[0]
    question = suggestion.label
    suggestion.click().run()
    assert escape_markdown(question) in markdown(app)
    assert any(text.startswith("Source: [") for text in markdown(app))


def test_history_is_kept_for_the_session(app: AppTest) -> None:
    ask(app, QUESTION)
    ask(app, "what is the weather in Paris tomorrow")
    texts = markdown(app)
    assert escape_markdown(QUESTION) in texts and "what is the weather in Paris tomorrow" in texts
    assert any(text.startswith("Source: [") for text in texts)
    assert [i.value for i in app.info] == [messages.NOT_FOUND]


def test_an_off_topic_question_gets_the_not_found_message_and_what_is_covered(app: AppTest) -> None:
    ask(app, "What is the best recipe for chocolate cake?")
    assert [i.value for i in app.info] == [messages.NOT_FOUND]
    assert not any(text.startswith(("> ", "Source:")) for text in markdown(app))
    assert "What I cover" in [e.label for e in app.expander]


def test_an_urgent_message_gets_the_emergency_message_only(app: AppTest) -> None:
    ask(app, "I can't breathe and my chest hurts")
    assert [e.value for e in app.error] == [messages.URGENT]
    assert not any(text.startswith(("> ", "Source:")) for text in markdown(app))
    assert not app.feedback


def test_question_text_is_shown_literally(app: AppTest) -> None:
    ask(app, "![x](http://127.0.0.1:9/x.png) <b>$x^2$</b>")
    expected = r"\!\[x\]\(http\:" + "\u2060" + r"\/\/127\.0\.0\.1\:9\/x\.png\) \<b\>\$x\^2\$\<\/b\>"
    assert expected in markdown(app)


def test_copy_answer_is_the_plain_text_quote_with_title_section_and_url(app: AppTest) -> None:
    from ros1qa.service import open_engine

    ask(app, QUESTION)
    best = open_engine(SHIPPED).ask(QUESTION).quotes[0]
    assert app.code[0].value == copy_text(best)
    assert SOURCE_URL in app.code[0].value


def test_volunteer_view_shows_the_top_passages_with_scores(app: AppTest) -> None:
    app.toggle(key="volunteer_view").set_value(True).run()
    ask(app, QUESTION)
    table = app.dataframe[0].value
    assert {"rank", "confidence", "above threshold", "dense", "lexical", "coverage", "passage"} <= set(table.columns)
    assert table["above threshold"].iloc[0] == "yes"
    assert 1 <= len(table) <= 5


def test_feedback_is_saved_only_after_consent_and_deleted_when_withdrawn(app: AppTest, feedback_file: Path) -> None:
    ask(app, QUESTION)
    app.feedback[0].set_value(1).run()
    assert not feedback_file.exists()
    assert any("Not saved" in c.value for c in app.caption)

    app.checkbox(key="feedback_consent").check().run()
    app.feedback[0].set_value(0).run()
    app.pills[0].set_value(["wrong_passage"]).run()
    with sqlite3.connect(feedback_file) as db:
        rows = db.execute("SELECT question, status, rating, wrong_passage, document FROM feedback").fetchall()
    assert rows == [(QUESTION, "answered", 0, 1, "immunotherapy-and-ros1-cancer.txt")]
    assert any("saved" in c.value for c in app.caption)

    app.checkbox(key="feedback_consent").uncheck().run()
    with sqlite3.connect(feedback_file) as db:
        assert db.execute("SELECT COUNT(*) FROM feedback").fetchone() == (0,)


def test_a_broken_index_shows_the_fix_instead_of_a_traceback(tmp_path: Path, feedback_file: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "index"
    shutil.copytree(REPO / "index", broken)
    current = (broken / "CURRENT").read_text(encoding="utf-8").strip()
    (broken / current / "passages.json").write_text("{ truncated", encoding="utf-8")
    for folder in (broken, tmp_path / "missing"):
        monkeypatch.setenv("ROS1QA_INDEX", str(folder))
        app = AppTest.from_file(APP, default_timeout=180).run()
        assert not app.exception
        assert len(app.error) == 1 and "ros1qa build" in app.error[0].value
        assert not app.chat_input


def test_the_engine_loads_once_for_every_visitor(tmp_path: Path, feedback_file: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    import pages.common

    opened: list[object] = []
    real_open = pages.common.open_engine

    def counting_open(settings):
        opened.append(settings)
        return real_open(settings)

    copy = tmp_path / "index-copy"  # new settings: a cache entry of its own
    shutil.copytree(REPO / "index", copy)
    monkeypatch.setenv("ROS1QA_INDEX", str(copy))
    monkeypatch.setattr(pages.common, "open_engine", counting_open)
    first = AppTest.from_file(APP, default_timeout=180).run()
    second = AppTest.from_file(APP, default_timeout=180).run()
    ask(second, QUESTION)
    assert not first.exception and not second.exception
    assert len(opened) == 1
