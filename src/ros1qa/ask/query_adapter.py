"""How a question is searched: the question's vector turned towards the passages that answer such questions.

The embedding model reads a question and a passage the same way, but a question ("can I still work on it?")
and the sentence that answers it ("Most people keep working…") are worded differently. A linear map of the
question's vector, learned across many pages from labelled questions and the passages that answer them
(``ros1qa train``; ``query_adapter.npz``), turns it towards answering passages: ``normalise(matrix @ q)``.
Passages and the index are untouched; only the vector searched with changes, and only in the hybrid
engine. Everything that compares questions with questions or reads what a question is (example questions,
the emergency classifier, small talk, the question prior) keeps the model's own vector. The map stays
close to the identity (its distance is penalised), so a question it has never seen kind of is searched
much as before. Measured leaving pages out (docs/quality.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

ADAPTER_FILE = Path(__file__).with_name("query_adapter.npz")
VERSION = "query-adapter-v1"


@dataclass(frozen=True)
class QueryAdapter:
    model_id: str  # the embedding model whose vectors it maps
    matrix: np.ndarray  # float32, dimension × dimension
    questions: int  # labelled questions it was learned from
    pages: tuple[str, ...]  # the pages they were about
    version: str = VERSION

    def usable_with(self, model_id: str, dimension: int) -> bool:
        return self.model_id == model_id and self.version == VERSION and self.matrix.shape == (dimension, dimension)

    def apply(self, vector: np.ndarray) -> np.ndarray:
        """The vector searched with: the map of ``vector``, of length 1 (float32)."""
        mapped = self.matrix @ np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(mapped))
        return (mapped / norm).astype(np.float32) if norm > 0 else np.asarray(vector, dtype=np.float32)


def save_adapter(adapter: QueryAdapter, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, model_id=np.array(adapter.model_id), matrix=adapter.matrix.astype(np.float32),
                 questions=np.array(adapter.questions), pages=np.array(adapter.pages, dtype=str),
                 version=np.array(adapter.version))


def load_adapter(path: Path = ADAPTER_FILE) -> QueryAdapter | None:
    """The adapter saved at ``path``, or None when there is none."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return QueryAdapter(str(data["model_id"]), data["matrix"].astype(np.float32), int(data["questions"]),
                            tuple(str(p) for p in data["pages"]), str(data["version"]))
