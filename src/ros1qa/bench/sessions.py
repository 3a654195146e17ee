"""Memory per app session: Streamlit AppTest sessions of the real page, each asking one question.

Run as a child (``python -m ros1qa.bench.sessions APP COUNT QUESTION``) so the figure is this
process's own. The first session loads the shared engine; the ones after it add only their own
state (session state, answer history, the page's element tree). AppTest keeps each session's whole
element tree in memory, which a server does not, so the figure errs on the high side; it leaves
out what the server adds per websocket (Tornado buffers, a script thread while a rerun runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


@dataclass(frozen=True)
class SessionMemory:
    sessions: int
    first_session_rss: int  # the process after one session: engine, model, Streamlit
    per_session_bytes: float  # resident growth per further session that asked a question


def measure_sessions(app: Path, count: int, question: str, timeout: float = 900.0) -> SessionMemory:
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "ROS1QA_FEEDBACK": str(Path(scratch) / "feedback.sqlite3")}
        done = subprocess.run([sys.executable, "-m", "ros1qa.bench.sessions", str(app.resolve()), str(count), question],
                              capture_output=True, text=True, env=env, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"session child failed: {done.stderr.strip()[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return SessionMemory(count, result["first"], (result["last"] - result["first"]) / count)


def main(argv: Sequence[str]) -> None:
    import logging

    from streamlit.testing.v1 import AppTest

    from ros1qa.bench.measure import rss_bytes

    logging.disable(logging.WARNING)  # "missing ScriptRunContext" for every session
    app, count, question = argv[0], int(argv[1]), argv[2]
    sessions = []
    first = 0
    for number in range(count + 1):
        session = AppTest.from_file(app, default_timeout=300).run()
        session.chat_input[0].set_value(f"{question} ({number})").run()
        if session.exception:
            raise RuntimeError(str(session.exception))
        sessions.append(session)
        if number == 0:
            first = rss_bytes()
    print(json.dumps({"first": first, "last": rss_bytes(), "sessions": len(sessions)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
