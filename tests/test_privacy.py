"""Privacy: asking sends nothing out, writes nothing down, and logs no question text.

Questions go through the engine and the command line with outbound connections and name lookups
refused, HOME/TMPDIR/XDG_CACHE_HOME pointed at an empty folder, and every file write in the
process recorded through a Python audit hook. The repository tree and that home are compared
before and after. Bytecode caching is switched off for the window: it is the interpreter's doing.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from tests.conftest import FAKE_MODEL, REPO, SHIPPED, HashingEmbedder

from ros1qa.cli import main

MARKER = "zqx7f3a"
QUESTIONS = [
    f"Is immunotherapy used first for ROS1+ cancer? {MARKER}",
    f"my husband {MARKER} cant breathe",
    f"what does {MARKER} cost",
]
SKIPPED_IN_REPO = {".git", ".venv", ".pytest_cache", ".hypothesis", "__pycache__", "node_modules"}
LOOPBACK = {"127.0.0.1", "::1", "localhost", "0:0:0:0:0:0:0:1"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
WRITE_EVENTS = {
    "os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.link", "os.symlink", "os.chmod",
    "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move", "tempfile.mkstemp", "tempfile.mkdtemp",
    "sqlite3.connect",
}


def snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file and folder under the roots, skipping VCS, virtualenv and test caches."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = [s for s in subfolders if s not in SKIPPED_IN_REPO]
            for name in [*subfolders, *files]:
                stat = os.lstat(os.path.join(folder, name))
                found[os.path.join(folder, name)] = (stat.st_size, stat.st_mtime_ns)
    return found


class WriteRecorder:
    """An audit hook (they cannot be removed, so it is switched on and off) noting every file write."""

    def __init__(self) -> None:
        self.active = False
        self.writes: list[tuple[str, str]] = []

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int) or str(path).startswith("/dev/"):
                return
            if (mode and any(c in mode for c in "wax+")) or (mode is None and flags & WRITE_FLAGS):
                self.writes.append((event, str(path)))
        elif event in WRITE_EVENTS:
            self.writes.append((event, str(args[0]) if args else ""))


@pytest.fixture
def private_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    for sub in ("tmp", ".cache"):
        (home / sub).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(home / "tmp"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return home


def _is_loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path, or a host name given alone
        return not isinstance(address, str) or "/" in address or address in LOOPBACK
    return bool(address) and str(address[0]) in LOOPBACK


@pytest.fixture
def no_network(monkeypatch) -> list:
    """Refuse (and note) every connection or name lookup that is not to this machine."""
    attempts: list = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create, real_lookup = socket.create_connection, socket.getaddrinfo

    def guard(real, position: int):
        def guarded(*args, **kwargs):
            address = args[position] if len(args) > position else None
            if _is_loopback(address):
                return real(*args, **kwargs)
            attempts.append((real.__name__, address))
            raise OSError(f"network is blocked in this test: {address!r}")

        return guarded

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect, 1))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex, 1))
    monkeypatch.setattr(socket, "create_connection", guard(real_create, 0))
    monkeypatch.setattr(socket, "getaddrinfo", guard(real_lookup, 0))
    return attempts


@pytest.fixture
def watched(private_home, no_network, caplog, capfd, monkeypatch):
    """Run a callable under the network block and write recorder; check nothing leaked afterwards."""
    recorder = WriteRecorder()
    sys.addaudithook(recorder)
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name or None)

    def run(action) -> None:
        monkeypatch.setattr(sys, "dont_write_bytecode", True)
        before = snapshot(REPO, private_home)
        recorder.active = True
        logging.getLogger("privacy.canary").debug("canary")  # proves DEBUG records are captured here
        try:
            action()
        finally:
            recorder.active = False
        assert recorder.writes == []
        assert snapshot(REPO, private_home) == before
        assert no_network == []
        assert any(r.getMessage() == "canary" for r in caplog.records), "DEBUG logging is captured, so silence counts"
        assert all(MARKER not in record.getMessage() for record in caplog.records)
        assert MARKER not in caplog.text
        assert MARKER not in capfd.readouterr().err

    return run


def test_engine_answers_without_network_writes_or_logged_questions(watched, fake_engine):
    logging.getLogger("ros1qa").debug("answering questions now")  # a record, so the log check cannot pass empty
    answers = []
    watched(lambda: answers.extend(fake_engine.ask(q) for q in QUESTIONS))
    assert [a.status for a in answers] == ["answered", "urgent", "not_found"]


def test_cli_answers_without_network_writes_or_logged_questions(watched, fake_settings, monkeypatch):
    monkeypatch.setattr("ros1qa.service.make_embedder", lambda settings: HashingEmbedder())
    base = ["--corpus", str(fake_settings.corpus_dir), "--index", str(fake_settings.index_dir), "--model", FAKE_MODEL]
    assert main([*base, "build"], out=io.StringIO()) == 0  # building writes, by design: outside the window
    logging.getLogger("ros1qa").debug("asking through the command line now")
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{q}\n" for q in QUESTIONS))
    watched(lambda: main([*base, "ask", "--jsonl"], stdin=stdin, out=out))
    watched(lambda: main([*base, "ask", QUESTIONS[0]], out=io.StringIO()))
    assert out.getvalue().count(MARKER) == 2 * len(QUESTIONS)  # the answer echoes the question (and read_as); logs do not


def test_the_network_block_and_write_recorder_do_catch_leaks(private_home, no_network):
    recorder = WriteRecorder()
    sys.addaudithook(recorder)
    recorder.active = True
    try:
        (private_home / "leak.txt").write_text(MARKER, encoding="utf-8")
    finally:
        recorder.active = False
    assert recorder.writes == [("open", str(private_home / "leak.txt"))]
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("example.org", 443), timeout=1)
    assert no_network == [("create_connection", ("example.org", 443))]


def test_streamlit_sends_no_usage_statistics():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.slow
def test_real_model_loads_and_answers_offline_without_writes(watched):
    from ros1qa.service import open_engine

    settings = SHIPPED
    answers = []
    watched(lambda: answers.extend(open_engine(settings).ask(q) for q in QUESTIONS))
    assert [a.status for a in answers] == ["answered", "urgent", "not_found"]
    out = io.StringIO()
    base = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "--models", str(settings.models_dir)]
    watched(lambda: main([*base, "ask", "--jsonl"], stdin=io.StringIO("\n".join(QUESTIONS)), out=out))
    assert out.getvalue().count(MARKER) == 2 * len(QUESTIONS)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to watch the process's own system calls")
def test_a_real_answering_process_makes_no_network_system_call(tmp_path):
    """Below Python: native libraries (ONNX Runtime has a telemetry client) could connect on their own."""
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(home / "tmp"), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("ORT_DISABLE_TELEMETRY", None)  # ros1qa must switch it off itself
    command = [sys.executable, "-m", "ros1qa.cli", "--corpus", str(SHIPPED.corpus_dir), "--index",
               str(SHIPPED.index_dir), "--models", str(SHIPPED.models_dir), "ask", "--jsonl"]
    done = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace), *command],
                          input="\n".join(QUESTIONS), capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count(MARKER) == 2 * len(QUESTIONS)
    calls = trace.read_text().splitlines()
    assert [c for c in calls if "AF_INET" in c or "AF_INET6" in c] == []
    assert sorted(p.name for p in home.rglob("*")) == ["tmp"]  # nothing written under HOME, cache or TMPDIR
