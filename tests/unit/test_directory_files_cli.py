"""`ceu directory validate` against inputs built to exhaust it or to pass for what they are not.

Each runs the real command as a subprocess with its address space capped (RLIMIT_AS), so an
input read whole, or a validator that holds every message, ends in MemoryError instead of
passing by luck; the published data validates well inside the cap. Every refusal is exit
status 2 with one line (a file refused whole: on stderr, nothing on stdout), never a
traceback nor "a bug in ceu" (exit 3).
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from directory.data_files import MAX_ROW_BYTES, MAX_TABLE_BYTES, MAX_TABLE_ROWS, SHOWN_ALIKE
from tests.conftest import REPO_ROOT, latest_verification

PUBLISHED = REPO_ROOT / "directory_data"
#: The address space the command may use: the published data needs under 60 MB of it.
ADDRESS_SPACE = 256 * 1024 * 1024
GIGABYTE = 1024 * 1024 * 1024
#: A refusal comes at once: the file is judged by its size and kind, not read.
QUICK = 20.0


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def validate(data: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    environment["OPENCEU_TODAY"] = latest_verification(PUBLISHED)
    return subprocess.run(
        [sys.executable, "-m", "ceu_cli", "directory", "validate", *flags, str(data)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env=environment,
        preexec_fn=_capped,
        timeout=600,
    )


def refused_in_one_line(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """The command refused a file whole: exit 2, no output, one line on stderr holding ``words``."""
    assert done.returncode == 2, (done.returncode, done.stdout[-500:], done.stderr[-500:])
    assert done.stdout == ""
    assert done.stderr.startswith("ceu directory validate: error: ") and done.stderr.count("\n") == 1, (
        done.stderr
    )
    for word in words:
        assert word in done.stderr, done.stderr
    return done.stderr


def reported(done: subprocess.CompletedProcess[str], lines: int) -> list[str]:
    """The command reported problems: exit 2, nothing on stderr, at most ``lines`` lines (the last the count)."""
    assert done.returncode == 2, (done.returncode, done.stdout[-500:], done.stderr[-500:])
    assert done.stderr == ""
    printed = done.stdout.splitlines()
    assert 2 <= len(printed) <= lines, printed[:40]
    return printed


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PUBLISHED, tmp_path / "data"))


def test_the_published_data_validates_inside_the_cap(data: Path) -> None:
    done = validate(data)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_table_of_a_gigabyte_is_refused_by_its_size_without_being_read(data: Path) -> None:
    os.truncate(data / "providers.csv", GIGABYTE)  # sparse: no disk used, a gigabyte to read
    started = time.monotonic()
    line = refused_in_one_line(validate(data), "providers.csv: is 1,024 MB (1,073,741,824 bytes)", "32 MB")
    assert time.monotonic() - started < QUICK, line


def test_a_table_just_under_the_size_is_read_a_bounded_row_at_a_time(data: Path) -> None:
    """32 MB of zeros after the real rows: one row far over the limit, refused where it starts."""
    os.truncate(data / "providers.csv", MAX_TABLE_BYTES)
    last = (PUBLISHED / "providers.csv").read_bytes().count(b"\n")
    printed = reported(validate(data), 2)
    assert printed[0].startswith(
        f"{data.as_posix()}/providers.csv:{last + 1}: id: the row is over 131,072 bytes"
    )
    assert printed[1].endswith(": 1 error(s), 0 warning(s)")


@pytest.fixture
def endless_writer(tmp_path: Path) -> Iterator[Path]:
    """A named pipe with a writer that would feed it zeros forever to whoever opened it."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = subprocess.Popen(
        ["sh", "-c", f"exec cat /dev/zero > '{pipe}'"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield pipe
    finally:
        writer.kill()
        writer.wait(timeout=10)


def test_a_named_pipe_fed_forever_is_refused_without_being_opened(data: Path, endless_writer: Path) -> None:
    (data / "providers.csv").unlink()
    os.symlink(endless_writer, data / "providers.csv")
    refused_in_one_line(validate(data), "providers.csv: is a symbolic link")
    (data / "providers.csv").unlink()
    os.mkfifo(data / "providers.csv")
    started = time.monotonic()
    refused_in_one_line(validate(data), "providers.csv: is a named pipe (FIFO), not a regular file")
    assert time.monotonic() - started < QUICK


@pytest.mark.parametrize(
    ("table", "target"),
    [("providers.csv", "/dev/zero"), ("checks.csv", "/dev/urandom"), ("schema.json", "/dev/zero")],
)
def test_a_link_to_a_device_is_refused_in_one_line(data: Path, table: str, target: str) -> None:
    (data / table).unlink()
    os.symlink(target, data / table)
    refused_in_one_line(validate(data), f"{data.as_posix()}/{table}: is a symbolic link (to '{target}')")


def test_a_link_to_a_true_copy_outside_the_folder_is_refused(data: Path, tmp_path: Path) -> None:
    """The rows are valid: what is refused is where they would come from."""
    outside = Path(shutil.copyfile(data / "organizations.csv", tmp_path / "organizations.csv"))
    (data / "organizations.csv").unlink()
    os.symlink(outside, data / "organizations.csv")
    refused_in_one_line(validate(data), "organizations.csv: is a symbolic link", "put the file in its place")


def test_a_data_folder_that_is_a_link_is_refused(data: Path, tmp_path: Path) -> None:
    link = tmp_path / "linked-data"
    os.symlink(data, link)
    refused_in_one_line(
        validate(link), f"{link.as_posix()}: is a symbolic link", "name the data folder itself"
    )
    assert validate(data).returncode == 0  # the folder itself, named, is fine


def test_a_million_extra_columns_are_one_line(data: Path) -> None:
    path = data / "providers.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n") + b"," * 1_000_000 + b"\n")
    last = path.read_bytes().count(b"\n")
    printed = reported(validate(data), 2)
    assert printed[0].startswith(f"{data.as_posix()}/providers.csv:{last}: -: has over ")
    assert "values in its first 131,072 bytes but the header has 20 columns" in printed[0]


def test_a_mistake_on_every_row_prints_a_screenful_and_counts_them_all(data: Path) -> None:
    """As many rows as a table may have, each with the same three mistakes (country, id, name)."""
    published_rows = int(validate(data).stdout.splitlines()[-1].split()[0])
    path = data / "providers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header, first, *others = list(csv.reader(handle))
    # The first row with its country misspelt, its id repeated, and its long texts cut to fit 32 MB.
    shortened = {
        "id": "zz-repeated",
        "country": "USA",
        "source_quote": "Quoted.",
        "notes": "",
        "sourcing": "",
    }
    repeated = {**dict(zip(header, first, strict=True)), **shortened}
    rows = MAX_TABLE_ROWS - 1 - len(others)
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerows([repeated] * rows)
    done = validate(data)
    printed = reported(done, 3 * (SHOWN_ALIKE + 1) + 1)
    # Each mistake: SHOWN_ALIKE lines, then one line counting the rest.
    summaries = [line for line in printed if "more like this" in line]
    assert [line.split(": ")[1] for line in summaries] == ["country", "name", "id"], summaries
    assert f"country: ... and {rows - SHOWN_ALIKE:,} more like this" in summaries[0]
    # Counted whether shown or not: every row's country and name, every row's id but the first.
    assert printed[-1] == f"{published_rows + rows} rows checked: {3 * rows - 1} error(s), 0 warning(s)"
    assert len(done.stdout) < 20_000, len(done.stdout)


def test_a_table_over_the_row_limit_stops_there(data: Path) -> None:
    path = data / "vocabularies.csv"
    path.write_bytes(path.read_bytes() + b"\n" * (MAX_TABLE_ROWS + 1))
    printed = reported(validate(data), 2 * (SHOWN_ALIKE + 1) + 2)
    assert any(
        line.startswith(
            f"{data.as_posix()}/vocabularies.csv:{MAX_TABLE_ROWS + 2}: -: is row {MAX_TABLE_ROWS + 1:,}"
        )
        for line in printed
    ), printed


def test_every_limit_is_stated_in_the_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ceu_cli", "directory", "validate", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    text = " ".join(done.stdout.split())
    for stated in ("32 MB", f"{MAX_TABLE_ROWS:,} rows", f"{MAX_ROW_BYTES:,} bytes", "1 MB", "16 levels"):
        assert stated in text, stated
    assert "symbolic link" in text and "named pipe" in text and f"{SHOWN_ALIKE} times" in text
