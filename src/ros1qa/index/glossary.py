"""Patient language → document language: the corpus's glossary of domain names (brand ↔ generic,
abbreviations), kept in the corpus folder, and ros1qa's general lay ↔ clinical vocabulary of oncology."""

from __future__ import annotations

import importlib.resources
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ros1qa.errors import CorpusError
from ros1qa.index.lexical import words

GLOSSARY_FILE = "glossary.toml"
LAY_VOCABULARY = "lay_vocabulary.toml"  # beside this module: corpus-independent


@dataclass(frozen=True)
class GlossaryEntry:
    says: tuple[tuple[str, ...], ...]  # phrases as word tuples
    means: str
    for_model: bool = True  # the model reads ``means`` after the question (domain names); else only BM25 uses it


@dataclass(frozen=True)
class GlossaryMatch:
    phrase: tuple[str, ...]
    means: str
    for_model: bool = True


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()

    def matches(self, question: str) -> tuple[GlossaryMatch, ...]:
        """Every patient phrase found in the question, with the document terms it stands for."""
        found = _phrases(words(question), self.longest)
        return tuple(
            GlossaryMatch(phrase, entry.means, entry.for_model)
            for entry in self.entries
            for phrase in entry.says
            if phrase in found
        )

    def with_entries(self, more: Glossary) -> Glossary:
        return Glossary(self.entries + more.entries)

    @cached_property
    def longest(self) -> int:
        return max((len(phrase) for entry in self.entries for phrase in entry.says), default=0)


def _phrases(tokens: list[str], longest: int) -> set[tuple[str, ...]]:
    """Every run of up to ``longest`` consecutive tokens: one set lookup per glossary phrase."""
    return {tuple(tokens[i:i + size]) for size in range(1, longest + 1) for i in range(len(tokens) - size + 1)}


def parse_glossary(text: str, name: str = GLOSSARY_FILE) -> Glossary:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{name} is not valid TOML: {exc}") from exc
    entries = []
    for number, item in enumerate(data.get("entry", []), start=1):
        says, means = item.get("says"), item.get("means")
        if not isinstance(says, list) or not says or not isinstance(means, str) or not means.strip():
            raise CorpusError(f"{name}: entry {number} needs 'says' (a list of phrases) and 'means' (text)")
        phrases = tuple(tuple(words(phrase)) for phrase in says if words(phrase))
        entries.append(GlossaryEntry(phrases, means.strip()))
    return Glossary(tuple(entries))


def load_glossary(path: Path) -> Glossary:
    if not path.is_file():
        return Glossary()
    return parse_glossary(path.read_text(encoding="utf-8"), path.name)


@lru_cache(maxsize=1)
def lay_vocabulary() -> Glossary:
    """The general lay ↔ clinical vocabulary of oncology shipped with ros1qa: each entry's phrases
    ("pins and needles", "tingling", "peripheral neuropathy") stand for its one-word names, for BM25 only.
    Written from plain-language medical vocabularies, not from any page or question set."""
    text = (importlib.resources.files("ros1qa.index") / LAY_VOCABULARY).read_text(encoding="utf-8")
    entries = []
    for item in tomllib.loads(text).get("entry", []):
        phrases = [tuple(words(p)) for p in [*item["lay"], *item["clinical"]]]
        # A phrase of several words is recognised whole, but stands for the entry's one-word names only:
        # "cost of treatment" must not make "price" search for "treatment".
        single = " ".join(p[0] for p in phrases if len(p) == 1)
        if single:
            entries.append(GlossaryEntry(tuple(p for p in phrases if p), single, False))
    return Glossary(tuple(entries))
