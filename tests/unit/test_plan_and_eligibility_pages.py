"""The course-plan and eligibility page models give the CLI's figures for the seeds' cases,
put bad input beside its field, and their build-time embeds render or name the bad line."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from calc.delivery import DELIVERY_MODES
from calc.eligibility import CRITERIA, ELIGIBLE_TYPES, INELIGIBLE_TYPES
from calculator_pages import eligibility_page, plan_page
from calculator_pages.outcome import Outcome
from site_build.embeds import EmbedError, render
from tests.conftest import REPO_ROOT
from tests.engine.page_cases import CASES, PLAN_CASES, SEED_ROWS, PageCase

CEU = Path(sys.executable).parent / "ceu"


def page_outcome(case: PageCase) -> Outcome:
    if case.page == "plan":
        return plan_page.compute(case.values, case.rows)
    return eligibility_page.compute(case.values)


def run_cli(case: PageCase, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / case.cli_file
    path.write_text(case.cli_text, encoding="utf-8")
    command = [str(CEU)] if CEU.exists() else [sys.executable, "-m", "ceu_cli"]
    return subprocess.run(
        [*command, *case.cli_args(path)], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )


def table(outcome: Outcome, key: str) -> tuple[tuple[str, ...], ...]:
    return next(t.rows for t in outcome.tables if t.key == key)


def same_number(page: str, cli: str) -> bool:
    return Decimal(page) == Decimal(cli)


def check_plan(outcome: Outcome, cli: dict[str, Any]) -> None:
    ceu, mix = cli["ceu"], cli["delivery"]
    for key in ("contact_minutes", "contact_hours", "ceus_unrounded"):
        assert same_number(outcome.figure(key), ceu[key]), key
    assert outcome.figure("ceus") == ceu["ceus"]
    assert same_number(outcome.figure("component_minutes"), mix["component_minutes"])
    assert outcome.figure("component_share") == plan_page.percent(Decimal(mix["component_share"]))
    assert same_number(outcome.figure("threshold"), str(Decimal(mix["threshold"]) * 100))
    assert outcome.figure("delivery_check") == ("passes" if mix["passes"] else "fails")
    rows = table(outcome, "plan-rows")
    assert [
        (r[1], r[2], Decimal(r[3].rsplit(" = ", 1)[1].removesuffix(" min")), r[4], r[5]) for r in rows
    ] == [
        (
            item["row"]["activity"],
            item["row"]["delivery"],
            Decimal(item["minutes"]),
            plan_page.hours(Decimal(item["hours"])),
            f"{plan_page.percent(Decimal(item['share']))}%",
        )
        for item in cli["rows"]
    ]
    modes = table(outcome, "delivery-mix")
    assert [(m[0], Decimal(m[1])) for m in modes] == [
        (m["mode"], Decimal(m["minutes"])) for m in mix["modes"]
    ]
    assert outcome.summary.endswith(mix["explanation"][1:])


def check_eligibility(outcome: Outcome, cli: dict[str, Any]) -> None:
    assert outcome.figure("status") == cli["status"]
    assert outcome.summary == cli["summary"]
    assert [(r[0], r[3], r[4]) for r in table(outcome, "checklist")] == [
        (item["id"], item["verdict"], item["reason"]) for item in cli["items"]
    ]
    for verdict in ("met", "fails", "unanswered"):
        assert outcome.figure(verdict) == str(sum(item["verdict"] == verdict for item in cli["items"]))


@pytest.mark.parametrize("case", [c for c in CASES if not c.error], ids=lambda c: c.id)
def test_the_page_gives_the_cli_figures(case: PageCase, tmp_path: Path) -> None:
    outcome = page_outcome(case)
    assert outcome.ok, outcome.errors
    for key, value in case.expected.items():
        assert outcome.figure(key) == value, key
    done = run_cli(case, tmp_path)
    assert done.returncode == case.cli_status, done.stderr
    cli = json.loads(done.stdout)
    (check_plan if case.page == "plan" else check_eligibility)(outcome, cli)


@pytest.mark.parametrize("case", [c for c in CASES if c.error], ids=lambda c: c.id)
def test_bad_input_names_its_field_and_the_cli_refuses_it_too(case: PageCase, tmp_path: Path) -> None:
    outcome = page_outcome(case)
    assert [error.field for error in outcome.errors] == [case.error]
    assert outcome.figures == () and outcome.summary == outcome.errors[0].message
    assert "Traceback" not in outcome.summary
    if case.cli_text:
        done = run_cli(case, tmp_path)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert outcome.errors[0].message in done.stderr


def test_every_bad_row_gets_its_own_message() -> None:
    rows = [dict(r) for r in SEED_ROWS]
    rows[1]["amount"], rows[4]["delivery"] = "lots", "classroom"
    outcome = plan_page.compute(PLAN_CASES[0].values, rows)
    assert [error.field for error in outcome.errors] == ["row-2-amount", "row-5-delivery"]
    assert all(
        error.message.startswith(f"row {n}: ") for n, error in zip((2, 5), outcome.errors, strict=True)
    )


def test_a_form_without_the_tick_boxes_uses_the_engines_default_component() -> None:
    outcome = plan_page.compute({}, SEED_ROWS)
    assert outcome.figure("component_minutes") == "4080"


@pytest.mark.parametrize("case", [c for c in CASES if not c.error], ids=lambda c: c.id)
def test_every_step_has_a_rule_and_a_source(case: PageCase) -> None:
    outcome = page_outcome(case)
    assert outcome.steps and all(step.text and step.rule and step.source for step in outcome.steps)
    assert outcome.inputs


def test_plan_steps_show_each_rows_arithmetic_and_the_check() -> None:
    steps = [step.text for step in plan_page.compute(PLAN_CASES[0].values, SEED_ROWS).steps]
    assert (
        steps[0]
        == "Row 1, Group supervision (classroom): 180 min per week x 15 weeks = 2700 contact minutes (instruction)."
    )
    assert "= 9480 contact minutes in the plan." in steps[6]
    assert "9480 / 600 = 15.8 CEU before rounding." in steps
    assert steps[-1].startswith("instruction: 4080 of 9480 contact minutes = 43% (fails")


def test_eligibility_steps_name_every_item_and_the_result() -> None:
    outcome = eligibility_page.compute({"program_type": "workshop", **dict.fromkeys(CRITERIA, "yes")})
    assert len(outcome.steps) == len(CRITERIA) + 2
    assert outcome.steps[0].text.startswith("Be held in an organized and structured setting: yes, so met")
    assert outcome.steps[-1].text.startswith("Result: eligible.")


# ---- the form's markup


class Form(HTMLParser):
    """Ids, labels' targets and the controls of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "label":
            if found.get("for"):
                self.labelled.add(str(found["for"]))
            self._label_depth += 1
        if tag in ("input", "select", "textarea", "button"):
            self.controls.append({**found, "tag": tag, "wrapped": "yes" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def parsed(markup: str) -> Form:
    form = Form()
    form.feed(markup)
    return form


def test_plan_form_rows_are_labelled_numbered_and_templated() -> None:
    markup = plan_page.form_html(list(SEED_ROWS))
    form = parsed(markup)
    assert len(form.ids) == len(set(form.ids)), "duplicate ids"
    for control in form.controls:
        if control["tag"] == "button":
            continue
        assert control["wrapped"] or control.get("id") in form.labelled, control
    assert markup.count('data-row="') == len(SEED_ROWS) + 1  # the rows and the template
    assert '<template><fieldset class="calc-row" data-row="__N__" id="plan-row-__N__">' in markup
    assert 'id="plan-row-2-amount" name="amount"' in markup and 'id="plan-error-row-2-amount"' in markup
    assert 'aria-labelledby="plan-row-3-remove plan-row-3-activity">Remove row 3</button>' in markup
    assert 'value="Reading time"' in markup
    for mode in DELIVERY_MODES:
        assert f'<option value="{mode}"' in markup and f'name="component-{mode}"' in markup
    assert 'data-action="add-row"' in markup and 'id="plan-error-rows"' in markup


def test_eligibility_questions_use_the_engines_wording_and_types() -> None:
    markup = eligibility_page.questions_html()
    form = parsed(markup)
    assert len(form.ids) == len(set(form.ids))
    assert all(c["wrapped"] or c.get("id") in form.labelled for c in form.controls)
    for key, text in CRITERIA.items():
        assert f"The program will {text}</legend>" in markup.replace("&#x27;", "'")
        assert f'name="{key}" value="not-yet" id="eligibility-{key}-not-yet" checked' in markup
        assert f'id="eligibility-error-{key}"' in markup
    for key in (*ELIGIBLE_TYPES, *INELIGIBLE_TYPES):
        assert f'<option value="{key}">' in markup
    assert '<option value="" selected>Not chosen</option>' in markup


def test_rows_from_csv_keep_the_text_as_typed() -> None:
    text = "Activity,Delivery,Amount,Unit,Per,Count\nA,instruction,1.5,hours,week,3\n,,,,,\n"
    assert plan_page.rows_from_csv(text) == [
        {
            "activity": "A",
            "delivery": "instruction",
            "amount": "1.5",
            "unit": "hours",
            "per": "week",
            "count": "3",
        }
    ]


# ---- build-time embeds

PLAN_CSV = "activity,delivery,amount,unit,per,count\nClass,instruction,51,minutes,instance,1\nOnline,distance,49,minutes,instance,1\n"


def test_plan_example_embed_shows_steps_figures_and_the_check() -> None:
    html = render(f"embed: plan-example\n\n{PLAN_CSV}", ())
    assert 'data-embed="plan-example"' in html
    assert 'data-key="delivery_check" data-value="passes"' in html
    assert "instruction: 51 of 100 contact minutes = 51% (passes" in html
    assert 'data-table="plan-rows"' in html and 'data-table="delivery-mix"' in html
    assert "Rule:" in html and "Source:" in html


def test_plan_example_embed_takes_the_component() -> None:
    html = render(f"embed: plan-example\ncomponent: distance\n\n{PLAN_CSV}", ())
    assert 'data-key="delivery_check" data-value="fails"' in html


def test_plan_form_and_eligibility_embeds_render_the_forms() -> None:
    assert 'data-rows="plan"' in render(f"embed: plan-form\n\n{PLAN_CSV}", ())
    assert 'name="participant-evaluation"' in render("embed: eligibility-questions", ())


def test_eligibility_example_embed_matches_the_cli_shape() -> None:
    body = '{"program_type": "committee-meeting", "criteria": {}}'
    html = render(f"embed: eligibility-example\n\n{body}", ())
    assert 'data-key="status" data-value="not eligible"' in html
    assert "committee meetings are not eligible for CEUs" in html


@pytest.mark.parametrize(
    ("block", "line", "words"),
    [
        ("embed: plan-example", 2, "put the plan CSV"),
        ("embed: plan-example\n\nactivity,delivery\nA,instruction", 3, "expected the header"),
        (f"embed: plan-example\n\n{PLAN_CSV}Lab,lab,1,hours,week,2\n", 6, "delivery 'lab'"),
        (f"embed: plan-example\n\n{PLAN_CSV.replace('49,minutes', 'x,minutes')}", 5, "'x' is not a number"),
        (f"embed: plan-example\ncomponent: classroom\n\n{PLAN_CSV}", 2, "'classroom' is not one of"),
        (f"embed: plan-example\nweeks: 3\n\n{PLAN_CSV}", 2, "takes no 'weeks'"),
        (
            "embed: plan-form\n\nactivity,delivery,amount,unit,per,count\n,instruction,1,hours,week,1",
            4,
            "activity",
        ),
        ("embed: eligibility-example", 2, "put the checklist JSON"),
        (
            'embed: eligibility-example\n\n{"program_type": "workshop",\n "criteria": {"x": tru}}',
            4,
            "not valid JSON",
        ),
        (
            'embed: eligibility-example\n\n{"program_type": "party", "criteria": {}}',
            3,
            "'party' is not a known",
        ),
        ("embed: eligibility-questions\nfoo: 1", 2, "takes no 'foo'"),
    ],
)
def test_a_wrong_block_names_its_line(block: str, line: int, words: str) -> None:
    with pytest.raises(EmbedError) as raised:
        render(block, ())
    assert raised.value.line == line
    assert words in raised.value.message
