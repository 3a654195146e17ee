from ros1qa.glossary import parse_glossary
from ros1qa.query import make_query

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
