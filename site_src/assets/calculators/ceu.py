"""/calculator/: CEUs from minutes, an activity list or a timed agenda (wiring only)."""

from adapter import mount

from calc.conversions import parse_credit_systems
from calculators.ceu_page import compute

with open("credit_systems.csv", encoding="utf-8") as handle:
    SYSTEMS = parse_credit_systems(handle.read())

mount("ceu", lambda values: compute(values, SYSTEMS))
