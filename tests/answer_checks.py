"""What every answer must satisfy, whatever the question: shared by the verbatim, fuzz and concurrency tests."""

from __future__ import annotations

from collections.abc import Mapping

from ros1qa.ask import messages
from ros1qa.ask.answer import Answer
from ros1qa.ingest.corpus import Document

STATUSES = ("answered", "not_found", "urgent", "small_talk")


def refusal_messages(max_question_chars: int) -> tuple[str, ...]:
    return (messages.NOT_FOUND, messages.EMPTY_QUESTION, messages.too_long(max_question_chars))


def assert_answer_contract(answer: Answer, documents: Mapping[str, Document], max_question_chars: int = 1000) -> None:
    """Status is one of four; small talk and refusals carry a fixed message and no passage; every quote is verbatim.

    ``documents`` are read from the corpus folder independently of the index, so a quote is checked
    against the source file, not against the index's own copy of it.
    """
    assert answer.status in STATUSES
    if answer.status == "urgent":
        assert answer.message == messages.URGENT and answer.quotes == ()
        return
    if answer.status == "small_talk":
        assert answer.message in messages.SMALL_TALK.values() and answer.quotes == ()
        return
    if answer.status == "not_found":
        assert answer.message in refusal_messages(max_question_chars) and answer.quotes == ()
        return
    assert answer.message == "" and answer.quotes
    for quote in answer.quotes:
        source = documents[quote.document]
        assert 0 <= quote.start < quote.end <= len(source.text)
        assert source.text[quote.start:quote.end] == quote.text
        assert (quote.title, quote.url) == (source.title, source.url)
        assert quote.highlight, "an answer marks at least one sentence"
        previous_end = 0
        for start, end in quote.highlight:
            assert previous_end <= start < end <= len(quote.text)
            previous_end = end
