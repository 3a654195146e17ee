"""Markdown for people: every character shown as written, the answering sentence in bold, safe links.

Rendering is checked with markdown-it (a CommonMark parser, as Streamlit's is); what only
Streamlit's GitHub extensions do (autolinks, math) is checked against their patterns here and
in the real browser in tests/browser.
"""

from __future__ import annotations

import re
import string

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ros1qa.ask.answer import Quote
from ros1qa.presentation import (
    WORD_JOINER,
    citation_markdown,
    context_markdown,
    copy_text,
    escape_markdown,
    fragment_url,
    link_target,
    plain_markdown,
    quote_markdown,
    safe_url,
    source_markdown,
    spreadsheet_cell,
)

COMMONMARK = MarkdownIt("commonmark")
# The patterns GitHub-flavoured Markdown (mdast-util-gfm-autolink-literal) turns into links,
# applied to the text after escapes are undone.
GFM_AUTOLINKS = (
    re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE),
    re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
)
NASTY = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:window.__pwned=1)",
    "![x](http://127.0.0.1:9/x.png)",
    "$x^2$ and $$y$$",
    "*stars* _under_ ~~strike~~ `code` **bold**",
    "# heading", "1. list", "- item", "> quote", "| a | b |",
    ":smile: :material/home: :red[red] :blue-background[x]",
    "www.example.com https://example.org/x?y=(1) mail@example.org",
    "&amp; &lt;b&gt; &#x3C;",
    "a\\b\\\\c trailing backslash\\",
)


def rendered(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(COMMONMARK.render(markdown), "html.parser")


def shown_text(markdown: str) -> str:
    """What a reader sees: the rendered text, word joiners (invisible) removed."""
    return rendered(markdown).get_text().replace(WORD_JOINER, "")


def make_quote(text: str, highlight: tuple[tuple[int, int], ...] = (), url: str = "https://example.org/page") -> Quote:
    return Quote(text=text, document="doc.txt", title="A title", section="A section", url=url, score=0.9,
                 start=10, end=10 + len(text), highlight=highlight)


def test_every_ascii_punctuation_character_is_escaped() -> None:
    escaped = escape_markdown(string.punctuation)
    assert escaped == "".join(f"\\{ch}" for ch in string.punctuation)


def test_nasty_text_is_shown_literally_with_no_markup() -> None:
    for text in NASTY:
        soup = rendered(escape_markdown(text))
        assert soup.get_text().replace(WORD_JOINER, "").strip() == text.strip()
        assert not soup.find_all(["a", "img", "script", "em", "strong", "code", "h1", "ol", "ul", "blockquote"])


@given(st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " éß→“”", max_size=80))
def test_any_single_line_text_is_shown_as_written(text: str) -> None:
    soup = rendered(escape_markdown(text))
    assert soup.get_text().replace(WORD_JOINER, "").strip() == text.strip()
    assert not soup.find_all(["a", "img", "em", "strong", "code"])


def test_gfm_autolink_patterns_find_nothing_in_escaped_text() -> None:
    text = "See www.example.com, HTTPS://example.org/a and http://127.0.0.1:9/x.png or write to help@example.org."
    seen = rendered(escape_markdown(text)).get_text().strip()  # with the (invisible) word joiners
    assert seen.replace(WORD_JOINER, "") == text
    for pattern in GFM_AUTOLINKS:
        assert pattern.search(seen) is None, pattern.pattern
    assert all(pattern.search(text) for pattern in GFM_AUTOLINKS)  # the test text would be linked unescaped


def test_word_joiners_are_the_only_addition() -> None:
    text = "www.x.org http://a.b c@d.e"
    assert escape_markdown(text).replace(WORD_JOINER, "").replace("\\", "") == text


def test_plain_markdown_keeps_lines_and_paragraphs() -> None:
    soup = rendered(plain_markdown("    indented *not code*\nsecond line\n\nnew paragraph"))
    assert [p.get_text() for p in soup.find_all("p")] == ["indented *not code*\nsecond line", "new paragraph"]
    assert soup.find("br") is not None and soup.find("pre") is None


def test_quote_is_a_block_quote_with_the_answering_sentence_in_bold() -> None:
    text = "First sentence here. The answer is *this* $5.\nSecond line."
    start = text.index("The answer")
    quote = make_quote(text, ((start, text.index("\n")),))
    soup = rendered(quote_markdown(quote))
    assert soup.find("blockquote") is not None
    assert [s.get_text() for s in soup.find_all("strong")] == ["The answer is *this* $5."]
    assert soup.blockquote.get_text().replace("\n", " ").split() == text.split()


def test_bold_never_shows_asterisks_when_the_sentence_starts_or_ends_with_punctuation() -> None:
    text = "word(Sentence one.)next and x“Quoted.”y"
    highlights = ((text.index("("), text.index("next")), (text.index("“"), len(text) - 1))
    soup = rendered(quote_markdown(make_quote(text, highlights)))
    assert soup.get_text().strip() == text
    assert [s.get_text() for s in soup.find_all("strong")] == ["Sentence one.", "Quoted."]


@given(
    st.text(alphabet="ab .,()*_$<>[]!:/@w\n", min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=3),
)
def test_any_quote_shows_every_character_and_bolds_only_highlighted_text(text: str, spans: list[tuple[int, int]],
                                                                        ) -> None:
    highlight = tuple(sorted((min(a, b, len(text)), min(max(a, b), len(text))) for a, b in spans))
    soup = rendered(quote_markdown(make_quote(text, highlight)))
    seen = soup.get_text().replace(WORD_JOINER, "")
    assert seen.split() == text.split()
    covered = {i for s, e in highlight for i in range(s, e)}
    for strong in soup.find_all("strong"):
        bold = strong.get_text().replace(WORD_JOINER, "").strip()
        places = [m.start() for m in re.finditer(re.escape(bold), text)]
        assert any(set(range(p, p + len(bold))) <= covered for p in places), (bold, text, highlight)


def test_citation_links_to_the_page_scrolled_to_the_quote() -> None:
    text = "Targeted therapy is the preferred first-line treatment for metastatic ROS1+ NSCLC."
    quote = make_quote(text, ((0, len(text)),), url="https://example.org/page(1)#top")
    soup = rendered(citation_markdown(quote))
    link = soup.find("a")
    assert link.get_text() == "A title › A section"
    assert link["href"] == "https://example.org/page%281%29#:~:text=Targeted%20therapy%20is%20the,for%20metastatic%20ROS1%2B%20NSCLC."


def test_citation_without_a_web_address_has_no_link() -> None:
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "https://exa mple.org", "ftp://x.org"):
        assert rendered(citation_markdown(make_quote("Text.", (), url=url))).find("a") is None
        assert safe_url(url) is None


def test_fragment_of_a_short_sentence_is_the_whole_sentence() -> None:
    assert fragment_url("https://x.org/p#old", "Go - now.", ((0, 9),)) == "https://x.org/p#:~:text=Go%20%2D%20now."


def test_link_target_encodes_what_would_end_a_markdown_link() -> None:
    assert link_target("https://x.org/a(b)<c>\\d e") == "https://x.org/a%28b%29%3Cc%3E%5Cd%20e"


def test_sources_are_linked_list_items_with_literal_text() -> None:
    soup = rendered(source_markdown("Immunotherapy & *ROS1+*", "https://example.org/p", "The [ROS1ders]"))
    assert soup.find("li").get_text() == "Immunotherapy & *ROS1+* — The [ROS1ders]"
    assert soup.find("a")["href"] == "https://example.org/p"
    assert rendered(source_markdown("T", "javascript:x", "")).find("a") is None


def test_context_shows_the_section_with_the_quote_as_its_block_quote() -> None:
    quote = make_quote("The quoted passage.", ((0, 19),))
    soup = rendered(context_markdown("Before *one*.\n\nBefore two.", quote, "After."))
    paragraphs = [p.get_text() for p in soup.find_all("p", recursive=False)]
    assert paragraphs == ["Before *one*.", "Before two.", "After."]
    assert soup.blockquote.get_text().strip() == "The quoted passage."


def test_copy_text_has_the_quote_title_section_and_url() -> None:
    text = copy_text(make_quote("  The passage.\n"))
    assert text == "“The passage.”\n— A title › A section\nhttps://example.org/page"


def test_spreadsheet_cells_never_start_a_formula() -> None:
    assert spreadsheet_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [spreadsheet_cell(v) for v in ("+1", "-1", "@a", "\tx")] == ["'+1", "'-1", "'@a", "'\tx"]
    assert spreadsheet_cell("Is it safe?") == "Is it safe?"


def test_engine_context_is_the_rest_of_the_quotes_section_word_for_word(fake_engine) -> None:
    passages = fake_engine.index.passages
    sections = {(p.doc_id, p.section) for p in passages}
    place = next(key for key in sections if sum((p.doc_id, p.section) == key for p in passages) >= 2)
    members = [p for p in passages if (p.doc_id, p.section) == place]
    middle = members[1]
    quote = make_quote(middle.text)
    quote = Quote(**{**quote.__dict__, "document": middle.doc_id, "start": middle.start, "end": middle.end})
    before, after = fake_engine.context(quote)
    document = next(d for d in fake_engine.index.documents if d.doc_id == middle.doc_id)
    assert before == document.text[members[0].start:middle.start].rstrip()
    assert after == document.text[middle.end:members[-1].end].lstrip()
    assert before.startswith(members[0].text)
    assert document.text[members[0].start:members[-1].end] == document.text[members[0].start:middle.start] + middle.text + document.text[middle.end:members[-1].end]
    assert fake_engine.context(make_quote("Not in the index.")) == ("", "")
