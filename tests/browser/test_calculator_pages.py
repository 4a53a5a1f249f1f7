"""The calculator pages (/calculator/, /course-plan/, /eligibility/ and the two planners) as a visitor uses them.

* every case of the shared case tables, typed into the real page, gives the CLI's figures
  (bad input: the message beside its field, and no figures);
* course-plan rows are added and removed with the keyboard;
* the URL keeps the inputs and opening it again gives the same figures;
* the worksheet downloads with every input, step, rule and source, and prints alone;
* random and hostile input never breaks a page;
* without JavaScript each page still explains its rule with worked examples;
* the served pages say "loading" and preload the runtime; other pages never load it, and a
  second calculator page reuses the runtime from the browser's cache.

Starting Python takes seconds, so each calculator page is opened ONCE for this module (the
``pages`` fixture, the three starting side by side) and every test first puts the form it
uses in a state of its own. A page's computation runs in its Web Worker, so a result comes
some time after Playwright's fill/click returns: the result panel is ``aria-busy`` until the
worker answers, and the tests wait for it, and for the summary the page model gives for the
same input, before reading figures.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from calc.conversions import parse_credit_systems
from calculator_pages import (
    accreditation_page,
    cec_page,
    ceu_page,
    deadline_page,
    eligibility_page,
    plan_page,
)
from calculator_pages.outcome import Outcome
from site_build.runtime import runtime_paths
from tests.browser.browser_support import (
    CALCULATOR_PATHS,
    DESKTOP,
    PYTHON_READY_TIMEOUT_MS,
    Visit,
    Watch,
    answered,
    watched_context,
)
from tests.conftest import REPO_ROOT
from tests.engine import ceu_page_cases, page_cases
from tests.engine.page_cases import COLUMNS, CRITERIA, EXACTLY_51, INSTRUCTION_ONLY

pytestmark = pytest.mark.browser

#: Form name (#<name>-form, #<name>-status, #<name>-result) -> site path.
PATHS = CALCULATOR_PATHS
#: A program with every kind of date, a closed day and year-long sessions (one in July: a warning).
DEADLINE_VALUES = {
    "title": "Forklift safety, spring; group A",
    "first_offering": "2026-09-14",
    "last_day": "2026-09-16",
    "submitted_on": "2026-09-04",
    "certificate_date": "2026-09-20",
    "applied_on": "2026-09-18",
    "holidays": "2026-09-07",
    "sessions": "2026-09-01\n2027-07-01",
}
#: An accreditation on a leap day, seen from its fifth year, its dues moved to 1 July.
ACCREDITATION_VALUES = {"accredited_on": "2024-02-29", "anniversary": "07-01", "as_of": "2028-08-01"}
#: University credit with a grade, every safety course, a workout and a course number typed in lower case.
CEC_VALUES = next(case for case in page_cases.CEC_CASES if case.id == "cec-everything").values
#: Pyodide's and PyScript's folders in the built site, named by the installed versions.
RUNTIME = runtime_paths(REPO_ROOT / "node_modules")
SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))
CEU_FIGURES = (
    "total_minutes",
    "excluded_minutes",
    "contact_minutes",
    "contact_hours",
    "ceus_unrounded",
    "ceus",
)
COMPONENTS = ("component-instruction", "component-distance", "component-self-paced")
ROW_TEXTS = ("activity", "amount", "count")
ROW_SELECTS = ("delivery", "unit", "per")

CEU_CASES = ceu_page_cases.CASES
PLAN_CASES = [case for case in page_cases.PLAN_CASES if case.browser]
ELIGIBILITY_CASES = [case for case in page_cases.ELIGIBILITY_CASES if case.browser]
#: Plan cases whose rows are all removed and added again with the buttons (the rest reuse rows).
REBUILT = {"plan-seed-form", "plan-mixed-units-and-a-blank-row", "plan-just-under-51-percent"}


def settled(name: str) -> str:
    return f'#{name}-status[data-state="ready"], #{name}-status[data-state="error"]'


# --------------------------------------------------------------------------- the shared pages


@pytest.fixture(scope="module")
def pages(browser: Browser, site_url: str) -> Iterator[dict[str, Visit]]:
    """The three calculator pages at desktop width, each in its own watched context.

    All three are opened before waiting for any, so their Pythons start side by side.
    """
    contexts: list[BrowserContext] = []
    opened: dict[str, Visit] = {}
    for name, path in PATHS.items():
        context, watch = watched_context(browser, site_url, **DESKTOP)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(site_url + path, wait_until="domcontentloaded")
        state = page.get_attribute(f"#{name}-status", "data-state")
        opened[name] = Visit(page, watch, response, state)
    for name, shown in opened.items():
        shown.page.wait_for_selector(settled(name), timeout=PYTHON_READY_TIMEOUT_MS)
    yield opened
    for context in contexts:
        context.close()


def use(pages: dict[str, Visit], name: str) -> Visit:
    """A shared page, checked to be running, with what earlier tests left on its watch cleared."""
    shown = pages[name]
    assert_ready(shown.page, name, shown.watch)
    shown.watch.clear()
    return shown


def assert_ready(page: Page, name: str, watch: Watch) -> None:
    status = page.locator(f"#{name}-status")
    state = status.get_attribute("data-state")
    assert state == "ready", (
        f"{PATHS[name]} is not running: data-state={state!r}, status {status.inner_text()!r}, "
        f"page problems {watch.problems()}"
    )


def assert_no_python_error_shown(page: Page, where: str) -> None:
    shown = page.locator("body").inner_text()
    assert "Traceback" not in shown and "PythonError" not in shown, f"{where}: the page shows a Python error"
    assert page.locator(".py-error").count() == 0, f"{where}: PyScript rendered an error box"


# --------------------------------------------------------------------------- reading a page


def page_figures(page: Page, name: str) -> dict[str, str]:
    """key -> exact value (data-value) of every figure in the live result panel."""
    page.wait_for_selector(f"#{name}-result:not([aria-busy])")  # the worker has answered
    pairs: list[list[str]] = page.locator(f"#{name}-result [data-key]").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.key, n.dataset.value])"
    )
    return dict((key, value) for key, value in pairs)


def table_column(page: Page, name: str, table: str, column: int) -> list[str]:
    page.wait_for_selector(f"#{name}-result:not([aria-busy])")  # the worker has answered
    cells = page.locator(f"#{name}-result [data-table={table}] tbody tr > td:nth-child({column})")
    return [text.strip() for text in cells.all_inner_texts()]


def form_state(page: Page, name: str) -> list[list[str]]:
    """Every control of the form in use as [id or name, value or checked], in document order.

    Controls of a part hidden for another choice are left out: the URL does not keep them.
    """
    state: list[list[str]] = (
        page.locator(f"#{name}-form")
        .locator("input, select, textarea")
        .evaluate_all(
            """nodes => nodes.filter(n => !n.closest('[data-when][hidden]')).map(n => [
                n.id || n.name + '=' + n.value,
                (n.type === 'radio' || n.type === 'checkbox') ? String(n.checked) : n.value])"""
        )
    )
    return state


def same_number(page_value: str, expected: str) -> bool:
    """Equal as exact decimals when both are numbers, else equal as text (passes/fails, eligible...)."""
    try:
        return Decimal(page_value) == Decimal(expected)
    except InvalidOperation:
        return page_value == expected


def wait_for_outcome(page: Page, name: str, outcome: Outcome) -> None:
    """The page shows what the page model gives for the same input (its summary, ok or not)."""
    panel = page.locator(f"#{name}-result")
    expect(panel.locator(".calc-summary")).to_have_text(outcome.summary)
    expect(panel).to_have_attribute("data-state", "ok" if outcome.ok else "error")


def assert_message_beside_field(page: Page, name: str, outcome: Outcome, field: str) -> None:
    """The one message sits in #<name>-error-<field>, the field is marked invalid, no figure is left."""
    assert [error.field for error in outcome.errors] == [field], outcome.errors
    slot = page.locator(f"#{name}-error-{field}")
    expect(slot).to_be_visible()
    expect(slot).to_have_text(outcome.errors[0].message)
    shown_messages = page.locator(f"#{name}-form .calc-error:not([hidden])")
    expect(shown_messages).to_have_count(1)
    controls = page.locator(
        f'#{name}-form [name="{field}"], input#{name}-{field}, select#{name}-{field}, textarea#{name}-{field}'
    )
    if controls.count():
        for control in controls.all():
            expect(control).to_have_attribute("aria-invalid", "true")
            expect(control).to_have_attribute("aria-describedby", re.compile(rf"\b{name}-error-{field}\b"))
    else:  # a message about a group (which delivery to check, the row list): the group names it
        group = page.locator(f"#{name}-{field}")
        if group.count():
            expect(group).to_have_attribute("aria-describedby", re.compile(rf"\b{name}-error-{field}\b"))
    expect(page.locator(f"#{name}-result [data-key]")).to_have_count(0)
    expect(page.locator(f"#{name}-result [data-action]:enabled")).to_have_count(0)


# --------------------------------------------------------------------------- filling a page


def fill_ceu(page: Page, values: Mapping[str, str], keystrokes: bool = False) -> None:
    """Click the mode's radio, then type the minutes or paste the list into its box."""
    mode = values["mode"]
    page.locator(f'#ceu-form input[name=mode][value="{mode}"]').click()
    if mode == "minutes":
        for field in ("minutes", "excluded"):
            box = page.locator(f"#ceu-{field}")
            box.fill("")
            if keystrokes:
                box.press_sequentially(values.get(field, ""))
            else:
                box.fill(values.get(field, ""))
    else:
        page.locator(f"#ceu-{mode}").fill(values[mode])  # what a paste does
    page.select_option("#ceu-rule", values.get("rule", "iacet-ceu"))
    condition = page.locator("#ceu-condition")
    if condition.is_visible():  # shown only while the chosen rule has a multiplier
        condition.set_checked(values.get("condition") == "yes")


def plan_rows(page: Page) -> int:
    return page.locator("#plan-form [data-row-list] > [data-row]").count()


def fill_plan(
    page: Page, values: Mapping[str, str], rows: Sequence[Mapping[str, str]], rebuild: bool = False
) -> None:
    """Tick the delivery modes, make the row list as long as ``rows`` with the buttons, fill it.

    With ``rebuild`` every existing row is removed first and each row added with "Add a row".
    """
    for key in COMPONENTS:
        page.locator(f'#plan-form input[name="{key}"]').set_checked(values.get(key) == "yes")
    if rebuild:
        while plan_rows(page):
            page.locator("#plan-row-1-remove").click()
    while plan_rows(page) > len(rows):
        page.locator(f"#plan-row-{plan_rows(page)}-remove").click()
    while plan_rows(page) < len(rows):
        before = plan_rows(page)
        page.locator("#plan-form [data-action=add-row]").click()
        expect(page.locator(f"#plan-row-{before + 1}-activity")).to_be_focused()
    for number, row in enumerate(rows, start=1):
        for column in ROW_TEXTS:
            page.locator(f"#plan-row-{number}-{column}").fill(row[column])
        for column in ROW_SELECTS:
            page.locator(f"#plan-row-{number}-{column}").select_option(value=row[column])


def fill_form(page: Page, name: str, values: Mapping[str, str]) -> None:
    """Put each value into #<name>-<field> as a visitor would: typed, chosen, or ticked for "yes"."""
    for field, value in values.items():
        control = page.locator(f"#{name}-{field}")
        kind = control.evaluate("node => node.type")
        if kind == "checkbox":
            control.set_checked(value == "yes")
        elif kind.startswith("select"):
            control.select_option(value=value)
        else:
            control.fill(value)


def fill_eligibility(page: Page, values: Mapping[str, str]) -> None:
    page.locator("#eligibility-program_type").select_option(value=values["program_type"])
    for criterion in CRITERIA:
        page.locator(f"#eligibility-{criterion}-{values[criterion]}").check()


# --------------------------------------------------------------------------- the CLI


def page_cli(case: page_cases.PageCase, folder: Path) -> subprocess.CompletedProcess[str]:
    path = folder / case.cli_file
    path.write_text(case.cli_text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "ceu_cli", *case.cli_args(path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


# --------------------------------------------------------------------------- parity with the CLI


@pytest.mark.parametrize("case", CEU_CASES, ids=lambda case: case.id)
def test_ceu_page_gives_the_cli_figures(pages: dict[str, Visit], case: ceu_page_cases.PageCase) -> None:
    shown = use(pages, "ceu")
    page = shown.page
    outcome = ceu_page.compute(case.values, SYSTEMS)
    fill_ceu(page, case.values, keystrokes=CEU_CASES.index(case) % 2 == 1)
    wait_for_outcome(page, "ceu", outcome)
    done = case.run_cli()
    assert "Traceback" not in done.stderr, done.stderr

    if case.error:
        assert_message_beside_field(page, "ceu", outcome, case.error)
        assert done.returncode == 2, f"the CLI accepted what the page refuses: {done.stdout}"
        assert outcome.errors[0].message in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        cli = json.loads(done.stdout)
        figures = page_figures(page, "ceu")
        assert figures == {figure.key: figure.value for figure in outcome.figures}
        differing = {
            key: (figures.get(key), cli[key])
            for key in CEU_FIGURES
            if key not in figures or Decimal(figures[key]) != Decimal(cli[key])
        }
        assert not differing, f"page figure vs CLI: {differing}"
        assert figures["ceus"] == case.ceus
        under = cli.get("under_policy") or {}
        if case.policy:  # the chosen body's rule: the page's figure is the CLI's (ceu iacet --policy)
            assert Fraction(figures["policy"]) == Fraction(under["reported"]) == Fraction(case.policy)
        titles = table_column(page, "ceu", "excluded", 2)
        assert titles == [item["title"] for item in cli["excluded"]]
        for title in case.excluded:
            assert any(title in shown_title for shown_title in titles), (title, titles)
    assert_no_python_error_shown(page, case.id)
    shown.watch.assert_clean(f"CEU case {case.id}")


def check_plan_against_cli(figures: dict[str, str], cli: dict[str, Any]) -> None:
    ceu, mix = cli["ceu"], cli["delivery"]
    wanted = {key: ceu[key] for key in ("contact_minutes", "contact_hours", "ceus_unrounded", "ceus")}
    wanted["component_minutes"] = mix["component_minutes"]
    wanted["component_share"] = plan_page.percent(Decimal(mix["component_share"]))
    wanted["threshold"] = str(Decimal(mix["threshold"]) * 100)
    wanted["delivery_check"] = "passes" if mix["passes"] else "fails"
    differing = {k: (figures.get(k), v) for k, v in wanted.items() if not same_number(figures.get(k, ""), v)}
    assert not differing, f"page figure vs CLI: {differing}"


def check_eligibility_against_cli(figures: dict[str, str], cli: dict[str, Any]) -> None:
    wanted = {"status": cli["status"]}
    for verdict in ("met", "fails", "unanswered"):
        wanted[verdict] = str(sum(item["verdict"] == verdict for item in cli["items"]))
    differing = {k: (figures.get(k), v) for k, v in wanted.items() if not same_number(figures.get(k, ""), v)}
    assert not differing, f"page figure vs CLI: {differing}"


@pytest.mark.parametrize("case", PLAN_CASES + ELIGIBILITY_CASES, ids=lambda case: case.id)
def test_plan_and_eligibility_pages_give_the_cli_figures(
    pages: dict[str, Visit], case: page_cases.PageCase, tmp_path: Path
) -> None:
    shown = use(pages, case.page)
    page = shown.page
    if case.page == "plan":
        outcome = plan_page.compute(case.values, case.rows)
        fill_plan(page, case.values, case.rows, rebuild=case.id in REBUILT)
    else:
        outcome = eligibility_page.compute(case.values)
        fill_eligibility(page, case.values)
    wait_for_outcome(page, case.page, outcome)
    done = page_cli(case, tmp_path) if case.cli_text else None
    if done is not None:
        assert "Traceback" not in done.stderr, done.stderr

    if case.error:
        assert_message_beside_field(page, case.page, outcome, case.error)
        if done is not None:
            assert done.returncode == 2, f"the CLI accepted what the page refuses: {done.stdout}"
    else:
        figures = page_figures(page, case.page)
        assert figures == {figure.key: figure.value for figure in outcome.figures}
        differing = {
            k: (figures.get(k), v) for k, v in case.expected.items() if not same_number(figures.get(k, ""), v)
        }
        assert not differing, f"page figure vs the case's expected value: {differing}"
        assert done is not None and done.returncode == case.cli_status, done and done.stderr
        cli = json.loads(done.stdout)
        (check_plan_against_cli if case.page == "plan" else check_eligibility_against_cli)(figures, cli)
    assert_no_python_error_shown(page, case.id)
    shown.watch.assert_clean(f"case {case.id}")


CEC_EMPTY = dict.fromkeys((*cec_page.AMOUNT_FIELDS, "grade", cec_page.COURSE_FIELD), "") | dict.fromkeys(
    cec_page.SAFETY_FIELDS, "no"
)


@pytest.mark.parametrize("case", page_cases.CEC_CASES, ids=lambda case: case.id)
def test_cec_page_gives_the_clis_cecs_and_checks_the_course_number(
    pages: dict[str, Visit], case: page_cases.CecCase
) -> None:
    shown = use(pages, "cec")
    page = shown.page
    outcome = cec_page.compute(case.values)
    fill_form(page, "cec", CEC_EMPTY | case.values)
    wait_for_outcome(page, "cec", outcome)
    done = subprocess.run(
        [sys.executable, "-m", "ceu_cli", *case.cli_args()],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if case.error:
        assert_message_beside_field(page, "cec", outcome, case.error)
    else:
        assert done.returncode == 0, done.stderr
        cli = json.loads(done.stdout)
        figures = page_figures(page, "cec")
        assert figures["cecs"] == cli["cecs"] == case.cecs
        assert table_column(page, "cec", "parts", 4) == [part["cecs"] for part in cli["parts"]]
    assert_no_python_error_shown(page, case.id)
    shown.watch.assert_clean(f"CEC case {case.id}")


# --------------------------------------------------------------------------- rows by keyboard


def test_course_plan_rows_are_added_and_removed_with_the_keyboard(pages: dict[str, Visit]) -> None:
    shown = use(pages, "plan")
    page = shown.page
    fill_plan(page, INSTRUCTION_ONLY, EXACTLY_51)
    minutes = page.locator('#plan-result [data-key="contact_minutes"]')
    add = page.locator("#plan-form [data-action=add-row]")
    keyboard = page.keyboard
    expect(minutes).to_have_attribute("data-value", "100")

    # Tab from the last row's remove button reaches "Add a row"; Enter adds row 3 and focuses it.
    page.locator("#plan-row-2-remove").focus()
    keyboard.press("Tab")
    expect(add).to_be_focused()
    keyboard.press("Enter")
    expect(page.locator("#plan-row-3-activity")).to_be_focused()
    expect(page.locator("#plan-row-3 legend")).to_have_text("Row 3")
    keyboard.type("Reflection")
    keyboard.press("Tab")
    expect(page.locator("#plan-row-3-delivery")).to_be_focused()
    keyboard.press("Tab")
    expect(page.locator("#plan-row-3-amount")).to_be_focused()
    keyboard.type("2")  # hours (the default unit) ...
    keyboard.press("Tab")
    keyboard.press("Tab")  # ... per week (the default)
    keyboard.press("Tab")
    expect(page.locator("#plan-row-3-count")).to_be_focused()
    keyboard.type("3")  # 2 h x 3 weeks = 360 min
    expect(minutes).to_have_attribute("data-value", "460")

    # Space on row 3's remove button: the last row goes, focus moves to the row before it.
    keyboard.press("Tab")
    expect(page.locator("#plan-row-3-remove")).to_be_focused()
    keyboard.press("Space")
    expect(page.locator("#plan-row-3")).to_have_count(0)
    expect(page.locator("#plan-row-2-activity")).to_be_focused()
    expect(minutes).to_have_attribute("data-value", "100")

    # Enter on row 1's remove button: row 2 becomes row 1 with its values; focus stays in place.
    page.locator("#plan-row-1-remove").focus()
    keyboard.press("Enter")
    assert plan_rows(page) == 1
    expect(page.locator("#plan-row-1-activity")).to_be_focused()
    expect(page.locator("#plan-row-1-activity")).to_have_value("Online")
    expect(page.locator("#plan-row-1-amount")).to_have_value("49")
    expect(page.locator("#plan-row-1 legend")).to_have_text("Row 1")
    expect(page.locator("#plan-row-1-remove")).to_have_text("Remove row 1")
    expect(minutes).to_have_attribute("data-value", "49")

    # Removing the last row leaves focus on "Add a row" and says a row is needed.
    page.locator("#plan-row-1-remove").focus()
    keyboard.press("Space")
    assert plan_rows(page) == 0
    expect(add).to_be_focused()
    expect(page.locator("#plan-error-rows")).to_be_visible()
    expect(minutes).to_have_count(0)

    # And Enter brings a row back, ready to type in.
    keyboard.press("Enter")
    expect(page.locator("#plan-row-1-activity")).to_be_focused()
    keyboard.type("Class")
    for _ in range(2):
        keyboard.press("Tab")
    keyboard.type("1")
    for _ in range(3):
        keyboard.press("Tab")
    keyboard.type("2")
    expect(minutes).to_have_attribute("data-value", "120")
    expect(page.locator("#plan-error-rows")).to_be_hidden()
    assert_no_python_error_shown(page, "rows by keyboard")
    shown.watch.assert_clean("adding and removing course-plan rows with the keyboard")


# --------------------------------------------------------------------------- the URL keeps the inputs


def private_names(page: Page, name: str) -> set[str]:
    names: list[str] = page.locator(f"#{name}-form [data-private]").evaluate_all("ns => ns.map(n => n.name)")
    return set(names)


def test_the_url_keeps_the_inputs_and_opening_it_gives_the_same_figures(
    pages: dict[str, Visit], browser: Browser, site_url: str
) -> None:
    agenda = next(case for case in CEU_CASES if case.id == "agenda-day")
    plan = next(case for case in PLAN_CASES if case.id == "plan-mixed-units-and-a-blank-row")
    plan_values = {**plan.values, "component-distance": "yes"}
    checklist = next(case for case in ELIGIBILITY_CASES if case.id == "eligibility-no-beats-missing")

    typed = {name: use(pages, name) for name in PATHS}
    fill_ceu(typed["ceu"].page, agenda.values)
    wait_for_outcome(typed["ceu"].page, "ceu", ceu_page.compute(agenda.values, SYSTEMS))
    fill_plan(typed["plan"].page, plan_values, plan.rows)
    wait_for_outcome(typed["plan"].page, "plan", plan_page.compute(plan_values, plan.rows))
    fill_eligibility(typed["eligibility"].page, checklist.values)
    wait_for_outcome(typed["eligibility"].page, "eligibility", eligibility_page.compute(checklist.values))
    fill_form(typed["deadlines"].page, "deadlines", DEADLINE_VALUES)
    wait_for_outcome(typed["deadlines"].page, "deadlines", deadline_page.compute(DEADLINE_VALUES))
    fill_form(typed["accreditation"].page, "accreditation", ACCREDITATION_VALUES)
    wait_for_outcome(
        typed["accreditation"].page, "accreditation", accreditation_page.compute(ACCREDITATION_VALUES)
    )
    fill_form(typed["cec"].page, "cec", CEC_VALUES)
    wait_for_outcome(typed["cec"].page, "cec", cec_page.compute(CEC_VALUES))

    # Only what the visitor changed, for the choice in use; rows always; nothing private.
    wanted = {
        "ceu": [("mode", "agenda"), ("agenda", agenda.values["agenda"])],
        "plan": [("component-distance", "yes")]
        + [(f"row.{column}", row[column]) for row in plan.rows for column in COLUMNS],
        "eligibility": [("program_type", "directed-reading"), ("clear-objective", "no")],
        "deadlines": list(DEADLINE_VALUES.items()),
        "accreditation": list(ACCREDITATION_VALUES.items()),
        "cec": list(CEC_VALUES.items()),
    }
    urls = {}
    for name, shown in typed.items():
        answered(shown.page, name)
        url = shown.page.url
        assert urlsplit(url).path == PATHS[name]
        params = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        assert sorted(params) == sorted(wanted[name]), f"{PATHS[name]} URL holds {params}"
        private = private_names(shown.page, name)
        leaked = [key for key, _ in params if key.removeprefix("row.") in private]
        assert not leaked, f"{PATHS[name]}: private inputs in the URL: {leaked}"
        urls[name] = url

    context, watch = watched_context(browser, site_url, **DESKTOP)
    try:
        fresh = {}
        for name, url in urls.items():  # all three start before any is waited for
            fresh[name] = context.new_page()
            fresh[name].goto(url, wait_until="domcontentloaded")
        for name, page in fresh.items():
            page.wait_for_selector(settled(name), timeout=PYTHON_READY_TIMEOUT_MS)
            assert_ready(page, name, watch)
            before = page_figures(typed[name].page, name)
            assert before, f"{PATHS[name]} showed no figures for the typed case"
            assert page_figures(page, name) == before, f"{PATHS[name]}: the URL gives other figures"
            assert form_state(page, name) == form_state(typed[name].page, name), (
                f"{PATHS[name]}: the URL restores other inputs"
            )
            assert page.url == urls[name], "opening the URL changed it"
            assert_no_python_error_shown(page, f"{PATHS[name]} from its URL")
        watch.assert_clean("calculator pages opened from their URLs")
    finally:
        context.close()
    for name, shown in typed.items():
        shown.watch.assert_clean(f"typing on {PATHS[name]}")


# --------------------------------------------------------------------------- the worksheet


def set_worksheet_case(page: Page, name: str) -> Outcome:
    """A case with excluded items, several rows or a failing item, so the worksheet has a lot to say."""
    if name == "ceu":
        values = next(case for case in CEU_CASES if case.id == "agenda-day").values
        fill_ceu(page, values)
        outcome = ceu_page.compute(values, SYSTEMS)
    elif name == "plan":
        case = next(case for case in PLAN_CASES if case.id == "plan-seed-form")
        fill_plan(page, case.values, case.rows)
        outcome = plan_page.compute(case.values, case.rows)
    elif name == "eligibility":
        case = next(case for case in ELIGIBILITY_CASES if case.id == "eligibility-committee-meeting")
        fill_eligibility(page, case.values)
        outcome = eligibility_page.compute(case.values)
    elif name == "deadlines":
        fill_form(page, name, DEADLINE_VALUES)
        outcome = deadline_page.compute(DEADLINE_VALUES)
    elif name == "cec":
        fill_form(page, name, CEC_VALUES)
        outcome = cec_page.compute(CEC_VALUES)
    else:
        fill_form(page, name, ACCREDITATION_VALUES)
        outcome = accreditation_page.compute(ACCREDITATION_VALUES)
    wait_for_outcome(page, name, outcome)
    assert outcome.ok and outcome.steps and outcome.inputs
    return outcome


@pytest.mark.parametrize("name", list(PATHS))
def test_worksheet_downloads_with_inputs_steps_rules_and_sources(pages: dict[str, Visit], name: str) -> None:
    shown = use(pages, name)
    page = shown.page
    outcome = set_worksheet_case(page, name)
    with page.expect_download() as info:
        page.locator(f"#{name}-result [data-action=download]").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"{name}-worksheet.html"
    text = Path(download.path()).read_text(encoding="utf-8")
    missing = [f"input {label!r}" for label, value in outcome.inputs if escape(label) not in text]
    missing += [f"input value {value!r}" for label, value in outcome.inputs if escape(value) not in text]
    for number, step in enumerate(outcome.steps, start=1):
        missing += [
            f"step {number} {part}"
            for part, value in (("text", step.text), ("rule", step.rule), ("source", step.source))
            if escape(value) not in text
        ]
    missing += [
        f"figure {figure.key}"
        for figure in outcome.figures
        if f'data-key="{escape(figure.key)}" data-value="{escape(figure.value)}"' not in text
    ]
    assert not missing, f"the downloaded worksheet lacks: {missing}"
    assert text.count('<div class="rule">') == text.count('<div class="source">') == len(outcome.steps)
    shown.watch.assert_clean(f"downloading the worksheet of {PATHS[name]}")


@pytest.mark.parametrize("name", list(PATHS))
def test_print_shows_the_worksheet_alone(pages: dict[str, Visit], name: str) -> None:
    """Headless Chromium's window.print() returns at once (no dialog, no afterprint), so the
    page stays in its printing state and print media shows what would be printed."""
    shown = use(pages, name)
    page = shown.page
    outcome = set_worksheet_case(page, name)
    sheet = page.locator("#calc-worksheet-print")
    try:
        page.locator(f"#{name}-result [data-action=print]").click()
        expect(page.locator("body")).to_have_class(re.compile(r"\bprinting-worksheet\b"))
        page.emulate_media(media="print")
        expect(sheet).to_be_visible()
        expect(page.locator("header.md-header")).to_be_hidden()
        expect(page.locator(f"#{name}-form")).to_be_hidden()
        printed = sheet.inner_text()
        for step in outcome.steps:
            for value in (step.text, step.rule, step.source):
                assert " ".join(value.split()) in " ".join(printed.split()), (
                    f"printed worksheet lacks {value!r}"
                )
        page.emulate_media(media="screen")
        expect(sheet).to_be_hidden()
    finally:
        page.emulate_media(media="screen")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bprinting-worksheet\b"))
    shown.watch.assert_clean(f"printing the worksheet of {PATHS[name]}")


@pytest.mark.parametrize("name", list(PATHS))
def test_copy_link_copies_the_address_with_the_inputs(
    pages: dict[str, Visit], site_url: str, name: str
) -> None:
    shown = use(pages, name)
    page = shown.page
    set_worksheet_case(page, name)
    button = page.locator(f"#{name}-result [data-action=copy-link]")
    expect(button).to_be_enabled()
    expect(button).to_have_accessible_name("Copy link")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    try:
        button.click()
        expect(page.locator(f"#{name}-result [data-copy-status]")).to_have_text("Link copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url and urlsplit(copied).query, f"{PATHS[name]}: copied {copied!r}"
    finally:
        page.context.clear_permissions()
    shown.watch.assert_clean(f"Copy link on {PATHS[name]}")


# --------------------------------------------------------------------------- without JavaScript

NO_SCRIPT = {"java_script_enabled": False}


@pytest.mark.parametrize("name", list(PATHS))
def test_without_javascript_the_rule_worked_examples_and_labels_show(
    visit: Callable[..., Visit], name: str
) -> None:
    shown: Visit = visit(PATHS[name], **NO_SCRIPT)
    page = shown.page
    assert shown.response is not None and shown.response.status == 200
    # The "starting Python" status would wait forever: the noscript message says why instead.
    expect(page.locator(f"#{name}-status")).to_be_hidden()
    expect(page.locator("article .calc-status[data-state=error]")).to_contain_text("JavaScript")
    expect(page.locator("h2#the-rule")).to_be_visible()
    rule = page.locator(
        "xpath=//h2[@id='the-rule']/following-sibling::*[preceding-sibling::h2[1][@id='the-rule']]"
    )
    rule_text = " ".join(rule.all_inner_texts())
    assert len(rule_text) > 200 and "Source" in rule_text, (
        f"{PATHS[name]}: the rule says too little: {rule_text!r}"
    )

    examples = page.locator("article .calc-embed:has(ol.calc-steps > li):has(table)")
    assert examples.count() >= 1, f"{PATHS[name]}: no worked example with steps and a table"
    example = examples.first
    expect(example).to_be_visible()
    expect(example.locator("ol.calc-steps > li .rule").first).to_be_visible()
    expect(example.locator("table").first).to_be_visible()

    unlabelled = []
    controls = page.locator(f"#{name}-form").locator("input, select, textarea")
    checked = 0
    for control in controls.all():
        if not control.is_visible():
            continue  # a part for another choice (the CEU page's agenda box)
        checked += 1
        control_id = control.get_attribute("id") or ""
        label = page.locator(f'label[for="{control_id}"]') if control_id else control.locator("xpath=..")
        if control_id and label.count() == 0:
            label = control.locator("xpath=ancestor::label")
        if label.count() != 1 or not label.is_visible() or not label.inner_text().strip():
            unlabelled.append(control_id or control.get_attribute("name") or "?")
    assert checked >= 2, f"{PATHS[name]}: only {checked} visible inputs without JavaScript"
    assert not unlabelled, f"{PATHS[name]}: inputs without a visible label: {unlabelled}"
    shown.watch.assert_clean(f"{PATHS[name]} without JavaScript")


# --------------------------------------------------------------------------- start-up


class HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.status: dict[str, str | None] = {}
        self.worker_config = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link":
            self.links.append(found)
        elif (found.get("id") or "").endswith("-status"):
            self.status = found
        self._in_config = found.get("id") == "openceu-worker-config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.worker_config += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


@pytest.mark.parametrize("name", list(PATHS))
def test_served_page_says_loading_and_names_what_its_worker_loads(pages: dict[str, Visit], name: str) -> None:
    """Python starts in the page's Worker from files the page names; the module it imports is preloaded."""
    shown = pages[name]
    assert shown.response is not None and shown.response.status == 200
    head = HeadLinks()
    head.feed(shown.response.text())
    assert head.status.get("id") == f"{name}-status" and head.status.get("data-state") == "loading", (
        head.status
    )
    assert shown.state_at_load == "loading", f"data-state right after navigation: {shown.state_at_load!r}"
    base = shown.response.url
    modules = [
        urlsplit(urljoin(base, link.get("href") or "")).path
        for link in head.links
        if link.get("rel") == "modulepreload"
    ]
    assert modules == ["/assets/calculators/calculator.js"], modules
    config = json.loads(head.worker_config)
    assert config["name"] == name
    assert urlsplit(urljoin(base, config["pyodide"])).path == f"/{RUNTIME.pyodide}"
    named = [config["worker"], config["entry"], *config["zips"], *config["files"], *modules]
    for path in [*named, config["pyodide"] + "pyodide.mjs", config["pyodide"] + "pyodide.asm.wasm"]:
        status = shown.page.request.fetch(urljoin(base, path), method="HEAD").status
        assert status == 200, f"{path}: status {status}"
    assert_ready(shown.page, name, shown.watch)


RUNTIME_PREFIXES = ("/pyodide/", "/pyscript/", "/assets/py/")


@pytest.mark.parametrize("which", ["home", "directory", "profile", "rules"])
def test_pages_without_python_never_load_the_runtime(
    browser: Browser, site_url: str, sample_profile: str, which: str
) -> None:
    path = {"home": "/", "directory": "/directory/", "profile": sample_profile, "rules": "/rules/"}[which]
    context, watch = watched_context(browser, site_url, **DESKTOP)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))
    try:
        page = context.new_page()
        response = page.goto(site_url + path)
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        runtime = [item for item in requested if item.startswith(RUNTIME_PREFIXES)]
        assert not runtime, f"{path} loads the Python runtime: {runtime}"
        watch.assert_clean(f"{path}")
    finally:
        context.close()


#: Big runtime files a second calculator page should not download again in full.
CACHED_RUNTIME = (
    RUNTIME.pyodide + "python_stdlib.zip",
    RUNTIME.pyodide + "pyodide.asm.mjs",
    "assets/py/calc.zip",
    "assets/py/calculator_pages.zip",
)
WASM = RUNTIME.pyodide + "pyodide.asm.wasm"


#: How the calculator's worker got each file, from its own Resource Timing entries: nothing
#: transferred is the HTTP cache, less than the body is a revalidation (304), else a download.
HOW_FETCHED = """() => performance.getEntriesByType("resource").map((entry) => [
  new URL(entry.name).pathname,
  entry.transferSize === 0 ? "cache" : entry.transferSize < entry.encodedBodySize ? "revalidated" : "download",
])"""


def test_second_calculator_page_takes_the_runtime_from_the_browser_cache(
    browser: Browser, site_url: str
) -> None:
    """What Chromium does with the test server (http.server: Last-Modified, no Cache-Control):

    On the second page the runtime files come from the HTTP cache (heuristic freshness) or are
    revalidated (If-Modified-Since -> 304). The exception is pyodide.asm.wasm (9.6 MB): in an
    off-the-record context, which every Playwright ``new_context`` is, Chromium downloads it
    again in full; in a profile on disk it comes from the disk cache. So the wasm is only checked
    to be downloaded once per page. The files are fetched by the page's Worker, so the worker's
    own Resource Timing says how. Playwright's routing turns the HTTP cache off, so this context
    is not routed: requests to other hosts are recorded instead.
    """
    origin = urlsplit(site_url).netloc
    context = browser.new_context(service_workers="block", **DESKTOP)  # the HTTP cache, not the worker's
    watch = Watch(origin=origin)
    context.on("page", watch.attach)

    def other_host(request: Request) -> None:
        if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != origin:
            watch.foreign_requests.append(request.url)

    context.on("request", other_host)
    seen: list[dict[str, list[str]]] = []
    try:
        for name in ("eligibility", "plan"):
            page = context.new_page()
            page.goto(site_url + PATHS[name], wait_until="domcontentloaded")
            page.wait_for_selector(settled(name), timeout=PYTHON_READY_TIMEOUT_MS)
            assert_ready(page, name, watch)
            assert len(page.workers) == 1, page.workers
            how: dict[str, list[str]] = {}
            for path, way in page.workers[0].evaluate(HOW_FETCHED):
                if path.lstrip("/") in (*CACHED_RUNTIME, WASM):
                    how.setdefault(path.lstrip("/"), []).append(way)
            seen.append(how)
        first, second = seen
        downloads = {path: first.get(path, []).count("download") for path in (*CACHED_RUNTIME, WASM)}
        assert set(downloads.values()) == {1}, f"first visit in a fresh context: {first}"
        refetched = {
            path: second.get(path)
            for path in CACHED_RUNTIME
            if not second.get(path) or "download" in second.get(path, [])
        }
        assert not refetched, (
            f"second calculator page downloads the runtime again: {refetched} (all: {second})"
        )
        assert second.get(WASM, []).count("download") <= 1, f"the wasm is downloaded more than once: {second}"
        watch.assert_clean("two calculator pages in one context")
    finally:
        context.close()


# --------------------------------------------------------------------------- fuzzing

NASTY = (
    "",
    " ",
    "\t \n ",
    "0",
    "-0",
    "-1",
    "+60",
    "1e9999",
    "-1e9999",
    "1e-9999",
    "NaN",
    "-nan",
    "sNaN",
    "Infinity",
    "inf",
    "1_000",
    "1,5",
    "٣٤٠",
    "\uff11\uff12\uff10",  # fullwidth 120
    "½",
    "∞",
    "0x1F",
    "1/3",
    "3.99999999999999999999999999999999999999",
    "9" * 400,
    "<script>alert(1)</script>",
    "'; DROP TABLE rows; --",
    '" OR 1=1 --',
    "😀",
    "👩‍👩‍👧 🎉",
    "\u202e042",
    "\u200b60",
    "None",
    "null",
    "{{7*7}}",
    "%00",
    "../../etc/passwd",
    "x" * 20_000,
    "09:00-10:00 A\n" * 200,
    "kind,minutes,title\nclassroom,1e9999,X\n",
    "kind,minutes\n,\n,,,,\n",
    "99:99-00:00 Bad\n",
    "Day 1\n23:59-00:01 Midnight\n",
    "10:00-09:00 Backwards\n",
)


def nasty(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.6:
        return rng.choice(NASTY)
    if draw < 0.8:
        return rng.choice(NASTY) + rng.choice(NASTY)
    pools = ((0x20, 0x7E), (0xA0, 0x2FFF), (0x1F300, 0x1F64F))
    return "".join(chr(rng.randint(*rng.choice(pools))) for _ in range(rng.randint(1, 40)))


def controls(page: Page, name: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = (
        page.locator(f"#{name}-form")
        .locator("input, select, textarea")
        .evaluate_all(
            """nodes => nodes.map(n => ({
            id: n.id, tag: n.tagName.toLowerCase(), type: n.type || '', name: n.name, value: n.value,
            when: (n.closest('[data-when]') || {dataset: {}}).dataset.when || '',
            options: n.tagName === 'SELECT' ? Array.from(n.options).map(o => o.value).join('\\n') : ''}))"""
        )
    )
    return found


ROUNDS = 15
MAX_FUZZ_ROWS = 3


@pytest.mark.parametrize("name", list(PATHS))
def test_random_input_never_breaks_a_page(pages: dict[str, Visit], name: str) -> None:
    shown = use(pages, name)
    page = shown.page
    form = f"#{name}-form"
    rng = random.Random(f"openceu-fuzz-{name}")
    if name == "plan":  # every input of a few rows (each input event recomputes the whole plan)
        fill_plan(page, INSTRUCTION_ONLY, EXACTLY_51)
    for round_number in range(1, ROUNDS + 1):
        typed: list[tuple[str, str]] = []
        if name == "plan":  # the row list changes too
            draw = rng.random()
            if draw < 0.3 and plan_rows(page) < MAX_FUZZ_ROWS:
                page.locator(f"{form} [data-action=add-row]").click()
                typed.append(("add-row", ""))
            elif draw < 0.5 and plan_rows(page) > 1:
                number = rng.randint(1, plan_rows(page))
                page.locator(f"#plan-row-{number}-remove").click()
                typed.append((f"remove-row-{number}", ""))
        found = controls(page, name)
        boxes = [c for c in found if c["tag"] == "textarea" or c["type"] in ("text", "number", "search", "")]
        for when in sorted({c["when"] for c in boxes}):
            if when:  # show the part holding these boxes: click its choice
                field, _, wanted = when.partition("=")
                page.locator(f'{form} input[name="{field}"][value="{wanted}"]').click()
            for box in (c for c in boxes if c["when"] == when):
                assert box["id"], f"an input without an id on {PATHS[name]}: {box}"
                text = nasty(rng)
                typed.append((box["id"], text[:60]))
                page.locator(f"#{box['id']}").fill(text)
        for select in (c for c in found if c["tag"] == "select"):
            value = rng.choice(select["options"].split("\n"))
            typed.append((select["id"], value))
            page.locator(f"#{select['id']}").select_option(value=value)
        radio_groups = sorted({c["name"] for c in found if c["type"] == "radio"})
        for group in radio_groups:
            values = [c["value"] for c in found if c["type"] == "radio" and c["name"] == group]
            value = rng.choice(values)
            typed.append((group, value))
            page.locator(f'{form} input[type=radio][name="{group}"][value="{value}"]').check()
        for box in (c for c in found if c["type"] == "checkbox"):
            ticked = rng.random() < 0.5
            checkbox = page.locator(f'{form} input[type=checkbox][name="{box["name"]}"]')
            if not checkbox.is_visible():  # a part shown only for another choice (NBCOT's multiplier)
                continue
            typed.append((box["name"], str(ticked)))
            checkbox.set_checked(ticked)

        where = f"{PATHS[name]} fuzz round {round_number} (seeded; typed {typed})"
        status = page.locator(f"#{name}-status")
        assert status.get_attribute("data-state") == "ready", f"{where}: status {status.inner_text()!r}"
        assert page.locator(f"#{name}-result").get_attribute("data-state") in ("ok", "error", "incomplete"), (
            where
        )
        assert_no_python_error_shown(page, where)
        shown.watch.assert_clean(where)
