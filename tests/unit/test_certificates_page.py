"""The certificates page's worker (calculator_pages.certificates_page), as the page talks to it:
an attendance file's events, every learner's unsigned credential with the engine's CEUs (read
back with certificates.model.read_facts), the fields' errors, and the zip's files."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from decimal import Decimal
from html import escape
from typing import Any

import pytest

from calc.annual_report import BadAttendanceLines, event_attendance
from calc.conversions import parse_credit_systems
from calculator_pages.certificates_page import (
    FIRST_RULE,
    MAX_QR_SVG_CHARS,
    NO_QR,
    CertificateSession,
    credential_file_names,
    file_name_part,
    rule_options,
)
from certificates.link import credential_of
from certificates.model import loads, read_facts
from tests.conftest import REPO_ROOT

SYSTEMS = parse_credit_systems(
    (REPO_ROOT / "directory_data" / "credit_systems.csv").read_text(encoding="utf-8")
)
DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
ISSUER = {"did": DID, "name": "Example Training"}
NOW = "2026-12-07T20:30:00Z"
ATTENDANCE = (
    b"learner_id,event_id,date,ceus_awarded\n"
    b"Ana Lima,EV-1,2026-11-30,1.2\n"
    b"Bo Chen,EV-1,2026-12-01,1.2\n"
    b"Ana Lima,EV-1,2026-12-01,1.2\n"  # a second day: one certificate
    b"Cy Dee,EV-1,2026-12-01,0\n"  # not awarded
    b"Bo Chen,EV-2,2026-10-01,0.6\n"
)
COURSE = {
    "course": "Safe Lifting",
    "start": "2026-11-30",
    "end": "2026-12-01",
    "hours": "12",
    "rule": "iacet-ceu",
}


class FileInBlocks:
    """A visitor's file as the worker sees it (its name and size), read through the browser's side."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.size, self.data = name, len(data), data
        self.posted: list[Any] = []

    def read(self, file: Any, offset: int, length: int) -> bytes:
        return bytes(file.data[offset : offset + length])

    def post(self, message: Any) -> None:
        self.posted.append(message)


def session_with(data: bytes = ATTENDANCE) -> tuple[CertificateSession, dict[str, Any]]:
    file = FileInBlocks("attendance.csv", data)
    session = CertificateSession(SYSTEMS, file)
    return session, session.handle({"type": "events", "file": file})


def test_the_files_events_are_listed_with_their_days_and_learners_awarded():
    _, answer = session_with()
    assert answer["ok"] is True
    assert answer["events"] == [
        ["EV-1", "EV-1: 2 learners, 2026-11-30 to 2026-12-01", "2026-11-30", "2026-12-01"],
        ["EV-2", "EV-2: 1 learner, 2026-10-01", "2026-10-01", "2026-10-01"],
    ]


def test_event_attendance_keeps_each_learner_once_in_the_files_order():
    events = event_attendance(ATTENDANCE.decode().splitlines(keepends=True))
    assert events["EV-1"].awarded == ("Ana Lima", "Bo Chen")
    assert events["EV-1"].not_awarded == ("Cy Dee",)
    with pytest.raises(BadAttendanceLines):
        event_attendance(["learner_id,event_id,date,ceus_awarded\n", "a,e,2026-02-30,1\n"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"name,event\n", "expected the header"),
        (b"learner_id,event_id,date,ceus_awarded\n", "no lines of attendance"),
        (b"learner_id,event_id,date,ceus_awarded\na,e,2026-02-30,1\n", "1 bad line(s)"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_beside_the_file_field(data, message):
    _, answer = session_with(data)
    assert answer["ok"] is False
    [[field, text]] = answer["errors"]
    assert field == "attendance" and message in text and text.startswith("attendance.csv: ")


def test_each_learner_awarded_ceus_gets_a_credential_with_the_engines_ceus():
    session, _ = session_with()
    answer = session.handle(
        {
            "type": "make",
            "values": {**COURSE, "source": "file", "event": "EV-1"},
            "issuer": ISSUER,
            "now": NOW,
        }
    )
    assert answer["ok"] is True, answer["errors"]
    facts = [read_facts(loads(text)) for text in answer["credentials"]]
    assert [f.learner for f in facts] == ["Ana Lima", "Bo Chen"]
    for each in facts:
        assert (each.course, each.issuer_did, each.issuer_name) == ("Safe Lifting", DID, "Example Training")
        assert (each.credits, each.contact_hours, each.credit_system) == (
            Decimal("1.2"),
            Decimal(12),
            "iacet-ceu",
        )
        assert (each.start, each.end) == (dt.date(2026, 11, 30), dt.date(2026, 12, 1))
        assert each.valid_from == dt.datetime(2026, 12, 7, 20, 30, tzinfo=dt.UTC) and each.valid_until is None
    assert '"creditsEarned": 1.2,' in answer["credentials"][0]  # the Decimal's digits, no float noise
    assert answer["summary"] == "1.2 IACET CEU each for 12 contact hours of 'Safe Lifting'."
    assert answer["details"].endswith(" 1 learner of the event was awarded 0 CEUs in the file and gets none.")


def test_typed_names_and_an_expiry():
    session = CertificateSession(SYSTEMS, FileInBlocks("none", b""))
    values = {**COURSE, "source": "names", "names": "Ana Lima\n\n  Zoë Ødegård \n", "expires": "2028-12-01"}
    answer = session.handle({"type": "make", "values": values, "issuer": ISSUER, "now": NOW})
    facts = [read_facts(loads(text)) for text in answer["credentials"]]
    assert [f.learner for f in facts] == ["Ana Lima", "Zoë Ødegård"]
    assert facts[0].valid_until == dt.datetime(2028, 12, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("values", "issuer", "field", "words"),
    [
        ({"course": " "}, ISSUER, "course", "type the course's title"),
        ({"hours": "0"}, ISSUER, "hours", "more than 0"),
        ({"hours": "twelve"}, ISSUER, "hours", ""),
        ({"start": "2026-02-30"}, ISSUER, "start", ""),
        ({"end": "2026-11-01"}, ISSUER, "end", "before it starts"),
        ({"rule": "no-such-rule"}, ISSUER, "rule", "choose the rule"),
        ({"expires": "2026-01-01"}, ISSUER, "expires", "not after the issue time"),
        ({"source": "names", "names": "Ana\nAna"}, ISSUER, "names", "listed twice"),
        ({"source": "names", "names": " \n"}, ISSUER, "names", "one a line"),
        ({"source": "file"}, ISSUER, "attendance", "choose the attendance file"),
        ({"source": "names", "names": "Ana"}, {}, "key", "create a signing key or open your key file"),
    ],
)
def test_what_cannot_be_used_is_said_beside_its_field_and_nothing_is_made(values, issuer, field, words):
    session = CertificateSession(SYSTEMS, FileInBlocks("none", b""))
    given = {**COURSE, "source": "names", "names": "Ana", **values}
    answer = session.handle({"type": "make", "values": given, "issuer": issuer, "now": NOW})
    assert answer["ok"] is False and answer["credentials"] == []
    assert field in [error[0] for error in answer["errors"]], answer["errors"]
    assert words in dict(answer["errors"])[field]


def test_the_rules_offered_are_those_with_a_rate_iacet_first():
    options = rule_options(SYSTEMS)
    assert options[0][0] == FIRST_RULE == "iacet-ceu"
    assert {value for value, _ in options} == {s.id for s in SYSTEMS if s.minutes_per_unit is not None}


@pytest.mark.parametrize(
    ("learner", "part"),
    [("Ana Lima", "ana-lima"), ("Zoë Ødegård", "zoe-degard"), ("../../etc", "etc"), ("李小龍", "learner")],
)
def test_file_names_are_plain_and_numbered_in_order(learner, part):
    assert file_name_part(learner) == part
    assert credential_file_names(["a"] * 10)[0] == "credentials/01-a.json"


#: A QR code as the page draws it (the credential kit's qrSvg; its own test reads them back).
QR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" width="29" height="29">'
    '<rect width="29" height="29" fill="#fff"/><path stroke="#000" d="M4 4.5h7"/></svg>'
)


def files_of(session: CertificateSession, credentials: list[str], verify: str) -> dict[str, Any]:
    return session.handle({"type": "files", "credentials": credentials, "verify": verify})


def made_for(names: str, **values: str) -> tuple[CertificateSession, list[str]]:
    session = CertificateSession(SYSTEMS, FileInBlocks("none", b""))
    given = {**COURSE, "source": "names", "names": names, **values}
    return session, session.handle({"type": "make", "values": given, "issuer": ISSUER, "now": NOW})[
        "credentials"
    ]


def embedded_images(document: str) -> list[str]:
    """The SVG text of each image certificates.html embeds."""
    sources = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">', document)
    assert {alt for _, alt in sources} <= {"QR code of this certificate&#x27;s verification link"}
    return [base64.b64decode(data).decode("utf-8") for data, _ in sources]


def test_the_zips_files_are_each_credential_and_every_certificates_link():
    session, _ = session_with()
    made = session.handle(
        {
            "type": "make",
            "values": {**COURSE, "source": "file", "event": "EV-1"},
            "issuer": ISSUER,
            "now": NOW,
        }
    )
    # Signed by the page in truth; the worker only reads them back, so the unsigned ones do here.
    compact = [
        json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        for text in made["credentials"]
    ]
    verify = "https://openceu.test/verify/"
    answer = files_of(session, compact, verify)
    assert [name for name, _ in answer["files"]] == [
        "credentials/1-ana-lima.json",
        "credentials/2-bo-chen.json",
    ]
    assert read_facts(loads(answer["files"][0][1])).learner == "Ana Lima"
    assert all(link.startswith(verify + "#credential=") for link in answer["links"])
    assert [json.loads(credential_of(link)) for link in answer["links"]] == [json.loads(t) for t in compact]

    # The page draws each link's QR code; the printable document embeds them, one a certificate.
    printed = session.handle({"type": "document", "qr": [QR_SVG, QR_SVG.replace("h7", "h8")]})
    name, document = printed["file"]
    assert name == "certificates.html"
    assert document.count('<section class="certificate">') == 2
    assert embedded_images(document) == [QR_SVG, QR_SVG.replace("h7", "h8")]
    assert document.count("<figcaption>Scan to check this certificate</figcaption>") == 2
    links = [part.split('"')[0] for part in document.split('href="')[1:] if part.startswith(verify)]
    assert links == answer["links"]
    assert "1.2 IACET CEU for 12 contact hours" in document


def test_a_certificate_whose_link_is_too_long_for_a_qr_code_says_so_in_plain_words():
    session, made = made_for("Ana Lima\nBo Chen")
    files_of(session, made, "https://x.test/verify/")
    document = session.handle({"type": "document", "qr": [None, QR_SVG]})["file"][1]
    assert embedded_images(document) == [QR_SVG]
    assert document.count(escape(NO_QR)) == 1


@pytest.mark.parametrize(
    ("svg", "words"),
    [
        ('<script>alert(1)</script><svg xmlns="http://www.w3.org/2000/svg"></svg>', "not an SVG document"),
        ("<img src=x onerror=alert(1)>", "not an SVG document"),
        ("data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", "not an SVG document"),
        ('<svg xmlns="http://www.w3.org/2000/svg">', "not an SVG document"),
        ("", "not an SVG document"),
        ("<svg>" + " " * MAX_QR_SVG_CHARS + "</svg>", "at most"),
    ],
)
def test_what_is_not_an_svg_document_of_a_sane_size_is_refused(svg, words):
    session, made = made_for("Ana Lima")
    files_of(session, made, "https://x.test/verify/")
    with pytest.raises(ValueError, match=words):
        session.handle({"type": "document", "qr": [svg]})


def test_one_qr_code_a_certificate_no_more_no_less():
    session, made = made_for("Ana Lima\nBo Chen")
    files_of(session, made, "https://x.test/verify/")
    with pytest.raises(ValueError, match="1 QR codes for 2 certificates"):
        session.handle({"type": "document", "qr": [QR_SVG]})


def test_hostile_names_are_escaped_in_the_printable_certificates():
    session, made = made_for("<script>alert(1)</script>", course="<b>x</b>")
    files_of(session, made, "https://x.test/verify/")
    document = session.handle({"type": "document", "qr": [QR_SVG]})["file"][1]
    assert "<script>alert" not in document and "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "<b>x</b>" not in document
    assert "<svg" not in document  # the QR code is inside its image's address, never markup
    assert embedded_images(document) == [QR_SVG]
