"""The ``openceu`` MkDocs plugin: the build's events, wired to the packages that hold the rules.

Each handler is a few lines that call ``directory``, ``calculator_pages`` and ``site_build`` (none
of which imports MkDocs) and keep what later events need on the plugin, for one build:

- the directory's data, checked before anything is written (on_pre_build), becomes its pages,
  answers, exports and badges from one view, so every one of them shows the statuses and
  checks computed once (on_files); its profiles are written from one page per table the theme
  renders (a shell, site_build/page_shell.py) rather than rendered one by one (on_post_page);
- a calculator page's wiring comes from its name (front matter ``calculator:``), and
  ```openceu blocks and {{openceu ...}} figures become what the engine computes (on_page_markdown);
- the Suggest an entry page and the validator it runs in the browser;
- schema.org FAQPage data on guides marked ``faq: true``;
- Pyodide, PyScript and the zipped engine copied into the site, Pagefind's index of it (the
  pages, and each directory entry as a record from the same view as its page), and
  robots.txt, _headers and the service worker for the finished site (on_post_build);
- under ``mkdocs serve``, the live-reload script allowed by the CSP, and a rebuild when the
  data, the engine or the validator changes.

Its settings are typed (hooks/config.py); the order of its handlers among other plugins' is
stated with ``event_priority`` beside each. The directory's wiring is in
hooks/directory_build.py, the site folder's in hooks/site_files.py.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_timestamp
from mkdocs.utils.templates import TemplateContext

from calc.policy import CreditSystem
from directory.freshness import Freshness, freshness
from directory.search_filters import RESULTS_PER_PAGE, search_filters
from directory.search_records import search_records
from directory.site_files import GeneratedPage, page_url
from directory.view import DirectoryView
from hooks.config import PLUGIN_NAME, OpenCEUConfig
from hooks.directory_build import DirectoryData, credit_systems, directory_files, load_directory, suggest_page
from hooks.site_files import OFFLINE_KINDS, Folders, index_for_search, install_runtimes, write_host_files
from site_build import page_shell
from site_build.calculator_wiring import page_wiring
from site_build.content_policy import allow_inline_scripts, page_kind
from site_build.embeds import EmbedError, expand
from site_build.offline import REGISTRATION
from site_build.runtime import RuntimeMissing, RuntimePaths, runtime_paths
from site_build.site_address import ENVIRONMENT_VARIABLE, SiteAddressError, configured_address
from site_build.structured_data import faq_page, json_ld_script

log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")

#: The styles mkdocstrings writes for the pages it generates (its plugin's css_filename).
REFERENCE_STYLES = "assets/_mkdocstrings.css"
#: Where a deferred body goes in the written page. It names "<h1" because the body brings its
#: own heading, and Material adds the page title as one when the content holds none.
BODY_MARK = "<!-- openceu: this body, with its own <h1>, is rendered when the page is written -->"
SUGGEST_URI = "directory/suggest.md"


@dataclass(frozen=True)
class TemplateFacts:
    """What the theme's templates read, as the global ``openceu`` (site_src/*.html)."""

    #: Content-Security-Policy by kind of page (front matter ``csp:``).
    csp: dict[str, str]
    #: Pyodide's and PyScript's folders in the site, named by their versions.
    runtime: RuntimePaths
    offline_kinds: tuple[str, ...]
    repository: str
    #: When the site was built and its data last changed (every page's footer).
    freshness: Freshness
    #: The directory search's filters, which the search page offers too.
    search_filters: list[dict[str, Any]]
    #: Results the search page shows at a time: the directory search's number (search.js reads it).
    results_per_page: int = RESULTS_PER_PAGE


@dataclass
class BuildState:
    """What one build's events hand to later ones; a new build starts a new one."""

    data: DirectoryData | None = None
    systems: tuple[CreditSystem, ...] = ()
    freshness: Freshness | None = None
    search_filters: list[dict[str, Any]] = field(default_factory=list)
    #: The directory's view (on_files), which its search records are made from (on_post_build).
    view: DirectoryView | None = None
    #: Pages whose body is put in after Markdown has run (see GeneratedPage), by source path.
    bodies: dict[str, GeneratedPage] = field(default_factory=dict)
    #: Bodies made only when their page is written (GeneratedPage.render), by source path.
    deferred: dict[str, GeneratedPage] = field(default_factory=dict)
    #: Pages written from a shell the theme renders once (GeneratedPage.shell), by the shell's
    #: source path.
    shells: dict[str, list[GeneratedPage]] = field(default_factory=dict)
    #: The Suggest page's form, put in after Markdown has run: it holds vocabulary labels from
    #: the data, which Markdown must never read (a label starting with ``` would be code).
    suggest_body: str | None = None
    #: The PyScript configs the pages name (front matter ``python.config``), paths in the site.
    pyscript_configs: set[str] = field(default_factory=set)
    #: Each built page's URL and its policy kind (front matter ``csp:``), for _headers.
    page_kinds: dict[str, str] = field(default_factory=dict)


class OpenCEUPlugin(BasePlugin[OpenCEUConfig]):
    def __init__(self) -> None:
        super().__init__()
        #: `mkdocs serve`: live reload under the CSP, and no offline copy of pages that change.
        self.serving = False
        self.policies: dict[str, str] = {}
        self.runtime: RuntimePaths | None = None
        self.state = BuildState()

    # ------------------------------------------------------------------ paths

    def folders(self, config: MkDocsConfig) -> Folders:
        root = Path(config.config_file_path).parent
        return Folders(root=root, data=root / self.config.data_dir, theme=Path(config.theme.custom_dir or ""))

    # ------------------------------------------------------------------ events

    # No order needed: it only records which command runs.
    @event_priority(0)
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    # Late: after mkdocstrings' on_config, which adds its stylesheet to every page (taken off here).
    @event_priority(-50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            address = configured_address(os.environ)
            self.runtime = runtime_paths(self.folders(config).root / "node_modules")
        except (SiteAddressError, RuntimeMissing) as error:
            raise PluginError(str(error)) from error
        if address is None:
            log.info(
                "Building for %s (set %s for the published address)", config.site_url, ENVIRONMENT_VARIABLE
            )
        elif self.serving:  # the development server always serves its own address
            log.info("%s is not used by mkdocs serve", ENVIRONMENT_VARIABLE)
        else:
            config.site_url = address
        if not self.serving:  # a development server's pages change under it: no offline copy of them
            config.extra_javascript.append(REGISTRATION)
        # Only the engine reference uses mkdocstrings' styles, and names them itself (front
        # matter `stylesheet`), so no other page waits for them.
        config.extra_css = [css for css in config.extra_css if css != REFERENCE_STYLES]
        policies = dict(self.config.csp)
        self.policies = (
            {k: allow_inline_scripts(p) for k, p in policies.items()} if self.serving else policies
        )
        return config

    # First: MkDocs runs on_pre_build before it cleans the site folder, so data that fails its
    # checks stops the build before any plugin has done work, with the previous site intact.
    @event_priority(100)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.state = BuildState()
        data_dir = self.folders(config).data
        data = load_directory(data_dir, self.config, config.site_url or "")
        # Every page's footer says when the site was built and when its data last changed; the
        # search page offers the directory search's filters, with the same legends and names.
        listed = {table.key for table in data.schema.listed}
        self.state = BuildState(
            data=data,
            systems=credit_systems(data_dir),
            freshness=freshness(data.options.today, data.histories, data.directory.entries),
            search_filters=search_filters(e for e in data.directory.entries if e.table in listed),
        )

    # No order needed among plugins: no other one adds or reads the directory's pages.
    @event_priority(0)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.state.data is None:  # on_pre_build raised; MkDocs stops before this point
            raise PluginError("directory data was not loaded")
        folders = self.folders(config)
        site_pages = {file.src_uri for file in files.documentation_pages()}
        self.state.view, pages = directory_files(self.state.data, site_pages, folders.theme)
        for page in pages:
            if page.shell is not None:  # written from its shell, once the theme has rendered that
                self.state.shells.setdefault(page.shell, []).append(page)
                continue
            files.append(File.generated(config, page.src_uri, content=page.content))
            if page.html or page.render:
                self.state.bodies[page.src_uri] = page
        for shell in self.state.shells:
            files.append(File.generated(config, shell, content=page_shell.SOURCE))
            self.state.bodies[shell] = GeneratedPage(shell, page_shell.SOURCE, html=BODY_MARK)
        content = suggest_page(self.config, folders.root, folders.theme)
        front, _, self.state.suggest_body = content.partition("\n---\n")
        files.append(File.generated(config, SUGGEST_URI, content=front + "\n---\n"))
        return files

    # No order needed: every plugin's on_page_markdown runs before Markdown does, and the
    # template and the page's policy kind are read only when the page is written.
    @event_priority(0)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        try:  # a calculator page names its calculator; its wiring is the registry's
            page.meta.update(page_wiring(page.meta))
        except ValueError as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from error
        source = page.file.content_string
        # Lines of front matter MkDocs took off the top, so messages name the file's own lines.
        skipped = source.count("\n", 0, len(source) - len(markdown)) if source.endswith(markdown) else 0
        try:
            return expand(markdown, self.state.systems, page.file.src_uri)
        except EmbedError as error:
            raise PluginError(f"{page.file.src_uri}:{skipped + error.line}: {error.message}") from error

    # Early: the generated bodies replace what Markdown made of their placeholder before
    # another plugin reads the page's HTML.
    @event_priority(50)
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = self.directory_body(html, page)
        if page.file.src_uri == SUGGEST_URI and self.state.suggest_body is not None:
            html = self.state.suggest_body
        return with_faq_data(html, page)

    # No order needed: the templates read this global only when pages are written, after on_env.
    @event_priority(0)
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.runtime is None or self.state.freshness is None:
            raise PluginError("the build's settings were not read")
        env.globals[PLUGIN_NAME] = TemplateFacts(
            csp=self.policies,
            runtime=self.runtime,
            offline_kinds=OFFLINE_KINDS,
            repository=self.config.repository,
            freshness=self.state.freshness,
            search_filters=self.state.search_filters,
        )
        return env

    # No order needed: it reads the page's front matter, which no plugin changes.
    @event_priority(0)
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        python = page.meta.get("python")
        if isinstance(python, dict) and isinstance(python.get("config"), str):
            self.state.pyscript_configs.add(python["config"].lstrip("/"))
        try:
            self.state.page_kinds[page.url] = page_kind(page.meta.get("csp"), self.policies)
        except ValueError as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from error
        return context

    # Late: the deferred body goes into the page after any other plugin has rewritten it, so
    # no plugin rewrites the data's text.
    @event_priority(-50)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if (written := self.state.shells.get(page.file.src_uri)) is not None:
            self.write_from_shell(output, page, written, Path(config.site_dir))
        generated = self.state.deferred.pop(page.file.src_uri, None)
        return output if generated is None else output.replace(BODY_MARK, generated.body(), 1)

    # Last: Pagefind indexes the finished pages, and _headers and the service worker list and
    # hash every file of the site, so every other plugin's files must be written first.
    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.runtime is None:
            raise PluginError("the build's settings were not read")
        site_dir, site_url = Path(config.site_dir), config.site_url or ""
        folders = self.folders(config)
        self.without_shells(site_dir)
        install_runtimes(site_dir, folders, self.runtime, self.state.pyscript_configs, site_url)
        # The directory's entries go in as records made from the view their pages came from.
        records = search_records(self.state.view) if self.state.view is not None else ()
        index_for_search(site_dir, records)
        # A development server's pages change under it: no offline copy of them.
        offline = not self.serving
        write_host_files(
            site_dir, site_url, self.policies, self.state.page_kinds, self.runtime, offline=offline
        )

    # No order needed: it only adds folders to watch.
    @event_priority(0)
    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """Live reload when the data, the engine or the validator (run from a zip) changes."""
        folders = self.folders(config)
        for folder in (folders.data, folders.root / "calc", folders.root / "directory"):
            server.watch(str(folder))
        return server

    def write_from_shell(self, output: str, shell: Page, pages: list[GeneratedPage], site_dir: Path) -> None:
        """The pages of the shell ``shell``, which the theme has just rendered as ``output``,
        written beside it; each has the shell's policy kind."""
        try:
            filled = page_shell.PageShell.of(output, BODY_MARK)
        except page_shell.ShellError as error:
            raise PluginError(f"{shell.file.src_uri}: {error}") from error
        kind = self.state.page_kinds.pop(shell.url)
        slugs = page_shell.write_pages(
            filled,
            site_dir,
            shell.file.dest_uri,
            ((page.slug, page.title, page.body) for page in pages),
        )
        for slug in slugs:
            self.state.page_kinds[shell.url.replace(page_shell.SLUG, slug)] = kind

    def without_shells(self, site_dir: Path) -> None:
        """The shells' own pages taken out of the site, and out of its sitemap, where the pages
        written from them go instead."""
        shells = {
            page_url(shell): [page.slug for page in pages] for shell, pages in self.state.shells.items()
        }
        for url in shells:
            page = site_dir / url / "index.html"
            page.unlink()
            page.parent.rmdir()
        try:
            page_shell.rewrite_sitemap(site_dir, shells, get_build_timestamp())
        except page_shell.ShellError as error:
            raise PluginError(str(error)) from error

    def directory_body(self, html: str, page: Page) -> str:
        """A generated page's own body; or, when it is made as the page is written, a mark for it."""
        generated = self.state.bodies.pop(page.file.src_uri, None)
        if generated is None:
            return html
        if generated.render is None:
            return generated.html
        self.state.deferred[page.file.src_uri] = generated
        return BODY_MARK


def with_faq_data(html: str, page: Page) -> str:
    """A guide marked ``faq: true`` carries its questions as schema.org FAQPage data
    (site_build.structured_data); a heading that is not a question stops the build."""
    if not page.meta.get("faq"):
        return html
    try:
        return html + json_ld_script(faq_page(html))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: faq: true, but {error}") from error
