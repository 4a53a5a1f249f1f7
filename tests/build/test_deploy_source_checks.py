"""The deploy workflow's source check, run as the workflow runs it, then the real build over its result.

The step is read from .github/workflows/deploy.yml (so this test breaks when the workflow
changes) and run by bash in the repository, as the runner runs it, over a fixture data folder
whose providers' sources and IACET record address point at a local web server. The site is
then built from that folder with the real MkDocs build and each profile's status is read:

* a provider whose IACET record names it, and one whose dated own page still carries its quote,
  read "In good standing";
* one whose quote has gone from its page reads "Needs review";
* one whose server is down does not stop anything: with a check from last month that found its
  quote it stays in good standing (that check is kept), without one it stays unverified;
* one checked two days ago is not fetched again (checks younger than a week are reused).

The repository's own checks.csv is byte-identical afterwards: the step writes the folder it is
given, and the deploy never commits (the weekly pull request is how checks enter the repository).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.build.conftest import build_site_over, synthetic_row, write_dataset
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.build

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "deploy.yml"
TODAY = "2026-12-03"
#: The page's own date, within 12 months of TODAY.
DATED = "2026-09"
QUOTE = "Acme Learning is an IACET Accredited Provider."
PAGES = {
    "/kept.html": f"<html><body><h1>About</h1><p>{QUOTE}</p></body></html>",
    "/undated.html": f"<html><body><p>{QUOTE}</p></body></html>",
    "/dropped.html": "<html><body><p>Acme Learning offers courses.</p></body></html>",
    "/recent.html": "<html><body><p>Changed since, but checked two days ago.</p></body></html>",
}


class Server:
    """A local site: the providers' pages, and IACET's record for each provider number."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        #: provider number -> the name IACET's record shows
        self.records: dict[str, str] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                number = self.path.removeprefix("/record/")
                if number != self.path and number in server.records:
                    body = f"<h1>Accredited provider</h1><p>{server.records[number]}</p>"
                    return self.send(200, body)
                if self.path in PAGES:
                    return self.send(200, PAGES[self.path])
                return self.send(404, "not here")

            def send(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"


@pytest.fixture
def server() -> Iterator[Server]:
    played = Server()
    thread = threading.Thread(target=played.http.serve_forever, daemon=True)
    thread.start()
    yield played
    played.http.shutdown()
    played.http.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def deploy_steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, object]] = workflow["jobs"]["build"]["steps"]
    return steps


def check_step() -> dict[str, object]:
    """The deploy's step that checks the sources, which must come before the build and never stop it."""
    steps = deploy_steps()
    (check,) = [step for step in steps if "check-sources" in str(step.get("run", ""))]
    build = next(step for step in steps if "make build" in str(step.get("run", "")))
    assert steps.index(check) < steps.index(build), "the checks are made before the site is built"
    assert check.get("continue-on-error") is True, "a failed check never stops a deploy"
    assert "timeout-minutes" in check, "a check that hangs gives up, and the deploy goes on"
    return check


def run_step(step: dict[str, object], data: Path, flags: str) -> subprocess.CompletedProcess[str]:
    """The step's `run` as the runner runs it: bash in the repository, with the test's folder and flags."""
    environment = {
        key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    environment |= {"OPENCEU_TODAY": TODAY, "CHECK_DATA": str(data), "CHECK_FLAGS": flags}
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", str(step["run"])],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def provider(n: int, url: str, **values: str) -> dict[str, str]:
    official = {"source_kind": "official", "source_date": DATED, "source_quote": QUOTE, "source_url": url}
    return synthetic_row("providers", n, **{**official, **values})


def source_check(row: dict[str, str], checked_on: str, outcome: str) -> dict[str, str]:
    return {
        "table": "providers",
        "id": row["id"],
        "check": "source",
        "checked_on": checked_on,
        "url": row["source_url"],
        "http_status": "200",
        "outcome": outcome,
    }


def dataset(folder: Path, base: str, providers: list[dict[str, str]], checks: list[dict[str, str]]) -> Path:
    """write_dataset, with the copied credit rules' sources moved to ``base``: nothing leaves the host."""
    data = write_dataset(folder, providers=providers, checks=checks)
    path = data / "credit_systems.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rules = reader.fieldnames or [], list(reader)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**rule, "source_url": f"{base}/rules/{rule['id']}"} for rule in rules)
    return data


def status_of(site: Path, row: dict[str, str]) -> tuple[str, str]:
    """(the status label, the rule's words) on the provider's profile."""
    html = (site / f"directory/providers/{row['id']}/index.html").read_text(encoding="utf-8")
    label = re.search(
        r'id="status-heading">Status as of <time [^>]*>[^<]*</time>: <strong>([^<]+)</strong>', html
    )
    assert label, f"{row['id']}: no status on the profile"
    return label.group(1), html


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_deploys_check_step_gives_the_build_statuses_from_evidence(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository_checks = REPO_ROOT / "directory_data" / "checks.csv"
    before = digest(repository_checks)
    base, down = server.base, f"http://127.0.0.1:{closed_port()}"
    rows = {
        "listed": provider(0, base + "/undated.html", source_date="", iacet_provider_number="5001"),
        "kept": provider(1, base + "/kept.html"),
        "dropped": provider(2, base + "/dropped.html"),
        "down, found last month": provider(3, down + "/about"),
        "down, never read": provider(4, down + "/about-us"),
        "checked two days ago": provider(5, base + "/recent.html"),
    }
    server.records["5001"] = rows["listed"]["name"]
    committed = [
        source_check(rows["down, found last month"], "2026-11-01", "quote-present"),
        source_check(rows["checked two days ago"], "2026-12-01", "quote-present"),
    ]
    data = dataset(tmp_path / "data", base, list(rows.values()), committed)
    template = base + "/record/{number}"

    done = run_step(
        check_step(),
        data,
        f"--allow-synthetic --pause 0 --timeout 5 --iacet-provider-url={template}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checked within the last 6 days, kept" in done.stdout
    assert "1 not read this time, last check kept" in done.stdout
    assert "/recent.html" not in server.requests, "a check younger than a week is reused"
    assert {"/record/5001", "/undated.html", "/kept.html", "/dropped.html"} <= set(server.requests)
    with (data / "checks.csv").open(encoding="utf-8", newline="") as handle:
        report = list(csv.DictReader(handle))
    assert all(row["url"].startswith("http://127.0.0.1:") for row in report), "nothing left the host"
    found = {(row["id"], row["check"]): (row["checked_on"], row["outcome"]) for row in report}
    assert found[(rows["down, found last month"]["id"], "source")] == ("2026-11-01", "quote-present")
    assert found[(rows["down, never read"]["id"], "source")] == (TODAY, "unreachable")
    assert found[(rows["listed"]["id"], "iacet-record")] == (TODAY, "name-listed")

    monkeypatch.setenv("OPENCEU_TODAY", TODAY)
    site = build_site_over(data, tmp_path / "site", iacet_provider_url=template)
    statuses = {name: status_of(site, row) for name, row in rows.items()}
    assert {name: label for name, (label, _) in statuses.items()} == {
        "listed": "In good standing",
        "kept": "In good standing",
        "dropped": "Needs review",
        "down, found last month": "In good standing",
        "down, never read": "Unverified",
        "checked two days ago": "In good standing",
    }
    assert f"In good standing as of {TODAY} (IACET&#39;s directory, checked {TODAY})" in statuses["listed"][1]
    assert f"the quoted words were found on it when checked on {TODAY}" in statuses["kept"][1]
    assert f"The source changed or was gone when checked on {TODAY}: needs review." in statuses["dropped"][1]
    assert (
        "the quoted words were found on it when checked on 2026-11-01"
        in statuses["down, found last month"][1]
    )
    assert "no check within 12 months has found the quoted words on it yet" in statuses["down, never read"][1]
    assert digest(repository_checks) == before, "the repository's checks.csv is never written"


def test_with_no_network_the_committed_checks_stay(tmp_path: Path) -> None:
    """Nothing answers: the step still ends well, and checks.csv is what was committed."""
    nowhere = f"http://127.0.0.1:{closed_port()}"
    row = provider(0, nowhere + "/about", iacet_provider_number="5001")
    committed = [source_check(row, "2026-11-01", "quote-present")]
    data = dataset(tmp_path / "data", nowhere, [row], committed)
    done = run_step(
        check_step(), data, f"--allow-synthetic --pause 0 --iacet-provider-url={nowhere}/r/{{number}}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with (data / "checks.csv").open(encoding="utf-8", newline="") as handle:
        after = [
            (r["table"], r["id"], r["check"], r["checked_on"], r["outcome"]) for r in csv.DictReader(handle)
        ]
    providers = [line for line in after if line[0] == "providers"]
    # The committed check is kept; the record, never read before, is recorded as not read.
    assert providers == [
        ("providers", row["id"], "iacet-record", TODAY, "unreachable"),
        ("providers", row["id"], "source", "2026-11-01", "quote-present"),
    ]
    assert all(line[4] == "unreachable" for line in after if line[0] == "credit_systems")
