"""/eligibility/: is a program eligible for CEU credit? (wiring only: runs in the page's Web Worker)."""

from calculators.eligibility_page import compute
from calculators.page_session import Session

session = Session(compute)


def handle(message):
    return session.handle(message.to_py())
