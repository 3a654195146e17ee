import numpy as np
import pytest

from ros1qa.ask import messages
from ros1qa.ask.answer import Answer, Quote
from ros1qa.ask.answer_model import AnswerModel
from ros1qa.ask.conversation import (
    EARLIER_WORDS,
    FOLLOW_UP_FEATURES,
    FOLLOW_UP_VERSION,
    MAX_EARLIER,
    FollowUp,
    context,
    continues,
    joined,
    last_question,
    together,
)

QUOTE = Quote("Text.", "doc.txt", "Title", "", "https://x.org", 1.0, 0, 5, ((0, 5),))


def answered(question: str, read_with: tuple[str, ...] = ()) -> Answer:
    return Answer(question, "answered", "", (QUOTE,), read_with, joined(read_with, question) if read_with else "")


def evidence(alone: float = 0.4, together_: float = 0.8, words: tuple[str, ...] = ("why", "not")) -> FollowUp:
    return FollowUp(alone, together_, 0.3, 0.6, 0.7, 0, 0, words, True, 1.0)


def test_a_follow_up_continues_the_last_question_passing_over_small_talk_and_emergencies():
    earlier = [answered("What is immunotherapy?"), Answer("thanks", "small_talk", messages.SMALL_TALK["thanks"]),
               Answer("I can't breathe", "urgent", messages.URGENT)]
    assert context(earlier) == ("What is immunotherapy?",)
    assert last_question(earlier) is earlier[0]
    refused = Answer("Does insurance pay?", "not_found", messages.NOT_FOUND)
    assert context([*earlier, refused]) == ("Does insurance pay?",)  # a refused question is still the topic
    assert context([]) == () and context(earlier[1:]) == ()


def test_a_chain_of_follow_ups_keeps_at_most_the_question_before_the_last():
    first = answered("What are checkpoint inhibitors?")
    second = answered("are they used for lung cancer?", ("What are checkpoint inhibitors?",))
    assert context([first, second]) == ("What are checkpoint inhibitors?", "are they used for lung cancer?")
    third = answered("so why not for ros1?", context([first, second]))
    assert len(context([first, second, third])) == MAX_EARLIER
    assert context([first, second, third])[-1] == "so why not for ros1?"


def test_joined_is_the_patients_own_words_in_order():
    assert joined(("What is immunotherapy?",), "why?") == "What is immunotherapy? why?"
    assert joined((), "why?") == "why?"


def test_a_follow_up_is_read_with_the_end_of_a_long_earlier_message_where_its_question_is():
    story = " ".join(f"w{i}" for i in range(EARLIER_WORDS)) + " so should he take it?"
    read = joined((story,), "why?")
    assert read.endswith("should he take it? why?") and not read.startswith("w0 ")
    assert len(read.split()) == EARLIER_WORDS + 1


def test_the_follow_up_vector_weighs_the_message_as_much_as_the_joined_text():
    message, joined_vector = np.array([1.0, 0.0], dtype=np.float32), np.array([0.0, 1.0], dtype=np.float32)
    summed = together(message, joined_vector)
    assert summed.dtype == np.float32 and summed == pytest.approx(np.array([1, 1]) / np.sqrt(2))
    assert np.linalg.norm(summed) == pytest.approx(1.0)


def test_features_follow_their_names_and_see_a_word_that_points_back():
    row = evidence(words=("does", "it", "work"))
    assert len(row.features()) == len(FOLLOW_UP_FEATURES)
    named = dict(zip(FOLLOW_UP_FEATURES, row.features()))
    assert named["refers"] == 1.0 and named["gain"] == pytest.approx(0.4) and named["score_gain"] == pytest.approx(0.3)
    assert named["words"] == pytest.approx(np.log1p(3))
    assert dict(zip(FOLLOW_UP_FEATURES, evidence(words=("how", "is", "ros1", "tested")).features()))["refers"] == 0.0


def test_without_a_model_the_surer_reading_wins_and_with_one_its_probability_decides():
    assert continues(evidence(0.4, 0.8), None) and not continues(evidence(0.8, 0.4), None)
    size = len(FOLLOW_UP_FEATURES)
    weights = np.zeros(size)
    weights[FOLLOW_UP_FEATURES.index("refers")] = 5.0  # reads with the turn before only what points back

    def model(bias: float) -> AnswerModel:
        return AnswerModel("m", np.zeros(size), np.ones(size), weights, bias, 0.5, 10, ("p",), FOLLOW_UP_FEATURES,
                           FOLLOW_UP_VERSION)

    assert continues(evidence(0.9, 0.1, ("is", "it", "safe")), model(-2.0))
    assert not continues(evidence(0.1, 0.9, ("how", "is", "ros1", "tested")), model(-2.0))


def test_tell_me_more_asks_nothing_new_so_the_question_before_it_is_continued():
    first = answered("What is CAR-T cell therapy?")
    more = Answer("tell me more", "answered", "", (QUOTE,), ("What is CAR-T cell therapy?",), first.searched)
    assert context([first, more]) == ("What is CAR-T cell therapy?",)
    assert last_question([first, more]) is first
    typed = Answer(" What is ROS1?\n", "not_found", messages.NOT_FOUND)  # as typed, spaces and all
    assert last_question([typed]) is typed and context([typed]) == ("What is ROS1?",)
