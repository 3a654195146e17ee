from dataclasses import replace
from pathlib import Path

from tests.conftest import SHIPPED

from ros1qa.chunking import ChunkerSettings
from ros1qa.indexing import build_index, stale_reasons
from ros1qa.store import load_index
from ros1qa.units import embedding_texts, make_units

REPO = Path(__file__).resolve().parent.parent
PAGE = "---\ntitle: Extra\nurl: https://example.org/extra\n---\nExtra\n\nA new page about ROS1.\n"


def test_committed_index_matches_the_corpus():
    assert stale_reasons(SHIPPED) == []


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
    index = load_index(settings.index_dir)
    return set(embedding_texts(make_units(index.passages), index.passages))


def test_rebuild_embeds_only_texts_it_has_not_embedded_before(fake_settings, embedder, corpus_dir):
    first = build_index(fake_settings, embedder)
    before = unique_texts(fake_settings)
    assert first.embedded == len(before) == embedder.encoded
    (corpus_dir / "extra.txt").write_text(PAGE, encoding="utf-8")
    second = build_index(fake_settings, embedder)
    new_texts = unique_texts(fake_settings) - before
    assert second.units > first.units and new_texts
    assert second.embedded == len(new_texts) == embedder.encoded - first.embedded


def test_vectors_are_reused_only_from_an_index_that_stored_them_as_finely(fake_settings, embedder, monkeypatch):
    monkeypatch.setattr("ros1qa.vectors.EXACT_SEARCH_LIMIT", 0)  # this small corpus gets an IVF (float16) index
    first = build_index(fake_settings, embedder)
    assert first.manifest["vectors"]["codes"] == "float16"
    assert build_index(fake_settings, embedder).embedded == 0  # float16 into float16: the same stored values
    monkeypatch.undo()
    exact = build_index(fake_settings, embedder)  # float16 into a float32 index would differ from a fresh build
    assert exact.manifest["vectors"]["type"] == "flat" and exact.embedded == first.embedded
    assert build_index(fake_settings, embedder).embedded == 0
