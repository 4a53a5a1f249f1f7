"""/accreditation/: an IACET accreditation's five-year cycle, and a calendar of it (wiring only: runs in the page's Web Worker)."""

from calculator_pages.accreditation_page import compute
from calculator_pages.page_session import Session

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
