"""MkDocs hook: check the directory CSVs, then add a listing and a profile per entry.

Thin by design: the rules live in the ``directory`` package and are tested there.
The data is checked in ``on_pre_build``, which MkDocs runs before it cleans the
site directory, so bad data stops the build with the previous site intact.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from directory.build_date import build_date
from directory.pages import directory_pages, template_environment
from directory.records import Directory
from directory.schema import Schema, load_schema
from directory.validate import errors, validate_directory

log = logging.getLogger("mkdocs.hooks.directory")
_loaded: tuple[Schema, Directory] | None = None


def _data_dir(config: MkDocsConfig) -> Path:
    data_dir: str = config.extra["openceu"]["data_dir"]
    return Path(config.config_file_path).parent / data_dir


def on_pre_build(config: MkDocsConfig) -> None:
    global _loaded
    _loaded = None
    data_dir = _data_dir(config)
    allow_synthetic = bool(config.extra["openceu"].get("allow_synthetic", False))
    try:
        schema = load_schema(data_dir)
        directory = validate_directory(data_dir, schema, build_date(), allow_synthetic=allow_synthetic)
    except (OSError, ValueError, KeyError) as error:
        raise PluginError(f"directory data in {data_dir}: {error}") from error
    for warning in (p for p in directory.problems if p.severity == "warning"):
        log.info("%s/%s", data_dir.name, warning)
    if problems := errors(directory):
        listing = "\n".join(f"  {data_dir.name}/{problem}" for problem in problems)
        raise PluginError(f"the directory data has {len(problems)} problem(s):\n{listing}")
    _loaded = (schema, directory)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _loaded is None:  # on_pre_build raised; MkDocs stops before this point
        raise PluginError("directory data was not loaded")
    schema, directory = _loaded
    env = template_environment(Path(config.theme.custom_dir or "") / "directory")
    per_page = int(config.extra["openceu"].get("entries_per_page", 100))
    for page in directory_pages(directory, schema, env, per_page):
        files.append(File.generated(config, page.src_uri, content=page.content))
    return files


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Live reload when the data or the engine changes, not only the Markdown."""
    root = Path(config.config_file_path).parent
    server.watch(str(_data_dir(config)))
    server.watch(str(root / "calc"))
    return server
