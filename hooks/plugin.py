"""The ``openceu`` MkDocs plugin: the build's events, wired to the packages that hold the rules.

Each handler is a few lines that call ``directory``, ``calculators`` and ``site_build`` (none
of which imports MkDocs) and keep what later events need on the plugin, for one build:

- the directory's data, checked before anything is written (on_pre_build), becomes its pages,
  answers, exports and badges from one view, so every one of them shows the statuses and
  checks computed once (on_files);
- ```openceu blocks and {{openceu ...}} figures become what the engine computes (on_page_markdown);
- the Suggest an entry page and the validator it runs in the browser;
- schema.org FAQPage data on guides marked ``faq: true``;
- Pyodide, PyScript and the zipped engine copied into the site, Pagefind's index of it, and
  robots.txt, _headers and the service worker for the finished site (on_post_build);
- under ``mkdocs serve``, the live-reload script allowed by the CSP, and a rebuild when the
  data, the engine or the validator changes.

Its settings are typed (hooks/config.py); the order of its handlers among other plugins' is
stated with ``event_priority`` beside each.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
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
from mkdocs.utils.templates import TemplateContext

from calc.conversions import parse_credit_systems
from calc.errors import CreditInputError
from calc.policy import CreditSystem
from calculators.embeds import EmbedError, expand
from directory.answers import ANSWER_PAGE, answer_files
from directory.badges import badge_files
from directory.build_date import build_date
from directory.exports import export_files
from directory.freshness import Freshness, freshness
from directory.history import Change, load_history
from directory.pages import DirectoryView, SiteOptions, directory_pages, search_filters, template_environment
from directory.records import Directory, count_problems
from directory.schema import Schema, load_schema
from directory.site_files import GeneratedPage
from directory.suggest import DATA_PATH, read_vocabularies
from directory.suggest_page import suggest_document
from directory.validate import errors, validate_directory
from hooks.config import PLUGIN_NAME, OpenCEUConfig
from site_build.content_policy import allow_inline_scripts, page_kind
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
from site_build.runtime import (
    RuntimeMissing,
    RuntimePaths,
    install_directory_runtime,
    install_runtime,
    runtime_paths,
    set_interpreter,
    without_unused_plugins,
)
from site_build.search_index import IndexingFailed, index_site
from site_build.site_address import ENVIRONMENT_VARIABLE, SiteAddressError, configured_address, path_prefix
from site_build.structured_data import faq_page, json_ld_script

log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")
Histories = dict[tuple[str, tuple[str, ...]], list[Change]] | None

#: Pages of these kinds (the calculators, which run Python) work offline after one visit:
#: opening one saves them all.
OFFLINE_KINDS = ("python", "worker")
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


@dataclass
class DirectoryData:
    """The checked data of one build (on_pre_build), for the pages it becomes (on_files)."""

    schema: Schema
    directory: Directory
    options: SiteOptions
    histories: Histories


@dataclass
class BuildState:
    """What one build's events hand to later ones; a new build starts a new one."""

    data: DirectoryData | None = None
    systems: tuple[CreditSystem, ...] = ()
    freshness: Freshness | None = None
    search_filters: list[dict[str, Any]] = field(default_factory=list)
    #: Pages whose body is put in after Markdown has run (see GeneratedPage), by source path.
    bodies: dict[str, GeneratedPage] = field(default_factory=dict)
    #: Bodies made only when their page is written (GeneratedPage.render), by source path.
    deferred: dict[str, GeneratedPage] = field(default_factory=dict)
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

    # ------------------------------------------------------------------ paths and settings

    def root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def data_dir(self, config: MkDocsConfig) -> Path:
        return self.root(config) / self.config.data_dir

    def theme_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.theme.custom_dir or "")

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
            self.runtime = runtime_paths(self.root(config) / "node_modules")
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
    # That includes files that are not what they seem (a table that is a symbolic link, a named
    # pipe, a file over its size: directory/data_files.py), judged before a byte is read.
    @event_priority(100)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.state = BuildState()
        data = self.load_directory(config)
        histories = load_history(self.data_dir(config), data.schema)
        data.histories = histories
        self.state.data = data
        self.state.freshness = freshness(data.options.today, histories, data.directory.entries)
        listed = {table.key for table in data.schema.listed}
        self.state.search_filters = search_filters(e for e in data.directory.entries if e.table in listed)
        self.state.systems = self.credit_systems(config)

    # No order needed among plugins: no other one adds or reads the directory's pages.
    @event_priority(0)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.state.data is None:  # on_pre_build raised; MkDocs stops before this point
            raise PluginError("directory data was not loaded")
        for page in self.directory_files(self.state.data, files, config):
            files.append(File.generated(config, page.src_uri, content=page.content))
            if page.html or page.render:
                self.state.bodies[page.src_uri] = page
        try:
            content = suggest_page(self.config, config)
        except (OSError, ValueError, KeyError, IndexError) as error:
            raise PluginError(f"the Suggest an entry page: {error}") from error
        front, _, self.state.suggest_body = content.partition("\n---\n")
        files.append(File.generated(config, SUGGEST_URI, content=front + "\n---\n"))
        return files

    # No order needed: every plugin's on_page_markdown runs before Markdown does.
    @event_priority(0)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
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
        generated = self.state.deferred.pop(page.file.src_uri, None)
        return output if generated is None else output.replace(BODY_MARK, generated.body(), 1)

    # Last: Pagefind indexes the finished pages, and _headers and the service worker list and
    # hash every file of the site, so every other plugin's files must be written first.
    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        runtime = self.install_runtime(config, site_dir)
        try:
            index_site(site_dir)
        except IndexingFailed as error:
            raise PluginError(str(error)) from error
        self.write_host_files(config, site_dir, runtime)

    # No order needed: it only adds folders to watch.
    @event_priority(0)
    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """Live reload when the data, the engine or the validator (run from a zip) changes."""
        root = self.root(config)
        for folder in (self.data_dir(config), root / "calc", root / "directory"):
            server.watch(str(folder))
        return server

    # ------------------------------------------------------------------ the work, in order

    def load_directory(self, config: MkDocsConfig) -> DirectoryData:
        """The directory's tables, checked; a problem stops the build, naming file and line."""
        data_dir = self.data_dir(config)
        today = build_date()
        try:
            schema = load_schema(data_dir)
            directory = validate_directory(
                data_dir, schema, today, allow_synthetic=self.config.allow_synthetic
            )
        except (OSError, ValueError, KeyError) as error:
            raise PluginError(f"directory data in {data_dir}: {error}") from error
        for warning in (p for p in directory.problems if p.severity == "warning"):
            log.info("%s/%s", data_dir.name, warning)
        if problems := errors(directory):
            listing = "\n".join(f"  {data_dir.name}/{problem}" for problem in problems)
            raise PluginError(f"the directory data has {count_problems(problems)} problem(s):\n{listing}")
        options = SiteOptions(
            today=today,
            per_page=self.config.entries_per_page,
            repository=self.config.repository,
            iacet_directory_url=self.config.iacet_directory_url,
            iacet_provider_url=self.config.iacet_provider_url,
            site_url=config.site_url or "",
        )
        return DirectoryData(schema, directory, options, None)

    def credit_systems(self, config: MkDocsConfig) -> tuple[CreditSystem, ...]:
        data_dir = self.data_dir(config)
        try:
            return parse_credit_systems((data_dir / "credit_systems.csv").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, CreditInputError) as error:
            # load_directory reports the table's problems first, at their lines; this is a backstop.
            raise PluginError(f"directory data in {data_dir}: {error}") from error

    def directory_files(self, data: DirectoryData, files: Files, config: MkDocsConfig) -> list[GeneratedPage]:
        """Every directory page, answer, export and badge, from one view: one set of statuses."""
        # Profiles link other pages of the site only when the build has them; the plugin
        # writes the "Will this count?" page itself (answer_files, below).
        pages_of_site = {file.src_uri for file in files.documentation_pages()} | {ANSWER_PAGE}
        options = dataclasses.replace(data.options, site_pages=frozenset(pages_of_site))
        env = template_environment(self.theme_dir(config) / "directory")
        view = DirectoryView.of(data.directory, data.schema, options, data.histories)
        try:
            answers = list(answer_files(view, env))
        except ValueError as error:
            raise PluginError(f"the answer page: {error}") from error
        return list(
            chain(
                directory_pages(data.directory, data.schema, env, options, data.histories, view=view),
                answers,
                export_files(data.directory, data.schema, options.today, options.site_url, view.statuses),
                badge_files(data.directory, view.statuses),
            )
        )

    def directory_body(self, html: str, page: Page) -> str:
        """A generated page's own body; or, when it is made as the page is written, a mark for it."""
        generated = self.state.bodies.pop(page.file.src_uri, None)
        if generated is None:
            return html
        if generated.render is None:
            return generated.html
        self.state.deferred[page.file.src_uri] = generated
        return BODY_MARK

    def install_runtime(self, config: MkDocsConfig, site_dir: Path) -> RuntimePaths:
        """Pyodide, PyScript, the zipped engine, calculators and validator, in the site; the
        PyScript configs the pages name get that Pyodide as their interpreter."""
        if self.runtime is None:
            raise PluginError("the build's settings were not read")
        root, data_dir, theme_dir = self.root(config), self.data_dir(config), self.theme_dir(config)
        try:
            install_runtime(
                site_dir=site_dir,
                node_modules=root / "node_modules",
                paths=self.runtime,
                engine_dir=root / "calc",
                calculators_dir=root / "calculators",
                data_dir=data_dir,
                glue_dir=theme_dir / "assets" / "calculators",
            )
        except RuntimeMissing as error:
            raise PluginError(str(error)) from error
        interpreter = path_prefix(config.site_url or "/") + self.runtime.interpreter
        for name in sorted(self.state.pyscript_configs):
            path = site_dir / name
            try:
                text = set_interpreter(path.read_text(encoding="utf-8"), interpreter)
                path.write_text(without_unused_plugins(text), encoding="utf-8")
            except (OSError, ValueError) as error:
                raise PluginError(f"the PyScript config {name}: {error}") from error
        try:
            install_directory_runtime(
                site_dir=site_dir,
                package_dir=root / "directory",
                data_dir=data_dir,
                glue_dir=theme_dir / "assets" / "directory",
            )
        except (RuntimeMissing, OSError) as error:
            raise PluginError(str(error)) from error
        return self.runtime

    def write_host_files(self, config: MkDocsConfig, site_dir: Path, runtime: RuntimePaths) -> None:
        """robots.txt, _headers and (not under `mkdocs serve`) the service worker."""
        site_url = config.site_url or ""
        if site_url:
            (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
        files = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
        versioned = list(runtime.folders)
        page_kinds = self.state.page_kinds
        try:
            headers = headers_file(
                path_prefix(site_url or "/"),
                self.policies,
                page_kinds,
                content_hashed_paths(files, versioned),
                versioned,
            )
        except ValueError as error:
            raise PluginError(f"_headers: {error}") from error
        (site_dir / "_headers").write_text(headers, encoding="utf-8")
        if self.serving:
            return
        if OFFLINE_PAGE not in page_kinds:
            raise PluginError(
                f"no page at {OFFLINE_PAGE} (content/offline.md): the service worker shows it offline"
            )
        offline = sorted(url for url, kind in page_kinds.items() if kind in OFFLINE_KINDS)
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


def with_faq_data(html: str, page: Page) -> str:
    """A guide marked ``faq: true`` carries its questions as schema.org FAQPage data
    (site_build.structured_data); a heading that is not a question stops the build."""
    if not page.meta.get("faq"):
        return html
    try:
        return html + json_ld_script(faq_page(html))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: faq: true, but {error}") from error


def suggest_page(settings: OpenCEUConfig, config: MkDocsConfig) -> str:
    """The Suggest an entry page (front matter and body), generated from the data's schema.json
    and vocabularies.csv; its checks are ``directory.suggest``, run in the browser."""
    root = Path(config.config_file_path).parent
    data_dir = root / settings.data_dir
    try:
        data_path = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a test build over a data folder outside the repository
        data_path = DATA_PATH
    schema = load_schema(data_dir)
    return suggest_document(
        schema,
        read_vocabularies(data_dir, schema, build_date()),
        settings.repository,
        data_path,
        template_environment(Path(config.theme.custom_dir or "") / "directory"),
    )
