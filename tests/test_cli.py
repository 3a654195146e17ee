import io
import json
import shutil

import pytest
from tests.conftest import FAKE_MODEL, SHIPPED, HashingEmbedder

from ros1qa.ask import highlight, lead, messages
from ros1qa.cli import main
from ros1qa.index.store import read_manifest

CONTRACT_KEYS = {"question", "read_as", "status", "message", "passages"}
PASSAGE_KEYS = {"text", "document", "title", "section", "url", "score", "start", "end", "highlight"}


@pytest.fixture
def cli(monkeypatch, fake_settings):
    """Run ``ros1qa`` in-process against a private corpus and index with the fake embedder."""
    monkeypatch.setattr("ros1qa.service.make_embedder", lambda settings: HashingEmbedder())
    base = ["--corpus", str(fake_settings.corpus_dir), "--index", str(fake_settings.index_dir), "--model", FAKE_MODEL]

    def run(*args: str, stdin: str = "") -> tuple[int, str]:
        out = io.StringIO()
        code = main([*base, *args], stdin=io.StringIO(stdin), out=out)
        return code, out.getvalue()

    return run


def test_build_then_check_then_ask(cli, fake_settings):
    code, out = cli("build")
    summary = read_manifest(fake_settings.index_dir)["labelled_questions"]
    used = (f"Labelled questions used: {summary['answerable']} answerable, {summary['unanswerable']} unanswerable; "
            "lost: 0\n")
    assert code == 0 and "Built index" in out and "6 passages" in out and out.endswith(used)
    assert cli("check") == (0, f"Index in {fake_settings.index_dir} is current.\n{used}")
    code, out = cli("ask", "Are ROS1+ patients unlikely to respond to immunotherapy?")
    assert code == 0
    assert "  > " in out and "— Immunotherapy & ROS1+ Cancer" in out
    assert "https://www.theros1ders.org/post/immunotherapy-ros1-cancer" in out


def test_build_and_check_say_which_labelled_questions_were_lost_and_why(cli, corpus_dir, fake_settings):
    labelled = corpus_dir / "labelled"
    shutil.rmtree(labelled)
    code, out = cli("build")
    assert code == 0 and out.splitlines()[-1] == (
        "Labelled questions: none in the corpus's labelled/ folder (pages are judged by the answer model alone).")
    labelled.mkdir()
    (labelled / "mine.jsonl").write_text(
        '{"id": "a1", "kind": "answerable", "q": "Is it first?", "gold": ["should NOT be used as first-line"]}\n'
        '{"id": "a2", "kind": "answerable", "q": "What does it cost?", "gold": ["costs a fortune"]}\n'
        '{"id": "u1", "kind": "unanswerable", "q": "Can I get it abroad?", "page": "elsewhere.txt"}\n', encoding="utf-8")
    code, out = cli("check")
    assert code == 1 and "  - added: labelled/mine.jsonl" in out.splitlines()
    lost = ["Labelled questions used: 1 answerable, 0 unanswerable; lost: 2",
            "  - lost mine:a2: its answer text is no longer in any page",
            "  - lost mine:u1: page elsewhere.txt is not in the corpus"]
    code, out = cli("build")
    assert code == 0 and out.splitlines()[-3:] == lost
    code, out = cli("check")
    assert code == 0 and out.splitlines() == [f"Index in {fake_settings.index_dir} is current.", *lost]


def test_a_reader_that_goes_away_stops_the_command_quietly(cli, fake_settings, monkeypatch, capsys):
    assert cli("build")[0] == 0

    class GoneReader(io.StringIO):  # ``ros1qa check | head -0``: every write finds the pipe closed
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    base = ["--corpus", str(fake_settings.corpus_dir), "--index", str(fake_settings.index_dir), "--model", FAKE_MODEL]
    assert main([*base, "check"], out=GoneReader()) == 141
    assert capsys.readouterr().err == ""


def test_check_reports_stale_index_and_fails(cli, corpus_dir):
    cli("build")
    (corpus_dir / "immunotherapy-and-ros1-cancer.txt").write_text("---\ntitle: T\nurl: https://x.org\n---\nNew.", encoding="utf-8")
    code, out = cli("check")
    assert code == 1 and "changed: immunotherapy-and-ros1-cancer.txt" in out and "ros1qa build" in out


def test_jsonl_contract_one_line_per_question_in_order(cli):
    cli("build")
    questions = ["What is immunotherapy?", "", "   ", "I can't breathe", "Who won the game last night?", "x" * 5000, "{\"json\": true}"]
    code, out = cli("ask", "--jsonl", stdin="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["question"] for line in lines] == [q for q in questions if q.strip()]
    for line in lines:
        assert set(line) == CONTRACT_KEYS and line["status"] in ("answered", "not_found", "urgent", "small_talk")
        assert line["read_as"] == line["question"]  # no history: each read alone
        for passage in line["passages"]:
            assert set(passage) == PASSAGE_KEYS
            assert passage["text"][passage["highlight"][0][0]:passage["highlight"][0][1]]
        if line["status"] != "answered":
            assert line["passages"] == [] and line["message"]
    assert lines[0]["status"] == "answered" and lines[0]["passages"][0]["url"].startswith("https://")
    assert lines[1]["status"] == "urgent" and lines[1]["message"] == messages.URGENT
    assert lines[3]["message"] == messages.too_long(1000)


def test_missing_index_is_a_one_line_error_naming_the_fix(cli, capsys):
    code, _ = cli("ask", "What is immunotherapy?")
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("ros1qa: No index found") and "ros1qa build" in err and "Traceback" not in err


def test_ask_without_question_explains_usage(cli, capsys):
    assert cli("ask")[0] == 2
    assert "ros1qa ask" in capsys.readouterr().err


def test_eval_prints_table_with_baselines_and_enforces_floors(cli, tmp_path):
    cli("build")
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "kind": "answerable", "q": "Are ROS1+ patients unlikely to respond to immunotherapy?", "gold": ["unlikely to respond"]}\n'
        '{"id": "u", "kind": "urgent", "q": "I want to kill myself"}\n',
        encoding="utf-8",
    )
    code, out = cli("eval", str(questions))
    assert code == 0
    header = out.splitlines()[1].split()
    assert header == ["metric", "hybrid", "dense", "bm25"]
    assert "hit@1" in out and "urgent routed" in out
    floors = tmp_path / "floors.json"
    floors.write_text('{"hit_at_1": 1.01}', encoding="utf-8")
    code, out = cli("eval", str(questions), "--floors", str(floors))
    assert code == 1 and "BELOW FLOOR: hit_at_1" in out


def test_eval_scores_several_sets_as_one(cli, tmp_path):
    cli("build")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "u", "kind": "urgent", "q": "I want to kill myself"}\n', encoding="utf-8")
    second.write_text('{"id": "n", "kind": "unanswerable", "q": "Who won the football game last night?"}\n', encoding="utf-8")
    code, out = cli("eval", str(first), str(second), "--sweep")
    assert code == 0
    assert out.splitlines()[0] == "0 answerable, 1 unanswerable, 1 urgent, 0 small talk"
    assert "threshold" in out


def test_eval_of_a_file_that_is_not_there_is_a_one_line_error_naming_it(cli, tmp_path, capsys):
    missing = tmp_path / "blind10_questions.jsonl"  # a typo of the set's name
    assert cli("eval", str(missing))[0] == 1
    err = capsys.readouterr().err
    assert err.startswith(f"ros1qa: {missing}: cannot be read") and "Traceback" not in err


def test_export_onnx_writes_to_the_models_folder_for_the_model(monkeypatch, tmp_path):
    written = []

    def fake_export(model, folder):
        written.append((model, folder))
        return {"model": model, "onnx_sha256": "ab" * 32}

    monkeypatch.setattr("ros1qa.index.onnx_export.export_onnx", fake_export)
    out = io.StringIO()
    assert main(["--models", str(tmp_path), "--model", "org/name", "export-onnx"], out=out) == 0
    assert written == [("org/name", tmp_path / "onnx" / "org__name")]
    assert "Exported org/name" in out.getvalue()


def test_asking_without_an_onnx_export_is_one_line_naming_the_fix(tmp_path, capsys):
    shipped = ["--corpus", str(SHIPPED.corpus_dir), "--index", str(SHIPPED.index_dir)]
    code = main([*shipped, "--models", str(tmp_path / "none"), "ask", "What is ROS1?"], out=io.StringIO())
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ros1qa export-onnx" in err[0]


def test_train_writes_the_eight_models_learned_from_the_training_folder(cli, tmp_path, corpus_dir):
    from ros1qa.ask.answer_model import load_answer_model
    from ros1qa.ask.conversation import FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION
    from ros1qa.ask.query_adapter import load_adapter
    from ros1qa.ask.small_talk import INTENTS, QUESTION, load_small_talk
    from ros1qa.index.classifier import load_network
    from ros1qa.index.examples import load_scale
    from ros1qa.index.labels import load_labelled
    from ros1qa.learning.conversation_scores import load_conversations
    from ros1qa.learning.learning import alone_turns
    from ros1qa.safety.urgency import labelled_messages, message_files

    training = tmp_path / "training"
    page = "managing-tki-side-effects"
    for name in (f"pages/b/{page}.txt", f"questions/{page}.jsonl", "messages/emergency1_messages.jsonl",
                 "messages/small_talk1_messages.jsonl", f"conversations/{page}.jsonl"):
        (training / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHIPPED.corpus_dir.parent / "training" / name, training / name)
    cli("build")
    code, out = cli("train", "--training-dir", str(training), "--output-dir", str(tmp_path))
    assert code == 0
    urgency = load_network(tmp_path / "urgency_classifier.npz")
    model = load_answer_model(tmp_path / "answer_model.json")
    assert urgency is not None and urgency.model_id == FAKE_MODEL
    assert urgency.examples == len(labelled_messages(message_files(corpus_dir, training)))
    assert model is not None and model.model_id == FAKE_MODEL
    assert {f"{page}.txt", "immunotherapy-and-ros1-cancer.txt"} <= set(model.pages)
    usable = [q for q in (*load_labelled(corpus_dir / "labelled"), *load_labelled(training / "questions"))
              if q.kind != "urgent"]
    turns = alone_turns(load_conversations(training / f"conversations/{page}.jsonl"))  # self-contained turns
    assert len(usable) < model.questions <= len(usable) + len(turns)
    chat, follow_up = load_small_talk(tmp_path / "small_talk_classifier.npz"), load_answer_model(tmp_path / "follow_up_model.json")
    assert chat is not None and chat.classes == (*INTENTS, QUESTION) and chat.model_id == FAKE_MODEL
    assert follow_up is not None and follow_up.usable_with(FAKE_MODEL, FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION)
    assert follow_up.pages == (page,)
    highlighter = load_answer_model(tmp_path / "highlight_model.json")
    assert highlighter is not None and highlighter.usable_with(FAKE_MODEL, highlight.FEATURES, highlight.VERSION)
    answerable = [q for q in (*usable, *turns) if q.kind == "answerable"]
    assert 0 < len(highlighter.pages) <= len(answerable)  # each question's sentences
    leader = load_answer_model(tmp_path / "lead_model.json")
    assert leader is not None and leader.usable_with(FAKE_MODEL, lead.FEATURES, lead.VERSION)
    adapter = load_adapter(tmp_path / "query_adapter.npz")
    assert adapter is not None and adapter.usable_with(FAKE_MODEL, 64) and adapter.pages == (f"{page}.txt",)
    scale = load_scale(FAKE_MODEL, tmp_path / "example_scale.json")  # not the bundled model: its own scale
    assert scale is not None and scale.floor < scale.verdict < scale.same_question
    assert out.splitlines() == [
        f"Example questions' scale: alike from cosine {scale.floor}, a verdict from {scale.verdict}, the same question "
        + f"from {scale.same_question} (the bundled model's carried over); wrote {tmp_path / 'example_scale.json'}",
        f"Emergency classifier: trained on {urgency.examples} messages; wrote {tmp_path / 'urgency_classifier.npz'}",
        f"Small-talk model: trained on {chat.examples} messages; wrote {tmp_path / 'small_talk_classifier.npz'}",
        f"Query adapter: learned from {adapter.questions} questions about 1 pages; wrote {tmp_path / 'query_adapter.npz'}",
        f"Answer model: trained on {model.questions} questions about {len(model.pages)} pages "
        + f"({len(turns)} of them conversations' self-contained turns); wrote {tmp_path / 'answer_model.json'}",
        f"Highlight selector: trained on the sentences of the passages answering {len(highlighter.pages)} questions; "
        + f"wrote {tmp_path / 'highlight_model.json'}",
        f"Lead judgement: trained on {leader.questions} pairs of passages shown for questions about "
        + f"{len(leader.pages)} pages; wrote {tmp_path / 'lead_model.json'}",
        f"Follow-up model: trained on {follow_up.questions} turns about 1 pages; wrote {tmp_path / 'follow_up_model.json'}"
        + "; each page left out in turn, nan of turns read as labelled"]  # one page: nothing to leave out


def test_eval_pages_writes_the_three_tables(cli, tmp_path, corpus_dir):
    repo = SHIPPED.corpus_dir.parent
    shutil.rmtree(corpus_dir / "labelled")
    (corpus_dir / "labelled").mkdir()
    for name in ("dev", "holdout"):
        shutil.copy(repo / "corpus" / "labelled" / f"{name}.jsonl", corpus_dir / "labelled")
    training, held = tmp_path / "training", tmp_path / "eval"
    for folder, names in ((training, ["pages/b/managing-tki-side-effects.txt", "questions/managing-tki-side-effects.jsonl"]),
                          (held, ["pages/heldout/ros1-clinical-trials.txt", "questions/ros1-clinical-trials.jsonl",
                                  "conversations/ros1-clinical-trials.jsonl"])):
        for name in names:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(repo / folder.name / name, folder / name)
    markdown = tmp_path / "docs" / "pages.md"
    code, out = cli("eval-pages", "--training-dir", str(training), "--eval-dir", str(held), "--markdown", str(markdown))
    assert code == 0
    titles = [line for line in out.splitlines() if line.startswith("**")]
    assert titles == ["**Every page judged without its own labelled questions (leave one page out)**",
                      "**The corpus's pages with their labelled questions, each set without its own (leave one set out)**",
                      "**Held-out pages, never tuned on (the model learned from every training page)**",
                      "**Held-out pages' conversations, each in its page's world (the engine as it ships)**"]
    rows = [line.split(" | ")[0].removeprefix("| ") for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[:11] == ["page", "immunotherapy-and-ros1-cancer.txt", "managing-tki-side-effects.txt",
                         "fixture pages pooled (1)", "page", "dev", "holdout", "all sets pooled", "page",
                         "ros1-clinical-trials.txt", "held-out pooled"]
    talks = sum(1 for _ in (held / "conversations" / "ros1-clinical-trials.jsonl").open())
    assert f"{talks} conversations, " in out and rows[11] == "turns"
    written = markdown.read_text(encoding="utf-8")
    assert written.startswith("Written by `ros1qa eval-pages` on ") and written.endswith(out)


def test_jsonl_reads_a_line_with_its_history_and_says_what_it_searched(cli):
    cli("build")
    lines = ["What is CAR-T cell therapy?",
             json.dumps({"question": "What is CAR-T cell therapy?", "history": ["hello", "What is immunotherapy?"]}),
             json.dumps({"question": "I can't breathe", "history": ["What is immunotherapy?"]})]
    code, out = cli("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["question"] for r in rows] == ["What is CAR-T cell therapy?"] * 2 + ["I can't breathe"]
    assert all(set(r) == CONTRACT_KEYS for r in rows)
    assert rows[0]["read_as"] == rows[0]["question"]
    assert rows[1]["read_as"].endswith("What is CAR-T cell therapy?")  # alone, or with the question before it
    assert rows[2]["status"] == "urgent" and rows[2]["read_as"] == "I can't breathe"


def test_eval_scores_labelled_conversations_beside_the_baselines(cli, tmp_path):
    cli("build")
    talks = tmp_path / "talks.jsonl"
    talks.write_text(json.dumps({"id": "c1", "turns": [
        {"q": "What is CAR-T cell therapy?", "kind": "answerable", "needs_history": False,
         "gold": ["modifies T cells from the patient"]},
        {"q": "I can't breathe right now", "kind": "urgent", "needs_history": False, "gold": []}]}) + "\n",
        encoding="utf-8")
    markdown = tmp_path / "docs" / "talks.md"
    code, out = cli("eval", str(talks), "--markdown", str(markdown))
    assert code == 0 and "1 conversations, 2 turns" in out
    assert "emergencies routed" in out and "hybrid" in out and "bm25" in out
    written = markdown.read_text(encoding="utf-8")
    assert written.startswith(f"Written by `ros1qa eval {talks}` on ") and "| emergencies routed | 1.000 (  1) |" in written
