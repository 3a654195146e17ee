import numpy as np
import pytest

from ros1qa.ask.token_match import PieceMatch, piece_match


def test_each_question_piece_finds_its_nearest_passage_piece_recall_is_their_mean_and_weakest_the_least():
    question = np.array([[1.0, 0.0], [0.0, 1.0]])
    passage = np.array([[1.0, 0.0], [0.6, 0.8]])
    found = piece_match(question, passage)
    assert found.recall == pytest.approx((1.0 + 0.8) / 2) and found.weakest == pytest.approx(0.8)
    assert piece_match(question, question) == PieceMatch(pytest.approx(1.0), pytest.approx(1.0))
    assert piece_match(question[:0], passage) == piece_match(question, passage[:0]) == PieceMatch(0.0, 0.0)


def test_one_piece_the_passage_never_speaks_of_sets_weakest_however_well_the_rest_match():
    question = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # the third: a detail the page lacks
    passage = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    found = piece_match(question, passage)
    assert found.recall == pytest.approx(2 / 3) and found.weakest == pytest.approx(0.0)
