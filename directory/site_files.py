"""The files the directory adds to the built site: what one is, how a page is written, where
each sits, and the links between them.

Pages, badges and exports all name each other's files (a profile links its badge and
its JSON; an export names the profile's URL), so the paths live here, below all three,
and the dependency between them runs one way: pages -> exports -> badges -> here.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from directory.records import Entry
from site_build.page_shell import SLUG as SHELL_SLUG

DIRECTORY_ROOT = "directory"
EXPORT_ROOT = f"{DIRECTORY_ROOT}/export"


@dataclass(frozen=True)
class GeneratedPage:
    """A file the build adds. For a Markdown page ``content`` is only its front matter
    and ``html`` its body, which the plugin puts in after Markdown has run: Python-Markdown
    would otherwise re-parse every tag of 100,000 bodies of plain HTML. A page may give
    ``render`` instead, to make its body only when the page is written (profiles do, so
    a build never holds every body at once)."""

    src_uri: str
    content: str
    html: str = ""
    render: Callable[[], str] | None = None
    #: A page written by putting its ``title`` and body into a page of its kind the theme
    #: rendered once (``shell``: that page's source path; site_build/page_shell.py), rather
    #: than by MkDocs page by page: profiles, 100,000 of which differ only in those.
    shell: str | None = None
    title: str = ""

    def body(self) -> str:
        return self.render().strip() + "\n" if self.render else self.html

    @property
    def slug(self) -> str:
        """The last part of the page's address (a profile's entry id), which a shell's takes."""
        return self.src_uri.rpartition("/")[2].removesuffix(".md")


def markdown_page(
    src_uri: str,
    title: str,
    body: str | Callable[[], str],
    *,
    search_index: bool = True,
    extra: dict[str, str] | None = None,
    shell: str | None = None,
) -> GeneratedPage:
    """A Markdown page: front matter of YAML double-quoted strings and a body of HTML (or
    what renders it, when the page is written), written through ``shell`` when given.

    The title is HTML-escaped because Material prints page titles unescaped.
    """
    title = html.escape(title, quote=False)
    front = [f"title: {yaml_string(title)}"]
    if not search_index:
        front.append("search_index: false")
    for key, value in (extra or {}).items():
        front.append(f"{key}: {yaml_string(value)}")
    content = "---\n" + "\n".join(front) + "\n---\n"
    if callable(body):
        return GeneratedPage(src_uri, content, render=body, shell=shell, title=title)
    return GeneratedPage(src_uri, content, body.strip() + "\n", shell=shell, title=title)


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar of printable ASCII, whatever it holds.

    Like JSON's quoting for most text, but a character beyond U+FFFF is written as YAML's
    ``\\U0001F680``: JSON's surrogate pair (``\\ud83d\\ude80``) reads back in YAML as two
    lone surrogates, and MkDocs then drops the title for the file's name.
    """
    quoted = []
    for ch in text:
        if ch in '"\\':
            quoted.append("\\" + ch)
        elif " " <= ch <= "~":
            quoted.append(ch)
        elif ord(ch) <= 0xFFFF:
            quoted.append(f"\\u{ord(ch):04x}")
        else:
            quoted.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(quoted) + '"'


def profile_uri(entry: Entry) -> str:
    """Source path of an entry's profile; MkDocs serves it at /directory/<table>/<id>/."""
    return f"{DIRECTORY_ROOT}/{entry.table}/{entry.id}.md"


def profile_shell_uri(table: str) -> str:
    """Source path of the page the theme renders once for a table's profiles, at their depth."""
    return f"{DIRECTORY_ROOT}/{table}/{SHELL_SLUG}.md"


def listing_uri(page_number: int, section: str = "") -> str:
    """A paginated listing: the directory home, or a section such as ``country/us``."""
    base = f"{DIRECTORY_ROOT}/{section}/" if section else f"{DIRECTORY_ROOT}/"
    return f"{base}index.md" if page_number == 1 else f"{base}page/{page_number}.md"


def badge_uri(entry: Entry) -> str:
    """Where the badge sits in the built site: beside the profile page's index.html."""
    return f"{DIRECTORY_ROOT}/{entry.table}/{entry.id}/badge.svg"


def json_uri(entry: Entry) -> str:
    """The entry's JSON document in the built site, beside its profile page."""
    return f"{DIRECTORY_ROOT}/{entry.table}/{entry.id}.json"


def page_url(src_uri: str) -> str:
    """The directory URL a source path is served at (use_directory_urls)."""
    stem = src_uri.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def relative_url(from_src_uri: str, to_path: str) -> str:
    """A link between generated files, relative so the site works under any prefix.

    ``to_path`` is a Markdown source path (served as a directory URL) or any other
    site file such as ``directory/export/providers.csv``.
    """
    depth = page_url(from_src_uri).count("/")
    target = page_url(to_path) if to_path.endswith(".md") else to_path
    return "../" * depth + target


def absolute_url(site_url: str, path: str) -> str:
    """``path`` (relative to the site root) under ``site_url``, which may carry a path prefix.

    An empty ``site_url`` gives a root-relative URL.
    """
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def profile_url(entry: Entry, site_url: str) -> str:
    """The absolute URL of an entry's profile page (``/directory/<table>/<id>/``)."""
    return absolute_url(site_url, page_url(profile_uri(entry)))


def badge_url(entry: Entry, site_url: str) -> str:
    return absolute_url(site_url, badge_uri(entry))
