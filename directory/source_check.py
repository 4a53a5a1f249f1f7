"""Re-reading every row's source, politely: ``ceu directory check-sources``.

Each row of a fact-bearing table is checked by fetching its ``source_url`` and looking for
its ``source_quote`` in the page's text; a provider with an IACET provider number is also
checked against IACET's own record for that number, which should show the provider's name.
The findings are written to ``checks.csv`` (:mod:`directory.check_report` reads it at build
time; a build never fetches anything).

Politeness: a user agent that names the project, robots.txt obeyed (RFC 9309: a robots.txt
that is missing or forbidden allows everything, one that cannot be fetched allows nothing),
one request at a time per host with a pause between them, a timeout on every request, at
most five redirects, and at most 10 MB read from any page.

Text is compared after :func:`normalise`: Unicode compatibility forms folded, case folded,
curly quotes and dashes made plain, every run of whitespace one space. A quote that leaves
words out ("..." or "…") matches when its parts appear in that order.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import re
import socket
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from directory.check_report import IACET_RECORD, SOURCE, Check, CheckKey, check_key, iacet_record_url
from directory.records import ADDITIONAL_SOURCES, Directory
from directory.schema import Schema
from directory.whole_file import replaced_whole

USER_AGENT = "OpenCEU-source-check/1.0 (+https://github.com/openceu/openceu)"
#: The token robots.txt groups are matched against (RFC 9309 "product token").
ROBOTS_TOKEN = "OpenCEU-source-check"
DEFAULT_TIMEOUT = 20.0
#: Seconds between two requests to the same host (a robots.txt Crawl-delay asks for more).
DEFAULT_PAUSE = 1.0
#: The longest Crawl-delay obeyed; a site asking for more is still fetched, this slowly.
MAX_CRAWL_DELAY = 30.0
MAX_REDIRECTS = 5
#: Bigger than any page that states an accreditation; more is not read.
MAX_BODY_BYTES = 10 * 1024 * 1024
#: Hosts fetched at the same time (each host still gets one request at a time).
MAX_HOSTS_AT_ONCE = 8

_ELISION = re.compile(r"\s*(?:\.\s*\.\s*\.|…)\s*")
_SPACE = re.compile(r"\s+")
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": "",  # a soft hyphen is invisible on the page
        "\u200b": "",  # and so is a zero-width space
    }
)


def normalise(text: str) -> str:
    """Text as compared: what a reader sees as the same words compares equal."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_PLAIN)
    return _SPACE.sub(" ", folded).strip()


def says(page_text: str, quote: str) -> bool:
    """Whether the page's text contains the quote (its parts in order, where it elides words)."""
    text = normalise(page_text)
    position = 0
    for part in _ELISION.split(quote):
        wanted = normalise(part)
        if not wanted:
            continue
        found = text.find(wanted, position)
        if found < 0:
            return False
        position = found + len(wanted)
    return True


class _TextOfHtml(html.parser.HTMLParser):
    """The text a reader sees: no scripts, styles or templates; block ends become spaces."""

    _HIDDEN = frozenset({"script", "style", "template", "noscript", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in {"br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1
        else:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def pdf_text(body: bytes) -> str:
    """The text of every page of a PDF (pypdf); raises ValueError when it cannot be read."""
    import pypdf  # only the checker needs it; the build and the engine never do

    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise ValueError(f"the PDF could not be read ({type(error).__name__})") from None


@dataclass(frozen=True)
class Page:
    """A response with a body: its status, where redirects ended, its type and bytes."""

    status: int
    final_url: str
    content_type: str
    charset: str | None
    body: bytes


class FetchFailed(Exception):
    """No page: the detail says why in a few words; status is the HTTP status, if one came."""

    def __init__(self, detail: str, status: int | None = None, *, robots: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.robots = robots


def page_text(page: Page) -> str:
    """The readable text of a page; raises ValueError for a kind of file not read."""
    kind = page.content_type
    if kind == "application/pdf" or page.body.startswith(b"%PDF-"):
        return pdf_text(page.body)
    if kind in {"text/html", "application/xhtml+xml", "text/plain", ""}:
        text = _decode(page.body, page.charset)
        return text if kind == "text/plain" else html_text(text)
    raise ValueError(f"a {kind} file, which the checker does not read")


def _decode(body: bytes, charset: str | None) -> str:
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


class _FewRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS


class Fetcher:
    """HTTP GETs that obey robots.txt and never overlap on one host; safe across threads."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, pause: float = DEFAULT_PAUSE) -> None:
        self.timeout = timeout
        self.pause = pause
        self._opener = urllib.request.build_opener(_FewRedirects())
        self._guard = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchFailed] = {}

    def get(self, url: str) -> Page:
        """The page at ``url``; raises FetchFailed when there is none to read."""
        origin = _origin(url)
        with self._host_lock(origin):
            robots = self._robots_of(origin)
            if isinstance(robots, FetchFailed):
                raise robots
            if not robots.can_fetch(ROBOTS_TOKEN, url):
                raise FetchFailed("robots.txt disallows it", robots=True)
            delay = robots.crawl_delay(ROBOTS_TOKEN)
            self._wait(origin, min(float(delay), MAX_CRAWL_DELAY) if delay else self.pause)
            try:
                return self._get(url)
            finally:
                self._last[origin] = time.monotonic()

    def _host_lock(self, origin: str) -> threading.Lock:
        with self._guard:
            return self._hosts.setdefault(origin, threading.Lock())

    def _wait(self, origin: str, pause: float) -> None:
        last = self._last.get(origin)
        if last is not None:
            time.sleep(max(0.0, last + pause - time.monotonic()))

    def _robots_of(self, origin: str) -> urllib.robotparser.RobotFileParser | FetchFailed:
        """The site's rules, or why nothing on the site is fetched (RFC 9309, section 2.3.1)."""
        if origin not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            found: urllib.robotparser.RobotFileParser | FetchFailed = parser
            try:
                page = self._get(origin + "/robots.txt")
                parser.parse(_decode(page.body, page.charset).splitlines())
            except FetchFailed as failed:
                if failed.status is None:  # no answer at all: the source is unreachable too
                    found = failed
                elif failed.status >= 500:  # the site is up but its rules are unknown: fetch nothing
                    found = FetchFailed(
                        f"robots.txt answered HTTP {failed.status}, so nothing on the site is fetched",
                        robots=True,
                    )
                else:  # 4xx: no rules (or none for us to see), so everything is allowed
                    parser.parse([])
            self._robots[origin] = found
            self._last[origin] = time.monotonic()
        return self._robots[origin]

    def _get(self, url: str) -> Page:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_BODY_BYTES + 1)
                if len(body) > MAX_BODY_BYTES:
                    raise FetchFailed(f"larger than {MAX_BODY_BYTES // (1024 * 1024)} MB, not read")
                headers = response.headers
                return Page(
                    status=response.status,
                    final_url=response.geturl(),
                    content_type=headers.get_content_type() if headers.get("Content-Type") else "",
                    charset=headers.get_content_charset(),
                    body=body,
                )
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:  # urllib gave up following them
                raise FetchFailed(
                    f"too many redirects (a loop, or more than {MAX_REDIRECTS})", error.code
                ) from None
            raise FetchFailed(f"HTTP {error.code} {error.reason}".strip(), error.code) from None
        except urllib.error.URLError as error:
            raise FetchFailed(_reason(error.reason, self.timeout)) from None
        except TimeoutError:
            raise FetchFailed(f"timed out after {self.timeout:g} s") from None
        except (OSError, ValueError) as error:  # a dropped connection, a malformed response
            raise FetchFailed(_reason(error, self.timeout)) from None


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(getattr(reason, "strerror", None) or reason or "no response")


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass(frozen=True)
class Target:
    """One check to run: fetch ``url`` and look for ``needle`` (a quote, or a provider's name)."""

    table: str
    id: str
    check: str
    url: str
    needle: str

    @property
    def key(self) -> CheckKey:
        return (self.table, self.id, self.check, self.url)

    @property
    def origin(self) -> str:
        return _origin(self.url)


def targets(schema: Schema, directory: Directory, iacet_template: str) -> list[Target]:
    """Every check the data asks for: each sourced row's quote (an additional source's quote
    is checked for the row it supports), each provider number's record."""
    found = []
    for entry in directory.entries:
        table = schema.table(entry.table)
        if not table.sources:
            continue
        url, quote = entry.values.get("source_url", ""), entry.values.get("source_quote", "")
        row_table, row_id = (
            (entry.values["table"], entry.values["id"])
            if entry.table == ADDITIONAL_SOURCES
            else (entry.table, entry.id)
        )
        if url and quote:
            found.append(Target(row_table, row_id, SOURCE, url, quote))
        record = iacet_record_url(entry, iacet_template)
        if record:
            found.append(Target(entry.table, entry.id, IACET_RECORD, record, entry.name))
    return found


def check(target: Target, fetcher: Fetcher, today: dt.date) -> Check:
    """What fetching the target found (never raises for anything the network does)."""
    found = Check(
        table=target.table, id=target.id, check=target.check, checked_on=today, url=target.url, outcome=""
    )
    try:
        page = fetcher.get(target.url)
    except FetchFailed as failed:
        return replace(
            found,
            outcome="robots-disallowed" if failed.robots else "unreachable",
            http_status=str(failed.status or ""),
            detail=failed.detail,
        )
    found = replace(
        found,
        http_status=str(page.status),
        final_url=page.final_url if page.final_url != target.url else "",
    )
    try:
        text = page_text(page)
    except ValueError as error:
        return replace(found, outcome="unreadable", detail=str(error))
    present = says(text, target.needle)
    if target.check == IACET_RECORD:
        return replace(found, outcome="name-listed" if present else "name-missing")
    if present:
        return replace(found, outcome="quote-present")
    return replace(found, outcome="quote-missing", detail=_missing(text, target.needle))


def _missing(text: str, quote: str) -> str:
    """Which part of the quote the page no longer has, so the reviewer knows where to look."""
    for part in _ELISION.split(quote):
        if part.strip() and not says(text, part):
            shown = normalise(part)
            shown = shown if len(shown) <= 60 else shown[:60].rstrip() + "…"
            return f"not found in the page's text: “{shown}”"
    return "the quote's parts are not in this order on the page"


def run(
    chosen: Sequence[Target],
    fetcher: Fetcher,
    today: dt.date,
    on_done: Callable[[Check], None] = lambda _: None,
) -> list[Check]:
    """Every target checked: hosts in parallel, each host's targets one after another."""
    by_host: dict[str, list[Target]] = {}
    for target in chosen:
        by_host.setdefault(target.origin, []).append(target)
    lock = threading.Lock()
    results: list[Check] = []

    def one_host(host_targets: list[Target]) -> None:
        for target in host_targets:
            result = check(target, fetcher, today)
            with lock:
                results.append(result)
                on_done(result)

    with ThreadPoolExecutor(max_workers=max(1, min(MAX_HOSTS_AT_ONCE, len(by_host)))) as pool:
        for done in [pool.submit(one_host, group) for group in by_host.values()]:
            done.result()
    return sorted(results, key=check_key)


def due(
    all_targets: Iterable[Target],
    previous: dict[CheckKey, Check],
    today: dt.date,
    since: int | None,
) -> list[Target]:
    """The targets not checked (at their current address) within the last ``since`` days."""
    if since is None:
        return list(all_targets)
    limit = today - dt.timedelta(days=since)
    return [
        target
        for target in all_targets
        if not ((old := previous.get(target.key)) is not None and old.checked_on >= limit)
    ]


@dataclass
class Report:
    """The report to write: last checks kept for addresses rows still cite, replaced by new ones."""

    rows: dict[CheckKey, Check] = field(default_factory=dict)

    @classmethod
    def merged(
        cls,
        previous: Iterable[Check],
        live: Iterable[Target],
        new: Iterable[Check],
        *,
        keep_last_reading: bool = False,
    ) -> Report:
        """The previous report with the new checks in it, for the rows that still exist.

        ``keep_last_reading``: a new check that could not read its source (no answer, a server
        error, robots.txt, a file not read) does not replace the row's previous check of the
        same address, so a site down for a moment changes nothing a build shows.
        """
        wanted = {target.key for target in live}
        rows = {key: old for old in previous if (key := check_key(old)) in wanted}
        for check in new:
            key = check_key(check)
            if keep_last_reading and not check.read and key in rows:
                continue
            rows[key] = check
        return cls(rows)

    def write(self, path: Path, columns: Sequence[str], limits: dict[str, int]) -> None:
        """checks.csv, sorted by table, id, check and url; replaced whole, so a failure leaves the old one."""
        with replaced_whole(path) as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
            writer.writeheader()
            for key in sorted(self.rows):
                writer.writerow(_csv_row(self.rows[key], limits))


def _csv_row(found: Check, limits: dict[str, int]) -> dict[str, str]:
    row = {
        "table": found.table,
        "id": found.id,
        "check": found.check,
        "checked_on": found.checked_on.isoformat(),
        "url": found.url,
        "http_status": found.http_status,
        "final_url": found.final_url,
        "outcome": found.outcome,
        "detail": found.detail,
    }
    if len(row["final_url"]) > limits.get("final_url", 2048):
        row["final_url"] = ""  # an address that long is not worth keeping; the status still says it moved
    most = limits.get("detail", 500)
    if len(row["detail"]) > most:
        row["detail"] = row["detail"][: most - 1] + "…"
    return row
