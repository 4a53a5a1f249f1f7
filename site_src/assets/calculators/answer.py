"""/will-it-count/: will a body count IACET CEUs, with the evidence (wiring only: runs in the page's Web Worker)."""

import json

from calc.conversions import parse_credit_systems
from calculator_pages.answer_page import AnswerData, compute
from calculator_pages.page_session import Session

with open("credit_systems.csv", encoding="utf-8") as handle:
    SYSTEMS = parse_credit_systems(handle.read())
with open("answers.json", encoding="utf-8") as handle:
    DATA = AnswerData.from_json(json.load(handle))

session = Session(lambda values: compute(values, DATA, SYSTEMS))


def handle(message):
    return session.handle(message.to_py())
