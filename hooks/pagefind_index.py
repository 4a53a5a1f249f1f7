"""MkDocs hook: index the finished site with Pagefind (builds and `mkdocs serve` alike)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from site_build.search_index import IndexingFailed, index_site


def on_post_build(config: MkDocsConfig) -> None:
    try:
        index_site(Path(config.site_dir))
    except IndexingFailed as error:
        raise PluginError(str(error)) from error
