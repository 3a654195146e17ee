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
