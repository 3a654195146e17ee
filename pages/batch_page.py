"""The batch page for volunteers: upload questions, get every answer with its quote and citation, download it."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from pages.common import header, library_or_stop
from ros1qa.ask.answer import Answer
from ros1qa.batch import BatchError, answer_row, answers_csv, answers_jsonl, ask_all, read_questions
from ros1qa.presentation import escape_markdown

RESULT = "batch_result"  # (upload id, file name, answers)
COLUMN_ORDER = ("question", "status", "confidence", "citation", "quote", "other_passages", "url", "message")


def _answer_upload(upload: UploadedFile) -> tuple[str, str, list[Answer]] | None:
    engine = library_or_stop().engine
    try:
        questions = read_questions(upload.getvalue(), upload.name)
    except BatchError as error:
        st.error(escape_markdown(str(error)))  # names the uploaded file, which the visitor chose
        return None
    bar = st.progress(0.0, text=f"Answering {len(questions)} questions…")
    answers = ask_all(engine.ask, questions, lambda done, total: bar.progress(done / total, text=f"{done} of {total}"))
    bar.empty()
    return upload.file_id, upload.name, answers


def render() -> None:
    st.set_page_config(layout="wide")  # room for the table; the chat page stays centred
    header("Answer many questions")
    library_or_stop()
    st.markdown(
        "For volunteers: upload questions — a text file with one question per line, or a CSV file with a "
        "`question` column — and get every answer with its status, quote and citation, as "
        "`ros1qa ask --jsonl` gives them."
    )
    upload = st.file_uploader("Questions file (.txt or .csv)", type=["txt", "csv"], max_upload_size=1)
    if upload is None:
        st.session_state.pop(RESULT, None)
        return
    result = st.session_state.get(RESULT)
    if result is None or result[0] != upload.file_id:
        result = _answer_upload(upload)
        if result is None:
            return
        st.session_state[RESULT] = result
    _, name, answers = result
    counts = {status: sum(a.status == status for a in answers) for status in ("answered", "not_found", "urgent")}
    st.markdown(
        f"**{len(answers)} questions:** {counts['answered']} answered, {counts['not_found']} not found, "
        f"{counts['urgent']} urgent."
    )
    st.dataframe([answer_row(a) for a in answers], hide_index=True, column_order=COLUMN_ORDER, column_config={
        "quote": st.column_config.TextColumn(width="large"),
    })
    stem = name.rsplit(".", 1)[0] or "questions"
    with st.container(horizontal=True):
        st.download_button("Download answers (CSV)", answers_csv(answers), file_name=f"{stem}-answers.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:")
        st.download_button("Download answers (JSONL)", answers_jsonl(answers), file_name=f"{stem}-answers.jsonl",
                           mime="application/jsonl", on_click="ignore", icon=":material/download:")
