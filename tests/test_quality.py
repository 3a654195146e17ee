"""Retrieval quality floors on the corpus's labelled sets, with the real model and the shipped index.

Each set in ``corpus/labelled/`` is scored without its own labelled questions (``ros1qa eval``
leaves a set's examples out) against its floors in ``eval/floors/<set>.json``. Floors sit at or just
under the latest measured figures (docs/quality.md), one question less: a change that makes ros1qa find fewer right
passages, answer fewer answerable questions, or refuse fewer unanswerable ones fails here.
"""

import io
from pathlib import Path

import pytest

from ros1qa.cli import main

REPO = Path(__file__).resolve().parent.parent
FLOORS = REPO / "eval" / "floors"
LABELLED = REPO / "corpus" / "labelled"
SETS = sorted(path.stem for path in FLOORS.glob("*.json"))


def test_every_floor_belongs_to_a_labelled_set_of_the_corpus():
    assert len(SETS) >= 13
    assert [name for name in SETS if not (LABELLED / f"{name}.jsonl").is_file()] == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_eval_figures_stay_above_their_floors(name):
    out = io.StringIO()
    questions = LABELLED / f"{name}.jsonl"
    floors = FLOORS / f"{name}.json"
    code = main(["--corpus", str(REPO / "corpus"), "--index", str(REPO / "index"), "eval", str(questions),
                 "--floors", str(floors)], out=out)
    print(out.getvalue())
    assert code == 0, out.getvalue()


def _unanswered_span(page: str, golds: list[str]) -> tuple[int, int]:
    """The longest run of the page's body, inside one line, that no gold text touches: where an edit
    changes no answer text."""
    covered = bytearray(len(page))
    for gold in golds:
        start = page.find(gold)
        while start >= 0:
            covered[start:start + len(gold)] = b"\1" * len(gold)
            start = page.find(gold, start + 1)
    body = page.index("---", 3) + 3  # past the front matter
    best, start = (0, 0), None
    for i in range(body, len(page) + 1):
        free = i < len(page) and not covered[i] and page[i] != "\n"
        if free and start is None:
            start = i
        elif not free and start is not None:
            best, start = max(best, (start, i), key=lambda span: span[1] - span[0]), None
    return best


@pytest.mark.slow
def test_editing_words_no_answer_holds_changes_at_most_two_answers_of_a_set(tmp_path):
    """Issue 14: a volunteer's small edit that touches no answer text keeps the answers (a set of ~45)."""
    import shutil

    from ros1qa.index.indexing import build_index
    from ros1qa.index.labels import load_labelled
    from ros1qa.service import make_embedder, open_engine
    from ros1qa.settings import Settings

    page_name = "immunotherapy-and-ros1-cancer.txt"
    questions = [q for q in load_labelled(LABELLED) if q.source == "blind10" and q.kind != "urgent"]
    page = (REPO / "corpus" / page_name).read_text(encoding="utf-8")
    start, end = _unanswered_span(page, [g for q in load_labelled(LABELLED) for g in q.gold])
    words = page[start:end].split(" ")
    assert len(words) >= 6
    edited = " ".join(words[:2] + ["really"] + words[2:3] + words[4:])  # one word added, one dropped

    def answers(corpus: Path) -> list[tuple[str, str, int]]:
        settings = Settings(corpus_dir=corpus, index_dir=corpus.parent / "index", models_dir=REPO / "models")
        build_index(settings, make_embedder(settings))
        engine = open_engine(settings)
        order = sorted(p.start for p in engine.index.passages)
        result = []
        for question in questions:
            answer = engine.ask(question.question)
            first = answer.quotes[0] if answer.quotes else None
            result.append((answer.status, first.section if first else "", order.index(first.start) if first else -1))
        return result

    shutil.copytree(REPO / "corpus", tmp_path / "before" / "corpus")
    shutil.copytree(REPO / "corpus", tmp_path / "after" / "corpus")
    (tmp_path / "after" / "corpus" / page_name).write_text(page[:start] + edited + page[end:], encoding="utf-8")
    before, after = answers(tmp_path / "before" / "corpus"), answers(tmp_path / "after" / "corpus")
    changed = [q.key for q, a, b in zip(questions, before, after) if a != b]
    print(f"edited {page[start:end]!r} -> {edited!r}; changed: {changed}")
    assert len(questions) >= 40 and len(changed) <= 2
