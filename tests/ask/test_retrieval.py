import numpy as np
import pytest

from ros1qa.ask.retrieval import (
    best_passages,
    best_per_passage,
    best_units,
    confidence,
    rank_passages,
    surest,
)
from ros1qa.settings import RetrievalSettings


def test_best_per_passage_takes_the_maximum_unit():
    best = best_per_passage(np.array([0.1, 0.9, 0.3, 0.5]), np.array([0, 0, 1, 2]), 4)
    assert best[:3].tolist() == [0.9, 0.3, 0.5] and best[3] == -np.inf


def test_ranking_mixes_dense_and_lexical_and_skips_passages_without_evidence():
    settings = RetrievalSettings(dense_weight=0.5)
    dense = np.array([0.2, 0.6, -np.inf], dtype=np.float32)
    lexical = np.array([4.0, 0.0, 0.0], dtype=np.float32)
    ranked = rank_passages(dense, lexical, np.array([0, 1, 2]), np.array([1.0, 0.5, 0.0]), settings)
    assert [r.passage for r in ranked] == [0, 1]
    assert ranked[0].lexical == 1.0 and ranked[1].lexical == 0.0
    assert np.isclose(ranked[0].score, 0.5 * 0.2 + 0.5 * 1.0)


def test_passages_are_ordered_by_their_sentences_and_judged_by_all_their_units():
    # passage 0: its whole text 0.9, its sentences 0.5 and 0.4; passage 1: whole 0.6, sentence 0.7;
    # passage 2: one sentence, so only its own unit (0.65), which then orders it too
    dense = np.array([0.9, 0.5, 0.4, 0.6, 0.7, 0.65], dtype=np.float32)
    unit_passage, ranks = np.array([0, 0, 0, 1, 1, 2]), np.array([False, True, True, False, True, True])
    ranked = rank_passages(dense, np.zeros(6, dtype=np.float32), unit_passage, np.zeros(3), RetrievalSettings(),
                           ranking_units=ranks)
    assert [r.passage for r in ranked] == [1, 2, 0]
    assert [round(r.confidence, 6) for r in ranked] == [0.7, 0.65, 0.9]
    unranked = rank_passages(dense, np.zeros(6, dtype=np.float32), unit_passage, np.zeros(3), RetrievalSettings())
    assert [r.passage for r in unranked] == [0, 1, 2]


def test_a_passage_whose_sentences_are_not_among_the_nearest_units_is_ordered_by_its_whole_text():
    dense = np.array([0.8, -np.inf, 0.5], dtype=np.float32)
    ranked = rank_passages(dense, np.zeros(3, dtype=np.float32), np.array([0, 0, 1]), np.zeros(2),
                           RetrievalSettings(), ranking_units=np.array([False, True, True]))
    assert [r.passage for r in ranked] == [0, 1]


def test_confidence_is_the_cosine_plus_a_little_for_the_concepts_present():
    settings = RetrievalSettings()
    assert confidence(0.5, 1.0, settings) == 0.5 + settings.coverage_weight
    assert confidence(0.5, 0.0, settings) == 0.5


def test_a_boost_changes_the_order_only_never_the_confidence():
    dense = np.array([0.7, 0.5, 0.4], dtype=np.float32)
    args = (dense, np.zeros(3, dtype=np.float32), np.array([0, 1, 2]), np.zeros(3), RetrievalSettings())
    ranked = rank_passages(*args)
    boosted = rank_passages(*args, boost=np.array([0.0, 0.0, 0.35]))
    assert [r.passage for r in ranked] == [0, 1, 2] and [r.passage for r in boosted] == [2, 0, 1]
    assert {r.passage: r.confidence for r in boosted} == {r.passage: r.confidence for r in ranked}
    assert boosted[0].score == pytest.approx(ranked[2].score + 0.35)


def test_the_surest_passage_is_sought_among_those_an_answer_would_show():
    dense = np.array([0.3, 0.5, 0.4, 0.9], dtype=np.float32)
    args = (dense, np.zeros(4, dtype=np.float32), np.array([0, 1, 2, 3]), np.zeros(4), RetrievalSettings(shown=3))
    boosted = rank_passages(*args, boost=np.array([1.0, 0.9, 0.8, 0.0]))  # the surest is pushed to fourth place
    assert [r.passage for r in boosted] == [1, 0, 2, 3]
    assert surest(boosted, RetrievalSettings(shown=3)) == pytest.approx(0.5)
    assert surest([], RetrievalSettings()) == float("-inf")


def _units_by_score(scores: np.ndarray) -> np.ndarray:
    """Every positive unit, best first, equal scores in unit order: what best_units must agree with."""
    positive = np.flatnonzero(scores > 0)
    return positive[np.argsort(-scores[positive], kind="stable")]


def _tied_scores(rng: np.random.Generator, count: int) -> np.ndarray:
    """Few distinct values, so many units tie (a large corpus repeats its sentences), and many zeros."""
    scores = (rng.integers(0, 6, count) * 0.37).astype(np.float32)
    scores[rng.random(count) < 0.5] = 0
    return scores


@pytest.mark.parametrize("size", [10, 3_000, 200_000])
def test_best_units_take_the_highest_scores_and_the_lowest_numbers_among_ties(size):
    rng = np.random.default_rng(size)
    scores = _tied_scores(rng, size)
    for count in (1, 7, 400, size):
        assert best_units(scores, count).tolist() == _units_by_score(scores)[:count].tolist()


def test_best_units_find_rare_high_scores_that_a_sample_of_scores_misses():
    scores = np.zeros(500_000, dtype=np.float32)
    scores[[3, 250_001, 499_999]] = [2.0, 3.0, 1.0]  # none of them on the sampling stride
    scores[1000:1100] = 0.5
    assert best_units(scores, 3).tolist() == [250_001, 3, 499_999]
    assert best_units(scores, 400).tolist() == [250_001, 3, 499_999, *range(1000, 1100)]


def test_best_passages_rank_a_passage_by_its_best_unit_and_stop_at_the_limit():
    rng = np.random.default_rng(7)
    scores = _tied_scores(rng, 50_000)
    unit_passage = np.repeat(np.arange(20_000), 3)[: len(scores)]
    expected = unit_passage[_units_by_score(scores)]
    expected = expected[np.sort(np.unique(expected, return_index=True)[1])]
    for limit in (1, 100, 5_000):
        assert best_passages(scores, unit_passage, limit).tolist() == expected[:limit].tolist()
    assert best_passages(np.zeros(10, dtype=np.float32), np.arange(10), 5).tolist() == []


def test_ranking_names_passages_by_their_index_numbers_when_given():
    dense = np.array([0.2, 0.6], dtype=np.float32)
    lexical = np.zeros(2, dtype=np.float32)
    ranked = rank_passages(dense, lexical, np.array([0, 1]), np.array([0.0, 1.0]), RetrievalSettings(),
                           numbers=np.array([40, 17]))
    assert [(r.passage, type(r.passage), type(r.score)) for r in ranked] == [(17, int, float), (40, int, float)]
