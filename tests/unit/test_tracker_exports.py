"""What the tracker gives the learner to keep: a calendar per credential and the audit bundle.

The calendars are read back with the ``icalendar`` package, the bundle with ``zipfile`` and
its ``SHA256SUMS`` checked line by line against the members' bytes, as ``sha256sum -c`` would.
Requirements are ACE's real row and, for categories, a synthetic row written here over a real
credit system (PMI's PDU).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems
from calc.ics import Alarm, CalendarEvent, calendar_text
from calc.requirement_table import parse_requirements
from calc.requirements import Requirement, parse_kinds
from calc.tracker import Standing, count, tracker_from, tracker_text
from calculator_pages.tracker_exports import (
    audit_bundle,
    audit_html,
    credential_calendar,
    read_bundle,
    safe_name,
)
from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "directory_data"
SYSTEMS = parse_credit_systems((DATA / "credit_systems.csv").read_text(encoding="utf-8"))
KINDS = parse_kinds((DATA / "vocabularies.csv").read_text(encoding="utf-8"))
HEADER = (DATA / "requirements.csv").read_text(encoding="utf-8").splitlines()[0]
#: A synthetic row (tests only) over PMI's real credit system: categories to be missing.
SYNTHETIC_ROWS = (
    "test-pdu,pmi-pmp-pdu,Test PDU credential,36,certification-date,60,ethics>=1; self-study<=30,,,,18,"
    "cycle-end,,,,https://example.org/requirement,official,,Sixty units every three years,2026-12-07,,\n"
)
REQUIREMENTS: dict[str, Requirement] = {
    r.id: r
    for r in parse_requirements((DATA / "requirements.csv").read_text(encoding="utf-8"), SYSTEMS, KINDS)
    + parse_requirements(HEADER + "\n" + SYNTHETIC_ROWS, SYSTEMS, KINDS)
}
UNITS = {system.id: system.unit for system in SYSTEMS}
AS_OF = dt.date(2026, 6, 1)
MADE_ON = dt.date(2026, 6, 2)
STAMP = dt.datetime(2026, 6, 2, tzinfo=dt.UTC)
LIMIT = 5_000_000


def certificate(text: str) -> tuple[bytes, dict[str, Any]]:
    blob = f"%PDF-1.4 certificate of {text}".encode()
    ref = {"name": f"{text}.pdf", "type": "application/pdf", "size": len(blob)}
    return blob, {**ref, "sha256": hashlib.sha256(blob).hexdigest()}


CPR_PDF, CPR_REF = certificate("cpr")
COURSE_PDF, COURSE_REF = certificate("course")
_, LOST_REF = certificate("lost")  # named by a record; its bytes are not kept


def tracker_data(*activities: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "format": "openceu-tracker",
        "version": 2,
        "credentials": [
            {"name": "Personal Trainer", "requirement": "ace-certifications", "cycle_start": "2025-03-01"},
            {"name": "PMP", "requirement": "test-pdu", "cycle_start": "2025-03-01"},
        ],
        "activities": list(activities)
        or [
            {
                "title": "Strength course",
                "provider": "A provider",
                "completed_on": "2025-05-01",
                "credit": "1.2",
                "credit_unit": "ace-cec",
                "course_number": "CEP1",
                "files": [COURSE_REF],
            },
            {"title": "CPR", "completed_on": "2025-06-01", "kinds": ["cpr"], "files": [CPR_REF, LOST_REF]},
            {
                "title": "Ethics talk",
                "completed_on": "2025-07-01",
                "minutes": "60",
                "kinds": ["ethics"],
                "credentials": ["PMP"],
            },
            {
                "title": "Reading",
                "completed_on": "2025-08-01",
                "minutes": "2400",
                "kinds": ["self-study"],
                "credentials": ["PMP"],
            },
        ],
    }


def standings_of(data: Mapping[str, Any]) -> tuple[Standing, ...]:
    return count(tracker_from(data, REQUIREMENTS), AS_OF, KINDS, UNITS)


DATA_ONE = tracker_data()
STANDINGS = standings_of(DATA_ONE)
FILES = {CPR_REF["sha256"]: CPR_PDF, COURSE_REF["sha256"]: COURSE_PDF}


def members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(contents: Mapping[str, bytes], *, sums: bool = True) -> bytes:
    """A zip of ``contents`` with a correct SHA256SUMS unless ``sums`` is False."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
        if sums:
            lines = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in contents.items())
            archive.writestr("SHA256SUMS", lines)
    return out.getvalue()


# --------------------------------------------------------------------------- calendars


def test_an_event_without_alarms_is_written_as_before_and_with_alarms_gains_valarms() -> None:
    plain = CalendarEvent(dt.date(2027, 1, 1), "k", "Summary", "Description")
    text = calendar_text([plain], scope="s", name="n", stamp=STAMP)
    assert "VALARM" not in text
    alarmed = CalendarEvent(
        plain.day, "k", "Summary", "Description", (Alarm(7, "soon; really"), Alarm(0, "today"))
    )
    with_alarms = calendar_text([alarmed], scope="s", name="n", stamp=STAMP)
    assert (
        with_alarms.replace(
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P7D\r\nDESCRIPTION:soon\\; really\r\nEND:VALARM\r\n"
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:PT0S\r\nDESCRIPTION:today\r\nEND:VALARM\r\n",
            "",
        )
        == text
    )
    with pytest.raises(ValueError, match="before the day"):
        Alarm(-1, "after")


@pytest.mark.parametrize(("name", "end", "filename"), [
    ("Personal Trainer", dt.date(2027, 2, 28), "personal-trainer-cycle-2027-02-28.ics"),
    ("PMP", dt.date(2028, 2, 29), "pmp-cycle-2028-02-29.ics"),
])  # fmt: skip
def test_each_credential_calendar_has_its_cycle_end_what_is_missing_and_two_reminders(
    name: str, end: dt.date, filename: str
) -> None:
    standing = next(s for s in STANDINGS if s.credential.name == name)
    calendar = credential_calendar(standing)
    assert calendar.filename == filename
    parsed = icalendar.Calendar.from_ical(calendar.text(STAMP).encode())
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("DTSTART") == end == standing.credential.cycle_end
    assert event.decoded("DTEND") == end + dt.timedelta(days=1)
    unit = standing.requirement.unit
    assert str(event["SUMMARY"]) == f"{name}: cycle ends; {standing.remaining_text} {unit} still to earn"
    description = str(event["DESCRIPTION"])
    assert standing.requirement.source_url in description
    for missing in standing.missing():
        assert missing in description
    alarms = event.walk("VALARM")
    assert [alarm.decoded("TRIGGER") for alarm in alarms] == [-dt.timedelta(days=90), -dt.timedelta(days=30)]
    for alarm, days in zip(alarms, (90, 30), strict=True):
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert f"ends in {days} days, on {end}" in str(alarm["DESCRIPTION"])
        assert standing.missing()[0] in str(alarm["DESCRIPTION"])


def test_the_synthetic_credential_misses_its_ethics_minimum_in_words() -> None:
    pmp = next(s for s in STANDINGS if s.credential.name == "PMP")
    # 1 hour of ethics (1 PDU) + 40 hours of reading capped at 30: 31 earned, 29 to earn.
    assert (pmp.earned_text, pmp.remaining_text) == ("31", "29")
    assert "29 PDU in all by 2028-02-29" in credential_calendar(pmp).text(STAMP).replace("\r\n ", "")


def test_a_calendar_made_again_after_more_records_keeps_its_uid_and_a_new_cycle_gets_a_new_one() -> None:
    def uid(data: Mapping[str, Any]) -> str:
        text = credential_calendar(standings_of(data)[0]).text(STAMP)
        return str(icalendar.Calendar.from_ical(text.encode()).walk("VEVENT")[0]["UID"])

    more = tracker_data(
        *DATA_ONE["activities"], {"title": "More", "completed_on": "2025-09-01", "minutes": "600"}
    )
    assert uid(DATA_ONE) == uid(more)
    later = {**DATA_ONE, "credentials": [{**DATA_ONE["credentials"][0], "cycle_start": "2027-03-01"}]}
    assert uid(later) != uid(DATA_ONE)


def test_a_met_requirement_says_so() -> None:
    done = tracker_data(
        {"title": "Big", "completed_on": "2025-05-01", "credit": "2.0", "credit_unit": "ace-cec"}
    )
    calendar = credential_calendar(standings_of(done)[0])
    event = icalendar.Calendar.from_ical(calendar.text(STAMP).encode()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Personal Trainer: cycle ends; requirement met"
    assert all("requirement is met" in str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM"))


# --------------------------------------------------------------------------- the bundle


def test_every_line_of_sha256sums_matches_its_member_and_lists_every_other_member() -> None:
    contents = members(audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS))
    lines = contents["SHA256SUMS"].decode().splitlines()
    listed = {}
    for line in lines:
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()  # type: ignore[union-attr]
        assert hashlib.sha256(contents[name]).hexdigest() == digest, name
        listed[name] = digest
    assert set(listed) == set(contents) - {"SHA256SUMS"}
    assert set(contents) == {
        "tracker.json",
        "audit.html",
        "calendars/personal-trainer-cycle-2027-02-28.ics",
        "calendars/pmp-cycle-2028-02-29.ics",
        f"files/{CPR_REF['sha256'][:12]}-cpr.pdf",
        f"files/{COURSE_REF['sha256'][:12]}-course.pdf",
        "SHA256SUMS",
    }
    assert contents["tracker.json"].decode() == tracker_text(DATA_ONE)
    assert contents[f"files/{CPR_REF['sha256'][:12]}-cpr.pdf"] == CPR_PDF


def test_the_bundle_is_the_same_bytes_each_time_with_fixed_dates() -> None:
    first = audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS)
    assert first == audit_bundle(DATA_ONE, STANDINGS, dict(reversed(FILES.items())), MADE_ON, KINDS)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[:2] == ["tracker.json", "audit.html"]
        assert archive.namelist()[-1] == "SHA256SUMS"


def test_the_audit_page_gives_each_credential_its_rule_figures_records_and_files() -> None:
    page = members(audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS))["audit.html"].decode()
    assert "<script" not in page.lower() and "<link" not in page.lower() and "src=" not in page
    for standing in STANDINGS:
        assert standing.requirement.source_url.replace("&", "&amp;") in page
        assert f"{standing.credential.cycle_start} to {standing.credential.cycle_end}" in page
        for use in standing.uses:
            assert use.outcome in page
    ace = STANDINGS[0]
    assert "You must complete a total of 2.0 (20 hours) CECs every two years" in page  # the source's words
    assert f"<td>{ace.earned_text} CEC</td>" in page and f"<td>{ace.remaining_text} CEC</td>" in page
    assert "0.6 CEC in all by 2027-02-28" in page  # what is still missing, in words
    assert "the Ethics minimum of 1 is met" in page  # the ethics talk met PMP's minimum
    assert "claimed for PMP only" in page
    assert "2029-05-01" in page  # ACE: keep four years from completion (2025-05-01)
    assert CPR_REF["sha256"] in page and COURSE_REF["sha256"] in page and LOST_REF["sha256"] in page
    lost_row = page[page.index(LOST_REF["sha256"]) - 400 : page.index(LOST_REF["sha256"])]
    assert "missing: its bytes were not kept" in lost_row  # named, never silently dropped
    assert f"in this bundle as files/{CPR_REF['sha256'][:12]}-cpr.pdf" in page


def test_bytes_that_do_not_hash_to_their_fingerprint_are_refused() -> None:
    with pytest.raises(ValueError, match="different SHA-256"):
        audit_bundle(DATA_ONE, STANDINGS, {CPR_REF["sha256"]: b"changed"}, MADE_ON, KINDS)


HOSTILE = [
    "../x",
    "<script>alert(1)</script>",
    "invoice\u202etxt.exe",
    "a" * 200,
    "/etc/passwd",
    "..",
    "C:\\win",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_titles_and_file_names_are_escaped_in_the_page_and_made_safe_in_paths(hostile: str) -> None:
    blob = b"hostile bytes " + hostile.encode()
    ref = {
        "name": hostile,
        "type": "text/html",
        "size": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
    }
    data = tracker_data(
        {"title": hostile, "provider": hostile, "completed_on": "2025-05-01", "minutes": "60", "files": [ref]}
    )
    data["credentials"][0]["name"] = hostile
    bundle = audit_bundle(data, standings_of(data), {ref["sha256"]: blob}, MADE_ON, KINDS)
    contents = members(bundle)
    for name in contents:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", name) and ".." not in name, name
        assert len(name.rsplit("/", 1)[-1]) <= 120
    page = contents["audit.html"].decode()
    assert "<script>" not in page and "\u202e" not in page
    if "\u202e" in hostile:
        assert "invoice[U+202E]txt.exe" in page
    assert read_bundle(bundle, LIMIT) == (tracker_text(data), {ref["sha256"]: blob})


def test_a_300_character_file_name_is_cut_to_a_safe_length_keeping_its_extension() -> None:
    assert safe_name("a" * 296 + ".pdf", "certificate") == "a" * 76 + ".pdf"
    assert safe_name("\u202e<>..", "certificate") == "certificate"
    assert safe_name("Résumé final.PDF", "x") == "Resume-final.PDF"


# --------------------------------------------------------------------------- reading it back


def test_a_bundle_read_back_gives_the_tracker_text_and_the_files() -> None:
    text, files = read_bundle(audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS), LIMIT)
    assert text == tracker_text(DATA_ONE)
    assert files == FILES  # the lost file has no bytes: none come back


_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(_names, min_size=1, max_size=4),
    blobs=st.lists(st.binary(max_size=300), min_size=1, max_size=4),
    keep=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_the_round_trip_gives_back_the_same_tracker_and_every_kept_file(
    titles: list[str], blobs: list[bytes], keep: list[bool]
) -> None:
    refs = [
        {"name": titles[i % len(titles)], "type": "", "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
        for i, b in enumerate(blobs)
    ]
    data = tracker_data(
        *(
            {"title": title, "completed_on": "2025-05-01", "minutes": "90", "files": refs[i::2]}
            for i, title in enumerate(titles[:2])
        )
    )
    named = {ref["sha256"] for spec in data["activities"] for ref in spec["files"]}
    kept = {ref["sha256"]: b for ref, b, k in zip(refs, blobs, keep, strict=False) if k}
    bundle = audit_bundle(data, standings_of(data), kept, MADE_ON, KINDS)
    assert read_bundle(bundle, LIMIT) == (tracker_text(data), {d: b for d, b in kept.items() if d in named})


def test_a_tampered_member_is_refused() -> None:
    contents = members(audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS))
    name = f"files/{CPR_REF['sha256'][:12]}-cpr.pdf"
    changed = zip_of(
        {**{n: d for n, d in contents.items() if n != "SHA256SUMS"}, name: b"forged"}, sums=False
    )
    # the forged member goes in with the original SHA256SUMS
    out = io.BytesIO(changed)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("SHA256SUMS", contents["SHA256SUMS"])
    with pytest.raises(ValueError, match="does not match its SHA-256"):
        read_bundle(out.getvalue(), LIMIT)


@pytest.mark.parametrize(("contents", "message"), [
    ({"tracker.json": b"{}", "extra.txt": b"x"}, "not a member an audit bundle has"),
    ({"tracker.json": b"{}", "../tracker.json": b"x"}, "outside the bundle"),
    ({"tracker.json": b"{}", "/etc/passwd": b"x"}, "outside the bundle"),
    ({"tracker.json": b"{}", "files/../../x": b"x"}, "outside the bundle"),
    ({"audit.html": b"x"}, "has no tracker.json"),
    ({"tracker.json": b'{"format": "openceu-tracker", "version": 2}', "files/000000000000-a.pdf": b"x"},
     "does not start with its own SHA-256"),
    ({"tracker.json": b"not json"}, "is not a tracker file"),
])  # fmt: skip
def test_what_is_not_an_audit_bundle_is_refused(contents: dict[str, bytes], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        read_bundle(zip_of(contents), LIMIT)


def test_an_unlisted_member_and_a_listed_missing_one_are_refused() -> None:
    contents = members(audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS))
    sums = contents.pop("SHA256SUMS")
    unlisted = zip_of({**contents, "calendars/extra.ics": b"x"}, sums=False)
    with zipfile.ZipFile(out := io.BytesIO(unlisted), "a") as archive:
        archive.writestr("SHA256SUMS", sums)
    with pytest.raises(ValueError, match="not listed in SHA256SUMS"):
        read_bundle(out.getvalue(), LIMIT)
    dropped = {n: d for n, d in contents.items() if not n.startswith("files/")}
    with zipfile.ZipFile(out := io.BytesIO(zip_of(dropped, sums=False)), "a") as archive:
        archive.writestr("SHA256SUMS", sums)
    with pytest.raises(ValueError, match="listed in SHA256SUMS but not in the bundle"):
        read_bundle(out.getvalue(), LIMIT)


def test_a_file_no_record_names_is_refused() -> None:
    stray = b"stray"
    digest = hashlib.sha256(stray).hexdigest()
    bundle = zip_of({"tracker.json": tracker_text(DATA_ONE).encode(), f"files/{digest[:12]}-x.pdf": stray})
    with pytest.raises(ValueError, match="not a file of any record"):
        read_bundle(bundle, LIMIT)


@pytest.mark.parametrize(
    "blob", [b"", b"PK\x03\x04 broken", b'{"format": "openceu-tracker"}', bytes(range(256))]
)
def test_what_is_not_a_zip_is_refused(blob: bytes) -> None:
    with pytest.raises(ValueError, match="not a zip archive"):
        read_bundle(blob, LIMIT)


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    bomb = zip_of({"tracker.json": b"{}", "calendars/a.ics": b"\0" * 20_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(ValueError, match="would unpack to 20,000,"):
        read_bundle(bomb, LIMIT)


def test_a_member_that_lies_about_its_size_is_refused_as_it_is_read() -> None:
    """Its headers say 10 bytes; the compressed stream holds a million: reading stops at 10 and the
    member is refused (its checksum cannot match)."""
    honest = zip_of({"tracker.json": b"{}", "calendars/a.ics": b"\0" * 1_000_000})
    lying = bytearray(honest)
    with zipfile.ZipFile(io.BytesIO(honest)) as archive:
        info = archive.getinfo("calendars/a.ics")
    # patch the uncompressed size in the local header (offset 22) and the central directory (offset 24)
    local = info.header_offset
    lying[local + 22 : local + 26] = (10).to_bytes(4, "little")
    central = bytes(lying).rindex(b"PK\x01\x02", 0, bytes(lying).rindex(b"calendars/a.ics"))
    lying[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(ValueError, match=r"'calendars/a.ics' (cannot be read|unpacks to more)"):
        read_bundle(bytes(lying), LIMIT)


def test_a_bundle_over_the_limit_as_a_file_is_refused() -> None:
    bundle = audit_bundle(DATA_ONE, STANDINGS, FILES, MADE_ON, KINDS)
    with pytest.raises(ValueError, match="at most 100 can be imported"):
        read_bundle(bundle, 100)


def test_the_page_printed_without_the_bundle_lists_files_by_fingerprint_without_a_state() -> None:
    page = audit_html(STANDINGS, KINDS, MADE_ON)
    assert page.startswith("<!doctype html>")
    assert "<title>Continuing-education records: Personal Trainer, PMP</title>" in page
    assert LOST_REF["sha256"] in page and "bytes were not kept" not in page and "in this bundle" not in page
    assert "No credentials are tracked." in audit_html((), KINDS, MADE_ON)


def test_a_member_given_twice_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("tracker.json", b"{}")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("tracker.json", b"{}")
    with pytest.raises(ValueError, match=re.escape("'tracker.json' is in it twice")):
        read_bundle(out.getvalue(), LIMIT)
