import numpy as np
import pytest

from ros1qa.ask.highlight import (
    FEATURES,
    SECOND_WITHIN,
    chosen,
    highlight_ranges,
    read_with_next,
    sentence_features,
    unlearned,
)
from ros1qa.settings import RetrievalSettings


def test_marked_sentences_are_ranges_relative_to_the_passage():
    assert highlight_ranges(100, [(100, 110), (111, 130), (131, 140)], [1, 2]) == ((11, 30), (31, 40))
    assert highlight_ranges(0, [], []) == ()


def test_the_best_sentence_is_marked_and_the_next_best_only_when_nearly_as_likely():
    assert chosen([0.2, 3.0, -1.0]) == [1]
    assert chosen([3.0 - SECOND_WITHIN / 2, 3.0, -1.0]) == [0, 1]  # in passage order
    assert chosen([2.9, 3.0, 2.95]) == [1, 2]  # never more than two
    assert chosen([0.5]) == [0] and chosen([]) == []


def test_features_mean_the_same_whatever_the_passage():
    texts = ["Two trials found:", "Five of 12 patients had a partial response.", "None died."]
    features = sentence_features(np.array([0.5, 0.6, 0.3]), np.array([0.2, 0.7, 0.1]), np.array([2.0, 4.0, 0.0]),
                                 [0.5, 1.0, 0.0], texts)
    column = dict(zip(FEATURES, features.T))
    assert features.shape == (3, len(FEATURES))
    assert column["cosine below best"].tolist() == pytest.approx([-0.1, 0.0, -0.3])
    assert column["next cosine"].tolist() == pytest.approx([0.6, 0.3, 0.3])  # the last reads its own
    assert column["BM25 share"].tolist() == pytest.approx([0.5, 1.0, 0.0])
    assert column["alone cosine below best"].tolist() == pytest.approx([-0.5, 0.0, -0.6])
    assert column["previous alone cosine"].tolist() == pytest.approx([0.0, 0.2, 0.7])
    assert column["first"].tolist() == [1, 0, 0] and column["last"].tolist() == [0, 0, 1]
    assert column["lead-in"].tolist() == [1, 0, 0] and column["figure"].tolist() == [0, 1, 0]
    assert sentence_features(np.ones(1), np.ones(1), np.ones(1), [0], ["ROS1 is a gene."])[0, FEATURES.index("figure")] == 0
    assert column["log words"].tolist() == pytest.approx(np.log([3, 8, 2]))
    assert np.all(sentence_features(np.ones(2), np.ones(2), np.zeros(2), [0, 0], ["a", "b"])[:, 3] == 0)  # no BM25


def test_a_sentence_is_marked_as_offering_what_the_question_asks_only_when_it_asks():
    texts = ["Trials found:", "Five of 12 patients had a partial response.", "This is because ROS1 differs."]
    def column(asked: frozenset[str], name: str) -> list[float]:
        features = sentence_features(np.ones(3), np.ones(3), np.ones(3), [0, 0, 0], texts, asked)
        return features[:, FEATURES.index(name)].tolist()

    assert column(frozenset({"figure"}), "offers figure asked") == [0, 1, 0]
    assert column(frozenset({"reason"}), "offers reason asked") == [0, 0, 1]
    assert column(frozenset({"reason"}), "offers figure asked") == [0, 0, 0]  # a figure, but not asked for
    assert column(frozenset(), "offers reason asked") == [0, 0, 0]


def test_without_a_model_the_ranking_mix_and_the_concepts_named_pick():
    settings = RetrievalSettings(dense_weight=0.5, highlight_coverage_weight=1.0)
    assert unlearned(np.array([0.4, 0.4]), np.array([2.0, 1.0]), [0.0, 1.0], settings) == [1]
    assert unlearned(np.array([0.4, 0.4]), np.array([1.0, 1.0]), [0.0, 0.0], settings) == [0, 1]  # a tie marks both
    assert unlearned(np.array([]), np.array([]), [], settings) == []


def test_a_sentence_scores_the_mean_of_its_own_unit_and_the_next_which_reads_it_as_context():
    assert read_with_next(np.array([0.2, 0.8, 0.4])).tolist() == pytest.approx([0.5, 0.6, 0.4])
    assert read_with_next(np.array([0.3])).tolist() == [0.3]
    assert read_with_next(np.array([])).tolist() == []
