"""MkDocs hook: the page /directory/suggest/ and the validator the browser runs on it.

The form is generated from ``directory_data/schema.json`` (one field per column of
each listed table) and vocabularies.csv; its checks are ``directory.suggest``, run
in the browser from assets/py/directory.zip. Nothing is written into ``docs_dir``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from directory.build_date import build_date
from directory.pages import template_environment
from directory.schema import load_schema
from directory.suggest import DATA_PATH, read_vocabularies
from directory.suggest_page import suggest_document
from site_build.runtime import RuntimeMissing, install_directory_runtime

SUGGEST_URI = "directory/suggest.md"
#: The form, put in after Markdown has run (on_page_content), as the directory's pages are: it
#: holds vocabulary labels from the data, which Markdown must never read (a label's line
#: starting with three backticks would become a code block).
_body: dict[str, str] = {}


def _paths(config: MkDocsConfig) -> tuple[Path, Path, str]:
    """The data folder, the theme folder and the data folder's path inside the repository."""
    root = Path(config.config_file_path).parent
    configured = Path(config.extra["openceu"]["data_dir"])
    data_dir = root / configured
    try:
        data_path = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a test build over a data folder outside the repository
        data_path = DATA_PATH
    return data_dir, Path(config.theme.custom_dir or ""), data_path


def suggest_page(config: MkDocsConfig) -> str:
    data_dir, theme_dir, data_path = _paths(config)
    schema = load_schema(data_dir)
    return suggest_document(
        schema,
        read_vocabularies(data_dir, schema, build_date()),
        config.extra["openceu"]["repository"],
        data_path,
        template_environment(theme_dir / "directory"),
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        content = suggest_page(config)
    except (OSError, ValueError, KeyError, IndexError) as error:
        raise PluginError(f"the Suggest an entry page: {error}") from error
    front, _, body = content.partition("\n---\n")
    _body[SUGGEST_URI] = body
    files.append(File.generated(config, SUGGEST_URI, content=front + "\n---\n"))
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _body.pop(page.file.src_uri, html)


def on_post_build(config: MkDocsConfig) -> None:
    data_dir, theme_dir, _ = _paths(config)
    try:
        install_directory_runtime(
            site_dir=Path(config.site_dir),
            package_dir=Path(config.config_file_path).parent / "directory",
            data_dir=data_dir,
            glue_dir=theme_dir / "assets" / "directory",
        )
    except (RuntimeMissing, OSError) as error:
        raise PluginError(str(error)) from error


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when the validator changes: the browser runs it from the zip."""
    server.watch(str(Path(config.config_file_path).parent / "directory"))
    return server
