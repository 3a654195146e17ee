import pytest

from ros1qa.ask.answer import Answer, Quote
from ros1qa.learning.evaluation import EvalQuestion, check_floors, format_table, gold_rank, score

ANSWERED = Answer("q", "answered", "", (Quote("has gold one", "d", "T", "", "u", 1.0, 0, 12, ((0, 3),)),))
REFUSED = Answer("q", "not_found", "no")
URGENT = Answer("q", "urgent", "call")


def test_gold_match_ignores_kind_of_space():
    assert gold_rank(("ROS1+ Cancer page",), ["other", "our ROS1+ Cancer\u00a0page."]) == 2
    assert gold_rank(("absent",), ["text"]) is None


def test_scores_count_hits_answers_refusals_and_routing():
    questions = (
        EvalQuestion("a1", "answerable", "q1", ("gold one",)),
        EvalQuestion("a2", "answerable", "q2", ("gold two",)),
        EvalQuestion("u1", "unanswerable", "q3"),
        EvalQuestion("z1", "urgent", "q4"),
    )
    replies = {
        "q1": (ANSWERED, ["has gold one", "x"]),
        "q2": (REFUSED, ["x", "y", "gold two here"]),
        "q3": (ANSWERED, ["x"]),
        "q4": (URGENT, []),
    }
    result = score(questions, lambda q: replies[q.question])
    assert (result.hit_at_1, result.hit_at_3, result.mrr) == (0.5, 1.0, pytest.approx((1 + 1 / 3) / 2))
    assert (result.answered_rate, result.abstention_rate, result.urgent_routed) == (0.5, 0.0, 1.0)
    assert result.highlight_hit == 0.0  # "has" is marked, not "gold one"
    assert result.misses == ("a2", "u1")


def test_a_message_that_is_not_urgent_but_routed_is_a_false_alarm_and_nothing_else():
    questions = (EvalQuestion("a1", "answerable", "q1", ("gold one",)), EvalQuestion("u1", "unanswerable", "q2"),
                 EvalQuestion("n1", "not_urgent", "q3"), EvalQuestion("n2", "not_urgent", "q4"))
    replies = {"q1": (URGENT, []), "q2": (REFUSED, []), "q3": (URGENT, []), "q4": (REFUSED, [])}
    result = score(questions, lambda q: replies[q.question])
    assert result.false_alarms == 2 and result.misses == ("a1", "n1")
    assert (result.hit_at_1, result.answered_rate, result.abstention_rate) == (0.0, 0.0, 1.0)
    assert format_table({"hybrid": result}).splitlines()[-2].split() == ["routed,", "not", "urgent", "2"]


def test_floors_report_each_shortfall():
    result = score((EvalQuestion("a", "answerable", "q", ("g",)),), lambda q: (ANSWERED, ["g"]))
    assert check_floors(result, {"hit_at_1": 1.0, "mrr": 0.5}) == []
    assert check_floors(result, {"hit_at_1": 1.5}) == ["hit_at_1: 1.000 < 1.5"]


def test_threshold_sweep_counts_both_kinds_of_error():
    from ros1qa.learning.evaluation import sweep_thresholds

    rows = sweep_thresholds([("answerable", 0.6), ("answerable", 0.4), ("unanswerable", 0.5)], [0.3, 0.45, 0.7])
    assert [(r.wrongly_refused, r.wrongly_answered) for r in rows] == [(0, 1), (1, 1), (2, 0)]
