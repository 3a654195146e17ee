"""Words: one tokenizer for BM25, glossary matching and coverage, and the BM25 index (bm25s)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t don doesn isn aren wasn weren hasn haven won wouldn shouldn couldn
    ll re ve m d o y also get got im ive id youre""".split()
)

# Words patients use to frame a question rather than name its subject ("my husband was just
# diagnosed… can someone explain… is it normal"). They are not searched for, and a question is
# not judged "off the pages" because the pages lack them.
QUESTION_FILLER = frozenset(
    """abbreviation able regular typical acronym actual actually affect affects afraid again ago already alright always
    anybody anymore anyone anything anyway apart appear around ask asked asking aunt bad basically
    become begin best better big boyfriend brother brought can cant care case caus cause caused
    causes certain chance change come coming concern concerned confused correct currently dad daddy
    daughter diagnosed diagnosis differ difference different doctor doe does doing done dr else
    enough especially even ever every everyone exactly expect explain family father feel fine finish
    finished finishing folks found friend friends general generally get gets getting girlfriend give
    given giving go goes going gone good grandma grandpa great guess guy guys happen happened
    happening happens hear heard hello help hey hi honest honestly hope hopefully husband idea im
    important instead just keep keeps kid kids know known last late later learn let life
    like likely little look looking lot lots main make makes many mean means meant medical might
    mine mom mother much mum must need needs new next nice normal now often ok okay old oncologist
    one ones options other others partner people person plain please point possible pretty probably
    put question questions quite read real really reason right said say saying says see seems seen
    serious short should sibling simple simply sister so some someone something sometimes son soon
    sort stand start started starting still stuff suppose supposed sure talk talked talking team
    tell terms thank thanks thing things think thinking told tried true try trying understand
    understanding use used using usual usually want wanted way well went whats wife wonder wondering
    word words work worried worry worse would wrong yes yet young""".split()
)


def fold(text: str) -> str:
    """Lower case, accents removed, so 'Crizotinib' and 'crizotiníb' read alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words, stopwords kept (used for phrase matching)."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 and coverage compare."""
    return _stemmer().stemWords([w for w in words(text) if w not in STOPWORDS])


def subject_terms(text: str) -> list[str]:
    """Stemmed content words minus question filler: what a question is about."""
    return _stemmer().stemWords([w for w in words(text) if w not in STOPWORDS and w not in QUESTION_FILLER])


class LexicalIndex:
    """BM25 over search units, with bm25s."""

    def __init__(self, retriever) -> None:  # type: ignore[no-untyped-def]
        self._retriever = retriever
        self._vocab: dict[str, int] = retriever.vocab_dict

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25()
        retriever.index([terms(text) or [""] for text in texts], show_progress=False)
        return cls(retriever)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(folder), load_corpus=False, show_progress=False, verbosity=0))

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    def knows(self, term: str) -> bool:
        return term in self._vocab

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every unit; zeros when no query term is in the vocabulary."""
        ids = sorted({self._vocab[t] for t in query_terms if t in self._vocab})
        if not ids:
            return np.zeros(self._retriever.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._retriever.get_scores_from_ids(ids), dtype=np.float32)

    def concept_scores(self, concepts: Sequence[frozenset[str]]) -> np.ndarray:
        """BM25 where each concept counts once: the best-scoring of its alternative terms.

        "keytruda" may be found as "pembrolizumab", "immunotherapy" or "ICIs"; a unit gets credit
        for one of them, so the glossary widens what matches without outweighing the question.
        """
        total = np.zeros(self._retriever.scores["num_docs"], dtype=np.float32)
        for alternatives in concepts:
            known = sorted(t for t in alternatives if t in self._vocab)
            if known:
                total += np.max(np.stack([self.scores([t]) for t in known]), axis=0)
        return total
