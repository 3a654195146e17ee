"""Turn a document's text into blocks: headings, paragraphs and list items, with exact offsets.

Plain text and Markdown keep their text as written; offsets point into it. HTML is parsed (``html_parsing``) with
BeautifulSoup into one text (block texts joined by blank lines) whose offsets the blocks carry.
Page chrome such as "top of page" or "19 views0 comments" is recognised and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item"]

BOILERPLATE = re.compile(
    r"(?:top of page|bottom of page|skip to (?:main )?content|\d+\s*views?\s*\d+\s*comments?"
    r"|\d+\s*views?|\d+\s*comments?|recent posts|see all)",
    re.IGNORECASE,
)
LIST_MARKER = re.compile(r"(?:\d{1,3}[.)]|[-*•●▪–])\s+")
NON_BLANK_RUN = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
LINE = re.compile(r"[^\n]*\S[^\n]*")
MD_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
HEADING_MAX_WORDS = 12
HEADING_BAD_ENDINGS = tuple('.,;:!"”’)')
# A line ending in one of these words runs on into the next: a hard-wrapped sentence, not a heading above it.
RUNS_ON = frozenset(
    ["a", "an", "the", "and", "or", "but", "of", "to", "in", "for", "with", "on", "at", "by", "from", "as", "is", "are",
     "was", "were", "be", "that", "which", "who", "than", "if", "when", "your", "their", "its", "this", "these"]
)


@dataclass(frozen=True)
class Block:
    """A span of the document text: ``text[start:end]`` is the block, stripped of outer space."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_boilerplate(span_text: str) -> bool:
    return BOILERPLATE.fullmatch(span_text.strip()) is not None


def _without_chrome(text: str, start: int, end: int) -> tuple[int, int]:
    """The span less page-chrome lines at its start and end (empty when it is all chrome)."""
    lines = [m for m in LINE.finditer(text, start, end) if not _is_boilerplate(m.group())]
    if not lines:
        return start, start
    return _strip_span(text, lines[0].start(), lines[-1].end())


def _looks_like_heading(span_text: str) -> bool:
    words = span_text.split()
    return (
        0 < len(words) <= HEADING_MAX_WORDS
        and "\n" not in span_text
        and not span_text.endswith(HEADING_BAD_ENDINGS)
        and (span_text[0].isupper() or span_text[0].isdigit())
        and LIST_MARKER.match(span_text) is None
    )


def _heading_above(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The run's first line when it is a heading written directly above its text, with no blank line between
    ("Ear infections\nTreatment that lowers…"): it looks like a heading, does not run on into the next line (which
    starts as a new sentence or list item does), and something follows it. None otherwise."""
    lines = list(islice(LINE.finditer(text, start, end), 2))  # the first two: a block may be a long paragraph
    if len(lines) < 2:
        return None
    first, following = lines[0].group().strip(), lines[1].group().strip()
    last_word = first.split()[-1].lower()  # a line holds a word (LINE)
    starts_anew = following[:1].isupper() or following[:1].isdigit() or LIST_MARKER.match(following) is not None
    if _looks_like_heading(first) and starts_anew and last_word not in RUNS_ON:
        return _strip_span(text, lines[0].start(), lines[0].end())
    return None


def _line_blocks(text: str, start: int, end: int) -> list[Block]:
    """A run of non-blank lines: list items line by line, otherwise one paragraph."""
    lines = [(m.start() + start, m.end() + start) for m in LINE.finditer(text[start:end])]
    if len(lines) > 1 and all(LIST_MARKER.match(text[s:e].lstrip()) for s, e in lines):
        return [Block("list_item", *_strip_span(text, s, e)) for s, e in lines]
    kind: BlockKind = "list_item" if LIST_MARKER.match(text[start:end]) else "paragraph"
    return [Block(kind, start, end)]


def parse_plain_text(text: str) -> tuple[Block, ...]:
    """Blocks of plain text: blank lines separate blocks; short unpunctuated lines are headings, alone or
    directly above their text."""
    blocks: list[Block] = []
    seen_heading = False
    for run in NON_BLANK_RUN.finditer(text):
        start, end = _without_chrome(text, run.start(), run.end())
        span_text = text[start:end]
        if not span_text:
            continue
        heading = (start, end) if _looks_like_heading(span_text) else _heading_above(text, start, end)
        if heading is not None:
            blocks.append(Block("heading", *heading, level=2 if seen_heading else 1))
            seen_heading = True
            start, end = _strip_span(text, heading[1], end)
            if start >= end:
                continue
        blocks.extend(_line_blocks(text, start, end))
    return tuple(blocks)


def parse_markdown(text: str) -> tuple[Block, ...]:
    """Blocks of Markdown: ``#`` lines are headings, blank lines separate paragraphs."""
    blocks: list[Block] = []
    for run in NON_BLANK_RUN.finditer(text):
        start, end = _strip_span(text, run.start(), run.end())
        pending = start
        for line in LINE.finditer(text, start, end):
            heading = MD_HEADING.fullmatch(line.group().strip())
            if heading is None:
                continue
            if pending < line.start():
                blocks.extend(_paragraphs(text, pending, line.start()))
            title_start = line.start() + line.group().index(heading.group(2)) if heading.group(2) else line.end()
            blocks.append(Block("heading", title_start, title_start + len(heading.group(2)), len(heading.group(1))))
            pending = line.end()
        if pending < end:
            blocks.extend(_paragraphs(text, pending, end))
    return tuple(block for block in blocks if block.end > block.start)


def _paragraphs(text: str, start: int, end: int) -> list[Block]:
    start, end = _without_chrome(text, start, end)
    if start >= end:
        return []
    return _line_blocks(text, start, end)
