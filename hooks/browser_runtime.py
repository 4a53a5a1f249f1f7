"""MkDocs hook: copy Pyodide, PyScript, the zipped engine and calculators into the built site."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from site_build.runtime import RuntimeMissing, install_runtime


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
