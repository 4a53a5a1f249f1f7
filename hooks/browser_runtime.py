"""MkDocs hook: copy Pyodide, PyScript, the zipped engine and calculators into the built site.

Pyodide and PyScript go to folders named by their version (runtime.runtime_paths), which
on_config puts in ``extra.openceu.runtime`` for the templates and the _headers file. The
PyScript configs that pages name (front matter ``python.config``) get the absolute path of
that Pyodide as their interpreter (runtime.set_interpreter).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from site_build.runtime import (
    RuntimeMissing,
    RuntimePaths,
    install_runtime,
    runtime_paths,
    set_interpreter,
    without_unused_plugins,
)
from site_build.site_address import path_prefix

#: The PyScript configs named by the pages of this build (paths in the site).
_configs: set[str] = set()


def _node_modules(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / "node_modules"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        paths = runtime_paths(_node_modules(config))
    except RuntimeMissing as error:
        raise PluginError(str(error)) from error
    config.extra["openceu"]["runtime"] = {"pyodide": paths.pyodide, "pyscript": paths.pyscript}
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    _configs.clear()


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
    python = page.meta.get("python")
    if isinstance(python, dict) and isinstance(python.get("config"), str):
        _configs.add(python["config"].lstrip("/"))
    return context


def on_post_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).parent
    paths = RuntimePaths(**config.extra["openceu"]["runtime"])
    try:
        install_runtime(
            site_dir=Path(config.site_dir),
            node_modules=_node_modules(config),
            paths=paths,
            engine_dir=root / "calc",
            calculators_dir=root / "calculators",
            data_dir=root / config.extra["openceu"]["data_dir"],
            glue_dir=Path(config.theme.custom_dir or "") / "assets" / "calculators",
        )
    except RuntimeMissing as error:
        raise PluginError(str(error)) from error
    interpreter = path_prefix(config.site_url or "/") + paths.interpreter
    for name in sorted(_configs):
        path = Path(config.site_dir) / name
        try:
            text = set_interpreter(path.read_text(encoding="utf-8"), interpreter)
            path.write_text(without_unused_plugins(text), encoding="utf-8")
        except (OSError, ValueError) as error:
            raise PluginError(f"the PyScript config {name}: {error}") from error
