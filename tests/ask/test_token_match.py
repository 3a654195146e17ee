import numpy as np
import pytest

from ros1qa.ask.token_match import content, pieces, soft_recall
from ros1qa.index.embedding import TokenVectors


def test_content_pieces_are_neither_markers_nor_punctuation_nor_stop_words():
    tokens = ("[CLS]", "is", "it", "ro", "##s", "##1", "safe", "?", "[SEP]", "[PAD]")
    assert content(tokens).tolist() == [False, False, False, True, True, True, True, False, False, False]


def test_pieces_keeps_the_content_rows_at_unit_length():
    read = TokenVectors(("[CLS]", "the", "liver", "?", "[SEP]"), np.array([[1.0, 0], [0, 2.0], [3.0, 4.0], [1, 1], [5, 0]]))
    assert pieces(read).tolist() == [[pytest.approx(0.6), pytest.approx(0.8)]] and pieces(read).dtype == np.float32


def test_soft_recall_is_the_mean_best_cosine_of_each_question_piece():
    question = np.array([[1.0, 0.0], [0.0, 1.0]])
    passage = np.array([[1.0, 0.0], [0.6, 0.8]])
    assert soft_recall(question, passage) == pytest.approx((1.0 + 0.8) / 2)  # each piece finds its nearest
    assert soft_recall(question, question) == pytest.approx(1.0)
    assert soft_recall(question[:0], passage) == soft_recall(question, passage[:0]) == 0.0
