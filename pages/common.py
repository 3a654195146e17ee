"""What every page shares: the engine (loaded once per server process), the header, the feedback file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ros1qa.ask import messages
from ros1qa.ask.engine import Engine
from ros1qa.errors import Ros1qaError
from ros1qa.feedback import FeedbackStore, feedback_path
from ros1qa.presentation import escape_markdown
from ros1qa.service import open_engine
from ros1qa.settings import Settings, settings_from_env

ROOT = Path(__file__).resolve().parent.parent
STYLE = Path(__file__).resolve().parent / "style.css"

# Offered to first-time visitors; only those the pages answer are shown (checked when the engine loads).
SUGGESTED_QUESTIONS = (
    "Is immunotherapy the first treatment for ROS1+ cancer?",
    "What is immunotherapy?",
    "Why is targeted therapy preferred over immunotherapy?",
    "Has chemotherapy plus immunotherapy been tested in ROS1+ cancer?",
)


@dataclass(frozen=True)
class Library:
    """The loaded engine and the suggested questions it can answer."""

    engine: Engine
    suggestions: tuple[str, ...]


@st.cache_resource(show_spinner="Opening the library of pages (the first visit after a restart takes a few seconds)…")
def load_library(settings: Settings) -> Library:
    """One engine (index + model) per server process and settings, shared by every visitor."""
    engine = open_engine(settings)
    answerable = tuple(q for q in SUGGESTED_QUESTIONS if engine.ask(q).status == "answered")
    return Library(engine, answerable)


def library_or_stop() -> Library:
    """The shared library, or the library's own error (which says how to fix it) and nothing else."""
    try:
        return load_library(settings_from_env(os.environ, ROOT))
    except Ros1qaError as error:
        st.error(f"The assistant cannot start: {escape_markdown(str(error))}", icon=":material/error:")
        st.stop()
        raise  # st.stop() raises; this line is for type checkers


def feedback_store() -> FeedbackStore:
    return FeedbackStore(feedback_path(os.environ, ROOT))


def header(title: str) -> None:
    """The page title, and the disclaimer, which stays in view while the page scrolls (style.css)."""
    st.html(STYLE)
    st.title(title, anchor=False)
    with st.container(key="disclaimer"):
        st.caption(f":material/medical_information: {messages.DISCLAIMER}")
