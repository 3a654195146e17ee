"""How answers are written out for people: Markdown that shows text literally, citations, copy text.

Streamlit renders Markdown (with GitHub extensions, math and directives), so corpus and user text
are escaped character by character before they reach it: ``$`` never starts a formula, ``*`` never
emphasises, ``![x](…)`` never becomes an image, ``<script>`` is shown, not run. GitHub's autolinks
(``www.x.org``, ``https://…``, ``a@b.org``) are found in the text *after* escapes are undone, so an
invisible word joiner (U+2060) is put where they would start; nothing else is added to the text.
"""

from __future__ import annotations

import re
import string
import unicodedata
from itertools import pairwise
from urllib.parse import quote as percent_encode
from urllib.parse import urlsplit

from ros1qa.ask.answer import Quote

ESCAPED = frozenset(string.punctuation)
FRAGMENT_WORDS = 4  # words at each end of a text fragment (#:~:text=start,end)
WORD_JOINER = "\u2060"  # invisible, zero width; breaks GitHub autolink patterns without showing
AUTOLINK_START = re.compile(r"(?<=www)(?=\.)|(?<=:)(?=//)|(?<=@)(?=[\w-])", re.IGNORECASE)
LINK_SAFE = ":/?#[]@!$&'*+,;=%~-._"  # kept as written in link targets; "(", ")", "<", ">", "\\" are encoded
SPREADSHEET_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown shows exactly as written: no formatting, math, HTML, links or images.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them),
    and a word joiner goes where a GitHub autolink would start.
    """
    return _escape_span(text, 0, len(text))


def _escape_span(line: str, start: int, end: int) -> str:
    """``line[start:end]`` escaped, judging autolinks on the whole line (a link may cross the span's edges)."""
    out = []
    for i in range(start, end):
        if AUTOLINK_START.match(line, i):
            out.append(WORD_JOINER)
        out.append(f"\\{line[i]}" if line[i] in ESCAPED else line[i])
    return "".join(out)


def plain_markdown(text: str) -> str:
    """Several lines of text shown literally: blank lines part paragraphs, single newlines break lines."""
    paragraphs = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "\n\n".join(
        "  \n".join(escape_markdown(line.strip()) for line in block.splitlines() if line.strip())
        for block in paragraphs
    )


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _is_space_or_punctuation(ch: str) -> bool:
    return ch == "" or ch.isspace() or _is_punctuation(ch)


def _can_open(line: str, i: int) -> bool:
    """Whether ``**`` put before ``line[i]`` starts bold (CommonMark's left-flanking rule)."""
    ch, before = line[i], line[i - 1:i]
    return (not ch.isspace() and (not _is_punctuation(ch) or _is_space_or_punctuation(before))
            and AUTOLINK_START.match(line, i) is None)


def _can_close(line: str, j: int) -> bool:
    """Whether ``**`` put after ``line[j - 1]`` ends bold (CommonMark's right-flanking rule)."""
    ch, after = line[j - 1], line[j:j + 1]
    return (not ch.isspace() and (not _is_punctuation(ch) or _is_space_or_punctuation(after))
            and AUTOLINK_START.match(line, j) is None)


def _bold(line: str, start: int, end: int) -> str:
    """``line[start:end]`` in bold, leaving edge spaces and punctuation outside where ``**`` could not open or close.

    CommonMark opens ``**`` before punctuation only after a space or punctuation (and likewise for
    closing), so ``word**(Sentence.)**`` would show its asterisks; ``word(**Sentence.**)`` does not.
    """
    lead, trail = start, end
    while lead < trail and not _can_open(line, lead):
        lead += 1
    while trail > lead and not _can_close(line, trail):
        trail -= 1
    if lead == trail:
        return _escape_span(line, start, end)
    inner = f"**{_escape_span(line, lead, trail)}**"
    return _escape_span(line, start, lead) + inner + _escape_span(line, trail, end)


def _line_markdown(line: str, offset: int, highlight: tuple[tuple[int, int], ...]) -> str:
    """One line of a quote, with highlighted ranges in bold; ``offset`` is the line's start in the quote."""
    cuts = sorted({0, len(line), *(max(0, min(len(line), p - offset)) for span in highlight for p in span)})
    runs: list[tuple[int, int, bool]] = []  # neighbouring pieces with the same marking are one run
    for start, end in pairwise(cuts):
        marked = any(s <= offset + start and offset + end <= e for s, e in highlight)
        if runs and runs[-1][2] == marked:
            start = runs.pop()[0]
        runs.append((start, end, marked))
    return "".join(
        _bold(line, start, end) if marked else _escape_span(line, start, end) for start, end, marked in runs
    ).strip()


def quote_markdown(quote: Quote) -> str:
    """The passage as a Markdown block quote, every character literal, answering sentence(s) in bold."""
    lines = []
    offset = 0
    for line in quote.text.split("\n"):
        rendered = _line_markdown(line, offset, quote.highlight)
        lines.append(f"> {rendered}" if rendered else ">")
        offset += len(line) + 1
    return "  \n".join(lines)


def context_markdown(before: str, quote: Quote, after: str) -> str:
    """The whole section: text before and after as plain paragraphs, the quoted passage as its block quote."""
    parts = [plain_markdown(before), quote_markdown(quote), plain_markdown(after)]
    return "\n\n".join(part for part in parts if part)


def safe_url(url: str) -> str | None:
    """The URL if it is a plain http(s) address; None for anything else (javascript:, data:, …)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url.strip()):
        return None
    return url.strip()


def link_target(url: str) -> str:
    """A URL safe to put in ``[label](…)``: parentheses, angle brackets, backslashes and the like percent-encoded."""
    return percent_encode(url, safe=LINK_SAFE)


def _fragment_part(text: str) -> str:
    return percent_encode(text, safe="").replace("-", "%2D")


def fragment_url(url: str, passage_text: str, highlight: tuple[tuple[int, int], ...]) -> str:
    """Link to the page scrolled to the quoted sentence, where the browser supports text fragments."""
    start, end = highlight[0] if highlight else (0, len(passage_text))
    sentence = passage_text[start:end].split()
    if not sentence:
        return url
    base = url.split("#", 1)[0]
    if len(sentence) <= 2 * FRAGMENT_WORDS:
        return f"{base}#:~:text={_fragment_part(' '.join(sentence))}"
    head, tail = " ".join(sentence[:FRAGMENT_WORDS]), " ".join(sentence[-FRAGMENT_WORDS:])
    return f"{base}#:~:text={_fragment_part(head)},{_fragment_part(tail)}"


def citation_markdown(quote: Quote) -> str:
    """'Source: [Title › Section](url)' with the label escaped; no link if the URL is not http(s)."""
    label = escape_markdown(quote.label)
    url = safe_url(quote.url)
    if url is None:
        return f"Source: {label}"
    return f"Source: [{label}]({link_target(fragment_url(url, quote.text, quote.highlight))})"


def copy_text(quote: Quote) -> str:
    """Plain text for a forum post or email: the quote, then where it comes from."""
    return f"“{quote.text.strip()}”\n— {quote.label}\n{quote.url}"


def source_markdown(title: str, url: str, publisher: str) -> str:
    """One covered page as a Markdown list item: linked title (http(s) only) and publisher, all literal."""
    label = escape_markdown(title)
    link = safe_url(url)
    place = f"[{label}]({link_target(link)})" if link else label
    return f"- {place} — {escape_markdown(publisher)}" if publisher.strip() else f"- {place}"


def spreadsheet_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: one leading apostrophe before a would-be formula."""
    return f"'{value}" if value.startswith(SPREADSHEET_FORMULA_START) else value
