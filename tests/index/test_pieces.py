import numpy as np
import pytest

from ros1qa.index.embedding import TokenVectors
from ros1qa.index.pieces import content, first_texts, piece_texts, pieces, read_pieces
from ros1qa.ingest.chunking import Passage


def test_content_pieces_are_neither_markers_nor_punctuation_nor_stop_words():
    tokens = ("[CLS]", "is", "it", "ro", "##s", "##1", "safe", "?", "[SEP]", "[PAD]")
    assert content(tokens).tolist() == [False, False, False, True, True, True, True, False, False, False]


def test_pieces_keeps_the_content_rows_at_unit_length():
    read = TokenVectors(("[CLS]", "the", "liver", "?", "[SEP]"), np.array([[1.0, 0], [0, 2.0], [3.0, 4.0], [1, 1], [5, 0]]))
    assert pieces(read).tolist() == [[pytest.approx(0.6), pytest.approx(0.8)]] and pieces(read).dtype == np.float32


def _passage(text: str, sentences: tuple[tuple[int, int], ...]) -> Passage:
    return Passage("d.txt", "T", "u", "S", 10, 10 + len(text), text, sentences)


PASSAGES = (_passage("Liver tests matter. Check them monthly.", ((10, 29), (30, 49))),
            _passage("Hospital visits weekly", ()))


def test_a_passage_is_read_sentence_by_sentence_or_whole_when_it_has_none():
    assert piece_texts(PASSAGES[0]) == ["Liver tests matter.", "Check them monthly."]
    assert piece_texts(PASSAGES[1]) == ["Hospital visits weekly"]
    assert first_texts(PASSAGES).tolist() == [0, 2, 3]


def test_each_passage_gets_the_pieces_of_its_own_texts_and_a_later_build_reuses_them(embedder):
    first = read_pieces(PASSAGES, embedder, {})
    stored = first.pieces
    assert sorted(first.vectors) == sorted(t for p in PASSAGES for t in piece_texts(p)) and stored.rows.dtype == np.float16
    alone = [pieces(embedder.encode_tokens([t])[1][0]) for t in piece_texts(PASSAGES[0])]
    assert np.allclose(stored.of(0), np.concatenate(alone), atol=1e-3) and stored.of(0).dtype == np.float32
    assert len(stored.of(1)) == 3  # "hospital", "visits", "weekly"
    calls = embedder.calls
    again = read_pieces(PASSAGES, embedder, stored.by_text(PASSAGES))
    assert not again.vectors and embedder.calls == calls and np.array_equal(again.pieces.rows, stored.rows)
    edited = (PASSAGES[0], _passage("Another sentence", ()))
    assert list(read_pieces(edited, embedder, stored.by_text(PASSAGES)).vectors) == ["Another sentence"]  # only it
