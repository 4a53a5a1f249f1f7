"""Calendar files (RFC 5545 iCalendar) for dated rules: one all-day event per date.

Written here rather than with a library so the same code runs in the browser
(Pyodide, standard library only) and in ``ceu``; the tests read the output with the
``icalendar`` package.

What a calendar program sees:

* Each event is all day (``DTSTART;VALUE=DATE``, ``DTEND`` the next day) and marked
  free (``TRANSP:TRANSPARENT``): a deadline is a reminder, not a meeting.
* The rule behind the date is the event's description.
* The ``UID`` is a hash of the calendar's scope (e.g. the program's name or first
  offering) and the event's key (e.g. ``participants-apply-by``), never of its date: a
  recomputed file imported again moves the same events instead of adding copies.
* An event may carry reminders (``VALARM``, ``ACTION:DISPLAY``, ``TRIGGER:-P90D``): a
  calendar program shows the alarm's description that many days before the day.
* Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character;
  text is escaped (``\\ ; ,`` and new lines) and stripped of control characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

PRODUCT_ID = "-//OpenCEU//ceu//EN"
UID_DOMAIN = "openceu"
#: RFC 5545 section 3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break."
LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Alarm:
    """A reminder shown ``days_before`` whole days before the event's day (0: on the day)."""

    days_before: int
    description: str

    def __post_init__(self) -> None:
        if self.days_before < 0:
            raise ValueError("a reminder comes before the day, not after it")


@dataclass(frozen=True)
class CalendarEvent:
    day: dt.date
    #: Stable within the calendar's scope; the UID is made from it.
    key: str
    summary: str
    description: str
    #: Reminders; none by default, so callers that give none write what they always wrote.
    alarms: tuple[Alarm, ...] = ()


@dataclass(frozen=True)
class Calendar:
    """Dates to take to a calendar program: the scope makes the UIDs, the name titles the calendar."""

    scope: str
    name: str
    #: What a saved copy is called (``deadlines-2026-09-14.ics``).
    filename: str
    events: tuple[CalendarEvent, ...]

    def text(self, stamp: dt.datetime) -> str:
        return calendar_text(self.events, scope=self.scope, name=self.name, stamp=stamp)


def event_uid(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{scope}\x1f{key}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def calendar_text(events: Iterable[CalendarEvent], *, scope: str, name: str, stamp: dt.datetime) -> str:
    """The whole ``.ics`` file. ``stamp`` (when the file was made) must be timezone-aware."""
    if stamp.tzinfo is None:
        raise ValueError("the calendar's time stamp needs a time zone")
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event_uid(scope, event.key)}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            "TRANSP:TRANSPARENT",
            *(line for alarm in event.alarms for line in alarm_lines(alarm)),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def alarm_lines(alarm: Alarm) -> tuple[str, ...]:
    """One VALARM (RFC 5545 section 3.6.6): a display alarm needs ACTION, TRIGGER and DESCRIPTION.

    The trigger is relative to the start of the all-day event, so ``-P90D`` is midnight
    ninety days before the day, in the calendar's own time zone.
    """
    return (
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:-P{alarm.days_before}D" if alarm.days_before else "TRIGGER:PT0S",
        f"DESCRIPTION:{escape_text(alarm.description)}",
        "END:VALARM",
    )


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 section 3.3.11): backslash, semicolon, comma and new lines escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\t", " "))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, each continuation starting with a space."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)
