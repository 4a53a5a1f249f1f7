"""One table of course-plan and eligibility page cases, for the page model, the CLI and
the browser.

Each case is the form as a visitor fills it (``values``, and ``rows`` for the course
plan: one dict per row, by input name) and the same input for the ``ceu`` command
(``cli_file`` name and ``cli_text`` content; ``cli_args(path)`` is the argument list
after ``ceu``). ``expected`` maps a figure key to its value: the page shows it as
``#<page>-result [data-key=<key>]`` with ``data-value``, the page model as
``Outcome.figure(key)``. Cases with ``error`` are bad input: the page puts the
message beside that field (``#<page>-error-<error>``) and, when ``cli_text`` is
given, the CLI refuses the same input with exit status 2. For good input the CLI
exits 0, or 1 for a checklist that is not eligible (``cli_status``).

``query()`` is the page's URL state for the case (``?name=value`` for fields,
repeated ``row.<name>`` for rows, ``rows=0`` for none), so a browser test can open
``path + "?" + case.query()`` (cases with ``browser`` set) and compare the figures.

Sources: seed calculating-awarding-ceus.txt (the course form "Average Time Per
Instance or Week" and the 51% rule) and seed ceu-eligibility-and-approval.txt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

PLAN_SEED = "seed calculating-awarding-ceus.txt: course form and the 51% rule"
ELIGIBILITY_SEED = "seed ceu-eligibility-and-approval.txt: CEU Credit Eligibilities"
CRITERIA = (
    "organized-setting",
    "planned-for-need",
    "clear-objective",
    "qualified-instructors",
    "performance-requirements",
    "participant-evaluation",
)
COLUMNS = ("activity", "delivery", "amount", "unit", "per", "count")


@dataclass(frozen=True)
class PageCase:
    id: str
    #: The page's name: its elements are #<page>-form, #<page>-result, #<page>-status.
    page: str
    path: str
    source: str
    values: dict[str, str]
    rows: tuple[dict[str, str], ...] = ()
    #: The CLI's input file (its suffix picks CSV or JSON) and its text; "" = no CLI equivalent.
    cli_file: str = ""
    cli_text: str = ""
    cli_flags: tuple[str, ...] = ()
    expected: dict[str, str] = field(default_factory=dict)
    #: For bad input: the form field the message must sit beside.
    error: str = ""
    #: False when the page's controls cannot hold the input (a type the select does not
    #: offer, an answer no radio has): the page model and the CLI still refuse it.
    browser: bool = True

    @property
    def command(self) -> str:
        return "plan" if self.page == "plan" else "eligibility"

    @property
    def cli_status(self) -> int:
        """The CLI's exit status for good input: 1 when the checklist's answer is not "eligible"."""
        return 1 if self.page == "eligibility" and self.expected.get("status") != "eligible" else 0

    def cli_args(self, path: object) -> list[str]:
        """Arguments after ``ceu`` once ``cli_text`` is written to ``path``."""
        return [self.command, str(path), *self.cli_flags, "--json"]

    def query(self) -> str:
        pairs = list(self.values.items())
        pairs += [(f"row.{column}", row.get(column, "")) for row in self.rows for column in COLUMNS]
        if self.page == "plan" and not self.rows:
            pairs.append(("rows", "0"))
        return urlencode(pairs)


# ---- course plans


def row(activity: str, delivery: str, amount: str, unit: str, per: str, count: str) -> dict[str, str]:
    return dict(zip(COLUMNS, (activity, delivery, amount, unit, per, count), strict=True))


def plan_json(rows: tuple[dict[str, str], ...]) -> str:
    """The rows as ``ceu plan -`` JSON, numbered as the form numbers them (no blank rows)."""
    items = [
        {
            "activity": r["activity"],
            "delivery": r["delivery"],
            r["unit"]: r["amount"],
            "per": r["per"],
            "count": r["count"],
        }
        for r in rows
    ]
    return json.dumps({"rows": items})


INSTRUCTION_ONLY = {"component-instruction": "yes", "component-distance": "", "component-self-paced": ""}
INSTRUCTION_AND_DISTANCE = {**INSTRUCTION_ONLY, "component-distance": "yes"}

#: The rows the seed's course form lists, over 15 weeks (the page starts with these).
SEED_ROWS = (
    row("Group supervision (classroom)", "instruction", "3", "hours", "week", "15"),
    row("Individual supervision", "instruction", "1", "hours", "week", "15"),
    row("Thinkific modules (online learning)", "distance", "2", "hours", "week", "15"),
    row("Reading time", "self-paced", "4", "hours", "week", "15"),
    row("Mid-course/unit evaluation", "instruction", "3", "hours", "instance", "1"),
    row("Final course/unit evaluation", "instruction", "5", "hours", "instance", "1"),
)
#: The same plan as the engine's case table writes it: "weeks" once, hours per week.
SEED_JSON = json.dumps(
    {
        "weeks": 15,
        "rows": [
            {
                "activity": "Group supervision (classroom)",
                "delivery": "instruction",
                "hours": 3,
                "per": "week",
            },
            {"activity": "Individual supervision", "delivery": "instruction", "hours": 1, "per": "week"},
            {
                "activity": "Thinkific modules (online learning)",
                "delivery": "distance",
                "hours": 2,
                "per": "week",
            },
            {"activity": "Reading time", "delivery": "self-paced", "hours": 4, "per": "week"},
            {
                "activity": "Mid-course/unit evaluation",
                "delivery": "instruction",
                "hours": 3,
                "per": "instance",
            },
            {
                "activity": "Final course/unit evaluation",
                "delivery": "instruction",
                "hours": 5,
                "per": "instance",
            },
        ],
    }
)
EXACTLY_51 = (
    row("Class", "instruction", "51", "minutes", "instance", "1"),
    row("Online", "distance", "49", "minutes", "instance", "1"),
)
JUST_UNDER_51 = (
    row("Class", "instruction", "509", "minutes", "instance", "1"),
    row("Online", "distance", "491", "minutes", "instance", "1"),
)
MIXED = (
    row("Orientation", "instruction", "90", "minutes", "instance", "2"),
    row("Lectures", "instruction", "1.5", "hours", "week", "10"),
    row("Modules", "self-paced", "45", "minutes", "week", "10"),
)
BLANK = row("", "instruction", "", "hours", "week", "")


def plan_case(
    id: str,
    source: str,
    rows: tuple[dict[str, str], ...],
    values: dict[str, str] = INSTRUCTION_ONLY,
    cli: str | None = None,
    flags: tuple[str, ...] = (),
    expected: dict[str, str] | None = None,
    error: str = "",
) -> PageCase:
    typed = tuple(r for r in rows if any(r[c].strip() for c in ("activity", "amount", "count")))
    return PageCase(
        id,
        "plan",
        "/course-plan/",
        source,
        dict(values),
        rows,
        cli_file="plan.json" if cli != "" else "",
        cli_text=plan_json(typed) if cli is None else cli,
        cli_flags=flags,
        expected=expected or {},
        error=error,
    )


PLAN_CASES = (
    # 3+1 h/week instruction, 2 h/week distance, 4 h/week reading over 15 weeks, and 3 + 5 h of
    # evaluations: 158 h = 15.8 CEU; instruction is 68 h = 43%: under 51% on the default reading.
    plan_case(
        "plan-seed-form",
        PLAN_SEED,
        SEED_ROWS,
        cli=SEED_JSON,
        expected={
            "contact_minutes": "9480",
            "contact_hours": "158",
            "ceus": "15.8",
            "component_minutes": "4080",
            "component_share": "43",
            "delivery_check": "fails",
        },
    ),
    # The same plan, counting instruction and distance together: 98 of 158 h = 62% passes.
    plan_case(
        "plan-seed-form-with-distance",
        PLAN_SEED,
        SEED_ROWS,
        values=INSTRUCTION_AND_DISTANCE,
        cli=SEED_JSON,
        flags=("--component", "instruction", "--component", "distance"),
        expected={
            "ceus": "15.8",
            "component_minutes": "5880",
            "component_share": "62",
            "delivery_check": "passes",
        },
    ),
    plan_case(
        "plan-exactly-51-percent",
        "51% rule: exactly 51% passes (exact comparison)",
        EXACTLY_51,
        expected={
            "contact_minutes": "100",
            "ceus": "0.2",
            "component_share": "51",
            "delivery_check": "passes",
        },
    ),
    plan_case(
        "plan-just-under-51-percent",
        "51% rule: 50.9% fails",
        JUST_UNDER_51,
        expected={
            "contact_minutes": "1000",
            "ceus": "1.7",
            "component_share": "50.9",
            "delivery_check": "fails",
        },
    ),
    # Minutes and hours, per instance and per week; a blank row is not part of the plan.
    # 180 + 900 + 450 = 1530 min = 25.5 h = 2.55 CEU -> 2.6 (halves up).
    plan_case(
        "plan-mixed-units-and-a-blank-row",
        f"{PLAN_SEED}; rounding once, halves up",
        (*MIXED[:2], BLANK, MIXED[2]),
        expected={
            "contact_minutes": "1530",
            "contact_hours": "25.5",
            "ceus_unrounded": "2.55",
            "ceus": "2.6",
            "component_minutes": "1080",
            "delivery_check": "passes",
        },
    ),
    # Time as people write it (issue 30): hours and minutes in a row's time, whatever its unit.
    # 1h30 x 10 + 0:45 x 10 + 90 min x 2 = 900 + 450 + 180 = 1530 min, as the rows above.
    plan_case(
        "plan-hours-and-minutes",
        f"{PLAN_SEED}; times written as hours and minutes",
        (
            row("Orientation", "instruction", "1 h 30", "minutes", "instance", "2"),
            row("Lectures", "instruction", "1h30", "hours", "week", "10"),
            row("Modules", "self-paced", "0:45", "hours", "week", "10"),
        ),
        expected={"contact_minutes": "1530", "ceus": "2.6", "component_minutes": "1080"},
    ),
    plan_case(
        "plan-minutes-past-60-after-hours",
        "the minutes after hours are under 60",
        (row("Lectures", "instruction", "1h75", "hours", "week", "10"),),
        error="row-1-amount",
    ),
    plan_case(
        "plan-bad-time",
        "a time that is not a number",
        (EXACTLY_51[0], row("Online", "distance", "abc", "minutes", "instance", "1")),
        error="row-2-amount",
    ),
    plan_case(
        "plan-missing-activity",
        "every row names its activity",
        (row("", "instruction", "3", "hours", "week", "15"),),
        error="row-1-activity",
    ),
    plan_case(
        "plan-more-than-a-week-holds",
        "more time per week than a week has",
        (row("Internship", "instruction", "200", "hours", "week", "15"),),
        error="row-1-amount",
    ),
    plan_case(
        "plan-count-too-big",
        "a count of weeks that is a typing mistake",
        (row("Reading", "self-paced", "1", "hours", "week", "1500"),),
        error="row-1-count",
    ),
    plan_case(
        "plan-negative-count",
        "counts cannot be negative",
        (row("Reading", "self-paced", "1", "hours", "week", "-2"),),
        error="row-1-count",
    ),
    plan_case(
        "plan-nothing-ticked",
        "the page needs a part to check against 51%",
        EXACTLY_51,
        values={"component-instruction": "", "component-distance": "", "component-self-paced": ""},
        cli="",
        error="component",
    ),
    plan_case("plan-no-rows", "a plan needs a row", (), cli="", error="rows"),
)


# ---- eligibility checklists


def eligibility_case(
    id: str,
    source: str,
    program_type: str,
    answers: dict[str, str],
    expected: dict[str, str] | None = None,
    error: str = "",
    cli: bool = True,
    browser: bool = True,
) -> PageCase:
    values = {"program_type": program_type, **{key: answers.get(key, "not-yet") for key in CRITERIA}}
    as_json = {"yes": True, "no": False, "not-yet": None}
    text = json.dumps(
        {
            "program_type": program_type or None,
            "criteria": {key: as_json.get(values[key]) for key in CRITERIA},
        }
    )
    return PageCase(
        id,
        "eligibility",
        "/eligibility/",
        source,
        values,
        cli_file="checklist.json" if cli else "",
        cli_text=text if cli else "",
        expected=expected or {},
        error=error,
        browser=browser,
    )


ALL_YES = {key: "yes" for key in CRITERIA}

ELIGIBILITY_CASES = (
    eligibility_case(
        "eligibility-workshop-eligible",
        f"{ELIGIBILITY_SEED}: a workshop meeting every criterion",
        "workshop",
        ALL_YES,
        expected={"status": "eligible", "met": "7", "fails": "0", "unanswered": "0"},
    ),
    eligibility_case(
        "eligibility-committee-meeting",
        f"{ELIGIBILITY_SEED}: committee meetings are ineligible",
        "committee-meeting",
        ALL_YES,
        expected={"status": "not eligible", "met": "6", "fails": "1", "unanswered": "0"},
    ),
    eligibility_case(
        "eligibility-missing-answers",
        f"{ELIGIBILITY_SEED}: unanswered criteria",
        "workshop",
        {"organized-setting": "yes"},
        expected={"status": "missing information", "met": "2", "fails": "0", "unanswered": "5"},
    ),
    eligibility_case(
        "eligibility-no-type",
        f"{ELIGIBILITY_SEED}: the type must be given",
        "",
        ALL_YES,
        expected={"status": "missing information", "met": "6", "fails": "0", "unanswered": "1"},
    ),
    eligibility_case(
        "eligibility-no-evaluation",
        f"{ELIGIBILITY_SEED}: a criterion answered no",
        "seminar",
        {**ALL_YES, "participant-evaluation": "no"},
        expected={"status": "not eligible", "met": "6", "fails": "1", "unanswered": "0"},
    ),
    eligibility_case(
        "eligibility-no-beats-missing",
        f"{ELIGIBILITY_SEED}: one no is enough, whatever is unanswered",
        "directed-reading",
        {"clear-objective": "no"},
        expected={"status": "not eligible", "met": "1", "fails": "1", "unanswered": "5"},
    ),
    eligibility_case(
        "eligibility-unknown-type",
        "program types are the seed's",
        "hackathon",
        ALL_YES,
        error="program_type",
        browser=False,
    ),
    eligibility_case(
        "eligibility-bad-answer",
        "answers are yes, no or not yet",
        "workshop",
        {**ALL_YES, "organized-setting": "maybe"},
        error="organized-setting",
        cli=False,
        browser=False,
    ),
)

CASES = PLAN_CASES + ELIGIBILITY_CASES


# ---- ACE CECs: the form's values and the same input as `ceu cec` flags

CEC_SEED = "seed ace-cec-faq.txt"


@dataclass(frozen=True)
class CecCase:
    id: str
    source: str
    #: The form as a visitor fills it: text fields, the grade's option, "yes" for a ticked box.
    values: dict[str, str]
    #: The CECs the page and `ceu cec` give; "" for bad input.
    cecs: str = ""
    #: For bad input: the field the message sits beside (the CLI exits 2 when it has the field).
    error: str = ""

    def cli_args(self) -> list[str]:
        """``ceu cec`` arguments for the case (the course number is the page's alone)."""
        args = ["cec", "--json"]
        for key, value in self.values.items():
            if key == "course_number":
                continue
            flag = "--" + key.replace("_", "-")
            args += [flag] if value == "yes" else [] if value in ("", "no") else [flag, value]
        return args

    def query(self) -> str:
        return urlencode(list(self.values.items()))


CEC_CASES = (
    CecCase("cec-hours", f"{CEC_SEED}: 0.1 CEC per hour of structured learning", {"hours": "20"}, "2.0"),
    CecCase(
        "cec-university-with-grade",
        f"{CEC_SEED}: 1.0 per semester hour, 0.8 per quarter hour, a C or better",
        {"semester_hours": "3", "quarter_hours": "2", "grade": "C"},
        "4.6",
    ),
    CecCase(
        "cec-grade-below-c",
        f"{CEC_SEED}: a transcript must reflect at least a C",
        {"semester_hours": "3", "grade": "C-"},
        "0",
    ),
    CecCase(
        "cec-everything",
        f"{CEC_SEED}: hours, university credit, CPR/AED/First Aid 0.2 each, workouts nothing",
        {
            "hours": "12.5",
            "semester_hours": "1",
            "grade": "B+",
            "cpr": "yes",
            "aed": "yes",
            "first_aid": "yes",
            "workout_hours": "4",
            "course_number": "cep123456",
        },
        "2.85",
    ),
    # Time as people write it (issue 30): hours and minutes are hours of learning too.
    CecCase(
        "cec-hours-and-minutes", f"{CEC_SEED}: 12 h 30 min at 0.1 CEC per hour", {"hours": "12h30"}, "1.25"
    ),
    CecCase(
        "cec-minutes",
        f"{CEC_SEED}: 90 minutes is 1.5 hours",
        {"hours": "90 min", "workout_hours": "0:45"},
        "0.15",
    ),
    CecCase(
        "cec-hours-no-decimal-writes", "CECs are exact: 1 h 10 min is 7/6 h", {"hours": "1h10"}, error="hours"
    ),
    CecCase("cec-negative-hours", "hours are 0 or more", {"hours": "-2"}, error="hours"),
    CecCase(
        "cec-bad-course-number",
        f"{CEC_SEED}: five to six numbers after CEP/CP/CA/CS/CL",
        {"hours": "2", "course_number": "CEP1234"},
        error="course_number",
    ),
)
