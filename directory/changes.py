"""The directory's changes as a learner follows them: the recent-changes page, its JSON
and the Atom feeds (all changes, per country, per credit type).

Built from the entries' histories (:mod:`directory.history`). Every change to a provider,
an organization or one of an organization's acceptances becomes one :class:`ChangeItem`,
attributed to the entry a learner looks up (an acceptance's change is its organization's).
A removed row has no profile any more, so each item carries the name and country the row
last had.

Feed entry ids are ``urn:uuid`` names derived from the repository, the commit and the row,
so they stay the same from build to build and whatever address the site is served at.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from directory.history import Change
from directory.places import country_name
from directory.site_files import DIRECTORY_ROOT, absolute_url, listing_uri, page_url

#: How many changes an Atom feed carries (the newest), and the changes page shows before filtering.
FEED_ENTRIES = 50
PAGE_ENTRIES = 100
CHANGES_PAGE = f"{DIRECTORY_ROOT}/changes/index.md"
CHANGES_JSON = f"{DIRECTORY_ROOT}/changes.json"
FEED_ROOT = f"{DIRECTORY_ROOT}/changes"
ATOM = "http://www.w3.org/2005/Atom"
#: The tables whose rows are entries with profiles, and the one whose rows belong to an organization.
ENTRY_TABLES = ("providers", "organizations")
ACCEPTANCES = "acceptances"

#: Characters XML 1.0 cannot hold at all; an old commit's data or a commit subject may have them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Histories = Mapping[tuple[str, tuple[str, ...]], Sequence[Change]]


@dataclass(frozen=True)
class ChangeItem:
    """One commit's change to one row, named by the entry it belongs to."""

    change: Change
    #: The entry a learner looks up: the provider or organization (an acceptance's organization).
    entry_table: str
    entry_id: str
    name: str
    country: str
    #: For a change to an acceptance, its credit type; "" for a change to the entry itself.
    credit_type: str
    #: The credit types the entry's organization accepts now (feeds per credit type carry them).
    credit_types: tuple[str, ...]
    #: Whether the entry has a profile in this build (false once it is removed).
    published: bool

    @property
    def anchor(self) -> str:
        """The item's id on the changes page: commit and row, stable across builds."""
        return f"change-{self.change.commit[:12]}-{self.change.table}-{'-'.join(self.change.key)}"

    @property
    def day(self) -> str:
        """The commit's day as its committer dated it (what the history on profiles shows)."""
        return self.change.date[:10]

    @property
    def profile(self) -> str:
        """The entry's profile page as a source path (only meaningful when published)."""
        return f"{DIRECTORY_ROOT}/{self.entry_table}/{self.entry_id}.md"


def moment(change: Change) -> dt.datetime:
    """The commit's time in UTC, for ordering changes made in different time zones."""
    try:
        return dt.datetime.fromisoformat(change.date).astimezone(dt.UTC)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def change_items(
    histories: Histories,
    published: Mapping[tuple[str, str], Mapping[str, str]],
    credit_types: Mapping[str, Sequence[str]],
) -> list[ChangeItem]:
    """Every change to an entry or an acceptance, newest first.

    ``published`` maps (table, id) to the values of each entry in this build;
    ``credit_types`` maps an organization's id to the credit types it accepts now.
    """
    last_row = {key: changes[-1].row for key, changes in histories.items() if changes}
    items: list[ChangeItem] = []
    for (table, key), changes in histories.items():
        if table not in (*ENTRY_TABLES, ACCEPTANCES) or len(key) != 1:
            continue
        for change in changes:
            if table == ACCEPTANCES:
                entry_table, entry_id = "organizations", change.row.get("organization_id", "")
                credit_type = change.row.get("credit_type", "")
            else:
                entry_table, entry_id, credit_type = table, key[0], ""
            current = published.get((entry_table, entry_id))
            known = current or last_row.get((entry_table, (entry_id,)), {})
            if not entry_id:
                continue
            items.append(
                ChangeItem(
                    change=change,
                    entry_table=entry_table,
                    entry_id=entry_id,
                    name=known.get("name", "") or entry_id,
                    country=known.get("country", ""),
                    credit_type=credit_type,
                    credit_types=tuple(credit_types.get(entry_id, ()))
                    if entry_table == "organizations"
                    else (),
                    published=current is not None,
                )
            )
    items.sort(key=lambda item: (moment(item.change), item.change.commit, item.anchor), reverse=True)
    return items


def headline(item: ChangeItem, credit_label: Callable[[str], str]) -> str:
    """What happened, in a few words: "AAC Institute: source re-read",
    "BCSP (accepts IACET CEUs): added"."""
    kind = item.change.kind
    if item.credit_type:
        return f"{item.name} (accepts {credit_label(item.credit_type)}): {kind}"
    return f"{item.name}: {kind}"


def field_lines(item: ChangeItem, labels: Mapping[tuple[str, str], str]) -> list[str]:
    """Each changed field as "Label: before → after" ((blank) for an empty value), or
    "Label: changed" for a column whose words the history does not quote."""
    return [
        f"{labels.get((item.change.table, f.name), f.name)}: "
        + (f"{f.before or '(blank)'} → {f.after or '(blank)'}" if f.quoted else UNQUOTED)
        for f in item.change.fields
    ]


#: What a history says of a change to a column whose words it does not quote.
UNQUOTED = "changed (the commit shows the words)"


# --------------------------------------------------------------------------- feeds


@dataclass(frozen=True)
class Feed:
    """One Atom feed: where it is, what it follows, and the page it belongs with."""

    path: str
    title: str
    #: The source path of the page the feed follows (its rel="alternate" link).
    page: str
    items: tuple[ChangeItem, ...]


def feed_path(scope: str = "all") -> str:
    """Where a feed sits: ``directory/changes/all.atom``, ``…/country/us.atom``, ``…/credit-type/hrci.atom``."""
    return f"{FEED_ROOT}/{scope}.atom"


def feeds(
    items: Sequence[ChangeItem], countries: Iterable[str], credit_terms: Iterable[tuple[str, str]]
) -> list[Feed]:
    """The feed of all changes, one per country, one per credit type.

    ``countries`` are the countries of the published entries (each has a page, the feed's
    alternate link); a country whose entries have all been removed keeps its feed, linked to
    the changes page instead. ``credit_terms`` are
    (term, label) pairs of the credit-type vocabulary. Each feed holds its newest FEED_ENTRIES.
    """
    by_country: dict[str, list[ChangeItem]] = defaultdict(list)
    by_credit: dict[str, list[ChangeItem]] = defaultdict(list)
    for item in items:
        if item.country:
            by_country[item.country].append(item)
        for term in {item.credit_type} if item.credit_type else set(item.credit_types):
            by_credit[term].append(item)
    found = [Feed(feed_path(), "OpenCEU directory: all changes", CHANGES_PAGE, tuple(items[:FEED_ENTRIES]))]
    with_pages = set(countries)
    for code in sorted(with_pages | by_country.keys()):
        found.append(
            Feed(
                feed_path(f"country/{code.lower()}"),
                f"OpenCEU directory: changes in {country_name(code)}",
                listing_uri(1, f"country/{code.lower()}") if code in with_pages else CHANGES_PAGE,
                tuple(by_country.get(code, [])[:FEED_ENTRIES]),
            )
        )
    for term, label in sorted(credit_terms):
        found.append(
            Feed(
                feed_path(f"credit-type/{term}"),
                f"OpenCEU directory: changes to organizations that accept {label}",
                listing_uri(1, f"credit-type/{term}"),
                tuple(by_credit.get(term, [])[:FEED_ENTRIES]),
            )
        )
    return found


def item_url(item: ChangeItem, site_url: str) -> str:
    """The entry's profile; for a removed entry, the change itself on the changes page."""
    if item.published:
        return absolute_url(site_url, page_url(item.profile))
    return absolute_url(site_url, f"{page_url(CHANGES_PAGE)}?since={item.day}#{item.anchor}")


def stable_id(repository: str, name: str) -> str:
    """A urn:uuid that depends only on the repository and ``name``, never on the site's address."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{repository.rstrip('/')}#{name}").urn


def atom_feed(
    feed: Feed,
    *,
    site_url: str,
    repository: str,
    updated: str,
    credit_label: Callable[[str], str],
    labels: Mapping[tuple[str, str], str],
) -> str:
    """The feed as Atom 1.0 (RFC 4287). ``updated`` is the newest change's date in
    the whole directory, so a feed with no entries still has a stable, honest date."""

    def add(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attributes)
        if text:
            element.text = _NOT_XML.sub("\ufffd", text)
        return element

    root = ET.Element("feed", xmlns=ATOM)  # children inherit the default namespace
    add(root, "id", stable_id(repository, feed.path))
    add(root, "title", feed.title)
    add(root, "updated", feed.items[0].change.date if feed.items else updated)
    add(root, "link", rel="self", type="application/atom+xml", href=absolute_url(site_url, feed.path))
    add(root, "link", rel="alternate", type="text/html", href=absolute_url(site_url, page_url(feed.page)))
    author = add(root, "author")
    add(author, "name", "OpenCEU directory maintainers")
    if repository:
        add(author, "uri", repository)
    for item in feed.items:
        entry = add(root, "entry")
        change = item.change
        add(entry, "id", stable_id(repository, f"{change.commit}/{change.table}/{'/'.join(change.key)}"))
        add(entry, "title", headline(item, credit_label))
        add(entry, "updated", change.date)
        add(entry, "link", rel="alternate", type="text/html", href=item_url(item, site_url))
        summary = [*field_lines(item, labels), f"Commit {change.commit[:12]}: {change.subject}"]
        add(entry, "summary", "\n".join(summary), type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- JSON


def changes_document(
    items: Sequence[ChangeItem],
    *,
    repository: str,
    credit_label: Callable[[str], str],
    labels: Mapping[tuple[str, str], str],
) -> dict[str, object]:
    """/directory/changes.json: every change, newest first, for the "what changed since" view
    and for anyone who wants the directory's history as data. Paths are relative to the site root."""
    repository = repository.rstrip("/")
    return {
        "updated": items[0].change.date if items else None,
        "changes": [
            {
                "date": item.change.date,
                "day": item.day,
                "kind": item.change.kind,
                "table": item.change.table,
                "id": "/".join(item.change.key),
                "entry": {"table": item.entry_table, "id": item.entry_id, "name": item.name},
                "country": item.country,
                "credit_type": item.credit_type,
                "headline": headline(item, credit_label),
                "fields": [
                    {
                        "name": f.name,
                        "label": labels.get((item.change.table, f.name), f.name),
                        "before": f.before if f.quoted else None,
                        "after": f.after if f.quoted else None,
                    }
                    for f in item.change.fields
                ],
                "path": page_url(item.profile) if item.published else None,
                "anchor": item.anchor,
                "commit": item.change.commit,
                "commit_url": f"{repository}/commit/{item.change.commit}" if repository else None,
                "subject": item.change.subject,
            }
            for item in items
        ],
    }
