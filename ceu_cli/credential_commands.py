"""``ceu credential issue`` and ``ceu credential verify``: verifiable CEU certificates at the shell.

``issue`` makes one Open Badges 3.0 credential per learner (certificates.model), signs each with
the provider's key file (certificates.key_file, certificates.proof) and writes them with each
learner's verification link. ``verify`` checks a credential's proof offline, then looks its
issuer's key up in the directory (directory.issuers) and says what it found in the same
sentences as the Verify page (certificates.verdict).

The certificates package (and pyld and cryptography with it) is imported only when a credential
command runs, so the engine's commands load no more than before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calc.annual_report import HEADER as ATTENDANCE_HEADER
from calc.annual_report import EventAttendance, event_attendance
from calc.conversions import parse_credit_systems
from calc.dates import parse_date
from calc.errors import CreditInputError, quoted
from calc.numbers import parse_quantity, show
from calc.policy import CreditSystem
from calc.serialize import plain
from ceu_cli.exits import NO, OK, Answer, UsageError
from ceu_cli.files import SYSTEMS_FILE, bundled_data_dir, read_text, text_lines, write_text_file
from ceu_cli.help import Subcommands, json_flag, subcommand

if TYPE_CHECKING:
    from certificates import verdict as verdict_module

#: The environment variable that may hold the key file's passphrase (for scripts).
PASSPHRASE_VARIABLE = "OPENCEU_KEY_PASSPHRASE"
#: The environment variable of the site's published address (as the deploy build uses it).
SITE_VARIABLE = "OPENCEU_SITE_URL"
DEFAULT_RULE = "iacet-ceu"
#: The most certificates one run writes: more is a wrong file, not a course.
MAX_LEARNERS = 10_000
LINKS_FILE = "links.txt"
#: certificates.model's input names -> the flag that gives each.
FLAGS = {
    "course": "--title",
    "start": "--start",
    "end": "--end",
    "contact_hours": "--hours",
    "rule": "--rule",
}
_SLUG = re.compile(r"[^a-z0-9]+")

ISSUE_DETAILS = f"""
Makes one Open Badges 3.0 credential per learner, signed (eddsa-rdfc-2022) with the key in
the key file the Issue certificates page saves (its passphrase from --passphrase-file, else
the environment variable {PASSPHRASE_VARIABLE}, else asked for). The course: --title,
--start, --end (default: the start), --hours of contact time; the credit is computed from
the hours under --rule, a credit system id of credit_systems.csv (default {DEFAULT_RULE}).
With --attendance, --start and --end default to the event's first and last date.

Learners, one of:
  --learners FILE    one learner's name per line (blank lines are skipped)
  --attendance FILE --event ID
                     the annual report's attendance file ({",".join(ATTENDANCE_HEADER)}),
                     checked as `ceu annual-report` checks it; each learner_id of the
                     event awarded CEUs (above 0) is a learner's name on a certificate

--out DIR gets NNN-name.json per learner and {LINKS_FILE} (each learner's name, a tab and
the verification link on --site, else ${SITE_VARIABLE}); no file in DIR is replaced.
The link carries the whole credential after #, which browsers never send to a server.

With --json: {{"out", "count", "credits", "unit", "files": [{{"learner", "file", "link"}}]}}."""

VERIFY_DETAILS = """
Checks the credential's proof offline (its contexts are bundled; nothing is fetched), then
looks the key that signed it up in the directory: the providers.csv rows that state their
signing key (issuer_did) in the bundled data, or in --data DIR. FILE may also hold a
verification link.

Exit status: 0 when the proof is valid (the key listed or not: the sentence says which),
1 when the credential is not valid (changed, expired, not yet valid, malformed: the
sentence says why), 2 when FILE is not a credential at all.

With --json: {"outcome" (listed, unlisted or invalid), "sentence", "facts" (null when
the credential cannot be read), "issuer" (the directory's entry, or null)}."""


def add_credential_commands(commands: Subcommands) -> None:
    credential = commands.add_parser(
        "credential",
        help="Issue and verify verifiable CEU certificates (Open Badges 3.0).",
        description="Issue and verify verifiable CEU certificates (Open Badges 3.0, signed with eddsa-rdfc-2022).",
        epilog="Example:\n  ceu credential verify certificate.json\n\nExit status: see `ceu --help`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tasks = credential.add_subparsers(dest="task", required=True, metavar="TASK")
    issue = subcommand(
        tasks,
        "issue",
        "Sign one certificate per learner with the provider's key file.",
        ISSUE_DETAILS,
        "ceu credential issue --key example-signing-key.json --title 'Confined Space Entry' "
        "--start 2026-12-01 --hours 12 --learners names.txt --out certificates --site https://openceu.example/",
        _issue,
    )
    issue.add_argument("--key", required=True, metavar="FILE", help="the signing key file")
    issue.add_argument("--passphrase-file", metavar="FILE", help="a file whose first line is the passphrase")
    issue.add_argument("--title", required=True, help="the course title")
    issue.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        help="the course's first day (default: the event's first date in --attendance)",
    )
    issue.add_argument(
        "--end",
        metavar="YYYY-MM-DD",
        help="the course's last day (default: --start, or the event's last date)",
    )
    issue.add_argument("--hours", required=True, help="contact hours (60 minutes each)")
    issue.add_argument("--rule", default=DEFAULT_RULE, help=f"the credit system id (default {DEFAULT_RULE})")
    issue.add_argument(
        "--valid-until", metavar="YYYY-MM-DD", help="an expiry date, if the certificate has one"
    )
    issue.add_argument("--learners", metavar="FILE", help="one learner's name per line")
    issue.add_argument("--attendance", metavar="FILE", help="the annual report's attendance CSV")
    issue.add_argument("--event", metavar="ID", help="the event_id of the course in --attendance")
    issue.add_argument(
        "--out", required=True, metavar="DIR", help="the folder to write the certificates into"
    )
    issue.add_argument(
        "--site", metavar="URL", help=f"the site's address for the links (default ${SITE_VARIABLE})"
    )
    issue.add_argument(
        "--data", metavar="DIR", help=f"a folder with {SYSTEMS_FILE} (default: the bundled one)"
    )
    json_flag(issue)
    verify = subcommand(
        tasks,
        "verify",
        "Check a certificate's signature offline, then whose key it is in the directory.",
        VERIFY_DETAILS,
        "ceu credential verify certificate.json --as-of 2026-12-08",
        _verify,
    )
    verify.add_argument(
        "file", metavar="FILE", help="the credential (JSON) or its link (- for standard input)"
    )
    verify.add_argument(
        "--data", metavar="DIR", type=Path, help="the directory data folder (default: the bundled data)"
    )
    verify.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the day to check expiry and status on (default: today)"
    )
    verify.add_argument(
        "--allow-synthetic",
        action="store_true",
        help="accept test data in --data (generated rows, example hosts); never for published data",
    )
    json_flag(verify)


# --------------------------------------------------------------------------- issue


def _issue(args: argparse.Namespace) -> Answer:
    from certificates import link, model
    from certificates.key_file import KeyFileError, read_key_file
    from certificates.proof import sign

    attended = _attended(args)
    if args.start:
        start = _date(args.start, "--start")
    elif attended is not None:
        start = attended.first_day
    else:
        raise UsageError("--start: give the course's first day (YYYY-MM-DD)")
    if args.end:
        end = _date(args.end, "--end")
    else:
        end = attended.last_day if attended is not None and not args.start else start
    valid_until = None
    if args.valid_until:
        until = _date(args.valid_until, "--valid-until")
        valid_until = dt.datetime.combine(until, dt.time(23, 59, 59), dt.UTC)
    try:
        hours = parse_quantity(args.hours, "--hours", model.MAX_CONTACT_HOURS, "hours")
    except CreditInputError as error:
        raise UsageError(f"--hours: {error.message}") from None
    system = _system(args.data, args.rule)
    # Before the key is opened: a rule that gives no figure to certify stops here.
    try:
        credits = model.credits_under(system, hours)
    except CreditInputError as error:
        raise UsageError(f"{FLAGS.get(error.field, error.field)}: {error.message}") from None
    site = _site(args.site)
    learners = _learners(args, attended)
    out = _out_folder(args.out)
    key_text = read_text(args.key)
    try:
        key = read_key_file(key_text, _passphrase(args.passphrase_file))
    except KeyFileError as error:
        raise UsageError(f"{args.key}: {error}") from None
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    credentials = []
    for learner in learners:
        try:
            built = model.build_credential(
                issuer_did=key.did,
                issuer_name=key.issuer_name,
                learner=learner,
                course=args.title,
                start=start,
                end=end,
                contact_hours=hours,
                system=system,
                valid_from=now,
                valid_until=valid_until,
            )
        except CreditInputError as error:
            flag = FLAGS.get(
                error.field, f"learner {quoted(learner)}" if error.field == "learner" else error.field
            )
            raise UsageError(f"{flag}: {error.message}") from None
        credentials.append((learner, model.dumps(sign(built, key.seed, now))))
    names = [f"{index:03d}-{_slug(learner)}.json" for index, (learner, _) in enumerate(credentials, start=1)]
    taken = [name for name in [*names, LINKS_FILE] if (out / name).exists()]
    if taken:
        raise UsageError(f"{out / taken[0]}: already exists; give an empty or new --out folder")
    links = [link.link_of(site, text) for _, text in credentials]
    _make_folder(out)
    for name, (_, text) in zip(names, credentials, strict=True):
        write_text_file(str(out / name), text)
    write_text_file(
        str(out / LINKS_FILE),
        "".join(f"{learner}\t{address}\n" for (learner, _), address in zip(credentials, links, strict=True)),
    )
    files = [
        {"learner": learner, "file": str(out / name), "link": address}
        for (learner, _), name, address in zip(credentials, names, links, strict=True)
    ]
    text = (
        f"{len(files)} certificate(s) of {show(credits)} {system.unit} for {quoted(args.title)} "
        f"signed by {key.did} ({key.issuer_name}), written to {out}; each learner's link is in {out / LINKS_FILE}"
    )
    data = {"out": str(out), "count": len(files), "credits": credits, "unit": system.unit, "files": files}
    return Answer(data, text)


def _date(text: str, flag: str) -> dt.date:
    try:
        return parse_date(text, flag)
    except CreditInputError as error:
        raise UsageError(f"{flag}: {error.message}") from None


def _system(folder: str | None, rule: str) -> CreditSystem:
    path = str(Path(folder) / SYSTEMS_FILE) if folder else str(bundled_data_dir() / SYSTEMS_FILE)
    try:
        systems = {system.id: system for system in parse_credit_systems(read_text(path), path)}
    except CreditInputError as error:
        raise UsageError(error.message) from None
    if rule not in systems:
        raise UsageError(
            f"--rule: {quoted(rule)} is not a credit system id; one of: {', '.join(sorted(systems))}"
        )
    return systems[rule]


def _site(given: str | None) -> str:
    site = given or os.environ.get(SITE_VARIABLE, "")
    if not site:
        raise UsageError(
            f"--site: give the site's address for the verification links (or set ${SITE_VARIABLE})"
        )
    if not re.fullmatch(r"https?://[^\s/#?]+(/[^\s#?]*)?", site):
        raise UsageError(f"--site: {quoted(site)} is not an http(s) address such as https://openceu.example/")
    return site


def _passphrase(path: str | None) -> str:
    if path:
        return read_text(path).split("\n", 1)[0].removesuffix("\r")
    if PASSPHRASE_VARIABLE in os.environ:
        return os.environ[PASSPHRASE_VARIABLE]
    if not sys.stdin.isatty():
        raise UsageError(
            f"give the key file's passphrase with --passphrase-file FILE or ${PASSPHRASE_VARIABLE}"
        )
    return getpass.getpass("Passphrase for the key file: ")


def _learners(args: argparse.Namespace, attended: EventAttendance | None) -> list[str]:
    if attended is not None:
        names = list(attended.awarded)
        where = f"{args.attendance} (event {quoted(args.event)})"
    else:
        names = [line.strip() for line in read_text(args.learners).splitlines() if line.strip()]
        where = args.learners
    if not names:
        raise UsageError(
            f"{where}: no learner to issue a certificate to (only learners awarded CEUs get one)"
        )
    if len(names) > MAX_LEARNERS:
        raise UsageError(f"{where}: {len(names):,} learners; at most {MAX_LEARNERS:,} a run")
    return names


def _attended(args: argparse.Namespace) -> EventAttendance | None:
    """The event of --attendance, after checking the learners are given one way."""
    if bool(args.learners) == bool(args.attendance):
        raise UsageError(
            "give the learners with --learners FILE or with --attendance FILE --event ID (one of them)"
        )
    if args.attendance and not args.event:
        raise UsageError("--event: which event of the attendance file is the course? give its event_id")
    if args.event and not args.attendance:
        raise UsageError("--event goes with --attendance FILE")
    return _event(args.attendance, args.event) if args.attendance else None


def _event(path: str, event: str) -> EventAttendance:
    """The course's event in the annual report's attendance file, read and checked as `ceu annual-report` reads it."""
    try:
        with text_lines(path) as lines:
            events = event_attendance(lines)
    except CreditInputError as error:
        raise UsageError(f"{path}: {error.message}") from None
    if event not in events:
        shown = ", ".join(quoted(name) for name in list(events)[:10])
        raise UsageError(f"--event: {quoted(event)} is not an event_id of {path} (it has {shown or 'none'})")
    return events[event]


def _out_folder(name: str) -> Path:
    """The output folder, checked before anything is signed; it is made only when there is something to write."""
    out = Path(name)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} is a file; give a folder")
    return out


def _make_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out: cannot make {out}: {error.strerror or error}") from None


def _slug(name: str) -> str:
    """A file name's part for a learner: "Chloé Dubois" -> "chloe-dubois" (accents dropped, not the letters)."""
    plain_letters = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _SLUG.sub("-", plain_letters.lower()).strip("-")[:40] or "learner"


# --------------------------------------------------------------------------- verify


def _verify(args: argparse.Namespace) -> Answer:
    from certificates import link, model
    from certificates.proof import verify as proof_problem
    from certificates.verdict import verdict

    today = _date(args.as_of, "--as-of") if args.as_of else dt.date.today()
    text = read_text(args.file)
    stripped = text.strip()
    if stripped.startswith(("http://", "https://", "#credential=", "credential=")):
        try:
            text = link.credential_of(stripped)
        except link.LinkError as error:
            raise UsageError(f"{args.file}: {error}") from None
    try:
        credential = model.loads(text)
    except model.MalformedCredential as error:
        raise UsageError(f"{args.file}: not a credential: {error}") from None
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise UsageError(f"{args.file}: not a credential: its type does not name VerifiableCredential")
    problem = proof_problem(credential)
    facts = None
    try:
        facts = model.read_facts(credential)
    except model.MalformedCredential as error:
        problem = problem or f"the credential is malformed: {error}"
    entry = None
    if problem is None and facts is not None:
        entry = _entry(args.data, today, facts.issuer_did, args.allow_synthetic)
    found = verdict(problem, facts, entry, today)
    return Answer(_verdict_data(found), found.sentence, OK if found.valid else NO)


def _entry(folder: Path | None, today: dt.date, did: str, allow_synthetic: bool) -> dict[str, str] | None:
    from directory.issuers import issuers_in

    try:
        found = issuers_in(folder or bundled_data_dir(), today, allow_synthetic=allow_synthetic)
    except ValueError as error:
        raise UsageError(f"--data: {error}") from None
    entry = found.get(did)
    return None if entry is None else entry.as_dict()


def _verdict_data(found: verdict_module.Verdict) -> dict[str, Any]:
    facts: Any = None
    if found.facts is not None:
        facts = plain(found.facts)
        facts["valid_from"] = found.facts.valid_from.strftime("%Y-%m-%dT%H:%M:%SZ")
        if found.facts.valid_until is not None:
            facts["valid_until"] = found.facts.valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"outcome": found.outcome, "sentence": found.sentence, "facts": facts, "issuer": found.entry}
