"""A calculator form's fields as HTML, from their one declaration (calculator_pages.forms).

The markup is the calculators' convention (calculator.js reads it): a ``.calc-field`` with the
label, the control ``#<calculator>-<name>`` (``aria-describedby`` its hint and its error slot),
``#<calculator>-<name>-hint`` under it when it has a hint, and the empty error slot
``#<calculator>-error-<name>`` that the page fills. Every text is escaped. Build side only.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from calculator_pages.forms import Field


def field_html(calculator: str, field: Field) -> str:
    """One field of calculator ``calculator``'s form."""
    own = f"{calculator}-{field.name}"
    hint = f"{own}-hint" if field.hint else ""
    error = f"{calculator}-error-{field.name}"
    attributes = [("id", own), ("name", field.name)]
    if field.kind != "textarea":
        attributes.append(("type", field.kind))
    attributes += [*field.attributes, ("aria-describedby", " ".join(filter(None, (hint, error))))]
    written = " ".join(f'{key}="{escape(value)}"' for key, value in attributes)
    control = f"<textarea {written}></textarea>" if field.kind == "textarea" else f"<input {written}>"
    return (
        f'<div class="calc-field{" calc-field--wide" if field.wide else ""}">'
        f'<label for="{escape(own)}">{escape(field.label)}</label>{control}'
        + (f'<p id="{escape(hint)}" class="calc-hint">{escape(field.hint)}</p>' if hint else "")
        + f'<p class="calc-error" id="{escape(error)}" hidden></p></div>'
    )


def fields_html(calculator: str, fields: Iterable[Field]) -> str:
    """Every field of the form, in order."""
    return "".join(field_html(calculator, field) for field in fields)
