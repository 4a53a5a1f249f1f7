"""Hostile addresses, files and stored data for every page that reads one, and how each page must end
(issue 34, class 6: pages that stop answering).

A vector is what a page is given (an address's params, a file picked in its file input, or
what this browser already stores for it) and what it must then show. Every page must end
ready, or ready with a message, and never in its error state, loading for ever, or with a
console error: tests/browser/test_hostile_pages.py gives each vector to the page in Chromium
and watches it. Vectors of one page are grouped so that a page loads as few times as it can:

* ``address`` vectors of the directory, the search page and the changes page are applied in
  one open tab each, the way Back and Forward apply an address (``history.pushState`` and a
  ``popstate`` event), except the ``load`` ones, which open the page at that address;
* ``address`` vectors of a page that runs Python (the calculators, the tracker, the annual
  report, the suggest form) are merged into one address per page, opened once;
* ``file`` vectors are picked, one after another, in one open tab of their page;
* ``storage`` vectors are stored before the page is reloaded.

``EVERY_FIELD`` as a param's name stands for each of the page's own form fields (and, for a
row list, ``row.<field>``): read from the built page, so the vectors follow the forms.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The names of Object.prototype's members an address or a file may use to name "nothing".
OBJECT_WORDS = ("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf")
EVERY_FIELD = "{every-field}"
#: The directory's and the search page's filters (directory.search_filters.SEARCH_FILTERS; read back
#: from the built pages by the test, which fails if they differ).
FILTERS = ("type", "status", "check", "credit", "kind", "country", "region")
LONG = 10_000

DIRECTORY, SEARCH, CHANGES = "/directory/", "/search/", "/directory/changes/"
#: Pages that run Python -> the name of their form (#<name>-status says ready or error).
PYTHON_PAGES = {
    "/calculator/": "ceu",
    "/course-plan/": "plan",
    "/eligibility/": "eligibility",
    "/deadlines/": "deadlines",
    "/accreditation/": "accreditation",
    "/cec/": "cec",
    "/will-it-count/": "answer",
    "/recertification/": "recert",
    "/annual-report/": "annual-report",
    "/directory/suggest/": "suggest",
}
#: Pages with no script of their own that reads the address: Material's and the offline page's only.
STATIC_PAGES = ("/", "/guides/", "/offline/", "/404.html", "/directory/matrix/")


@dataclass(frozen=True)
class HostileFile:
    name: str
    content: bytes = b""
    #: A file of this many bytes, all zero, made without writing them (a sparse file).
    size: int | None = None


@dataclass(frozen=True)
class PageVector:
    name: str
    path: str
    #: "address", "load" (an address the page is opened at), "file", "storage", or "static".
    kind: str
    params: tuple[tuple[str, str], ...] = ()
    file: HostileFile | None = None
    #: What localStorage holds for the page before it loads ("openceu.recert" for the tracker).
    storage: str | None = None
    #: A phrase the page must show once it is done; "" when ending ready is the whole test.
    expect: str = ""
    #: For a directory or search address: filter values that must show ticked, with a count of 0.
    ticked: tuple[tuple[str, str], ...] = ()
    cls: str = "6-pages"


def _address_pages() -> list[PageVector]:
    found: list[PageVector] = []
    for word in OBJECT_WORDS:
        found += [
            PageVector(f"directory-sort-{word}", DIRECTORY, "address", (("sort", word),)),
            PageVector(f"directory-query-{word}", DIRECTORY, "address", (("q", word),)),
            PageVector(f"directory-param-named-{word}", DIRECTORY, "address", ((word, "1"), ("sort", "name-desc"))),
            PageVector(f"search-query-{word}", SEARCH, "address", (("q", word),), expect=f"for {word}"),
            PageVector(f"search-param-named-{word}", SEARCH, "address", (("q", "safety"), (word, word))),
            PageVector(f"changes-since-{word}", CHANGES, "address", (("since", word),), expect=f"“{word}” is not a date"),
        ]  # fmt: skip
        for name in FILTERS:
            for path, page in ((DIRECTORY, "directory"), (SEARCH, "search")):
                found.append(
                    PageVector(
                        f"{page}-{name}-{word}", path, "address", ((name, word),), ticked=((name, word),)
                    )
                )
    every_word = tuple((name, word) for word in OBJECT_WORDS for name in (*FILTERS, "sort", "q", word))
    long_text = "w" * LONG
    found += [
        # Opened at such an address (the page's start reads it, not popstate).
        PageVector("directory-load-every-word", DIRECTORY, "load", every_word, ticked=tuple(p for p in every_word if p[0] in FILTERS)),
        PageVector("search-load-every-word", SEARCH, "load", (("q", "safety"), *every_word), ticked=tuple(p for p in every_word if p[0] in FILTERS)),
        PageVector("changes-load-since-proto", CHANGES, "load", (("since", "__proto__"), ("__proto__", "1")), expect="is not a date"),
        # Long and many values.
        PageVector("directory-query-10000-characters", DIRECTORY, "address", (("q", long_text),)),
        PageVector("directory-sort-10000-characters", DIRECTORY, "address", (("sort", long_text),)),
        PageVector("directory-5000-type-values", DIRECTORY, "address", tuple(("type", f"v{n}") for n in range(5000)), expect="No entries match."),
        PageVector("search-query-10000-characters", SEARCH, "address", (("q", long_text),), expect=f" for {'w' * 40}…."),
        PageVector("search-2000-country-values", SEARCH, "address", (("q", "safety"), *(("country", f"c{n}") for n in range(2000))), expect="with 2000 filters"),
        PageVector("changes-since-10000-characters", CHANGES, "address", (("since", long_text),), expect=f"“{'w' * 40}…” is not a date"),
        PageVector("changes-since-a-day-that-does-not-exist", CHANGES, "address", (("since", "2026-02-30"),), expect="“2026-02-30” is not a date"),
        PageVector("changes-since-markup", CHANGES, "address", (("since", "<img src=x onerror=alert(1)>"),), expect="“<img src=x onerror=alert(1)>” is not a date"),
        PageVector("changes-since-far-future", CHANGES, "address", (("since", "9999-12-31"),), expect="No change since 9999-12-31."),
        PageVector("changes-since-repeated", CHANGES, "address", (("since", "constructor"), ("since", "2026-01-01")), expect="“constructor” is not a date"),
    ]  # fmt: skip
    return found


def _python_pages() -> list[PageVector]:
    """Each page's every field set to each word, and params named after each word: one address a page."""
    found = []
    for path, form in PYTHON_PAGES.items():
        for word in OBJECT_WORDS:
            params = ((EVERY_FIELD, word), (word, word), (f"row.{word}", word), ("rows", word))
            found.append(PageVector(f"{form}-every-field-{word}", path, "load", params))
    return found


def _static_pages() -> list[PageVector]:
    every_word = tuple((word, word) for word in OBJECT_WORDS)
    return [
        PageVector(
            f"static{path.rstrip('/').replace('/', '-') or '-home'}-every-word", path, "static", every_word
        )
        for path in STATIC_PAGES
    ]


ATTENDANCE = b"learner_id,event_id,date,ceus_awarded\n"


def _annual_report_files() -> list[PageVector]:
    def vector(name: str, expect: str, content: bytes = b"", size: int | None = None) -> PageVector:
        return PageVector(
            f"annual-report-file-{name}",
            "/annual-report/",
            "file",
            file=HostileFile(f"{name}.csv", content, size),
            expect=expect,
        )

    return [
        vector("over-the-size-limit", "this page reads at most 100 MB", size=100 * 1024 * 1024 + 1),
        vector("all-zero-bytes", "contains a NUL byte", size=4096),
        vector("not-utf8", "not UTF-8 text (byte 0xe9)", ATTENDANCE + "caf\xe9,e,2026-01-10,1\n".encode("latin-1")),
        vector("empty", "the file is empty"),
        vector("nested-brackets", "expected the header", b"[" * 100_000),
        vector("a-line-of-two-megabytes", "a line longer than 1024 KB", ATTENDANCE + b"a" * (2 * 1024 * 1024) + b"\n"),
        vector("huge-exponent", "1 bad line(s)", ATTENDANCE + b"a,e1,2026-01-10,1e999999999999\n"),
        vector("object-words-as-ids", "Participants served", ATTENDANCE + b"".join(f"{w},{w},2026-01-10,0.1\n".encode() for w in OBJECT_WORDS)),
        vector("object-words-as-values", "5 bad line(s)", ATTENDANCE + b"".join(f"a,e,{w},{w}\n".encode() for w in OBJECT_WORDS)),
        vector("ten-thousand-bad-lines", "10,000 bad line(s)", ATTENDANCE + b"x\n" * 10_000),
        vector("header-only", "Participants served", ATTENDANCE),
    ]  # fmt: skip


def _tracker_files() -> list[PageVector]:
    def vector(
        name: str, expect: str, content: bytes = b"", size: int | None = None, suffix: str = "json"
    ) -> PageVector:
        file = HostileFile(f"{name}.{suffix}", content, size)
        return PageVector(f"tracker-file-{name}", "/recertification/", "file", file=file, expect=expect)

    tracker = b'"certifications": [{"name": "A", "period_start": "2025-01-01"}], "records": []'
    return [
        vector("deep-array", "nested far too deeply", b"[" * 100_000),
        vector("deep-object", "nested far too deeply", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        vector("over-the-size-limit", "a tracker file is at most 2,000 KB", size=5_000_000),
        vector("binary", "it is not text", b"\x00\xff\xfe" * 1000),
        vector("proto-key", 'this one holds "__proto__"', b'{"__proto__": {"polluted": 1}, ' + tracker + b"}"),
        vector("constructor-key", 'this one holds "constructor"', b'{"constructor": {"prototype": 1}, ' + tracker + b"}"),
        vector("to-string-key", 'this one holds "toString"', b'{"toString": 1, "valueOf": 1, ' + tracker + b"}"),
        vector("records-an-object", '"records" must be lists', b'{"certifications": [], "records": {"__proto__": []}}'),
        vector("kind-proto", "'__proto__' is not a kind of ACE record", b'{"certifications": [], "records": [{"kind": "__proto__", "course_number": "CEP12345", "completed_on": "2025-02-01", "cecs": "1"}]}'),
        vector("huge-number", "credit: must be a finite number", b'{"certifications": [], "records": [{"kind": "course", "course_number": "CEP12345", "completed_on": "2025-02-01", "cecs": 1e999999}]}'),
        vector("null", "not a tracker file", b"null"),
        vector("csv-proto-header", "not a records file", b"__proto__,constructor,toString\n1,2,3\n", suffix="csv"),
    ]  # fmt: skip


def _tracker_storage() -> list[PageVector]:
    def vector(name: str, stored: str, expect: str) -> PageVector:
        return PageVector(
            f"tracker-stored-{name}", "/recertification/", "storage", storage=stored, expect=expect
        )

    return [
        vector("deep", "[" * 100_000, "could not be read: not valid JSON here: nested far too deeply"),
        vector("not-json", "{certifications: [", "could not be read"),
        vector(
            "proto-keys", '{"__proto__": {"x": 1}, "constructor": 1, "certifications": [], "records": []}', ""
        ),
    ]


VECTORS: tuple[PageVector, ...] = (
    *_address_pages(),
    *_python_pages(),
    *_static_pages(),
    *_annual_report_files(),
    *_tracker_files(),
    *_tracker_storage(),
)
