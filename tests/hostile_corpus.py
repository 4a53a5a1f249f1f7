"""What a hostile (or careless) pull request can put in directory_data/, and what must happen.

Each vector changes one thing in a copy of the real data: a cell of one row (``column``
and ``value``, sometimes a few more cells in ``also``), or the raw bytes of one file
(``raw``). Its ``expect`` is either a ``Refused``: the validator's error at
``file:line: field:`` with a phrase of its message; or ``None``: the data passes
validation, and then the site must show it inert (no script runs, no request leaves,
no formula in the CSV export). tests/unit/test_hostile_data.py checks the first half
for every vector; a browser test can build a site from ``write_vector`` for each of
``PASSING`` and check the second.

The vectors come from issue 16's hostile probe and the usual lists (OWASP's XSS filter
evasion cheat sheet, CSV injection, UTS #39 and UAX #9 for look-alikes and direction).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT

PUBLISHED = REPO_ROOT / "directory_data"
FILES = {
    "providers": "providers.csv",
    "organizations": "organizations.csv",
    "acceptances": "acceptances.csv",
    "credit_systems": "credit_systems.csv",
    "vocabularies": "vocabularies.csv",
}


@dataclass(frozen=True)
class Refused:
    """The validator must report ``file:line: field:`` with ``phrase`` in the message.

    ``line`` None means the line of the changed row; ``file`` None the vector's own table.
    """

    field: str
    phrase: str
    line: int | None = None
    file: str | None = None


@dataclass(frozen=True)
class Vector:
    name: str
    table: str
    #: The cell changed in the data row ``row`` (0 is the first, -1 the last); "" for a raw vector.
    column: str
    value: str
    #: None: passes validation (and must then be shown inert).
    expect: Refused | None
    row: int = 0
    #: Other cells of the same row set at the same time.
    also: tuple[tuple[str, str], ...] = ()
    #: For a file-level vector: the table file's bytes, changed.
    raw: Callable[[bytes], bytes] | None = None

    @property
    def file(self) -> str:
        return FILES[self.table]


def _rows(table: str) -> list[list[str]]:
    with (PUBLISHED / FILES[table]).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _lines(table: str) -> int:
    """How many lines the published file has (its last line's number)."""
    return (PUBLISHED / FILES[table]).read_bytes().rstrip(b"\n").count(b"\n") + 1


def _cell(table: str, row: int, column: str) -> str:
    rows = _rows(table)
    return rows[1:][row][rows[0].index(column)]


def _cyrillic_o(name: str) -> str:
    """``name`` with its first 'o' (or 'a', 'e') spelled in Cyrillic: it looks the same."""
    for latin, cyrillic in (("o", "\u043e"), ("a", "\u0430"), ("e", "\u0435")):
        if latin in name:
            return name.replace(latin, cyrillic, 1)
    raise ValueError(f"no letter to imitate in {name!r}")


def _insert_into_line(number: int, after: bytes, insert: bytes) -> Callable[[bytes], bytes]:
    """A raw change: ``insert`` put after the first ``after`` of line ``number``."""

    def change(data: bytes) -> bytes:
        lines = data.split(b"\n")
        head, sep, tail = lines[number - 1].partition(after) if after else (b"", b"", lines[number - 1])
        if tail.startswith(b'"'):  # a quoted value: the insert goes inside it, whatever the row says
            sep, tail = sep + b'"', tail[1:]
        lines[number - 1] = head + sep + insert + tail
        return b"\n".join(lines)

    return change


def _cut_last_line(data: bytes) -> bytes:
    """The file cut off halfway through its last row, at a comma outside quotes."""
    body, _, last = data.rstrip(b"\n").rpartition(b"\n")
    fields = next(csv.reader(io.StringIO(last.decode("utf-8"))))
    kept = io.StringIO()
    csv.writer(kept, lineterminator="").writerow(fields[:5])
    return body + b"\n" + kept.getvalue().encode("utf-8") + b"\n"


FIRST_PROVIDER = _cell("providers", 0, "name")
LAST_PROVIDER_LINE = _lines("providers")
LAST_ORGANIZATION = len(_rows("organizations")) - 2  # index of the last data row
NEXT_PROVIDER_LINE = LAST_PROVIDER_LINE + 1
#: Columns of providers.csv, and its header's last column as it ends the line (read from the data;
#: organizations.csv ends with the same column).
PROVIDER_COLUMNS = len(_rows("providers")[0])
LAST_HEADER = f",{_rows('providers')[0][-1]}\n".encode()
A_PROVIDER_ID = _cell("providers", 0, "id")
AN_ORGANIZATION_ID = _cell("organizations", -1, "id")
BIG = 100 * 1024
NOT_HTTP = "is not an http(s) URL"
ENCODE = "a character a URL must percent-encode"
CONTROL = "the control character"


def _pass(name: str, column: str, value: str, table: str = "providers") -> Vector:
    return Vector(name, table, column, value, None)


def _refuse(
    name: str,
    column: str,
    value: str,
    phrase: str,
    table: str = "providers",
    row: int = 0,
    also: tuple[tuple[str, str], ...] = (),
) -> Vector:
    return Vector(name, table, column, value, Refused(column, phrase), row=row, also=also)


def _raw(name: str, table: str, change: Callable[[bytes], bytes], expect: Refused | None) -> Vector:
    return Vector(name, table, "", "", expect, raw=change)


VECTORS: tuple[Vector, ...] = (
    # ---------------------------------------------------------------- markup and script: text passes, shown inert
    _pass("script-in-name", "name", "<script>alert(1)</script>"),
    _pass("script-in-notes", "notes", "<script>alert(document.domain)</script>"),
    _pass("script-in-quote", "source_quote", "</p><script>alert(1)</script><p>"),
    _pass("script-in-org-name", "name", "<script>alert('org')</script>", table="organizations"),
    _pass("script-in-conditions", "conditions", "<script>alert(1)</script>", table="acceptances"),
    _pass("script-in-credit-body", "body", "<script>alert(1)</script>", table="credit_systems"),
    _pass("img-onerror", "name", "<img src=x onerror=alert(1)>"),
    _pass("attribute-breakout-double", "name", '" onmouseover="alert(1)" x="'),
    _pass("attribute-breakout-single", "notes", "' onfocus='alert(1)' autofocus='"),
    _pass("svg-onload", "name", "<svg onload=alert(1)>"),
    _pass("svg-text-breakout", "name", "</text></svg><svg onload=alert(1)>"),
    _pass("cdata-end", "name", "]]><script>alert(1)</script>"),
    _pass("xml-entity", "notes", '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;'),
    _pass("html-comment", "name", "<!-- x --><b>bold</b>"),
    _pass("title-breakout", "name", "</title><script>alert(1)</script>"),
    _pass("iframe", "notes", '<iframe src="https://evil.example/"></iframe>'),
    _pass("meta-refresh", "notes", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    _pass("base-href", "notes", '<base href="https://evil.example/">'),
    _pass("style-block", "notes", "<style>body{display:none}</style>"),
    _pass("mathml-mutation", "notes", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    _pass("json-breakout", "notes", '"}]}</script><script>alert(1)</script>'),
    _pass("escaped-script", "notes", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
    _pass("entity-encoded-script", "name", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    _pass("percent-encoded-script", "name", "%3Cscript%3Ealert(1)%3C/script%3E"),
    _pass("javascript-as-text", "name", "javascript:alert(1)"),
    _pass("html-in-topics", "topics", "<b>Safety</b>;<i>Quality</i>"),
    _pass("html-in-provider-number", "iacet_provider_number", "<script>1</script>"),
    _pass("html-over-lines", "notes", "line one\n<script>alert(1)</script>\nline\tthree"),
    # Markdown and templates: the pages put data in after Markdown and Jinja have run.
    _pass("markdown-javascript-link", "notes", "[click](javascript:alert(1))"),
    _pass("markdown-image", "notes", "![](https://evil.example/track.png)"),
    _pass("markdown-autolink", "notes", "<https://evil.example/>"),
    _pass("markdown-reference", "notes", "[x]: javascript:alert(1)"),
    _pass("markdown-heading", "name", "# Heading **bold**"),
    _pass("jinja-expression", "name", "{{ 7*7 }}"),
    _pass("jinja-raw", "notes", "{% raw %}{{ config }}{% endraw %}"),
    _pass("jinja-loop", "notes", "{% for x in range(10**9) %}x{% endfor %}"),
    _pass("template-literal", "name", "${7*7}"),
    # Spreadsheet formulas: the CSV export prefixes them with an apostrophe.
    _pass("csv-formula-equals", "name", '=HYPERLINK("https://evil.example/","Click")'),
    _pass("csv-formula-plus", "name", "+cmd|' /C calc'!A0"),
    _pass("csv-formula-at", "name", "@SUM(1+1)*cmd|' /C calc'!A0"),
    _pass("csv-formula-minus", "name", "-1+1"),
    _pass("csv-formula-in-quote", "source_quote", "=1+1"),
    _pass("csv-formula-in-city", "city", "=cmd|' /C calc'!A0"),
    # Unicode that is ordinary text.
    _pass(
        "right-to-left-name", "name", "\u0645\u0631\u0643\u0632 \u0627\u0644\u062a\u062f\u0631\u064a\u0628"
    ),
    _pass("emoji-name", "name", "Training \U0001f680 Center"),
    _pass("longest-name", "name", "N" * 200),
    _pass("longest-notes", "notes", "x" * 2000),
    # URLs that are http(s) and harmless however they look.
    # (On a public host: published data may not cite example.org, see "url-example-domain".)
    _pass("url-javascript-in-path", "website", "https://openceu.github.io/javascript:alert(1)"),
    _pass("url-encoded-quote", "website", "https://openceu.github.io/%22%3E%3Cscript%3E"),
    _pass("url-query-and-fragment", "source_url", "https://openceu.github.io/p?a=1&b=2#x"),
    _pass("url-upper-case-scheme", "website", "HTTPS://OPENCEU.GITHUB.IO/"),
    # ---------------------------------------------------------------- URLs that are refused
    _refuse("url-javascript", "website", "javascript:alert(1)", NOT_HTTP),
    _refuse("url-javascript-mixed-case", "website", "JaVaScRiPt:alert(1)", NOT_HTTP),
    _refuse(
        "url-javascript-leading-space", "website", " javascript:alert(1)", "has leading or trailing spaces"
    ),
    _refuse("url-javascript-tab", "website", "java\tscript:alert(1)", NOT_HTTP),
    _refuse("url-javascript-newline", "website", "java\nscript:alert(1)", NOT_HTTP),
    _refuse("url-javascript-entity-tab", "website", "jav&#x09;ascript:alert(1)", NOT_HTTP),
    _refuse("url-javascript-entity-letter", "website", "&#106;avascript:alert(1)", NOT_HTTP),
    _refuse("url-data", "website", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", NOT_HTTP),
    _refuse("url-data-mixed-case", "source_url", "DaTa:text/html,<script>alert(1)</script>", NOT_HTTP),
    _refuse("url-vbscript", "website", "vbscript:msgbox(1)", NOT_HTTP),
    _refuse("url-vbscript-mixed-case", "website", "VBScript:MsgBox(1)", NOT_HTTP),
    _refuse("url-protocol-relative", "website", "//evil.example/x", NOT_HTTP),
    _refuse("url-no-slashes", "website", "https:evil.example", NOT_HTTP),
    _refuse("url-backslash-scheme", "website", "http:/\\evil.example", NOT_HTTP),
    _refuse("url-file", "source_url", "file:///etc/passwd", NOT_HTTP),
    _refuse("url-ftp", "source_url", "ftp://example.org/rules", NOT_HTTP),
    _refuse("url-backslash-host", "website", "https://evil.example\\@example.org/", ENCODE),
    _refuse("url-credentials", "website", "https://user:secret@example.org/", "a user name or password"),
    _refuse(
        "url-at-another-host", "source_url", "https://example.org@evil.example/", "a user name or password"
    ),
    _refuse("url-space", "website", "https://exa mple.org/", ENCODE),
    _refuse("url-attribute-breakout", "website", 'https://example.org/"><script>alert(1)</script>', ENCODE),
    _refuse("url-backtick", "website", "https://example.org/`x`", ENCODE),
    _refuse("url-look-alike-host", "website", "https://g\u043e\u043egle.com/", "has non-ASCII letters"),
    _refuse("url-bidi", "website", "https://example.org/\u202egpj.exe", "a bidirectional control"),
    _refuse("url-zero-width", "source_url", "\u200bhttps://example.org/", "an invisible character"),
    _refuse("url-too-long", "website", "https://example.org/" + "a" * 2048, "the limit for website is 2048"),
    # Hosts that serve no public page (RFC 2606, RFC 6761, local and private addresses).
    _refuse("url-example-domain", "source_url", "https://www.example.com/about", "reserved for examples"),
    _refuse("url-test-domain", "website", "https://provider.test/", "a top-level name reserved for tests"),
    _refuse("url-localhost", "source_url", "http://localhost:8000/", "is the computer itself"),
    _refuse("url-loopback", "website", "http://127.0.0.1:8000/", "a loopback address"),
    _refuse("url-loopback-as-a-number", "website", "http://2130706433/", "a loopback address"),
    _refuse("url-ipv6-loopback", "source_url", "http://[::1]/", "a loopback address"),
    _refuse("url-private-network", "website", "http://192.168.0.10/", "a private or reserved network"),
    # ---------------------------------------------------------------- ids
    _refuse("id-index", "id", "index", "'index' is reserved"),
    _refuse("id-index-organization", "id", "index", "'index' is reserved", table="organizations"),
    _refuse("id-page", "id", "page", "'page' is reserved"),
    _refuse("id-export", "id", "export", "'export' is reserved"),
    _refuse("id-matrix", "id", "matrix", "'matrix' is reserved"),
    _refuse("id-suggest", "id", "suggest", "'suggest' is reserved"),
    _refuse("id-credit-type", "id", "credit-type", "'credit-type' is reserved"),
    _refuse("id-windows-con", "id", "con", "'con' is reserved"),
    _refuse("id-windows-aux", "id", "aux", "'aux' is reserved"),
    _refuse("id-windows-lpt9", "id", "lpt9", "'lpt9' is reserved"),
    _refuse("id-windows-com1-credit-system", "id", "com1", "'com1' is reserved", table="credit_systems"),
    _refuse("id-upper-case", "id", "NUL", "is not a slug"),
    _refuse("id-path-traversal", "id", "../x", "is not a slug"),
    _refuse("id-dot-dot", "id", "..", "is not a slug"),
    _refuse("id-slash", "id", "a/b", "is not a slug"),
    _refuse("id-percent-encoded", "id", "%2e%2e", "is not a slug"),
    _refuse("id-unicode", "id", "\u00e9lan", "is not a slug"),
    _refuse("id-double-hyphen", "id", "a--b", "is not a slug"),
    _refuse("id-leading-hyphen", "id", "-a", "is not a slug"),
    _refuse("id-extension", "id", "a.json", "is not a slug"),
    _refuse("id-space", "id", "id with space", "is not a slug"),
    _refuse("id-too-long", "id", "x" * 101, "is 101 characters long; the limit for id is 100"),
    Vector(
        "id-of-a-provider-on-an-organization",
        "organizations",
        "id",
        A_PROVIDER_ID,
        Refused("id", f"{A_PROVIDER_ID!r} is already the id of providers.csv line 2"),
    ),
    Vector(
        "id-of-an-organization-on-a-provider",
        "providers",
        "id",
        AN_ORGANIZATION_ID,
        Refused("id", f"{AN_ORGANIZATION_ID!r} is also the id of organizations.csv line"),
        row=-1,
    ),
    Vector(
        "id-of-a-provider-on-a-credit-system",
        "credit_systems",
        "id",
        A_PROVIDER_ID,
        Refused("id", f"{A_PROVIDER_ID!r} is already the id of providers.csv line 2"),
    ),
    # ---------------------------------------------------------------- dates
    _refuse("date-that-does-not-exist", "verified_on", "2026-02-30", "is not a date that exists"),
    _refuse("date-month-13", "accredited_since", "2026-13", "is not a date that exists"),
    _refuse("date-year-zero", "verified_on", "0000-01-01", "is not a date that exists"),
    _refuse("date-future", "verified_on", "2999-01-01", "is in the future"),
    _refuse("date-future-year", "source_date", "2999", "is in the future"),
    _refuse(
        "date-fullwidth-digits", "verified_on", "\uff12\uff10\uff12\uff16-01-01", "is not a date in the form"
    ),
    _refuse("date-short-form", "verified_on", "2026-1-1", "is not a date in the form YYYY-MM-DD"),
    # ---------------------------------------------------------------- characters
    _refuse("del-in-name", "name", "Acme\x7fTraining", f"{CONTROL} U+007F (DELETE)"),
    _refuse("next-line-in-name", "name", "Acme\x85Training", f"{CONTROL} U+0085 (NEXT LINE)"),
    _refuse("c1-csi-in-notes", "notes", "\x9b31mred", f"{CONTROL} U+009B"),
    _refuse("escape-sequence", "notes", "\x1b[31mred\x1b[0m", f"{CONTROL} U+001B (ESCAPE)"),
    _refuse("nul-in-name", "name", "Acme\x00Training", f"{CONTROL} U+0000 (NULL)"),
    # A carriage return is refused before the CSV is read: it would shift the line numbers.
    Vector(
        "carriage-return-in-cell", "providers", "notes", "one\rtwo", Refused("-", "a carriage return (CR)")
    ),
    _refuse("line-separator", "notes", "one\u2028two", f"{CONTROL} U+2028 (LINE SEPARATOR)"),
    _refuse("noncharacter-fffe", "name", "Acme\ufffeTraining", "U+FFFE at position 5, a noncharacter"),
    _refuse("noncharacter-fdd0", "notes", "x\ufdd0", "U+FDD0 at position 2, a noncharacter"),
    _refuse("noncharacter-plane-end", "notes", "x\U0010ffff", "U+10FFFF at position 2, a noncharacter"),
    _refuse("right-to-left-override", "name", "Acme \u202eTraining", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    _refuse("bidi-isolate", "notes", "\u2066x\u2069", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    _refuse("right-to-left-mark", "name", "Acme\u200f", "U+200F (RIGHT-TO-LEFT MARK)"),
    _refuse("arabic-letter-mark", "source_quote", "x\u061cy", "U+061C (ARABIC LETTER MARK)"),
    _refuse("zero-width-only-name", "name", "\u200b\u200b", "U+200B (ZERO WIDTH SPACE) at position 1"),
    _refuse("zero-width-only-body", "body", "\u200b", "U+200B (ZERO WIDTH SPACE)", table="credit_systems"),
    _refuse("zero-width-only-label", "label", "\u2060", "U+2060 (WORD JOINER)", table="vocabularies"),
    _refuse("hangul-filler-name", "name", "\u3164\u3164", "has no visible character"),
    _refuse("combining-marks-only-name", "name", "\u0301\u0308", "has no visible character"),
    _refuse(
        "tag-characters-smuggled", "source_quote", "ok\U000e0041\U000e0042", "U+E0041 (TAG LATIN CAPITAL"
    ),
    _refuse("soft-hyphen", "name", "Ac\u00adme", "U+00AD (SOFT HYPHEN)"),
    # ---------------------------------------------------------------- sizes
    _refuse("name-100-kb", "name", "N" * BIG, f"is {BIG} characters long; the limit for name is 200"),
    _refuse(
        "quote-100-kb",
        "source_quote",
        "q" * BIG,
        f"is {BIG} characters long; the limit for source_quote is 2000",
    ),
    _refuse("notes-over-limit", "notes", "x" * 2001, "is 2001 characters long; the limit for notes is 2000"),
    # ---------------------------------------------------------------- look-alike names
    _refuse("look-alike-cyrillic", "name", _cyrillic_o(FIRST_PROVIDER), "looks the same as", row=-1),
    _refuse("look-alike-zero-width", "name", FIRST_PROVIDER.replace(" ", " \u200b", 1), "U+200B", row=-1),
    _refuse(
        "look-alike-across-tables",
        "name",
        _cyrillic_o(FIRST_PROVIDER),
        f"looks the same as {FIRST_PROVIDER!r} on providers.csv line 2",
        table="organizations",
        row=-1,
    ),
    # ---------------------------------------------------------------- numbers in credit_systems.csv
    _refuse(
        "increment-exponent",
        "increment",
        "1e-28",
        "'1e-28' is not a number written like 60 or 0.25",
        table="credit_systems",
        also=(("minutes_per_unit", "1"), ("rounding", "down")),
    ),
    _refuse(
        "increment-28-places",
        "increment",
        "0.0000000000000000000000000001",
        "is too small: increment must be at least 0.001",
        table="credit_systems",
        also=(("minutes_per_unit", "1"), ("rounding", "down")),
    ),
    _refuse(
        "increment-4-places", "increment", "0.0125", "has 4 digits after the point", table="credit_systems"
    ),
    _refuse("minutes-zero", "minutes_per_unit", "0", "must be at least 1", table="credit_systems"),
    _refuse(
        "minutes-huge", "minutes_per_unit", "99999999999", "must be at most 6000", table="credit_systems"
    ),
    _refuse(
        "minutes-exponent", "minutes_per_unit", "1e3", "is not a number written like", table="credit_systems"
    ),
    _refuse("minutes-nan", "minutes_per_unit", "NaN", "is not a number written like", table="credit_systems"),
    _refuse(
        "minutes-fullwidth", "minutes_per_unit", "\uff16\uff10", "is not a number", table="credit_systems"
    ),
    _refuse("units-negative", "units_required", "-5", "is not a number written like", table="credit_systems"),
    _refuse("cycle-years-huge", "cycle_years", "999", "must be at most 20", table="credit_systems"),
    _refuse(
        "rounding-unknown-mode", "rounding", "up", "'up' is not one of: down, half-up", table="credit_systems"
    ),
    # ---------------------------------------------------------------- whole files
    _raw(
        "byte-order-mark",
        "providers",
        lambda data: b"\xef\xbb\xbf" + data,
        Refused(
            "header", "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM", line=1
        ),
    ),
    _raw("crlf-line-ends", "providers", lambda data: data.replace(b"\n", b"\r\n"), None),
    _raw("crlf-line-ends-credit-systems", "credit_systems", lambda data: data.replace(b"\n", b"\r\n"), None),
    _raw(
        "utf-16",
        "organizations",
        lambda data: data.decode("utf-8").encode("utf-16"),
        Refused("header", "is UTF-16", line=1),
    ),
    _raw(
        "invalid-utf8-line-3",
        "providers",
        _insert_into_line(3, b",", b"\xff"),
        Refused("-", "is not UTF-8 text: byte 0xff", line=3),
    ),
    _raw(
        "utf8-encoded-surrogate",
        "providers",
        _insert_into_line(2, b",", b"\xed\xa0\x80"),
        Refused("-", "is not UTF-8 text", line=2),
    ),
    _raw(
        "nul-byte",
        "providers",
        _insert_into_line(2, b",", b"\x00"),
        Refused("name", "U+0000 (NULL) at position 1", line=2),
    ),
    _raw(
        "bare-carriage-return",
        "providers",
        _insert_into_line(2, b",", b"\r"),
        Refused("-", "a carriage return (CR)", line=2),
    ),
    _raw(
        "truncated-inside-quotes",
        "providers",
        lambda data: data + b'zz-last,"A name whose closing quote never comes,US,TX\n',
        Refused("name", "is never closed", line=NEXT_PROVIDER_LINE),
    ),
    _raw(
        "truncated-mid-row",
        "providers",
        _cut_last_line,
        Refused("-", f"has 5 values but the header has {PROVIDER_COLUMNS} columns", line=LAST_PROVIDER_LINE),
    ),
    _raw(
        "missing-column",
        "providers",
        lambda d: d.replace(LAST_HEADER, b"\n", 1),
        Refused("header", f"lacks the column(s) {LAST_HEADER[1:-1].decode()}", line=1),
    ),
    _raw(
        "extra-column",
        "providers",
        lambda d: d.replace(LAST_HEADER, LAST_HEADER[:-1] + b",extra\n", 1),
        Refused("header", "has unknown column(s) 'extra'", line=1),
    ),
    _raw(
        "script-as-column",
        "organizations",
        lambda d: d.replace(LAST_HEADER, LAST_HEADER[:-1] + b",<script>alert(1)</script>\n", 1),
        Refused("header", "has unknown column(s) '<script>alert(1)</script>'", line=1),
    ),
    _raw(
        "row-missing-a-value",
        "providers",
        lambda d: d + b"zz-last,A Name,US\n",
        Refused(
            "-",
            f"has 3 values but the header has {PROVIDER_COLUMNS} columns: a value or a comma is missing",
            line=NEXT_PROVIDER_LINE,
        ),
    ),
    _raw(
        "row-with-an-extra-value",
        "providers",
        lambda d: d.rstrip(b"\n") + b",extra\n",
        Refused(
            "-",
            f"has {PROVIDER_COLUMNS + 1} values but the header has {PROVIDER_COLUMNS} columns",
            line=LAST_PROVIDER_LINE,
        ),
    ),
    _raw(
        "blank-line",
        "providers",
        _insert_into_line(2, b"", b"\n"),
        Refused("-", "is blank; remove the empty line", line=2),
    ),
    _raw("empty-file", "organizations", lambda d: b"", Refused("header", "the file is empty", line=1)),
    _raw(
        "field-over-the-csv-limit",
        "providers",
        lambda d: d + b"zz-last," + b"x" * 200_000 + b"\n",
        Refused("name", "has a value over 131,072 characters long", line=NEXT_PROVIDER_LINE),
    ),
)

PASSING = tuple(vector for vector in VECTORS if vector.expect is None)
REFUSED = tuple(vector for vector in VECTORS if vector.expect is not None)


def write_vector(vector: Vector, target: Path, source: Path = PUBLISHED) -> int:
    """A copy of ``source`` in ``target`` with the vector applied; the changed row's line (0: raw)."""
    shutil.copytree(source, target)
    path = target / vector.file
    if vector.raw is not None:
        path.write_bytes(vector.raw(path.read_bytes()))
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    index = vector.row % len(body)
    for column, value in ((vector.column, vector.value), *vector.also):
        body[index][header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *body])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return _line_of_row(buffer.getvalue(), index)


def _line_of_row(text: str, index: int) -> int:
    """The line a data row starts on (quoted values may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    start = reader.line_num + 1
    for number, _ in enumerate(reader):
        if number == index:
            return start
        start = reader.line_num + 1
    raise IndexError(index)
