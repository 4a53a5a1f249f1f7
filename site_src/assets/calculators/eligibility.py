"""/eligibility/: is a program eligible for CEU credit? (wiring only: runs in the page's Web Worker)."""

from calculator_pages.eligibility_page import compute
from calculator_pages.page_session import Session

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
