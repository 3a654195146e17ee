import json

import numpy as np
import pytest
from tests.conftest import REPO, HashingEmbedder

from ros1qa.index.embedding import SentenceTransformerEmbedder
from ros1qa.index.examples import ExampleScale
from ros1qa.index.labels import labelled_files
from ros1qa.learning.example_scale import learn_scale, unrelated_cosines
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL

MESSAGES = {"a": ["my chest hurts", "can't breathe at all", "lips going blue"],
            "b": ["is crizotinib a pill", "what does ros1 mean", "when do i take my tablets"]}


def _files(tmp_path):
    folder = tmp_path / "messages"
    folder.mkdir()
    for name, texts in MESSAGES.items():
        lines = [json.dumps({"id": f"{name}{n}", "q": text, "kind": "urgent"}) for n, text in enumerate(texts)]
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(folder.glob("*.jsonl"))


def test_only_pairs_of_messages_from_different_files_count_as_unrelated():
    vectors = np.eye(3, dtype=np.float32)
    vectors[1] = vectors[0]  # the same file's pair is alike; it must not count
    cosines = unrelated_cosines(vectors, ["a", "a", "b"])
    assert sorted(cosines.tolist()) == [0.0, 0.0]


class _Lower(HashingEmbedder):
    """The same vectors, pulled towards one fixed direction and normalised: another spread of the same pairs."""

    def encode(self, texts, *, batch_size=64, progress=False):
        vectors = super().encode(texts) - 0.5 * np.ones(self.dimension, dtype=np.float32) / np.sqrt(self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_the_bundled_scale_is_carried_over_on_the_cross_file_pairs_of_both_models_readings(tmp_path):
    files, bundled, model = _files(tmp_path), HashingEmbedder(), _Lower()
    texts = [text for name in sorted(MESSAGES) for text in MESSAGES[name]]
    names = [name for name in sorted(MESSAGES) for _ in MESSAGES[name]]
    expected = ExampleScale().carried_over(unrelated_cosines(bundled.encode(texts), names),
                                           unrelated_cosines(model.encode(texts), names))
    assert learn_scale(files, model, bundled) == expected
    assert learn_scale(files, bundled, bundled) != expected


@pytest.mark.slow
def test_the_tuned_models_scale_lies_below_the_bundled_models():
    bundled, tuned = SentenceTransformerEmbedder(BUNDLED_MODEL), SentenceTransformerEmbedder(TUNED_MODEL)
    scale = learn_scale(labelled_files(REPO / "training" / "messages"), tuned, bundled)
    assert scale.floor < ExampleScale().floor and scale.verdict < ExampleScale().verdict
    assert scale.floor < scale.verdict < scale.same_question
