"""Open the engine from settings: the one call the CLI and the app make."""

from __future__ import annotations

from ros1qa.ask import conversation, highlight, lead
from ros1qa.ask.answer_model import load_answer_model
from ros1qa.ask.engine import Engine, Mode
from ros1qa.ask.query_adapter import load_adapter
from ros1qa.ask.small_talk import load_small_talk
from ros1qa.errors import ModelUnavailable
from ros1qa.index.embedding import Embedder, SentenceTransformerEmbedder
from ros1qa.index.onnx_embedding import OnnxEmbedder
from ros1qa.index.onnx_export import export_folder
from ros1qa.index.store import load_index
from ros1qa.safety.urgency import load_urgency
from ros1qa.settings import BACKENDS, Settings


def make_embedder(settings: Settings) -> Embedder:
    """The model on the chosen backend; nothing is loaded until the first encode."""
    if settings.backend == "onnx":
        return OnnxEmbedder(settings.model, export_folder(settings.models_dir, settings.model), settings.threads)
    if settings.backend == "torch":
        return SentenceTransformerEmbedder(settings.model, settings.threads)
    raise ModelUnavailable(f"Unknown backend {settings.backend!r}: use one of {', '.join(BACKENDS)}")


def open_engine(settings: Settings, mode: Mode = "hybrid", embedder: Embedder | None = None) -> Engine:
    """Load the index and the model once, with every learned part the app uses (``embedder``: the settings'
    model unless given); raises IndexUnusable or ModelUnavailable with the fix."""
    index = load_index(settings.index_dir)
    hybrid = mode == "hybrid"
    engine = Engine(index, embedder or make_embedder(settings), settings.retrieval, settings.max_question_chars, mode,
                    load_urgency() if hybrid else None, load_answer_model() if hybrid else None,
                    load_small_talk() if hybrid else None, load_answer_model(conversation.MODEL_FILE) if hybrid else None,
                    load_answer_model(highlight.MODEL_FILE) if hybrid else None, load_adapter() if hybrid else None,
                    load_answer_model(lead.MODEL_FILE) if hybrid else None)
    engine.check_dimension()
    return engine
