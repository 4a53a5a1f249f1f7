"""The certificates page as a provider uses it (issue 33), at 390 px and 1280 px: a signing key
created in the page (its file caught as it downloads: sealed, with the stated algorithm and
parameters, nothing secret in clear), 100 certificates made from an attendance file and caught
as one zip, whose credentials' facts are the engine's and which verify with `ceu credential
verify` (and its proof module) and with Digital Bazaar's @digitalbazaar/vc in Node, and whose
printed certificates carry QR codes that read back as their links, open the verify page on them
and print one page a certificate; the key file opened again (a wrong passphrase refused in one
line); every request recorded: same-origin, no body, nothing of the key. axe-core clean;
screenshots kept in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from certificates import did_key, proof
from certificates.key_file import key_file_text, new_key_file, read_key_file
from certificates.link import credential_of
from certificates.model import loads, read_facts
from tests.browser.browser_support import (
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    VIEWPORTS,
    run_axe,
    watched_context,
)
from tests.conftest import REPO_ROOT
from tests.qr_decoding import decoded_qr

pytestmark = pytest.mark.browser

NAME = "certificates"
READY = f'#{NAME}-status[data-state="ready"]'
LEARNERS = 100
EVENT = "EV-2026-12"
PASSPHRASE = "plenty of words here"
ISSUER = "Example Training Co"
#: Signing 100 certificates (and zipping them) in the page, with room for a slow machine.
MAKE_TIMEOUT_MS = 180_000
INTEROP = REPO_ROOT / "tests" / "interop" / "vc_interop.mjs"


#: What the page keeps in the browser: its local and session storage's text, and its IndexedDB databases.
STORED = """async () => ({
  storage: JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}),
  databases: (await indexedDB.databases()).map((database) => database.name),
})"""


def write_attendance(path: Path) -> Path:
    """LEARNERS learners awarded CEUs at EVENT over two days, one not awarded, another event."""
    lines = ["learner_id,event_id,date,ceus_awarded"]
    lines += [f"Learner {n:03d},{EVENT},2026-12-0{1 + n % 2},1.2" for n in range(LEARNERS)]
    lines += [f"No Show,{EVENT},2026-12-01,0", "Other Person,EV-OTHER,2026-11-03,0.5"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def attendance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_attendance(tmp_path_factory.mktemp("certificates") / "attendance.csv")


@pytest.fixture(scope="module", params=list(VIEWPORTS), ids=list(VIEWPORTS))
def issuing(
    request: pytest.FixtureRequest, browser: Browser, site_url: str
) -> Iterator[tuple[Page, list[Request], str]]:
    """One watched tab per width with every request it (and its worker) makes, on the page once
    Python has started."""
    width = str(request.param)
    context, watch = watched_context(browser, site_url, accept_downloads=True, **VIEWPORTS[width])
    try:
        page = context.new_page()
        requests: list[Request] = []
        page.on("request", lambda request: requests.append(request))
        page.goto(site_url + f"/{NAME}/")
        page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
        yield page, requests, width
        watch.assert_clean(f"the certificates page at {width}")
    finally:
        context.close()


def create_key(page: Page, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    page.get_by_label("Create a new key").check()
    page.get_by_label("Issuer name").fill(ISSUER)
    page.get_by_label("New passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("New passphrase again").fill(PASSPHRASE)
    with page.expect_download() as download:
        page.get_by_role("button", name="Create the key and download its file").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    expect(page.locator(f"#{NAME}-key-state")).to_contain_text("Certificates are signed as " + ISSUER)
    return path, json.loads(path.read_text(encoding="utf-8"))


def make_certificates(page: Page, attendance: Path, tmp_path: Path) -> zipfile.ZipFile:
    page.get_by_label("Course title").fill("Safe Lifting in Warehouses")
    page.get_by_label("Contact hours").fill("12")
    with page.expect_file_chooser() as chooser:
        page.locator(f"#{NAME}-attendance").click()
    chooser.value.set_files(str(attendance))
    expect(page.locator(f"#{NAME}-event option[value='{EVENT}']")).to_have_count(1, timeout=30_000)
    page.locator(f"#{NAME}-event").select_option(EVENT)
    expect(page.locator(f"#{NAME}-start")).to_have_value("2026-12-01")  # the event's days, filled in
    expect(page.locator(f"#{NAME}-end")).to_have_value("2026-12-02")
    with page.expect_download(timeout=MAKE_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Make certificates").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def node_verifies(credential: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """@digitalbazaar/vc with its cryptosuite (h33-core's interop script), in Node, offline."""
    path = tmp_path / "one.json"
    path.write_text(json.dumps(credential), encoding="utf-8")
    done = subprocess.run(
        ["node", str(INTEROP), "verify", str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return dict(json.loads(done.stdout))


def cli_verifies(path: Path) -> tuple[int, dict[str, Any]]:
    """`ceu credential verify FILE --json` as a subprocess: its exit code and its answer."""
    command = [sys.executable, "-m", "ceu_cli", "credential", "verify", str(path), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False, timeout=120)
    return done.returncode, dict(json.loads(done.stdout)) if done.stdout.strip() else {"stderr": done.stderr}


#: An A4 page at 96 px an inch (the CSS pixel), as the printed certificates are looked at.
A4_WIDTH_PX = 794
#: How the printed document's QR codes are embedded.
QR_IMAGE = re.compile(r'<img src="(data:image/svg\+xml;base64,[A-Za-z0-9+/=]+)" alt="QR code of this')


def printed_qr_codes_read_back(browser: Browser, document: str, first_link: str, width: str) -> None:
    """certificates.html has a QR code a certificate; the first reads back as its link (drawn by
    Chromium, read by zxing-cpp), and printed on A4 each certificate, QR code and all, is one page."""
    images = QR_IMAGE.findall(document)
    assert len(images) == LEARNERS
    context = browser.new_context(viewport={"width": A4_WIDTH_PX, "height": 1123})
    try:
        reader = context.new_page()
        [(text, version, level)] = decoded_qr(reader, images[0])
        assert (text, level) == (first_link, "M") and version <= 40
        reader.set_content(document)
        reader.emulate_media(media="print")
        drawn = reader.locator(".certificate img").first.bounding_box()
        assert drawn is not None and 5 * 96 / 2.54 <= drawn["width"] == drawn["height"] <= 6 * 96 / 2.54
        reader.locator(".certificate").first.screenshot(
            path=str(SCREENSHOT_DIR / f"certificates-printed-{width}.png")
        )
        pdf = reader.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == LEARNERS  # one printed page a certificate
    finally:
        context.close()


def test_a_provider_creates_a_key_and_makes_100_certificates_that_verify(
    issuing: tuple[Page, list[Request], str],
    attendance: Path,
    site_url: str,
    tmp_path: Path,
    browser: Browser,
) -> None:
    page, requests, width = issuing
    requests.clear()
    key_path, key_file = create_key(page, tmp_path)

    # The key file: sealed as stated, the DID in clear, nothing secret in clear.
    assert key_path.name == "example-training-co-signing-key.json"
    assert (key_file["type"], key_file["version"], key_file["issuerName"]) == ("OpenCEUSigningKey", 1, ISSUER)
    stated = {k: v for k, v in key_file["encryption"].items() if k not in ("salt", "iv")}
    assert stated == {
        "cipher": "AES-GCM",
        "keyBits": 256,
        "kdf": "PBKDF2",
        "hash": "SHA-256",
        "iterations": 600000,
    }
    key = read_key_file(key_path.read_text(encoding="utf-8"), PASSPHRASE)  # the CLI opens it
    assert key.did == key_file["did"]
    secret_texts = [PASSPHRASE, key.seed.hex(), did_key.secret_multibase(key.seed), "secretKeyMultibase"]
    assert not any(text in key_path.read_text(encoding="utf-8") for text in secret_texts)
    # Nothing of it is kept by the page: not in its storage, no database.
    stored = page.evaluate(STORED)
    assert not any(text in stored["storage"] for text in secret_texts), stored
    assert stored["databases"] == [], stored

    archive = make_certificates(page, attendance, tmp_path)
    summary = page.locator(f"#{NAME}-result .calc-summary")
    expect(summary).to_have_text(
        f"{LEARNERS} certificates made and signed: 1.2 IACET CEU each for 12 contact hours of 'Safe Lifting in Warehouses'."
    )
    details = page.locator(f"#{NAME}-result .calc-details")
    expect(details).to_contain_text("1 learner of the event was awarded 0 CEUs in the file and gets none.")
    expect(page.locator(f"#{NAME}-progress")).to_be_hidden()

    names = sorted(archive.namelist())
    credential_names = [name for name in names if name.startswith("credentials/")]
    assert len(credential_names) == LEARNERS and "certificates.html" in names
    learners = set()
    for name in credential_names:
        facts = read_facts(loads(archive.read(name).decode("utf-8")))
        learners.add(facts.learner)
        assert name.endswith(f"-{facts.learner.lower().replace(' ', '-')}.json")
        assert (facts.course, facts.issuer_did, facts.issuer_name) == (
            "Safe Lifting in Warehouses",
            key.did,
            ISSUER,
        )
        assert (facts.credits, facts.unit, facts.contact_hours) == (Decimal("1.2"), "IACET CEU", Decimal(12))
        assert (facts.credit_system, str(facts.start), str(facts.end)) == (
            "iacet-ceu",
            "2026-12-01",
            "2026-12-02",
        )
    assert learners == {f"Learner {n:03d}" for n in range(LEARNERS)}

    one = json.loads(archive.read(credential_names[0]))
    assert proof.verify(one) is None  # the CLI's check (certificates.proof)
    assert node_verifies(one, tmp_path)["verified"] is True  # the independent library's
    (tmp_path / "one.json").write_bytes(archive.read(credential_names[0]))
    code, answer = cli_verifies(tmp_path / "one.json")
    # A valid signature by a key no provider lists: the CLI says so (exit 0, "unlisted").
    assert (code, answer.get("outcome")) == (0, "unlisted"), answer
    assert answer["facts"]["learner"] == one["credentialSubject"]["identifier"][0]["identityHash"]
    changed = {**one, "name": "Another Course"}
    assert proof.verify(changed) is not None
    assert node_verifies(changed, tmp_path)["verified"] is False
    (tmp_path / "changed.json").write_text(json.dumps(changed), encoding="utf-8")
    assert cli_verifies(tmp_path / "changed.json")[0] == 1

    document = archive.read("certificates.html").decode("utf-8")
    assert document.count('<section class="certificate">') == LEARNERS
    link = f"{site_url}/verify/#credential="
    first_link = document[document.index(link) :].split('"', 1)[0]
    assert json.loads(credential_of(first_link)) == json.loads(archive.read(sorted(credential_names)[0]))
    (tmp_path / "link.txt").write_text(first_link, encoding="utf-8")
    assert cli_verifies(tmp_path / "link.txt")[1].get("outcome") == "unlisted"  # the link, checked by the CLI
    printed_qr_codes_read_back(browser, document, first_link, width)
    opened = page.context.new_page()  # the first QR code's link, opened as a phone would
    opened.goto(first_link)
    expect(opened.locator("#verify-result")).to_have_attribute(
        "data-outcome", "unlisted", timeout=PYTHON_READY_TIMEOUT_MS
    )
    expect(opened.locator("#verify-sentence")).to_contain_text("issued to Learner 000.")
    opened.close()

    # Every request while issuing: to this site, with no body, and none carries the key.
    origin = urlsplit(site_url).netloc
    for request in requests:
        assert urlsplit(request.url).netloc == origin, request.url
        assert request.post_data_buffer is None, f"{request.method} {request.url}"
        assert not any(text in request.url for text in [*secret_texts, key_file["ciphertext"]]), request.url

    page.screenshot(path=str(SCREENSHOT_DIR / f"certificates-made-{width}.png"), full_page=True)


def test_the_key_file_opens_with_its_passphrase_and_a_wrong_one_is_refused_in_one_line(
    issuing: tuple[Page, list[Request], str], tmp_path: Path
) -> None:
    page, requests, _ = issuing
    key_path = tmp_path / "key.json"

    key_path.write_text(
        key_file_text(new_key_file(bytes(range(32)), "Opened Provider", PASSPHRASE, dt.datetime.now(dt.UTC))),
        encoding="utf-8",
    )
    requests.clear()
    page.get_by_label("Open my key file").check()
    page.locator(f"#{NAME}-key_file").set_input_files(str(key_path))
    page.locator(f"#{NAME}-passphrase").fill(PASSPHRASE + "!")
    page.get_by_role("button", name="Open key").click()
    error = page.locator(f"#{NAME}-error-passphrase")
    expect(error).to_have_text("Wrong passphrase for this key file.")
    expect(page.locator(f"#{NAME}-passphrase")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{NAME}-passphrase")).to_be_focused()
    page.locator(f"#{NAME}-passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Open key").click()
    expect(page.locator(f"#{NAME}-key-state")).to_contain_text("signed as Opened Provider")
    expect(error).to_be_hidden()
    assert not [r for r in requests if r.post_data_buffer is not None]


def test_typed_names_get_certificates_that_expire(
    issuing: tuple[Page, list[Request], str], tmp_path: Path
) -> None:
    page, _, _ = issuing
    key_path = tmp_path / "key.json"
    created = dt.datetime.now(dt.UTC)
    key_path.write_text(
        key_file_text(new_key_file(bytes(range(1, 33)), "Typed Provider", PASSPHRASE, created))
    )
    page.get_by_label("Open my key file").check()
    page.locator(f"#{NAME}-key_file").set_input_files(str(key_path))
    page.locator(f"#{NAME}-passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Open key").click()
    expect(page.locator(f"#{NAME}-key-state")).to_contain_text("signed as Typed Provider")
    page.get_by_label("Course title").fill("Ethics for Trainers")
    page.locator(f"#{NAME}-start").fill("2026-11-02")
    page.locator(f"#{NAME}-end").fill("2026-11-02")
    page.get_by_label("Contact hours").fill("7.5")
    page.get_by_label("Expires on (optional)").fill("2028-11-02")
    page.get_by_label("Typed, one name a line").check()
    page.get_by_label("Learners' names").fill("Zoë Ødegård\n\n<b>Bold</b> O'Neil\n")
    with page.expect_download(timeout=MAKE_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Make certificates").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == [
        "certificates.html",
        "credentials/1-zoe-degard.json",
        "credentials/2-b-bold-b-o-neil.json",
    ]
    facts = [read_facts(loads(archive.read(name).decode())) for name in sorted(archive.namelist())[1:]]
    assert [each.learner for each in facts] == ["Zoë Ødegård", "<b>Bold</b> O'Neil"]
    assert {(each.credits, each.contact_hours) for each in facts} == {(Decimal("0.8"), Decimal("7.5"))}
    assert {each.valid_until for each in facts} == {dt.datetime(2028, 11, 2, tzinfo=dt.UTC)}
    assert all(
        proof.verify(json.loads(archive.read(name))) is None for name in sorted(archive.namelist())[1:]
    )
    assert "&lt;b&gt;Bold&lt;/b&gt; O&#x27;Neil" in archive.read("certificates.html").decode()
    expect(page.locator(f"#{NAME}-result .calc-summary")).to_have_text(
        "2 certificates made and signed: 0.8 IACET CEU each for 7.5 contact hours of 'Ethics for Trainers'."
    )


def test_a_field_left_empty_is_said_beside_it_and_nothing_is_made(
    issuing: tuple[Page, list[Request], str],
) -> None:
    page, _, _ = issuing
    page.get_by_label("Course title").fill("")
    page.get_by_role("button", name="Make certificates").click()
    expect(page.locator(f"#{NAME}-error-course")).to_have_text("type the course's title")
    expect(page.locator(f"#{NAME}-course")).to_be_focused()
    expect(page.locator(f"#{NAME}-result")).to_have_attribute("data-state", "incomplete")


def test_the_page_is_accessible(issuing: tuple[Page, list[Request], str]) -> None:
    page, _, width = issuing
    assert run_axe(page) == []
    page.screenshot(path=str(SCREENSHOT_DIR / f"certificates-{width}.png"), full_page=False)
