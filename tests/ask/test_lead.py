import numpy as np
import pytest

from ros1qa.ask.answer_model import AnswerModel
from ros1qa.ask.lead import FEATURES, VERSION, Contender, best_sentence, lead_features, leader, train_lead_model
from ros1qa.ask.pair_features import FEATURES as PAIR


def _pair(**values: float) -> np.ndarray:
    pair = np.zeros(len(PAIR))
    for name, value in values.items():
        pair[PAIR.index(name)] = value
    return pair


def _model(threshold: float = 0.5) -> AnswerModel:
    """Prefers the other passage when its best sentence's log-odds beat the first's."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("best sentence")] = 4.0
    count = len(FEATURES)
    return AnswerModel("m", np.zeros(count), np.ones(count), weights, 0.0, threshold, 1, ("p",), FEATURES, VERSION)


def test_features_are_the_other_passage_minus_the_first():
    first = Contender(0.8, _pair(dense=0.7, coverage=0.5, margin=0.1), 1.0)
    other = Contender(0.7, _pair(dense=0.6, coverage=1.0, margin=-0.1), 3.0)
    row = dict(zip(FEATURES, lead_features(first, other)))
    assert row["score"] == pytest.approx(-0.1) and row["best sentence"] == pytest.approx(2.0)
    assert row["dense"] == pytest.approx(-0.1) and row["coverage"] == pytest.approx(0.5)
    assert row["one sentence"] == 0.0 and "margin" not in row  # a ranking margin says the same as the scores
    single = dict(zip(FEATURES, lead_features(first, Contender(0.7, _pair(), None))))
    assert single["one sentence"] == 1.0 and single["best sentence"] == pytest.approx(-1.0)  # read as log-odds 0


def test_the_likeliest_passage_preferred_to_the_first_leads_else_the_first():
    def contender(best: float) -> Contender:
        return Contender(0.5, _pair(), best)

    assert leader(_model(), [contender(0.0), contender(1.0), contender(2.0)]) == 2
    assert leader(_model(), [contender(2.0), contender(1.0), contender(0.0)]) == 0
    assert leader(_model(0.999), [contender(0.0), contender(1.0)]) == 0  # not likely enough
    assert leader(_model(), [contender(0.0)]) == 0 and leader(_model(), []) == 0


def test_the_learned_threshold_puts_back_how_often_the_first_passage_answers():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(400, len(FEATURES)))
    others = features[:, FEATURES.index("best sentence")] + rng.normal(scale=0.5, size=400) > 1.0  # about 1 in 5
    model = train_lead_model(features, others.tolist(), [f"p{n % 8}" for n in range(400)], "m")
    assert model.usable_with("m", FEATURES, VERSION)
    assert model.threshold == pytest.approx(1 - others.mean())
    picked = model.probability(features) >= model.threshold
    assert picked.mean() < 0.5 and (picked == others).mean() > 0.85


def test_a_passages_best_sentence_is_the_highlights_likeliest():
    weights = np.zeros(3)
    weights[0] = 2.0
    highlighter = AnswerModel("m", np.zeros(3), np.ones(3), weights, 0.5, 0.5, 1, ("p",), ("a", "b", "c"), "v")
    assert best_sentence(highlighter, np.array([[0.0, 9, 9], [1.0, 0, 0], [-1.0, 0, 0]])) == pytest.approx(2.5)
    assert best_sentence(highlighter, None) is None  # a passage of one sentence
