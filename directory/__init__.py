"""The OpenCEU directory: sourced CSV tables, their schema, validation and pages.

Kept apart from ``calc`` (the credit engine) so that ``import calc`` stays free of
anything but the standard library; this package may use Jinja2 for pages.
"""
