"""Screenshots of the app's main states, taken in headless Chromium from the real app on the shipped index.

    python -m tests.browser.screenshots OUTDIR [--readme docs/screenshot.png]

Writes welcome, answer, context, not-found, urgent, volunteer-view, batch, phone-welcome,
phone-answer and readme (a tall page with an answer) PNGs into OUTDIR; ``--readme PATH`` also
copies the last one to PATH.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.browser.server import chromium, open_app, running_app
from tests.browser.visitor import ask, click_suggestion, open_expander

QUESTION = "Is immunotherapy used first for ROS1+ cancer?"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
BATCH = "question\nIs immunotherapy used first for ROS1+ cancer?\nWhat is CAR-T cell therapy?\n" \
        "What is the weather in Paris?\nI can't breathe and my chest hurts\n"


def _answer(page: Any) -> None:
    ask(page, QUESTION)


def _context(page: Any) -> None:
    open_expander(ask(page, "What is CAR-T cell therapy?"), "Show in context")


def _volunteer(page: Any) -> None:
    page.get_by_text("Volunteer view").click()
    message = ask(page, "Is immunotherapy safe with crizotinib?")
    open_expander(message, "Volunteer view: top passages and their scores").locator("canvas").first.wait_for()
    page.wait_for_timeout(1500)  # the table draws on its canvas


def _batch(page: Any) -> None:
    page.get_by_role("link", name="Many questions (volunteers)").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "questions.csv", "mimeType": "text/csv", "buffer": BATCH.encode()}])
    page.get_by_text("4 questions:").wait_for()
    page.locator("[data-testid=stDataFrame]").wait_for()


STATES: dict[str, tuple[dict[str, Any], Callable[[Any], None]]] = {
    "welcome": ({}, lambda page: None),
    "answer": ({}, _answer),
    "context": ({}, _context),
    "not-found": ({}, lambda page: ask(page, "What is the best recipe for chocolate cake?")),
    "urgent": ({}, lambda page: ask(page, "I can't breathe and my chest hurts")),
    "volunteer-view": ({}, _volunteer),
    "batch": ({}, _batch),
    "phone-welcome": (PHONE, lambda page: None),
    "phone-answer": (PHONE, lambda page: click_suggestion(page)),
    "readme": ({"viewport": {"width": 1280, "height": 1300}}, _answer),  # the whole page, title to answer
}


def take(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {"ROS1QA_FEEDBACK": str(Path(scratch) / "feedback.sqlite3")}
        with running_app(Path(scratch) / "streamlit.log", env) as server, chromium() as browser:
            for name, (options, act) in STATES.items():
                page = open_app(browser, server.url, **options)
                act(page)
                page.wait_for_timeout(800)  # let scrolling and expanders settle
                path = outdir / f"{name}.png"
                page.screenshot(path=str(path))
                page.context.close()
                saved.append(path)
                print(path, flush=True)
    return saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--readme", type=Path, help="also copy readme.png here (e.g. docs/screenshot.png)")
    args = parser.parse_args(argv)
    saved = take(args.outdir)
    if args.readme:
        args.readme.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.outdir / "readme.png", args.readme)
        print(args.readme)
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main())
