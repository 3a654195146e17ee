"""Search units: every passage, and every sentence of a passage with more than one.

Units are what get embedded and scored; passages are what get shown. Each unit carries its
passage's title and section as context for the embedding, while offsets stay verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ros1qa.ingest.chunking import Passage

EMBEDDING_TEXT_VERSION = "title-section-previous-sentence-v2+sentences-alone"


@dataclass(frozen=True)
class Unit:
    passage: int  # index into the passage tuple
    start: int  # offsets into the passage's document text
    end: int
    is_sentence: bool


def make_units(passages: Sequence[Passage]) -> tuple[Unit, ...]:
    units: list[Unit] = []
    for number, passage in enumerate(passages):
        units.append(Unit(number, passage.start, passage.end, False))
        if len(passage.sentences) > 1:
            units.extend(Unit(number, start, end, True) for start, end in passage.sentences)
    return tuple(units)


def unit_text(unit: Unit, passages: Sequence[Passage]) -> str:
    return passages[unit.passage].span_text(unit.start, unit.end)


def heading(passage: Passage) -> str:
    return f"{passage.title}. {passage.section}." if passage.section else f"{passage.title}."


def previous_sentence(unit: Unit, passages: Sequence[Passage]) -> str:
    """The sentence before a sentence unit, within its section ('' for passages and section starts).

    "The study was closed" only makes sense after the sentence naming the study; carrying that
    sentence along lets both retrievers see what a sentence is about.
    """
    if not unit.is_sentence:
        return ""
    passage = passages[unit.passage]
    spans = list(passage.sentences)
    position = spans.index((unit.start, unit.end))
    if position > 0:
        return passage.span_text(*spans[position - 1])
    if unit.passage > 0:
        before = passages[unit.passage - 1]
        if before.doc_id == passage.doc_id and before.section == passage.section and before.sentences:
            return before.span_text(*before.sentences[-1])
    return ""


def embedding_texts(units: Sequence[Unit], passages: Sequence[Passage]) -> list[str]:
    """What the model reads: title and section, the sentence before (for sentences), the unit itself."""
    return [
        " ".join(part for part in (heading(passages[u.passage]), previous_sentence(u, passages), unit_text(u, passages)) if part)
        for u in units
    ]


def lexical_texts(units: Sequence[Unit], passages: Sequence[Passage]) -> list[str]:
    """What BM25 reads: the section heading, the sentence before (for sentences), the unit itself."""
    return [
        " ".join(part for part in (passages[u.passage].section, previous_sentence(u, passages), unit_text(u, passages)) if part)
        for u in units
    ]


def alone_texts(units: Sequence[Unit], passages: Sequence[Passage]) -> list[str]:
    """Each sentence unit's own words and nothing else, in unit order: the highlight tells neighbouring
    sentences apart by them (a unit's vector also reads its heading and the sentence before it)."""
    return [unit_text(u, passages) for u in units if u.is_sentence]
