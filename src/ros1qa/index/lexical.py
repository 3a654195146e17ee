"""Words: one tokenizer for BM25, glossary matching and coverage, and the BM25 index (bm25s)."""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

WORD = re.compile(r"[a-z0-9]+")
DENSE_SHARE = 8  # a term in at least 1 unit in this many is also held as a column (LexicalIndex)
CONCEPT_CACHE_BYTES = 256 << 20  # for the maxima of concepts of several terms (LexicalIndex)
STOPWORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
        "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor",
        "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
        "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
        "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "s", "t",
        "don", "doesn", "isn", "aren", "wasn", "weren", "hasn", "haven", "won", "wouldn", "shouldn", "couldn",
        "didn", "hadn", "mightn", "mustn", "needn", "shan", "ll", "re", "ve", "m", "d", "o", "y", "also", "get", "got",
        "im", "ive", "id", "youre"
    ]
)

# Words patients use to frame a question rather than name its subject ("my husband was just
# diagnosed… can someone explain… is it normal"). They are not searched for, and a question is
# not judged "off the pages" because the pages lack them.
QUESTION_FILLER = frozenset(
    [
        "abbreviation", "able", "acronym", "actual", "actually", "affect", "affects", "afraid", "again", "ago",
        "already", "alright", "always", "anybody", "anymore", "anyone", "anything", "anyway", "apart", "appear",
        "around", "ask", "asked", "asking", "aunt", "bad", "basically", "become", "begin", "best", "better", "big",
        "body", "boyfriend", "brother", "brought", "can", "cant", "care", "case", "caus", "cause", "caused", "causes",
        "certain", "chance", "change", "come", "coming", "concern", "concerned", "confused", "correct", "currently",
        "dad", "daddy", "daughter", "diagnosed", "diagnosis", "differ", "difference", "different", "doctor", "doe",
        "does", "doing", "done", "dr", "else", "enough", "especially", "even", "ever", "every", "everyone", "exactly",
        "expect", "explain", "family", "father", "feel", "fine", "finish", "finished", "finishing", "folks", "found",
        "friday", "friend", "friends", "general", "generally", "get", "gets", "getting", "girlfriend", "give", "given",
        "giving", "go", "goes", "going", "gone", "good", "grandma", "grandpa", "great", "guess", "guy", "guys",
        "happen", "happened", "happening", "happens", "hear", "heard", "hello", "help", "hey", "hi", "honest",
        "honestly", "hope", "hopefully", "husband", "idea", "im", "important", "instead", "just", "keep", "keeps",
        "kid", "kids", "know", "known", "last", "late", "later", "learn", "let", "life", "like", "likely", "little",
        "look", "looking", "lot", "lots", "main", "make", "makes", "many", "mean", "means", "meant", "medical",
        "medication", "medications", "medicine", "medicines", "mention", "mentioned", "mentions", "might", "mine",
        "mom", "monday", "mother", "much", "mum", "must", "need", "needs", "new", "next", "nice", "normal", "now",
        "often", "ok", "okay", "old", "oncologist", "one", "ones", "options", "other", "others", "partner", "people",
        "person", "plain", "please", "point", "possible", "pretty", "probably", "put", "question", "questions", "quite",
        "read", "real", "really", "reason", "regular", "right", "said", "saturday", "say", "saying", "says", "see",
        "seems", "seen", "serious", "short", "should", "sibling", "simple", "simply", "sister", "so", "some", "someone",
        "something", "sometimes", "son", "soon", "sort", "stand", "start", "started", "starting", "still", "stuff",
        "sunday", "suppose", "supposed", "sure", "talk", "talked", "talking", "team", "tell", "terms", "thank",
        "thanks", "thing", "things", "think", "thinking", "thursday", "today", "told", "tomorrow", "tonight", "tried",
        "true", "try", "trying", "tuesday", "typical", "understand", "understanding", "use", "used", "using", "usual",
        "usually", "want", "wanted", "way", "wednesday", "well", "went", "whats", "wife", "wonder", "wondering", "word",
        "words", "work", "worried", "worry", "worse", "would", "wrong", "yes", "yesterday", "yet", "young"
    ]
) | frozenset(
    [  # phone-typed shorthand and contractions typed without an apostrophe ("wat even is…", "onc said…")
        "2nd", "abt", "arent", "b4", "bc", "btw", "coz", "cud", "cuz", "didnt", "doc", "docs", "doesnt", "dont", "drs",
        "dunno", "gonna", "gotta", "hadnt", "hasnt", "havent", "hows", "idk", "imo", "isnt", "kinda", "lemme", "lol",
        "mite", "n", "omg", "onc", "oncs", "pls", "plz", "ppl", "r", "rn", "shd", "shouldnt", "shud", "smth", "sorta",
        "sth", "tbh", "thats", "thnx", "tho", "thru", "thx", "ty", "u", "ur", "w", "wanna", "wasnt", "wat", "werent",
        "wht", "whys", "wise", "wk", "wks", "wont", "wouldnt", "wud", "wut", "yea", "yeah"
    ]
)


def fold(text: str) -> str:
    """Lower case, accents removed, so 'Crizotinib' and 'crizotiníb' read alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():  # no combining marks to drop: skip the per-character pass (most text)
        return decomposed
    return decomposed.translate(_combining_marks())


class _CombiningMarks(dict):  # type: ignore[type-arg]
    """A ``str.translate`` table that deletes combining marks, filled in as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words, stopwords kept (used for phrase matching)."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=1)
def _combining_marks() -> _CombiningMarks:
    return _CombiningMarks()


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
    """BM25 over search units: bm25s builds and saves it; queries read its score matrix directly.

    bm25s stores one precomputed BM25 score per (term, unit) as a CSC matrix: for term ``t`` the
    units ``indices[indptr[t]:indptr[t + 1]]`` (ascending, each once) and their scores ``data[...]``.
    Reading those postings costs what the query's terms occur, not the size of the corpus, and
    loading the arrays needs neither bm25s nor scipy (a faster cold start).

    A term in at least one unit in ``DENSE_SHARE`` is also held as a column of one score per unit
    (zero where it is absent): adding or taking the maximum of a whole column is a plain vector
    operation, while scattering its postings costs ≈2.5 ns each (at 1M units, ≈0.2 ms against ≈2 ms
    for a term in 900,000 of them). The sums are the same, bit for bit: absent units add 0.
    """

    def __init__(self, vocab: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 units: int, saved: Path | None = None, retriever=None) -> None:  # type: ignore[no-untyped-def]
        self._vocab = vocab
        self._data = data
        self._indices = indices
        self._indptr = indptr
        self.units = units
        self._saved = saved  # the folder it was loaded from (saving again copies it)
        self._retriever = retriever  # the bm25s object it was built with (saving writes it)
        self._columns = self._dense_columns()
        # Questions come back to the same glossary concepts ("immunotherapy" and its drug names): their
        # maxima are kept, up to CONCEPT_CACHE_BYTES (67 concepts at a million units).
        cached = max(16, CONCEPT_CACHE_BYTES // (4 * max(1, units)))
        self._maxima = lru_cache(maxsize=min(cached, 4096))(self._read_maxima)

    def _dense_columns(self) -> dict[str, np.ndarray]:
        """Frequent terms' scores as one float32 per unit (at the bench's 1M units, 17 terms: 65 MB against 37 MB of postings)."""
        columns: dict[str, np.ndarray] = {}
        for term in self._vocab:
            units, scores = self._postings(term)
            if len(units) * DENSE_SHARE >= self.units > 0:
                columns[term] = np.zeros(self.units, dtype=np.float32)
                columns[term][units] = scores
        return columns

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        units = [terms(text) or [""] for text in texts]
        # Terms numbered in sorted order: bm25s numbers them in set order, which changes from run to run,
        # so the same corpus would save different files and get a different build id every time.
        vocab = {term: number for number, term in enumerate(sorted({term for unit in units for term in unit}))}
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenization.Tokenized(ids=[[vocab[term] for term in unit] for unit in units], vocab=vocab),
                        show_progress=False)
        scores = retriever.scores
        return cls(retriever.vocab_dict, scores["data"], scores["indices"], scores["indptr"], int(scores["num_docs"]),
                   retriever=retriever)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read what ``bm25s.BM25.save`` wrote (lucene BM25, the bm25s default that ``build`` uses)."""
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"BM25 method {params.get('method')!r}, ros1qa reads 'lucene'")
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        # Mapped, not read: a query touches only its terms' postings, and replicas share the pages.
        # Plain arrays over the mapping: slicing a np.memmap wraps every posting list in a new memmap object.
        arrays = [np.load(folder / f"{name}.csc.index.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                  for name in ("data", "indices", "indptr")]
        return cls(vocab, *arrays, units=int(params["num_docs"]), saved=folder)

    def save(self, folder: Path) -> None:
        if self._retriever is not None:
            self._retriever.save(str(folder), show_progress=False)
        elif self._saved is not None:
            shutil.copytree(self._saved, folder)
        else:
            raise ValueError("this LexicalIndex was neither built nor loaded from a folder")

    def knows(self, term: str) -> bool:
        return term in self._vocab

    def idf(self, term: str) -> float:
        """How rare a term is among the units (lucene's idf, as BM25 scores it; 0 for a term no unit has)."""
        if term not in self._vocab:
            return 0.0
        having = len(self._postings(term)[0])
        return math.log(1 + (self.units - having + 0.5) / (having + 0.5)) if having else 0.0

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(units containing ``term``, ascending; their BM25 score for it)."""
        number = self._vocab[term]
        if number + 1 >= len(self._indptr):  # bm25s lists "" in the vocabulary without a column
            return self._indices[:0], self._data[:0]
        start, end = int(self._indptr[number]), int(self._indptr[number + 1])
        return self._indices[start:end], self._data[start:end]

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every unit; zeros when no query term is in the vocabulary (each term a concept of its own)."""
        known = sorted({t for t in query_terms if t in self._vocab}, key=self._vocab.__getitem__)
        return self.concept_scores([frozenset([term]) for term in known])

    def concept_scores(self, concepts: Sequence[frozenset[str]]) -> np.ndarray:
        """BM25 where each concept counts once: the best-scoring of its alternative terms.

        "keytruda" may be found as "pembrolizumab", "immunotherapy" or "ICIs"; a unit gets credit
        for one of them, so the glossary widens what matches without outweighing the question.
        """
        total = np.zeros(self.units, dtype=np.float32)
        for alternatives in concepts:
            group = tuple(sorted(t for t in alternatives if t in self._vocab))
            if len(group) == 1 and group[0] in self._columns:
                total += self._columns[group[0]]
            elif len(group) == 1:
                np.add.at(total, *self._postings(group[0]))  # a unit occurs once per term: a plain add
            elif group:
                total += self._maxima(group)  # + 0 where the concept is absent
        return total

    def _read_maxima(self, group: tuple[str, ...]) -> np.ndarray:
        """Each unit's best score among ``group``'s terms (read-only: it is cached and shared)."""
        best = np.zeros(self.units, dtype=np.float32)
        for term in group:
            if term in self._columns:
                np.maximum(best, self._columns[term], out=best)
            else:
                np.maximum.at(best, *self._postings(term))
        best.flags.writeable = False
        return best

    def concept_counts(self, concepts: Sequence[frozenset[str]], units: np.ndarray) -> np.ndarray:
        """For each of ``units``, how many concepts it contains under any alternative term."""
        counts = np.zeros(len(units), dtype=np.int64)
        units = np.asarray(units).astype(self._indices.dtype)  # as the postings: searchsorted would copy them to int64
        for alternatives in concepts:
            present = np.zeros(len(units), dtype=bool)
            for term in alternatives:
                if term in self._columns:
                    present |= self._columns[term][units] > 0  # a BM25 score is never 0 where the term occurs
                    continue
                having = self._postings(term)[0] if term in self._vocab else ()
                if len(having):
                    at = np.minimum(np.searchsorted(having, units), len(having) - 1)
                    present |= having[at] == units
            counts += present
        return counts
