"""The engine shipped to the browser is the repository's calc/, byte for byte."""

from __future__ import annotations

import zipfile

from site_build.runtime import zip_engine
from tests.conftest import REPO_ROOT


def test_engine_zip_holds_every_module_unchanged(tmp_path):
    target = tmp_path / "calc.zip"
    zip_engine(REPO_ROOT / "calc", target)
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"calc/{p.name}" for p in (REPO_ROOT / "calc").glob("*.py"))
        for name in names:
            assert archive.read(name) == (REPO_ROOT / name).read_bytes()


def test_engine_zip_is_reproducible(tmp_path):
    zip_engine(REPO_ROOT / "calc", tmp_path / "a.zip")
    zip_engine(REPO_ROOT / "calc", tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
