"""Hostile (or careless) use of the ``ceu`` command, and how each must end (issue 34, class 5).

A vector is a command line and what it meets: a file it reads, standard input, the
environment, something already at the path it writes to, and where its output goes (a
pipe, a full device, a pipe whose reader went away, a file that may not grow). It must end
with ``status`` and, for a refusal, one line on stderr holding ``phrase`` (for an answer,
``phrase`` is in standard output). tests/unit/test_hostile_cli.py runs every vector as a
subprocess of the real console script in a fresh folder and also checks, for all of them:
no traceback and no "internal error"; at most one line on stderr, never longer than the
CLI's longest message; a usage error names its command and where its help is; and
whatever was at the output path is exactly as it was unless the command succeeded.

``cls`` names the issue's class. In ``argv``, ``{in}`` is the input file (``file``
written as ``file_name``) and ``{out}`` the output path (``target``, made by
:func:`make_target`).
"""

from __future__ import annotations

import json
import os
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

#: Exit statuses, as `ceu --help` documents them (ceu_cli.exits; repeated so a change shows here).
OK, NO, BAD, OUTPUT_LOST, PIPE_CLOSED = 0, 1, 2, 4, 141
#: The longest line ceu prints for any input (ceu_cli.exits.MAX_MESSAGE_CHARS and its prefix).
MAX_STDERR = 1200
#: A value of ten million characters, as the issue's probe used; flags get 100,000 (argv's limit is 128 KiB).
HUGE = 10_000_000
LONG_FLAG = 100_000
ATTENDANCE = "learner_id,event_id,date,ceus_awarded\n"
PLAN_CSV = "activity,delivery,amount,unit,per,count\n"
SYSTEMS = "id,body,credential,unit,minutes_per_unit,increment,rounding,source_url\n"
RECORDS_CSV = "kind,course_number,completed_on,cecs,grade\n"
DEADLINES = ("deadlines", "--first-offering", "2027-03-01", "--ics", "{out}")
ACCREDITATION = ("accreditation", "--accredited-on", "2022-03-01", "--as-of", "2026-11-01", "--ics", "{out}")
NO_SPACE = "cannot write the standard output: No space left on device"


@dataclass(frozen=True)
class CliVector:
    name: str
    argv: tuple[str, ...]
    status: int
    #: In the one stderr line for a refusal (status 2, 3, 4); in stdout for an answer (0, 1);
    #: "" with PIPE_CLOSED: nothing at all on stderr.
    phrase: str
    cls: str = "5-cli"
    file: bytes | None = None
    file_name: str = "input.txt"
    stdin: bytes | None = None
    env: tuple[tuple[str, str], ...] = ()
    #: What is at ``{out}`` before the run: see make_target.
    target: str | None = None
    target_name: str = "out.ics"
    #: A data folder named ``data`` made first: "schema" (the bundled schema.json alone) or
    #: "all" (every bundled table too), for the directory tasks.
    data: str | None = None
    #: Where ``phrase`` is looked for when not where the status says (a directory task's report).
    phrase_in: str | None = None
    #: Where standard output goes: "pipe", "full" (a full device), "closed" (the reader went
    #: away), or "limited" (a regular file that may not grow past RLIMIT_FSIZE).
    stdout: str = "pipe"
    stderr: str = "pipe"
    #: RLIMIT_FSIZE for the run, in bytes (a file that may not grow past it: EFBIG).
    file_limit: int | None = None

    @property
    def command(self) -> str:
        """The command an error line names: ``ceu iacet``, ``ceu directory stale``, ``ceu``."""
        words = [word for word in self.argv if not word.startswith("-")][:2]
        if not words or words[0] not in COMMANDS:
            return "ceu"
        if words[0] == "directory":
            return "ceu directory" + (f" {words[1]}" if words[1:] and words[1] in TASKS else "")
        return f"ceu {words[0]}"


COMMANDS = {
    "iacet", "plan", "cec", "course-number", "recert", "policies", "convert", "eligibility",
    "deadlines", "accreditation", "annual-report", "directory",
}  # fmt: skip
TASKS = {"validate", "stale", "check-sources", "synthesize", "schema-doc"}


# --------------------------------------------------------------------------- what is at the output path

TARGET_KINDS = (
    "device", "null-device", "fifo", "socket", "folder", "symlink-to-file", "symlink-dangling",
    "symlink-to-device", "symlink-to-folder", "missing-folder",
)  # fmt: skip
#: What the one line says for each kind of target that is refused.
TARGET_PHRASES = {
    "device": "is a device, not a file",
    "null-device": "is a device, not a file",
    "fifo": "is a named pipe, not a file",
    "socket": "is a socket, not a file",
    "folder": "is a folder",
    "symlink-to-file": "is a symbolic link",
    "symlink-dangling": "is a symbolic link",
    "symlink-to-device": "is a symbolic link",
    "symlink-to-folder": "is a symbolic link",
    "missing-folder": "does not exist",
}
#: What an existing regular file holds before a run that must leave it alone.
KEPT = b"the previous file, which must survive\n"


def _device(path: Path, minor: int) -> None:
    """A character device like /dev/full (minor 7) or /dev/null (3), made in the test's folder.

    Only root can make one; root is also who could replace /dev/full itself if the refusal
    regressed, so a test run by anyone else points at the real device (which it cannot replace).
    """
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))


def make_target(folder: Path, kind: str, name: str) -> Path:
    """Put ``kind`` at ``folder/name`` (or say where it is) and return the path to give ceu."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind in ("device", "null-device", "symlink-to-device"):
        minor = 3 if kind == "null-device" else 7
        device = path if kind != "symlink-to-device" else folder / "device"
        if os.geteuid() == 0:
            _device(device, minor)
        else:
            device = Path("/dev/null" if minor == 3 else "/dev/full")
            if kind != "symlink-to-device":
                return device
        if kind == "symlink-to-device":
            path.symlink_to(device)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    elif kind == "folder":
        path.mkdir()
    elif kind == "symlink-to-file":
        (path.parent / "real.txt").write_bytes(KEPT)
        path.symlink_to("real.txt")
    elif kind == "symlink-dangling":
        path.symlink_to("nowhere/at/all")
    elif kind == "symlink-to-folder":
        (path.parent / "a-folder").mkdir()
        path.symlink_to("a-folder")
    elif kind == "missing-folder":
        return folder / "no-such-folder" / name
    elif kind == "file":
        path.write_bytes(KEPT)
    elif kind != "new":
        raise ValueError(f"unknown target kind {kind!r}")
    return path


def described(path: Path) -> tuple[str, object]:
    """What is at ``path``, without following a link: its kind and what identifies it."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return ("absent", None)
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(info.st_mode):
        return ("file", path.read_bytes())
    if stat.S_ISCHR(info.st_mode):
        return ("device", info.st_rdev)
    return (stat.filemode(info.st_mode)[0], info.st_ino)


# --------------------------------------------------------------------------- the vectors


def _targets() -> list[CliVector]:
    found = []
    for command, argv in (("deadlines", DEADLINES), ("accreditation", ACCREDITATION)):
        for kind in TARGET_KINDS:
            found.append(CliVector(f"{command}-ics-{kind}", argv, BAD, TARGET_PHRASES[kind], target=kind))
    found += [
        CliVector("ics-new-file-is-written", DEADLINES, OK, "events written to", target="new"),
        CliVector("ics-regular-file-is-replaced", DEADLINES, OK, "events written to", target="file"),
        CliVector(
            "ics-file-that-cannot-grow-is-kept", DEADLINES, OUTPUT_LOST, "out.ics: cannot write it: File too large",
            target="file", file_limit=64,
        ),
        CliVector(
            "ics-new-file-that-cannot-grow-leaves-nothing", ACCREDITATION, OUTPUT_LOST, "cannot write it",
            target="new", file_limit=64,
        ),
    ]  # fmt: skip
    synthesize = ("directory", "synthesize", "--out", "data", "--providers", "1", "--organizations", "1")
    for kind in ("fifo", "device", "symlink-to-file", "symlink-dangling", "folder"):
        found.append(
            CliVector(
                f"synthesize-providers-csv-{kind}", synthesize, BAD, TARGET_PHRASES[kind], target=kind,
                target_name="data/providers.csv",
            )
        )  # fmt: skip
    for kind in ("device", "fifo", "socket"):
        found.append(
            CliVector(
                f"synthesize-out-is-a-{kind}", (*synthesize[:3], "{out}", *synthesize[4:]), BAD,
                "not a folder", target=kind, target_name="out",
            )
        )  # fmt: skip
    check = ("directory", "check-sources", "data", "--timeout", "1", "--pause", "0")
    for kind in ("fifo", "device", "symlink-dangling", "symlink-to-file", "folder"):
        found.append(
            CliVector(
                f"check-sources-checks-csv-{kind}", check, BAD, TARGET_PHRASES[kind], target=kind,
                target_name="data/checks.csv", data="schema",
            )
        )  # fmt: skip
    return found


def _streams() -> list[CliVector]:
    answers = {
        "iacet": ("iacet", "--minutes", "60"),
        "iacet-json": ("iacet", "--minutes", "60", "--json"),
        "convert": ("convert", "--minutes", "90"),
        "policies": ("policies",),
        "cec": ("cec", "--hours", "3"),
        "course-number-no": ("course-number", "XX1"),
        "deadlines-ics-printed": ("deadlines", "--first-offering", "2027-03-01", "--ics", "-"),
        "schema-doc": ("directory", "schema-doc"),
        "validate": ("directory", "validate"),
        "help": ("--help",),
        "iacet-help": ("iacet", "--help"),
    }
    found = [
        CliVector(f"stdout-full-{name}", argv, OUTPUT_LOST, NO_SPACE, stdout="full")
        for name, argv in answers.items()
    ]
    found.append(
        CliVector(
            "stdout-full-annual-report-from-stdin", ("annual-report", "-", "--as-of", "2026-06-30"), OUTPUT_LOST,
            NO_SPACE, stdin=(ATTENDANCE + "a,e1,2026-01-10,0.5\n").encode(), stdout="full",
        )
    )  # fmt: skip
    for name in ("iacet", "policies", "schema-doc"):
        found.append(
            CliVector(f"stdout-file-too-large-{name}", answers[name], OUTPUT_LOST, "File too large", stdout="limited", file_limit=8)
        )  # fmt: skip
    for name in ("iacet", "convert", "policies", "schema-doc", "validate", "help"):
        found.append(CliVector(f"stdout-reader-gone-{name}", answers[name], PIPE_CLOSED, "", stdout="closed"))
    found += [
        CliVector("stderr-full-bad-minutes", ("iacet", "--minutes", "sixty"), BAD, "", stderr="full"),
        CliVector("stderr-full-usage-error", ("iacet", "--bogus"), BAD, "", stderr="full"),
        CliVector("stdout-and-stderr-full", ("iacet", "--minutes", "60"), OUTPUT_LOST, "", stdout="full", stderr="full"),
    ]  # fmt: skip
    return found


def _attendance(name: str, ceus: str, status: int, phrase: str) -> CliVector:
    content = (ATTENDANCE + "a,e1,2026-01-10,0.1\n" + f"b,e1,2026-01-10,{ceus}\n").encode()
    return CliVector(
        f"attendance-{name}", ("annual-report", "{in}", "--as-of", "2026-06-30"), status, phrase,
        file=content, file_name="attendance.csv",
    )  # fmt: skip


def _numbers() -> list[CliVector]:
    too_many = "more than the limit of 1,000,000 CEUs"
    not_a_number = "Line 3: ceus_awarded"
    found = [
        _attendance("huge-exponent", "1e999999999999", BAD, f"Line 3: ceus_awarded a 1,000,000,000,000-digit number of CEUs is {too_many}"),
        _attendance("exponent-400", "1e400", BAD, too_many),
        _attendance("ten-million", "1E+7", BAD, too_many),
        _attendance("just-over", "1000000.1", BAD, too_many),
        _attendance("negative-huge", "-1e400", BAD, f"{not_a_number} '-1e400' is not a number of 0 or more"),
        _attendance("tiny-exponent", "1e-999999999", BAD, "(at most 28 decimals)"),
        _attendance("nan", "NaN", BAD, f"{not_a_number} 'NaN' is not a number of 0 or more"),
        _attendance("snan", "sNaN", BAD, "'sNaN' is not a number"),
        _attendance("infinity", "Infinity", BAD, "'Infinity' is not a number"),
        _attendance("decimal-comma", '"1,5"', BAD, "'1,5' is not a number"),
        _attendance("hex", "0x10", BAD, "'0x10' is not a number"),
        _attendance("huge-digits", "9" * 100_000, BAD, "a 100,000-digit number of CEUs"),
        _attendance("the-limit-itself", "1000000", OK, "IACET CEUs awarded:           1000000.1"),
        _attendance("negative-zero", "-0", OK, "IACET CEUs awarded:           0.1"),
        _attendance("sum-stays-exact", "0.0000000000000000000000000001", OK, "0.1000000000000000000000000001"),
        _attendance("grouped-thousands", '"1,200"', OK, "IACET CEUs awarded:           1200.1"),
        CliVector(
            "attendance-huge-exponent-on-stdin", ("annual-report", "-", "--as-of", "2026-06-30"), BAD,
            "-: 1 bad line(s): 2;", stdin=(ATTENDANCE + "a,e1,2026-01-10,1e999999999999\n").encode(),
        ),
        CliVector(
            "attendance-many-large-rows-sum-exactly", ("annual-report", "{in}", "--as-of", "2026-06-30"), OK,
            "IACET CEUs awarded:           99999990000.0001",
            file=(ATTENDANCE + "".join(f"l{n},e1,2026-01-10,999999.9\n" for n in range(100_000))
                  + "z,e1,2026-01-10,0.0001\n").encode(),
            file_name="attendance.csv",
        ),
        # Figures that reached int() or Fraction() unbounded: an internal error, or a hang.
        CliVector("days-5000-digits", ("iacet", "--minutes", "60", "--policy", "iacet-ceu", "--days", "9" * 5000), BAD, "(5,000 characters) is not a whole number of days"),
        CliVector("anniversary-superscript-digit", ("accreditation", "--accredited-on", "2022-01-01", "--as-of", "2026-01-01", "--anniversary", "\u00b2-01"), BAD, "is not in the form MM-DD"),
        CliVector("anniversary-5000-digits", ("accreditation", "--accredited-on", "2022-01-01", "--as-of", "2026-01-01", "--anniversary", "1" * 5000 + "-01"), BAD, "is not in the form MM-DD"),
        CliVector("step-tiny-exponent", ("iacet", "--minutes", "60", "--minutes-per-unit", "60", "--step", "1e-999999999"), BAD, "--step: '1e-999999999' is outside 0.001 to 100"),
        CliVector("systems-increment-tiny-exponent", ("convert", "--minutes", "60", "--systems", "{in}"), BAD, "increment '1e-999999999' is outside", file=(SYSTEMS + "x,B,,u,60,1e-999999999,down,https://e.org\n").encode(), file_name="systems.csv"),
        CliVector("systems-increment-5000-digit-fraction", ("convert", "--minutes", "60", "--systems", "{in}"), BAD, "is not a fraction of whole numbers up to 999", file=(SYSTEMS + "x,B,,u,60,1/" + "9" * 5000 + ",down,https://e.org\n").encode(), file_name="systems.csv"),
        CliVector("plan-weeks-infinite", ("plan", "-"), BAD, "count must be a finite number", stdin=b'{"weeks": 1e999999, "rows": [{"activity": "a", "delivery": "instruction", "hours": 1, "per": "week"}]}'),
    ]  # fmt: skip
    return found


def _long(name: str, argv: tuple[str, ...], phrase: str, status: int = BAD, **more) -> CliVector:
    return CliVector(f"echo-{name}", argv, status, phrase, **more)


def _echoes() -> list[CliVector]:
    """A long value wherever a message could repeat it: named by its start and length instead."""
    big = "x" * HUGE
    flag = "y" * LONG_FLAG
    cut = f"({LONG_FLAG:,} characters)"
    huge = f"({HUGE:,} characters)"

    def json_file(name: str, data: object, file_name: str = "input.json") -> dict[str, object]:
        return {"file": json.dumps(data).encode(), "file_name": file_name}

    tracker = {"certifications": [{"name": "A", "period_start": "2025-01-01"}]}
    record = {"kind": "course", "course_number": "CEP12345", "completed_on": "2025-02-01", "cecs": "1"}
    plan_row = {"activity": "a", "delivery": "instruction", "hours": 1}
    return [
        _long("eligibility-program-type", ("eligibility", "{in}"), f"{huge} is not a known program type", **json_file("e", {"program_type": big})),
        _long("eligibility-criterion-key", ("eligibility", "{in}"), f"{huge} is not a criterion", **json_file("e", {"program_type": "workshop", "criteria": {big: True}})),
        _long("eligibility-answer-list", ("eligibility", "{in}"), "answer true, false or null (got [", **json_file("e", {"criteria": {"organized-setting": ["z" * 1000] * 10_000}})),
        _long("plan-json-delivery", ("plan", "{in}"), "delivery 'xxxx", **json_file("p", {"rows": [{**plan_row, "delivery": big}]})),
        _long("plan-csv-delivery", ("plan", "{in}"), cut, file=(PLAN_CSV + f"a,{flag},1,hours,week,3\n").encode(), file_name="plan.csv"),
        _long("recert-json-kind", ("recert", "{in}", "--as-of", "2026-01-01"), huge, **json_file("r", {**tracker, "records": [{**record, "kind": big}]})),
        _long("recert-json-course-number", ("recert", "{in}", "--as-of", "2026-01-01"), f"{huge} is not an ACE course number", **json_file("r", {**tracker, "records": [{**record, "course_number": big}]})),
        _long("recert-json-completed-on", ("recert", "{in}", "--as-of", "2026-01-01"), f"{huge} is not a date", **json_file("r", {**tracker, "records": [{**record, "completed_on": big}]})),
        _long("recert-json-period-start", ("recert", "{in}", "--as-of", "2026-01-01"), f"{huge} is not a date", **json_file("r", {"certifications": [{"name": "A", "period_start": big}], "records": []})),
        _long("recert-json-twice-named", ("recert", "{in}", "--as-of", "2026-01-01"), f"({HUGE // 2:,} characters) is given twice", **json_file("r", {"certifications": [{"name": big[: HUGE // 2], "period_start": "2025-01-01"}] * 2, "records": []})),
        _long("recert-json-grade", ("recert", "{in}", "--as-of", "2026-01-01"), f"{huge} is not a letter grade", **json_file("r", {**tracker, "records": [{**record, "kind": "semester-hours", "course_number": "", "grade": big}]})),
        _long("recert-csv-kind", ("recert", "{in}", "--certification", "A=2025-01-01", "--as-of", "2026-01-01"), cut, file=(RECORDS_CSV + f"{flag},CEP12345,2025-02-01,1,\n").encode(), file_name="records.csv"),
        _long("agenda-line", ("iacet", "--agenda", "{in}"), f"cannot read {'x' * 40!r}... ({HUGE:,} characters)", file=(big + "\n").encode()),
        _long("activities-kind", ("iacet", "--activities", "{in}"), cut, file=(f"kind,minutes,title\n{flag},60,t\n").encode(), file_name="activities.csv"),
        _long("systems-minutes-per-unit", ("convert", "--minutes", "60", "--systems", "{in}"), "(100,000 characters) is outside 1 to 6000", file=(SYSTEMS + f"x,B,,u,{'9' * LONG_FLAG},,,https://e.org\n").encode(), file_name="systems.csv"),
        _long("systems-rounding", ("convert", "--minutes", "60", "--systems", "{in}"), "rounding 'yyyy", file=(SYSTEMS + f"x,B,,u,60,0.1,{flag},https://e.org\n").encode(), file_name="systems.csv"),
        _long("attendance-date", ("annual-report", "{in}", "--as-of", "2026-06-30"), "1 bad line(s): 2;", file=(ATTENDANCE + f"a,e1,{flag},1\n").encode(), file_name="attendance.csv"),
        _long("grade-flag", ("cec", "--semester-hours", "3", "--grade", flag), f"{cut} is not a letter grade"),
        _long("anniversary-flag", ("accreditation", "--accredited-on", "2022-01-01", "--as-of", "2026-01-01", "--anniversary", flag), f"{cut} is not in the form MM-DD"),
        _long("policy-flag", ("iacet", "--minutes", "60", "--policy", flag), f"{cut} is not a listed rule"),
        _long("days-flag", ("iacet", "--minutes", "60", "--policy", "iacet-ceu", "--days", flag), f"{cut} is not a whole number of days"),
        _long("course-number-argument", ("course-number", flag), f"{cut} is not a valid ACE course number", status=NO),
        _long("date-flag", ("deadlines", "--first-offering", flag), f"{cut} is not a date"),
        _long("as-of-flag", ("recert", "-", "--as-of", flag), f"{cut} is not a date", stdin=b"{}"),
        _long("minutes-flag", ("iacet", "--minutes", flag), "--minutes:"),
        _long("hours-flag", ("cec", "--hours", flag), "hours:"),
        _long("semester-credits-flag", ("convert", "--semester-credits", "1" + "0" * LONG_FLAG), "--semester-credits: a 100,001-digit number is more than the limit"),
        _long("step-flag", ("iacet", "--minutes", "60", "--minutes-per-unit", "60", "--step", flag), f"{cut} is not a number"),
        _long("choice-flag", ("plan", "x", "--component", flag), "invalid choice: 'yyyy"),
        _long("choice-flag-with-equals", ("plan", "x", f"--component={flag}"), "invalid choice: 'yyyy"),
        _long("rounding-choice-flag", ("iacet", "--minutes", "60", "--rounding", flag), cut),
        _long("unrecognized-argument", ("iacet", "--minutes", "60", flag), "unrecognized arguments: 'yyyy"),
        _long("unknown-command", (flag,), "argument COMMAND: invalid choice: 'yyyy"),
        _long("int-flag", ("directory", "stale", "--days", flag), "invalid int value: 'yyyy"),
        _long("float-flag", ("directory", "check-sources", "--timeout", flag), "invalid float value: 'yyyy"),
        _long("source-date-epoch", ("deadlines", "--first-offering", "2027-03-01", "--ics", "-"), f"SOURCE_DATE_EPOCH={'y' * 40!r}... {cut}", env=(("SOURCE_DATE_EPOCH", flag),)),
        _long("only-flag", ("directory", "check-sources", "data", "--only", flag), cut, data="all", phrase_in="stdout", env=(("OPENCEU_TODAY", "2030-01-01"),)),
    ]  # fmt: skip


def _usage() -> list[CliVector]:
    """Each command with an unknown flag, a missing requirement and a bad value: one line each."""
    required = "the following arguments are required"
    unknown = "unrecognized arguments: --bogus"
    table = [
        ("top-no-command", (), required + ": COMMAND"),
        ("top-unknown-command", ("frobnicate",), "argument COMMAND: invalid choice: 'frobnicate'"),
        ("top-unknown-flag", ("--bogus",), required + ": COMMAND"),
        ("iacet-unknown-flag", ("iacet", "--minutes", "60", "--bogus"), unknown),
        ("iacet-missing-source", ("iacet",), "one of the arguments --minutes --agenda --activities is required"),
        ("iacet-two-sources", ("iacet", "--minutes", "60", "--agenda", "a.txt"), "not allowed with argument"),
        ("iacet-bad-rounding", ("iacet", "--minutes", "60", "--rounding", "sideways"), "argument --rounding: invalid choice: 'sideways'"),
        ("iacet-flag-without-value", ("iacet", "--minutes"), "argument --minutes: expected one argument"),
        ("plan-unknown-flag", ("plan", "p.csv", "--bogus"), unknown),
        ("plan-missing-file", ("plan",), required + ": FILE"),
        ("plan-bad-component", ("plan", "p.csv", "--component", "nope"), "argument --component: invalid choice: 'nope'"),
        ("cec-unknown-flag", ("cec", "--bogus"), unknown),
        ("cec-flag-without-value", ("cec", "--hours"), "argument --hours: expected one argument"),
        ("cec-extra-argument", ("cec", "12"), "unrecognized arguments: 12"),
        ("course-number-unknown-flag", ("course-number", "CEP12345", "--bogus"), unknown),
        ("course-number-missing", ("course-number",), required + ": number"),
        ("recert-unknown-flag", ("recert", "r.json", "--as-of", "2026-01-01", "--bogus"), unknown),
        ("recert-missing-as-of", ("recert", "r.json"), required + ": --as-of"),
        ("recert-certification-without-value", ("recert", "r.json", "--as-of", "2026-01-01", "--certification"), "expected one argument"),
        ("policies-unknown-flag", ("policies", "--bogus"), unknown),
        ("policies-extra-argument", ("policies", "all"), "unrecognized arguments: all"),
        ("convert-unknown-flag", ("convert", "--minutes", "60", "--bogus"), unknown),
        ("convert-flag-without-value", ("convert", "--minutes"), "expected one argument"),
        ("eligibility-unknown-flag", ("eligibility", "e.json", "--bogus"), unknown),
        ("eligibility-missing-file", ("eligibility",), required + ": FILE"),
        ("deadlines-unknown-flag", ("deadlines", "--first-offering", "2027-03-01", "--bogus"), unknown),
        ("deadlines-missing-first-offering", ("deadlines",), required + ": --first-offering"),
        ("deadlines-holiday-without-value", ("deadlines", "--first-offering", "2027-03-01", "--holiday"), "expected one argument"),
        ("accreditation-unknown-flag", ("accreditation", "--accredited-on", "2022-01-01", "--as-of", "2026-01-01", "--bogus"), unknown),
        ("accreditation-missing-as-of", ("accreditation", "--accredited-on", "2022-01-01"), required + ": --as-of"),
        ("annual-report-unknown-flag", ("annual-report", "a.csv", "--as-of", "2026-01-01", "--bogus"), unknown),
        ("annual-report-missing-as-of", ("annual-report", "a.csv"), required + ": --as-of"),
        ("directory-no-task", ("directory",), required + ": TASK"),
        ("directory-unknown-task", ("directory", "publish"), "argument TASK: invalid choice: 'publish'"),
        ("validate-unknown-flag", ("directory", "validate", "--bogus"), unknown),
        ("validate-two-folders", ("directory", "validate", "a", "b"), "unrecognized arguments: b"),
        ("stale-bad-days", ("directory", "stale", "--days", "soon"), "argument --days: invalid int value: 'soon'"),
        ("stale-unknown-flag", ("directory", "stale", "--bogus"), unknown),
        ("check-sources-bad-timeout", ("directory", "check-sources", "--timeout", "forever"), "argument --timeout: invalid float value: 'forever'"),
        ("check-sources-bad-since", ("directory", "check-sources", "--since", "last-week"), "argument --since: invalid int value: 'last-week'"),
        ("synthesize-missing-out", ("directory", "synthesize"), required + ": --out"),
        ("synthesize-bad-count", ("directory", "synthesize", "--out", "x", "--providers", "many"), "argument --providers: invalid int value: 'many'"),
        ("schema-doc-unknown-flag", ("directory", "schema-doc", "--bogus"), unknown),
    ]  # fmt: skip
    return [CliVector(f"usage-{name}", argv, BAD, phrase) for name, argv, phrase in table]


VECTORS: tuple[CliVector, ...] = (*_targets(), *_streams(), *_numbers(), *_echoes(), *_usage())
