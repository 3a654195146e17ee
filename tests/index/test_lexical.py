import math
import os
import subprocess
import sys

import numpy as np
import pytest

from ros1qa.index.lexical import LexicalIndex, fold, subject_terms, terms, words


def test_words_fold_case_and_accents():
    assert fold("Crizotiníb") == "crizotinib"
    assert words("ROS1+ NSCLC, chemo-immunotherapy!") == ["ros1", "nsclc", "chemo", "immunotherapy"]


def test_terms_drop_stopwords_and_stem():
    assert terms("The patients were responding to treatments") == ["patient", "respond", "treatment"]


def test_subject_terms_drop_question_filler():
    assert subject_terms("my husband was just diagnosed, can someone explain the dose") == ["dose"]


def test_phone_typed_shorthand_is_filler_not_subject():
    assert subject_terms("can u tell me if ppl w ros1 shud take the pill b4 chemo pls") == ["ros1", "take", "pill", "chemo"]
    assert subject_terms("wat even is immunotherapy? onc mentioned it n i didnt wanna look dumb") == ["immunotherapi", "dumb"]


def test_bm25_prefers_units_with_the_terms_and_survives_unknown_words(tmp_path):
    index = LexicalIndex.build(["crizotinib plus nivolumab", "immunotherapy for lung cancer", "something else"])
    scores = index.scores(terms("nivolumab crizotinib"))
    assert int(np.argmax(scores)) == 0 and scores[2] == 0
    assert not index.scores(["zzzunknown"]).any()
    index.save(tmp_path / "bm25")
    assert np.allclose(LexicalIndex.load(tmp_path / "bm25").scores(terms("immunotherapy")), index.scores(terms("immunotherapy")))


def test_idf_says_how_rare_a_term_is_among_the_units_and_is_zero_for_a_term_none_has(tmp_path):
    index = LexicalIndex.build(["crizotinib treatment", "lorlatinib treatment", "treatment options", "chemotherapy"])
    assert index.idf("crizotinib") > index.idf("treatment") > 0
    assert index.idf("crizotinib") == pytest.approx(math.log(1 + (4 - 1 + 0.5) / (1 + 0.5)))  # as BM25 weighs it
    assert index.idf("treatment") == pytest.approx(math.log(1 + (4 - 3 + 0.5) / (3 + 0.5)))
    assert index.idf("zzzunknown") == 0.0
    index.save(tmp_path / "bm25")
    assert LexicalIndex.load(tmp_path / "bm25").idf("crizotinib") == pytest.approx(index.idf("crizotinib"))


def test_concept_scores_count_each_concept_once():
    index = LexicalIndex.build(["pembrolizumab immunotherapy ici", "immunotherapy", "chemotherapy"])
    one_concept = index.concept_scores([frozenset({"pembrolizumab", "immunotherapi", "ici"})])
    best_single = np.max(np.stack([index.scores([t]) for t in ("pembrolizumab", "immunotherapi", "ici")]), axis=0)
    assert np.allclose(one_concept, best_single)
    assert one_concept[2] == 0


def test_repeated_and_widened_concepts_add_the_same_scores_as_reading_each_one():
    index = LexicalIndex.build(["side effects of immunotherapy", "side effects", "toxicity", "lung", "immunotherapy",
                                "pneumonitis", "lung toxicity and pneumonitis"])
    side = frozenset({"side", "effect", "toxic"})
    concepts = [side, frozenset({"immunotherapi"}), side | {"pneumon"}, side, frozenset({"immunotherapi"}),
                frozenset({"lung", "zzzunknown"})]
    expected = np.zeros(index.units, dtype=np.float32)
    for concept in concepts:  # one concept at a time, in the question's order (float32 sums depend on it)
        expected += np.max(np.stack([index.scores([t]) for t in sorted(concept)]), axis=0)
    assert index.concept_scores(concepts).tobytes() == expected.tobytes()


def test_concept_counts_look_units_up_in_each_terms_postings():
    index = LexicalIndex.build(["crizotinib for lung cancer", "lung", "immunotherapy", "crizotinib immunotherapy"])
    concepts = [frozenset({"crizotinib"}), frozenset({"lung", "immunotherapi"}), frozenset({"zzzunknown"})]
    assert index.concept_counts(concepts, np.array([0, 1, 2, 3], dtype=np.int64)).tolist() == [2, 1, 1, 2]
    assert index.concept_counts(concepts, np.array([3, 1])).tolist() == [2, 1]


def test_saved_files_are_the_same_in_every_process(tmp_path):
    """String hashing differs per process; a rebuild of the same texts must still write the same bytes (build ids)."""
    saved = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        program = ("import sys; from pathlib import Path; from ros1qa.index.lexical import LexicalIndex; "
                   "LexicalIndex.build(['crizotinib plus nivolumab', 'immunotherapy for lung cancer', "
                   "'chemotherapy and immunotherapy together', '']).save(Path(sys.argv[1]))")
        subprocess.run([sys.executable, "-c", program, str(folder)], check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        saved.append({path.name: path.read_bytes() for path in sorted(folder.iterdir())})
    assert saved[0] == saved[1] and len(saved[0]) == 5


def test_frequent_terms_read_as_columns_give_the_same_scores_and_counts_as_their_postings(monkeypatch):
    texts = [f"immunotherapy side effects {'pneumonitis' if n % 3 == 0 else 'fatigue'} case{n}" for n in range(40)]
    texts += ["rare toxicity of lung immunotherapy", "lung toxicity"]
    concepts = [frozenset({"immunotherapi"}), frozenset({"toxic", "pneumon"}), frozenset({"lung"}),
                frozenset({"side", "effect", "case7"}), frozenset({"immunotherapi"}), frozenset({"fatigu", "toxic"})]
    mixed = LexicalIndex.build(texts)
    assert {"immunotherapi", "pneumon"} <= mixed._columns.keys() and not {"lung", "case7"} & mixed._columns.keys()
    monkeypatch.setattr("ros1qa.index.lexical.DENSE_SHARE", 0)  # every term read from its postings
    postings_only = LexicalIndex.build(texts)
    assert not postings_only._columns
    assert mixed.concept_scores(concepts).tobytes() == postings_only.concept_scores(concepts).tobytes()
    units = np.array([0, 3, 7, 40, 41], dtype=np.int64)
    assert mixed.concept_counts(concepts, units).tolist() == postings_only.concept_counts(concepts, units).tolist()
