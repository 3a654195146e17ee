"""Open the engine from settings: the one call the CLI and the app make."""

from __future__ import annotations

from ros1qa.embedding import SentenceTransformerEmbedder
from ros1qa.engine import Engine, Mode
from ros1qa.settings import Settings
from ros1qa.store import load_index


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(settings.model, settings.backend, settings.threads)


def open_engine(settings: Settings, mode: Mode = "hybrid") -> Engine:
    """Load the index and the model once; raises IndexUnusable or ModelUnavailable with the fix."""
    index = load_index(settings.index_dir)
    engine = Engine(index, make_embedder(settings), settings.retrieval, settings.max_question_chars, mode)
    engine.check_dimension()
    return engine
