"""A second opinion on whether the pages answer a question that a passage comes close to.

The threshold on the confidence cannot tell "How is a tumor tested for ROS1?" from "Is ROS1 cancer
treated with immunotherapy first?": both come close to passages of a page about ROS1 and
immunotherapy, only one is answered there. This classifier reads the question's meaning and says
whether it is one the pages answer, as learned from the labelled question sets in ``eval/``. It only
turns answers into "not covered", never the reverse, and costs one dot product.

What the pages answer changes with the pages. So it is trained for one corpus and glossary
(``scope``) and is used only with an index built from exactly those; after editing them, check the
question sets' labels and retrain (``ros1qa train``), or the engine goes on without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ros1qa.classifier import VectorClassifier, load_classifier, train_logistic
from ros1qa.errors import Ros1qaError
from ros1qa.store import corpus_scope

CLASSIFIER_FILE = Path(__file__).with_name("answerability_classifier.npz")
THRESHOLD = 0.3  # a question is answered only at or above this probability (README: Honest abstention)
REGULARISATION = 10.0  # scikit-learn's C: inverse strength of the L2 penalty


def labelled_questions(eval_dir: Path) -> list[tuple[str, bool]]:
    """The answerable and unanswerable questions of the question sets in ``eval_dir``, with whether they are answerable."""
    from ros1qa.evaluation import question_sets

    return [(q.question, q.kind == "answerable") for q in question_sets(eval_dir) if q.kind in ("answerable", "unanswerable")]


def train_from(eval_dir: Path, read: Callable[[list[str]], np.ndarray], model_id: str,
               manifest: Mapping[str, Any]) -> VectorClassifier:
    """Train on ``eval_dir``'s questions for the corpus of ``manifest``; ``read`` gives the engine's vectors."""
    questions = labelled_questions(eval_dir)
    if len({answerable for _, answerable in questions}) < 2:
        raise Ros1qaError(f"{eval_dir} needs both answerable and unanswerable questions to train on")
    return train_logistic(read([text for text, _ in questions]), [answerable for _, answerable in questions],
                          model_id, REGULARISATION, THRESHOLD, corpus_scope(manifest))


def load_answerability(path: Path = CLASSIFIER_FILE) -> VectorClassifier | None:
    """The shipped classifier, or None when there is none (the confidence threshold alone decides)."""
    return load_classifier(path)
