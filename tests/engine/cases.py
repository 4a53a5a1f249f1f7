"""The engine's case table: inputs, expected figures, and where each rule comes from.

Seeds are the documents in ../shared/seeds/. Unit tests check every case's
expected figures; the parity test runs the whole table in the browser's Pyodide
and compares every output with CPython's.
"""

from __future__ import annotations

from typing import Any

from calc.ics import event_uid
from tests.engine.policy_cases import CASES as POLICY_CASES

SEED_CALC = "seed calculating-awarding-ceus.txt"
SEED_ACE = "seed ace-cec-faq.txt"
SEED_APPROVAL = "seed ceu-eligibility-and-approval.txt"
SEED_MAINTENANCE = "seed iacet-accreditation-maintenance.txt"
IACET_BLOG = 'IACET blog "Six Steps to Submitting CEU Calculations" (2019)'

SYSTEMS_CSV = (
    "id,body,credential,unit,minutes_per_unit,increment,rounding,"
    "requirement_note,source_url,source_kind,source_date,source_quote,verified_on,notes\n"
    "exact-unit,Example Body A,,CEC,600,,,,https://example.org/a,official,,q,2026-01-01,\n"
    "quarter-down,Example Body B,,PDC,60,0.25,down,,https://example.org/b,official,,q,2026-01-01,\n"
    "quarter-silent,Example Body C,,PDU,60,0.25,,,https://example.org/c,official,,q,2026-01-01,\n"
    "no-rate,Example Body D,,point,,,,,https://example.org/d,official,,q,2026-01-01,\n"
)


def case(case_id: str, kind: str, source: str, given: dict[str, Any], **expected: Any) -> dict[str, Any]:
    return {"id": case_id, "kind": kind, "source": source, "input": given, "expected": expected}


CASES: list[dict[str, Any]] = [
    # --- minutes ------------------------------------------------------------------
    case(
        "one-contact-hour",
        "minutes",
        f"{SEED_CALC}: 1 contact hour (60 minutes) = .1 IACET CEU",
        {"minutes": "60"},
        contact_hours="1.00",
        ceus="0.1",
    ),
    case(
        "two-contact-hours",
        "minutes",
        f"{SEED_CALC}: 2 contact hours (120 minutes) = .2 IACET CEUs",
        {"minutes": "120"},
        contact_minutes="120",
        ceus="0.2",
    ),
    case(
        "ten-contact-hours",
        "minutes",
        f"{SEED_CALC}: 10 contact hours = 1.0 IACET CEUs",
        {"minutes": "600"},
        contact_hours="10.00",
        ceus="1.0",
    ),
    case(
        "seed-300-of-340",
        "minutes",
        f"{SEED_CALC}: 300 minutes of instruction, 40 minutes of breaks -> .5 CEU",
        {"minutes": "340", "excluded": "40"},
        contact_minutes="300",
        contact_hours="5.00",
        ceus="0.5",
    ),
    case(
        "round-once-269",
        "minutes",
        "issue 4: round once (269 min = 0.448 CEU -> 0.4, not 4.5 h -> 0.5)",
        {"minutes": "269"},
        ceus="0.4",
        contact_hours="4.48",
    ),
    case(
        "thirty-minutes-minimum",
        "minutes",
        f"{IACET_BLOG}: never less than 0.1 CEU; 30 min = 0.05 -> 0.1",
        {"minutes": "30"},
        ceus="0.1",
        earns_ceu=True,
    ),
    case(
        "under-thirty-minutes",
        "minutes",
        f"{IACET_BLOG}: under 30 minutes earns no IACET CEU",
        {"minutes": "29"},
        ceus="0.0",
        earns_ceu=False,
    ),
    case(
        "half-up-0.15",
        "minutes",
        f"{IACET_BLOG}: nearest tenth, halves up (90 min = 0.15 -> 0.2)",
        {"minutes": "90"},
        ceus="0.2",
    ),
    case(
        "fractional-minutes",
        "minutes",
        "decimal minutes are exact",
        {"minutes": "90.5", "excluded": "0.5"},
        contact_minutes="90.0",
        ceus="0.2",
    ),
    case(
        "excluded-over-total",
        "minutes",
        "bad input",
        {"minutes": "60", "excluded": "90"},
        error={"field": "excluded_minutes"},
    ),
    case("negative-minutes", "minutes", "bad input", {"minutes": "-5"}, error={"field": "total_minutes"}),
    case("not-a-number", "minutes", "bad input", {"minutes": "an hour"}, error={"field": "total_minutes"}),
    # --- agendas ----------------------------------------------------------------
    case(
        "agenda-breaks-and-lunch",
        "agenda",
        f"{SEED_CALC}: breaks and non-working lunch do not count",
        {
            "agenda": "Day 1\n09:00-10:00 Keynote\n10:00-10:15 Coffee break\n10:15-12:00 Workshop\n"
            "12:00-13:00 Lunch (non-working)\n13:00-14:30 Case studies\n"
        },
        total_minutes="330",
        contact_minutes="255",
        ceus="0.4",
    ),
    case(
        "agenda-working-lunch-counts",
        "agenda",
        "issue 4: 'working lunch' counts",
        {"agenda": "12:00-13:00 Working lunch: ethics cases\n"},
        contact_minutes="60",
        ceus="0.1",
    ),
    case(
        "agenda-non-working-contains-working",
        "agenda",
        "issue 4: 'Lunch (non-working)' contains 'working'",
        {"agenda": "12:00-13:00 Lunch (non-working)\n13:00-14:00 Lecture\n"},
        contact_minutes="60",
    ),
    case(
        "agenda-plain-meal-excluded",
        "agenda",
        f"{SEED_CALC}: non-working lunch is not allowed",
        {"agenda": "08:00-08:30 Breakfast\n08:30-09:30 Lecture\n"},
        contact_minutes="60",
    ),
    case(
        "agenda-promotional",
        "agenda",
        f"{SEED_CALC}: anything promotional in nature",
        {"agenda": "09:00-10:00 Lecture\n10:00-10:30 Sponsor showcase\n10:30-11:00 Product demo\n"},
        contact_minutes="60",
    ),
    case(
        "agenda-unsupervised",
        "agenda",
        f"{SEED_CALC}: unsupervised or unsponsored activities",
        {"agenda": "09:00-10:00 Lecture\n10:00-11:00 Networking reception\n11:00-11:30 Free time\n"},
        contact_minutes="60",
    ),
    case(
        "agenda-breakout-counts",
        "agenda",
        "keyword rule: a breakout session is instruction, not a break",
        {"agenda": "09:00-10:00 Breakout sessions\n10:00-11:00 Break-out session B\n"},
        contact_minutes="120",
    ),
    case(
        "agenda-tag-counted",
        "agenda",
        "issue 4: a [counted] tag overrides the keywords",
        {"agenda": "12:00-13:00 Lunch and learn [counted]\n"},
        contact_minutes="60",
    ),
    case(
        "agenda-tag-excluded",
        "agenda",
        "issue 4: an [excluded: reason] tag overrides the keywords",
        {"agenda": "09:00-10:00 Lecture\n10:00-11:00 Lab [excluded: optional, unsupervised]\n"},
        contact_minutes="60",
    ),
    case(
        "agenda-two-days",
        "agenda",
        "day headers: the same times on two days do not overlap",
        {"agenda": "Day 1\n09:00-12:00 Lecture\nDay 2\n09:00-12:00 Lecture\n"},
        contact_minutes="360",
        ceus="0.6",
    ),
    case(
        "agenda-iso-dates",
        "agenda",
        "day headers may be ISO dates",
        {"agenda": "2026-03-14\n09:00-10:00 A\n2026-03-15\n09:00-10:00 B\n"},
        contact_minutes="120",
    ),
    case(
        "agenda-end-before-start",
        "agenda",
        "issue 4: end not after start is an error",
        {"agenda": "# title\n10:00-09:00 Lecture\n"},
        error={"field": "agenda", "line": 2},
    ),
    case(
        "agenda-overlap",
        "agenda",
        "issue 4: overlapping lines within a day are an error",
        {"agenda": "09:00-10:00 A\n09:30-11:00 B\n"},
        error={"field": "agenda", "line": 2},
    ),
    case(
        "agenda-unreadable",
        "agenda",
        "issue 4: an unparseable line is an error naming the line",
        {"agenda": "09:00-10:00 A\n\nnine to ten: B\n"},
        error={"field": "agenda", "line": 3},
    ),
    case(
        "agenda-date-that-does-not-exist",
        "agenda",
        "dates must exist",
        {"agenda": "2026-02-30\n09:00-10:00 A\n"},
        error={"field": "agenda", "line": 1},
    ),
    # --- activity lists -----------------------------------------------------------
    case(
        "activities-seed",
        "activities",
        f"{SEED_CALC}: allowed and not-allowed activities",
        {
            "csv": "kind,minutes,title\nclassroom,180,Lecture\nself-paced,60,Module\ndistance,60,Webinar\n"
            "break,40,Breaks\nmeal,60,Lunch\npromotional,15,Sponsor talk\n"
        },
        total_minutes="415",
        contact_minutes="300",
        ceus="0.5",
    ),
    case(
        "activities-unknown-kind",
        "activities",
        "vocabulary",
        {"csv": "kind,minutes\nnap,20\n"},
        error={"field": "activities", "line": 2},
    ),
    # --- course plans -------------------------------------------------------------
    case(
        "plan-cpe-form",
        "plan",
        "seed CPE form: hours per week or per instance, 51% rule",
        {
            "json": '{"weeks": 15, "rows": ['
            '{"activity": "Group supervision", "delivery": "instruction", "hours": 3, "per": "week"},'
            '{"activity": "Individual supervision", "delivery": "instruction", "hours": 1, "per": "week"},'
            '{"activity": "Online modules", "delivery": "distance", "hours": 2, "per": "week"},'
            '{"activity": "Reading", "delivery": "self-paced", "hours": 4, "per": "week"},'
            '{"activity": "Mid-course evaluation", "delivery": "instruction", "hours": 3, "per": "instance"},'
            '{"activity": "Final evaluation", "delivery": "instruction", "hours": 5, "per": "instance"}]}'
        },
        ceu={"contact_minutes": "9480", "ceus": "15.8"},
        delivery={"passes": False},
    ),
    case(
        "plan-exactly-51-percent",
        "plan",
        "issue 4: exactly 51% passes",
        {
            "csv": "activity,delivery,amount,unit,per,count\nClass,instruction,51,minutes,instance,1\n"
            "Online,distance,49,minutes,instance,1\n"
        },
        delivery={"passes": True, "component_share": "0.51"},
    ),
    case(
        "plan-just-under-51-percent",
        "plan",
        "issue 4: 50.9% fails",
        {
            "csv": "activity,delivery,amount,unit,per,count\nClass,instruction,509,minutes,instance,1\n"
            "Online,distance,491,minutes,instance,1\n"
        },
        delivery={"passes": False},
    ),
    case(
        "plan-bad-delivery",
        "plan",
        "vocabulary",
        {"csv": "activity,delivery,amount,unit,per,count\nClass,classroom,1,hours,week,3\n"},
        error={"field": "plan", "line": 2},
    ),
    # --- other bodies' units ------------------------------------------------------
    case(
        "convert-720",
        "convert",
        "issue 4: known rate, increments, and 'unknown' where silent",
        {"minutes": "735", "systems_csv": SYSTEMS_CSV},
        conversions=[
            {"exact": "1.225", "reported": "1.225"},
            {"exact": "12.25", "reported": "12.25"},
            {"exact": "12.25", "reported": "12.25"},
            {"exact": None, "reported": None, "shown": "not stated by the source"},
        ],
    ),
    case(
        "convert-rounds-down",
        "convert",
        "increment with a stated rounding rule",
        {"minutes": "70", "systems_csv": SYSTEMS_CSV},
        conversions=[
            {"exact": "7/60", "reported": "7/60"},
            {"exact": "7/6", "reported": "1"},
            {"exact": "7/6", "reported": None},
            {"exact": None, "reported": None},
        ],
    ),
    # --- ACE CECs (seed ace-cec-faq.txt) -------------------------------------------
    case(
        "cec-structured-hours",
        "cec",
        f"{SEED_ACE}: 0.1 CEC per hour of structured learning",
        {"hours": "20"},
        cecs="2.0",
    ),
    case(
        "cec-semester-hours",
        "cec",
        f"{SEED_ACE}: one semester hour = 1.0 CEC (3-semester-hour course = 3.0)",
        {"semester_hours": "3", "grade": "B"},
        cecs="3.0",
    ),
    case(
        "cec-quarter-hours",
        "cec",
        f"{SEED_ACE}: a quarter hour = 0.8 CEC",
        {"quarter_hours": "2", "grade": "C"},
        cecs="1.6",
    ),
    case(
        "cec-grade-below-c",
        "cec",
        f"{SEED_ACE}: at least a C grade",
        {"semester_hours": "3", "grade": "D"},
        cecs="0",
    ),
    case(
        "cec-safety",
        "cec",
        f"{SEED_ACE}: 0.2 CEC each for CPR, AED, First-Aid",
        {"cpr": True, "aed": True, "first_aid": True},
        cecs="0.6",
    ),
    case(
        "cec-workout", "cec", f"{SEED_ACE}: workout sessions earn nothing", {"workout_hours": "5"}, cecs="0"
    ),
    case(
        "course-number-valid",
        "course-number",
        f"{SEED_ACE}: CEP/CP/CA/CS/CL + 5-6 digits",
        {"number": "CA23456"},
        course_number="CA23456",
    ),
    case(
        "course-number-invalid",
        "course-number",
        f"{SEED_ACE}: other forms are rejected",
        {"number": "CEP1234"},
        error={"field": "course_number"},
    ),
    case(
        "recert-no-carry-over-and-once",
        "recert",
        f"{SEED_ACE}: no carry-over; a course counts once",
        {
            "as_of": "2026-11-01",
            "json": '{"certifications": [{"name": "PT", "period_start": "2025-01-01"}], "records": ['
            '{"kind": "course", "course_number": "CEP123456", "completed_on": "03/15/2025", "cecs": "1.2"},'
            '{"kind": "course", "course_number": "CEP123456", "completed_on": "2025-09-01", "cecs": "1.2"},'
            '{"kind": "course", "course_number": "CEP654321", "completed_on": "2024-12-31", "cecs": "1.0"},'
            '{"kind": "cpr", "completed_on": "2025-06-01"}, {"kind": "cpr", "completed_on": "2026-06-01"}]}',
        },
        certifications=[{"earned": "1.4", "remaining": "0.6"}],
    ),
    # --- eligibility and deadlines (seed ceu-eligibility-and-approval.txt) ---------------
    case(
        "eligibility-ineligible-type",
        "eligibility",
        f"{SEED_APPROVAL}: committee meetings are ineligible",
        {"json": '{"program_type": "committee-meeting", "criteria": {}}'},
        status="not eligible",
    ),
    case(
        "eligibility-missing",
        "eligibility",
        f"{SEED_APPROVAL}: unanswered criteria",
        {"json": '{"program_type": "workshop", "criteria": {"organized-setting": true}}'},
        status="missing information",
    ),
    case(
        "deadlines-full",
        "deadlines",
        f"{SEED_APPROVAL}: 14 days, 3 business days, 30 days, 7-10 business days",
        {
            "first_offering": "2026-09-14",
            "last_day": "2026-09-16",
            "submitted_on": "2026-09-04",
            "applied_on": "2026-09-18",
            "holidays": ["2026-09-07"],
        },
        deadlines=[{"date": "2026-08-31"}, {"date": "2026-09-10"}, {"date": "2026-10-16"}],
        credit_expected_from="2026-09-29",
        credit_expected_by="2026-10-02",
    ),
    case(
        "batch-july-gap",
        "batch",
        f"{SEED_APPROVAL}: no batch for July",
        {"session": "2026-07-15"},
        submit_by=None,
    ),
    case(
        "batch-autumn",
        "batch",
        f"{SEED_APPROVAL}: August-December by December",
        {"session": "2026-08-20"},
        submit_by="2026-12-31",
    ),
    case(
        "deadlines-calendar",
        "calendar",
        f"{SEED_APPROVAL}: the dates as calendar events, one per date, UIDs from the program and the event",
        {
            "of": "deadlines",
            "first_offering": "2026-09-14",
            "submitted_on": "2026-09-04",
            "applied_on": "2026-09-18",
            "sessions": ["2026-09-01"],
        },
        events=[
            {"day": day, "uid": event_uid("program:2026-09-14", key)}
            for day, key in [
                ("2026-08-31", "approval-request-due"),
                ("2026-09-09", "review-done-by"),
                ("2026-09-29", "credit-expected-from"),
                ("2026-10-02", "credit-expected-by"),
                ("2026-10-14", "participants-apply-by"),
                ("2026-12-31", "batch-august-december-2026"),
            ]
        ],
    ),
    # --- accreditation and the annual report (seed iacet-accreditation-maintenance.txt) ------
    case(
        "accreditation-year-five",
        "accreditation",
        f"{SEED_MAINTENANCE} and IACET reaccreditation page",
        {"accredited_on": "2022-03-01", "as_of": "2026-11-01"},
        year_of_cycle=5,
        expires_on="2027-03-01",
    ),
    case(
        "accreditation-calendar",
        "calendar",
        f"{SEED_MAINTENANCE} and IACET reaccreditation page: the cycle as calendar events",
        {"of": "accreditation", "accredited_on": "2022-03-01", "as_of": "2026-11-01"},
        events=[
            {"day": day, "uid": event_uid("iacet-accreditation:2022-03-01", key)}
            for day, key in [
                ("2022-12-01", "year-1-window-opens"),
                ("2023-03-01", "year-1-anniversary"),
                ("2023-12-02", "year-2-window-opens"),  # 90 days before 1 March of a leap year
                ("2024-03-01", "year-2-anniversary"),
                ("2024-12-01", "year-3-window-opens"),
                ("2025-03-01", "year-3-anniversary"),
                ("2025-09-01", "notice-18-months"),
                ("2025-12-01", "year-4-window-opens"),
                ("2026-03-01", "notice-12-months"),
                ("2026-03-01", "year-4-anniversary"),
                ("2026-09-01", "notice-6-months"),
                ("2026-12-01", "notice-3-months"),
                ("2026-12-01", "reaccreditation-application-due"),
                ("2027-03-01", "expiry"),
            ]
        ],
    ),
    case(
        "annual-report-window",
        "annual-report",
        f"{SEED_MAINTENANCE}: the four annual statistics",
        {
            "as_of": "2026-06-30",
            "csv": "learner_id,event_id,date,ceus_awarded\nann,ev1,2025-07-01,0.5\n"
            "ann,ev2,2025-08-01,0\nbob,ev1,2025-07-01,0.5\ncy,ev3,2025-06-30,1.0\n",
        },
        events=2,
        participants=3,
        learners_awarded=2,
        total_ceus="1.0",
    ),
    case(
        "annual-report-bad-lines",
        "annual-report",
        "any bad row: no figures",
        {"as_of": "2026-06-30", "csv": "learner_id,event_id,date,ceus_awarded\na,e,2026-02-30,1\n"},
        error={"field": "attendance", "line": 2},
    ),
]

# --- each body's rule, from its own worked examples (tests/engine/policy_cases.py) ------
CASES += [policy_case.as_engine_case() for policy_case in POLICY_CASES]
