"""A second opinion on emergencies: a small network over the vector the model already made.

The patterns in ``safety`` miss wording they were not written for ("breathing like a fish out of
water", "her eyes are swelling shut"): on blind sets their first-run recall was 0.65–0.86. The
classifier reads the question's meaning instead. It is trained offline (``ros1qa train``) on
labelled messages about many topics (the corpus's labelled questions, the training pages' questions and
the emergency and symptom sets in ``training/messages``) and shipped beside this file; it only adds emergencies, never
removes one the patterns found, and it costs a few small matrix products, not another encode. It was a logistic
regression until stop 30; at the same recall the network routes 40% fewer ordinary messages by mistake, most of
them questions about symptoms (docs/safety.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ros1qa.errors import Ros1qaError
from ros1qa.index.classifier import NetworkClassifier, load_network, train_network
from ros1qa.index.labels import LABELLED_DIR, labelled_files, read_json_lines

CLASSIFIER_FILE = Path(__file__).with_name("urgency_classifier.npz")
THRESHOLD = 0.5  # probability at or above which a message is urgent (docs/safety.md: why 0.5)
HIDDEN = 128  # units of the hidden layer
REGULARISATION = 0.01  # scikit-learn's alpha: strength of the L2 penalty
NETWORKS = 3  # networks averaged, each from its own random start


def message_files(corpus_dir: Path, training_dir: Path) -> list[Path]:
    """What the classifier learns from: the corpus's labelled questions, the training pages' questions, the
    emergency and symptom message sets (``training/messages``) and the labelled conversations' turns
    (``training/conversations``): questions about many topics, in the voices of patients and relatives."""
    return [*labelled_files(corpus_dir / LABELLED_DIR), *labelled_files(training_dir / "questions"),
            *labelled_files(training_dir / "messages"), *labelled_files(training_dir / "conversations")]


def labelled_messages(files: list[Path]) -> list[tuple[str, bool]]:
    """Every message of ``files`` (each turn of a conversation line), with whether it is urgent."""
    return [message for path in files for line in read_json_lines(path, _messages, "a message line")
            for message in line]


def _messages(item: dict, _: int) -> list[tuple[str, bool]]:
    return [(str(turn["q"]), turn["kind"] == "urgent") for turn in item.get("turns", [item])]


def train_from(files: list[Path], read: Callable[[list[str]], np.ndarray], model_id: str) -> NetworkClassifier:
    """Train on the messages of ``files``; ``read`` turns messages into the vectors the engine makes of them."""
    messages = labelled_messages(files)
    if not any(urgent for _, urgent in messages) or all(urgent for _, urgent in messages):
        raise Ros1qaError("training the emergency classifier needs both urgent and other messages")
    return train_network(read([text for text, _ in messages]), [urgent for _, urgent in messages], model_id, HIDDEN,
                         REGULARISATION, NETWORKS, THRESHOLD)


def load_urgency(path: Path = CLASSIFIER_FILE) -> NetworkClassifier | None:
    """The shipped classifier, or None when there is none (the patterns still judge every message)."""
    return load_network(path)
