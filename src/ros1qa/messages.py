"""Fixed texts shown to people. Kept in one place so the CLI, JSON and page say the same thing."""

from __future__ import annotations

DISCLAIMER = (
    "This assistant shows passages, word for word, from the patient-education pages it cites. "
    "It is not medical advice. Talk to your care team about your own treatment."
)

NOT_FOUND = (
    "I couldn't find an answer to that in the pages I can quote. I only answer from trusted "
    "patient-education pages about ROS1+ cancer (listed under “What I cover”), and I don't guess. "
    "Please ask your oncology team, or look for more at https://www.theros1ders.org."
)

URGENT = (
    "This sounds like it may be an emergency. Please call your local emergency number now "
    "(911 in the US, 112 in the EU, 999 in the UK) or go to the nearest emergency department. "
    "If you are thinking about suicide or harming yourself, call or text 988 in the US "
    "(or your local crisis line) now. Then let your oncology team know."
)

EMPTY_QUESTION = "Please type a question, for example: “Is immunotherapy used first for ROS1+ cancer?”"


def too_long(limit: int) -> str:
    return f"That question is too long for me to search. Please ask it in {limit:,} characters or fewer."
