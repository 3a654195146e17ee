from pathlib import Path

import pytest

from ros1qa.errors import CorpusError
from ros1qa.ingest.corpus import fingerprint, load_corpus, split_front_matter

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "immunotherapy-and-ros1-cancer.txt"
CHROME = ("top of page", "19 views0 comments", "bottom of page")


def test_seed_document_has_its_metadata():
    (document,) = [d for d in load_corpus(REPO / "corpus") if d.doc_id == "immunotherapy-and-ros1-cancer.txt"]
    assert document.title == "Immunotherapy & ROS1+ Cancer"
    assert document.url == "https://www.theros1ders.org/post/immunotherapy-ros1-cancer"
    assert document.publisher == "The ROS1ders"


@pytest.mark.skipif(not SEED.is_file(), reason="shared/seed is not beside this checkout")
def test_seed_text_is_kept_character_for_character_without_page_chrome():
    seed = SEED.read_text(encoding="utf-8")
    (document,) = [d for d in load_corpus(REPO / "corpus") if d.doc_id == "immunotherapy-and-ros1-cancer.txt"]
    assert document.text in seed
    assert "’" in document.text and "“" in document.text and "\u00a0" in document.text
    assert not any(chrome in document.text for chrome in CHROME)
    without_chrome = seed
    for chrome in CHROME:
        without_chrome = without_chrome.replace(chrome, "")
    assert document.text.strip() == without_chrome.strip()


def test_front_matter_is_split_and_body_kept_exactly():
    meta, body = split_front_matter("---\ntitle: T\nurl: https://x.org\n---\n  Body  \n", "doc.txt")
    assert meta == {"title": "T", "url": "https://x.org"}
    assert body == "  Body  \n"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("no header at all", "needs a metadata header"),
        ("---\ntitle: T\n", "not closed"),
        ("---\njust words\n---\nbody", "key: value"),
        ("---\ntitle: T\n---\nbody", "no url"),
    ],
)
def test_bad_metadata_names_the_file(tmp_path, raw, message):
    (tmp_path / "page.txt").write_text(raw, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as caught:
        load_corpus(tmp_path)
    assert "page.txt" in str(caught.value)


def test_non_utf8_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("---\ntitle: Caf\xe9\nurl: https://x.org\n---\nCaf\xe9".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"latin1\.txt is not valid UTF-8"):
        load_corpus(tmp_path)


def test_markdown_and_html_documents_are_read(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A\nurl: https://a.org\n---\n# A\n\n## Part\n\nText here.\n", encoding="utf-8")
    (tmp_path / "b.html").write_text(
        '<html><head><title>B page</title><link rel="canonical" href="https://b.org/p">'
        '<meta name="publisher" content="B org"></head><body><h1>B page</h1><p>Hello <b>there</b>.</p></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    documents = {d.doc_id: d for d in load_corpus(tmp_path)}
    assert set(documents) == {"a.md", "b.html"}
    assert documents["b.html"].title == "B page" and documents["b.html"].url == "https://b.org/p"
    assert documents["b.html"].publisher == "B org"
    assert "Hello there." in documents["b.html"].text


def test_empty_corpus_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="No documents"):
        load_corpus(tmp_path)


def test_fingerprint_changes_with_content(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("---\ntitle: T\nurl: https://x.org\n---\nOne.", encoding="utf-8")
    before = fingerprint(tmp_path)
    page.write_text("---\ntitle: T\nurl: https://x.org\n---\nTwo.", encoding="utf-8")
    after = fingerprint(tmp_path)
    assert [f.name for f in before] == ["p.txt"] and before != after
