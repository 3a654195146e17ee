from pathlib import Path

from ros1qa.ingest.chunking import chunk_corpus
from ros1qa.ingest.corpus import load_corpus
from ros1qa.ingest.units import embedding_texts, lexical_texts, make_units, unit_text
from ros1qa.settings import ChunkerSettings

REPO = Path(__file__).resolve().parents[2]


def test_units_are_passages_and_their_sentences_with_context():
    passages = chunk_corpus(load_corpus(REPO / "corpus"), ChunkerSettings())
    units = make_units(passages)
    assert sum(not u.is_sentence for u in units) == len(passages)
    texts = embedding_texts(units, passages)
    for unit, text in zip(units, texts):
        assert text.startswith(passages[unit.passage].title)
        assert text.endswith(unit_text(unit, passages))
    (closed,) = [i for i, u in enumerate(units) if u.is_sentence and unit_text(u, passages).startswith("The study was closed")]
    assert "may have contributed to death.”" in texts[closed]  # the sentence before, from the previous passage
    assert "may have contributed to death.”" in lexical_texts(units, passages)[closed]
