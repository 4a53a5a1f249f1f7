"""The recertification tracker: every credential a learner holds, each activity entered once and
counted toward each credential under its body's published requirement, with the reason.

The tracker's state *is* the file ``ceu tracker`` reads (:mod:`calc.tracker`, format
``openceu-tracker`` version 2)::

    {"format": "openceu-tracker", "version": 2,
     "credentials": [{"name", "requirement", "cycle_start"}],
     "activities": [{"title", "completed_on", "minutes", "credit", "credit_unit", "kinds", "files", ...}]}

The page keeps it in the browser's storage, exports and imports it as it is. A signed
credential (an Open Badges 3.0 certificate) becomes a record whose fields are the credential's
facts (:func:`add_signed`, read only through :func:`certificates.model.read_facts`) and which
keeps the credential itself, unchanged, under ``credential``. Today's ACE-only
file (``certifications`` and ``records``) is read and migrated (:func:`calc.tracker.migrated`),
and so is a records CSV of ``ceu recert``. Every figure is the engine's
(:func:`calc.tracker.count`) over the state parsed as the CLI parses it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from calc.dates import parse_date
from calc.errors import ECHO_CHARS, CreditInputError
from calc.json_input import load_json as parse_json
from calc.numbers import approximately, show
from calc.recert import parse_records_csv
from calc.requirement_table import Tables
from calc.requirements import CYCLE_STARTS, KEEP_FROM, REPEATS, Requirement
from calc.tracker import (
    ACTIVITY_FIELDS,
    FORMAT,
    MAX_ACTIVITIES,
    MAX_CREDENTIALS,
    MAX_FILES_PER_ACTIVITY,
    MAX_TEXT,
    VERSION,
    Standing,
    amount_words,
    count,
    migrate_ace,
    migrated,
    tracker_from,
    tracker_text,
)
from calculator_pages.outcome import Evidence, Figure, Link, Outcome, Table, failed
from calculator_pages.verify_page import proof_reason
from certificates.model import CertificateFacts, MalformedCredential, read_facts

TITLE = "Recertification tracker"
NAME = "recert"
#: The largest tracker file the page imports (JSON or CSV). At its limits (20 credentials,
#: 2,000 activities with files named) a tracker is well under this.
MAX_FILE_BYTES = 2_000_000
NOT_STATED = "not stated"
NOT_A_TRACKER = f'not a tracker file (what Export saves: "format": "{FORMAT}")'
#: The activity form's text fields, as the tracker file names them: every field of an activity
#: but its length, which is typed in minutes or hours.
TEXT_FIELDS = tuple(name for name in ACTIVITY_FIELDS if name != "minutes")
#: The engine's field names -> the activity form's (the length is typed in minutes or hours).
FORM_FIELD = {"minutes": "length", **{name: name for name in TEXT_FIELDS}}

State = dict[str, Any]


def form_options(tables: Tables) -> dict[str, list[list[str]]]:
    """What the page's selects and checkboxes offer (text only): the requirements, the units a
    certificate's credit may be in (``unit (body)``) and the activity kinds."""
    return {
        "requirements": [[row.id, short_name(row)] for row in tables.requirements.values()],
        "units": [[system.id, f"{system.unit} ({system.body})"] for system in tables.systems],
        "kinds": [[kind, label] for kind, label in tables.kinds.items()],
    }


def short_name(requirement: Requirement) -> str:
    """The body and the credential, without the table's explanation in brackets: how lists name it."""
    return f"{requirement.body}: {requirement.credential.split(' (')[0]}"


def empty() -> State:
    return {"format": FORMAT, "version": VERSION, "credentials": [], "activities": []}


# ---- reading the state (stored text, or a file to import)


@dataclass(frozen=True)
class Loaded:
    state: State
    error: str = ""
    #: The text was today's ACE-only file (or a records CSV): the state is its migration.
    migrated: bool = False


def load_text(text: str, tables: Tables) -> Loaded:
    """A tracker file (this version or today's ACE-only one), checked as ``ceu tracker`` checks it."""
    try:
        data = parse_json(text, "tracker")
        state = _normal(migrated(data))
        tracker_from(state, tables.requirements)
    except CreditInputError as error:
        return Loaded(empty(), error.message)
    old = isinstance(data, Mapping) and data.get("format") != FORMAT
    return Loaded(state, migrated=old)


def _normal(data: Mapping[str, Any]) -> State:
    """The tracker with only its known keys, in the order Export writes them."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "credentials": list(data.get("credentials") or []),
        "activities": list(data.get("activities") or []),
    }


def load_csv(text: str, state: State, tables: Tables) -> Loaded:
    """A records CSV (``ceu recert``'s columns) replaces the activities; the credentials stay."""
    try:
        records = parse_records_csv(text)
        rows = [
            {
                "kind": r.kind,
                "course_number": r.course_number,
                "completed_on": r.completed_on.isoformat(),
                "cecs": str(r.amount),
                **({"grade": r.grade} if r.grade else {}),
            }
            for r in records
        ]
        activities = migrate_ace({"certifications": [], "records": rows})["activities"]
        incoming = {**state, "activities": activities}
        tracker_from(incoming, tables.requirements)
    except CreditInputError as error:
        return Loaded(state, error.message)
    return Loaded(incoming, migrated=True)


def read_import(name: str, text: str, size: int, state: State, tables: Tables) -> Loaded:
    """A file the visitor picked (``size`` bytes; ``text`` unread when over the limit): the state it
    gives, or why it is refused, with ``state`` unchanged. Only a tracker file (this version or
    today's ACE-only one) or a records CSV is read; anything else changes nothing."""
    if size > MAX_FILE_BYTES:
        return Loaded(
            state, f"the file is {_kilobytes(size)}; a tracker file is at most {_kilobytes(MAX_FILE_BYTES)}"
        )
    if not text.strip():
        return Loaded(state, "the file is empty")
    if "\x00" in text or "\ufffd" in text:  # a file that is not UTF-8 text is read with U+FFFD
        return Loaded(state, "not a tracker file: it is not text")
    if name.lower().endswith(".csv"):
        loaded = load_csv(text, state, tables)
        if loaded.error.startswith("line 1: expected a header"):
            return Loaded(state, f"not a records file: {loaded.error}")
        return loaded
    wrong = _not_a_tracker(text)
    if wrong:
        return Loaded(state, wrong)
    loaded = load_text(text, tables)
    return Loaded(state, loaded.error) if loaded.error else loaded


def _not_a_tracker(text: str) -> str:
    """Why the JSON text is not a tracker file (of either version), or "" when it has one's shape."""
    try:
        data = parse_json(text, "file")
    except CreditInputError as error:
        return f"not a tracker file: {error.message}"
    if not isinstance(data, dict):
        return NOT_A_TRACKER
    if data.get("format") == FORMAT:
        return ""
    others = sorted(key for key in data if key not in ("certifications", "records"))
    if others:
        named = ", ".join(json.dumps(key[:ECHO_CHARS]) for key in others[:3]) + (
            ", …" if len(others) > 3 else ""
        )
        return f"{NOT_A_TRACKER}; this one holds {named}"
    if not data:
        return f"{NOT_A_TRACKER}; this one is empty"
    return ""


def _kilobytes(size: int) -> str:
    return f"{-(-size // 1000):,} KB"


def import_limit() -> str:
    return _kilobytes(MAX_FILE_BYTES)


def replacing(name: str, incoming: State, state: State, activities_only: bool) -> str:
    """The question to ask before ``incoming`` replaces what is kept, or "" when nothing kept
    would be lost. A CSV (``activities_only``) keeps the credentials."""
    lists = ("activities",) if activities_only else ("credentials", "activities")
    kept = [_count(len(state[key]), key) for key in lists if state[key]]
    if not kept or all(incoming[key] == state[key] for key in lists):
        return ""
    new = " and ".join(_count(len(incoming[key]), key) for key in lists)
    question = f"Replace the {' and '.join(kept)} kept in this browser with what {name} holds: {new}?"
    return question + (" Your credentials stay." if activities_only else "")


def _count(number: int, plural: str) -> str:
    if number == 0:
        return f"no {plural}"
    return f"{number} {plural if number > 1 else SINGULAR[plural]}"


SINGULAR = {"credentials": "credential", "activities": "activity"}


def file_hashes(state: State) -> list[str]:
    """The SHA-256 of every certificate file an activity names (the files the browser keeps)."""
    found = dict.fromkeys(
        str(ref.get("sha256", "")) for a in state["activities"] for ref in a.get("files") or []
    )
    return [digest for digest in found if digest]


# ---- changing the state (each returns the new state, or the form field at fault and why)


@dataclass(frozen=True)
class Changed:
    state: State
    field: str = ""
    error: str = ""


def add_credential(state: State, values: Mapping[str, str], tables: Tables) -> Changed:
    """A credential from the form: ``requirement`` (an id of the table), ``credential_name``
    (empty: the credential's own name) and ``cycle_start``."""
    requirement = tables.requirements.get(values.get("requirement", ""))
    if requirement is None:
        return Changed(state, "requirement", "choose the credential from the list")
    name = values.get("credential_name", "").strip() or requirement.credential.split(" (")[0]
    if len(name) > 100:
        return Changed(state, "credential_name", "at most 100 characters")
    if any(c["name"] == name for c in state["credentials"]):
        return Changed(state, "credential_name", f"{name!r} is already tracked: give this one another name")
    if len(state["credentials"]) >= MAX_CREDENTIALS:
        return Changed(state, "requirement", f"at most {MAX_CREDENTIALS} credentials")
    start_text = values.get("cycle_start", "").strip()
    if not start_text:
        return Changed(state, "cycle_start", "enter the first day of the current cycle")
    try:
        start = parse_date(start_text, "cycle_start", us_form=True)
    except CreditInputError as error:
        return Changed(state, "cycle_start", error.message)
    added = {"name": name, "requirement": requirement.id, "cycle_start": start.isoformat()}
    return Changed({**state, "credentials": [*state["credentials"], added]})


def add_activity(
    state: State,
    values: Mapping[str, str],
    kinds: Sequence[str],
    credentials: Sequence[str],
    files: Sequence[Mapping[str, Any]],
    tables: Tables,
) -> Changed:
    """An activity from the form. ``values`` holds the text fields and the length (``length``,
    in ``length_unit`` minutes or hours); ``kinds`` the kinds ticked; ``credentials`` the
    credentials ticked (all of them: kept as none named, so it counts for a credential added
    later too); ``files`` the certificate files kept in the browser (name, type, size, sha256)."""
    if len(state["activities"]) >= MAX_ACTIVITIES:
        return Changed(state, "title", f"at most {MAX_ACTIVITIES} activities")
    spec: dict[str, Any] = {
        key: values.get(key, "").strip() for key in TEXT_FIELDS if values.get(key, "").strip()
    }
    if not spec.get("completed_on"):
        return Changed(state, "completed_on", "enter the day the activity was completed")
    if spec.get("credit") and not spec.get("credit_unit"):
        return Changed(state, "credit_unit", "choose the unit the certificate gives")
    if not spec.get("credit"):
        spec.pop("credit_unit", None)
    length = values.get("length", "").strip()
    if length:
        try:
            amount = Decimal(length)
        except InvalidOperation:
            return Changed(state, "length", f"{length[:ECHO_CHARS]!r} is not a number")
        if not amount.is_finite() or amount <= 0:
            return Changed(state, "length", "the length is more than 0")
        minutes = amount * 60 if values.get("length_unit") == "hours" else amount
        spec["minutes"] = format(minutes.normalize(), "f")
    if not any(
        spec.get(key) for key in ("minutes", "credit", "semester_credits", "quarter_credits")
    ) and not (set(kinds) & {a.kind for r in tables.requirements.values() for a in r.awards()}):
        return Changed(
            state, "length", "enter the length, the credit on the certificate or university credit"
        )
    unknown = [kind for kind in kinds if kind not in tables.kinds]
    if unknown:
        return Changed(state, "kinds", f"{unknown[0][:ECHO_CHARS]!r} is not a kind of activity")
    names = [c["name"] for c in state["credentials"]]
    claimed = [name for name in credentials if name in names]
    if names and not claimed:
        return Changed(state, "credentials_for", "tick at least one credential this activity is for")
    if kinds:
        spec["kinds"] = list(dict.fromkeys(kinds))
    if claimed and set(claimed) != set(names):
        spec["credentials"] = claimed
    if len(files) > MAX_FILES_PER_ACTIVITY:
        return Changed(state, "files", f"at most {MAX_FILES_PER_ACTIVITY} files for one activity")
    if files:
        spec["files"] = [
            {
                "name": str(f.get("name", ""))[:200],
                "type": str(f.get("type", ""))[:100],
                "size": int(f.get("size", 0)),
                "sha256": str(f.get("sha256", "")),
            }
            for f in files
        ]
    incoming = {**state, "activities": [*state["activities"], spec]}
    try:
        tracker_from(incoming, tables.requirements)
    except CreditInputError as error:
        # "activity 3: minutes: ..." -> the form's field and the message
        _, _, rest = error.message.partition(": ")
        field, _, message = rest.partition(": ")
        return Changed(state, FORM_FIELD.get(field, "title"), message or error.message)
    return Changed(incoming)


#: The form field a signed credential is added with (its messages are shown beside it).
SIGNED_FIELD = "signed"
#: How the list marks a record that keeps a signed credential whose proof held when it was added.
SIGNED_MARK = "verified credential"


def add_signed(state: State, text: str, problem: str | None, tables: Tables) -> Changed:
    """A record made from a signed credential (its JSON ``text``) whose proof the page checked:
    ``problem`` is why the proof failed (None: it held). The record's title, dates, contact hours
    and credit are the credential's facts; the credential is kept under ``credential`` as the
    JSON object it is. A credential whose proof failed, that cannot be read, or that a record
    already keeps is refused with the reason, and nothing changes."""
    problem = proof_reason(problem)
    if problem:
        return Changed(state, SIGNED_FIELD, f"Not added: {problem}. Nothing was changed.")
    try:
        credential = parse_json(text, "credential")
        facts = read_facts(credential)
    except (CreditInputError, MalformedCredential) as error:
        why = error.message if isinstance(error, CreditInputError) else str(error)
        return Changed(state, SIGNED_FIELD, f"Not added: not a credential the tracker can read: {why}.")
    for number, activity in enumerate(state["activities"], start=1):
        kept = activity.get("credential")
        if isinstance(kept, Mapping) and kept.get("id") == facts.credential_id:
            return Changed(
                state,
                SIGNED_FIELD,
                f"This credential is already kept, as activity {number}. Nothing was changed.",
            )
    if len(state["activities"]) >= MAX_ACTIVITIES:
        return Changed(
            state, SIGNED_FIELD, f"Not added: the tracker holds at most {MAX_ACTIVITIES} activities."
        )
    record = signed_record(facts, credential, tables.units)
    incoming = {**state, "activities": [*state["activities"], record]}
    try:
        tracker_from(incoming, tables.requirements)
    except CreditInputError as error:
        return Changed(state, SIGNED_FIELD, f"Not added: {error.message}. Nothing was changed.")
    return Changed(incoming)


def signed_credentials(state: State) -> list[list[Any]]:
    """Each signed certificate the records keep: [activity number, its JSON]. The page checks
    their proofs before a file holding them replaces what is kept (a record is marked a verified
    credential only while its proof holds)."""
    return [
        [number, json.dumps(activity["credential"], ensure_ascii=False)]
        for number, activity in enumerate(state["activities"], start=1)
        if isinstance(activity.get("credential"), Mapping)
    ]


def signed_record(
    facts: CertificateFacts, credential: Mapping[str, Any], units: Mapping[str, str]
) -> dict[str, Any]:
    """The tracker's record of a signed credential: its facts as the activity's fields (a text
    longer than a record's field is cut, the credential keeps it whole) and the credential. Its
    credit is the record's only in a unit of ``units`` (the credit systems by id); in any other,
    the record counts by its contact hours and the credential keeps the credit."""
    record: dict[str, Any] = {"title": _cut(facts.course), "provider": _cut(facts.issuer_name)}
    if facts.start != facts.end:
        record["started_on"] = facts.start.isoformat()
    record["completed_on"] = facts.end.isoformat()
    record["minutes"] = show(facts.contact_hours * 60)
    if facts.credits and facts.credit_system in units:
        record["credit"] = show(facts.credits)
        record["credit_unit"] = facts.credit_system
    record["credential"] = credential
    return record


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "\u2026"


def removed(state: State, key: str, index: int) -> State:
    items = list(state[key])
    if 0 <= index < len(items):
        del items[index]
    return {**state, key: items}


# ---- the lists the page shows (text only)


def credential_text(credential: Mapping[str, Any], tables: Tables) -> str:
    requirement = tables.requirements.get(str(credential.get("requirement", "")))
    what = short_name(requirement) if requirement else str(credential.get("requirement", ""))
    return f"{credential.get('name', '')} ({what}): current cycle from {credential.get('cycle_start', '')}"


def activity_text(activity: Mapping[str, Any], units: Mapping[str, str]) -> str:
    parts = [
        str(activity.get("completed_on", "")),
        str(activity.get("title") or activity.get("course_number") or "activity"),
    ]
    if activity.get("provider"):
        parts.append(str(activity["provider"]))
    if activity.get("credit"):
        parts.append(f"{activity['credit']} {units.get(str(activity.get('credit_unit', '')), '')}".strip())
    if activity.get("minutes"):
        parts.append(f"{activity['minutes']} minutes")
    for key, what in (("semester_credits", "semester credits"), ("quarter_credits", "quarter credits")):
        if activity.get(key):
            parts.append(f"{activity[key]} {what}")
    if activity.get("grade"):
        parts.append(f"grade {activity['grade']}")
    files = activity.get("files") or []
    if files:
        parts.append(f"{len(files)} file{'s' if len(files) > 1 else ''}")
    if activity.get("credential"):
        parts.append(SIGNED_MARK)
    return f"{parts[0]}: " + ", ".join(parts[1:])


# ---- the result


def standings(state: State, as_of_text: str, today: dt.date, tables: Tables) -> tuple[Standing, ...]:
    """Every credential's standing on ``as_of`` (empty: today); CreditInputError when it cannot be."""
    as_of = parse_date(as_of_text.strip(), "as_of") if as_of_text.strip() else today
    return count(tracker_from(state, tables.requirements), as_of, tables.kinds, tables.units)


def compute(state: State, as_of_text: str, today: dt.date, tables: Tables) -> Outcome:
    """Where each credential stands on ``as_of`` (empty: today), and how every activity counted."""
    as_of_shown = as_of_text.strip() or f"today ({today})"
    inputs = tuple(
        (
            f"Credential: {c.get('name', '')}",
            f"{c.get('requirement', '')}, cycle from {c.get('cycle_start', '')}",
        )
        for c in state["credentials"]
    )
    inputs += (("Activities", str(len(state["activities"]))), ("As of", as_of_shown))
    if not state["credentials"]:
        return failed(TITLE, inputs, "requirement", "add a credential and the first day of its current cycle")
    try:
        found = standings(state, as_of_text, today, tables)
    except CreditInputError as error:
        return failed(TITLE, inputs, "as_of" if error.field == "as_of" else "import", error.message)
    return outcome_of(found, tables.kinds, inputs)


def outcome_of(
    standings: Sequence[Standing], kinds: Mapping[str, str], inputs: Sequence[tuple[str, str]] = ()
) -> Outcome:
    """The standings as a page shows them: earned and still to earn first, then each credential's
    state in words with its requirement and source, then every activity's use per credential."""
    figures: list[Figure] = []
    evidence: list[Evidence] = []
    tables: list[Table] = []
    for number, s in enumerate(standings, start=1):
        name, unit = s.credential.name, s.requirement.unit
        figures.append(
            Figure(f"earned-{number}", f"{name}: earned", s.earned_text, f"of {s.requirement.amount} {unit}")
        )
        figures.append(Figure(f"remaining-{number}", f"{name}: still to earn", s.remaining_text, unit))
        evidence.append(credential_evidence(number, s, kinds))
        tables.append(
            Table(
                f"uses-{number}",
                f"{name}: every activity and how it counted",
                ("Completed", "Activity", "Counted", "How", "Why", "Keep until"),
                tuple(
                    (
                        str(use.activity.completed_on),
                        use.activity.title,
                        f"{approximately(use.counted)} {unit}",
                        use.outcome,
                        use.reason,
                        str(use.keep_until) if use.keep_until else NOT_STATED,
                    )
                    for use in s.uses
                ),
                folded=True,  # one line per credential until opened: the forms stay near the answer
            )
        )
    summary = "; ".join(
        f"{s.credential.name}: {s.earned_text} of {s.requirement.amount} {s.requirement.unit}, {s.status}"
        for s in standings
    )
    return Outcome(
        title=TITLE,
        inputs=tuple(inputs),
        figures=tuple(figures),
        tables=tuple(tables),
        evidence=tuple(evidence),
        summary=summary + ".",
    )


def credential_evidence(number: int, s: Standing, kinds: Mapping[str, str]) -> Evidence:
    """One credential's card: where it stands, what is missing, the requirement and its source."""
    r, c = s.requirement, s.credential
    unit = r.unit
    sentences = [
        f"{r.name}. Cycle {c.cycle_start} to {c.cycle_end}.",
        f"Earned {s.earned_text} of {r.amount} {unit}"
        + (f" ({approximately(s.carried)} carried over)" if s.carried else "")
        + f"; still to earn {s.remaining_text} {unit}. Status: {s.status}.",
        "Still missing: " + "; ".join(s.missing()) + "."
        if s.missing()
        else "Nothing is missing for this cycle.",
    ]
    for category in s.categories:
        if category.minimum is None and not category.counted:
            continue  # a cap nothing has reached toward: the requirement below says it
        bounds = [
            f"at least {category.minimum}" if category.minimum is not None else "",
            f"at most {category.cap}" if category.cap is not None else "",
        ]
        still = f"; still to earn {approximately(category.to_earn)}" if category.minimum is not None else ""
        sentences.append(
            f"{category.label}: {approximately(category.counted)} {unit} counted "
            f"({', '.join(b for b in bounds if b)}){still}."
        )
    facts = "; ".join(f"{label.lower()}: {value}" for label, value in requirement_facts(r))
    sentences.append(f"The requirement: {amount_words(r, kinds)}. {facts[0].upper()}{facts[1:]}.")
    return Evidence(
        key=f"credential-{number}",
        heading=f"{c.name}: {s.status}",
        sentences=tuple(sentences),
        source=Link(f"{r.body}'s published requirement", r.source_url),
        source_note=f"Read on {r.verified_on}." if r.verified_on else "",
    )


def requirement_facts(r: Requirement) -> tuple[tuple[str, str], ...]:
    """The requirement's facts as the page lists them; what the source does not state says so."""
    return (
        ("How a cycle starts", CYCLE_STARTS.get(r.cycle_start or "", NOT_STATED)),
        ("The same course again", REPEATS.get(r.repeats or "", NOT_STATED)),
        (
            "The most one activity can count",
            f"{r.per_activity_max} {r.unit}" if r.per_activity_max is not None else NOT_STATED,
        ),
        (
            "Carry-over to the next cycle",
            NOT_STATED
            if r.carry_over_max is None
            else ("none" if not r.carry_over_max else f"up to {r.carry_over_max} {r.unit}"),
        ),
        (
            "Keep records",
            f"{r.keep_months} months {KEEP_FROM.get(r.keep_from or '', '')}".strip()
            if r.keep_months is not None
            else NOT_STATED,
        ),
    )


def state_text(state: State) -> str:
    """The tracker as Export saves it and ``ceu tracker`` reads it."""
    return tracker_text(state)
