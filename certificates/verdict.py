"""The sentences a verification ends in, the same in the page and the CLI.

Input: whether the proof held (and why not), the credential's facts, the directory's entry for
the issuer's key (``directory/issuers.json``, or None when the key is not listed) and today's
date. The signature says only that a key signed; the directory says whose key it is and the
provider's standing now. Standard library only (the page's worker runs it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from calc.numbers import show
from certificates.model import CertificateFacts

#: Why a proof fails, one sentence each (no final period); the JS verifier's outcome maps to these.
SIGNATURE_MISMATCH = "the signature does not match the credential: it was changed after signing"
NO_PROOF = "the credential carries no proof"
WRONG_SUITE = "the proof is not an eddsa-rdfc-2022 Data Integrity proof"
NOT_ISSUER_KEY = "the proof is not by the issuer's key"
#: The status a provider in good standing has in the directory (directory/status.py's label).
GOOD_STANDING = "In good standing"


def undefined_term(term: str) -> str:
    """The reason for a term the credential's contexts do not define (JSON-LD safe mode)."""
    return f"the credential uses the term {term!r}, which its contexts do not define"


@dataclass(frozen=True)
class Verdict:
    """The answer: ``outcome`` is ``listed``, ``unlisted`` or ``invalid``; ``sentence`` says it."""

    outcome: str
    sentence: str
    facts: CertificateFacts | None
    entry: Mapping[str, str] | None

    @property
    def valid(self) -> bool:
        return self.outcome != "invalid"


def verdict(
    problem: str | None,
    facts: CertificateFacts | None,
    entry: Mapping[str, str] | None,
    today: dt.date,
) -> Verdict:
    """The verdict on a credential whose proof failed for ``problem`` (None: it held).

    ``facts`` is None only for a credential that could not be read, and then ``problem`` says why.
    """
    if problem is None and facts is None:
        raise ValueError("a credential whose facts could not be read has a problem to say")
    if problem is None and facts is not None:
        problem = _date_problem(facts, today)
    if problem is not None:
        return Verdict("invalid", f"Not valid: {problem}.", facts, entry)
    assert facts is not None
    what = facts_sentence(facts)
    if entry is None:
        sentence = (
            "The signature is valid, but the key that signed it is not in the directory: "
            f"we cannot tell who issued it. {what}"
        )
        return Verdict("unlisted", sentence, facts, None)
    sentence = (
        f"Signed by a key that {entry['name']} lists (source {entry['did_source']}), "
        f"status {entry['status']} as of {entry['status_as_of']}; {what[0].lower()}{what[1:]}"
    )
    if entry["status"] != GOOD_STANDING:
        explanation = entry.get("status_explanation", "").strip()
        sentence += f" The signature is still valid, but the provider is now: {entry['status']}."
        if explanation:
            sentence += f" {explanation.rstrip('.')}."
    return Verdict("listed", sentence, facts, entry)


def facts_sentence(facts: CertificateFacts) -> str:
    """'1.2 IACET CEU for 'Course', 2026-12-01, issued to Ana Lima.' (the dates as a range when two)."""
    days = facts.start.isoformat()
    if facts.end != facts.start:
        days += f" to {facts.end.isoformat()}"
    return f"{show(facts.credits)} {facts.unit} for '{facts.course}', {days}, issued to {facts.learner}."


def _date_problem(facts: CertificateFacts, today: dt.date) -> str | None:
    if facts.valid_until is not None and facts.valid_until.date() < today:
        return f"the credential expired on {facts.valid_until.date().isoformat()}"
    if facts.valid_from.date() > today:
        return f"the credential is not valid until {facts.valid_from.date().isoformat()}"
    return None
