"""/calculator/: CEUs from minutes, an activity list or a timed agenda (wiring only: runs in the page's Web Worker)."""

from calc.conversions import parse_credit_systems
from calculator_pages.ceu_page import compute
from calculator_pages.page_session import Session

with open("credit_systems.csv", encoding="utf-8") as handle:
    SYSTEMS = parse_credit_systems(handle.read())

session = Session(lambda values: compute(values, SYSTEMS))


def handle(message):
    return session.handle(message.to_py())
