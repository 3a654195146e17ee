from ros1qa.highlight import highlight_ranges


def test_best_sentence_and_close_ones_are_marked_relative_to_the_passage():
    assert highlight_ranges(100, [(100, 110), (111, 130), (131, 140)], [0.2, 0.8, 0.79]) == ((11, 30), (31, 40))


def test_no_sentences_no_highlight():
    assert highlight_ranges(0, [], []) == ()
