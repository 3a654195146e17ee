from dataclasses import replace

import numpy as np
import pytest

from ros1qa.ask.answer_model import AnswerModel, load_answer_model, save_answer_model, should_answer, train_answer_model
from ros1qa.ask.pair_features import FEATURES, VERSION
from ros1qa.errors import Ros1qaError
from ros1qa.settings import BUNDLED_MODEL

DENSE = FEATURES.index("dense")


def _rows(values: np.ndarray, column: int = DENSE) -> np.ndarray:
    """Feature rows that differ only in one column."""
    rows = np.zeros((len(values), len(FEATURES)))
    rows[:, column] = values
    return rows


def _separable(seed: int = 3) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Random rows, answerable exactly when the dense cosine is above 0.5, about four pages."""
    rng = np.random.default_rng(seed)
    features = rng.random((200, len(FEATURES)))
    return features, features[:, DENSE] > 0.5, [f"page{i % 4}.txt" for i in range(200)]


def test_training_on_separable_rows_learns_to_answer_from_the_feature_that_separates_them():
    features, answers, pages = _separable()
    model = train_answer_model(features, answers, pages, "m")
    assert int(np.argmax(np.abs(model.weights))) == DENSE and model.weights[DENSE] > 0
    clear = np.abs(features[:, DENSE] - 0.5) > 0.1
    assert np.array_equal(model.probability(features[clear]) >= model.threshold, answers[clear])
    assert (model.model_id, model.questions, model.pages) == ("m", 200, ("page0.txt", "page1.txt", "page2.txt", "page3.txt"))
    assert (model.features, model.version) == (FEATURES, VERSION)


def test_every_page_weighs_the_same_however_many_questions_it_has():
    """Page a (90 questions) answers high cosines, page b (10) low ones: weighed by page, neither wins."""
    values = np.concatenate([np.linspace(-1, 1, 90), np.linspace(-1, 1, 10)])
    answers = np.concatenate([np.linspace(-1, 1, 90) > 0, np.linspace(-1, 1, 10) < 0])
    by_page = train_answer_model(_rows(values), answers, ["a"] * 90 + ["b"] * 10, "m")
    by_question = train_answer_model(_rows(values), answers, ["one"] * 100, "m")  # as if one page had them all
    high = _rows(np.array([1.0]))
    assert by_question.probability(high)[0] > 0.9
    assert by_page.probability(high)[0] == pytest.approx(0.5, abs=0.1)


def test_training_needs_both_answerable_and_unanswerable_questions():
    features, _, pages = _separable()
    with pytest.raises(Ros1qaError, match="both"):
        train_answer_model(features, [True] * len(features), pages, "m")


def test_a_saved_model_loads_with_the_same_probabilities(tmp_path):
    features, answers, pages = _separable()
    model = train_answer_model(features, answers, pages, "m")
    save_answer_model(model, tmp_path / "answer_model.json")
    loaded = load_answer_model(tmp_path / "answer_model.json")
    assert loaded is not None
    assert (loaded.model_id, loaded.threshold, loaded.questions, loaded.pages, loaded.features, loaded.version) == (
        model.model_id, model.threshold, model.questions, model.pages, model.features, model.version)
    assert np.allclose(loaded.probability(features), model.probability(features), rtol=0, atol=1e-9)
    assert load_answer_model(tmp_path / "missing.json") is None


def test_a_model_is_used_only_with_the_embedding_model_and_features_it_was_trained_on():
    model = AnswerModel("m", np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.ones(len(FEATURES)), 0.0, 0.5, 10,
                        ("a.txt",))
    assert model.usable_with("m")
    assert not model.usable_with("another-model")
    assert not replace(model, features=FEATURES[:-1]).usable_with("m")
    assert not replace(model, version="pair-features-v0").usable_with("m")


@pytest.mark.parametrize("confidences, verdict, answers", [
    ([0.2, 0.7], None, True),  # the surest of the shown passages reaches the threshold
    ([0.5], None, True),  # at the threshold counts
    ([0.49, 0.1], None, False),
    ([], None, False),  # nothing to show
    ([0.1], True, True),  # a near-paraphrase labelled answerable overrides the model
    ([0.99], False, False),  # … and one labelled unanswerable too
    ([], True, True),
])
def test_should_answer_takes_a_labelled_verdict_over_the_confidences(confidences, verdict, answers):
    assert should_answer(confidences, verdict, 0.5) is answers


def test_the_shipped_model_reads_the_bundled_models_features():
    shipped = load_answer_model()
    assert shipped is not None and shipped.usable_with(BUNDLED_MODEL)
    assert shipped.prior is not None and shipped.prior.fitted.weights.shape == (384 + len(shipped.prior.vocabulary),)
    assert shipped.prior.vocabulary  # the question prior reads its vector and its recurring words
    assert shipped.weights.shape == shipped.mean.shape == shipped.scale.shape == (len(FEATURES) + 1,)
    assert np.all(shipped.scale > 0) and 0 < shipped.threshold < 1
    assert "immunotherapy-and-ros1-cancer.txt" in shipped.pages and len(shipped.pages) > 2


@pytest.mark.slow
def test_the_shipped_models_decide_as_training_on_todays_pages_and_questions_does(real_engine, tmp_path):
    """The query adapter, the answer model, the highlight's selector and the lead judgement. Retrain with ``ros1qa train`` after changing the labelled
    questions, the training pages, the features or how questions are read and ranked; this fails until then.
    Decisions are compared, not weights: float32 vectors differ in their last bits between CPUs, which changes no
    decision except at the threshold itself."""
    from tests.conftest import REPO, SHIPPED

    from ros1qa.ask import highlight, lead
    from ros1qa.ask.query_adapter import load_adapter
    from ros1qa.learning import learning
    from ros1qa.learning.conversation_scores import conversations_in
    from ros1qa.learning.cross_pages import SHOWN

    shipped = load_answer_model()
    assert shipped is not None
    worlds = learning.open_worlds(SHIPPED.corpus_dir, learning.page_groups(REPO / "training" / "pages"),
                                  [REPO / "training" / "questions"], SHIPPED, real_engine.embedder, tmp_path)
    adapters = learning.learn_adapters(worlds, SHIPPED.corpus_dir, shipped.model_id)
    adapter = load_adapter()
    assert adapter is not None and (adapter.questions, adapter.pages) == (adapters.shipped.questions, adapters.shipped.pages)
    vectors = np.stack([r.vector for r in learning.rows_of(worlds[:1], "page")])  # the same questions searched: the same way
    turned = [(adapter.apply(v), adapters.shipped.apply(v)) for v in vectors]
    assert min(float(a @ b) for a, b in turned) > 0.999
    turns = learning.alone_turns(conversations_in(REPO / "training" / "conversations"))
    rows = [r for r in learning.rows_of(worlds, "page", adapters, turns) if len(r.features)]
    fresh = learning.train_on(rows, shipped.model_id)
    assert (fresh.questions, fresh.pages) == (shipped.questions, shipped.pages)
    # The threshold is one of the training rows' probabilities, so it moves with them: by a float32 hair.
    assert fresh.threshold == pytest.approx(shipped.threshold, abs=0.01)
    fresh_best = np.array([fresh.probability(r.features[:SHOWN], r.vector, r.words).max() for r in rows])
    shipped_best = np.array([shipped.probability(r.features[:SHOWN], r.vector, r.words).max() for r in rows])
    differ = np.flatnonzero((fresh_best >= fresh.threshold) != (shipped_best >= shipped.threshold))
    assert len(differ) <= 3, [rows[i].question.key for i in differ]
    assert np.all(np.abs(shipped_best[differ] - shipped.threshold) < 0.02)

    shipped_highlighter = load_answer_model(highlight.MODEL_FILE)
    fresh_highlighter = learning.train_highlighter(rows, shipped.model_id)
    assert shipped_highlighter is not None and fresh_highlighter.pages == shipped_highlighter.pages
    passages = [r.gold_sentences.features for r in rows if r.gold_sentences is not None]
    marked = [(highlight.chosen(fresh_highlighter.logit(f)), highlight.chosen(shipped_highlighter.logit(f))) for f in passages]
    # Models learned on another CPU move a few choices near their thresholds: at most 0.3% of the rows (stop 43, on
    # one CPU: 5 leads of about 3,000 rows).
    drift = max(3, 3 * len(rows) // 1000)
    assert sum(a != b for a, b in marked) <= drift

    shipped_leader = load_answer_model(lead.MODEL_FILE)
    fresh_leader = learning.train_leader(rows, fresh_highlighter, shipped.model_id)
    assert shipped_leader is not None and fresh_leader is not None and fresh_leader.pages == shipped_leader.pages
    leads = [(learning.lead_of(r, fresh_highlighter, fresh_leader), learning.lead_of(r, shipped_highlighter, shipped_leader))
             for r in rows]
    assert sum(a != b for a, b in leads) <= drift


def test_a_pages_own_model_only_refuses_and_a_labelled_paraphrase_decides_over_it():
    from ros1qa.ask.answer_model import should_answer

    assert should_answer([0.9], None, 0.5, covered=None) and should_answer([0.9], None, 0.5, covered=True)
    assert not should_answer([0.9], None, 0.5, covered=False)
    assert not should_answer([0.1], None, 0.5, covered=True)  # never turns a refusal into an answer
    assert should_answer([0.1], True, 0.5, covered=False) and not should_answer([0.9], False, 0.5, covered=True)
