"""A conversation in the real browser: a follow-up read with the question before it, small talk, "tell me
more", an emergency mid-conversation, and no WCAG 2.1 AA violations (axe-core) on the page as it is used."""

from __future__ import annotations

from typing import Any

import pytest

from .visitor import ask, open_expander

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

FIRST = "What is immunotherapy?"
READ_WITH = f"Reading this with your earlier question: “{FIRST}”"


def test_a_follow_up_is_answered_with_a_line_saying_how_it_was_read(page: Any) -> None:
    first = ask(page, FIRST)
    expect(first.locator("blockquote").first).to_contain_text("own immune system to fight cancer")
    expect(first).not_to_contain_text("Reading this with")  # a first question is read alone
    follow_up = ask(page, "does it work for ros1 patients?")
    expect(follow_up).to_contain_text(READ_WITH)
    expect(follow_up.locator("blockquote").first).to_contain_text("ROS1")
    switched = ask(page, "What is CAR-T cell therapy?")  # self-contained: read alone
    expect(switched.locator("blockquote").first).to_contain_text("CAR-T")
    expect(switched).not_to_contain_text("Reading this with")


def test_small_talk_gets_a_short_reply_and_suggestions_not_a_refusal(page: Any) -> None:
    hello = ask(page, "hi there!")
    expect(hello).to_contain_text("I answer questions about ROS1+ cancer")
    expect(hello).not_to_contain_text("I couldn't find an answer")
    expect(hello.locator("blockquote")).to_have_count(0)
    expect(hello.get_by_role("button").filter(has_text="?").first).to_be_visible()  # questions to try
    thanks = ask(page, "thanks, that helps")
    expect(thanks).to_contain_text("You're welcome")


def test_tell_me_more_opens_the_section_of_the_last_answer(page: Any) -> None:
    first = ask(page, "What is CAR-T cell therapy?")
    quoted = first.locator("blockquote").first.inner_text()
    more = ask(page, "tell me more")
    section = more.locator("blockquote").first
    expect(section).to_contain_text(quoted.strip()[:60])
    assert len(section.inner_text()) > len(quoted) + 100
    expect(more).to_contain_text("Reading this with your earlier question: “What is CAR-T cell therapy?”")


def test_an_emergency_in_the_middle_of_a_conversation_is_routed(page: Any) -> None:
    ask(page, FIRST)
    urgent = ask(page, "it's getting worse and now I can't breathe")
    expect(urgent).to_contain_text("This sounds like it may be an emergency")
    expect(urgent.locator("blockquote")).to_have_count(0)


def test_the_page_in_use_has_no_wcag_aa_violations(page: Any) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
    ask(page, FIRST)
    answered = ask(page, "does it work for ros1 patients?")
    open_expander(answered, "Show in context")
    ask(page, "hello")
    ask(page, "What is the best recipe for chocolate cake?")
    results = axe.Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
                  for v in results.response["violations"]]
    assert violations == []
