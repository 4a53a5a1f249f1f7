"""Lengths of time as people write them: "90", "90 min", "6h30", "6:30", "1.5 h" -> exact minutes.

One reader for every field and flag that takes a length of time (the CEU calculator's total
and excluded time, ``ceu iacet --minutes``, ``ceu convert``, an activity list's minutes, a
course plan's amounts, ACE's hours of learning), so the site and ``ceu`` read the same text
the same way. What it reads, letters in any case, spaces between the parts optional:

* a bare number, in the field's own unit (minutes unless the field says hours): ``90``,
  ``90.5``, ``1,200`` (a comma only groups thousands), ``1e3`` (as every number field reads it);
* a number and a unit: ``90 min``, ``45m``, ``1.5 h``, ``2 hours`` (hours: ``h hr hrs hour
  hours``; minutes: ``m min mins minute minutes``);
* hours, then minutes: ``6h30``, ``6 h 30``, ``6 h 30 min``, ``6 hours 30 minutes``; the hours
  a whole number and the minutes less than 60 (``6h75`` is refused, not read as 7 h 15);
* a clock-style length: ``6:30``, hours then two digits of minutes under 60. Seconds
  (``6:30:00``) are refused: no counting rule counts them.

Refused, each with one short line that never quotes more than ECHO_CHARS of the input:
nothing at all (the caller decides whether a blank field means 0), a negative figure,
``1,5`` (a decimal comma: ambiguous beside "1,500", so never guessed), a figure that is not
finite, more than the field's limit (MAX_MINUTES unless the caller gives its own), more than
MAX_PLACES decimal places, and text longer than MAX_TEXT_CHARS, checked before anything else.
Whitespace at either end is ignored and a no-break or thin space counts as a space; any other
character outside printable ASCII (a control character, a direction mark, a digit of another
script) is refused by its code point, never echoed.

Exact: the result is a ``Fraction`` of minutes. Hours are decimals times 60, so every form
gives a terminating decimal number of minutes; :func:`as_decimal` turns it into a ``Decimal``
with no rounding, for the rules that compute in decimals.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from calc.errors import CreditInputError
from calc.numbers import (
    DECIMAL_COMMA,
    ECHO_CHARS,
    GROUPED,
    MAX_PLACES,
    MAX_QUANTITY,
    grouped,
    over_limit,
)

MINUTES_PER_HOUR = 60
#: The longest length of time any field takes: more is a typing mistake, not a course
#: (about 19 years of contact time). Declared once; ``calc.ceu`` and the CLI read it here.
MAX_MINUTES = Decimal(10_000_000)
#: The longest number the engine reads: every digit of MAX_QUANTITY grouped, a point and
#: MAX_PLACES decimals ("1,000,000,000,000.000...").
LONGEST_NUMBER = len(f"{MAX_QUANTITY:,f}") + 1 + MAX_PLACES
#: Text longer than this is refused before any other work: two such numbers, their units
#: ("hours", "minutes") and a few spaces is the longest length of time anyone writes.
MAX_TEXT_CHARS = 2 * LONGEST_NUMBER + 2 * len(" minutes ")

#: Examples of the forms, for help texts and labels: "a number is minutes; 6h30, ... work too".
EXAMPLES = ("6h30", "6 h 30 min", "6:30", "1.5 h", "90 min")
FORMS_HELP = f"a number is minutes; {', '.join(EXAMPLES[:-1])} and {EXAMPLES[-1]} are read too (no seconds)"

HOUR_WORDS = ("h", "hr", "hrs", "hour", "hours")
MINUTE_WORDS = ("m", "min", "mins", "minute", "minutes")
#: The bare number's unit for a field in minutes, and for one in hours.
UNITS = {"minutes": 1, "hours": MINUTES_PER_HOUR}

_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+"
_HOUR_WORD = "|".join(sorted(HOUR_WORDS, key=len, reverse=True))
_MINUTE_WORD = "|".join(sorted(MINUTE_WORDS, key=len, reverse=True))
_BARE = re.compile(rf"(?P<number>{_NUMBER})(?P<exponent>e[+-]?[0-9]+)?", re.ASCII)
_WITH_UNIT = re.compile(rf"(?P<number>{_NUMBER}) *(?:(?P<hours>{_HOUR_WORD})|{_MINUTE_WORD})", re.ASCII)
_HOURS_MINUTES = re.compile(
    rf"(?P<hours>{_NUMBER}) *(?:{_HOUR_WORD}) *(?P<minutes>{_NUMBER}) *(?:{_MINUTE_WORD})?", re.ASCII
)
_CLOCK = re.compile(r"(?P<hours>[0-9]+):(?P<minutes>[0-9]{2})", re.ASCII)
_NOT_FINITE = re.compile(r"s?nan[0-9]*|inf(?:inity)?", re.ASCII)
#: Spaces other than U+0020 that people paste (no-break, thin, narrow no-break): read as spaces.
_SPACE = "Zs"


def minutes_from_text(text: str, field: str = "minutes") -> Fraction:
    """Exact minutes from a length of time as typed; a bare number is minutes.

    Raises CreditInputError(field, one short line) for anything else (see the module's rules).
    """
    return duration_from_text(text, field)


def hours_from_text(text: str, field: str = "hours", limit: Decimal = MAX_MINUTES / 60) -> Fraction:
    """Exact hours from a length of time as typed, for a field in hours: a bare number is hours."""
    return duration_from_text(text, field, unit="hours", limit=limit) / MINUTES_PER_HOUR


def duration_from_text(
    text: str, field: str = "minutes", *, unit: str = "minutes", limit: Decimal = MAX_MINUTES
) -> Fraction:
    """Exact minutes from text; ``unit`` is what a bare number counts ("minutes" or "hours").

    ``limit`` is the field's own limit, in that unit: the one limit checked and named.
    """
    per_unit = UNITS[unit]
    body = _plain(text, field)
    if not body:
        raise CreditInputError(field, f"a number is required: {unit}, or a time such as 6h30")
    if body[0] in "+-":
        sign, body = body[0], body[1:].lstrip(" ")
    else:
        sign = "+"
    minutes = _minutes(body, field, unit, limit)
    if sign == "-" and minutes:
        raise CreditInputError(field, f"cannot be negative (got {text.strip()[:ECHO_CHARS]})")
    if minutes > Fraction(limit) * per_unit:
        raise CreditInputError(field, _over(minutes, limit, unit))
    return minutes


def _over(minutes: Fraction, limit: Decimal, unit: str) -> str:
    """The limit's message in the field's unit (in words where no decimal writes the figure)."""
    try:
        return over_limit(as_decimal(minutes / UNITS[unit]), limit, unit)
    except ValueError:  # 1,000,000 minutes in a field of hours is 16,666 2/3 hours
        return f"{duration_words(minutes)} is more than the limit of {grouped(limit)} {unit}"


def _plain(text: str, field: str) -> str:
    """The text stripped and lower-cased, or CreditInputError if it is too long or holds odd characters."""
    if not isinstance(text, str):
        raise CreditInputError(field, f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise CreditInputError(
            field, f"is {grouped(len(text))} characters long; a time is at most {MAX_TEXT_CHARS}"
        )
    kept = []
    for character in text.strip():
        if " " <= character <= "~":
            kept.append(character)
        elif unicodedata.category(character) == _SPACE:
            kept.append(" ")
        elif character.isdigit():
            raise CreditInputError(field, f"holds the digit U+{ord(character):04X}: type the digits 0-9")
        else:
            raise CreditInputError(
                field,
                f"holds the character U+{ord(character):04X}, which no time holds: type digits, h or min",
            )
    return " ".join("".join(kept).split()).lower()


def _minutes(body: str, field: str, unit: str, limit: Decimal) -> Fraction:
    """Minutes from the text of a length of time (no sign), by the forms the module names."""
    per_unit = UNITS[unit]
    if match := _BARE.fullmatch(body):
        value = _number(match["number"] + (match["exponent"] or ""), field, limit, unit)
        if value > limit:  # before any exact arithmetic: 1e999999999 is quick to refuse
            raise CreditInputError(field, over_limit(value, limit, unit))
        return Fraction(value) * per_unit
    if match := _WITH_UNIT.fullmatch(body):
        value = _number(match["number"], field, limit, unit)
        return Fraction(value) * (MINUTES_PER_HOUR if match["hours"] else 1)
    if (match := _HOURS_MINUTES.fullmatch(body)) or (match := _CLOCK.fullmatch(body)):
        hours = _number(match["hours"], field, limit, unit)
        minutes = _number(match["minutes"], field, limit, unit)
        if hours != hours.to_integral_value():
            raise CreditInputError(
                field, "with minutes after them, the hours are a whole number (1 h 30, not 1.5 h 30)"
            )
        total = Fraction(hours) * MINUTES_PER_HOUR + Fraction(minutes)
        if minutes >= MINUTES_PER_HOUR:
            raise CreditInputError(
                field,
                f"the minutes after the hours must be under 60 ({grouped(hours)} h {grouped(minutes)} min "
                f"is {duration_words(total)})",
            )
        return total
    raise CreditInputError(field, _why_not(body, unit))


def _number(token: str, field: str, limit: Decimal, unit: str) -> Decimal:
    """One number of the text as a Decimal (grouping commas dropped), within MAX_PLACES places."""
    try:
        value = Decimal(token.replace(",", ""))
    except InvalidOperation:  # an exponent too long for any Decimal: 1e99999999999999999999
        if "e-" in token:
            raise CreditInputError(field, f"has more than {MAX_PLACES} decimal places") from None
        digits = len(token) - token.index("e") - 1
        raise CreditInputError(
            field,
            f"a number with a {digits}-digit exponent is more than the limit of {grouped(limit)} {unit}",
        ) from None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise CreditInputError(field, f"has more than {MAX_PLACES} decimal places")
    return value


def _why_not(body: str, unit: str) -> str:
    """The one line for text that is none of the forms: the likeliest mistake, else what is read."""
    if _NOT_FINITE.fullmatch(body):
        return "must be a finite number"
    if "," in body and not all(GROUPED.fullmatch(part) for part in re.findall(r"[0-9.,]*,[0-9.,]*", body)):
        return DECIMAL_COMMA
    if body.count(":") > 1:
        return "a time with seconds is not taken: give hours and minutes, e.g. 6:30"
    if ":" in body:
        return "write a time as hours, a colon and two digits of minutes under 60, e.g. 6:05"
    return f"{body[:ECHO_CHARS]!r} is not a number of {unit} or a time such as 6h30 or 1.5 h"


def as_decimal(minutes: Fraction) -> Decimal:
    """The exact Decimal of a figure a decimal writes exactly; ValueError for 1/3 and the like."""
    denominator, places = minutes.denominator, 0
    for prime in (2, 5):
        count = 0
        while denominator % prime == 0:
            denominator //= prime
            count += 1
        places = max(places, count)
    if denominator != 1:
        raise ValueError(f"{minutes} has no exact decimal")
    scaled = minutes * 10**places
    return Decimal(f"{scaled.numerator}e-{places}")


def _decimal_text(value: Fraction) -> str:
    """A figure a decimal writes exactly, written so (trailing zeros dropped): 30.5, 1,200."""
    return grouped(as_decimal(value))


def duration_words(minutes: Fraction) -> str:
    """Minutes in words, "6 h 30 min", "45 min", "6 h", "0 min", which :func:`minutes_from_text`
    reads back exactly (any figure up to MAX_MINUTES).

    ValueError for a negative figure or one no decimal writes exactly (1/3 of a minute):
    no text of this module's forms gives one.
    """
    if minutes < 0:
        raise ValueError(f"a length of time is not negative: {minutes}")
    hours, rest = divmod(Fraction(minutes), MINUTES_PER_HOUR)
    rest_text = _decimal_text(rest)
    if not hours:
        return f"{rest_text} min"
    if not rest:
        return f"{grouped(hours)} h"
    return f"{grouped(hours)} h {rest_text} min"


#: duration_hint's ranges: a bare figure under a day's hours that is not whole (minutes are
#: counted whole: "6.5" is rarely six and a half minutes), or a whole figure up to a long
#: working day's hours (an event that short earns no IACET CEU: 30 minutes is the least).
HINT_HOURS_IN_A_DAY = 24
HINT_WHOLE_HOURS = 12


def duration_hint(text: str) -> str:
    """'' or one line when a bare number looks like hours typed as minutes ("6.5", "8").

    The heuristic (a hint beside the field, never an error): the text is a bare number (no
    unit, no exponent) that the field reads as minutes, more than 0, and either not whole and
    under HINT_HOURS_IN_A_DAY, or whole and at most HINT_WHOLE_HOURS. Anything else, valid or
    not, gives '' (a mistake gets its message from :func:`minutes_from_text`).
    """
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        return ""
    stripped = text.strip()
    if not _BARE.fullmatch(stripped) or "e" in stripped:
        return ""
    try:
        minutes = minutes_from_text(stripped)
    except CreditInputError:
        return ""
    whole = minutes.denominator == 1
    if not (0 < minutes < HINT_HOURS_IN_A_DAY) or (whole and minutes > HINT_WHOLE_HOURS):
        return ""
    figure = _decimal_text(minutes)
    one = minutes == 1
    return (
        f"{figure} is read as {figure} {'minute' if one else 'minutes'}. "
        f'Did you mean {figure} {"hour" if one else "hours"}? Type "{figure} h".'
    )
