"""Many pages of one kind written from one page the theme rendered: a shell.

A directory profile is one template over one record, and 100,000 of them differ from each other
only in their title, their address and their body: the theme's header, navigation and footer
are the same for every page at the same depth. Rendering the theme once per page is most of
what a build of the directory costs (the navigation alone is half of it). So the build has the
theme render one page per kind, the shell, whose title, address and body are marks, and writes
each page of that kind by putting its own in their place: what the theme would have written,
at the cost of joining strings.

The shell's title is ``<b>TITLE_MARK</b>``: where the theme prints a title as it is (the page's
header), the tags are there; where it prints its text (``<title>``, tags stripped, then
escaped), they are not. A place the theme shows in a third way (a title cut short, made into
an id) is left over as a mark, and refused; tests/build/test_directory_snapshot.py compares
pages written this way with pages the theme wrote one by one, names full of markup included.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from markupsafe import Markup, escape

#: The shell's slug: the last part of its address, where a page's own goes. Two hyphens make it
#: a name no directory entry can have (ids are slugs with single hyphens).
SLUG = "openceu--shell"
#: The shell's title, with tags so the theme's uses of it can be told apart.
TITLE_MARK = "OPENCEU-SHELL-TITLE"
TITLE = f"<b>{TITLE_MARK}</b>"


#: Elements whose blank space may be content (scripts and styles: a line comment ends at a
#: line's end); blank space elsewhere shows as one space whatever its length.
_KEEP_SPACE = re.compile(r"(<(script|style|pre|textarea)\b.*?</\2\s*>)", re.S | re.I)
_BLANK = re.compile(r"\s{2,}")


def compact(page: str) -> str:
    """``page`` with each run of blank space outside scripts, styles and preformatted text made
    one character (a line break if it held one): the same page to a reader, a third smaller for
    the theme's indented templates. A shell is compacted once for all the pages of its kind."""
    pieces = _KEEP_SPACE.split(page)
    # split() gives text, then each kept element and its tag name, then text again.
    out = []
    for index, piece in enumerate(pieces):
        kind = index % 3
        if kind == 0:
            out.append(_BLANK.sub(lambda m: "\n" if "\n" in m.group(0) else " ", piece))
        elif kind == 1:
            out.append(piece)
    return "".join(out)


class Slot(Enum):
    """A place in the shell where each page puts its own."""

    #: The title as given (the theme prints page titles unescaped: given escaped).
    TITLE = "title"
    #: The title's text, tags stripped and escaped: the ``<title>`` of this site's theme
    #: (site_src/main.html, ``page.title | striptags | e``).
    TITLE_TEXT = "title text"
    SLUG = "slug"
    BODY = "body"


class ShellError(ValueError):
    """The theme's page is not one pages can be filled into."""


@dataclass(frozen=True)
class PageShell:
    """The theme's page in pieces: ``texts`` around ``slots`` (one more text than slots)."""

    texts: tuple[str, ...]
    slots: tuple[Slot, ...]

    @classmethod
    def of(cls, page: str, body_mark: str) -> PageShell:
        """The shell in the theme's rendering of the page titled :data:`TITLE` at the :data:`SLUG`
        address, whose body is ``body_mark``."""
        page = compact(page)
        if page.count(body_mark) != 1:
            raise ShellError(f"the shell holds its body mark {page.count(body_mark)} times, not once")
        # TITLE before TITLE_MARK, which it holds: the alternation takes the first that matches.
        marks = {TITLE: Slot.TITLE, TITLE_MARK: Slot.TITLE_TEXT, SLUG: Slot.SLUG, body_mark: Slot.BODY}
        patterns = {mark: re.escape(mark) for mark in marks}
        # The title's text, but not the title escaped whole (its tags as text around the mark),
        # which is left over and refused below.
        patterns[TITLE_MARK] = r"(?<!&gt;)(?<!&#62;)(?<!&#x3e;)" + re.escape(TITLE_MARK)
        pieces = re.split("(" + "|".join(patterns.values()) + ")", page)
        texts, slots = tuple(pieces[0::2]), tuple(marks[mark] for mark in pieces[1::2])
        for text in texts:
            for mark in (TITLE_MARK, SLUG.upper(), "OPENCEU-SHELL"):
                if mark in text.upper():
                    raise ShellError(
                        f"the theme shows the shell's title or address in a way it cannot fill: {text[-200:]!r}"
                    )
        return cls(texts, slots)

    def fill(self, *, title: str, slug: str, body: str) -> str:
        """The page titled ``title`` (as the theme is given it) at ``slug`` with ``body``."""
        values = {
            Slot.TITLE: title,
            Slot.TITLE_TEXT: escape(Markup(title).striptags()),
            Slot.SLUG: slug,
            Slot.BODY: body,
        }
        out = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:], strict=True):
            out += (values[slot], text)
        return "".join(out)


def sitemap_with(sitemap: str, shells: dict[str, list[str]]) -> str:
    """``sitemap`` with each shell's entry (by its address) replaced by one per slug given: the
    pages written from that shell have the entry MkDocs would have written for them."""
    for address, slugs in shells.items():
        entry = re.search(rf"[ \t]*<url>\s*<loc>[^<]*{re.escape(address)}</loc>.*?</url>\n?", sitemap, re.S)
        if entry is None:
            raise ShellError(f"the sitemap has no entry for {address}")
        shell_entry = entry.group(0)
        pages = "".join(shell_entry.replace(SLUG, slug) for slug in slugs)
        sitemap = sitemap[: entry.start()] + pages + sitemap[entry.end() :]
    return sitemap


#: The shell's Markdown source: its title; its body is put in after Markdown has run.
SOURCE = f'---\ntitle: "{TITLE}"\n---\n'


def write_pages(
    shell: PageShell, site_dir: Path, shell_dest: str, pages: Iterable[tuple[str, str, Callable[[], str]]]
) -> list[str]:
    """Each page of ``pages`` (slug, title, body), written where the shell's ``shell_dest`` is
    with the page's slug for the shell's; the slugs written, in order. Pages are encoded as the
    theme's pages are written (a character UTF-8 cannot hold, a lone surrogate, as a reference)."""
    written = []
    for slug, title, body in pages:
        path = site_dir / shell_dest.replace(SLUG, slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(shell.fill(title=title, slug=slug, body=body()).encode("utf-8", "xmlcharrefreplace"))
        written.append(slug)
    return written


def rewrite_sitemap(site_dir: Path, shells: dict[str, list[str]], mtime: int) -> None:
    """The site's sitemap (and its gzipped copy, stamped ``mtime``) with each shell's entry
    replaced by those of the pages written from it (:func:`sitemap_with`)."""
    sitemap = site_dir / "sitemap.xml"
    if not shells or not sitemap.is_file():
        return
    text = sitemap_with(sitemap.read_text(encoding="utf-8"), shells)
    sitemap.write_text(text, encoding="utf-8")
    with (
        (site_dir / "sitemap.xml.gz").open("wb") as file,
        gzip.GzipFile(fileobj=file, filename=f"{sitemap}.gz", mode="wb", mtime=mtime) as compressed,
    ):
        compressed.write(text.encode("utf-8"))
