import numpy as np
import pytest

from ros1qa.ask.highlight import highlight_ranges, read_with_next


def test_best_sentence_and_close_ones_are_marked_relative_to_the_passage():
    assert highlight_ranges(100, [(100, 110), (111, 130), (131, 140)], [0.2, 0.8, 0.79]) == ((11, 30), (31, 40))


def test_no_sentences_no_highlight():
    assert highlight_ranges(0, [], []) == ()


def test_sentence_scores_mix_cosine_bm25_share_and_concepts():
    import numpy as np

    from ros1qa.ask.highlight import sentence_scores
    from ros1qa.settings import RetrievalSettings

    settings = RetrievalSettings(dense_weight=0.5, highlight_coverage_weight=1.0)
    scores = sentence_scores(np.array([0.4, 0.4]), np.array([2.0, 1.0]), [0.0, 1.0], settings)
    assert scores == [0.5 * 0.4 + 0.5 * 1.0, 0.5 * 0.4 + 0.5 * 0.5 + 1.0]


def test_a_sentence_scores_the_mean_of_its_own_unit_and_the_next_which_reads_it_as_context():
    assert read_with_next(np.array([0.2, 0.8, 0.4])).tolist() == pytest.approx([0.5, 0.6, 0.4])
    assert read_with_next(np.array([0.3])).tolist() == [0.3]
    assert read_with_next(np.array([])).tolist() == []
