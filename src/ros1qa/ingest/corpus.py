"""Read corpus documents: text plus title, source URL and publisher.

Supported files in the corpus folder:
- ``.txt`` and ``.md`` with a small front-matter header::

      ---
      title: Page title
      url: https://example.org/page
      publisher: Who published it
      ---
      Body text, kept character for character.

- ``.html`` pages, parsed with BeautifulSoup; title, URL and publisher come from
  ``<title>``, ``<link rel="canonical">`` and ``<meta name="publisher">`` (or
  ``og:title`` / ``og:url`` / ``og:site_name``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ros1qa.errors import CorpusError
from ros1qa.ingest.html_parsing import parse_html
from ros1qa.ingest.parsing import Block, parse_markdown, parse_plain_text

DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm")
REQUIRED_FIELDS = ("title", "url")


@dataclass(frozen=True)
class Document:
    """One source page: its exact text, where it came from, and its block structure."""

    doc_id: str
    title: str
    url: str
    publisher: str
    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class CorpusFile:
    """A corpus file's path (relative to the corpus folder) and its sha256."""

    name: str
    sha256: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def list_corpus_files(corpus_dir: Path) -> list[Path]:
    """Document files in the corpus folder, in a stable order."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"Corpus folder not found: {corpus_dir}")
    return sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


def fingerprint(corpus_dir: Path) -> tuple[CorpusFile, ...]:
    """sha256 of every document file, keyed by its path relative to the corpus folder."""
    return tuple(
        CorpusFile(path.relative_to(corpus_dir).as_posix(), sha256_bytes(path.read_bytes()))
        for path in list_corpus_files(corpus_dir)
    )


def load_corpus(corpus_dir: Path) -> tuple[Document, ...]:
    """Every document in the corpus folder; raises CorpusError naming the bad file."""
    documents = tuple(load_document(path, corpus_dir) for path in list_corpus_files(corpus_dir))
    if not documents:
        raise CorpusError(f"No documents ({', '.join(DOCUMENT_SUFFIXES)}) in {corpus_dir}")
    return documents


def load_document(path: Path, corpus_dir: Path) -> Document:
    doc_id = path.relative_to(corpus_dir).as_posix()
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{doc_id} is not valid UTF-8 (byte {exc.start}); save it as UTF-8 and rebuild") from exc
    if path.suffix.lower() in (".html", ".htm"):
        meta, text, blocks = parse_html(raw)
    else:
        meta, body = split_front_matter(raw, doc_id)
        text = body
        blocks = parse_markdown(body) if path.suffix.lower() == ".md" else parse_plain_text(body)
    missing = [field for field in REQUIRED_FIELDS if not meta.get(field)]
    if missing:
        raise CorpusError(f"{doc_id} has no {' or '.join(missing)} in its metadata")
    return Document(
        doc_id=doc_id,
        title=meta["title"],
        url=meta["url"],
        publisher=meta.get("publisher", ""),
        text=text,
        blocks=blocks,
    )


def split_front_matter(raw: str, doc_id: str) -> tuple[dict[str, str], str]:
    """Split a ``---`` key: value header from the body; the body is returned unchanged."""
    if not raw.startswith("---\n"):
        raise CorpusError(f"{doc_id} needs a metadata header (---, title:, url:, publisher:, ---)")
    end = raw.find("\n---\n", 3)
    if end < 0:
        raise CorpusError(f"{doc_id}: metadata header is not closed with a '---' line")
    meta: dict[str, str] = {}
    for line in raw[4:end].splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise CorpusError(f"{doc_id}: metadata line without 'key: value': {line!r}")
        meta[key.strip().lower()] = value.strip()
    return meta, raw[end + len("\n---\n"):]
