"""Hostile text in a corpus page and in a question is shown literally: nothing runs, loads or links.

The app runs on a temporary corpus with one such page, indexed for real (``ros1qa build`` with
the bundled model), because that is what a poisoned or careless page would go through.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import serve
from .server import REPO, AppServer, open_app
from .visitor import ask, open_expander

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

HOSTILE = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:window.__pwned=1)",
    "![x](http://127.0.0.1:9/x.png)",
    "$x^2$",
    "*stars*",
    ":smile:",
    "www.example.com",
    "mail@example.org",
    "https://example.org/autolink",
)
TITLE = "Safety test page <b>bold</b> *stars*"
PUBLISHER = "Test publisher [x](javascript:window.__pwned=1)"
PAGE_URL = "https://example.org/safety-test"
DOCUMENT = f"""---
title: {TITLE}
url: {PAGE_URL}
publisher: {PUBLISHER}
---
Support group meetings

Support group meetings for people with ROS1 cancer are held on Tuesdays by patient volunteers. {" ".join(HOSTILE)}

More about the meetings follows here, with <b>tags</b> and ~~strikes~~ and `code` in them, and with enough further words in this one sentence to make a paragraph that stands as a passage of its own, as most paragraphs on real pages do, instead of joining the one before it.
"""
QUESTION = "When are the support group meetings held?"
WORD_JOINER = "\u2060"


@pytest.fixture(scope="module")
def hostile_server(browser: Any, tmp_path_factory: pytest.TempPathFactory,
                   request: pytest.FixtureRequest) -> Iterator[AppServer]:
    root = tmp_path_factory.mktemp("hostile")
    corpus, index = root / "corpus", root / "index"
    corpus.mkdir()
    (corpus / "safety-test.txt").write_text(DOCUMENT, encoding="utf-8")
    command = [sys.executable, "-m", "ros1qa.cli", "--corpus", str(corpus), "--index", str(index), "build"]
    build = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    env = {"ROS1QA_CORPUS": str(corpus), "ROS1QA_INDEX": str(index), "ROS1QA_FEEDBACK": str(root / "fb.sqlite3")}
    yield from serve(request.config, root / "streamlit.log", env)


@pytest.fixture
def hostile_page(browser: Any, hostile_server: AppServer) -> Iterator[tuple[Any, list[str]]]:
    """A visitor on the hostile corpus, with every request the page makes recorded."""
    requests: list[str] = []
    page = open_app(browser, hostile_server.url, on_request=lambda request: requests.append(request.url))
    yield page, requests
    page.context.close()


def shown(locator: Any) -> str:
    return locator.inner_text().replace(WORD_JOINER, "")


def assert_nothing_ran_loaded_or_linked(page: Any, requests: list[str]) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not [url for url in requests if "127.0.0.1:9" in url or url.rstrip("/").endswith(("/x", "x.png"))]
    made = page.evaluate("""() => {
        const main = document.querySelector('[data-testid=stMainBlockContainer]');
        const all = selector => Array.from(main.querySelectorAll(selector));
        return {
            images: all('img').map(i => i.src),
            scripts: Array.from(document.scripts).filter(s => s.textContent.includes('__pwned')).length,
            links: all('a[href]').map(a => a.getAttribute('href')),
            math: all('.katex, math').length,
            emphasis: all('em, del').map(e => e.textContent),
            bold_tags: all('b').length,
        };
    }""")
    assert made["images"] == [] and made["scripts"] == 0 and made["math"] == 0
    assert made["emphasis"] == [] and made["bold_tags"] == 0
    assert any(href.startswith(PAGE_URL) for href in made["links"]), made["links"]  # the citation is found…
    assert all(href.startswith(PAGE_URL) for href in made["links"]), made["links"]  # …and is the only link


def test_a_hostile_page_is_quoted_literally_and_nothing_in_it_runs_loads_or_links(
        hostile_page: tuple[Any, list[str]]) -> None:
    page, requests = hostile_page
    covered = page.get_by_role("listitem").filter(has_text="Safety test page")
    assert shown(covered) == f"{TITLE} — {PUBLISHER}"
    message = ask(page, QUESTION)
    quote = shown(message.locator("blockquote").first)
    for text in HOSTILE:
        assert text in quote
    assert "😄" not in quote
    expect(message.get_by_role("link", name=f"{TITLE} › Support group meetings")).to_be_visible()
    context = open_expander(message, "Show in context")
    assert "with <b>tags</b> and ~~strikes~~ and `code` in them, and" in shown(context)
    copy = open_expander(message, "Copy answer")
    assert all(text in copy.locator("code").inner_text() for text in HOSTILE)
    assert_nothing_ran_loaded_or_linked(page, requests)


def test_a_hostile_question_is_shown_literally(hostile_page: tuple[Any, list[str]]) -> None:
    page, requests = hostile_page
    question = f"{QUESTION} {' '.join(HOSTILE)}"
    ask(page, question)
    bubble = page.locator('[data-testid="stChatMessage"]').filter(has_text="support group").first
    assert shown(bubble.locator("[data-testid=stMarkdownContainer]").first).strip() == question
    assert_nothing_ran_loaded_or_linked(page, requests)
