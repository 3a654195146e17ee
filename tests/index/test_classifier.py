import numpy as np
import pytest

from ros1qa.errors import Ros1qaError
from ros1qa.index.classifier import (
    NetworkClassifier,
    VectorClassifier,
    load_network,
    save_network,
    train_logistic,
    train_network,
)


def _toy_vectors() -> tuple[np.ndarray, list[bool]]:
    rng = np.random.default_rng(0)
    yes = rng.normal(size=(40, 8)) + np.array([2.0] + [0.0] * 7)
    no = rng.normal(size=(40, 8)) - np.array([2.0] + [0.0] * 7)
    return np.vstack([yes, no]), [True] * 40 + [False] * 40


def test_a_trained_logistic_classifier_separates_what_it_was_shown():
    vectors, labels = _toy_vectors()
    classifier = train_logistic(vectors, labels, "some-model", 10.0, 0.5, scope="pages-v1")
    assert (classifier.model_id, classifier.examples, classifier.scope) == ("some-model", 80, "pages-v1")
    assert classifier.holds(np.array([4.0] + [0.0] * 7)) and not classifier.holds(np.array([-4.0] + [0.0] * 7))


def test_the_threshold_is_on_the_probability():
    classifier = VectorClassifier("m", np.array([1.0, 0.0]), 0.0, 0.7, 1)
    assert classifier.probability(np.array([0.0, 5.0])) == 0.5
    assert not classifier.holds(np.array([0.5, 0.0])) and classifier.holds(np.array([1.0, 0.0]))  # σ(1) ≈ 0.73


def test_a_trained_network_separates_what_it_was_shown_and_survives_saving(tmp_path):
    vectors, labels = _toy_vectors()
    network = train_network(vectors, labels, "some-model", hidden=4, regularisation=0.01, networks=2, threshold=0.5)
    assert network.hidden_weights.shape == (2, 8, 4) and (network.model_id, network.examples) == ("some-model", 80)
    assert network.holds(np.array([4.0] + [0.0] * 7)) and not network.holds(np.array([-4.0] + [0.0] * 7))
    save_network(network, tmp_path / "n.npz")
    loaded = load_network(tmp_path / "n.npz")
    assert loaded is not None and (loaded.model_id, loaded.examples, loaded.threshold) == ("some-model", 80, 0.5)
    assert all(loaded.probability(v) == network.probability(v) for v in vectors)
    assert load_network(tmp_path / "missing.npz") is None


def test_a_network_is_the_mean_of_its_networks_probabilities():
    """Two networks of one hidden unit each (ReLU, then a logistic output): 0.5 · (σ(2) + σ(0))."""
    network = NetworkClassifier("m", hidden_weights=np.array([[[1.0], [0.0]], [[0.0], [1.0]]]),
                                hidden_bias=np.zeros((2, 1)), output_weights=np.array([[2.0], [5.0]]),
                                output_bias=np.zeros(2), threshold=0.6, examples=1)
    expected = 0.5 * (1.0 / (1.0 + np.exp(-2.0)) + 0.5)
    assert np.isclose(network.probability(np.array([1.0, -3.0])), expected)  # the second's hidden unit is cut at 0
    assert network.holds(np.array([1.0, -3.0])) == (expected >= 0.6)


def test_a_file_that_is_not_a_network_is_a_clear_error(tmp_path):
    np.savez(tmp_path / "old.npz", weights=np.zeros(3), bias=np.array(0.0))
    with pytest.raises(Ros1qaError, match="ros1qa train"):
        load_network(tmp_path / "old.npz")
