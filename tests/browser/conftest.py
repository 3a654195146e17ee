"""One app server and one Chromium per test session; a fresh visitor (browser context) per test.

Every module here is marked ``browser`` and ``slow``. Browser tests skip, with the reason, when
Debian's Chromium or Playwright is missing. When one fails, the server's log is added to its report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .server import CHROMIUM, AppServer, chromium, open_app, running_app

SERVERS = pytest.StashKey[list[AppServer]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        for server in item.config.stash.get(SERVERS, []):
            report.sections.append((f"streamlit log ({server.url})", server.log_tail()))
    return report


def serve(config: pytest.Config, log: Path, env: dict[str, str]) -> Iterator[AppServer]:
    with running_app(log, env) as server:
        config.stash.setdefault(SERVERS, []).append(server)
        yield server
        config.stash[SERVERS].remove(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def feedback_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"


@pytest.fixture(scope="session")
def app_server(browser: Any, feedback_file: Path, tmp_path_factory: pytest.TempPathFactory,
               request: pytest.FixtureRequest) -> Iterator[AppServer]:
    """The app on the shipped index; feedback goes to a temporary file."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    yield from serve(request.config, log, {"ROS1QA_FEEDBACK": str(feedback_file)})


@pytest.fixture
def page(browser: Any, app_server: AppServer) -> Iterator[Any]:
    """A new visitor on the chat page, at desktop size."""
    visitor = open_app(browser, app_server.url)
    yield visitor
    visitor.context.close()
