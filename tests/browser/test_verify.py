"""The verify page as a learner or a board uses it (issue 33): a certificate opened by its link, or
chosen as a file, is checked in the browser and the answer is on the first screen.

ONE fixture site is built for the module over synthetic data: a provider whose row states a
signing key made here (its seed is random, so it is no one's), with the key's source. The
certificates are signed by certificates.proof in Python (tests/credential_fixtures.py): one by
that key, one by a key no row states, one changed after signing, one expired. The site is
visited once online (its service worker keeps the calculators and this page), then the
network is cut and each certificate's link is opened: every answer comes from the page, the
kit and the worker alone, and every request the browser makes stays on the site.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from certificates.link import fragment_of
from tests.browser.browser_support import (
    DESKTOP,
    PHONE,
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    Watch,
    run_axe,
    serve,
)
from tests.browser.test_offline import wait_until_controlled
from tests.build.conftest import build_site_over, synthetic_row, write_dataset
from tests.credential_fixtures import did_of_seed, signed, signed_by_library, tampered

pytestmark = pytest.mark.browser

READY = '#verify-status[data-state="ready"], #verify-status[data-state="error"]'
SHOWN = "#verify-result:not([hidden]):not([aria-busy])"
KEY_SOURCE = "https://example.org/our-signing-key"
#: How long an answer may take when the machine is busy (the kit's check and the worker's words).
ANSWER_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class KeySite:
    url: str
    provider: dict[str, str]
    #: The provider's entry in the site's directory/issuers.json (its status as the profile shows it).
    entry: dict[str, str]
    certificates: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def key_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeySite]:
    listed_seed, unlisted_seed = os.urandom(32), os.urandom(32)
    provider = synthetic_row(
        "providers", 1, issuer_did=did_of_seed(listed_seed), issuer_did_source=KEY_SOURCE
    )
    root = tmp_path_factory.mktemp("verify-site")
    write_dataset(root / "data", providers=[provider])
    site = build_site_over(root / "data", root / "site")
    issuers = json.loads((site / "directory/issuers.json").read_text(encoding="utf-8"))["issuers"]
    assert list(issuers) == [provider["issuer_did"]], "the fixture site lists the test key"
    valid = signed(listed_seed, issuer_name=provider["name"])
    certificates = {
        "listed": valid,
        "unlisted": signed(unlisted_seed, issuer_name="Someone Unlisted", number=2),
        "tampered": tampered(valid),
        "expired": signed(
            listed_seed,
            issuer_name=provider["name"],
            number=3,
            issued=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            valid_until=dt.datetime(2026, 6, 30, tzinfo=dt.UTC),
        ),
        "by-library": signed_by_library(
            root, listed_seed, issuer_name=provider["name"], number=4, learner="Zoë Ångström"
        ),
    }
    with serve(site) as url:
        yield KeySite(url, provider, issuers[provider["issuer_did"]], certificates)


def link(site: KeySite, name: str) -> str:
    return f"{site.url}/verify/#{fragment_of(json.dumps(site.certificates[name]))}"


@dataclass
class Visitor:
    context: BrowserContext
    page: Page
    watch: Watch
    requests: list[Request]


@pytest.fixture(scope="module", params=[PHONE, DESKTOP], ids=["390px", "1280px"])
def offline_visitor(request: pytest.FixtureRequest, browser: Browser, key_site: KeySite) -> Iterator[Visitor]:
    """A visitor who opened the verify page once online, then lost the network."""
    context = browser.new_context(service_workers="allow", **request.param)
    watch = Watch(origin=key_site.url.split("//", 1)[1])
    context.on("page", watch.attach)
    requests: list[Request] = []
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    try:
        page.goto(key_site.url + "/verify/")
        page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
        wait_until_controlled(page)  # opening it saved the calculators, this page among them
        context.set_offline(True)
        yield Visitor(context, page, watch, requests)
        watch.assert_clean("the verify page offline")
    finally:
        context.close()


def open_link(visitor: Visitor, site: KeySite, name: str) -> Page:
    page = visitor.page
    page.goto("about:blank")
    answer = page.goto(link(site, name), wait_until="domcontentloaded")
    assert answer is not None and answer.from_service_worker, "the page came from the offline copy"
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    page.wait_for_selector(SHOWN, timeout=ANSWER_TIMEOUT_MS)
    return page


def on_first_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] + box["height"] <= viewport["height"], f"{selector} ends at {box}, below the first screen"


def test_a_listed_keys_certificate_by_its_link_offline_names_the_provider_and_its_status(
    offline_visitor: Visitor, key_site: KeySite
) -> None:
    page = open_link(offline_visitor, key_site, "listed")
    provider = key_site.provider
    expect(page.locator("#verify-result")).to_have_attribute("data-outcome", "listed")
    entry = key_site.entry
    if entry["status"] == "In good standing":
        expect(page.locator("#verify-outcome")).to_have_text(
            "Valid, and the key that signed it is in the directory"
        )
    else:  # generated data: the provider's status says so beside the valid signature
        expect(page.locator("#verify-result")).to_have_attribute("data-standing", "other")
        expect(page.locator("#verify-outcome")).to_have_text(
            f"Valid signature, but the provider's status is now: {entry['status']}"
        )
    sentence = page.locator("#verify-sentence").inner_text()
    assert sentence.startswith(
        f"Signed by a key that {provider['name']} lists (source {KEY_SOURCE}), status "
    )
    assert (
        f"status {entry['status']} as of {entry['status_as_of']}; 1.2 IACET CEU for 'Confined Space Entry', "
        in sentence
    )
    assert "2026-12-01 to 2026-12-02, issued to Ana Lima." in sentence
    profile = page.locator("#verify-issuer a").first
    expect(profile).to_have_text(provider["name"])
    assert profile.get_attribute("href") == f"{key_site.url}/directory/providers/{provider['id']}/"
    expect(page.locator("#verify-issuer")).to_contain_text(KEY_SOURCE)
    facts = page.locator("#verify-facts")
    for text in (
        "Confined Space Entry",
        "Ana Lima",
        "1.2 IACET CEU for 12 contact hours",
        provider["issuer_did"],
    ):
        expect(facts).to_contain_text(text)
    on_first_screen(page, "#verify-sentence")
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing is wider than the screen"
    violations = run_axe(page)
    assert not violations, violations
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"verify-listed-{width}.png"))


def test_a_certificate_signed_by_an_independent_library_verifies_on_the_page_offline(
    offline_visitor: Visitor, key_site: KeySite
) -> None:
    # Signed in Node by @digitalbazaar/vc (one proof object, not this site's one-proof list).
    assert isinstance(key_site.certificates["by-library"]["proof"], dict)
    page = open_link(offline_visitor, key_site, "by-library")
    expect(page.locator("#verify-result")).to_have_attribute("data-outcome", "listed")
    sentence = page.locator("#verify-sentence").inner_text()
    assert sentence.startswith(f"Signed by a key that {key_site.provider['name']} lists")
    assert (
        "1.2 IACET CEU for 'Confined Space Entry', 2026-12-01 to 2026-12-02, issued to Zoë Ångström."
        in sentence
    )


@pytest.mark.parametrize(
    ("name", "outcome", "words"),
    [
        ("unlisted", "unlisted", "The signature is valid, but the key that signed it is not in the directory: we cannot tell who issued it."),
        ("tampered", "invalid", "Not valid: the signature does not match the credential"),
        ("expired", "invalid", "Not valid: the credential expired on 2026-06-30."),
    ],
)  # fmt: skip
def test_an_unlisted_tampered_or_expired_certificate_by_its_link_offline_says_so(
    offline_visitor: Visitor, key_site: KeySite, name: str, outcome: str, words: str
) -> None:
    page = open_link(offline_visitor, key_site, name)
    expect(page.locator("#verify-result")).to_have_attribute("data-outcome", outcome)
    expect(page.locator("#verify-sentence")).to_contain_text(words)
    expect(page.locator("#verify-issuer")).to_be_hidden()  # no provider is named for it
    on_first_screen(page, "#verify-sentence")
    if name == "tampered":
        violations = run_axe(page)
        assert not violations, violations
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=str(SCREENSHOT_DIR / f"verify-tampered-{width}.png"))


def test_a_link_that_is_cut_short_gets_the_reason(offline_visitor: Visitor, key_site: KeySite) -> None:
    page = offline_visitor.page
    page.goto("about:blank")
    page.goto(link(key_site, "listed")[:-40], wait_until="domcontentloaded")
    page.wait_for_selector(SHOWN, timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#verify-result")).to_have_attribute("data-outcome", "invalid")
    expect(page.locator("#verify-sentence")).to_contain_text("Not valid: ")


def test_every_request_stayed_on_the_site_and_no_credential_was_sent(
    offline_visitor: Visitor, key_site: KeySite
) -> None:
    assert offline_visitor.requests, "the requests were recorded"
    for request in offline_visitor.requests:
        assert request.url.startswith(key_site.url + "/"), request.url
        assert "credential=" not in request.url and "Ana" not in request.url, request.url
        assert request.method == "GET" and not request.post_data, request.url


def test_a_chosen_file_gets_the_same_answer_as_its_link(browser: Browser, key_site: KeySite) -> None:
    context = browser.new_context(**DESKTOP)
    watch = Watch(origin=key_site.url.split("//", 1)[1])
    context.on("page", watch.attach)
    try:
        page = context.new_page()
        page.goto(key_site.url + "/verify/")
        page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
        expect(page.locator("#verify-result")).to_be_hidden()
        for name, outcome in (("listed", "listed"), ("tampered", "invalid")):
            data = json.dumps(key_site.certificates[name], indent=2).encode()
            page.set_input_files(
                "#verify-file",
                files=[{"name": f"{name}.json", "mimeType": "application/json", "buffer": data}],
            )
            expect(page.locator("#verify-result")).to_have_attribute(
                "data-outcome", outcome, timeout=ANSWER_TIMEOUT_MS
            )
        page.set_input_files(
            "#verify-file",
            files=[{"name": "notes.json", "mimeType": "application/json", "buffer": b"[1, 2]"}],
        )
        expect(page.locator("#verify-sentence")).to_contain_text(
            "Not valid: the credential is malformed", timeout=ANSWER_TIMEOUT_MS
        )
        watch.assert_clean("the verify page with files")
    finally:
        context.close()


def test_the_page_is_in_the_sites_navigation_and_says_the_link_never_reaches_a_server(
    browser: Browser, key_site: KeySite, tmp_path: Path
) -> None:
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(key_site.url + "/")
        assert page.locator("a[href$='verify/']").count() >= 1
        page.goto(key_site.url + "/verify/")
        expect(page.locator("main")).to_contain_text("never sends to any server")
    finally:
        context.close()


def _deflated(data: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


#: Fragments no certificate link has: each gets a "Not valid" answer with its reason, nothing else.
HOSTILE_FRAGMENTS = {
    "empty": "credential=",
    "not base64url": "credential=%25%25%3Cscript%3E",
    "not deflate": "credential=" + "A" * 64,
    "an array": "credential=" + _deflated(b"[1, 2, 3]"),
    "inflates to 20 MB": "credential=" + _deflated(b"{" + b" " * 20_000_000 + b"}"),
}


@pytest.fixture(scope="module")
def online_page(browser: Browser, key_site: KeySite) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(**PHONE)
    watch = Watch(origin=key_site.url.split("//", 1)[1])
    context.on("page", watch.attach)
    page = context.new_page()
    try:
        yield page, watch
    finally:
        context.close()


@pytest.mark.parametrize("fragment", list(HOSTILE_FRAGMENTS.values()), ids=list(HOSTILE_FRAGMENTS))
def test_a_hostile_link_gets_a_reason_and_never_stops_the_page(
    online_page: tuple[Page, Watch], key_site: KeySite, fragment: str
) -> None:
    page, watch = online_page
    page.goto("about:blank")
    page.goto(f"{key_site.url}/verify/#{fragment}", wait_until="domcontentloaded")
    page.wait_for_selector(SHOWN, timeout=PYTHON_READY_TIMEOUT_MS)
    expect(page.locator("#verify-result")).to_have_attribute("data-outcome", "invalid")
    expect(page.locator("#verify-sentence")).to_contain_text("Not valid: ")
    expect(page.locator("#verify-status")).to_have_attribute("data-state", "ready")
    watch.assert_clean(f"the verify page with a hostile link ({fragment[:40]})")


def test_a_signed_certificates_markup_is_shown_as_text(
    online_page: tuple[Page, Watch], key_site: KeySite
) -> None:
    """What a certificate says is the issuer's text, even when valid: never markup on the page."""
    page, watch = online_page
    seed = os.urandom(32)
    course = '<img src=x onerror="document.title=1">Course'
    certificate = signed(seed, course=course, issuer_name="<b>Issuer</b>", learner="<i>Ana</i>")
    page.goto("about:blank")
    page.goto(f"{key_site.url}/verify/#{fragment_of(json.dumps(certificate))}", wait_until="domcontentloaded")
    page.wait_for_selector(SHOWN, timeout=PYTHON_READY_TIMEOUT_MS)
    expect(page.locator("#verify-result")).to_have_attribute("data-outcome", "unlisted")
    expect(page.locator("#verify-facts")).to_contain_text(course)
    assert page.locator("#verify-result img, #verify-result b, #verify-result i").count() == 0
    assert page.title() != "1"
    watch.assert_clean("the verify page with markup in a certificate")
