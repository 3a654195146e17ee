from ros1qa.ask.answer import Answer, Quote


def test_answer_serialises_to_the_jsonl_contract():
    quote = Quote("Text.", "doc.txt", "Title", "Section", "https://x.org", 0.123456, 10, 15, ((0, 5),))
    assert Answer("Q?", "answered", "", (quote,)).to_dict() == {
        "question": "Q?",
        "read_as": "Q?",
        "status": "answered",
        "message": "",
        "passages": [
            {"text": "Text.", "document": "doc.txt", "title": "Title", "section": "Section", "url": "https://x.org",
             "score": 0.1235, "start": 10, "end": 15, "highlight": [[0, 5]]}
        ],
    }
    assert quote.citation == "Title › Section, https://x.org"
    assert Quote("T", "d", "Title", "", "u", 0, 0, 1, ()).citation == "Title, u"
