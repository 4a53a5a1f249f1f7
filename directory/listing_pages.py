"""The directory's paginated pages: its home (page 1 doubles as the search page), a listing per
country, the organizations per credit type, and the acceptance matrix. All four are paginated
by one paginator (directory/pagination.py); every grouping is built in one pass over the
entries, so 100,000 rows stay cheap.

Titles are plain text (page titles, with data isolated by Unicode isolates); headings that hold
data are markup with the data in ``<bdi>``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import jinja2
from markupsafe import Markup

from directory.bidi import isolate
from directory.changes import feed_path
from directory.page_parts import COUNTRY_INDEX, CREDIT_TYPE_INDEX, DISCLAIMER, section_links
from directory.pagination import paginate
from directory.places import country_name
from directory.records import Entry
from directory.search_filters import RESULTS_PER_PAGE, search_filters
from directory.site_files import GeneratedPage, listing_uri, markdown_page, relative_url
from directory.templates import data
from directory.view import DirectoryView


def home_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """/directory/: every entry; its first page is the directory's search."""
    yield from listing_pages(
        view,
        env,
        section="",
        title="Directory",
        entries=view.entries,
        template="home.html",
    )


def listing_pages(
    view: DirectoryView,
    env: jinja2.Environment,
    *,
    section: str,
    title: str,
    entries: Sequence[Entry],
    template: str = "listing.html",
    intro: str = "",
    heading: Markup | None = None,
    feed: str = "",
) -> Iterator[GeneratedPage]:
    """A paginated table of entries; page 1 of the home doubles as the search page.

    ``title`` is plain text (the page's <title>); ``heading``, when the title holds data,
    is the same words as markup with the data isolated.
    """
    page = env.get_template(template)
    home = template == "home.html"
    filters = search_filters(view.entries) if home else []
    opening = view.opening(listing_uri(1, section), RESULTS_PER_PAGE) if home else None
    for listing in paginate(entries, view.options.per_page, section):
        uri = listing.uri
        body = page.render(
            heading=heading or title,
            intro=intro,
            rows=[view.row(entry, uri) for entry in listing.items],
            pages=listing.links(),
            page_number=listing.number,
            page_count=listing.count,
            first=listing.first,
            last=listing.last,
            total=listing.total,
            today=view.options.today.isoformat(),
            links=section_links(uri),
            disclaimer=DISCLAIMER,
            search_filters=filters,
            opening=opening if listing.number == 1 else None,
            page_size=RESULTS_PER_PAGE,
            feed_url=relative_url(uri, feed) if feed else "",
        )
        search_page = home and listing.number == 1
        extra = {"template": "directory.html", "csp": "search"} if search_page else {}
        if feed:
            extra |= {"feed": relative_url(uri, feed), "feed_title": f"Changes: {title}"}
        yield markdown_page(uri, listing.title(title), body, search_index=False, extra=extra)


def groups_page(
    env: jinja2.Environment, uri: str, title: str, intro: str, groups: list[tuple[str, int, str]]
) -> GeneratedPage:
    """An index of groups (countries, credit types): each group's (name, count, section), listed
    with its count and a link to the first page of its section's listing."""
    rows = [
        {"name": name, "count": count, "url": relative_url(uri, listing_uri(1, section))}
        for name, count, section in groups
    ]
    return markdown_page(
        uri,
        title,
        env.get_template("groups.html").render(
            title=title, intro=intro, groups=rows, links=section_links(uri)
        ),
        search_index=False,
    )


def country_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """/directory/country/: the countries by name, and a listing for each."""
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for entry in view.entries:
        by_country[entry.values["country"]].append(entry)
    # By name, as a reader looks for a country; the code breaks a tie between unknown codes.
    countries = sorted(by_country, key=lambda code: (country_name(code).casefold(), code))
    groups = [(country_name(code), len(by_country[code]), f"country/{code.lower()}") for code in countries]
    yield groups_page(
        env,
        COUNTRY_INDEX,
        "Directory by country",
        "Entries by the country their source names (country names from ISO 3166-1).",
        groups,
    )
    for code in countries:
        name = country_name(code)
        yield from listing_pages(
            view,
            env,
            section=f"country/{code.lower()}",
            title=f"Directory: {isolate(name)}",
            heading=Markup("Directory: {}").format(data(name)),
            entries=by_country[code],
            feed=feed_path(f"country/{code.lower()}") if view.changes is not None else "",
        )


def credit_type_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """Per credit type: the organizations that accept it, each with its conditions and citation."""
    by_credit: dict[str, list[tuple[Entry, Entry]]] = defaultdict(list)
    for entry in view.entries:
        for acceptance in view.acceptances.get(entry.id, []):
            by_credit[acceptance.values["credit_type"]].append((entry, acceptance))
    known = sorted(term for (vocabulary, term) in view.labels if vocabulary == "credit-type")
    groups = [
        (view.label("credit-type", term), len(by_credit.get(term, [])), f"credit-type/{term}")
        for term in known
    ]
    yield groups_page(
        env,
        CREDIT_TYPE_INDEX,
        "Directory by credit type",
        "Organizations by the credit they accept. " + DISCLAIMER,
        groups,
    )
    template = env.get_template("acceptances.html")
    for term in known:
        section = f"credit-type/{term}"
        feed = feed_path(section) if view.changes is not None else ""
        label = view.label("credit-type", term)
        title = f"Organizations that accept {isolate(label)}"
        for listing in paginate(by_credit.get(term, []), view.options.per_page, section):
            uri = listing.uri
            body = template.render(
                heading=Markup("Organizations that accept {}").format(data(label)),
                label=label,
                rows=[
                    (view.row(org, uri), acceptance, view.counted_as(acceptance, uri))
                    for org, acceptance in listing.items
                ],
                pages=listing.links(),
                page_count=listing.count,
                total=listing.total,
                links=section_links(uri),
                disclaimer=DISCLAIMER,
                feed_url=relative_url(uri, feed) if feed else "",
            )
            extra = {"feed": relative_url(uri, feed), "feed_title": f"Changes: {title}"} if feed else None
            yield markdown_page(uri, listing.title(title), body, search_index=False, extra=extra)


def matrix_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """Organizations by credit types; every filled cell has its conditions and a citation."""
    credit_terms = sorted(term for (vocabulary, term) in view.labels if vocabulary == "credit-type")
    columns = [(term, view.label("credit-type", term)) for term in credit_terms]
    organizations = [e for e in view.entries if e.table == "organizations"]
    template = env.get_template("matrix.html")
    for listing in paginate(organizations, view.options.per_page, "matrix"):
        uri = listing.uri
        rows = []
        for org in listing.items:
            by_term = {a.values["credit_type"]: a for a in view.acceptances.get(org.id, [])}
            rows.append((view.row(org, uri), [by_term.get(term) for term in credit_terms]))
        body = template.render(
            columns=columns,
            rows=rows,
            pages=listing.links(),
            page_count=listing.count,
            total=listing.total,
            links=section_links(uri),
            disclaimer=DISCLAIMER,
        )
        yield markdown_page(uri, listing.title("Acceptance matrix"), body, search_index=False)
