"""Spelling tolerance: a word that neither the pages nor English know is read as the nearest page word.

"mutatoins", "cholestrol", "crizotnib" are corrected against the corpus's own vocabulary with
SymSpell (symspellpy): at most one edit for words of up to seven letters, two for longer ones.
A word English knows ("price", "alcohol") is never changed, even when the pages lack it: it may
carry a meaning the pages do not answer. The English list is symspellpy's own frequency
dictionary, so nothing here is fitted to particular questions.
"""

from __future__ import annotations

import importlib.resources
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from ros1qa.index.lexical import QUESTION_FILLER, STOPWORDS, words

SHORTEST = 4  # shorter words are too ambiguous to correct ("ur", "mets")
LONG = 8  # from this length, two edits are allowed
WORD_AS_TYPED = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """symspellpy's English frequency dictionary (82,765 words)."""
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    return frozenset(line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line)


class Speller:
    """Corrections against one corpus's vocabulary (built once per engine; lookups are thread-safe reads)."""

    def __init__(self, corpus_texts: Iterable[str], protected: Iterable[str] = ()) -> None:
        from symspellpy import SymSpell

        counts = Counter(w for text in corpus_texts for w in words(text) if w.isalpha() and len(w) >= 3)
        self._known = set(counts) | set(protected) | english_words() | STOPWORDS | QUESTION_FILLER
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in sorted(counts):  # sorted: the same dictionary, so the same tie-breaks, in every process
            self._symspell.create_dictionary_entry(word, counts[word])

    def correct(self, word: str) -> str | None:
        """The page word ``word`` (lower case) was probably meant to be, or None to keep it."""
        if len(word) < SHORTEST or word in self._known:
            return None
        from symspellpy import Verbosity

        found = self._symspell.lookup(word, Verbosity.TOP, max_edit_distance=1 if len(word) < LONG else 2)
        return found[0].term if found else None

    def corrected(self, text: str) -> str:
        """``text`` with each misspelt word replaced by its page word (everything else kept as typed)."""
        def fix(match: re.Match[str]) -> str:
            folded = words(match[0])
            better = self.correct(folded[0]) if len(folded) == 1 else None
            return better if better is not None else match[0]

        return WORD_AS_TYPED.sub(fix, text)
