"""A copy of the published data with a marker in every text cell, and the check that each
marker reached the built site as text (issue 34, class 1).

A marker is a unique token (``OPENCEU-MARKER-<n>``) followed by pieces of Markdown, HTML,
Jinja, YAML and embed syntax, each around a word of its own (``[LINK-<n>](javascript:x)``,
``<b>BOLD-<n></b>``, ``{{'JINJA'~'EVALUATED'}}`` ...). Anything that interprets a piece
consumes its syntax: Markdown turns ``[LINK-7](javascript:x)`` into a link whose text is
``LINK-7`` alone, Jinja turns the concatenation into ``JINJAEVALUATED``. So the check is
textual and needs no list of the places data is shown: wherever a piece's word appears in
the output (a text node, an attribute value, a JSON string, an XML text), its syntax must
be around it, character for character, as far as the text goes (a value may be cut short);
no tag or attribute name may come from a marker; ``JINJAEVALUATED`` appears nowhere. URL
columns carry the same pieces in the path and query of an http(s) address, which the
validator accepts. Columns that cannot hold text (ids, dates, numbers, codes, vocabulary
terms) are refused by the validator when they do (tests/hostile_markup.py).

The data is committed twice in a git repository of the test's own (the published rows,
then the marked ones), so the history, the changes page, ``changes.json`` and the Atom
feeds carry the markers too; checks.csv gets a check of every source, so the profiles'
check lines do.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

from certificates.did_key import did_of
from directory.build_date import build_date
from directory.check_report import IACET_PROVIDER_URL, iacet_record_url
from directory.records import Entry
from directory.schema import Column, load_schema
from site_build.search_index import record_filters
from tests.conftest import PUBLIC_TEST_SITE, REPO_ROOT
from tests.git_repository import Repository

PUBLISHED = REPO_ROOT / "directory_data"
SCHEMA = load_schema(PUBLISHED)
TOKEN = "OPENCEU-MARKER-"
#: What a template engine that evaluated a marker would print.
EVALUATED = "JINJAEVALUATED"
#: Text in attribute and tag names that only a marker brings.
PLANTED = "openceu-planted"
#: The host a marker's links and images point at: nothing from it may reach an attribute.
ELSEWHERE = "elsewhere.example"
#: Column types whose cells hold free text, and so carry a marker.
TEXT_TYPES = ("text", "list")
#: Columns a marker may not fill when the row leaves them empty (the row's rule needs more).
FILLED_ONLY = {("credit_systems", "multiplier_condition")}
#: Text columns in a small language the engine parses (a marker is no limit or example in it):
#: never shown as written, and tested against hostile input in tests/unit/test_tracker.py.
PARSED = {("requirements", "limits"), ("requirements", "example_activities")}
#: Marked columns a row's rule lets be filled only with another beside them: a signing key's
#: source needs the key (issue 33), a made-up Ed25519 did:key from the marker's number, one a row.
FILLED_BESIDE: dict[tuple[str, str], tuple[str, Callable[[int], str]]] = {
    ("providers", "issuer_did_source"): ("issuer_did", lambda n: did_of(n.to_bytes(32, "big"))),
}


@dataclass(frozen=True)
class Piece:
    """Syntax around a word: ``before + word + after``; ``{n}`` is the marker's number."""

    before: str
    word: str
    after: str
    #: Whether the piece may go in a list column (no ';', which separates its terms).
    in_lists: bool = True

    def text(self, n: int) -> str:
        return self.before.format(n=n) + self.word.format(n=n) + self.after.format(n=n)


#: In the order a marker takes them until its column's length limit is reached.
PIECES: tuple[Piece, ...] = (
    Piece("<b>", "BOLD-{n}", "</b>"),
    Piece("[", "LINK-{n}", "](javascript:x)"),
    Piece("\n```\n", "FENCE-{n}", "\n```"),
    # A search filter's value is written "name:value" in an attribute Pagefind reads.
    Piece(", status:", "FILTER-{n}", ","),
    Piece("{{{{'JINJA'~'", "EVALUATED", "'}}}}"),
    Piece("*", "EMPH-{n}", "*"),
    Piece("\n# ", "HEADING-{n}", ""),
    Piece("![", "IMAGE-{n}", f"](https://{ELSEWHERE}/p.png)"),
    Piece("`", "CODE-{n}", "`"),
    Piece('" data-openceu-planted-dq="', "QUOTE-{n}", '"'),
    Piece("' data-openceu-planted-sq='", "APOS-{n}", "'"),
    Piece("{{: data-openceu-planted-attr='", "ATTR-{n}", "' }}"),
    Piece("<img src=x data-openceu-planted onerror=window.openceuRan=1 alt=", "IMG-{n}", ">"),
    Piece("[", "REF-{n}", "][calc.ceu]"),
    Piece("{{{{openceu ", "EMBED-{n}", "}}}}"),
    Piece("{{% raw %}}", "RAW-{n}", "{{% endraw %}}"),
    Piece("&amp;", "ENTITY-{n}", "&lt;", in_lists=False),
    Piece("</script></textarea></title></style>]]>-->", "CLOSE-{n}", "<!--", in_lists=False),
    Piece("<a href=javascript:openceu>", "ANCHOR-{n}", "</a>"),
    Piece("\n\n- ", "ITEM-{n}", ""),
    Piece("\n\n---\nkey: ", "YAML-{n}", "\n---"),
    Piece("\n\n<script>window.openceuRan=1</script>", "SCRIPT-{n}", ""),
    Piece("\n::: ", "DOCS-{n}", ""),
    Piece("\n~~~\n", "TILDE-{n}", "\n~~~"),
    Piece("\n```openceu\nembed: minutes-table\nminutes: ", "EMBEDDED-{n}", "\n```"),
)


def marker(n: int, limit: int, *, in_list: bool = False) -> str:
    """Marker ``n``: the token and as many pieces as ``limit`` characters hold."""
    text = f"{TOKEN}{n}"
    for piece in PIECES:
        if in_list and not piece.in_lists:
            continue
        more = (" " if not piece.before.startswith("\n") else "") + piece.text(n)
        if len(text) + len(more) <= limit:
            text += more
    return text


def marker_url(n: int, limit: int) -> str:
    """An http(s) address carrying marker ``n``'s pieces in its path and query, as the
    validator accepts them (no space, ``"``, ``<``, ``>``, backtick or backslash raw)."""
    base = f"{PUBLIC_TEST_SITE}/{TOKEN}{n}/"
    pieces = [
        f"[LINK-{n}](javascript:x)",
        "{{'JINJA'~'EVALUATED'}}",
        f"*EMPH-{n}*",
        f"%3Cb%3EBOLD-{n}%3C/b%3E",
        f"?q=%22%20data-openceu-planted-dq=%22QUOTE-{n}%22&r='%20data-openceu-planted-sq='APOS-{n}'",
    ]
    url = base
    for piece in pieces:
        if len(url) + len(piece) <= limit:
            url += piece
    return url


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Marked:
    """Where marker ``n`` went."""

    n: int
    table: str
    row_id: str
    column: str
    value: str


def _columns(table: str) -> list[Column]:
    return list(SCHEMA.table(table).columns)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def mark_data(data: Path) -> list[Marked]:
    """Put a marker in every text cell of every row of every table in ``data`` (a copy of the
    published folder), every URL cell too, and a marked check of every source in checks.csv."""
    marked: list[Marked] = []
    number = 0
    for table in SCHEMA.tables:
        path = data / table.file
        if not path.exists():
            continue
        fields, rows = _read(path)
        key_column = "id"
        for row in rows:
            for column in table.columns:
                if column.type not in (*TEXT_TYPES, "url") or (table.key, column.name) in PARSED:
                    continue
                if (table.key, column.name) in FILLED_ONLY and not row[column.name]:
                    continue
                number += 1
                limit = column.max_length or 2000
                if column.type == "url":
                    value = marker_url(number, limit)
                else:
                    value = marker(number, limit, in_list=column.type == "list")
                row[column.name] = value
                if beside := FILLED_BESIDE.get((table.key, column.name)):
                    row[beside[0]] = beside[1](number)
                marked.append(Marked(number, table.key, row.get(key_column, ""), column.name, value))
        _write(path, fields, rows)
    marked += _mark_checks(data, number)
    return marked


def _mark_checks(data: Path, number: int) -> list[Marked]:
    """A source check of every provider and organization, and an IACET check of every provider
    with a number, each found and with a marked detail and final address."""
    table = SCHEMA.table("checks")
    fields = list(table.column_names)
    today = build_date().isoformat()
    rows, marked = [], []
    for kind in ("providers", "organizations"):
        _, entries = _read(data / SCHEMA.table(kind).file)
        for values in entries:
            entry = Entry(kind, 0, values)
            # Outcomes in turn: a profile says a check's detail only where the check did not find
            # what it looked for, and a source check's final address only where it was read.
            turn = len(rows) % 3
            checks = [
                ("source", values["source_url"], ("quote-present", "quote-missing", "unreachable")[turn])
            ]
            if kind == "providers" and (record := iacet_record_url(entry, IACET_PROVIDER_URL)):
                checks.append(("iacet-record", record, ("name-listed", "name-missing", "unreadable")[turn]))
            for check, url, outcome in checks:
                number += 2
                detail = marker(number - 1, _limit(table.key, "detail"))
                final = marker_url(number, _limit(table.key, "final_url"))
                rows.append(
                    {
                        "table": kind,
                        "id": values["id"],
                        "check": check,
                        "checked_on": today,
                        "url": url,
                        "http_status": "404" if outcome == "unreachable" else "200",
                        "final_url": final,
                        "outcome": outcome,
                        "detail": detail,
                    }
                )
                marked.append(Marked(number - 1, "checks", values["id"], "detail", detail))
                marked.append(Marked(number, "checks", values["id"], "final_url", final))
                # The address checked is the row's own (its source, or IACET's record of its number).
                carried = re.search(re.escape(TOKEN) + r"(\d+)", url_text(url))
                if carried:
                    marked.append(Marked(int(carried.group(1)), "checks", values["id"], "url", url))
    rows.sort(key=lambda r: (r["table"], r["id"], r["check"]))
    _write(data / table.file, fields, rows)
    return marked


def _limit(table: str, column: str) -> int:
    return next(c.max_length or 2000 for c in SCHEMA.table(table).columns if c.name == column)


@dataclass(frozen=True)
class MarkerData:
    """The repository holding the marked data (its ``data`` folder), and where each marker went."""

    repository: Path
    data: Path
    marked: tuple[Marked, ...]

    def of(self, table: str, column: str) -> list[Marked]:
        return [m for m in self.marked if m.table == table and m.column == column]


def write_marker_repository(root: Path) -> MarkerData:
    """A git repository whose data folder holds the published rows, then (the next commit)
    the marked ones: every marker is in the current data and in its history."""
    repo = Repository(root, SCHEMA)
    shutil.rmtree(repo.data)
    shutil.copytree(PUBLISHED, repo.data)
    repo.commit("the published data")
    marked = mark_data(repo.data)
    repo.commit(f"{TOKEN}0 <b>BOLD-0</b> [LINK-0](javascript:x) {{{{'JINJA'~'EVALUATED'}}}}")
    return MarkerData(root, repo.data, tuple(marked))


# --------------------------------------------------------------------------- the check


#: Each piece's word as a pattern that finds it whatever marker number it carries.
_WORDS = [(piece, re.compile(re.escape(piece.word).replace(r"\{n\}", r"(?P<n>\d+)"))) for piece in PIECES]
_SPACES = re.compile(r"\s+")


def _spaced(text: str) -> str:
    """Runs of white space as one space: a title or an excerpt may fold a marker's lines."""
    return _SPACES.sub(" ", text)


def has_marker(text: str) -> bool:
    return TOKEN in text or any(pattern.search(text) for _, pattern in _WORDS)


def text_problems(text: str, where: str, *, cut: bool = False) -> Iterator[str]:
    """Each place in ``text`` (a text node, an attribute value or a JSON string, decoded once)
    where a marker's piece lost its syntax: the syntax must stand around its word, character
    for character (white space folded), except that the text may end inside it (a value cut
    short) and, with ``cut``, begin inside it (a search excerpt, a window of the page's words).
    An address shown as text carries its pieces percent-encoded: it is read decoded too."""
    lost = _lost(text, cut)
    if lost and "%" in text:
        lost = {word: context for word, context in lost.items() if word in _lost(url_text(text), cut)}
    for word, context in lost.items():
        yield f"{where}: {word} lost its syntax: {context}"


def _lost(text: str, cut: bool) -> dict[str, str]:
    text = _spaced(text)
    lost: dict[str, str] = {}
    for piece, pattern in _WORDS:
        for found in pattern.finditer(text):
            n = found.groupdict().get("n") or "0"
            before, after = _spaced(piece.before.format(n=n)), _spaced(piece.after.format(n=n))
            start, end = found.start(), found.end()
            shown_before = text[max(0, start - len(before)) : start]
            shown_after = text[end : end + len(after)]
            whole_before = before.endswith(shown_before) and (len(shown_before) == len(before) or cut)
            # Space folded at the text's edge is not syntax lost: "\n# " may begin a stripped text.
            whole_before = whole_before or (start < len(before) and before.strip() == shown_before.strip())
            if not (whole_before and after.startswith(shown_after)):
                lost.setdefault(found.group(), _around(text, start))
    return lost


def _around(text: str, at: int) -> str:
    return repr(text[max(0, at - 60) : at + 60])


def url_text(value: str) -> str:
    """An address as the text it carries: percent-encoding and a query's '+' decoded."""
    return unquote_plus(value)


#: Attributes whose value may carry data (as text): everything else (id, class, style, src, on*,
#: name, for, type, rel, action ...) must never hold a marker.
DATA_ATTRIBUTES = frozenset({"href", "title", "aria-label", "content", "alt", "value", "label", "datetime"})
_ADDRESS_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "poster", "xlink:href"})
#: Schemes an address from data must never have (the validator lets only http(s) through).
_SCRIPT_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text)", re.IGNORECASE)


def _elsewhere(address: str) -> bool:
    """Whether an address loads or links the marker's other host (not merely names it in a query)."""
    try:
        host = urlsplit(address.strip()).hostname or ""
    except ValueError:
        return True
    return host == ELSEWHERE or host.endswith("." + ELSEWHERE)


def attribute_problems(tag: str, name: str, value: str, where: str) -> Iterator[str]:
    """What is wrong with one attribute of an element of the output."""
    lowered = name.lower()
    here = f"{where}: <{tag} {name}>"
    if PLANTED in lowered or PLANTED in tag.lower():
        yield f"{here} was planted by a marker"
    if lowered in _ADDRESS_ATTRIBUTES and (_elsewhere(value) or _SCRIPT_SCHEME.match(value)):
        yield f"{here} = {value[:80]!r}: a script or another host's address"
    if not has_marker(value):
        return
    if not (lowered in DATA_ATTRIBUTES or lowered.startswith("data-")):
        yield f"{here} holds a marker: data belongs in text and data attributes only"
    yield from text_problems(url_text(value) if lowered in _ADDRESS_ATTRIBUTES else value, here)


class _Page(HTMLParser):
    """Every text node and attribute of a page, and the content of its script elements."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []
        self._script: tuple[str, list[str]] | None = None
        #: Inside a <textarea>: its text is HTML source to copy (the badge snippet), read decoded.
        self._source = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.problems += attribute_problems(tag, name, value or "", self.where)
        if tag == "script":
            kind = next((v or "" for n, v in attrs if n == "type"), "")
            self._script = (kind, [])
        self._source = self._source or tag == "textarea"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._source = self._source and tag != "textarea"
        if tag == "script" and self._script is not None:
            kind, parts = self._script
            self._script = None
            content = "".join(parts)
            if kind in ("application/json", "application/ld+json"):
                try:
                    data = json.loads(content)
                except ValueError as error:
                    self.problems.append(f"{self.where}: a {kind} script is not JSON: {error}")
                    return
                self.problems += json_problems(data, f"{self.where}: {kind}")
            elif TOKEN in content or re.search(r"(?:BOLD|LINK)-\d", content):
                self.problems.append(f"{self.where}: a script ({kind or 'JavaScript'}) holds a marker")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        elif self._source:
            self.problems += text_problems(html.unescape(data), f"{self.where}: <textarea>")
        else:
            self.problems += text_problems(data, self.where)


def html_problems(text: str, where: str) -> list[str]:
    page = _Page(where)
    page.feed(text)
    page.close()
    return page.problems


def json_problems(data: object, where: str) -> Iterator[str]:
    """Every string of a JSON document (keys too), checked as text (addresses decoded)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from text_problems(key, f"{where} (key)")
            yield from json_problems(value, where)
    elif isinstance(data, list):
        for value in data:
            yield from json_problems(value, where)
    elif isinstance(data, str):
        yield from text_problems(url_text(data) if re.match(r"https?://", data) else data, where)


def xml_problems(text: str, where: str) -> Iterator[str]:
    """An XML file (a feed, a badge): well-formed, its names and values checked like a page's."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        yield f"{where}: not well-formed XML: {error}"
        return
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        for name, value in element.attrib.items():
            yield from attribute_problems(tag, name.rsplit("}", 1)[-1], value, where)
        for text_part in (element.text, element.tail):
            if text_part:
                yield from text_problems(text_part, f"{where}: <{tag}>")


def pagefind_records(site: Path) -> Iterator[tuple[str, dict[str, object]]]:
    """Pagefind's record of each indexed page (its fragment files: gzip of a signature and JSON),
    its filters read back by name (site_build/search_index.py record_filters) and, as Pagefind
    holds them, under "pagefind_filters"."""
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        start = raw.index(b"{")
        record = json.loads(raw[start:])
        record["pagefind_filters"] = record.get("filters", {})
        record["filters"] = record_filters(record["pagefind_filters"])
        yield fragment.name, record


@dataclass(frozen=True)
class Output:
    """The files a built site is made of, by kind (the vendored runtimes left out)."""

    html: tuple[Path, ...]
    xml: tuple[Path, ...]
    json: tuple[Path, ...]
    other: tuple[Path, ...]


VENDORED = ("pagefind", "pyodide", "pyscript")


def site_files(site: Path) -> Output:
    kinds: dict[str, list[Path]] = {"html": [], "xml": [], "json": [], "other": []}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.relative_to(site).parts[0] in VENDORED:
            continue
        suffix = path.suffix.lower()
        kind = {".html": "html", ".xml": "xml", ".svg": "xml", ".json": "json"}.get(suffix)
        kinds[kind or "other"].append(path)
    return Output(*(tuple(kinds[k]) for k in ("html", "xml", "json", "other")))


# --------------------------------------------------------------------------- the site

#: A page beside the site's own, with an inline figure in every place Markdown treats apart
#: (the guides put figures in sentences and a heading; this page puts one everywhere), under a
#: rule whose unit carries a marker. It is in the navigation, so its title (the heading's text
#: with the figure) is printed by the theme's navigation and <title> too.
PROBE_PAGE = "marker-probe.md"
PROBE_RULE = "nasba-cpe-fifths"
_FIGURE = "{{openceu figure minutes=990 rule=" + PROBE_RULE + "}}"
PROBE_TEXT = f"""# Why is it {_FIGURE}?

A sentence with {_FIGURE} in it, and **strong {_FIGURE}** and *emphasis {_FIGURE}*.

## A heading with {_FIGURE}

| Rule | Figure |
| --- | --- |
| {PROBE_RULE} | {_FIGURE} |

- an item: {_FIGURE}
- [a link to the calculator, {_FIGURE}](calculator.md)

1. {_FIGURE}

> a quotation: {_FIGURE}

!!! note "{_FIGURE}"
    An admonition: {_FIGURE}

{_FIGURE}

Term {_FIGURE}
{{: #probe-attributes }}

```openceu
embed: worked-example
mode: minutes
minutes: 990
rule: {PROBE_RULE}
link: calculator
```

```openceu
embed: conversion-table
minutes: 990
```

```openceu
embed: policy-examples
```
"""


@dataclass(frozen=True)
class MarkerSite:
    """The site built over the marked data, the data, and where each marker went."""

    site: Path
    content: Path
    data: MarkerData


def build_marker_site(root: Path) -> MarkerSite:
    """The repository's site, built by MkDocs (strict, as mkdocs.yml sets it) over the marked
    data and the site's own pages plus PROBE_PAGE."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from hooks.config import with_settings

    data = write_marker_repository(root / "repository")
    content = root / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    (content / PROBE_PAGE).write_text(PROBE_TEXT, encoding="utf-8")
    config = load_config(
        config_file=str(REPO_ROOT / "mkdocs.yml"), docs_dir=str(content), site_dir=str(root / "site")
    )
    config.nav = [*(config.nav or []), PROBE_PAGE]
    with_settings(config, data_dir=str(data.data))
    build(config)
    return MarkerSite(root / "site", content, data)
