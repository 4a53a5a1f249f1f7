"""The verify page's Python, in its Web Worker: a credential and its proof's outcome, in words.

The page's script decodes a link's fragment or reads a dropped file, checks the proof with the
credential kit (offline, in the browser), and sends the credential's JSON text with why the proof
failed (nothing when it held). This session reads the facts (:func:`certificates.model.read_facts`),
looks the issuer's key up in the directory's ``issuers.json`` (the build's, loaded by the worker
as a data file, so it is kept for offline use with the page) and says the verdict with
:func:`certificates.verdict.verdict`: the same words as ``ceu credential verify``. It answers:

* ``outcome`` (``listed``, ``unlisted`` or ``invalid``), ``headline`` (the answer in a few
  words, which also says when a listed provider is not in good standing now: ``standing`` is
  then ``other``, else ``good`` or "") and ``sentence`` (the verdict, as the CLI prints it);
* ``facts``: rows of (label, text) for what the credential says, empty when it cannot be read;
* ``rule``: the credit rule's source (an http(s) address, or "");
* ``issuer``: the directory's entry for the key (its name, status, the day of the status, why,
  the profile's site-relative address and the key's source), or None when the key is not listed.

Standard library, ``calc`` and ``certificates``' standard-library modules only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping

from calc.errors import CreditInputError
from calc.json_input import load_json
from calc.numbers import show
from calculator_pages.page_session import Message, Reply
from certificates.model import MAX_CREDENTIAL_CHARS, CertificateFacts, MalformedCredential, read_facts
from certificates.verdict import GOOD_STANDING, verdict

#: The data file the worker reads (written by the build as directory/issuers.json).
ISSUERS_FILE = "issuers.json"
ENTRY_FIELDS = ("id", "name", "profile", "did_source", "status", "status_as_of", "status_explanation")

Issuers = Mapping[str, Mapping[str, str]]


def read_issuers(text: str) -> dict[str, dict[str, str]]:
    """The directory's keys (DID -> entry) from issuers.json; an entry without every field, or a
    file that is not the build's, names no one (a key is then said to be unlisted)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    found = data.get("issuers") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return {}
    return {
        str(did): {field: str(entry[field]) for field in ENTRY_FIELDS}
        for did, entry in found.items()
        if isinstance(entry, dict) and all(isinstance(entry.get(field), str) for field in ENTRY_FIELDS)
    }


def _web_address(url: str) -> str:
    """``url`` when it is an http(s) address without spaces (a link in data), else ""."""
    if any(ch.isspace() or ch == "\\" or ord(ch) < 32 for ch in url):
        return ""
    return url if url.lower().startswith(("https://", "http://")) else ""


def _profile(path: str) -> str:
    """The profile's site-relative address, or "" when it is anything else."""
    if not path or path.startswith(("/", ".")) or ":" in path or "\\" in path or " " in path:
        return ""
    return path


def proof_reason(reason: str | None) -> str | None:
    """The kit's reason a proof failed as the middle of a verdict's sentence ("Not valid: <reason>."):
    no final period, lower-case unless its first word is an acronym; None when the proof held."""
    text = (reason or "").strip().rstrip(".").strip()
    if not text:
        return None
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def fact_rows(facts: CertificateFacts) -> list[list[str]]:
    """What the credential says, as the page lists it."""
    hours = f"{show(facts.contact_hours)} contact hour{'' if facts.contact_hours == 1 else 's'}"
    days = facts.start.isoformat() + (f" to {facts.end.isoformat()}" if facts.end != facts.start else "")
    return [
        ["Course", facts.course],
        ["Learner", facts.learner],
        ["Credit", f"{show(facts.credits)} {facts.unit} for {hours}"],
        ["Rule", f"{facts.unit} ({facts.credit_system})"],
        ["Dates", days],
        ["Issued", facts.valid_from.date().isoformat()],
        ["Expires", facts.valid_until.date().isoformat() if facts.valid_until else "no expiry date"],
        ["Issuer", f"{facts.issuer_name} (as the credential names it)"],
        ["Issuer's key", facts.issuer_did],
    ]


HEADLINES = {
    "listed": "Valid, and the key that signed it is in the directory",
    "unlisted": "Valid signature, but we cannot tell who issued it",
    "invalid": "Do not rely on this certificate",
}


def headline(outcome: str, entry: Mapping[str, str] | None) -> str:
    """The answer in a few words; a listed provider not in good standing now says its status."""
    if outcome == "listed" and entry is not None and entry["status"] != GOOD_STANDING:
        return f"Valid signature, but the provider's status is now: {entry['status']}"
    return HEADLINES[outcome]


def check(text: str, problem: str | None, issuers: Issuers, today: dt.date) -> Reply:
    """The verdict on the credential ``text`` whose proof failed for ``problem`` (None: it held)."""
    facts: CertificateFacts | None = None
    problem = proof_reason(problem)
    try:
        if len(text) > MAX_CREDENTIAL_CHARS:
            raise MalformedCredential(
                f"the file is {len(text):,} characters long, far more than a credential"
            )
        facts = read_facts(load_json(text, "credential"))
    except CreditInputError as error:
        problem = problem or f"the credential is not JSON: {error.message}"
    except MalformedCredential as error:
        problem = problem or f"the credential is malformed: {error}"
    entry = issuers.get(facts.issuer_did) if facts is not None else None
    said = verdict(problem, facts, entry, today)
    issuer = None
    if entry is not None and said.valid:
        issuer = {
            **{field: entry[field] for field in ENTRY_FIELDS},
            "profile": _profile(entry["profile"]),
            "did_source": _web_address(entry["did_source"]),
        }
    return {
        "type": "verdict",
        "outcome": said.outcome,
        "headline": headline(said.outcome, issuer),
        "standing": "" if issuer is None else ("good" if issuer["status"] == GOOD_STANDING else "other"),
        "sentence": said.sentence,
        "facts": fact_rows(facts) if facts is not None else [],
        "rule": _web_address(facts.rule_url) if facts is not None else "",
        "issuer": issuer,
    }


class VerifySession:
    """The verify page's worker: ``verify`` (``text``, ``problem``) answers with :func:`check`;
    ``load`` with the largest credential the page reads and the day the directory was built."""

    def __init__(self, issuers_text: str, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.issuers = read_issuers(issuers_text)
        try:
            self.built = str(json.loads(issuers_text).get("built", ""))
        except (ValueError, AttributeError):
            self.built = ""
        self.today = today

    def handle(self, message: Message) -> Reply:
        kind = message.get("type")
        if kind == "load":
            return {"type": "loaded", "max_chars": MAX_CREDENTIAL_CHARS, "built": self.built}
        if kind == "verify":
            problem = message.get("problem")
            return check(
                str(message.get("text") or ""), str(problem) if problem else None, self.issuers, self.today()
            )
        raise ValueError(f"the verify page sends no message of type {kind!r}")
