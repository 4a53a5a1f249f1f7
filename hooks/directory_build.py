"""The directory's part of the build: its data checked, then its pages, answers, exports and
badges, and the Suggest an entry page. Wiring only: the rules are in ``directory``; this turns
their errors into MkDocs' PluginError, which names the file and line."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from mkdocs.exceptions import PluginError

from calc.conversions import parse_credit_systems
from calc.errors import CreditInputError
from calc.policy import CreditSystem
from directory.answers import ANSWER_PAGE, answer_files
from directory.badges import badge_files
from directory.build_date import build_date
from directory.exports import export_files
from directory.history import load_history
from directory.issuers import issuers, issuers_file
from directory.pages import directory_pages
from directory.records import Directory, count_problems
from directory.schema import Schema, load_schema
from directory.site_files import GeneratedPage
from directory.suggest import DATA_PATH, read_vocabularies
from directory.suggest_page import suggest_document
from directory.templates import template_environment
from directory.validate import errors, validate_directory
from directory.view import DirectoryView, Histories, SiteOptions
from hooks.config import PLUGIN_NAME, OpenCEUConfig

log = logging.getLogger(f"mkdocs.plugins.{PLUGIN_NAME}")


@dataclass(frozen=True)
class DirectoryData:
    """The checked data of one build (on_pre_build), for the pages it becomes (on_files)."""

    schema: Schema
    directory: Directory
    options: SiteOptions
    histories: Histories | None


def load_directory(data_dir: Path, settings: OpenCEUConfig, site_url: str) -> DirectoryData:
    """The directory's tables, checked, with their history; a problem stops the build, naming
    its file and line. That includes files that are not what they seem (a table that is a
    symbolic link, a named pipe, a file over its size: directory/data_files.py), judged before
    a byte is read."""
    today = build_date()
    try:
        schema = load_schema(data_dir)
        directory = validate_directory(data_dir, schema, today, allow_synthetic=settings.allow_synthetic)
    except (OSError, ValueError, KeyError) as error:
        raise PluginError(f"directory data in {data_dir}: {error}") from error
    for warning in (p for p in directory.problems if p.severity == "warning"):
        log.info("%s/%s", data_dir.name, warning)
    if problems := errors(directory):
        listing = "\n".join(f"  {data_dir.name}/{problem}" for problem in problems)
        raise PluginError(f"the directory data has {count_problems(problems)} problem(s):\n{listing}")
    options = SiteOptions(
        today=today,
        per_page=settings.entries_per_page,
        repository=settings.repository,
        iacet_directory_url=settings.iacet_directory_url,
        iacet_provider_url=settings.iacet_provider_url,
        site_url=site_url,
    )
    return DirectoryData(schema, directory, options, load_history(data_dir, schema))


def credit_systems(data_dir: Path) -> tuple[CreditSystem, ...]:
    """The credit systems the guides' worked examples are computed under."""
    try:
        return parse_credit_systems((data_dir / "credit_systems.csv").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, CreditInputError) as error:
        # load_directory reports the table's problems first, at their lines; this is a backstop.
        raise PluginError(f"directory data in {data_dir}: {error}") from error


def directory_files(
    data: DirectoryData, site_pages: set[str], theme_dir: Path
) -> tuple[DirectoryView, list[GeneratedPage]]:
    """Every directory page, answer, export and badge, and the signing keys' lookup (issuers.json),
    from one view: one set of statuses; and that view, which the search's records are made from
    once the site is written.

    ``site_pages``: the site's Markdown pages (source paths); profiles link a page only when the
    build has it. The "Will this count?" page is one of these files (answer_files).
    """
    options = dataclasses.replace(data.options, site_pages=frozenset(site_pages | {ANSWER_PAGE}))
    env = template_environment(theme_dir / "directory")
    view = DirectoryView.of(data.directory, data.schema, options, data.histories)
    try:
        answers = list(answer_files(view, env))
    except ValueError as error:
        raise PluginError(f"the answer page: {error}") from error
    return view, list(
        chain(
            directory_pages(data.directory, data.schema, env, options, data.histories, view=view),
            answers,
            export_files(data.directory, data.schema, options.today, options.site_url, view.statuses),
            badge_files(data.directory, view.statuses),
            [issuers_file(issuers(data.directory, options.today, statuses=view.statuses), options.today)],
        )
    )


def suggest_page(settings: OpenCEUConfig, root: Path, theme_dir: Path) -> str:
    """The Suggest an entry page (front matter and body), generated from the data's schema.json
    and vocabularies.csv; its checks are ``directory.suggest``, run in the browser."""
    data_dir = root / settings.data_dir
    try:
        data_path = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a test build over a data folder outside the repository
        data_path = DATA_PATH
    try:
        schema = load_schema(data_dir)
        return suggest_document(
            schema,
            read_vocabularies(data_dir, schema, build_date()),
            settings.repository,
            data_path,
            template_environment(theme_dir / "directory"),
        )
    except (OSError, ValueError, KeyError, IndexError) as error:
        raise PluginError(f"the Suggest an entry page: {error}") from error
