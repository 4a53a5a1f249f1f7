"""A calculator form's fields as HTML, from their one declaration (calculator_pages.forms).

The markup is the calculators' convention (calculator.js reads it): a ``.calc-field`` with the
label, the control ``#<calculator>-<name>`` (``aria-describedby`` its hint and its error slot),
``#<calculator>-<name>-hint`` under it when it has a hint, and the empty error slot
``#<calculator>-error-<name>`` that the page fills. Every text is escaped. Build side only.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from calculator_pages.forms import Field, Group, Part


def field_html(calculator: str, field: Field) -> str:
    """One field of calculator ``calculator``'s form."""
    own = f"{calculator}-{field.name}"
    if field.kind == "checkbox":  # in its label, ticked is "yes"; its group carries any message
        control = f'<input id="{escape(own)}" name="{escape(field.name)}" type="checkbox" value="yes">'
        return f"<label>{control} {escape(field.label)}</label>"
    hint = f"{own}-hint" if field.hint else ""
    error = f"{calculator}-error-{field.name}"
    attributes = [("id", own), ("name", field.name)]
    if field.kind not in ("textarea", "select"):
        attributes.append(("type", field.kind))
    attributes += [*field.attributes, ("aria-describedby", " ".join(filter(None, (hint, error))))]
    written = " ".join(f'{key}="{escape(value)}"' for key, value in attributes)
    if field.kind == "textarea":
        control = f"<textarea {written}></textarea>"
    elif field.kind == "select":
        control = f"<select {written}>{''.join(option_html(v, t, v == field.selected) for v, t in field.options)}</select>"
    else:
        control = f"<input {written}>"
    return (
        f'<div class="calc-field{" calc-field--wide" if field.wide else ""}">'
        f'<label for="{escape(own)}">{escape(field.label)}</label>{control}'
        + (f'<p id="{escape(hint)}" class="calc-hint">{escape(field.hint)}</p>' if hint else "")
        + f'<p class="calc-error" id="{escape(error)}" hidden></p></div>'
    )


def option_html(value: str, text: str, selected: bool) -> str:
    """One option; its value is written only when it is not its text (the DOM's value is then the text)."""
    own = "" if value == text else f' value="{escape(value)}"'
    return f"<option{own}{' selected' if selected else ''}>{escape(text)}</option>"


def part_html(calculator: str, part: Part) -> str:
    if isinstance(part, Group):
        inner = "".join(field_html(calculator, field) for field in part.fields)
        own = escape(f"{calculator}-{part.id}")
        return f'<fieldset id="{own}" class="calc-choice"><legend>{escape(part.legend)}</legend>{inner}</fieldset>'
    return field_html(calculator, part)


def fields_html(calculator: str, parts: Iterable[Part]) -> str:
    """Every part of the form (fields, and groups of fields), in order."""
    return "".join(part_html(calculator, part) for part in parts)
