"""The example questions' scale of a model other than the bundled one (``index.examples.ExampleScale``).

The thresholds at which example questions count as like the question asked were set on the bundled model's cosines.
Another model (the tuned one) spreads the same pairs differently, so the bundled model's thresholds are carried over
by quantile: both models read the same messages, and each threshold moves to the other model's cosine at the share of
unrelated pairs (two messages of different files) that the bundled model puts below it. The messages are
``training/messages``: patients' words about many topics, none of them a question the tuning learned from.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ros1qa.index.embedding import Embedder
from ros1qa.index.examples import ExampleScale
from ros1qa.safety.urgency import labelled_messages


def unrelated_cosines(vectors: np.ndarray, files: Sequence[str]) -> np.ndarray:
    """The cosine of every pair of (unit) vectors whose messages come from different files."""
    vectors = np.asarray(vectors, dtype=np.float32)
    first, second = np.triu_indices(len(files), 1)
    named = np.asarray(files)
    apart = named[first] != named[second]
    return (vectors @ vectors.T)[first[apart], second[apart]]


def learn_scale(files: Sequence[Path], model: Embedder, bundled: Embedder) -> ExampleScale:
    """The bundled model's scale carried over to ``model`` on the messages of ``files``."""
    messages = [(path.name, text) for path in files for text, _ in labelled_messages([path])]
    texts, names = [text for _, text in messages], [name for name, _ in messages]
    reference = unrelated_cosines(bundled.encode(texts), names)
    return ExampleScale().carried_over(reference, unrelated_cosines(model.encode(texts), names))

