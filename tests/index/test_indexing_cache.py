"""Rebuilding after an edit embeds only the texts the edit changed; every other vector is reused as is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ros1qa.bench.synthetic import corpus_sentences, write_text_corpus
from ros1qa.index.indexing import build_index, texts_read
from ros1qa.index.store import load_index
from ros1qa.index.vectors import all_vectors
from ros1qa.ingest.units import alone_texts, embedding_texts, make_units

REPO = Path(__file__).resolve().parents[2]


def vectors_by_text(settings) -> dict[str, bytes]:
    """Every embedded text's stored vector: the search units' and the sentences' read alone."""
    index = load_index(settings.index_dir)
    units = make_units(index.passages)
    alone = dict(zip(alone_texts(units, index.passages), (v.tobytes() for v in np.asarray(index.sentences))))
    return {**alone, **dict(zip(embedding_texts(units, index.passages), (v.tobytes() for v in all_vectors(index.vectors))))}


def large_corpus(fake_settings, tmp_path: Path):
    corpus = tmp_path / "large-corpus"
    write_text_corpus(corpus, corpus_sentences(REPO / "corpus"), documents=40)
    return replace(fake_settings, corpus_dir=corpus, index_dir=tmp_path / "large-index")


def edit_one_sentence(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    cut = text.index(". ", text.index("\n## ")) + 1
    page.write_text(text[:cut] + " It was updated after review." + text[cut:], encoding="utf-8")


def test_one_document_edit_re_embeds_only_the_changed_units(fake_settings, embedder, tmp_path):
    settings = large_corpus(fake_settings, tmp_path)
    first = build_index(settings, embedder)
    before, read_before = vectors_by_text(settings), texts_read(load_index(settings.index_dir).passages)
    assert first.read == embedder.encoded == len(read_before)  # each text read once
    assert first.units > 500

    edit_one_sentence(sorted(settings.corpus_dir.glob("*.md"))[7])
    encoded_before = embedder.encoded
    second = build_index(settings, embedder)
    after = vectors_by_text(settings)

    changed = after.keys() - before.keys()
    assert 0 < len(changed) <= 8  # the edited paragraph, its sentences near the edit, the new sentence alone
    read = texts_read(load_index(settings.index_dir).passages) - read_before
    assert second.read == embedder.encoded - encoded_before == len(read) and changed <= read
    assert 0 < second.pieces_read <= 2  # the edited sentence, read alone (split in two if the edit joins it to another)
    assert all(after[text] == before[text] for text in after.keys() & before.keys())


def test_unchanged_corpus_rebuild_embeds_nothing(fake_settings, embedder, tmp_path):
    settings = large_corpus(fake_settings, tmp_path)
    build_index(settings, embedder)
    calls = embedder.calls
    report = build_index(settings, embedder)
    assert report.embedded == report.pieces_read == 0 and embedder.calls == calls


def test_another_model_re_embeds_everything(fake_settings, embedder, tmp_path):
    settings = large_corpus(fake_settings, tmp_path)
    first = build_index(settings, embedder)
    embedder.model_id = "another-fake-model"
    other = replace(settings, model="another-fake-model")
    second = build_index(other, embedder)
    assert (second.embedded, second.pieces_read) == (first.embedded, first.pieces_read)


def test_reused_vectors_are_the_ones_the_text_was_embedded_with(fake_settings, embedder, tmp_path):
    settings = large_corpus(fake_settings, tmp_path)
    build_index(settings, embedder)
    edit_one_sentence(min(settings.corpus_dir.glob("*.md")))
    build_index(settings, embedder)
    stored = vectors_by_text(settings)
    texts = sorted(stored)[:50]
    assert np.array_equal(np.frombuffer(b"".join(stored[t] for t in texts), dtype=np.float32).reshape(len(texts), -1),
                          embedder.encode(texts))
