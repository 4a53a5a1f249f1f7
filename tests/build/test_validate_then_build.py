"""Issue 34, class 7: data that `ceu directory validate` accepts builds.

The build computes with the data more than the data's own checks do: the site's pages
compute figures under the credit systems' rules, and the embeds used to read their own
output (data) as more embeds. Each ``build`` vector of tests/hostile_markup.py is run
through the real CLI first (``ceu directory validate DATA --pages content``): a change the
build would refuse is refused there, at ``file:line: field:``; the accepted ones are then
built, together, by MkDocs in strict mode, and their text is on the pages as text. A
property test draws credit-system rules within the schema's bounds: whatever the validator
accepts, the build's computations (every page's embeds, every directory page, the answer
page, the exports and badges) complete.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from itertools import chain
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems, system_from_record
from calc.policy import figure_under
from directory.answers import ANSWER_PAGE, answer_files
from directory.badges import badge_files
from directory.build_date import build_date
from directory.exports import export_files
from directory.page_figures import page_problems
from directory.pages import directory_pages
from directory.templates import template_environment
from directory.validate import errors, validate_directory
from directory.view import DirectoryView, SiteOptions
from site_build.embeds import expand
from tests.build.conftest import build_site_over
from tests.conftest import REPO_ROOT
from tests.hostile_markup import BUILD, MarkupVector, of_kind, write_markup_vector
from tests.marker_site import PUBLISHED, SCHEMA

pytestmark = pytest.mark.build

PAGES = REPO_ROOT / "content"
BUILD_VECTORS = of_kind(BUILD)
ACCEPTED = tuple(v for v in BUILD_VECTORS if v.refused is None)


def validate(data: Path) -> subprocess.CompletedProcess[str]:
    """`ceu directory validate DATA --pages content`, as a contributor runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "ceu_cli.main", "directory", "validate", str(data), "--pages", str(PAGES)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("vector", BUILD_VECTORS, ids=lambda v: v.name)
def test_the_validator_refuses_what_the_build_would(vector: MarkupVector, tmp_path: Path):
    line = write_markup_vector(vector, tmp_path / "data")
    done = validate(tmp_path / "data")
    assert "Traceback" not in done.stderr, done.stderr
    if vector.refused is None:
        assert done.returncode == 0, done.stdout + done.stderr
        return
    assert done.returncode == 2, done.stdout
    file, field = vector.at.split() if vector.at else (SCHEMA.table(vector.table).file, vector.column)
    pattern = (
        rf"^{re.escape(str(tmp_path / 'data'))}/{re.escape(file)}:{line}: {field}: .*"
        if not vector.at
        else rf"(?:^|/){re.escape(file)}:\d+: {field}: .*"
    )
    found = [text for text in done.stdout.splitlines() if re.search(pattern, text)]
    assert any(vector.refused in text for text in found), done.stdout


def test_what_the_validator_accepts_builds_and_is_shown_as_text(tmp_path: Path):
    """Every accepted vector at once (each on its own cell), built by MkDocs in strict mode."""
    data = tmp_path / "data"
    shutil.copytree(PUBLISHED, data)
    for vector in ACCEPTED:
        single = tmp_path / vector.name
        write_markup_vector(vector, single, source=data)
        shutil.rmtree(data)
        single.rename(data)
    done = validate(data)
    assert done.returncode == 0, done.stdout
    site = build_site_over(data, tmp_path / "site")
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html") if "pyodide" not in p.parts]
    shown = html.unescape("\n".join(pages))
    for vector in ACCEPTED:
        if "{{openceu" in vector.value and vector.column in ("unit", "body", "credential", "label", "name"):
            assert " ".join(vector.value.split()) in " ".join(shown.split()), (
                f"{vector.name}: not on any page"
            )


# --------------------------------------------------------------------------- any rule within the schema


def _site_computations(data: Path) -> None:
    """What the build computes from the data, without MkDocs: the plugin's calls, in their order
    (hooks/plugin.py: on_pre_build, on_files)."""
    systems = parse_credit_systems((data / "credit_systems.csv").read_text(encoding="utf-8"))
    for page in sorted(PAGES.rglob("*.md")):
        expand(page.read_text(encoding="utf-8"), systems, page.relative_to(PAGES).as_posix())
    today = build_date()
    directory = validate_directory(data, SCHEMA, today)
    pages = frozenset(p.relative_to(PAGES).as_posix() for p in PAGES.rglob("*.md")) | {ANSWER_PAGE}
    options = SiteOptions(today=today, site_url="http://127.0.0.1:8000/", site_pages=pages)
    env = template_environment(REPO_ROOT / "site_src" / "directory")
    view = DirectoryView.of(directory, SCHEMA, options)
    for generated in chain(
        directory_pages(directory, SCHEMA, env, options, view=view),
        answer_files(view, env),
        export_files(directory, SCHEMA, today, options.site_url, view.statuses),
        badge_files(directory, view.statuses),
    ):
        generated.body()


def _decimal(low: str, high: str, places: int) -> st.SearchStrategy[str]:
    return st.decimals(Decimal(low), Decimal(high), places=places).map(lambda d: f"{d.normalize():f}")


def _optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), strategy)


_FRACTION = st.tuples(st.integers(1, 999), st.integers(1, 999)).filter(
    lambda t: Decimal("0.001") <= Decimal(t[0]) / t[1] <= 100
)
RULES = st.fixed_dictionaries(
    {
        "minutes_per_unit": _optional(_decimal("1", "6000", 2)),
        "increment": _optional(
            st.one_of(_decimal("0.001", "100", 3), _FRACTION.map(lambda t: f"{t[0]}/{t[1]}"))
        ),
        "rounding": st.sampled_from(["", "down", "half-up", "threshold"]),
        "threshold_minutes": _optional(_decimal("1", "6000", 2)),
        "minimum_minutes": _optional(_decimal("1", "6000", 2)),
        "minimum_award": _optional(_decimal("0.001", "100", 3)),
        "daily_cap": _optional(_decimal("0.001", "100", 3)),
        "multiplier": _optional(_decimal("0.01", "10", 2)),
        "semester_credit_units": _optional(_decimal("0.001", "1000", 3)),
        "example_minutes": _optional(_decimal("1", "100000", 2)),
    }
)
HEADER, *PUBLISHED_RULES = list(
    csv.reader(io.StringIO((PUBLISHED / "credit_systems.csv").read_text("utf-8")))
)


def _rule_row(base: list[str], drawn: dict[str, str]) -> list[str]:
    """A published row with the drawn rule, made whole the way a contributor would: parts that
    need a rate, a step or a mode left out without them, and the worked example recomputed."""
    row = dict(zip(HEADER, base, strict=True)) | drawn
    if not row["minutes_per_unit"]:
        for column in ("increment", "minimum_award", "daily_cap", "multiplier", "example_minutes"):
            row[column] = ""
    if not row["increment"]:
        row["rounding"] = ""
    if (row["rounding"] == "threshold") != bool(row["threshold_minutes"]):
        row["rounding"], row["threshold_minutes"] = ("down" if row["increment"] else ""), ""
    if not row["rounding"]:
        row["minimum_award"] = ""
    row["multiplier_condition"] = "the course ends with an assessment" if row["multiplier"] else ""
    row["example_units"] = ""
    if row["example_minutes"]:
        figure = figure_under(system_from_record(row), Decimal(row["example_minutes"]))
        reported = figure.reported
        exact = reported is not None and (reported * 1000).denominator == 1 and reported <= 100_000
        if exact and reported is not None and reported > 0:
            row["example_units"] = f"{Decimal(reported.numerator) / reported.denominator:f}"
        else:
            row["example_minutes"] = ""
    return [row[column] for column in HEADER]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=RULES, target=st.sampled_from([row[0] for row in PUBLISHED_RULES]))
def test_any_rule_the_validator_accepts_the_build_computes_with(tmp_path_factory, drawn, target):
    data = tmp_path_factory.mktemp("rule") / "data"
    shutil.copytree(PUBLISHED, data)
    rows = [_rule_row(row, drawn) if row[0] == target else row for row in PUBLISHED_RULES]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    (data / "credit_systems.csv").write_text(out.getvalue(), encoding="utf-8")
    directory = validate_directory(data, SCHEMA, build_date())
    # Refused rules are left out; hypothesis fails the test if most are (the drawing is then wrong).
    assume(not errors(directory))
    assume(not any(p.severity == "error" for p in page_problems(PAGES, data, "content")))
    _site_computations(data)
