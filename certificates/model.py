"""The certificate as data: an Open Badges 3.0 credential (VC Data Model 2.0), built and read back.

:func:`build_credential` writes the unsigned credential in exactly the shape of the issue's
contract (CERT-CONTRACT.md); :func:`read_facts` is the one reading of a credential's facts
that the tracker, the page and the CLI use, and it refuses a malformed credential with one
sentence naming the field. CEUs are the engine's: the contact hours under a row of
``credit_systems.csv`` (:func:`calc.policy.figure_under`), exact, written as a JSON number
from the Decimal's own text (:func:`dumps`). Standard library only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from calc.errors import CreditInputError, quoted
from calc.numbers import exact_text, show
from calc.policy import CreditSystem, figure_under
from certificates.did_key import did_problem

CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
TYPES = ("VerifiableCredential", "OpenBadgeCredential")
#: The alignment's targetType for the credit rule (Open Badges allows extensions as ``ext:``).
RULE_TARGET_TYPE = "ext:CreditRule"
#: The most contact hours one certificate carries: a year of full days is under 9,000.
MAX_CONTACT_HOURS = Decimal(10_000)
MAX_HOURS_PLACES = 4
#: The longest text a field may hold (a course title, a learner's or provider's name).
MAX_TEXT_CHARS = 500
#: The largest credential file read, in characters.
MAX_CREDENTIAL_CHARS = 200_000
#: The namespace of achievement ids: the same issuer, course and dates give the same id.
ACHIEVEMENT_NAMESPACE = uuid.UUID("8f1a5a57-3c0e-5b8e-9a59-0c3e0d3c5e33")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_HOURS = re.compile(r"([0-9]+(?:\.[0-9]+)?) contact hours?")


class MalformedCredential(ValueError):
    """A credential that cannot be read: ``str()`` is one sentence naming the field, no final period."""


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate says, as :func:`build_credential` was given it."""

    credential_id: str
    course: str
    learner: str
    issuer_did: str
    issuer_name: str
    credits: Decimal
    unit: str
    credit_system: str
    rule_url: str
    contact_hours: Decimal
    start: dt.date
    end: dt.date
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None


def credits_under(system: CreditSystem, contact_hours: Decimal) -> Decimal:
    """The credit a certificate carries for ``contact_hours`` under ``system``, exact.

    CreditInputError when the rule gives no figure a certificate can state: the source does not
    say how to report it, the time earns nothing, or the step is one no decimal writes (1/3).
    """
    hours = _hours(contact_hours)
    figure = figure_under(system, hours * 60)
    if figure.reported is None:
        raise CreditInputError("rule", f"{figure.explanation}; a certificate needs a reported figure")
    if not figure.earns:
        raise CreditInputError("contact_hours", f"{figure.explanation}; there is no credit to certify")
    text = exact_text(figure.reported)
    if "/" in text:
        raise CreditInputError(
            "rule", f"the rule gives {text} {system.unit}, which no decimal number writes exactly"
        )
    return Decimal(text)


def build_credential(
    *,
    issuer_did: str,
    issuer_name: str,
    learner: str,
    course: str,
    start: dt.date,
    end: dt.date,
    contact_hours: Decimal,
    system: CreditSystem,
    valid_from: dt.datetime,
    valid_until: dt.datetime | None = None,
    credential_id: str | None = None,
) -> dict[str, Any]:
    """One learner's unsigned OpenBadgeCredential; CreditInputError names the input it cannot use.

    ``credential_id`` defaults to a random ``urn:uuid:``; the achievement's id is derived from
    the issuer, the course and its dates, so every learner's certificate of one course shares it.
    """
    if problem := did_problem(issuer_did):
        raise CreditInputError("issuer_did", problem)
    names = {"issuer_name": issuer_name, "learner": learner, "course": course}
    for field, value in names.items():
        _check_text(value, field)
    if end < start:
        raise CreditInputError("end", f"the course ends ({end}) before it starts ({start})")
    hours = _hours(contact_hours)
    credits = credits_under(system, hours)
    if valid_until is not None and valid_until <= valid_from:
        raise CreditInputError("valid_until", "the expiry is not after the issue time")
    hours_text = f"{show(hours)} contact hour{'' if hours == 1 else 's'}"
    credit_text = f"{show(credits)} {system.unit}"
    achievement_key = "\n".join((issuer_did, course, start.isoformat(), end.isoformat()))
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": list(TYPES),
        "name": course,
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": issuer_name},
        "validFrom": _timestamp(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = _timestamp(valid_until)
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityHash": learner, "identityType": "name", "hashed": False}
        ],
        "activityStartDate": _day(start),
        "activityEndDate": _day(end),
        "creditsEarned": credits,
        "achievement": {
            "id": f"urn:uuid:{uuid.uuid5(ACHIEVEMENT_NAMESPACE, achievement_key)}",
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": course,
            "description": f"{hours_text}; {credit_text} under the rule of {system.name}.",
            "criteria": {
                "narrative": f"Attended the course {course!s} for {hours_text}, as the provider's "
                f"attendance record shows; {credit_text} as the rule counts that time."
            },
            "creditsAvailable": credits,
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetType": RULE_TARGET_TYPE,
                    "targetName": system.unit,
                    "targetCode": system.id,
                    "targetUrl": system.source_url,
                    "targetDescription": hours_text,
                }
            ],
        },
    }
    return credential


def read_facts(credential: Any) -> CertificateFacts:
    """The facts of a credential (signed or not); MalformedCredential names the field it cannot read."""
    root = _object(credential, "the credential")
    if root.get("@context") != list(CONTEXTS):
        raise MalformedCredential(
            "@context is not the two contexts of an Open Badges 3.0 credential (VC 2.0, then OB 3.0.3)"
        )
    types = root.get("type")
    if not isinstance(types, list) or not all(name in types for name in TYPES):
        raise MalformedCredential("type does not name VerifiableCredential and OpenBadgeCredential")
    credential_id = _text(root, "id", "id")
    issuer = _object(root.get("issuer"), "issuer")
    issuer_did = _text(issuer, "id", "issuer.id")
    if problem := did_problem(issuer_did):
        raise MalformedCredential(f"issuer.id: {problem}")
    issuer_name = _text(issuer, "name", "issuer.name")
    valid_from = _datetime(root, "validFrom", "validFrom")
    valid_until = _datetime(root, "validUntil", "validUntil") if "validUntil" in root else None
    subject = _object(root.get("credentialSubject"), "credentialSubject")
    identifiers = subject.get("identifier")
    if not isinstance(identifiers, list) or not identifiers:
        raise MalformedCredential("credentialSubject.identifier is missing")
    named = [
        item
        for item in identifiers
        if isinstance(item, dict) and item.get("identityType") == "name" and item.get("hashed") is False
    ]
    if len(named) != 1:
        raise MalformedCredential(
            "credentialSubject.identifier does not give the learner's name once, unhashed"
        )
    learner = _text(named[0], "identityHash", "credentialSubject.identifier.identityHash")
    start = _datetime(subject, "activityStartDate", "credentialSubject.activityStartDate").date()
    end = _datetime(subject, "activityEndDate", "credentialSubject.activityEndDate").date()
    if end < start:
        raise MalformedCredential("credentialSubject.activityEndDate is before activityStartDate")
    credits = _number(subject, "creditsEarned", "credentialSubject.creditsEarned")
    achievement = _object(subject.get("achievement"), "credentialSubject.achievement")
    course = _text(achievement, "name", "credentialSubject.achievement.name")
    alignments = achievement.get("alignment")
    rules = [
        item
        for item in (alignments if isinstance(alignments, list) else ())
        if isinstance(item, dict) and item.get("targetType") == RULE_TARGET_TYPE
    ]
    where = "credentialSubject.achievement.alignment"
    if len(rules) != 1:
        raise MalformedCredential(f"{where} does not name the credit rule once ({RULE_TARGET_TYPE})")
    rule = rules[0]
    hours_text = _text(rule, "targetDescription", f"{where}.targetDescription")
    match = _HOURS.fullmatch(hours_text)
    if not match:
        raise MalformedCredential(f"{where}.targetDescription is not a number of contact hours")
    return CertificateFacts(
        credential_id=credential_id,
        course=course,
        learner=learner,
        issuer_did=issuer_did,
        issuer_name=issuer_name,
        credits=credits,
        unit=_text(rule, "targetName", f"{where}.targetName"),
        credit_system=_text(rule, "targetCode", f"{where}.targetCode"),
        rule_url=_text(rule, "targetUrl", f"{where}.targetUrl"),
        contact_hours=Decimal(match.group(1)),
        start=start,
        end=end,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def dumps(credential: Mapping[str, Any]) -> str:
    """The credential as JSON text, a Decimal written as a JSON number from its own digits (1.2, never
    1.2000000000000002), without trailing zeros so that every JSON reader reads the same number."""
    return _write(credential, 0) + "\n"


def loads(text: str) -> dict[str, Any]:
    """A credential's JSON text as data, numbers with a point as exact Decimals; MalformedCredential
    when it is not one JSON object (too long, not JSON, a key given twice, NaN)."""
    if len(text) > MAX_CREDENTIAL_CHARS:
        raise MalformedCredential(
            f"the file is {len(text):,} characters long, far more than a credential ({MAX_CREDENTIAL_CHARS:,} at most)"
        )
    try:
        data = json.loads(
            text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_no_duplicate_keys
        )
    except json.JSONDecodeError as error:
        raise MalformedCredential(f"the file is not JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise MalformedCredential("the file nests too deeply to be a credential") from None
    if not isinstance(data, dict):
        raise MalformedCredential("the file is JSON but not an object, so not a credential")
    return data


def _write(value: Any, depth: int) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = (
            f"{inner}{json.dumps(str(key), ensure_ascii=False)}: {_write(item, depth + 1)}"
            for key, item in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(f"{inner}{_write(item, depth + 1)}" for item in value) + f"\n{pad}]"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        return show(value)
    if isinstance(value, float):  # a credential read without Decimals: the float's shortest text
        return _write(Decimal(repr(value)), depth)
    return json.dumps(value, ensure_ascii=False)


def _no_constant(name: str) -> Any:
    raise MalformedCredential(f"the file holds {name}, which is not a JSON number")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise MalformedCredential(f"the key {quoted(key)} is given twice in one object")
        found[key] = value
    return found


def _hours(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise CreditInputError("contact_hours", "must be a finite number")
    if value <= 0:
        raise CreditInputError("contact_hours", f"must be more than 0 (got {show(value)})")
    if value > MAX_CONTACT_HOURS:
        raise CreditInputError(
            "contact_hours", f"{show(value)} is more than the limit of {MAX_CONTACT_HOURS}"
        )
    if value != value.quantize(Decimal(1).scaleb(-MAX_HOURS_PLACES)):
        raise CreditInputError("contact_hours", f"has more than {MAX_HOURS_PLACES} decimal places")
    return value


def _check_text(value: str, field: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise CreditInputError(field, "is empty")
    if value != value.strip():
        raise CreditInputError(field, f"{quoted(value)} has spaces at its start or end")
    if len(value) > MAX_TEXT_CHARS:
        raise CreditInputError(field, f"is {len(value):,} characters long; {MAX_TEXT_CHARS} at most")
    if _CONTROL.search(value):
        raise CreditInputError(field, f"{quoted(value)} holds a control character or a line break")


def _timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise CreditInputError("valid_from", "a time without a time zone cannot be written in UTC")
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _object(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        raise MalformedCredential(f"{field} is missing")
    if not isinstance(value, dict):
        raise MalformedCredential(f"{field} is not a JSON object")
    return value


def _text(parent: Mapping[str, Any], key: str, field: str) -> str:
    value = parent.get(key)
    if value is None:
        raise MalformedCredential(f"{field} is missing")
    if not isinstance(value, str) or not value.strip():
        raise MalformedCredential(f"{field} is not a text")
    return value


def _datetime(parent: Mapping[str, Any], key: str, field: str) -> dt.datetime:
    text = _text(parent, key, field)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise MalformedCredential(f"{field} is not a date and time ({quoted(text)})") from None
    if moment.tzinfo is None:
        raise MalformedCredential(f"{field} has no time zone ({quoted(text)})")
    return moment.astimezone(dt.UTC)


def _number(parent: Mapping[str, Any], key: str, field: str) -> Decimal:
    value = parent.get(key)
    if value is None:
        raise MalformedCredential(f"{field} is missing")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise MalformedCredential(f"{field} is not a number")
    try:
        # A float (JSON read without Decimals) by its shortest text, the digits JavaScript writes.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise MalformedCredential(f"{field} is not a number") from None
    if not number.is_finite() or number < 0:
        raise MalformedCredential(f"{field} is not a number of 0 or more")
    return number
