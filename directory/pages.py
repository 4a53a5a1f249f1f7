"""Directory pages as MkDocs documents: a paginated browse listing and one profile per entry.

The bodies are HTML rendered by Jinja2 with autoescaping on (data is never trusted),
wrapped in a Markdown document whose front matter carries the page title. The
hook adds them as generated files; nothing is written into ``docs_dir``.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from directory.records import Directory, Entry
from directory.schema import Column, Schema

DIRECTORY_ROOT = "directory"


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    content: str


def profile_uri(entry: Entry) -> str:
    """Source path of an entry's profile; MkDocs serves it at /directory/<table>/<id>/."""
    return f"{DIRECTORY_ROOT}/{entry.table}/{entry.id}.md"


def listing_uri(page_number: int) -> str:
    return f"{DIRECTORY_ROOT}/index.md" if page_number == 1 else f"{DIRECTORY_ROOT}/page/{page_number}.md"


def page_url(src_uri: str) -> str:
    """The directory URL a source path is served at (use_directory_urls)."""
    stem = src_uri.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def relative_url(from_src_uri: str, to_src_uri: str) -> str:
    """A link between two generated pages, relative so the site works under any prefix."""
    depth = page_url(from_src_uri).count("/")
    return "../" * depth + page_url(to_src_uri)


def template_environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["http_url"] = _http_url
    return env


def _http_url(value: str) -> str:
    """Only http(s) links reach a page; anything else renders as no link at all."""
    return value if value.lower().startswith(("http://", "https://")) else ""


def directory_pages(
    directory: Directory, schema: Schema, env: jinja2.Environment, per_page: int
) -> Iterator[GeneratedPage]:
    listed = {table.key for table in schema.listed}
    entries = sorted(
        (e for e in directory.entries if e.table in listed), key=lambda e: (e.name.casefold(), e.table, e.id)
    )
    yield from listing_pages(entries, schema, env, per_page)
    labels = {
        (t.values["vocabulary"], t.values["id"]): t.values["label"] for t in directory.of("vocabularies")
    }
    accepted: dict[str, list[Entry]] = {}
    for acceptance in directory.of("acceptances"):
        accepted.setdefault(acceptance.values["organization_id"], []).append(acceptance)
    profile = env.get_template("profile.html")
    for entry in entries:
        table = schema.table(entry.table)
        uri = profile_uri(entry)
        facts = [
            (column, _shown_value(column, entry, labels))
            for column in table.columns
            if column.name not in _SHOWN_SEPARATELY and entry.values[column.name]
        ]
        body = profile.render(
            entry=entry,
            table=table,
            facts=facts,
            acceptances=[
                (labels.get(("credit-type", a.values["credit_type"]), a.values["credit_type"]), a)
                for a in accepted.get(entry.id, [])
            ],
            listing_url=relative_url(uri, listing_uri(1)),
        )
        yield GeneratedPage(uri, _document(entry.name, body))


def _shown_value(column: Column, entry: Entry, labels: dict[tuple[str, str], str]) -> str:
    """Vocabulary terms by their labels; lists joined for reading."""
    if column.type == "vocab":
        return ", ".join(labels.get((column.vocabulary, term), term) for term in entry.terms(column.name))
    if column.type == "list":
        return ", ".join(entry.terms(column.name))
    return entry.values[column.name]


#: Shown in their own section of the profile rather than the facts table.
_SHOWN_SEPARATELY = {"id", "name", "source_url", "source_kind", "source_date", "source_quote", "verified_on"}


def listing_pages(
    entries: list[Entry], schema: Schema, env: jinja2.Environment, per_page: int
) -> Iterator[GeneratedPage]:
    template = env.get_template("listing.html")
    page_count = max(1, math.ceil(len(entries) / per_page))
    for number in range(1, page_count + 1):
        uri = listing_uri(number)
        chunk = entries[(number - 1) * per_page : number * per_page]
        rows = [
            {
                "entry": entry,
                "kind": schema.table(entry.table).singular,
                "url": relative_url(uri, profile_uri(entry)),
            }
            for entry in chunk
        ]
        pages = [
            {"number": n, "url": relative_url(uri, listing_uri(n)), "current": n == number}
            for n in range(1, page_count + 1)
        ]
        body = template.render(
            rows=rows,
            pages=pages,
            page_number=number,
            page_count=page_count,
            first=(number - 1) * per_page + 1,
            last=(number - 1) * per_page + len(chunk),
            total=len(entries),
        )
        title = "Directory" if number == 1 else f"Directory, page {number} of {page_count}"
        yield GeneratedPage(uri, _document(title, body, search_index=False))


def _document(title: str, body: str, *, search_index: bool = True) -> str:
    """A Markdown document: JSON-quoted front matter (valid YAML) and a raw HTML body.

    The title is HTML-escaped because Material prints page titles unescaped.
    """
    front = [f"title: {json.dumps(html.escape(title, quote=False))}"]
    if not search_index:
        front.append("search_index: false")
    return "---\n" + "\n".join(front) + "\n---\n\n" + body.strip() + "\n"
