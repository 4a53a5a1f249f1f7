"""Helpers for the browser tests: watching a page, opening the calculator, running axe-core.

Fixtures live in conftest.py; this module holds the plain code the tests import.
"""

from __future__ import annotations

import csv
import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Locator,
    Page,
    Request,
    Response,
    expect,
)

from tests.conftest import REPO_ROOT

DATA_DIR = REPO_ROOT / "directory_data"
AXE_SOURCE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
#: Chromium's own resolver refuses every host but the test servers' (127.0.0.1): a request to
#: another host fails as it would offline (net::ERR_NAME_NOT_RESOLVED), an IP address too, and
#: no context needs Playwright's routing (which turns the HTTP cache off) to block it.
OFFLINE_BUT_LOCAL = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    OFFLINE_BUT_LOCAL,
]

#: Folders of the built site that hold vendored runtimes, not pages of ours.
VENDORED_FOLDERS = ("pagefind", "pyodide", "pyscript")

#: Starting Pyodide (in a calculator's Web Worker, or PyScript's on the suggest form) takes 5-20 s
#: here; leave room for a slow machine.
PYTHON_READY_TIMEOUT_MS = 60_000
CALCULATOR_SETTLED = '#ceu-status[data-state="ready"], #ceu-status[data-state="error"]'

#: Form name (#<name>-form, #<name>-status, #<name>-result) -> path of each calculator page.
CALCULATOR_PATHS = {
    "ceu": "/calculator/",
    "plan": "/course-plan/",
    "eligibility": "/eligibility/",
    "deadlines": "/deadlines/",
    "accreditation": "/accreditation/",
    "cec": "/cec/",
}

PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def read_entries(kind: str) -> list[dict[str, str]]:
    """Rows of directory_data/<kind>.csv, the only source of the directory pages."""
    with (DATA_DIR / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site; Pyodide needs the right types for .wasm and .mjs."""

    extensions_map = {  # noqa: RUF012 - the base class declares a plain dict
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` serving ``folder`` (no trailing slash) until the block ends."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"server-{folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


#: Playwright's console warning when a page registers a service worker in a blocking context.
PLAYWRIGHT_BLOCKED_WORKER = "Service Worker registration blocked by Playwright"


@dataclass
class Watch:
    """What went wrong on a page, seen from the visitor's side."""

    origin: str
    #: With JavaScript off, Chromium refuses script downloads (failure "csp"): not a fault.
    scripts_off: bool = False
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.text == PLAYWRIGHT_BLOCKED_WORKER:
            return  # said by Playwright in a context that blocks service workers, not by the site
        if message.location.get("url") == f"http://{self.origin}/favicon.ico":
            # Chromium asks for /favicon.ico itself for a document that names no icon (a badge
            # SVG opened as a page); every page of the site names its own. Under Playwright's
            # routing Chromium never asked, so no check is lost.
            return
        if message.type in ("error", "warning"):
            location = message.location
            where = f" ({location['url']}:{location['lineNumber']})" if location.get("url") else ""
            self.console.append(f"{message.type}: {message.text}{where}")

    def _on_request_failed(self, request: Request) -> None:
        if self.scripts_off and request.resource_type == "script":
            return
        if request.failure == "net::ERR_ABORTED" and urlsplit(request.url).path.endswith("/favicon.png"):
            return  # the tab navigated or reloaded before its icon came: nothing a visitor sees
        self.failed_requests.append(f"{request.resource_type} {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.url}")

    def _lists(self) -> dict[str, list[str]]:
        return {
            "console errors/warnings": self.console,
            "uncaught page errors": self.page_errors,
            "failed requests": self.failed_requests,
            "HTTP error responses": self.bad_responses,
            "requests to another host (blocked)": self.foreign_requests,
        }

    def problems(self) -> dict[str, list[str]]:
        return {kind: list(items) for kind, items in self._lists().items() if items}

    def clear(self) -> None:
        for items in self._lists().values():
            items.clear()

    def assert_clean(self, where: str) -> None:
        problems = self.problems()
        assert not problems, f"{where}: " + "; ".join(f"{kind}: {items}" for kind, items in problems.items())


def watched_context(browser: Browser, site_url: str, **options: Any) -> tuple[BrowserContext, Watch]:
    """A fresh context whose pages are watched and whose requests may only go to site_url.

    A request to another host (from a page or its workers) is recorded; the browser's resolver
    fails it (OFFLINE_BUT_LOCAL). Not Playwright's routing: that turns the context's HTTP cache
    off, and every page would download the site's styles, scripts and runtime again.
    The site's service worker is blocked unless asked for (``service_workers="allow"``): it
    would download the calculators' runtime in the background of every test, and answer
    requests the watch then never sees (tests/browser/test_offline.py tests it).
    """
    options.setdefault("service_workers", "block")
    context = browser.new_context(**options)
    watch = Watch(origin=urlsplit(site_url).netloc, scripts_off=options.get("java_script_enabled") is False)

    def keep_local(request: Request) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.netloc != watch.origin:
            watch.foreign_requests.append(request.url)

    context.on("request", keep_local)
    context.on("page", watch.attach)
    return context, watch


#: Runs before any page script: reports a CSP violation as a console error, which Watch collects.
REPORT_CSP = (
    "document.addEventListener('securitypolicyviolation', (e) => "
    "console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));"
)


@contextmanager
def hostile_tab(browser: Browser, site_url: str) -> Iterator[tuple[Page, Watch, list[str]]]:
    """One watched desktop tab for pages built from hostile data: a policy violation is a console
    error, and every dialog a script opens is dismissed and recorded (none may open)."""
    context, watch = watched_context(browser, site_url, **DESKTOP)
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page, watch, dialogs
    finally:
        context.close()


@contextmanager
def watched_page(browser: Browser, site_url: str, what: str, **options: Any) -> Iterator[Page]:
    """One watched tab for a module's tests; its console and requests must be clean at the end."""
    context, watch = watched_context(browser, site_url, **options)
    try:
        yield context.new_page()
        watch.assert_clean(what)
    finally:
        context.close()


@dataclass
class Visit:
    page: Page
    watch: Watch
    response: Response | None
    #: data-state of #ceu-status right after navigation (calculator visits only).
    state_at_load: str | None = None


def open_calculator(browser: Browser, site_url: str, **options: Any) -> tuple[BrowserContext, Visit]:
    """The calculator page once Python has started (or failed to: the tests then say so)."""
    context, watch = watched_context(browser, site_url, **options)
    page = context.new_page()
    response = page.goto(site_url + "/calculator/", wait_until="domcontentloaded")
    state_at_load = page.get_attribute("#ceu-status", "data-state")
    page.wait_for_selector(CALCULATOR_SETTLED, timeout=PYTHON_READY_TIMEOUT_MS)
    return context, Visit(page, watch, response, state_at_load)


def answered(page: Page, name: str) -> None:
    """Wait until calculator ``name`` shows the worker's answer for its inputs as they are.

    The worker writes the address's query with each answer (the page only puts it there), so a
    test reads ``page.url`` after this: while a compute is asked for, the result is aria-busy.
    """
    expect(page.locator(f"#{name}-result")).not_to_have_attribute("aria-busy", "true", timeout=30_000)


def assert_calculator_ready(visit: Visit) -> None:
    status = visit.page.locator("#ceu-status")
    state = status.get_attribute("data-state")
    assert state == "ready", (
        f"calculator did not start: data-state={state!r}, status text {status.inner_text()!r}, "
        f"page problems {visit.watch.problems()}"
    )


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page (injected with evaluate: the CSP blocks script tags)."""
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )
    return violations


def page_and_screen_width(page: Page) -> tuple[int, int]:
    """How wide the page's content is, and how wide the screen is, in CSS pixels.

    The screen is the emulated viewport, not window.innerWidth: on a mobile viewport
    Chromium zooms out to fit wide content, so innerWidth grows with the overflow itself.
    """
    viewport = page.viewport_size
    assert viewport is not None, "the browser context has no fixed viewport"
    content_width: int = page.evaluate("document.documentElement.scrollWidth")
    screen_width: int = min(viewport["width"], page.evaluate("window.innerWidth"))
    return content_width, screen_width


def search_word(name: str) -> str:
    """The first word of a name longer than four letters, the way a visitor might search."""
    for raw in name.split():
        word = "".join(ch for ch in raw if ch.isalnum())
        if len(word) > 4:
            return word
    raise ValueError(f"no word longer than four letters in {name!r}")


def site_path(url: str) -> str:
    return urlsplit(url).path


def figure(key: str) -> str:
    """The selector of one result figure on a calculator page (its value is in data-value)."""
    return f'.calc-result [data-key="{key}"]'


def fill_worked_example(page: Page) -> None:
    """Type the calculator page's own worked example (340 minutes, 40 excluded)."""
    page.check("input[name=mode][value=minutes]")
    page.fill("#ceu-minutes", "340")
    page.fill("#ceu-excluded", "40")
    expect(page.locator(figure("contact_hours"))).to_have_attribute("data-value", "5")


def wait_for_search_results(page: Page) -> None:
    page.wait_for_selector('#search-app[data-state="ready"] .search-result-link', timeout=15_000)


class Tabs:
    """One watched tab per width, opened when first asked for, for a module's visitor tests.

    Each test navigates the tab itself; asking for a tab clears its watch, so a test answers
    only for what happened while it ran.
    """

    def __init__(self, browser: Browser, site_url: str, **options: Any) -> None:
        self.browser, self.site_url, self.options = browser, site_url, options
        self.opened: dict[str, tuple[BrowserContext, Visit]] = {}

    def __call__(self, viewport: str) -> Visit:
        if viewport not in self.opened:
            context, watch = watched_context(
                self.browser, self.site_url, **VIEWPORTS[viewport], **self.options
            )
            self.opened[viewport] = (context, Visit(context.new_page(), watch, None))
        shown = self.opened[viewport][1]
        shown.watch.clear()
        return shown

    def close(self) -> None:
        for context, _ in self.opened.values():
            context.close()


def on_first_screen(page: Page, element: Locator) -> bool:
    """Whether the whole element is on the screen the page opened at (no scrolling)."""
    box = element.bounding_box()
    height = (page.viewport_size or {"height": 0})["height"]
    scrolled: int = page.evaluate("window.scrollY")
    return box is not None and scrolled == 0 and box["y"] >= 0 and box["y"] + box["height"] <= height + 1


def in_view(page: Page, element: Locator) -> bool:
    """Whether the whole element is on the screen now (to a pixel: scrolling stops at fractions)."""
    box = element.bounding_box()
    height = (page.viewport_size or {"height": 0})["height"]
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height + 1


#: Elements inside `panel` (and itself) that scroll on their own, or could: a visitor should
#: never have to scroll a box inside the page to see every choice.
SCROLL_BOXES = """panel => [panel, ...panel.querySelectorAll('*')].filter((element) => {
  const overflow = getComputedStyle(element).overflowY;
  return overflow === 'auto' || overflow === 'scroll'
    || (overflow !== 'visible' && element.scrollHeight > element.clientHeight + 1);
}).map((element) => element.tagName.toLowerCase() + (element.className ? '.' + element.className : ''))"""
