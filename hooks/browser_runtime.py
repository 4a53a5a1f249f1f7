"""MkDocs hook: copy Pyodide, PyScript, the zipped engine and calculators into the built site.

The PyScript configs that pages name (front matter ``python.config``) get an interpreter
address that works from any page under the site's path prefix (runtime.anchor_interpreter).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from site_build.runtime import RuntimeMissing, anchor_interpreter, install_runtime
from site_build.site_address import path_prefix

#: The PyScript configs named by the pages of this build (paths in the site).
_configs: set[str] = set()


def on_pre_build(config: MkDocsConfig) -> None:
    _configs.clear()


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
    python = page.meta.get("python")
    if isinstance(python, dict) and isinstance(python.get("config"), str):
        _configs.add(python["config"].lstrip("/"))
    return context


def on_post_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).parent
    try:
        install_runtime(
            site_dir=Path(config.site_dir),
            node_modules=root / "node_modules",
            engine_dir=root / "calc",
            calculators_dir=root / "calculators",
            data_dir=root / config.extra["openceu"]["data_dir"],
            glue_dir=Path(config.theme.custom_dir or "") / "assets" / "calculators",
        )
    except RuntimeMissing as error:
        raise PluginError(str(error)) from error
    prefix = path_prefix(config.site_url or "/")
    for name in sorted(_configs):
        path = Path(config.site_dir) / name
        try:
            path.write_text(
                anchor_interpreter(path.read_text(encoding="utf-8"), prefix + name), encoding="utf-8"
            )
        except (OSError, ValueError) as error:
            raise PluginError(f"the PyScript config {name}: {error}") from error
