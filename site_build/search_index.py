"""Index the built site with Pagefind, so search works the same at any size.

Pagefind writes a chunked index to ``<site>/pagefind/``; a query downloads only
the fragments it needs, unlike an index shipped whole to every page.

Two kinds of page go in. Each directory entry is a record the build hands over as it is
(SearchRecord, from directory/search_records.py): its words, filters, result line and sorts,
with nothing written into its profile page for a crawler to read back; the profile pages are
not crawled. Its filters go in as one value of one filter (FACETS), so a search that counts
loads one small filter file, not one listing every entry per filter. Every other page (guides, calculators, the rest) is crawled, read through
``sentence_ends``: a search result's excerpt is a window of words Pagefind cuts from a page's
text, and without a full stop after each table cell, fact and list item one row's last words
read as the start of the next (a body's source address followed by the next body's name, as if
it were that body's source). The pages themselves are not changed: Pagefind is handed the
text, and writes its index into the site.

Pagefind's Python API runs its indexer as a service and is asynchronous: asyncio runs at this
module's edge (index_site), and nothing else in the build is.
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import re
from collections.abc import Callable, Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from pagefind.service import PagefindService

#: The site's language, and so the index every page and record goes in (<html lang="en">).
LANGUAGE = "en"


@dataclass(frozen=True)
class SearchRecord:
    """One result of the site's search that no page is crawled for: Pagefind's custom record."""

    #: Where the result leads, from the site's root (``/directory/providers/teex/``).
    url: str
    #: The words searched, and cut into the result's excerpt.
    content: str
    language: str = LANGUAGE
    #: The result's line: ``title`` and the facts a result shows.
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


class IndexingFailed(RuntimeError):
    pass


#: The one Pagefind filter a record carries: all its filter values (SearchRecord.filters) as one
#: value (facets_value). Pagefind writes a file per filter listing every page under each of
#: its values, and a search that counts loads them all: with the seven filters apart, that was
#: every entry seven times over (1.1 MB at 100,000 entries); as one, each entry is listed once,
#: under its combination. The searches (search-controls.js) count each filter's values from the
#: combinations' counts, with the other filters applied, and filter with the combinations that
#: pass; the same counts as seven filters give, from one file.
FACETS = "facets"


def facets_value(filters: dict[str, list[str]]) -> str:
    """A record's filter values as the one FACETS value: a query string
    (``country=CA&type=Provider``), names and values in a fixed order, so records with the same
    values share one value (and one list of pages). Every character but letters, digits and
    ``_.-~`` is percent-encoded: Pagefind's filtering misses values holding ``"`` or ``\\``."""
    pairs = sorted({(name, value) for name, values in filters.items() for value in values})
    return urlencode(pairs, quote_via=quote, safe="")


def record_filters(indexed: dict[str, list[str]]) -> dict[str, list[str]]:
    """A record's filter values read back from what Pagefind holds (its FACETS value)."""
    found: dict[str, list[str]] = {}
    for value in indexed.get(FACETS, []):
        for name, one in parse_qsl(value, keep_blank_values=True):
            found.setdefault(name, []).append(one)
    return found


#: Elements whose text ends a sentence in the index. Pagefind ends some blocks with a full stop
#: itself, but not after an address ("…/pdus/") or a closing mark it does not know, and never
#: after a header cell, a term or a definition. Headings are left to Pagefind: their text is
#: also the results' titles, which must read as the page shows them.
ENDS_A_SENTENCE = (
    "td",
    "th",
    "dt",
    "dd",
    "li",
    "caption",
    "figcaption",
    "blockquote",
    "p",
)
#: Elements inside a sentence: their end tags may stand between a block's last word and its end.
_INLINE = "a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
#: A block's end tag, with the inline end tags just before it. It starts with "</", which the
#: regular expression engine scans for quickly: the whole site is read through it at every build.
_BLOCK_END = re.compile(
    rf"</(?:(?:{_INLINE})\s*>\s*</)*(?:{'|'.join(ENDS_A_SENTENCE)})\s*>",
    re.IGNORECASE,
)
_END_TAG = re.compile(r"</[^>]*>")
#: What already ends a sentence, and what may close around its full stop: "(as stated.)".
_STOPS = (".", "!", "?", "…")
_CLOSING = ")]}\"'\u2019\u201d\u00bb"  # closing brackets and quotes, curly ones too
#: Enough of the text before a block's end to see its last character through an entity (&#x27;).
_TAIL = 12


def ends_a_sentence(text: str) -> bool:
    """Whether ``text`` ends with a full stop (or ! ? …), inside closing brackets and quotes too."""
    return text.rstrip(_CLOSING).endswith(_STOPS)


def sentence(text: str) -> str:
    """``text`` as one sentence of a record: its blank space as single spaces, and a full stop
    at its end unless it has one (the rule ``sentence_ends`` applies to a page's blocks)."""
    words = " ".join(text.split())
    return words if not words or ends_a_sentence(words) else words + "."


def sentence_ends(page: str) -> str:
    """``page`` with a full stop after the last word of each ENDS_A_SENTENCE element that has
    none, and a space before its end tag, so no block's words run into the next block's.

    For Pagefind's eyes only. The full stop goes after the inline elements that close with the
    block, so the text of an inline element that Pagefind reads as a value (a
    ``data-pagefind-meta`` span) stays as the page shows it; the blank space between
    those end tags goes (it shows nowhere). Tags and every other character are left as they
    are. A block that ends in markup (a nested list, an image) is left alone: its own blocks
    end their sentences.
    """
    out: list[str] = []
    copied = 0
    for match in _BLOCK_END.finditer(page):
        last = match.start()  # just after the block's last character of text
        while last > copied and page[last - 1].isspace():
            last -= 1
        if last == copied or page[last - 1] == ">":
            continue
        tail = html.unescape(page[max(0, last - _TAIL) : last])
        stop = "" if ends_a_sentence(tail) else "."
        end_tag = page.rfind("</", match.start(), match.end())
        inline_ends = _END_TAG.findall(page, last, end_tag)  # without the blank space between them
        out += [page[copied:last], *inline_ends, stop, " ", page[end_tag : match.end()]]
        copied = match.end()
    out.append(page[copied:])
    return "".join(out)


def index_site(site_dir: Path, records: Iterable[SearchRecord] = ()) -> None:
    """Pagefind's index of ``site_dir``, written into it: the ``records``, and every page that
    marks what to index (data-pagefind-body; every page when none does) except those at a
    record's address, which the record stands for."""
    try:
        _run(lambda: _index(site_dir, list(records)))
    except (OSError, AssertionError, RuntimeError) as error:  # the service failed or said no
        raise IndexingFailed(f"Pagefind could not index {site_dir}: {error}") from error


def _run(work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """``work`` run to its end on an event loop of its own. A build called from code that already
    runs one in this thread (a test driving a browser with Playwright does) cannot start another
    here: it runs in a thread of its own then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop here: the usual case
        asyncio.run(work())
        return
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(lambda: asyncio.run(work())).result()


#: How long the service may take to exit once its input is closed.
_ENDING_SECONDS = 30
#: Requests in flight to Pagefind's service at once: enough to keep it busy, few enough that
#: 100,000 records are never all in memory as requests.
_IN_FLIGHT = 256


async def _index(site_dir: Path, records: list[SearchRecord]) -> None:
    service = await _PromptService().launch()
    try:
        index = await service.create_index({"force_language": LANGUAGE})
        pages = _pages_to_crawl(site_dir, {record.url for record in records})
        requests = chain(
            (index.add_html_file(content=text, url=url) for url, text in pages),
            (
                index.add_custom_record(
                    url=record.url,
                    content=record.content,
                    language=record.language,
                    meta=record.meta,
                    filters={FACETS: [facets_value(record.filters)]} if record.filters else {},
                    sort=record.sort,
                )
                for record in records
            ),
        )
        while batch := list(islice(requests, _IN_FLIGHT)):
            await asyncio.gather(*batch)
        files = await index.get_files()
    finally:
        await service.close()
    _write_bundle(site_dir / "pagefind", files)


#: Pagefind's ready-made search interfaces, which this site does not use (its pages search with
#: pagefind.js and draw their own results): not written, so not published.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.js")


def _write_bundle(bundle: Path, files: list[Any]) -> None:
    """Pagefind's index files, written here rather than by the service.

    The service's own WriteFiles answers before its last writes reach the disk, and it exits the
    moment its input closes: one build in a few left ``pagefind-entry.json`` empty, and search
    dead on that site. GetFiles hands over every file's bytes; each is whole once written.
    """
    for file in files:
        name = str(file["path"])
        if name.startswith(_UNUSED):
            continue
        path = (bundle / name).resolve()
        if not path.is_relative_to(bundle.resolve()):
            raise IndexingFailed(f"Pagefind named a file outside its folder: {name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file["content"])


class _PromptService(PagefindService):
    """Pagefind's service, its replies read as soon as they come.

    The wrapper's own reader (pagefind 1.5.2, ``_wait_for_responses``) sleeps 0.1 s before
    reading each reply: 0.1 s per page or record, nearly three hours for 100,000 entries. This
    reads the same replies (base64 JSON, each ended by a comma) without the pause, and settles
    each request's future as the wrapper does.
    """

    async def _wait_for_responses(self) -> None:
        replies = self._backend.stdout
        assert replies is not None
        while True:
            try:
                reply = json.loads(base64.b64decode(await _next_reply(replies)))
            except asyncio.IncompleteReadError:  # the service has ended
                return
            if reply is None:
                continue
            payload = reply["payload"]
            message_id = reply.get("message_id")
            if message_id is None and payload.get("original_message"):  # a request it could not read
                message_id = json.loads(payload["original_message"]).get("message_id")
            future = self._responses.get(message_id) if message_id is not None else None
            if future is None or future.done():
                continue
            if payload["type"] == "Error":
                future.set_exception(IndexingFailed(f"Pagefind: {payload.get('message', payload)}"))
            else:
                future.set_result(payload)

    async def close(self) -> None:
        """End the service: with its input closed, it exits. (The wrapper's close() waits up to
        5 s for replies this reader has already settled.)"""
        if self._backend.stdin is not None:
            self._backend.stdin.close()
        try:
            await asyncio.wait_for(self._backend.wait(), _ENDING_SECONDS)
        except TimeoutError:
            self._backend.terminate()
            await self._backend.wait()
        finally:
            self._poll_task.cancel()


async def _next_reply(replies: asyncio.StreamReader) -> bytes:
    """The next reply's bytes, without the comma that ends it. A reply may be far longer than the
    stream's buffer (GetFiles carries the whole index): it is read in as many pieces as it takes.
    """
    pieces: list[bytes] = []
    while True:
        try:
            pieces.append((await replies.readuntil(b","))[:-1])
            return b"".join(pieces)
        except asyncio.LimitOverrunError as error:  # no comma in the buffer yet: keep what is there
            pieces.append(await replies.readexactly(error.consumed))


#: Pages that mark what to index; when any page has it, Pagefind indexes only those pages.
_BODY_MARK = "data-pagefind-body"


def _pages_to_crawl(site_dir: Path, recorded: set[str]) -> Iterator[tuple[str, str]]:
    """(address, text as Pagefind should read it) of each page it would index: those with
    data-pagefind-body, or every page when none has it, read through sentence_ends; a page at
    a record's address is not read at all."""
    unmarked: list[tuple[str, Path]] = []
    marked = False
    for page in sorted(site_dir.rglob("*.html")):
        path = page.relative_to(site_dir).as_posix()
        url = _address(path)
        if url in recorded or path.startswith("pagefind/"):
            continue
        text = page.read_text(encoding="utf-8", errors="surrogateescape")
        body = text.find(_BODY_MARK)
        if body < 0:
            unmarked.append((url, page))
            continue
        marked = True
        # Only what follows the mark can be indexed: the header and navigation before it
        # (half a page, or more) are handed over as they are, which keeps this quick.
        yield url, text[:body] + sentence_ends(text[body:])
    if not marked:
        for url, page in unmarked:
            yield url, sentence_ends(page.read_text(encoding="utf-8", errors="surrogateescape"))


def _address(path: str) -> str:
    """A page's address from the site's root, as Pagefind gives a crawled page's: ``/guides/``
    for guides/index.html, ``/404.html`` for 404.html."""
    return "/" + (path.removesuffix("index.html") if path.rsplit("/", 1)[-1] == "index.html" else path)
