"""MkDocs hook: replace ```openceu blocks and {{openceu ...}} figures with what the engine
computes (calculators.embeds).

A block or figure the engine cannot compute stops the build with the page and line, so a
wrong worked example never reaches the site.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from calc.conversions import parse_credit_systems
from calc.policy import CreditSystem
from calculators.embeds import INLINE, EmbedError, inline, render

_BLOCK = re.compile(r"^```openceu[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_systems: tuple[CreditSystem, ...] = ()


def on_pre_build(config: MkDocsConfig) -> None:
    global _systems
    data_dir = Path(config.config_file_path).parent / config.extra["openceu"]["data_dir"]
    _systems = parse_credit_systems((data_dir / "credit_systems.csv").read_text(encoding="utf-8"))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = page.file.content_string
    # Lines of front matter MkDocs took off the top, so messages name the file's own lines.
    skipped = source.count("\n", 0, len(source) - len(markdown)) if source.endswith(markdown) else 0

    def replace(match: re.Match[str]) -> str:
        try:
            return render(match.group(1), _systems, page.file.src_uri)
        except EmbedError as error:
            line = skipped + markdown.count("\n", 0, match.start()) + 1 + error.line
            raise PluginError(f"{page.file.src_uri}:{line}: {error.message}") from error

    def replace_inline(match: re.Match[str]) -> str:
        try:
            return inline(match.group("text"), _systems)
        except EmbedError as error:
            line = skipped + markdown.count("\n", 0, match.start()) + 1
            raise PluginError(f"{page.file.src_uri}:{line}: {error.message}") from error

    return INLINE.sub(replace_inline, _BLOCK.sub(replace, markdown))
