import json
from pathlib import Path

import numpy as np
import pytest

from ros1qa import messages
from ros1qa.classifier import VectorClassifier
from ros1qa.engine import Engine
from ros1qa.errors import Ros1qaError
from ros1qa.urgency import CLASSIFIER_FILE, labelled_messages, load_urgency, message_files, train_from

REPO = Path(__file__).resolve().parent.parent
KNOWN_FALSE_ALARMS = [  # on the safe side; each read as the writer's emergency now
    "emergency4_messages:n39",  # "My friend's dad was coughing up blood…": reported
    "emergency6_messages:m16",  # "Fever was 38.3 on Saturday, I went to the ER… temp 36.8 today": over
    "emergency6_messages:m21",  # "The lorlatinib leaflet mentions … suicidal thoughts as side effects"
    "emergency6_messages:m25",  # "food poisoning two weeks ago, couldn't keep fluids down for a day": over
    "emergency6_messages:m28",  # "going to give her a heart attack with my driving lol": a figure of speech
    "emergency6_messages:m40",  # "When I was first diagnosed I had dark thoughts about ending it": past
]


def test_messages_are_read_from_question_sets_and_emergency_sets(tmp_path):
    (tmp_path / "a_questions.jsonl").write_text(json.dumps({"id": "1", "kind": "urgent", "q": "help"}) + "\n")
    (tmp_path / "emergency1_messages.jsonl").write_text(json.dumps({"id": "2", "kind": "not_urgent", "q": "hi"}) + "\n")
    (tmp_path / "notes.jsonl").write_text("not read\n")
    assert labelled_messages(tmp_path) == [("help", True), ("hi", False)]
    (tmp_path / "b_questions.jsonl").write_text("{broken\n")
    with pytest.raises(Ros1qaError, match="b_questions.jsonl:1"):
        labelled_messages(tmp_path)


def test_training_needs_both_kinds(tmp_path):
    (tmp_path / "a_questions.jsonl").write_text(json.dumps({"kind": "answerable", "q": "what is a tki"}) + "\n")
    with pytest.raises(Ros1qaError, match="both"):
        train_from(tmp_path, lambda texts: np.zeros((len(texts), 4)), "m")


def _flagging(engine: Engine, question: str, model_id: str) -> VectorClassifier:
    """A classifier that finds exactly ``question``'s vector urgent (a large weight along it)."""
    vector = engine.vectors([question])[0]
    return VectorClassifier(model_id, 50.0 * vector, -25.0, 0.85, 1)


def test_the_classifier_routes_what_the_patterns_missed_without_a_search(fake_engine, embedder):
    question = "my mom is breathing like a goldfish on the kitchen tiles"
    classifier = _flagging(fake_engine, question, embedder.model_id)
    engine = Engine(fake_engine.index, embedder, fake_engine.settings, urgency=classifier)
    calls = embedder.calls
    answer, ranked = engine.respond(question)
    assert (answer.status, answer.message, answer.quotes, ranked) == ("urgent", messages.URGENT, (), [])
    assert embedder.calls == calls + 1  # the one encode the search would have made, and no search
    assert engine.ask("What is crizotinib?").status != "urgent"


def test_a_classifier_for_another_model_is_not_used(fake_engine, embedder):
    question = "my mom is breathing like a goldfish on the kitchen tiles"
    engine = Engine(fake_engine.index, embedder, fake_engine.settings,
                    urgency=_flagging(fake_engine, question, "another-model"))
    assert engine.urgency is None and engine.ask(question).status != "urgent"


@pytest.mark.slow
def test_the_engine_routes_every_urgent_eval_message_and_almost_nothing_else(real_engine):
    """Patterns and classifier together, on every question set and emergency set in eval/."""
    missed, false_alarms = [], []
    for path in message_files(REPO / "eval"):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            routed = real_engine.ask(item["q"]).status == "urgent"
            if routed != (item["kind"] == "urgent"):
                (missed if item["kind"] == "urgent" else false_alarms).append(f"{path.stem}:{item['id']}")
    assert missed == []
    assert false_alarms == KNOWN_FALSE_ALARMS



@pytest.mark.slow
def test_the_shipped_classifier_is_what_training_on_eval_gives_today(real_engine):
    """Retrain with ``ros1qa train`` after changing eval/ or the glossary; this fails until then."""
    shipped = load_urgency(CLASSIFIER_FILE)
    assert shipped is not None and shipped.model_id == real_engine.embedder.model_id
    fresh = train_from(REPO / "eval", real_engine.vectors, real_engine.embedder.model_id)
    assert fresh.examples == shipped.examples
    assert np.allclose(fresh.weights, shipped.weights, atol=1e-4) and abs(fresh.bias - shipped.bias) < 1e-4
