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

Kind = Literal["text", "date", "textarea", "select", "checkbox", "radio", "file", "password"]


@dataclass(frozen=True)
class Field:
    """One labelled control: ``kind`` is its type (a ``textarea`` or ``select`` is its own
    element; a ``checkbox`` sits in its label, ticked is ``yes``; a ``radio`` field is a group of
    radio buttons under its label as legend), ``hint`` the line under it (none when empty),
    ``attributes`` what else its control carries, in order (``maxlength``, ``inputmode``, ...),
    ``wide`` a field that takes the form's whole width; a select's or radio group's ``options``
    are (value, text) pairs and ``selected`` the value of the one marked selected or checked.

    Labels and hints are text; a part between backticks is shown as code (a format to type).
    ``unit`` is a short line beside the control; ``note`` a slot under it for a hint the page
    writes (``.calc-note``, see calculator.js); ``text`` a textarea's starting text;
    ``hint_embed`` names the embed whose output is the hint, when the engine knows it (the
    activity kinds), instead of ``hint``. ``box`` is the field's box's own id and ``box_class``
    a class it has besides ``calc-field``, for a page script that finds the box (a file's drop
    area); a ``file`` field is never set from a URL."""

    name: str
    label: str
    kind: Kind = "text"
    hint: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    wide: bool = False
    options: tuple[tuple[str, str], ...] = ()
    selected: str | None = None
    unit: str = ""
    note: bool = False
    text: str = ""
    hint_embed: str = ""
    box: str = ""
    box_class: str = ""

    @property
    def private(self) -> bool:
        """Kept out of the URL (``data-private``), as the page describes it."""
        return any(key == "data-private" for key, _ in self.attributes)

    def controls(self) -> tuple[Control, ...]:
        """The controls as the page describes them to its worker (a radio group's: one a button)."""
        if self.kind == "select":
            options = tuple(value for value, _ in self.options)
            return (Control(self.name, "select-one", options, self.selected, private=self.private),)
        if self.kind == "radio":
            return tuple(
                Control(
                    self.name,
                    "radio",
                    (value,),
                    "yes" if value == self.selected else "",
                    private=self.private,
                )
                for value, _ in self.options
            )
        return (Control(self.name, self.kind, initial=self.text, private=self.private),)


@dataclass(frozen=True)
class Group:
    """Fields shown together under a legend (a ``fieldset``, ``#<calculator>-<id>``)."""

    id: str
    legend: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Built:
    """A part of the form the build writes from the site's data with the embed ``embed`` (in a
    ``div`` of class ``css``): the CEU calculator's rule list, whose options are the credit
    systems of the directory's data, so they are not declared here."""

    embed: str
    css: str


@dataclass(frozen=True)
class When:
    """Parts shown only while a choice has a value (``data-when="mode=agenda"``, calculator.js);
    ``shown`` is whether they show before the page's script runs (the choice's starting value)."""

    condition: str
    parts: tuple[Field | Group, ...]
    shown: bool = False

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(every_field(self.parts))


@dataclass(frozen=True)
class Form:
    """The fields of one of a page's several forms (the recertification tracker's three): the
    page's ``calculator-fields`` embed names it (``form: <id>``) inside that ``<form>``."""

    id: str
    parts: tuple[Field | Group | When | Built, ...]

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(every_field(self.parts))


Part = Field | Group | When | Built | Form


def every_field(parts: Iterable[Part]) -> Iterator[Field]:
    """The declared fields of a form's parts, in order (a group's in its place; a built part's
    controls come from the data, and are not declared)."""
    for part in parts:
        if isinstance(part, Built):
            continue
        yield from part.fields if isinstance(part, Group | When | Form) else (part,)


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


def _time(name: str, label: str, unit: str) -> Field:
    typed = (("autocapitalize", "off"), ("spellcheck", "false"))
    return Field(name, label, attributes=typed, unit=unit, note=True)


def _lines(name: str, label: str, rows: int, text: str, hint: str = "", hint_embed: str = "") -> Field:
    typed = (("rows", str(rows)), ("spellcheck", "false"))
    return Field(name, label, "textarea", hint, typed, wide=True, text=text, hint_embed=hint_embed)


CEU = (
    Field(
        "mode",
        "What do you have?",
        "radio",
        options=(
            ("minutes", "Total and excluded time"),
            ("activities", "A list of activities"),
            ("agenda", "A timed agenda"),
        ),
        selected="minutes",
    ),
    When(
        "mode=minutes",
        (
            _time("minutes", "Total time of all activities", "minutes, or hours and minutes: 6h30, 1.5 h"),
            _time(
                "excluded",
                "Excluded time (breaks, non-working meals, promotional content)",
                "minutes, or hours and minutes: 1h15",
            ),
        ),
        shown=True,
    ),
    When(
        "mode=activities",
        (
            _lines(
                "activities",
                "Activities, one per line as CSV: `kind,minutes,title`",
                7,
                "kind,minutes,title\nclassroom,240,Lectures\nbreak,30,Coffee breaks\n",
                hint_embed="activity-kinds",
            ),
        ),
    ),
    When(
        "mode=agenda",
        (
            _lines(
                "agenda",
                "Timed agenda, one item per line: `09:00-10:30 Title`",
                9,
                "Day 1\n09:00-10:30 Keynote\n10:30-10:45 Coffee break\n10:45-12:00 Workshop\n"
                "12:00-13:00 Lunch (non-working)\n13:00-14:30 Case studies\n",
                "24-hour times. Breaks, non-working meals and promotional items are found by their titles; "
                "end a line with `[counted]` or `[excluded: why]` to decide yourself. "
                "`Day 2` or a date starts a new day.",
            ),
        ),
    ),
    Built("rule-choice", "calc-rule"),
)


#: The tracker's forms: the day it reports as of, a credential to add, an activity to add. The
#: credentials, certificate units and activity kinds on offer are the site's data: the page's
#: script lists them from what its worker read (calculator_pages.tracker_session, ``load``).
PRIVATE = (("data-private", ""),)
RECERT = (
    Form(
        "report",
        (Field("as_of", "Where you stand on", "date", "Leave empty for today.", PRIVATE),),
    ),
    Form(
        "credential",
        (
            Field(
                "requirement",
                "Credential",
                "select",
                "The body and credential whose requirement counts your activities.",
                PRIVATE,
                options=(("", "Choose a credential"),),
                selected="",
            ),
            Field(
                "credential_name",
                "Your name for it",
                hint="Leave empty for the credential's own name; name each one you hold once.",
                attributes=(*PRIVATE, ("maxlength", "100")),
            ),
            Field("cycle_start", "First day of its current cycle", "date", attributes=PRIVATE),
        ),
    ),
    Form(
        "activity",
        (
            Field("title", "Title", attributes=(*PRIVATE, ("maxlength", "200")), wide=True),
            Field("provider", "Provider", attributes=(*PRIVATE, ("maxlength", "200"))),
            Field("course_number", "Course number", attributes=(*PRIVATE, ("maxlength", "40"))),
            Field("started_on", "Started on", "date", "Leave empty for a one-day activity.", PRIVATE),
            Field("completed_on", "Completed on", "date", attributes=PRIVATE),
            Field(
                "length",
                "Length",
                hint="The time spent learning, if the certificate gives no credit in your body's unit.",
                attributes=(*PRIVATE, ("inputmode", "decimal"), ("maxlength", "12")),
            ),
            Field(
                "length_unit",
                "Length in",
                "select",
                attributes=PRIVATE,
                options=(("minutes", "minutes"), ("hours", "hours")),
                selected="hours",
            ),
            Field(
                "credit",
                "Credit on the certificate",
                attributes=(*PRIVATE, ("inputmode", "decimal"), ("maxlength", "12")),
            ),
            Field(
                "credit_unit",
                "Its unit",
                "select",
                attributes=PRIVATE,
                options=(("", "Choose the unit"),),
                selected="",
            ),
            Field(
                "semester_credits",
                "University credit: semester hours",
                attributes=(*PRIVATE, ("inputmode", "decimal"), ("maxlength", "12")),
            ),
            Field(
                "quarter_credits",
                "University credit: quarter hours",
                attributes=(*PRIVATE, ("inputmode", "decimal"), ("maxlength", "12")),
            ),
            Field(
                "grade",
                "Grade (university credit)",
                "select",
                attributes=PRIVATE,
                options=(("", "not given"), *((grade, grade) for grade in PASSING_GRADES + FAILING_GRADES)),
                selected="",
            ),
            Field(
                "files",
                "Certificate files",
                "file",
                "Kept in this browser only, with the activity.",
                (("multiple", ""),),
                wide=True,
            ),
        ),
    ),
)


#: The annual report helper's fields (its reading progress is the page's: a bar and a cancel
#: button the page's script shows while it reads, not fields).
ANNUAL_REPORT = (
    Field(
        "as_of",
        "Last day of the 12 months",
        "date",
        "Leave empty for today. The 12 months start the day after the same date a year earlier.",
    ),
    Field(
        "attendance",
        "Attendance file (CSV)",
        "file",
        "Or drop the file anywhere on this page. First line: `learner_id,event_id,date,ceus_awarded`; "
        "then one line per learner per event.",
        (("accept", ".csv,text/csv,text/plain"),),
        box="annual-report-drop",
        box_class="calc-drop",
    ),
)


# Issue 33: the certificates page's two forms (calculator_pages/certificates_page.py): the signing
# key (made or opened in the browser; the page's script reads these, they never reach Python or
# the URL) and the course with its learners.
_NEW_PASSPHRASE = (("autocomplete", "new-password"), ("minlength", "12"), ("data-private", "yes"))
CERTIFICATES = (
    Form(
        "key",
        (
            Field(
                "key_action",
                "Your signing key",
                "radio",
                options=(("open", "Open my key file"), ("create", "Create a new key")),
                selected="open",
            ),
            When(
                "key_action=create",
                (
                    Field(
                        "issuer_name",
                        "Issuer name",
                        hint="Your organization's name as learners should see it on their certificates.",
                        attributes=(("autocomplete", "organization"), ("maxlength", "500")),
                        wide=True,
                    ),
                    Field(
                        "new_passphrase",
                        "New passphrase",
                        "password",
                        "At least 12 characters. It locks the key file; nobody can recover it for you.",
                        _NEW_PASSPHRASE,
                    ),
                    Field(
                        "new_passphrase_again", "New passphrase again", "password", attributes=_NEW_PASSPHRASE
                    ),
                ),
            ),
            When(
                "key_action=open",
                (
                    Field(
                        "key_file",
                        "Key file",
                        "file",
                        "The file you downloaded when you created your key (name ending -signing-key.json).",
                        (("accept", ".json,application/json"),),
                    ),
                    Field(
                        "passphrase",
                        "Passphrase",
                        "password",
                        attributes=(("autocomplete", "current-password"), ("data-private", "yes")),
                    ),
                ),
                shown=True,
            ),
        ),
    ),
    Form(
        "course",
        (
            Field("course", "Course title", attributes=(("maxlength", "500"),), wide=True),
            Field("start", "First day", "date"),
            Field("end", "Last day", "date"),
            Field(
                "hours",
                "Contact hours",
                hint="The time each learner earned credit for, in hours: 7.5 for seven and a half.",
                attributes=(("inputmode", "decimal"), ("maxlength", "12")),
            ),
            Built("certificate-rule", "calc-rule"),
            Field(
                "expires",
                "Expires on (optional)",
                "date",
                "Leave empty for certificates that do not expire.",
            ),
            Field(
                "source",
                "Learners",
                "radio",
                options=(("file", "From an attendance file"), ("names", "Typed, one name a line")),
                selected="file",
            ),
            When(
                "source=file",
                (
                    Field(
                        "attendance",
                        "Attendance file (CSV)",
                        "file",
                        "The annual report helper's file: first line `learner_id,event_id,date,ceus_awarded`. "
                        "Each learner awarded CEUs for the event gets a certificate, with learner_id as the "
                        "name printed on it.",
                        (("accept", ".csv,text/csv,text/plain"),),
                        box="certificates-drop",
                        box_class="calc-drop",
                    ),
                    Field(
                        "event",
                        "Event",
                        "select",
                        "The file's events; choosing one fills in its first and last day if they are empty.",
                        options=(("", "Choose the attendance file first"),),
                        selected="",
                        wide=True,
                    ),
                ),
                shown=True,
            ),
            When(
                "source=names",
                (
                    Field(
                        "names",
                        "Learners' names",
                        "textarea",
                        "One name a line, as it should be printed.",
                        wide=True,
                    ),
                ),
            ),
        ),
    ),
)
