"""One table of CEU-page cases, run through the CLI, the page model and the browser page.

Each case is the form as a visitor fills it (``values``) and the same input for
``ceu iacet`` (``cli``: arguments, and ``stdin`` for an agenda or activity list).
``ceus`` is what the seed documents' rules give; the tests also check that every
figure of the page equals the CLI's. Cases with ``error`` are bad input: the page
names that field and the CLI exits 2.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PageCase:
    id: str
    values: dict[str, str]
    cli: tuple[str, ...]
    stdin: str = ""
    ceus: str = ""
    #: With ``values["rule"]``: the figure under that body's rule (the CLI gets ``--policy``).
    policy: str = ""
    #: For bad input: the form field the message must sit beside.
    error: str = ""
    excluded: tuple[str, ...] = field(default=())

    def run_cli(self) -> subprocess.CompletedProcess[str]:
        """The same input through ``ceu iacet --json`` as a subprocess."""
        return subprocess.run(
            [sys.executable, "-m", "ceu_cli", "iacet", *self.cli, "--json"],
            input=self.stdin,
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            check=False,
        )


AGENDA = """Day 1
09:00-10:30 Keynote
10:30-10:45 Coffee break
10:45-12:00 Workshop
12:00-13:00 Lunch (non-working)
13:00-13:30 Vendor showcase
13:30-15:00 Case studies
"""

ACTIVITIES = """kind,minutes,title
classroom,240,Lectures
break,40,Breaks
self-paced,60,Reading
"""

CASES = (
    # Seed "Calculating & Awarding CEUs": 300 minutes of instruction and 40 of breaks = 0.5 CEU.
    PageCase(
        "seed-340-40",
        {"mode": "minutes", "minutes": "340", "excluded": "40"},
        ("--minutes", "340", "--excluded", "40"),
        ceus="0.5",
    ),
    # Seed examples: 1 contact hour = 0.1 CEU, 2 = 0.2, 10 = 1.0.
    PageCase(
        "seed-60", {"mode": "minutes", "minutes": "60", "excluded": ""}, ("--minutes", "60"), ceus="0.1"
    ),
    PageCase(
        "seed-120", {"mode": "minutes", "minutes": "120", "excluded": ""}, ("--minutes", "120"), ceus="0.2"
    ),
    PageCase(
        "seed-600", {"mode": "minutes", "minutes": "600", "excluded": "0"}, ("--minutes", "600"), ceus="1.0"
    ),
    # Rounded once from minutes: 269 min = 0.448 CEU -> 0.4 (not 4.5 h -> 0.5).
    PageCase(
        "round-once-269",
        {"mode": "minutes", "minutes": "269", "excluded": ""},
        ("--minutes", "269"),
        ceus="0.4",
    ),
    PageCase(
        "under-30", {"mode": "minutes", "minutes": "20", "excluded": ""}, ("--minutes", "20"), ceus="0.0"
    ),
    PageCase(
        "agenda-day",
        {"mode": "agenda", "agenda": AGENDA},
        ("--agenda", "-"),
        stdin=AGENDA,
        ceus="0.4",
        excluded=("Coffee break", "Lunch (non-working)", "Vendor showcase"),
    ),
    PageCase(
        "activities",
        {"mode": "activities", "activities": ACTIVITIES},
        ("--activities", "-"),
        stdin=ACTIVITIES,
        ceus="0.5",
        excluded=("Breaks",),
    ),
    # Bodies' own worked examples under their own rules (tests/engine/policy_cases.py cites them).
    PageCase(
        "asha-938",
        {"mode": "minutes", "minutes": "938", "excluded": "", "rule": "asha-ceu"},
        ("--minutes", "938", "--policy", "asha-ceu"),
        ceus="1.6",
        policy="1.55",
    ),
    PageCase(
        "nbcot-assessed-6-hours",
        {"mode": "minutes", "minutes": "360", "excluded": "", "rule": "nbcot-pdu", "condition": "yes"},
        ("--minutes", "360", "--policy", "nbcot-pdu", "--condition-met"),
        ceus="0.6",
        policy="7.5",
    ),
    # ABIH's own example, "1.5 hours = 0.25 CM point" (issue 36: the rule's rate was filled).
    PageCase(
        "abih-90-minutes",
        {"mode": "minutes", "minutes": "90", "excluded": "", "rule": "abih-cih-cm"},
        ("--minutes", "90", "--policy", "abih-cih-cm"),
        ceus="0.2",
        policy="0.25",
    ),
    PageCase(
        "nasba-agenda",
        {"mode": "agenda", "agenda": AGENDA, "rule": "nasba-cpe-fifths"},
        ("--agenda", "-", "--policy", "nasba-cpe-fifths"),
        stdin=AGENDA,
        ceus="0.4",
        policy="5",
        excluded=("Coffee break", "Lunch (non-working)", "Vendor showcase"),
    ),
    # Time as people write it (issue 30): hours and minutes, a clock-style length, decimal hours.
    PageCase(
        "hours-and-minutes",
        {"mode": "minutes", "minutes": "6h30", "excluded": "0:40"},
        ("--minutes", "6h30", "--excluded", "0:40"),
        ceus="0.6",
    ),
    PageCase(
        "decimal-hours-under-a-rule",
        {"mode": "minutes", "minutes": "1.5 h", "excluded": "", "rule": "nbcot-pdu"},
        ("--minutes", "1.5 h", "--policy", "nbcot-pdu"),
        ceus="0.2",
        policy="1.5",
    ),
    PageCase(
        "minutes-past-60-after-hours",
        {"mode": "minutes", "minutes": "6h75", "excluded": ""},
        ("--minutes", "6h75"),
        error="minutes",
    ),
    PageCase(
        "decimal-comma",
        {"mode": "minutes", "minutes": "600", "excluded": "1,5 h"},
        ("--minutes", "600", "--excluded", "1,5 h"),
        error="excluded",
    ),
    PageCase(
        "negative", {"mode": "minutes", "minutes": "-5", "excluded": ""}, ("--minutes", "-5"), error="minutes"
    ),
    PageCase(
        "excluded-too-big",
        {"mode": "minutes", "minutes": "30", "excluded": "40"},
        ("--minutes", "30", "--excluded", "40"),
        error="excluded",
    ),
    PageCase(
        "agenda-overlap",
        {"mode": "agenda", "agenda": "09:00-10:00 A\n09:30-10:30 B\n"},
        ("--agenda", "-"),
        stdin="09:00-10:00 A\n09:30-10:30 B\n",
        error="agenda",
    ),
    PageCase(
        "activities-bad-kind",
        {"mode": "activities", "activities": "kind,minutes\nnap,30\n"},
        ("--activities", "-"),
        stdin="kind,minutes\nnap,30\n",
        error="activities",
    ),
)
