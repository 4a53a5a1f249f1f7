"""What the tracker gives the learner to keep: a calendar per credential and the audit bundle.

* :func:`credential_calendar`: the cycle's last day as an all-day event, with what is still
  missing in words and reminders 90 and 30 days before.
* :func:`audit_html`: a printable, self-contained page (inline style, no script, every value
  escaped) of each credential's requirement with its source, its figures, and every record
  with how it counted and why, how long to keep it and its files' SHA-256 fingerprints.
* :func:`audit_bundle`: one zip of the tracker file, that page, the calendars, the certificate
  files, each signed credential a record keeps as its own JSON file (``credentials/``, as it
  was issued: anyone can check it at the site's verify page or with ``ceu credential verify``)
  and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` checks it); made the same way from the
  same inputs, byte for byte.
* :func:`read_bundle`: such a zip read back for import, refused whole (ValueError) when it is
  not one, would unpack to more than the limit, names a path outside itself, or holds a member
  that ``SHA256SUMS`` does not vouch for (a credential file must be a record's credential).

Standard library and ``calc`` only: the browser's worker runs it as well as the CLI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from html import escape
from typing import Any

from calc.errors import CreditInputError
from calc.ics import Alarm, Calendar, CalendarEvent
from calc.numbers import approximately
from calc.tracker import (
    MAX_ACTIVITIES,
    MAX_CREDENTIALS,
    MAX_FILES_PER_ACTIVITY,
    Activity,
    FileRef,
    Standing,
    activity_from,
    migrated,
    rule_words,
    tracker_text,
)
from calculator_pages.outcome import safe_href

#: Days before the cycle's end a calendar program reminds the learner.
REMINDER_DAYS = (90, 30)
TRACKER_MEMBER = "tracker.json"
AUDIT_MEMBER = "audit.html"
SUMS_MEMBER = "SHA256SUMS"
CALENDAR_FOLDER = "calendars/"
FILES_FOLDER = "files/"
CREDENTIALS_FOLDER = "credentials/"
#: Every member is dated this (the zip format's earliest date): the same inputs give the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: At most this many members: the three fixed ones, a calendar per credential, every file.
MAX_MEMBERS = 3 + MAX_CREDENTIALS + MAX_ACTIVITIES * (MAX_FILES_PER_ACTIVITY + 1)
MAX_SAFE_NAME = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
_FILE_MEMBER = re.compile(r"files/([0-9a-f]{12})-[A-Za-z0-9._-]{1,80}")
_CREDENTIAL_MEMBER = re.compile(r"credentials/([0-9a-f]{12})-[A-Za-z0-9._-]{1,80}\.json")
_CALENDAR_MEMBER = re.compile(r"calendars/[a-z0-9-]{1,120}\.ics")
#: Characters that reorder the text around them (bidirectional controls) or hide (zero width):
#: shown in the audit page as their code point, so ``invoice\u202etxt.exe`` reads as written.
_HIDDEN = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_READ_CHUNK = 65_536


# --------------------------------------------------------------------------- calendar


def safe_name(text: str, fallback: str, limit: int = MAX_SAFE_NAME) -> str:
    """``text`` as ASCII letters, digits, dots, hyphens and underscores, never starting with a dot
    or hyphen and at most ``limit`` characters (the extension kept): safe as a zip path's last part
    on every system. Accents are dropped to their letters (``Ré`` -> ``Re``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_text).strip(".-_")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if not cleaned:
        return fallback
    if len(cleaned) <= limit:
        return cleaned
    stem, dot, extension = cleaned.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return stem[: limit - len(extension) - 1].rstrip(".-_") + "." + extension
    return cleaned[:limit].rstrip(".-_")


def _slug(name: str) -> str:
    """A credential's name in a file name: lower-case letters, digits and single hyphens."""
    return re.sub(r"[._-]+", "-", safe_name(name.lower(), "credential", 60)).strip("-") or "credential"


def credential_calendar(standing: Standing) -> Calendar:
    """The credential's cycle end as a calendar, with what is still missing and two reminders.

    The UIDs come from the credential's name, its requirement and the cycle's first day: the
    file made again after more records moves the same event; the next cycle is a new event.
    """
    credential, requirement = standing.credential, standing.requirement
    end, unit = credential.cycle_end, requirement.unit
    still = "requirement met" if standing.met else f"{standing.remaining_text} {unit} still to earn"
    missing = standing.missing()
    lines = [
        f"{credential.name} ({requirement.name}): the cycle from {credential.cycle_start} ends on {end}.",
        f"Counted on {standing.as_of}: {standing.earned_text} {unit} earned; {still}.",
    ]
    if missing:
        lines.append("Still missing: " + "; ".join(missing) + ".")
    lines.append(f"Requirement: {requirement.amount} {unit}. Source: {requirement.source_url}")
    alarms = tuple(
        Alarm(
            days,
            f"{credential.name}: the cycle ends in {days} days, on {end}; "
            + ("still missing: " + "; ".join(missing) if missing else "the requirement is met")
            + ".",
        )
        for days in REMINDER_DAYS
    )
    event = CalendarEvent(
        end,
        f"cycle-end:{credential.cycle_start}",
        f"{credential.name}: cycle ends; {still}",
        "\n".join(lines),
        alarms,
    )
    return Calendar(
        f"credential:{credential.name}\x1f{requirement.id}",
        f"{credential.name}: recertification cycle",
        f"{_slug(credential.name)}-cycle-{end}.ics",
        (event,),
    )


# --------------------------------------------------------------------------- the printable page

_STYLE = """
body { font: 11pt/1.4 system-ui, sans-serif; margin: 1.5cm; color: #000; background: #fff; }
h1 { font-size: 15pt; margin: 0 0 0.2cm; }
h2 { font-size: 13pt; margin: 0.8cm 0 0.2cm; break-before: auto; }
h3 { font-size: 11pt; margin: 0.4cm 0 0.1cm; }
table { border-collapse: collapse; width: 100%; margin: 0.2cm 0; }
th, td { border: 1px solid #555; padding: 2pt 4pt; text-align: left; vertical-align: top; }
blockquote { margin: 0.2cm 0 0.2cm 0.5cm; padding-left: 0.3cm; border-left: 3px solid #555; }
td ul { margin: 0; padding-left: 1em; }
.date { white-space: nowrap; }
.missing { font-weight: bold; }
.hash { font-family: ui-monospace, monospace; font-size: 8pt; overflow-wrap: anywhere; }
a { color: #00e; overflow-wrap: anywhere; }
/* On a phone each record is a block of labelled lines instead of a table eight columns wide. */
@media screen and (max-width: 40em) {
  body { margin: 0.4cm; }
  .records thead { display: none; }
  .records tr, .records td { display: block; }
  .records tr { border: 1px solid #555; margin-bottom: 0.3cm; }
  .records td { border: 0; }
  .records td::before { content: attr(data-label) ": "; font-weight: bold; }
}
"""


def visible_text(text: str) -> str:
    """Learner's text, HTML-escaped: control characters dropped, reordering and invisible
    characters shown as their code point (``[U+202E]``) so the text reads as it was written."""
    return escape(_HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", _CONTROL.sub("", text)))


def shown_text(text: str) -> str:
    """:func:`visible_text` isolated in ``<bdi>``: right-to-left words stay inside their cell."""
    return f"<bdi>{visible_text(text)}</bdi>"


def _link(url: str) -> str:
    href = safe_href(url)
    if not href.lower().startswith(("http://", "https://")):
        return escape(url)
    return f'<a href="{escape(href)}" rel="nofollow noopener noreferrer">{escape(url)}</a>'


def _size(size: int) -> str:
    return f"{size:,} bytes"


def _files_cell(activity: Activity, present: Collection[str] | None) -> str:
    files = activity.files
    if not files and activity.credential is None:
        return "none"
    items = []
    if activity.credential is not None:
        where = f"; in this bundle as {escape(credential_member(activity))}" if present is not None else ""
        items.append(
            f"<li><strong>Signed credential</strong> (Open Badges 3.0), kept as it was issued, "
            f"its proof checked when it was added{where}. Anyone can check it again on OpenCEU's "
            "verify page or with <code>ceu credential verify FILE</code>.</li>"
        )
    for ref in files:
        state = ""
        if present is not None:
            state = (
                f"; in this bundle as {escape(file_member(ref))}"
                if ref.sha256 in present
                else '; <span class="missing">missing: its bytes were not kept with the records</span>'
            )
        items.append(
            f"<li>{shown_text(ref.name)} ({_size(ref.size)}){state}<br>"
            f'SHA-256 <span class="hash">{ref.sha256}</span></li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


#: The records table's columns: heading (also each cell's label on a phone) and the cell's class.
_RECORD_COLUMNS = (
    ("Record", ""),
    ("Activity", ""),
    ("Date", ' class="date"'),
    ("How it counted", ""),
    ("Counted", ""),
    ("Why", ""),
    ("Keep until", ' class="date"'),
    ("Files", ""),
)


def _standing_html(standing: Standing, kinds: Mapping[str, str], present: Collection[str] | None) -> str:
    credential, requirement = standing.credential, standing.requirement
    unit = requirement.unit
    parts = [
        f"<section><h2>{shown_text(credential.name)}</h2>",
        f"<p>{escape(rule_words(requirement, kinds).rsplit(' Source: ', 1)[0])}</p>",
        f"<p>Source: {_link(requirement.source_url)}</p>",
    ]
    if requirement.source_quote:
        parts.append(f'<blockquote dir="auto">{escape(requirement.source_quote)}</blockquote>')
    parts.append(
        "<table><tbody>"
        f'<tr><th scope="row">Cycle</th><td>{credential.cycle_start} to {credential.cycle_end}</td></tr>'
        f'<tr><th scope="row">Earned</th><td>{escape(standing.earned_text)} {escape(unit)}'
        + (f" (of which {escape(approximately(standing.carried))} carried over)" if standing.carried else "")
        + "</td></tr>"
        f'<tr><th scope="row">Still to earn</th><td>{escape(standing.remaining_text)} {escape(unit)}</td></tr>'
        f'<tr><th scope="row">Status</th><td>{escape(standing.status)}</td></tr>'
        + "".join(
            f'<tr><th scope="row">{escape(category.label)}</th><td>{escape(approximately(category.counted))} '
            f"{escape(unit)} counted"
            + (f"; at least {category.minimum}" if category.minimum is not None else "")
            + (f"; at most {category.cap}" if category.cap is not None else "")
            + (f"; {escape(approximately(category.to_earn))} still to earn" if category.to_earn else "")
            + "</td></tr>"
            for category in standing.categories
        )
        + "</tbody></table>"
    )
    missing = standing.missing()
    if missing:
        parts.append('<p class="missing">Still missing: ' + "; ".join(escape(m) for m in missing) + ".</p>")
    parts.append(f"<h3>Records ({len(standing.uses)})</h3>")
    if standing.uses:
        rows = []
        for use in standing.uses:
            activity = use.activity
            when = (
                f"{activity.started_on} to {activity.completed_on}"
                if activity.started_on and activity.started_on != activity.completed_on
                else str(activity.completed_on)
            )
            provider = f"<br>{shown_text(activity.provider)}" if activity.provider else ""
            course = f"<br>course {shown_text(activity.course_number)}" if activity.course_number else ""
            figure = f"{approximately(use.counted)} {escape(unit)}"
            if use.figure is not None and use.figure != use.counted:
                figure += f" of {approximately(use.figure)}"
            cells = (
                str(activity.number),
                f"{shown_text(activity.title)}{provider}{course}",
                when,
                escape(use.outcome),
                figure,
                shown_text(use.reason),
                str(use.keep_until or "not stated"),
                _files_cell(activity, present),
            )
            rows.append(
                "<tr>"
                + "".join(
                    f'<td data-label="{label}"{css}>{cell}</td>'
                    for (label, css), cell in zip(_RECORD_COLUMNS, cells, strict=True)
                )
                + "</tr>"
            )
        parts.append(
            '<table class="records"><thead><tr>'
            + "".join(f'<th scope="col">{label}</th>' for label, _ in _RECORD_COLUMNS)
            + "</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def audit_html(
    standings: Sequence[Standing],
    kinds: Mapping[str, str],
    made_on: dt.date,
    present: Collection[str] | None = None,
) -> str:
    """The printable audit page. ``present``: the SHA-256 of each file whose bytes go with it (the
    bundle's); a file named by a record and not present is marked missing. None: not checked."""
    names = ", ".join(s.credential.name for s in standings)
    title = "Continuing-education records" + (f": {names}" if names else "")
    body = [
        f"<h1>{shown_text(title)}</h1>",
        f"<p>Made on {made_on} by the OpenCEU recertification tracker, counted as of "
        + (f"{standings[0].as_of}" if standings else f"{made_on}")
        + ". Computed on the learner's device; nothing was sent.</p>",
    ]
    if present is not None:
        body.append(
            f"<p>Each file is in this bundle under {FILES_FOLDER}; the SHA-256 of every member is in "
            f"{SUMS_MEMBER}.</p>"
        )
    if not standings:
        body.append("<p>No credentials are tracked.</p>")
    body += [_standing_html(standing, kinds, present) for standing in standings]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{visible_text(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


# --------------------------------------------------------------------------- the bundle


def file_member(ref: FileRef) -> str:
    """Where a certificate file goes in the bundle: its fingerprint's start and a safe name."""
    return f"{FILES_FOLDER}{ref.sha256[:12]}-{safe_name(ref.name, 'certificate')}"


def credential_text(credential: Mapping[str, Any]) -> str:
    """A kept credential as its own file: the same JSON object, indented for reading."""
    return json.dumps(credential, indent=2, ensure_ascii=False) + "\n"


def credential_member(activity: Activity) -> str:
    """Where a record's signed credential goes in the bundle: its file's fingerprint's start
    and the record's title, made safe."""
    assert activity.credential is not None
    digest = hashlib.sha256(credential_text(activity.credential).encode()).hexdigest()
    stem = safe_name(activity.title, "credential", MAX_SAFE_NAME - 5)
    return f"{CREDENTIALS_FOLDER}{digest[:12]}-{stem}.json"


def _activities(data: Mapping[str, Any]) -> tuple[Activity, ...]:
    activities = migrated(data).get("activities", [])
    if not isinstance(activities, list):
        raise ValueError('the tracker\'s "activities" must be a list')
    try:
        return tuple(activity_from(spec, number) for number, spec in enumerate(activities, start=1))
    except CreditInputError as error:
        raise ValueError(f"the tracker cannot be read: {error.message}") from None


def named_files(data: Mapping[str, Any]) -> dict[str, FileRef]:
    """Every file the tracker's records name (sha256 -> the first record's name for it)."""
    found: dict[str, FileRef] = {}
    for activity in _activities(data):
        for ref in activity.files:
            found.setdefault(ref.sha256, ref)
    return found


def kept_credentials(data: Mapping[str, Any]) -> dict[str, bytes]:
    """Every signed credential the tracker's records keep, as the bundle's member and its bytes."""
    return {
        credential_member(activity): credential_text(activity.credential).encode()
        for activity in _activities(data)
        if activity.credential is not None
    }


def audit_bundle(
    data: Mapping[str, Any],
    standings: Sequence[Standing],
    files: Mapping[str, bytes],
    made_on: dt.date,
    kinds: Mapping[str, str],
) -> bytes:
    """The audit bundle as zip bytes. ``files`` maps SHA-256 to the bytes kept for it; bytes that
    do not hash to their key are refused (ValueError); a named file without bytes is listed as
    missing in ``audit.html``; bytes no record names are left out."""
    for digest, blob in files.items():
        actual = hashlib.sha256(blob).hexdigest()
        if actual != digest.lower():
            raise ValueError(
                f"the file kept as {digest[:12]}... has a different SHA-256 ({actual[:12]}...): "
                "it changed since it was added; add it again"
            )
    kept = {digest.lower(): blob for digest, blob in files.items()}
    refs = named_files(data)
    present = {digest for digest in refs if digest in kept}
    members: list[tuple[str, bytes]] = [
        (TRACKER_MEMBER, tracker_text(data).encode()),
        (AUDIT_MEMBER, audit_html(standings, kinds, made_on, present).encode()),
    ]
    stamp = dt.datetime.combine(made_on, dt.time(), tzinfo=dt.UTC)
    used: set[str] = set()
    for standing in standings:
        calendar = credential_calendar(standing)
        stem = calendar.filename.removesuffix(".ics")
        name, n = calendar.filename, 1
        while name in used:  # two names may make the same safe name
            n += 1
            name = f"{stem}-{n}.ics"
        used.add(name)
        members.append((CALENDAR_FOLDER + name, calendar.text(stamp).encode()))
    members += sorted((file_member(refs[digest]), kept[digest]) for digest in present)
    members += sorted(kept_credentials(data).items())
    sums = "".join(f"{hashlib.sha256(blob).hexdigest()}  {name}\n" for name, blob in members)
    members.append((SUMS_MEMBER, sums.encode()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, blob in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it is made, so the bytes do not depend on the system
            info.external_attr = 0o644 << 16
            archive.writestr(info, blob, compresslevel=9)
    return out.getvalue()


def read_bundle(blob: bytes, limit_bytes: int) -> tuple[str, dict[str, bytes]]:
    """The tracker text and the files (sha256 -> bytes) of an audit bundle, checked member by member.

    Refused whole with a ValueError naming the reason: not a zip; over ``limit_bytes`` in all
    (declared sizes and the bytes actually unpacked, counted as they are read); a path that is
    absolute, climbs (``..``) or is not one this module writes; a member that ``SHA256SUMS`` does
    not list or whose bytes do not match it; a file no record names.
    """
    if len(blob) > limit_bytes:
        raise ValueError(f"the file is {len(blob):,} bytes; at most {limit_bytes:,} can be imported")
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValueError("not an audit bundle: the file is not a zip archive") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"not an audit bundle: {len(infos):,} members; at most {MAX_MEMBERS:,}")
        names = [info.filename for info in infos]
        twice = sorted(name for name, times in Counter(names).items() if times > 1)
        if twice:
            raise ValueError(f"not an audit bundle: {twice[0]!r} is in it twice")
        for info in infos:
            _check_member_name(info.filename)
            if info.flag_bits & 0x1:
                raise ValueError(f"{info.filename!r} is encrypted; an audit bundle is not")
        declared = sum(info.file_size for info in infos)
        if declared > limit_bytes:
            raise ValueError(
                f"the bundle would unpack to {declared:,} bytes; at most {limit_bytes:,} can be imported"
            )
        for required in (TRACKER_MEMBER, SUMS_MEMBER):
            if required not in names:
                raise ValueError(f"not an audit bundle: it has no {required}")
        contents: dict[str, bytes] = {}
        budget = limit_bytes
        for info in infos:
            contents[info.filename] = _read_member(archive, info, budget)
            budget -= len(contents[info.filename])
    sums = _parse_sums(contents.pop(SUMS_MEMBER))
    for name, data in contents.items():
        if name not in sums:
            raise ValueError(f"{name!r} is not listed in {SUMS_MEMBER}; the bundle was changed")
        if hashlib.sha256(data).hexdigest() != sums[name]:
            raise ValueError(f"{name!r} does not match its SHA-256 in {SUMS_MEMBER}; the bundle was changed")
    absent = sorted(set(sums) - set(contents))
    if absent:
        raise ValueError(f"{absent[0]!r} is listed in {SUMS_MEMBER} but not in the bundle")
    try:
        text = contents[TRACKER_MEMBER].decode()
        data_read = json.loads(text)
        refs = named_files(data_read)
        credentials = kept_credentials(data_read)
    except (UnicodeDecodeError, json.JSONDecodeError, CreditInputError) as error:
        raise ValueError(f"the bundle's {TRACKER_MEMBER} is not a tracker file: {error}") from None
    found: dict[str, bytes] = {}
    for name, data in contents.items():
        if _CREDENTIAL_MEMBER.fullmatch(name) and credentials.get(name) != data:
            raise ValueError(f"{name!r} is not the signed credential of any record in {TRACKER_MEMBER}")
        match = _FILE_MEMBER.fullmatch(name)
        if not match:
            continue
        digest = hashlib.sha256(data).hexdigest()
        if not digest.startswith(match.group(1)):
            raise ValueError(f"{name!r}: its name does not start with its own SHA-256")
        if digest not in refs:
            raise ValueError(f"{name!r} is not a file of any record in {TRACKER_MEMBER}")
        found[digest] = data
    return text, found


def _check_member_name(name: str) -> None:
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"[A-Za-z]:", name)
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ValueError(f"not an audit bundle: {name!r} is a path outside the bundle")
    if name not in (TRACKER_MEMBER, AUDIT_MEMBER, SUMS_MEMBER) and not (
        _FILE_MEMBER.fullmatch(name) or _CALENDAR_MEMBER.fullmatch(name) or _CREDENTIAL_MEMBER.fullmatch(name)
    ):
        raise ValueError(f"not an audit bundle: {name!r} is not a member an audit bundle has")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, stopped as soon as they pass its declared size or what is left of the
    limit: a member that lies about its size cannot unpack more than that."""
    allowed = min(info.file_size, budget)
    chunks: list[bytes] = []
    read = 0
    try:
        with archive.open(info) as member:
            while True:
                chunk = member.read(_READ_CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                if read > allowed:
                    raise ValueError(
                        f"{info.filename!r} unpacks to more than "
                        + ("its declared size" if allowed == info.file_size else "the import limit")
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise ValueError(f"{info.filename!r} cannot be read: {error}") from None
    return b"".join(chunks)


def _parse_sums(blob: bytes) -> dict[str, str]:
    try:
        lines = blob.decode().splitlines()
    except UnicodeDecodeError:
        raise ValueError(f"{SUMS_MEMBER} is not text") from None
    sums: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        match = _SUM_LINE.fullmatch(line)
        if not match:
            raise ValueError(f"{SUMS_MEMBER}:{number}: not a line written like '<sha256>  <path>'")
        digest, name = match.groups()
        if name in sums or name == SUMS_MEMBER:
            raise ValueError(f"{SUMS_MEMBER}:{number}: {name!r} is listed twice or lists itself")
        sums[name] = digest
    return sums
