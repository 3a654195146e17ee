import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SHIPPED

from ros1qa.ask.engine import Engine
from ros1qa.index.examples import EXAMPLES_FILE, ExampleScale, save_scale
from ros1qa.index.indexing import build_index, labelled_hashes, stale_reasons, texts_read
from ros1qa.index.labels import LABELLED_DIR, labelled_files
from ros1qa.index.store import load_index
from ros1qa.ingest.units import alone_texts, embedding_texts, make_units
from ros1qa.settings import ChunkerSettings

REPO = Path(__file__).resolve().parents[2]
PAGE = "---\ntitle: Extra\nurl: https://example.org/extra\n---\nExtra\n\nA new page about ROS1.\n"
SEED = "immunotherapy-and-ros1-cancer.txt"
MINE = [  # gold strings from three different sentences of the seed page
    {"id": "a1", "kind": "answerable", "q": "Is immunotherapy used first?", "gold": ["should NOT be used as first-line"],
     "page": SEED},
    {"id": "a2", "kind": "answerable", "q": "What does immunotherapy do?",
     "gold": ["uses a person's own immune system to fight cancer"]},
    {"id": "a3", "kind": "answerable", "q": "Is a TKI easier to take?", "gold": ["better tolerated than immunotherapy"],
     "page": SEED},
    {"id": "u1", "kind": "unanswerable", "q": "What does crizotinib cost?", "page": SEED},
    {"id": "z1", "kind": "urgent", "q": "I can't breathe"},
]


def test_committed_index_matches_the_corpus():
    assert stale_reasons(SHIPPED) == []


def test_the_committed_index_holds_every_labelled_question_it_says_it_uses():
    index = load_index(SHIPPED.index_dir)
    assert index.manifest["labelled"] == labelled_hashes(SHIPPED) != {}
    summary = index.manifest["labelled_questions"]
    assert index.examples is not None
    assert len(index.examples.vectors) == summary["answerable"] + summary["unanswerable"]
    assert int(index.examples.answerable.sum()) == summary["answerable"]
    assert set(index.examples.sources.tolist()) <= {path.stem for path in labelled_files(SHIPPED.corpus_dir / LABELLED_DIR)}


@pytest.fixture
def mine(corpus_dir: Path) -> Path:
    """The corpus with only the labelled questions of MINE (set "mine")."""
    shutil.rmtree(corpus_dir / LABELLED_DIR)
    (corpus_dir / LABELLED_DIR).mkdir()
    path = corpus_dir / LABELLED_DIR / "mine.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in MINE), encoding="utf-8")
    return path


def _edit(corpus_dir: Path, old: str, new: str) -> None:
    page = corpus_dir / SEED
    text = page.read_text(encoding="utf-8")
    assert text.count(old) == 1
    page.write_text(text.replace(old, new), encoding="utf-8")


def test_a_build_stores_the_labelled_questions_as_the_engine_reads_them(fake_settings, embedder, mine):
    report = build_index(fake_settings, embedder)
    assert report.manifest["labelled"] == {"mine.jsonl": labelled_hashes(fake_settings)["mine.jsonl"]}
    assert report.manifest["labelled_questions"] == {"answerable": 3, "unanswerable": 1, "lost": []}
    assert EXAMPLES_FILE in report.manifest["files"]
    index = load_index(fake_settings.index_dir)
    assert index.examples is not None and index.examples.sources.tolist() == ["mine"] * 4
    assert index.examples.answerable.tolist() == [True, True, True, False]
    for example, gold in enumerate(item["gold"][0] for item in MINE[:3]):
        holding = index.examples.answer_passage[index.examples.answer_example == example]
        assert len(holding) >= 1 and all(gold in index.passages[p].text for p in holding.tolist())
    engine = Engine(index, embedder, fake_settings.retrieval)
    assert np.allclose(index.examples.vectors, engine.vectors([item["q"] for item in MINE[:4]]), atol=1e-6)


def test_a_corpus_without_labelled_questions_builds_without_examples(fake_settings, embedder, corpus_dir):
    shutil.rmtree(corpus_dir / LABELLED_DIR)
    report = build_index(fake_settings, embedder)
    assert report.labelled is None and report.manifest["labelled"] == {}
    assert "labelled_questions" not in report.manifest and EXAMPLES_FILE not in report.manifest["files"]
    assert load_index(fake_settings.index_dir).examples is None


def test_editing_a_sentence_that_holds_a_gold_string_loses_exactly_that_question(fake_settings, embedder, corpus_dir,
                                                                                  mine):
    build_index(fake_settings, embedder)
    _edit(corpus_dir, "Targeted therapy is better tolerated than immunotherapy.",
          "Targeted therapy is easier to tolerate than immunotherapy.")
    report = build_index(fake_settings, embedder)
    assert report.manifest["labelled_questions"] == {"answerable": 2, "unanswerable": 1, "lost": [
        {"id": "mine:a3", "reason": f"its answer text is no longer in {SEED}"}]}
    examples = load_index(fake_settings.index_dir).examples
    assert examples is not None and len(examples.vectors) == 3 and examples.answer_example.max() == 1


def test_editing_other_words_keeps_every_question(fake_settings, embedder, corpus_dir, mine):
    before = build_index(fake_settings, embedder).manifest["labelled_questions"]
    _edit(corpus_dir, "The study was closed", "The trial was closed")
    _edit(corpus_dir, "2. Targeted therapy is better", "2. A targeted therapy is better")  # beside a gold string
    report = build_index(fake_settings, embedder)
    assert report.manifest["labelled_questions"] == before == {"answerable": 3, "unanswerable": 1, "lost": []}
    examples = load_index(fake_settings.index_dir).examples
    assert examples is not None and len(examples.vectors) == 4


def test_a_build_that_can_use_none_of_its_labelled_questions_says_what_it_lost(fake_settings, embedder, mine):
    mine.write_text(json.dumps(MINE[2] | {"page": "gone.txt"}) + "\n" + json.dumps(MINE[4]) + "\n", encoding="utf-8")
    report = build_index(fake_settings, embedder)
    assert report.manifest["labelled_questions"] == {"answerable": 0, "unanswerable": 0, "lost": [
        {"id": "mine:a3", "reason": "page gone.txt is not in the corpus"}]}
    assert load_index(fake_settings.index_dir).examples is None


def test_stale_reasons_name_added_changed_and_removed_labelled_files(fake_settings, embedder, corpus_dir, mine):
    build_index(fake_settings, embedder)
    assert stale_reasons(fake_settings) == []
    mine.write_text(mine.read_text(encoding="utf-8") + json.dumps(MINE[3] | {"id": "u2"}) + "\n", encoding="utf-8")
    (corpus_dir / LABELLED_DIR / "volunteers.jsonl").write_text(json.dumps(MINE[0]) + "\n", encoding="utf-8")
    assert stale_reasons(fake_settings) == [f"changed: {LABELLED_DIR}/mine.jsonl", f"added: {LABELLED_DIR}/volunteers.jsonl"]
    build_index(fake_settings, embedder)
    mine.unlink()
    assert stale_reasons(fake_settings) == [f"removed: {LABELLED_DIR}/mine.jsonl"]


def test_fresh_build_is_current(fake_settings, embedder):
    build_index(fake_settings, embedder)
    assert stale_reasons(fake_settings) == []


def test_stale_reasons_name_what_changed(fake_settings, embedder, corpus_dir):
    build_index(fake_settings, embedder)
    (corpus_dir / "extra.txt").write_text(PAGE, encoding="utf-8")
    seed = corpus_dir / "immunotherapy-and-ros1-cancer.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    (corpus_dir / "glossary.toml").write_text("", encoding="utf-8")
    assert stale_reasons(fake_settings) == [
        "added: extra.txt",
        "changed: immunotherapy-and-ros1-cancer.txt",
        "changed: glossary.toml",
    ]


def test_another_recipe_of_word_pieces_is_stale_and_read_again(fake_settings, embedder, monkeypatch):
    first = build_index(fake_settings, embedder)
    assert first.manifest["pieces"] == "content-pieces-v1" and build_index(fake_settings, embedder).pieces_read == 0
    monkeypatch.setattr("ros1qa.index.indexing.PIECES_VERSION", "content-pieces-v2")
    assert stale_reasons(fake_settings) == ["word pieces: index content-pieces-v1, code content-pieces-v2"]
    assert build_index(fake_settings, embedder).pieces_read == first.pieces_read


def test_removed_file_model_and_chunker_changes_are_reported(fake_settings, embedder, corpus_dir):
    (corpus_dir / "extra.txt").write_text(PAGE, encoding="utf-8")
    build_index(fake_settings, embedder)
    (corpus_dir / "extra.txt").unlink()
    other = replace(fake_settings, model="another-model", chunker=ChunkerSettings(max_passage_chars=500))
    reasons = stale_reasons(other)
    assert reasons[0] == "removed: extra.txt"
    assert any(r.startswith("model: index built with fake-hashing-embedder") for r in reasons)
    assert any(r.startswith("chunker settings") for r in reasons)


def test_missing_index_is_stale_with_the_fix(fake_settings):
    (reason,) = stale_reasons(fake_settings)
    assert "ros1qa build" in reason


def unique_texts(settings):
    """Every text the model reads for the current build (``indexing.texts_read``)."""
    return texts_read(load_index(settings.index_dir).passages)


def test_rebuild_embeds_only_texts_it_has_not_embedded_before(fake_settings, embedder, corpus_dir):
    shutil.rmtree(corpus_dir / LABELLED_DIR)  # only the pages' units: labelled questions are read again by each build
    first = build_index(fake_settings, embedder)
    before = unique_texts(fake_settings)
    assert first.read == embedder.encoded == len(before)  # each text read once
    (corpus_dir / "extra.txt").write_text(PAGE, encoding="utf-8")
    second = build_index(fake_settings, embedder)
    new_texts = unique_texts(fake_settings) - before
    assert second.units > first.units and new_texts
    assert 0 < second.pieces_read and second.read == len(new_texts)
    assert embedder.encoded == len(before) + len(new_texts)


def test_vectors_are_reused_only_from_an_index_that_stored_them_as_finely(fake_settings, embedder, monkeypatch):
    monkeypatch.setattr("ros1qa.index.vectors.EXACT_SEARCH_LIMIT", 0)  # this small corpus gets an IVF (float16) index
    first = build_index(fake_settings, embedder)
    assert first.manifest["vectors"]["codes"] == "float16"
    assert build_index(fake_settings, embedder).embedded == 0  # float16 into float16: the same stored values
    monkeypatch.undo()
    exact = build_index(fake_settings, embedder)  # float16 into a float32 index would differ from a fresh build
    index = load_index(fake_settings.index_dir)
    units = make_units(index.passages)
    every = set(embedding_texts(units, index.passages)) | set(alone_texts(units, index.passages))
    assert exact.manifest["vectors"]["type"] == "flat" and exact.embedded == len(every) and exact.pieces_read == 0
    assert build_index(fake_settings, embedder).embedded == 0


def test_a_models_learned_scale_goes_into_its_builds_examples_and_a_new_one_makes_the_index_stale(
        fake_settings, embedder, mine, tmp_path, monkeypatch):
    scale_file = tmp_path / "example_scale.json"
    monkeypatch.setattr("ros1qa.index.examples.SCALE_FILE", scale_file)
    plain = build_index(fake_settings, embedder)
    assert "example_scale" not in plain.manifest  # no scale learned: the bundled model's, as builds always were
    assert load_index(fake_settings.index_dir).examples.scale == ExampleScale()
    learned = ExampleScale(0.5, 0.6, 0.75)
    save_scale(learned, "another-model", scale_file)
    assert stale_reasons(fake_settings) == []  # learned for another model: not this build's
    save_scale(learned, fake_settings.model, scale_file)
    assert stale_reasons(fake_settings) == [
        ("example questions' scale: index the bundled model's, for the model "
         "{'floor': 0.5, 'verdict': 0.6, 'same_question': 0.75} (ros1qa train learned it)")]
    report = build_index(fake_settings, embedder)
    assert report.manifest["example_scale"] == {"floor": 0.5, "verdict": 0.6, "same_question": 0.75}
    assert load_index(fake_settings.index_dir).examples.scale == learned and stale_reasons(fake_settings) == []
