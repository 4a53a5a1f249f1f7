"""`ceu` works from any folder: the bundled data is package data, not a path under the repository.

Every test runs the real console script (or `python -m ceu_cli`) with a working folder
outside the repository, as a newcomer would after installing OpenCEU.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, latest_verification, modules_loaded_by, outside_standard_library
from tests.unit.test_cli import CEU

DATA_FILES = sorted(path.name for path in (REPO_ROOT / "directory_data").iterdir() if path.is_file())


def ceu_in(folder: Path, *args: str, command: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    assert CEU
    return subprocess.run(
        [*(command or (CEU,)), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
        env={"PATH": "/usr/bin:/bin", "OPENCEU_TODAY": latest_verification()},
    )


def test_convert_reads_the_bundled_table_from_another_folder(tmp_path):
    done = ceu_in(tmp_path, "convert", "--minutes", "720", "--json")
    assert done.returncode == 0, done.stderr
    by_id = {c["policy"]["id"]: c["exact"] for c in json.loads(done.stdout)["conversions"]}
    assert by_id["ace-cec"] == "1.2"


def test_systems_flag_still_overrides(tmp_path):
    (tmp_path / "mine.csv").write_text(
        "id,body,unit,minutes_per_unit,source_url\nmine,My Board,credit,50,https://example.org\n",
        encoding="utf-8",
    )
    done = ceu_in(tmp_path, "convert", "--minutes", "100", "--systems", "mine.csv", "--json")
    assert done.returncode == 0, done.stderr
    assert [c["exact"] for c in json.loads(done.stdout)["conversions"]] == ["2"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("directory", "validate"), "rows checked: 0 error(s)"),
        (("directory", "schema-doc"), "### `providers.csv`"),
        (("directory", "stale", "--days", "36600"), "row(s) verified more than 36600 days"),
    ],
)
def test_directory_commands_use_the_bundled_data(tmp_path, args, expected):
    done = ceu_in(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_a_data_folder_still_overrides(tmp_path):
    done = ceu_in(tmp_path, "directory", "validate", "nowhere")
    assert done.returncode == 2
    assert (
        done.stderr
        == "ceu directory validate: error: nowhere: no schema.json here; give the directory data folder\n"
    )


def test_python_m_ceu_cli_is_the_same_command(tmp_path):
    done = ceu_in(tmp_path, "course-number", "CEP123456", command=(sys.executable, "-m", "ceu_cli"))
    assert (done.returncode, done.stdout) == (0, "CEP123456: a valid ACE course number\n")


def test_engine_commands_load_nothing_of_the_directory_tools(tmp_path):
    """`ceu iacet` needs the standard library, calc and the CLI: not the validator or its packages."""
    loaded = modules_loaded_by(
        "from ceu_cli.main import main\nmain(['iacet', '--minutes', '60'])\n", tmp_path
    )
    assert sorted(outside_standard_library(loaded)) == ["calc", "ceu_cli", "directory"]
    # build_date for --help's word on today, data_files for the limits `validate --help` states: both stdlib only.
    assert [name for name in loaded if name.startswith("directory.")] == [
        "directory.build_date",
        "directory.data_files",
    ]


def test_the_wheel_carries_the_data_and_its_ceu_runs_from_anywhere(tmp_path):
    """A built wheel holds directory_data/ and ceu_cli/; installed alone, its `ceu` finds the data."""
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet")
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0 and "hatchling" in built.stderr:
        pytest.skip(f"the build backend is not available here: {built.stderr[-300:]}")
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("openceu-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"directory_data/{name}" for name in DATA_FILES} <= names
    assert {"ceu_cli/main.py", "ceu_cli/__main__.py"} <= names
    assert not any(name.startswith("calc/cli") for name in names)
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    zipfile.ZipFile(wheel).extractall(purelib)  # what pip does for a pure wheel, minus the scripts
    done = ceu_in(tmp_path, "convert", "--minutes", "60", "--json", command=(str(python), "-m", "ceu_cli"))
    assert done.returncode == 0, done.stderr
    assert Path(purelib, "directory_data", "credit_systems.csv").is_file()
    docs = ceu_in(tmp_path, "directory", "schema-doc", command=(str(python), "-m", "ceu_cli"))
    assert docs.returncode == 0, docs.stderr
    assert docs.stdout == ceu_in(tmp_path, "directory", "schema-doc").stdout
