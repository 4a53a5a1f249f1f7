"""A calculator opened from any URL starts, and takes from the URL only its own fields (issue 16).

``/calculator/?a%22b=1`` used to leave the page on "Loading…" with a traceback, because the
adapter put the parameter's name into a CSS selector; ``x"],[name="minutes`` even filled the
minutes field. Now names are looked up among the form's own fields (calculator_pages.url_state, unit
tested in tests/unit/test_url_state.py). Here every calculator page, and the suggest page, is
opened from hostile URLs (a fixed list, then seeded random ones built from the form's own field
names, read from the built page) and must each time:

* reach its ready status, with no traceback on the page, no console error or warning, no page
  error, no dialog and no Content-Security-Policy violation;
* leave every control the URL does not name as the page has it (choices always one of the
  control's own), and write back a URL that holds only the form's own names;
* and a URL the page itself writes still gives back what was typed.

Each URL starts Python again (a few seconds), so the hostile params are combined, several to a
URL, and all pages share one browser context.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page

from calculator_pages.url_state import MAX_ROWS, MAX_VALUE_CHARS
from tests.browser.browser_support import (
    CALCULATOR_PATHS,
    DESKTOP,
    PYTHON_READY_TIMEOUT_MS,
    Watch,
    answered,
    watched_context,
)

pytestmark = pytest.mark.browser

#: Form name (#<name>-form, #<name>-status) -> site path.
PATHS = CALCULATOR_PATHS
SUGGEST = "/directory/suggest/"

#: Raw query params (already percent-encoded, some malformed on purpose): none is a field's name.
HOSTILE_PARAMS = (
    "a%22b=1",
    "x%22%5D%2C%5Bname%3D%22minutes=5",  # x"],[name="minutes
    "%5B=1",
    "%5B",
    "%00=1",
    "__proto__=1",
    "constructor=1",
    "toString=1",
    "it%27s=1",
    "back%5Cslash=1",
    "%5D=1",
    "*=1",
    "%3Anot(=1",
    "%3Anot(%5Bname%5D)=1",
    "m%C3%ADnutes=1",  # unicode
    "minut%D0%B5s=1",  # a Cyrillic ie (U+0435)
    "%E2%80%8Bminutes=1",  # a zero-width space
    "%F0%9F%98%80=%F0%9F%98%80",  # emoji
    "n" * 5000 + "=" + "v" * 5000,
    "row.x%22=1",
    "row.x%22%5D%2C%5Bname%3D%22activity=1",
    "row.=1",
    "rows=99999999",
    "rows=-3",
    "rows=1e9",
    "rows=abc",
    "=1",
    "no-equals-sign",
    "%",
    "%E0%A4%A=%E0%A4%A",  # bad percent-encoding
    "",
    "",
    "",  # &&&
    "a%22b=2",  # a repeated key
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E=1",
)

#: Everything that must never happen, watched on every page of the shared context.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


# --------------------------------------------------------------------------- the forms, from the built pages


@dataclass
class Form:
    """The controls of one calculator form as the built page has them."""

    #: Field name -> its choices (a radio group's values, a select's options) or None for text.
    fields: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    #: The same for one row of the row list (empty when the form has none).
    row_fields: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    #: The rows the page starts with (their numbers).
    starting_rows: set[str] = field(default_factory=set)

    def names(self) -> set[str]:
        """Every param name the page may write into its URL."""
        rows = {f"row.{key}" for key in self.row_fields} | ({"rows"} if self.row_fields else set())
        return set(self.fields) | rows


class FormReader(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.form = Form()
        self.in_form = self.in_template = False
        self.select: tuple[dict[str, tuple[str, ...] | None], str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.in_form = found.get("id") == f"{self.name}-form"
        if not self.in_form:
            return
        if tag == "template":
            self.in_template = True
        if tag == "option" and self.select is not None:
            fields, select = self.select
            fields[select] = (*(fields[select] or ()), found.get("value", ""))
        if tag not in ("input", "select", "textarea") or "data-private" in found or not found.get("name"):
            return
        row = re.match(rf"{self.name}-row-(\d+)-", found.get("id", ""))
        if row:  # a row the page starts with: the template describes every row
            self.form.starting_rows.add(row.group(1))
            return
        fields = self.form.row_fields if self.in_template else self.form.fields
        name = found["name"]
        if tag == "select":
            fields[name] = ()
            self.select = (fields, name)
        elif found.get("type") == "radio":
            fields[name] = (*(fields.get(name) or ()), found.get("value", ""))
        elif found.get("type") == "checkbox":
            fields[name] = ("yes", "")
        else:
            fields[name] = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.in_template = False
        elif tag == "select":
            self.select = None


@pytest.fixture(scope="module")
def forms(built_site: Path) -> dict[str, Form]:
    found = {}
    for name, path in PATHS.items():
        reader = FormReader(name)
        reader.feed((built_site / path.strip("/") / "index.html").read_text(encoding="utf-8"))
        assert reader.form.fields, f"{path}: no form #{name}-form with named controls in the built page"
        found[name] = reader.form
    assert found["plan"].row_fields, "/course-plan/: no row template in the built page"
    return found


# --------------------------------------------------------------------------- one context, one tab per page


@dataclass
class Tabs:
    context: BrowserContext
    watch: Watch
    site_url: str
    pages: dict[str, Page] = field(default_factory=dict)
    dialogs: list[str] = field(default_factory=list)

    def page(self, name: str) -> Page:
        if name not in self.pages:
            self.pages[name] = self.context.new_page()
        return self.pages[name]

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture(scope="module")
def tabs(browser: Browser, site_url: str) -> Iterator[Tabs]:
    context, watch = watched_context(browser, site_url, **DESKTOP)
    context.add_init_script(CSP_WATCH)
    shared = Tabs(context, watch, site_url)
    context.on("page", lambda page: page.on("dialog", shared.on_dialog))
    yield shared
    context.close()


def settled(name: str) -> str:
    return f'#{name}-status[data-state="ready"], #{name}-status[data-state="error"]'


def open_query(tabs: Tabs, name: str, query: str) -> tuple[Page, str]:
    """Open a calculator (or ``suggest``) at ``?query`` and wait until it is ready; say what went wrong."""
    path = SUGGEST if name == "suggest" else PATHS[name]
    url = tabs.site_url + path + (f"?{query}" if query else "")
    where = f"{path}?{query[:300]}{'…' if len(query) > 300 else ''}"
    page = tabs.page(name)
    page.goto("about:blank")  # the previous URL's page is gone before the watch starts afresh
    tabs.watch.clear()
    tabs.dialogs.clear()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(settled(name), timeout=PYTHON_READY_TIMEOUT_MS)
    assert_started_cleanly(tabs, page, name, where)
    return page, where


def assert_started_cleanly(tabs: Tabs, page: Page, name: str, where: str) -> None:
    status = page.locator(f"#{name}-status")
    state = status.get_attribute("data-state")
    assert state == "ready", f"{where}: status {state!r}: {status.inner_text()!r}; {tabs.watch.problems()}"
    shown = page.locator("body").inner_text()
    assert "Traceback" not in shown and "PythonError" not in shown, f"{where}: a Python error on the page"
    assert page.locator(".py-error").count() == 0, f"{where}: PyScript rendered an error box"
    assert page.evaluate("window.__cspViolations") == [], f"{where}: Content-Security-Policy violations"
    assert not tabs.dialogs, f"{where}: dialogs {tabs.dialogs}"
    assert page.locator('img[src="x"], #injected').count() == 0, f"{where}: markup from the URL"
    tabs.watch.assert_clean(where)


# --------------------------------------------------------------------------- reading a form


@dataclass(frozen=True)
class Control:
    key: str  # the id, or name=value for a radio button
    name: str
    type: str
    value: str  # the value, or "true"/"false" for a radio button or checkbox
    initial: str  # the same as the page had it (for a select: its default option)
    options: tuple[str, ...]
    selected_index: int
    in_row: bool


def controls(page: Page, name: str) -> list[Control]:
    found: list[dict[str, Any]] = page.locator(f"#{name}-form").evaluate(
        """form => Array.from(form.querySelectorAll("input, select, textarea")).map(n => {
            const choice = n.type === "radio" || n.type === "checkbox";
            const select = n.tagName === "SELECT";
            let initial = choice ? String(n.defaultChecked) : n.defaultValue;
            if (select) {
                const first = Array.from(n.options).find(o => o.defaultSelected) || n.options[0];
                initial = first ? first.value : "";
            }
            return {
                key: n.id || n.name + "=" + n.value, name: n.name, type: n.type,
                value: choice ? String(n.checked) : n.value, initial,
                options: select ? Array.from(n.options).map(o => o.value) : [],
                selected_index: select ? n.selectedIndex : 0, in_row: !!n.closest("[data-row]"),
            };
        })"""
    )
    return [Control(**{**item, "options": tuple(item["options"])}) for item in found]


def row_count(page: Page, name: str) -> int:
    return page.locator(f"#{name}-form [data-row-list] > [data-row]").count()


def current(page: Page, name: str) -> dict[str, str]:
    return {control.key: control.value for control in controls(page, name)}


def assert_choices_valid(found: list[Control], where: str) -> None:
    """Every select shows one of its options; every radio group that had a choice still has one."""
    for control in found:
        if control.type.startswith("select"):
            assert control.selected_index >= 0 and control.value in control.options, (
                f"{where}: {control.key} shows {control.value!r}, not one of its options"
            )
    groups: dict[str, list[Control]] = {}
    for control in found:
        if control.type == "radio":
            groups.setdefault(control.name, []).append(control)
    for group, buttons in groups.items():
        checked = [b.key for b in buttons if b.value == "true"]
        had_one = any(b.initial == "true" for b in buttons)
        assert len(checked) == 1 if had_one else len(checked) <= 1, f"{where}: radio group {group}: {checked}"


def assert_untouched(page: Page, name: str, where: str, rows_before: int, *, except_names: set[str]) -> None:
    """Controls keep the page's values unless their name is in except_names (rows: unless a
    ``row.*`` or ``rows`` name is); radio groups and selects always show one of their own choices."""
    found = controls(page, name)
    assert_choices_valid(found, where)
    changed = [
        (c.key, c.initial[:40], c.value[:40])
        for c in found
        if c.name not in except_names and not c.in_row and c.value != c.initial
    ]
    assert not changed, f"{where}: controls the URL does not name changed (key, was, now): {changed}"
    if not any(n == "rows" or n.startswith("row.") for n in except_names):
        assert row_count(page, name) == rows_before, f"{where}: the row list changed"
        changed_rows = [c.key for c in found if c.in_row and c.value != c.initial]
        assert not changed_rows, f"{where}: rows the URL does not name changed: {changed_rows}"


def url_names(page: Page) -> set[str]:
    return {key for key, _ in parse_qsl(urlsplit(page.url).query, keep_blank_values=True)}


# --------------------------------------------------------------------------- the fixed URLs


def encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)


def selector_names(form: Form) -> list[tuple[str, str]]:
    """Names that, put into a selector, would pick one of the form's fields: ``x"],[name="minutes``."""
    pairs = []
    for key, choices in form.fields.items():
        for value in choices or ("5",):  # every choice, so that one differs from the page's own
            pairs += [(f'x"],[name="{key}', value), (f"x'],[name='{key}", value), (f'{key}"', value)]
            pairs += [(f'*:not([name="{key}"])', value), (f"{key}]", value), (f"[name={key}]", value)]
    for key, choices in form.row_fields.items():
        for value in choices or ("5",):
            pairs += [(f'row.x"],[name="{key}', value), (f'row.{key}"', value)]
    return pairs


def only_rows(form: Form) -> set[str]:
    """What the page writes into its URL when nothing was typed: the row list, if it has one."""
    return {f"row.{key}" for key in form.row_fields}


@pytest.mark.parametrize("name", list(PATHS))
def test_hostile_names_change_nothing(tabs: Tabs, forms: dict[str, Form], name: str) -> None:
    """The fixed list of hostile names, then every field of the form named as a selector would."""
    query = "&".join(HOSTILE_PARAMS) + "&" + encode(selector_names(forms[name]))
    page, where = open_query(tabs, name, query)
    assert_untouched(page, name, where, len(forms[name].starting_rows), except_names=set())
    assert url_names(page) <= only_rows(forms[name]), f"{where}: the page wrote back {page.url!r}"


SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1) id=injected>"
JS_URL = "javascript:alert(1)"
LONGEST = "9" * MAX_VALUE_CHARS
TOO_LONG = LONGEST + "9"
LONG_LIST = "classroom,60,A\n" * 330  # about 5000 characters of a real activity list


@dataclass(frozen=True)
class Case:
    """A URL's params, what the form then shows (by control key), which names may change it, its rows."""

    params: list[tuple[str, str]]
    shown: dict[str, str]
    changes: set[str]
    rows: int


#: Hostile values in real fields: text stays text, a choice that is not the control's own is ignored.
HOSTILE_VALUES = {
    "ceu": Case(
        [("mode", JS_URL), ("mode", "agenda"), ("minutes", SCRIPT), ("excluded", IMAGE), ("agenda", JS_URL)],
        {"mode=agenda": "true", "mode=minutes": "false", "ceu-minutes": SCRIPT, "ceu-excluded": IMAGE}
        | {"ceu-agenda": JS_URL},
        {"mode", "minutes", "excluded", "agenda"},
        0,
    ),
    "plan": Case(
        [
            ("component-distance", SCRIPT),
            ("component-instruction", JS_URL),
            ("row.activity", SCRIPT),
            ("row.delivery", JS_URL),
            ("row.amount", IMAGE),
            ("row.unit", "minutes"),
            ("row.per", "<b>"),
        ],
        # One row: the text as typed, the unit chosen, the bad choices left as a new row has them.
        {"plan-row-1-activity": SCRIPT, "plan-row-1-delivery": "instruction", "plan-row-1-amount": IMAGE}
        | {"plan-row-1-unit": "minutes", "plan-row-1-per": "week", "plan-row-1-count": ""},
        {"row.activity"},
        1,
    ),
    "eligibility": Case(
        [("program_type", SCRIPT), ("clear-objective", JS_URL), ("organized-setting", IMAGE)], {}, set(), 0
    ),
    # A date field takes only a date: anything else leaves it empty, as the browser does.
    "deadlines": Case(
        [("title", SCRIPT), ("first_offering", JS_URL), ("holidays", IMAGE), ("sessions", "2026-02-30")],
        {"deadlines-title": SCRIPT, "deadlines-first_offering": "", "deadlines-holidays": IMAGE}
        | {"deadlines-sessions": "2026-02-30"},
        {"title", "holidays", "sessions"},
        0,
    ),
    "accreditation": Case(
        [("accredited_on", SCRIPT), ("anniversary", IMAGE), ("as_of", "2026-13-01")],
        {"accreditation-accredited_on": "", "accreditation-anniversary": IMAGE, "accreditation-as_of": ""},
        {"anniversary"},
        0,
    ),
    # A grade is one of the select's; a box is ticked only by "yes".
    "cec": Case(
        [("hours", SCRIPT), ("grade", JS_URL), ("cpr", IMAGE), ("course_number", IMAGE)],
        {"cec-hours": SCRIPT, "cec-grade": "", "cec-cpr": "false", "cec-course_number": IMAGE},
        {"hours", "course_number"},
        0,
    ),
}

#: Repeats (the first usable value wins), counts of rows and long values (over the limit: ignored).
REPEATS_AND_LIMITS = {
    "ceu": Case(
        [
            ("mode", "bogus"),
            ("mode", "activities"),
            ("mode", "minutes"),
            ("minutes", "60"),
            ("minutes", "120"),
            ("excluded", TOO_LONG),
            ("agenda", LONGEST),
            ("activities", LONG_LIST),
            ("rows", "3"),
            ("row.minutes", "7"),
        ],
        {"mode=activities": "true", "ceu-minutes": "60", "ceu-activities": LONG_LIST, "ceu-agenda": LONGEST},
        {"mode", "minutes", "activities", "agenda"},
        0,
    ),
    "plan": Case(
        [
            ("rows", "99999999"),
            ("rows", "-3"),
            ("rows", "1e9"),
            ("rows", "abc"),
            ("component-distance", "on"),
            ("component-distance", "yes"),
            ("component-distance", ""),
            ("row.activity", "A"),
            ("row.amount", "2"),
            ("row.count", "3"),
            ("row.unit", "minutes"),
            ("row.unit", "bogus"),
            ("row.activity", "B"),
            ("row.activity", TOO_LONG),
            *(("row.activity", f"r{n}") for n in range(4, MAX_ROWS + 51)),
        ],
        {"plan-row-1-activity": "A", "plan-row-1-amount": "2", "plan-row-1-count": "3"}
        | {"plan-row-1-unit": "minutes", "plan-row-2-activity": "B", "plan-row-2-unit": "hours"}
        | {"plan-row-3-activity": "", f"plan-row-{MAX_ROWS}-activity": f"r{MAX_ROWS}"}
        | {"component-distance=yes": "true"},
        {"component-distance", "row.activity"},
        MAX_ROWS,
    ),
    "eligibility": Case(
        [
            ("program_type", "dinner"),
            ("program_type", "seminar"),
            ("program_type", "workshop"),
            ("clear-objective", "maybe"),
            ("clear-objective", "no"),
            ("clear-objective", "yes"),
            ("rows", "3"),
            ("row.program_type", "workshop"),
        ],
        {"eligibility-program_type": "seminar", "eligibility-clear-objective-no": "true"},
        {"program_type", "clear-objective"},
        0,
    ),
    "deadlines": Case(
        [
            ("first_offering", "2026-09-14"),
            ("first_offering", "2027-01-01"),
            ("title", TOO_LONG),
            ("title", "A"),
            ("holidays", LONGEST),
            ("rows", "3"),
            ("row.title", "x"),
        ],
        {"deadlines-first_offering": "2026-09-14", "deadlines-title": "A", "deadlines-holidays": LONGEST},
        {"first_offering", "title", "holidays"},
        0,
    ),
    "accreditation": Case(
        [
            ("as_of", "2026-02-29"),
            ("as_of", "2028-02-29"),
            ("anniversary", TOO_LONG),
            ("anniversary", "07-01"),
        ],
        {"accreditation-as_of": "2028-02-29", "accreditation-anniversary": "07-01"},
        {"as_of", "anniversary"},
        0,
    ),
    "cec": Case(
        [
            ("hours", "2"),
            ("hours", "3"),
            ("grade", "Z"),
            ("grade", "B"),
            ("course_number", TOO_LONG),
            ("course_number", "CA23456"),
            ("cpr", "on"),
            ("cpr", "yes"),
        ],
        {"cec-hours": "2", "cec-grade": "B", "cec-course_number": "CA23456", "cec-cpr": "true"},
        {"hours", "grade", "course_number", "cpr"},
        0,
    ),
}


@pytest.mark.parametrize("table", ["hostile values", "repeats and limits"])
@pytest.mark.parametrize("name", list(PATHS))
def test_real_fields_take_only_values_that_fit(
    tabs: Tabs, forms: dict[str, Form], name: str, table: str
) -> None:
    """Text stays text (never markup); choices stay the control's own; the first usable value wins;
    a text over the limit is ignored; ``rows`` is a bounded count and rows stop at MAX_ROWS."""
    case = (HOSTILE_VALUES if table == "hostile values" else REPEATS_AND_LIMITS)[name]
    page, where = open_query(tabs, name, encode(case.params))
    values = current(page, name)
    wrong = {
        key: (want[:40], str(values.get(key))[:40])
        for key, want in case.shown.items()
        if values.get(key) != want
    }
    assert not wrong, f"{where}: the form shows other values (key: wanted, shown): {wrong}"
    assert row_count(page, name) == (case.rows or len(forms[name].starting_rows)), (
        f"{where}: {row_count(page, name)} rows"
    )
    assert_untouched(page, name, where, len(forms[name].starting_rows), except_names=case.changes)
    assert url_names(page) <= forms[name].names(), f"{where}: the page wrote back {page.url!r}"


# --------------------------------------------------------------------------- what the page writes still works


def type_ceu(page: Page) -> None:
    page.locator("#ceu-form input[name=mode][value=minutes]").check()
    page.fill("#ceu-minutes", "340")
    page.fill("#ceu-excluded", "40")


def type_plan(page: Page) -> None:
    page.fill("#plan-row-1-activity", "Edited & <kept> as text")
    page.locator("#plan-row-2-unit").select_option("minutes")
    page.locator('#plan-form input[name="component-distance"]').check()
    added = row_count(page, "plan") + 1
    page.locator("#plan-form [data-action=add-row]").click()
    page.fill(f"#plan-row-{added}-amount", "90")


def type_eligibility(page: Page) -> None:
    page.locator("#eligibility-program_type").select_option("workshop")
    page.locator("#eligibility-clear-objective-no").check()


def type_deadlines(page: Page) -> None:
    page.fill("#deadlines-title", "Night class & <kept> as text")
    page.fill("#deadlines-first_offering", "2027-03-01")
    page.fill("#deadlines-holidays", "2027-02-15\n2027-02-16")


def type_accreditation(page: Page) -> None:
    page.fill("#accreditation-accredited_on", "2024-02-29")
    page.fill("#accreditation-anniversary", "07-01")


def type_cec(page: Page) -> None:
    page.fill("#cec-semester_hours", "1.5")
    page.locator("#cec-grade").select_option("A-")
    page.locator("#cec-aed").check()
    page.fill("#cec-course_number", "cs12345 & <kept>")


TYPING: dict[str, Callable[[Page], None]] = {
    "ceu": type_ceu,
    "plan": type_plan,
    "eligibility": type_eligibility,
    "deadlines": type_deadlines,
    "accreditation": type_accreditation,
    "cec": type_cec,
}


@pytest.mark.parametrize("name", list(PATHS))
def test_the_url_the_page_writes_gives_back_what_was_typed(
    tabs: Tabs, forms: dict[str, Form], name: str
) -> None:
    page, _ = open_query(tabs, name, "")
    TYPING[name](page)
    answered(page, name)  # the worker writes the address with its answer
    typed, typed_rows, written = current(page, name), row_count(page, name), page.url
    assert urlsplit(written).query, f"{PATHS[name]}: typing wrote nothing into the URL"
    assert url_names(page) <= forms[name].names(), f"{PATHS[name]}: the page wrote {written!r}"
    page, where = open_query(tabs, name, urlsplit(written).query)
    assert current(page, name) == typed, f"{where}: the URL gives back other values"
    assert row_count(page, name) == typed_rows, f"{where}: the URL gives back another row list"
    assert page.url == written, f"{where}: opening the URL changed it to {page.url!r}"


# --------------------------------------------------------------------------- seeded random URLs

#: One seeded URL per calculator per run, with twice the params: each page load starts Pyodide in
#: a worker (about 3 s), and `make test` must stay under 15 minutes.
ROUNDS = 1
PARAMS_PER_URL = 64
NAME_TWISTS: tuple[Callable[[str, random.Random], str], ...] = (
    lambda key, rng: key + rng.choice(['"', "'", "\\", "]", "[", "*", ")", "\0", " ", "\u200b"]),
    lambda key, rng: rng.choice(['"', "'", "[", "*", ":not(", "\ufeff", " "]) + key,
    lambda key, rng: f'x"],[name="{key}',
    lambda key, rng: key.upper(),
    lambda key, rng: key.replace("e", "\u0435"),  # a Cyrillic ie (U+0435)
    lambda key, rng: key * rng.randint(2, 300),
)
VALUES = (
    "",
    " ",
    "0",
    "-3",
    "1e9",
    "99999999",
    "NaN",
    "yes",
    "no",
    SCRIPT,
    IMAGE,
    JS_URL,
    " JaVaScRiPt:alert(1)",
    '"],[name="x',
    "{{7*7}}",
    "\0",
    "\u202e042",
    "😀",
    "x" * 5000,
)
RAW_PARAMS = ("%", "%E0%A4%A", "", "=", "==", "%zz=1", "a=%", "&", "row.", "rows")


def random_text(rng: random.Random) -> str:
    pools = ((0x20, 0x7E), (0xA0, 0x2FFF), (0x1F300, 0x1F64F))
    return "".join(chr(rng.randint(*rng.choice(pools))) for _ in range(rng.randint(1, 30)))


def random_query(rng: random.Random, form: Form) -> str:
    keys = sorted(form.fields)
    row_keys = sorted(form.row_fields)
    allowed = [*form.fields.values(), *form.row_fields.values()]
    options = sorted(
        {option for choices in allowed if isinstance(choices, frozenset) for option in choices}
        | ({"2026-09-14", "2024-02-29", "2026-02-30"} if "date" in allowed else set())
    ) or list(VALUES)
    parts = []
    for _ in range(PARAMS_PER_URL):
        draw = rng.random()
        if draw < 0.1:
            parts.append(rng.choice(RAW_PARAMS))
            continue
        if draw < 0.3:
            key = rng.choice(keys)
        elif draw < 0.4 and row_keys:
            key = "row." + rng.choice(row_keys)
        elif draw < 0.45:
            key = "rows"
        elif draw < 0.85:
            key = rng.choice(NAME_TWISTS)(rng.choice(keys + row_keys), rng)
            key = ("row." if row_keys and rng.random() < 0.3 else "") + key
        else:
            key = random_text(rng)
        draw = rng.random()
        value = (
            rng.choice(options)
            if draw < 0.35
            else rng.choice(VALUES)
            if draw < 0.8
            else str(rng.randint(-(10**9), 10**9))
            if draw < 0.9
            else random_text(rng)
        )
        parts.append(f"{quote(key, safe='')}={quote(value, safe='')}")
    return "&".join(parts)


@pytest.mark.parametrize("round_number", range(1, ROUNDS + 1))
@pytest.mark.parametrize("name", list(PATHS))
def test_random_urls_never_break_a_page(
    tabs: Tabs, forms: dict[str, Form], name: str, round_number: int
) -> None:
    form = forms[name]
    rng = random.Random(f"openceu-url-fuzz-{name}-{round_number}")
    query = random_query(rng, form)
    page, where = open_query(tabs, name, query)
    named = {key for key, _ in parse_qsl(query, keep_blank_values=True)}
    assert_untouched(page, name, where, len(forms[name].starting_rows), except_names=named & form.names())
    assert row_count(page, name) <= max(MAX_ROWS, len(forms[name].starting_rows)), f"{where}: too many rows"
    assert url_names(page) <= form.names(), f"{where}: the page wrote back {page.url!r}"


def test_the_suggest_page_starts_whatever_its_url(tabs: Tabs) -> None:
    """The suggest form reads nothing from its URL (site_src/assets/directory/suggest.py): it must still start."""
    page, where = open_query(tabs, "suggest", "&".join(HOSTILE_PARAMS))
    assert page.locator("#suggest-summary[data-state]").count() == 1, f"{where}: no verdict shown"


def test_known_names_cover_every_form(forms: Mapping[str, Form]) -> None:
    """The fuzz above draws names from each form's own fields: make sure it found them."""
    assert {"mode", "minutes", "excluded", "activities", "agenda"} <= set(forms["ceu"].fields)
    assert {"activity", "delivery", "amount", "unit", "per", "count"} == set(forms["plan"].row_fields)
    assert "program_type" in forms["eligibility"].fields
    assert forms["plan"].starting_rows, "/course-plan/ starts with its example rows"
