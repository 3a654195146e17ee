import numpy as np

from ros1qa.lexical import LexicalIndex, fold, subject_terms, terms, words


def test_words_fold_case_and_accents():
    assert fold("Crizotiníb") == "crizotinib"
    assert words("ROS1+ NSCLC, chemo-immunotherapy!") == ["ros1", "nsclc", "chemo", "immunotherapy"]


def test_terms_drop_stopwords_and_stem():
    assert terms("The patients were responding to treatments") == ["patient", "respond", "treatment"]


def test_subject_terms_drop_question_filler():
    assert subject_terms("my husband was just diagnosed, can someone explain the dose") == ["dose"]


def test_bm25_prefers_units_with_the_terms_and_survives_unknown_words(tmp_path):
    index = LexicalIndex.build(["crizotinib plus nivolumab", "immunotherapy for lung cancer", "something else"])
    scores = index.scores(terms("nivolumab crizotinib"))
    assert int(np.argmax(scores)) == 0 and scores[2] == 0
    assert not index.scores(["zzzunknown"]).any()
    index.save(tmp_path / "bm25")
    assert np.allclose(LexicalIndex.load(tmp_path / "bm25").scores(terms("immunotherapy")), index.scores(terms("immunotherapy")))


def test_concept_scores_count_each_concept_once():
    index = LexicalIndex.build(["pembrolizumab immunotherapy ici", "immunotherapy", "chemotherapy"])
    one_concept = index.concept_scores([frozenset({"pembrolizumab", "immunotherapi", "ici"})])
    best_single = np.max(np.stack([index.scores([t]) for t in ("pembrolizumab", "immunotherapi", "ici")]), axis=0)
    assert np.allclose(one_concept, best_single)
    assert one_concept[2] == 0
