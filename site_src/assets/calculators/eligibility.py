"""/eligibility/: is a program eligible for CEU credit? (wiring only)."""

from adapter import mount

from calculators.eligibility_page import compute

mount("eligibility", compute)
