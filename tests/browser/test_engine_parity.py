"""The engine gives the same answers in the browser's Pyodide as in CPython.

The whole case table (tests/engine/cases.py) is exported as JSON and run by the
same runner file in both: here in CPython, and in headless Chromium on the
site's own Pyodide with the site's own calc.zip (what visitors run).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Route

from site_build.runtime import runtime_paths
from tests.browser.browser_support import PYTHON_READY_TIMEOUT_MS, watched_context
from tests.conftest import REPO_ROOT
from tests.engine.cases import CASES
from tests.engine.runner import run_cases

pytestmark = pytest.mark.browser

#: A blank page on the site's own origin for the harness (no CSP: it is not part of the site).
HARNESS_PATH = "/__engine_parity__/"

#: The site's own Pyodide, in the folder named by its version (the test server serves the site at /).
RUNTIME = runtime_paths(REPO_ROOT / "node_modules")

RUN_IN_PYODIDE = """
async ([pyodideFolder, runnerSource, casesJson]) => {
  const { loadPyodide } = await import(`${pyodideFolder}pyodide.mjs`);
  const pyodide = await loadPyodide({ indexURL: pyodideFolder });
  const engine = await (await fetch("/assets/py/calc.zip")).arrayBuffer();
  pyodide.unpackArchive(engine, "zip");
  pyodide.FS.writeFile("parity_runner.py", runnerSource);
  pyodide.globals.set("cases_json", casesJson);
  return pyodide.runPython(`
import json, sys
import parity_runner
json.dumps({"python": sys.version.split()[0],
            "results": parity_runner.run_cases(json.loads(cases_json))})
`);
}
"""


def test_every_case_gives_the_same_result_in_pyodide(browser: Browser, site_url: str):
    context, watch = watched_context(browser, site_url)
    page = context.new_page()

    def harness(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>parity</title>")

    page.route(f"{site_url}{HARNESS_PATH}", harness)
    page.goto(site_url + HARNESS_PATH)
    page.set_default_timeout(PYTHON_READY_TIMEOUT_MS)
    runner = (REPO_ROOT / "tests/engine/runner.py").read_text(encoding="utf-8")
    outcome = json.loads(page.evaluate(RUN_IN_PYODIDE, ["/" + RUNTIME.pyodide, runner, json.dumps(CASES)]))
    context.close()

    in_browser = outcome["results"]
    in_cpython = json.loads(json.dumps(run_cases(CASES)))
    assert outcome["python"].startswith("3.")
    assert len(in_browser) == len(in_cpython) == len(CASES)
    differing = [case_id for case_id in in_cpython if in_browser.get(case_id) != in_cpython[case_id]]
    assert not differing, {case_id: (in_cpython[case_id], in_browser.get(case_id)) for case_id in differing}
    watch.assert_clean("engine parity harness")
