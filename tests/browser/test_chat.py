"""A patient on the chat page, in a real browser: suggested and typed questions, kind refusals, context, copy."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .visitor import QUESTION_BOX, ask, click_suggestion, open_expander, suggestions

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

SOURCE_URL = "https://www.theros1ders.org/post/immunotherapy-ros1-cancer"
QUESTION = "Is immunotherapy used first for ROS1+ cancer?"


def assert_cited_answer(message: Any) -> None:
    quote = message.locator("blockquote").first
    expect(quote).to_be_visible()
    expect(quote.locator("strong").first).to_be_visible()  # the answering sentence is highlighted
    link = message.get_by_role("link", name=re.compile(r"^Immunotherapy & ROS1\+ Cancer"))
    expect(link).to_have_attribute("href", re.compile(re.escape(SOURCE_URL) + r"#:~:text=\S+"))
    expect(link).to_have_attribute("target", "_blank")


def test_a_suggested_question_is_asked_with_one_click_and_answered_with_a_citation(page: Any) -> None:
    expect(suggestions(page).first).to_be_visible()
    assert suggestions(page).count() >= 2
    question, message = click_suggestion(page)
    expect(page.locator('[data-testid="stChatMessage"]').filter(has_text=question)).to_have_count(1)
    assert_cited_answer(message)


def test_a_typed_question_gets_a_cited_answer_and_the_conversation_is_kept(page: Any) -> None:
    first = ask(page, QUESTION)
    assert_cited_answer(first)
    expect(first.locator("blockquote strong").first).to_contain_text("should NOT be used as first-line treatment")
    second = ask(page, "What is CAR-T cell therapy?")
    expect(second.locator("blockquote").first).to_contain_text("CAR-T")
    expect(page.get_by_text(QUESTION, exact=True)).to_be_visible()


def test_an_off_topic_question_is_told_kindly_that_the_pages_do_not_cover_it(page: Any) -> None:
    message = ask(page, "What is the best recipe for chocolate cake?")
    expect(message).to_contain_text("I couldn't find an answer to that in the pages I can quote.")
    expect(message.locator("blockquote")).to_have_count(0)
    covered = open_expander(message, "What I cover")
    expect(covered.get_by_role("link", name="Immunotherapy & ROS1+ Cancer")).to_have_attribute("href", SOURCE_URL)


def test_an_urgent_message_gets_the_emergency_message(page: Any) -> None:
    message = ask(page, "I can't breathe and my chest hurts")
    expect(message).to_contain_text("This sounds like it may be an emergency")
    expect(message).to_contain_text("988")
    expect(message.locator("blockquote")).to_have_count(0)
    expect(message.get_by_role("button", name="Thumbs up")).to_have_count(0)


def test_show_in_context_reveals_the_whole_section_with_the_quote_marked(page: Any) -> None:
    message = ask(page, "What is CAR-T cell therapy?")
    quoted = message.locator("blockquote").first.inner_text()
    context = open_expander(message, "Show in context")
    marked = context.locator("blockquote")
    expect(marked).to_have_count(1)
    assert marked.inner_text() == quoted
    assert len(context.inner_text()) > len(quoted) + 100  # the rest of the section is there too


def test_copy_answer_gives_plain_text_with_quote_title_section_and_link(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    message = ask(page, QUESTION)
    copy = open_expander(message, "Copy answer")
    text = copy.locator("code").inner_text()
    lines = text.splitlines()
    assert lines[0].startswith("“Immunotherapy should NOT be used as first-line treatment")
    assert lines[-2] == "— Immunotherapy & ROS1+ Cancer" and lines[-1] == SOURCE_URL
    page.bring_to_front()  # reading the clipboard needs the focused page
    block, button = copy.locator("[data-testid=stCode]"), copy.get_by_role("button", name="Copy to clipboard")
    for _ in range(20):  # the copy button shows while the pointer is over the block (which may still be moving)
        block.hover()
        if button.is_visible():
            break
        page.wait_for_timeout(250)
    button.click()
    pasted = page.evaluate("""Promise.race([navigator.clipboard.readText(),
        new Promise((_, fail) => setTimeout(() => fail(new Error('clipboard read timed out')), 5000))])""")
    assert pasted == text


def test_the_page_has_meaningful_headings_and_labels(page: Any) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions about ROS1+ cancer")
    for heading in ("What I cover", "Try asking"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.get_by_role("textbox", name=QUESTION_BOX)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Save my feedback to help improve the answers")).to_be_attached()
    ask(page, QUESTION)
    for speaker in ("user", "assistant"):  # screen readers hear who is speaking
        expect(page.get_by_role("group", name=f"Chat message from {speaker}")).to_have_count(1)
    unnamed = page.evaluate("""() => Array.from(document.querySelectorAll(
            'button, input, textarea, a[href], summary'))
        .filter(e => e.checkVisibility())
        .filter(e => !((e.getAttribute('aria-label') || '') + e.textContent
                       + (e.labels?.[0]?.textContent || '')).trim())
        .map(e => e.outerHTML.slice(0, 120))""")
    assert unnamed == []


def test_a_keyboard_alone_can_ask_and_open_the_context(page: Any) -> None:
    def tab_to(condition: str, key: str = "Tab", limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press(key)
            if page.evaluate(f"(() => {{ const e = document.activeElement; return {condition}; }})()"):
                return
        raise AssertionError(f"Tab never reached: {condition}")

    first = suggestions(page).first.inner_text().strip()
    tab_to(f"e.tagName === 'BUTTON' && e.innerText.trim() === {first!r}")
    page.keyboard.press("Enter")
    expect(page.locator("blockquote").first).to_be_visible()
    tab_to("e.tagName === 'TEXTAREA'")
    page.keyboard.type("What is CAR-T cell therapy?")
    page.keyboard.press("Enter")
    expect(page.locator("blockquote:visible").filter(has_text="CAR-T cell therapy").first).to_be_visible()  # an answer before may hold it folded
    tab_to("e.tagName === 'SUMMARY' && e.innerText.includes('Show in context')", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('details')?.open === true")
    opened = page.locator("details[open]").filter(has=page.locator("summary:focus"))
    expect(opened.locator("blockquote")).to_contain_text("CAR-T cell therapy")
