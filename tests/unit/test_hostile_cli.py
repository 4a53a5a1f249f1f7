"""Every vector of tests/hostile_cli.py, run as a subprocess of the real `ceu` (issue 34, class 5).

Each run happens in a fresh folder with what the vector needs made there (the input file,
whatever is at the output path, a data folder), and its output goes where the vector says:
a pipe, a full device, a pipe whose reader has gone, or a file that may not grow. Besides
the vector's own status and phrase, every run is held to the same rules: no traceback, no
internal error, at most one line on stderr and never a long one, a usage error that names
its command and its help, and nothing changed at the output path unless the command succeeded.
"""

from __future__ import annotations

import errno
import io
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ceu_cli.main import main
from tests.conftest import REPO_ROOT
from tests.hostile_cli import (
    BAD,
    MAX_STDERR,
    NO,
    OK,
    OUTPUT_LOST,
    PIPE_CLOSED,
    VECTORS,
    CliVector,
    described,
    make_target,
)
from tests.unit.test_cli import CEU

BUNDLED = REPO_ROOT / "directory_data"


def _full_device(folder: Path) -> Path:
    """A device that refuses every write with ENOSPC (/dev/full, or root's own copy of it)."""
    if os.geteuid() != 0:
        return Path("/dev/full")
    return make_target(folder, "device", "full-device")


def _limit(size: int | None):
    if size is None:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def run(vector: CliVector, folder: Path) -> tuple[subprocess.CompletedProcess[bytes], Path | None, tuple]:
    """The vector's command as a subprocess; also the output path and what was there before."""
    assert CEU
    if vector.data:
        data = folder / "data"
        data.mkdir()
        names = (
            ["schema.json"]
            if vector.data == "schema"
            else [p.name for p in BUNDLED.glob("*.csv")] + ["schema.json"]
        )
        for name in names:
            shutil.copyfile(BUNDLED / name, data / name)
    target = make_target(folder, vector.target, vector.target_name) if vector.target else None
    before = described(target) if target else None
    names = {
        "{in}": vector.file_name,
        "{out}": str(target.relative_to(folder) if target and target.is_relative_to(folder) else target),
    }
    if vector.file is not None:
        (folder / vector.file_name).write_bytes(vector.file)
    argv = [CEU, *(names.get(arg, arg) for arg in vector.argv)]
    env = {**os.environ, **dict(vector.env)}
    with (
        open(_full_device(folder), "wb")
        if "full" in (vector.stdout, vector.stderr)
        else open(os.devnull, "wb") as full
    ):
        stdout = {"pipe": subprocess.PIPE, "full": full, "closed": subprocess.PIPE}.get(vector.stdout)
        if vector.stdout == "limited":
            stdout = open(folder / "stdout.txt", "wb")  # noqa: SIM115 - closed below
        stderr = full if vector.stderr == "full" else subprocess.PIPE
        process = subprocess.Popen(
            argv, cwd=folder, env=env, stdin=subprocess.PIPE, stdout=stdout, stderr=stderr,
            preexec_fn=_limit(vector.file_limit),
        )  # fmt: skip
        if vector.stdout == "closed":
            assert process.stdout is not None
            process.stdout.close()  # the reader goes away before ceu writes a byte
            out, err = b"", process.communicate(vector.stdin, timeout=120)[1]
        else:
            out, err = process.communicate(vector.stdin, timeout=120)
        if vector.stdout == "limited":
            stdout.close()
    done = subprocess.CompletedProcess(argv, process.returncode, out or b"", err or b"")
    return done, target, before


@pytest.mark.parametrize("vector", VECTORS, ids=lambda vector: vector.name)
def test_hostile_cli_vector(vector: CliVector, tmp_path: Path) -> None:
    done, target, before = run(vector, tmp_path)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == vector.status, (done.returncode, err[:2000], out[:500])
    assert "Traceback" not in err and "internal error" not in err, err[:2000]
    assert len(err) <= MAX_STDERR and err.count("\n") <= 1, err[:2000]
    where = vector.phrase_in or ("stdout" if vector.status in (OK, NO) else "stderr")
    if vector.phrase:
        assert vector.phrase in (out if where == "stdout" else err), (vector.phrase, err[:2000], out[:500])
    if vector.status == PIPE_CLOSED:
        assert err == ""
    if vector.status in (BAD, OUTPUT_LOST) and vector.stderr == "pipe" and vector.phrase_in is None:
        assert err.startswith(f"{vector.command}: error: ") or err.startswith("ceu: error: cannot write"), (
            err[:300]
        )
        assert len(out) == 0 or vector.status == OUTPUT_LOST, out[:300]
    if vector.name.startswith("usage-"):
        assert err.endswith(f" (see {vector.command} --help)\n") and "usage:" not in err, err
    if vector.status in (OK, NO):
        assert err == "", err[:2000]
    # Whatever was at the output path is as it was, unless the command succeeded in writing there.
    if target is not None:
        after = described(target)
        if vector.status == OK:
            assert after[0] == "file" and stat.S_ISREG(target.lstat().st_mode)
            assert b"BEGIN:VCALENDAR" in target.read_bytes()
        else:
            assert after == before, (before, after)
        if vector.target in ("symlink-to-file",):
            assert (target.parent / "real.txt").read_bytes().startswith(b"the previous file")
    # A refused or failed write leaves no temporary file behind.
    assert not [p.name for p in tmp_path.rglob(".*") if p.is_file()], list(tmp_path.rglob(".*"))


def test_the_corpus_covers_the_issues_class_5() -> None:
    names = [vector.name for vector in VECTORS]
    assert len(names) == len(set(names)) and len(VECTORS) >= 80
    assert {vector.cls for vector in VECTORS} == {"5-cli"}
    for kind in ("device", "fifo", "socket", "folder", "symlink-to-file", "symlink-dangling"):
        assert f"deadlines-ics-{kind}" in names
    assert any(v.stdout == "full" for v in VECTORS) and any(v.stdout == "closed" for v in VECTORS)
    assert "attendance-huge-exponent" in names


class _FailingDevice(io.RawIOBase):
    """A device whose writes fail with ``error`` until ``failing`` is cleared (EIO: a disk or a
    terminal that went away; no test machine can be made to produce one on demand)."""

    def __init__(self, error: int) -> None:
        self.error = error
        self.failing = True

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.failing:
            raise OSError(self.error, os.strerror(self.error))
        return len(data)

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file descriptor")


@pytest.mark.parametrize(
    ("error", "status", "line"),
    [
        (errno.EIO, OUTPUT_LOST, "ceu iacet: error: cannot write the standard output: Input/output error\n"),
        (
            errno.ENOSPC,
            OUTPUT_LOST,
            "ceu iacet: error: cannot write the standard output: No space left on device\n",
        ),
        (errno.EPIPE, PIPE_CLOSED, ""),
    ],
)
def test_standard_output_that_fails_ends_in_its_status(capsys, monkeypatch, error, status, line) -> None:
    device = _FailingDevice(error)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(device), encoding="utf-8"))
    try:
        assert main(["iacet", "--minutes", "60"]) == status
    finally:
        device.failing = False
    assert capsys.readouterr().err == line
