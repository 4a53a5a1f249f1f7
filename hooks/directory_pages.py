"""MkDocs hook: check the directory CSVs, then add the directory's pages, exports and badges.

Thin by design: the rules live in the ``directory`` package and are tested there.
The data is checked in ``on_pre_build``, which MkDocs runs before it cleans the
site directory, so bad data stops the build with the previous site intact.
"""

from __future__ import annotations

import logging
from itertools import chain
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from directory.badges import badge_files
from directory.build_date import build_date
from directory.check_report import IACET_PROVIDER_URL
from directory.exports import export_files
from directory.freshness import freshness
from directory.history import Change, load_history
from directory.pages import SiteOptions, directory_pages, template_environment
from directory.records import Directory
from directory.schema import Schema, load_schema
from directory.status import provider_statuses
from directory.validate import errors, validate_directory

log = logging.getLogger("mkdocs.hooks.directory")
Histories = dict[tuple[str, tuple[str, ...]], list[Change]] | None
_loaded: tuple[Schema, Directory, SiteOptions, Histories] | None = None
#: Page bodies by source path, put in after Markdown has run (see GeneratedPage).
_bodies: dict[str, str] = {}


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
    settings = config.extra["openceu"]
    options = SiteOptions(
        today=build_date(),
        per_page=int(settings.get("entries_per_page", 100)),
        repository=settings.get("repository", ""),
        iacet_directory_url=settings.get("iacet_directory_url", ""),
        iacet_provider_url=settings.get("iacet_provider_url", IACET_PROVIDER_URL),
        site_url=config.site_url or "",
    )
    histories = load_history(data_dir, schema)
    # Every page's footer says when the site was built and when its data last changed.
    config.extra["openceu_freshness"] = freshness(options.today, histories, directory.entries)
    _loaded = (schema, directory, options, histories)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _loaded is None:  # on_pre_build raised; MkDocs stops before this point
        raise PluginError("directory data was not loaded")
    schema, directory, options, histories = _loaded
    env = template_environment(Path(config.theme.custom_dir or "") / "directory")
    statuses = provider_statuses(directory, options.today, options.iacet_provider_url)
    pages = chain(
        directory_pages(directory, schema, env, options, histories),
        export_files(directory, schema, options.today, options.site_url, statuses),
        badge_files(directory, options.today, statuses),
    )
    _bodies.clear()
    for page in pages:
        files.append(File.generated(config, page.src_uri, content=page.content))
        if page.html:
            _bodies[page.src_uri] = page.html
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _bodies.pop(page.file.src_uri, html)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Live reload when the data or the engine changes, not only the Markdown."""
    root = Path(config.config_file_path).parent
    server.watch(str(_data_dir(config)))
    server.watch(str(root / "calc"))
    return server
