"""Each directory entry as a record of the site's search, from the view the pages are made from.

Pagefind takes the records as they are (site_build/search_index.py): their filters, result
lines and sorts are the view's own values, the same the directory's opening view counts and
lists (DirectoryView.filters, .meta, .sort_values), so nothing is written into a page for a
crawler to read back. The words searched are the entry's own, as its profile shows them: its
name, what it is and where, what it accepts (conditions and notes), its facts, and the words
of its sources. The sentences every profile repeats (the status rule, "Verified on …", the
disclaimer, the history) are left out: a search for one of them would find every entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from directory.profile_pages import same_source
from directory.records import Entry
from directory.site_files import page_url, profile_uri
from directory.view import DirectoryView, profile_facts
from site_build.search_index import LANGUAGE, SearchRecord, sentence


def search_records(view: DirectoryView) -> Iterator[SearchRecord]:
    """One record per listed entry, at its profile's address in the site (``/directory/…/id/``)."""
    for entry in view.entries:
        yield SearchRecord(
            url="/" + page_url(profile_uri(entry)),
            content=record_content(view, entry),
            language=LANGUAGE,
            meta=view.meta(entry),
            filters=view.filters(entry),
            sort=view.sort_values(entry),
        )


def record_content(view: DirectoryView, entry: Entry) -> str:
    """The words a learner may search an entry by, in the order its profile shows them, each
    part ended as a sentence so an excerpt never runs one part into the next."""
    kind = [view.schema.table(entry.table).singular.capitalize()]
    if entry.table == "providers":
        kind.append(view.kind(entry))
    kind.append(view.place(entry))
    said = [entry.name, " · ".join(part for part in kind if part)]
    for acceptance in view.acceptances.get(entry.id, []):
        said += [
            view.label("credit-type", acceptance.values["credit_type"]),
            acceptance.values["conditions"],
            acceptance.values["notes"],
        ]
        if not same_source(acceptance, entry):  # the profile shows a shared source once, below
            said.append(acceptance.values["source_quote"])
        said += _also_stated(view, acceptance)
    said += [value for column, value in profile_facts(view, entry) if column.name not in _IN_THE_KIND_LINE]
    said.append(entry.values["source_quote"])
    said += _also_stated(view, entry)
    return " ".join(sentence(part) for part in said if part.strip())


#: Facts the kind line already says ("Texas, United States"): an excerpt says the place once.
_IN_THE_KIND_LINE = frozenset({"country", "region"})


def _also_stated(view: DirectoryView, row: Entry) -> list[str]:
    """The words of a row's additional sources, and their notes."""
    return [
        words
        for more, _ in view.also_stated(row)
        for words in (more.values["source_quote"], more.values["notes"])
    ]
