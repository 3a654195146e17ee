"""Score labelled conversations: follow-ups, topic switches, small talk, "tell me more", emergencies.

A conversation file is JSON Lines, one conversation a line::

    {"id": "c01", "page": "…", "turns": [{"q": "What is immunotherapy?", "kind": "answerable",
     "needs_history": false, "gold": ["…"]}, {"q": "does it work for ROS1?", "kind": "answerable",
     "needs_history": true, "gold": ["…"]}]}

``kind``: ``answerable`` (``gold`` holds the answer text), ``unanswerable``, ``small_talk``, ``more`` ("tell me
more" about the answer before) or ``urgent``; ``needs_history``: the message is understood only with the
turns before it. Each turn is asked with the answers to the turns before it, as the app asks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ros1qa.ask.answer import Answer
from ros1qa.ask.conversation import last_question
from ros1qa.ask.engine import Engine
from ros1qa.index.labels import read_json_lines, read_text
from ros1qa.learning.evaluation import gold_rank, plain_engine
from ros1qa.tables import render

TURN_KINDS = ("answerable", "unanswerable", "small_talk", "more", "urgent")
# What each figure counts (``category``): the first question of a conversation, a later self-contained one (a
# topic switch), a follow-up that needs the turns before it, and the rest by kind.
CATEGORIES = ("first", "switch", "follow_up", "unanswerable", "small_talk", "more", "urgent")
ASKED = ("first", "switch", "follow_up")  # answerable: also counted by the ranking alone, answered or not


@dataclass(frozen=True)
class Turn:
    question: str
    kind: str
    needs_history: bool
    gold: tuple[str, ...]


@dataclass(frozen=True)
class LabelledConversation:
    cid: str
    turns: tuple[Turn, ...]
    source: str = ""  # the file it came from (its stem)
    page: str = ""  # the page it is about (its file name without ".txt"), when the file says


def load_conversations(path: Path) -> list[LabelledConversation]:
    """Every conversation of one JSONL file; raises CorpusError naming the line that is not one."""

    def conversation(item: dict, number: int) -> LabelledConversation:
        turns = tuple(Turn(str(t["q"]), str(t["kind"]), bool(t.get("needs_history", False)),
                           tuple(str(g) for g in t.get("gold", []))) for t in item["turns"])
        unknown = {t.kind for t in turns} - set(TURN_KINDS)
        if unknown:
            raise ValueError(f"unknown turn kind {min(unknown)!r}")
        return LabelledConversation(str(item.get("id", number)), turns, path.stem, str(item.get("page", "")))

    return read_json_lines(path, conversation, "a conversation line")


def conversations_in(folder: Path) -> list[LabelledConversation]:
    """Every conversation of the JSONL files in ``folder`` (none when it does not exist), file by file in name order."""
    return [c for path in sorted(folder.glob("*.jsonl")) for c in load_conversations(path)]


def is_conversation_file(path: Path) -> bool:
    """Whether a labelled file holds conversations (its first line has ``turns``) rather than questions."""
    first = next((line for line in read_text(path).splitlines() if line.strip()), "")
    try:
        return "turns" in json.loads(first)
    except ValueError:
        return False


def category(turns: Sequence[Turn], position: int) -> str:
    turn = turns[position]
    if turn.kind != "answerable":
        return turn.kind
    if turn.needs_history:
        return "follow_up"
    asked_before = any(t.kind in ("answerable", "unanswerable") for t in turns[:position])
    return "switch" if asked_before else "first"


@dataclass(frozen=True)
class TurnResult:
    conversation: str
    position: int
    category: str
    right: bool  # the figure's success: the first passage holds the gold and is shown; refused; small talk; routed
    answer: Answer
    ranked_first: bool = False  # answerable: the first passage of the ranking holds the gold, shown or not


def score_conversations(conversations: Sequence[LabelledConversation],
                        respond: Callable[[str, list[Answer]], tuple[Answer, list[str]]]) -> list[TurnResult]:
    """Every turn's result; ``respond(message, earlier answers)`` gives the answer and the ranked passage texts."""
    results = []
    for conversation in conversations:
        earlier: list[Answer] = []
        for position, turn in enumerate(conversation.turns):
            answer, ranked = respond(turn.question, earlier)
            first = turn.kind == "answerable" and gold_rank(turn.gold, ranked[:1]) == 1
            results.append(TurnResult(conversation.cid, position, category(conversation.turns, position),
                                      _right(turn, answer, ranked, earlier), answer, first))
            earlier.append(answer)
    return results


def _right(turn: Turn, answer: Answer, ranked: list[str], earlier: list[Answer]) -> bool:
    if turn.kind == "answerable":
        return answer.status == "answered" and gold_rank(turn.gold, ranked[:1]) == 1
    if turn.kind == "unanswerable":
        return answer.status == "not_found"
    if turn.kind == "small_talk":
        return answer.status == "small_talk"
    if turn.kind == "more":  # the section of the answer before, or small talk when there was none
        before = last_question(earlier)
        if before is None or before.status != "answered":
            return answer.status == "small_talk"
        return answer.status == "answered" and before.quotes[0].text in answer.quotes[0].text
    return answer.status == "urgent"


def evaluate_conversation_modes(hybrid: Engine, conversations: Sequence[LabelledConversation]) -> dict[str, list[TurnResult]]:
    """Every turn's result for ros1qa and its dense-only and BM25-only baselines (which read each message alone)."""
    results = {}
    for mode in ("hybrid", "dense", "bm25"):
        engine = hybrid if mode == "hybrid" else plain_engine(hybrid, mode)  # type: ignore[arg-type]

        def respond(message: str, earlier: list[Answer], engine: Engine = engine) -> tuple[Answer, list[str]]:
            answer, ranked = engine.respond(message, earlier)
            return answer, [engine.index.passages[r.passage].text for r in ranked]

        results[mode] = score_conversations(conversations, respond)
    return results


def shares(results: Sequence[TurnResult], ranked: bool = False) -> dict[str, tuple[int, int]]:
    """Per category: (right, turns); ``ranked``: right by the ranking alone, answered or not (``ASKED`` only)."""
    return {c: (sum(r.ranked_first if ranked else r.right for r in results if r.category == c),
                sum(1 for r in results if r.category == c)) for c in (ASKED if ranked else CATEGORIES)}


def format_conversation_table(results: dict[str, Sequence[TurnResult]], markdown: bool = False) -> str:
    """One row per category, then one per answerable category by the ranking alone (the baselines always answer);
    one column per system: the share right and the count (plain text, or Markdown)."""
    labels = {"first": "first questions: first passage right", "switch": "topic switches: first passage right",
              "follow_up": "follow-ups: first passage right", "unanswerable": "unanswerable: refused",
              "small_talk": "small talk: answered as small talk", "more": "“tell me more”: section shown",
              "urgent": "emergencies routed"}
    rows = [[labels[c], *cells] for c, cells in _cells(results, False).items()]
    rows += [[f"{labels[c].split(':')[0]}: ranked first, answered or not", *cells]
             for c, cells in _cells(results, True).items()]
    return render(["turns", *results], rows, markdown)


def _cells(results: dict[str, Sequence[TurnResult]], ranked: bool) -> dict[str, list[str]]:
    """Per category, one cell per system: the share right and the count."""
    counted = [shares(rows, ranked) for rows in results.values()]
    return {c: [f"{right / total:.3f} ({total:>3})" if total else "—" for right, total in (n[c] for n in counted)]
            for c in (ASKED if ranked else CATEGORIES)}
