"""Urgent and crisis messages: recognised before any search, answered with a fixed message.

A message is urgent when it describes an emergency in the writer's own situation (or of someone
they are with) — "I can't breathe", "my dad is coughing up blood", "I want to end my life".
Informational questions that use the same words ("can immunotherapy cause breathing problems?")
are not urgent and are answered from the pages.
"""

from __future__ import annotations

import re

from ros1qa.lexical import fold

_SELF = r"(?:i|i'm|im|i am|i've|ive|i have|i keep|i just|i think i|i feel like i|me|my|mine|we|we're|us)"
_OTHER = r"(?:my (?:wife|husband|partner|mom|mum|mother|dad|father|son|daughter|child|kid|friend|brother|sister|spouse|grandma|grandpa|grandmother|grandfather|boyfriend|girlfriend|patient)|he|she|they)"
_WHO = rf"(?:{_SELF}|{_OTHER})"

# Always urgent, whoever writes them: thoughts of suicide or self-harm in the first person.
CRISIS = re.compile(
    r"\b(?:(?:kill|hurt|harm|cut) (?:my ?self|myself)|end (?:my|it all|my own) ?(?:life)?|ending it all|"
    r"suicid(?:e|al)|take my (?:own )?life|don'?t want to (?:live|be alive|wake up)|"
    r"(?:better off|rather be) dead|no reason to live|want to die|wanna die|"
    r"overdos(?:e|ed|ing) on purpose|took (?:all|too many) (?:of )?(?:my )?(?:pills|tablets))\b"
)

# Emergencies described as happening now, to the writer or someone with them.
SYMPTOMS = (
    r"can'?t (?:breathe|breath|catch (?:my|his|her|their) breath|get (?:any )?air)|cannot breathe|"
    r"(?:trouble|difficulty|struggling|hard) (?:breathing|to breathe)|short(?:ness)? of breath|gasping|choking|"
    r"chest (?:pain|pains|tightness|pressure|hurts)|heart attack|"
    r"(?:cough(?:ing|ed)?|spit(?:ting)?|throw(?:ing)? up|vomit(?:ing|ed)?) (?:up )?(?:blood|bloody)|blood in (?:my|his|her) (?:vomit|cough|stool)|"
    r"stroke|face (?:is )?droop(?:ing|s)?|slurred speech|slurring|can'?t (?:move|feel) (?:my|his|her|one) (?:arm|leg|side|face)|"
    r"(?:bleeding|bleed) (?:a lot|heavily|badly|won'?t stop|that won'?t stop|nonstop)|(?:heavy|severe|uncontrolled) bleeding|won'?t stop bleeding|"
    r"(?:high |very high |a )?fever (?:of |is |over |above )?(?:10[0-9]|3[89]|4[0-2])|(?:high|very high|spiking a?) fever|"
    r"(?:passed|passing|blacked|blacking) out|faint(?:ed|ing)|unconscious|unresponsive|won'?t wake up|"
    r"seizure|seizing|convuls\w*|anaphyla\w*|throat (?:is )?(?:closing|swelling)|swollen throat|"
    r"overdos(?:e|ed)|took too (?:many|much)|severe (?:pain|allergic reaction)|confused and|suddenly confused|"
    r"lips (?:are |turning )?blue|turning blue"
)
_NOW = r"(?:right now|now|currently|just|suddenly|today|tonight|this (?:morning|evening|afternoon)|keep|keeps|started|having|am|is|are|can'?t|won'?t)"
URGENT_SITUATION = re.compile(
    rf"\b{_WHO}\b[^.?!]{{0,60}}?\b(?:{SYMPTOMS})"  # "I have severe trouble breathing", "my dad is coughing up blood"
    rf"|\b(?:{SYMPTOMS})\b[^.?!]{{0,40}}\b(?:{_NOW})\b"  # "chest pain right now"
    rf"|^\s*(?:help\W*)?(?:{SYMPTOMS})\b[^?]*$"  # a bare statement: "coughing up blood", "can't breathe help"
    r"|\b(?:help|emergency|call 911|call an ambulance|ambulance)\b[^?]*$"
)

# Questions about symptoms in general are information, not emergencies.
INFORMATIONAL = re.compile(
    r"^\s*(?:can|could|does|do|is|are|will|would|what|which|how|why|when|should|may|might)\b[^.!]*"
    r"\b(?:cause|causes|caused|side effects?|risk|common|happen|mean|sign|signs|symptom|symptoms|treat|treated|"
    r"linked|related|associated|lead to|result in)\b"
)


def normalise(message: str) -> str:
    return re.sub(r"\s+", " ", fold(message).replace("’", "'").replace("‘", "'")).strip()


def is_urgent(message: str) -> bool:
    """True when the message describes an emergency or a crisis that needs help now, not information."""
    text = normalise(message)
    if CRISIS.search(text):
        return True
    if INFORMATIONAL.search(text) and not re.search(rf"\b{_NOW}\b.*\b(?:{SYMPTOMS})|\b(?:{SYMPTOMS})\b.*\b(?:right now|now)\b", text):
        return False
    return URGENT_SITUATION.search(text) is not None
