"""MkDocs hook: a guide marked ``faq: true`` carries its questions as schema.org ``FAQPage``
data (site_build.structured_data). A guide that says it is a FAQ but has a heading that is
not a question stops the build, naming the page."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_build.structured_data import faq_page, json_ld_script


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.meta.get("faq"):
        return html
    try:
        return html + json_ld_script(faq_page(html))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: faq: true, but {error}") from error
