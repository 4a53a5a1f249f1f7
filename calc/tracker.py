"""Every credential in one tracker: one learning record counted toward each credential it applies to.

A learner enters an activity once (what, who gave it, when, its length or the credit on its
certificate, the kinds it is, its certificate files). Each tracked credential counts it under
its body's requirement (:mod:`calc.requirements`) and its counting rule (``credit_systems.csv``,
:func:`calc.policy.figure_under`), and says how: counted, capped, or not counted and why.

How one credential counts (its cycle runs from ``cycle_start`` for ``cycle_months``, the last
day being the day before the same date that many months later):

1. An activity claimed for other credentials only, or completed outside the cycle, does not count.
2. The same course again (by course number) does not count where the source says a course
   counts once (ever, or in a cycle).
3. Its figure: a fixed award for its kind (``cpr=0.2``); else the credit on its certificate
   when the certificate is in this credential's unit; else academic credit converted at the
   body's rate (university credit with a failing grade earns nothing where the body says so);
   else its length under the body's rule (minimum length, step, rounding).
4. At most ``per_activity_max``; then each cap on one of its kinds (``giving-back<=25``) takes
   only what is left under the cap.
5. Carry-over: where the source allows it, what the previous cycle earned beyond the requirement,
   up to ``carry_over_max``.

A record may keep a signed credential (an Open Badges 3.0 certificate) under ``credential``:
the tracker keeps it as the JSON object it was, unread, and counts the record by its fields like
any other (the page filled them in from the credential's facts after checking its proof).

Earned is the sum of what counts (and what is carried over); still to earn is the larger of
the requirement less earned and the largest shortfall of a category minimum (``ethics>=1``).
Arithmetic is exact (``Fraction``); figures are written as short decimals or fractions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from calc.cec import FAILING_GRADES, check_grade
from calc.dates import add_months, parse_date
from calc.errors import CreditInputError, quoted
from calc.json_input import load_json
from calc.numbers import approximately, exact_text, parse_quantity
from calc.policy import academic_under, figure_under
from calc.requirements import REPEATS, ExampleActivity, Requirement

FORMAT = "openceu-tracker"
VERSION = 2
#: The requirement today's ACE-only trackers are migrated to.
ACE_REQUIREMENT = "ace-certifications"
#: Bodies whose sources say university credit counts only with a passing grade, and the words.
GRADE_RULES = {"ace-cec": "ACE counts university credit with a grade of C or better"}
MAX_CREDENTIALS = 20
MAX_ACTIVITIES = 2000
MAX_FILES_PER_ACTIVITY = 10
MAX_TEXT = 200
#: The longest file name the common file systems allow.
MAX_FILE_NAME = 255
MAX_KINDS = 20
#: The longest signed credential a record keeps, as compact JSON: a certificate is about 3,000.
MAX_CREDENTIAL_CHARS = 20_000
ACTIVITY_FIELDS = (
    "title",
    "provider",
    "started_on",
    "completed_on",
    "minutes",
    "credit",
    "credit_unit",
    "semester_credits",
    "quarter_credits",
    "grade",
    "course_number",
)


@dataclass(frozen=True)
class FileRef:
    """A certificate file kept with a record: the bytes stay in the browser; this names them."""

    name: str
    type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Activity:
    number: int
    title: str
    completed_on: dt.date
    started_on: dt.date | None = None
    provider: str = ""
    minutes: Decimal | None = None
    credit: Decimal | None = None
    #: The credit system (``credit_systems.csv`` id) the certificate's credit is in.
    credit_unit: str = ""
    semester_credits: Decimal | None = None
    quarter_credits: Decimal | None = None
    grade: str | None = None
    kinds: tuple[str, ...] = ()
    course_number: str = ""
    #: The credentials (by name) it is claimed for; empty: every one it applies to.
    credentials: tuple[str, ...] = ()
    files: tuple[FileRef, ...] = ()
    #: The signed credential the record was made from, kept whole and unread (see the module's
    #: docstring); None for a record typed in.
    credential: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)


@dataclass(frozen=True)
class Credential:
    name: str
    requirement: Requirement
    cycle_start: dt.date

    @property
    def cycle_end(self) -> dt.date:
        """The cycle's last day (inclusive)."""
        return add_months(self.cycle_start, self.requirement.cycle_months) - dt.timedelta(days=1)

    def previous(self) -> Credential:
        return Credential(
            self.name, self.requirement, add_months(self.cycle_start, -self.requirement.cycle_months)
        )


COUNTED, CAPPED, NOT_COUNTED = "counted", "capped", "not counted"


@dataclass(frozen=True)
class Use:
    """How one activity counted toward one credential, and why."""

    activity: Activity
    outcome: str
    #: What the activity earns under the rule before caps; None when it earns nothing.
    figure: Fraction | None
    counted: Fraction
    reason: str
    keep_until: dt.date | None


@dataclass(frozen=True)
class Category:
    kind: str
    label: str
    minimum: Decimal | None
    cap: Decimal | None
    counted: Fraction

    @property
    def to_earn(self) -> Fraction:
        return (
            max(Fraction(self.minimum) - self.counted, Fraction(0))
            if self.minimum is not None
            else Fraction(0)
        )


@dataclass(frozen=True)
class Standing:
    """Where one credential stands on a day."""

    credential: Credential
    as_of: dt.date
    earned: Fraction
    carried: Fraction
    remaining: Fraction
    categories: tuple[Category, ...]
    uses: tuple[Use, ...]

    @property
    def requirement(self) -> Requirement:
        return self.credential.requirement

    @property
    def earned_text(self) -> str:
        """For reading: a short decimal, or the fraction and about-value (139/6 ≈ 23.1667)."""
        return approximately(self.earned)

    @property
    def remaining_text(self) -> str:
        return approximately(self.remaining)

    @property
    def met(self) -> bool:
        return self.remaining == 0

    @property
    def status(self) -> str:
        unit, end = self.requirement.unit, self.credential.cycle_end
        if self.met:
            return "requirement met"
        if self.as_of > end:
            return f"cycle ended {end}, {approximately(self.remaining)} {unit} short"
        if self.as_of < self.credential.cycle_start:
            return f"cycle starts {self.credential.cycle_start}"
        return f"{approximately(self.remaining)} {unit} to earn by {end}"

    def missing(self) -> tuple[str, ...]:
        """What is still missing, in words: in all, then each category minimum not met."""
        if self.met:
            return ()
        unit, end = self.requirement.unit, self.credential.cycle_end
        total = max(Fraction(self.requirement.amount) - self.earned, Fraction(0))
        said = [f"{approximately(total)} {unit} in all by {end}"] if total else []
        said += [
            f"at least {approximately(category.to_earn)} {unit} of {category.label} "
            f"({approximately(category.counted)} of {category.minimum} so far)"
            for category in self.categories
            if category.to_earn
        ]
        return tuple(said)


@dataclass(frozen=True)
class Tracker:
    credentials: tuple[Credential, ...]
    activities: tuple[Activity, ...]


# --------------------------------------------------------------------------- counting


def count(
    tracker: Tracker,
    as_of: dt.date,
    kinds: Mapping[str, str],
    units: Mapping[str, str],
) -> tuple[Standing, ...]:
    """Every credential's standing on ``as_of``; ``kinds`` labels the activity kinds and ``units``
    names the credit systems' units (by id) for the reasons."""
    return tuple(standing(c, tracker.activities, as_of, kinds, units) for c in tracker.credentials)


def standing(
    credential: Credential,
    activities: Sequence[Activity],
    as_of: dt.date,
    kinds: Mapping[str, str],
    units: Mapping[str, str] | None = None,
    *,
    carry: bool = True,
) -> Standing:
    """One credential's standing (see the module's docstring for the order of the rule)."""
    requirement, units = credential.requirement, units or {}
    unit = requirement.unit
    ordered = sorted(activities, key=lambda a: (a.completed_on, a.number))
    by_kind: dict[str, Fraction] = defaultdict(Fraction)
    earned = Fraction(0)
    first_course: dict[str, Activity] = {}
    uses = []
    minimums = {limit.kind: limit.amount for limit in requirement.minimums()}
    for activity in ordered:
        if activity.credentials and credential.name not in activity.credentials:
            claimed = ", ".join(activity.credentials)
            uses.append(Use(activity, NOT_COUNTED, None, Fraction(0), f"claimed for {claimed} only", None))
            continue
        course = activity.course_number.strip().upper()
        earlier = first_course.get(course) if course else None
        if course and requirement.repeats == "once-ever":  # taken before, whether it counted then or not
            first_course.setdefault(course, activity)
        inside = credential.cycle_start <= activity.completed_on <= credential.cycle_end
        keep = _keep_until(requirement, credential, activity) if inside else None

        def not_counted(
            why: str, figure: Fraction | None = None, a: Activity = activity, k: dt.date | None = keep
        ) -> None:
            uses.append(Use(a, NOT_COUNTED, figure, Fraction(0), why, k))

        if activity.completed_on < credential.cycle_start:
            not_counted(
                f"completed {activity.completed_on}, before this cycle began on {credential.cycle_start}"
            )
            continue
        if activity.completed_on > credential.cycle_end:
            not_counted(
                f"completed {activity.completed_on}, after this cycle ended on {credential.cycle_end}"
            )
            continue
        if earlier is not None and requirement.repeats:
            not_counted(
                f"course {course} was already taken ({earlier.completed_on}, {earlier.title}): "
                f"{REPEATS[requirement.repeats]}"
            )
            continue
        figure, how = activity_figure(requirement, activity, kinds, units)
        if not figure:
            not_counted(how, figure)
            continue
        if course and requirement.repeats == "once-per-cycle":
            first_course.setdefault(course, activity)
        counted = figure
        limited = []
        if requirement.per_activity_max is not None and counted > requirement.per_activity_max:
            counted = Fraction(requirement.per_activity_max)
            limited.append(f"at most {requirement.per_activity_max} {unit} count for one activity")
        for cap in requirement.caps():
            if cap.kind in activity.kinds:
                room = max(Fraction(cap.amount) - by_kind[cap.kind], Fraction(0))
                if counted > room:
                    counted = room
                    limited.append(
                        f"the cap of {cap.amount} {unit} of {kinds.get(cap.kind, cap.kind)} is reached"
                    )
        met_now = [
            f"the {kinds.get(kind, kind)} minimum of {minimum} is met"
            for kind, minimum in minimums.items()
            if kind in activity.kinds and by_kind[kind] < minimum <= by_kind[kind] + counted
        ]
        for kind in set(activity.kinds):
            by_kind[kind] += counted
        earned += counted
        if counted == figure:
            uses.append(Use(activity, COUNTED, figure, counted, "; ".join([how, *met_now]), keep))
        elif counted:
            words = f"{approximately(counted)} of the {approximately(figure)} {unit} count: " + "; ".join(
                limited
            )
            uses.append(
                Use(activity, CAPPED, figure, counted, "; ".join([words, *met_now]) + f" ({how})", keep)
            )
        else:
            uses.append(
                Use(activity, NOT_COUNTED, figure, Fraction(0), "; ".join(limited) + f" ({how})", keep)
            )
    carried = Fraction(0)
    if carry and requirement.carry_over_max:
        before = standing(credential.previous(), activities, as_of, kinds, units, carry=False)
        carried = min(
            max(before.earned - Fraction(requirement.amount), Fraction(0)),
            Fraction(requirement.carry_over_max),
        )
    earned += carried
    listed = dict.fromkeys(
        [*(limit.kind for limit in requirement.minimums()), *(limit.kind for limit in requirement.caps())]
    )
    caps = {limit.kind: limit.amount for limit in requirement.caps()}
    categories = tuple(
        Category(kind, kinds.get(kind, kind), minimums.get(kind), caps.get(kind), by_kind[kind])
        for kind in listed
    )
    shortfalls = [category.to_earn for category in categories]
    remaining = max([Fraction(requirement.amount) - earned, Fraction(0), *shortfalls])
    return Standing(credential, as_of, earned, carried, remaining, categories, tuple(uses))


def activity_figure(
    requirement: Requirement, activity: Activity, kinds: Mapping[str, str], units: Mapping[str, str]
) -> tuple[Fraction | None, str]:
    """What the activity earns under the requirement's rule before any cap, and how, in words."""
    system, unit = requirement.system, requirement.unit
    for award in requirement.awards():
        if award.kind in activity.kinds:
            label = kinds.get(award.kind, award.kind)
            return Fraction(award.amount), f"{label} earns {award.amount} {unit} ({requirement.body})"
    if activity.credit is not None and activity.credit_unit == system.id:
        return Fraction(activity.credit), f"the certificate's {exact_text(Fraction(activity.credit))} {unit}"
    if activity.semester_credits or activity.quarter_credits:
        grade_rule = GRADE_RULES.get(system.id)
        if grade_rule and activity.grade in FAILING_GRADES:
            return None, f"{grade_rule}; the grade was {activity.grade}"
        academic = academic_under(
            system, activity.semester_credits or Decimal(0), activity.quarter_credits or Decimal(0)
        )
        if academic.units is None:
            return None, academic.explanation
        return academic.units, f"university credit: {academic.explanation}"
    if activity.minutes is not None:
        figure = figure_under(system, activity.minutes)
        value = figure.reported if figure.reported is not None else figure.exact
        if not figure.earns or not value:
            return None, figure.explanation
        return value, figure.explanation
    if activity.credit is not None:
        other = units.get(activity.credit_unit, activity.credit_unit or "another unit")
        return None, (
            f"the certificate gives {exact_text(Fraction(activity.credit))} {other}; {requirement.body} counts "
            f"in {unit}: add the activity's length to count it"
        )
    return None, "no length, certificate credit or university credit given"


def _keep_until(requirement: Requirement, credential: Credential, activity: Activity) -> dt.date | None:
    if requirement.keep_months is None or requirement.keep_from is None:
        return None  # not stated, or stated without what it counts from: no date is made up
    start = activity.completed_on if requirement.keep_from == "completion" else credential.cycle_end
    return add_months(start, requirement.keep_months)


def example_standing(requirement: Requirement, example: Iterable[ExampleActivity]) -> Standing:
    """The requirement's worked example counted: activities with certificates in its unit, in one cycle."""
    start = dt.date(2000, 1, 1)
    activities = tuple(
        Activity(
            n,
            f"example activity {n}",
            start,
            credit=a.units,
            credit_unit=requirement.system.id,
            kinds=a.kinds,
        )
        for n, a in enumerate(example, start=1)
    )
    kinds = {kind: kind for activity in activities for kind in activity.kinds}
    return standing(Credential(requirement.id, requirement, start), activities, start, kinds, carry=False)


def amount_words(requirement: Requirement, kinds: Mapping[str, str]) -> str:
    """What a cycle asks, in words: the amount, then each kind's minimum, cap or fixed award (a kind
    that earns a fixed amount and is capped at it reads "CPR earns 0.2 CEC, once a cycle")."""
    unit = requirement.unit
    parts = [f"{requirement.amount} {unit} every {_months(requirement.cycle_months)}"]
    caps = {limit.kind: limit.amount for limit in requirement.caps()}
    awards = {limit.kind: limit.amount for limit in requirement.awards()}
    for limit in requirement.limits:
        label = kinds.get(limit.kind, limit.kind)
        if limit.operator == ">=":
            parts.append(f"at least {limit.amount} {unit} of {label}")
        elif limit.operator == "=":
            cap = caps.get(limit.kind)
            once = (
                ", once a cycle"
                if cap == limit.amount
                else f" each, at most {cap} a cycle"
                if cap
                else " each"
            )
            parts.append(f"{label} earns {limit.amount} {unit}{once}")
        elif limit.kind not in awards:
            parts.append(f"at most {limit.amount} {unit} of {label}")
    return "; ".join(parts)


def rule_words(requirement: Requirement, kinds: Mapping[str, str]) -> str:
    """The requirement in a sentence, with its source: what a counted record was counted under."""
    parts = [amount_words(requirement, kinds)]
    if requirement.repeats:
        parts.append(REPEATS[requirement.repeats])
    if requirement.per_activity_max is not None:
        parts.append(f"at most {requirement.per_activity_max} per activity")
    if requirement.carry_over_max is not None:
        parts.append(
            f"carry-over up to {requirement.carry_over_max}"
            if requirement.carry_over_max
            else "no carry-over"
        )
    return f"{requirement.name}: " + "; ".join(parts) + f". Source: {requirement.source_url}"


def _months(months: int) -> str:
    return (
        f"{months // 12} years"
        if months % 12 == 0 and months > 12
        else ("year" if months == 12 else f"{months} months")
    )


# --------------------------------------------------------------------------- the tracker file


def parse_tracker(text: str, requirements: Mapping[str, Requirement]) -> Tracker:
    """A tracker file (this version, or today's ACE-only file, migrated) as credentials and activities."""
    data = load_json(text, "tracker")
    return tracker_from(migrated(data), requirements)


def migrated(data: Any) -> dict[str, Any]:
    """The tracker data in this version: an ACE-only file (``certifications`` and ``records``) is
    converted, each certification to an ACE credential and each record to an activity, nothing lost."""
    if not isinstance(data, Mapping):
        raise CreditInputError("tracker", 'expected an object with "credentials" and "activities"')
    if data.get("format") == FORMAT:
        if data.get("version") != VERSION:
            raise CreditInputError(
                "tracker", f"version {quoted(data.get('version'))} of the tracker file is not known here"
            )
        return dict(data)
    if set(data) <= {"certifications", "records"} and data:
        return migrate_ace(data)
    raise CreditInputError("tracker", f'not a tracker file: expected "format": "{FORMAT}"')


def migrate_ace(data: Mapping[str, Any]) -> dict[str, Any]:
    """Today's ACE tracker (``ceu recert``'s JSON) as a tracker of this version."""
    certifications = data.get("certifications", [])
    records = data.get("records", [])
    if not isinstance(certifications, list) or not isinstance(records, list):
        raise CreditInputError("tracker", '"certifications" and "records" must be lists')
    credentials = []
    for cert in certifications:
        if not isinstance(cert, Mapping):
            raise CreditInputError("tracker", "each certification must be an object")
        credentials.append(
            {
                "name": str(cert.get("name", "")),
                "requirement": ACE_REQUIREMENT,
                "cycle_start": str(cert.get("period_start", "")),
            }
        )
    activities = []
    for row in records:
        if not isinstance(row, Mapping):
            raise CreditInputError("tracker", "each record must be an object")
        kind = str(row.get("kind") or "course").strip().lower()
        amount = row.get("cecs", row.get("hours"))
        amount = "" if amount is None else str(amount)
        activity: dict[str, Any] = {"completed_on": str(row.get("completed_on", ""))}
        number = str(row.get("course_number") or "").strip()
        if number:
            activity["course_number"] = number
        if kind == "course":
            activity.update(title=number or "ACE-approved course", credit=amount, credit_unit="ace-cec")
        elif kind in ("semester-hours", "quarter-hours"):
            name = "semester" if kind == "semester-hours" else "quarter"
            activity.update(title=f"University {name} hours", **{f"{name}_credits": amount})
            if row.get("grade"):
                activity["grade"] = str(row["grade"])
        elif kind in ("cpr", "aed", "first-aid"):
            activity.update(title={"cpr": "CPR", "aed": "AED", "first-aid": "First Aid"}[kind], kinds=[kind])
        else:
            raise CreditInputError("tracker", f"{quoted(kind)} is not a kind of ACE record")
        activities.append(activity)
    return {"format": FORMAT, "version": VERSION, "credentials": credentials, "activities": activities}


def tracker_from(data: Mapping[str, Any], requirements: Mapping[str, Requirement]) -> Tracker:
    credentials_data = data.get("credentials", [])
    activities_data = data.get("activities", [])
    if not isinstance(credentials_data, list) or not isinstance(activities_data, list):
        raise CreditInputError("tracker", '"credentials" and "activities" must be lists')
    if len(credentials_data) > MAX_CREDENTIALS:
        raise CreditInputError(
            "credentials", f"{len(credentials_data)} credentials; at most {MAX_CREDENTIALS}"
        )
    if len(activities_data) > MAX_ACTIVITIES:
        raise CreditInputError("activities", f"{len(activities_data)} activities; at most {MAX_ACTIVITIES}")
    credentials = tuple(credential_from(c, n, requirements) for n, c in enumerate(credentials_data, start=1))
    names = [c.name for c in credentials]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise CreditInputError("credentials", f"{quoted(twice[0])} is given twice; name each credential once")
    activities = tuple(activity_from(a, n) for n, a in enumerate(activities_data, start=1))
    return Tracker(credentials, activities)


def credential_from(spec: Any, number: int, requirements: Mapping[str, Requirement]) -> Credential:
    where = f"credential {number}: "
    if not isinstance(spec, Mapping):
        raise CreditInputError("credentials", f"{where}expected an object")
    name = _text(spec.get("name"), f"{where}name").strip()
    if not name:
        raise CreditInputError("credentials", f"{where}a name is needed")
    requirement = requirements.get(str(spec.get("requirement", "")))
    if requirement is None:
        raise CreditInputError(
            "credentials", f"{where}{quoted(spec.get('requirement'))} is not a known requirement"
        )
    try:
        start = parse_date(str(spec.get("cycle_start", "")), "cycle_start", us_form=True)
    except CreditInputError as error:
        raise CreditInputError("credentials", f"{where}cycle_start: {error.message}") from None
    return Credential(name, requirement, start)


def activity_from(spec: Any, number: int) -> Activity:
    """One activity, checked; errors name it by its number (``activity 3: minutes: ...``)."""
    where = f"activity {number}: "
    if not isinstance(spec, Mapping):
        raise CreditInputError("activities", f"{where}expected an object", line=number)
    try:
        values = {key: _text(spec.get(key), key).strip() for key in ACTIVITY_FIELDS}
        completed = parse_date(values["completed_on"], "completed_on", us_form=True)
        started = (
            parse_date(values["started_on"], "started_on", us_form=True) if values["started_on"] else None
        )
        if started and started > completed:
            raise CreditInputError("started_on", f"{started} is after the day it was completed ({completed})")
        amounts = {
            key: parse_quantity(values[key], key) if values[key] else None
            for key in ("minutes", "credit", "semester_credits", "quarter_credits")
        }
        if amounts["credit"] is not None and not values["credit_unit"]:
            raise CreditInputError("credit_unit", "say which unit the certificate's credit is in")
        grade = check_grade(values["grade"] or None)
        kinds = tuple(
            dict.fromkeys(_text(kind, "kinds").strip() for kind in _list(spec.get("kinds"), "kinds"))
        )
        if len(kinds) > MAX_KINDS:
            raise CreditInputError("kinds", f"at most {MAX_KINDS}")
        claimed = tuple(
            _text(name, "credentials").strip() for name in _list(spec.get("credentials"), "credentials")
        )
        listed = _list(spec.get("files"), "files")
        if len(listed) > MAX_FILES_PER_ACTIVITY:
            raise CreditInputError("files", f"at most {MAX_FILES_PER_ACTIVITY} files per activity")
        files = tuple(file_from(item) for item in listed)
        credential = kept_credential(spec.get("credential"))
    except CreditInputError as error:
        raise CreditInputError("activities", f"{where}{error.field}: {error.message}", line=number) from None
    return Activity(
        number=number,
        title=values["title"] or values["course_number"] or f"activity {number}",
        completed_on=completed,
        started_on=started,
        provider=values["provider"],
        credit_unit=values["credit_unit"],
        grade=grade,
        kinds=tuple(kind for kind in kinds if kind),
        course_number=values["course_number"],
        credentials=tuple(name for name in claimed if name),
        files=files,
        credential=credential,
        **amounts,
    )


def kept_credential(value: Any) -> Mapping[str, Any] | None:
    """A record's signed credential: a JSON object with one proof (an object, or a list of one),
    kept as it is (the engine never reads it; its proof was checked when the record was made)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise CreditInputError("credential", "expected a signed credential: an object with a proof")
    proof = value.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise CreditInputError("credential", "expected a signed credential: an object with a proof")
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))
    if size > MAX_CREDENTIAL_CHARS:
        raise CreditInputError("credential", f"{size:,} characters; at most {MAX_CREDENTIAL_CHARS:,}")
    return value


def file_from(spec: Any) -> FileRef:
    if not isinstance(spec, Mapping):
        raise CreditInputError("files", "each file must be an object with name, type, size and sha256")
    digest = _text(spec.get("sha256"), "sha256").strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise CreditInputError("files", "sha256 must be 64 hexadecimal digits")
    size = spec.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise CreditInputError("files", "size must be a whole number of bytes")
    name = _text(spec.get("name"), "name", MAX_FILE_NAME).strip() or "certificate"
    return FileRef(name, _text(spec.get("type"), "type").strip()[:100], size, digest)


def _text(value: Any, field: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise CreditInputError(field, "expected text or a number")
    text = str(value)
    if len(text) > limit:
        raise CreditInputError(field, f"at most {limit} characters")
    return text


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CreditInputError(field, "expected a list")
    return value


def tracker_text(data: Mapping[str, Any]) -> str:
    """The tracker as saved (what Export writes and ``ceu tracker`` reads)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- the figures as data


def standing_data(standing: Standing) -> dict[str, Any]:
    """One credential's standing as plain data: what ``ceu tracker --json`` prints and the page shows."""
    requirement, credential = standing.requirement, standing.credential
    return {
        "name": credential.name,
        "requirement": requirement.id,
        "body": requirement.body,
        "credential": requirement.credential,
        "unit": requirement.unit,
        "cycle_start": credential.cycle_start.isoformat(),
        "cycle_end": credential.cycle_end.isoformat(),
        "required": format(requirement.amount, "f"),
        "earned": exact_text(standing.earned),
        "earned_shown": approximately(standing.earned),
        "carried_over": exact_text(standing.carried),
        "remaining": exact_text(standing.remaining),
        "remaining_shown": approximately(standing.remaining),
        "status": standing.status,
        "missing": list(standing.missing()),
        "categories": [
            {
                "kind": category.kind,
                "label": category.label,
                "minimum": None if category.minimum is None else format(category.minimum, "f"),
                "cap": None if category.cap is None else format(category.cap, "f"),
                "counted": exact_text(category.counted),
                "to_earn": exact_text(category.to_earn),
            }
            for category in standing.categories
        ],
        "activities": [
            {
                "number": use.activity.number,
                "title": use.activity.title,
                "completed_on": use.activity.completed_on.isoformat(),
                "outcome": use.outcome,
                "figure": None if use.figure is None else exact_text(use.figure),
                "counted": exact_text(use.counted),
                "counted_shown": approximately(use.counted),
                "reason": use.reason,
                "keep_until": None if use.keep_until is None else use.keep_until.isoformat(),
            }
            for use in standing.uses
        ],
        "source_url": requirement.source_url,
    }
