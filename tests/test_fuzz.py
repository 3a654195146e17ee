"""Robustness: thousands of hostile or strange inputs through Engine.ask and the JSONL command line.

Nothing may raise, every answer keeps the contract (status, fixed messages, verbatim quotes), and
``ros1qa ask --jsonl`` writes exactly one JSON line per non-blank input line, in order.
"""

from __future__ import annotations

import io
import json
import random
import string
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.answer_checks import assert_answer_contract
from tests.conftest import FAKE_MODEL, HashingEmbedder

from ros1qa.ask.engine import Engine
from ros1qa.cli import main
from ros1qa.index.embedding import SentenceTransformerEmbedder
from ros1qa.ingest.corpus import load_corpus

ALPHABETS = {
    "ascii": string.printable,
    "control": "".join(map(chr, [*range(32), 127, *range(0x80, 0xA0)])),
    "emoji": ["😀", "👩‍👩‍👧‍👦", "👍🏽", "🏳️‍🌈", "🧬", "💊", "🫁", "❤️‍🩹", "\U0001F1FA\U0001F1F8"],
    "rtl": list("שלום עולם مرحبا بالعالم") + ["\u202e", "\u202b", "\u200f", "\u061c", "\u202c"],
    "combining": ["\u0301", "\u0308", "\u0336", "\u20dd", "\u0489", "\u036f"],
    "surrogates": ["\ud800", "\udbff", "\udc00", "\udfff", "\udcff"],
    "cjk": list("免疫療法肺癌治療は効きますか"),
    "styled": list("𝐢𝐦𝐦𝐮𝐧𝐨𝐭𝐡𝐞𝐫𝐚𝐩𝐲ｉｍｍｕｎｏⅰⅱﬁﬂ"),
    "spaces": list(" \t\n\r\x0b\x0c\xa0\u1680\u2000\u2028\u2029\u3000\u200b\ufeff\x85"),
    "odd": ["\ufffe", "\uffff", "\U0010ffff", "\ufdd0", "\ufffd", "\U000e0001", "\x00"],
}
SNIPPETS = [
    "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE passages; --", "' OR '1'='1",
    "{{7*7}}", "${jndi:ldap://example.org/a}", "%s%s%n%x", "{0}{1}", "../../../../etc/passwd", "C:\\Windows\\",
    "**bold** _it_ `code` # heading\n> quote", "[link](javascript:alert(1))", "&lt;b&gt;&amp;", "\\u0000\\n",
    "NaN", "-Infinity", "1e999", "None", "null", "[]", "{}", '{"status": "answered"}', "🤖" * 50,
    "is immunotherapy used first for ros1", "keytruda", "ROS1+", "crizotinib+nivolumab", "i cant breathe",
    "what should i do if i ever get a fever", "my temp is 39.6 on chemo", "?" * 80, "." * 500, "-" * 999,
]
SPECIAL = [
    "", " ", "\x00", "\x00" * 1000, "\r", "\n\n", "\x0c", "\u2028", "\ufeff", "\ud800", "?!.,;:'\"()[]{}<>", "🫁" * 999,
    "a" * 1000, "a" * 1001, "immunotherapy" * 76, "x" * 10_000, "a" * 100_000, "immunotherapy " * 7_143,
    "\u202eimmunotherapy first-line ros1\u202c", "i\u0336m\u0336m\u0336u\u0336n\u0336o", "ｉｓ ｉｍｍｕｎｏｔｈｅｒａｐｙ ｆｉｒｓｔ",
]


def generated_inputs(count: int, seed: int) -> list[str]:
    """Deterministic strange strings: random mixes of alphabets and hostile snippets, of many lengths."""
    rng = random.Random(seed)
    found = list(SPECIAL)
    names = sorted(ALPHABETS)
    while len(found) < count:
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.35:
                parts.append(rng.choice(SNIPPETS))
            else:
                alphabet = ALPHABETS[rng.choice(names)]
                parts.append("".join(rng.choice(alphabet) for _ in range(rng.choice((1, 3, 10, 40, 200)))))
        found.append(rng.choice(("", " ")).join(parts))
    return found


@pytest.fixture
def source_documents(fake_settings):
    return {d.doc_id: d for d in load_corpus(fake_settings.corpus_dir)}


def test_thousands_of_strange_inputs_never_raise(fake_engine, source_documents):
    statuses = set()
    for question in generated_inputs(3000, seed=20240611):
        answer = fake_engine.ask(question)
        assert answer.question == question
        assert_answer_contract(answer, source_documents)
        statuses.add(answer.status)
    assert statuses == {"answered", "not_found", "urgent"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(st.characters(codec=None), max_size=400))
def test_any_unicode_text_never_raises(fake_engine, source_documents, question):
    assert_answer_contract(fake_engine.ask(question), source_documents)


def test_a_100000_character_question_is_refused_quickly(fake_engine, source_documents):
    started = time.perf_counter()
    answer = fake_engine.ask("immunotherapy " * 7_143)
    assert answer.status == "not_found" and answer.message.startswith("That question is too long")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("question", ["immunotherapy first line ros1 " * 3_500, "a" * 100_000, "\ud800🫁\x00" * 33_000])
def test_a_100000_character_question_runs_the_whole_pipeline_when_allowed(fake_engine, source_documents, question):
    roomy = Engine(fake_engine.index, fake_engine.embedder, fake_engine.settings, max_question_chars=200_000)
    started = time.perf_counter()
    assert_answer_contract(roomy.ask(question), source_documents, 200_000)
    assert time.perf_counter() - started < 10.0


class StrictTokenizerModel:
    """Stands in for the real model: like its Rust tokenizer, it refuses text that is not valid Unicode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts, **kwargs) -> np.ndarray:
        for text in texts:
            text.encode("utf-8")  # UnicodeEncodeError on a lone surrogate, as the tokenizer fails
        self.seen.extend(texts)
        return np.full((len(texts), 4), 0.5, dtype=np.float32)


def test_lone_surrogates_reach_the_model_as_replacement_characters():
    embedder = SentenceTransformerEmbedder()
    embedder._model = StrictTokenizerModel()
    embedder.encode(["keytruda \ud800 first", "\udcff", "\U0001f600 fine"])
    assert embedder._model.seen == ["keytruda \ufffd first", "\ufffd", "\U0001f600 fine"]


# --- the command line ---------------------------------------------------------------------------

WEIRD_LINES = [
    "What is immunotherapy?", "I can't breathe", "a\rb carriage return inside", "form\x0cfeed", "line\u2028separator",
    "paragraph\u2029separator", "next\x85line", "nul\x00byte", "lone \ud800 surrogate", "tab\tseparated\tquestion",
    "\u202eRTL override\u202c", "👩‍👩‍👧‍👦 emoji family", '{"json": "inside"}', "<b>markup</b>", "x" * 5000,
    "'; DROP TABLE passages; --", "\ufeffbom first", "trailing spaces   ",
]


@pytest.fixture
def cli(monkeypatch, fake_settings):
    monkeypatch.setattr("ros1qa.service.make_embedder", lambda settings: HashingEmbedder())
    base = ["--corpus", str(fake_settings.corpus_dir), "--index", str(fake_settings.index_dir), "--model", FAKE_MODEL]
    assert main([*base, "build"], out=io.StringIO()) == 0

    def ask_jsonl(stdin: io.TextIOBase) -> str:
        out = io.StringIO()
        assert main([*base, "ask", "--jsonl"], stdin=stdin, out=out) == 0
        return out.getvalue()

    return ask_jsonl


def read_output(text: str) -> list[dict]:
    """Lines as any reader splits them: by "\\n" and by str.splitlines() (which also breaks at U+2028, NEL …)."""
    assert text.endswith("\n") or text == ""
    by_newline = text.split("\n")[:-1]
    assert text.splitlines() == by_newline, "an output line contains a character that some readers take as a line end"
    text.encode("utf-8")  # strict: a lone surrogate in the output would make stdout fail
    return [json.loads(line) for line in by_newline]


def test_jsonl_gives_one_line_per_non_blank_line_in_order_for_weird_lines(cli, source_documents):
    blank = ["", "   ", "\t", "\x0c", "\u2028", "\u3000", "\x1c"]
    lines = [item for pair in zip(WEIRD_LINES, blank * 3) for item in pair] + WEIRD_LINES[len(blank) * 3:]
    stdin = io.StringIO("".join(f"{line}\n" for line in lines[:-1]) + lines[-1] + "\r\n")
    output = read_output(cli(stdin))
    assert [o["question"] for o in output] == WEIRD_LINES
    assert {o["status"] for o in output} == {"answered", "not_found", "urgent"}
    for item in output:
        assert item["status"] != "answered" or item["passages"]


def test_jsonl_from_a_byte_stream_like_real_stdin(cli):
    """Real stdin decodes bytes (undecodable ones as surrogates) and ends lines at \\n, \\r\\n and a lone \\r."""
    raw = "keytruda first?\r\nbad byte \udcff here\r\nold mac\rline\n\n".encode("utf-8", "surrogateescape")
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="surrogateescape")
    output = read_output(cli(stdin))
    assert [o["question"] for o in output] == ["keytruda first?", "bad byte \udcff here", "old mac", "line"]


def test_jsonl_handles_thousands_of_generated_lines(cli):
    questions = [q.replace("\n", " ").replace("\r", " ") for q in generated_inputs(1500, seed=7) if len(q) < 3000]
    stdin = io.StringIO("".join(f"{q}\n" for q in questions))
    output = read_output(cli(stdin))
    # JSON reads an escaped high+low surrogate pair as one character, as it must; compare in JSON's terms.
    assert [o["question"] for o in output] == [json.loads(json.dumps(q)) for q in questions if q.strip()]


@pytest.mark.slow
def test_real_model_survives_strange_inputs(real_engine):
    documents = {d.doc_id: d for d in real_engine.index.documents}
    for question in generated_inputs(150, seed=99):
        assert_answer_contract(real_engine.ask(question), documents)
