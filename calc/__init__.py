"""OpenCEU credit engine: the one place where credit rules live.

Standard library only, so the same code runs in CPython (CLI, site build) and,
unchanged, in the browser under Pyodide. Every quantity is a ``decimal.Decimal``.
"""

from calc.ceu import CeuResult, RoundingPolicy, iacet_ceus
from calc.errors import CreditInputError

__all__ = ["CeuResult", "CreditInputError", "RoundingPolicy", "iacet_ceus"]
