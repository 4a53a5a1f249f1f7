"""Adding a field to a calculator is one edit: its declaration in the registry.

A scratch registry gains one field (the one edit below) and the field is then in the form the
build writes, in the URL the worker reads and writes (the page describes the written form's
controls to it), and in the guides' "open in the calculator" links; without the edit a guide
that names the field is refused. And every declared field round-trips through the URL.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems
from calculator_pages import deadline_page
from calculator_pages.forms import Field, every_field
from calculator_pages.page_session import Session
from calculator_pages.registry import CALCULATORS, Calculator
from calculator_pages.url_state import Restored, chosen, encode, field_choices, restore
from site_build.embeds import EmbedError, render

REPO = Path(__file__).resolve().parents[2]
SYSTEMS = parse_credit_systems((REPO / "directory_data" / "credit_systems.csv").read_text(encoding="utf-8"))
VENUE = Field("venue", "Venue", hint="Where the program is held.")


def with_venue() -> dict[str, Calculator]:
    deadlines = CALCULATORS["deadlines"]
    return {**CALCULATORS, "deadlines": dataclasses.replace(deadlines, fields=(*deadlines.fields, VENUE))}


class Controls(HTMLParser):
    """A written form's controls as the page describes them to its worker: [name, type, [options]]."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[object]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in ("input", "textarea") and named.get("name"):
            self.found.append(
                [named["name"], "textarea" if tag == "textarea" else named.get("type", "text"), []]
            )


def written_form(registry: dict[str, Calculator]) -> str:
    return render("embed: calculator-fields\ncalculator: deadlines", SYSTEMS, "deadlines.md", registry)


def described(form: str) -> list[list[object]]:
    parser = Controls()
    parser.feed(form)
    return parser.found


GUIDE = "embed: deadlines-example\nfirst_offering: 2026-10-05\nvenue: Hall A & B\nlink: calculator"


def test_a_field_added_to_the_registry_is_in_the_form_the_url_and_the_guide_link() -> None:
    registry = with_venue()  # the one edit

    form = written_form(registry)
    assert '<label for="deadlines-venue">Venue</label>' in form
    assert '<p id="deadlines-venue-hint" class="calc-hint">Where the program is held.</p>' in form
    assert '<p class="calc-error" id="deadlines-error-venue" hidden></p>' in form
    assert ["venue", "text", []] in described(form)

    # The worker, told the written form's controls, reads the field from a shared link and
    # writes it back into the address with the outcome.
    session = Session(deadline_page.compute)
    values = {str(name): "" for name, _, _ in described(form)}
    answer = session.handle(
        {
            "type": "compute",
            "values": values,
            "form": {"controls": described(form)},
            "params": [["first_offering", "2026-10-05"], ["venue", "Hall A & B"]],
        }
    )
    assert answer["restored"]["values"] == {"first_offering": "2026-10-05", "venue": "Hall A & B"}
    assert answer["query"] == "first_offering=2026-10-05&venue=Hall+A+%26+B"

    html = render(GUIDE, SYSTEMS, "guides/event-timeline.md", registry)
    link = re.search(r"\]\(\.\./deadlines\.md\?([^)]*)\)", html)
    assert link is not None and link.group(1) == answer["query"]  # the link opens the same inputs


def test_without_the_edit_the_form_has_no_such_field_and_a_guide_naming_it_is_refused() -> None:
    assert "venue" not in written_form(dict(CALCULATORS))
    with pytest.raises(EmbedError, match="deadlines-example takes no 'venue'"):
        render(GUIDE, SYSTEMS, "guides/event-timeline.md", CALCULATORS)


DECLARED = {name: calculator.fields for name, calculator in CALCULATORS.items() if calculator.fields}
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


@st.composite
def declared_values(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    name = draw(st.sampled_from(sorted(DECLARED)))
    fields = list(every_field(DECLARED[name]))
    settable = [field for field in fields if field.kind != "file"]  # a URL never sets a file
    picked = draw(st.lists(st.sampled_from(settable), unique=True))
    dates = st.dates().map(lambda day: day.isoformat())
    values = {}
    for field in picked:
        if field.kind in ("select", "radio"):
            values[field.name] = draw(st.sampled_from([value for value, _ in field.options]))
        elif field.kind == "checkbox":
            values[field.name] = draw(st.sampled_from(["yes", ""]))
        else:
            values[field.name] = draw(dates if field.kind == "date" else TEXT)
    return name, values


@given(declared_values())
def test_every_declared_field_comes_back_from_the_url_the_worker_writes(
    drawn: tuple[str, dict[str, str]],
) -> None:
    name, picked = drawn
    fields = list(every_field(DECLARED[name]))
    # what the page reads untouched: a choice's starting value, a textarea's starting text
    as_written = {field.name: field.selected or field.text for field in fields}
    values = {**as_written, **picked}
    controls = [control for field in fields for control in field.controls()]
    kept = chosen(controls, values)
    back = restore(parse_qsl(encode(kept), keep_blank_values=True), field_choices(controls))
    assert back == Restored(kept)
    private = {field.name for field in fields if field.private}  # kept out of the URL
    assert kept == {
        key: value for key, value in values.items() if value != as_written[key] and key not in private
    }  # only what was chosen
