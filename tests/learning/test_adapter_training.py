import numpy as np

from ros1qa.learning.adapter_training import PageQuestions, WorldUnits, cross_fit, fit_adapter, gold_passages


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


# Two passages of one unit each. Questions read closer to the first passage, but the second answers them.
WORLD = {"w": WorldUnits(np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0)]), np.array([0, 1]))}
QUESTIONS = np.stack([_unit(1, 0.6, 0.1, 0), _unit(1, 0.7, 0, 0.1), _unit(1, 0.5, 0.1, 0.1)])


def test_the_map_learns_to_turn_questions_towards_the_passage_that_answers_them():
    adapter = fit_adapter([PageQuestions("p.txt", QUESTIONS, ((1,), (1,), (1,)), "w")], WORLD, "m")
    for question in QUESTIONS:
        assert question @ WORLD["w"].vectors[0] > question @ WORLD["w"].vectors[1]  # before: the wrong one is closer
        searched = adapter.apply(question)
        assert searched @ WORLD["w"].vectors[1] > searched @ WORLD["w"].vectors[0]
    assert (adapter.model_id, adapter.questions, adapter.pages) == ("m", 3, ("p.txt",))


def test_questions_already_answered_by_the_closest_passage_leave_the_map_near_the_identity():
    adapter = fit_adapter([PageQuestions("p.txt", QUESTIONS, ((0,), (0,), (0,)), "w")], WORLD, "m")
    for question in QUESTIONS:
        searched = adapter.apply(question)
        assert searched @ WORLD["w"].vectors[0] > searched @ WORLD["w"].vectors[1]
        assert float(searched @ question) > 0.95


def test_each_page_is_examined_with_a_map_that_never_learned_from_it():
    pages = [PageQuestions(f"p{n}.txt", QUESTIONS[:1], ((1,),), "w") for n in range(4)]
    fitted = cross_fit(pages, WORLD, "m", folds=2)
    assert fitted.shipped.pages == ("p0.txt", "p1.txt", "p2.txt", "p3.txt")
    for page in fitted.shipped.pages:
        assert page not in fitted.for_page(page).pages and fitted.for_page(page).pages
    assert fitted.for_page("the-corpus-page.txt") is fitted.shipped


def test_the_gold_passages_are_those_holding_a_gold_text():
    assert gold_passages(["Crizotinib is a pill.", "Lorlatinib too."], ("Crizotinib is a pill",)) == (0,)
