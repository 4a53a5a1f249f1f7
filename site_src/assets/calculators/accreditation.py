"""/accreditation/: an IACET accreditation's five-year cycle, and a calendar of it (wiring only: runs in the page's Web Worker)."""

from calculators.accreditation_page import compute
from calculators.page_session import Session

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
