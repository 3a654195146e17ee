from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ros1qa.engine import Engine
from ros1qa.evaluation import EvalQuestion, answers, fairly
from ros1qa.examples import (
    EXAMPLES_FILE,
    FLOOR,
    ExampleQuestions,
    build_examples,
    load_examples,
    resolve,
    save_examples,
)
from ros1qa.store import corpus_scope

REPO = Path(__file__).resolve().parent.parent


def _examples(vectors: list[list[float]], sources: list[str], pairs: list[tuple[int, int]]) -> ExampleQuestions:
    return ExampleQuestions("m", "s", np.array(vectors, dtype=np.float32), np.array(sources),
                            np.array([e for e, _ in pairs], dtype=np.int32), np.array([p for _, p in pairs], dtype=np.int32))


def test_examples_are_resolved_to_the_passages_holding_their_gold_text(fake_engine):
    passages = fake_engine.index.passages
    questions = [("set_a", "why a pill first?", ("is the preferred first-line treatment",)),
                 ("set_a", "nothing on the page", ("words that are nowhere",)),
                 ("set_b", "deaths?", ("two\u00a0patients died",))]  # any kind of space matches
    kept, pair_example, pair_passage = resolve(questions, passages, answers)
    assert kept == [0, 2] and pair_example == [0, 1]
    assert "preferred first-line" in passages[pair_passage[0]].text and "two patients died" in passages[pair_passage[1]].text


def test_only_the_nearest_examples_vote_and_only_above_the_floor():
    examples = _examples([[1, 0, 0], [0.8, 0.6, 0], [0.6, 0.8, 0], [0, 0, 1]], ["a"] * 4, [(0, 5), (1, 5), (2, 7), (3, 9)])
    votes = examples.votes(np.array([1.0, 0.0, 0.0]))
    assert set(votes) == {5, 7} and votes[5] > votes[7] > 0  # passage 9's example is not among the nearest three
    assert examples.votes(np.array([0.0, 0.0, -1.0])) == {}  # unlike every example: retrieval alone decides
    side = np.array([0.3, 0.0, np.sqrt(1 - 0.09)])  # near example 3 only: the others are below the floor
    assert examples.votes(side) == {9: pytest.approx((np.sqrt(1 - 0.09) - FLOOR) / 3)}


def test_leaving_a_set_out_removes_its_examples_and_keeps_the_others_answers():
    examples = _examples([[1, 0], [0, 1], [0.7, 0.7]], ["a", "b", "a"], [(0, 1), (1, 2), (1, 3), (2, 4)])
    left = examples.without(["a"])
    assert left.sources.tolist() == ["b"] and left.answer_example.tolist() == [0, 0]
    assert left.answer_passage.tolist() == [2, 3] and set(left.votes(np.array([0.0, 1.0]))) == {2, 3}


def test_examples_survive_saving(tmp_path):
    examples = _examples([[1, 0], [0, 1]], ["a", "b"], [(0, 1), (1, 2)])
    save_examples(examples, tmp_path / "e.npz")
    loaded = load_examples(tmp_path / "e.npz")
    assert loaded is not None and (loaded.model_id, loaded.scope) == ("m", "s")
    assert np.array_equal(loaded.vectors, examples.vectors) and loaded.sources.tolist() == ["a", "b"]
    assert loaded.answer_passage.tolist() == [1, 2] and load_examples(tmp_path / "missing.npz") is None


QUESTION = "What is immunotherapy?"


def _leading(engine: Engine, question: str, passage: int, model_id: str, scope: str) -> ExampleQuestions:
    """Examples that say ``question`` itself is answered by ``passage``."""
    vector = engine.vectors([question])
    return ExampleQuestions(model_id, scope, np.repeat(vector, 3, axis=0), np.array(["own", "own", "own"]),
                            np.array([0, 1, 2], dtype=np.int32), np.array([passage] * 3, dtype=np.int32))


def test_a_question_like_an_example_leads_to_the_examples_passage_without_changing_whether_to_answer(fake_engine, embedder):
    before, ranked = fake_engine.respond(QUESTION)
    target = ranked[1].passage
    scope = corpus_scope(fake_engine.index.manifest)
    engine = Engine(fake_engine.index, embedder, fake_engine.settings,
                    examples=_leading(fake_engine, QUESTION, target, embedder.model_id, scope))
    after, reranked = engine.respond(QUESTION)
    assert reranked[0].passage == target and after.status == before.status == "answered"
    assert {r.passage: r.confidence for r in reranked} == {r.passage: r.confidence for r in ranked}
    assert after.quotes[0].start == fake_engine.index.passages[target].start
    assert engine.leaving_out(["own"]).respond(QUESTION)[1] == ranked  # without its examples: as before
    assert engine.rank("zzzz qqqq unrelated words")[0] == fake_engine.rank("zzzz qqqq unrelated words")[0]


def test_examples_for_another_model_or_other_pages_are_not_used(fake_engine, embedder):
    scope = corpus_scope(fake_engine.index.manifest)
    examples = _leading(fake_engine, QUESTION, 0, embedder.model_id, scope)
    for other in (replace(examples, model_id="another-model"), replace(examples, scope="other-pages")):
        assert Engine(fake_engine.index, embedder, fake_engine.settings, examples=other).examples is None


def test_a_set_is_scored_without_its_own_examples(fake_engine, embedder):
    scope = corpus_scope(fake_engine.index.manifest)
    engine = Engine(fake_engine.index, embedder, fake_engine.settings,
                    examples=_leading(fake_engine, QUESTION, 0, embedder.model_id, scope))
    assert len(fairly(engine, EvalQuestion("1", "answerable", QUESTION, (), "own")).examples.vectors) == 0
    assert len(fairly(engine, EvalQuestion("1", "answerable", QUESTION, (), "other")).examples.vectors) == 3


@pytest.mark.slow
def test_the_shipped_examples_are_what_eval_gives_today(real_engine):
    """Rebuild with ``ros1qa train`` after changing eval/, the corpus or the glossary; this fails until then."""
    shipped = load_examples(EXAMPLES_FILE)
    assert shipped is not None and real_engine.examples is not None  # the engine uses them with the shipped index
    fresh = build_examples(REPO / "eval", real_engine.vectors, real_engine.embedder.model_id,
                           corpus_scope(real_engine.index.manifest), real_engine.index.passages)
    assert fresh.scope == shipped.scope and fresh.sources.tolist() == shipped.sources.tolist()
    assert np.array_equal(fresh.answer_example, shipped.answer_example)
    assert np.array_equal(fresh.answer_passage, shipped.answer_passage)
    assert np.allclose(fresh.vectors, shipped.vectors, atol=1e-5)
