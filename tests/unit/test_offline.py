"""The service worker's file list and version, read from built sites: every calculator page and
what it loads, the whole runtime, nothing from another site; a new build's files, a new version."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from site_build.offline import (
    SERVICE_WORKER,
    as_request,
    build_version,
    page_needs,
    precache_paths,
    service_worker,
)
from site_build.runtime import runtime_paths
from tests.conftest import REPO_ROOT

CALCULATORS = (
    "calculator/",
    "course-plan/",
    "eligibility/",
    "deadlines/",
    "accreditation/",
    "cec/",
    "recertification/",
    "annual-report/",
)
PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="../assets/site.css"><link rel="canonical" href="https://example.org/cec/">
<link rel="icon" href="../assets/icon.png"><script src="https://cdn.example.org/x.js"></script>
<script src="data:text/javascript,1"></script><script src="/abs.js"></script>
</head><body><a href="../other/">other</a>
<script type="py" src="../assets/page.py" config="../assets/py.json"></script>
<script type="application/json" id="openceu-worker-config">{"worker": "../assets/w.js", "glue": "../assets/g.py",
 "zips": ["../assets/engine.zip"], "pyodide": "../runtime/"}</script></body></html>"""


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, text in {
        "cec/index.html": PAGE,
        "other/index.html": "<p>not a calculator</p>",
        "assets/site.css": "p {}",
        "assets/icon.png": "png",
        "assets/page.py": "print()",
        "assets/py.json": json.dumps({"files": {"./lib.zip": "./*", "../data/table.csv": "./table.csv"}}),
        "assets/lib.zip": "zip",
        "data/table.csv": "a,b",
        "assets/w.js": "",
        "assets/g.py": "",
        "assets/engine.zip": "zip",
        "runtime/a.wasm": "wasm",
        "runtime/deep/b.js": "js",
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    return site


def test_a_page_needs_its_styles_scripts_python_config_files_and_worker_files(small_site: Path) -> None:
    assert page_needs(small_site, "cec/") == {
        "cec/index.html",
        "assets/site.css",
        "assets/icon.png",
        "assets/page.py",
        "assets/py.json",
        "assets/lib.zip",
        "data/table.csv",
        "assets/w.js",
        "assets/g.py",
        "assets/engine.zip",
    }


def test_the_list_adds_whole_runtime_folders_and_pages_are_asked_for_as_folders(small_site: Path) -> None:
    paths = precache_paths(small_site, ["cec/"], ["runtime/"])
    assert {"runtime/a.wasm", "runtime/deep/b.js"} <= set(paths)
    assert "other/index.html" not in paths
    assert as_request("cec/index.html") == "cec/" and as_request("index.html") == "./"


def test_the_version_follows_the_precached_files_only(small_site: Path) -> None:
    paths = precache_paths(small_site, ["cec/"], ["runtime/"])
    first = build_version(small_site, paths)
    (small_site / "other/index.html").write_text("<p>changed</p>", encoding="utf-8")
    assert build_version(small_site, paths) == first
    (small_site / "runtime/deep/b.js").write_text("js, rebuilt", encoding="utf-8")
    assert build_version(small_site, paths) != first


def test_the_worker_is_valid_javascript_holding_the_version_and_the_list(tmp_path: Path) -> None:
    text = service_worker("0123456789abcdef", ["cec/index.html", "assets/a b.css"])
    assert 'const VERSION = "0123456789abcdef";' in text and '"cec/"' in text and '"assets/a b.css"' in text
    path = tmp_path / SERVICE_WORKER
    path.write_text(text, encoding="utf-8")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.build
def test_the_built_site_precaches_every_calculator_and_the_runtime(built_site: Path) -> None:
    text = (built_site / SERVICE_WORKER).read_text(encoding="utf-8")
    start = text.index("const PRECACHE = ") + len("const PRECACHE = ")
    listed = json.loads(text[start : text.index(";\n", start)])
    assert set(CALCULATORS) <= set(listed)
    runtime = runtime_paths(REPO_ROOT / "node_modules")
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert runtime.pyodide + name in listed
    assert runtime.pyscript + "core.js" in listed  # the suggest form's
    worker_files = {
        "assets/py/calc.zip",
        "assets/py/calculators.zip",
        "assets/py/data/credit_systems.csv",  # the CEU calculator's data file
        "assets/calculators/python-worker.js",
        "assets/calculators/calculator.js",  # imported by each calculator's page script
        "assets/calculators/calculator-page.js",
        "assets/calculators/recert-page.js",
        "assets/calculators/ceu.py",
        "assets/calculators/recert.py",
    }
    assert worker_files <= set(listed)
    missing = [p for p in listed if not (built_site / (p + "index.html" if p.endswith("/") else p)).is_file()]
    assert not missing
    assert "directory/" not in listed  # visited pages are kept as they are visited, not downloaded up front
    for page in ("index.html", "cec/index.html", "directory/index.html"):
        assert 'src="' in (built_site / page).read_text(encoding="utf-8")
        assert "assets/javascripts/offline.js" in (built_site / page).read_text(encoding="utf-8")
