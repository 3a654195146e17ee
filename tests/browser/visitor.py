"""What a person does on the chat page, in Playwright terms (shared by the tests and the screenshot script)."""

from __future__ import annotations

import re
from typing import Any

QUESTION_BOX = "Type your question about ROS1+ cancer"
ASSISTANT = '[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarAssistant"])'
USER = '[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarUser"])'


def answers(page: Any) -> Any:
    return page.locator(ASSISTANT)


def ask(page: Any, question: str) -> Any:
    """Type the question, press Enter, and return the assistant's message once it has rendered."""
    before = answers(page).count()
    box = page.get_by_role("textbox", name=QUESTION_BOX)
    box.fill(question)
    box.press("Enter")
    return wait_for_answer(page, before)


def wait_for_answer(page: Any, before: int) -> Any:
    """The new assistant message after ``before`` of them, once the script run that made it has finished."""
    page.wait_for_function(f"""document.querySelectorAll('{ASSISTANT}').length > {before}
        && document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'""")
    message = answers(page).nth(before)
    message.locator("[data-testid=stMarkdownContainer], [data-testid=stAlert]").first.wait_for()
    return message


def suggestions(page: Any) -> Any:
    """The suggested questions under "Try asking"."""
    return page.locator("[data-testid=stMainBlockContainer] [data-testid=stButton] button").filter(
        has_text=re.compile(r"\?$"))


def click_suggestion(page: Any, number: int = 0) -> tuple[str, Any]:
    before = answers(page).count()
    button = suggestions(page).nth(number)
    question = button.inner_text().strip()
    button.click()
    return question, wait_for_answer(page, before)


def open_expander(message: Any, label: str) -> Any:
    """Open the expander called ``label`` in a message and return its content."""
    expander = message.locator("[data-testid=stExpander]").filter(has=message.page.locator("summary", has_text=label))
    expander.locator("summary").click()
    content = expander.locator("[data-testid=stExpanderDetails]")
    content.wait_for()
    return content
