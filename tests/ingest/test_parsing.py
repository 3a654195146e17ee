from ros1qa.ingest.html_parsing import parse_html
from ros1qa.ingest.parsing import parse_markdown, parse_plain_text


def spans(text, blocks):
    return [(b.kind, text[b.start:b.end]) for b in blocks]


def test_plain_text_headings_paragraphs_and_list_items():
    text = (
        "Page Title\n\nIntro sentence here. Another one.\n\n\nWhat is it?\n\n"
        "It is a thing. This is because:\n\n  1. First reason.\n\n  2. Second reason.\n\n19 views0 comments\n"
    )
    assert spans(text, parse_plain_text(text)) == [
        ("heading", "Page Title"),
        ("paragraph", "Intro sentence here. Another one."),
        ("heading", "What is it?"),
        ("paragraph", "It is a thing. This is because:"),
        ("list_item", "1. First reason."),
        ("list_item", "2. Second reason."),
    ]


def test_first_heading_is_level_one_then_level_two():
    blocks = parse_plain_text("Title\n\nBody text.\n\nSection\n\nMore text.")
    assert [b.level for b in blocks if b.kind == "heading"] == [1, 2]


def test_sentence_like_lines_are_not_headings():
    text = "“A quoted line.”\n\nEnds with colon:\n\nA plain sentence."
    assert [kind for kind, _ in spans(text, parse_plain_text(text))] == ["paragraph"] * 3


def test_a_heading_written_directly_above_its_text_is_a_heading():
    text = "Page Title\n\nIntro.\n\nEar infections\nTreatment can make infections likely. See a doctor.\n\n" \
           "Where to get care\n- fever\n- pain\n\nIs it permanent?\nOften not."
    assert spans(text, parse_plain_text(text)) == [
        ("heading", "Page Title"),
        ("paragraph", "Intro."),
        ("heading", "Ear infections"),
        ("paragraph", "Treatment can make infections likely. See a doctor."),
        ("heading", "Where to get care"),
        ("list_item", "- fever"),
        ("list_item", "- pain"),
        ("heading", "Is it permanent?"),
        ("paragraph", "Often not."),
    ]


def test_a_hard_wrapped_paragraph_is_not_split_at_its_first_line():
    wrapped = ["Many people with ROS1 cancer do well on\ntargeted pills for years.",  # the next line goes on
               "Your team checks the liver and\nThe Kidneys every month.",  # the line runs on ("and")
               "A short line that is a sentence.\nAnother sentence."]  # the first line ends as a sentence does
    for text in wrapped:
        assert spans(text, parse_plain_text(text)) == [("paragraph", text)]


def test_lines_of_one_block_that_are_all_list_items_split():
    text = "- one\n- two\n- three"
    assert spans(text, parse_plain_text(text)) == [("list_item", "- one"), ("list_item", "- two"), ("list_item", "- three")]


def test_markdown_headings_keep_offsets_of_their_words():
    text = "# Title\n\nIntro.\n## Section two ##\nBody line.\n"
    assert spans(text, parse_markdown(text)) == [
        ("heading", "Title"),
        ("paragraph", "Intro."),
        ("heading", "Section two"),
        ("paragraph", "Body line."),
    ]


def test_html_blocks_text_and_metadata():
    raw = (
        "<html><head><meta property='og:title' content='OG title'><meta property='og:url' content='https://x.org/a'>"
        "<script>var x = 1;</script></head><body><nav>Menu</nav><h2>Part</h2><p>Some   <i>text</i>\n here.</p>"
        "<ul><li>Item <p>one</p></li><li>Item two</li></ul><p>top of page</p><footer>Footer</footer></body></html>"
    )
    meta, text, blocks = parse_html(raw)
    assert meta["title"] == "OG title" and meta["url"] == "https://x.org/a"
    assert spans(text, blocks) == [
        ("heading", "Part"),
        ("paragraph", "Some text here."),
        ("list_item", "Item one"),
        ("list_item", "Item two"),
    ]
    assert "Menu" not in text and "Footer" not in text and "var x" not in text


def test_html_keeps_no_break_spaces():
    _, text, _ = parse_html("<html><body><p>ROS1+ Cancer\u00a0page.</p></body></html>")
    assert text == "ROS1+ Cancer\u00a0page."
