"""On a phone-sized screen (390×844) and on a desktop: no sideways scrolling, the disclaimer always in view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .server import AppServer, open_app
from .visitor import ask, open_expander

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SCROLLER = "document.querySelector('[data-testid=stMainBlockContainer]').closest('main')"
NO_SIDEWAYS_SCROLL = f"""() => [document.documentElement, {SCROLLER}].every(e => e.scrollWidth <= e.clientWidth)"""
DISCLAIMER_IN_VIEW = """() => {
    const box = document.querySelector('.st-key-disclaimer').getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const onTop = document.elementFromPoint(x, y);
    return box.top >= 0 && box.bottom <= window.innerHeight && !!onTop && !!onTop.closest('.st-key-disclaimer');
}"""


@pytest.fixture
def phone(browser: Any, app_server: AppServer) -> Iterator[Any]:
    visitor = open_app(browser, app_server.url, **PHONE)
    yield visitor
    visitor.context.close()


def test_a_phone_screen_never_scrolls_sideways_and_keeps_the_disclaimer_in_view(phone: Any) -> None:
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    ask(phone, "Is immunotherapy used first for ROS1+ cancer?")
    ask(phone, "What is the weather in Paris?")
    message = ask(phone, "What is CAR-T cell therapy?")
    labels = [summary.inner_text().splitlines()[-1] for summary in message.locator("summary").all()]
    assert "Show in context" in labels and "Copy answer" in labels
    for label in labels:  # every expander open: context, other passages, copy text
        open_expander(message, label)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert phone.evaluate(DISCLAIMER_IN_VIEW)
    expect(phone.get_by_role("textbox", name="Type your question about ROS1+ cancer")).to_be_in_viewport()


def test_a_long_conversation_on_a_desktop_keeps_the_disclaimer_in_view(page: Any) -> None:
    for question in ("What is immunotherapy?", "What is CAR-T cell therapy?", "Why is targeted therapy preferred?"):
        ask(page, question)
    assert page.evaluate(f"{SCROLLER}.scrollTop > 200")  # the conversation has scrolled
    assert page.evaluate(DISCLAIMER_IN_VIEW)
