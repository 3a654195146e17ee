from ros1qa.ingest.sentences import split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_splits_on_terminal_punctuation_and_keeps_closing_quotes():
    text = "“Of the first 13 patients, 5 developed toxicities.” Of these, two died. Why? Because."
    assert sentences(text) == ["“Of the first 13 patients, 5 developed toxicities.”", "Of these, two died.", "Why?", "Because."]


def test_does_not_split_after_abbreviations_or_initials():
    text = "Drugs (e.g. crizotinib) help. Dr. Smith agrees with J. Doe. Next one."
    assert sentences(text) == ["Drugs (e.g. crizotinib) help.", "Dr. Smith agrees with J. Doe.", "Next one."]


def test_list_marker_is_not_part_of_the_sentence():
    text = "2. Targeted therapy is better tolerated than immunotherapy."
    assert sentences(text) == ["Targeted therapy is better tolerated than immunotherapy."]


def test_lower_case_continuation_is_not_a_new_sentence():
    assert sentences("It costs 1.5 million. a lower-case word follows.") == ["It costs 1.5 million. a lower-case word follows."]


def test_offsets_are_within_the_span():
    text = "xx First one. Second one. yy"
    spans = split_sentences(text, 3, len(text) - 3)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one."]
