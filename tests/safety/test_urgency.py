import json
from pathlib import Path

import numpy as np
import pytest

from ros1qa.ask import messages
from ros1qa.ask.engine import Engine
from ros1qa.errors import Ros1qaError
from ros1qa.index.classifier import VectorClassifier
from ros1qa.safety.urgency import labelled_messages, load_urgency, message_files, train_from

REPO = Path(__file__).resolve().parents[2]
HELD_OUT = sorted((REPO / "eval" / "messages").glob("*.jsonl"))  # measures only: never trained on
KNOWN_FALSE_ALARMS = [  # on the safe side; each could be read as the writer's emergency now (stop 30: the classifier
    # became a small network, 30 of 5,867 training messages routed by mistake instead of 72; stop 31: 39 of 6,267;
    # stop 32: 53 of 6,667)
    "dizziness-balance-and-falls-on-ros1-drugs:dzyq08",
    "emergency4_messages:n39",  # "My friend's dad was coughing up blood…": reported
    "emergency6_messages:m16",  # "Fever was 38.3 on Saturday, I went to the ER… temp 36.8 today": over
    "emergency6_messages:m21",  # "The lorlatinib leaflet mentions … suicidal thoughts as side effects"
    "emergency6_messages:m25",  # "food poisoning two weeks ago, couldn't keep fluids down for a day": over
    "emergency6_messages:m40",  # "When I was first diagnosed I had dark thoughts about ending it": past
    "emergency7_messages:g24",
    "emergency7_messages:g37",
    "emergency7_messages:g49",
    "emergency7_messages:g59",
    "emergency7_messages:g72",
    "emergency7_messages:g80",
    "emergency7_messages:g88",
    "getting-your-ros1-medicine-from-the-pharmacy:phmq19",
    "going-into-hospital-with-ros1-cancer:hspq16",  # "wat temprature counts as a high temp…": the fever pattern
    "kidney-health-on-ros1-drugs:kidq33",
    "lung-biopsy-and-getting-a-diagnosis:lun24",  # "…coughed and there were a few small streaks of blood…": expected
    "lung-biopsy-and-getting-a-diagnosis:lunc09#1",  # "…had her lung biopsy this morning and now she's coughing up a little blood"
    "managing-pain-with-ros1-cancer:panc03#1",
    "managing-pain-with-ros1-cancer:panq20",
    "palliative-care-and-symptom-relief:palc04#2",  # "my husband gets so out of breath just walking to the bathroom…"
    "reading-your-biomarker-report:preq31",
    "symptoms3_messages:sym3-151",  # "…had one seizure from a brain metastasis… When is he allowed to drive?": the patterns
    # symptoms5 and 6 (stop 31), all by the patterns: a sign attributed to someone, asked about
    "symptoms5_messages:sym5-066",  # "…stopped breathing for a few seconds at night for years…"
    "symptoms6_messages:sym6-017",  # "chest feels tight when im anxious before scans, goes once i calm down…"
    "symptoms6_messages:sym6-018",  # "…he say he cannot breathe, but the doctor check and lungs are fine…"
    "symptoms6_messages:sym6-105",  # "I coughed up a small streak of blood in my phlegm this morning, just once…"
    "symptoms6_messages:sym6-131",  # "…I am scared to take too much and overdose…"
    "symptoms6_messages:sym6-169",  # "…a sharp pain in her chest wall when she coughs… her doctor checked it"
    "symptoms6_messages:sym6-195",  # "…what they should do if Grandma has one [a seizure] while I'm out?"
    # symptoms8 and 9 (stop 32), written to stress what blind16 showed goes wrong (feeling faint, an episode that is
    # over, first aid asked in advance): what the patterns and the classifier still route
    "symptoms8_messages:sym8-018",
    "symptoms8_messages:sym8-039",
    "symptoms8_messages:sym8-045",
    "symptoms8_messages:sym8-062",
    "symptoms8_messages:sym8-106",
    "symptoms8_messages:sym8-130",
    "symptoms8_messages:sym8-168",
    "symptoms8_messages:sym8-177",
    "symptoms9_messages:sym9-005",
    "symptoms9_messages:sym9-035",
    "symptoms9_messages:sym9-067",
    "symptoms9_messages:sym9-082",
    "symptoms9_messages:sym9-087",
    "symptoms9_messages:sym9-119",
    "symptoms9_messages:sym9-126",
    "symptoms9_messages:sym9-162",
    "symptoms9_messages:sym9-170",
    "taking-your-ros1-pills-doses-and-missed-doses:pilc05#1",
    "telehealth-and-remote-appointments:telc14#1",
    "testing-for-ros1:t16",  # "more short of breath and worn out over the past few weeks … scared": over weeks
    "vaccines-and-infections-on-ros1-treatment:vacq15",
    "working-and-travelling-with-ros1-cancer:wrkq32",
]
HELD_OUT_FALSE_ALARMS = [  # measured, never trained on; symptoms4 (stop 30), half by the patterns
    "small_talk2_messages:st2-035",
    "symptoms4_messages:sym4-008",
    "symptoms4_messages:sym4-009",
    "symptoms4_messages:sym4-047",
    "symptoms4_messages:sym4-050",
    "symptoms4_messages:sym4-068",
    "symptoms4_messages:sym4-090",
    # symptoms7 (stop 31, first run on the finished design), all but one by the patterns
    "symptoms7_messages:sym7-005",
    "symptoms7_messages:sym7-024",
    "symptoms7_messages:sym7-048",
    "symptoms7_messages:sym7-093",
    "symptoms7_messages:sym7-099",
    # symptoms10 (stop 32, first run on the finished design)
    "symptoms10_messages:sym10-008",
    "symptoms10_messages:sym10-023",
    "symptoms10_messages:sym10-032",
    "symptoms10_messages:sym10-048",
    "symptoms10_messages:sym10-072",
    "symptoms10_messages:sym10-083",
    # symptoms11 (stop 36, first run on stop 35's design), all the classifier's: everyday mishaps and exposures on
    # treatment, asked about (a knocked port site, a splinter, a wasp sting, a cough in the face, sunburn)
    "symptoms11_messages:sym11-005",
    "symptoms11_messages:sym11-007",
    "symptoms11_messages:sym11-066",
    "symptoms11_messages:sym11-070",
    "symptoms11_messages:sym11-092",
    "symptoms11_messages:sym11-114",
    "symptoms11_messages:sym11-168",
    "symptoms11_messages:sym11-172",
]


def _lines(*items: dict) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus with one labelled set, and a training folder with questions about a page and messages."""
    corpus, training = tmp_path / "corpus", tmp_path / "training"
    for folder in (corpus / "labelled", training / "questions", training / "messages"):
        folder.mkdir(parents=True)
    (corpus / "labelled" / "set.jsonl").write_text(_lines({"id": "1", "kind": "urgent", "q": "help, he collapsed"},
                                                          {"id": "2", "kind": "answerable", "q": "what is a tki"}))
    (training / "questions" / "page.jsonl").write_text(_lines({"id": "3", "kind": "unanswerable", "q": "cost?"}))
    (training / "messages" / "emergency1_messages.jsonl").write_text(_lines({"id": "4", "kind": "not_urgent", "q": "hi"}))
    (training / "messages" / "notes.txt").write_text("not read\n")
    return corpus, training


def test_messages_are_the_corpus_labelled_questions_the_training_questions_and_the_message_sets(tmp_path):
    corpus, training = _folders(tmp_path)
    files = message_files(corpus, training)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "corpus/labelled/set.jsonl", "training/questions/page.jsonl", "training/messages/emergency1_messages.jsonl"]
    assert labelled_messages(files) == [("help, he collapsed", True), ("what is a tki", False), ("cost?", False),
                                        ("hi", False)]
    assert message_files(tmp_path / "none", tmp_path / "nothing") == []


def test_a_line_that_is_not_a_message_is_an_error_naming_file_and_line(tmp_path):
    corpus, training = _folders(tmp_path)
    (training / "messages" / "b_messages.jsonl").write_text(_lines({"id": "5", "kind": "urgent", "q": "x"}) + "{broken\n")
    with pytest.raises(Ros1qaError, match="b_messages.jsonl:2"):
        labelled_messages(message_files(corpus, training))


def test_training_learns_from_the_engines_reading_and_needs_both_kinds(tmp_path):
    corpus, training = _folders(tmp_path)
    files = message_files(corpus, training)

    def read(texts: list[str]) -> np.ndarray:  # urgent messages point one way, the others another
        return np.array([[3.0, 0.0] if "help" in text else [0.0, 3.0] for text in texts])

    classifier = train_from(files, read, "m")
    assert (classifier.model_id, classifier.examples) == ("m", 4)
    assert classifier.holds(read(["help"])[0]) and not classifier.holds(read(["hi"])[0])
    (corpus / "labelled" / "set.jsonl").unlink()
    with pytest.raises(Ros1qaError, match="both"):
        train_from(message_files(corpus, training), read, "m")


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


def _routing(engine: Engine, files: list[Path]) -> tuple[list[str], list[str]]:
    """Urgent messages the engine does not route, and other messages it routes, as "<file stem>:<id>" (a
    conversation's turn: "<file stem>:<id>#<turn>", each turn asked on its own)."""
    missed, false_alarms = [], []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                turns = item.get("turns", [item])
                for number, turn in enumerate(turns, 1):
                    routed = engine.ask(turn["q"]).status == "urgent"
                    if routed != (turn["kind"] == "urgent"):
                        key = f"{path.stem}:{item['id']}" + (f"#{number}" if "turns" in item else "")
                        (missed if turn["kind"] == "urgent" else false_alarms).append(key)
    return missed, false_alarms


@pytest.mark.slow
def test_the_engine_routes_every_urgent_labelled_message_and_almost_nothing_else(real_engine):
    """Patterns and classifier together, on every message ros1qa learns from: the corpus's labelled sets, the
    training pages' questions, the emergency and symptom sets."""
    missed, false_alarms = _routing(real_engine, message_files(REPO / "corpus", REPO / "training"))
    assert missed == []
    assert sorted(false_alarms) == sorted(KNOWN_FALSE_ALARMS)


@pytest.mark.slow
def test_the_engine_routes_every_urgent_held_out_message(real_engine):
    """The held-out message sets (eval/messages), written blind and never trained on."""
    assert HELD_OUT
    missed, false_alarms = _routing(real_engine, HELD_OUT)
    assert missed == []
    assert sorted(false_alarms) == sorted(HELD_OUT_FALSE_ALARMS)


@pytest.mark.slow
def test_the_shipped_classifier_decides_as_training_on_todays_messages_does(real_engine):
    """Retrain with ``ros1qa train`` after changing the labelled sets, the messages or how questions are read.

    Decisions, not weights, are compared: float32 vectors differ in their last bits between CPUs, which moves
    the networks' probabilities by up to about 0.06 (measured with noise of that size) and changes no decision
    except for messages near the threshold.
    """
    shipped = load_urgency()
    assert shipped is not None and shipped.model_id == real_engine.embedder.model_id
    files = message_files(REPO / "corpus", REPO / "training")
    fresh = train_from(files, real_engine.vectors, real_engine.embedder.model_id)
    assert (fresh.examples, fresh.threshold) == (shipped.examples, shipped.threshold)
    vectors = real_engine.vectors([text for text, _ in labelled_messages(files)])
    fresh_p = np.array([fresh.probability(v) for v in vectors])
    shipped_p = np.array([shipped.probability(v) for v in vectors])
    differ = np.flatnonzero((fresh_p >= fresh.threshold) != (shipped_p >= shipped.threshold))
    assert len(differ) <= 3
    assert np.all(np.abs(shipped_p[differ] - shipped.threshold) < 0.1)
