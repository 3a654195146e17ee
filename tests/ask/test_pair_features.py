import numpy as np
import pytest

from ros1qa.ask.pair_features import FEATURES, PairEvidence, pair_features
from ros1qa.ask.token_match import PieceMatch


def _features(evidence: PairEvidence, idf: list[float], kept: float = 1.0) -> dict[str, float]:
    vector = pair_features(evidence, np.array(idf, dtype=np.float64), kept)
    assert vector.shape == (len(FEATURES),)
    return dict(zip(FEATURES, vector.tolist()))


# A passage of two sentences (units: the passage, sentence 1, sentence 2) and a question of three concepts:
# "crizotinib" (rare, idf 3) in sentence 2 only, "liver" (idf 2) in sentence 1 only, "treatment" (common, idf 1) in both.
PRESENCE = np.array([[False, False, True], [True, True, False], [True, True, True]])
TWO_SENTENCES = PairEvidence(np.array([0.8, 0.6, 0.7]), 0.5, PRESENCE, 0.9, 0.75, PieceMatch(0.5, 0.3))


def test_similarities_take_the_best_unit_and_the_best_sentence():
    found = _features(TWO_SENTENCES, [3.0, 2.0, 1.0])
    assert found["dense"] == pytest.approx(0.8) and found["sentence"] == pytest.approx(0.7)
    assert found["lexical"] == 0.5 and found["margin"] == pytest.approx(0.15)
    one = PairEvidence(np.array([0.55]), 1.0, np.array([[True]]), 0.6, 0.6, PieceMatch(0.5, 0.3))
    assert _features(one, [1.0])["sentence"] == pytest.approx(0.55)  # one sentence: the passage is its sentence


def test_coverage_weighs_each_concept_by_its_rarity_in_the_passage_and_in_its_best_sentence():
    found = _features(TWO_SENTENCES, [3.0, 2.0, 1.0])
    assert found["coverage"] == pytest.approx((2.0 + 1.0) / 6.0)  # the passage's own unit lacks "crizotinib"
    assert found["sentence_coverage"] == pytest.approx((3.0 + 1.0) / 6.0)  # sentence 2 beats sentence 1 (3/6)


def test_missing_is_the_rarest_concept_the_passage_lacks_against_the_questions_rarest():
    assert _features(TWO_SENTENCES, [3.0, 2.0, 1.0])["missing"] == pytest.approx(1.0)
    lacks_common = PairEvidence(np.array([0.8]), 0.5, np.array([[True], [True], [False]]), 0.9, 0.75, PieceMatch(0.5, 0.3))
    assert _features(lacks_common, [3.0, 2.0, 1.0])["missing"] == pytest.approx(1 / 3)
    has_all = PairEvidence(np.array([0.8]), 0.5, np.array([[True], [True]]), 0.9, 0.75, PieceMatch(0.5, 0.3))
    assert _features(has_all, [3.0, 1.0])["missing"] == 0.0


def test_unknown_is_the_share_of_concepts_no_page_uses_and_kept_tokens_and_weakest_are_passed_through():
    evidence = PairEvidence(np.array([0.8]), 0.5, np.array([[True], [False], [False], [False]]), 0.9, 0.75, PieceMatch(0.62, 0.3))
    found = _features(evidence, [2.0, 0.0, 1.0, 0.0], kept=0.83)
    assert found["unknown"] == pytest.approx(0.5) and found["kept"] == pytest.approx(0.83)
    assert found["tokens"] == pytest.approx(0.62) and found["weakest"] == pytest.approx(0.3)
    assert found["coverage"] == pytest.approx(2 / 3)  # unknown concepts weigh nothing
    assert found["missing"] == pytest.approx(0.5)  # the known concept it lacks (idf 1) against the rarest (idf 2)


def test_a_question_without_concepts_or_with_only_unknown_ones_covers_nothing():
    bare = PairEvidence(np.array([0.4, 0.3, 0.2]), 0.0, np.zeros((0, 3), dtype=bool), 0.4, 0.0, PieceMatch(0.5, 0.3))
    found = _features(bare, [])
    assert (found["coverage"], found["sentence_coverage"], found["missing"], found["unknown"]) == (0.0, 0.0, 1.0, 0.0)
    strange = PairEvidence(np.array([0.4]), 0.0, np.array([[False], [False]]), 0.4, 0.0, PieceMatch(0.5, 0.3))
    found = _features(strange, [0.0, 0.0])
    assert (found["coverage"], found["missing"], found["unknown"]) == (0.0, 1.0, 1.0)
