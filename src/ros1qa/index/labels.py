"""Labelled questions: data beside the pages they are about, read and resolved to passages by the build.

A labelled question file is JSON Lines, one question a line::

    {"id": "d01", "kind": "answerable", "q": "Is immunotherapy used first?", "gold": ["should NOT be used"],
     "page": "immunotherapy-and-ros1-cancer.txt"}

``kind`` is ``answerable`` (``gold``: strings copied from the page that hold the answer), ``unanswerable``
(the pages do not answer it), ``urgent`` or, in message sets, ``not_urgent``, ``small_talk`` or ``not_small_talk``. ``page`` is optional. The corpus keeps its labelled questions
in ``<corpus>/labelled/*.jsonl``; volunteers' marks from the app are written there too. Each build
resolves every answerable question to the passages whose text holds its gold text: an edit keeps every
question whose answer text is still in the pages, and reports the others, with their ids and why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from ros1qa.errors import CorpusError
from ros1qa.ingest.chunking import Passage

Kind = Literal["answerable", "unanswerable", "urgent", "not_urgent", "small_talk", "not_small_talk"]
# not_urgent, small_talk and not_small_talk: message sets (emergency look-alikes; chat and its look-alikes)
KINDS = ("answerable", "unanswerable", "urgent", "not_urgent", "small_talk", "not_small_talk")
LABELLED_DIR = "labelled"  # inside the corpus folder
T = TypeVar("T")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LabelledQuestion:
    qid: str
    kind: Kind
    question: str
    gold: tuple[str, ...] = ()
    source: str = ""  # the file it came from (its stem): a set is scored without its own questions
    page: str = ""  # the document it is about, when the file says

    @property
    def key(self) -> str:
        return f"{self.source}:{self.qid}"


@dataclass(frozen=True)
class Lost:
    key: str  # "<file stem>:<id>"
    reason: str


@dataclass(frozen=True)
class Resolved:
    """The labelled questions a build can use: each answerable one with the passages holding its answer."""

    questions: tuple[LabelledQuestion, ...]  # answerable and unanswerable, in file order
    passages: tuple[tuple[int, ...], ...]  # per question: passage numbers (empty for unanswerable ones)
    lost: tuple[Lost, ...]

    def summary(self) -> dict[str, object]:
        """What the manifest records: how many are used, of which kind, and what was lost and why."""
        answerable = sum(1 for q in self.questions if q.kind == "answerable")
        return {"answerable": answerable, "unanswerable": len(self.questions) - answerable,
                "lost": [{"id": lost.key, "reason": lost.reason} for lost in self.lost]}


def read_text(path: Path) -> str:
    """A labelled file's text; a file that is missing or unreadable raises CorpusError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc


def read_json_lines(path: Path, parse: Callable[[Any, int], T], what: str) -> list[T]:
    """``parse(object, line number)`` of every non-blank line of a JSON Lines file. A line that is not JSON, or
    that ``parse`` rejects (ValueError, KeyError, TypeError), raises CorpusError naming the file and line."""
    parsed = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed.append(parse(json.loads(line), number))
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path}:{number}: not {what} ({exc})") from exc
    return parsed


def load_question_file(path: Path) -> tuple[LabelledQuestion, ...]:
    """Every question of one JSONL file; raises CorpusError naming the line that is not one."""

    def question(item: dict, number: int) -> LabelledQuestion:
        if item["kind"] not in KINDS:
            raise ValueError(f"unknown kind {item['kind']!r}")
        gold = tuple(str(g) for g in item.get("gold", ()))
        return LabelledQuestion(str(item.get("id", number)), item["kind"], str(item["q"]), gold, path.stem,
                                str(item.get("page", "") or ""))

    return tuple(read_json_lines(path, question, "a labelled question"))


def labelled_files(folder: Path) -> list[Path]:
    """The JSONL files of a labelled-questions folder, in name order (none if there is no folder)."""
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def load_labelled(folder: Path) -> tuple[LabelledQuestion, ...]:
    return tuple(q for path in labelled_files(folder) for q in load_question_file(path))


def same_spacing(text: str) -> str:
    return SPACE.sub(" ", text)  # a gold string typed with a plain space matches a no-break space


def holds(text: str, gold: str) -> bool:
    """Whether ``text`` holds the gold string, whatever its spaces."""
    return same_spacing(gold) in same_spacing(text)


def holds_any(text: str, gold: Sequence[str]) -> bool:
    """Whether ``text`` holds any of a question's gold strings, whatever its spaces."""
    spaced = same_spacing(text)
    return any(same_spacing(g) in spaced for g in gold)


def on_page(page: str, doc_id: str) -> bool:
    """Whether a document is the page a label names (by file name, with or without its suffix; any page if none)."""
    return not page or page in (doc_id, doc_id.rsplit(".", 1)[0])


def resolve(questions: Sequence[LabelledQuestion], passages: Sequence[Passage]) -> Resolved:
    """Answerable questions → passages holding their gold text (on their page, if named); unanswerable ones kept
    while their page (if named) is in the corpus; the message sets' kinds are for other models, not used here."""
    documents = {p.doc_id for p in passages}
    kept: list[LabelledQuestion] = []
    found: list[tuple[int, ...]] = []
    lost: list[Lost] = []
    for question in questions:
        if question.kind not in ("answerable", "unanswerable"):  # message sets' kinds: for other models
            continue
        if question.page and not any(on_page(question.page, d) for d in documents):
            lost.append(Lost(question.key, f"page {question.page} is not in the corpus"))
            continue
        if question.kind == "unanswerable":
            kept.append(question)
            found.append(())
            continue
        holding = tuple(n for n, p in enumerate(passages)
                        if on_page(question.page, p.doc_id) and holds_any(p.text, question.gold))
        if holding:
            kept.append(question)
            found.append(holding)
        else:
            where = question.page or "any page"
            lost.append(Lost(question.key, f"its answer text is no longer in {where}"))
    return Resolved(tuple(kept), tuple(found), tuple(lost))
