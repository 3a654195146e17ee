"""ros1qa chat page: a patient asks; the pages answer in their own words, with a citation.

Layout only: every decision (urgent routing, retrieval, abstention, escaping) is in the library.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from ros1qa import messages
from ros1qa.answer import Answer
from ros1qa.engine import Engine
from ros1qa.errors import Ros1qaError
from ros1qa.presentation import citation_markdown, escape_markdown, quote_markdown
from ros1qa.service import open_engine
from ros1qa.settings import settings_from_env

ROOT = Path(__file__).resolve().parent


@st.cache_resource(show_spinner="Opening the library of pages…")
def load_engine() -> Engine:
    """One engine (index + model) per server process, shared by every visitor."""
    return open_engine(settings_from_env(os.environ, ROOT))


def show_answer(answer: Answer) -> None:
    if answer.status == "urgent":
        st.error(answer.message, icon="🚨")
        return
    if answer.status == "not_found":
        st.info(answer.message, icon="ℹ️")
        return
    best, *others = answer.quotes
    st.markdown(quote_markdown(best))
    st.markdown(citation_markdown(best))
    if others:
        with st.expander(f"Other relevant passages ({len(others)})"):
            for quote in others:
                st.markdown(quote_markdown(quote))
                st.markdown(citation_markdown(quote))


st.set_page_config(page_title="ROS1+ cancer questions", page_icon="💬", layout="centered")
st.title("Questions about ROS1+ cancer")
st.caption(f"⚕️ {messages.DISCLAIMER}")

try:
    engine = load_engine()
except Ros1qaError as error:
    st.error(str(error))
    st.stop()

history: list[Answer] = st.session_state.setdefault("history", [])
conversation = st.container(height=520, border=False)
with conversation:
    for past in history:
        with st.chat_message("user"):
            st.markdown(escape_markdown(past.question))
        with st.chat_message("assistant"):
            show_answer(past)

question = st.chat_input("Type your question about ROS1+ cancer")
if question is not None:
    answer = engine.ask(question)
    history.append(answer)
    with conversation:
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))
        with st.chat_message("assistant"):
            show_answer(answer)
