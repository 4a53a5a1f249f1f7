"""The runtime in the built site: the engine byte for byte, Pyodide and PyScript in folders named by
version, and PyScript configs that name that Pyodide from any depth."""

from __future__ import annotations

import gzip
import json
import re
import struct
import subprocess
import zipfile

import pytest

from site_build.runtime import (
    CERTIFICATES_MODULES,
    ENGINE_FOLDER,
    UNUSED_PLUGINS,
    RuntimeMissing,
    RuntimePaths,
    make_engine_snapshot,
    package_version,
    runtime_paths,
    set_interpreter,
    without_unused_plugins,
    zip_engine,
    zip_modules,
)
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


def test_zip_modules_names_every_module_of_the_zips_by_its_import_name(tmp_path):
    target = tmp_path / "calc.zip"
    zip_engine(REPO_ROOT / "calc", target)
    names = zip_modules([target])
    assert names[0] == "calc"
    assert sorted(names) == sorted(
        "calc" if path.stem == "__init__" else f"calc.{path.stem}"
        for path in (REPO_ROOT / "calc").glob("*.py")
    )


#: Pyodide's snapshot header (pyodide.asm.mjs, API.makeSnapshot): a magic number, then its build id.
SNAPSHOT_MAGIC = 1886286592


@pytest.fixture(scope="module")
def engine_snapshot(tmp_path_factory):
    """The calculators' snapshot as the build makes it (Node; cached in node_modules/.cache)."""
    folder = tmp_path_factory.mktemp("snapshot")
    zips = [folder / "calc.zip", folder / "certificates.zip", folder / "calculator_pages.zip"]
    zip_engine(REPO_ROOT / "calc", zips[0])
    zip_engine(REPO_ROOT / "certificates", zips[1], names=CERTIFICATES_MODULES)  # issue 33
    zip_engine(REPO_ROOT / "calculator_pages", zips[2])
    make_engine_snapshot(REPO_ROOT / "node_modules", zips, folder / "engine-memory.gz")
    return zips, folder / "engine-memory.gz"


def test_the_snapshot_is_made_by_the_installed_pyodide(engine_snapshot):
    """Pyodide restores only a snapshot whose build id is its own (else the calculators fail)."""
    _, target = engine_snapshot
    memory = gzip.decompress(target.read_bytes())
    loader = (REPO_ROOT / "node_modules" / "pyodide" / "pyodide.mjs").read_text(encoding="utf-8")
    build_id = re.search(r'BUILD_ID:"([0-9a-f]{64})"', loader).group(1)
    magic, *_ = struct.unpack("<4I", memory[:16])
    assert magic == SNAPSHOT_MAGIC
    assert struct.unpack("<8I", memory[16:48]) == tuple(int(build_id[i : i + 8], 16) for i in range(0, 64, 8))


def test_an_unchanged_engine_reuses_its_snapshot_without_node(engine_snapshot, tmp_path, monkeypatch):
    zips, made = engine_snapshot

    def refused(*args, **kwargs):
        raise AssertionError(f"Node ran again: {args}")

    monkeypatch.setattr(subprocess, "run", refused)
    make_engine_snapshot(REPO_ROOT / "node_modules", zips, tmp_path / "again.gz")
    assert (tmp_path / "again.gz").read_bytes() == made.read_bytes()


def test_the_worker_unpacks_the_zips_where_the_snapshot_imported_them():
    worker = (REPO_ROOT / "site_src" / "assets" / "calculators" / "python-worker.js").read_text(
        encoding="utf-8"
    )
    assert f'const folder = "{ENGINE_FOLDER}";' in worker


def write_package(folder, text):
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("version", ["314.0.7", "0.7.31", "0.28.0a1", "1.0.0-rc.1", "2.1"])
def test_a_plain_version_is_read_from_package_json(tmp_path, version):
    package = write_package(tmp_path / "pyodide", json.dumps({"name": "pyodide", "version": version}))
    assert package_version(package) == version


def test_the_runtime_folders_are_named_by_the_installed_versions(tmp_path):
    write_package(tmp_path / "pyodide", '{"version": "314.0.7"}')
    write_package(tmp_path / "@pyscript/core", '{"version": "0.7.31"}')
    paths = runtime_paths(tmp_path)
    assert paths == RuntimePaths(pyodide="pyodide/314.0.7/", pyscript="pyscript/0.7.31/")
    assert paths.interpreter == "pyodide/314.0.7/pyodide.mjs"
    assert paths.folders == ("pyodide/314.0.7/", "pyscript/0.7.31/")


def test_a_missing_package_json_says_to_install_it(tmp_path):
    with pytest.raises(RuntimeMissing, match=r"pyodide/package\.json is missing: run `npm ci`"):
        package_version(tmp_path / "pyodide")


@pytest.mark.parametrize(
    "text",
    [
        '{"version": "../../etc"}',
        '{"version": "1.2.3/../x"}',
        '{"version": "1.2/3"}',
        '{"version": "1..2"}',
        '{"version": ".."}',
        '{"version": "1.2.3\\n"}',
        '{"version": " 1.2.3"}',
        '{"version": "latest"}',
        '{"version": ""}',
        '{"version": 3}',
        '{"name": "pyodide"}',
        "[]",
        "not json",
    ],
)
def test_a_version_that_is_not_a_plain_one_is_refused(tmp_path, text):
    package = write_package(tmp_path / "pyodide", text)
    with pytest.raises(RuntimeMissing, match=r"pyodide/package\.json"):
        package_version(package)


@pytest.mark.parametrize(
    "config",
    [
        {"files": {"../py/calc.zip": "./*"}},
        # A config that still names an interpreter (relative, absolute or a CDN's) is overwritten.
        {"interpreter": "../../pyodide/pyodide.mjs", "files": {"../py/calc.zip": "./*"}},
        {"interpreter": "/pyodide/pyodide.mjs", "files": {}},
        {"interpreter": "https://cdn.example/pyodide.mjs"},
    ],
)
def test_the_build_sets_the_interpreter_whatever_the_config_said(config):
    written = json.loads(set_interpreter(json.dumps(config), "/openceu/pyodide/314.0.7/pyodide.mjs"))
    assert written == {**config, "interpreter": "/openceu/pyodide/314.0.7/pyodide.mjs"}
    assert next(iter(written)) == "interpreter"


@pytest.mark.parametrize(
    ("text", "interpreter", "message"),
    [
        ("[]", "/pyodide/1.0/pyodide.mjs", "must be a JSON object"),
        ("{", "/pyodide/1.0/pyodide.mjs", "Expecting"),
        ("{}", "pyodide/1.0/pyodide.mjs", "must be an absolute path"),
        ("{}", "https://cdn.example/pyodide.mjs", "must be an absolute path"),
    ],
)
def test_a_config_or_interpreter_that_cannot_work_is_refused(text, interpreter, message):
    with pytest.raises(ValueError, match=message):
        set_interpreter(text, interpreter)


def test_the_repositorys_configs_leave_the_interpreter_to_the_build():
    """One place knows where Pyodide is: the build (a config naming one would be overwritten)."""
    configs = sorted((REPO_ROOT / "site_src/assets").glob("*/pyscript.json"))
    assert configs  # the suggest form's
    for config in configs:
        assert "interpreter" not in json.loads(config.read_text(encoding="utf-8")), config


def test_every_config_switches_off_the_plugins_no_page_uses():
    config = json.loads(without_unused_plugins('{"files": {}, "plugins": ["!error"]}'))
    assert config["plugins"] == ["!error", *(f"!{name}" for name in UNUSED_PLUGINS)]
    assert config["files"] == {}
    # Once is enough: a config that already switches one off keeps a single entry.
    again = json.loads(without_unused_plugins(json.dumps(config)))
    assert again["plugins"] == config["plugins"]


@pytest.mark.build
def test_the_built_configs_fetch_no_editor_game_or_terminal(built_site):
    for config in sorted(built_site.glob("assets/*/pyscript.json")):
        plugins = json.loads(config.read_text(encoding="utf-8"))["plugins"]
        assert {"!py-editor", "!py-game", "!py-terminal"} <= set(plugins), config
