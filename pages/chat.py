"""The chat page: a patient asks; the pages answer in their own words, with a citation."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import streamlit as st

from pages.common import ROOT, Library, feedback_store, header, library_or_stop
from ros1qa.ask import messages
from ros1qa.ask.answer import Answer, Quote
from ros1qa.ask.engine import Engine
from ros1qa.batch import ScoredPassage, scored_passages
from ros1qa.errors import Ros1qaError
from ros1qa.feedback import REASONS, Feedback
from ros1qa.marking import highlighted, mark_answer, mark_not_covered, volunteers_path
from ros1qa.presentation import (
    citation_markdown,
    context_markdown,
    copy_text,
    escape_markdown,
    plain_markdown,
    quote_markdown,
    source_markdown,
)
from ros1qa.settings import settings_from_env

CONSENT = "feedback_consent"
SAVED = "feedback_saved"  # answer ids saved in this visit (deleted again if consent is withdrawn)
PENDING = "pending_question"
FOLD_SOURCES_OVER = 4  # more pages than this are listed in an expander, so the welcome fits a phone
MARKED = "marked-{}"  # per answer: what the volunteer's last mark did (saved, or why not)
PREVIEW_CHARS = 90  # of a passage, beside its "This passage answers it" button


@dataclass(frozen=True)
class Turn:
    """One question and its answer; ``id`` is random and keys the widgets and the feedback record."""

    id: str
    answer: Answer
    scores: tuple[ScoredPassage, ...]
    context: tuple[str, str]  # the best quote's section before and after it
    documents: tuple[str, ...] = ()  # the document of each of ``scores``, for a volunteer's mark


def ask(engine: Engine, question: str, history: list[Turn]) -> Turn:
    """The answer to ``question``, read with the conversation so far (kept in this browser session only)."""
    answer, ranked = engine.respond(question, [turn.answer for turn in history])
    scores = scored_passages(ranked, engine.index.passages, engine.threshold)
    context = engine.context(answer.quotes[0]) if answer.quotes else ("", "")
    documents = tuple(engine.index.passages[r.passage].doc_id for r in ranked[: len(scores)])
    return Turn(uuid.uuid4().hex, answer, tuple(scores), context, documents)


def _suggest(question: str) -> None:
    st.session_state[PENDING] = question


def show_sources(engine: Engine, fold: bool = True) -> None:
    """The pages the assistant quotes: title (linked) and publisher; a long list folds away if ``fold``."""
    sources = engine.sources()
    listing = "\n".join(source_markdown(title, url, publisher) for title, url, publisher in sources)
    if not fold or len(sources) <= FOLD_SOURCES_OVER:
        st.markdown(listing)
        return
    with st.expander(f"All {len(sources)} pages"):
        st.markdown(listing)


def show_welcome(library: Library) -> None:
    """What a first-time visitor needs: what this is, what it covers, and questions to try."""
    st.markdown(
        "Ask a question about ROS1-positive (ROS1+) cancer. I answer with passages, word for word, from "
        "trusted patient-education pages, and show where each comes from. If the pages don't answer it, I say so."
    )
    st.markdown("## What I cover", anchors=False)
    show_sources(library.engine)
    if library.suggestions:
        st.markdown("## Try asking", anchors=False)
        show_suggestions(library, "welcome")


def show_suggestions(library: Library, where: str) -> None:
    for number, question in enumerate(library.suggestions):
        st.button(question, key=f"suggestion-{where}-{number}", on_click=_suggest, args=(question,))


def show_quote(quote: Quote) -> None:
    st.markdown(quote_markdown(quote))
    st.markdown(citation_markdown(quote))


def show_answered(turn: Turn) -> None:
    best, *others = turn.answer.quotes
    show_quote(best)
    before, after = turn.context
    if before or after:  # a passage that is its whole section has no more context to show
        with st.expander("Show in context"):
            st.markdown(context_markdown(before, best, after))
    if others:
        with st.expander(f"Other relevant passages ({len(others)})"):
            for quote in others:
                show_quote(quote)
    with st.expander("Copy answer"):
        st.caption("The passage, its title and section, and the link, ready to paste into a message or forum post.")
        st.code(copy_text(best), language=None, wrap_lines=True)


def _feedback_changed(turn: Turn) -> None:
    """Save this answer's feedback, but only if the visitor has opted in."""
    if not st.session_state.get(CONSENT, False):
        return
    rating = st.session_state.get(f"rating-{turn.id}")
    reasons = st.session_state.get(f"reasons-{turn.id}") or []
    feedback = Feedback.about(turn.id, turn.answer, rating, reasons)
    feedback_store().save(feedback)
    saved: set[str] = st.session_state.setdefault(SAVED, set())
    if feedback.is_empty:
        saved.discard(turn.id)
    else:
        saved.add(turn.id)


def _consent_changed() -> None:
    """Withdrawing consent deletes what this visit saved."""
    if not st.session_state.get(CONSENT, False):
        feedback_store().delete(st.session_state.get(SAVED, set()))
        st.session_state[SAVED] = set()


def show_feedback(turn: Turn) -> None:
    with st.container(horizontal=True, vertical_alignment="center", key=f"feedback-{turn.id}"):
        st.markdown("Was this helpful?", width="content")
        st.feedback("thumbs", key=f"rating-{turn.id}", on_change=_feedback_changed, args=(turn,),
                    persist_state="session")
        if turn.answer.status == "answered":
            st.pills(
                "What was wrong?", list(REASONS), format_func=REASONS.get, selection_mode="multi",
                key=f"reasons-{turn.id}", on_change=_feedback_changed, args=(turn,), label_visibility="collapsed",
                persist_state="session",
            )
    given = st.session_state.get(f"rating-{turn.id}") is not None or bool(st.session_state.get(f"reasons-{turn.id}"))
    if turn.id in st.session_state.get(SAVED, set()):
        st.caption("Thank you: your feedback was saved.")
    elif given:
        st.caption("Thank you. Not saved: feedback is kept only if you tick “Save my feedback” below.")


def _score_row(scored: ScoredPassage) -> dict[str, object]:
    return {
        "rank": scored.rank, "confidence": round(scored.confidence, 3),
        "above threshold": "yes" if scored.above_threshold else "no", "dense": round(scored.dense, 3),
        "lexical": round(scored.lexical, 3), "coverage": round(scored.coverage, 3), "score": round(scored.score, 3),
        "section": scored.section or scored.title, "passage": scored.text,
    }


def show_scores(turn: Turn, engine: Engine) -> None:
    with st.expander("Volunteer view: top passages and their scores"):
        st.caption(
            f"The assistant answers only when the best confidence (the answer model's probability that the passage "
            f"answers) is at least {engine.threshold:.2f}, unless a labelled question worded almost the same says "
            f"otherwise, and also shows passages within {engine.settings.related_margin:.2f} of the best. "
            "Ranked by mixed score (cosine and BM25, plus votes of similar labelled questions)."
        )
        st.dataframe([_score_row(scored) for scored in turn.scores], hide_index=True)
        show_marking(turn)


def _mark(turn: Turn, scored: ScoredPassage | None = None, document: str = "") -> None:
    """Write a volunteer's mark: ``scored`` answers the question, or (None) the pages do not cover it."""
    corpus = settings_from_env(os.environ, ROOT).corpus_dir
    question = turn.answer.question
    try:
        if scored is None:
            mark_not_covered(corpus, question)
        else:
            mark_answer(corpus, question, scored.text, highlighted(turn.answer.quotes, document, scored.text), document)
    except Ros1qaError as error:
        st.session_state[MARKED.format(turn.id)] = (False, f"Not saved: {escape_markdown(str(error))}")
        return
    where = escape_markdown(str(volunteers_path(corpus)))
    saved = f"Saved as a labelled question in {where}. It is used from the next `ros1qa build`."
    st.session_state[MARKED.format(turn.id)] = (True, saved)


def _preview(scored: ScoredPassage) -> str:
    text = " ".join(scored.text.split())
    text = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS].rstrip() + "…"
    return f"**{scored.rank}.** {escape_markdown(scored.section or scored.title)} — {escape_markdown(text)}"


def show_marking(turn: Turn) -> None:
    """The volunteer's marks: which listed passage answers the question, or that the pages do not cover it."""
    st.caption("Marking writes this question's text to the corpus's labelled questions (labelled/volunteers.jsonl), "
               "which the next build uses to decide answers to questions like it.")
    for scored, document in zip(turn.scores, turn.documents):
        with st.container(horizontal=True, vertical_alignment="center", key=f"mark-row-{turn.id}-{scored.rank}"):
            st.markdown(_preview(scored), width="stretch")
            st.button("This passage answers it", key=f"mark-{turn.id}-{scored.rank}", on_click=_mark,
                      args=(turn, scored, document))
    st.button("Not covered by the pages", key=f"not-covered-{turn.id}", on_click=_mark, args=(turn,))
    marked = st.session_state.get(MARKED.format(turn.id))
    if marked is not None:
        saved, text = marked
        (st.success if saved else st.error)(text, icon=":material/check:" if saved else ":material/error:")


def show_turn(turn: Turn, library: Library, volunteer: bool) -> None:
    with st.chat_message("user"):
        st.markdown(plain_markdown(turn.answer.question))
    with st.chat_message("assistant"):
        answer = turn.answer
        if answer.status == "urgent":
            st.error(answer.message, icon=":material/emergency:")
            return
        if answer.status == "small_talk":
            st.markdown(escape_markdown(answer.message))
            show_suggestions(library, turn.id)
            return
        if answer.read_with:  # a follow-up: say how it was read, so a wrong reading is visible
            st.caption(f":material/forum: {escape_markdown(messages.read_with(answer.read_with))}")
        if answer.status == "not_found":
            st.info(answer.message, icon=":material/info:")
            with st.expander("What I cover"):
                show_sources(library.engine, fold=False)
        else:
            show_answered(turn)
        show_feedback(turn)
        if volunteer:
            show_scores(turn, library.engine)


def render() -> None:
    header("Questions about ROS1+ cancer")
    library = library_or_stop()
    with st.sidebar:
        volunteer = st.toggle("Volunteer view", key="volunteer_view", persist_state="session",
                              help="Show the top passages and their scores under each answer.")
    history: list[Turn] = st.session_state.setdefault("history", [])
    typed = st.chat_input("Type your question about ROS1+ cancer", max_chars=library.engine.max_question_chars)
    question = typed if typed is not None else st.session_state.pop(PENDING, None)
    if question is not None:
        history.append(ask(library.engine, question, history))
    show_welcome(library)
    for turn in history:
        show_turn(turn, library, volunteer)
    st.checkbox(
        "Save my feedback to help improve the answers",
        key=CONSENT, on_change=_consent_changed, persist_state="session",
        help="Off unless you tick it. When on, each rating you give is saved on this server with your question, "
             "the passage shown and the time, and nothing else (no name, no address, no browser details). "
             "Unticking it deletes what you saved during this visit.",
    )
