from pathlib import Path

import pytest

from ros1qa.errors import CorpusError
from ros1qa.index.glossary import GLOSSARY_FILE, lay_vocabulary, load_glossary, parse_glossary
from ros1qa.index.lexical import terms
from ros1qa.index.query import Reader
from ros1qa.ingest.corpus import load_corpus

REPO = Path(__file__).resolve().parents[2]

SAMPLE = """
[[entry]]
says = ["keytruda", "checkpoint inhibitor"]
means = "pembrolizumab immunotherapy"
"""


def test_matches_whole_words_and_phrases_case_and_accent_insensitive():
    glossary = parse_glossary(SAMPLE)
    assert [m.means for m in glossary.matches("Is KEYTRÚDA first?")] == ["pembrolizumab immunotherapy"]
    assert [m.phrase for m in glossary.matches("a Checkpoint-Inhibitor drug")] == [("checkpoint", "inhibitor")]
    assert glossary.matches("keytrudas inhibitor checkpoint") == ()


@pytest.mark.parametrize(
    "text, message",
    [("[[entry]]\nsays = 'x'\nmeans = 'y'", "needs 'says'"), ("[[entry]]\nsays = ['x']", "needs 'says'"), ("not = [toml", "not valid TOML")],
)
def test_malformed_glossary_is_refused(text, message):
    with pytest.raises(CorpusError, match=message):
        parse_glossary(text)


def test_missing_glossary_is_empty(tmp_path):
    assert load_glossary(tmp_path / GLOSSARY_FILE).entries == ()


def test_shipped_glossary_maps_to_words_the_ros1_pages_use():
    """Domain names (brand ↔ generic, abbreviations) for any ROS1 page: the corpus's and the training pages'."""
    glossary = load_glossary(REPO / "corpus" / GLOSSARY_FILE)
    assert glossary.entries and all(entry.for_model for entry in glossary.entries)  # the model reads their meanings
    folders = [REPO / "corpus", *sorted((REPO / "training" / "pages").iterdir())]
    vocabulary = {t for folder in folders for d in load_corpus(folder) for t in terms(d.text)}
    for entry in glossary.entries:
        assert set(terms(entry.means)) & vocabulary, f"{entry.means!r} names nothing the pages say"


def test_the_lay_vocabulary_is_for_bm25_only_and_each_entry_names_one_thing_several_ways():
    vocabulary = lay_vocabulary()
    assert len(vocabulary.entries) >= 100 and not any(entry.for_model for entry in vocabulary.entries)
    assert all(len(entry.says) >= 2 for entry in vocabulary.entries)
    (match,) = [m for m in vocabulary.matches("I have pins and needles in my feet") if m.phrase == ("pins", "and", "needles")]
    assert "neuropathy" in match.means.split() and not match.for_model
    # A phrase of several words stands for the entry's one-word names only, never for its words one by one.
    price = [m for m in vocabulary.matches("what is the price of crizotinib") if m.phrase == ("price",)]
    assert price and all("treatment" not in m.means.split() for m in price)


@pytest.mark.parametrize(
    "patient, document_term",
    [("keytruda", "immunotherapy"), ("opdivo", "nivolumab"), ("xalkori", "crizotinib"), ("liver problems", "hepatic"),
     ("lung inflammation", "pneumonitis"), ("chemo", "chemotherapy"), ("pins and needles", "tingling"),
     ("imunotherapy", "immunotherapy")],
)
def test_patients_words_reach_the_pages_words(patient, document_term):
    """The corpus's glossary (domain names), the lay vocabulary (everyday words) and spelling, as the engine reads."""
    documents = load_corpus(REPO / "corpus")
    reader = Reader((d.text for d in documents), load_glossary(REPO / "corpus" / GLOSSARY_FILE))
    (wanted,) = terms(document_term)
    assert any(wanted in c.alternatives for c in reader.read(f"what about {patient}?").concepts)
