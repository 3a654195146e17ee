"""The ``ros1qa ask --jsonl`` contract: one line in, one answer line out.

A line is a question as plain text, or a JSON object ``{"question": "...", "history": ["earlier message", ...]}``
(history oldest first; only the last ``MAX_HISTORY`` messages are read). A line that is not such an object is read as plain text, so questions that happen to
look like JSON still work. The earlier messages of a line are answered first, as the app answers them;
within one run, the answers to a history already seen (the lines before, in a conversation sent turn by turn)
are reused, so a conversation costs what its turns cost. Nothing is kept after the run.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ros1qa.ask.answer import Answer
from ros1qa.ask.conversation import MAX_HISTORY

REMEMBERED = 256  # histories whose answers are kept during one run


@dataclass(frozen=True)
class Line:
    question: str
    history: tuple[str, ...] = ()


def read_line(line: str) -> Line:
    """A line of input as a question and its history."""
    text = line.rstrip("\r\n")
    if text.lstrip().startswith("{"):
        try:
            item = json.loads(text)
        except ValueError:
            return Line(text)
        question, history = item.get("question"), item.get("history", [])
        if isinstance(question, str) and isinstance(history, list) and all(isinstance(h, str) for h in history):
            return Line(question, tuple(history[len(history) - MAX_HISTORY:] if len(history) > MAX_HISTORY else history))
    return Line(text)


class Replayer:
    """Answers questions with their histories, reusing the answers to histories seen earlier in the run."""

    def __init__(self, respond: Callable[[str, Sequence[Answer]], Answer]) -> None:
        self.respond = respond
        self.seen: OrderedDict[tuple[str, ...], tuple[Answer, ...]] = OrderedDict()

    def ask(self, line: Line) -> Answer:
        earlier = self._earlier(line.history)
        answer = self.respond(line.question, earlier)
        self._remember((*line.history, line.question), (*earlier, answer))
        return answer

    def _earlier(self, history: tuple[str, ...]) -> tuple[Answer, ...]:
        if not history:
            return ()
        if history in self.seen:
            self.seen.move_to_end(history)
            return self.seen[history]
        before = self._earlier(history[:-1])
        earlier = (*before, self.respond(history[-1], before))
        self._remember(history, earlier)
        return earlier

    def _remember(self, history: tuple[str, ...], answers: tuple[Answer, ...]) -> None:
        self.seen[history] = answers
        self.seen.move_to_end(history)
        while len(self.seen) > REMEMBERED:
            self.seen.popitem(last=False)
