"""The service worker's file list and version, read from built sites: every calculator page and
what it loads, the whole runtime, nothing from another site; a new build's files, a new version.
The worker's code is a real script (site_build/service_worker.js) whose ``// @build`` lines the
build fills: at install it saves only the offline page and what that page loads."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from site_build.offline import (
    OFFLINE_PAGE,
    SERVICE_WORKER,
    TEMPLATE,
    as_request,
    build_version,
    file_facts,
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
<script type="application/json" id="openceu-worker-config">{"worker": "../assets/w.js", "entry": "../assets/g.py",
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


def node_check(path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_worker_is_valid_javascript_holding_the_version_and_the_list(tmp_path: Path) -> None:
    # The call names the files saved at install, the calculator pages and each file's size and
    # digest (the worker saves the calculators later and checks every file it saves).
    files = {path: (1, "00" * 32) for path in ("cec/index.html", "assets/a b.css", "offline/index.html")}
    text = service_worker(
        "0123456789abcdef",
        ["cec/index.html", "assets/a b.css"],
        shell=["offline/index.html"],
        pages=["cec/"],
        files=files,
    )
    assert 'const VERSION = "0123456789abcdef";' in text and '"cec/"' in text and '"assets/a b.css"' in text
    path = tmp_path / SERVICE_WORKER
    path.write_text(text, encoding="utf-8")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_template_is_a_script_and_every_build_line_is_filled(tmp_path: Path) -> None:
    node_check(TEMPLATE)
    text = service_worker(
        "0123456789abcdef",
        ["cec/index.html"],
        shell=["offline/index.html"],
        pages=["cec/"],
        files={"cec/index.html": (5, "ab" * 32), "offline/index.html": (7, "cd" * 32)},
    )
    assert "// @build" not in text
    assert 'const SHELL = [\n"offline/"\n];' in text and 'const OFFLINE_PAGE = "offline/";' in text
    assert 'const CALCULATOR_PAGES = [\n"cec/"\n];' in text
    start = text.index("const FILES = ") + len("const FILES = ")
    assert json.loads(text[start : text.index(";\n", start)]) == {
        "cec/": [5, "ab" * 32],
        "offline/": [7, "cd" * 32],
    }


def test_a_template_whose_build_lines_do_not_match_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "service_worker.js"
    broken.write_text(TEMPLATE.read_text(encoding="utf-8").replace("// @build files", ""), encoding="utf-8")
    monkeypatch.setattr("site_build.offline.TEMPLATE", broken)
    with pytest.raises(ValueError, match="expected"):
        service_worker("0" * 16, [], shell=[], pages=[], files={})


def test_file_facts_are_each_files_size_and_sha256(small_site: Path) -> None:
    assert file_facts(small_site, ["assets/site.css", "runtime/a.wasm"]) == {
        "assets/site.css": (4, hashlib.sha256(b"p {}").hexdigest()),
        "runtime/a.wasm": (4, hashlib.sha256(b"wasm").hexdigest()),
    }


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
        "assets/py/calculator_pages.zip",
        "assets/py/data/credit_systems.csv",  # the CEU calculator's data file
        "assets/calculators/python-worker.js",
        "assets/calculators/calculator.js",  # imported by each calculator's page script
        "assets/calculators/calculator-page.js",
        "assets/calculators/recert-page.js",
        "assets/calculators/worker.py",  # every calculator's worker entry
    }
    assert worker_files <= set(listed)
    missing = [p for p in listed if not (built_site / (p + "index.html" if p.endswith("/") else p)).is_file()]
    assert not missing
    assert "directory/" not in listed  # visited pages are kept as they are visited, not downloaded up front
    for page in ("index.html", "cec/index.html", "directory/index.html"):
        assert 'src="' in (built_site / page).read_text(encoding="utf-8")
        assert "assets/javascripts/offline.js" in (built_site / page).read_text(encoding="utf-8")


def built_constant(text: str, name: str) -> object:
    """A ``const NAME = <JSON>;`` line of the built worker."""
    start = text.index(f"const {name} = ") + len(f"const {name} = ")
    return json.loads(text[start : text.index(";\n", start)])


def site_file(site: Path, request: str) -> Path:
    return site / (request + "index.html" if request.endswith("/") or request == "./" else request)


@pytest.mark.build
def test_the_built_worker_saves_only_the_offline_page_when_installed(built_site: Path) -> None:
    text = (built_site / SERVICE_WORKER).read_text(encoding="utf-8")
    shell = built_constant(text, "SHELL")
    assert isinstance(shell, list) and OFFLINE_PAGE in shell
    heavy = [
        path
        for path in shell
        if path.startswith(("pyodide/", "pyscript/", "assets/py/")) or path in CALCULATORS
    ]
    assert not heavy
    pages = built_constant(text, "CALCULATOR_PAGES")
    assert isinstance(pages, list) and set(CALCULATORS) <= set(pages)
    assert not {"./", "directory/", "about/", OFFLINE_PAGE} & set(pages)
    files = built_constant(text, "FILES")
    assert isinstance(files, dict) and set(files) == {*shell, *built_constant(text, "PRECACHE")}  # type: ignore[misc]
    for request, (size, digest) in files.items():
        data = site_file(built_site, request).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, digest), request
    offline = (built_site / OFFLINE_PAGE / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in offline and "data-offline-use" in offline
    for page in CALCULATORS:
        assert f'href="../{page}"' in offline, page
