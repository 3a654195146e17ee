from pathlib import Path

from ros1qa.ingest.chunking import chunk_corpus, chunk_document
from ros1qa.ingest.corpus import Document, load_corpus
from ros1qa.ingest.parsing import parse_plain_text
from ros1qa.settings import ChunkerSettings

REPO = Path(__file__).resolve().parents[2]


def document(text: str, title: str = "Title") -> Document:
    return Document("doc.txt", title, "https://x.org", "", text, parse_plain_text(text))


def test_every_passage_is_an_exact_slice_of_its_document():
    documents = {d.doc_id: d for d in load_corpus(REPO / "corpus")}
    passages = chunk_corpus(tuple(documents.values()), ChunkerSettings())
    assert passages
    for p in passages:
        text = documents[p.doc_id].text
        assert text[p.start:p.end] == p.text
        for start, end in p.sentences:
            assert p.start <= start < end <= p.end
            assert text[start:end].strip() == text[start:end]
            assert p.span_text(start, end) == text[start:end]
        assert p.sentence_texts() == [text[start:end] for start, end in p.sentences]


def test_seed_sections_and_numbered_list_stay_with_lead_in():
    (seed,) = [d for d in load_corpus(REPO / "corpus") if d.doc_id.startswith("immunotherapy")]
    passages = chunk_document(seed, ChunkerSettings())
    sections = [p.section for p in passages]
    assert sections[0] == ""  # under the page title only
    assert {"What is immunotherapy?", "Targeted therapy and immunotherapy", "Chemotherapy and immunotherapy"} <= set(sections)
    (listing,) = [p for p in passages if "1. Targeted therapies yield" in p.text]
    assert listing.text.startswith("Despite the common use of ICIs")
    assert listing.text.endswith("ROS1+ patients are unlikely to respond to immunotherapy.")
    (trial,) = [p for p in passages if "crizotinib plus nivolumab in ALK+" in p.text]
    assert "may have contributed to death.”" in trial.text  # the quote stays with "…found:"
    assert trial.text.endswith("Five of the patients had a partial response in this study.")  # and the short outcome


def test_page_chrome_is_never_in_a_passage():
    text = "top of page\n\nTitle\n\nReal text here.\n\n19 views0 comments\nbottom of page"
    passages = chunk_document(document(text), ChunkerSettings())
    assert [p.text for p in passages] == ["Real text here."]


def test_heading_equal_to_title_is_not_a_section():
    passages = chunk_document(document("Title\n\nFirst.\n\nPart two\n\nSecond."), ChunkerSettings())
    assert [(p.section, p.text) for p in passages] == [("", "First."), ("Part two", "Second.")]


def test_list_without_colon_still_joins_preceding_paragraph_but_next_paragraph_does_not():
    text = "Title\n\nThere are two reasons.\n\n- one\n- two\n\nAfter the list."
    passages = chunk_document(document(text), ChunkerSettings(min_passage_chars=0))
    assert [p.text for p in passages] == ["There are two reasons.\n\n- one\n- two", "After the list."]


def test_a_short_paragraph_joins_the_passage_before_it_in_its_section():
    long_one = "The trial of drug A plus drug B in forty patients was stopped early for liver damage."
    text = f"Title\n\nPart\n\n{long_one}\n\nThe study was closed.\n\nOther part\n\nShort start.\n\n{long_one}"
    passages = chunk_document(document(text), ChunkerSettings(min_passage_chars=60))
    assert [(p.section, p.text) for p in passages] == [
        ("Part", f"{long_one}\n\nThe study was closed."),  # the continuation keeps the paragraph naming its subject
        ("Other part", "Short start."),  # first in its section: nothing before it to join
        ("Other part", long_one),
    ]
    assert [len(p.sentences) for p in passages] == [2, 1, 1]


def test_a_short_lead_in_is_not_swallowed_by_the_paragraph_before_it():
    long_one = "Targeted therapy is the preferred first treatment for metastatic ROS1+ lung cancer."
    text = f"Title\n\n{long_one}\n\nThis is because:\n\n1. one\n\n2. two"
    passages = chunk_document(document(text), ChunkerSettings(min_passage_chars=60))
    assert [p.text for p in passages] == [long_one, "This is because:\n\n1. one\n\n2. two"]


def test_long_paragraph_is_cut_at_sentence_boundaries():
    sentence = "This sentence has exactly forty-four chars. "
    text = "Title\n\n" + sentence * 10
    passages = chunk_document(document(text.strip()), ChunkerSettings(max_passage_chars=100))
    assert len(passages) > 3
    for p in passages:
        assert len(p.text) <= 100 and p.text.endswith("chars.")
    assert " ".join(p.text for p in passages) == (sentence * 10).strip()


def test_settings_are_described_for_the_manifest():
    assert ChunkerSettings(max_passage_chars=700).describe() == {"version": 3, "max_passage_chars": 700, "min_passage_chars": 200}
