"""The fields of the calculator forms the build writes, each declared once.

A :class:`Field` is one control of a form: the build renders its label, control, hint and
error slot from it (:mod:`site_build.calculator_forms`), the page describes that control to its
worker, which reads and writes the URL with it (:mod:`calculator_pages.url_state`), and the
guides' worked examples take the form's field names as their header lines
(:mod:`site_build.embeds`). A calculator names its fields in :mod:`calculator_pages.registry`.
Plain data, standard library only (it is zipped for the worker with the rest of the package).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from calculator_pages.url_state import Control

Kind = Literal["text", "date", "textarea"]


@dataclass(frozen=True)
class Field:
    """One labelled control: ``kind`` is its type (a ``textarea`` is its own element), ``hint``
    the line under it (none when empty), ``attributes`` what else its control carries, in order
    (``maxlength``, ``inputmode``, ...), and ``wide`` a field that takes the form's whole width."""

    name: str
    label: str
    kind: Kind = "text"
    hint: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    wide: bool = False

    def control(self) -> Control:
        """The control as the page describes it to its worker (its type, no options)."""
        return Control(self.name, self.kind)


def _list_field(name: str, label: str, hint: str) -> Field:
    return Field(name, label, "textarea", hint, (("rows", "3"), ("spellcheck", "false")), wide=True)


ACCREDITATION = (
    Field("accredited_on", "Accredited on", "date"),
    Field(
        "anniversary",
        "Dues anniversary, if it differs from the accreditation date",
        hint="MM-DD, e.g. 03-01.",
        attributes=(("inputmode", "numeric"), ("maxlength", "5"), ("placeholder", "MM-DD")),
    ),
    Field("as_of", "As of", "date", "Leave empty for today."),
)

DEADLINES = (
    Field(
        "title",
        "Program name (optional)",
        hint="Names the calendar; with a name, its events stay the same when the dates move.",
        attributes=(("maxlength", "120"),),
    ),
    Field("first_offering", "First offering", "date"),
    Field("last_day", "Last session day", "date", "Leave empty for a one-day program."),
    Field("submitted_on", "Approval request submitted on", "date"),
    Field("certificate_date", "Participant's certificate date", "date", "If it is later than the last day."),
    Field("applied_on", "Participant applied for CEUs on", "date"),
    _list_field(
        "holidays",
        "Days the office is closed",
        "YYYY-MM-DD, one per line or separated by commas. Business days skip weekends and these days.",
    ),
    _list_field(
        "sessions", "Year-long program: session dates", "One per line; each goes in its semester's batch."
    ),
)
