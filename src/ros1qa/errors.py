"""Errors the library raises. Edges (CLI, app) turn them into messages."""

from __future__ import annotations

REBUILD_HINT = "Rebuild it with: ros1qa build"


class Ros1qaError(Exception):
    """Base class for every error ros1qa raises on purpose."""


class CorpusError(Ros1qaError):
    """A corpus file cannot be read or parsed; names the file."""


class IndexUnusable(Ros1qaError):
    """Base for problems with the index folder."""


class IndexMissing(IndexUnusable):
    """No built index where one was expected."""

    def __init__(self, where: str) -> None:
        super().__init__(f"No index found at {where}. {REBUILD_HINT}")


class IndexCorrupt(IndexUnusable):
    """An index file is truncated, altered or unreadable."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"The index at {where} is damaged ({detail}). {REBUILD_HINT}")


class IndexMismatch(IndexUnusable):
    """The index was built for another model, schema or settings."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"The index at {where} does not fit this setup ({detail}). {REBUILD_HINT}")


class ModelUnavailable(Ros1qaError):
    """The embedding model cannot be loaded."""
