"""Example questions: the corpus's labelled questions, as a memory of what its pages answer.

Two uses, both only where a labelled question is like the one asked:

- **Votes** (ranking): the ``NEIGHBOURS`` answerable examples most like the question (cosine of the
  engine's vectors) each vote for the passages holding their answer, with
  ``WEIGHT × (cosine − FLOOR) / NEIGHBOURS``. A question unlike every example gets no vote.
- **Verdicts** (whether to answer): when the closest labelled question is a near paraphrase (cosine
  ≥ ``VERDICT``), its label, answerable or not, is taken over the answer model's judgement.

Pages without labelled questions are judged by the answer model alone. The examples are made by each
build from ``<corpus>/labelled/`` and stored in the build folder; each keeps the file it came from, so
``ros1qa eval`` can score a set without its own questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.labels import Resolved

NEIGHBOURS = 3  # example questions that vote
FLOOR = 0.6  # cosine below which an example is not like the question at all
WEIGHT = 2.0  # votes' weight in the ranking score
VERDICT = 0.7  # cosine from which the closest labelled question's verdict is taken
EXAMPLES_FILE = "labelled.npz"  # in the build folder


@dataclass(frozen=True)
class ExampleQuestions:
    vectors: np.ndarray  # one row per labelled question, as the engine reads it
    sources: np.ndarray  # the file each came from (stem)
    answerable: np.ndarray  # bool per question
    answer_example: np.ndarray  # with answer_passage: example answer_example[i] is answered by …
    answer_passage: np.ndarray  # … passage number answer_passage[i]

    def without(self, sources: Sequence[str]) -> ExampleQuestions:
        """The same examples minus those from ``sources`` (scoring a set without its own questions)."""
        kept = ~np.isin(self.sources, list(sources))
        renumber = np.cumsum(kept) - 1
        pairs = kept[self.answer_example]
        return ExampleQuestions(self.vectors[kept], self.sources[kept], self.answerable[kept],
                                renumber[self.answer_example[pairs]], self.answer_passage[pairs])

    def votes(self, query_vector: np.ndarray) -> dict[int, float]:
        """Passage number → vote, from the answerable examples most like the question (empty if none is)."""
        votes: dict[int, float] = {}
        candidates = np.flatnonzero(self.answerable)
        if not len(candidates):
            return votes
        similar = self.vectors[candidates] @ query_vector
        nearest = np.argsort(-similar, kind="stable")[:NEIGHBOURS]
        for example, cosine in zip(candidates[nearest].tolist(), similar[nearest].tolist()):
            if cosine > FLOOR:
                for passage in self.answer_passage[self.answer_example == example].tolist():
                    votes[passage] = votes.get(passage, 0.0) + WEIGHT * (cosine - FLOOR) / NEIGHBOURS
        return votes

    def verdict(self, query_vector: np.ndarray) -> bool | None:
        """True or False when the closest labelled question is a near paraphrase answerable or not; else None."""
        if not len(self.vectors):
            return None
        similar = self.vectors @ query_vector
        closest = int(np.argmax(similar))
        return bool(self.answerable[closest]) if similar[closest] >= VERDICT else None


def make_examples(resolved: Resolved, vectors: np.ndarray) -> ExampleQuestions:
    """The examples of a build: ``vectors`` are the engine's readings of ``resolved.questions``, in order."""
    pairs = [(number, passage) for number, found in enumerate(resolved.passages) for passage in found]
    return ExampleQuestions(
        np.asarray(vectors, dtype=np.float32).reshape(len(resolved.questions), -1),
        np.array([q.source for q in resolved.questions], dtype=str),
        np.array([q.kind == "answerable" for q in resolved.questions], dtype=bool),
        np.array([e for e, _ in pairs], dtype=np.int32), np.array([p for _, p in pairs], dtype=np.int32))


def save_examples(examples: ExampleQuestions, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, vectors=examples.vectors, sources=examples.sources, answerable=examples.answerable,
                 answer_example=examples.answer_example, answer_passage=examples.answer_passage)


def load_examples(path: Path) -> ExampleQuestions | None:
    """The examples stored at ``path``, or None when there are none."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return ExampleQuestions(data["vectors"], data["sources"], data["answerable"], data["answer_example"],
                                data["answer_passage"])
