"""The answer: status, fixed message or verbatim quoted passages with citations and highlights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["answered", "not_found", "urgent"]


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
    def citation(self) -> str:
        place = f"{self.title} › {self.section}" if self.section else self.title
        return f"{place}, {self.url}"

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "message": self.message,
            "passages": [quote.to_dict() for quote in self.quotes],
        }
