"""Example questions: patients' questions with the page text that answers them, as a second way in.

A question worded like one already answered is led to the same passage. For each question, the
``NEIGHBOURS`` most similar example questions (cosine of the engine's vectors) each vote for the
passages holding their answer, with ``cosine − FLOOR`` (nothing below it): a question unlike every
example gets no vote and is ranked by retrieval alone. Votes add to the ranking score only,
never to the confidence that decides whether to answer.

The examples are the answerable questions of the labelled sets in ``eval/``, read and resolved to
passages offline (``ros1qa train``) and shipped beside this file for the model, corpus, chunking
and glossary they were resolved for (``scope``); with any other index they are not used. Each keeps
the set it came from, so ``ros1qa eval`` can score a set without its own examples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.chunking import Passage
from ros1qa.errors import Ros1qaError

EXAMPLES_FILE = Path(__file__).with_name("example_questions.npz")
NEIGHBOURS = 3  # example questions that vote
FLOOR = 0.5  # cosine below which an example is not like the question at all
WEIGHT = 1.0  # votes' weight in the ranking score (README: How it finds an answer)


@dataclass(frozen=True)
class ExampleQuestions:
    model_id: str
    scope: str  # corpus_scope of the index the answers were resolved in
    vectors: np.ndarray  # one row per example question, as the engine reads it
    sources: np.ndarray  # the question set each came from (file stem)
    answer_example: np.ndarray  # with answer_passage: example answer_example[i] is answered by …
    answer_passage: np.ndarray  # … passage number answer_passage[i] of that index

    def without(self, sources: Sequence[str]) -> ExampleQuestions:
        """The same examples minus those from ``sources`` (scoring a set without its own questions)."""
        kept = ~np.isin(self.sources, list(sources))
        renumber = np.cumsum(kept) - 1
        pairs = kept[self.answer_example]
        return ExampleQuestions(self.model_id, self.scope, self.vectors[kept], self.sources[kept],
                                renumber[self.answer_example[pairs]], self.answer_passage[pairs])

    def votes(self, query_vector: np.ndarray) -> dict[int, float]:
        """Passage number → vote, from the example questions most like the question (empty if none is)."""
        votes: dict[int, float] = {}
        if not len(self.vectors):
            return votes
        similar = self.vectors @ query_vector
        nearest = np.argsort(-similar, kind="stable")[:NEIGHBOURS]
        for example, cosine in zip(nearest.tolist(), similar[nearest].tolist()):
            if cosine > FLOOR:
                for passage in self.answer_passage[self.answer_example == example].tolist():
                    votes[passage] = votes.get(passage, 0.0) + WEIGHT * (cosine - FLOOR) / NEIGHBOURS
        return votes


def resolve(questions: Sequence[tuple[str, str, tuple[str, ...]]], passages: Sequence[Passage],
            contains: Callable[[str, str], bool]) -> tuple[list[int], list[int], list[int]]:
    """Which passages answer each (source, question, gold) example: those whose text contains a gold string.

    Returns the examples kept (each answered by some passage) and the (example, passage) pairs, the
    examples numbered among those kept.
    """
    kept: list[int] = []
    pairs_example: list[int] = []
    pairs_passage: list[int] = []
    for number, (_, _, gold) in enumerate(questions):
        found = [p for p, passage in enumerate(passages) if any(contains(g, passage.text) for g in gold)]
        if found:
            pairs_example += [len(kept)] * len(found)
            pairs_passage += found
            kept.append(number)
    return kept, pairs_example, pairs_passage


def build_examples(eval_dir: Path, read: Callable[[list[str]], np.ndarray], model_id: str, scope: str,
                   passages: Sequence[Passage]) -> ExampleQuestions:
    """The answerable questions of ``eval_dir``'s sets, read by ``read`` and resolved to ``passages``."""
    from ros1qa.evaluation import answers, question_sets

    questions = [(q.source, q.question, q.gold) for q in question_sets(eval_dir) if q.kind == "answerable"]
    kept, pairs_example, pairs_passage = resolve(questions, passages, answers)
    if not kept:
        raise Ros1qaError(f"{eval_dir} has no answerable question whose gold text is in the pages")
    chosen = [questions[number] for number in kept]
    return ExampleQuestions(model_id, scope, read([question for _, question, _ in chosen]).astype(np.float32),
                            np.array([source for source, _, _ in chosen]), np.array(pairs_example, dtype=np.int32),
                            np.array(pairs_passage, dtype=np.int32))


def save_examples(examples: ExampleQuestions, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, model_id=np.array(examples.model_id), scope=np.array(examples.scope), vectors=examples.vectors,
                 sources=examples.sources, answer_example=examples.answer_example,
                 answer_passage=examples.answer_passage)


def load_examples(path: Path = EXAMPLES_FILE) -> ExampleQuestions | None:
    """The shipped examples, or None when there are none (retrieval alone ranks)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return ExampleQuestions(str(data["model_id"]), str(data["scope"]), data["vectors"], data["sources"],
                                data["answer_example"], data["answer_passage"])
