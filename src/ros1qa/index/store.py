"""The index folder on disk: versioned builds, a manifest, and one atomic switch.

Layout::

    index/
      CURRENT              ← name of the build in use (replaced by one rename)
      <build-id>/
        manifest.json      schema, model, chunker, corpus sha256s, file sha256s
        documents.json     each document's exact text and metadata
        passages.json      passage offsets, sections and sentence offsets
        vectors.faiss      one vector per search unit
        sentences.npy      one vector per sentence unit, the sentence read alone (for the highlight)
        pieces.npy         every passage's content word pieces, read in context (float16; ``pieces``)
        piece_offsets.npy  where each sentence's pieces begin in pieces.npy
        bm25/              the BM25 index (bm25s)
        glossary.toml      the glossary the build was made with
        labelled.npz       the corpus's labelled questions, resolved to passages (when it has any)

A build is written into a temporary folder, renamed to its build id, and only then made current
by replacing ``CURRENT``; a failed or killed build leaves the previous one in use. The build
before the current one is kept for readers that were still loading it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ros1qa.errors import IndexCorrupt, IndexMissing
from ros1qa.index.examples import EXAMPLES_FILE, ExampleQuestions, load_examples, save_examples
from ros1qa.index.glossary import GLOSSARY_FILE, Glossary, parse_glossary
from ros1qa.index.lexical import LexicalIndex
from ros1qa.index.pieces import PassagePieces, first_texts
from ros1qa.index.vectors import load_vector_index, save_vector_index
from ros1qa.ingest.chunking import Passage
from ros1qa.ingest.corpus import Document, sha256_bytes

SCHEMA_VERSION = 1
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
TEMP_PREFIX = ".building-"
LOCK = ".build.lock"
SENTENCES_FILE = "sentences.npy"
PIECES_FILE = "pieces.npy"
PIECE_OFFSETS_FILE = "piece_offsets.npy"


@dataclass(frozen=True)
class IndexContents:
    """Everything a build produces, in memory."""

    manifest: dict[str, Any]  # without "files" and "build_id", which writing adds
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    vectors: Any  # faiss index
    sentences: np.ndarray  # float32, one row per sentence unit in unit order: the sentence read alone
    pieces: PassagePieces
    lexical: LexicalIndex
    glossary_text: str
    examples: ExampleQuestions | None = None  # the corpus's labelled questions, resolved by the build


@dataclass(frozen=True)
class LoadedIndex:
    folder: Path
    manifest: dict[str, Any]
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    vectors: Any
    sentences: np.ndarray
    pieces: PassagePieces | None  # None: a build of an older ros1qa, which stored none (the engine asks for a rebuild)
    lexical: LexicalIndex
    glossary: Glossary
    examples: ExampleQuestions | None = None


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _write_payload(folder: Path, contents: IndexContents) -> None:
    documents = [
        {"doc_id": d.doc_id, "title": d.title, "url": d.url, "publisher": d.publisher, "text": d.text}
        for d in contents.documents
    ]
    passages = [
        {"doc_id": p.doc_id, "section": p.section, "start": p.start, "end": p.end, "sentences": list(p.sentences)}
        for p in contents.passages
    ]
    (folder / "documents.json").write_bytes(_canonical(documents))
    (folder / "passages.json").write_bytes(_canonical(passages))
    (folder / GLOSSARY_FILE).write_text(contents.glossary_text, encoding="utf-8")
    save_vector_index(contents.vectors, folder / "vectors.faiss")
    np.save(folder / SENTENCES_FILE, np.ascontiguousarray(contents.sentences, dtype=np.float32), allow_pickle=False)
    np.save(folder / PIECES_FILE, np.ascontiguousarray(contents.pieces.rows, dtype=np.float16), allow_pickle=False)
    np.save(folder / PIECE_OFFSETS_FILE, np.ascontiguousarray(contents.pieces.offsets, dtype=np.int64), allow_pickle=False)
    contents.lexical.save(folder / "bm25")
    if contents.examples is not None:
        save_examples(contents.examples, folder / EXAMPLES_FILE)


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): sha256_bytes(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_index(index_dir: Path, contents: IndexContents) -> dict[str, Any]:
    """Write a new build and make it current; returns its manifest.

    Builds are serialised by a lock file, so two volunteers rebuilding at once cannot remove each
    other's temporary folder. The previous build is kept, so a replica still loading it is not
    cut off mid-read; older builds and leftovers of killed builds are removed.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous = _current_name(index_dir)
        temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=index_dir))
        temp.chmod(0o755)  # mkdtemp makes it private; replicas running as other users read it
        try:
            _write_payload(temp, contents)
            manifest = {**contents.manifest, "schema_version": SCHEMA_VERSION, "files": _file_hashes(temp)}
            build_id = sha256_bytes(_canonical(manifest))[:16]
            manifest["build_id"] = build_id
            (temp / MANIFEST).write_bytes(_canonical(manifest))
            _fsync_tree(temp)
            final = index_dir / build_id
            if final.exists():
                shutil.rmtree(temp)  # identical build already on disk
            else:
                temp.rename(final)
            pointer = index_dir / f"{CURRENT}.{os.getpid()}.tmp"
            pointer.write_text(build_id + "\n", encoding="utf-8")
            os.replace(pointer, index_dir / CURRENT)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        remove_stale_builds(index_dir, keep={build_id, previous})
    return manifest


def _current_name(index_dir: Path) -> str:
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def remove_stale_builds(index_dir: Path, keep: set[str]) -> None:
    """Delete builds not in ``keep`` and leftovers of interrupted builds (call under the build lock)."""
    for child in index_dir.iterdir():
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(f"{CURRENT}.") and child.name.endswith(".tmp"):
            child.unlink(missing_ok=True)


def current_build(index_dir: Path) -> Path:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        raise IndexMissing(str(index_dir))
    try:
        build_id = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorrupt(str(index_dir), f"{CURRENT} unreadable: {exc}") from exc
    folder = index_dir / build_id
    if not build_id or "/" in build_id or not folder.is_dir():
        raise IndexCorrupt(str(index_dir), f"{CURRENT} names a build that is not there: {build_id!r}")
    return folder


def read_manifest(index_dir: Path) -> dict[str, Any]:
    return _read_manifest(current_build(index_dir))


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(str(folder), f"{MANIFEST} unreadable: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("schema_version") != SCHEMA_VERSION:
        found = manifest.get("schema_version") if isinstance(manifest, dict) else None
        raise IndexCorrupt(str(folder), f"schema version {found!r}, this ros1qa reads {SCHEMA_VERSION}")
    return manifest


def _verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    expected: dict[str, str] = manifest.get("files", {})
    if not expected:
        raise IndexCorrupt(str(folder), "manifest lists no files")
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            raise IndexCorrupt(str(folder), f"{name} is missing")
        if sha256_bytes(path.read_bytes()) != digest:
            raise IndexCorrupt(str(folder), f"{name} does not match its checksum")


def verify_index(index_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The current build's folder and manifest, after checking every file against its checksum."""
    folder = current_build(index_dir)  # read CURRENT once: a build switching meanwhile cannot mix two builds
    manifest = _read_manifest(folder)
    _verify_files(folder, manifest)
    return folder, manifest


def load_index(index_dir: Path) -> LoadedIndex:
    """Read the current build, checking every file against the manifest's checksums."""
    folder, manifest = verify_index(index_dir)
    try:
        documents = tuple(
            Document(d["doc_id"], d["title"], d["url"], d["publisher"], d["text"], ())
            for d in json.loads((folder / "documents.json").read_text(encoding="utf-8"))
        )
        by_id = {d.doc_id: d for d in documents}
        passages = tuple(
            _passage(by_id[p["doc_id"]], p) for p in json.loads((folder / "passages.json").read_text(encoding="utf-8"))
        )
        vectors = load_vector_index(folder / "vectors.faiss")
        sentences = np.load(folder / SENTENCES_FILE, mmap_mode="r", allow_pickle=False)  # rows read as quoted
        pieces = _pieces(folder, manifest, passages)
        lexical = LexicalIndex.load(folder / "bm25")
        glossary = parse_glossary((folder / GLOSSARY_FILE).read_text(encoding="utf-8"))
        examples = load_examples(folder / EXAMPLES_FILE)
    except Exception as exc:  # any failure to read a checksummed file is damage
        raise IndexCorrupt(str(folder), f"{type(exc).__name__}: {exc}") from exc
    return LoadedIndex(folder, manifest, documents, passages, vectors, sentences, pieces, lexical, glossary, examples)


def _pieces(folder: Path, manifest: dict[str, Any], passages: tuple[Passage, ...]) -> PassagePieces | None:
    if PIECES_FILE not in manifest.get("files", {}):
        return None
    offsets = np.load(folder / PIECE_OFFSETS_FILE, allow_pickle=False)
    first = first_texts(passages)
    if len(offsets) != first[-1] + 1:
        raise ValueError(f"{PIECE_OFFSETS_FILE} has {len(offsets)} offsets for {first[-1]} texts")
    return PassagePieces(RowsOnDisk(folder / PIECES_FILE), offsets, first)


class RowsOnDisk:
    """The rows of a 2-d ``.npy`` file, each slice read with one positioned read (thread-safe). A question reads a
    few passages' pieces; a memory map would also make the pages around them resident (the kernel maps
    neighbours on each fault), and the whole file soon counts in the process's memory (``ros1qa bench``)."""

    def __init__(self, path: Path) -> None:
        self._descriptor = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._descriptor)  # closed when the index is dropped (or this fails)
        with open(self._descriptor, "rb", closefd=False) as file:  # the header, through the same descriptor
            version = np.lib.format.read_magic(file)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran_order, self._dtype = read_header(file)
            self._start = file.tell()
        if len(shape) != 2 or fortran_order:
            raise ValueError(f"{path.name}: expected a 2-d array in C order, found shape {shape}")
        self._rows, self._width = shape
        self._row_bytes = self._width * self._dtype.itemsize

    def __len__(self) -> int:
        return int(self._rows)

    def __getitem__(self, rows: slice) -> np.ndarray:
        start, stop, step = rows.indices(self._rows)
        if step != 1:
            raise IndexError("rows are read in runs")
        count = max(0, stop - start)
        data = os.pread(self._descriptor, count * self._row_bytes, self._start + start * self._row_bytes)
        return np.frombuffer(data, dtype=self._dtype).reshape(count, self._width)


def _passage(document: Document, data: dict[str, Any]) -> Passage:
    start, end = int(data["start"]), int(data["end"])
    return Passage(
        document.doc_id, document.title, document.url, data["section"], start, end,
        document.text[start:end], tuple((int(s), int(e)) for s, e in data["sentences"]),
    )
