"""Run the real app for a browser: ``streamlit run app.py`` on a free localhost port, and headless Chromium.

Shared by the browser tests and the screenshot script (``python -m tests.browser.screenshots OUTDIR``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
READY_TIMEOUT = 90.0  # seconds for the server to answer its health check
FIRST_PAGE_TIMEOUT = 180_000  # ms: the first visit loads the model and the index
ROS1QA_VARIABLES = ("ROS1QA_CORPUS", "ROS1QA_INDEX", "ROS1QA_MODEL", "ROS1QA_BACKEND", "ROS1QA_FEEDBACK")


class ServerFailed(RuntimeError):
    """The app server did not start, or stopped; the message ends with its log."""


@dataclass(frozen=True)
class AppServer:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 60) -> str:
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the server we started (its own process group, by its id): politely, then for sure."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@contextmanager
def running_app(log: Path, env: Mapping[str, str] | None = None) -> Iterator[AppServer]:
    """The app served on a free port until the block ends; ``env`` adds ROS1QA_* settings."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {k: v for k, v in os.environ.items() if k not in ROS1QA_VARIABLES}
    environment.update({"PYTHONUNBUFFERED": "1", **(env or {})})
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = AppServer(url, log, process)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None:
                raise ServerFailed(f"streamlit exited with code {process.returncode}; its log:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                raise ServerFailed(f"streamlit not ready after {READY_TIMEOUT:.0f} s; its log:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(process)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (which cannot download a browser of its own here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_app(browser: Any, url: str, on_request: Callable[[Any], None] | None = None, **context_options: Any) -> Any:
    """A new visitor (own browser context, own Streamlit session) on the chat page, once it has loaded."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    if on_request is not None:
        context.on("request", on_request)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_role("heading", name="What I cover").wait_for(timeout=FIRST_PAGE_TIMEOUT)
    page.get_by_role("checkbox", name="Save my feedback to help improve the answers").wait_for(state="attached")
    page.wait_for_function("document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'")
    return page
