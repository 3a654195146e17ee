"""The ask path: check the question, route urgent messages, retrieve, decide, quote."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ros1qa import messages
from ros1qa.answer import Answer, Quote
from ros1qa.embedding import Embedder
from ros1qa.errors import IndexMismatch
from ros1qa.glossary import Glossary
from ros1qa.highlight import highlight_ranges, sentence_scores
from ros1qa.lexical import terms
from ros1qa.query import Query, make_query
from ros1qa.retrieval import RankedPassage, rank_passages
from ros1qa.safety import is_urgent
from ros1qa.settings import RetrievalSettings
from ros1qa.store import LoadedIndex
from ros1qa.units import make_units, unit_text
from ros1qa.vectors import search

Mode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class Search:
    """What one retrieval produced, kept for quoting and highlighting."""

    query: Query
    query_vector: np.ndarray
    lexical_units: np.ndarray
    ranked: list[RankedPassage]


class Engine:
    """One loaded index and model, shared by every caller (thread-safe: the embedder serialises encodes)."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: RetrievalSettings,
                 max_question_chars: int = 1000, mode: Mode = "hybrid") -> None:
        built = index.manifest.get("model", {})
        if (built.get("id"), built.get("backend")) != (embedder.model_id, embedder.backend):
            raise IndexMismatch(
                str(index.folder),
                f"built with {built.get('id')} ({built.get('backend')}), asked with {embedder.model_id} ({embedder.backend})",
            )
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.max_question_chars = max_question_chars
        self.mode = mode
        self._units = make_units(index.passages)
        self._unit_passage = np.array([u.passage for u in self._units], dtype=np.int64)
        self._passage_terms = [frozenset(terms(f"{p.section} {p.text}")) for p in index.passages]

    def check_dimension(self) -> None:
        """Fail clearly if the model's vectors do not fit the index (call once after loading)."""
        if self.embedder.dimension != self.index.vectors.d:
            raise IndexMismatch(str(self.index.folder), f"index has {self.index.vectors.d}-d vectors, model makes {self.embedder.dimension}-d")

    def sources(self) -> tuple[tuple[str, str, str], ...]:
        """(title, url, publisher) of every document the engine can quote."""
        return tuple((d.title, d.url, d.publisher) for d in self.index.documents)

    def context(self, quote: Quote) -> tuple[str, str]:
        """The rest of the quote's section, word for word: its passages before and after the quote."""
        passages = self.index.passages
        here = next((i for i, p in enumerate(passages)
                     if (p.doc_id, p.start, p.end) == (quote.document, quote.start, quote.end)), None)
        if here is None:
            return "", ""
        place = (passages[here].doc_id, passages[here].section)
        first, last = here, here
        while first > 0 and (passages[first - 1].doc_id, passages[first - 1].section) == place:
            first -= 1
        while last + 1 < len(passages) and (passages[last + 1].doc_id, passages[last + 1].section) == place:
            last += 1
        return ("\n\n".join(p.text for p in passages[first:here]),
                "\n\n".join(p.text for p in passages[here + 1:last + 1]))

    def ask(self, question: str) -> Answer:
        return self.respond(question)[0]

    def respond(self, question: str) -> tuple[Answer, list[RankedPassage]]:
        """The answer, and the ranking behind it (empty when no search ran)."""
        stripped = question.strip()
        if not stripped:
            return Answer(question, "not_found", messages.EMPTY_QUESTION), []
        if len(question) > self.max_question_chars:
            return Answer(question, "not_found", messages.too_long(self.max_question_chars)), []
        if is_urgent(stripped):
            return Answer(question, "urgent", messages.URGENT), []
        search = self._search(stripped)
        ranked = search.ranked
        floor = self.settings.min_confidence
        if not ranked or ranked[0].confidence < floor:
            return Answer(question, "not_found", messages.NOT_FOUND), ranked
        close = max(floor, ranked[0].confidence - self.settings.related_margin)
        shown = [r for r in ranked[: self.settings.shown] if r.confidence >= close]
        return Answer(question, "answered", "", tuple(self._quote(r, search) for r in shown)), ranked

    def query(self, question: str) -> Query:
        return make_query(question, self.index.glossary if self.mode == "hybrid" else Glossary())

    def rank(self, question: str) -> tuple[list[RankedPassage], np.ndarray]:
        """Every passage with evidence for the question, best first, and the question's vector."""
        search = self._search(question)
        return search.ranked, search.query_vector

    def _search(self, question: str) -> Search:
        query = self.query(question)
        count = len(self._units)
        dense_units = np.full(count, -np.inf, dtype=np.float32)
        lexical_units = np.zeros(count, dtype=np.float32)
        query_vector = self.embedder.encode([question])[0]
        if self.mode != "bm25":
            sims, ids = search(self.index.vectors, query_vector, self.settings.candidates)
            dense_units[ids] = sims
        if self.mode != "dense":
            lexical_units = self.index.lexical.concept_scores([c.alternatives for c in query.concepts])
        coverage = np.array([query.coverage(t) for t in self._passage_terms])
        unknown = len(query.unknown(self.index.lexical.knows))
        ranked = rank_passages(dense_units, lexical_units, self._unit_passage, coverage, unknown, self.settings)
        return Search(query, query_vector, lexical_units, ranked)

    def _quote(self, ranked: RankedPassage, search: Search) -> Quote:
        passage = self.index.passages[ranked.passage]
        first, last = np.searchsorted(self._unit_passage, [ranked.passage, ranked.passage + 1])
        sentence_ids = [i for i in range(int(first), int(last)) if self._units[i].is_sentence]
        if sentence_ids:
            vectors = np.stack([self.index.vectors.reconstruct(i) for i in sentence_ids])
            texts = [unit_text(self._units[i], self.index.passages) for i in sentence_ids]
            scores = sentence_scores(
                vectors @ search.query_vector, search.lexical_units[sentence_ids],
                [search.query.coverage(frozenset(terms(text))) for text in texts], self.settings,
            )
            spans = [(self._units[i].start, self._units[i].end) for i in sentence_ids]
        else:
            scores, spans = [1.0], list(passage.sentences)
        return Quote(
            text=passage.text, document=passage.doc_id, title=passage.title, section=passage.section, url=passage.url,
            score=ranked.confidence, start=passage.start, end=passage.end,
            highlight=highlight_ranges(passage.start, spans, scores),
        )
