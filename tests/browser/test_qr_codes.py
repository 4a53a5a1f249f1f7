"""The credential kit's QR codes of verification links, read back by an independent reader and
printed (issue 33): Chromium draws each code into pixels and zxing-cpp decodes them
(tests/qr_decoding.py); certificates.html with a code prints on one A4 page. The kit runs in Node
once for the module (tests/unit/test_credential_kit.py's kit_run); the page is the shared browser's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from calculator_pages.certificates_page import certificates_document
from certificates.link import credential_of
from certificates.model import loads, read_facts
from tests.qr_decoding import decoded_qr, svg_source
from tests.unit.test_credential_kit import CM, QR_LINKS, VERIFY, qr_version
from tests.unit.test_credential_kit import kit_run as kit_run  # the kit in Node (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reader(browser: Browser) -> Iterator[Page]:
    """A blank page in the shared Chromium, to draw QR codes into pixels for zxing-cpp."""
    page = browser.new_page()
    yield page
    page.close()


def test_the_qr_code_of_a_signed_credentials_link_reads_back_as_exactly_that_link(kit_run, reader):
    link = f"{VERIFY}#{kit_run['fragment']}"
    assert decoded_qr(reader, svg_source(kit_run["linkQr"])) == [(link, qr_version(kit_run["linkQr"]), "M")]


@pytest.mark.parametrize("index", range(len(QR_LINKS)), ids=[what for what, _ in QR_LINKS])
def test_long_names_and_titles_still_fit_a_qr_code_that_reads_back(kit_run, reader, index):
    _, link = QR_LINKS[index]
    svg = kit_run["qr"][index]["svg"]
    [(text, version, level)] = decoded_qr(reader, svg_source(svg))
    assert (text, level) == (link, "M")
    assert version == qr_version(svg) <= 40


@pytest.mark.parametrize("index", range(len(QR_LINKS)), ids=[what for what, _ in QR_LINKS])
def test_each_certificate_prints_on_one_a4_page_with_its_qr_code_about_5_cm(kit_run, reader, index):
    """certificates.html as the page writes it, with the kit's QR code, printed by Chromium."""
    _, link = QR_LINKS[index]
    facts = read_facts(loads(credential_of(link)))
    reader.set_content(certificates_document([facts], [link], [kit_run["qr"][index]["svg"]]))
    reader.emulate_media(media="print")
    drawn = reader.locator(".certificate img").bounding_box()
    assert drawn is not None and 5 * CM <= drawn["width"] == drawn["height"] <= 6 * CM
    assert len(re.findall(rb"/Type\s*/Page\b", reader.pdf(format="A4"))) == 1
