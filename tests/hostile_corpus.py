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

Issue 34 added three classes (each vector's ``cls`` names its class; "data" for the rest):
"2-exhaustion", inputs that would exhaust the validator (files over their size, rows over
their length, a million columns, one mistake on thousands of rows, which must print a
screenful); "3-not-a-file", files that are not what they seem (symbolic links out of the
folder or to devices, named pipes, folders, sockets, device nodes), made by ``make``;
"4-schema", a schema.json broken, empty, too deep, mis-typed or not UTF-8, refused at
``schema.json:LINE: FIELD:``. A file refused whole before it is read expects a ``RefusedWhole``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from directory.data_files import (
    MAX_ROW_BYTES,
    MAX_SCHEMA_BYTES,
    MAX_SCHEMA_DEPTH,
    MAX_TABLE_BYTES,
    MAX_TABLE_ROWS,
)
from tests.conftest import REPO_ROOT

PUBLISHED = REPO_ROOT / "directory_data"
FILES = {
    "providers": "providers.csv",
    "organizations": "organizations.csv",
    "acceptances": "acceptances.csv",
    "credit_systems": "credit_systems.csv",
    "requirements": "requirements.csv",
    "vocabularies": "vocabularies.csv",
    "checks": "checks.csv",
    "schema": "schema.json",
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
class RefusedWhole:
    """The file is refused before a byte of it is read: validate_directory or load_schema raises
    one line, ``path: ...phrase...``, naming the file (``file`` None: the vector's own file;
    "" the data folder itself)."""

    phrase: str
    file: str | None = None


@dataclass(frozen=True)
class Vector:
    name: str
    table: str
    #: The cell changed in the data row ``row`` (0 is the first, -1 the last); "" for a raw vector.
    column: str
    value: str
    #: None: passes validation (and must then be shown inert).
    expect: Refused | RefusedWhole | None
    row: int = 0
    #: Other cells of the same row set at the same time.
    also: tuple[tuple[str, str], ...] = ()
    #: For a file-level vector: the table file's bytes, changed.
    raw: Callable[[bytes], bytes] | None = None
    #: For a file that is not what it seems: given the file's path in the copy, makes it (a link,
    #: a named pipe, a sparse file). It may raise PermissionError where the system forbids it.
    make: Callable[[Path], None] | None = None
    #: The issue's class of the vector: "data", "2-exhaustion", "3-not-a-file" or "4-schema".
    cls: str = "data"

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
    _refuse("units-negative", "amount", "-5", "is not a number written like", table="requirements"),
    _refuse("cycle-months-huge", "cycle_months", "999", "must be at most 240", table="requirements"),
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
        Refused("name", f"the row is over {MAX_ROW_BYTES:,} bytes long", line=NEXT_PROVIDER_LINE),
    ),
)

# =========================================================================== issue 34: classes 2, 3 and 4
#
# Kept apart from the vectors above so each class can be counted (``cls``) and grown alone.

# --------------------------------------------------------------------------- 2: inputs that would exhaust the validator

LAST_ORGANIZATION_LINE = _lines("organizations")
NEXT_ORGANIZATION_LINE = LAST_ORGANIZATION_LINE + 1
#: Rows of one mistake: enough that printing each would flood a terminal, few enough to test fast.
MANY = 25_000
SHOWN = 20  # SHOWN_ALIKE: the problems of a kind shown before the rest are counted


def _exhausting(
    name: str, table: str, change: Callable[[bytes], bytes], expect: Refused | RefusedWhole
) -> Vector:
    return Vector(name, table, "", "", expect, raw=change, cls="2-exhaustion")


def _sparse(size: int) -> Callable[[Path], None]:
    """The file grown to ``size`` bytes with a hole (no disk used): zeros after its own bytes."""

    def make(path: Path) -> None:
        os.truncate(path, size)

    return make


def _too_large(name: str, table: str, size: int, phrase: str) -> Vector:
    return Vector(name, table, "", "", RefusedWhole(phrase), make=_sparse(size), cls="2-exhaustion")


def _append(tail: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data + tail


def _repeat_first_row(change: Callable[[str], str], times: int) -> Callable[[bytes], bytes]:
    """The file with its first data row, changed, added ``times`` times at the end."""

    def repeat(data: bytes) -> bytes:
        first = data.split(b"\n")[1].decode("utf-8")
        return data + (change(first) + "\n").encode("utf-8") * times

    return repeat


def _country_to_usa(row: str) -> str:
    fields = next(csv.reader([row]))
    fields[_rows("providers")[0].index("country")] = "USA"
    fields[0] = "zz-repeated"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def _header_with(extra: str) -> Callable[[bytes], bytes]:
    """The header line with ``extra`` after its last column."""
    return lambda data: data.replace(LAST_HEADER, LAST_HEADER[:-1] + extra.encode() + b"\n", 1)


HUGE = 1024 * 1024 * 1024
OVER_TABLE = f"a table file may be at most {MAX_TABLE_BYTES // (1024 * 1024)} MB"
ROW_TOO_LONG = f"the row is over {MAX_ROW_BYTES:,} bytes long, so it is not read"
UNCLOSED_PAST = f"runs on past {MAX_ROW_BYTES:,} bytes (a row's limit) without a closing quote"
TOO_MANY_VALUES = f"values in its first {MAX_ROW_BYTES:,} bytes but the header has {PROVIDER_COLUMNS} columns"

EXHAUSTION: tuple[Vector, ...] = (
    # A file over its size is refused whole, from its size alone: not a byte of it is read.
    _too_large("table-of-a-gigabyte", "providers", HUGE, f"is 1,024 MB (1,073,741,824 bytes); {OVER_TABLE}"),
    _too_large("table-one-byte-over", "providers", MAX_TABLE_BYTES + 1, f"({MAX_TABLE_BYTES + 1:,} bytes)"),
    _too_large("organizations-of-a-gigabyte", "organizations", HUGE, OVER_TABLE),
    _too_large("checks-of-a-gigabyte", "checks", HUGE, OVER_TABLE),  # an optional table too
    _too_large("vocabularies-of-a-gigabyte", "vocabularies", HUGE, OVER_TABLE),
    _too_large("credit-systems-over-the-limit", "credit_systems", MAX_TABLE_BYTES + 1, OVER_TABLE),
    _too_large(
        "schema-over-a-megabyte",
        "schema",
        MAX_SCHEMA_BYTES + 1,
        "schema.json may be at most 1 MB, so it is not read",
    ),
    _too_large("schema-of-a-gigabyte", "schema", HUGE, "schema.json may be at most 1 MB"),
    # Within the size, a row is bounded: the first row past MAX_ROW_BYTES stops the reading there.
    Vector(
        "table-at-the-limit-of-zeros",
        "providers",
        "",
        "",
        Refused("id", ROW_TOO_LONG, line=NEXT_PROVIDER_LINE),
        make=_sparse(MAX_TABLE_BYTES),
        cls="2-exhaustion",
    ),
    _exhausting(
        "ten-megabytes-of-nul",
        "providers",
        _append(b"\x00" * (10 * 1024 * 1024)),
        Refused("id", ROW_TOO_LONG, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "one-value-of-ten-megabytes",
        "organizations",
        _append(b"zz-last," + b"n" * (10 * 1024 * 1024) + b"\n"),
        Refused("name", ROW_TOO_LONG, line=NEXT_ORGANIZATION_LINE),
    ),
    _exhausting(
        "two-byte-letters-past-the-row-limit",
        "providers",
        _append(b"zz-last," + "\u00e9".encode() * 70_000 + b"\n"),
        Refused("name", ROW_TOO_LONG, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "quoted-value-past-the-row-limit",
        "providers",
        _append(b'zz-last,"' + b"q" * 200_000 + b'",US\n'),
        Refused("name", UNCLOSED_PAST, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "quote-never-closed-over-many-lines",
        "providers",
        _append(b'zz-last,"never closed\n' + b"more text on the next line\n" * 20_000),
        Refused("name", UNCLOSED_PAST, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "header-over-the-row-limit",
        "acceptances",
        lambda data: b"id," + b"h" * 200_000 + data[data.index(b"\n") :],
        Refused("header", f"the header row is over {MAX_ROW_BYTES:,} bytes long", line=1),
    ),
    # A million extra columns: refused at the row, from its first 128 KB, before the csv module splits it.
    _exhausting(
        "a-million-extra-columns",
        "providers",
        lambda data: data.rstrip(b"\n") + b"," * 1_000_000 + b"\n",
        Refused("-", TOO_MANY_VALUES, line=LAST_PROVIDER_LINE),
    ),
    _exhausting(
        "a-row-of-a-million-commas",
        "providers",
        _append(b"," * 1_000_000 + b"\n"),
        Refused("-", TOO_MANY_VALUES, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "a-million-quoted-empty-columns",
        "providers",
        _append(b'""' + b',""' * 1_000_000 + b"\n"),
        Refused("-", TOO_MANY_VALUES, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "columns-spread-over-many-lines",
        "providers",
        _append(b'"\n"' + b',"\n"' * 300_000 + b"\n"),
        Refused("-", TOO_MANY_VALUES, line=NEXT_PROVIDER_LINE),
    ),
    _exhausting(
        "a-header-of-a-million-columns",
        "organizations",
        _header_with(",x" * 1_000_000),
        Refused("header", "column names in its first", line=1),
    ),
    _exhausting(
        "a-header-repeating-one-column",
        "providers",
        _header_with(",id" * 40_000),
        Refused("header", "repeats id;", line=1),
    ),
    _exhausting(
        "a-header-of-many-unknown-columns",
        "providers",
        _header_with("".join(f",x{n}" for n in range(15_000))),
        Refused("header", "has unknown column(s) 'x0', 'x1', 'x2', 'x3', 'x4' and 14,995 more", line=1),
    ),
    # A table past MAX_TABLE_ROWS is read no further.
    _exhausting(
        "more-rows-than-a-table-may-have",
        "vocabularies",
        _append(b"\n" * (MAX_TABLE_ROWS + 10)),
        Refused("-", f"a table may have at most {MAX_TABLE_ROWS:,} rows", line=MAX_TABLE_ROWS + 2),
    ),
    # One mistake on thousands of rows: SHOWN lines of it, then one that counts the rest.
    _exhausting(
        "thousands-of-blank-lines",
        "providers",
        _append(b"\n" * MANY),
        Refused(
            "-",
            f"... and {MANY - SHOWN:,} more like this on lines {NEXT_PROVIDER_LINE + SHOWN:,} to "
            f"{LAST_PROVIDER_LINE + MANY:,} (the first: is blank",
            line=NEXT_PROVIDER_LINE + SHOWN,
        ),
    ),
    _exhausting(
        "thousands-of-rows-with-one-mistake",
        "providers",
        _repeat_first_row(_country_to_usa, MANY),
        Refused(
            "country",
            f"... and {MANY - SHOWN:,} more like this on lines {NEXT_PROVIDER_LINE + SHOWN:,} to "
            f"{LAST_PROVIDER_LINE + MANY:,} (the first: 'USA' is not an ISO 3166-1",
            line=NEXT_PROVIDER_LINE + SHOWN,
        ),
    ),
    _exhausting(
        "thousands-of-repeated-ids",
        "providers",
        _repeat_first_row(_country_to_usa, MANY),
        Refused(
            "id",
            f"... and {MANY - 1 - SHOWN:,} more like this on lines {NEXT_PROVIDER_LINE + 1 + SHOWN:,} to",
            line=NEXT_PROVIDER_LINE + 1 + SHOWN,
        ),
    ),
    _exhausting(
        "thousands-of-lines-not-utf8",
        "organizations",
        _append(b"\xff\n" * MANY),
        Refused(
            "-",
            f"... and {MANY - SHOWN:,} more like this on lines {NEXT_ORGANIZATION_LINE + SHOWN:,} to",
            line=NEXT_ORGANIZATION_LINE + SHOWN,
        ),
    ),
    _exhausting(
        "thousands-of-lone-carriage-returns",
        "organizations",
        _append(b"a\rb\n" * MANY),
        Refused("-", f"... and {MANY - SHOWN:,} more like this", line=NEXT_ORGANIZATION_LINE + SHOWN),
    ),
    _exhausting(
        "thousands-of-short-rows",
        "acceptances",
        _append(b"zz,x\n" * MANY),
        Refused("-", f"... and {MANY - SHOWN:,} more like this", line=_lines("acceptances") + 1 + SHOWN),
    ),
)

# --------------------------------------------------------------------------- 3: files that are not what they seem


def _link_to(target: str | Callable[[Path], Path]) -> Callable[[Path], None]:
    """The file replaced by a symbolic link to ``target`` (a path, or made from the file's path)."""

    def make(path: Path) -> None:
        to = target(path) if callable(target) else target
        path.unlink()
        os.symlink(to, path)

    return make


def _copy_outside(path: Path) -> Path:
    """A true copy of the file outside the data folder: the link is refused whatever it holds."""
    outside = path.parent.parent / "outside"
    outside.mkdir(exist_ok=True)
    return Path(shutil.copyfile(path, outside / path.name))


def _chain(path: Path) -> Path:
    """A link to a link to a copy outside."""
    hop = path.parent.parent / f"hop-{path.name}"
    os.symlink(_copy_outside(path), hop)
    return hop


def _fifo_outside(path: Path) -> Path:
    pipe = path.parent.parent / f"pipe-{path.name}"
    os.mkfifo(pipe)
    return pipe


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _socket(path: Path) -> None:
    """A Unix socket where the file was (bound from its folder: socket paths are short)."""
    path.unlink()
    here = Path.cwd()
    os.chdir(path.parent)
    try:
        with socket.socket(socket.AF_UNIX) as listening:
            listening.bind(path.name)
    finally:
        os.chdir(here)


def _device(path: Path) -> None:
    """A character device node, /dev/zero's (1, 5), where the file was; needs root (CAP_MKNOD)."""
    path.unlink()
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))


def _folder_linked(path: Path) -> None:
    """The whole data folder moved aside and replaced by a link to it."""
    folder = path.parent
    real = folder.with_name(folder.name + "-real")
    folder.rename(real)
    os.symlink(real, folder)


A_LINK = "is a symbolic link"
NOT_REGULAR = "not a regular file; the data folder holds the file itself"


def _not_a_file(
    name: str, table: str, make: Callable[[Path], None], phrase: str, file: str | None = None
) -> Vector:
    return Vector(name, table, "", "", RefusedWhole(phrase, file), make=make, cls="3-not-a-file")


NOT_A_FILE: tuple[Vector, ...] = (
    _not_a_file("link-to-etc-passwd", "providers", _link_to("/etc/passwd"), f"{A_LINK} (to '/etc/passwd')"),
    _not_a_file("link-to-a-true-copy-outside", "providers", _link_to(_copy_outside), A_LINK),
    _not_a_file(
        "link-out-by-a-relative-path", "providers", _link_to("../outside/providers.csv"), "(to '../outside/"
    ),
    _not_a_file(
        "link-to-another-table-inside", "providers", _link_to("organizations.csv"), "(to 'organizations.csv')"
    ),
    _not_a_file("link-to-a-link", "providers", _link_to(_chain), A_LINK),
    _not_a_file("link-to-nothing", "providers", _link_to("no-such-file.csv"), A_LINK),
    _not_a_file("link-to-itself", "providers", _link_to("providers.csv"), A_LINK),
    _not_a_file("link-to-dev-zero", "providers", _link_to("/dev/zero"), "(to '/dev/zero')"),
    _not_a_file("link-to-dev-urandom", "organizations", _link_to("/dev/urandom"), "(to '/dev/urandom')"),
    _not_a_file("link-to-dev-null", "acceptances", _link_to("/dev/null"), "(to '/dev/null')"),
    _not_a_file("link-to-the-environment", "providers", _link_to("/proc/self/environ"), A_LINK),
    _not_a_file("link-to-standard-input", "providers", _link_to("/proc/self/fd/0"), A_LINK),
    _not_a_file("link-to-the-root-folder", "providers", _link_to("/"), "(to '/')"),
    _not_a_file("link-to-a-named-pipe", "providers", _link_to(_fifo_outside), A_LINK),
    _not_a_file("link-for-the-credit-systems", "credit_systems", _link_to(_copy_outside), A_LINK),
    _not_a_file("link-for-the-vocabularies", "vocabularies", _link_to(_copy_outside), A_LINK),
    _not_a_file("link-for-the-checks", "checks", _link_to("/dev/zero"), A_LINK),  # optional, still refused
    _not_a_file("link-for-the-schema", "schema", _link_to(_copy_outside), A_LINK),
    _not_a_file("schema-linked-to-dev-zero", "schema", _link_to("/dev/zero"), "(to '/dev/zero')"),
    _not_a_file("named-pipe-for-a-table", "providers", _fifo, f"is a named pipe (FIFO), {NOT_REGULAR}"),
    _not_a_file("named-pipe-for-the-checks", "checks", _fifo, "is a named pipe (FIFO)"),
    _not_a_file("named-pipe-for-the-schema", "schema", _fifo, "is a named pipe (FIFO)"),
    _not_a_file("folder-for-a-table", "organizations", _folder, f"is a folder, {NOT_REGULAR}"),
    _not_a_file("folder-for-the-schema", "schema", _folder, "is a folder"),
    _not_a_file("socket-for-a-table", "providers", _socket, f"is a socket, {NOT_REGULAR}"),
    _not_a_file("device-node-for-a-table", "providers", _device, f"is a character device, {NOT_REGULAR}"),
    _not_a_file(
        "data-folder-is-a-link",
        "providers",
        _folder_linked,
        "is a symbolic link (to '",
        file="",
    ),
)

# --------------------------------------------------------------------------- 4: a schema.json that cannot be used

SCHEMA_TEXT = (PUBLISHED / FILES["schema"]).read_text(encoding="utf-8")
SCHEMA_JSON = json.loads(SCHEMA_TEXT)
SCHEMA_LINES = SCHEMA_TEXT.count("\n")


def _schema_line(*needles: str) -> int:
    """The line of the last of ``needles`` in the published schema.json, each found after the one before."""
    position = 0
    for needle in needles:
        position = SCHEMA_TEXT.index(needle, position)
    return SCHEMA_TEXT.count("\n", 0, position) + 1


def _column_at(table: str, column: str, key: str) -> tuple[str, int]:
    """The path a message names for ``key`` of a column, and the line of that key."""
    index = [spec["name"] for spec in SCHEMA_JSON["tables"][table]["columns"]].index(column)
    line = _schema_line(f'"{table}": {{', f'"name": "{column}"', f'"{key}":')
    return f"tables.{table}.columns[{index}].{key}", line


def _on_line(line: int, change: Callable[[str], str]) -> Callable[[bytes], bytes]:
    """A change of one line of schema.json's text."""

    def apply(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        lines[line - 1] = change(lines[line - 1])
        return "\n".join(lines).encode("utf-8", errors="surrogateescape")

    return apply


def _value_on(line: int, value: str) -> Callable[[bytes], bytes]:
    """The JSON value of the key on ``line`` replaced by ``value`` (text, as written in JSON)."""

    def replace(text: str) -> str:
        key, _, rest = text.partition(": ")
        return f"{key}: {value}{',' if rest.endswith(',') else ''}"

    return _on_line(line, replace)


def _schema(name: str, change: Callable[[bytes], bytes], field: str, phrase: str, line: int) -> Vector:
    return Vector(name, "schema", "", "", Refused(field, phrase, line=line), raw=change, cls="4-schema")


def _schema_passes(name: str, change: Callable[[bytes], bytes]) -> Vector:
    return Vector(name, "schema", "", "", None, raw=change, cls="4-schema")


NAME_MAX, NAME_MAX_LINE = _column_at("providers", "name", "max_length")
NAME_TYPE, NAME_TYPE_LINE = _column_at("providers", "name", "type")
NAME_REQUIRED, NAME_REQUIRED_LINE = _column_at("providers", "name", "required")
MINUTES_MIN, MINUTES_MIN_LINE = _column_at("credit_systems", "minutes_per_unit", "minimum")
MINUTES_MAX, MINUTES_MAX_LINE = _column_at("credit_systems", "minutes_per_unit", "maximum")
MINUTES_PLACES, MINUTES_PLACES_LINE = _column_at("credit_systems", "minutes_per_unit", "max_places")
STANDING_VALUES, STANDING_VALUES_LINE = _column_at("providers", "standing", "values")
ORG_REF, ORG_REF_LINE = _column_at("acceptances", "organization_id", "table")
PROVIDERS_FILE_LINE = _schema_line('"providers": {', '"file":')
PROVIDERS_COLUMNS_LINE = _schema_line('"providers": {', '"columns":')
PROVIDERS_LINE = _schema_line('"providers": {')
RESERVED_IDS_LINE = _schema_line('"ids": [')
LAST_RESERVED_ID_LINE = _schema_line('"lpt9"')
TABLES_LINE = _schema_line('"tables": {')
NOT_A_NUMBER = "which no limit can be (not finite, or too many digits)"
NAME_COLUMN = "(column 'name')"

SCHEMA_VECTORS: tuple[Vector, ...] = (
    # The file as a whole.
    _schema("schema-empty", lambda d: b"", "-", "is empty; it declares the tables", 1),
    _schema("schema-only-spaces", lambda d: b"  \n\n\t\n", "-", "is empty", 1),
    _schema("schema-null", lambda d: b"null", "-", "expected a JSON object, got nothing", 1),
    _schema("schema-an-array", lambda d: b"[]\n", "-", "expected a JSON object, got an array", 1),
    _schema("schema-a-number", lambda d: b"42", "-", "expected a JSON object, got a number (42)", 1),
    _schema("schema-a-string", lambda d: b'"tables"', "-", "expected a JSON object, got a string", 1),
    _schema("schema-no-tables", lambda d: b"{}", "tables", "expected a JSON object, got nothing", 1),
    _schema(
        "schema-tables-empty",
        lambda d: b'{\n  "tables": {}\n}\n',
        "tables",
        "declares no table",
        2,
    ),
    _schema(
        "schema-byte-order-mark",
        lambda d: b"\xef\xbb\xbf" + d,
        "-",
        "starts with a byte-order mark (U+FEFF)",
        1,
    ),
    _schema("schema-utf-16", lambda d: d.decode("utf-8").encode("utf-16"), "-", "is UTF-16 text", 1),
    _schema(
        "schema-not-utf8-on-a-line",
        _on_line(PROVIDERS_FILE_LINE, lambda t: t.replace("providers", "provid\udcffers")),
        "-",
        "is not UTF-8 text: byte 0xff",
        PROVIDERS_FILE_LINE,
    ),
    _schema(
        "schema-nul-in-a-string",
        _on_line(PROVIDERS_FILE_LINE, lambda t: t.replace("providers", "provid\x00ers")),
        "-",
        "is not valid JSON: Invalid control character",
        PROVIDERS_FILE_LINE,
    ),
    # Syntax: the line json.loads stopped on.
    _schema(
        "schema-cut-in-half",
        lambda d: d[: d.index(b"\n", len(d) // 2) + 1],
        "-",
        "is not valid JSON",
        SCHEMA_TEXT[: SCHEMA_TEXT.index("\n", len(SCHEMA_TEXT) // 2) + 1].count("\n") + 1,
    ),
    _schema(
        "schema-missing-comma",
        _on_line(PROVIDERS_FILE_LINE, lambda t: t.rstrip(",")),
        "-",
        "is not valid JSON: Expecting ',' delimiter",
        PROVIDERS_FILE_LINE + 1,
    ),
    _schema(
        "schema-trailing-comma",
        _on_line(LAST_RESERVED_ID_LINE, lambda t: t + ","),
        "-",
        "is not valid JSON: Expecting value",
        LAST_RESERVED_ID_LINE + 1,
    ),
    _schema(
        "schema-comment-line",
        _on_line(PROVIDERS_FILE_LINE, lambda t: "      // the providers\n" + t),
        "-",
        "is not valid JSON",
        PROVIDERS_FILE_LINE,
    ),
    _schema(
        "schema-single-quotes",
        _on_line(PROVIDERS_FILE_LINE, lambda t: t.replace('"', "'")),
        "-",
        "is not valid JSON",
        PROVIDERS_FILE_LINE,
    ),
    # Depth, measured before parsing.
    _schema("schema-ten-thousand-brackets", lambda d: b"[" * 10_000, "-", "nests deeper than 16 levels", 1),
    _schema(
        "schema-deep-over-many-lines",
        lambda d: b"[\n" * (MAX_SCHEMA_DEPTH + 5),
        "-",
        f"nests deeper than {MAX_SCHEMA_DEPTH} levels here",
        MAX_SCHEMA_DEPTH + 1,
    ),
    _schema(
        "schema-deep-note",
        _on_line(PROVIDERS_FILE_LINE, lambda t: '      "$note": ' + "{" * 20 + "}" * 20 + ",\n" + t),
        "-",
        "nests deeper than 16 levels here",
        PROVIDERS_FILE_LINE,
    ),
    # Numbers no limit can be: refused at their key.
    _schema(
        "schema-nan-minimum",
        _value_on(MINUTES_MIN_LINE, "NaN"),
        MINUTES_MIN,
        f"NaN, {NOT_A_NUMBER}",
        MINUTES_MIN_LINE,
    ),
    _schema(
        "schema-infinite-maximum",
        _value_on(MINUTES_MAX_LINE, "Infinity"),
        MINUTES_MAX,
        f"Infinity, {NOT_A_NUMBER}",
        MINUTES_MAX_LINE,
    ),
    _schema(
        "schema-minus-infinity-minimum",
        _value_on(MINUTES_MIN_LINE, "-Infinity"),
        MINUTES_MIN,
        NOT_A_NUMBER,
        MINUTES_MIN_LINE,
    ),
    _schema(
        "schema-max-length-1e400",
        _value_on(NAME_MAX_LINE, "1e400"),
        NAME_MAX,
        f"1e400, {NOT_A_NUMBER}",
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-max-length-of-5000-digits",
        _value_on(NAME_MAX_LINE, "9" * 5000),
        NAME_MAX,
        NOT_A_NUMBER,
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-max-places-huge",
        _value_on(MINUTES_PLACES_LINE, "1" + "0" * 30),
        MINUTES_PLACES,
        NOT_A_NUMBER,
        MINUTES_PLACES_LINE,
    ),
    # Keys given twice or unknown: JSON would keep the last, or ignore the unknown, without a word.
    _schema(
        "schema-max-length-given-twice",
        _on_line(NAME_MAX_LINE, lambda t: t + ',\n          "max_length": 99999'),
        NAME_MAX,
        f"is given twice, on line {NAME_MAX_LINE} and on line {NAME_MAX_LINE + 1}",
        NAME_MAX_LINE + 1,
    ),
    _schema(
        "schema-table-given-twice",
        _on_line(TABLES_LINE, lambda t: t + '\n    "providers": {"file": "x.csv"},'),
        "tables.providers",
        "is given twice",
        PROVIDERS_LINE + 1,
    ),
    _schema(
        "schema-misspelt-key",
        _on_line(NAME_MAX_LINE, lambda t: t.replace("max_length", "max_lenght")),
        NAME_MAX.replace("max_length", "max_lenght"),
        "is not a key the schema knows here",
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-misspelt-top-key",
        _on_line(TABLES_LINE, lambda t: '  "tabels": {},\n' + t),
        "tabels",
        "is not a key the schema knows here (it knows tables, reserved_ids",
        TABLES_LINE,
    ),
    # Types and values, at the key's line.
    _schema(
        "schema-max-length-a-string",
        _value_on(NAME_MAX_LINE, '"200"'),
        NAME_MAX,
        f"{NAME_COLUMN} give the most",
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-max-length-negative",
        _value_on(NAME_MAX_LINE, "-5"),
        NAME_MAX,
        "got a number (-5)",
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-max-length-a-fraction",
        _value_on(NAME_MAX_LINE, "200.5"),
        NAME_MAX,
        "got a number (200.5)",
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-max-length-over-a-row",
        _value_on(NAME_MAX_LINE, str(MAX_ROW_BYTES + 1)),
        NAME_MAX,
        f"a whole number from 1 to {MAX_ROW_BYTES:,}",
        NAME_MAX_LINE,
    ),
    _schema(
        "schema-rows-wider-than-a-row-may-be",
        lambda d: d.replace(b'"max_length": 2000', b'"max_length": 20000'),
        "tables.providers.columns",
        f"and a row may have at most {MAX_ROW_BYTES:,}",
        PROVIDERS_COLUMNS_LINE,
    ),
    _schema(
        "schema-unknown-type",
        _value_on(NAME_TYPE_LINE, '"html"'),
        NAME_TYPE,
        "'html' is not one of: slug",
        NAME_TYPE_LINE,
    ),
    _schema(
        "schema-required-a-string",
        _value_on(NAME_REQUIRED_LINE, '"yes"'),
        NAME_REQUIRED,
        "expected true or false",
        NAME_REQUIRED_LINE,
    ),
    _schema(
        "schema-enum-value-a-number",
        _on_line(STANDING_VALUES_LINE + 1, lambda t: t.replace('"accredited"', "1")),
        STANDING_VALUES.replace("values", "values[0]"),
        "expected a non-empty string, got a number (1)",
        STANDING_VALUES_LINE + 1,
    ),
    _schema(
        "schema-file-out-of-the-folder",
        _value_on(PROVIDERS_FILE_LINE, '"../../etc/passwd"'),
        "tables.providers.file",
        "is not a plain file name",
        PROVIDERS_FILE_LINE,
    ),
    _schema(
        "schema-file-an-absolute-path",
        _value_on(PROVIDERS_FILE_LINE, '"/etc/passwd"'),
        "tables.providers.file",
        "is not a plain file name",
        PROVIDERS_FILE_LINE,
    ),
    _schema(
        "schema-table-key-with-a-line-break",
        _on_line(PROVIDERS_LINE, lambda t: t.replace('"providers"', '"pro\\nviders"')),
        "tables['pro\\nviders']",
        "a table key is lowercase letters",
        PROVIDERS_LINE,
    ),
    _schema(
        "schema-columns-an-object",
        _value_on(PROVIDERS_COLUMNS_LINE, '{}, "$columns": ['),
        "tables.providers.columns",
        "expected a JSON array, got an object",
        PROVIDERS_COLUMNS_LINE,
    ),
    _schema(
        "schema-reserved-id-a-number",
        _on_line(RESERVED_IDS_LINE + 1, lambda t: t.replace('"index"', "7")),
        "reserved_ids.ids[0]",
        "expected a non-empty string, got a number (7)",
        RESERVED_IDS_LINE + 1,
    ),
    _schema(
        "schema-ref-to-nowhere",
        _value_on(ORG_REF_LINE, '"nowhere"'),
        ORG_REF,
        "no table 'nowhere'",
        ORG_REF_LINE,
    ),
    _schema(
        "schema-minimum-above-maximum",
        _value_on(MINUTES_MIN_LINE, "7000"),
        MINUTES_MIN,
        "is above maximum 6000",
        MINUTES_MIN_LINE,
    ),
    # What a schema may be: other line ends, and notes wherever a key starts with '$'.
    _schema_passes("schema-crlf-line-ends", lambda d: d.replace(b"\n", b"\r\n")),
    _schema_passes(
        "schema-notes-in-dollar-keys",
        _on_line(NAME_MAX_LINE, lambda t: '          "$note": [1, {"x": null}],\n' + t),
    ),
)

VECTORS = (*VECTORS, *EXHAUSTION, *NOT_A_FILE, *SCHEMA_VECTORS)

PASSING = tuple(vector for vector in VECTORS if vector.expect is None)
REFUSED = tuple(vector for vector in VECTORS if vector.expect is not None)


def write_vector(vector: Vector, target: Path, source: Path = PUBLISHED) -> int:
    """A copy of ``source`` in ``target`` with the vector applied; the changed row's line (0: raw)."""
    shutil.copytree(source, target)
    path = target / vector.file
    if vector.raw is not None:
        path.write_bytes(vector.raw(path.read_bytes()))
    if vector.make is not None:
        vector.make(path)
    if vector.raw is not None or vector.make is not None:
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
