"""Urgent and crisis messages: recognised before any search, answered with a fixed message.

A message is urgent when it describes an emergency in the writer's own situation, or of someone
they are with: "i cant breathe", "my dad is coughing up blood", "on chemo and my temp is 39.4",
"i want to end my life". Questions about the same signs in general ("can immunotherapy cause
breathing problems?", "what should i do if i ever get a fever") are information, not emergencies.

How a message is read (pure functions over normalised text; the words are in ``emergency_signs``):

1. Crisis statements ("kill myself", "i dont want to live") are urgent however they are framed.
2. Each emergency sign (breathing, chest, bleeding, stroke, senses, collapse, allergy, fever, overdose,
   suicide) is discounted when negated ("no chest pain"), mild ("a bit short of breath") or long
   past ("last year", "had a stroke"); a faint or fit is over when the person is said to be fine now after
   it. Otherwise it is urgent when *attributed*: a person ("i",
   "my wife", "he", "dad") comes shortly before it with no hypothetical or general word between
   or just before ("if", "ever", "can", "cause", "my friend said").
3. A sign nobody is attributed is urgent in a bare statement ("crushing chest pain right now") or
   with a call for help, not in a question about signs in general ("is chest pain a side effect"), nor
   when its own clause opens as a question ("in australia, do hospitals use 38 as the fever cut-off").
4. Asking whether to call an ambulance or go to the emergency room is urgent on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ros1qa.safety.emergency_signs import (
    AFTER_EVENT,
    BLOCKERS,
    CLAUSE_BREAK,
    CONDITION,
    CONDITIONAL,
    CRISIS,
    CRISIS_NEGATION,
    DISTANT_PAST,
    DYING_WISH,
    EMERGENCY_CALL,
    FEVER_ALONE,
    FEVER_CELSIUS,
    FEVER_FAHRENHEIT,
    FEVER_WORD,
    GENERAL,
    HELP,
    HISTORY,
    HYPOTHETICAL,
    MILD,
    MILD_KINDS,
    NEGATION,
    NUMBER,
    ONGOING,
    PEOPLE,
    QUESTION_START,
    RECOVERED,
    RECOVERING_KINDS,
    SIGNS,
    SUBJECT,
    TREATMENT,
    UNIT,
)

WORD = re.compile(r"[a-z0-9]+")
WINDOW = 8  # words before a sign in which its person is looked for
REACH = 200  # characters around a sign that are read (keeps long messages linear)


@dataclass(frozen=True)
class Sign:
    """An emergency sign found in one sentence: its kind and where it is."""

    kind: str
    start: int
    end: int


def normalise(message: str) -> str:
    """Lower case; accents, invisible characters and apostrophes removed; hyphens as spaces; one space."""
    decomposed = unicodedata.normalize("NFKD", message)
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) not in ("Cf", "Cs")
    )
    text = re.sub(r"['’‘`´ʼ]", "", kept.lower())
    return re.sub(r"\s+", " ", re.sub(r"[-_/–—~*]", " ", text)).strip()


def sentences(text: str) -> list[str]:
    """Split at . ! ? ; and line ends (not at a decimal point such as 39.6)."""
    return [s.strip() for s in re.split(r"(?<!\d)\.|\.(?!\d)|[!?;\n]", text) if s.strip()]


def temperature_signs(sentence: str) -> list[Sign]:
    """Temperatures at or above 38.0 °C / 100.4 °F in a sentence that speaks of fever or temperature."""
    if not FEVER_WORD.search(sentence):
        return []
    found = []
    for number in NUMBER.finditer(sentence):
        value = float(number.group(1).replace(",", "."))
        following = UNIT.match(sentence, number.end())
        unit = (following.group(1) or "")[:1] if following else ""
        celsius = unit == "c" or (not unit and 35 <= value <= 45)
        fahrenheit = unit == "f" or (not unit and 95 <= value <= 115)
        if (celsius and value >= FEVER_CELSIUS) or (fahrenheit and value >= FEVER_FAHRENHEIT):
            found.append(Sign("fever", number.start(), number.end()))
    return found


def find_signs(sentence: str, on_treatment: bool) -> list[Sign]:
    """Every emergency sign in a sentence, in order; a plain "fever" counts when the message mentions treatment."""
    signs = [Sign(kind, m.start(), m.end()) for kind, pattern in SIGNS.items() for m in pattern.finditer(sentence)]
    signs += temperature_signs(sentence)
    if on_treatment:
        signs += [Sign("fever", m.start(), m.end()) for m in FEVER_ALONE.finditer(sentence)]
    return sorted(signs, key=lambda sign: sign.start)


def _words_before(sentence: str, position: int, count: int) -> list[str]:
    return WORD.findall(sentence[max(0, position - REACH):position])[-count:]


def _is_person(word: str) -> bool:
    return word in SUBJECT or word in PEOPLE or (word.endswith("s") and word[:-1] in PEOPLE)


def is_attributed(sentence: str, sign: Sign) -> bool:
    """A person comes shortly before the sign, with nothing hypothetical or general between or just before."""
    before = _words_before(sentence, sign.start, WINDOW + 3)
    for position in range(len(before) - 1, max(-1, len(before) - 1 - WINDOW), -1):
        word = before[position]
        if word in BLOCKERS:
            return False
        if _is_person(word):
            return not (HYPOTHETICAL.intersection(before[max(0, position - 3):position])
                        or CONDITION.intersection(before[:position]))
    return False


def clause_start(sentence: str, sign: Sign) -> int | None:
    """Where the sign's own clause begins: after the last clause break shortly before it (None: no break)."""
    breaks = CLAUSE_BREAK.finditer(sentence, max(0, sign.start - REACH), sign.start)
    return max((m.end() for m in breaks), default=None)


def is_discounted(sentence: str, sign: Sign) -> bool:
    """Negated ("no chest pain"), mild ("a bit short of breath") or past ("last year", "had a stroke"; not "since
    last week", which lasts until now)."""
    start = clause_start(sentence, sign)
    start = max(0, sign.start - REACH) if start is None else start
    before = WORD.findall(sentence[start:sign.start])[-3:]  # in the sign's own clause: "…not speak, one side of face"
    if NEGATION.intersection(before) or (sign.kind in MILD_KINDS and MILD.intersection(before)):
        return True
    if HISTORY.search(sentence[max(0, sign.start - 8):sign.end]) and "just" not in before:
        return True
    if AFTER_EVENT.search(sentence, max(0, sign.start - 20), sign.start):
        return True
    following = CLAUSE_BREAK.search(sentence, sign.end, sign.end + REACH)
    end = following.start() if following else min(len(sentence), sign.end + REACH)
    return any(not ONGOING.search(sentence, max(0, m.start() - 12), m.start())
               for m in DISTANT_PAST.finditer(sentence, start, end))


def judge(sentence: str, sign: Sign, asks_for_help: bool) -> bool:
    """Whether one sign in one sentence makes the message urgent."""
    if is_discounted(sentence, sign):
        return False
    if is_attributed(sentence, sign):
        return True
    if GENERAL.intersection(_words_before(sentence, sign.start, 60)):
        return False
    return asks_for_help or not asks_a_question(sentence, sign)


def asks_a_question(sentence: str, sign: Sign) -> bool:
    """The sentence, or the sign's own clause, opens as a question ("in australia, do hospitals use 38 as …")."""
    clause = clause_start(sentence, sign)
    openings = (WORD.search(sentence), WORD.search(sentence, clause) if clause is not None else None)
    return any(opening is not None and opening.group() in QUESTION_START for opening in openings)


def is_crisis(text: str) -> bool:
    """A statement of suicidal or self-harm intent, not denied ("im not suicidal", "i dont want to die")."""
    for match in CRISIS.finditer(text):
        if CRISIS_NEGATION.intersection(_words_before(text, match.start(), 2)):
            continue
        if match.group().endswith("die") and DYING_WISH.match(text, match.end()):
            continue
        return True
    return False


def recovered_after(parts: list[str], number: int, sign: Sign) -> bool:
    """The person is said to be fine now after the sign: later in its sentence or in a later one."""
    return RECOVERED.search(parts[number], sign.end) is not None or any(RECOVERED.search(s) for s in parts[number + 1:])


def urgent_reason(message: str) -> str | None:
    """The kind of emergency the message describes ("crisis", "breathing", "fever", "help" …), or None."""
    text = normalise(message)
    if is_crisis(text):
        return "crisis"
    on_treatment = TREATMENT.search(text) is not None
    parts = sentences(text)
    for number, sentence in enumerate(parts):
        calls = EMERGENCY_CALL.search(sentence) is not None
        asks_for_help = calls or HELP.search(sentence) is not None
        for sign in find_signs(sentence, on_treatment):
            if sign.kind in RECOVERING_KINDS and recovered_after(parts, number, sign):
                continue
            if judge(sentence, sign, asks_for_help):
                return sign.kind
        if calls and not CONDITIONAL.search(sentence):
            return "help"
    return None


def is_urgent(message: str) -> bool:
    """True when the message describes an emergency or a crisis that needs help now, not information."""
    return urgent_reason(message) is not None
