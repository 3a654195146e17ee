"""Tuning the embedding model: the pairs it learns from (fake embedder), and one small tuning (the real model)."""

import json

import numpy as np
import pytest
from tests.learning.test_learning import OTHER, SEED, folders, worlds  # noqa: F401 (fixtures)

from ros1qa.index.embedding import resolve_model_location
from ros1qa.index.tuning import ADAPTER_FILES, merge_tuning, tuning_digest
from ros1qa.learning.embedding_tuning import Pair, Recipe, tune, tuning_pairs
from ros1qa.settings import BUNDLED_MODEL


def test_each_answerable_question_about_a_fixture_page_pairs_with_the_sentence_holding_its_gold(worlds):  # noqa: F811
    engine = worlds[0].engine
    (pair,) = tuning_pairs(worlds, {SEED})  # o1: o2 is unanswerable, o3's page is in no world, the seed's skipped
    assert pair.page == OTHER and pair.question == engine.query("What is the usual dose of crizotinib?").embedding_text
    # the sentence as the index embeds it: its page's title and section first
    assert pair.answer == "Managing Side Effects of ROS1 Pills. Crizotinib side effects. " \
        "Crizotinib (Xalkori) is usually taken as 250 mg twice a day."
    seed_too = tuning_pairs(worlds, set())
    assert len(seed_too) == 4 and {p.page for p in seed_too} == {SEED, OTHER}  # a1, b1, b2 and o1


PAIRS = [Pair(f"how much {drug} should i take if i weigh {kg} kg",
              f"Doses. The usual dose of {drug} for someone of {kg} kg is {kg // 10} tablets.", "p", "w")
         for drug in ("crizotinib", "entrectinib", "lorlatinib", "repotrectinib") for kg in range(50, 130, 5)]


def _ranking_loss(network_folder=None):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_location(BUNDLED_MODEL), device="cpu")
    if network_folder is not None:
        model[0].model = merge_tuning(model[0].model, network_folder)
    questions = model.encode([p.question for p in PAIRS], normalize_embeddings=True)
    answers = model.encode([p.answer for p in PAIRS], normalize_embeddings=True)
    logits = Recipe().scale * questions @ answers.T  # each question against every answer, as the loss reads them
    logits -= logits.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(logits).sum(axis=1)) - np.diag(logits)))


@pytest.mark.slow
def test_a_tuning_is_written_as_the_adapters_two_files_and_matches_its_pairs_better(tmp_path):
    tuned = tune(PAIRS, tmp_path / "tuning", Recipe(learning_rate=2e-3), threads=1)
    assert (tuned.pairs, tuned.pages, tuned.steps) == (len(PAIRS), ("p",), len(PAIRS) // 32)
    assert sorted(p.name for p in (tmp_path / "tuning").iterdir()) == sorted(ADAPTER_FILES)
    assert [p.name for p in tmp_path.iterdir()] == ["tuning"]  # no scratch folder left behind
    config = json.loads((tmp_path / "tuning" / ADAPTER_FILES[0]).read_text())
    assert config["base_model_name_or_path"] == BUNDLED_MODEL and config["r"] == Recipe().rank  # no path of this machine
    assert config["target_modules"] == sorted(Recipe().targets)  # in order: the same bytes every time
    assert len(tuning_digest(tmp_path / "tuning")) == 64
    # its own pairs, each question against every answer: its own answer stands out more
    assert _ranking_loss(tmp_path / "tuning") < 0.9 * _ranking_loss()


def test_each_group_is_tuned_without_its_own_pairs_once_then_read_from_the_cache(tmp_path, monkeypatch):
    from ros1qa.learning import embedding_tuning

    learned = []

    def fake_tune(pairs, destination, recipe=None, threads=0):
        learned.append((destination.name, {p.world for p in pairs}))
        destination.mkdir(parents=True)
        for name in ADAPTER_FILES:
            (destination / name).write_text(name, encoding="utf-8")

    monkeypatch.setattr(embedding_tuning, "tune", fake_tune)
    pairs = [Pair(f"q{n}", f"a{n}", f"page{n}", world) for n, world in enumerate("aabc")]
    folds = embedding_tuning.fold_tunings(pairs, tmp_path)
    assert sorted(learned) == [("a", {"b", "c"}), ("b", {"a", "c"}), ("c", {"a", "b"})]
    assert sorted(folds) == ["a", "b", "c"] and len({f.parent for f in folds.values()}) == 1
    assert embedding_tuning.fold_tunings(pairs, tmp_path) == folds and len(learned) == 3  # cached: none again
    embedding_tuning.fold_tunings(pairs[:3], tmp_path)  # other pairs: another digest, learned afresh
    assert len(learned) == 5


def test_for_the_tuned_model_each_group_is_read_by_the_tuning_learned_without_it(tmp_path, folders, monkeypatch):  # noqa: F811
    from tests.conftest import FAKE_MODEL, HashingEmbedder

    from ros1qa.learning import embedding_tuning
    from ros1qa.settings import TUNED_MODEL, Settings

    corpus, training = folders
    readers = []

    class FoldReader(HashingEmbedder):
        backend = "torch"  # a tuning is merged as the model loads, on torch

        def __init__(self, model, threads, tuning):
            super().__init__()
            self.model_id, self.tuning = model, tuning
            readers.append(self)

    monkeypatch.setattr(embedding_tuning, "training_pairs", lambda *args: [Pair("q", "a", OTHER, "b")])
    monkeypatch.setattr(embedding_tuning, "fold_tunings", lambda pairs, folds_dir, **_: {"b": folds_dir / "x" / "b"})
    monkeypatch.setattr(embedding_tuning, "SentenceTransformerEmbedder", FoldReader)
    settings = Settings(model=TUNED_MODEL, models_dir=tmp_path / "models")
    (world,) = embedding_tuning.training_worlds(corpus, training, settings, HashingEmbedder(), tmp_path / "work")
    (reader,) = readers
    assert world.engine.embedder is reader and reader.tuning == tmp_path / "models" / "tuning-folds" / "x" / "b"
    plain = HashingEmbedder()  # any other model: the embedder given, no tuning
    (world,) = embedding_tuning.training_worlds(corpus, training, Settings(model=FAKE_MODEL), plain,
                                                   tmp_path / "other")
    assert world.engine.embedder is plain and len(readers) == 1
