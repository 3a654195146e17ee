"""Group a document's blocks into passages that know their section, with exact offsets.

Rules: a passage is a paragraph; a lead-in paragraph keeps the list (or quote after a colon)
that follows it; a paragraph shorter than ``min_passage_chars`` joins the passage before it in
its section ("The study was closed…" means nothing without the paragraph naming the study); a
paragraph longer than ``max_passage_chars`` is cut at sentence boundaries.
Always ``document.text[p.start:p.end] == p.text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ros1qa.ingest.corpus import Document
from ros1qa.ingest.parsing import Block
from ros1qa.ingest.sentences import split_sentences
from ros1qa.settings import ChunkerSettings


@dataclass(frozen=True)
class Passage:
    """A verbatim span of one document, with its sentences as document offsets."""

    doc_id: str
    title: str
    url: str
    section: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]

    def span_text(self, start: int, end: int) -> str:
        """The passage's words between two document offsets."""
        return self.text[start - self.start:end - self.start]

    def sentence_texts(self) -> list[str]:
        """Each sentence's words, in order."""
        return [self.span_text(start, end) for start, end in self.sentences]


def chunk_document(document: Document, settings: ChunkerSettings) -> list[Passage]:
    """Passages of one document, in reading order."""
    text = document.text
    passages: list[Passage] = []
    section = ""
    group: list[Block] = []

    def flush() -> None:
        if group:
            passages.extend(_make_passages(document, section, group, settings))
            group.clear()

    previous: Block | None = None
    lead_in_open = False
    for block in document.blocks:
        if block.kind == "heading":
            flush()
            heading = text[block.start:block.end].strip()
            section = "" if heading == document.title.strip() else heading
            previous, lead_in_open = block, False
            continue
        lead_in = block.kind == "paragraph" and text[block.start:block.end].rstrip().endswith(":")
        short = block.kind == "paragraph" and not lead_in and block.end - block.start < settings.min_passage_chars
        attaches = previous is not None and previous.kind != "heading" and (
            block.kind == "list_item" or lead_in_open or short
        )
        if not attaches:
            flush()
        lead_in_open = lead_in and not attaches
        group.append(block)
        previous = block
    flush()
    return passages


def _make_passages(document: Document, section: str, blocks: list[Block], settings: ChunkerSettings) -> list[Passage]:
    text = document.text
    sentences = [span for block in blocks for span in split_sentences(text, block.start, block.end)]
    pieces: list[list[tuple[int, int]]] = [[]]
    for span in sentences:
        current = pieces[-1]
        if current and span[1] - current[0][0] > settings.max_passage_chars:
            pieces.append([])
        pieces[-1].append(span)
    result = []
    for index, spans in enumerate(piece for piece in pieces if piece):
        start = blocks[0].start if index == 0 else spans[0][0]
        end = blocks[-1].end if index == len(pieces) - 1 else spans[-1][1]
        result.append(
            Passage(document.doc_id, document.title, document.url, section, start, end, text[start:end], tuple(spans))
        )
    return result


def chunk_corpus(documents: tuple[Document, ...], settings: ChunkerSettings) -> tuple[Passage, ...]:
    return tuple(p for document in documents for p in chunk_document(document, settings))
