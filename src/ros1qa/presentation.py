"""How answers are written out for people: Markdown that shows text literally, citations, copy text.

Streamlit renders Markdown (with GitHub extensions, math and directives), so corpus and user text
are escaped character by character before they reach it: ``$`` never starts a formula, ``*`` never
emphasises, ``![x](…)`` never becomes an image, ``<script>`` is shown, not run.
"""

from __future__ import annotations

import string
from urllib.parse import quote as percent_encode
from urllib.parse import urlsplit

from ros1qa.answer import Quote

ESCAPED = frozenset(string.punctuation)
FRAGMENT_WORDS = 4  # words at each end of a text fragment (#:~:text=start,end)


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (CommonMark allows it for all of them)."""
    return "".join(f"\\{ch}" if ch in ESCAPED else ch for ch in text)


def _line_markdown(line: str, offset: int, highlight: tuple[tuple[int, int], ...]) -> str:
    """One line of a quote, with highlighted ranges in bold; ``offset`` is the line's start in the quote."""
    cuts = sorted({0, len(line), *(max(0, min(len(line), p - offset)) for span in highlight for p in span)})
    parts = []
    for start, end in zip(cuts, cuts[1:]):
        piece = line[start:end]
        marked = any(s <= offset + start and offset + end <= e for s, e in highlight)
        stripped = piece.strip()
        if marked and stripped:
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()):]
            parts.append(f"{lead}**{escape_markdown(stripped)}**{trail}")
        else:
            parts.append(escape_markdown(piece))
    return "".join(parts).strip()


def quote_markdown(quote: Quote) -> str:
    """The passage as a Markdown block quote, every character literal, answering sentence(s) in bold."""
    lines = []
    offset = 0
    for line in quote.text.split("\n"):
        rendered = _line_markdown(line, offset, quote.highlight)
        lines.append(f"> {rendered}" if rendered else ">")
        offset += len(line) + 1
    return "  \n".join(lines)


def safe_url(url: str) -> str | None:
    """The URL if it is a plain http(s) address; None for anything else (javascript:, data:, …)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url.strip()):
        return None
    return url.strip()


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


def citation_label(quote: Quote) -> str:
    return f"{quote.title} › {quote.section}" if quote.section else quote.title


def citation_markdown(quote: Quote) -> str:
    """'Source: [Title › Section](url)' with the label escaped; no link if the URL is not http(s)."""
    label = escape_markdown(citation_label(quote))
    url = safe_url(quote.url)
    if url is None:
        return f"Source: {label}"
    target = fragment_url(url, quote.text, quote.highlight).replace("(", "%28").replace(")", "%29")
    return f"Source: [{label}]({target})"


def copy_text(quote: Quote) -> str:
    """Plain text for a forum post or email: the quote, then where it comes from."""
    return f"“{quote.text.strip()}”\n— {citation_label(quote)}\n{quote.url}"
