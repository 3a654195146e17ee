"""Small talk: greetings, thanks, "what can you do?", frustration, "tell me more" — not questions to search.

A multinomial logistic regression over the vector the model already made of the message (one matrix
product, no encode): one class per kind of small talk (``INTENTS``) and one for everything else, a
question to search. It is trained offline (``ros1qa train``) on general chat messages written blind
(``training/messages/small_talk*``) and, for the other side, every labelled question and message about many
topics, and ships beside this file. A message is small talk only when the model is sure
(``THRESHOLD``): a question taken for small talk would lose its answer. A message that asks nothing
(``question_kind.asks_something``) has none to lose: it is small talk when more likely so than not (``LEANING``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.errors import Ros1qaError
from ros1qa.index.labels import read_json_lines

MODEL_FILE = Path(__file__).with_name("small_talk_classifier.npz")
INTENTS = ("greeting", "thanks", "goodbye", "capabilities", "identity", "frustration", "acknowledgement", "more")
# Kinds of small talk that ask something of the assistant. After a question, a message the model takes for
# one of them only just (below ``SURE``) may be a follow-up ("why?" reads like frustration, "how does it
# work?" like asking what the assistant does): the engine answers it as a follow-up when the follow-up model
# says it continues the question and the pages answer it so read. "Are you a real person?" is sure.
ASKING = frozenset({"capabilities", "identity", "frustration"})
SURE = 0.9
# "How does it work?" reads, surely, like asking what the assistant does; after a question, a word that points back
# ("it", "this": ``conversation.REFERRING``) may point at what was asked about. Not for frustration, which points back
# at the answer ("that's not what I wanted").
POINTING = frozenset({"capabilities"})
QUESTION = "question"  # the class of every message that is not small talk
THRESHOLD = 0.8  # probability of small talk (all intents together) at or above which a message is small talk
# A message that asks nothing ("ok thanks thats reassuring") is small talk when more likely so than a question: the
# threshold above protects questions, and it has none to lose.
LEANING = 0.5
REGULARISATION = 10.0  # scikit-learn's C


@dataclass(frozen=True)
class SmallTalkModel:
    model_id: str  # the embedding model whose vectors it reads
    classes: tuple[str, ...]  # INTENTS that had examples, then QUESTION
    weights: np.ndarray  # classes × dimension
    bias: np.ndarray  # one per class
    threshold: float
    examples: int

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        logits = self.weights @ vector + self.bias
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def intent(self, vector: np.ndarray, threshold: float | None = None) -> str | None:
        """The kind of small talk a message is (one of ``INTENTS``), or None for a question to search (``threshold``:
        the probability of small talk it needs, by default the model's own; ``LEANING`` for a message that asks
        nothing)."""
        probabilities = self.probabilities(vector)
        question = self.classes.index(QUESTION)
        if 1.0 - probabilities[question] < (self.threshold if threshold is None else threshold):
            return None
        probabilities[question] = -1.0
        return self.classes[int(probabilities.argmax())]

    def unsure(self, vector: np.ndarray) -> bool:
        """Whether a message read as small talk is so only just (below ``SURE``): after a question, an unsure
        message that asks something (``ASKING``) may be a follow-up, and the conversation decides."""
        return 1.0 - float(self.probabilities(vector)[self.classes.index(QUESTION)]) < SURE


def labelled_chat(files: Sequence[Path]) -> list[tuple[str, str]]:
    """(message, class) from labelled files: a small-talk line's ``intent``, any other line a question. In a
    conversation file (lines with ``turns``), a "tell me more" turn is ``more``, a question turn a question, and
    other small talk, which names no intent, is left out."""
    return [found for path in files for line in read_json_lines(path, _line, "a labelled message line")
            for found in line]


def _line(item: dict, _: int) -> list[tuple[str, str]]:
    return _turns(item["turns"]) if "turns" in item else [_message(item)]


def _message(item: dict) -> tuple[str, str]:
    if item["kind"] != "small_talk":
        return str(item["q"]), QUESTION
    if item["intent"] not in INTENTS:
        raise ValueError(f"unknown small-talk intent {item['intent']!r}")
    return str(item["q"]), str(item["intent"])


def _turns(turns: list[dict]) -> list[tuple[str, str]]:
    return [(str(t["q"]), "more" if t["kind"] == "more" else QUESTION) for t in turns if t["kind"] != "small_talk"]


def train_small_talk(files: Sequence[Path], read: Callable[[list[str]], np.ndarray], model_id: str) -> SmallTalkModel:
    """Learn from the messages of ``files``; ``read`` turns messages into the vectors the engine makes of them.
    Classes are weighted equally, so the many questions do not drown the few greetings."""
    from sklearn.linear_model import LogisticRegression

    chat = labelled_chat(files)
    labels = [label for _, label in chat]
    if QUESTION not in labels or len(set(labels)) < 2:
        raise Ros1qaError("training the small-talk model needs small-talk messages and questions")
    classes = tuple(i for i in INTENTS if i in labels) + (QUESTION,)
    fitted = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
    fitted.fit(read([text for text, _ in chat]), labels)
    order = [list(fitted.classes_).index(c) for c in classes]
    return SmallTalkModel(model_id, classes, fitted.coef_[order].astype(np.float64),
                          fitted.intercept_[order].astype(np.float64), THRESHOLD, len(chat))


def save_small_talk(model: SmallTalkModel, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, model_id=np.array(model.model_id), classes=np.array(model.classes), weights=model.weights,
                 bias=model.bias, threshold=np.array(model.threshold), examples=np.array(model.examples))


def load_small_talk(path: Path = MODEL_FILE) -> SmallTalkModel | None:
    """The shipped model, or None when there is none (every message is then searched as a question)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return SmallTalkModel(str(data["model_id"]), tuple(str(c) for c in data["classes"]),
                              data["weights"].astype(np.float64), data["bias"].astype(np.float64),
                              float(data["threshold"]), int(data["examples"]))
