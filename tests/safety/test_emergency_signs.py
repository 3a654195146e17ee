"""The sign patterns on their own: each kind finds its signs, and look-alike phrases are not signs."""

from __future__ import annotations

import pytest

from ros1qa.safety.emergency_signs import CRISIS, SIGNS
from ros1qa.safety.safety import normalise


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("breathing", "cant breath"), ("breathing", "lips are turning blue"), ("chest", "pressure in my chest"),
        ("bleeding", "coughing up a lot of blood"), ("bleeding", "nosebleed wont stop"),
        ("bleeding", "bleeding for over an hour"), ("stroke", "face is drooping"),
        ("stroke", "worst headache of my life"),
        ("collapse", "wont wake up"), ("allergy", "throat is closing"), ("fever", "spiking a high fever"),
        ("overdose", "took a whole weeks worth"), ("overdose", "toddler swallowed two of my capsules"),
        ("suicide", "suicidal thoughts"), ("low sugar", "my meter says 1.8 right now"),
        ("low sugar", "his blood sugar is 45 mg/dl"),
    ],
)
def test_each_kind_finds_its_signs(kind, text):
    assert SIGNS[kind].search(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "coughing after my blood test", "vomiting and my blood pressure is low", "a lot of blood tests",
        "i cant breathe easy until the scan", "choking up at the news", "a faint rash", "very faint line",
        "im confused about my options", "i cant talk to my doctor about it", "my feet are numb from chemo",
        "he had lots of blood work", "im dying to know", "im dying of cancer", "my sugar was 5.8 this morning",
        "my blood sugar is 2.5 times higher", "my sugar went up by 2 points", "her glucose is 120 mg",
        "i had a bm at 2 pm", "my sugar at 2 pm was 7.5", "i checked my sugar at 1:30",
    ],
)
def test_look_alike_phrases_are_not_signs(text):
    assert not any(pattern.search(normalise(text)) for pattern in SIGNS.values())


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("i want to kill myself", True), ("thinking about ending it all", True), ("ive been stockpiling my meds", True),
        ("i cut myself cooking", False), ("i fell and hurt myself", False), ("am i going to die", False),
        ("my mom wants to die at home", False),
    ],
)
def test_crisis_phrases_need_intent(text, crisis):
    assert bool(CRISIS.search(normalise(text))) is crisis
