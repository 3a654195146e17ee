from pathlib import Path

import pytest

from ros1qa.corpus import load_corpus
from ros1qa.errors import CorpusError
from ros1qa.glossary import GLOSSARY_FILE, load_glossary, parse_glossary
from ros1qa.lexical import terms

REPO = Path(__file__).resolve().parent.parent

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


def test_shipped_glossary_maps_to_words_the_documents_use():
    glossary = load_glossary(REPO / "corpus" / GLOSSARY_FILE)
    assert len(glossary.entries) >= 20
    vocabulary = {t for d in load_corpus(REPO / "corpus") for t in terms(d.text)}
    for entry in glossary.entries:
        assert set(terms(entry.means)) & vocabulary, f"{entry.means!r} names nothing the documents say"


@pytest.mark.parametrize(
    "patient, document_term",
    [("keytruda", "immunotherapy"), ("opdivo", "nivolumab"), ("xalkori", "crizotinib"), ("liver problems", "hepatic"),
     ("lung inflammation", "pneumonitis"), ("chemo", "chemotherapy"), ("the pill", "tki"), ("imunotherapy", "immunotherapy")],
)
def test_shipped_glossary_covers_the_field_vocabulary(patient, document_term):
    glossary = load_glossary(REPO / "corpus" / GLOSSARY_FILE)
    assert any(document_term in m.means.lower() for m in glossary.matches(f"what about {patient}?"))
