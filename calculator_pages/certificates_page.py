"""The certificates page's Python side (issue 33): a course and its learners in, one unsigned Open
Badges 3.0 credential per learner out; then, once the page has signed them, the zip's files.

The page (``assets/calculators/certificates.js``) owns the signing key and signs with the
credential kit; this runs in its Web Worker and never sees the key. Three messages:

* ``events``: the attendance file (the annual-report helper's format, :data:`calc.annual_report.HEADER`)
  is read in blocks, as that helper reads it, and its events are listed for the visitor to
  choose one; the file's events are kept for ``make``;
* ``make``: the course form's ``values`` and the key's ``issuer`` (DID and name) -> every
  learner's unsigned credential (:func:`certificates.model.build_credential`: the CEUs are the
  engine's, under the rule chosen), as JSON text, or the fields' errors;
* ``files``: the signed credentials' JSON text and the verify page's address -> the zip's
  credential files, ``credentials/<n>-<learner>.json`` each, and each certificate's verification
  link (for the page to draw its QR code with the credential kit);
* ``document``: those QR codes (an SVG document each, or null for a link too long for one) ->
  ``certificates.html``, the printable document (one certificate a printed page) whose facts are
  read back with :func:`certificates.model.read_facts` and whose QR codes are embedded as images.

Standard library, ``calc`` and ``certificates`` only, so it is tested in CPython.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from calc.annual_report import HEADER, BadAttendanceLines, EventAttendance, event_attendance
from calc.dates import parse_date
from calc.errors import CreditInputError, quoted
from calc.numbers import parse_quantity, show
from calc.policy import CreditSystem
from calc.text_lines import FileTextError, decoded_lines
from calculator_pages.annual_report_page import MAX_FILE_BYTES, file_blocks, too_large
from calculator_pages.page_session import WorkerIO
from certificates.link import fragment_of
from certificates.model import CertificateFacts, build_credential, dumps, loads, read_facts

NAME = "certificates"
#: The rule offered first (and chosen at first): IACET's CEU.
FIRST_RULE = "iacet-ceu"
#: The most certificates one "Make certificates" makes (each is signed in the visitor's browser).
MAX_LEARNERS = 2000
#: How the learners are given: from an attendance file, or typed.
FROM_FILE = "file"
FROM_NAMES = "names"
#: The engine's field names as the form names them.
_FORM_FIELD = {
    "course": "course",
    "start": "start",
    "end": "end",
    "contact_hours": "hours",
    "rule": "rule",
    "valid_until": "expires",
    "valid_from": "expires",
    "issuer_did": "key",
    "issuer_name": "key",
}

Reply = dict[str, Any]


def rule_options(systems: Iterable[CreditSystem]) -> list[tuple[str, str]]:
    """The rules a certificate can follow (those with a rate), IACET's CEU first, then by name:
    (credit system id, what the list shows)."""
    usable = [system for system in systems if system.minutes_per_unit is not None]
    usable.sort(key=lambda system: (system.id != FIRST_RULE, system.name.casefold()))
    return [(system.id, f"{system.unit}: {system.name}") for system in usable]


def file_name_part(learner: str) -> str:
    """A learner's name as part of a file name: ASCII letters and digits joined by dashes."""
    plain = unicodedata.normalize("NFKD", learner).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", plain)
    return "-".join(words).lower()[:60].strip("-") or "learner"


def credential_file_names(learners: Sequence[str]) -> list[str]:
    """``credentials/<n>-<learner>.json`` for each learner, numbered from 1 (zero-padded, so the
    zip lists them in order)."""
    width = len(str(len(learners)))
    return [
        f"credentials/{index:0{width}d}-{file_name_part(learner)}.json"
        for index, learner in enumerate(learners, start=1)
    ]


def typed_learners(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The names typed one a line (blank lines skipped), and the errors ([field, message])."""
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        return [], [("names", "type the learners' names, one a line")]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return [], [("names", f"{quoted(name)} is listed twice: list each learner once")]
        seen.add(name)
    return names, []


class CertificateSession:
    """The certificates page's worker: the credit rules, the attendance file's events once read,
    and the browser's file reading."""

    def __init__(self, systems: Sequence[CreditSystem], io: WorkerIO) -> None:
        self.systems = {system.id: system for system in systems}
        self.io = io
        self.events: dict[str, EventAttendance] = {}
        self.file_name = ""
        #: The last ``files``' certificates (facts, link), for ``document``.
        self.printable: list[tuple[CertificateFacts, str]] = []

    def handle(self, message: Mapping[str, Any]) -> Reply:
        kind = message.get("type")
        if kind == "events":
            return self.read_events(message["file"])
        if kind == "make":
            return self.make(
                _texts(message["values"]), _texts(message.get("issuer") or {}), str(message["now"])
            )
        if kind == "files":
            return self.files([str(text) for text in message["credentials"]], str(message["verify"]))
        if kind == "document":
            return self.document([None if svg is None else str(svg) for svg in message["qr"]])
        raise ValueError(f"the certificates page sends no message of type {kind!r}")

    def read_events(self, file: Any) -> Reply:
        """The attendance file's events ([id, what the list shows, first day, last day]), or why not."""
        self.events, self.file_name = {}, str(file.name)
        size = int(file.size)
        if size > MAX_FILE_BYTES:
            return _events_failed(too_large(self.file_name, size))

        def read(offset: int, length: int) -> bytes:
            return bytes(self.io.read(file, offset, length))

        def progress(done: int, total: int) -> None:
            self.io.post({"type": "progress", "done": done, "total": total})

        try:
            events = event_attendance(decoded_lines(file_blocks(size, read, progress)))
        except BadAttendanceLines as error:
            return _events_failed(f"{self.file_name}: {error.message}")
        except FileTextError as error:
            return _events_failed(f"{self.file_name}: line {error.line}: {error.message}")
        except CreditInputError as error:
            return _events_failed(f"{self.file_name}: {error.message}")
        if not events:
            return _events_failed(f"{self.file_name}: the file has its header but no lines of attendance")
        self.events = events
        listed = [
            [
                event.event,
                f"{event.event}: {_learners(len(event.awarded))}, {_days(event)}",
                event.first_day.isoformat(),
                event.last_day.isoformat(),
            ]
            for event in events.values()
        ]
        return {"type": "events", "ok": True, "events": listed, "errors": []}

    def learners(self, values: Mapping[str, str]) -> tuple[list[str], list[tuple[str, str]], str]:
        """The learners to certify, the errors, and a note on those left out."""
        if values.get("source") == FROM_NAMES:
            names, errors = typed_learners(values.get("names", ""))
            return names, errors, ""
        if not self.events:
            message = f"choose the attendance file (CSV, first line {','.join(HEADER)}), or type the names"
            return [], [("attendance", message)], ""
        chosen = self.events.get(values.get("event", ""))
        if chosen is None:
            return [], [("event", "choose the event whose learners get certificates")], ""
        if not chosen.awarded:
            message = f"no learner of {quoted(chosen.event)} was awarded CEUs in the file, so none gets a certificate"
            return [], [("event", message)], ""
        left = len(chosen.not_awarded)
        were, get = ("was", "gets") if left == 1 else ("were", "get")
        note = (
            f" {_learners(left)} of the event {were} awarded 0 CEUs in the file and {get} none."
            if left
            else ""
        )
        return list(chosen.awarded), [], note

    def make(self, values: Mapping[str, str], issuer: Mapping[str, str], now_text: str) -> Reply:
        """Every learner's unsigned credential (JSON text), or the fields' errors."""
        errors: list[tuple[str, str]] = []
        if not issuer.get("did"):
            errors.append(("key", "create a signing key or open your key file first"))
        course = values.get("course", "").strip()
        if not course:
            errors.append(("course", "type the course's title"))
        start = _date(values, "start", "the first day of the course", errors)
        end = _date(values, "end", "the last day of the course", errors)
        hours = _hours(values.get("hours", ""), errors)
        system = self.systems.get(values.get("rule", ""))
        if system is None:
            errors.append(("rule", "choose the rule the credit is counted under"))
        expires = None
        if values.get("expires", "").strip():
            day = _date(values, "expires", "the day the certificates expire", errors)
            expires = None if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        learners, learner_errors, note = self.learners(values)
        errors += learner_errors
        if len(learners) > MAX_LEARNERS:
            field = "names" if values.get("source") == FROM_NAMES else "event"
            errors.append((field, f"{len(learners):,} learners; this page makes {MAX_LEARNERS:,} at a time"))
        if errors or start is None or end is None or hours is None or system is None:
            return _made_failed(errors)
        now = dt.datetime.fromisoformat(now_text.replace("Z", "+00:00"))
        made = []
        for learner in learners:
            try:
                credential = build_credential(
                    issuer_did=issuer["did"],
                    issuer_name=issuer.get("name", "").strip(),
                    learner=learner,
                    course=course,
                    start=start,
                    end=end,
                    contact_hours=hours,
                    system=system,
                    valid_from=now,
                    valid_until=expires,
                )
            except CreditInputError as error:
                if error.field == "learner":
                    field = "names" if values.get("source") == FROM_NAMES else "attendance"
                    return _made_failed([(field, f"the learner {quoted(learner)}: {error.message}")])
                return _made_failed([(_FORM_FIELD.get(error.field, "course"), error.message)])
            made.append(dumps(credential))
        facts = read_facts(loads(made[0]))
        summary = (
            f"{show(facts.credits)} {facts.unit} each for {show(facts.contact_hours)} contact hours of "
            f"{quoted(course)}."
        )
        details = f"Counted under the rule of {system.name}.{note}"
        return {
            "type": "made",
            "ok": True,
            "errors": [],
            "credentials": made,
            "summary": summary,
            "details": details,
        }

    def files(self, signed: Sequence[str], verify_url: str) -> Reply:
        """The credentials' files ([name, text]) for the signed credentials (each the page's compact
        JSON text) and their verification links, in the same order; a credential's file is its JSON
        written out, its link carries the compact text. The certificates are kept for ``document``."""
        read = [(text, loads(text)) for text in signed]
        facts = [read_facts(credential) for _, credential in read]
        names = credential_file_names([each.learner for each in facts])
        files = [[name, dumps(credential)] for name, (_, credential) in zip(names, read, strict=True)]
        links = [f"{verify_url}#{fragment_of(text)}" for text, _ in read]
        self.printable = list(zip(facts, links, strict=True))
        return {"type": "files", "files": files, "links": links}

    def document(self, qr_codes: Sequence[str | None]) -> Reply:
        """``certificates.html`` for the last ``files``' certificates, each with its QR code (the SVG
        the page drew of its link, or None when the link is too long for one)."""
        if len(qr_codes) != len(self.printable):
            raise ValueError(f"{len(qr_codes)} QR codes for {len(self.printable)} certificates")
        facts = [each for each, _ in self.printable]
        links = [link for _, link in self.printable]
        return {
            "type": "document",
            "file": ["certificates.html", certificates_document(facts, links, qr_codes)],
        }


def _texts(mapping: Mapping[Any, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in mapping.items()}


def _learners(count: int) -> str:
    return f"{count:,} learner{'' if count == 1 else 's'}"


def _days(event: EventAttendance) -> str:
    if event.first_day == event.last_day:
        return event.first_day.isoformat()
    return f"{event.first_day.isoformat()} to {event.last_day.isoformat()}"


def _events_failed(message: str) -> Reply:
    return {"type": "events", "ok": False, "events": [], "errors": [["attendance", message]]}


def _made_failed(errors: Sequence[tuple[str, str]]) -> Reply:
    return {"type": "made", "ok": False, "errors": [list(error) for error in errors], "credentials": []}


def _date(values: Mapping[str, str], field: str, what: str, errors: list[tuple[str, str]]) -> dt.date | None:
    text = values.get(field, "").strip()
    if not text:
        errors.append((field, f"give {what} (YYYY-MM-DD)"))
        return None
    try:
        return parse_date(text, field)
    except CreditInputError as error:
        errors.append((field, error.message))
        return None


def _hours(text: str, errors: list[tuple[str, str]]) -> Decimal | None:
    if not text.strip():
        errors.append(("hours", "give the course's contact hours (for example 7.5)"))
        return None
    try:
        hours = parse_quantity(text.strip(), "hours")
    except CreditInputError as error:
        errors.append(("hours", error.message))
        return None
    if hours <= 0:
        errors.append(("hours", "the contact hours must be more than 0"))
        return None
    return hours


# The printable document: one certificate a printed page, every value escaped.
_STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; color: #111; margin: 0; }
.certificate { box-sizing: border-box; max-width: 48rem; margin: 2rem auto; padding: 2.5rem 3rem;
  border: 3px double #333; break-after: page; page-break-after: always; }
.certificate:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 1.7rem; margin: 0 0 1.5rem; text-align: center; letter-spacing: 0.02em; }
.learner { font-size: 1.6rem; text-align: center; margin: 0.5rem 0 1rem; font-weight: bold; }
.course { font-size: 1.3rem; text-align: center; margin: 0.5rem 0 1.5rem; }
.credit { font-size: 1.2rem; text-align: center; margin: 0 0 1.5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; font-size: 0.95rem; }
dt { font-weight: bold; } dd { margin: 0; overflow-wrap: anywhere; }
.check { display: flex; align-items: center; gap: 1.5rem; margin-top: 1.5rem; }
.qr { margin: 0; flex: none; text-align: center; font-size: 0.95rem; }
.qr img { display: block; width: 5.5cm; height: 5.5cm; }
.long .learner { font-size: 1.15rem; } .long .course { font-size: 1rem; } .long h1 { margin-bottom: 0.8rem; }
.long dl { font-size: 0.8rem; } .long .credit { margin-bottom: 1rem; }
.no-qr { margin: 0; flex: 0 1 14rem; font-size: 0.9rem; }
.verify { margin: 0; font-size: 0.9rem; }
.verify a { overflow-wrap: anywhere; }
@media screen and (max-width: 30em) { .certificate { margin: 0.5rem; padding: 1.5rem 1rem; }
  .check { flex-direction: column; } }
@media print { .certificate { margin: 0 auto; border-width: 3px; } a { color: #111; } }
"""


#: The most text a certificate's QR code may be (a version 40 symbol, the largest, is about 50 kB).
MAX_QR_SVG_CHARS = 150_000
#: Past this many characters of learner, course and issuer, a certificate's words are set smaller so
#: that it still prints on one page with its QR code (each may be 500 characters).
LONG_TEXT_CHARS = 300
QR_ALT = "QR code of this certificate's verification link"
QR_CAPTION = "Scan to check this certificate"
NO_QR = (
    "This certificate's verification link is too long for a QR code: "
    "check it with the link in the digital copy."
)


def qr_image(svg: str) -> str:
    """The QR code's ``<img>``: the SVG document base64-encoded into a data address (an image never
    runs a script; the check keeps anything but an SVG document of a sane size out)."""
    text = svg.strip()
    if not (text.startswith("<svg") and text.endswith("</svg>")):
        raise ValueError("a certificate's QR code is not an SVG document")
    if len(text) > MAX_QR_SVG_CHARS:
        raise ValueError(f"a certificate's QR code is {len(text):,} characters; {MAX_QR_SVG_CHARS:,} at most")
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(QR_ALT)}">'


def certificate_html(facts: CertificateFacts, link: str, qr_svg: str | None) -> str:
    """One learner's certificate: who, what, how much under which rule (and its source), when, by whom."""
    dates = (
        facts.start.isoformat()
        if facts.start == facts.end
        else f"{facts.start.isoformat()} to {facts.end.isoformat()}"
    )
    rows = [
        ("Contact hours", show(facts.contact_hours)),
        ("Credit", f"{show(facts.credits)} {facts.unit}"),
        ("Rule", _rule_html(facts)),
        ("Dates", escape(dates)),
        ("Issued by", escape(facts.issuer_name)),
        ("Issuer's key", f"<code>{escape(facts.issuer_did)}</code>"),
        ("Issued on", escape(facts.valid_from.date().isoformat())),
    ]
    if facts.valid_until is not None:
        rows.append(("Expires on", escape(facts.valid_until.date().isoformat())))
    rows.append(("Certificate id", f"<code>{escape(facts.credential_id)}</code>"))
    listed = "".join(
        f"<dt>{escape(label)}</dt><dd>{value if label in _MARKUP else escape(value)}</dd>"
        for label, value in rows
    )
    qr_figure = (
        f'<p class="no-qr">{escape(NO_QR)}</p>'
        if qr_svg is None
        else f'<figure class="qr">{qr_image(qr_svg)}<figcaption>{escape(QR_CAPTION)}</figcaption></figure>'
    )
    long = len(facts.learner) + len(facts.course) + len(facts.issuer_name) > LONG_TEXT_CHARS
    return (
        f'<section class="certificate{" long" if long else ""}">'
        "<h1>Certificate of continuing education</h1>"
        f'<p class="learner">{escape(facts.learner)}</p>'
        f'<p class="course">completed {escape(facts.course)}</p>'
        f'<p class="credit">{escape(show(facts.credits))} {escape(facts.unit)} for '
        f"{escape(show(facts.contact_hours))} contact hours</p>"
        f"<dl>{listed}</dl>"
        '<div class="check">'
        f"{qr_figure}"
        f'<p class="verify">Anyone can check this certificate, offline in their browser, with its '
        f'<a href="{escape(link)}">verification link</a>: the link carries the whole signed certificate, '
        "so keep the digital copy (the file, or this document) to open it.</p>"
        "</div></section>"
    )


def _rule_html(facts: CertificateFacts) -> str:
    """The rule's name and its source (a link only when it is a web address)."""
    source = escape(facts.rule_url)
    if facts.rule_url.startswith(("https://", "http://")):
        source = f'<a href="{source}">{source}</a>'
    return f"{escape(facts.unit)} (rule {escape(facts.credit_system)}); source: {source}"


#: Rows whose values certificate_html writes as markup (already escaped).
_MARKUP = {"Rule", "Dates", "Issued by", "Issuer's key", "Issued on", "Expires on", "Certificate id"}


def certificates_document(
    certificates: Sequence[CertificateFacts], links: Sequence[str], qr_codes: Sequence[str | None]
) -> str:
    """The printable document of every certificate, one a printed page, each with its QR code."""
    title = f"Certificates: {certificates[0].course}" if certificates else "Certificates"
    body = "\n".join(
        certificate_html(facts, link, qr)
        for facts, link, qr in zip(certificates, links, qr_codes, strict=True)
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )
