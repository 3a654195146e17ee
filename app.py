"""ros1qa: a patient asks; the pages answer in their own words, with a citation.

Layout only: every decision (urgent routing, retrieval, abstention, escaping, storage) is in the
library; the pages live in ``pages/`` and are run through ``st.navigation``.
"""

from __future__ import annotations

import streamlit as st
from pages import batch_page, chat

st.set_page_config(page_title="ROS1+ cancer questions", page_icon="💬", layout="centered")
page = st.navigation([
    st.Page(chat.render, title="Ask a question", icon=":material/chat:", url_path="ask", default=True),
    st.Page(batch_page.render, title="Many questions (volunteers)", icon=":material/table:", url_path="batch"),
])
page.run()
