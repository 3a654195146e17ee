import math
from dataclasses import replace

import pytest

from ros1qa import messages
from ros1qa.engine import Engine
from ros1qa.errors import IndexMismatch


def test_answer_quotes_are_verbatim_with_valid_highlights(fake_engine):
    answer = fake_engine.ask("Are ROS1+ patients unlikely to respond to immunotherapy?")
    assert answer.status == "answered" and answer.message == ""
    texts = {d.doc_id: d.text for d in fake_engine.index.documents}
    for quote in answer.quotes:
        assert texts[quote.document][quote.start:quote.end] == quote.text
        assert quote.highlight and all(0 <= s < e <= len(quote.text) for s, e in quote.highlight)
    assert "unlikely to respond" in answer.quotes[0].text


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_asks_for_one_without_searching(fake_engine, embedder, question):
    calls = embedder.calls
    answer = fake_engine.ask(question)
    assert (answer.status, answer.message, answer.quotes) == ("not_found", messages.EMPTY_QUESTION, ())
    assert embedder.calls == calls


def test_too_long_question_is_refused_plainly(fake_engine):
    answer = fake_engine.ask("why " * 300)
    assert answer.status == "not_found" and answer.message == messages.too_long(1000)


def test_urgent_message_gets_the_emergency_text_and_no_search(fake_engine, embedder):
    calls = embedder.calls
    answer = fake_engine.ask("I can't breathe right now")
    assert (answer.status, answer.message, answer.quotes) == ("urgent", messages.URGENT, ())
    assert embedder.calls == calls


def test_off_topic_question_is_not_found(fake_engine):
    answer = fake_engine.ask("Who won the football game last night?")
    assert (answer.status, answer.message, answer.quotes) == ("not_found", messages.NOT_FOUND, ())


def test_respond_returns_the_ranking_even_when_refusing(fake_engine):
    _, ranked = fake_engine.respond("What is the price of crizotinib?")
    assert ranked == sorted(ranked, key=lambda r: r.score, reverse=True)
    threshold = replace(fake_engine.settings, min_confidence=ranked[0].confidence + 0.01)
    refusing = Engine(fake_engine.index, fake_engine.embedder, threshold)
    assert refusing.ask("What is the price of crizotinib?").status == "not_found"


def test_engine_refuses_an_index_built_with_another_model(fake_engine, embedder):
    embedder.model_id = "some-other-model"
    with pytest.raises(IndexMismatch, match="ros1qa build"):
        Engine(fake_engine.index, embedder, fake_engine.settings)


def test_sources_list_the_documents(fake_engine):
    assert fake_engine.sources() == (
        ("Immunotherapy & ROS1+ Cancer", "https://www.theros1ders.org/post/immunotherapy-ros1-cancer", "The ROS1ders"),
    )


def test_shown_passages_come_best_first_by_score(fake_engine):
    lenient = replace(fake_engine.settings, min_confidence=0.0, related_margin=1.0)  # the hashing model's cosines are low
    engine = Engine(fake_engine.index, fake_engine.embedder, lenient)
    answer = engine.ask("immunotherapy targeted therapy combination trials ROS1+ NSCLC")
    scores = [quote.score for quote in answer.quotes]
    assert len(scores) > 1 and scores == sorted(scores, reverse=True)


def _reading(embedder, monkeypatch) -> list[str]:
    """The texts the model is asked to encode, from now on."""
    read: list[str] = []
    encode = embedder.encode
    monkeypatch.setattr(embedder, "encode", lambda texts, **kw: read.extend(texts) or encode(texts, **kw))
    return read


def test_the_model_reads_the_question_with_its_glossary_meanings(fake_engine, embedder, monkeypatch):
    """Brand names mean nothing to the model: "Xalkori" is read with "crizotinib", so the meaning side finds it too."""
    read = _reading(embedder, monkeypatch)
    fake_engine.ask("Can I take Xalkori?")
    (text,) = read
    assert text.startswith("Can I take Xalkori? (") and "crizotinib" in text


@pytest.mark.parametrize("kept, penalised", [(-1.0, False), (1.01, True)])
def test_words_no_page_uses_cost_the_penalty_only_when_they_carry_the_meaning(fake_engine, embedder, monkeypatch,
                                                                              kept, penalised):
    """The question is read again without "price": its confidences pay the penalty when that changes its meaning."""
    question = "What is the price of crizotinib?"
    plain, _ = Engine(fake_engine.index, embedder, replace(fake_engine.settings, meaning_kept=-1.0)).rank(question)
    just_clearing = plain[0].confidence - 0.01  # so the penalty decides whether it is answered
    engine = Engine(fake_engine.index, embedder,
                    replace(fake_engine.settings, min_confidence=just_clearing, meaning_kept=kept))
    read = _reading(embedder, monkeypatch)
    ranked, _ = engine.rank(question)
    query = engine.query(question)
    assert read == [query.embedding_text, query.embedding_text_without(("price",))]
    paid = fake_engine.settings.off_pages_penalty if penalised else 0.0
    assert [r.passage for r in ranked] == [r.passage for r in plain]
    assert [round(p.confidence - r.confidence, 6) for p, r in zip(plain, ranked)] == [round(paid, 6)] * len(ranked)


@pytest.mark.parametrize("question, floor", [("What is crizotinib?", None), ("What is the price of crizotinib?", 9.0),
                                             ("What is the price of crizotinib?", -9.0)])
def test_the_question_is_read_once_when_the_penalty_cannot_change_the_answer(fake_engine, embedder, monkeypatch,
                                                                            question, floor):
    """No word off the pages, or a best passage below the threshold, or above it by more than the penalty."""
    if floor is None:  # just clearing it, as above
        floor = fake_engine.rank(question)[0][0].confidence - 0.01
    engine = Engine(fake_engine.index, embedder, replace(fake_engine.settings, min_confidence=floor))
    read = _reading(embedder, monkeypatch)
    engine.ask(question)
    assert read == [engine.query(question).embedding_text]


def test_no_passage_with_evidence_is_never_an_answer_even_without_a_threshold(fake_engine, embedder):
    plain = replace(fake_engine.settings, min_confidence=-math.inf)  # as the BM25-only baseline runs
    answer, ranked = Engine(fake_engine.index, embedder, plain, mode="bm25").respond("zzzz qqqq")
    assert (answer.status, answer.quotes, ranked) == ("not_found", (), [])
