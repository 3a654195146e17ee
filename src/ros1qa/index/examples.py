"""Example questions: the corpus's labelled questions, as a memory of what its pages answer.

Three uses, each only where labelled questions speak to the question asked:

- **Votes** (ranking): the ``NEIGHBOURS`` answerable examples most like the question (cosine of the
  engine's vectors) each vote for the passages holding their answer, with
  ``WEIGHT × (cosine − FLOOR) / NEIGHBOURS``. A question unlike every example gets no vote.
- **Verdicts** (whether to answer): when the closest labelled question is a near paraphrase (cosine
  ≥ ``VERDICT``), its label, answerable or not, is taken over the answer model's judgement; "not answered"
  only when the answer would be quoted from the page it was said of, or for nearly the same question
  (``SAME_QUESTION``): a page added later may answer a question merely like it.
- **What a page answers**: for a page with enough labelled questions of both kinds, a logistic regression
  over the question's vector learns which questions that page answers ("How is ROS1 tested?" comes close
  to a page about ROS1 and immunotherapy without being answered there). It judges only questions whose
  answer would be quoted from that page, and only refuses: a page without labelled questions is judged
  by the answer model alone, and a question is never refused because it is unlike one page's questions.

The examples are made by each build from ``<corpus>/labelled/`` and stored in the build folder; each keeps the file it came from, so
``ros1qa eval`` can score a set without its own questions.

**Scale.** ``FLOOR``, ``VERDICT`` and ``SAME_QUESTION`` are cosines of the bundled model. Another model spreads its
cosines differently (the tuned model's, for the same pairs of questions, lie about 0.1 lower), so its cosines for
"alike" are carried over: each threshold becomes the other model's cosine at the same quantile of the cosines between
unrelated messages (``ExampleScale.carried_over``; learned by ``ros1qa train``, shipped beside this file as
``SCALE_FILE``, and stored with each build's examples).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass, field, replace
from pathlib import Path

import numpy as np

from ros1qa.index.classifier import VectorClassifier, train_logistic
from ros1qa.index.labels import Resolved

NEIGHBOURS = 3  # example questions that vote
FLOOR = 0.6  # cosine below which an example is not like the question at all
WEIGHT = 2.0  # votes' weight in the ranking score
VERDICT = 0.7  # cosine from which the closest labelled question's verdict is taken
SAME_QUESTION = 0.85  # cosine from which a near miss's verdict holds whichever page the answer would come from
PAGE_MINIMUM = (20, 10)  # answerable and unanswerable labelled questions a page needs for a model of its own
PAGE_THRESHOLD = 0.3  # below this probability a page's model says the page does not answer the question
PAGE_REGULARISATION = 10.0  # scikit-learn's C
EXAMPLES_FILE = "labelled.npz"  # in the build folder
SCALE_FILE = Path(__file__).with_name("example_scale.json")  # a model's own scale, learned by ``ros1qa train``


@dataclass(frozen=True)
class ExampleScale:
    """The cosines at which the engine's model calls two questions alike: the bundled model's unless learned."""

    floor: float = FLOOR
    verdict: float = VERDICT
    same_question: float = SAME_QUESTION

    def carried_over(self, reference: np.ndarray, target: np.ndarray) -> ExampleScale:
        """This scale for another model: ``reference`` and ``target`` are the cosines of the same pairs of unrelated
        messages by this scale's model and by the other; each threshold moves to the other's cosine at its quantile."""
        ordered = np.sort(np.asarray(reference, dtype=np.float64))

        def carry(cosine: float) -> float:
            return round(float(np.quantile(target, np.searchsorted(ordered, cosine) / len(ordered))), 4)

        return ExampleScale(carry(self.floor), carry(self.verdict), carry(self.same_question))


def save_scale(scale: ExampleScale, model_id: str, path: Path) -> None:
    path.write_text(json.dumps({"model_id": model_id, **asdict(scale)}, indent=1) + "\n", encoding="utf-8")


def load_scale(model_id: str, path: Path | None = None) -> ExampleScale | None:
    """The scale learned for ``model_id`` (in ``path``, else the shipped ``SCALE_FILE``), or None: the bundled
    model's thresholds hold."""
    path = path or SCALE_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.pop("model_id", None) != model_id:
        return None
    return ExampleScale(**{name: float(value) for name, value in data.items()})


@dataclass(frozen=True)
class ExampleQuestions:
    vectors: np.ndarray  # one row per labelled question, as the engine reads it
    sources: np.ndarray  # the file each came from (stem)
    answerable: np.ndarray  # bool per question
    answer_example: np.ndarray  # with answer_passage: example answer_example[i] is answered by …
    answer_passage: np.ndarray  # … passage number answer_passage[i]
    pages: np.ndarray = field(default_factory=lambda: np.array([], dtype=str))  # the document each is about
    model_pages: np.ndarray = field(default_factory=lambda: np.array([], dtype=str))  # pages with a model of their own
    page_weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # one row each: weights, then bias
    scale: ExampleScale = ExampleScale()

    def without(self, sources: Sequence[str]) -> ExampleQuestions:
        """The same examples minus those from ``sources`` (scoring a set without its own questions); the pages'
        models are learned again without them."""
        kept = ~np.isin(self.sources, list(sources))
        renumber = np.cumsum(kept) - 1
        pairs = kept[self.answer_example]
        pages = self.pages[kept] if len(self.pages) else self.pages
        return with_page_models(ExampleQuestions(self.vectors[kept], self.sources[kept], self.answerable[kept],
                                                 renumber[self.answer_example[pairs]], self.answer_passage[pairs], pages,
                                                 scale=self.scale))

    def covers(self, query_vector: np.ndarray, page: str) -> bool | None:
        """Whether ``page``'s own model says the page answers the question (None: the page has no model)."""
        found = np.flatnonzero(self.model_pages == page)
        if not len(found):
            return None
        row = self.page_weights[found[0]]
        return VectorClassifier("", row[:-1], float(row[-1]), PAGE_THRESHOLD, 0).holds(query_vector)

    def votes(self, query_vector: np.ndarray) -> dict[int, float]:
        """Passage number → vote, from the answerable examples most like the question (empty if none is)."""
        votes: dict[int, float] = {}
        candidates = np.flatnonzero(self.answerable)
        if not len(candidates):
            return votes
        similar = self.vectors[candidates] @ query_vector
        nearest = np.argsort(-similar, kind="stable")[:NEIGHBOURS]
        for example, cosine in zip(candidates[nearest].tolist(), similar[nearest].tolist()):
            if cosine > self.scale.floor:
                for passage in self.answer_passage[self.answer_example == example].tolist():
                    votes[passage] = votes.get(passage, 0.0) + WEIGHT * (cosine - self.scale.floor) / NEIGHBOURS
        return votes

    def verdict(self, query_vector: np.ndarray, page: str = "") -> bool | None:
        """True or False when the closest labelled question is a near paraphrase answerable or not; else None.
        "Not answered" was said of the page that question is about: when the answer would be quoted from another
        (``page``, the lead passage's), it holds only for nearly the same question (``SAME_QUESTION``); for one
        merely like it, that other page may answer it, and the answer model judges (None)."""
        if not len(self.vectors):
            return None
        similar = self.vectors @ query_vector
        closest = int(np.argmax(similar))
        if similar[closest] < self.scale.verdict:
            return None
        elsewhere = bool(page) and len(self.pages) > 0 and self.pages[closest] not in ("", page)
        if not self.answerable[closest] and elsewhere and similar[closest] < self.scale.same_question:
            return None
        return bool(self.answerable[closest])


def make_examples(resolved: Resolved, vectors: np.ndarray, pages: Sequence[str],
                  scale: ExampleScale = ExampleScale()) -> ExampleQuestions:
    """The examples of a build: ``vectors`` are the engine's readings of ``resolved.questions``, in order, ``pages``
    the document each is about (its answer's, or as labelled; "" when neither says), ``scale`` the model's."""
    pairs = [(number, passage) for number, found in enumerate(resolved.passages) for passage in found]
    return with_page_models(ExampleQuestions(
        np.asarray(vectors, dtype=np.float32).reshape(len(resolved.questions), -1),
        np.array([q.source for q in resolved.questions], dtype=str),
        np.array([q.kind == "answerable" for q in resolved.questions], dtype=bool),
        np.array([e for e, _ in pairs], dtype=np.int32), np.array([p for _, p in pairs], dtype=np.int32),
        np.array(list(pages), dtype=str), scale=scale))


def with_page_models(examples: ExampleQuestions) -> ExampleQuestions:
    """``examples`` with a model for each page that has ``PAGE_MINIMUM`` labelled questions of each kind."""
    names, rows = [], []
    for page in sorted(set(examples.pages.tolist()) - {""}):
        mine = examples.pages == page
        answerable = int(np.count_nonzero(examples.answerable[mine]))
        if answerable >= PAGE_MINIMUM[0] and int(np.count_nonzero(mine)) - answerable >= PAGE_MINIMUM[1]:
            fitted = train_logistic(examples.vectors[mine], examples.answerable[mine].tolist(), "", PAGE_REGULARISATION,
                                    PAGE_THRESHOLD)
            names.append(page)
            rows.append(np.append(fitted.weights, fitted.bias))
    weights = np.stack(rows) if rows else np.zeros((0, examples.vectors.shape[1] + 1))
    return replace(examples, model_pages=np.array(names, dtype=str), page_weights=weights)


def save_examples(examples: ExampleQuestions, path: Path) -> None:
    """Saved as ``np.savez`` arrays; the scale only when it is not the bundled model's (whose builds stay as they were)."""
    scale = {} if examples.scale == ExampleScale() else {"scale": np.array(astuple(examples.scale))}
    with path.open("wb") as file:
        np.savez(file, vectors=examples.vectors, sources=examples.sources, answerable=examples.answerable,
                 answer_example=examples.answer_example, answer_passage=examples.answer_passage, pages=examples.pages,
                 model_pages=examples.model_pages, page_weights=examples.page_weights, **scale)


def load_examples(path: Path) -> ExampleQuestions | None:
    """The examples stored at ``path``, or None when there are none."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        scale = ExampleScale(*(float(c) for c in data["scale"])) if "scale" in data.files else ExampleScale()
        return ExampleQuestions(data["vectors"], data["sources"], data["answerable"], data["answer_example"],
                                data["answer_passage"], data["pages"], data["model_pages"], data["page_weights"], scale)
