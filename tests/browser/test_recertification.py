"""The recertification tracker as a visitor uses it: two certifications and a dozen records typed
in, kept across a reload, exported and imported into a fresh browser, read by `ceu recert` run
as a subprocess (and the reverse), printed as an audit packet; no record ever in the address
or in a request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from calculator_pages.recert_page import state_text as recert_state_text
from tests.browser.browser_support import (
    DESKTOP,
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    Watch,
    run_axe,
    watched_context,
)
from tests.browser.test_calculator_pages import page_figures
from tests.unit.test_recert_page import STATE, TODAY
from tests.unit.test_recert_page import run_cli as cli

pytestmark = pytest.mark.browser

NAME = "recert"
PATH = "/recertification/"
READY = f'#{NAME}-status[data-state="ready"]'
#: Text that only a record holds: none of it may leave the page.
PRIVATE = ("CEP123456", "CA23456", "CL654321", "Personal", "Trainer", "2025-03-15")


class Tab:
    def __init__(self, context: BrowserContext, watch: Watch, site_url: str) -> None:
        self.context, self.watch, self.requests = context, watch, []
        self.page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request))
        self.page.goto(site_url + PATH)
        self.page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
        self.page.fill(f"#{NAME}-as_of", str(TODAY))


@pytest.fixture(scope="module")
def tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    context, watch = watched_context(browser, site_url, accept_downloads=True, **DESKTOP)
    try:
        yield Tab(context, watch, site_url)
        watch.assert_clean("the recertification tracker")
    finally:
        context.close()


@pytest.fixture(scope="module")
def fresh(browser: Browser, site_url: str) -> Iterator[Tab]:
    """A second browser, empty when the module starts: the import tests take turns in it."""
    context, watch = watched_context(browser, site_url, **DESKTOP)
    try:
        yield Tab(context, watch, site_url)
        watch.assert_clean("importing into another browser")
    finally:
        context.close()


def add_everything(page: Page) -> None:
    """The certifications and records of the unit tests' STATE, typed into the forms."""
    for cert in STATE["certifications"]:
        page.fill(f"#{NAME}-cert_name", cert["name"])
        page.fill(f"#{NAME}-cert_start", cert["period_start"])
        page.locator(f"#{NAME}-cert_start").press("Enter")
    for row in STATE["records"]:
        page.select_option(f"#{NAME}-kind", row["kind"])
        page.fill(f"#{NAME}-course_number", row.get("course_number", ""))
        page.fill(f"#{NAME}-completed_on", row["completed_on"])
        page.fill(f"#{NAME}-amount", row.get("cecs", ""))
        page.select_option(f"#{NAME}-grade", row.get("grade", ""))
        page.locator(f"#{NAME}-record-form button[type=submit]").click()
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))


def shown(page: Page) -> dict[str, Any]:
    """What the tracker shows: its lists, its figures and how each record counted."""
    page.wait_for_selector(f"#{NAME}-result:not([aria-busy])")  # the worker has answered
    counted = page.locator(f"#{NAME}-result [data-table=records] tbody td:nth-child(3)").all_inner_texts()
    return {
        "certifications": page.locator(f"#{NAME}-certifications li span").all_inner_texts(),
        "records": page.locator(f"#{NAME}-records li span").all_inner_texts(),
        "figures": page_figures(page, NAME),
        "counted": [text.strip() for text in counted],
    }


def cli_figures(answer: dict[str, Any]) -> dict[str, str]:
    figures = {}
    for number, cert in enumerate(answer["certifications"], start=1):
        figures[f"earned-{number}"] = cert["earned"]
        figures[f"remaining-{number}"] = cert["remaining"]
    return figures


def export(page: Page, action: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(f"#{NAME}-data [data-action={action}]").click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def import_file(page: Page, path: Path, replace: bool = False) -> None:
    """Pick the file; with ``replace``, answer Replace when the page asks before it replaces records."""
    with page.expect_file_chooser() as chooser:
        page.locator(f"#{NAME}-import").click()
    chooser.value.set_files(str(path))
    if replace:
        page.locator(f"#{NAME}-confirm-yes").click()


def test_two_certifications_and_a_dozen_records_are_kept_across_a_reload(tab: Tab) -> None:
    page = tab.page
    add_everything(page)
    before = shown(page)
    assert len(before["certifications"]) == 2 and len(before["figures"]) == 4
    page.reload()
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    page.fill(f"#{NAME}-as_of", str(TODAY))
    assert shown(page) == before


def test_the_exported_files_are_read_by_the_cli_with_the_same_figures(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    tracker = export(page, "export-json", tmp_path)
    assert tracker.name == "recertification.json"
    assert json.loads(tracker.read_text(encoding="utf-8")) == STATE
    answer = cli(tracker)
    assert shown(page)["figures"] == cli_figures(answer)
    assert shown(page)["counted"] == [item["cecs"] for item in answer["records"]]
    records = export(page, "export-csv", tmp_path)
    flags = [f"--certification={cert['name']}={cert['period_start']}" for cert in STATE["certifications"]]
    assert cli_figures(cli(records, *flags)) == shown(page)["figures"]


def test_an_export_imported_into_a_fresh_browser_gives_the_same_state(
    tab: Tab, fresh: Tab, tmp_path: Path
) -> None:
    tracker = export(tab.page, "export-json", tmp_path)
    expect(fresh.page.locator(f"#{NAME}-records li")).to_have_text(["No record yet."])
    import_file(fresh.page, tracker)
    expect(fresh.page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))
    assert shown(fresh.page) == shown(tab.page)


def test_a_file_written_for_the_cli_is_imported_with_the_clis_figures(fresh: Tab, tmp_path: Path) -> None:
    written = tmp_path / "mine.json"
    written.write_text(
        json.dumps(
            {
                "certifications": [{"name": "Health Coach", "period_start": "07/01/2025"}],
                "records": [
                    {"course_number": "cep111111", "completed_on": "08/01/2025", "cecs": 1.5},
                    {"kind": "first-aid", "completed_on": "2026-01-10"},
                    {"kind": "quarter-hours", "completed_on": "2026-02-01", "hours": "1", "grade": "C+"},
                ],
            }
        ),
        encoding="utf-8",
    )
    import_file(fresh.page, written, replace=True)  # the dozen records of the last test are there
    expect(fresh.page.locator(f"#{NAME}-records li")).to_have_count(3)
    assert (
        shown(fresh.page)["figures"] == cli_figures(cli(written)) == {"earned-1": "2.5", "remaining-1": "0"}
    )
    # A file that cannot be used is refused, with its line, and changes nothing.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,course_number,completed_on,cecs,grade\ncourse,CEP1,2025-01-01,1,\n", encoding="utf-8"
    )
    before = shown(fresh.page)
    import_file(fresh.page, bad)
    message = fresh.page.locator(f"#{NAME}-error-import")
    expect(message).to_be_visible()
    expect(message).to_contain_text("line 2")
    assert shown(fresh.page) == before


def test_hostile_names_in_an_imported_file_show_as_text(fresh: Tab, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1) id=injected>"
    written = tmp_path / "hostile.json"
    written.write_text(
        json.dumps({"certifications": [{"name": hostile, "period_start": "2025-01-01"}], "records": []}),
        encoding="utf-8",
    )
    dialogs: list[str] = []
    fresh.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    import_file(fresh.page, written, replace=True)
    expect(fresh.page.locator(f"#{NAME}-certifications li span")).to_have_text(
        [f"{hostile}: current period from 2025-01-01"]
    )
    expect(fresh.page.locator(f"#{NAME}-result [data-table=certifications] tbody td").first).to_have_text(
        hostile
    )
    assert fresh.page.locator("#injected").count() == 0 and not dialogs


def test_a_record_that_cannot_be_used_is_named_beside_its_field(tab: Tab) -> None:
    page = tab.page
    page.select_option(f"#{NAME}-kind", "course")
    page.fill(f"#{NAME}-course_number", "CEP12")
    page.fill(f"#{NAME}-completed_on", "2026-01-05")
    page.fill(f"#{NAME}-amount", "0.5")
    page.locator(f"#{NAME}-amount").press("Enter")
    message = page.locator(f"#{NAME}-error-course_number")
    expect(message).to_contain_text("5 or 6 digits")
    expect(page.locator(f"#{NAME}-course_number")).to_be_focused()
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))
    page.fill(f"#{NAME}-course_number", "")  # leave the form as a visitor who gave up would


def test_removing_a_record_by_keyboard_moves_focus_to_the_next(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    kept = export(page, "export-json", tmp_path)
    third = page.locator(f"#{NAME}-records li").nth(2).locator("button")
    third.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]) - 1)
    expect(page.locator(f"#{NAME}-records li").nth(2).locator("button")).to_be_focused()
    import_file(page, kept, replace=True)  # back to the dozen
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))


def test_the_audit_packet_lists_every_record_with_its_rule(tab: Tab) -> None:
    page = tab.page
    page.locator(f"#{NAME}-result [data-action=print]").click()
    packet = page.locator("#calc-worksheet-print")
    expect(packet).to_contain_text("ACE recertification packet")
    expect(packet.locator("li")).to_have_count(len(STATE["records"]))
    text = packet.inner_text()
    for phrase in (
        "counts once ever",
        "no carry-over",
        "once per period",
        "grade of C or better",
        "at least 4 years",
    ):
        assert phrase in text, phrase
    page.evaluate("document.body.classList.remove('printing-worksheet')")
    blocking = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking


def test_no_record_is_in_the_address_or_in_any_request(tab: Tab, site_url: str) -> None:
    page = tab.page
    assert page.url == site_url + PATH
    leaked = [
        f"{r.method} {r.url}"
        for r in tab.requests
        if r.method != "GET" or r.post_data or any(word in r.url for word in PRIVATE)
    ]
    assert not leaked, leaked
    # An address cannot fill the tracker in either: its inputs are private.
    before = shown(page)
    page.goto(site_url + PATH + "?as_of=2020-01-01&cert_name=%3Cscript%3E&course_number=CEP123456")
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    assert page.input_value(f"#{NAME}-as_of") == "" and page.input_value(f"#{NAME}-cert_name") == ""
    page.fill(f"#{NAME}-as_of", str(TODAY))
    assert shown(page) == before


# ---- an import that cannot lose data (issue 30): what a visitor keeps changes only when they
# import a tracker file and say yes, and an Undo puts back exactly what was stored.


def kept(page: Page) -> dict[str, str]:
    """Everything the browser keeps for this site in localStorage, exactly as stored."""
    stored: dict[str, str] = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    return stored


#: Files a visitor might pick by mistake: none is a tracker file, each is refused whole.
WRONG_FILES: list[tuple[str, str | bytes]] = [
    (
        "invoice.json",
        json.dumps({"id": 3, "title": "Invoice", "total": "40.00"}),
    ),  # JSON without the tracker's keys
    ("recertification.json", recert_state_text(STATE)[:400]),  # an export cut short
    (
        "package.json",
        json.dumps({"name": "my-app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}),
    ),
    ("contacts.csv", "name,email,phone\nAda Lovelace,ada@example.org,555-0100\n"),  # a CSV of something else
    ("empty.json", ""),
    ("photo.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"),  # binary
    ("deep.json", "[" * 100_000 + "]" * 100_000),  # nested past what the parser survives in the browser
    ("huge.json", "[" + " " * 1_100_000 + "]"),  # over the limit: never read
]


@pytest.mark.parametrize(("name", "content"), WRONG_FILES, ids=[name for name, _ in WRONG_FILES])
def test_a_file_that_is_not_a_tracker_file_changes_nothing(
    tab: Tab, tmp_path: Path, name: str, content: str | bytes
) -> None:
    page = tab.page
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = kept(page)
    lists = shown(page)
    import_file(page, path)
    message = page.locator(f"#{NAME}-error-import")
    expect(message).to_be_visible()
    expect(message).to_have_text(re.compile(rf"^{re.escape(name)}: .*Nothing was changed\.$"))
    expect(page.locator(f"#{NAME}-confirm")).to_be_hidden()  # refused before any question
    assert kept(page) == before
    assert shown(page) == lists  # and the tracker's Python still answers


def test_an_import_that_replaces_records_asks_first_and_can_be_undone(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    before = kept(page)
    other = tmp_path / "health-coach.json"
    other.write_text(
        json.dumps(
            {"certifications": [{"name": "Health Coach", "period_start": "2025-07-01"}], "records": []}
        ),
        encoding="utf-8",
    )
    dialog = page.locator(f"#{NAME}-confirm")
    import_file(page, other)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Replace the 2 certifications and 12 records kept in this browser with what health-coach.json "
        "holds: 1 certification and no records?"
    )
    expect(page.locator(f"#{NAME}-confirm-no")).to_be_focused()  # the safe answer first
    blocking = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking
    page.set_viewport_size({"width": 390, "height": 844})
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "recertification-replace-question-phone.png"))
    page.set_viewport_size(DESKTOP["viewport"])
    page.keyboard.press("Escape")  # no
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#{NAME}-data-status")).to_contain_text("Nothing was changed")
    assert kept(page) == before
    import_file(page, other)
    expect(page.locator(f"#{NAME}-confirm-no")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#{NAME}-confirm-yes")).to_be_focused()
    page.keyboard.press("Enter")  # yes
    expect(page.locator(f"#{NAME}-records li")).to_have_text(["No record yet."])
    assert kept(page) != before
    undo = page.locator(f"#{NAME}-data-status [data-action=undo]")
    undo.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))
    expect(page.locator(f"#{NAME}-data-status")).to_contain_text("Undone")
    assert kept(page) == before


def test_undo_after_a_removal_puts_back_exactly_what_was_stored(tab: Tab) -> None:
    page = tab.page
    before = kept(page)
    page.locator(f"#{NAME}-records li").nth(5).locator("button").click()
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]) - 1)
    said = page.locator(f"#{NAME}-records-said")
    expect(said).to_contain_text("Removed the record 2026-02-01: AED")
    assert kept(page) != before
    said.locator("[data-action=undo]").click()
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))
    expect(page.locator(f"#{NAME}-records li").nth(5).locator("button")).to_be_focused()
    assert kept(page) == before
    page.locator(f"#{NAME}-certifications li").nth(0).locator("button").click()
    expect(page.locator(f"#{NAME}-certifications li")).to_have_count(1)
    page.locator(f"#{NAME}-certifications-said [data-action=undo]").click()
    expect(page.locator(f"#{NAME}-certifications li")).to_have_count(2)
    assert kept(page) == before


def test_removing_everything_asks_first_and_can_be_undone(tab: Tab) -> None:
    page = tab.page
    before = kept(page)
    page.locator(f"#{NAME}-data [data-action=clear]").click()
    dialog = page.locator(f"#{NAME}-confirm")
    expect(dialog).to_contain_text("Remove every certification and record kept in this browser?")
    page.locator(f"#{NAME}-confirm-yes").click()
    expect(page.locator(f"#{NAME}-records li")).to_have_text(["No record yet."])
    page.locator(f"#{NAME}-data-status [data-action=undo]").click()
    expect(page.locator(f"#{NAME}-records li")).to_have_count(len(STATE["records"]))
    assert kept(page) == before
