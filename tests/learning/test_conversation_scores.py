import json

import pytest

from ros1qa.ask import messages
from ros1qa.ask.answer import Answer, Quote
from ros1qa.errors import Ros1qaError
from ros1qa.learning.conversation_scores import (
    category,
    format_conversation_table,
    is_conversation_file,
    load_conversations,
    score_conversations,
    shares,
)

GOLD = "the answer sentence"


def _write(path, *conversations) -> None:
    path.write_text("".join(json.dumps(c) + "\n" for c in conversations), encoding="utf-8")


def turn(q: str, kind: str, needs_history: bool = False, gold: tuple[str, ...] = ()) -> dict:
    return {"q": q, "kind": kind, "needs_history": needs_history, "gold": list(gold)}


def test_conversations_load_with_their_turns_and_bad_lines_name_file_and_line(tmp_path):
    path = tmp_path / "talks.jsonl"
    _write(path, {"id": "c1", "page": "p", "turns": [turn("hi", "small_talk"), turn("What?", "answerable", gold=(GOLD,))]})
    [talk] = load_conversations(path)
    assert (talk.cid, talk.page, talk.source, len(talk.turns)) == ("c1", "p", "talks", 2)
    assert is_conversation_file(path)
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "q", "kind": "answerable", "q": "x", "gold": ["y"]}\n', encoding="utf-8")
    assert not is_conversation_file(questions)
    _write(path, {"id": "c2", "turns": [turn("x", "chit-chat")]})
    with pytest.raises(Ros1qaError, match="talks.jsonl:1"):
        load_conversations(path)


def test_each_turn_is_counted_as_first_question_topic_switch_follow_up_or_its_kind(tmp_path):
    path = tmp_path / "talks.jsonl"
    _write(path, {"id": "c1", "turns": [turn("hi", "small_talk"), turn("What is X?", "answerable", gold=(GOLD,)),
                                        turn("why?", "answerable", True, (GOLD,)), turn("And Y?", "answerable", gold=(GOLD,)),
                                        turn("tell me more", "more", True), turn("cost?", "unanswerable", True)]})
    turns = load_conversations(path)[0].turns
    assert [category(turns, n) for n in range(len(turns))] == [
        "small_talk", "first", "follow_up", "switch", "more", "unanswerable"]


def test_scoring_asks_each_turn_with_the_answers_before_it(tmp_path):
    path = tmp_path / "talks.jsonl"
    _write(path, {"id": "c1", "turns": [turn("What is X?", "answerable", gold=(GOLD,)), turn("why?", "answerable", True, (GOLD,)),
                                        turn("tell me more", "more", True), turn("thanks", "small_talk")]})
    quote = Quote(f"Here is {GOLD}.", "d", "T", "", "u", 1.0, 0, 10, ((0, 5),))
    seen = []

    def respond(message, earlier):
        seen.append((message, len(earlier)))
        if message == "thanks":
            return Answer(message, "small_talk", messages.SMALL_TALK["thanks"]), []
        if message == "why?":
            return Answer(message, "not_found", messages.NOT_FOUND), [quote.text, "other"]  # refused, ranked right
        return Answer(message, "answered", "", (quote,)), [quote.text]

    results = score_conversations(load_conversations(path), respond)
    assert seen == [("What is X?", 0), ("why?", 1), ("tell me more", 2), ("thanks", 3)]
    assert [r.right for r in results] == [True, False, False, True]  # "more" after a refusal: nothing to expand
    assert shares(results)["follow_up"] == (0, 1) and shares(results)["first"] == (1, 1)
    assert shares(results, ranked=True) == {"first": (1, 1), "switch": (0, 0), "follow_up": (1, 1)}  # refused, ranked
    table = format_conversation_table({"hybrid": results})
    assert "follow-ups: first passage right" in table and "0.000 (  1)" in table
    assert "follow-ups: ranked first, answered or not" in table and "1.000 (  1)" in table
