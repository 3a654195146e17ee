import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from tests.conftest import FAKE_MODEL

from ros1qa.ask.answer import Quote
from ros1qa.cli import main
from ros1qa.errors import CorpusError, Ros1qaError
from ros1qa.feedback import Feedback, FeedbackStore
from ros1qa.index.indexing import build_index
from ros1qa.index.labels import LABELLED_DIR, load_labelled, load_question_file, resolve
from ros1qa.ingest.chunking import Passage, chunk_document
from ros1qa.ingest.corpus import load_corpus
from ros1qa.marking import (
    MarkingError,
    highlighted,
    labels_from_feedback,
    mark_answer,
    mark_not_covered,
    question_id,
    volunteers_path,
)
from ros1qa.settings import ChunkerSettings

DOCUMENT = "immunotherapy-and-ros1-cancer.txt"
FIRST_LINE = "Immunotherapy should NOT be used as first-line treatment in ROS1+ cancer."
QUESTION = "Should I get immunotherapy first?"


def lines(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in volunteers_path(corpus).read_text(encoding="utf-8").splitlines()]


def passages_of(corpus: Path) -> list[Passage]:
    return [p for document in load_corpus(corpus) for p in chunk_document(document, ChunkerSettings())]


def answering_passage(corpus: Path) -> Passage:
    return next(p for p in passages_of(corpus) if FIRST_LINE in p.text)


def test_a_marked_answer_is_one_line_with_the_highlight_as_gold(tmp_path):
    label = mark_answer(tmp_path, QUESTION, f"Intro. {FIRST_LINE} More.", [FIRST_LINE], DOCUMENT)
    assert volunteers_path(tmp_path) == tmp_path / "labelled" / "volunteers.jsonl"
    assert lines(tmp_path) == [{"id": question_id(QUESTION), "kind": "answerable", "q": QUESTION, "gold": [FIRST_LINE],
                                "page": DOCUMENT}]
    assert label.qid == "v" + hashlib.sha256(QUESTION.encode()).hexdigest()[:10]
    assert load_question_file(volunteers_path(tmp_path)) == (label,)  # what is returned is what the build reads


def test_without_a_highlight_the_whole_passage_is_gold(tmp_path):
    mark_answer(tmp_path, QUESTION, FIRST_LINE, ["", "  "], DOCUMENT)
    assert lines(tmp_path)[0]["gold"] == [FIRST_LINE]


def test_marking_a_question_again_replaces_its_line_and_keeps_the_others(tmp_path):
    mark_answer(tmp_path, QUESTION, FIRST_LINE, [], DOCUMENT)
    mark_not_covered(tmp_path, "What is the weather in Paris?")
    mark_not_covered(tmp_path, QUESTION)
    assert [(line["q"], line["kind"]) for line in lines(tmp_path)] == [
        (QUESTION, "unanswerable"), ("What is the weather in Paris?", "unanswerable")]
    mark_answer(tmp_path, QUESTION, FIRST_LINE, [], DOCUMENT)
    assert [line["kind"] for line in lines(tmp_path)] == ["answerable", "unanswerable"]
    assert not [p for p in (tmp_path / LABELLED_DIR).iterdir() if p.name != "volunteers.jsonl"]  # no temp file left


def test_the_labels_module_reads_marks_back_and_resolve_keeps_a_marked_answer(corpus_dir):
    passage = answering_passage(corpus_dir)
    start, end = passage.sentences[0]
    sentence = passage.text[start - passage.start:end - passage.start]
    marked = mark_answer(corpus_dir, QUESTION, passage.text, [sentence], passage.doc_id)
    not_covered = mark_not_covered(corpus_dir, "Can my dog take crizotinib?")
    loaded = load_labelled(corpus_dir / LABELLED_DIR)
    assert marked in loaded and not_covered in loaded
    passages = passages_of(corpus_dir)
    resolved = resolve([marked, not_covered], passages)
    assert resolved.questions == (marked, not_covered) and resolved.lost == ()
    assert passages.index(passage) in resolved.passages[0]


def test_the_next_build_uses_the_marks(fake_settings, embedder):
    passage = answering_passage(fake_settings.corpus_dir)
    mark_answer(fake_settings.corpus_dir, QUESTION, passage.text, [], passage.doc_id)
    mark_answer(fake_settings.corpus_dir, "An answer that is gone?", "Text no page holds.", [], DOCUMENT)
    report = build_index(fake_settings, embedder)
    used = {q.question for q in report.labelled.questions}
    assert QUESTION in used
    assert [lost.key for lost in report.labelled.lost if lost.key.startswith("volunteers:")] == [
        f"volunteers:{question_id('An answer that is gone?')}"]


def test_text_that_readers_take_for_line_ends_stays_on_one_line(tmp_path):
    question = "Is it safe?\u2028Really\x85 safe?"
    mark_not_covered(tmp_path, question)
    assert len(volunteers_path(tmp_path).read_text(encoding="utf-8").splitlines()) == 1
    assert load_question_file(volunteers_path(tmp_path))[0].question == question


def test_a_mark_that_makes_no_label_is_refused(tmp_path):
    with pytest.raises(MarkingError, match="no question"):
        mark_not_covered(tmp_path, "  ")
    with pytest.raises(MarkingError, match="not in the marked passage"):
        mark_answer(tmp_path, QUESTION, FIRST_LINE, ["Something else."], DOCUMENT)
    assert not volunteers_path(tmp_path).exists()


def test_a_damaged_file_is_named_not_overwritten(tmp_path):
    path = volunteers_path(tmp_path)
    path.parent.mkdir()
    path.write_text('{"id": "a", "kind": "unanswerable", "q": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="volunteers.jsonl:2"):
        mark_not_covered(tmp_path, QUESTION)
    assert path.read_text(encoding="utf-8").endswith("not json\n")


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    (tmp_path / LABELLED_DIR).write_text("not a folder", encoding="utf-8")
    with pytest.raises(MarkingError, match="Cannot write labelled questions to .*labelled") as error:
        mark_not_covered(tmp_path, QUESTION)
    assert isinstance(error.value, Ros1qaError) and "writable" in str(error.value)
    with pytest.raises(MarkingError, match="Corpus folder not found"):
        mark_not_covered(tmp_path / "missing", QUESTION)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / LABELLED_DIR
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(MarkingError, match="Cannot write labelled questions"):
            mark_not_covered(tmp_path, QUESTION)
    finally:
        folder.chmod(0o755)


def test_highlighted_takes_the_shown_quotes_marked_sentences():
    text = f"{FIRST_LINE} However, researchers are investigating."
    quote = Quote(text, DOCUMENT, "T", "", "https://x.org", 0.9, 0, len(text), ((0, len(FIRST_LINE)),))
    assert highlighted([quote], DOCUMENT, text) == (FIRST_LINE,)
    assert highlighted([quote], "other.txt", text) == ()  # the same words on another page were not shown
    assert highlighted([quote], DOCUMENT, FIRST_LINE) == ()


def record(question: str, rating: str = "", status: str = "answered", wrong: str = "", not_covered: str = "",
           passage: str = FIRST_LINE) -> dict[str, object]:
    return {"question": question, "status": status, "rating": rating, "wrong_passage": wrong,
            "not_covered": not_covered, "document": DOCUMENT, "passage": passage}


def test_feedback_records_become_labels_only_when_they_say_something_certain():
    labels = labels_from_feedback([
        record("q1", rating="helpful"),
        record("q2", not_covered="yes"),
        record("q3", rating="helpful", wrong="yes"),
        record("q4", rating="not helpful"),
        record("q5", rating="helpful", status="not_found", passage=""),
        record("q6", rating="not helpful", status="not_found", not_covered="yes", passage=""),
    ])
    assert [(label.question, label.kind, label.gold, label.page) for label in labels] == [
        ("q1", "answerable", (FIRST_LINE,), DOCUMENT), ("q2", "unanswerable", (), ""), ("q6", "unanswerable", (), "")]


def test_cli_feedback_label_writes_the_labels_and_says_how_many(tmp_path, corpus_dir):
    db = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(db)
    store.save(Feedback("a1", QUESTION, "answered", 1, frozenset(), DOCUMENT, passage=FIRST_LINE))
    store.save(Feedback("a2", "Can my dog take crizotinib?", "answered", 0, frozenset({"not_covered"}), DOCUMENT,
                        passage=FIRST_LINE))
    store.save(Feedback("a3", "Is this right?", "answered", 0, frozenset({"wrong_passage"}), DOCUMENT,
                        passage=FIRST_LINE))

    def label() -> tuple[int, str]:
        out = io.StringIO()
        return main(["--corpus", str(corpus_dir), "--model", FAKE_MODEL, "feedback", "label", "--db", str(db)],
                    out=out), out.getvalue()

    code, out = label()
    assert code == 0 and out.startswith("Added 2 labelled questions from ") and "(0 replaced" in out
    assert [(line["q"], line["kind"], line["gold"]) for line in lines(corpus_dir)] == [
        (QUESTION, "answerable", [FIRST_LINE]), ("Can my dog take crizotinib?", "unanswerable", [])]
    code, out = label()  # labelling the same feedback again adds nothing
    assert code == 0 and out.startswith("Added 0 labelled questions") and "(2 replaced" in out
    assert len(lines(corpus_dir)) == 2


def test_cli_feedback_label_without_a_feedback_file_fails_with_the_reason(tmp_path, corpus_dir, capsys):
    code = main(["--corpus", str(corpus_dir), "feedback", "label", "--db", str(tmp_path / "none.sqlite3")],
                out=io.StringIO())
    assert code == 1 and "No feedback saved yet" in capsys.readouterr().err
    assert not volunteers_path(corpus_dir).exists()
