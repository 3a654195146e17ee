"""HTML pages → metadata, plain text and blocks, with BeautifulSoup."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ros1qa.ingest.parsing import BOILERPLATE, Block, BlockKind

BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dt", "dd", "figcaption", "td", "th")
DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "iframe")
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # what browsers collapse; no-break spaces are kept


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if isinstance(tag, Tag) and tag.get("content"):
            return str(tag["content"]).strip()
    return ""


def _metadata(soup: BeautifulSoup) -> dict[str, str]:
    canonical = soup.find("link", rel="canonical")
    title_tag = soup.find("title")
    return {
        "title": _meta(soup, "og:title") or (title_tag.get_text(strip=True) if title_tag else ""),
        "url": _meta(soup, "og:url") or (str(canonical["href"]) if isinstance(canonical, Tag) else ""),
        "publisher": _meta(soup, "publisher", "og:site_name", "author"),
    }


def _kind(tag: Tag) -> tuple[BlockKind, int]:
    if tag.name[0] == "h" and tag.name[1:].isdigit():
        return "heading", int(tag.name[1:])
    return ("list_item", 0) if tag.name == "li" else ("paragraph", 0)


def parse_html(raw: str) -> tuple[dict[str, str], str, tuple[Block, ...]]:
    soup = BeautifulSoup(raw, "html.parser")
    meta = _metadata(soup)
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    body = soup.body or soup
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for tag in body.find_all(BLOCK_TAGS):
        if tag.find_parent(BLOCK_TAGS) is not None:
            continue  # nested block: its text is part of the outer one
        text = HTML_SPACE.sub(" ", tag.get_text()).strip(" ")
        if not text or BOILERPLATE.fullmatch(text):
            continue
        if parts:
            offset += 2
        kind, level = _kind(tag)
        blocks.append(Block(kind, offset, offset + len(text), level))
        parts.append(text)
        offset += len(text)
    return meta, "\n\n".join(parts), tuple(blocks)
