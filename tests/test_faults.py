"""Faults: killed builds, damaged index files, a foreign manifest and a bad corpus file.

Each leaves the index in use untouched, or fails with one clear error that names the fix
("ros1qa build"); the command line prints that error as one line and exits 1, no traceback.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tests.conftest import FAKE_MODEL, REPO, HashingEmbedder

from ros1qa.ask.engine import Engine
from ros1qa.cli import main
from ros1qa.errors import CorpusError, IndexCorrupt, IndexMismatch, IndexMissing
from ros1qa.index.indexing import build_index
from ros1qa.index.store import CURRENT, LOCK, TEMP_PREFIX, current_build, load_index

QUESTION = "Is immunotherapy used first for ROS1+ cancer?"


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder with its sha256: what "nothing changed" is checked against."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(fake_settings, embedder):
    """A private index built with the fake embedder; returns its settings."""
    build_index(fake_settings, embedder)
    return fake_settings


@pytest.fixture
def cli(monkeypatch, built):
    monkeypatch.setattr("ros1qa.service.make_embedder", lambda settings: HashingEmbedder())
    base = ["--corpus", str(built.corpus_dir), "--index", str(built.index_dir), "--model", FAKE_MODEL]

    def run(*args: str) -> int:
        return main([*base, *args], stdin=io.StringIO(""), out=io.StringIO())

    return run


def assert_one_line_error(capsys, *needles: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ros1qa: ") and "Traceback" not in err
    for needle in needles:
        assert needle in err
    return err


# --- (a) a build killed with SIGKILL ---------------------------------------------------------------

HANGING_BUILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from tests.conftest import HashingEmbedder
    import ros1qa.index.store
    from ros1qa.index.indexing import build_index
    from ros1qa.settings import Settings

    phase, corpus, index, marker = sys.argv[1:]

    def hang(where):
        Path(marker).write_text(where)
        time.sleep(120)

    class HangingEmbedder(HashingEmbedder):
        model_id = "hanging-embedder"  # another model: nothing can be reused, so encode runs
        def encode(self, texts, **kwargs):
            if phase == "encode":
                hang("encode")
            return super().encode(texts, **kwargs)

    if phase == "write":  # all files of the new build written, before the rename
        real_fsync = ros1qa.index.store._fsync_tree
        ros1qa.index.store._fsync_tree = lambda folder: (real_fsync(folder), hang("write"))
    if phase == "switch":  # new build folder in place, CURRENT not yet replaced
        real_replace = os.replace
        os.replace = lambda src, dst: hang("switch") if str(dst).endswith("CURRENT") else real_replace(src, dst)

    build_index(Settings(corpus_dir=Path(corpus), index_dir=Path(index), model="hanging-embedder"), HangingEmbedder())
    """
)


def leftovers(index_dir: Path, keep: str) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name not in (keep, CURRENT, LOCK))


@pytest.mark.parametrize("phase", ["encode", "write", "switch"])
def test_a_build_killed_midway_leaves_the_previous_index_in_use(built, embedder, tmp_path, phase):
    index_dir = built.index_dir
    before_pointer = (index_dir / CURRENT).read_bytes()
    previous = current_build(index_dir)
    previous_files = tree(previous)
    script = tmp_path / "hanging_build.py"
    script.write_text(HANGING_BUILD.format(repo=str(REPO)), encoding="utf-8")
    marker = tmp_path / "marker"
    process = subprocess.Popen(
        [sys.executable, str(script), phase, str(built.corpus_dir), str(index_dir), str(marker)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the build never reached the point to kill it"
            time.sleep(0.02)
        if phase == "write":
            assert any(p.name.startswith(TEMP_PREFIX) for p in index_dir.iterdir())
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()

    assert (index_dir / CURRENT).read_bytes() == before_pointer
    assert tree(previous) == previous_files
    index = load_index(index_dir)
    assert index.folder == previous
    assert Engine(index, embedder, built.retrieval).ask(QUESTION).status == "answered"
    if phase in ("write", "switch"):
        assert leftovers(index_dir, previous.name), "the kill should have left a partial build behind"

    build_index(built, embedder)  # the next build cleans up
    kept = current_build(index_dir).name
    assert leftovers(index_dir, kept) == []
    assert Engine(load_index(index_dir), embedder, built.retrieval).ask(QUESTION).status == "answered"


# --- (b) truncated or corrupted files -------------------------------------------------------------


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(0, path.stat().st_size // 2)])


def scramble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = bytes(b ^ 0xFF for b in data[middle:middle + 8])
    path.write_bytes(bytes(data))


DAMAGE = {
    "vectors.faiss truncated": ("vectors.faiss", truncate),
    "vectors.faiss scrambled": ("vectors.faiss", scramble),
    "vectors.faiss deleted": ("vectors.faiss", Path.unlink),
    "passages.json truncated": ("passages.json", truncate),
    "passages.json scrambled": ("passages.json", scramble),
    "documents.json truncated": ("documents.json", truncate),
    "bm25 scores truncated": ("bm25/data.csc.index.npy", truncate),
    "bm25 vocabulary scrambled": ("bm25/vocab.index.json", scramble),
    "bm25 params emptied": ("bm25/params.index.json", lambda p: p.write_bytes(b"")),
    "glossary scrambled": ("glossary.toml", scramble),
    "manifest truncated": ("manifest.json", truncate),
    "manifest not UTF-8": ("manifest.json", lambda p: p.write_bytes(b"\xff\xfe{" + p.read_bytes())),
    "manifest emptied": ("manifest.json", lambda p: p.write_bytes(b"")),
    "manifest deleted": ("manifest.json", Path.unlink),
}
POINTER_DAMAGE = {
    "CURRENT truncated": lambda p: p.write_bytes(p.read_bytes()[:5]),
    "CURRENT emptied": lambda p: p.write_bytes(b""),
    "CURRENT not UTF-8": lambda p: p.write_bytes(b"\xff\xfe\x00garbage"),
    "CURRENT names a path": lambda p: p.write_text("../../etc\n", encoding="utf-8"),
    "CURRENT deleted": Path.unlink,
}


def damage_build(index_dir: Path, name: str) -> None:
    relative, harm = DAMAGE[name]
    harm(current_build(index_dir) / relative)


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_index_file_is_a_clear_error_naming_the_fix(built, name):
    damage_build(built.index_dir, name)
    with pytest.raises(IndexCorrupt, match="ros1qa build"):
        load_index(built.index_dir)


@pytest.mark.parametrize("name", sorted(POINTER_DAMAGE))
def test_a_damaged_current_pointer_is_a_clear_error_naming_the_fix(built, name):
    POINTER_DAMAGE[name](built.index_dir / CURRENT)
    expected = IndexMissing if name == "CURRENT deleted" else IndexCorrupt
    with pytest.raises(expected, match="ros1qa build"):
        load_index(built.index_dir)


@pytest.mark.parametrize("name", ["vectors.faiss truncated", "bm25 params emptied", "manifest not UTF-8"])
def test_cli_reports_a_damaged_index_in_one_line(cli, built, capsys, name):
    damage_build(built.index_dir, name)
    assert cli("ask", QUESTION) == 1
    assert_one_line_error(capsys, "damaged", "ros1qa build")
    assert cli("check") == 1  # check explains rather than crashes


@pytest.mark.parametrize("name", sorted(POINTER_DAMAGE))
def test_cli_reports_a_damaged_pointer_in_one_line(cli, built, capsys, name):
    POINTER_DAMAGE[name](built.index_dir / CURRENT)
    assert cli("ask", "--jsonl") == 1
    assert_one_line_error(capsys, "ros1qa build")


def test_a_file_damaged_consistently_with_its_checksum_is_still_caught_in_one_line(cli, built, capsys):
    folder = current_build(built.index_dir)
    truncate(folder / "vectors.faiss")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["vectors.faiss"] = hashlib.sha256((folder / "vectors.faiss").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="ros1qa build"):
        load_index(built.index_dir)
    assert cli("ask", QUESTION) == 1
    assert_one_line_error(capsys, "vectors.faiss", "ros1qa build")


# --- (c) a manifest for another model ---------------------------------------------------------------


def test_a_manifest_for_another_model_is_a_mismatch_when_opening_the_engine(cli, built, embedder, capsys):
    folder = current_build(built.index_dir)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["model"] = {**manifest["model"], "id": "sentence-transformers/some-other-model"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="some-other-model.*ros1qa build"):
        Engine(load_index(built.index_dir), embedder, built.retrieval)
    assert cli("ask", QUESTION) == 1
    assert_one_line_error(capsys, "does not fit", "some-other-model", "ros1qa build")


def test_a_model_with_other_dimensions_is_a_mismatch(built):
    engine = Engine(load_index(built.index_dir), HashingEmbedder(dimension=32), built.retrieval)
    with pytest.raises(IndexMismatch, match="64-d.*32-d.*ros1qa build"):
        engine.check_dimension()


# --- (d) a corpus file that is not UTF-8 --------------------------------------------------------------


BAD_FILE = "zz-latin1-page.txt"


def add_latin1_document(corpus_dir: Path) -> None:
    page = "---\ntitle: Caf\xe9\nurl: https://example.org/cafe\n---\nCaf\xe9 cr\xe8me.\n"
    (corpus_dir / BAD_FILE).write_bytes(page.encode("latin-1"))


def test_a_corpus_file_that_is_not_utf8_fails_the_build_and_changes_nothing(built, embedder):
    before = tree(built.index_dir)
    add_latin1_document(built.corpus_dir)
    with pytest.raises(CorpusError, match=BAD_FILE):
        build_index(built, embedder)
    assert tree(built.index_dir) == before
    assert load_index(built.index_dir).folder == current_build(built.index_dir)


def test_a_corpus_file_that_is_not_utf8_fails_the_first_build_without_leaving_an_index(fake_settings, embedder):
    add_latin1_document(fake_settings.corpus_dir)
    with pytest.raises(CorpusError, match=BAD_FILE):
        build_index(fake_settings, embedder)
    assert not fake_settings.index_dir.exists() or tree(fake_settings.index_dir) == {}


def test_cli_build_reports_the_bad_corpus_file_in_one_line(cli, built, capsys):
    before = tree(built.index_dir)
    add_latin1_document(built.corpus_dir)
    assert cli("build") == 1
    assert_one_line_error(capsys, BAD_FILE, "UTF-8")
    assert tree(built.index_dir) == before
