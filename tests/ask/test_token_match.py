import numpy as np
import pytest

from ros1qa.ask.token_match import soft_recall


def test_soft_recall_is_the_mean_best_cosine_of_each_question_piece():
    question = np.array([[1.0, 0.0], [0.0, 1.0]])
    passage = np.array([[1.0, 0.0], [0.6, 0.8]])
    assert soft_recall(question, passage) == pytest.approx((1.0 + 0.8) / 2)  # each piece finds its nearest
    assert soft_recall(question, question) == pytest.approx(1.0)
    assert soft_recall(question[:0], passage) == soft_recall(question, passage[:0]) == 0.0
