"""/deadlines/: a CEU program's approval and credit deadlines, and a calendar of them (wiring only: runs in the page's Web Worker)."""

from calculator_pages.deadline_page import compute
from calculator_pages.page_session import Session

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
