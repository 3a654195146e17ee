import numpy as np

from ros1qa.index.classifier import VectorClassifier, load_classifier, save_classifier, train_logistic


def _toy_vectors() -> tuple[np.ndarray, list[bool]]:
    rng = np.random.default_rng(0)
    yes = rng.normal(size=(40, 8)) + np.array([2.0] + [0.0] * 7)
    no = rng.normal(size=(40, 8)) - np.array([2.0] + [0.0] * 7)
    return np.vstack([yes, no]), [True] * 40 + [False] * 40


def test_a_trained_classifier_separates_what_it_was_shown_and_survives_saving(tmp_path):
    vectors, labels = _toy_vectors()
    classifier = train_logistic(vectors, labels, "some-model", 10.0, 0.5, scope="pages-v1")
    assert classifier.holds(np.array([4.0] + [0.0] * 7)) and not classifier.holds(np.array([-4.0] + [0.0] * 7))
    save_classifier(classifier, tmp_path / "c.npz")
    loaded = load_classifier(tmp_path / "c.npz")
    assert loaded is not None and (loaded.model_id, loaded.examples, loaded.scope) == ("some-model", 80, "pages-v1")
    assert np.array_equal(loaded.weights, classifier.weights) and loaded.bias == classifier.bias
    assert load_classifier(tmp_path / "missing.npz") is None


def test_the_threshold_is_on_the_probability():
    classifier = VectorClassifier("m", np.array([1.0, 0.0]), 0.0, 0.7, 1)
    assert classifier.probability(np.array([0.0, 5.0])) == 0.5
    assert not classifier.holds(np.array([0.5, 0.0])) and classifier.holds(np.array([1.0, 0.0]))  # σ(1) ≈ 0.73
