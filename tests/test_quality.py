"""Retrieval quality floors on the evaluation sets, with the real model and the shipped index.

Floors sit at or just under the latest measured figures (README, "Quality"): a change that makes
ros1qa find fewer right passages, answer fewer answerable questions, or refuse fewer unanswerable
ones fails here.
"""

import io
from pathlib import Path

import pytest

from ros1qa.cli import main

REPO = Path(__file__).resolve().parent.parent


SETS = sorted(path.name.removesuffix("_questions.jsonl") for path in (REPO / "eval").glob("*_questions.jsonl"))


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_eval_figures_stay_above_their_floors(name):
    out = io.StringIO()
    questions = REPO / "eval" / f"{name}_questions.jsonl"
    floors = REPO / "eval" / f"{name}_floors.json"
    code = main(["--corpus", str(REPO / "corpus"), "--index", str(REPO / "index"), "eval", str(questions), "--floors", str(floors)], out=out)
    print(out.getvalue())
    assert code == 0, out.getvalue()
