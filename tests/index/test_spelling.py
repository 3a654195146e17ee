import pytest

from ros1qa.index.spelling import Speller, english_words

PAGE = ("Crizotinib (Xalkori) can raise your cholesterol. Immunotherapy is not used first. "
        "Lorlatinib and other TKI pills. The prize for the trial.")


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller([PAGE])


@pytest.mark.parametrize("typed, meant", [
    ("cholestrol", "cholesterol"), ("imunotherapy", "immunotherapy"), ("crizotnib", "crizotinib"),
    ("lorlatnib", "lorlatinib"), ("xalkory", "xalkori"),
    ("crizotnb", "crizotinib"),  # eight letters or more: two edits
])
def test_typos_of_page_words_are_read_as_the_page_words(speller, typed, meant):
    assert typed not in english_words()
    assert speller.corrected(typed) == meant


def test_words_english_knows_are_never_changed_even_when_the_pages_lack_them(speller):
    assert "price" in english_words() and "price" not in PAGE.lower()
    assert speller.corrected("what is the price") == "what is the price"  # not "prize": it asks something else
    assert speller.corrected("alcohol and cholesterol") == "alcohol and cholesterol"


def test_short_words_and_words_too_far_from_any_page_word_are_kept(speller):
    assert speller.corrected("tkx") == "tkx"  # shorter than four letters: too ambiguous ("tki"? "tax"?)
    assert speller.corrected("xelkory") == "xelkory"  # seven letters, two edits from "xalkori": one is allowed
    assert speller.corrected("zzqqxxww") == "zzqqxxww"


def test_the_rest_of_the_text_is_kept_as_typed(speller):
    assert speller.corrected("Is my CHOLESTROL  high, at 240?!") == "Is my cholesterol  high, at 240?!"
    assert speller.corrected("ROS1+ and crizotnib's effects\n") == "ROS1+ and crizotinib's effects\n"


def test_protected_words_count_as_known():
    assert Speller([PAGE]).corrected("xalkorri") == "xalkori"
    assert Speller([PAGE], protected=["xalkorri"]).corrected("xalkorri") == "xalkorri"
