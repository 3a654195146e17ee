"""The ask path: check the question, route urgent messages, retrieve, decide, quote."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

import numpy as np

from ros1qa.ask import conversation, highlight, lead, messages
from ros1qa.ask.answer import Answer, Quote
from ros1qa.ask.answer_model import AnswerModel, should_answer
from ros1qa.ask.conversation import FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION, FollowUp
from ros1qa.ask.highlight import chosen, highlight_ranges, sentence_features, unlearned
from ros1qa.ask.lead import Contender, best_sentence, leader
from ros1qa.ask.pair_features import FEATURES, PairEvidence, pair_features
from ros1qa.ask.query_adapter import QueryAdapter
from ros1qa.ask.question_kind import asks, asks_something
from ros1qa.ask.question_prior import question_words
from ros1qa.ask.retrieval import RankedPassage, best_passages, best_per_passage, rank_passages, surest
from ros1qa.ask.small_talk import ASKING, LEANING, POINTING, SmallTalkModel
from ros1qa.ask.token_match import piece_match
from ros1qa.errors import IndexMismatch
from ros1qa.index.classifier import Classifier
from ros1qa.index.embedding import Embedder
from ros1qa.index.glossary import Glossary
from ros1qa.index.lexical import terms, words
from ros1qa.index.pieces import pieces
from ros1qa.index.query import Query, Reader, make_query
from ros1qa.index.store import LoadedIndex
from ros1qa.index.vectors import search
from ros1qa.ingest.units import make_units
from ros1qa.safety.safety import is_urgent
from ros1qa.settings import RetrievalSettings

Mode = Literal["hybrid", "dense", "bm25"]
URGENT_SCAN_CHARS = 20_000  # how much of a pasted message is read for emergencies (≈40 ms at most)


@dataclass(frozen=True)
class Reading:
    """A text as the retrievers see it, the model's vector of it, ``kept`` (``Engine._read``) and the vectors of its
    content word pieces (``index.pieces.pieces``)."""

    query: Query
    vector: np.ndarray
    kept: float
    pieces: np.ndarray


@dataclass(frozen=True)
class Search:
    """What one retrieval produced, kept for quoting and highlighting."""

    query: Query
    query_vector: np.ndarray  # the model's vector of the question (what questions are compared and classified by)
    searched: np.ndarray  # the vector searched with: the query adapter's map of ``query_vector`` (or it)
    lexical_units: np.ndarray
    ranked: list[RankedPassage]
    features: np.ndarray  # pair features of the first ``judged`` passages (no rows for the plain baselines)
    verdict: bool | None  # a near-paraphrase labelled question's: answerable or not (None: none is that close)
    covered: bool | None = None  # the lead passage's page's own model: does it answer such questions (None: no model)
    voted: bool = False  # labelled questions close to it voted for passages within reach (they settle the order)
    read: dict[int, Sentences | None] = field(default_factory=dict)  # passage → its sentences, as the lead judgement read them


@dataclass(frozen=True)
class Sentences:
    """The sentences of a passage as the highlight reads them."""

    spans: tuple[tuple[int, int], ...]  # offsets in the document
    texts: tuple[str, ...]
    features: np.ndarray  # ``highlight.FEATURES``, one row per sentence
    marked: list[int]  # the sentences highlighted (by the learned selector when the engine has one)


class Engine:
    """One loaded index and model, shared by every caller (thread-safe: the embedder serialises encodes)."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: RetrievalSettings,
                 max_question_chars: int = 1000, mode: Mode = "hybrid", urgency: Classifier | None = None,
                 answer_model: AnswerModel | None = None, small_talk: SmallTalkModel | None = None,
                 follow_up: AnswerModel | None = None, highlighter: AnswerModel | None = None,
                 adapter: QueryAdapter | None = None, leader: AnswerModel | None = None) -> None:
        built = index.manifest.get("model", {})
        if (built.get("id"), built.get("backend")) != (embedder.model_id, embedder.backend):
            raise IndexMismatch(
                str(index.folder),
                f"built with {built.get('id')} ({built.get('backend')}), asked with {embedder.model_id} ({embedder.backend})",
            )
        if mode == "hybrid" and index.pieces is None:
            raise IndexMismatch(str(index.folder), "built without word pieces, by an older ros1qa")
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.max_question_chars = max_question_chars
        self.mode = mode
        self.urgency = urgency if urgency is not None and urgency.model_id == embedder.model_id else None
        self.small_talk = small_talk if small_talk is not None and small_talk.model_id == embedder.model_id else None
        self.answer_model = answer_model if answer_model is not None and answer_model.usable_with(embedder.model_id) else None
        usable = follow_up is not None and follow_up.usable_with(embedder.model_id, FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION)
        self.follow_up = follow_up if usable else None
        usable = highlighter is not None and highlighter.usable_with(embedder.model_id, highlight.FEATURES, highlight.VERSION)
        self.highlighter = highlighter if usable else None
        usable = leader is not None and leader.usable_with(embedder.model_id, lead.FEATURES, lead.VERSION)
        self.leader = leader if usable else None
        hybrid = mode == "hybrid"
        usable = hybrid and adapter is not None and adapter.usable_with(embedder.model_id, index.vectors.d)
        self.adapter = adapter if usable else None
        # The corpus's own labelled questions (resolved by the build that made this index) and how people word
        # questions (spelling against the pages' words, the glossary, the lay vocabulary): ros1qa's, not the baselines'.
        self.examples = index.examples if hybrid else None
        self.reader = Reader((d.text for d in index.documents), index.glossary) if hybrid else None
        units = make_units(index.passages)  # per passage: its own unit, then its sentences (if several)
        self._unit_passage = np.array([u.passage for u in units], dtype=np.int32)
        self._unit_spans = np.array([(u.start, u.end) for u in units], dtype=np.int64).reshape(-1, 2)
        self._unit_is_sentence = np.array([u.is_sentence for u in units], dtype=bool)
        self._first_unit = np.searchsorted(self._unit_passage, np.arange(len(index.passages) + 1))
        self._alone_row = np.cumsum(self._unit_is_sentence) - 1  # a sentence unit's row in ``index.sentences``
        self._document_text = {d.doc_id: d.text for d in index.documents}
        self._document_number = {d: n for n, d in enumerate(dict.fromkeys(p.doc_id for p in index.passages))}
        documents = np.array([self._document_number[p.doc_id] for p in index.passages], dtype=np.int32)
        starts = np.array([p.start for p in index.passages], dtype=np.int64)
        self._by_place = np.lexsort((starts, documents))  # passage numbers ordered by document, then start
        self._place_document, self._place_start = documents[self._by_place], starts[self._by_place]
        # The vector search runs here while the asking thread scores BM25 and picks its best passages
        # (FAISS and numpy release the GIL): at a million units ≈5.5 and ≈4 ms, side by side. Handing
        # the search over costs ≈0.04 ms.
        self._vector_searcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ros1qa-vector-search")

    def check_dimension(self) -> None:
        """Fail clearly if the model's vectors do not fit the index (call once after loading)."""
        if self.embedder.dimension != self.index.vectors.d:
            raise IndexMismatch(str(self.index.folder), f"index has {self.index.vectors.d}-d vectors, model makes {self.embedder.dimension}-d")

    def sources(self) -> tuple[tuple[str, str, str], ...]:
        """(title, url, publisher) of every document the engine can quote."""
        return tuple((d.title, d.url, d.publisher) for d in self.index.documents)

    def context(self, quote: Quote) -> tuple[str, str]:
        """The rest of the quote's section, word for word: the document's text before and after the quote."""
        bounds = self._section_bounds(quote)
        if bounds is None:
            return "", ""
        text = self._document_text[quote.document]
        return text[bounds[0]:quote.start].rstrip(), text[quote.end:bounds[1]].lstrip()

    def section(self, quote: Quote) -> Quote:
        """The quote's whole section as one quote, word for word, its highlight where the quote's was ("tell me more")."""
        bounds = self._section_bounds(quote)
        if bounds is None:
            return quote
        start, end = bounds
        shift = quote.start - start
        highlight = tuple((a + shift, b + shift) for a, b in quote.highlight) or ((shift, shift + len(quote.text)),)
        return replace(quote, text=self._document_text[quote.document][start:end], start=start, end=end,
                       highlight=highlight)

    def _section_bounds(self, quote: Quote) -> tuple[int, int] | None:
        """Where the section holding the quote's passage starts and ends in its document (None: not a passage)."""
        passages = self.index.passages
        here = self._passage_at(quote.document, quote.start, quote.end)
        if here is None:
            return None
        place = (passages[here].doc_id, passages[here].section)
        first, last = here, here
        while first > 0 and (passages[first - 1].doc_id, passages[first - 1].section) == place:
            first -= 1
        while last + 1 < len(passages) and (passages[last + 1].doc_id, passages[last + 1].section) == place:
            last += 1
        return passages[first].start, passages[last].end

    def _passage_at(self, document: str, start: int, end: int) -> int | None:
        """The first passage of ``document`` spanning exactly [start, end), found by binary search."""
        number = self._document_number.get(document)
        if number is None:
            return None
        low, high = np.searchsorted(self._place_document, [number, number + 1])
        at = int(low + np.searchsorted(self._place_start[low:high], start))
        matches = [int(self._by_place[i]) for i in range(at, int(high)) if self._place_start[i] == start]
        return next((i for i in sorted(matches) if self.index.passages[i].end == end), None)

    def leaving_out(self, sources: Sequence[str]) -> Engine:
        """This engine without the example questions from ``sources``: a set is scored without its own."""
        other = copy.copy(self)  # shares the index, model and arrays, all read-only
        other.examples = self.examples.without(sources) if self.examples is not None else None
        return other

    def with_models(self, answer_model: AnswerModel | None, small_talk: SmallTalkModel | None = None,
                    follow_up: AnswerModel | None = None, highlighter: AnswerModel | None = None,
                    leader: AnswerModel | None = None) -> Engine:
        """This engine judging with other learned models (learning and measuring across pages)."""
        other = copy.copy(self)  # shares the index, model and arrays, all read-only
        other.answer_model, other.small_talk, other.follow_up = answer_model, small_talk, follow_up
        other.highlighter, other.leader = highlighter, leader
        return other

    def with_adapter(self, adapter: QueryAdapter | None) -> Engine:
        """This engine searching with another query adapter (None: the model's own vector; learning across pages)."""
        other = copy.copy(self)  # shares the index, model and arrays, all read-only
        other.adapter = adapter if self.mode == "hybrid" else None
        return other

    def unit_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every search unit's vector, and the passage each belongs to (what the query adapter learns from)."""
        return self.index.vectors.reconstruct_n(0, self.index.vectors.ntotal), self._unit_passage

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """The answer to ``question``, read with ``history`` (the conversation's earlier messages, oldest first)."""
        earlier: list[Answer] = []
        for message in history[-conversation.MAX_HISTORY:]:
            earlier.append(self.respond(message, earlier)[0])
        return self.respond(question, earlier)[0]

    def respond(self, question: str, earlier: Sequence[Answer] = ()) -> tuple[Answer, list[RankedPassage]]:
        """The answer, and the ranking behind it (empty when no search ran). ``earlier``: the answers given to the
        conversation's earlier messages, oldest first; a follow-up is read with the question it continues."""
        stripped = question.strip()
        if not stripped:
            return Answer(question, "not_found", messages.EMPTY_QUESTION), []
        if is_urgent(stripped[:URGENT_SCAN_CHARS]):  # before the length limit: an emergency is never "too long"
            return Answer(question, "urgent", messages.URGENT), []
        if len(question) > self.max_question_chars:
            return Answer(question, "not_found", messages.too_long(self.max_question_chars)), []
        before = conversation.context(earlier) if self.mode == "hybrid" else ()
        alone, joined = self._read(stripped, conversation.joined(before, stripped) if before else "")
        if self._urgent(alone.vector):  # what the patterns missed, the emergency classifier caught
            return Answer(question, "urgent", messages.URGENT), []
        intent = self._small_talk(alone.vector, stripped)
        if intent == "more":
            return self._more(question, earlier), []
        if intent is not None and not (before and self._may_continue(intent, alone.vector, stripped)):
            return Answer(question, "small_talk", messages.SMALL_TALK[intent]), []
        search, read_with = self._in_context(alone, joined, before, self._shown_before(earlier))
        ranked = search.ranked
        answers = bool(ranked) and self._answers(search, together=bool(read_with))
        if intent is not None and not (read_with and answers):
            # Asked of the assistant ("why?", "how does it work?") and no answerable follow-up either.
            return Answer(question, "small_talk", messages.SMALL_TALK[intent]), []
        read_as = conversation.joined(read_with, stripped) if read_with else ""
        if not answers:
            return Answer(question, "not_found", messages.NOT_FOUND, (), read_with, read_as), ranked
        # The first in order leads (example questions may have put it there); others only when nearly as sure.
        close = max(self.threshold, surest(ranked, self.settings) - self.settings.related_margin)
        shown = ranked[:1] + [r for r in ranked[1: self.settings.shown] if r.confidence >= close]
        return Answer(question, "answered", "", tuple(self.quote(r, search) for r in shown), read_with, read_as), ranked

    def _small_talk(self, vector: np.ndarray, message: str) -> str | None:
        """The kind of small talk a message is, or None for a question to search. A message that asks nothing
        (``asks_something``) is small talk when more likely so than not (``LEANING``): "ok thanks thats reassuring"
        has no question to lose."""
        if self.small_talk is None:
            return None
        return self.small_talk.intent(vector, None if asks_something(message) else LEANING)

    def _may_continue(self, intent: str, vector: np.ndarray, message: str) -> bool:
        """Whether small talk after a question may be a follow-up instead (then searched, and answered so only when
        the follow-up model says it continues and the pages answer it): a message that asks something of the
        assistant and is small talk only just ("why?"), or one that asks what it does with a word pointing back
        ("how does it work?")."""
        assert self.small_talk is not None
        return intent in ASKING and (self.small_talk.unsure(vector)
                                     or (intent in POINTING and conversation.refers_back(words(message))))

    def weigh_follow_up(self, message: str, earlier: Sequence[Answer]) -> tuple[FollowUp, Search, Search] | None:
        """A message read alone and with the question it may continue, and the evidence for choosing (None when
        nothing before it is a question): what the follow-up model learns from."""
        before = conversation.context(earlier)
        if not before:
            return None
        alone, joined = self._read(message.strip(), conversation.joined(before, message.strip()))
        assert joined is not None
        return self._weigh(alone, joined, self._shown_before(earlier))

    def _shown_before(self, earlier: Sequence[Answer]) -> dict[int, float]:
        """The passage the answer to the last question led with, and the bonus a follow-up read together gives it in
        the order: a follow-up mostly asks about what was just shown (empty when nothing was shown)."""
        last = conversation.last_question(earlier)
        if last is None or not last.quotes or not self.settings.follow_up_prior:
            return {}
        quote = last.quotes[0]
        shown = self._passage_at(quote.document, quote.start, quote.end)
        return {} if shown is None else {shown: self.settings.follow_up_prior}

    def _in_context(self, alone: Reading, joined: Reading | None, before: tuple[str, ...],
                    shown: dict[int, float]) -> tuple[Search, tuple[str, ...]]:
        """The search to answer from, and the earlier messages it was read with (none: read alone)."""
        if joined is None:
            return self._search(alone), ()
        evidence, searched_alone, together = self._weigh(alone, joined, shown)
        if conversation.continues(evidence, self.follow_up):
            return together, before
        return searched_alone, ()

    def _weigh(self, read: Reading, joined: Reading, shown: dict[int, float]) -> tuple[FollowUp, Search, Search]:
        query, vector, kept = read.query, read.vector, read.kept
        alone, together = self._search(read), self._search(joined, shown)
        unknown = query.unknown(self.index.lexical.knows)
        evidence = FollowUp(
            alone=self._surest(alone), together=self._surest(together),
            alone_score=self._best_score(alone), together_score=self._best_score(together),
            cosine=float(vector @ joined.vector), known=len(query.concepts) - len(unknown), unknown=len(unknown),
            words=tuple(words(query.text)), same_lead=bool(alone.ranked and together.ranked
                                                          and alone.ranked[0].passage == together.ranked[0].passage),
            kept=kept)
        return evidence, alone, together

    def _more(self, question: str, earlier: Sequence[Answer]) -> Answer:
        """"Tell me more": the whole section of the last answer's first passage, word for word."""
        last = conversation.last_question(earlier)
        if last is None or not last.quotes:
            return Answer(question, "small_talk", messages.SMALL_TALK["more"])
        return Answer(question, "answered", "", (self.section(last.quotes[0]),), (last.question,), last.searched)

    def _best_score(self, search: Search) -> float:
        """The best ranking score (the lead judgement may have put another passage first)."""
        return max((r.score for r in search.ranked[: self.settings.shown]), default=0.0)

    def _surest(self, search: Search) -> float:
        """The answer model's confidence in the surest passage an answer would show (0 when none has evidence)."""
        return surest(search.ranked, self.settings) if search.ranked else 0.0

    def _urgent(self, vector: np.ndarray) -> bool:
        return self.urgency is not None and self.urgency.holds(vector)

    @property
    def threshold(self) -> float:
        """The confidence at which a passage answers: the answer model's, or the plain threshold without one."""
        return self.answer_model.threshold if self.answer_model is not None else self.settings.min_confidence

    def _answers(self, search: Search, together: bool = False) -> bool:
        """Whether to answer: a labelled question that is a near paraphrase says so; otherwise the surest of
        the passages an answer would show must reach the threshold, and the page it would lead with, if it
        has labelled questions enough for a model of its own, must not say it does not answer such questions.
        A follow-up read ``together`` with the question before must reach ``follow_up_margin`` more: the answer
        model learned from questions that say all they ask, and a follow-up's few words of its own match more
        passages well than a whole question does."""
        confidences = [r.confidence for r in search.ranked[: self.settings.shown]]
        threshold = self.threshold + (self.settings.follow_up_margin if together else 0.0)
        return should_answer(confidences, search.verdict, threshold, search.covered)

    def examine(self, question: str) -> Search | None:
        """Read, search and judge a question (not checked for emergencies by the patterns, nor for length);
        None when the emergency classifier finds it urgent."""
        read = self._read(question)[0]
        if self._urgent(read.vector):
            return None
        return self._search(read)

    def query(self, question: str) -> Query:
        """The question as the retrievers read it: misspelt words read as the pages' words, glossary alternatives."""
        return self.reader.read(question) if self.reader is not None else make_query(question, Glossary())

    def rank(self, question: str) -> tuple[list[RankedPassage], np.ndarray]:
        """Every passage with evidence for the question, best first, and the question's vector."""
        search = self._search(self._read(question)[0])
        return search.ranked, search.query_vector

    def vectors(self, questions: list[str]) -> np.ndarray:
        """The model's vector of each question, as the engine reads it (spelling corrected, with its glossary
        words): what the emergency classifier and the example questions are made from."""
        return self.embedder.encode([self.query(question).embedding_text for question in questions])

    def _read(self, question: str, joined: str = "") -> tuple[Reading, Reading | None]:
        """The question as the retrievers see it, the model's vector of it, and ``kept``: how much of its meaning
        is left without the words no page uses, the cosine of its vector with the vector of the question
        without them (1 when it has none). "What is the price of crizotinib?" without "price" asks something
        else; "my dad finished Keytruda last month…" without "month" asks much the same. The question and
        that second reading are encoded in one batch, and the same run gives the question's word pieces. With
        ``joined`` (a follow-up after the question it may continue), the follow-up as searched too
        (``conversation.together``): one encode more. Its pieces are the message's own (the joined text's only
        when the message has none, as "why?"): the earlier question's pieces match the passage that answered it,
        not the one that answers what the message asks, and would judge the follow-up by the question before."""
        query = self.query(question)
        unknown = query.unknown(self.index.lexical.knows) if self.mode == "hybrid" else ()
        vectors, own = self._encode([query.embedding_text, *([query.embedding_text_without(unknown)] if unknown else [])])
        kept = float(vectors[1] @ vectors[0]) if unknown else 1.0
        if not joined:
            return Reading(query, vectors[0], kept, own), None
        joined_query = self.query(joined)
        joined_vectors, joined_pieces = self._encode([joined_query.embedding_text])
        together = conversation.together(vectors[0], joined_vectors[0])
        # ``kept`` as searched: the same sum, the question's words no page uses left out ("and the verdict?"
        # without "verdict" says little alone, but with the question before it, much the same)
        together_kept = float(conversation.together(vectors[1], joined_vectors[0]) @ together) if unknown else 1.0
        pieces = own if len(own) else joined_pieces
        return Reading(query, vectors[0], kept, own), Reading(joined_query, together, together_kept, pieces)

    def _encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The texts' vectors, and the first one's content pieces (``index.pieces.pieces``; none for the baselines,
        which judge nothing)."""
        if self.mode != "hybrid":
            return self.embedder.encode(texts), np.zeros((0, self.embedder.dimension), dtype=np.float32)
        vectors, read = self.embedder.encode_tokens(texts)
        return vectors, pieces(read[0])

    def _pieces_of(self, passage: int) -> np.ndarray:
        """The content pieces of a passage's sentences, each sentence read alone, as the build stored them."""
        assert self.index.pieces is not None  # checked as the engine opens
        return self.index.pieces.of(passage)

    def _search(self, read: Reading, prior: dict[int, float] | None = None) -> Search:
        """Rank the candidate passages only: those of the ``candidates`` nearest units and the
        ``candidates`` passages with the best BM25, so a question costs about the same at 30 units
        as at a million. While fewer passages have evidence, every one of them is ranked.
        """
        query, query_vector = read.query, read.vector
        concepts = [c.alternatives for c in query.concepts]
        searched = self.adapter.apply(query_vector) if self.adapter is not None else query_vector
        nearest: Future[tuple[np.ndarray, np.ndarray]] | None = None
        if self.mode != "bm25":
            nearest = self._vector_searcher.submit(search, self.index.vectors, searched, self.settings.candidates)
        votes = self.examples.votes(query_vector) if self.examples is not None else {}
        prior = prior or {}
        chosen = [np.array([*votes, *prior], dtype=self._unit_passage.dtype)]  # while the vector search runs
        if self.mode != "dense":
            lexical_units = self.index.lexical.concept_scores(concepts)
            chosen.append(best_passages(lexical_units, self._unit_passage, self.settings.candidates))
        else:
            lexical_units = np.zeros(len(self._unit_passage), dtype=np.float32)
        sims, ids = nearest.result() if nearest else (np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64))
        # Candidates, ascending: the passages of the nearest units, the best by BM25, those example questions vote for.
        passages = np.unique(np.concatenate([self._unit_passage[ids], *chosen]))
        first = self._first_unit[passages]
        sizes = self._first_unit[passages + 1] - first
        units = np.arange(int(sizes.sum())) + np.repeat(first - np.cumsum(sizes) + sizes, sizes)
        dense_units = np.full(len(units), -np.inf, dtype=np.float32)
        dense_units[np.searchsorted(units, ids)] = sims
        counts = self.index.lexical.concept_counts(concepts, first)  # a passage's own unit holds all its terms
        coverage = counts / len(concepts) if concepts else np.zeros(len(passages))
        local = np.repeat(np.arange(len(passages)), sizes)
        alone = self.settings.alone_weight * self._best_alone(passages, first, units, local, searched) \
            if self.mode == "hybrid" else np.zeros(len(passages))
        if prior:
            alone = alone + np.array([prior.get(p, 0.0) for p in passages.tolist()])
        ranked = rank_passages(dense_units, lexical_units[units], local, coverage, self.settings, passages, None, alone)
        votes = self._in_reach(votes, ranked)
        if votes:
            boost = alone + np.array([votes.get(p, 0.0) for p in passages.tolist()])
            ranked = rank_passages(dense_units, lexical_units[units], local, coverage, self.settings, passages, None, boost)
        features = self._features(ranked, read, searched) if self.mode == "hybrid" else np.zeros((0, 0))
        if self.answer_model is not None and len(features):
            confidences = self.answer_model.probability(features, query_vector, question_words(query.text)).tolist()
            ranked = [replace(r, confidence=c) for r, c in zip(ranked, confidences)] + \
                [replace(r, confidence=0.0) for r in ranked[len(confidences):]]
        found = self._led(Search(query, query_vector, searched, lexical_units, ranked, features, None, voted=bool(votes)))
        if self.examples is None:
            return found
        # The page the answer would be quoted from: the lead passage's ("" when none leads; no page model has it).
        lead_page = self.index.passages[found.ranked[0].passage].doc_id if found.ranked else ""
        return replace(found, verdict=self.examples.verdict(query_vector, lead_page),
                       covered=self.examples.covers(query_vector, lead_page))

    def _led(self, search: Search) -> Search:
        """The search with the passage that the lead judgement picks among those an answer would show put first
        (``lead``), its pair features with it. Unchanged without a lead model and a highlight selector, and when
        the corpus's labelled questions voted: questions asked about these pages before settle the order.
        (The judgement, learned on pages without such votes, would read their boost as evidence against the first.)"""
        count = min(self.settings.shown, len(search.features))
        if self.leader is None or self.highlighter is None or count < 2 or search.voted:
            return search
        read = {r.passage: self.sentences(r, search) for r in search.ranked[:count]}  # kept for the quotes
        contenders = [Contender(r.score, search.features[n], best_sentence(self.highlighter, features_of(read[r.passage])))
                      for n, r in enumerate(search.ranked[:count])]
        first = leader(self.leader, contenders)
        if not first:
            return replace(search, read=read)
        order = [first, *(n for n in range(len(search.features)) if n != first)]
        return replace(search, ranked=[search.ranked[n] for n in order] + search.ranked[len(order):],
                       features=search.features[order], read=read)

    def _best_alone(self, passages: np.ndarray, first: np.ndarray, units: np.ndarray, local: np.ndarray,
                    searched: np.ndarray) -> np.ndarray:
        """Each candidate passage's best cosine with one of its sentences read alone (a passage of one sentence:
        its own unit's). A sentence read after the one before it takes on its neighbour's topic; read alone, the
        sentence that answers stands out, and the passage holding it ranks up (docs/quality.md)."""
        sentence = self._unit_is_sentence[units]
        cosines = np.asarray(self.index.sentences[self._alone_row[units[sentence]]], dtype=np.float32) @ searched
        best = best_per_passage(cosines, local[sentence], len(passages))
        for n in np.flatnonzero(~np.isfinite(best)):
            best[n] = float(self.index.vectors.reconstruct(int(first[n])) @ searched)
        return best

    def _in_reach(self, votes: dict[int, float], ranked: list[RankedPassage]) -> dict[int, float]:
        """The votes for passages that retrieval alone ranks within ``vote_reach`` of its best: example questions
        settle near ties, they never carry a passage past clearly better evidence (from a page without labels)."""
        if not votes or not ranked:
            return {}
        floor = ranked[0].score - self.settings.vote_reach
        return {r.passage: votes[r.passage] for r in ranked if r.passage in votes and r.score >= floor}

    def _features(self, ranked: list[RankedPassage], read: Reading, searched: np.ndarray) -> np.ndarray:
        """Pair features (``pair_features.FEATURES``) of the first ``judged`` passages, one row each."""
        if not ranked:
            return np.zeros((0, len(FEATURES)))
        query, lexical = read.query, self.index.lexical
        concepts = [c.alternatives for c in query.concepts]
        idf = np.array([max((lexical.idf(t) for t in c), default=0.0) for c in concepts])
        scores = [r.score for r in ranked]
        rows = []
        for position, passage in enumerate(ranked[: self.settings.judged]):
            first, last = int(self._first_unit[passage.passage]), int(self._first_unit[passage.passage + 1])
            units = np.arange(first, last)
            cosines = np.stack([self.index.vectors.reconstruct(int(u)) for u in units]) @ searched
            presence = np.stack([lexical.concept_counts([c], units) > 0 for c in concepts]) if concepts \
                else np.zeros((0, len(units)), dtype=bool)
            others = scores[:position] + scores[position + 1: position + 2]
            matched = piece_match(read.pieces, self._pieces_of(passage.passage))
            rows.append(PairEvidence(cosines, passage.lexical, presence, passage.score, max(others, default=0.0), matched))
        return np.stack([pair_features(row, idf, read.kept) for row in rows])

    def sentences(self, ranked: RankedPassage, search: Search) -> Sentences | None:
        """The sentences of a ranked passage and their highlight features (None: a passage of one sentence)."""
        if ranked.passage in search.read:  # the lead judgement read it already
            return search.read[ranked.passage]
        passage = self.index.passages[ranked.passage]
        first, last = int(self._first_unit[ranked.passage]), int(self._first_unit[ranked.passage + 1])
        units = [i for i in range(first, last) if self._unit_is_sentence[i]]
        if not units:
            return None
        cosines = np.stack([self.index.vectors.reconstruct(i) for i in units]) @ search.searched
        spans = tuple((int(start), int(end)) for start, end in self._unit_spans[units])
        texts = tuple(passage.span_text(start, end) for start, end in spans)
        coverage = [search.query.coverage(sentence_terms(text)) for text in texts]
        alone = np.asarray(self.index.sentences[self._alone_row[units]], dtype=np.float32) @ search.searched
        features = sentence_features(cosines, alone, search.lexical_units[units], coverage, texts, asks(search.query.text))
        marked = chosen(self.highlighter.logit(features)) if self.highlighter is not None \
            else unlearned(cosines, search.lexical_units[units], coverage, self.settings)
        return Sentences(spans, texts, features, marked)

    def quote(self, ranked: RankedPassage, search: Search) -> Quote:
        """A ranked passage as shown: its exact text, citation and the sentence(s) that answer best highlighted."""
        passage = self.index.passages[ranked.passage]
        sentences = self.sentences(ranked, search)
        spans, marked = (sentences.spans, sentences.marked) if sentences is not None \
            else (passage.sentences, list(range(len(passage.sentences))))  # one sentence (or none)
        return Quote(
            text=passage.text, document=passage.doc_id, title=passage.title, section=passage.section, url=passage.url,
            score=ranked.score, start=passage.start, end=passage.end,
            highlight=highlight_ranges(passage.start, spans, marked),
        )


def features_of(sentences: Sentences | None) -> np.ndarray | None:
    """The highlight's features of a passage's sentences (None: a passage of one sentence, which has none)."""
    return None if sentences is None else sentences.features


@lru_cache(maxsize=1 << 16)
def sentence_terms(text: str) -> frozenset[str]:
    """A sentence's terms, for its highlight. Answers quote the same sentences again and again; stemming
    them for every answer was a sixth of ros1qa's own time per question."""
    return frozenset(terms(text))
