"""Split a span of text into sentences, as exact (start, end) offsets."""

from __future__ import annotations

import re

from ros1qa.ingest.parsing import LIST_MARKER

ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "fig", "al", "approx", "dept", "inc", "ltd", "jr", "sr", "prof", "u.s", "mg", "ca"]
)
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def _ends_with_abbreviation(text: str, end: int) -> bool:
    word_start = max(text.rfind(" ", 0, end), text.rfind("(", 0, end)) + 1
    word = text[word_start:end].rstrip(".").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]``; a leading list marker is not part of the first one."""
    marker = LIST_MARKER.match(text, start, end)
    cursor = marker.end() if marker else start
    spans: list[tuple[int, int]] = []
    for match in SENTENCE_END.finditer(text, cursor, end):
        if _ends_with_abbreviation(text, match.start() + 1) and match.group()[0] == ".":
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]
