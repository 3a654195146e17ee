import json
from pathlib import Path

import pytest

from ros1qa.errors import CorpusError
from ros1qa.index.labels import LabelledQuestion, Lost, holds, holds_any, load_labelled, load_question_file, resolve
from ros1qa.ingest.chunking import Passage


def _passage(doc_id: str, text: str) -> Passage:
    return Passage(doc_id, doc_id, f"https://example.org/{doc_id}", "", 0, len(text), text, ((0, len(text)),))


PASSAGES = (
    _passage("a.txt", "Targeted therapy is the preferred first-line treatment."),
    _passage("a.txt", "Of these, two\u00a0patients died."),
    _passage("b.txt", "Targeted therapy is the preferred first-line treatment, here too."),
)


def _write(path: Path, *items: dict) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_a_question_file_is_read_line_by_line_with_its_set_and_page(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "d1", "kind": "answerable", "q": "Q?", "gold": ["g"], "page": "a.txt"}) + "\n\n"
                    + json.dumps({"kind": "unanswerable", "q": "Other?"}) + "\n", encoding="utf-8")
    assert load_question_file(path) == (
        LabelledQuestion("d1", "answerable", "Q?", ("g",), "mine", "a.txt"),
        LabelledQuestion("3", "unanswerable", "Other?", (), "mine", ""),  # no id: its line number
    )
    assert load_question_file(path)[0].key == "mine:d1"


@pytest.mark.parametrize("line", ['{"kind": "maybe", "q": "x"}', '{"kind": "answerable"}', "{broken", '["a list"]'])
def test_a_line_that_is_not_a_labelled_question_is_a_corpus_error_naming_file_and_line(tmp_path, line):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "ok", "kind": "unanswerable", "q": "fine"}) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="bad.jsonl:2"):
        load_question_file(path)


def test_every_jsonl_file_of_the_folder_is_read_in_name_order(tmp_path):
    _write(tmp_path / "b.jsonl", {"id": "1", "kind": "urgent", "q": "help"})
    _write(tmp_path / "a.jsonl", {"id": "1", "kind": "unanswerable", "q": "price?"})
    (tmp_path / "notes.txt").write_text("not read\n", encoding="utf-8")
    assert [q.key for q in load_labelled(tmp_path)] == ["a:1", "b:1"]
    assert load_labelled(tmp_path / "missing") == ()


@pytest.mark.parametrize("text", ["two patients died", "two\u00a0patients died", "two\npatients  died", "two\tpatients died"])
def test_gold_text_matches_whatever_kind_of_space_either_side_uses(text):
    assert holds(f"Of these, {text}.", "two\u00a0patients died")
    assert holds("Of these, two\u00a0patients died.", text)
    assert not holds(f"Of these, {text}.", "three patients died")
    assert holds_any(f"Of these, {text}.", ("three patients died", "two\u00a0patients died"))
    assert not holds_any(f"Of these, {text}.", ("three patients died",)) and not holds_any(text, ())


def test_resolve_keeps_answerable_questions_with_every_passage_holding_their_gold():
    questions = [LabelledQuestion("1", "answerable", "Why a pill first?", ("preferred first-line",), "s"),
                 LabelledQuestion("2", "answerable", "Deaths?", ("two patients died",), "s")]  # a plain space
    resolved = resolve(questions, PASSAGES)
    assert resolved.questions == tuple(questions) and resolved.lost == ()
    assert resolved.passages == ((0, 2), (1,))


def test_a_named_page_limits_the_passages_and_may_be_named_without_its_extension():
    questions = [LabelledQuestion("1", "answerable", "Why?", ("preferred first-line",), "s", "b.txt"),
                 LabelledQuestion("2", "answerable", "Why?", ("preferred first-line",), "s", "a")]
    assert resolve(questions, PASSAGES).passages == ((2,), (0,))


def test_questions_whose_answer_text_is_gone_or_whose_page_is_not_in_the_corpus_are_lost_with_why():
    questions = [LabelledQuestion("gone", "answerable", "Cost?", ("costs a fortune",), "s"),
                 LabelledQuestion("kept", "unanswerable", "Weather?", (), "s"),
                 LabelledQuestion("elsewhere", "answerable", "Why?", ("preferred first-line",), "t", "c.txt"),
                 LabelledQuestion("unasked", "unanswerable", "Why?", (), "t", "c.txt"),
                 LabelledQuestion("not here", "answerable", "Deaths?", ("two patients died",), "t", "b.txt")]
    resolved = resolve(questions, PASSAGES)
    assert [q.qid for q in resolved.questions] == ["kept"] and resolved.passages == ((),)
    assert resolved.lost == (Lost("s:gone", "its answer text is no longer in any page"),
                             Lost("t:elsewhere", "page c.txt is not in the corpus"),
                             Lost("t:unasked", "page c.txt is not in the corpus"),
                             Lost("t:not here", "its answer text is no longer in b.txt"))
    assert resolved.summary() == {"answerable": 0, "unanswerable": 1, "lost": [
        {"id": "s:gone", "reason": "its answer text is no longer in any page"},
        {"id": "t:elsewhere", "reason": "page c.txt is not in the corpus"},
        {"id": "t:unasked", "reason": "page c.txt is not in the corpus"},
        {"id": "t:not here", "reason": "its answer text is no longer in b.txt"}]}


def test_message_lines_are_for_the_emergency_classifier_and_neither_kept_nor_lost():
    questions = [LabelledQuestion("u", "urgent", "I can't breathe", (), "s", "c.txt"),
                 LabelledQuestion("n", "not_urgent", "This paperwork gives me a heart attack", (), "s", "c.txt"),
                 LabelledQuestion("a", "answerable", "Deaths?", ("two patients died",), "s")]
    resolved = resolve(questions, PASSAGES)
    assert [q.qid for q in resolved.questions] == ["a"] and resolved.lost == ()
    assert resolved.summary() == {"answerable": 1, "unanswerable": 0, "lost": []}
