"""Learning across pages: labelled questions on many pages → the answer model's training rows.

A *world* is a temporary corpus holding the corpus's pages and the training pages (``training/pages``;
test fixtures, never shipped in ``corpus/``), with every labelled question file beside it. Each labelled
question is examined the way a question about a page without labels of its own is: the example
questions of its own page are left out (or, for a set-by-set figure, only those of its own file). The
row kept is the pair features of the passage it would lead with, labelled by whether the pages answer
the question; the answer model learns from rows of many pages (``answer_model.train_answer_model``).
Labelled conversations add their self-contained turns (``alone_turns``): questions as people open a chat or
change topic, plainer than the question sets' and nearly all answerable.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from ros1qa.ask import highlight
from ros1qa.ask.answer import Answer
from ros1qa.ask.answer_model import THRESHOLD, AnswerModel, page_weights, train_answer_model
from ros1qa.ask.conversation import FOLLOW_UP_FEATURES, FOLLOW_UP_VERSION
from ros1qa.ask.engine import Engine, Sentences, features_of
from ros1qa.ask.highlight import chosen
from ros1qa.ask.lead import Contender, best_sentence, lead_features, leader, train_lead_model
from ros1qa.ask.question_prior import out_of_page, question_words
from ros1qa.ask.small_talk import SmallTalkModel
from ros1qa.index.embedding import Embedder
from ros1qa.index.glossary import GLOSSARY_FILE
from ros1qa.index.indexing import build_index
from ros1qa.index.labels import LABELLED_DIR, LabelledQuestion, holds_any, labelled_files, load_labelled, on_page
from ros1qa.index.store import load_index
from ros1qa.ingest.corpus import list_corpus_files
from ros1qa.learning.adapter_training import CrossFitted, PageQuestions, WorldUnits, cross_fit, gold_passages
from ros1qa.learning.conversation_scores import LabelledConversation
from ros1qa.learning.evaluation import gold_rank
from ros1qa.settings import TUNED_MODEL, Settings

LeaveOut = Literal["page", "set"]
ANSWER_TARGET = 0.90  # answerable questions answered, on pages without labelled questions (issue 14)
REFUSE_TARGET = 0.80  # near misses refused, the same


@dataclass(frozen=True)
class Shown:
    """One of the passages an answer would show, as the lead judgement and the highlight read it."""

    score: float  # its ranking score
    sentences: Sentences | None  # its sentences (None: a passage of one sentence)
    holds: bool  # it holds the question's gold text


@dataclass(frozen=True)
class Row:
    """One labelled question as the engine examined it."""

    question: LabelledQuestion
    page: str  # the document it is about ("" when neither it nor its answer names one)
    features: np.ndarray  # pair features of the first ``judged`` passages, in ranked order
    gold_rank: int | None  # 1-based rank of the first passage holding its gold text (None: none does)
    verdict: bool | None  # a near-paraphrase labelled question's verdict, if any
    lead_page: str  # the document of the passage it would lead with
    covered: bool | None = None  # the lead page's own model: does that page answer such questions (None: no model)
    gold_sentences: Sentences | None = None  # those of the best-ranked passage holding the gold text (if several)
    vector: np.ndarray | None = None  # the model's vector of the question, as the engine read it (the question prior's)
    words: frozenset[str] = frozenset()  # its words, as the question prior reads them (``question_words``)
    shown: tuple[Shown, ...] = ()  # the passages an answer would show, in ranked order (before the lead judgement)
    voted: bool = False  # labelled questions voted for passages within reach (then the ranked order stands)
    turn: bool = False  # a conversation's self-contained turn: the models learn from it, but it neither sets the
    # threshold nor counts in a question set's figures (``alone_turns``)


def make_world(folder: Path, page_dirs: Sequence[Path], label_dirs: Sequence[Path], glossary: Path | None) -> Path:
    """A corpus folder holding the pages of ``page_dirs`` and the labelled files of ``label_dirs``."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / LABELLED_DIR).mkdir(parents=True)
    for pages in page_dirs:
        for path in list_corpus_files(pages):
            shutil.copy(path, folder / path.name)
    for labels in label_dirs:
        for path in labelled_files(labels):
            shutil.copy(path, folder / LABELLED_DIR / path.name)
    if glossary is not None and glossary.is_file():
        shutil.copy(glossary, folder / GLOSSARY_FILE)
    return folder


def world_settings(corpus: Path, settings: Settings) -> Settings:
    """``settings`` for the world whose pages are in ``corpus``: its index in the sibling ``index`` folder."""
    return Settings(corpus_dir=corpus, index_dir=corpus.parent / "index", model=settings.model,
                    backend=settings.backend, models_dir=settings.models_dir)


def open_world(corpus: Path, settings: Settings, embedder: Embedder) -> Engine:
    """Build ``corpus`` into ``corpus``'s sibling ``index`` folder and open it, without an answer model."""
    world = world_settings(corpus, settings)
    build_index(world, embedder)
    return Engine(load_index(world.index_dir), embedder, settings.retrieval, settings.max_question_chars)


def as_added(engine: Engine, world: World, corpus_dir: Path) -> Engine:
    """``engine``, opened on ``world``'s index, as the corpus in ``corpus_dir`` would be with the world's pages
    added: with only the corpus's own labelled questions (the world's others are left out)."""
    own = {path.stem for path in labelled_files(corpus_dir / LABELLED_DIR)}
    return engine.leaving_out(sorted({q.source for q in world.questions} - own))


def corpus_pages(corpus_dir: Path) -> set[str]:
    """The document names of the corpus's own pages (as the build names them)."""
    return {p.relative_to(corpus_dir).as_posix() for p in list_corpus_files(corpus_dir)}


def named_document(name: str, engine: Engine) -> str:
    """The engine's document that ``name`` names (with or without the file's suffix, as the build reads it; "" if none)."""
    return next((d.doc_id for d in engine.index.documents if name and on_page(name, d.doc_id)), "")


def page_of(question: LabelledQuestion, engine: Engine) -> str:
    """The document a question is about: the one it names (with or without the file's suffix, as the build
    reads it), else the one holding its gold text."""
    if question.page:
        return named_document(question.page, engine) or question.page
    for passage in engine.index.passages:
        if holds_any(passage.text, question.gold):
            return passage.doc_id
    return ""


def examine_all(engine: Engine, questions: Sequence[LabelledQuestion], leave_out: LeaveOut,
                adapters: CrossFitted | None = None) -> list[Row]:
    """A row for each answerable or unanswerable question, without the examples of its own page (or set), and
    searched with a query adapter that never learned from its page (``adapters``; None: the engine's own)."""
    pages = {q.key: page_of(q, engine) for q in questions}
    sources_of: dict[str, set[str]] = {}
    for q in questions:
        sources_of.setdefault(pages[q.key], set()).add(q.source)
    rows = []
    engines: dict[tuple[str, ...], Engine] = {}  # one per set of sources left out (its pages' models are relearned)
    for q in questions:
        if q.kind not in ("answerable", "unanswerable"):
            continue
        left_out = tuple(sorted(sources_of[pages[q.key]] if leave_out == "page" and pages[q.key] else {q.source}))
        scoring = engines.setdefault(left_out, engine.leaving_out(left_out))
        if adapters is not None:
            scoring = scoring.with_adapter(adapters.for_page(pages[q.key]))
        search = scoring.examine(q.question)
        assert search is not None  # a world's engine has no emergency classifier
        texts = [engine.index.passages[r.passage].text for r in search.ranked]
        rank = gold_rank(q.gold, texts)
        lead_page = engine.index.passages[search.ranked[0].passage].doc_id if search.ranked else ""
        shown = tuple(Shown(r.score, scoring.sentences(r, search), bool(q.gold) and holds_any(text, q.gold))
                      for r, text in zip(search.ranked[: scoring.settings.shown], texts))
        sentences = None  # those of the best-ranked passage holding the gold text
        if rank:
            sentences = shown[rank - 1].sentences if rank <= len(shown) else scoring.sentences(search.ranked[rank - 1], search)
        rows.append(Row(q, pages[q.key], search.features, rank, search.verdict, lead_page, search.covered, sentences,
                        search.query_vector, question_words(search.query.text), shown, search.voted))
    return rows


def world_questions(engine: Engine, corpus: Path) -> list[LabelledQuestion]:
    """The labelled questions beside a world's pages that are about one of them (or name no page)."""
    documents = {d.doc_id for d in engine.index.documents}
    return [q for q in load_labelled(corpus / LABELLED_DIR) if any(on_page(q.page, d) for d in documents)]


@dataclass(frozen=True)
class World:
    """One built world: its engine (no answer model) and its labelled questions."""

    name: str
    engine: Engine
    questions: list[LabelledQuestion]
    corpus: Path  # its pages and labelled questions (the index is built beside it: ``world_settings``)


def open_worlds(corpus_dir: Path, groups: Sequence[Path], label_dirs: Sequence[Path], settings: Settings,
                embedder: Embedder | Mapping[str, Embedder], workdir: Path) -> list[World]:
    """One world per folder of ``groups``: the corpus's pages and the group's, with the corpus's labelled
    questions and those of ``label_dirs``; read by ``embedder``, or by the one named by the group's name."""
    worlds = []
    for group in groups:
        corpus = make_world(workdir / group.name / "corpus", [corpus_dir, group], [corpus_dir / LABELLED_DIR, *label_dirs],
                            corpus_dir / GLOSSARY_FILE)
        engine = open_world(corpus, settings, embedder[group.name] if isinstance(embedder, Mapping) else embedder)
        worlds.append(World(group.name, engine, world_questions(engine, corpus), corpus))
    return worlds


def rows_of(worlds: Sequence[World], leave_out: LeaveOut, adapters: CrossFitted | None = None,
            turns: Sequence[LabelledQuestion] = ()) -> list[Row]:
    """Every labelled question's row, each once (the corpus's own questions are in every world: the first counts),
    and a row (``Row.turn``) for each of ``turns`` about a page of a world (``alone_turns``), examined in that world
    (a conversation that names no page is about the corpus's pages, as a labelled question naming none: its turns
    count with the page holding their gold text)."""
    rows: list[Row] = []
    seen: set[str] = set()
    is_turn = {q.key for q in turns}
    for world in worlds:
        here = [q for q in turns if not q.page or named_document(q.page, world.engine)]
        fresh = [q for q in [*world.questions, *here] if q.key not in seen]
        seen.update(q.key for q in fresh)
        rows += [replace(r, turn=True) if r.question.key in is_turn else r
                 for r in examine_all(world.engine, fresh, leave_out, adapters)]
    return rows


def alone_turns(conversations: Sequence[LabelledConversation]) -> list[LabelledQuestion]:
    """The self-contained question turns of labelled conversations (answerable or not, not read with earlier
    turns), as labelled questions about the conversation's page (the answer model, the highlight and the lead
    judgement learn from them as from the question sets)."""
    return [LabelledQuestion(f"{talk.cid}.{position}", "answerable" if turn.kind == "answerable" else "unanswerable",
                             turn.question, turn.gold, f"conversations/{talk.source}", talk.page)
            for talk in conversations for position, turn in enumerate(talk.turns)
            if turn.kind in ("answerable", "unanswerable") and not turn.needs_history]


def adapter_data(worlds: Sequence[World], skipped: set[str]) -> tuple[list[PageQuestions], dict[str, WorldUnits]]:
    """What the query adapter learns from: each page's answerable questions with the passages holding their gold
    text, in the world that holds the page, and each world's units (pages in ``skipped``: none of their questions)."""
    pages: list[PageQuestions] = []
    units: dict[str, WorldUnits] = {}
    for world in worlds:
        engine = world.engine
        units[world.name] = WorldUnits(*engine.unit_vectors())
        texts = [p.text for p in engine.index.passages]
        by_page: dict[str, list[LabelledQuestion]] = {}
        for q in world.questions:
            page = page_of(q, engine)
            if q.kind == "answerable" and page and page not in skipped:
                by_page.setdefault(page, []).append(q)
        for page, questions in sorted(by_page.items()):
            gold = tuple(gold_passages(texts, q.gold) for q in questions)
            kept = [q for q, g in zip(questions, gold) if g]
            if kept:
                pages.append(PageQuestions(page, engine.vectors([q.question for q in kept]), tuple(g for g in gold if g),
                                           world.name))
    return pages, units


def learn_adapters(worlds: Sequence[World], corpus_dir: Path, model_id: str) -> CrossFitted | None:
    """The query adapter learned from the worlds' fixture pages (not the corpus's own), cross-fitted by page; none
    for the tuned model, whose tuning learned from the same pairs what the adapter would (on fixture pages, five
    folds: first passage right 0.790 tuned, 0.783 tuned and adapted; docs/quality.md, stop 41)."""
    if model_id == TUNED_MODEL:
        return None
    return cross_fit(*adapter_data(worlds, corpus_pages(corpus_dir)), model_id)


def train_on(rows: Sequence[Row], model_id: str, shown: int = 3) -> AnswerModel:
    """The answer model learned from ``rows``: the features of the passage each question would lead with. A
    question that names no page counts with the page it would be answered from: alone under a page of its own,
    one such row would weigh as much as a whole page's questions. Its threshold is chosen on the same rows,
    each page judged by a model learned without it (``left_out_threshold``): the question sets' rows only. Those
    ask for near misses; conversations' self-contained turns are nearly all answerable, and would make answering
    look easier than it is and raise the threshold (docs/quality.md, stop 34)."""
    usable = learned_from(rows)
    column = _prior_column(usable)  # the same for the model and for those learned without each page
    model = _fit(usable, model_id, column)
    sureness, answerable = answer_left_out(usable, model_id, shown, column)
    sets = np.array([not r.turn for r in usable], dtype=bool)
    return replace(model, threshold=left_out_threshold(sureness[sets], answerable[sets],
                                                       [_page(r) for r in usable if not r.turn]))


def learned_from(rows: Sequence[Row]) -> list[Row]:
    """The rows the answer model learns from: those with a passage to judge (a question nothing was found for has none)."""
    return [r for r in rows if len(r.features)]


def _fit(rows: Sequence[Row], model_id: str, prior_column: np.ndarray | None = None) -> AnswerModel:
    """The answer model of ``rows``, with the question prior when every row has its question's vector."""
    vectors = _vectors(rows)
    return train_answer_model(np.stack([r.features[0] for r in rows]), _answerable(rows), [_page(r) for r in rows],
                              model_id, vectors=vectors, words=[r.words for r in rows], prior_column=prior_column)


def _prior_column(rows: Sequence[Row]) -> np.ndarray | None:
    """Each question's logit by a question prior learned without its page (``out_of_page``); None when a row
    lacks its question's vector."""
    vectors = _vectors(rows)
    if vectors is None:
        return None
    pages = [_page(r) for r in rows]
    return out_of_page(vectors, [r.words for r in rows], _answerable(rows), pages, page_weights(pages))


def _vectors(rows: Sequence[Row]) -> np.ndarray | None:
    return np.stack([r.vector for r in rows]) if all(r.vector is not None for r in rows) else None


def _answerable(rows: Sequence[Row]) -> np.ndarray:
    return np.array([r.question.kind == "answerable" for r in rows])


def _page(row: Row) -> str:
    return row.page or row.lead_page


def answer_left_out(rows: Sequence[Row], model_id: str, shown: int = 3,
                    prior_column: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each question's sureness (the answer model's confidence in the surest of the ``shown`` passages, as the
    engine decides) by a model learned without its page (NaN when the other pages hold questions of one kind
    only), and whether it is answerable.

    The prior column the models train on is worked out once, each page's questions by a prior learned without
    that page, and shared by the models of every page left out: redone without each left-out page too, it
    would cost a prior per pair of pages. The left-out page's own questions are still scored by a prior that
    never saw them; only the other pages' columns saw it, and through them the one weight the model gives the
    prior (docs/quality.md, stop 24: at 34 pages the threshold moved 0.435 → 0.430 against the exact redo).
    ``prior_column``: that column (``_prior_column(rows)``) when the caller has it already."""
    sureness = np.full(len(rows), np.nan)
    pages, answerable = [_page(r) for r in rows], _answerable(rows)
    column = prior_column if prior_column is not None else _prior_column(rows)
    for page in sorted(set(pages)):
        rest = np.array([p != page for p in pages])
        if len(set(answerable[rest].tolist())) < 2:
            continue
        model = _fit([r for r, keep in zip(rows, rest) if keep], model_id, None if column is None else column[rest])
        for i in np.flatnonzero(~rest):
            sureness[i] = float(model.probability(rows[i].features[:shown], rows[i].vector, rows[i].words).max())
    return sureness, answerable


def left_out_threshold(sureness: np.ndarray, answerable: np.ndarray, pages: Sequence[str],
                       answer_target: float = ANSWER_TARGET, refuse_target: float = REFUSE_TARGET) -> float:
    """The threshold at which the held-out questions fall short of the two targets (answerable questions
    answered, unanswerable ones refused) by the same margin: neither is bought with the other. Each page's
    questions weigh as much as another page's, as in training; ties go to the lowest such threshold, the one
    that answers most. Questions not judged (NaN) are left out; with none judged, the model's own ``THRESHOLD``."""
    judged = ~np.isnan(sureness)
    if not judged.any():
        return THRESHOLD
    sureness, answerable, pages = sureness[judged], answerable[judged], [p for p, j in zip(pages, judged) if j]
    weight = page_weights(pages)

    def share(chosen: np.ndarray, among: np.ndarray) -> float:  # of ``among`` (none: nothing falls short)
        total = weight[among].sum()
        return float(weight[chosen & among].sum() / total) if total else 1.0

    candidates = np.unique(sureness)
    shortfalls = [max(answer_target - share(sureness >= t, answerable), refuse_target - share(sureness < t, ~answerable))
                  for t in candidates]
    return float(candidates[int(np.argmin(shortfalls))])


@dataclass(frozen=True)
class FollowUpRows:
    """The follow-up model's rows: each question turn that has a question before it, read alone and with it."""

    features: np.ndarray
    labels: list[bool]  # the turn needs the turns before it
    pages: list[str]


def follow_up_rows(worlds: Sequence[World], conversations: Sequence[LabelledConversation], answer_model: AnswerModel,
                   small_talk: SmallTalkModel | None, adapters: CrossFitted | None = None,
                   highlighter: AnswerModel | None = None, lead_model: AnswerModel | None = None) -> FollowUpRows:
    """Every question turn after a question, examined in the world that holds its page (the first world when it
    names none), the turns before it answered as the app answers them (with the ``highlighter`` and ``lead_model``
    that pick the lead passage), searched with a query adapter that never learned from its page (``adapters``)."""
    features, labels, pages = [], [], []
    for talk in conversations:
        world, page = next(((w, d) for w in worlds if (d := named_document(talk.page, w.engine))), (worlds[0], ""))
        engine = world.engine.with_models(answer_model, small_talk, highlighter=highlighter, leader=lead_model)
        if adapters is not None:
            engine = engine.with_adapter(adapters.for_page(page))
        earlier: list[Answer] = []
        for turn in talk.turns:
            weighed = engine.weigh_follow_up(turn.question, earlier) if turn.kind in ("answerable", "unanswerable") else None
            if weighed is not None:
                features.append(weighed[0].features())
                labels.append(turn.needs_history)
                pages.append(talk.page or talk.source)
            earlier.append(engine.respond(turn.question, earlier)[0])
    return FollowUpRows(np.stack(features), labels, pages)


def train_follow_up(rows: FollowUpRows, model_id: str) -> AnswerModel:
    """The follow-up model (``conversation.continues``), learned across the pages of the rows."""
    return train_answer_model(rows.features, rows.labels, rows.pages, model_id, feature_names=FOLLOW_UP_FEATURES,
                              version=FOLLOW_UP_VERSION)


def follow_up_left_out(rows: FollowUpRows, model_id: str) -> float:
    """Share of turns read as labelled (with the turns before, or alone) by a model learned without their page
    (NaN when no page leaves turns of both kinds to learn from)."""
    right = judged = 0
    labels = np.array(rows.labels)
    for page in sorted(set(rows.pages)):
        held = np.array([p == page for p in rows.pages])
        if len(set(labels[~held].tolist())) < 2:
            continue
        rest = FollowUpRows(rows.features[~held], labels[~held].tolist(), [p for p in rows.pages if p != page])
        model = train_follow_up(rest, model_id)
        right += int(np.sum((model.probability(rows.features[held]) >= model.threshold) == labels[held]))
        judged += int(held.sum())
    return right / judged if judged else float("nan")


def highlight_holds(row: Row, highlighter: AnswerModel | None, first: int = 0) -> bool | None:
    """Whether the highlight of the lead passage (the ``first`` of those shown) holds the gold text when that
    passage does (None when it does not), the sentences marked by ``highlighter`` (None: as the world's engine
    marked them)."""
    if first >= len(row.shown) or not row.shown[first].holds:
        return None
    sentences = row.shown[first].sentences
    if sentences is None:  # a passage of one sentence: the highlight is the passage
        return True
    marked = chosen(highlighter.logit(sentences.features)) if highlighter is not None else sentences.marked
    return holds_any(" ".join(sentences.texts[n] for n in marked), row.question.gold)


def contenders(row: Row, highlighter: AnswerModel) -> list[Contender]:
    """The passages an answer to the row's question would show, as the lead judgement reads them."""
    return [Contender(s.score, row.features[n], best_sentence(highlighter, features_of(s.sentences)))
            for n, s in enumerate(row.shown[: len(row.features)])]


def lead_of(row: Row, highlighter: AnswerModel | None, lead_model: AnswerModel | None) -> int:
    """Which of the passages shown leads, as the engine picks it (``Engine._led``; the first without both models,
    and when labelled questions voted)."""
    if highlighter is None or lead_model is None or row.voted:
        return 0
    return leader(lead_model, contenders(row, highlighter))


def train_leader(rows: Sequence[Row], highlighter: AnswerModel, model_id: str) -> AnswerModel | None:
    """The lead judgement (``lead``), learned from each answerable question where the first passage shown and
    another differ in holding its gold text, the passages' sentences read by ``highlighter`` (None: the rows
    hold no such pair of both kinds). Rows whose order labelled questions settled are not its to learn from."""
    features, labels, pages = [], [], []
    for row in rows:
        if row.question.kind != "answerable" or row.voted:
            continue
        shown = contenders(row, highlighter)
        for n in range(1, len(shown)):
            if row.shown[n].holds != row.shown[0].holds:
                features.append(lead_features(shown[0], shown[n]))
                labels.append(row.shown[n].holds)
                pages.append(_page(row))
    if len(set(labels)) < 2:
        return None
    return train_lead_model(np.stack(features), labels, pages, model_id)


def train_highlighter(rows: Sequence[Row], model_id: str) -> AnswerModel:
    """The highlight's selector (``highlight``), learned from each answerable question whose best-ranked passage
    holding its gold text holds it in one sentence: that sentence against the passage's others. Each question
    weighs the same."""
    features, labels, questions = [], [], []
    for row in rows:
        if row.gold_sentences is None:
            continue
        holding = [holds_any(text, row.question.gold) for text in row.gold_sentences.texts]
        if any(holding):
            features.append(row.gold_sentences.features)
            labels += holding
            questions += [row.question.key] * len(holding)
    return train_answer_model(np.concatenate(features), labels, questions, model_id, highlight.REGULARISATION,
                              feature_names=highlight.FEATURES, version=highlight.VERSION)


def page_groups(folder: Path) -> list[Path]:
    """The folders of pages under ``folder`` (``training/pages/a``, ``…/b``), each built as one world."""
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
