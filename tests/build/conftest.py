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
from tests.conftest import REPO_ROOT

SCHEMA = load_schema(REPO_ROOT / "directory_data")


def synthetic_row(table: str, n: int, **values: str) -> dict[str, str]:
    row = dict.fromkeys(SCHEMA.table(table).column_names, "")
    row.update(
        id=f"synthetic-{table[:-1]}-{n:05}",
        name=f"Synthetic {table[:-1].title()} {n:05}",
        country="US",
        source_url=f"https://example.org/synthetic/{n}",
        source_kind="official",
        source_quote="Synthetic test row.",
        verified_on="2026-01-15",
    )
    if table == "organizations":
        row.update(kind="association", accepts="Synthetic test acceptance.")
    row.update(values)
    return row


def write_dataset(data_dir: Path, **tables: list[dict[str, str]]) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO_ROOT / "directory_data" / "schema.json", data_dir / "schema.json")
    for table in SCHEMA.tables:
        rows = sorted(tables.get(table.key, []), key=lambda r: r["id"])
        with (data_dir / table.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=table.column_names, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return data_dir


BuildSite = Callable[[Path, Path], Path]


@pytest.fixture
def build_fixture_site(caplog: pytest.LogCaptureFixture) -> BuildSite:
    """Build the repository's site in-process over another data folder, into site_dir."""

    def run(data_dir: Path, site_dir: Path) -> Path:
        config = load_config(
            config_file=str(REPO_ROOT / "mkdocs.yml"),
            site_dir=str(site_dir),
        )
        config.extra["openceu"] = {**config.extra["openceu"], "data_dir": str(data_dir)}
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            build(config)
        return site_dir

    return run


def build_error(caplog: pytest.LogCaptureFixture, run: Callable[[], object]) -> str:
    """Run a build that must fail; return what MkDocs logged as the error."""
    with pytest.raises(Abort):
        run()
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
