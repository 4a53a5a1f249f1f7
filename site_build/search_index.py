"""Index the built site with Pagefind, so search works the same at any size.

Pagefind writes a chunked index to ``<site>/pagefind/``; a query downloads only
the fragments it needs, unlike an index shipped whole to every page.

It reads the pages through ``sentence_ends``: a search result's excerpt is a window of
words Pagefind cuts from a page's text, and without a full stop after each table cell,
fact and list item one row's last words read as the start of the next (a body's source
address followed by the next body's name, as if it were that body's source). The pages
themselves are not changed: Pagefind reads copies, and writes its index into the site.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
from pathlib import Path


class IndexingFailed(RuntimeError):
    pass


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


def sentence_ends(page: str) -> str:
    """``page`` with a full stop after the last word of each ENDS_A_SENTENCE element that has
    none, and a space before its end tag, so no block's words run into the next block's.

    For Pagefind's eyes only. The full stop goes after the inline elements that close with the
    block, so the text of an inline element that Pagefind reads as a value (a result's place,
    ``<span data-pagefind-meta="place">``) stays as the page shows it; the blank space between
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
        stop = "" if tail.rstrip(_CLOSING).endswith(_STOPS) else "."
        end_tag = page.rfind("</", match.start(), match.end())
        inline_ends = _END_TAG.findall(page, last, end_tag)  # without the blank space between them
        out += [page[copied:last], *inline_ends, stop, " ", page[end_tag : match.end()]]
        copied = match.end()
    out.append(page[copied:])
    return "".join(out)


def index_site(site_dir: Path) -> None:
    # The copies go beside the site, on its disk (a large site's pages would fill a /tmp kept in
    # memory), named after it (site.new.index-…, which git ignores as it does site.new).
    with tempfile.TemporaryDirectory(prefix=f"{site_dir.name}.index-", dir=site_dir.parent) as scratch:
        _copy_for_indexing(site_dir, Path(scratch))
        command = [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            scratch,
            "--output-path",
            str(site_dir / "pagefind"),
            "--silent",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise IndexingFailed(f"Pagefind could not index {site_dir}: {detail}")


#: Pages that mark what to index; when any page has it, Pagefind indexes only those pages.
_BODY_MARK = "data-pagefind-body"


def _copy_for_indexing(site_dir: Path, copies: Path) -> None:
    """The site's pages as Pagefind should read them (sentence_ends), under ``copies``: only the
    pages it would index (those with data-pagefind-body, or every page when none has it)."""
    unmarked: list[Path] = []
    marked = False
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="surrogateescape")
        body = text.find(_BODY_MARK)
        if body < 0:
            unmarked.append(page)
            continue
        marked = True
        # Only what follows the mark can be indexed: the header and navigation before it (half a
        # profile page, or more) are copied as they are, which keeps this quick at any size.
        _write(copies / page.relative_to(site_dir), text[:body] + sentence_ends(text[body:]))
    if not marked:
        for page in unmarked:
            text = page.read_text(encoding="utf-8", errors="surrogateescape")
            _write(copies / page.relative_to(site_dir), sentence_ends(text))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
