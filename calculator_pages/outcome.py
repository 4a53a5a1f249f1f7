"""What a calculator page shows: one shape for every calculator, built by pure functions.

A page model turns the form's values into an :class:`Outcome`; the page script
(``calculator.js``, fed by :mod:`calculator_pages.page_session`) renders any Outcome the
same way (figures, tables, steps, field messages), the worksheet prints it, and tests compare it with the CLI. Values are display strings
computed by the engine (exact decimals), never re-computed by the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calc.ics import Calendar

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Figure:
    """One result: ``key`` is stable (tests and the page find it by key), ``value`` exact."""

    key: str
    label: str
    value: str
    unit: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Shown folded on the page (a long reference table a visitor opens when they want it);
    #: a worksheet always shows it open.
    folded: bool = False


@dataclass(frozen=True)
class Step:
    """One line of the worksheet: the arithmetic, the rule it applies and where the rule comes from."""

    text: str
    rule: str
    source: str


@dataclass(frozen=True)
class Link:
    """A link a result offers: ``href`` is http(s), ``mailto:`` or a path on this site.

    Anything else is shown as its text alone (:func:`safe_href`), whatever made it.
    """

    text: str
    href: str


def safe_href(href: str) -> str:
    """``href`` when it is http(s), mailto: or relative to this site; '' otherwise.

    Relative means no scheme and no leading slash: ``../directory/x/`` or ``?q=1``, never
    ``//elsewhere.example``, ``/root`` (the site may live under a path) or ``javascript:``.
    Whitespace, control characters and backslashes are refused outright: browsers strip
    or reinterpret them, so what is checked would not be what is followed.
    """
    if not href or any(ch.isspace() or ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in href):
        return ""
    scheme = _SCHEME.match(href)
    if scheme:
        return href if href.lower().startswith(("http://", "https://", "mailto:")) else ""
    return "" if href.startswith("/") else href


@dataclass(frozen=True)
class Evidence:
    """One part of an answer's evidence: what a source says, with the source itself.

    A page or worksheet shows the heading, the sentences, the source's own words as a
    quotation, the source as a link with a note on what kind of page it is and when it
    was read, and further links (a profile, IACET's directory, an e-mail to ask).
    """

    key: str
    heading: str
    sentences: tuple[str, ...] = ()
    quote: str = ""
    source: Link | None = None
    source_note: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class FieldError:
    """A message shown beside the field it is about (``field`` is the input's name)."""

    field: str
    message: str


@dataclass(frozen=True)
class FieldHint:
    """A note beside a field that is not an error: the result stands, but the input may not
    say what the visitor meant ("6.5 is read as 6.5 minutes. Did you mean 6.5 hours?")."""

    field: str
    message: str


@dataclass(frozen=True)
class Outcome:
    title: str
    #: The inputs as the visitor gave them, (label, value), for the worksheet.
    inputs: tuple[tuple[str, str], ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    steps: tuple[Step, ...] = ()
    #: One sentence that sums the result up; screen readers hear it.
    summary: str = ""
    errors: tuple[FieldError, ...] = field(default=())
    #: Dates a visitor can take to their calendar; the page stamps and writes it when asked.
    calendar: Calendar | None = None
    #: Notes beside fields, shown whether or not the outcome is an error.
    hints: tuple[FieldHint, ...] = field(default=())
    #: Sources behind an answer, shown under its figures (the "Will this count?" page).
    evidence: tuple[Evidence, ...] = ()
    #: A one-word verdict the page may style the summary by (``yes``, ``no-record`` ...).
    verdict: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def figure(self, key: str) -> str:
        for item in self.figures:
            if item.key == key:
                return item.value
        raise KeyError(key)


def failed(title: str, inputs: tuple[tuple[str, str], ...], field_name: str, message: str) -> Outcome:
    """An outcome that only says what is wrong with one field."""
    return Outcome(title, inputs, summary=message, errors=(FieldError(field_name, message),))
