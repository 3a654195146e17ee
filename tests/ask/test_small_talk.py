import json
from pathlib import Path

import numpy as np
import pytest

from ros1qa.ask.small_talk import (
    INTENTS,
    LEANING,
    QUESTION,
    SURE,
    SmallTalkModel,
    labelled_chat,
    load_small_talk,
    save_small_talk,
    train_small_talk,
)
from ros1qa.errors import Ros1qaError
from ros1qa.safety.urgency import message_files

REPO = Path(__file__).resolve().parents[2]
HELD_OUT = REPO / "eval" / "messages" / "small_talk2_messages.jsonl"  # measures only: never trained on
WORDS = {"hello": 0, "thanks": 1, "more": 2}  # a message's axis in the toy vectors; questions take the last


def read(texts: list[str]) -> np.ndarray:
    vectors = np.zeros((len(texts), 4))
    for row, text in enumerate(texts):
        vectors[row, next((axis for word, axis in WORDS.items() if word in text), 3)] = 3.0
    return vectors


def _files(tmp_path: Path) -> list[Path]:
    chat, talks = tmp_path / "chat.jsonl", tmp_path / "talks.jsonl"
    lines = [{"id": f"g{n}", "kind": "small_talk", "intent": "greeting", "q": f"hello {n}"} for n in range(3)]
    lines += [{"id": f"t{n}", "kind": "small_talk", "intent": "thanks", "q": f"thanks {n}"} for n in range(3)]
    lines += [{"id": f"q{n}", "kind": "not_small_talk", "q": f"what is a tki {n}"} for n in range(3)]
    chat.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    talk = {"id": "c", "turns": [{"q": "what is ros1", "kind": "answerable"}, {"q": "tell me more", "kind": "more"},
                                 {"q": "bye", "kind": "small_talk"}]}
    talks.write_text(json.dumps(talk) + "\n", encoding="utf-8")
    return [chat, talks]


def test_chat_lines_give_their_intent_and_conversations_their_questions_and_more(tmp_path):
    found = labelled_chat(_files(tmp_path))
    assert found[0] == ("hello 0", "greeting") and found[6] == ("what is a tki 0", QUESTION)
    assert found[-2:] == [("what is ros1", QUESTION), ("tell me more", "more")]  # "bye" names no intent: left out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "kind": "small_talk", "intent": "flirting", "q": "hey you"}\n', encoding="utf-8")
    with pytest.raises(Ros1qaError, match="bad.jsonl:1"):
        labelled_chat([bad])


def test_the_model_names_the_kind_of_small_talk_and_leaves_questions_alone(tmp_path):
    model = train_small_talk(_files(tmp_path), read, "m")
    assert model.classes == ("greeting", "thanks", "more", QUESTION) and model.examples == 11
    assert [model.intent(v) for v in read(["hello there", "thanks!", "more please", "is it safe?"])] == [
        "greeting", "thanks", "more", None]
    unsure = SmallTalkModel("m", model.classes, model.weights, model.bias, 1.01, 0)
    assert unsure.intent(read(["hello"])[0]) is None  # only a sure model calls a message small talk
    assert unsure.intent(read(["hello"])[0], LEANING) == "greeting"  # more likely small talk than not, at LEANING
    save_small_talk(model, tmp_path / "model.npz")
    loaded = load_small_talk(tmp_path / "model.npz")
    assert loaded is not None and loaded.classes == model.classes and np.array_equal(loaded.weights, model.weights)
    assert load_small_talk(tmp_path / "none.npz") is None


def test_a_message_is_small_talk_only_just_below_sure(tmp_path):
    model = train_small_talk(_files(tmp_path), read, "m")
    hello = read(["hello"])[0]
    small = 1.0 - model.probabilities(hello)[model.classes.index(QUESTION)]
    assert small >= SURE and not model.unsure(hello)
    halfway = hello / 3.0 + read(["is it safe?"])[0] / 6.0  # nearer the questions: less sure it is small talk
    assert 1.0 - model.probabilities(halfway)[model.classes.index(QUESTION)] < SURE and model.unsure(halfway)


def test_training_needs_small_talk_and_questions(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "1", "kind": "answerable", "q": "x", "gold": ["y"]}\n', encoding="utf-8")
    with pytest.raises(Ros1qaError, match="small-talk"):
        train_small_talk([questions], read, "m")


@pytest.mark.slow
def test_the_shipped_model_decides_as_training_on_todays_messages_does(real_engine):
    """Retrain with ``ros1qa train`` after changing the messages, the conversations or how questions are read.
    Decisions are compared, not weights (float32 vectors differ in their last bits between CPUs)."""
    shipped = real_engine.small_talk
    assert shipped is not None and shipped.classes == (*INTENTS, QUESTION)
    files = message_files(REPO / "corpus", REPO / "training")  # the labelled conversations among them
    fresh = train_small_talk(files, real_engine.vectors, real_engine.embedder.model_id)
    assert fresh.examples == shipped.examples
    vectors = real_engine.vectors([text for text, _ in labelled_chat(files)])
    differ = [n for n, v in enumerate(vectors) if fresh.intent(v) != shipped.intent(v)]
    assert len(differ) <= 3


@pytest.mark.slow
def test_held_out_small_talk_is_answered_as_such_and_no_look_alike_question_is(real_engine):
    """eval/messages/small_talk2 (written blind, never trained on). First run: 138 of 140 small talk, none of the
    80 look-alike questions taken for small talk. Stop 22, with twelve more training pages' questions and
    conversations: 136 of 140 ("what's this app do", "Which organisation runs this?", "This doesn't help at all.",
    "this is so frustrating" are searched as questions). Stop 24, at 42 training pages: 135 of 140 (the same four and
    "Can I ask you things on behalf of someone else?"); the model alone, so not counting stop 23's one message the
    emergency classifier took ("No more questions, take care"), which it no longer takes. Stop 25, at 50 training
    pages: 134 of 140 (the same five and "can you explain how this works before I start": the training
    conversations' follow-ups "how does it work?" are questions)."""
    chat = labelled_chat([HELD_OUT])
    vectors = real_engine.vectors([text for text, _ in chat])
    taken = [text for (text, label), v in zip(chat, vectors) if label == QUESTION and real_engine.small_talk.intent(v)]
    missed = [text for (text, label), v in zip(chat, vectors) if label != QUESTION and not real_engine.small_talk.intent(v)]
    assert taken == [] and len(missed) <= 6
