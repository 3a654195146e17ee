from ros1qa.ask.question_kind import asks, asks_something, offers


def test_a_question_asks_for_the_kinds_its_question_words_name():
    assert asks("How many people died in the trial?") == {"figure"}
    assert asks("why not?") == {"reason"}
    assert asks("What is a TKI?") == {"definition"}
    assert asks("is it safe with chemo") == {"yes or no"}
    assert asks("when should I stop the pill?") == {"time"}
    assert asks("how long until it starts working") == {"figure", "time"}  # a question may ask for several
    assert asks("tell me about side effects") == frozenset()


def test_a_sentence_offers_the_kinds_its_grammar_shows():
    assert offers("Five of 12 patients had a partial response.") == {"figure"}
    assert offers("This is because ROS1 cancers rarely respond.") >= {"reason"}
    assert offers("A TKI is a pill that blocks the faulty protein.") == {"definition"}
    assert offers("It may not work for everyone.") == {"yes or no"}
    assert offers("Stop the pill before surgery.") == {"time"}
    assert offers("Bring a list of questions.") == frozenset()
    assert "figure" not in offers("ROS1 and ALK are genes.")  # a digit in a name is not a figure


def test_the_kinds_are_words_of_english_not_of_a_page():
    # Case and the topic do not matter: the same question words on any subject ask for the same kind.
    for subject in ("crizotinib", "a blood clot", "the scan report"):
        assert asks(f"WHY does {subject} matter?") == {"reason"}
    assert asks("crizotinib and a blood clot on the scan report") == frozenset()  # topic words ask for nothing
    assert all(offers(subject) == frozenset() for subject in ("crizotinib", "a blood clot"))


def test_a_message_asks_something_by_its_question_mark_its_question_words_or_a_clause_opening_a_question():
    for message in ("thank you. how do I find a specialist", "ok so who do i tell first", "wheres the nearest clinic",
                    "thanks, is it safe with chemo", "so can i stop it then", "any others?"):
        assert asks_something(message), message
    for message in ("ok thanks thats reassuring", "hi, hope this isnt a silly question", "ok i'll do that, thank you",
                    "this is all so overwhelming tbh", "tell me about side effects"):
        assert not asks_something(message), message
