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


READ_WITH = "Reading this with your earlier question: {}"
READ_WITH_MANY = "Reading this with your earlier questions: {}"


def read_with(earlier: tuple[str, ...]) -> str:
    """The line that says a message was read with earlier ones, in the patient's own words (quoted)."""
    quoted = " / ".join(f"“{message.strip()}”" for message in earlier)
    return (READ_WITH if len(earlier) == 1 else READ_WITH_MANY).format(quoted)


HOW_TO_ASK = ("Ask in your own words, one question at a time. You can ask follow-ups such as “why?” or "
              "“what about the side effects?”, or say “tell me more” to see the rest of a passage's section.")

# Replies to small talk, by kind (``small_talk.INTENTS``): what the assistant covers and how to ask.
SMALL_TALK = {
    "greeting": "Hello. I answer questions about ROS1+ cancer with passages, word for word, from trusted "
                "patient-education pages, and show where each comes from. " + HOW_TO_ASK,
    "thanks": "You're welcome. Ask me another question whenever you like. For advice about your own care, "
              "please talk to your oncology team.",
    "goodbye": "Take care. You can come back with questions at any time. For advice about your own care, "
               "please talk to your oncology team.",
    "capabilities": "I answer questions about ROS1+ cancer by showing passages, word for word, from trusted "
                    "patient-education pages (listed under “What I cover”), with a link to each. If the pages "
                    "don't answer a question, I say so rather than guess. " + HOW_TO_ASK,
    "identity": "I'm an automated assistant, not a person or a doctor. Everything I show is quoted word for word "
                "from the patient-education pages listed under “What I cover”, with a link to each, so you can "
                "check the source. For advice about your own care, please talk to your oncology team.",
    "frustration": "I'm sorry that didn't help. I can only show what the pages say, word for word, and I don't "
                   "guess. Try asking in other words, or one part of your question at a time. Your oncology team, "
                   "or https://www.theros1ders.org, can help with what the pages don't cover.",
    "acknowledgement": "Ask me another question whenever you're ready, or say “tell me more” to see the rest of "
                       "the last passage's section.",
    "more": "There is no earlier answer for me to say more about yet. " + HOW_TO_ASK,
}
