"""The answer: status, fixed message or verbatim quoted passages with citations and highlights."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["answered", "not_found", "urgent", "small_talk"]
# Line ends to some readers (NEL, U+2028, U+2029) and what UTF-8 cannot encode (lone surrogates, e.g. from
# undecodable stdin bytes) are written as JSON escapes, so each answer stays one valid UTF-8 line.
UNSAFE_IN_JSONL = re.compile("[\x85\u2028\u2029\ud800-\udfff]")


@dataclass(frozen=True)
class Quote:
    """A passage shown word for word: ``text`` is exactly ``document_text[start:end]``."""

    text: str
    document: str
    title: str
    section: str
    url: str
    score: float
    start: int
    end: int
    highlight: tuple[tuple[int, int], ...]  # character ranges within ``text``

    @property
    def label(self) -> str:
        """Where the quote comes from: 'Title › Section' (the title alone outside any section)."""
        return f"{self.title} › {self.section}" if self.section else self.title

    @property
    def citation(self) -> str:
        return f"{self.label}, {self.url}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "document": self.document,
            "title": self.title,
            "section": self.section,
            "url": self.url,
            "score": round(self.score, 4),
            "start": self.start,
            "end": self.end,
            "highlight": [list(span) for span in self.highlight],
        }


@dataclass(frozen=True)
class Answer:
    question: str
    status: Status
    message: str
    quotes: tuple[Quote, ...] = ()
    read_with: tuple[str, ...] = ()  # the earlier messages of the conversation it was read with (oldest first)
    read_as: str = ""  # the text searched with, when not the question itself (a follow-up read with earlier turns)

    @property
    def searched(self) -> str:
        """The text the engine searched with: the question itself when it was read alone."""
        return self.read_as or self.question

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "read_as": self.searched,
            "status": self.status,
            "message": self.message,
            "passages": [quote.to_dict() for quote in self.quotes],
        }

    def to_jsonl(self) -> str:
        """The answer as one line of UTF-8 JSON: the ``ros1qa ask --jsonl`` contract."""
        encoded = json.dumps(self.to_dict(), ensure_ascii=False)
        return UNSAFE_IN_JSONL.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
