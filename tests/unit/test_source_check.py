"""`ceu directory check-sources` against a local web server that plays every kind of source.

The server keeps the quote (in other whitespace, quote marks and markup), drops it, redirects,
answers 404 and 500, answers too slowly, serves a PDF and an image, keeps a folder out of
bounds in robots.txt, and plays IACET's record for two provider numbers. The data is a copy of
real published rows (only in tmp_path) whose source addresses point at it; the report the
checker writes is compared line for line.
"""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.source_check import USER_AGENT, html_text, normalise, pdf_text, says
from tests.conftest import REPO_ROOT
from tests.unit.test_cli import CEU

TODAY = "2026-12-03"
QUOTE = "ACME Training is accredited by the International Accreditors for Continuing Education and Training (IACET)."

KEPT_PAGE = """<!doctype html><html><head><title>About</title>
<style>p { color: red }</style></head><body><nav>Home</nav>
<p>ACME&nbsp;Training   is <strong>accredited</strong>
by the International Accreditors for Continuing
Education and Training (IACET).</p></body></html>"""
# The quote is only in a script: a reader no longer sees it on the page.
DROPPED_PAGE = """<!doctype html><html><body><p>ACME Training offers courses.</p>
<script>var old = "ACME Training is accredited by the International Accreditors for Continuing
Education and Training (IACET).";</script></body></html>"""
CURLY_PAGE = "<p>ACME\u2019s \u201cIACET CEUs\u201d \u2014 awarded for every course.</p>"
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def make_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Site:
    """What the server answered, and how many requests it was serving at once, per host."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        self.robots_status = 200
        #: IACET's record: provider number -> the name it shows.
        self.listed: dict[str, str] = {}


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
            try:
                self.answer()
            finally:
                with site.lock:
                    site.in_flight -= 1

        def answer(self) -> None:
            path, _, query = self.path.partition("?")
            time.sleep(0.02)  # long enough that overlapping requests would be seen
            if path == "/robots.txt":
                return self.send(site.robots_status, "text/plain", ROBOTS.encode())
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/kept.html")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if path == "/slow":
                time.sleep(2)
                return self.send(200, "text/html", KEPT_PAGE.encode())
            if path == "/provider":
                number = urllib.parse.parse_qs(query).get("id", [""])[0]
                if number in site.listed:
                    shown = html.escape(site.listed[number]).replace(" ", "&nbsp;", 1)
                    return self.send(200, "text/html", f"<h1>Provider</h1><p>{shown}</p>".encode())
                return self.send(200, "text/html", b"<h1>Provider</h1><p>No provider was found.</p>")
            pages: dict[str, tuple[str, bytes]] = {
                "/kept.html": ("text/html; charset=utf-8", KEPT_PAGE.encode()),
                "/dropped.html": ("text/html", DROPPED_PAGE.encode()),
                "/curly.html": ("text/html; charset=utf-8", CURLY_PAGE.encode()),
                "/notice.pdf": ("application/pdf", make_pdf(QUOTE)),
                "/logo.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(32)),
                "/private/kept.html": ("text/html", KEPT_PAGE.encode()),
            }
            if path in pages:
                return self.send(200, *pages[path])
            if path == "/broken":
                return self.send(500, "text/plain", b"oops")
            return self.send(404, "text/plain", b"not here")

        def send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    played = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(played))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield played, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def real_providers() -> list[dict[str, str]]:
    with (REPO_ROOT / "directory_data" / "providers.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_data(folder: Path, rows: list[dict[str, str]], checks: list[dict[str, str]] | None = None) -> Path:
    """A copy of the published data with only ``rows`` as providers (the other tables empty)."""
    shutil.copytree(REPO_ROOT / "directory_data", folder)
    for name in (
        "organizations.csv",
        "acceptances.csv",
        "credit_systems.csv",
        "sources.csv",
        "checks.csv",
        "requirements.csv",
    ):
        header = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        (folder / name).write_text(header + "\n", encoding="utf-8")
    _write(folder / "providers.csv", rows)
    if checks:
        _write(folder / "checks.csv", checks)
    return folder


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda row: row.get("id", "")))


def providers(base: str, sources: dict[str, tuple[str, str]], numbers: dict[str, str] | None = None):
    """Real provider rows (the first len(sources), by id) pointed at the local server."""
    numbers = numbers or {}
    rows = real_providers()[: len(sources)]
    return {
        row["id"]: {
            **row,
            "source_url": base + path,
            "source_quote": quote,
            "iacet_provider_number": numbers.get(name, ""),
        }
        for row, (name, (path, quote)) in zip(rows, sources.items(), strict=True)
    }, [row["id"] for row in rows]


def check_sources(
    data: Path, *args: str, base: str = "", timeout: str = "0.5"
) -> subprocess.CompletedProcess[str]:
    assert CEU
    environment = {**os.environ, "OPENCEU_TODAY": TODAY}
    template = [f"--iacet-provider-url={base}/provider?id={{number}}"] if base else []
    return subprocess.run(
        [
            CEU,
            "directory",
            "check-sources",
            str(data),
            "--pause",
            "0",
            "--timeout",
            timeout,
            "--allow-synthetic",  # the rows point at a local test server
            *template,
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


def report(data: Path) -> list[dict[str, str]]:
    with (data / "checks.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def line(
    table_id: str, check: str, url: str, outcome: str, status: str = "", final: str = "", detail: str = ""
):
    table, _, entry = table_id.partition("/")
    return {
        "table": table,
        "id": entry,
        "check": check,
        "checked_on": TODAY,
        "url": url,
        "http_status": status,
        "final_url": final,
        "outcome": outcome,
        "detail": detail,
    }


def test_every_kind_of_source_is_reported_exactly(site, tmp_path):
    played, base = site
    refused = f"http://127.0.0.1:{closed_port()}/about"
    scenarios = {
        "kept": ("/kept.html", QUOTE),
        "elided": (
            "/kept.html",
            "ACME Training is accredited ... Continuing Education and Training (IACET).",
        ),
        "curly": ("/curly.html", 'ACME\'s "IACET CEUs" - awarded for every course.'),
        "dropped": ("/dropped.html", QUOTE),
        "moved": ("/moved", QUOTE),
        "loop": ("/loop", QUOTE),
        "gone": ("/gone", QUOTE),
        "broken": ("/broken", QUOTE),
        "slow": ("/slow", QUOTE),
        "pdf": ("/notice.pdf", QUOTE),
        "image": ("/logo.png", QUOTE),
        "private": ("/private/kept.html", QUOTE),
        "listed": ("/kept.html", QUOTE),
        "unlisted": ("/kept.html", QUOTE),
    }
    rows, ids = providers(base, scenarios, numbers={"listed": "1001", "unlisted": "1002"})
    rows[ids[-1]]["source_url"] = refused  # the last one's site does not answer at all
    played.listed["1001"] = rows[ids[-2]]["name"]
    data = write_data(tmp_path / "data", list(rows.values()))
    done = check_sources(data, base=base)
    assert done.returncode == 0, done.stdout + done.stderr
    by = dict(zip(scenarios, ids, strict=True))
    not_found = (
        "not found in the page's text: “acme training is accredited by the international accreditors…”"
    )
    expected = [
        line(f"providers/{by['kept']}", "source", base + "/kept.html", "quote-present", "200"),
        line(f"providers/{by['elided']}", "source", base + "/kept.html", "quote-present", "200"),
        line(f"providers/{by['curly']}", "source", base + "/curly.html", "quote-present", "200"),
        line(
            f"providers/{by['dropped']}",
            "source",
            base + "/dropped.html",
            "quote-missing",
            "200",
            detail=not_found,
        ),
        line(
            f"providers/{by['moved']}", "source", base + "/moved", "quote-present", "200", base + "/kept.html"
        ),
        line(
            f"providers/{by['loop']}",
            "source",
            base + "/loop",
            "unreachable",
            "302",
            detail="too many redirects (a loop, or more than 5)",
        ),
        line(
            f"providers/{by['gone']}",
            "source",
            base + "/gone",
            "unreachable",
            "404",
            detail="HTTP 404 Not Found",
        ),
        line(
            f"providers/{by['broken']}",
            "source",
            base + "/broken",
            "unreachable",
            "500",
            detail="HTTP 500 Internal Server Error",
        ),
        line(
            f"providers/{by['slow']}", "source", base + "/slow", "unreachable", detail="timed out after 0.5 s"
        ),
        line(f"providers/{by['pdf']}", "source", base + "/notice.pdf", "quote-present", "200"),
        line(
            f"providers/{by['image']}",
            "source",
            base + "/logo.png",
            "unreadable",
            "200",
            detail="a image/png file, which the checker does not read",
        ),
        line(
            f"providers/{by['private']}",
            "source",
            base + "/private/kept.html",
            "robots-disallowed",
            detail="robots.txt disallows it",
        ),
        line(f"providers/{by['listed']}", "iacet-record", base + "/provider?id=1001", "name-listed", "200"),
        line(f"providers/{by['listed']}", "source", base + "/kept.html", "quote-present", "200"),
        line(
            f"providers/{by['unlisted']}", "iacet-record", base + "/provider?id=1002", "name-missing", "200"
        ),
        line(f"providers/{by['unlisted']}", "source", refused, "unreachable", detail="connection refused"),
    ]
    assert report(data) == sorted(expected, key=lambda r: (r["table"], r["id"], r["check"]))
    # The real validator accepts what the checker wrote.
    assert (
        subprocess.run(
            [CEU, "directory", "validate", "--allow-synthetic", str(data)], capture_output=True, check=False
        ).returncode
        == 0
    )
    # One line per check as it is made, and a summary.
    assert f"providers/{by['gone']}: source: unreachable HTTP 404 (HTTP 404 Not Found)" in done.stdout
    assert done.stdout.rstrip().endswith(f"wrote {data.as_posix()}/checks.csv")
    # Polite: robots.txt read once, the project's user agent on every request, the private page never fetched.
    paths = [path for path, _ in played.requests]
    assert paths.count("/robots.txt") == 1
    assert "/private/kept.html" not in paths
    assert {agent for _, agent in played.requests} == {USER_AGENT}


def test_one_host_is_never_asked_twice_at_once(site, tmp_path):
    played, base = site
    sources = {f"page-{n}": ("/kept.html", QUOTE) for n in range(6)}
    rows, _ = providers(base, sources)
    data = write_data(tmp_path / "data", list(rows.values()))
    assert check_sources(data).returncode == 0
    assert len(played.requests) == 7  # robots.txt and six pages
    assert played.most_in_flight == 1


def test_the_pause_is_kept_between_requests_to_one_host(site, tmp_path):
    _, base = site
    rows, _ = providers(base, {"a": ("/kept.html", QUOTE), "b": ("/kept.html", QUOTE)})
    data = write_data(tmp_path / "data", list(rows.values()))
    started = time.monotonic()
    assert check_sources(data, "--pause", "0.4").returncode == 0
    assert time.monotonic() - started >= 0.8  # robots.txt, pause, page, pause, page


@pytest.mark.parametrize(
    ("robots_status", "outcome", "status", "detail", "fetched"),
    [
        # RFC 9309: robots.txt answering a server error means nothing on the site is fetched;
        (
            503,
            "robots-disallowed",
            "",
            "robots.txt answered HTTP 503, so nothing on the site is fetched",
            False,
        ),
        # a missing (or forbidden) robots.txt allows everything, even the folder it would close.
        (404, "quote-present", "200", "", True),
        (403, "quote-present", "200", "", True),
    ],
)
def test_what_a_robots_txt_that_cannot_be_read_allows(
    site, tmp_path, robots_status, outcome, status, detail, fetched
):
    played, base = site
    played.robots_status = robots_status
    rows, ids = providers(base, {"private": ("/private/kept.html", QUOTE)})
    data = write_data(tmp_path / "data", list(rows.values()))
    assert check_sources(data).returncode == 0
    expected = line(
        f"providers/{ids[0]}", "source", base + "/private/kept.html", outcome, status, detail=detail
    )
    assert report(data) == [expected]
    assert ("/private/kept.html" in [path for path, _ in played.requests]) is fetched


def test_since_keeps_recent_checks_drops_vanished_rows_and_rechecks_a_new_address(site, tmp_path):
    played, base = site
    rows, ids = providers(
        base, {"recent": ("/kept.html", QUOTE), "old": ("/gone", QUOTE), "moved": ("/kept.html", QUOTE)}
    )
    recent = {
        **line(f"providers/{ids[0]}", "source", base + "/kept.html", "quote-missing", "200"),
        "checked_on": "2026-11-30",
    }
    old = {
        **line(f"providers/{ids[1]}", "source", base + "/gone", "quote-present", "200"),
        "checked_on": "2026-11-20",
    }
    elsewhere = {
        **line(f"providers/{ids[2]}", "source", base + "/before.html", "quote-present", "200"),
        "checked_on": "2026-12-01",
    }
    vanished = {
        **line("providers/zz-no-longer-listed", "source", base + "/kept.html", "quote-present", "200"),
        "checked_on": "2026-12-01",
    }
    data = write_data(tmp_path / "data", list(rows.values()), checks=[recent, old, elsewhere, vanished])
    done = check_sources(data, "--since", "6")
    assert done.returncode == 0, done.stdout + done.stderr
    assert report(data) == [
        recent,  # checked three days ago at this address: kept as it was, not fetched
        line(
            f"providers/{ids[1]}", "source", base + "/gone", "unreachable", "404", detail="HTTP 404 Not Found"
        ),
        line(f"providers/{ids[2]}", "source", base + "/kept.html", "quote-present", "200"),
    ]
    assert [path for path, _ in played.requests].count(
        "/kept.html"
    ) == 1  # only the row whose address changed
    assert "1 checked within the last 6 days, kept" in done.stdout


@pytest.mark.parametrize("keep", [True, False], ids=["keep-last-reading", "default"])
def test_keep_last_reading_keeps_a_check_that_read_the_page_over_one_that_could_not(site, tmp_path, keep):
    _, base = site
    refused = f"http://127.0.0.1:{closed_port()}/about"
    rows, ids = providers(
        base,
        {"broken": ("/broken", QUOTE), "down": ("/x", QUOTE), "gone": ("/gone", QUOTE), "new": ("/y", QUOTE)},
    )
    rows[ids[1]]["source_url"] = refused
    rows[ids[3]]["source_url"] = refused + "/new"
    earlier = [
        {
            **line(f"providers/{ids[0]}", "source", base + "/broken", "quote-present", "200"),
            "checked_on": "2026-11-01",
        },
        {
            **line(f"providers/{ids[1]}", "source", refused, "quote-missing", "200"),
            "checked_on": "2026-11-01",
        },
        {
            **line(f"providers/{ids[2]}", "source", base + "/gone", "quote-present", "200"),
            "checked_on": "2026-11-01",
        },
        # a check of another address says nothing about the new one: the new finding is written
        {
            **line(f"providers/{ids[3]}", "source", refused, "quote-present", "200"),
            "checked_on": "2026-11-01",
        },
    ]
    data = write_data(tmp_path / "data", list(rows.values()), checks=earlier)
    done = check_sources(data, *(["--keep-last-reading"] if keep else []))
    assert done.returncode == 0, done.stdout + done.stderr
    broken = line(
        f"providers/{ids[0]}",
        "source",
        base + "/broken",
        "unreachable",
        "500",
        detail="HTTP 500 Internal Server Error",
    )
    down = line(f"providers/{ids[1]}", "source", refused, "unreachable", detail="connection refused")
    gone = line(
        f"providers/{ids[2]}", "source", base + "/gone", "unreachable", "404", detail="HTTP 404 Not Found"
    )
    new = line(f"providers/{ids[3]}", "source", refused + "/new", "unreachable", detail="connection refused")
    expected = [earlier[0], earlier[1], gone, new] if keep else [broken, down, gone, new]
    assert report(data) == expected
    assert ("2 not read this time, last check kept" in done.stdout) is keep


def test_only_checks_one_row_and_keeps_the_others(site, tmp_path):
    played, base = site
    rows, ids = providers(base, {"a": ("/kept.html", QUOTE), "b": ("/gone", QUOTE)})
    earlier = {
        **line(f"providers/{ids[1]}", "source", base + "/gone", "quote-present", "200"),
        "checked_on": "2026-11-01",
    }
    data = write_data(tmp_path / "data", list(rows.values()), checks=[earlier])
    done = check_sources(data, "--only", f"providers/{ids[0]}", "--json")
    assert done.returncode == 0, done.stderr
    assert report(data) == [
        line(f"providers/{ids[0]}", "source", base + "/kept.html", "quote-present", "200"),
        earlier,
    ]
    assert "/gone" not in [path for path, _ in played.requests]
    assert json.loads(done.stdout) == {
        "as_of": TODAY,
        "checked": [
            {
                "table": "providers",
                "id": ids[0],
                "check": "source",
                "checked_on": TODAY,
                "url": base + "/kept.html",
                "http_status": 200,
                "final_url": None,
                "outcome": "quote-present",
                "detail": None,
            }
        ],
        "skipped": 0,
        "outcomes": {"quote-present": 1},
        "unread_kept_last": 0,
    }


def test_an_additional_source_is_checked_for_the_row_it_supports(site, tmp_path):
    """A row of sources.csv is fetched like the row's own source and reported as the row's, by address."""
    played, base = site
    rows, ids = providers(base, {"a": ("/kept.html", QUOTE)})
    data = write_data(tmp_path / "data", list(rows.values()))
    also = {"table": "providers", "id": ids[0], "source_url": base + "/dropped.html", "source_kind": "official",
            "source_quote": QUOTE, "verified_on": TODAY}  # fmt: skip
    _write(data / "sources.csv", [also])
    done = check_sources(data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [(r["table"], r["id"], r["check"], r["url"], r["outcome"]) for r in report(data)] == [
        ("providers", ids[0], "source", base + "/dropped.html", "quote-missing"),
        ("providers", ids[0], "source", base + "/kept.html", "quote-present"),
    ]
    # One row, two addresses: --only names the row and both are read again; --since keeps both.
    played.requests.clear()
    assert check_sources(data, "--only", f"providers/{ids[0]}").returncode == 0
    assert sorted(path for path, _ in played.requests if path.endswith(".html")) == [
        "/dropped.html",
        "/kept.html",
    ]
    kept = report(data)
    assert check_sources(data, "--since", "6").returncode == 0 and report(data) == kept
    # The source removed from sources.csv: its line goes with it at the next run.
    _write(data / "sources.csv", [])
    assert check_sources(data, "--since", "6").returncode == 0
    assert [r["url"] for r in report(data)] == [base + "/kept.html"]


def test_data_with_errors_is_refused_before_anything_is_fetched(site, tmp_path):
    played, base = site
    rows, ids = providers(base, {"a": ("/kept.html", QUOTE)})
    rows[ids[0]]["verified_on"] = "2026-02-30"
    data = write_data(tmp_path / "data", list(rows.values()))
    before = (data / "checks.csv").read_bytes()
    done = check_sources(data)
    assert done.returncode == 2
    assert (
        f"{data.as_posix()}/providers.csv:2: verified_on: '2026-02-30' is not a date that exists"
        in done.stdout
    )
    assert "fix the data (ceu directory validate) before checking its sources" in done.stdout
    assert played.requests == []
    assert (data / "checks.csv").read_bytes() == before


def test_rows_pointing_at_a_local_server_are_test_data_only(site, tmp_path):
    played, base = site
    rows, _ = providers(base, {"a": ("/kept.html", QUOTE)})
    data = write_data(tmp_path / "data", list(rows.values()))
    assert CEU
    done = subprocess.run(
        [CEU, "directory", "check-sources", str(data), "--pause", "0"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "OPENCEU_TODAY": TODAY},
    )
    assert done.returncode == 2
    assert "/providers.csv:2: source_url: the host '127.0.0.1' is a loopback address" in done.stdout
    assert played.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "-1"], "--since must be between 0 and 36600 days"),
        (["--timeout", "0"], "--timeout must be more than 0 and at most 300 seconds"),
        (["--pause", "61"], "--pause must be between 0 and 60 seconds"),
        (
            ["--iacet-provider-url", "ftp://x/{number}"],
            "--iacet-provider-url must be an http(s) address containing {number}",
        ),
        (["--only", "providers/no-such-row"], "providers/no-such-row: no row with a source to check"),
    ],
)
def test_bad_options_are_refused_with_a_message(tmp_path, args, message):
    data = write_data(tmp_path / "data", real_providers()[:1])
    done = check_sources(data, *args)
    assert done.returncode == 2
    assert message in done.stdout + done.stderr
    assert report(data) == []


@pytest.mark.parametrize(
    ("page", "quote", "found"),
    [
        ("<p>Approved   by\n IACET</p>", "approved by iacet", True),
        ("<p>IACET\u00a0CEUs</p>", "IACET CEUs", True),
        ("<p>the \u201cbest\u201d</p>", 'the "best"', True),
        ("<p>2020\u20132025</p>", "2020-2025", True),
        ("<p>one</p><p>two</p>", "one two", True),
        ("<p>one two three four</p>", "one ... four", True),
        ("<p>one two three four</p>", "one … four", True),
        ("<p>one two three four</p>", "four ... one", False),
        ("<p>accre<b>dited</b></p>", "accredited", True),
        ("<script>accredited</script><p>other</p>", "accredited", False),
        ("<p>&lt;b&gt;Accredited&lt;/b&gt;</p>", "<b>accredited</b>", True),
    ],
)
def test_what_counts_as_the_page_still_saying_it(page, quote, found):
    assert says(html_text(page), quote) is found


def test_pdf_text_is_read():
    assert says(pdf_text(make_pdf(QUOTE)), QUOTE)
    with pytest.raises(ValueError, match="the PDF could not be read"):
        pdf_text(b"%PDF-1.4\nnot really")


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    assert normalise(normalise(text)) == normalise(text)


_WORDS = st.text(alphabet="abcXYZ '\"\u2019\u201c\u201d-\u2013 \n\t\u00a0.,()", max_size=40)


@given(_WORDS, _WORDS, _WORDS)
def test_a_quote_is_found_wherever_it_sits_in_the_page(before, quote, after):
    assert says(f"{before} {quote} {after}", quote)
