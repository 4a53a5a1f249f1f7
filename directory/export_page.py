"""/directory/export/: the page that lists the downloads, each with what it holds and its size."""

from __future__ import annotations

import jinja2

from directory.exports import export_catalogue
from directory.page_parts import EXPORT_INDEX, section_links
from directory.records import Directory
from directory.schema import Schema
from directory.site_files import GeneratedPage, markdown_page, relative_url
from directory.view import SiteOptions

EXPORT_TITLE = "Download the directory"


def export_index_page(
    directory: Directory, schema: Schema, env: jinja2.Environment, options: SiteOptions
) -> GeneratedPage:
    """/directory/export/: each export with what it holds, how much, and a link."""
    files = [
        {
            "name": export.path.rsplit("/", 1)[-1],
            "url": relative_url(EXPORT_INDEX, export.path),
            "description": export.description,
            "size": export.size,
            "download": export.download,
        }
        for export in export_catalogue(directory, schema)
    ]
    body = env.get_template("exports.html").render(
        title=EXPORT_TITLE,
        files=files,
        today=options.today.isoformat(),
        links=section_links(EXPORT_INDEX),
    )
    return markdown_page(EXPORT_INDEX, EXPORT_TITLE, body)
