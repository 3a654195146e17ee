import math
import shutil
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest
from tests.conftest import FAKE_MODEL, REPO

from ros1qa.ask import highlight
from ros1qa.ask.answer_model import AnswerModel
from ros1qa.ask.engine import Engine, Sentences
from ros1qa.ask.pair_features import FEATURES
from ros1qa.index.indexing import build_index
from ros1qa.index.labels import LabelledQuestion
from ros1qa.index.store import load_index
from ros1qa.learning.conversation_scores import LabelledConversation, Turn
from ros1qa.learning.cross_pages import (
    SHOWN,
    Models,
    PageScores,
    conversation_report,
    decide,
    format_markdown,
    judge,
    leave_one_page_out,
    score,
)
from ros1qa.learning.learning import Row, Shown, highlight_holds, lead_of, train_highlighter, train_leader
from ros1qa.settings import Settings

DENSE = FEATURES.index("dense")


def _row(qid: str, kind: str, page: str, dense: Sequence[float] = (0.9,), gold_rank: int | None = 1,
         verdict: bool | None = None) -> Row:
    features = np.zeros((len(dense), len(FEATURES)))
    features[:, DENSE] = dense
    rank = gold_rank if kind == "answerable" else None
    shown = tuple(Shown(1.0 - n / 10, None, rank == n + 1) for n in range(min(len(dense), SHOWN)))
    return Row(LabelledQuestion(qid, kind, f"question {qid}", (), "set", page), page, features,  # type: ignore[arg-type]
               rank, verdict, page, shown=shown)


def _model(threshold: float = 0.5) -> AnswerModel:
    """Answers when the dense cosine is above 0.5."""
    weights = np.zeros(len(FEATURES))
    weights[DENSE] = 40.0
    return AnswerModel("m", np.zeros(len(FEATURES)), np.ones(len(FEATURES)), weights, -20.0, threshold, 1, ("p",))


def test_a_question_is_answered_when_a_shown_passage_is_sure_enough_or_a_labelled_paraphrase_says_so():
    model = _model()
    assert decide(model, _row("1", "answerable", "p", dense=(0.2, 0.7)))  # the second passage is sure enough
    assert not decide(model, _row("2", "answerable", "p", dense=(0.2,) * SHOWN + (0.9,)))  # only after the shown ones
    assert not decide(model, _row("3", "answerable", "p", dense=(0.9,), verdict=False))
    assert decide(model, _row("4", "answerable", "p", dense=(), verdict=True))
    assert not decide(model, _row("5", "answerable", "p", dense=()))


def test_page_scores_count_hits_answers_refusals_and_the_baselines():
    rows = [_row("a", "answerable", "p", gold_rank=1), _row("b", "answerable", "p", gold_rank=3),
            _row("c", "answerable", "p", gold_rank=None), _row("u", "unanswerable", "p")]
    baselines = {"dense": {"set:a": 2, "set:b": 1}, "bm25": {"set:a": 1, "set:c": 4}}
    scores = score("p", rows, [True, True, False, False], [True, False, False, False], [None] * 4, baselines)
    assert replace(scores, highlight=0.0) == PageScores("p", 3, 1, 1 / 3, 2 / 3, 2 / 3, 1.0, 1 / 3, 2 / 3, 1 / 3, 1 / 3, 0.0)
    assert math.isnan(scores.highlight)  # no row says whether its highlight held the gold
    empty = score("q", [_row("u", "unanswerable", "q")], [True], [False], [None], baselines)
    assert math.isnan(empty.hit_at_1) and empty.refused == 0.0


def test_every_page_is_judged_by_a_model_that_never_saw_its_questions():
    rows = [_row("1", "answerable", "a"), _row("2", "unanswerable", "a", dense=(0.1,)), _row("3", "answerable", "b"),
            _row("4", "answerable", "c", dense=(0.2,)), _row("5", "unanswerable", "", dense=(0.1,))]
    trained_on: list[list[str]] = []

    def train(part: Sequence[Row], model_id: str) -> Models:
        trained_on.append([r.question.qid for r in part])
        return Models(_model())

    turn = replace(_row("6", "answerable", "a"), turn=True)  # a conversation's turn about page a
    judged = leave_one_page_out([*rows, turn], "m", train)
    assert list(judged) == ["a", "b", "c"]  # a row without a page is only ever trained on
    # The turn teaches the models of the other pages, but counts in no page's figures.
    assert trained_on == [["3", "4", "5"], ["1", "2", "4", "5", "6"], ["1", "2", "3", "5", "6"]]
    assert judged["a"] == ([rows[0], rows[1]], [True, False], [True, False], [True, None])
    assert judged["c"] == ([rows[3]], [False], [True], [True])


def test_the_markdown_table_has_a_row_per_page_and_the_figures_beside_the_baselines():
    table = format_markdown("Title", [PageScores("p.txt", 3, 1, 1 / 3, 2 / 3, 1.0, 0.5, 0.25, 0.75, 0.0, 1.0, 0.9)])
    lines = table.splitlines()
    assert lines[0] == "**Title**" and lines[2].startswith("| page | answerable / unanswerable | hit@1 |")
    assert lines[4] == "| p.txt | 3 / 1 | 0.333 | 0.667 | 1.000 | 0.500 | 0.900 | 0.250 / 0.750 | 0.000 / 1.000 |"
    assert lines[3].count("---") == lines[2].count("|") - 1


@pytest.mark.parametrize("threshold", [0.5, 0.99])
def test_the_models_own_threshold_decides(threshold):
    row = _row("1", "answerable", "p", dense=(0.6,))  # probability ≈ 0.98
    assert decide(_model(threshold), row) is (threshold < 0.98)


def test_the_lead_pages_own_model_can_only_refuse_and_a_paraphrase_still_decides():
    model = _model()
    sure = _row("1", "answerable", "p")
    assert decide(model, replace(sure, covered=None)) and decide(model, replace(sure, covered=True))
    assert not decide(model, replace(sure, covered=False))  # the page says it does not answer such questions
    assert decide(model, replace(sure, covered=False, verdict=True))  # a labelled paraphrase says it does
    assert not decide(model, replace(_row("2", "answerable", "p", dense=(0.1,)), covered=True))  # never turns a refusal


def test_highlight_is_counted_over_answered_questions_led_by_their_gold_passage():
    rows = [_row(str(n), "answerable", "p") for n in range(4)]
    scores = score("p", rows, [True, True, True, False], [True] * 4, [True, False, None, True], {"dense": {}, "bm25": {}})
    assert scores.highlight == pytest.approx(0.5)  # 1 of the 2 answered with the gold passage first; 4 was refused
    assert "highlight holds gold" in format_markdown("t", [scores]) and "0.500" in format_markdown("t", [scores])


def _gold_sentences(texts: Sequence[str], marked: list[int], alone: Sequence[float]) -> Sentences:
    features = np.zeros((len(texts), len(highlight.FEATURES)))
    features[:, highlight.FEATURES.index("alone cosine")] = alone
    return Sentences(tuple((n, n + 1) for n in range(len(texts))), tuple(texts), features, marked)


def _highlighter() -> AnswerModel:
    """Marks the sentence read alone closest to the question."""
    weights = np.zeros(len(highlight.FEATURES))
    weights[highlight.FEATURES.index("alone cosine")] = 10.0
    count = len(highlight.FEATURES)
    return AnswerModel("m", np.zeros(count), np.ones(count), weights, 0.0, 0.5, 1, ("q",), highlight.FEATURES,
                       highlight.VERSION)


def test_the_highlight_holds_the_gold_when_a_marked_sentence_does_by_the_model_scored_with():
    question = LabelledQuestion("1", "answerable", "q", ("the gold",), "set", "p")
    sentences = _gold_sentences(["A lead-in:", "It is the gold.", "Other."], [0], [0.1, 0.9, 0.2])
    row = replace(_row("1", "answerable", "p"), question=question, shown=(Shown(1.0, sentences, True),))
    assert highlight_holds(row, None) is False  # as the world's engine marked it: the lead-in
    assert highlight_holds(row, _highlighter()) is True
    other = Shown(0.9, None, False)
    assert highlight_holds(replace(row, shown=(other, row.shown[0])), _highlighter()) is None  # another passage leads
    assert highlight_holds(replace(row, shown=(other, row.shown[0])), _highlighter(), 1) is True  # … unless it is led
    assert highlight_holds(replace(row, shown=(Shown(1.0, None, True),)), None) is True  # a passage of one sentence


def test_the_highlighter_learns_the_gold_sentence_against_its_passages_others():
    rows = []
    for n in range(20):
        question = LabelledQuestion(str(n), "answerable", "q", (f"gold {n}",), "set", "p")
        texts = [f"Before {n}.", f"Here is gold {n}.", f"After {n}."]
        sentences = _gold_sentences(texts, [0], [0.3 + n / 100, 0.6 + n / 100, 0.2])
        rows.append(replace(_row(str(n), "answerable", "p"), question=question, gold_sentences=sentences,
                            shown=(Shown(1.0, sentences, True),)))
    model = train_highlighter([*rows, _row("x", "answerable", "p")], "m")  # a row without sentences is skipped
    assert model.usable_with("m", highlight.FEATURES, highlight.VERSION) and model.questions == 60
    assert all(highlight_holds(r, model) for r in rows)


def _two_passages(n: int, second_answers: bool) -> Row:
    """A question whose first two passages shown differ in answering it: the answering one's sentence is read alone
    closer to the question (0.9 against 0.3)."""
    question = LabelledQuestion(str(n), "answerable", "q", (f"gold {n}",), "set", f"p{n % 4}")
    answering = _gold_sentences([f"Here is gold {n}.", "Other."], [1], [0.9, 0.1])
    not_answering = _gold_sentences(["Nothing.", "Other."], [0], [0.3, 0.1])
    first, second = (not_answering, answering) if second_answers else (answering, not_answering)
    shown = (Shown(1.0, first, not second_answers), Shown(0.9, second, second_answers))
    return replace(_row(str(n), "answerable", f"p{n % 4}", dense=(0.9, 0.8), gold_rank=2 if second_answers else 1),
                   question=question, shown=shown)


def test_the_lead_judgement_learns_which_passage_shown_answers_and_the_scores_follow_it():
    rows = [_two_passages(n, second_answers=n % 4 == 0) for n in range(40)]
    leader = train_leader(rows, _highlighter(), "m")
    assert leader is not None and leader.questions == 40 and leader.threshold == pytest.approx(0.75)
    assert [lead_of(r, _highlighter(), leader) for r in rows] == [int(r.shown[1].holds) for r in rows]
    assert all(lead_of(r, None, leader) == 0 and lead_of(r, _highlighter(), None) == 0 for r in rows)
    _, _, leads, highlights = judge(Models(_model(), _highlighter(), leader), rows)
    assert all(leads) and all(highlights)  # the answering passage leads, its gold sentence highlighted
    assert train_leader([r for r in rows if not r.shown[1].holds], _highlighter(), "m") is None  # one kind only


def test_a_row_whose_order_labelled_questions_settled_keeps_its_first_passage_and_teaches_no_lead():
    rows = [_two_passages(n, second_answers=n % 4 == 0) for n in range(40)]
    leader = train_leader(rows, _highlighter(), "m")
    voted = replace(rows[0], voted=True)
    assert lead_of(rows[0], _highlighter(), leader) == 1 and lead_of(voted, _highlighter(), leader) == 0
    fewer = train_leader([replace(r, voted=True) if n < 8 else r for n, r in enumerate(rows)], _highlighter(), "m")
    assert fewer is not None and fewer.questions == 32


def test_held_out_conversations_count_only_those_about_a_fixture_page_of_their_world(tmp_path, corpus_dir, embedder):
    page = REPO / "eval" / "pages" / "heldout" / "ros1-clinical-trials.txt"
    shutil.copy(page, corpus_dir / page.name)
    settings = Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "index", model=FAKE_MODEL)
    build_index(settings, embedder)
    engine = Engine(load_index(settings.index_dir), embedder, settings.retrieval)
    turns = (Turn("What is a clinical trial?", "answerable", False, ("a gold text",)), Turn("hi", "small_talk", False, ()))
    talks = [LabelledConversation("c1", turns, "f", "ros1-clinical-trials"),
             LabelledConversation("c2", turns, "f", "immunotherapy-and-ros1-cancer"),  # the corpus's own page
             LabelledConversation("c3", turns, "f", "a-page-of-another-world")]
    report = conversation_report([engine], talks, {"immunotherapy-and-ros1-cancer.txt"})
    assert "\n\n1 conversations, 2 turns\n\n" in report and "small talk" in report
    assert conversation_report([engine], talks[1:], {"immunotherapy-and-ros1-cancer.txt"}) == ""
