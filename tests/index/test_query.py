from ros1qa.index.glossary import parse_glossary
from ros1qa.index.query import Reader, make_query

GLOSSARY = parse_glossary('[[entry]]\nsays = ["keytruda"]\nmeans = "pembrolizumab immunotherapy"\n')


def test_concepts_carry_glossary_alternatives():
    query = make_query("Should my husband start Keytruda?", GLOSSARY)
    assert {c.term: set(c.alternatives) for c in query.concepts} == {"keytruda": {"keytruda", "pembrolizumab", "immunotherapi"}}


def test_unknown_subject_words_are_those_no_document_uses():
    query = make_query("what is the price of keytruda", GLOSSARY)
    vocabulary = {"immunotherapi", "crizotinib"}
    assert query.unknown(vocabulary.__contains__) == ("price",)


def test_coverage_is_the_share_of_concepts_present():
    query = make_query("keytruda price", GLOSSARY)
    assert query.coverage(frozenset({"immunotherapi"})) == 0.5
    assert make_query("can you help", GLOSSARY).coverage(frozenset({"x"})) == 0.0


def test_the_model_reads_the_question_with_the_document_words_its_glossary_phrases_stand_for():
    assert make_query("Should I start Keytruda?", GLOSSARY).embedding_text == "Should I start Keytruda? (pembrolizumab immunotherapy)"
    assert make_query("Keytruda or keytruda?", GLOSSARY).means == ("pembrolizumab immunotherapy",)  # each once
    assert make_query("what is a TKI?", GLOSSARY).embedding_text == "what is a TKI?"  # nothing matched: as typed


def test_without_leaves_out_the_words_of_the_given_stems_as_typed_and_keeps_the_glossary_reading():
    query = make_query("What's the PRICE of Keytruda, per month?", GLOSSARY)
    assert query.embedding_text_without(("price", "month")) == "What's the of Keytruda, per ? (pembrolizumab immunotherapy)"
    assert make_query("prices", GLOSSARY).embedding_text_without(("price",)) == ""


PAGES = ["Peripheral neuropathy is common. Immunotherapy can raise cholesterol."]


def test_the_reader_reads_misspelt_words_as_the_pages_words_before_anything_else():
    query = Reader(PAGES, GLOSSARY).read("my cholestrol on imunotherapy")
    assert query.text == "my cholesterol on immunotherapy"
    assert {c.term for c in query.concepts} == {"cholesterol", "immunotherapi"}


def test_the_lay_vocabulary_finds_the_pages_words_for_bm25_and_the_model_reads_the_question_as_asked():
    query = Reader(PAGES, GLOSSARY).read("I have pins and needles")
    assert any("neuropathi" in c.alternatives for c in query.concepts)
    assert query.means == () and query.embedding_text == "I have pins and needles"


def test_the_model_reads_a_glossary_meaning_only_for_a_name_the_pages_never_use():
    assert Reader(PAGES, GLOSSARY).read("Should I start Keytruda?").means == ("pembrolizumab immunotherapy",)
    on_the_page = Reader(["Keytruda is an immunotherapy."], GLOSSARY).read("Should I start Keytruda?")
    assert on_the_page.means == () and any("immunotherapi" in c.alternatives for c in on_the_page.concepts)
