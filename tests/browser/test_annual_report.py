"""The annual-report helper as a provider uses it: an attendance file chosen with the real file
picker (or dropped on the page), counted in a Web Worker with a progress bar, the four figures
compared with `ceu annual-report --json` run as a subprocess; bad lines listed; Cancel handled
while a long file is read; nothing uploaded."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from calculator_pages.annual_report_page import LABELS
from tests.browser.browser_support import DESKTOP, PYTHON_READY_TIMEOUT_MS, run_axe, watched_page
from tests.browser.test_calculator_pages import page_figures
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

NAME = "annual-report"
READY = f'#{NAME}-status[data-state="ready"]'
DONE = f'#{NAME}-result[data-state="ok"], #{NAME}-result[data-state="error"]'
AS_OF = "2026-06-30"
#: The hidden test's size; `make bench` reads a 1,000,000-row file.
ROWS = 100_000
#: Long enough that Cancel lands while it is being read (about 10 MB, ten progress steps).
LONG_ROWS = 400_000
#: The file's reading took this long at most (the worker's Python has started already).
COUNT_TIMEOUT_MS = 120_000


def write_attendance(path: Path, rows: int, seed: int) -> Path:
    """A generated attendance file: some learners at many events, repeats, rows outside the 12 months."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("learner_id,event_id,date,ceus_awarded\n")
        for _ in range(rows):
            day = f"{rng.choice(('2025', '2026'))}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            out.write(
                f"L{rng.randrange(25_000)},E{rng.randrange(4_000)},{day},{rng.choice(('0', '0.1', '0.6', '1.25'))}\n"
            )
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("attendance")
    bad = folder / "with-bad-lines.csv"
    bad.write_text(
        "learner_id,event_id,date,ceus_awarded\nL1,E1,2026-05-01,1\nL2,E1,2026-02-30,1\n"
        "L3,,2026-05-01,0.5\nL4,E2,2026-05-01,lots\nL5,E2,2026-05-01,0.2\nL6\n",
        encoding="utf-8",
    )
    return {
        "large": write_attendance(folder / "attendance-100k.csv", ROWS, 11),
        "long": write_attendance(folder / "attendance-400k.csv", LONG_ROWS, 12),
        "bad": bad,
    }


@pytest.fixture(scope="module")
def helper(browser: Browser, site_url: str) -> Iterator[tuple[Page, list[Request]]]:
    """One watched tab for the module, and every request it (and its worker) makes."""
    with watched_page(
        browser, site_url, "the annual-report helper", accept_downloads=True, **DESKTOP
    ) as page:
        requests: list[Request] = []
        page.on("request", lambda request: requests.append(request))
        page.goto(site_url + f"/{NAME}/")
        page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
        # The worker's own requests are seen too (the runtime is fetched from the worker).
        assert any(r.url.endswith("/pyodide.asm.wasm") for r in requests), [r.url for r in requests]
        page.fill(f"#{NAME}-as_of", AS_OF)
        yield page, requests


def cli(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ceu_cli", "annual-report", str(path), "--as-of", AS_OF, "--json"]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)


def pick(page: Page, path: Path) -> None:
    """Choose the file as a visitor does: click the field, answer the browser's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.locator(f"#{NAME}-attendance").click()
    chooser.value.set_files(str(path))


def test_a_large_file_through_the_file_picker_gives_the_clis_four_figures(
    helper: tuple[Page, list[Request]], files: dict[str, Path]
) -> None:
    page, requests = helper
    requests.clear()
    pick(page, files["large"])
    page.wait_for_selector(DONE, timeout=COUNT_TIMEOUT_MS)
    expect(page.locator(f"#{NAME}-result")).to_have_attribute("data-state", "ok")
    done = cli(files["large"])
    assert done.returncode == 0, done.stderr
    expected = {key: str(json.loads(done.stdout)[key]) for key in LABELS}
    assert page_figures(page, NAME) == expected
    expect(page.locator(f"#{NAME}-progress")).to_be_hidden()
    # The file was read where it is: counting it asked the server for nothing.
    assert not requests, [f"{r.method} {r.url}" for r in requests]


def test_bad_lines_are_listed_by_number_with_why_and_no_figures(
    helper: tuple[Page, list[Request]], files: dict[str, Path]
) -> None:
    page, _ = helper
    pick(page, files["bad"])
    page.wait_for_selector(DONE, timeout=COUNT_TIMEOUT_MS)
    expect(page.locator(f"#{NAME}-result")).to_have_attribute("data-state", "error")
    rows = page.locator(f"#{NAME}-result [data-table=bad-lines] tbody tr")
    expect(rows).to_have_count(4)
    numbers = [text.strip() for text in rows.locator("td:nth-child(1)").all_inner_texts()]
    assert numbers == ["3", "4", "5", "7"]
    message = page.locator(f"#{NAME}-error-attendance")
    expect(message).to_be_visible()
    expect(message).to_contain_text("4 bad line(s)")
    expect(page.locator(f"#{NAME}-attendance")).to_have_attribute("aria-invalid", "true")
    assert not page_figures(page, NAME)
    done = cli(files["bad"])
    assert done.returncode == 2 and "4 bad line(s): 3, 4, 5, 7" in done.stderr
    blocking = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking


def test_cancel_is_handled_while_a_long_file_is_read_and_the_next_file_is_counted(
    helper: tuple[Page, list[Request]], files: dict[str, Path]
) -> None:
    page, _ = helper
    text = page.locator(f"#{NAME}-progress-text")
    pick(page, files["long"])
    expect(page.locator(f"#{NAME}-progress")).to_be_visible()
    expect(text).not_to_have_text("0.0 of 10.6 MB read", timeout=COUNT_TIMEOUT_MS)  # reading is under way
    page.locator(f"#{NAME}-progress [data-action=cancel]").click()
    panel = page.locator(f"#{NAME}-result")
    expect(panel).to_have_attribute("data-state", "cancelled")
    expect(panel.locator(".calc-summary")).to_have_text(
        "Cancelled: nothing was counted. Press Count to read the file again."
    )
    expect(page.locator(f"#{NAME}-progress")).to_be_hidden()
    assert not page_figures(page, NAME)
    # A fresh worker starts; Count reads the file again, to the end this time.
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    page.locator(f"#{NAME}-form button[type=submit]").click()
    page.wait_for_selector(DONE, timeout=COUNT_TIMEOUT_MS)
    done = cli(files["long"])
    assert page_figures(page, NAME) == {key: str(json.loads(done.stdout)[key]) for key in LABELS}


def test_a_file_dropped_on_the_page_is_counted(helper: tuple[Page, list[Request]]) -> None:
    page, _ = helper
    text = (
        "learner_id,event_id,date,ceus_awarded\nA,E1,2026-01-10,0.5\nB,E1,2026-01-10,0\nA,E2,2026-03-01,1\n"
    )
    transfer = page.evaluate_handle(
        """text => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "dropped.csv", {type: "text/csv"}));
            return transfer;
        }""",
        text,
    )
    page.locator(f"#{NAME}-drop").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator(f"#{NAME}-result .calc-summary")).to_contain_text(
        "2 events, 3 participants, 1 learners awarded 1.5 IACET CEUs"
    )
    assert page.locator(f"#{NAME}-attendance").evaluate("input => input.files[0].name") == "dropped.csv"


def test_hostile_names_and_cells_show_as_text(helper: tuple[Page, list[Request]], tmp_path: Path) -> None:
    page, _ = helper
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = tmp_path / "<img src=x onerror=alert(1) id=injected>.csv"
    hostile.write_text(
        'learner_id,event_id,date,ceus_awarded\n"<script>alert(1)</script>",E1,2026-01-10,1\n'
        "L2,E1,<img src=x onerror=alert(2) id=injected2>,1\n",
        encoding="utf-8",
    )
    pick(page, hostile)
    page.wait_for_selector(DONE, timeout=COUNT_TIMEOUT_MS)
    reason = page.locator(f"#{NAME}-result [data-table=bad-lines] tbody td:nth-child(2)")
    expect(reason).to_contain_text("<img src=x onerro")
    expect(page.locator(f"#{NAME}-error-attendance")).to_contain_text(
        "<img src=x onerror=alert(1) id=injected>.csv"
    )
    assert page.locator("#injected, #injected2, script:text('alert')").count() == 0
    assert not dialogs
