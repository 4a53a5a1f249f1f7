"""/deadlines/: a CEU program's approval and credit deadlines, and a calendar of them (wiring only)."""

from adapter import mount

from calculators.deadline_page import compute

mount("deadlines", compute)
