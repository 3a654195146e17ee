"""A question as the retrievers see it: its subject concepts, each with glossary alternatives."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ros1qa.glossary import Glossary
from ros1qa.lexical import subject_terms, terms

WORD_IN_TEXT = re.compile(r"\w+")  # a word as typed, to leave out of the question (``terms`` folds and stems it)


@dataclass(frozen=True)
class Concept:
    term: str  # the stemmed word from the question
    alternatives: frozenset[str]  # it, plus the document terms the glossary maps it to


@dataclass(frozen=True)
class Query:
    text: str
    concepts: tuple[Concept, ...]
    means: tuple[str, ...] = ()  # the glossary texts the question matched, for the embedding

    def unknown(self, known: Callable[[str], bool]) -> tuple[str, ...]:
        """Subject words that no document uses, under any alternative: what the pages cannot speak to.

        Bare numbers (an age, a temperature) are left out: they qualify a question, they do not name its subject.
        """
        return tuple(
            c.term for c in self.concepts if not c.term.isdigit() and not any(known(t) for t in c.alternatives)
        )

    @property
    def embedding_text(self) -> str:
        """What the model reads: the question, then in brackets the document words its glossary phrases stand for."""
        return self._for_model(self.text)

    def embedding_text_without(self, subject_words: Collection[str]) -> str:
        """What the model would read if the question lacked the words whose stems are ``subject_words``."""
        dropped = set(subject_words)
        kept = WORD_IN_TEXT.sub(lambda word: "" if dropped.intersection(terms(word[0])) else word[0], self.text)
        return self._for_model(" ".join(kept.split()))

    def _for_model(self, question: str) -> str:
        return f"{question} ({' '.join(self.means)})" if self.means else question

    def coverage(self, passage_terms: set[str] | frozenset[str]) -> float:
        """Share of the question's concepts that a passage contains (0 when the question has none)."""
        if not self.concepts:
            return 0.0
        return sum(1 for c in self.concepts if c.alternatives & passage_terms) / len(self.concepts)


def make_query(question: str, glossary: Glossary) -> Query:
    alternatives: dict[str, set[str]] = {t: {t} for t in subject_terms(question)}
    matches = glossary.matches(question)
    for match in matches:
        means = terms(match.means)
        for word in terms(" ".join(match.phrase)):
            alternatives.setdefault(word, {word}).update(means)
    means = tuple(dict.fromkeys(m.means for m in matches))
    return Query(question, tuple(Concept(t, frozenset(alts)) for t, alts in alternatives.items()), means)
