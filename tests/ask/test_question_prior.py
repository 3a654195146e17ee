import numpy as np
import pytest

from ros1qa.ask.answer_model import load_answer_model, save_answer_model, train_answer_model
from ros1qa.ask.pair_features import FEATURES
from ros1qa.ask.question_prior import MIN_PAGES, out_of_page, question_words, recurring, train_prior


def _questions(seed: int = 5, count: int = 160) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Unit vectors about four pages; a question is answerable when its first coordinate is positive."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, vectors[:, 0] > 0, [f"page{i % 4}.txt" for i in range(count)]


def test_a_prior_learns_which_kinds_of_question_are_answered():
    vectors, answerable, pages = _questions()
    prior = train_prior(vectors, [frozenset()] * len(pages), answerable, np.ones(len(pages)), pages, regularisation=1.0)
    logits = np.array([prior.logit(v) for v in vectors])
    clear = np.abs(vectors[:, 0]) > 0.3
    assert np.array_equal(logits[clear] > 0, answerable[clear])


def test_each_pages_logits_come_from_a_prior_that_never_saw_that_page():
    """Page 3's questions are labelled the other way round: a prior that saw them would half agree with them;
    one learned from the other three pages disagrees with every clear one of them."""
    vectors, answerable, pages = _questions()
    flipped = np.array([p == "page3.txt" for p in pages])
    labels = np.where(flipped, ~answerable, answerable)
    logits = out_of_page(vectors, [frozenset()] * len(pages), labels, pages, np.ones(len(pages)))
    clear = np.abs(vectors[:, 0]) > 0.3
    assert np.all((logits[flipped & clear] > 0) != labels[flipped & clear])


def test_an_answer_model_with_a_prior_reads_the_question_vector_and_saves_it(tmp_path):
    vectors, answerable, pages = _questions()
    features = np.random.default_rng(1).random((len(pages), len(FEATURES)))  # no help: only the prior separates them
    model = train_answer_model(features, answerable, pages, "m", vectors=vectors)  # no words: the vector alone
    assert model.prior is not None and model.weights.shape == (len(FEATURES) + 1,)
    clear = np.flatnonzero(np.abs(vectors[:, 0]) > 0.3)
    assert all((model.probability(features[i], vectors[i])[0] >= 0.5) == answerable[i] for i in clear)
    with pytest.raises(ValueError, match="vector"):
        model.probability(features[:1])
    save_answer_model(model, tmp_path / "model.json")
    loaded = load_answer_model(tmp_path / "model.json")
    assert loaded is not None and loaded.prior is not None
    assert loaded.probability(features[:3], vectors[0]) == pytest.approx(model.probability(features[:3], vectors[0]), abs=1e-9)


def test_the_prior_reads_only_words_that_questions_about_several_pages_use():
    words = [question_words("What does crizotinib cost?"), question_words("How much does the scan cost?"),
             question_words("cost of lorlatinib"), question_words("what is the cost of a biopsy"),
             question_words("what is crizotinib")]
    pages = ["a", "b", "c", "d", "a"]
    assert "cost" in recurring(words, pages) and "crizotinib" not in recurring(words, pages)
    assert MIN_PAGES > 1


def test_a_prior_learns_from_a_recurring_question_word_what_no_vector_shows():
    """The vectors say nothing; "cost" marks the questions no page answers, on every page."""
    rng = np.random.default_rng(2)
    count = 160
    vectors = rng.normal(size=(count, 8))
    pages = [f"page{i % 8}.txt" for i in range(count)]
    asks_cost = np.arange(count) % 3 == 0
    words = [question_words("what does the treatment cost" if c else "what does the treatment do") for c in asks_cost]
    prior = train_prior(vectors, words, ~asks_cost, np.ones(count), pages, regularisation=1.0)
    assert "cost" in prior.vocabulary
    assert prior.logit(vectors[0], question_words("how much does it cost")) < prior.logit(vectors[0], question_words("how does it work"))
