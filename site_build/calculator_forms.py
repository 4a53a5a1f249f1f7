"""A calculator form's fields as HTML, from their one declaration (calculator_pages.forms).

The markup is the calculators' convention (calculator.js reads it): a ``.calc-field`` with the
label, the control ``#<calculator>-<name>`` (``aria-describedby`` its unit, note slot, hint and
error slot), ``#<calculator>-<name>-unit`` beside it when it has a unit, the page's note slot
``#<calculator>-hint-<name>``, ``#<calculator>-<name>-hint`` under it when it has a hint, and
the empty error slot ``#<calculator>-error-<name>`` that the page fills. A radio group is a
``fieldset`` with its error slot; parts shown for one choice are a ``div`` with ``data-when``.
Every text is escaped (a part between backticks is written as code). Build side only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from calculator_pages.forms import Built, Field, Form, Group, Part, When

#: What the build writes for a named embed (from the engine or the site's data).
Embedded = Callable[[str], str]


def text_html(text: str) -> str:
    """``text`` escaped, each part between backticks as code."""
    pieces = text.split("`")
    return "".join(f"<code>{escape(piece)}</code>" if odd else escape(piece) for odd, piece in _odd(pieces))


def _odd(pieces: list[str]) -> Iterable[tuple[bool, str]]:
    return ((index % 2 == 1, piece) for index, piece in enumerate(pieces))


def _radio_html(calculator: str, field: Field) -> str:
    buttons = "".join(
        f'<label><input type="radio" name="{escape(field.name)}" value="{escape(value)}"'
        f"{' checked' if value == field.selected else ''}> {text_html(text)}</label>"
        for value, text in field.options
    )
    error = escape(f"{calculator}-error-{field.name}")
    return (
        f'<fieldset class="calc-choice"><legend>{text_html(field.label)}</legend>{buttons}'
        f'<p class="calc-error" id="{error}" hidden></p></fieldset>'
    )


def field_html(calculator: str, field: Field, embedded: Embedded) -> str:
    """One field of calculator ``calculator``'s form."""
    own = f"{calculator}-{field.name}"
    if field.kind == "checkbox":  # in its label, ticked is "yes"; its group carries any message
        control = f'<input id="{escape(own)}" name="{escape(field.name)}" type="checkbox" value="yes">'
        return f"<label>{control} {text_html(field.label)}</label>"
    if field.kind == "radio":
        return _radio_html(calculator, field)
    unit = f"{own}-unit" if field.unit else ""
    note = f"{calculator}-hint-{field.name}" if field.note else ""
    hint = f"{own}-hint" if field.hint or field.hint_embed else ""
    error = f"{calculator}-error-{field.name}"
    attributes = [("id", own), ("name", field.name)]
    if field.kind not in ("textarea", "select"):
        attributes.append(("type", field.kind))
    attributes += [*field.attributes, ("aria-describedby", " ".join(filter(None, (unit, note, hint, error))))]
    written = " ".join(f'{key}="{escape(value)}"' for key, value in attributes)
    if field.kind == "textarea":
        control = f"<textarea {written}>{escape(field.text)}</textarea>"
    elif field.kind == "select":
        control = f"<select {written}>{''.join(option_html(v, t, v == field.selected) for v, t in field.options)}</select>"
    else:
        control = f"<input {written}>"
    if field.hint_embed:
        below = f'<div id="{escape(hint)}" class="calc-hint">{embedded(field.hint_embed)}</div>'
    else:
        below = f'<p id="{escape(hint)}" class="calc-hint">{text_html(field.hint)}</p>' if hint else ""
    own_box = f'id="{escape(field.box)}" ' if field.box else ""
    classes = " ".join(
        filter(None, ("calc-field", "calc-field--wide" if field.wide else "", field.box_class))
    )
    return (
        f'<div {own_box}class="{escape(classes)}">'
        f'<label for="{escape(own)}">{text_html(field.label)}</label>{control}'
        + (f'<span id="{escape(unit)}" class="calc-unit">{text_html(field.unit)}</span>' if unit else "")
        + (f'<p class="calc-note" id="{escape(note)}" hidden></p>' if note else "")
        + below
        + f'<p class="calc-error" id="{escape(error)}" hidden></p></div>'
    )


def option_html(value: str, text: str, selected: bool) -> str:
    """One option; its value is written only when it is not its text (the DOM's value is then the text)."""
    own = "" if value == text else f' value="{escape(value)}"'
    return f"<option{own}{' selected' if selected else ''}>{escape(text)}</option>"


def part_html(calculator: str, part: Part, embedded: Embedded) -> str:
    if isinstance(part, Group):
        inner = "".join(field_html(calculator, field, embedded) for field in part.fields)
        own = escape(f"{calculator}-{part.id}")
        return f'<fieldset id="{own}" class="calc-choice"><legend>{escape(part.legend)}</legend>{inner}</fieldset>'
    if isinstance(part, Form):  # a page's form of its own: its fields, in the page's <form>
        return "".join(part_html(calculator, inside, embedded) for inside in part.parts)
    if isinstance(part, When):
        inner = "".join(part_html(calculator, inside, embedded) for inside in part.parts)
        return f'<div data-when="{escape(part.condition)}"{"" if part.shown else " hidden"}>{inner}</div>'
    if isinstance(part, Built):
        return f'<div class="{escape(part.css)}">{embedded(part.embed)}</div>'
    return field_html(calculator, part, embedded)


def fields_html(calculator: str, parts: Iterable[Part], embedded: Embedded) -> str:
    """Every part of the form (fields, groups of fields, parts shown for one choice and parts
    written from the data by ``embedded``), in order."""
    return "".join(part_html(calculator, part, embedded) for part in parts)
