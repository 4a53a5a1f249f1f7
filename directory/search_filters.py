"""The filters the directory's search and the site's search page offer, and how many results
either shows at a time: one declaration each, read by the pages and the plugin."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from directory.places import country_name, place_code, place_name
from directory.records import Entry

#: Results a search shows at a time, one number for both searches: the directory's (its opening
#: view's first page, and each "Show more") and the search page's. Each script reads it from its
#: page (data-page-size): directory-search.js from the directory's home, search.js from search.html.
RESULTS_PER_PAGE = 20
#: The search filters, in the order the directory and the search page show them: the Pagefind
#: filter each entry's search record carries (DirectoryView.filters), whose name is also the URL parameter
#: (?type=Provider), so it stays put for links already shared; and the legend a learner reads.
SEARCH_FILTERS: tuple[tuple[str, str], ...] = (
    ("type", "Provider or organization"),
    ("status", "Provider status"),
    ("check", "Source last checked"),
    ("credit", "Credit accepted"),
    ("kind", "Kind of organization"),
    ("country", "Country"),
    ("region", "State or region"),
)


def filter_labels(entries: Iterable[Entry]) -> dict[str, dict[str, str]]:
    """Names for the coded filter values (country ``US``, region ``US-TX``), for the searches.

    The filters keep the codes as values, so counts and shared URLs (``?country=US``) stay
    stable; the searches show these names in their place.
    """
    countries: dict[str, str] = {}
    regions: dict[str, str] = {}
    for entry in entries:
        country, region = entry.values["country"], entry.values["region"]
        if country:
            countries[country] = country_name(country)
        if region:
            regions[place_code(country, region)] = place_name(country, region)
    return {"country": dict(sorted(countries.items())), "region": dict(sorted(regions.items()))}


def search_filters(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """The filters the directory's search and the site's search page offer, in order: each
    one's name (the Pagefind filter and URL parameter), legend, and names for coded values."""
    labels = filter_labels(entries)
    return [
        {"name": name, "legend": legend, "labels": labels.get(name, {})} for name, legend in SEARCH_FILTERS
    ]
