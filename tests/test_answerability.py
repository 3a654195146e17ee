import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ros1qa import messages
from ros1qa.answerability import CLASSIFIER_FILE, labelled_questions, load_answerability, train_from
from ros1qa.classifier import VectorClassifier
from ros1qa.engine import Engine
from ros1qa.errors import Ros1qaError
from ros1qa.store import corpus_scope

REPO = Path(__file__).resolve().parent.parent
ANSWERED = "What is immunotherapy?"  # answered by the fake engine's passages


def _lines(*items: dict) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_questions_are_read_from_the_question_sets_without_the_urgent_ones(tmp_path):
    (tmp_path / "a_questions.jsonl").write_text(_lines(
        {"id": "1", "kind": "answerable", "q": "what is a tki", "gold": ["TKI"]},
        {"id": "2", "kind": "unanswerable", "q": "what does it cost"},
        {"id": "3", "kind": "urgent", "q": "i cannot breathe"}))
    (tmp_path / "emergency1_messages.jsonl").write_text(_lines({"id": "4", "kind": "not_urgent", "q": "hi"}))
    assert labelled_questions(tmp_path) == [("what is a tki", True), ("what does it cost", False)]


def test_training_needs_both_kinds(tmp_path):
    (tmp_path / "a_questions.jsonl").write_text(_lines({"id": "1", "kind": "answerable", "q": "what is a tki"}))
    with pytest.raises(Ros1qaError, match="both"):
        train_from(tmp_path, lambda texts: np.zeros((len(texts), 4)), "m", {})


def _refusing(engine: Engine, question: str, model_id: str, scope: str) -> VectorClassifier:
    """A classifier that finds exactly ``question``'s vector unanswered (a large negative weight along it)."""
    vector = engine.vectors([question])[0]
    return VectorClassifier(model_id, -50.0 * vector, 25.0, 0.3, 1, scope)


def test_a_question_judged_unanswered_gets_the_fixed_message_and_keeps_its_ranking(fake_engine, embedder):
    scope = corpus_scope(fake_engine.index.manifest)
    answered, ranked = fake_engine.respond(ANSWERED)
    assert answered.status == "answered"
    engine = Engine(fake_engine.index, embedder, fake_engine.settings,
                    answerability=_refusing(fake_engine, ANSWERED, embedder.model_id, scope))
    refused, ranked_again = engine.respond(ANSWERED)
    assert (refused.status, refused.message, refused.quotes) == ("not_found", messages.NOT_FOUND, ())
    assert ranked_again == ranked  # the ranking is still there for evaluation
    assert engine.ask("Is immunotherapy recommended first for ROS1-positive cancer?").status == "answered"


def test_it_never_turns_a_refusal_into_an_answer(fake_engine, embedder):
    scope = corpus_scope(fake_engine.index.manifest)
    always = VectorClassifier(embedder.model_id, np.zeros(fake_engine.embedder.dimension), 50.0, 0.3, 1, scope)
    engine = Engine(fake_engine.index, embedder, fake_engine.settings, answerability=always)
    for question in ("weather in Boston tomorrow", "zzzz qqqq"):
        assert engine.ask(question).status == fake_engine.ask(question).status == "not_found"


def test_it_is_used_only_with_the_model_and_pages_it_was_trained_for(fake_engine, embedder):
    scope = corpus_scope(fake_engine.index.manifest)
    refusing = _refusing(fake_engine, ANSWERED, embedder.model_id, scope)
    for other in (replace(refusing, model_id="another-model"), replace(refusing, scope=corpus_scope({"corpus": {}}))):
        engine = Engine(fake_engine.index, embedder, fake_engine.settings, answerability=other)
        assert engine.answerability is None and engine.ask(ANSWERED).status == "answered"


@pytest.mark.slow
def test_the_shipped_classifier_is_what_training_on_eval_gives_today(real_engine):
    """Retrain with ``ros1qa train`` after changing eval/, the corpus or the glossary; this fails until then."""
    shipped = load_answerability(CLASSIFIER_FILE)
    assert shipped is not None and real_engine.answerability is not None  # the engine uses it with the shipped index
    fresh = train_from(REPO / "eval", real_engine.vectors, real_engine.embedder.model_id, real_engine.index.manifest)
    assert (fresh.examples, fresh.scope, fresh.threshold) == (shipped.examples, shipped.scope, shipped.threshold)
    assert np.allclose(fresh.weights, shipped.weights, atol=1e-4) and abs(fresh.bias - shipped.bias) < 1e-4
