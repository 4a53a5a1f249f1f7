"""Every directory page, as MkDocs documents: the plugin adds them as generated files, and
nothing is written into ``docs_dir``.

Each family of pages has its own module; this one only lists them, in the order they are
added: the home and its listings, a profile per entry, the pages by country and by credit
type and the acceptance matrix (directory/listing_pages.py, paginated by
directory/pagination.py), the downloads' page, and the changes with their feeds. Every page
reads one :class:`~directory.view.DirectoryView`, and is serialised by
:func:`~directory.site_files.markdown_page`.
"""

from __future__ import annotations

from collections.abc import Iterator

import jinja2

from directory.changes_pages import changes_files
from directory.export_page import export_index_page
from directory.listing_pages import country_pages, credit_type_pages, home_pages, matrix_pages
from directory.profile_pages import profile_pages
from directory.records import Directory
from directory.schema import Schema
from directory.site_files import GeneratedPage
from directory.view import DirectoryView, Histories, SiteOptions


def directory_pages(
    directory: Directory,
    schema: Schema,
    env: jinja2.Environment,
    options: SiteOptions,
    histories: Histories | None = None,
    *,
    view: DirectoryView | None = None,
) -> Iterator[GeneratedPage]:
    """Every directory page; ``view`` when the caller has already made it (the plugin shares one)."""
    view = view or DirectoryView.of(directory, schema, options, histories)
    yield from home_pages(view, env)
    yield from profile_pages(view, env)
    yield from country_pages(view, env)
    yield from credit_type_pages(view, env)
    yield from matrix_pages(view, env)
    yield export_index_page(directory, schema, env, options)
    yield from changes_files(view, env)
