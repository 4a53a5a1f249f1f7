"""MkDocs hook: build for the address the site is published at; write robots.txt, _headers and sw.js.

``OPENCEU_SITE_URL`` (the deploy workflow sets it) replaces mkdocs.yml's local
``site_url``, so canonical links, the sitemap, badge snippets and exports name the real
address. The rules live in ``site_build`` (site_address, host_files, content_policy).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from site_build.content_policy import page_kind
from site_build.host_files import content_hashed_paths, headers_file, robots_txt
from site_build.offline import (
    OFFLINE_PAGE,
    REGISTRATION,
    SERVICE_WORKER,
    build_version,
    file_facts,
    page_needs,
    precache_paths,
    service_worker,
)
from site_build.site_address import ENVIRONMENT_VARIABLE, SiteAddressError, configured_address, path_prefix

log = logging.getLogger("mkdocs.hooks.publishing")
_serving = False
#: Each built page's URL and its policy kind (front matter `csp:`), for _headers.
_page_kinds: dict[str, str] = {}
#: Pages of these kinds (the calculators, which run Python) work offline after one visit:
#: opening one saves them all. Templates read it as extra.openceu.offline_kinds.
OFFLINE_KINDS = ("python", "worker")


#: The styles mkdocstrings writes for the pages it generates (its plugin's css_filename).
REFERENCE_STYLES = "assets/_mkdocstrings.css"


def on_startup(command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        address = configured_address(os.environ)
    except SiteAddressError as error:
        raise PluginError(str(error)) from error
    if address is None:
        log.info("Building for %s (set %s for the published address)", config.site_url, ENVIRONMENT_VARIABLE)
    elif _serving:  # the development server always serves its own address
        log.info("%s is not used by mkdocs serve", ENVIRONMENT_VARIABLE)
    else:
        config.site_url = address
    if not _serving:  # a development server's pages change under it: no offline copy of them
        config.extra_javascript.append(REGISTRATION)
    # mkdocstrings adds its styles to every page; only the engine reference uses them, and
    # names them itself (front matter `stylesheet`), so no other page waits for them.
    config.extra_css = [css for css in config.extra_css if css != REFERENCE_STYLES]
    config.extra["openceu"]["offline_kinds"] = list(OFFLINE_KINDS)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    _page_kinds.clear()


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
    try:
        _page_kinds[page.url] = page_kind(page.meta.get("csp"), config.extra["openceu"]["csp"])
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error
    return context


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    site_url = config.site_url or ""
    if site_url:
        (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
    files = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    # Pyodide's and PyScript's folders, named by version (hooks/browser_runtime.py sets them).
    versioned = list(config.extra["openceu"]["runtime"].values())
    try:
        headers = headers_file(
            path_prefix(site_url or "/"),
            config.extra["openceu"]["csp"],
            _page_kinds,
            content_hashed_paths(files, versioned),
            versioned,
        )
    except ValueError as error:
        raise PluginError(f"_headers: {error}") from error
    (site_dir / "_headers").write_text(headers, encoding="utf-8")
    if not _serving:
        if OFFLINE_PAGE not in _page_kinds:
            raise PluginError(
                f"no page at {OFFLINE_PAGE} (content/offline.md): the service worker shows it offline"
            )
        offline = sorted(url for url, kind in _page_kinds.items() if kind in OFFLINE_KINDS)
        paths = precache_paths(site_dir, offline, versioned)
        shell = sorted(page_needs(site_dir, OFFLINE_PAGE))
        worker = service_worker(
            build_version(site_dir, {*paths, *shell}),
            paths,
            shell=shell,
            pages=offline,
            files=file_facts(site_dir, {*paths, *shell}),
        )
        (site_dir / SERVICE_WORKER).write_text(worker, encoding="utf-8")
