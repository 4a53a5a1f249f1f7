"""MkDocs hook: replace ```openceu blocks and {{openceu ...}} figures with what the engine
computes (site_build.embeds.expand).

A block or figure the engine cannot compute stops the build with the page and line, so a
wrong worked example never reaches the site.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from calc.conversions import parse_credit_systems
from calc.errors import CreditInputError
from calc.policy import CreditSystem
from site_build.embeds import EmbedError, expand

_systems: tuple[CreditSystem, ...] = ()


def on_pre_build(config: MkDocsConfig) -> None:
    global _systems
    data_dir = Path(config.config_file_path).parent / config.extra["openceu"]["data_dir"]
    try:
        _systems = parse_credit_systems((data_dir / "credit_systems.csv").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, CreditInputError) as error:
        # The directory hook reports the table's problems first, at their lines; this is a backstop.
        raise PluginError(f"directory data in {data_dir}: {error}") from error


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = page.file.content_string
    # Lines of front matter MkDocs took off the top, so messages name the file's own lines.
    skipped = source.count("\n", 0, len(source) - len(markdown)) if source.endswith(markdown) else 0
    try:
        return expand(markdown, _systems, page.file.src_uri)
    except EmbedError as error:
        raise PluginError(f"{page.file.src_uri}:{skipped + error.line}: {error.message}") from error
