"""One page per directory entry: a profile leads with its answer (an organization's verdicts, a
provider's status), then what it accepts, the facts and the source, printed once whatever it
supports; then the entries related to it, its changes, its badge and the links to report a
problem or confirm with IACET.

Data text is isolated wherever it is shown: inline with ``<bdi>``, a block of data alone with
``dir="auto"``, and the page title (plain text) with Unicode isolates.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import jinja2
from markupsafe import Markup

from directory.badges import badge_size, badge_snippet
from directory.bidi import isolate
from directory.changes_pages import entry_history
from directory.check_report import RowChecks, iacet_record_url
from directory.page_parts import DISCLAIMER
from directory.records import Entry
from directory.site_files import (
    GeneratedPage,
    badge_uri,
    json_uri,
    listing_uri,
    markdown_page,
    profile_shell_uri,
    profile_uri,
    profile_url,
    relative_url,
)
from directory.status import GOOD_STANDING, LAPSED, NEEDS_REVIEW, Status, stale_warning
from directory.templates import data
from directory.validate import ISSUER_DID, ISSUER_DID_SOURCE
from directory.view import DirectoryView, SiteOptions, profile_facts
from site_build.structured_data import json_ld_script, organization

#: How many related entries a profile lists per kind of relation.
RELATED = 5
#: The guide that explains each status (a heading per status, its id the status code).
STATUS_GUIDE = "guides/directory.md"
#: Related entries by (table, id): each relation's heading, and the entries it names.
Related = dict[tuple[str, str], list[tuple[Markup, list[Entry]]]]


def profile_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """One page per entry, written through its table's shell (site_build/page_shell.py): the
    theme renders one page per table, not one per entry. Each body is rendered when the page is
    written, not when it is listed: a build of 100,000 profiles never holds 100,000 at once."""
    profile = env.get_template("profile.html")
    related = related_entries(view)
    for entry in view.entries:
        body = functools.partial(profile_body, view, profile, related, entry)
        shell = profile_shell_uri(entry.table)
        yield markdown_page(profile_uri(entry), isolate(entry.name), body, shell=shell)


def profile_body(view: DirectoryView, profile: jinja2.Template, related: Related, entry: Entry) -> str:
    """A profile leads with its answer (an organization's verdicts, a provider's status), then
    what it accepts, the facts and the source, printed once whatever it supports."""
    options = view.options
    table = view.schema.table(entry.table)
    uri = profile_uri(entry)
    facts = profile_facts(view, entry)
    status = view.statuses.get(entry.id)
    acceptances = [
        (view.label("credit-type", a.values["credit_type"]), a) for a in view.acceptances.get(entry.id, [])
    ]
    # An acceptance cited from the very page the listing cites shows its source once, under the listing's.
    shared = [label for label, a in acceptances if same_source(a, entry)]
    return profile.render(
        entry=entry,
        table=table,
        kind=view.kind(entry),
        place=view.place(entry),
        facts=facts,
        status=status,
        stale=status.stale_warning if status else stale_warning(entry.values["verified_on"], options.today),
        today=options.today.isoformat(),
        verdicts=[view.verdict(a, uri) for _, a in acceptances],
        will_it_count=view.will_it_count(entry, uri),
        acceptances=[
            (label, a, view.counted_as(a, uri), same_source(a, entry), view.also_stated(a))
            for label, a in acceptances
        ],
        source_heading=source_heading(entry, [label for label, _ in acceptances], shared),
        also_stated=view.also_stated(entry),
        sourcing=sourcing_parts(entry, acceptances, view.additional),
        related=[
            (heading, [view.row(other, uri) for other in others])
            for heading, others in related.get((entry.table, entry.id), [])
        ],
        report_url=report_url(entry, options),
        iacet_url=iacet_url(entry, options) if entry.table == "providers" else "",
        json_url=relative_url(uri, json_uri(entry)),
        badge_url=relative_url(uri, badge_uri(entry)),
        badge_link=relative_url(uri, uri),
        badge=_badge(entry, status, options),
        badge_withheld=badge_withheld(status),
        issuer_key=issuer_key(entry),
        listing_url=relative_url(uri, listing_uri(1)),
        disclaimer=DISCLAIMER,
        history=entry_history(view, entry),
        checks=view.checks.get((entry.table, entry.id), RowChecks()),
        status_guide=relative_url(uri, STATUS_GUIDE),
        json_ld=Markup(json_ld_script(_organization(entry, options))),
    )


def related_entries(view: DirectoryView) -> Related:
    """Up to RELATED neighbours (by name) in the same region and accepting the same credit type.

    Neighbours in a sorted group, not every pair, so the cost stays linear in the entries.
    """
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in view.entries:
        groups[("place", view.place_code(entry))].append(entry)
        if entry.table == "organizations":
            for credit in view.credit_types(entry):
                groups[("credit", credit)].append(entry)
    related: Related = defaultdict(list)
    for (relation, value), members in groups.items():
        if len(members) < 2:
            continue
        heading = (
            Markup("Also in {}").format(data(view.place(members[0])))
            if relation == "place"
            else Markup("Other organizations that accept {}").format(data(view.label("credit-type", value)))
        )
        for index, entry in enumerate(members):
            start = max(0, min(index - RELATED // 2, len(members) - RELATED - 1))
            others = [m for m in members[start : start + RELATED + 1] if m is not entry][:RELATED]
            related[(entry.table, entry.id)].append((heading, others))
    return related


def issuer_key(entry: Entry) -> dict[str, str] | None:
    """The key the provider signs certificates with, and the page that states it; None if none."""
    did = entry.values.get(ISSUER_DID, "")
    return {"did": did, "source": entry.values[ISSUER_DID_SOURCE]} if did else None


def report_url(entry: Entry, options: SiteOptions) -> str:
    """A new issue on the repository, prefilled with the entry (GitHub issue-form fields by id)."""
    if not options.repository:
        return ""
    query = urllib.parse.urlencode(
        {
            "template": "report-problem.yml",
            "title": f"Problem: {entry.name}",
            "entry": f"{profile_url(entry, options.site_url)} ({entry.table}/{entry.id})",
        }
    )
    return f"{options.repository.rstrip('/')}/issues/new?{query}"


def iacet_url(entry: Entry, options: SiteOptions) -> str:
    """IACET's own record when the provider number is known, else IACET's directory."""
    return iacet_record_url(entry, options.iacet_provider_url) or options.iacet_directory_url


#: The columns that make a citation: two rows with the same values cite the same evidence.
SOURCE_COLUMNS = ("source_url", "source_kind", "source_date", "source_quote", "verified_on")


def same_source(row: Entry, other: Entry) -> bool:
    """Whether two rows cite the same page, for the same words, read the same day."""
    return all(row.values.get(name, "") == other.values.get(name, "") for name in SOURCE_COLUMNS)


def source_heading(entry: Entry, accepted: list[str], shared: list[str]) -> Markup:
    """What the listing's source supports: the listing, and what it accepts where the same page says it."""
    if entry.table != "organizations" or not accepted:
        return Markup("Source")
    if not shared:
        return Markup("Source for this listing")
    if len(accepted) == 1:
        return Markup("Source for this listing and for what it accepts")
    return Markup("Source for this listing and for what it accepts ({})").format(
        Markup(", ").join(data(label) for label in shared)
    )


def sourcing_parts(
    entry: Entry,
    acceptances: list[tuple[str, Entry]],
    additional: dict[tuple[str, str], list[Entry]] | None = None,
) -> list[tuple[Markup, str]]:
    """How the listing, each of its acceptances and each of their additional sources was sourced
    (the ``sourcing`` column), each labelled unless the listing's own is the only one."""
    more = additional or {}

    def with_more(label: Markup, row: Entry) -> list[tuple[Markup, str]]:
        found = [(label, row.values.get("sourcing", ""))]
        found += [
            (
                Markup("{}, also stated by {}").format(label, data(extra.values["source_url"])),
                extra.values["sourcing"],
            )
            for extra in more.get((row.table, row.id), [])
        ]
        return found

    listing = Markup("This listing")
    parts = with_more(listing, entry)
    for label, acceptance in acceptances:
        parts += with_more(Markup("What it accepts: {}").format(data(label)), acceptance)
    found = [(label, text) for label, text in parts if text]
    # The listing's own account alone needs no label; any other part says what it is about.
    return [(Markup(""), found[0][1])] if len(found) == 1 and found[0][0] == listing else found


#: Why a provider's profile offers no badge, by status: the status, and what would change it.
BADGE_WITHHELD = {
    LAPSED: (
        "No badge is offered: a dated source says this provider's accreditation has lapsed, and only "
        "a newer source showing it accredited again would change that."
    ),
    NEEDS_REVIEW: (
        "No badge is offered while this provider needs review: its evidence no longer holds, and a "
        "badge returns once a maintainer has re-read the source and the status is In good standing again."
    ),
}
#: Every other status short of good standing (Unverified): no recent evidence yet.
BADGE_WITHHELD_OTHERWISE = (
    "No badge is offered: badges are for providers in good standing, and this one is {label} because "
    "the directory holds no recent evidence that its accreditation is current; a badge is offered once "
    "that evidence is found, for example IACET's own directory listing the provider."
)


def badge_withheld(status: Status | None) -> str:
    """The one sentence a provider's profile shows instead of a badge; empty when the badge is offered.

    The badge file itself is still written for every provider (directory/badges.py), so a badge
    already on a provider's site keeps showing the current status.
    """
    if status is None or status.code == GOOD_STANDING:
        return ""
    return BADGE_WITHHELD.get(status.code, BADGE_WITHHELD_OTHERWISE.format(label=status.label))


def _badge(entry: Entry, status: Status | None, options: SiteOptions) -> dict[str, Any] | None:
    """The badge's size and copy-paste snippet: offered to providers in good standing only."""
    if status is None or status.code != GOOD_STANDING:
        return None
    width, height = badge_size(entry, status)
    return {"snippet": badge_snippet(entry, status, options.site_url), "width": width, "height": height}


def _organization(entry: Entry, options: SiteOptions) -> dict[str, Any]:
    """The row as schema.org data: name, own site, place and IACET number, nothing it does not say."""
    values = entry.values
    return organization(
        entry.name,
        page_url=profile_url(entry, options.site_url) if options.site_url else "",
        website=values.get("website", ""),
        country=values.get("country", ""),
        region=values.get("region", ""),
        city=values.get("city", ""),
        provider_number=values.get("iacet_provider_number", ""),
    )
