"""/deadlines/: a CEU program's approval and credit deadlines, and a calendar of them (wiring only: runs in the page's Web Worker)."""

from calculators.deadline_page import compute
from calculators.page_session import Session

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
