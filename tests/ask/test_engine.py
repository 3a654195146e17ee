import math
from dataclasses import replace

import numpy as np
import pytest

from ros1qa.ask import highlight, lead, messages
from ros1qa.ask.answer_model import AnswerModel
from ros1qa.ask.engine import Engine
from ros1qa.ask.pair_features import FEATURES
from ros1qa.ask.query_adapter import QueryAdapter
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


def _unlabelled(fake_engine: Engine, **settings: float) -> Engine:
    """The fake engine without labelled questions: no votes, no verdicts."""
    return Engine(replace(fake_engine.index, examples=None), fake_engine.embedder, replace(fake_engine.settings, **settings))


def test_respond_returns_the_ranking_even_when_refusing(fake_engine):
    question = "What is immunotherapy?"
    answered, ranked = _unlabelled(fake_engine).respond(question)
    assert answered.status == "answered" and ranked == sorted(ranked, key=lambda r: r.score, reverse=True)
    refusing = _unlabelled(fake_engine, min_confidence=ranked[0].confidence + 0.01)
    refused, kept = refusing.respond(question)
    assert refused.status == "not_found" and kept == ranked


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


def test_the_model_reads_a_glossary_meaning_only_for_names_the_pages_never_use(fake_engine, embedder, monkeypatch):
    read = _reading(embedder, monkeypatch)
    fake_engine.ask("Can I take crizotinib?")  # the page says "crizotinib": the name already says what it means
    assert read == ["Can I take crizotinib?"]


def test_a_misspelt_question_is_read_and_answered_as_if_spelt_right(fake_engine, embedder, monkeypatch):
    right = fake_engine.respond("Is immunotherapy used first for ROS1 cancer?")
    read = _reading(embedder, monkeypatch)
    typed = fake_engine.respond("Is imunotherapy used first for ROS1 cancer?")
    assert read[0] == "Is immunotherapy used first for ROS1 cancer?"
    assert typed == (replace(right[0], question=typed[0].question), right[1])


def _kept(search) -> list[float]:
    return search.features[:, FEATURES.index("kept")].tolist()


def test_the_question_is_read_again_without_the_words_no_page_uses_only_when_it_has_some(fake_engine, embedder,
                                                                                       monkeypatch):
    """ "drink" and "wine" are on no page: how much of the question's meaning is left without them is a pair feature."""
    read = _reading(embedder, monkeypatch)
    search = fake_engine.examine("What is crizotinib?")
    assert len(read) == 1 and set(_kept(search)) == {1.0}
    read.clear()
    question = "Can I drink wine on crizotinib?"
    search = fake_engine.examine(question)
    query = fake_engine.query(question)
    assert query.unknown(fake_engine.index.lexical.knows) == ("drink", "wine")
    assert read == [query.embedding_text, query.embedding_text_without(("drink", "wine"))]
    whole, without = embedder.encode(list(read))
    assert _kept(search) == pytest.approx([float(whole @ without)] * len(search.features))
    assert _kept(search)[0] < 1.0


def _model(model_id: str, bias: float, dense_weight: float = 0.0) -> AnswerModel:
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("dense")] = dense_weight
    return AnswerModel(model_id, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), weights, bias, 0.5, 1, ("p",))


def test_the_answer_model_judges_the_first_passages_and_its_threshold_decides(fake_engine, embedder):
    index = replace(fake_engine.index, examples=None)
    question = "What is immunotherapy?"
    model = _model(embedder.model_id, -20 * 0.5, dense_weight=20.0)  # answers when the best cosine is above 0.5
    engine = Engine(index, embedder, fake_engine.settings, answer_model=model)
    search = engine.examine(question)
    judged = fake_engine.settings.judged
    assert engine.threshold == 0.5 and search.features.shape == (min(judged, len(search.ranked)), len(FEATURES))
    confidences = [r.confidence for r in search.ranked]
    assert confidences[:judged] == pytest.approx(model.probability(search.features).tolist())
    assert confidences[judged:] == [0.0] * len(confidences[judged:])
    assert max(confidences[: fake_engine.settings.shown]) >= 0.5 and engine.ask(question).status == "answered"
    refusing = Engine(index, embedder, replace(fake_engine.settings, min_confidence=-math.inf),
                      answer_model=_model(embedder.model_id, -50.0))
    assert refusing.ask(question).status == "not_found"  # its threshold, not the settings' one, decides
    answering = Engine(index, embedder, replace(fake_engine.settings, min_confidence=math.inf),
                       answer_model=_model(embedder.model_id, 50.0))
    assert answering.ask("Who won the football game last night?").status == "answered"


def test_an_answer_model_for_another_embedding_model_is_not_used(fake_engine, embedder):
    engine = Engine(fake_engine.index, embedder, fake_engine.settings, answer_model=_model("another-model", -50.0))
    assert engine.answer_model is None and engine.threshold == fake_engine.settings.min_confidence
    assert engine.ask("What is immunotherapy?") == fake_engine.ask("What is immunotherapy?")


def test_the_plain_baselines_judge_no_pairs_and_read_the_question_as_typed(fake_engine, embedder, monkeypatch):
    read = _reading(embedder, monkeypatch)
    for mode in ("dense", "bm25"):
        engine = Engine(fake_engine.index, embedder, fake_engine.settings, mode=mode, answer_model=_model(embedder.model_id, 50))
        read.clear()
        search = engine.examine("Can I drink wine on imunotherapy?")
        assert search.features.size == 0 and search.verdict is None and read == ["Can I drink wine on imunotherapy?"]


def test_no_passage_with_evidence_is_never_an_answer_even_without_a_threshold(fake_engine, embedder):
    plain = replace(fake_engine.settings, min_confidence=-math.inf)  # as the BM25-only baseline runs
    answer, ranked = Engine(fake_engine.index, embedder, plain, mode="bm25").respond("zzzz qqqq")
    assert (answer.status, answer.quotes, ranked) == ("not_found", (), [])


def test_a_passage_ranks_by_its_best_sentence_read_alone_too(fake_engine, embedder):
    from ros1qa.ingest.units import make_units

    question = "Did anyone die in the crizotinib and nivolumab study?"
    plain = replace(fake_engine.settings, alone_weight=0.0)
    without = Engine(fake_engine.index, embedder, plain).leaving_out(sorted(set(fake_engine.examples.sources.tolist())))
    with_alone = fake_engine.leaving_out(sorted(set(fake_engine.examples.sources.tolist())))  # no votes: the sentence read alone only
    vector = embedder.encode([with_alone.query(question).embedding_text])[0]
    units = make_units(fake_engine.index.passages)
    alone = dict(zip([u for u in units if u.is_sentence], fake_engine.index.sentences @ vector))

    def best_alone(passage: int) -> float:
        sentences = [cosine for u, cosine in alone.items() if u.passage == passage]
        own = next(n for n, u in enumerate(units) if u.passage == passage)
        return max(sentences) if sentences else float(fake_engine.index.vectors.reconstruct(own) @ vector)

    before = {r.passage: r.score for r in without.rank(question)[0]}
    after = with_alone.rank(question)[0]
    assert {r.passage for r in after} == set(before)
    for r in after:
        assert r.score == pytest.approx(before[r.passage] + 0.1 * best_alone(r.passage), abs=1e-5)
    assert [r.passage for r in after] == sorted(before, key=lambda p: -(before[p] + 0.1 * best_alone(p)))


def _pointing_at(engine: Engine, passage: int, question: str) -> QueryAdapter:
    """A map that turns ``question``'s vector into ``passage``'s own unit's vector."""
    unit = engine.index.vectors.reconstruct(int(engine._first_unit[passage]))
    vector = engine.vectors([question])[0]
    return QueryAdapter(engine.embedder.model_id, np.outer(unit, vector).astype(np.float32), 1, ("x",))


def test_the_query_adapter_changes_what_is_searched_with_not_what_the_question_is(fake_engine):
    question = "What is immunotherapy?"
    plain = _unlabelled(fake_engine, dense_weight=1.0, alone_weight=0.0)
    last = plain.rank(question)[0][-1].passage
    adapted = plain.with_adapter(_pointing_at(plain, last, question))
    search = adapted.examine(question)
    assert search is not None and search.ranked[0].passage == last
    assert np.allclose(search.query_vector, plain.vectors([question])[0])  # examples and classifiers read the question
    assert np.isclose(float(search.searched @ plain.index.vectors.reconstruct(int(plain._first_unit[last]))), 1.0, atol=1e-5)


def test_the_baselines_search_with_the_models_own_vector(fake_engine):
    question = "What is immunotherapy?"
    adapter = _pointing_at(fake_engine, 0, question)
    dense = Engine(fake_engine.index, fake_engine.embedder, fake_engine.settings, mode="dense", adapter=adapter)
    assert dense.adapter is None and dense.with_adapter(adapter).adapter is None
    assert Engine(fake_engine.index, fake_engine.embedder, fake_engine.settings, adapter=adapter).adapter is adapter
    other = QueryAdapter("another-model", adapter.matrix, 1, ("x",))
    assert Engine(fake_engine.index, fake_engine.embedder, fake_engine.settings, adapter=other).adapter is None


def _judgement(model_id: str, features: tuple[str, ...], version: str, bias: float) -> AnswerModel:
    count = len(features)
    return AnswerModel(model_id, np.zeros(count), np.ones(count), np.zeros(count), bias, 0.5, 1, ("p",), features, version)


def test_the_lead_judgement_puts_the_passage_it_prefers_first_and_nothing_else_changes(fake_engine):
    question = "What is immunotherapy?"
    model_id = fake_engine.embedder.model_id
    plain = _unlabelled(fake_engine).with_models(_model(model_id, 0.0, dense_weight=1.0))
    highlighter = _judgement(model_id, highlight.FEATURES, highlight.VERSION, 0.0)
    preferring = plain.with_models(plain.answer_model, highlighter=highlighter,
                                   leader=_judgement(model_id, lead.FEATURES, lead.VERSION, 5.0))  # always the other
    before, after = plain.examine(question), preferring.examine(question)
    assert before is not None and after is not None and len(before.ranked) > 2
    assert after.ranked == [before.ranked[1], before.ranked[0], *before.ranked[2:]]
    assert np.array_equal(after.features, before.features[[1, 0, *range(2, len(before.features))]])
    shown = min(fake_engine.settings.shown, len(before.features))
    assert set(after.read) == {r.passage for r in before.ranked[:shown]}  # the quotes reuse what it read
    fresh = preferring.sentences(after.ranked[0], replace(after, read={}))
    kept = after.read[after.ranked[0].passage]
    assert fresh is not None and kept is not None and fresh.spans == kept.spans and fresh.marked == kept.marked
    assert np.allclose(fresh.features, kept.features)
    keeping = plain.with_models(plain.answer_model, highlighter=highlighter,
                                leader=_judgement(model_id, lead.FEATURES, lead.VERSION, -5.0))
    assert keeping.examine(question).ranked == before.ranked
    alone = plain.with_models(plain.answer_model, leader=preferring.leader)  # reads the highlight: none, no lead
    assert alone.examine(question).ranked == before.ranked
    answer = preferring.ask(question)
    assert answer.status == plain.ask(question).status == "answered"
    assert answer.quotes[0].start == preferring.index.passages[before.ranked[1].passage].start


def test_a_lead_judgement_for_another_embedding_model_is_not_used(fake_engine):
    other = _judgement("another-model", lead.FEATURES, lead.VERSION, 5.0)
    assert Engine(fake_engine.index, fake_engine.embedder, fake_engine.settings, leader=other).leader is None


def test_when_labelled_questions_voted_they_settle_which_passage_leads(fake_engine):
    question = "What does immunotherapy do?"  # a labelled question of the corpus, word for word
    model_id = fake_engine.embedder.model_id
    always = fake_engine.with_models(_model(model_id, 0.0, dense_weight=1.0),
                                     highlighter=_judgement(model_id, highlight.FEATURES, highlight.VERSION, 0.0),
                                     leader=_judgement(model_id, lead.FEATURES, lead.VERSION, 5.0))
    voted = always.examine(question)
    assert voted is not None and voted.voted
    assert voted.ranked == fake_engine.with_models(always.answer_model).examine(question).ranked
    unvoted = always.leaving_out(sorted(set(fake_engine.examples.sources.tolist()))).examine(question)
    assert unvoted is not None and not unvoted.voted


def test_a_question_costs_one_encode_the_passages_pieces_come_from_the_index(fake_engine, embedder):
    fresh = Engine(fake_engine.index, embedder, fake_engine.settings)
    calls = embedder.calls
    fresh.ask("Is immunotherapy used first for ROS1+ cancer?")
    assert embedder.calls - calls == 1  # the question; its word pieces come from the same run


def test_an_index_without_word_pieces_asks_for_a_rebuild(fake_engine, embedder):
    older = replace(fake_engine.index, pieces=None)
    with pytest.raises(IndexMismatch, match="word pieces.*ros1qa build"):
        Engine(older, embedder, fake_engine.settings)
    assert Engine(older, embedder, fake_engine.settings, mode="dense").rank("What is crizotinib?")[0]  # reads no pieces


def test_the_tokens_feature_is_one_for_a_passage_holding_every_content_word_of_the_question(fake_engine):
    search = fake_engine.examine("Is immunotherapy used first for ROS1+ cancer?")
    tokens = search.features[:, FEATURES.index("tokens")]
    texts = [fake_engine.index.passages[r.passage].text.lower() for r in search.ranked[: len(tokens)]]
    held = [sum(w in t for w in ("immunotherapy", "used", "first", "ros1", "cancer")) for t in texts]
    assert max(held) == 5 and tokens[held.index(5)] == pytest.approx(1.0)  # each piece finds itself
    assert int(np.argmin(tokens)) == held.index(min(held)) and tokens.min() < 0.5  # the fewest words, the least
