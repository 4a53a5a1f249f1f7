"""What the build adds to the finished site folder: Pyodide, PyScript, the zipped engine,
calculators and validator, the credential kit; Pagefind's index; robots.txt, _headers and the
service worker.
Wiring only: the rules are in ``site_build``; this turns their errors into PluginError."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from site_build.credential_kit import build_credential_kit
from site_build.host_files import content_hashed_paths, headers_file, robots_txt
from site_build.offline import (
    OFFLINE_PAGE,
    SERVICE_WORKER,
    build_version,
    file_facts,
    page_needs,
    precache_paths,
    service_worker,
)
from site_build.runtime import (
    RuntimeMissing,
    RuntimePaths,
    install_directory_runtime,
    install_runtime,
    set_interpreter,
    without_unused_plugins,
)
from site_build.search_index import IndexingFailed, SearchRecord, index_site
from site_build.site_address import path_prefix

#: Pages of these kinds (the calculators, which run Python) work offline after one visit:
#: opening one saves them all.
OFFLINE_KINDS = ("python", "worker")


@dataclass(frozen=True)
class Folders:
    """Where the build reads from: the repository, its data folder and the theme folder."""

    root: Path
    data: Path
    theme: Path


def install_runtimes(
    site_dir: Path, folders: Folders, runtime: RuntimePaths, pyscript_configs: Set[str], site_url: str
) -> None:
    """Pyodide, PyScript, the zipped engine, calculators and validator, in the site; the
    PyScript configs the pages name get that Pyodide (at its absolute path) as their interpreter."""
    try:
        install_runtime(
            site_dir=site_dir,
            node_modules=folders.root / "node_modules",
            paths=runtime,
            engine_dir=folders.root / "calc",
            calculator_pages_dir=folders.root / "calculator_pages",
            certificates_dir=folders.root / "certificates",
            data_dir=folders.data,
            glue_dir=folders.theme / "assets" / "calculators",
        )
    except RuntimeMissing as error:
        raise PluginError(str(error)) from error
    interpreter = path_prefix(site_url or "/") + runtime.interpreter
    for name in sorted(pyscript_configs):
        path = site_dir / name
        try:
            text = set_interpreter(path.read_text(encoding="utf-8"), interpreter)
            path.write_text(without_unused_plugins(text), encoding="utf-8")
        except (OSError, ValueError) as error:
            raise PluginError(f"the PyScript config {name}: {error}") from error
    try:
        install_directory_runtime(
            site_dir=site_dir,
            package_dir=folders.root / "directory",
            data_dir=folders.data,
            glue_dir=folders.theme / "assets" / "directory",
        )
        # Issue 33: the certificate pages' kit (esbuild bundle of site_build/credential_kit_src/).
        build_credential_kit(folders.root, site_dir)
    except (RuntimeMissing, OSError) as error:
        raise PluginError(str(error)) from error


def index_for_search(site_dir: Path, records: Iterable[SearchRecord]) -> None:
    """Pagefind's index of the built pages and the directory's records (builds and `mkdocs
    serve` alike)."""
    try:
        index_site(site_dir, records)
    except IndexingFailed as error:
        raise PluginError(str(error)) from error


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site, as a path relative to it. (os.walk: Path.rglob with is_file
    took three times as long or more over a 4,000-file site, on every build and rebuild.)"""
    found = []
    for folder, _, names in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + name for name in names]
    return found


def write_host_files(
    site_dir: Path,
    site_url: str,
    policies: Mapping[str, str],
    page_kinds: Mapping[str, str],
    runtime: RuntimePaths,
    *,
    offline: bool,
) -> None:
    """robots.txt, _headers and, when the site is to work ``offline``, the service worker."""
    if site_url:
        (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
    files = site_files(site_dir)
    # Pyodide's and PyScript's folders, named by version.
    versioned = list(runtime.folders)
    try:
        headers = headers_file(
            path_prefix(site_url or "/"),
            policies,
            page_kinds,
            content_hashed_paths(files, versioned),
            versioned,
        )
    except ValueError as error:
        raise PluginError(f"_headers: {error}") from error
    (site_dir / "_headers").write_text(headers, encoding="utf-8")
    if not offline:
        return
    if OFFLINE_PAGE not in page_kinds:
        raise PluginError(
            f"no page at {OFFLINE_PAGE} (content/offline.md): the service worker shows it offline"
        )
    pages = sorted(url for url, kind in page_kinds.items() if kind in OFFLINE_KINDS)
    paths = precache_paths(site_dir, pages, versioned)
    shell = sorted(page_needs(site_dir, OFFLINE_PAGE))
    worker = service_worker(
        build_version(site_dir, {*paths, *shell}),
        paths,
        shell=shell,
        pages=pages,
        files=file_facts(site_dir, {*paths, *shell}),
    )
    (site_dir / SERVICE_WORKER).write_text(worker, encoding="utf-8")
