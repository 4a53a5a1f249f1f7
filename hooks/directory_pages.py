"""MkDocs hook: check the directory CSVs, then add the directory's pages, exports and badges.

Thin by design: the rules live in the ``directory`` package and are tested there.
The data is checked in ``on_pre_build``, which MkDocs runs before it cleans the
site directory, so bad data stops the build with the previous site intact. That
includes files that are not what they seem (a table that is a symbolic link, a named
pipe, a file over its size: directory/data_files.py), judged before a byte is read; this
hook runs before the other hooks that read the data folder (mkdocs.yml lists it first).
"""

from __future__ import annotations

import dataclasses
import logging
from itertools import chain
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from directory.answers import ANSWER_PAGE, answer_files
from directory.badges import badge_files
from directory.build_date import build_date
from directory.check_report import IACET_PROVIDER_URL
from directory.exports import export_files
from directory.freshness import freshness
from directory.history import Change, load_history
from directory.pages import DirectoryView, SiteOptions, directory_pages, search_filters, template_environment
from directory.records import Directory, count_problems
from directory.schema import Schema, load_schema
from directory.site_files import GeneratedPage
from directory.validate import errors, validate_directory

log = logging.getLogger("mkdocs.hooks.directory")
Histories = dict[tuple[str, tuple[str, ...]], list[Change]] | None
_loaded: tuple[Schema, Directory, SiteOptions, Histories] | None = None
#: Pages with a body, by source path: put in after Markdown has run (see GeneratedPage).
_bodies: dict[str, GeneratedPage] = {}
#: Bodies made only when their page is written (GeneratedPage.render), by source path.
_deferred: dict[str, GeneratedPage] = {}
#: Where a deferred body goes in the written page. It names "<h1" because the body brings its
#: own heading, and Material adds the page title as one when the content holds none.
BODY_MARK = "<!-- openceu: this body, with its own <h1>, is rendered when the page is written -->"


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
        raise PluginError(f"the directory data has {count_problems(problems)} problem(s):\n{listing}")
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
    # The search page offers the directory search's filters, with the same legends and names.
    listed = {table.key for table in schema.listed}
    config.extra["openceu_search_filters"] = search_filters(e for e in directory.entries if e.table in listed)
    _loaded = (schema, directory, options, histories)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _loaded is None:  # on_pre_build raised; MkDocs stops before this point
        raise PluginError("directory data was not loaded")
    schema, directory, options, histories = _loaded
    # Profiles link other pages of the site only when the build has them; this hook writes the
    # "Will this count?" page itself (answer_files, below).
    pages_of_site = {file.src_uri for file in files.documentation_pages()} | {ANSWER_PAGE}
    options = dataclasses.replace(options, site_pages=frozenset(pages_of_site))
    env = template_environment(Path(config.theme.custom_dir or "") / "directory")
    # One view: every page, the answers, the exports and the badges read the same statuses.
    view = DirectoryView.of(directory, schema, options, histories)
    try:
        answers = list(answer_files(view, env))
    except ValueError as error:
        raise PluginError(f"the answer page: {error}") from error
    pages = chain(
        directory_pages(directory, schema, env, options, histories, view=view),
        answers,
        export_files(directory, schema, options.today, options.site_url, view.statuses),
        badge_files(directory, options.today, view.statuses),
    )
    _bodies.clear()
    _deferred.clear()
    for page in pages:
        files.append(File.generated(config, page.src_uri, content=page.content))
        if page.html or page.render:
            _bodies[page.src_uri] = page
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    generated = _bodies.pop(page.file.src_uri, None)
    if generated is None:
        return html
    if generated.render is None:
        return generated.html
    _deferred[page.file.src_uri] = generated
    return BODY_MARK


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    generated = _deferred.pop(page.file.src_uri, None)
    return output if generated is None else output.replace(BODY_MARK, generated.body(), 1)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Live reload when the data or the engine changes, not only the Markdown."""
    root = Path(config.config_file_path).parent
    server.watch(str(_data_dir(config)))
    server.watch(str(root / "calc"))
    return server
