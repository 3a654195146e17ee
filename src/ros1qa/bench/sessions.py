"""Memory per app session: Streamlit AppTest sessions of the real page, each asking one question.

Run as a child (``python -m ros1qa.bench.sessions APP COUNT QUESTION``) so the figure is this
process's own. The first session loads the shared engine; the ones after it add only their own
state (session state, answer history, the page's element tree). AppTest keeps each session's whole
element tree in memory, which a server does not, so the figure errs on the high side; it leaves
out what the server adds per websocket (Tornado buffers, a script thread while a rerun runs).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WARM_SESSIONS = 3  # before the first reading: lazy imports and the allocator's first arenas are not sessions
TIMED_SESSIONS = 10  # timed before memory tracing starts (tracing slows Python down)


@dataclass(frozen=True)
class SessionMemory:
    sessions: int
    first_session_rss: int  # the process after the first sessions: engine, model, Streamlit, warmed allocator
    per_session_bytes: float  # what each further session that asked a question keeps: the larger of
    # resident growth and Python allocations still held (resident memory grows in arenas, not per object)
    seconds_per_visit: float  # a new session: the page's first run, then a run that asks and shows the answer


def measure_sessions(app: Path, count: int, question: str, timeout: float = 900.0) -> SessionMemory:
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "ROS1QA_FEEDBACK": str(Path(scratch) / "feedback.sqlite3")}
        done = subprocess.run([sys.executable, "-m", "ros1qa.bench.sessions", str(app.resolve()), str(count), question],
                              capture_output=True, text=True, env=env, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"session child failed: {done.stderr.strip()[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return SessionMemory(count, result["first"], max(result["last"] - result["first"], result["kept"], 0) / count,
                         result["seconds"])


def main(argv: Sequence[str]) -> None:
    import logging

    from streamlit.testing.v1 import AppTest

    from ros1qa.bench.measure import rss_bytes

    logging.disable(logging.WARNING)  # "missing ScriptRunContext" for every session
    app, count, question = argv[0], int(argv[1]), argv[2]
    sessions = []

    def visit(number: int) -> None:
        session = AppTest.from_file(app, default_timeout=300).run()
        session.chat_input[0].set_value(f"{question} ({number})").run()
        if session.exception:
            raise RuntimeError(str(session.exception))
        sessions.append(session)

    for number in range(WARM_SESSIONS):
        visit(number)
    started = time.perf_counter()
    for number in range(TIMED_SESSIONS):
        visit(WARM_SESSIONS + number)
    seconds = (time.perf_counter() - started) / TIMED_SESSIONS
    gc.collect()
    first = rss_bytes()
    tracemalloc.start()  # from here: what the later sessions allocate and keep
    for number in range(count):
        visit(WARM_SESSIONS + TIMED_SESSIONS + number)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    print(json.dumps({"first": first, "last": rss_bytes(), "kept": kept, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
