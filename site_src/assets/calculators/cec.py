"""/cec/: ACE CECs for hours, university credit and safety courses (wiring only)."""

from adapter import mount

from calculators.cec_page import compute

mount("cec", compute)
