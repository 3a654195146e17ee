"""Score a question set: hit@1, hit@3, MRR, answered and abstention rates, urgent routing."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from ros1qa.ask.answer import Answer, Quote
from ros1qa.ask.engine import Engine, Mode
from ros1qa.ask.retrieval import surest
from ros1qa.index.labels import Kind, LabelledQuestion, holds_any
from ros1qa.tables import render

EvalQuestion = LabelledQuestion  # a question set's line: the same format as the corpus's labelled questions

@dataclass(frozen=True)
class EvalScores:
    answerable: int
    unanswerable: int
    urgent: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    answered_rate: float  # answerable questions given an answer (any passage)
    abstention_rate: float  # unanswerable questions refused
    urgent_routed: float
    highlight_hit: float  # of answers whose first passage holds the gold, share whose highlight holds it
    misses: tuple[str, ...]  # ids of questions handled wrongly, for reading
    false_alarms: int = 0  # messages that are not urgent (any other kind) routed as urgent
    small_talk: int = 0
    small_talk_rate: float = float("nan")  # small talk answered as small talk
    taken_for_small_talk: int = 0  # messages that are not small talk (any other kind) answered as small talk
    highlight_one: float = float("nan")  # of answered questions, share whose first passage marks one sentence only


def gold_rank(gold: tuple[str, ...], ranked_texts: list[str]) -> int | None:
    """1-based rank of the first passage that contains any gold text (None when none does)."""
    for rank, text in enumerate(ranked_texts, start=1):
        if holds_any(text, gold):
            return rank
    return None


def highlight_holds_gold(quote: Quote, gold: tuple[str, ...]) -> bool:
    """Whether the highlighted sentence(s) of a quote hold a gold string."""
    marked = " ".join(quote.text[start:end] for start, end in quote.highlight)
    return holds_any(marked, gold)


def score(questions: tuple[EvalQuestion, ...], ask: Callable[[EvalQuestion], tuple[Answer, list[str]]]) -> EvalScores:
    """``ask`` returns the answer and the ranked passage texts (ranking kept even when it abstains)."""
    answerable = [q for q in questions if q.kind == "answerable"]
    unanswerable = [q for q in questions if q.kind == "unanswerable"]
    urgent = [q for q in questions if q.kind == "urgent"]
    chat = [q for q in questions if q.kind == "small_talk"]
    hits1 = hits3 = answered = refused = routed = highlighted = highlightable = chatted = taken = single = 0
    reciprocal = 0.0
    misses: list[str] = []
    false_alarms = 0
    for q in questions:
        answer, ranked = ask(q)
        if q.kind != "urgent" and answer.status == "urgent":
            false_alarms += 1
            misses.append(q.qid)
            continue
        if q.kind == "small_talk":
            chatted += answer.status == "small_talk"
            if answer.status != "small_talk":
                misses.append(q.qid)
            continue
        if answer.status == "small_talk":
            taken += 1
            misses.append(q.qid)
            continue
        if q.kind == "answerable":
            rank = gold_rank(q.gold, ranked)
            hits1 += rank == 1
            hits3 += rank is not None and rank <= 3
            reciprocal += 1 / rank if rank else 0.0
            answered += answer.status == "answered"
            single += answer.status == "answered" and len(answer.quotes[0].highlight) == 1
            if rank == 1 and answer.status == "answered":
                highlightable += 1
                highlighted += highlight_holds_gold(answer.quotes[0], q.gold)
            if rank != 1 or answer.status != "answered":
                misses.append(q.qid)
        elif q.kind == "unanswerable":
            refused += answer.status == "not_found"
            if answer.status != "not_found":
                misses.append(q.qid)
        elif q.kind == "urgent":
            routed += answer.status == "urgent"
            if answer.status != "urgent":
                misses.append(q.qid)

    def share(count: float, total: int) -> float:
        return count / total if total else float("nan")

    return EvalScores(
        len(answerable), len(unanswerable), len(urgent),
        share(hits1, len(answerable)), share(hits3, len(answerable)), share(reciprocal, len(answerable)),
        share(answered, len(answerable)), share(refused, len(unanswerable)), share(routed, len(urgent)),
        share(highlighted, highlightable), tuple(misses), false_alarms, len(chat), share(chatted, len(chat)), taken,
        share(single, answered),
    )


METRICS = (
    ("hit@1", "hit_at_1"),
    ("hit@3", "hit_at_3"),
    ("MRR", "mrr"),
    ("answered (answerable)", "answered_rate"),
    ("refused (unanswerable)", "abstention_rate"),
    ("urgent routed", "urgent_routed"),
    ("highlight holds gold", "highlight_hit"),
    ("highlight one sentence", "highlight_one"),
    ("small talk as such", "small_talk_rate"),
)


def format_table(results: dict[str, EvalScores], markdown: bool = False) -> str:
    """The counts, then a table with one column per system (plain text, or Markdown)."""
    names = list(results)
    first = next(iter(results.values()))
    counts = (f"{first.answerable} answerable, {first.unanswerable} unanswerable, {first.urgent} urgent, "
              f"{first.small_talk} small talk")
    rows = [[label, *(_figure(getattr(results[n], attribute)) for n in names)] for label, attribute in METRICS]
    rows.append(["routed, not urgent", *(str(results[n].false_alarms) for n in names)])
    rows.append(["taken for small talk", *(str(results[n].taken_for_small_talk) for n in names)])
    return counts + ("\n\n" if markdown else "\n") + render(["metric", *names], rows, markdown)


def _figure(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"  # "—": the set has no question of that kind


def evaluate_modes(hybrid: Engine, questions: tuple[EvalQuestion, ...]) -> dict[str, EvalScores]:
    """Scores for ros1qa (hybrid) and its dense-only and BM25-only baselines, sharing one index and model."""
    results: dict[str, EvalScores] = {}
    for mode in ("hybrid", "dense", "bm25"):
        engine = hybrid if mode == "hybrid" else plain_engine(hybrid, mode)  # type: ignore[arg-type]

        def ask(question: EvalQuestion, engine: Engine = engine) -> tuple[Answer, list[str]]:
            answer, ranked = fairly(engine, question).respond(question.question)
            return answer, [engine.index.passages[r.passage].text for r in ranked]

        results[mode] = score(questions, ask)
    return results


def plain_engine(hybrid: Engine, mode: Mode) -> Engine:
    """A baseline over ``hybrid``'s index and model: a plain retriever with one signal, no glossary, spelling
    or labelled questions, that always shows its top passage."""
    plain = replace(hybrid.settings, dense_weight=1.0 if mode == "dense" else 0.0, min_confidence=-math.inf)
    return Engine(hybrid.index, hybrid.embedder, plain, hybrid.max_question_chars, mode)


def fairly(engine: Engine, question: EvalQuestion) -> Engine:
    """The engine to score ``question`` with: without the example questions of its own set."""
    return engine.leaving_out([question.source]) if engine.examples is not None and question.source else engine


def check_floors(scores: EvalScores, floors: dict[str, float]) -> list[str]:
    """Each metric below its floor, as 'name: value < floor'."""
    return [
        f"{name}: {getattr(scores, name):.3f} < {floor}"
        for name, floor in floors.items()
        if not getattr(scores, name) >= floor
    ]


@dataclass(frozen=True)
class SweepRow:
    threshold: float
    wrongly_refused: int  # answerable questions whose best confidence is below the threshold
    wrongly_answered: int  # unanswerable questions whose best confidence reaches it


def sweep_thresholds(confidences: list[tuple[Kind, float]], thresholds: list[float]) -> list[SweepRow]:
    """Abstention errors at each candidate threshold, from (kind, best confidence) per question."""
    return [
        SweepRow(
            t,
            sum(1 for kind, c in confidences if kind == "answerable" and c < t),
            sum(1 for kind, c in confidences if kind == "unanswerable" and c >= t),
        )
        for t in thresholds
    ]


def best_confidences(engine: Engine, questions: tuple[EvalQuestion, ...]) -> list[tuple[Kind, float]]:
    """For every non-urgent question that reaches retrieval, the best confidence among the passages it
    would show: what the threshold is held against."""
    found = []
    for q in questions:
        if q.kind == "urgent":
            continue
        scored = fairly(engine, q)
        answer, ranked = scored.respond(q.question)
        if answer.status != "urgent":
            found.append((q.kind, surest(ranked, scored.settings)))
    return found


def format_sweep(rows: list[SweepRow], current: float) -> str:
    lines = [f"{'threshold':>10} {'answerable refused':>19} {'unanswerable answered':>22}"]
    for row in rows:
        mark = "  ← current" if abs(row.threshold - current) < 1e-9 else ""
        lines.append(f"{row.threshold:>10.2f} {row.wrongly_refused:>19} {row.wrongly_answered:>22}{mark}")
    return "\n".join(lines)
