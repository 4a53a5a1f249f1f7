"""The fields of the calculator forms the build writes, each declared once.

A :class:`Field` is one control of a form: the build renders its label, control, hint and
error slot from it (:mod:`site_build.calculator_forms`), the page describes that control to its
worker, which reads and writes the URL with it (:mod:`calculator_pages.url_state`), and the
guides' worked examples take the form's field names as their header lines
(:mod:`site_build.embeds`). A calculator names its fields in :mod:`calculator_pages.registry`.
Plain data, standard library only (it is zipped for the worker with the rest of the package).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from calc.cec import FAILING_GRADES, PASSING_GRADES
from calculator_pages.url_state import Control

Kind = Literal["text", "date", "textarea", "select", "checkbox"]


@dataclass(frozen=True)
class Field:
    """One labelled control: ``kind`` is its type (a ``textarea`` or ``select`` is its own
    element; a ``checkbox`` sits in its label, ticked is ``yes``), ``hint`` the line under it (none
    when empty), ``attributes`` what else its control carries, in order (``maxlength``,
    ``inputmode``, ...), ``wide`` a field that takes the form's whole width; a select's
    ``options`` are (value, text) pairs and ``selected`` the value of the one marked selected."""

    name: str
    label: str
    kind: Kind = "text"
    hint: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    wide: bool = False
    options: tuple[tuple[str, str], ...] = ()
    selected: str | None = None

    def control(self) -> Control:
        """The control as the page describes it to its worker."""
        if self.kind == "select":
            return Control(self.name, "select-one", tuple(value for value, _ in self.options), self.selected)
        return Control(self.name, self.kind)


@dataclass(frozen=True)
class Group:
    """Fields shown together under a legend (a ``fieldset``, ``#<calculator>-<id>``)."""

    id: str
    legend: str
    fields: tuple[Field, ...]


Part = Field | Group


def every_field(parts: Iterable[Part]) -> Iterator[Field]:
    """The fields of a form's parts, in order (a group's in its place)."""
    for part in parts:
        yield from part.fields if isinstance(part, Group) else (part,)


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


def _amount(name: str, label: str, hint: str = "") -> Field:
    typed = (("maxlength", "40"), ("autocapitalize", "off"), ("spellcheck", "false"))
    return Field(name, label, hint=hint, attributes=typed)


def _university(name: str, label: str) -> Field:
    return Field(name, label, attributes=(("inputmode", "decimal"), ("maxlength", "12")))


CEC = (
    _amount(
        "hours",
        "Hours of structured learning",
        "Time in the educational part of an ACE-approved course: 0.1 CEC per hour. "
        "A number is hours; 12h30 or 90 min work too.",
    ),
    Group(
        "university",
        "University credit",
        (
            _university("semester_hours", "Semester hours"),
            _university("quarter_hours", "Quarter hours"),
            Field(
                "grade",
                "Grade on the transcript",
                "select",
                "C or better counts; keep the grade report or transcript.",
                options=(("", "not given"), *((grade, grade) for grade in PASSING_GRADES + FAILING_GRADES)),
                selected="",
            ),
        ),
    ),
    Group(
        "safety",
        "Safety certifications (0.2 CEC each)",
        (
            Field("cpr", "CPR", "checkbox"),
            Field("aed", "AED", "checkbox"),
            Field("first_aid", "First Aid", "checkbox"),
        ),
    ),
    _amount("workout_hours", "Workout or activity sessions (hours)", "Listed to show they earn no CEC."),
    Field(
        "course_number",
        "ACE course number (optional)",
        hint="CEP, CP, CA, CS or CL and 5 or 6 digits, e.g. CEP123456 or CA23456.",
        attributes=(("maxlength", "40"), ("autocapitalize", "characters"), ("spellcheck", "false")),
    ),
)
