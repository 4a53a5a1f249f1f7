"""A small fixture site: the repository's config and theme over generated test data.

Rows here are synthetic (example.org sources) and only ever live in tmp_path.
"""

from __future__ import annotations

import csv
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from directory.schema import load_schema
from directory.synthetic import synthetic_rows
from hooks.config import with_settings
from tests.conftest import REPO_ROOT

SCHEMA = load_schema(REPO_ROOT / "directory_data")


def synthetic_row(table: str, n: int, **values: str) -> dict[str, str]:
    """The n-th generated row of a table, with ids the tests can name."""
    rows = list(synthetic_rows(table, n + 1))
    return {**rows[n], "id": f"synthetic-{table[:-1]}-{n:05}", **values}


#: The published credit systems go into fixture data as read on this day, so a test may pin
#: OPENCEU_TODAY to any later day whatever day the real rows were last verified.
FIXTURE_VERIFIED_ON = "2026-01-01"


def _copy_dated_before(table: Path, data_dir: Path, verified_on: str) -> None:
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [{**row, "verified_on": min(row["verified_on"], verified_on)} for row in reader]
        fields = reader.fieldnames or []
    with (data_dir / table.name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(data_dir: Path, **tables: list[dict[str, str]]) -> Path:
    """A data folder with the published schema and vocabularies and the given generated rows."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("schema.json", "vocabularies.csv"):
        shutil.copyfile(REPO_ROOT / "directory_data" / name, data_dir / name)
    _copy_dated_before(REPO_ROOT / "directory_data" / "credit_systems.csv", data_dir, FIXTURE_VERIFIED_ON)
    for table in SCHEMA.tables:
        if table.key in ("vocabularies", "credit_systems"):
            continue
        rows = sorted(tables.get(table.key, []), key=lambda r: r["id"])
        with (data_dir / table.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=table.column_names, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(rows)
    return data_dir


BuildSite = Callable[..., Path]


def build_site_over(data_dir: Path, site_dir: Path, site_url: str | None = None, **settings: object) -> Path:
    """Build the repository's site in-process over another data folder, into site_dir.

    ``settings`` override the openceu plugin's ones in mkdocs.yml (``iacet_provider_url``, say).
    """
    config = load_config(
        config_file=str(REPO_ROOT / "mkdocs.yml"),
        site_dir=str(site_dir),
        **({"site_url": site_url} if site_url else {}),
    )
    with_settings(config, data_dir=str(data_dir), allow_synthetic=True, **settings)
    build(config)
    return site_dir


@pytest.fixture
def build_fixture_site(caplog: pytest.LogCaptureFixture) -> BuildSite:
    """build_site_over, with MkDocs' warnings captured for the test to read."""

    def run(data_dir: Path, site_dir: Path, site_url: str | None = None) -> Path:
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            return build_site_over(data_dir, site_dir, site_url)

    return run


def build_error(caplog: pytest.LogCaptureFixture, run: Callable[[], object]) -> str:
    """Run a build that must fail; return what MkDocs logged as the error."""
    with pytest.raises(Abort):
        run()
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
