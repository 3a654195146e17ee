"""Learning across pages, with the fake embedder: worlds of pages and labelled questions, rows, the answer model."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import FAKE_MODEL, REPO, HashingEmbedder

from ros1qa.ask.answer_model import page_weights, train_answer_model
from ros1qa.ask.pair_features import FEATURES
from ros1qa.ask.question_prior import out_of_page
from ros1qa.index.glossary import GLOSSARY_FILE
from ros1qa.index.labels import LABELLED_DIR, LabelledQuestion
from ros1qa.learning import learning
from ros1qa.learning.conversation_scores import LabelledConversation, Turn
from ros1qa.learning.learning import (
    Row,
    World,
    adapter_data,
    alone_turns,
    answer_left_out,
    examine_all,
    learn_adapters,
    left_out_threshold,
    make_world,
    open_world,
    open_worlds,
    page_groups,
    page_of,
    rows_of,
    train_on,
    world_questions,
)
from ros1qa.settings import Settings

SEED = "immunotherapy-and-ros1-cancer.txt"
OTHER = "managing-tki-side-effects.txt"
ASKED = "Is immunotherapy a good first treatment for my ROS1 cancer?"  # the same question in two sets about the seed


def _write(path: Path, *items: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus (the seed page, its glossary, two labelled sets) and a training folder (one page group)."""
    corpus, training = tmp_path / "corpus", tmp_path / "training"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / SEED, corpus / SEED)
    shutil.copy(REPO / "corpus" / GLOSSARY_FILE, corpus / GLOSSARY_FILE)
    first = {"id": "a1", "kind": "answerable", "q": ASKED, "gold": ["should NOT be used as first-line"], "page": SEED}
    _write(corpus / LABELLED_DIR / "a.jsonl", first,
           {"id": "a2", "kind": "unanswerable", "q": "What does crizotinib cost in Canada?", "page": SEED},
           {"id": "a3", "kind": "urgent", "q": "I can't breathe"})
    _write(corpus / LABELLED_DIR / "b.jsonl", first | {"id": "b1"},
           {"id": "b2", "kind": "answerable", "q": "Who died in the trial?", "gold": ["two patients died"]})
    (training / "pages" / "b").mkdir(parents=True)
    shutil.copy(REPO / "training" / "pages" / "b" / OTHER, training / "pages" / "b" / OTHER)
    (training / "pages" / "notes.txt").write_text("a file, not a group\n", encoding="utf-8")
    _write(training / "questions" / "other.jsonl",
           {"id": "o1", "kind": "answerable", "q": "What is the usual dose of crizotinib?",
            "gold": ["Crizotinib (Xalkori) is usually taken as 250 mg twice a day."], "page": OTHER},
           {"id": "o2", "kind": "unanswerable", "q": "Can I get crizotinib for my dog?", "page": OTHER},
           {"id": "o3", "kind": "answerable", "q": "Is a page elsewhere?", "gold": ["x"], "page": "elsewhere.txt"})
    return corpus, training


def test_a_world_holds_the_pages_of_every_folder_the_labelled_files_and_the_glossary(tmp_path, folders):
    corpus, training = folders
    world = make_world(tmp_path / "world" / "corpus", [corpus, training / "pages" / "b"],
                       [corpus / LABELLED_DIR, training / "questions"], corpus / GLOSSARY_FILE)
    assert sorted(p.name for p in world.iterdir() if p.is_file()) == sorted([GLOSSARY_FILE, OTHER, SEED])
    assert sorted(p.name for p in (world / LABELLED_DIR).iterdir()) == ["a.jsonl", "b.jsonl", "other.jsonl"]
    again = make_world(world, [corpus], [], None)  # made afresh: nothing left from before
    assert sorted(p.name for p in again.rglob("*") if p.is_file()) == [SEED]
    assert page_groups(training / "pages") == [training / "pages" / "b"] and page_groups(tmp_path / "none") == []


@pytest.fixture
def worlds(tmp_path, folders):
    corpus, training = folders
    return open_worlds(corpus, page_groups(training / "pages"), [training / "questions"], Settings(model=FAKE_MODEL),
                       HashingEmbedder(), tmp_path / "work")


def test_a_worlds_questions_are_those_about_its_pages(worlds):
    (world,) = worlds
    assert world.engine.answer_model is None and world.engine.examples is not None
    assert [q.key for q in world.questions] == ["a:a1", "a:a2", "a:a3", "b:b1", "b:b2", "other:o1", "other:o2"]


def test_a_question_naming_its_page_without_the_suffix_is_about_that_page(tmp_path, folders):
    corpus, _ = folders
    _write(corpus / LABELLED_DIR / "slug.jsonl", {"id": "s1", "q": "What is the dose?", "kind": "unanswerable",
                                                   "page": SEED.removesuffix(".txt")})
    world = open_world(make_world(tmp_path / "w" / "corpus", [corpus], [corpus / LABELLED_DIR], None),
                       Settings(model=FAKE_MODEL), HashingEmbedder())
    assert "slug:s1" in [q.key for q in world_questions(world, tmp_path / "w" / "corpus")]


def test_a_questions_page_is_as_labelled_else_the_one_holding_its_gold(worlds):
    engine = worlds[0].engine
    assert page_of(LabelledQuestion("1", "answerable", "q", ("anything",), "s", OTHER), engine) == OTHER
    # Named without the file's suffix, as the build accepts it: the same page, not a page of its own.
    assert page_of(LabelledQuestion("1", "unanswerable", "q", (), "s", OTHER.removesuffix(".txt")), engine) == OTHER
    assert page_of(LabelledQuestion("1", "answerable", "q", ("two patients died",), "s"), engine) == SEED
    assert page_of(LabelledQuestion("1", "unanswerable", "q", (), "s"), engine) == ""


def _rows(worlds, leave_out) -> dict[str, Row]:
    return {r.question.key: r for r in examine_all(worlds[0].engine, worlds[0].questions, leave_out)}


def test_each_labelled_question_is_examined_without_its_own_set_or_without_every_set_about_its_page(worlds):
    by_set, by_page = _rows(worlds, "set"), _rows(worlds, "page")
    assert by_set.keys() == by_page.keys() == {"a:a1", "a:a2", "b:b1", "b:b2", "other:o1", "other:o2"}  # not urgent
    assert by_set["a:a1"].verdict is True  # set b holds the same question: it says answerable
    assert by_page["a:a1"].verdict is None  # both sets ask about the seed page: neither helps
    row = by_page["other:o1"]
    assert (row.page, row.lead_page, row.gold_rank) == (OTHER, OTHER, 1)
    assert row.features.shape == (worlds[0].engine.settings.judged, len(FEATURES))
    assert by_page["a:a2"].gold_rank is None and by_page["b:b2"].page == SEED


def test_a_row_holds_the_passages_an_answer_would_show_in_ranked_order(worlds):
    engine = worlds[0].engine
    for row in _rows(worlds, "page").values():
        scores = [s.score for s in row.shown]
        assert len(row.shown) == min(engine.settings.shown, len(row.features)) and scores == sorted(scores, reverse=True)
        before_gold = len(row.shown) if row.gold_rank is None else row.gold_rank - 1
        assert not any(s.holds for s in row.shown[:before_gold])
        if before_gold < len(row.shown):
            assert row.shown[before_gold].holds and row.gold_sentences is row.shown[before_gold].sentences


def test_the_query_adapter_learns_from_the_fixture_pages_answerable_questions_not_the_corpus_pages(worlds, folders):
    corpus, _ = folders
    pages, units = adapter_data(worlds, {SEED})
    engine = worlds[0].engine
    (page,) = pages  # o1 only: o2 is unanswerable, o3's page is in no world, the seed's questions are skipped
    assert (page.page, page.world, page.vectors.shape) == (OTHER, worlds[0].name, (1, engine.index.vectors.d))
    assert [engine.index.passages[n].doc_id for n in page.gold[0]] == [OTHER]
    assert units[worlds[0].name].vectors.shape == (engine.index.vectors.ntotal, engine.index.vectors.d)
    fitted = learn_adapters(worlds, corpus, FAKE_MODEL)
    assert fitted.shipped.pages == (OTHER,) and fitted.for_page(OTHER).pages == () and fitted.for_page(SEED) is fitted.shipped


def test_rows_are_examined_with_the_adapter_that_never_learned_from_their_page(worlds, folders):
    corpus, _ = folders
    fitted = learn_adapters(worlds, corpus, FAKE_MODEL)
    plain, crossed = _rows(worlds, "page"), {r.question.key: r for r in rows_of(worlds, "page", fitted)}
    # o1's fold left out its only page: the identity, so its row is the plain one; the seed's get the shipped map
    assert np.allclose(crossed["other:o1"].features, plain["other:o1"].features)
    assert crossed.keys() == plain.keys()
    assert not np.allclose(crossed["b:b2"].features, plain["b:b2"].features)


def test_rows_of_several_worlds_count_the_corpus_questions_once(tmp_path, folders, worlds):
    corpus, _ = folders
    folder = make_world(tmp_path / "second" / "corpus", [corpus], [corpus / LABELLED_DIR], None)
    second = open_world(folder, Settings(model=FAKE_MODEL), HashingEmbedder())
    both = [worlds[0], World("second", second, world_questions(second, folder), folder)]
    keys = [r.question.key for r in rows_of(both, "page")]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 6


def _talk(cid: str, page: str, *turns: Turn) -> LabelledConversation:
    return LabelledConversation(cid, turns, "talks", page)


OPENING = Turn("How much crizotinib do people take?", "answerable", False,
               ("Crizotinib (Xalkori) is usually taken as 250 mg twice a day.",))
DIED = Turn("Did anybody die in that trial?", "answerable", False, ("two patients died",))


def test_a_conversations_self_contained_question_turns_are_labelled_questions_about_its_page():
    talk = _talk("c1", "managing-tki-side-effects", OPENING, Turn("and if I miss one?", "answerable", True, ("x",)),
                 Turn("thanks", "small_talk", False, ()), Turn("Can my dog have it?", "unanswerable", False, ()),
                 Turn("why not?", "unanswerable", True, ()), Turn("I can't breathe", "urgent", False, ()))
    assert alone_turns([talk]) == [
        LabelledQuestion("c1.0", "answerable", OPENING.question, OPENING.gold, "conversations/talks", talk.page),
        LabelledQuestion("c1.3", "unanswerable", "Can my dog have it?", (), "conversations/talks", talk.page)]


def test_conversations_turns_are_rows_of_the_world_holding_their_page_examined_without_its_labelled_questions(worlds):
    turns = alone_turns([_talk("c1", "managing-tki-side-effects", OPENING),
                         _talk("c2", "a-page-of-no-world", OPENING), _talk("c3", "", DIED)])
    rows = {r.question.key: r for r in rows_of(worlds, "page", turns=turns)}
    assert rows.keys() == {"a:a1", "a:a2", "b:b1", "b:b2", "other:o1", "other:o2", "conversations/talks:c1.0",
                           "conversations/talks:c3.0"}
    turn, unnamed = rows.pop("conversations/talks:c1.0"), rows.pop("conversations/talks:c3.0")
    assert turn.turn and unnamed.turn and not any(r.turn for r in rows.values())
    # As a question about that page without labels of its own: the page's labelled question o1 (the same
    # answer) neither votes nor decides.
    assert (turn.page, turn.gold_rank, turn.verdict, turn.voted) == (OTHER, 1, None, False)
    # A conversation naming no page is about the page holding its gold text, the corpus's (as b2 is, which
    # neither votes nor decides for it).
    assert (unnamed.page, unnamed.verdict, unnamed.voted) == (SEED, None, False)


def test_the_threshold_is_chosen_on_the_question_sets_rows_not_on_conversations_turns(worlds, monkeypatch):
    rows = rows_of(worlds, "page")
    turns = [replace(r, turn=True) for r in rows if r.question.kind == "answerable"]
    chosen_on: list[list[bool]] = []

    def spy(sureness, answerable, pages):
        chosen_on.append(answerable.tolist())
        assert len(sureness) == len(pages) == len(answerable)
        return 0.25

    monkeypatch.setattr(learning, "left_out_threshold", spy)
    model = train_on([*rows, *turns], FAKE_MODEL)
    assert model.questions == len(rows) + len(turns) and model.threshold == 0.25  # learned from both
    assert chosen_on == [[r.question.kind == "answerable" for r in rows]]  # the threshold on the sets' rows only


def test_the_answer_model_is_trained_on_the_passage_each_question_would_lead_with(worlds):
    rows = rows_of(worlds, "page")
    model = train_on(rows, FAKE_MODEL)
    assert model.model_id == FAKE_MODEL and model.questions == len(rows) == 6
    assert model.pages == (SEED, OTHER)
    assert np.allclose(model.mean[:-1], np.stack([r.features[0] for r in rows]).mean(axis=0))
    assert model.prior is not None  # every row holds its question's vector: the question prior is learned too
    assert np.allclose(model.prior.fitted.mean[:-len(model.prior.vocabulary) or None],
                       np.stack([r.vector for r in rows]).mean(axis=0))
    assert all(r.words for r in rows)  # and its words


def test_each_question_is_judged_by_a_model_learned_without_its_page(worlds):
    rows = [r for r in rows_of(worlds, "page") if len(r.features)]
    sureness, answerable = answer_left_out(rows, FAKE_MODEL)
    assert answerable.tolist() == [r.question.kind == "answerable" for r in rows]
    pages = [r.page or r.lead_page for r in rows]
    vectors, words = np.stack([r.vector for r in rows]), [r.words for r in rows]
    # The prior's column, each page's questions by a prior learned without that page: worked out once, shared.
    column = out_of_page(vectors, words, answerable, pages, page_weights(pages))
    for page in set(pages):
        held = [i for i, p in enumerate(pages) if p == page]
        rest = np.array([p != page for p in pages])
        if len(set(answerable[rest].tolist())) < 2:
            continue  # nothing to learn from without this page
        kept = [r for r, k in zip(rows, rest) if k]
        alone = train_answer_model(np.stack([r.features[0] for r in kept]), answerable[rest], [pages[i] for i in np.flatnonzero(rest)],
                                   FAKE_MODEL, vectors=vectors[rest], words=[r.words for r in kept], prior_column=column[rest])
        assert alone.pages == tuple(sorted(set(pages) - {page}))  # neither the regression nor its prior saw the page
        expected = [float(alone.probability(rows[i].features[:3], rows[i].vector, rows[i].words).max()) for i in held]
        assert np.allclose(sureness[held], expected, atol=1e-6)


def test_the_threshold_misses_both_targets_by_the_same_margin_each_page_weighing_the_same():
    # Answerable questions are sure at 0.9, 0.7, 0.6, 0.2; unanswerable ones at 0.65, 0.3, 0.1.
    sureness = np.array([0.9, 0.7, 0.6, 0.2, 0.65, 0.3, 0.1])
    answerable = np.array([True, True, True, True, False, False, False])
    pages = ["a"] * 7
    # At 0.6: 3/4 answered (0.15 short of 0.90) and 2/3 refused (0.13 short of 0.80): the smallest worst shortfall.
    assert left_out_threshold(sureness, answerable, pages) == pytest.approx(0.6)
    # Asked to answer everything and refuse nothing: the lowest sureness.
    assert left_out_threshold(sureness, answerable, pages, answer_target=1.0, refuse_target=0.0) == pytest.approx(0.1)
    # A page of one unanswerable question weighs as much as page "a": refusing it now matters as much.
    assert left_out_threshold(np.full(3, np.nan), answerable[:3], pages[:3]) == 0.5  # nothing judged held out
    # At 0.7, half the answerable are answered but every near miss is refused, page b's (0.68) among them.
    assert left_out_threshold(np.append(sureness, 0.68), np.append(answerable, False), [*pages, "b"]) == pytest.approx(0.7)


def test_follow_up_rows_read_each_question_turn_after_a_question_in_the_world_of_its_page(worlds, tmp_path):
    from ros1qa.ask.conversation import FOLLOW_UP_FEATURES
    from ros1qa.learning.conversation_scores import load_conversations
    from ros1qa.learning.learning import follow_up_left_out, follow_up_rows, train_follow_up

    talks = tmp_path / "talks.jsonl"
    _write(talks, {"id": "c1", "page": OTHER.removesuffix(".txt"), "turns": [
        {"q": "What is the usual dose of crizotinib?", "kind": "answerable", "needs_history": False, "gold": []},
        {"q": "and what if I miss one?", "kind": "answerable", "needs_history": True, "gold": []},
        {"q": "I can't breathe", "kind": "urgent"}]},
        {"id": "c2", "turns": [{"q": "hi", "kind": "small_talk"}, {"q": "What is CAR-T?", "kind": "answerable"},
                               {"q": "Is immunotherapy used first for ROS1+ cancer?", "kind": "answerable",
                                "needs_history": False}]})
    model = train_on(rows_of(worlds, "page"), FAKE_MODEL)
    rows = follow_up_rows(worlds, load_conversations(talks), model, None)
    # The first question of c1 has nothing before it; without a small-talk model, "hi" is asked like a question.
    assert rows.features.shape == (3, len(FOLLOW_UP_FEATURES))
    assert rows.labels == [True, False, False] and rows.pages == [OTHER.removesuffix(".txt"), "talks", "talks"]
    trained = train_follow_up(rows, FAKE_MODEL)
    assert trained.features == FOLLOW_UP_FEATURES and trained.questions == 3
    assert np.isnan(follow_up_left_out(rows, FAKE_MODEL))  # either page left out leaves turns of one kind only
    three = type(rows)(np.concatenate([rows.features, rows.features]), rows.labels * 2, ["p", "q", "r", "r", "s", "s"])
    assert 0.0 <= follow_up_left_out(three, FAKE_MODEL) <= 1.0
