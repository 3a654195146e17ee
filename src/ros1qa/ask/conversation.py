"""A message in a conversation: which earlier messages a follow-up continues, and whether it does.

"Does it work for ROS1?" after "What is immunotherapy?" asks about immunotherapy; "How is ROS1 tested?"
after the same asks about testing alone. The engine reads a message both ways, alone and together with
the question before it (``joined``, searched with ``together``: one encode more), and the follow-up model decides which reading
to answer from (``continues``), from the text and the retrieval evidence of both readings (``FollowUp``):
how sure the answer model is of each, whether the message names things the pages speak of, whether it
points back. It is the answer model's calibrated regression over these features, learned by ``ros1qa
train`` from labelled conversations about many pages (``training/conversations``) and shipped as
``follow_up_model.json``. Pure functions over answers already given; no index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1qa.ask.answer import Answer
from ros1qa.ask.answer_model import AnswerModel

MODEL_FILE = Path(__file__).with_name("follow_up_model.json")
FOLLOW_UP_FEATURES = (
    "alone",  # the answer model's confidence in the best passage of the message read alone
    "together",  # … of the message read with the question before it
    "gain",  # together − alone
    "score_gain",  # the best ranking score together − alone
    "cosine",  # cosine of the model's vectors of the two readings: how much the earlier question adds
    "known",  # the message's own concepts that the pages use (at most 4)
    "unknown",  # its concepts that no page uses
    "refers",  # it has a word that points back (a pronoun or demonstrative: ``REFERRING``)
    "words",  # log(1 + its number of words)
    "same_lead",  # both readings lead with the same passage
    "kept",  # how much of its meaning is left without the words no page uses
)
FOLLOW_UP_VERSION = "follow-up-v2"
# English words that point back to something said before: personal pronouns and demonstratives, a closed
# grammatical class (the same for any page), not words gathered from our own conversations.
REFERRING = frozenset((
    "it", "its", "itself", "they", "them", "their", "theirs", "this", "that", "these", "those",
    "he", "him", "his", "she", "her", "hers", "one", "ones", "there", "then", "such", "same",
))
MAX_HISTORY = 10  # earlier messages of a conversation that are read at all (the last ones)
MAX_EARLIER = 2  # earlier messages a follow-up is read with at most: the question it continues and the one before
EARLIER_WORDS = 16  # of them, the last words a follow-up is read with: a transformer's cost grows with the text


def refers_back(message_words: Sequence[str]) -> bool:
    """Whether a message has a word that points back to something said before (``REFERRING``)."""
    return any(w in REFERRING for w in message_words)


def context(earlier: Sequence[Answer]) -> tuple[str, ...]:
    """The earlier messages a follow-up would be read with: the last question asked (small talk and emergencies
    are passed over), and the one before it when that question was itself read with it."""
    question = last_question(earlier)
    if question is None:
        return ()
    return (*question.read_with[len(question.read_with) - (MAX_EARLIER - 1):], question.question.strip())


def last_question(earlier: Sequence[Answer]) -> Answer | None:
    """The answer to the last message that asked something (answered or not), or None. "Tell me more" asks
    nothing new: its answer re-shows an earlier one (what it searched is not its own question), so it is passed over."""
    return next((a for a in reversed(earlier) if a.status in ("answered", "not_found") and a.question.strip()
                 and a.searched.strip().endswith(a.question.strip())), None)


def joined(earlier: Sequence[str], message: str) -> str:
    """The text a follow-up is searched with: the end of the earlier messages (their last ``EARLIER_WORDS``
    words, where a long message puts its question), then it, in the patient's own words."""
    before = " ".join(earlier).split()
    return " ".join((*before[-EARLIER_WORDS:], message))


@dataclass(frozen=True)
class FollowUp:
    """A message read alone and with the question before it: the evidence for choosing a reading."""

    alone: float
    together: float
    alone_score: float
    together_score: float
    cosine: float
    known: int
    unknown: int
    words: tuple[str, ...]  # the message's words, folded
    same_lead: bool
    kept: float

    def features(self) -> np.ndarray:
        """``FOLLOW_UP_FEATURES``, in order."""
        return np.array([
            self.alone, self.together, self.together - self.alone, self.together_score - self.alone_score,
            self.cosine, min(self.known, 4), self.unknown, float(refers_back(self.words)),
            np.log1p(len(self.words)), float(self.same_lead), self.kept,
        ])


def together(message: np.ndarray, joined: np.ndarray) -> np.ndarray:
    """The vector a follow-up is searched with: the model's vector of the joined text, plus the message's own.
    The earlier question is usually the longer text and would drown what the message adds ("what percentage
    respond?" after "are ROS1 patients likely to respond?"); the sum weighs the message as much as all of it."""
    summed = message.astype(np.float32) + joined.astype(np.float32)
    return summed / np.float32(np.linalg.norm(summed))


def continues(evidence: FollowUp, model: AnswerModel | None) -> bool:
    """Whether to read a message with the conversation before it: a follow-up ("why not?") is understood only
    together; a self-contained question loses nothing read alone, and the old topic would only pull it back.
    Without a model, the reading whose best passage the answer model is surer of."""
    if model is None:
        return evidence.together > evidence.alone
    return bool(model.probability(evidence.features())[0] >= model.threshold)
