"""Tables for volunteers: many questions → answer rows (CSV, JSONL); one question → its passages with scores.

An answer row is made from ``Answer.to_dict()``, the object ``ros1qa ask --jsonl`` prints, so the
page's table, its CSV and its JSONL say what the command line says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ros1qa.ask.answer import Answer
from ros1qa.ask.retrieval import RankedPassage
from ros1qa.errors import Ros1qaError
from ros1qa.ingest.chunking import Passage
from ros1qa.presentation import spreadsheet_cell

MAX_QUESTIONS = 500  # per upload: ~30 ms each on two cores
ROW_COLUMNS = ("question", "status", "quote", "citation", "url", "confidence", "other_passages", "message")


class BatchError(Ros1qaError):
    """An uploaded file of questions cannot be used; says why."""


@dataclass(frozen=True)
class ScoredPassage:
    """One ranked passage as a volunteer judges it: the scores behind the decision to answer."""

    rank: int
    confidence: float
    above_threshold: bool
    score: float
    dense: float
    lexical: float
    coverage: float
    title: str
    section: str
    text: str


def read_questions(data: bytes, filename: str) -> list[str]:
    """Questions from an upload: a CSV's ``question`` column (else its first), or one per line of text.

    Lines are read as ``ros1qa ask --jsonl`` reads stdin: line ends removed, blank lines skipped.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError(f"{filename} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and upload again") from exc
    if filename.lower().endswith(".csv"):
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
        header = [cell.strip().lower() for cell in rows[0]] if rows else []
        column = header.index("question") if "question" in header else 0
        body = rows[1:] if "question" in header else rows
        questions = [row[column] if column < len(row) else "" for row in body]
    else:
        questions = [line.rstrip("\r\n") for line in io.StringIO(text, newline=None)]
    questions = [q for q in questions if q.strip()]
    if not questions:
        raise BatchError(f"No questions found in {filename}: put one question per line (or a 'question' column)")
    if len(questions) > MAX_QUESTIONS:
        raise BatchError(
            f"{filename} has {len(questions)} questions; at most {MAX_QUESTIONS} at a time, please split it")
    return questions


def ask_all(ask: Callable[[str], Answer], questions: Sequence[str],
            progress: Callable[[int, int], None] | None = None) -> list[Answer]:
    """Every question's answer, in order; ``progress(done, total)`` after each."""
    answers = []
    for done, question in enumerate(questions, start=1):
        answers.append(ask(question))
        if progress is not None:
            progress(done, len(questions))
    return answers


def answer_row(answer: Answer) -> dict[str, str]:
    """One table row: status, the top passage word for word, where it comes from, and the message if any."""
    record = answer.to_dict()
    passages = record["passages"]
    top = passages[0] if passages else None
    citation = answer.quotes[0].label if answer.quotes else ""
    return {
        "question": record["question"],
        "status": record["status"],
        "quote": top["text"] if top else "",
        "citation": citation,
        "url": top["url"] if top else "",
        "confidence": f"{top['score']:.3f}" if top else "",
        "other_passages": str(max(0, len(passages) - 1)),
        "message": record["message"],
    }


def answers_csv(answers: Iterable[Answer]) -> str:
    """The rows as CSV for a spreadsheet (cells that would start a formula get a leading apostrophe)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for answer in answers:
        writer.writerow({key: spreadsheet_cell(value) for key, value in answer_row(answer).items()})
    return out.getvalue()


def answers_jsonl(answers: Iterable[Answer]) -> str:
    return "".join(answer.to_jsonl() + "\n" for answer in answers)


def scored_passages(ranked: Sequence[RankedPassage], passages: Sequence[Passage], threshold: float,
                    limit: int = 5) -> list[ScoredPassage]:
    """The top ``limit`` ranked passages with every score, and whether each clears the threshold."""
    return [
        ScoredPassage(
            rank=rank, confidence=r.confidence, above_threshold=r.confidence >= threshold, score=r.score,
            dense=r.dense, lexical=r.lexical, coverage=r.coverage,
            title=passages[r.passage].title, section=passages[r.passage].section, text=passages[r.passage].text,
        )
        for rank, r in enumerate(ranked[:limit], start=1)
    ]
