"""The real build over a copy of the published data that a hostile pull request changed.

A table that is a symbolic link (out of the folder, to a device), a named pipe, a file over
its size, a row of a million columns or a schema.json that cannot be used: the build stops
in on_pre_build with the file named (and the line, where there is one), and the site built
before stays byte for byte what it was. The site of the session (``built_site``, the real
``mkdocs build --strict``) is the previous site; each vector rebuilds a copy of it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from hooks.config import with_settings
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.build

PUBLISHED = REPO_ROOT / "directory_data"


def _linked_outside(name: str) -> Callable[[Path], str]:
    def change(data: Path) -> str:
        outside = Path(shutil.copyfile(data / name, data.parent / f"outside-{name}"))
        (data / name).unlink()
        os.symlink(outside, data / name)
        return f"{(data / name).as_posix()}: is a symbolic link (to '{outside.as_posix()}')"

    return change


def _linked_to(name: str, target: str) -> Callable[[Path], str]:
    def change(data: Path) -> str:
        (data / name).unlink()
        os.symlink(target, data / name)
        return f"{(data / name).as_posix()}: is a symbolic link (to '{target}')"

    return change


def _named_pipe(data: Path) -> str:
    (data / "acceptances.csv").unlink()
    os.mkfifo(data / "acceptances.csv")
    return f"{(data / 'acceptances.csv').as_posix()}: is a named pipe (FIFO)"


def _a_gigabyte(data: Path) -> str:
    os.truncate(data / "organizations.csv", 1024 * 1024 * 1024)
    return f"{(data / 'organizations.csv').as_posix()}: is 1,024 MB (1,073,741,824 bytes)"


def _million_columns(data: Path) -> str:
    path = data / "providers.csv"
    path.write_bytes(path.read_bytes() + b"," * 1_000_000 + b"\n")
    line = path.read_bytes().count(b"\n")
    return f"providers.csv:{line}: -: has over "


def _schema_key_twice(data: Path) -> str:
    path = data / "schema.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines, start=1) if '"max_length"' in line)
    lines[number - 1] += ',\n          "max_length": 99999'
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"schema.json:{number + 1}: tables.providers.columns[0].max_length: is given twice"


def _folder_linked(data: Path) -> str:
    real = data.with_name("data-real")
    data.rename(real)
    os.symlink(real, data)
    return f"{data.as_posix()}: is a symbolic link (to '{real.as_posix()}')"


VECTORS = {
    "table-linked-to-a-true-copy-outside": _linked_outside("providers.csv"),
    "credit-systems-linked-outside": _linked_outside("credit_systems.csv"),
    "checks-linked-to-dev-zero": _linked_to("checks.csv", "/dev/zero"),
    "schema-linked-to-dev-urandom": _linked_to("schema.json", "/dev/urandom"),
    "table-a-named-pipe": _named_pipe,
    "table-of-a-gigabyte": _a_gigabyte,
    "a-million-columns": _million_columns,
    "schema-key-given-twice": _schema_key_twice,
    "data-folder-a-link": _folder_linked,
}


def fingerprint(site: Path) -> dict[str, str]:
    """Every file and folder of ``site`` by its path: a digest of its bytes, or 'folder'."""
    found: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        key = path.relative_to(site).as_posix()
        found[key] = "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def previous_site(built_site: Path) -> dict[str, str]:
    return fingerprint(built_site)


@pytest.mark.parametrize("vector", VECTORS, ids=list(VECTORS))
def test_the_build_refuses_it_and_keeps_the_previous_site(
    tmp_path: Path,
    built_site: Path,
    previous_site: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    vector: str,
) -> None:
    data = Path(shutil.copytree(PUBLISHED, tmp_path / "data"))
    site = Path(shutil.copytree(built_site, tmp_path / "site", symlinks=True))
    expected = VECTORS[vector](data)
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), site_dir=str(site))
    with_settings(config, data_dir=str(data))
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build(config)
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR)
    assert expected in logged, logged
    assert "Traceback" not in logged
    assert fingerprint(site) == previous_site
