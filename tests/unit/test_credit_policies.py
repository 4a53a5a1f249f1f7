"""Each body's counting rule: its own worked examples, the rule's invariants, and bad rule rows.

The worked examples (tests/engine/policy_cases.py) go through the real ``ceu`` command as
a subprocess; the same table runs in CPython and in the site's Pyodide (the parity test).
The invariants hold for every published rule and for rules hypothesis makes up.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems
from calc.policy import CreditSystem, figure_under, rule_problems
from tests.conftest import REPO_ROOT
from tests.engine.policy_cases import CASES, PUBLISHED_SYSTEMS, REQUIRED_POLICIES, PolicyCase
from tests.unit.test_cli import ceu

PUBLISHED = parse_credit_systems(PUBLISHED_SYSTEMS)
BY_ID = {system.id: system for system in PUBLISHED}


def _number(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


# --------------------------------------------------------------------------- the bodies' own examples


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_cli_gives_the_figure_of_the_bodys_own_worked_example(case: PolicyCase) -> None:
    if case.minutes:
        done = ceu(
            "iacet", "--minutes", case.minutes, "--policy", case.policy, "--json",
            *(("--condition-met",) if case.condition_met else ()),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        figure = json.loads(done.stdout)["under_policy"]
        assert figure["policy"]["id"] == case.policy
        if case.expected:
            assert (_number(figure["reported"]), figure["earns"]) == (Fraction(case.expected), True), (
                case.says
            )
        else:
            assert not figure["earns"] and figure["shown"].startswith("no "), case.says
            assert "minimum" in figure["explanation"] or "earns nothing" in figure["explanation"]
    else:
        done = ceu(
            "convert",
            "--semester-credits",
            case.semester or "0",
            "--quarter-credits",
            case.quarter or "0",
            "--json",
        )
        assert done.returncode == 0, done.stderr
        (figure,) = [c for c in json.loads(done.stdout)["conversions"] if c["policy"]["id"] == case.policy]
        assert _number(figure["units"]) == Fraction(case.expected), case.says


def test_every_rule_with_a_rate_has_a_case_from_its_own_source() -> None:
    covered = {case.policy for case in CASES}
    assert set(REQUIRED_POLICIES) <= covered and set(REQUIRED_POLICIES) <= set(BY_ID)
    with_rate = {system.id for system in PUBLISHED if system.minutes_per_unit is not None}
    assert with_rate <= covered, f"rules with no worked-example case: {sorted(with_rate - covered)}"


@pytest.mark.parametrize(
    "system", [s for s in PUBLISHED if s.example_minutes is not None], ids=lambda s: s.id
)
def test_every_published_rule_reproduces_the_example_it_cites(system: CreditSystem) -> None:
    assert system.example_minutes is not None and system.example_units is not None
    figure = figure_under(system, system.example_minutes)
    assert figure.reported == Fraction(system.example_units)


def test_iacet_row_is_the_engines_own_iacet_rule() -> None:
    """``ceu iacet`` without --policy and the iacet-ceu row agree on every minute of a day and beyond."""
    from calc.ceu import iacet_ceus

    for minutes in range(0, 3001):
        engine = iacet_ceus(minutes).ceus
        row = figure_under(BY_ID["iacet-ceu"], Decimal(minutes)).reported
        assert row == Fraction(engine), minutes


# --------------------------------------------------------------------------- invariants

STEPS = st.sampled_from(
    [
        Fraction(1, 10),
        Fraction(1, 4),
        Fraction(1, 20),
        Fraction(1, 2),
        Fraction(1, 3),
        Fraction(1, 5),
        Fraction(1),
    ]
)


@st.composite
def rules(draw: st.DrawFn) -> CreditSystem:
    """Any rule a row could state and the validator would accept."""
    rate = Decimal(draw(st.sampled_from([50, 60, 600, 1500, 2700])))
    step = draw(st.none() | STEPS)
    rounding = None if step is None else draw(st.sampled_from([None, "down", "half-up", "threshold"]))
    threshold = None
    if rounding == "threshold" and step is not None:
        step_minutes = Fraction(rate) * step
        threshold = Decimal(draw(st.integers(1, max(1, int(step_minutes) - 1))))
    award = None
    if (
        rounding is not None
        and step is not None
        and step.denominator in (1, 2, 4, 5, 10, 20)
        and draw(st.booleans())
    ):
        # a whole number of steps, written as the decimal a row would hold (thirds have none)
        award = Decimal(draw(st.integers(1, 10)) * step.numerator) / step.denominator
    system = CreditSystem(
        "made-up",
        "A body",
        "unit",
        "https://example.org",
        minutes_per_unit=rate,
        increment=step,
        rounding=rounding,
        threshold_minutes=threshold,
        minimum_minutes=draw(
            st.none() | st.sampled_from([Decimal(25), Decimal(45), Decimal(50), Decimal(60)])
        ),
        minimum_award=award
        if award is None or award == award.to_integral_value() or step.denominator in (2, 4, 5, 10, 20)
        else None,
        multiplier=draw(st.none() | st.sampled_from([Decimal("1.25"), Decimal("2")])),
    )
    if system.multiplier is not None:
        system = CreditSystem(**{**system.__dict__, "multiplier_condition": "an assessment"})
    assert not list(rule_problems(system)), list(rule_problems(system))
    return system


ANY_RULE = rules() | st.sampled_from([s for s in PUBLISHED if s.minutes_per_unit is not None])
MINUTES = st.integers(0, 100_000).map(Decimal) | st.decimals(0, 5000, places=2)


@settings(max_examples=300, deadline=None)
@given(rule=ANY_RULE, a=MINUTES, b=MINUTES, condition=st.booleans())
def test_more_minutes_never_report_less(rule: CreditSystem, a: Decimal, b: Decimal, condition: bool) -> None:
    low, high = sorted((a, b))
    first = figure_under(rule, low, condition_met=condition).reported
    second = figure_under(rule, high, condition_met=condition).reported
    if first is not None and second is not None:
        assert first <= second


@settings(max_examples=300, deadline=None)
@given(rule=ANY_RULE, minutes=MINUTES, condition=st.booleans())
def test_every_reported_figure_is_a_whole_number_of_steps(
    rule: CreditSystem, minutes: Decimal, condition: bool
) -> None:
    figure = figure_under(rule, minutes, condition_met=condition)
    if figure.reported is not None and rule.increment is not None:
        assert figure.reported % rule.increment == 0


@settings(max_examples=300, deadline=None)
@given(rule=ANY_RULE, minutes=MINUTES)
def test_rounding_down_never_reports_more_than_the_exact_figure(rule: CreditSystem, minutes: Decimal) -> None:
    figure = figure_under(rule, minutes)
    if rule.rounding == "down" and figure.reported is not None:
        assert figure.exact is not None and figure.reported <= figure.exact


@settings(max_examples=300, deadline=None)
@given(rule=ANY_RULE, minutes=MINUTES)
def test_below_a_minimum_the_result_says_so_in_words(rule: CreditSystem, minutes: Decimal) -> None:
    figure = figure_under(rule, minutes)
    too_short = rule.minimum_minutes is not None and minutes < rule.minimum_minutes
    if too_short:
        assert not figure.earns and figure.shown == f"no {rule.unit}"
        assert f"under the minimum length of {rule.minimum_minutes}" in figure.explanation
    if not figure.earns:
        assert figure.shown == f"no {rule.unit}" and figure.explanation
        assert figure.shown != "0"


# --------------------------------------------------------------------------- the command line


def test_policies_lists_every_rule_with_its_source_and_example() -> None:
    done = ceu("policies", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["policies"]
    assert [p["id"] for p in listed] == [s.id for s in PUBLISHED]
    assert all(p["source_url"].startswith(("http://", "https://")) for p in listed)
    text = ceu("policies").stdout
    assert "asha-ceu: American Speech-Language-Hearing Association (ASHA), ASHA CEU (body's rule)" in text
    assert "Worked example from the source: 938 minutes = 1.55 ASHA CEU" in text
    assert "(convention, not a body's rule)" in text


def test_a_custom_rule_from_flags() -> None:
    done = ceu(
        "iacet", "--minutes", "140", "--minutes-per-unit", "50", "--step", "0.5", "--rounding", "down",
        "--minimum-minutes", "50", "--unit", "CPE credit",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Under your rule: 2.5 CPE credit" in done.stdout
    assert "Rule: 1 CPE credit per 50 minutes; nothing for an event under 50 minutes" in done.stdout
    short = ceu("iacet", "--minutes", "40", "--minutes-per-unit", "50", "--minimum-minutes", "50", "--json")
    figure = json.loads(short.stdout)["under_policy"]
    assert not figure["earns"] and "under the minimum length of 50 minutes" in figure["explanation"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--policy", "no-such-rule"), "--policy 'no-such-rule' is not a listed rule"),
        (("--policy", "asha-ceu", "--step", "0.5"), "give one or the other"),
        (("--minutes-per-unit", "60", "--step", "0"), "--step: '0' is outside 0.001 to 100"),
        (("--minutes-per-unit", "60", "--step", "1e-28"), "--step: '1e-28' is outside 0.001 to 100"),
        (("--minutes-per-unit", "0"), "--minutes-per-unit: '0' is outside 1 to 6000"),
        (("--minutes-per-unit", "60", "--rounding", "down"), "--rounding: needs an increment"),
        (("--step", "0.25"), "--minutes-per-unit: a custom rule needs the minutes that earn one unit"),
        (
            ("--minutes-per-unit", "60", "--step", "0.25", "--rounding", "down", "--minimum-award", "0.3"),
            "--minimum-award: 0.3 is not a whole number",
        ),
        (("--policy", "asha-ceu", "--days", "0"), "--days: '0' is not a whole number of days"),
        (("--condition-met",), "--days and --condition-met go with --policy or a custom rule"),
    ],
)
def test_a_bad_rule_on_the_command_line_exits_2_naming_the_flag(args: tuple[str, ...], message: str) -> None:
    done = ceu("iacet", "--minutes", "60", *args)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_convert_shows_short_exact_figures_and_says_what_is_not_stated() -> None:
    done = ceu("convert", "--minutes", "320")
    assert done.returncode == 0, done.stderr
    assert "16/3 \u2248 5.3333" in done.stdout and "333333" not in done.stdout
    assert (
        "American Board of Industrial Hygiene (CIH: IH and Safety education events): 8/9 \u2248 0.8889 CM point"
        in done.stdout
    )
    assert (
        "National Commission for Health Education Credentialing (CHES/MCHES): not stated by the source"
        in done.stdout
    )
    academic = ceu("convert", "--semester-credits", "3")
    assert (
        "North Carolina Board of Examiners for Engineers and Surveyors (PE and PLS licence renewal (21 NCAC 56 .1704)): 135 PDH"
        in academic.stdout
    )
    assert "ASHRAE (ASHRAE certifications): 45 ASHRAE Continuing Education (ACE) unit" in academic.stdout
    assert (
        "American Board of Industrial Hygiene (CIH: IH and Safety education events): 7.5 CM point"
        in academic.stdout
    )
    assert (
        "American Society for Quality (ASQ certifications that require recertification (e.g. CQE, CQA, SSBB)): not stated by the source"
        in academic.stdout
    )
    both = ceu("convert", "--minutes", "60", "--semester-credits", "1")
    assert both.returncode == 2 and "not both kinds" in both.stderr


# --------------------------------------------------------------------------- bad rule rows

BAD_ROWS = [
    ("a-step-of-zero", {"increment": "0"}, "increment: '0' is too small"),
    ("a-step-of-1e-28", {"increment": "1e-28"}, "increment: '1e-28' is not a number written like"),
    ("a-negative-step", {"increment": "-0.25"}, "increment: '-0.25' is not a number written like"),
    (
        "a-fraction-over-zero",
        {"increment": "1/0"},
        "increment: '1/0' is not a number written like 0.25 or a fraction",
    ),
    (
        "an-unknown-mode",
        {"rounding": "sideways"},
        "rounding: 'sideways' is not one of: down, half-up, threshold",
    ),
    ("a-mode-without-a-step", {"increment": "", "rounding": "down"}, "rounding: needs an increment"),
    (
        "a-threshold-without-minutes",
        {"rounding": "threshold"},
        "threshold_minutes: is given exactly when rounding is 'threshold'",
    ),
    (
        "a-threshold-as-long-as-a-step",
        {"rounding": "threshold", "threshold_minutes": "15"},
        "threshold_minutes: must be less than the 15 minutes of one step",
    ),
    (
        "a-minimum-award-above-the-cap",
        {"minimum_award": "2", "daily_cap": "1"},
        "minimum_award: 2 is above the daily cap of 1",
    ),
    (
        "a-minimum-longer-than-the-cap",
        {"minimum_minutes": "120", "daily_cap": "1"},
        "minimum_minutes: 120 minutes earns more than the daily cap of 1",
    ),
    (
        "a-minimum-award-without-rounding",
        {"rounding": "", "minimum_award": "1"},
        "minimum_award: needs a rounding mode",
    ),
    (
        "a-minimum-award-off-the-step",
        {"minimum_award": "0.3"},
        "minimum_award: 0.3 is not a whole number of 0.25 steps",
    ),
    (
        "a-multiplier-without-its-condition",
        {"multiplier": "1.25"},
        "multiplier_condition: is given exactly when a multiplier is",
    ),
    (
        "a-multiplier-of-1000",
        {"multiplier": "1000", "multiplier_condition": "x"},
        "multiplier: '1000' is too large",
    ),
    (
        "an-example-the-rule-does-not-give",
        {"example_units": "2"},
        "example_units: the source's worked example gives 2 for 320 minutes, but this row's rule gives 5.25",
    ),
]


def _data_with(tmp_path: Path, change: dict[str, str]) -> tuple[Path, int]:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "directory_data", data)
    rows = list(csv.DictReader(io.StringIO((data / "credit_systems.csv").read_text(encoding="utf-8"))))
    line = next(number for number, row in enumerate(rows, start=2) if row["id"] == "hrci-credit")
    rows[line - 2].update(change)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data / "credit_systems.csv").write_text(out.getvalue(), encoding="utf-8")
    return data, line


@pytest.mark.parametrize(("name", "change", "message"), BAD_ROWS, ids=[row[0] for row in BAD_ROWS])
def test_a_bad_rule_row_fails_validation_at_its_cell(
    tmp_path: Path, name: str, change: dict[str, str], message: str
) -> None:
    data, line = _data_with(tmp_path, change)
    done = ceu("directory", "validate", str(data))
    assert done.returncode == 2, done.stdout
    assert f"credit_systems.csv:{line}: {message}" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    refused = ceu("convert", "--minutes", "60", "--systems", str(data / "credit_systems.csv"))
    assert refused.returncode == 2 and f"credit_systems.csv:{line}: cannot read the row" in refused.stderr


# --------------------------------------------------------------------------- a table's shape (issue 34)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (lambda rows: rows[1] + "," * 1_000_000, 2, "is over 131,072 characters long, far longer than a row"),
        (lambda rows: rows[1] + ",x,y", 2, "has 28 values but the header has 26 columns"),
        (lambda rows: rows[1] + ',"a, b"', 2, "has 27 values but the header has 26 columns"),
    ],
    ids=["a-million-commas", "two-extra-values", "one-extra-quoted-value"],
)
def test_values_past_the_header_are_refused_by_the_command(tmp_path: Path, change, line, message) -> None:
    """`ceu convert --systems` used to read a row of a million extra columns as if they were not there."""
    rows = PUBLISHED_SYSTEMS.split("\n")
    rows[line - 1] = change(rows)
    path = tmp_path / "credit_systems.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    done = ceu("convert", "--minutes", "60", "--systems", str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"ceu convert: error: {path}:{line}: {message}"), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_the_engine_s_line_limit_is_the_directory_s_row_limit():
    """calc cannot import directory: the one figure is kept equal here."""
    from calc.conversions import MAX_LINE_CHARS
    from directory.data_files import MAX_ROW_BYTES

    assert MAX_LINE_CHARS == MAX_ROW_BYTES
