import numpy as np

from ros1qa.retrieval import best_per_passage, confidence, rank_passages
from ros1qa.settings import RetrievalSettings


def test_best_per_passage_takes_the_maximum_unit():
    best = best_per_passage(np.array([0.1, 0.9, 0.3, 0.5]), np.array([0, 0, 1, 2]), 4)
    assert best[:3].tolist() == [0.9, 0.3, 0.5] and best[3] == -np.inf


def test_ranking_mixes_dense_and_lexical_and_skips_passages_without_evidence():
    settings = RetrievalSettings(dense_weight=0.5)
    dense = np.array([0.2, 0.6, -np.inf], dtype=np.float32)
    lexical = np.array([4.0, 0.0, 0.0], dtype=np.float32)
    ranked = rank_passages(dense, lexical, np.array([0, 1, 2]), np.array([1.0, 0.5, 0.0]), False, settings)
    assert [r.passage for r in ranked] == [0, 1]
    assert ranked[0].lexical == 1.0 and ranked[1].lexical == 0.0
    assert np.isclose(ranked[0].score, 0.5 * 0.2 + 0.5 * 1.0)


def test_confidence_is_absolute_and_penalises_a_subject_off_the_pages_once():
    settings = RetrievalSettings()
    base = confidence(0.5, 1.0, False, settings)
    assert base == 0.5 + settings.coverage_weight
    assert confidence(0.5, 1.0, True, settings) == base - settings.unknown_term_penalty
    assert confidence(0.5, 0.0, False, settings) < base
