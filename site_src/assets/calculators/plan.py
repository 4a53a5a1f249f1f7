"""/course-plan/: contact hours, CEUs and the 51% delivery check of a course plan (wiring only)."""

from adapter import mount

from calculators.plan_page import compute

mount("plan", compute)
