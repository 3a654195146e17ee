import math
from dataclasses import astuple, replace

import numpy as np
import pytest

from ros1qa.ask.engine import Engine
from ros1qa.index.examples import (
    FLOOR,
    NEIGHBOURS,
    PAGE_MINIMUM,
    SAME_QUESTION,
    VERDICT,
    WEIGHT,
    ExampleQuestions,
    ExampleScale,
    load_examples,
    load_scale,
    make_examples,
    save_examples,
    save_scale,
)
from ros1qa.index.labels import LabelledQuestion, Resolved
from ros1qa.learning.evaluation import fairly


def _examples(vectors: list[list[float]], sources: list[str], answerable: list[bool],
              pairs: list[tuple[int, int]]) -> ExampleQuestions:
    return ExampleQuestions(np.array(vectors, dtype=np.float32), np.array(sources), np.array(answerable, dtype=bool),
                            np.array([e for e, _ in pairs], dtype=np.int32), np.array([p for _, p in pairs], dtype=np.int32))


def _vote(cosine: float) -> float:
    return WEIGHT * (cosine - FLOOR) / NEIGHBOURS


def _at(cosine: float) -> list[float]:
    """A unit vector at ``cosine`` from (1, 0, 0)."""
    return [cosine, float(np.sqrt(1 - cosine**2)), 0.0]


def test_only_the_nearest_answerable_examples_vote_and_only_above_the_floor():
    cosines = [1.0 - (1.0 - FLOOR) * n / (NEIGHBOURS + 1) for n in range(NEIGHBOURS + 1)]  # all above the floor
    vectors = [_at(1.0)] + [_at(c) for c in cosines]  # first an unanswerable one, as near as can be
    examples = _examples(vectors, ["a"] * len(vectors), [False] + [True] * len(cosines),
                         [(n + 1, 10 + n) for n in range(len(cosines))] + [(1, 20)])
    votes = examples.votes(np.array([1.0, 0.0, 0.0]))
    # The unanswerable example neither votes nor takes a place; the last answerable one is not among the nearest.
    assert votes.keys() == {20} | {10 + n for n in range(NEIGHBOURS)}
    assert votes[10] == votes[20] == pytest.approx(_vote(1.0))  # the nearest is answered by passages 10 and 20
    assert [votes[10 + n] for n in range(1, NEIGHBOURS)] == pytest.approx([_vote(c) for c in cosines[1:NEIGHBOURS]])
    assert examples.votes(np.array([0.0, 0.0, 1.0])) == {}  # unlike every example: retrieval alone decides
    single = _examples([[1, 0]], ["a"], [True], [(0, 3)])
    for cosine, found in ((FLOOR - 0.01, {}), (FLOOR + 0.01, {3: pytest.approx(_vote(FLOOR + 0.01))})):
        assert single.votes(np.array([cosine, np.sqrt(1 - cosine**2)])) == found


def test_the_closest_labelled_question_gives_its_verdict_only_when_it_is_a_near_paraphrase():
    examples = _examples([[1, 0, 0], [0, 1, 0]], ["a", "a"], [True, False], [(0, 3)])
    assert examples.verdict(np.array([1.0, 0.0, 0.0])) is True
    assert examples.verdict(np.array([0.0, 1.0, 0.0])) is False
    for cosine, verdict in ((VERDICT + 0.01, True), (VERDICT - 0.01, None)):  # the rest of the query is off both
        assert examples.verdict(np.array([cosine, 0.0, np.sqrt(1 - cosine**2)])) is verdict
    twins = _examples([[1, 0, 0], [0.96, 0.28, 0]], ["a", "a"], [False, True], [(1, 3)])  # both near paraphrases
    assert twins.verdict(np.array([0.96, 0.28, 0.0])) is True and twins.verdict(np.array([1.0, 0.0, 0.0])) is False
    assert _examples([], [], [], []).verdict(np.array([1.0, 0.0, 0.0])) is None


def test_not_answered_holds_on_its_own_page_and_for_nearly_the_same_question():
    examples = replace(_examples([[1, 0, 0], [0, 1, 0]], ["a", "a"], [True, False], [(0, 3)]),
                       pages=np.array(["seed.txt", "seed.txt"]))
    like = (VERDICT + SAME_QUESTION) / 2  # a near paraphrase of the near miss, not the same question
    alike, same = np.array([0.0, like, np.sqrt(1 - like**2)]), np.array([0.0, 1.0, 0.0])
    assert examples.verdict(alike, "seed.txt") is False  # the answer would be quoted from the page it was said of
    assert examples.verdict(alike) is False  # no lead page known: the label holds
    assert examples.verdict(alike, "added-later.txt") is None  # another page may answer it: the answer model judges
    assert examples.verdict(same, "added-later.txt") is False  # nearly the same question: the label holds anywhere
    assert examples.verdict(np.array([1.0, 0.0, 0.0]), "added-later.txt") is True  # an answer is in the corpus
    unknown_page = replace(examples, pages=np.array(["seed.txt", ""]))
    assert unknown_page.verdict(alike, "added-later.txt") is False


def test_leaving_a_set_out_removes_its_examples_and_keeps_the_others_answers():
    examples = _examples([[1, 0, 0], [0, 1, 0], [0, 0, 1]], ["a", "b", "a"], [True, True, False],
                         [(0, 1), (1, 2), (1, 3)])
    left = examples.without(["a"])
    assert left.sources.tolist() == ["b"] and left.answerable.tolist() == [True]
    assert left.answer_example.tolist() == [0, 0] and left.answer_passage.tolist() == [2, 3]
    assert set(left.votes(np.array([0.0, 1.0, 0.0]))) == {2, 3} and left.votes(np.array([1.0, 0.0, 0.0])) == {}
    assert examples.verdict(np.array([0.0, 0.0, 1.0])) is False
    assert left.verdict(np.array([0.0, 0.0, 1.0])) is None  # the unanswerable one of set a is gone
    assert len(examples.without(["a", "b"]).vectors) == 0


def test_a_builds_examples_are_its_resolved_questions_with_their_passages():
    questions = (LabelledQuestion("1", "answerable", "q1", ("g",), "a"), LabelledQuestion("2", "unanswerable", "q2", (), "a"),
                 LabelledQuestion("3", "answerable", "q3", ("h",), "b"))
    examples = make_examples(Resolved(questions, ((3, 4), (), (7,)), ()), np.eye(3, 4), ["p.txt", "p.txt", "q.txt"])
    assert examples.vectors.dtype == np.float32 and examples.vectors.shape == (3, 4)
    assert examples.pages.tolist() == ["p.txt", "p.txt", "q.txt"] and len(examples.model_pages) == 0  # too few for a model
    assert examples.sources.tolist() == ["a", "a", "b"] and examples.answerable.tolist() == [True, False, True]
    assert examples.answer_example.tolist() == [0, 0, 2] and examples.answer_passage.tolist() == [3, 4, 7]


def _page_examples(axis_of_answered: int, page: str = "p.txt") -> ExampleQuestions:
    """Labelled questions of one page: those along ``axis_of_answered`` answerable, those along the other axis not."""
    rng = np.random.default_rng(0)
    yes = np.eye(4)[axis_of_answered] + 0.05 * rng.standard_normal((PAGE_MINIMUM[0], 4))
    no = np.eye(4)[1 - axis_of_answered] + 0.05 * rng.standard_normal((PAGE_MINIMUM[1], 4))
    questions = tuple(LabelledQuestion(str(n), "answerable" if n < len(yes) else "unanswerable", f"q{n}", ("g",), f"set{n % 2}")
                      for n in range(len(yes) + len(no)))
    found = tuple((0,) if q.kind == "answerable" else () for q in questions)
    return make_examples(Resolved(questions, found, ()), np.vstack([yes, no]), [page] * len(questions))


def test_a_page_with_enough_labelled_questions_learns_what_it_answers_and_judges_only_its_own_questions():
    examples = _page_examples(axis_of_answered=0)
    assert examples.model_pages.tolist() == ["p.txt"]
    assert examples.covers(np.array([1.0, 0, 0, 0]), "p.txt") is True
    assert examples.covers(np.array([0, 1.0, 0, 0]), "p.txt") is False  # like its unanswerable questions
    assert examples.covers(np.array([0, 1.0, 0, 0]), "other.txt") is None  # a page without a model is not judged
    assert examples.without(["set0", "set1"]).model_pages.tolist() == []  # relearned without the left-out sets


def test_the_page_model_survives_saving(tmp_path):
    examples = _page_examples(axis_of_answered=0)
    save_examples(examples, tmp_path / "e.npz")
    loaded = load_examples(tmp_path / "e.npz")
    assert loaded is not None and loaded.model_pages.tolist() == ["p.txt"]
    for vector in np.eye(4):
        assert loaded.covers(vector, "p.txt") == examples.covers(vector, "p.txt")


def test_examples_survive_saving(tmp_path):
    examples = _examples([[1, 0], [0, 1]], ["a", "b"], [True, False], [(0, 1), (0, 2)])
    save_examples(examples, tmp_path / "e.npz")
    loaded = load_examples(tmp_path / "e.npz")
    assert loaded is not None and np.array_equal(loaded.vectors, examples.vectors)
    assert loaded.sources.tolist() == ["a", "b"] and loaded.answerable.tolist() == [True, False]
    assert loaded.answer_example.tolist() == [0, 0] and loaded.answer_passage.tolist() == [1, 2]
    assert load_examples(tmp_path / "missing.npz") is None


QUESTION = "What is immunotherapy?"
PARAPHRASE = "So what is immunotherapy?"
ALIKE = "So then, what is immunotherapy?"  # like QUESTION, less than PARAPHRASE is


def _plain(fake_engine: Engine, **settings: float) -> Engine:
    """The fake engine without any labelled questions."""
    return Engine(replace(fake_engine.index, examples=None), fake_engine.embedder,
                  replace(fake_engine.settings, **settings))


def _labelled(engine: Engine, kind: str, passage: int | None, copies: int = 1) -> ExampleQuestions:
    """``copies`` labelled questions "What is immunotherapy?" of set "own", answered by ``passage``."""
    questions = tuple(LabelledQuestion(str(n), kind, QUESTION, (), "own") for n in range(copies))  # type: ignore[arg-type]
    found = tuple((passage,) if passage is not None else () for _ in questions)
    return make_examples(Resolved(questions, found, ()), engine.vectors([q.question for q in questions]),
                         [""] * len(questions))


def _with(fake_engine: Engine, examples: ExampleQuestions, **settings: float) -> Engine:
    return Engine(replace(fake_engine.index, examples=examples), fake_engine.embedder,
                  replace(fake_engine.settings, **settings))


def test_a_near_paraphrase_of_a_labelled_question_leads_with_its_passage_and_is_answered(fake_engine):
    plain = _plain(fake_engine)
    ranked, vector = plain.rank(PARAPHRASE)
    reach = ranked[0].score - fake_engine.settings.vote_reach
    within = [r.passage for r in ranked[1:] if r.score >= reach]
    assert within, "the test needs a passage second by retrieval, within reach of the best"
    target = within[0]
    examples = _labelled(plain, "answerable", target)
    assert float(examples.vectors[0] @ vector) >= VERDICT  # a near paraphrase, not the same words
    engine = _with(fake_engine, examples, min_confidence=math.inf)  # the confidences alone would refuse every question
    answer, reranked = engine.respond(PARAPHRASE)
    assert reranked[0].passage == target and answer.status == "answered"
    assert answer.quotes[0].start == fake_engine.index.passages[target].start
    assert {r.passage: r.confidence for r in reranked} == {r.passage: r.confidence for r in ranked}  # votes only order
    assert engine.leaving_out(["own"]).rank(PARAPHRASE)[0] == ranked  # without its examples: as before


def test_a_near_paraphrase_of_a_question_labelled_unanswerable_is_refused_with_its_ranking(fake_engine):
    answering = _plain(fake_engine, min_confidence=-math.inf)
    answered, ranked = answering.respond(PARAPHRASE)
    assert answered.status == "answered"
    engine = _with(fake_engine, _labelled(answering, "unanswerable", None), min_confidence=-math.inf)
    refused, kept = engine.respond(PARAPHRASE)
    assert refused.status == "not_found" and kept == ranked
    assert engine.ask("Are ROS1+ patients unlikely to respond to immunotherapy?").status == "answered"  # not alike


def test_a_near_miss_labelled_about_another_page_leaves_the_answer_to_the_answer_model(fake_engine):
    """A page added later may answer what was labelled unanswerable about another page."""
    answering = _plain(fake_engine, min_confidence=-math.inf)
    lead_page = fake_engine.index.passages[answering.respond(ALIKE)[1][0].passage].doc_id
    labelled = _labelled(answering, "unanswerable", None)
    assert VERDICT <= float(labelled.vectors[0] @ answering.rank(ALIKE)[1]) < SAME_QUESTION  # alike, not the same
    elsewhere = _with(fake_engine, replace(labelled, pages=np.array(["another-page.txt"])), min_confidence=-math.inf)
    assert elsewhere.respond(ALIKE)[0].status == "answered"
    here = _with(fake_engine, replace(labelled, pages=np.array([lead_page])), min_confidence=-math.inf)
    assert here.respond(ALIKE)[0].status == "not_found"


def test_votes_reach_only_passages_that_retrieval_ranks_near_its_best(fake_engine):
    plain = _plain(fake_engine)
    ranked = plain.rank(QUESTION)[0]
    far = ranked[-1]
    assert far.score < ranked[0].score - fake_engine.settings.vote_reach
    examples = _labelled(plain, "answerable", far.passage, copies=NEIGHBOURS)  # the strongest vote examples can give
    assert [r.passage for r in _with(fake_engine, examples).rank(QUESTION)[0]] == [r.passage for r in ranked]
    assert _with(fake_engine, examples, vote_reach=math.inf).rank(QUESTION)[0][0].passage == far.passage


def test_a_set_is_scored_without_its_own_examples_and_the_baselines_use_none(fake_engine):
    engine = _with(fake_engine, _labelled(fake_engine, "answerable", 0))
    assert len(fairly(engine, LabelledQuestion("1", "answerable", QUESTION, (), "own")).examples.vectors) == 0
    assert len(fairly(engine, LabelledQuestion("1", "answerable", QUESTION, (), "other")).examples.vectors) == 1
    dense = Engine(engine.index, engine.embedder, engine.settings, mode="dense")
    assert dense.examples is None and dense.reader is None


def test_the_engine_uses_the_labelled_questions_its_index_was_built_with(fake_engine):
    assert fake_engine.examples is fake_engine.index.examples is not None
    summary = fake_engine.index.manifest["labelled_questions"]
    assert len(fake_engine.examples.vectors) == summary["answerable"] + summary["unanswerable"] > 0


def test_a_models_own_scale_sets_where_examples_vote_and_give_their_verdict():
    scale = ExampleScale(floor=0.3, verdict=0.45, same_question=0.8)
    examples = replace(_examples([[1, 0, 0], [0, 1, 0]], ["a", "b"], [True, False], [(0, 3)]), scale=scale)
    def at(cosine: float) -> np.ndarray:  # from the answerable example, off the other
        return np.array([cosine, 0.0, np.sqrt(1 - cosine**2)])

    assert examples.votes(at(0.4)) == {3: pytest.approx(WEIGHT * (0.4 - 0.3) / NEIGHBOURS)}  # below the bundled floor
    assert replace(examples, scale=ExampleScale()).votes(at(0.4)) == {}
    assert examples.verdict(at(0.5)) is True and examples.verdict(at(0.4)) is None
    assert examples.without(["b"]).scale == scale  # a set scored without its own questions keeps the model's scale


def test_a_scale_is_carried_over_by_quantile_to_a_model_that_spreads_cosines_otherwise():
    reference = np.random.default_rng(0).uniform(-0.2, 1.0, 200_000)
    carried = ExampleScale().carried_over(reference, 0.8 * reference - 0.05)  # the same pairs, read lower
    for bundled, other in zip(astuple(ExampleScale()), astuple(carried)):
        assert other == pytest.approx(0.8 * bundled - 0.05, abs=0.005)
    same = ExampleScale().carried_over(reference, reference)
    assert astuple(same) == pytest.approx(astuple(ExampleScale()), abs=0.005)


def test_a_learned_scale_is_read_only_for_its_own_model(tmp_path):
    path = tmp_path / "example_scale.json"
    assert load_scale("m", path) is None
    save_scale(ExampleScale(0.5, 0.6, 0.75), "m", path)
    assert load_scale("m", path) == ExampleScale(0.5, 0.6, 0.75) and load_scale("other", path) is None


def test_the_scale_is_saved_with_the_examples_only_when_it_is_a_models_own(tmp_path):
    examples = _examples([[1, 0], [0, 1]], ["a", "b"], [True, False], [(0, 1)])
    save_examples(examples, tmp_path / "bundled.npz")
    assert "scale" not in np.load(tmp_path / "bundled.npz").files  # the bundled model's builds stay as they were
    save_examples(replace(examples, scale=ExampleScale(0.5, 0.6, 0.75)), tmp_path / "own.npz")
    assert load_examples(tmp_path / "own.npz").scale == ExampleScale(0.5, 0.6, 0.75)
    assert load_examples(tmp_path / "bundled.npz").scale == ExampleScale()
