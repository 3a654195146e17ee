"""A question as the retrievers see it: its subject concepts, each with glossary alternatives."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from ros1qa.index.glossary import Glossary, lay_vocabulary
from ros1qa.index.lexical import subject_terms, terms, words
from ros1qa.index.spelling import Speller

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


def make_query(question: str, glossary: Glossary, known: AbstractSet[str] = frozenset()) -> Query:
    """The question's concepts with their glossary alternatives; the model reads the meaning of each matched
    name meant for it (``for_model``) unless all its words are ``known`` (words the pages use)."""
    alternatives: dict[str, set[str]] = {t: {t} for t in subject_terms(question)}
    matches = glossary.matches(question)
    for match in matches:
        means = terms(match.means)
        for word in terms(" ".join(match.phrase)):
            alternatives.setdefault(word, {word}).update(means)
    means = tuple(dict.fromkeys(m.means for m in matches if m.for_model and not known.issuperset(m.phrase)))
    return Query(question, tuple(Concept(t, frozenset(alts)) for t, alts in alternatives.items()), means)


class Reader:
    """Reads questions for one corpus: misspelt words as the pages' words, then the glossary's alternatives
    (the corpus's domain names and the general lay vocabulary). Built once per index.

    The model reads a glossary meaning only for names the pages never use ("Keytruda" on pages that say
    "immunotherapy"): a name the pages use already says what it means, and the added words would only blur it.
    """

    def __init__(self, document_texts: Iterable[str], glossary: Glossary) -> None:
        texts = list(document_texts)
        self.glossary = glossary.with_entries(lay_vocabulary())
        self.page_words = frozenset(word for text in texts for word in words(text))
        protected = {word for entry in self.glossary.entries for phrase in entry.says for word in phrase}
        self.speller = Speller(texts, protected)

    def read(self, question: str) -> Query:
        return make_query(self.speller.corrected(question), self.glossary, self.page_words)
