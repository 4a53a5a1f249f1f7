"""/accreditation/: an IACET accreditation's five-year cycle, and a calendar of it (wiring only)."""

from adapter import mount

from calculators.accreditation_page import compute

mount("accreditation", compute)
