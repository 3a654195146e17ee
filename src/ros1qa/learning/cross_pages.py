"""Quality on pages the engine was not tuned on: leave-one-page-out, per page and pooled, with baselines.

Worlds are built from the corpus plus each folder of fixture pages (``training/pages/*`` and, held
out, ``eval/pages/*``). Every labelled question is examined without the example questions of its own
page. For each training page, the answer model, the highlight's selector and the lead judgement are
learned from the other pages' rows only, so a page's labelled questions never help its own score;
held-out pages are judged by the models learned from every training page (the ones ros1qa ships). The
corpus's own pages are also scored set by set (each set without its own examples), the way the product
meets new questions about them. Beside each figure: a plain dense retriever and a plain BM25 retriever
over the same index. Held-out pages' labelled conversations are scored too, each in its page's world by the
engine as it ships (every model ros1qa ships was learned from training pages only).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ros1qa.ask.answer_model import AnswerModel, should_answer
from ros1qa.ask.engine import Engine
from ros1qa.index.labels import LabelledQuestion
from ros1qa.learning.adapter_training import CrossFitted
from ros1qa.learning.conversation_scores import (
    LabelledConversation,
    TurnResult,
    evaluate_conversation_modes,
    format_conversation_table,
)
from ros1qa.learning.evaluation import gold_rank, plain_engine
from ros1qa.learning.learning import (
    Row,
    World,
    highlight_holds,
    lead_of,
    named_document,
    rows_of,
    train_highlighter,
    train_leader,
    train_on,
)
from ros1qa.tables import render

SHOWN = 3


@dataclass(frozen=True)
class PageScores:
    name: str
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    answered: float
    refused: float
    dense_hit_at_1: float
    dense_hit_at_3: float
    bm25_hit_at_1: float
    bm25_hit_at_3: float
    highlight: float = float("nan")  # of answered questions led by a passage holding the gold, share highlighted there


def decide(model: AnswerModel, row: Row) -> bool:
    """As the engine decides (``Engine._answers``), from a row examined once."""
    confidences = model.probability(row.features[:SHOWN], row.vector, row.words).tolist() if len(row.features) else []
    return should_answer(confidences, row.verdict, model.threshold, row.covered)


def baseline_ranks(world: World, mode: str) -> dict[str, int | None]:
    """Rank of the first gold passage for each answerable question, by a plain ``mode`` retriever."""
    plain = plain_engine(world.engine, mode)  # type: ignore[arg-type]
    passages = world.engine.index.passages
    return {q.key: gold_rank(q.gold, [passages[r.passage].text for r in plain.rank(q.question)[0]])
            for q in world.questions if q.kind == "answerable"}


@dataclass(frozen=True)
class Models:
    """The learned judgements a page is scored with: whether to answer, which passage leads, which sentences to
    highlight."""

    answer: AnswerModel
    highlighter: AnswerModel | None = None
    leader: AnswerModel | None = None


def learn(rows: Sequence[Row], model_id: str) -> Models:
    """The models, learned from ``rows`` as ``ros1qa train`` learns the shipped ones."""
    highlighter = train_highlighter(rows, model_id)
    return Models(train_on(rows, model_id), highlighter, train_leader(rows, highlighter, model_id))


# rows, answered, whether the lead passage holds the gold, whether its highlight does (None: it does not hold it)
Judged = tuple[list[Row], list[bool], list[bool], list[bool | None]]


def judge(models: Models, rows: Sequence[Row]) -> Judged:
    """Each row's decision (answer or not), whether the passage that leads holds the gold and whether its
    highlight does, by ``models``."""
    firsts = [lead_of(r, models.highlighter, models.leader) for r in rows]
    return (list(rows), [decide(models.answer, r) for r in rows],
            [n < len(r.shown) and r.shown[n].holds for r, n in zip(rows, firsts)],
            [highlight_holds(r, models.highlighter, n) for r, n in zip(rows, firsts)])


def score(name: str, rows: Sequence[Row], decisions: Sequence[bool], leads: Sequence[bool],
          highlights: Sequence[bool | None], baselines: dict[str, dict[str, int | None]]) -> PageScores:
    answerable = [(r, d) for r, d in zip(rows, decisions) if r.question.kind == "answerable"]
    first = sum(1 for r, led_by_gold in zip(rows, leads) if r.question.kind == "answerable" and led_by_gold)
    led = [h for r, d, h in zip(rows, decisions, highlights) if r.question.kind == "answerable" and d and h is not None]
    unanswerable = [d for r, d in zip(rows, decisions) if r.question.kind == "unanswerable"]

    def share(count: float, total: int) -> float:
        return count / total if total else float("nan")

    def hits(rank_of: Callable[[Row], int | None], within: int) -> float:
        return share(sum(1 for r, _ in answerable if (rank_of(r) or math.inf) <= within), len(answerable))

    def plain(mode: str) -> Callable[[Row], int | None]:
        return lambda r: baselines[mode].get(r.question.key)

    return PageScores(
        name, len(answerable), len(unanswerable),
        share(first, len(answerable)), hits(lambda r: r.gold_rank, 3),
        share(sum(d for _, d in answerable), len(answerable)), share(sum(not d for d in unanswerable), len(unanswerable)),
        hits(plain("dense"), 1), hits(plain("dense"), 3), hits(plain("bm25"), 1), hits(plain("bm25"), 3),
        share(sum(led), len(led)),
    )


COLUMNS = (("answerable / unanswerable", None), ("hit@1", "hit_at_1"), ("hit@3", "hit_at_3"),
           ("answered", "answered"), ("refused", "refused"), ("highlight holds gold", "highlight"),
           ("dense hit@1 / @3", "dense"), ("BM25 hit@1 / @3", "bm25"))


def _cells(s: PageScores) -> list[str]:
    return [f"{s.answerable} / {s.unanswerable}", f"{s.hit_at_1:.3f}", f"{s.hit_at_3:.3f}", f"{s.answered:.3f}",
            f"{s.refused:.3f}", f"{s.highlight:.3f}", f"{s.dense_hit_at_1:.3f} / {s.dense_hit_at_3:.3f}",
            f"{s.bm25_hit_at_1:.3f} / {s.bm25_hit_at_3:.3f}"]


def format_markdown(title: str, table: Sequence[PageScores]) -> str:
    header = ["page", *(label for label, _ in COLUMNS)]
    return f"**{title}**\n\n" + render(header, [[s.name, *_cells(s)] for s in table], markdown=True)


def _pooled(name: str, scored: Sequence[Judged], baselines: dict[str, dict[str, int | None]]) -> PageScores:
    rows, decisions, leads, highlights = ([x for part in scored for x in part[n]] for n in range(4))
    return score(name, rows, decisions, leads, highlights, baselines)


Train = Callable[[Sequence[Row], str], Models]


def leave_one_page_out(rows: Sequence[Row], model_id: str, train: Train) -> dict[str, Judged]:
    """Page → its question sets' rows, decisions, leads and highlights, each page judged by models learned from the
    other pages' rows (conversations' turns among them: ``Row.turn``)."""
    return {page: judge(train([r for r in rows if r.page != page], model_id),
                        [r for r in rows if r.page == page and not r.turn])
            for page in sorted({r.page for r in rows if r.page})}


def report(train_worlds: Sequence[World], held_worlds: Sequence[World], corpus_pages: set[str], model_id: str,
           train: Train, adapters: CrossFitted | None = None, turns: Sequence[LabelledQuestion] = ()) -> str:
    """The three tables of the quality report, as Markdown: rows examined with ``adapters`` (``rows_of``); the
    models learn from the training conversations' ``turns`` too (``alone_turns``), which count in no figure."""
    worlds = [*train_worlds, *held_worlds]
    # The corpus's own questions are in every world; as for their rows (``rows_of``), the first world's count.
    baselines = {mode: {k: v for w in reversed(worlds) for k, v in baseline_ranks(w, mode).items()}
                 for mode in ("dense", "bm25")}
    by_page = rows_of(train_worlds, "page", adapters, turns)
    lopo = leave_one_page_out(by_page, model_id, train)
    fixtures = {p: v for p, v in lopo.items() if p not in corpus_pages}
    tables = [format_markdown("Every page judged without its own labelled questions (leave one page out)", [
        *(score(p, *v, baselines) for p, v in lopo.items()),
        _pooled(f"fixture pages pooled ({len(fixtures)})", list(fixtures.values()), baselines)])]
    by_set = [r for r in rows_of(train_worlds[:1], "set", adapters) if r.page in corpus_pages]
    sets = sorted({r.question.source for r in by_set})
    set_scores = [judge(train([r for r in by_page if r.question.source != source], model_id),
                        [r for r in by_set if r.question.source == source]) for source in sets]
    tables.append(format_markdown(
        "The corpus's pages with their labelled questions, each set without its own (leave one set out)",
        [*(score(s, *v, baselines) for s, v in zip(sets, set_scores)), _pooled("all sets pooled", set_scores, baselines)]))
    if held_worlds:
        shipped = train(by_page, model_id)
        held = [r for r in rows_of(held_worlds, "page", adapters) if r.page not in corpus_pages]
        pages = sorted({r.page for r in held if r.page})
        scored = [judge(shipped, [r for r in held if r.page == p]) for p in pages]
        tables.append(format_markdown("Held-out pages, never tuned on (the model learned from every training page)", [
            *(score(p, *v, baselines) for p, v in zip(pages, scored)), _pooled("held-out pooled", scored, baselines)]))
    return "\n\n".join(tables)


def conversation_report(engines: Sequence[Engine], conversations: Sequence[LabelledConversation],
                        corpus_pages: set[str]) -> str:
    """The held-out pages' conversations, each asked in the world holding its page (``engines``: one per world,
    with every learned part the app uses), beside the dense-only and BM25-only baselines, as Markdown ("" when
    no conversation is about a page of those worlds). Conversations about the corpus's own pages are scored by
    ``ros1qa eval`` on the shipped index instead."""
    results: dict[str, list[TurnResult]] = {}
    count = 0
    for engine in engines:
        fixtures = {d.doc_id for d in engine.index.documents} - corpus_pages
        here = [c for c in conversations if named_document(c.page, engine) in fixtures]
        if not here:  # no plain baselines to build for a world without conversations
            continue
        count += len(here)
        for mode, turns in evaluate_conversation_modes(engine, here).items():
            results.setdefault(mode, []).extend(turns)
    if not count:
        return ""
    title = "Held-out pages' conversations, each in its page's world (the engine as it ships)"
    return (f"**{title}**\n\n{count} conversations, {len(results['hybrid'])} turns\n\n"
            + format_conversation_table(results, markdown=True))
