"""A calculator's URL, both ways: :func:`encode` writes it, :func:`restore` reads it back.

The format is declared here once: a calculator keeps its inputs in the URL (``name=value``; a
row list as repeated ``row.<name>`` params, one per row, and ``rows=0`` when the visitor removed
every row), written as a browser's ``URLSearchParams`` writes a query. The page's worker encodes
the query from the values it computed with (only what the visitor chose: :func:`chosen`) and the
page puts it into its address; the guides' "open in the calculator" links are encoded the same way
at build time (:mod:`site_build.embeds`).
A URL is anyone's text, so reading it back follows three rules:

* a parameter counts only when its name is exactly the name of one of the form's own
  controls (a dict lookup: a name is never put into a selector, parsed or interpreted);
  ``row.<name>`` the same against the controls of one row; everything else is ignored;
* a value counts only when it fits its control: one of the values of a radio group or of a
  select's options, ``yes`` or empty for a checkbox, a day that exists written
  ``YYYY-MM-DD`` (or empty) for a date input (the browser would drop anything else with a
  console warning), text of at most :data:`MAX_VALUE_CHARS` characters (a longer one is ignored, not cut: a cut agenda or number would give another
  answer without saying so); a value that does not fit leaves the control as the page had it;
* the first usable value of a repeated name wins (as ``URLSearchParams.get``); repeated
  ``row.<name>`` params are the rows, top to bottom, at most :data:`MAX_ROWS` of them;
  ``rows`` (used only when no ``row.<name>`` param is usable) must be a whole number from
  0 to :data:`MAX_ROWS` written in ASCII digits; only the first :data:`MAX_PARAMS` params
  are read at all.

Standard library only and free of the DOM, so the rules are tested in CPython; the page script
describes the form's controls as :class:`Control` values (in its first message to the worker) and
puts the :class:`Restored` values into them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

#: At most this many rows come from a URL (a course plan of a hundred activities is long).
MAX_ROWS = 100
#: A text value longer than this is ignored (a long agenda is a few thousand characters).
MAX_VALUE_CHARS = 20_000
#: Only this many params are read (a full row list writes six per row).
MAX_PARAMS = 2_000
ROW_PREFIX = "row."
ROWS_KEY = "rows"
#: A ticked checkbox is kept as ``yes`` and an unticked one as empty, whatever its value attribute.
CHECKBOX_VALUES = frozenset({"yes", ""})
#: Input types whose value is free text (anything else that is not a choice is never restored).
TEXT_TYPES = frozenset(
    {"text", "textarea", "search", "number", "email", "url", "tel", "time", "month", "week"}
)
CHOICE_TYPES = frozenset({"radio", "checkbox", "select-one"})

_ROW_COUNT = re.compile(r"[0-9]{1,6}")

_DATE_VALUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A field's allowed values: a set of choices, "date" for a date input's day, or None for any
#: text up to MAX_VALUE_CHARS.
Choices = frozenset[str] | Literal["date"] | None


@dataclass(frozen=True)
class Control:
    """One input, select or textarea as the form has it.

    ``type`` is the DOM's ``type`` property (``text``, ``textarea``, ``select-one``, ``radio``,
    ``checkbox``, ...); ``options`` are a select's option values or a radio button's value.
    ``initial`` is what the page's HTML starts it with: a text's default value; ``yes`` for a
    radio button or checkbox checked by default (empty if not); a select's option marked
    selected (None when none is, as the DOM then counts any choice as a change). ``when`` are
    the ``data-when`` conditions (``mode=minutes``) of the parts that hold it, innermost first:
    it is hidden while one of them fails. A ``private`` control never goes into the URL.
    """

    name: str
    type: str
    options: tuple[str, ...] = ()
    initial: str | None = ""
    when: tuple[str, ...] = ()
    private: bool = False


@dataclass(frozen=True)
class Restored:
    """What the form takes from a URL.

    ``rows`` is None when the URL says nothing usable about the row list (the page keeps its
    rows); otherwise one mapping per row, top to bottom, holding only the values that fit (the
    rest of the row keeps the blank row's choices).
    """

    values: dict[str, str]
    rows: tuple[dict[str, str], ...] | None = None


def field_choices(controls: Iterable[Control]) -> dict[str, Choices]:
    """Field name -> its allowed values, for the controls a URL may set.

    Radio buttons of one name are one field (any of their values); controls of one name that
    are of different kinds, or of a type that is neither text nor a choice (a file input,
    a multiple select), are left out: a URL never sets them.
    """
    kinds: dict[str, set[str]] = {}
    choices: dict[str, Choices] = {}
    for control in controls:
        if not control.name:
            continue
        kind = _kind(control.type)
        kinds.setdefault(control.name, set()).add(kind)
        if kind == "text":
            allowed: Choices = None
        elif kind == "date":
            allowed = "date"
        elif kind == "checkbox":
            allowed = CHECKBOX_VALUES
        else:
            allowed = frozenset(control.options)
        if control.name not in choices:
            choices[control.name] = allowed
        elif kind == "radio":  # one more button of the group
            choices[control.name] = _options(choices[control.name]) | _options(allowed)
        elif kind == "select-one":  # two selects of one name: a value must fit both
            choices[control.name] = _options(choices[control.name]) & _options(allowed)
    return {
        name: allowed
        for name, allowed in choices.items()
        if len(kinds[name]) == 1 and "other" not in kinds[name]
    }


def _options(allowed: Choices) -> frozenset[str]:
    return allowed if isinstance(allowed, frozenset) else frozenset()


def _kind(dom_type: str) -> str:
    if dom_type == "date":
        return "date"
    if dom_type in TEXT_TYPES:
        return "text"
    if dom_type in CHOICE_TYPES:
        return dom_type
    return "other"


def fits(value: str, allowed: Choices) -> bool:
    """The value is one of the choices, or text short enough for a free-text field."""
    if allowed is None:
        return len(value) <= MAX_VALUE_CHARS
    if allowed == "date":
        return value == "" or (_DATE_VALUE.fullmatch(value) is not None and _exists(value))
    return value in allowed


def _exists(day: str) -> bool:
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return False
    return True


def restore(
    params: Iterable[tuple[str, str]],
    fields: Mapping[str, Choices],
    row_fields: Mapping[str, Choices] | None = None,
) -> Restored:
    """The values and rows a form takes from a URL's params (in order, repeats kept).

    ``fields`` are the form's own fields outside the row list and ``row_fields`` those of one
    row (None when the form has no row list: then ``row.*`` and ``rows`` are ignored too).
    """
    values: dict[str, str] = {}
    columns: dict[str, list[str | None]] = {}
    row_count: int | None = None
    for key, value in itertools.islice(params, MAX_PARAMS):
        if row_fields is not None and key.startswith(ROW_PREFIX):
            column = key[len(ROW_PREFIX) :]
            if column in row_fields:
                cells = columns.setdefault(column, [])
                if len(cells) < MAX_ROWS:  # a cell that does not fit keeps its place in the column
                    cells.append(value if fits(value, row_fields[column]) else None)
        elif row_fields is not None and key == ROWS_KEY:
            if row_count is None:
                row_count = parse_row_count(value)
        elif key in fields and key not in values and fits(value, fields[key]):
            values[key] = value
    if columns:
        row_count = max(len(cells) for cells in columns.values())
    if row_count is None:
        return Restored(values)
    rows = []
    for index in range(row_count):
        row = {}
        for column, cells in columns.items():
            cell = cells[index] if index < len(cells) else None
            if cell is not None:
                row[column] = cell
        rows.append(row)
    return Restored(values, tuple(rows))


def parse_row_count(text: str) -> int | None:
    """``rows=N`` as a number of rows from 0 to MAX_ROWS, or None (ignored) for anything else."""
    if not _ROW_COUNT.fullmatch(text):
        return None
    count = int(text)
    return count if count <= MAX_ROWS else None


# --------------------------------------------------------------------------- writing the URL


def encode(values: Mapping[str, str], rows: Sequence[Mapping[str, str]] | None = None) -> str:
    """The query that :func:`restore` reads back as ``values`` and ``rows`` (without ``?``).

    ``values`` in their order, then each row's cells as ``row.<name>``, top to bottom; an empty
    row list is ``rows=0``; None (a page without a row list) writes none. Written as a browser's
    ``URLSearchParams.toString()`` writes it, so the page's address is the same string whether
    the worker or a guide's link made it.
    """
    params = list(values.items())
    if rows is not None:
        params += [(ROW_PREFIX + name, value) for row in rows for name, value in row.items()]
        if not rows:
            params.append((ROWS_KEY, "0"))
    return "&".join(f"{form_encoded(name)}={form_encoded(value)}" for name, value in params)


#: The bytes application/x-www-form-urlencoded leaves as they are (the URL Standard's set).
_PLAIN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")


def form_encoded(text: str) -> str:
    """``text`` as ``URLSearchParams`` writes it: UTF-8, a space as ``+``, ``%XX`` for the rest.

    Python's ``urlencode`` differs on ``~`` and ``*``; a lone surrogate (which a JavaScript string
    may hold) becomes U+FFFD, as the browser makes it.
    """
    whole = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return "".join(
        chr(byte) if byte in _PLAIN else "+" if byte == 0x20 else f"%{byte:02X}"
        for byte in whole.encode("utf-8")
    )


def shown(control: Control, values: Mapping[str, str]) -> bool:
    """The control is not inside a part hidden for these values (``data-when="field=a b"``)."""
    for condition in control.when:
        field, _, wanted = condition.partition("=")
        if values.get(field, "") not in wanted.split("=")[0].split(" "):
            return False
    return True


def unchanged(control: Control, values: Mapping[str, str]) -> bool:
    """The control shows what the page's HTML starts it with."""
    current = values.get(control.name)
    if control.type == "radio":
        return (current == control.options[0] if control.options else False) == (control.initial == "yes")
    if control.type == "checkbox":
        return (current == "yes") == (control.initial == "yes")
    if control.type.startswith("select"):
        return control.initial is not None and current == control.initial
    return (current or "") == (control.initial or "")


def chosen(controls: Iterable[Control], values: Mapping[str, str]) -> dict[str, str]:
    """What a URL keeps of a form's values: only what the visitor chose.

    A field goes in when one of its controls is shared (not private), shown and changed from
    the page's own; in the form's order, with its value (empty when the visitor emptied it, so
    the link empties it too). Controls of a row list are not here: the rows go in whole.
    """
    kept: dict[str, str] = {}
    for control in controls:
        if control.private or not control.name or control.name in kept:
            continue
        if shown(control, values) and not unchanged(control, values):
            kept[control.name] = values.get(control.name, "")
    return kept


def shared_rows(rows: Sequence[Mapping[str, str]], row_controls: Iterable[Control]) -> list[dict[str, str]]:
    """The rows without the cells of a row's private controls."""
    private = {control.name for control in row_controls if control.private}
    return [{name: value for name, value in row.items() if name not in private} for row in rows]
