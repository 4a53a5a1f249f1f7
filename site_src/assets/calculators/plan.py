"""/course-plan/: contact hours, CEUs and the 51% delivery check of a course plan (wiring only: runs in the page's Web Worker)."""

from calculator_pages.page_session import Session
from calculator_pages.plan_page import compute

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
