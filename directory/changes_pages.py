"""The directory's changes as pages: /directory/changes/ with its JSON and Atom feeds, and each
change as a profile or that page lists it. What a change is, and the feeds' own text, are
:mod:`directory.changes`'s; this module puts them on pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jinja2

from directory.changes import (
    CHANGES_JSON,
    CHANGES_PAGE,
    PAGE_ENTRIES,
    ChangeItem,
    atom_feed,
    changes_document,
    feed_path,
    feeds,
    headline,
)
from directory.page_parts import section_links
from directory.records import Entry
from directory.site_files import GeneratedPage, markdown_page, profile_uri, relative_url
from directory.view import DirectoryView

#: Longest commit subject a list of changes shows; the commit link has the whole message. The
#: changes page hands it to its script (data-subject-characters), which cuts the same way.
SUBJECT_CHARACTERS = 120


def short_subject(subject: str) -> str:
    """A commit subject cut at a word near SUBJECT_CHARACTERS, marked with an ellipsis."""
    if len(subject) <= SUBJECT_CHARACTERS:
        return subject
    cut = subject[:SUBJECT_CHARACTERS].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def shown_change(
    view: DirectoryView, item: ChangeItem, from_uri: str, labels: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """One change as a page lists it: on the entry's profile, or on the changes page."""
    repository = view.options.repository.rstrip("/")
    change = item.change
    return {
        "anchor": item.anchor,
        "date": item.day,
        "kind": change.kind,
        "headline": headline(item, lambda term: view.label("credit-type", term)),
        "credit": view.label("credit-type", item.credit_type) if item.credit_type else "",
        "fields": [
            (labels.get((change.table, f.name), f.name), f.before, f.after, f.quoted) for f in change.fields
        ],
        "subject": short_subject(change.subject),
        "commit": change.commit[:12],
        "commit_url": f"{repository}/commit/{change.commit}" if repository else "",
        "url": relative_url(from_uri, item.profile) if item.published else "",
    }


def entry_history(view: DirectoryView, entry: Entry) -> list[dict[str, Any]] | None:
    """The entry's changes (its acceptances' too), newest first; None when the build has no history."""
    if view.changes is None:
        return None
    uri = profile_uri(entry)
    return [
        shown_change(view, item, uri, view.column_labels)
        for item in view.changes_by_entry.get((entry.table, entry.id), [])
    ]


def changes_files(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """/directory/changes/ with its JSON and Atom feeds; without history, only the page saying so."""
    credit_terms = [
        (term, label) for (vocabulary, term), label in view.labels.items() if vocabulary == "credit-type"
    ]
    countries = {entry.values["country"] for entry in view.entries if entry.values["country"]}
    all_feeds = feeds(view.changes, countries, credit_terms) if view.changes is not None else []
    labels = view.column_labels
    body = env.get_template("changes.html").render(
        changes=None
        if view.changes is None
        else [shown_change(view, item, CHANGES_PAGE, labels) for item in view.changes[:PAGE_ENTRIES]],
        total=len(view.changes or []),
        shown=PAGE_ENTRIES,
        newest=view.changes[0].day if view.changes else "",
        oldest=view.changes[-1].day if view.changes else "",
        json_url=relative_url(CHANGES_PAGE, CHANGES_JSON),
        root=relative_url(CHANGES_PAGE, ""),
        subject_characters=SUBJECT_CHARACTERS,  # for directory-changes.js, which cuts as short_subject
        feeds=[
            {
                "title": feed.title.removeprefix("OpenCEU directory: "),
                "url": relative_url(CHANGES_PAGE, feed.path),
                "count": len(feed.items),
            }
            for feed in all_feeds
        ],
        links=section_links(CHANGES_PAGE),
    )
    extra = (
        {
            "template": "directory-changes.html",
            "feed": relative_url(CHANGES_PAGE, feed_path()),
            "feed_title": "All changes",
        }
        if all_feeds
        else None
    )
    yield markdown_page(
        CHANGES_PAGE, "Recent changes to the directory", body, search_index=False, extra=extra
    )
    if view.changes is None:
        return
    updated = (
        view.changes[0].change.date if view.changes else view.options.today.isoformat() + "T00:00:00+00:00"
    )

    def credit_label(term: str) -> str:
        return view.label("credit-type", term)

    for feed in all_feeds:
        text = atom_feed(
            feed,
            site_url=view.options.site_url,
            repository=view.options.repository,
            updated=updated,
            credit_label=credit_label,
            labels=labels,
        )
        yield GeneratedPage(feed.path, text)
    document = changes_document(
        view.changes, repository=view.options.repository, credit_label=credit_label, labels=labels
    )
    yield GeneratedPage(CHANGES_JSON, json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
