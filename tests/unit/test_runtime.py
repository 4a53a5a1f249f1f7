"""The runtime in the built site: the engine byte for byte, and PyScript configs that work at any depth."""

from __future__ import annotations

import json
import zipfile

import pytest

from site_build.runtime import anchor_interpreter, zip_engine
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


@pytest.mark.parametrize(
    ("interpreter", "config_path", "expected"),
    [
        # PyScript resolves the interpreter against the page: anchored to the config's own path.
        (
            "../../pyodide/pyodide.mjs",
            "/openceu/assets/calculators/pyscript.json",
            "/openceu/pyodide/pyodide.mjs",
        ),
        ("../../pyodide/pyodide.mjs", "/assets/directory/pyscript.json", "/pyodide/pyodide.mjs"),
        ("./pyodide.mjs", "/openceu/x/pyscript.json", "/openceu/x/pyodide.mjs"),
        ("pyodide.mjs", "/openceu/x/pyscript.json", "/openceu/x/pyodide.mjs"),
        # Already absolute, or another host's: left as written.
        ("/pyodide/pyodide.mjs", "/openceu/x/pyscript.json", "/pyodide/pyodide.mjs"),
        ("https://cdn.example/pyodide.mjs", "/openceu/x/pyscript.json", "https://cdn.example/pyodide.mjs"),
    ],
)
def test_the_interpreter_is_anchored_to_the_configs_own_address(interpreter, config_path, expected):
    config = {"interpreter": interpreter, "files": {"../py/calc.zip": "./*"}}
    anchored = json.loads(anchor_interpreter(json.dumps(config), config_path))
    assert anchored == {**config, "interpreter": expected}


@pytest.mark.parametrize("text", ['{"files": {}}', "[]", '{"interpreter": 3}'])
def test_a_config_without_a_relative_interpreter_is_left_as_written(text):
    assert anchor_interpreter(text, "/openceu/x/pyscript.json") == text


def test_the_repositorys_configs_reach_pyodide_from_any_page_under_a_prefix():
    for config in sorted((REPO_ROOT / "site_src/assets").glob("*/pyscript.json")):
        path = f"/openceu/{config.relative_to(REPO_ROOT / 'site_src').as_posix()}"
        anchored = json.loads(anchor_interpreter(config.read_text(encoding="utf-8"), path))
        assert anchored["interpreter"] == "/openceu/pyodide/pyodide.mjs", config
