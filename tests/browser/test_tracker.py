"""The recertification tracker as a visitor uses it: three credentials and a dozen activities with
certificate files typed in, kept across a reload, exported and imported into a fresh browser
with the same figures; today's ACE-only state migrated intact; each requirement's worked
example entered as a visitor would gives the table's figures; no record and no file ever in
a request; axe-core clean on a phone and a desktop. A signed certificate dropped in (issue 33)
becomes an activity that keeps it, proof and all, through a reload, the tracker file and the
audit bundle; one changed after signing is refused with the reason."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from calc.recert import parse_tracker_json, track
from tests.browser.browser_support import (
    DATA_DIR,
    DESKTOP,
    PHONE,
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    run_axe,
    watched_context,
)
from tests.browser.test_calculator_pages import page_figures
from tests.credential_fixtures import signed, tampered
from tests.unit.test_tracker_page import ACE_ONLY

pytestmark = pytest.mark.browser

NAME = "recert"
PATH = "/recertification/"
READY = f'#{NAME}-status[data-state="ready"]'
#: How long an entry may take to come back from the page's Python when the machine is busy.
ANSWER_TIMEOUT_MS = 30_000
AS_OF = "2026-11-01"
ACE = "ace-certifications"
#: Three credentials of three bodies, each counting in its own unit under its own rule.
CREDENTIALS = (
    ("Personal Trainer", ACE, "2025-01-01"),  # ACE: 2.0 CEC by 2026-12-31
    ("PMP", "pmi-pmp", "2025-03-01"),  # PMI: 60 PDU by 2028-02-29, at most 25 of giving back
    ("SPHR", "hrci-sphr", "2024-06-01"),  # HRCI: 60 credits by 2027-05-31, 1 of ethics, 15 of business
)


def certificate(n: int) -> bytes:
    """A certificate's bytes: a small PDF-like file whose every byte is its own."""
    return b"%PDF-1.4\n% certificate " + str(n).encode() + b"\n" + bytes(range(256)) * (n + 1)


#: A dozen activities: (form values, kinds ticked, credentials ticked (None: all), files).
ACTIVITIES: list[tuple[dict[str, str], list[str], list[str] | None, int]] = [
    ({"title": "Program design", "course_number": "CEP100001", "completed_on": "2025-02-10", "credit": "0.5", "credit_unit": "ace-cec"}, ["live"], None, 1),
    ({"title": "CPR", "completed_on": "2025-03-01"}, ["cpr"], None, 1),
    ({"title": "Kettlebell workshop", "provider": "Gym Co", "completed_on": "2025-04-05", "length": "3", "length_unit": "hours"}, ["live"], None, 0),
    ({"title": "Leading teams", "completed_on": "2025-06-20", "length": "90", "length_unit": "minutes"}, ["power-skills", "ethics"], None, 2),
    ({"title": "Program design again", "course_number": "CEP100001", "completed_on": "2025-07-01", "credit": "0.5", "credit_unit": "ace-cec"}, [], None, 0),
    ({"title": "Strategy course", "completed_on": "2025-08-15", "length": "20", "length_unit": "hours"}, ["hrci-business", "business-acumen"], ["PMP", "SPHR"], 1),
    ({"title": "Kinesiology", "completed_on": "2025-12-12", "semester_credits": "1", "grade": "B"}, [], None, 1),
    ({"title": "Mentoring volunteers", "completed_on": "2026-01-15", "credit": "30", "credit_unit": "pmi-pmp-pdu"}, ["giving-back"], ["PMP"], 0),
    ({"title": "Coaching skills", "started_on": "2026-02-01", "completed_on": "2026-02-03", "length": "120", "length_unit": "minutes"}, ["live"], ["Personal Trainer"], 1),
    ({"title": "Statistics", "completed_on": "2026-03-01", "quarter_credits": "1", "grade": "D"}, [], None, 0),
    ({"title": "First Aid", "completed_on": "2026-04-01"}, ["first-aid"], None, 1),
    ({"title": "HR law update", "completed_on": "2026-05-05", "credit": "2.5", "credit_unit": "hrci-credit"}, [], None, 1),
]  # fmt: skip
#: Text only the records hold: none of it may be in a request.
PRIVATE = (
    "Personal Trainer",
    "Leading teams",
    "Kettlebell",
    "CEP100001",
    "Gym Co",
    "Kinesiology",
    "certificate-",
)


def figures_of(page: Page) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in page_figures(page, NAME).items()}


def ready(page: Page, as_of: str = AS_OF) -> None:
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    page.fill(f"#{NAME}-as_of", as_of)


def listed(page: Page, key: str) -> list[str]:
    return page.locator(f"#{NAME}-{key} li:not(.calc-list-empty) > span").all_inner_texts()


def settled(page: Page) -> None:
    """Wait until the page has done all a change asks: the lists, the files kept or deleted, then the
    figures (the result is aria-busy until they are those of the change)."""
    expect(page.locator(f"#{NAME}-result")).not_to_have_attribute(
        "aria-busy", "true", timeout=ANSWER_TIMEOUT_MS
    )


def add_credential(page: Page, requirement: str, name: str, start: str) -> None:
    before = len(listed(page, "credentials"))
    page.select_option(f"#{NAME}-requirement", requirement)
    page.fill(f"#{NAME}-credential_name", name)
    page.fill(f"#{NAME}-cycle_start", start)
    page.click(f"#{NAME}-credential-form button[type=submit]")
    expect(page.locator(f"#{NAME}-credentials li:not(.calc-list-empty)")).to_have_count(
        before + 1, timeout=ANSWER_TIMEOUT_MS
    )
    settled(page)


def add_activity(
    page: Page,
    values: dict[str, str],
    kinds: list[str],
    credentials: list[str] | None,
    files: list[tuple[str, bytes]],
) -> None:
    before = len(listed(page, "activities"))
    for key, value in values.items():
        control = page.locator(f"#{NAME}-{key}")
        if control.evaluate("node => node.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    for kind in kinds:
        page.check(f"#{NAME}-kind-{kind}")
    if credentials is not None:
        for box in page.locator(f"#{NAME}-credentials-boxes input").all():
            box.set_checked(box.get_attribute("data-value") in credentials)
    if files:
        page.set_input_files(
            f"#{NAME}-files",
            files=[{"name": name, "mimeType": "application/pdf", "buffer": data} for name, data in files],
        )
    page.click(f"#{NAME}-activity-form button[type=submit]")
    expect(page.locator(f"#{NAME}-activities li:not(.calc-list-empty)")).to_have_count(
        before + 1, timeout=ANSWER_TIMEOUT_MS
    )
    settled(page)


def kept_files(page: Page) -> dict[str, bytes]:
    """The certificate files the page keeps in IndexedDB, by key (SHA-256), read back as bytes."""
    pairs: list[list[Any]] = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("openceu-tracker-files", 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const store = open.result.transaction("files").objectStore("files");
                const keys = store.getAllKeys(), values = store.getAll();
                values.onsuccess = async () => {
                    const out = [];
                    for (let i = 0; i < keys.result.length; i++) {
                        const bytes = new Uint8Array(await values.result[i].blob.arrayBuffer());
                        out.push([keys.result[i], Array.from(bytes)]);
                    }
                    open.result.close();
                    resolve(out);
                };
            };
        })"""
    )
    return {key: bytes(data) for key, data in pairs}


class Tab:
    """One visitor's browser: every request of every page and worker is recorded."""

    def __init__(self, browser: Browser, site_url: str, **options: Any) -> None:
        self.context, self.watch = watched_context(browser, site_url, accept_downloads=True, **options)
        self.requests: list[Request] = []
        self.context.on("request", lambda request: self.requests.append(request))
        self.page = self.context.new_page()
        self.site_url = site_url

    def open(self, as_of: str = AS_OF) -> Page:
        self.page.goto(self.site_url + PATH)
        ready(self.page, as_of)
        return self.page


@pytest.fixture(scope="module")
def tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    opened = Tab(browser, site_url, **DESKTOP)
    try:
        yield opened
        opened.watch.assert_clean("the tracker")
    finally:
        opened.context.close()


@pytest.fixture
def fresh(browser: Browser, site_url: str) -> Iterator[Tab]:
    opened = Tab(browser, site_url, **DESKTOP)
    try:
        yield opened
        opened.watch.assert_clean("the tracker in a fresh browser")
    finally:
        opened.context.close()


FILES = {n: certificate(n) for n in range(20)}


def test_a_dozen_activities_for_three_credentials_with_files_are_kept_across_a_reload(tab: Tab) -> None:
    page = tab.open()
    for name, requirement, start in CREDENTIALS:
        add_credential(page, requirement, name, start)
    used = 0
    for values, kinds, credentials, count in ACTIVITIES:
        files = [(f"certificate-{used + i}.pdf", FILES[used + i]) for i in range(count)]
        used += count
        add_activity(page, values, kinds, credentials, files)
    figures = figures_of(page)
    # Personal Trainer (ACE, 2025-01-01 to 2026-12-31, 0.1 CEC an hour): 0.5 + CPR 0.2 + 3 hours
    # 0.3 + 90 minutes 0.15 + semester credit (B) 1.0 + 2 hours 0.2 + First Aid 0.2 = 2.55; the
    # repeat, the D grade, the PDU and HRCI certificates and what is claimed for others earn nothing.
    assert figures["earned-1"] == Decimal("2.55") and figures["remaining-1"] == 0
    # PMP (PMI, from 2025-03-01, one PDU an hour): 3 + 1.5 + 20 + 25 of the 30 of giving back.
    assert figures["earned-2"] == Decimal("49.5") and figures["remaining-2"] == Decimal("10.5")
    # SPHR (HRCI, from 2024-06-01, one credit an hour): 3 + 1.5 (ethics) + 20 (business) + 2.5.
    assert figures["earned-3"] == Decimal("27") and figures["remaining-3"] == Decimal("33")
    result = page.locator(f"#{NAME}-result")
    expect(result).to_contain_text("the same course counts once, ever")
    expect(result).to_contain_text("claimed for PMP only")
    expect(result).to_contain_text("25 of the 30 PDU count: the cap of 25 PDU of Giving back is reached")
    expect(result).to_contain_text("the Business (HRCI) minimum of 15 is met")
    expect(result).to_contain_text("the certificate gives 0.5 CEC; HR Certification Institute counts")
    expect(result).to_contain_text(
        "ACE counts university credit with a grade of C or better; the grade was D"
    )
    expect(result).to_contain_text("the most one activity can count: not stated")
    assert set(kept_files(page)) == {hashlib.sha256(data).hexdigest() for data in list(FILES.values())[:used]}
    expect(page.locator(f"#{NAME}-storage")).to_contain_text(f"{used} certificate files kept in this browser")
    lists = (listed(page, "credentials"), listed(page, "activities"))
    page.reload()
    ready(page)
    assert (listed(page, "credentials"), listed(page, "activities")) == lists
    assert figures_of(page) == figures
    assert len(kept_files(page)) == used


def test_the_audit_bundle_holds_every_file_and_imports_into_a_fresh_browser(tab: Tab, fresh: Tab) -> None:
    page = tab.page
    with page.expect_download() as waiting:
        page.click(f"#{NAME}-data [data-action=export-json]")
    data = json.loads(Path(waiting.value.path()).read_text(encoding="utf-8"))
    assert waiting.value.suggested_filename == "openceu-tracker.json"
    assert data["format"] == "openceu-tracker" and len(data["activities"]) == len(ACTIVITIES)
    with page.expect_download() as waiting:
        page.click(f"#{NAME}-data [data-action=export-bundle]")
    assert waiting.value.suggested_filename.startswith("openceu-audit-bundle-")
    blob = Path(waiting.value.path()).read_bytes()
    uploaded = list(FILES.values())[: sum(count for *_, count in ACTIVITIES)]
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        lines = archive.read("SHA256SUMS").decode().splitlines()
        sums = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
        assert set(sums) == set(archive.namelist()) - {"SHA256SUMS"}
        for name, digest in sums.items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
        in_bundle = sorted(archive.read(name) for name in sums if name.startswith("files/"))
        assert json.loads(archive.read("tracker.json")) == data
        assert len([name for name in sums if name.endswith(".ics")]) == len(CREDENTIALS)
    assert in_bundle == sorted(uploaded)  # every certificate, byte for byte
    assert {d for n, d in sums.items() if n.startswith("files/")} == {
        hashlib.sha256(b).hexdigest() for b in uploaded
    }
    other = fresh.open()
    other.set_input_files(
        f"#{NAME}-import", files=[{"name": "bundle.zip", "mimeType": "application/zip", "buffer": blob}]
    )
    expect(other.locator(f"#{NAME}-data-status")).to_contain_text(
        f"Imported bundle.zip: 12 activities and {len(uploaded)} certificate file(s)."
    )
    assert listed(other, "credentials") == listed(page, "credentials")
    assert listed(other, "activities") == listed(page, "activities")
    assert figures_of(other) == figures_of(page)
    assert kept_files(other) == kept_files(page)


def test_each_credential_gives_its_calendar_with_reminders(tab: Tab) -> None:
    page = tab.page
    with page.expect_download() as waiting:
        page.locator(f"#{NAME}-credentials [data-action=calendar-credential]").nth(1).click()
    ics = Path(waiting.value.path()).read_text(encoding="utf-8")
    assert waiting.value.suggested_filename.endswith(".ics")
    assert "DTSTART;VALUE=DATE:20280229" in ics and "PMP" in ics  # the cycle from 2025-03-01
    assert "TRIGGER:-P90D" in ics and "TRIGGER:-P30D" in ics


def test_a_foreign_file_is_refused_and_removing_an_activity_drops_only_its_own_files(tab: Tab) -> None:
    page = tab.page
    before = (listed(page, "activities"), figures_of(page))
    page.set_input_files(
        f"#{NAME}-import",
        files=[{"name": "invoice.json", "mimeType": "application/json", "buffer": b'{"id": 3}'}],
    )
    expect(page.locator(f"#{NAME}-error-import")).to_contain_text("invoice.json: not a tracker file")
    assert (listed(page, "activities"), figures_of(page)) == before
    files = kept_files(page)
    page.locator(f"#{NAME}-activities [data-action=remove-activity]").nth(3).click()  # Leading teams: 2 files
    expect(page.locator(f"#{NAME}-activities li")).to_have_count(len(ACTIVITIES) - 1)
    settled(page)
    # The removal can be undone: its files stay until the Undo is gone.
    assert kept_files(page) == files
    page.locator(f"#{NAME}-activities-said [data-action=undo]").click()
    expect(page.locator(f"#{NAME}-activities li")).to_have_count(len(ACTIVITIES))
    settled(page)
    assert figures_of(page) == before[1]
    page.locator(f"#{NAME}-activities [data-action=remove-activity]").nth(3).click()
    expect(page.locator(f"#{NAME}-activities li")).to_have_count(len(ACTIVITIES) - 1)
    settled(page)
    page.fill(f"#{NAME}-credential_name", "")  # a change elsewhere: the Undo stays, the files too
    page.locator(f"#{NAME}-data [data-action=export-json]").click()
    # Adding an activity ends the Undo: the removed activity's two files are deleted.
    add_activity(
        page,
        {"title": "Leading teams", "completed_on": "2025-06-20", "length": "90", "length_unit": "minutes"},
        ["power-skills", "ethics"],
        None,
        [],
    )
    gone = {hashlib.sha256(FILES[2]).hexdigest(), hashlib.sha256(FILES[3]).hexdigest()}
    assert set(kept_files(page)) == set(files) - gone


def test_todays_ace_only_state_migrates_intact(fresh: Tab) -> None:
    page = fresh.page
    page.goto(fresh.site_url + "/")  # the same origin, and no tracker started yet
    old = json.dumps(ACE_ONLY)
    page.evaluate("(text) => localStorage.setItem('openceu.recert', text)", old)
    fresh.open("2026-01-01")
    expect(page.locator(f"#{NAME}-data-status")).to_contain_text("Your ACE tracker was moved to this tracker")
    certs, records = parse_tracker_json(old)
    before = track(certs, records, dt.date(2026, 1, 1))
    figures = figures_of(page)
    for number, cert in enumerate(before.certifications, start=1):
        assert figures[f"earned-{number}"] == cert.earned and figures[f"remaining-{number}"] == cert.remaining
    assert page.evaluate("() => localStorage.getItem('openceu.recert.v1')") == old
    stored = json.loads(page.evaluate("() => localStorage.getItem('openceu.recert')"))
    assert stored["format"] == "openceu-tracker" and len(stored["activities"]) == len(ACE_ONLY["records"])


def test_no_request_carries_a_record_or_a_file(tab: Tab) -> None:
    assert tab.requests, "the requests were recorded"
    for request in tab.requests:
        assert request.url.startswith(tab.site_url), request.url
        sent = (request.url + (request.post_data or "")).encode()
        assert request.method == "GET", request.url
        for word in PRIVATE:
            assert word.encode() not in sent and word.replace(" ", "%20").encode() not in sent, request.url
        for data in FILES.values():
            assert data[-64:] not in sent


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_filled_tracker_is_axe_clean(tab: Tab, viewport: dict[str, Any]) -> None:
    page = tab.page
    page.set_viewport_size(viewport["viewport"])
    page.wait_for_selector(f"#{NAME}-result:not([aria-busy])")
    violations = run_axe(page)
    assert not violations, violations
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"tracker-{viewport['viewport']['width']}.png"))
    page.set_viewport_size(DESKTOP["viewport"])


def example_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "requirements.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get("example_activities", "").strip()]


@pytest.fixture(scope="module")
def examples(browser: Browser, site_url: str) -> Iterator[Tab]:
    """One page for every example: each starts from "Remove everything", as a visitor would."""
    opened = Tab(browser, site_url, **DESKTOP)
    try:
        opened.open("2000-01-01")
        yield opened
        opened.watch.assert_clean("the requirements' worked examples")
    finally:
        opened.context.close()


@pytest.mark.parametrize("row", example_rows(), ids=lambda row: row["id"])
def test_each_requirements_worked_example_gives_its_figures_on_the_page(
    examples: Tab, row: dict[str, str]
) -> None:
    page = examples.page
    if listed(page, "credentials"):
        page.click(f"#{NAME}-data [data-action=clear]")
        page.click(f"#{NAME}-confirm-yes")
        expect(page.locator(f"#{NAME}-credentials li.calc-list-empty")).to_have_count(1)
        settled(page)
    add_credential(page, row["id"], "Example", "2000-01-01")
    for number, item in enumerate(row["example_activities"].split(";"), start=1):
        amount, *kinds = item.split()
        values = {
            "title": f"example activity {number}",
            "completed_on": "2000-01-01",
            "credit": amount,
            "credit_unit": row["credit_system"],
        }
        add_activity(page, values, kinds, None, [])
    figures = figures_of(page)
    assert figures["earned-1"] == Decimal(row["example_earned"])
    assert figures["remaining-1"] == Decimal(row["example_remaining"])


def test_without_javascript_the_page_shows_its_worked_example(browser: Browser, site_url: str) -> None:
    context, watch = watched_context(browser, site_url, java_script_enabled=False, **PHONE)
    try:
        page = context.new_page()
        page.goto(site_url + PATH)
        example = page.locator("h2#a-worked-example ~ *")
        figures = dict(
            page.locator("[data-key]").evaluate_all(
                "nodes => nodes.map(n => [n.dataset.key, n.dataset.value])"
            )
        )
        # Counted at build time by the engine from the published ACE and HRCI rows.
        assert figures == {"earned-1": "2.35", "remaining-1": "0", "earned-2": "13.5", "remaining-2": "46.5"}
        expect(example.filter(has_text="the Ethics minimum of 1 is met").first).to_be_visible()
        expect(example.filter(has_text="the same course counts once, ever").first).to_be_visible()
        expect(
            page.locator("a[href^='https://www.hrci.org'], a[href^='https://hrci.org']").first
        ).to_be_attached()
        watch.assert_clean("the tracker without JavaScript")
    finally:
        context.close()


def test_a_file_that_does_not_fit_is_said_and_nothing_is_half_stored(fresh: Tab) -> None:
    page = fresh.open()
    # The browser's own quota for the site, made small (as a full disk would): the real error.
    cdp = fresh.context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": fresh.site_url, "quotaSize": 400_000})
    add_credential(page, ACE, "Personal Trainer", "2025-01-01")
    small, big = certificate(1), b"%PDF-1.4\n" + bytes(range(256)) * 8_000  # about 2 MB
    page.fill(f"#{NAME}-title", "Too big to keep")
    page.fill(f"#{NAME}-completed_on", "2025-03-01")
    page.fill(f"#{NAME}-length", "60")
    page.set_input_files(
        f"#{NAME}-files",
        files=[
            {"name": "small.pdf", "mimeType": "application/pdf", "buffer": small},
            {"name": "big.pdf", "mimeType": "application/pdf", "buffer": big},
        ],
    )
    page.click(f"#{NAME}-activity-form button[type=submit]")
    expect(page.locator(f"#{NAME}-error-files")).to_contain_text("do not fit in the room this browser gives")
    expect(page.locator(f"#{NAME}-error-files")).to_contain_text("nothing was added")
    assert listed(page, "activities") == [] and kept_files(page) == {}  # not even the small one
    stored = json.loads(page.evaluate("() => localStorage.getItem('openceu.recert')"))
    assert stored["activities"] == []
    expect(page.locator(f"#{NAME}-storage")).to_contain_text("0 certificate files kept in this browser")


# --------------------------------------------------------------------------- issue 33: signed certificates


def drop_file(page: Page, selector: str, name: str, data: bytes) -> None:
    """Drop a file on ``selector`` as a visitor drags one from their files."""
    transfer = page.evaluate_handle(
        """([name, bytes]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, { type: "application/json" }));
            return transfer;
        }""",
        [name, list(data)],
    )
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


SIGNED_ENTRY = (
    "2026-12-02: Confined Space Entry, Example Training Co., 1.2 IACET CEU, 720 minutes, verified credential"
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_signed_certificate_dropped_in_is_kept_with_its_proof_through_storage_files_and_the_bundle(
    browser: Browser, site_url: str, viewport: dict[str, Any]
) -> None:
    tab = Tab(browser, site_url, **viewport)
    try:
        page = tab.open(as_of="2026-12-20")
        add_credential(page, ACE, "Personal Trainer", "2026-01-01")
        credential = signed()
        drop_file(page, f"#{NAME}-signed-drop", "certificate.json", json.dumps(credential, indent=2).encode())
        expect(page.locator(f"#{NAME}-activities li[data-signed]")).to_have_count(
            1, timeout=ANSWER_TIMEOUT_MS
        )
        settled(page)
        assert listed(page, "activities") == [SIGNED_ENTRY]
        assert figures_of(page)["earned-1"] == Decimal("1.2")  # ACE: 12 contact hours at 0.1 CEC an hour
        # A certificate changed after signing is refused with the reason, and nothing changes.
        page.set_input_files(
            f"#{NAME}-signed",
            files=[
                {
                    "name": "changed.json",
                    "mimeType": "application/json",
                    "buffer": json.dumps(tampered(credential)).encode(),
                }
            ],
        )
        expect(page.locator(f"#{NAME}-error-signed")).to_contain_text(
            "Not added: the signature does not match the credential", timeout=ANSWER_TIMEOUT_MS
        )
        assert listed(page, "activities") == [SIGNED_ENTRY]
        # The page's saving keeps it, the same JSON object, proof and all.
        page.reload()
        ready(page, "2026-12-20")
        assert listed(page, "activities") == [SIGNED_ENTRY]
        stored = json.loads(page.evaluate("localStorage.getItem('openceu.recert')"))
        assert stored["activities"][0]["credential"] == credential
        with page.expect_download() as waiting:
            page.click(f"#{NAME}-data [data-action=export-json]")
        exported = Path(waiting.value.path()).read_bytes()
        assert json.loads(exported)["activities"][0]["credential"] == credential
        with page.expect_download() as waiting:
            page.click(f"#{NAME}-data [data-action=export-bundle]")
        with zipfile.ZipFile(io.BytesIO(Path(waiting.value.path()).read_bytes())) as archive:
            [member] = [name for name in archive.namelist() if name.startswith("credentials/")]
            assert json.loads(archive.read(member)) == credential  # with its proof
            assert member in archive.read("audit.html").decode()
            assert member in archive.read("SHA256SUMS").decode()
        # The tracker file brings it back into an emptied tracker, still marked.
        page.click(f"#{NAME}-data [data-action=clear]")
        page.click(f"#{NAME}-confirm-yes")
        expect(page.locator(f"#{NAME}-activities li:not(.calc-list-empty)")).to_have_count(
            0, timeout=ANSWER_TIMEOUT_MS
        )
        settled(page)
        page.set_input_files(
            f"#{NAME}-import",
            files=[{"name": "openceu-tracker.json", "mimeType": "application/json", "buffer": exported}],
        )
        expect(page.locator(f"#{NAME}-activities li[data-signed]")).to_have_count(
            1, timeout=ANSWER_TIMEOUT_MS
        )
        settled(page)
        assert listed(page, "activities") == [SIGNED_ENTRY]
        # A tracker file whose kept certificate was changed is refused whole, with the reason.
        forged = json.loads(exported)
        forged["activities"][0]["credential"] = tampered(credential)
        page.set_input_files(
            f"#{NAME}-import",
            files=[
                {"name": "forged.json", "mimeType": "application/json", "buffer": json.dumps(forged).encode()}
            ],
        )
        expect(page.locator(f"#{NAME}-error-import")).to_contain_text(
            "forged.json: the signed certificate of activity 1 does not verify: the signature does not match",
            timeout=ANSWER_TIMEOUT_MS,
        )
        assert listed(page, "activities") == [SIGNED_ENTRY]
        violations = run_axe(page)
        assert not violations, violations
        page.locator(f"#{NAME}-activities").scroll_into_view_if_needed()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"tracker-signed-{viewport['viewport']['width']}.png"))
        for request in tab.requests:
            assert request.url.startswith(site_url + "/"), request.url
            assert request.method == "GET" and not request.post_data, request.url
            assert "Confined" not in request.url and "Ana" not in request.url, request.url
        tab.watch.assert_clean("the tracker keeping a signed certificate")
    finally:
        tab.context.close()
