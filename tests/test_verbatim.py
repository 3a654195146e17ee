"""Verbatim, always: whatever is asked, every quoted passage is the corpus text at its offsets.

Properties over arbitrary questions (any Unicode, including control characters and lone
surrogates) and over questions made of the corpus's own words and phrases, which are the ones
that get answers. Quotes are checked against the corpus files read afresh, not the index's copy.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.answer_checks import assert_answer_contract
from tests.conftest import REPO

from ros1qa.index.lexical import words
from ros1qa.ingest.corpus import load_corpus

AWKWARD = "\x00\r\n\t\x0b\x0c\x1c\x85\xa0\u2028\u2029\u200b\u200f\u202e\ufeff\ufffd\ud800\udfff\U0001f600\u0301"
ANY_CHARACTER = st.one_of(
    st.characters(), st.sampled_from(AWKWARD), st.characters(categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Mn"))
)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=200)
QUIET = (HealthCheck.too_slow, HealthCheck.data_too_large)


@pytest.fixture
def source_documents(fake_settings):
    return {d.doc_id: d for d in load_corpus(fake_settings.corpus_dir)}


def corpus_questions(documents) -> st.SearchStrategy[str]:
    """Questions from the corpus: runs of its words, verbatim phrases, and either mixed with noise."""
    vocabulary = sorted({w for d in documents.values() for w in words(d.text)})
    texts = [d.text for d in documents.values()]
    word_runs = st.lists(st.sampled_from(vocabulary), min_size=1, max_size=15).map(" ".join)

    @st.composite
    def phrase(draw) -> str:
        text = draw(st.sampled_from(texts))
        start = draw(st.integers(0, len(text) - 1))
        return text[start:start + draw(st.integers(1, 160))]

    pieces = st.one_of(word_runs, phrase(), ANY_TEXT)
    return st.one_of(word_runs, phrase(), st.lists(pieces, min_size=1, max_size=4).map(" ".join))


def run_property(engine, documents, questions: st.SearchStrategy[str], examples: int) -> Counter:
    seen: Counter = Counter()

    @settings(max_examples=examples, deadline=None, suppress_health_check=QUIET)
    @given(questions)
    def check(question: str) -> None:
        answer = engine.ask(question)
        seen[answer.status] += 1
        assert answer.question == question
        assert_answer_contract(answer, documents, engine.max_question_chars)

    check()
    return seen


def test_arbitrary_text_never_yields_a_non_verbatim_passage(fake_engine, source_documents):
    seen = run_property(fake_engine, source_documents, ANY_TEXT, examples=300)
    assert sum(seen.values()) >= 300


def test_questions_from_corpus_words_are_quoted_verbatim(fake_engine, source_documents):
    seen = run_property(fake_engine, source_documents, corpus_questions(source_documents), examples=400)
    assert seen["answered"] >= 20, f"too few answers to check quotes: {seen}"


@pytest.mark.parametrize("length", [999, 1000, 1001])
def test_the_length_limit_is_exact_and_refusal_is_the_fixed_message(fake_engine, source_documents, length):
    answer = fake_engine.ask("immunotherapy "[: length % 14 or 14].ljust(length, "x"))
    assert_answer_contract(answer, source_documents)
    assert (answer.status == "not_found" and answer.message.startswith("That question is too long")) is (length > 1000)


@pytest.mark.slow
def test_real_model_quotes_verbatim_for_arbitrary_and_corpus_questions(real_engine):
    documents = {d.doc_id: d for d in load_corpus(REPO / "corpus")}
    seen = run_property(real_engine, documents, st.one_of(ANY_TEXT, corpus_questions(documents)), examples=100)
    assert seen["answered"] >= 5, f"too few answers to check quotes: {seen}"
