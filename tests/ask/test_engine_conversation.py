"""The engine in a conversation: follow-ups read with the question before, small talk, "tell me more"."""

import copy
from dataclasses import dataclass, replace

import numpy as np
from tests.conftest import FAKE_MODEL

from ros1qa.ask import messages
from ros1qa.ask.answer_model import AnswerModel
from ros1qa.ask.conversation import FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION
from ros1qa.ask.engine import Engine
from ros1qa.learning.evaluation import plain_engine

FIRST = "What is CAR-T cell therapy?"


@dataclass(frozen=True)
class FixedChat:
    """A small-talk model that calls every message the same thing (None: a question)."""

    said: str | None
    model_id: str = FAKE_MODEL
    sure: bool = True  # the small-talk model is sure of it (not only just over its threshold)
    leaning: bool = False  # it says so only at a lower threshold than its own (more likely small talk than not)

    def intent(self, vector: np.ndarray, threshold: float | None = None) -> str | None:
        return None if self.leaning and threshold is None else self.said

    def unsure(self, vector: np.ndarray) -> bool:
        return not self.sure


def follow_up_model(bias: float) -> AnswerModel:
    """Reads every follow-up with the question before it (bias > 0) or alone (bias < 0)."""
    size = len(FOLLOW_UP_FEATURES)
    return AnswerModel(FAKE_MODEL, np.zeros(size), np.ones(size), np.zeros(size), bias, 0.5, 1, ("p",),
                       FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION)


def chatting(engine: Engine, said: str | None = None, bias: float = 10.0, sure: bool = True) -> Engine:
    return engine.with_models(engine.answer_model, FixedChat(said, sure=sure),  # type: ignore[arg-type]
                              follow_up_model(bias))


def test_a_follow_up_is_read_with_the_question_before_it_at_the_cost_of_one_encode_more(fake_engine, embedder):
    engine = chatting(fake_engine)
    calls = embedder.calls
    first = engine.respond(FIRST)[0]
    assert (first.read_with, first.searched) == ((), FIRST)  # nothing before it: read alone
    assert embedder.calls == calls + 1
    follow_up = engine.respond("is it tested in ROS1+ cancer?", [first])[0]
    assert embedder.calls == calls + 3
    assert follow_up.read_with == (FIRST,) and follow_up.searched == f"{FIRST} is it tested in ROS1+ cancer?"
    assert follow_up.to_dict()["read_as"] == follow_up.searched


def test_a_follow_up_read_together_must_be_surer_by_the_follow_up_margin(fake_engine):
    first = chatting(fake_engine).respond(FIRST)[0]
    message = "how does it work in ROS1+ cancer?"  # no labelled question's verdict for it
    at = {margin: chatting(tuned(fake_engine, follow_up_margin=margin)).respond(message, [first])[0]
          for margin in (0.0, 10.0)}
    assert at[0.0].status == "answered" and at[10.0].status == "not_found"
    assert at[10.0].read_with == (FIRST,)  # read together all the same, and it says so
    # A question read alone is not held to it.
    assert chatting(tuned(fake_engine, follow_up_margin=10.0)).respond(FIRST)[0].status == "answered"


def test_a_follow_up_read_together_is_judged_by_its_own_word_pieces(fake_engine):
    # The joined text's pieces hold the question before, which the passage that answered it matches well.
    joined = f"{FIRST} is it tested in ROS1+ cancer?"
    alone, together = fake_engine._read("is it tested in ROS1+ cancer?", joined)
    assert together is not None and len(alone.pieces) and np.array_equal(together.pieces, alone.pieces)
    # A message without content pieces of its own ("why?") is judged by the joined text's.
    why, why_together = fake_engine._read("why?", f"{FIRST} why?")
    assert why_together is not None and not len(why.pieces) and len(why_together.pieces)


def test_a_self_contained_question_is_read_alone(fake_engine):
    engine = chatting(fake_engine, bias=-10.0)
    first = engine.respond(FIRST)[0]
    switched = engine.respond("Is immunotherapy used first for ROS1+ cancer?", [first])[0]
    assert switched.read_with == () and switched.to_dict()["read_as"] == switched.question


def tuned(engine: Engine, **changes: float) -> Engine:
    """The engine with other retrieval settings (``follow_up_prior``: the bonus for the passage the answer before led
    with, when a follow-up is read together; ``follow_up_margin``: how much surer a follow-up read together must be)."""
    other = copy.copy(engine)
    other.settings = replace(engine.settings, **changes)
    return other


def test_a_follow_up_read_together_favours_the_passage_just_shown_and_a_message_read_alone_does_not(fake_engine):
    first = chatting(fake_engine).respond(FIRST)[0]
    shown = first.quotes[0]
    follow_up = "is immunotherapy used first for ROS1+ cancer?"  # read together, it would lead elsewhere
    leads = {bonus: chatting(tuned(fake_engine, follow_up_prior=bonus)).respond(follow_up, [first])[1][0].passage
             for bonus in (0.0, 10.0)}
    passages = fake_engine.index.passages
    assert (passages[leads[0.0]].start, passages[leads[0.0]].end) != (shown.start, shown.end)
    assert (passages[leads[10.0]].doc_id, passages[leads[10.0]].start, passages[leads[10.0]].end) == \
        (shown.document, shown.start, shown.end)
    # Read alone (a new question), the same order whatever the bonus.
    alone = {bonus: [r.passage for r in chatting(tuned(fake_engine, follow_up_prior=bonus), bias=-10.0).respond(follow_up, [first])[1]]
             for bonus in (0.0, 10.0)}
    assert alone[0.0] == alone[10.0]
    # Nothing shown before (the question before was refused): no passage is favoured.
    refused = fake_engine.respond("Who won the football game last night?")[0]
    assert chatting(tuned(fake_engine, follow_up_prior=10.0))._shown_before([refused]) == {}


def test_ask_with_a_history_answers_the_earlier_messages_first(fake_engine):
    engine = chatting(fake_engine)
    assert engine.ask("is it tested in ROS1+ cancer?", [FIRST]).read_with == (FIRST,)


def test_small_talk_gets_its_fixed_reply_but_an_emergency_is_routed_first(fake_engine):
    engine = chatting(fake_engine, "greeting")
    hello = engine.ask("hello there")
    assert (hello.status, hello.message, hello.quotes) == ("small_talk", messages.SMALL_TALK["greeting"], ())
    assert engine.ask("now I can't breathe", [FIRST]).status == "urgent"


def test_a_message_that_asks_nothing_is_small_talk_when_more_likely_so_than_a_question(fake_engine):
    first = chatting(fake_engine).respond(FIRST)[0]
    leaning = fake_engine.with_models(fake_engine.answer_model, FixedChat("thanks", leaning=True),  # type: ignore[arg-type]
                                      follow_up_model(10.0))
    thanks = leaning.respond("ok thanks, car-t cell therapy sounds reassuring", [first])[0]
    assert (thanks.status, thanks.message) == ("small_talk", messages.SMALL_TALK["thanks"])
    # As likely, but it asks something: a question to search, read with the question before it.
    asked = leaning.respond("is it tested in ROS1+ cancer?", [first])[0]
    assert asked.status == "answered" and asked.read_with == (FIRST,)


def test_after_a_question_a_message_only_just_read_as_asking_the_assistant_can_be_a_follow_up(fake_engine):
    # "why?" reads like frustration, but only just: after a question it continues, and the pages answer it so read.
    first = chatting(fake_engine).respond(FIRST)[0]
    why = chatting(fake_engine, "frustration", sure=False).respond("is it tested in ROS1+ cancer?", [first])[0]
    assert why.status == "answered" and why.read_with == (FIRST,)
    # Sure of it, or with no question before, or not a kind that asks something: the fixed reply.
    for engine, earlier in ((chatting(fake_engine, "frustration"), [first]),
                            (chatting(fake_engine, "frustration", sure=False), []),
                            (chatting(fake_engine, "thanks", sure=False), [first])):
        assert engine.respond("is it tested in ROS1+ cancer?", earlier)[0].status == "small_talk"
    # Read alone (the follow-up model says it does not continue): the fixed reply.
    alone = chatting(fake_engine, "frustration", bias=-10.0, sure=False).respond("is it tested in ROS1+ cancer?", [first])
    assert alone[0].status == "small_talk"


def test_after_a_question_asking_what_it_does_with_a_word_pointing_back_can_be_a_follow_up(fake_engine):
    # "How does it work?" after "What is CAR-T cell therapy?" asks about CAR-T, however sure the small-talk model is.
    first = chatting(fake_engine).respond(FIRST)[0]
    lenient = tuned(fake_engine, follow_up_margin=0.0)  # the fake model's follow-ups are never much surer
    pointing = chatting(lenient, "capabilities").respond("how does it work in ROS1+ cancer?", [first])[0]
    assert pointing.status == "answered" and pointing.read_with == (FIRST,)
    # No word pointing back, or frustration ("that's not what I asked"), or nothing asked before: the fixed reply.
    for intent, message, earlier in (("capabilities", "what can you do in ROS1+ cancer?", [first]),
                                     ("frustration", "that is not tested in ROS1+ cancer", [first]),
                                     ("capabilities", "how does it work in ROS1+ cancer?", [])):
        assert chatting(fake_engine, intent).respond(message, earlier)[0].status == "small_talk"


def test_tell_me_more_quotes_the_whole_section_of_the_last_answer_word_for_word(fake_engine):
    first = fake_engine.respond(FIRST)[0]
    assert first.status == "answered"
    more = chatting(fake_engine, "more").respond("tell me more", [first])[0]
    [section] = more.quotes
    text = {d.doc_id: d.text for d in fake_engine.index.documents}[section.document]
    assert more.status == "answered" and text[section.start:section.end] == section.text
    assert section.start <= first.quotes[0].start and first.quotes[0].end <= section.end
    assert first.quotes[0].text in section.text and section.text != first.quotes[0].text
    assert all(0 <= a < b <= len(section.text) for a, b in section.highlight)
    assert more.read_with == (FIRST,) and more.searched == first.searched


def test_tell_me_more_with_nothing_answered_before_says_so(fake_engine):
    engine = chatting(fake_engine, "more")
    refused = fake_engine.respond("Who won the football game last night?")[0]
    for earlier in ([], [refused]):
        answer = engine.respond("tell me more", earlier)[0]
        assert (answer.status, answer.message) == ("small_talk", messages.SMALL_TALK["more"])


def test_the_plain_baselines_read_every_message_alone(fake_engine):
    dense = plain_engine(fake_engine, "dense")
    first = dense.respond(FIRST)[0]
    assert dense.respond("is it tested in ROS1+ cancer?", [first])[0].read_with == ()
