import json

from ros1qa.ask.answer import Answer
from ros1qa.ask.conversation import MAX_HISTORY
from ros1qa.jsonl import Line, Replayer, read_line


def test_a_line_is_plain_text_or_an_object_with_a_question_and_its_history():
    assert read_line("What is ROS1?\r\n") == Line("What is ROS1?")
    assert read_line('{"question": "why?", "history": ["What is ROS1?"]}\n') == Line("why?", ("What is ROS1?",))
    assert read_line('{"question": "why?"}') == Line("why?")
    for text in ('{"json": true}', '{broken', '{"question": 3}', '{"question": "q", "history": "not a list"}',
                 '{"question": "q", "history": [1]}', '["a list"]'):
        assert read_line(text) == Line(text)  # not the object form: read as the text it is
    many = [f"m{n}" for n in range(MAX_HISTORY + 5)]
    assert read_line(json.dumps({"question": "q", "history": many})).history == tuple(many[-MAX_HISTORY:])


def test_a_conversation_sent_turn_by_turn_answers_each_message_once():
    asked: list[tuple[str, int]] = []

    def respond(question: str, earlier) -> Answer:
        asked.append((question, len(earlier)))
        return Answer(question, "not_found", "no")

    replayer = Replayer(respond)
    replayer.ask(Line("a"))
    replayer.ask(Line("b", ("a",)))
    answer = replayer.ask(Line("c", ("a", "b")))
    assert asked == [("a", 0), ("b", 1), ("c", 2)] and answer.question == "c"
    replayer.ask(Line("z", ("x", "y")))  # a history never seen is answered first, oldest first
    assert asked[3:] == [("x", 0), ("y", 1), ("z", 2)]
