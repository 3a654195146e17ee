"""Volunteers' marks: a question marked as answered by a passage, or as not covered, becomes a labelled question.

Marks are kept beside the corpus in ``<corpus>/labelled/volunteers.jsonl`` (the format of :mod:`ros1qa.index.labels`),
so the next ``ros1qa build`` resolves them to passages like every other labelled question. A question has one
line: its id is ``v`` + the first 10 hex digits of the sha256 of its text, and marking it again replaces that
line. Everything here is pure except :func:`write_labels`, which rewrites the file atomically (temp file, then
one rename) while holding a lock on the folder, so two volunteers marking at once both keep their marks.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ros1qa.ask.answer import UNSAFE_IN_JSONL, Quote
from ros1qa.errors import CorpusError, Ros1qaError
from ros1qa.index.labels import LABELLED_DIR, LabelledQuestion, holds

VOLUNTEERS_FILE = "volunteers.jsonl"
SOURCE = VOLUNTEERS_FILE.removesuffix(".jsonl")  # the labels module names a question's source by its file's stem


class MarkingError(Ros1qaError):
    """A mark cannot be written (the folder is not writable) or makes no labelled question; says why."""


@dataclass(frozen=True)
class Written:
    """What one write did: the file, and how many of its questions were new and how many replaced earlier marks."""

    path: Path
    added: int
    replaced: int


def volunteers_path(corpus_dir: Path) -> Path:
    return corpus_dir / LABELLED_DIR / VOLUNTEERS_FILE


def question_id(question: str) -> str:
    return "v" + hashlib.sha256(question.encode("utf-8")).hexdigest()[:10]


def highlighted(quotes: Sequence[Quote], document: str, text: str) -> tuple[str, ...]:
    """The highlighted sentence text(s) of the shown quote that is this passage; none if it was not shown."""
    for quote in quotes:
        if quote.document == document and quote.text == text:
            return tuple(quote.text[start:end] for start, end in quote.highlight if quote.text[start:end].strip())
    return ()


def answer_label(question: str, passage_text: str, highlight_texts: Iterable[str], document: str) -> LabelledQuestion:
    """The labelled question "``passage_text`` (of ``document``) answers ``question``": gold is the highlighted
    sentence text(s) when there are any, else the whole passage."""
    _check_question(question)
    gold = tuple(text for text in highlight_texts if text.strip()) or (passage_text,)
    if not passage_text.strip():
        raise MarkingError("The marked passage is empty: mark a passage that holds the answer")
    outside = [text for text in gold if not holds(passage_text, text)]
    if outside:
        raise MarkingError(f"The highlighted text is not in the marked passage: {outside[0][:80]!r}")
    return LabelledQuestion(question_id(question), "answerable", question, gold, SOURCE, document)


def not_covered_label(question: str) -> LabelledQuestion:
    """The labelled question "the pages do not answer ``question``"."""
    _check_question(question)
    return LabelledQuestion(question_id(question), "unanswerable", question, (), SOURCE, "")


def _check_question(question: str) -> None:
    if not question.strip():
        raise MarkingError("There is no question to mark")


def to_line(label: LabelledQuestion) -> str:
    """One JSON line in the labels format; characters some readers take for line ends are escaped."""
    item = {"id": label.qid, "kind": label.kind, "q": label.question, "gold": list(label.gold), "page": label.page}
    return UNSAFE_IN_JSONL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(item, ensure_ascii=False))


def merged(existing: str, labels: Sequence[LabelledQuestion], where: Path) -> tuple[str, int]:
    """The file's text with ``labels`` in it: a line with the same id is replaced where it stands (earlier
    duplicates of it dropped), the others are appended in order. Returns the text and how many were replaced."""
    newest = {label.qid: to_line(label) for label in labels}  # a question marked twice in one write: the last mark
    lines: list[str] = []
    placed: set[str] = set()
    for number, line in enumerate(existing.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            qid = str(json.loads(line)["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"{where}:{number}: not a labelled question ({exc}); fix or remove that line") from exc
        if qid in newest:
            if qid not in placed:
                lines.append(newest[qid])
                placed.add(qid)
            continue
        lines.append(line)
    lines.extend(line for qid, line in newest.items() if qid not in placed)
    return "".join(f"{line}\n" for line in lines), len(placed)


def write_labels(corpus_dir: Path, labels: Sequence[LabelledQuestion]) -> Written:
    """Put ``labels`` into the corpus's volunteers file (made if needed), replacing earlier marks of the same
    questions. Raises MarkingError if the folder cannot be written."""
    path = volunteers_path(corpus_dir)
    if not labels:
        return Written(path, 0, 0)
    if not corpus_dir.is_dir():
        raise MarkingError(f"Corpus folder not found: {corpus_dir}")
    try:
        path.parent.mkdir(exist_ok=True)
        with _locked(path.parent):
            existing = path.read_text(encoding="utf-8") if path.exists() else ""
            text, replaced = merged(existing, labels, path)
            _replace(path, text)
    except OSError as exc:
        raise MarkingError(
            f"Cannot write labelled questions to {path.parent} ({exc.strerror or exc}). Make that folder writable "
            "by the user that runs ros1qa, or use a writable copy of the corpus (ROS1QA_CORPUS or --corpus)."
        ) from exc
    unique = len({label.qid for label in labels})
    return Written(path, unique - replaced, replaced)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (nothing is left behind in the corpus)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _replace(path: Path, text: str) -> None:
    """Write beside the file (a name the labels module does not read), then rename over it in one step."""
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def mark_answer(corpus_dir: Path, question: str, passage_text: str, highlight_texts: Iterable[str],
                document: str) -> LabelledQuestion:
    """A volunteer marks the passage that answers ``question``; the label is written and returned."""
    label = answer_label(question, passage_text, highlight_texts, document)
    write_labels(corpus_dir, [label])
    return label


def mark_not_covered(corpus_dir: Path, question: str) -> LabelledQuestion:
    """A volunteer marks ``question`` as not covered by the pages; the label is written and returned."""
    label = not_covered_label(question)
    write_labels(corpus_dir, [label])
    return label


def labels_from_feedback(records: Iterable[Mapping[str, object]]) -> list[LabelledQuestion]:
    """Labelled questions from feedback records (as ``FeedbackStore.rows`` gives them, oldest first): "Not
    covered" → unanswerable; 👍 on an answered question with no negative reason → answerable, gold the passage
    shown. Other records teach nothing certain and are skipped."""
    labels = []
    for record in records:
        question = str(record.get("question", ""))
        if not question.strip():
            continue
        if record.get("not_covered"):
            labels.append(not_covered_label(question))
        elif (record.get("rating") == "helpful" and record.get("status") == "answered"
              and not record.get("wrong_passage") and str(record.get("passage", "")).strip()):
            labels.append(answer_label(question, str(record["passage"]), (), str(record.get("document", ""))))
    return labels
