"""What a question asks for, what a sentence offers, and whether a message asks anything: closed classes of English
words.

"How many died?" wants a figure, "why not?" a reason, "what is a TKI?" a definition, "is it safe?" a yes or
no (often answered with a hedge or a negation), "when do I stop?" a time. A sentence offers a figure, a reason
("because", "due to"), a definition ("is a", "means"), a hedge or negation ("not", "may", "usually") or a
time ("weeks", "before"). These are English grammar — question words, connectives, numerals, modal verbs,
units of time — the same on any page: no page's topic words, nothing gathered from our own questions. The
highlight reads, for each kind, whether the question asks for it and the sentence offers it
(``highlight.FEATURES``; docs/quality.md, stop 28).
"""

from __future__ import annotations

import re
from functools import lru_cache

KINDS = ("figure", "reason", "definition", "yes or no", "time")
NUMBER = re.compile(r"(?<![A-Za-z])\d")  # a digit that is not part of a name such as ROS1
_YES_OR_NO = r"(is|are|can|could|does|do|did|should|will|would|has|have|was|were)\b"  # verbs that open such a question

_ASKS = {
    "figure": re.compile(r"\b(how (many|much|long|often|soon|far|likely|common|quickly|fast|high|low)|"
                         r"what (percentage|percent|proportion|number|dose|age)|chances?|odds|rate)\b", re.IGNORECASE),
    "reason": re.compile(r"\b(why|how come|reasons?)\b", re.IGNORECASE),
    "definition": re.compile(r"^\W*(what(?:'s| is| are| does)|define|meaning)\b", re.IGNORECASE),
    "yes or no": re.compile(r"^\W*" + _YES_OR_NO, re.IGNORECASE),
    "time": re.compile(r"\b(when|how soon|how long|timing)\b", re.IGNORECASE),
}
_OFFERS = {
    "figure": re.compile(NUMBER.pattern + r"|\b(one|two|three|four|five|six|seven|eight|nine|ten|half|third|quarter|"
                         r"percent|most|few|rare|rarely|weeks?|months?|years?|days?|hours?)\b", re.IGNORECASE),
    "reason": re.compile(r"\b(because|due to|since|as a result|caused by|causes?|leads? to|so that|reason|which means|"
                         r"this means|why)\b", re.IGNORECASE),
    "definition": re.compile(r"\b((is|are) (a|an|the)|means|refers to|called|known as|stands for)\b", re.IGNORECASE),
    "yes or no": re.compile(r"\b(not|no|never|cannot|can't|don't|doesn't|should|may|can|usually)\b", re.IGNORECASE),
    "time": re.compile(r"\b(weeks?|months?|years?|days?|hours?|before|after|during|until|within|soon|first)\b",
                       re.IGNORECASE),
}


def asks(question: str) -> frozenset[str]:
    """The ``KINDS`` of answer a question asks for (none, one or several: "how long until it works?")."""
    return frozenset(kind for kind in KINDS if _ASKS[kind].search(question))


@lru_cache(maxsize=1 << 16)
def offers(sentence: str) -> frozenset[str]:
    """The ``KINDS`` of answer a sentence offers. Answers quote the same sentences again and again."""
    return frozenset(kind for kind in KINDS if _OFFERS[kind].search(sentence))


# A question word anywhere ("ok so who do i tell", "wheres the nearest"), or a verb that opens a yes-or-no question at
# the start of a clause, after a word that only links it to what came before ("thanks. is it safe", "so can i stop"):
# English grammar, the same on any page.
_QUESTION_WORD = re.compile(r"\b(what|how|why|when|where|which|who|whom|whose)('?s)?\b", re.IGNORECASE)
_OPENS_QUESTION = re.compile(r"^\W*((so|and|but|or|then|also|ok|okay|oh|well)\s+)?" + _YES_OR_NO, re.IGNORECASE)
_CLAUSES = re.compile(r"[.!;:,\n]+")


def asks_something(message: str) -> bool:
    """Whether a message asks anything: a question mark, a question word, or a clause that opens like a yes-or-no
    question. "ok thanks thats reassuring" asks nothing; "thank you. how do I find a specialist" does."""
    return "?" in message or bool(_QUESTION_WORD.search(message)) or any(
        _OPENS_QUESTION.search(clause) for clause in _CLAUSES.split(message))
