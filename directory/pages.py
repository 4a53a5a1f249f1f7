"""Directory pages as MkDocs documents: browse listings, one profile per entry, and
the pages by country, by credit type and the acceptance matrix.

The bodies are HTML rendered by Jinja2 with autoescaping on (data is never trusted),
wrapped in a Markdown document whose front matter carries the page title. The
plugin adds them as generated files; nothing is written into ``docs_dir``. Every
grouping is built in one pass over the entries so 100,000 rows stay cheap.

Data text is isolated wherever it is shown, so a right-to-left name or a stray
direction control cannot reorder the words around it: inline with ``<bdi>`` (the
``isolate`` filter, or ``data()`` for headings built here), a block of data alone
with ``dir="auto"``, and page titles (plain text) with Unicode isolates.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import math
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from calc.ceu import MINUTES_PER_CEU
from calc.conversions import system_from_record
from calc.numbers import approximately
from calc.policy import CreditSystem, figure_under, rule_words
from directory.badges import badge_size, badge_snippet
from directory.bidi import isolate
from directory.changes import (
    CHANGES_JSON,
    CHANGES_PAGE,
    PAGE_ENTRIES,
    ChangeItem,
    atom_feed,
    change_items,
    changes_document,
    feed_path,
    feeds,
    headline,
)
from directory.check_report import Check, RowChecks, iacet_record_url, row_checks
from directory.exports import export_catalogue
from directory.history import Change
from directory.places import country_name, place_code, place_name, region_name
from directory.records import Directory, Entry
from directory.schema import Column, Schema
from directory.site_files import (
    DIRECTORY_ROOT,
    EXPORT_ROOT,
    GeneratedPage,
    badge_uri,
    json_uri,
    listing_uri,
    profile_uri,
    profile_url,
    relative_url,
)
from directory.status import GOOD_STANDING, LAPSED, NEEDS_REVIEW, Status, stale_warning, statuses_from
from site_build.structured_data import json_ld_script, organization

#: How many related entries a profile lists per kind of relation.
RELATED = 5
#: Page links shown either side of the current page in a listing's pagination.
PAGE_WINDOW = 3
#: Results a search shows at a time, one number for both searches: the directory's (its opening
#: view's first page, and each "Show more") and the search page's. Each script reads it from its
#: page (data-page-size): directory-search.js from the directory's home, search.js from search.html.
RESULTS_PER_PAGE = 20
#: The CEU calculator's page (its "whose rule?" choice is set with ``?rule=<credit-system id>``).
CALCULATOR_PAGE = "calculator.md"
#: The guide that explains each status (a heading per status, its id the status code).
STATUS_GUIDE = "guides/directory.md"
#: The "Will this count?" page, set to an entry by ``?body=<organization id>`` or
#: ``?provider=<provider id>``. Profiles link it only when the site has it (SiteOptions.site_pages).
WILL_IT_COUNT_PAGE = "will-it-count.md"
#: The query parameter that sets that page to an entry of each table.
WILL_IT_COUNT_PARAMETER = {"organizations": "body", "providers": "provider"}
#: Contact minutes in one unit of a credit type, where the engine defines the unit
#: (1.0 IACET CEU = 10 contact hours): a verdict then says what one unit is worth in the
#: unit the organization counts in ("1 IACET CEU = 10 PDC").
CREDIT_TYPE_MINUTES = {"iacet-ceu": MINUTES_PER_CEU}
DISCLAIMER = "Not listed does not mean not accepted: confirm with the organization before you enrol."
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


@dataclass(frozen=True)
class SiteOptions:
    """What the pages need from mkdocs.yml and the build."""

    today: dt.date
    per_page: int = 100
    #: The repository contributions go to (the openceu plugin's ``repository`` setting).
    repository: str = ""
    #: IACET's directory, and its per-provider page with ``{number}`` for the provider number.
    iacet_directory_url: str = ""
    iacet_provider_url: str = ""
    site_url: str = ""
    #: The site's Markdown pages (source paths), so a profile links a page only when the
    #: build has it: a link to a missing page would be a dead link on every profile.
    site_pages: frozenset[str] = frozenset()


def template_environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["http_url"] = _http_url
    env.filters["isolate"] = data
    return env


def data(value: object) -> Markup:
    """Data text for a page: escaped, in ``<bdi>`` so its direction stays its own."""
    text = str(value)
    return Markup("<bdi>{}</bdi>").format(text) if text else Markup("")


def _http_url(value: str) -> str:
    """Only http(s) links reach a page; anything else renders as no link at all."""
    return value if value.lower().startswith(("http://", "https://")) else ""


@dataclass(frozen=True)
class Verdict:
    """One acceptance as the first line of its organization's profile."""

    #: What is accepted and toward what: "Accepts IACET CEUs toward SHRM-CP/SHRM-SCP renewal".
    claim: Markup
    #: One unit of the credit in the organization's unit ("1 IACET CEU = 10 PDC"), or "".
    equation: Markup
    #: The unit, its rule and the calculator set to it (DirectoryView.counted_as), or None.
    counted: dict[str, str] | None


def _plural(label: str) -> str:
    """A credit type's label as a plural noun: "IACET CEU" -> "IACET CEUs"."""
    return label if label.endswith("s") else label + "s"


def _equation(label: str, system: CreditSystem, minutes: Decimal) -> Markup:
    """One unit of a credit type (``minutes`` long) under ``system``'s rule, as the engine counts it.

    "1 IACET CEU = 10 PDC"; with a multiplier, what it gives when its condition holds too.
    Empty when the rule does not say how to report the figure or the time earns nothing.
    """
    plain = figure_under(system, minutes)
    if not plain.earns or plain.reported is None:
        return Markup("")
    unit = data(system.unit)
    equation = Markup("1 {} = {} {}").format(data(label), approximately(plain.reported), unit)
    if system.multiplier is not None:
        more = figure_under(system, minutes, condition_met=True)
        if more.earns and more.reported is not None and more.reported != plain.reported:
            equation += Markup(" ({} {} when the multiplier applies)").format(
                approximately(more.reported), unit
            )
    return equation


@dataclass
class DirectoryView:
    """The published entries with everything the pages derive from them, computed once."""

    schema: Schema
    options: SiteOptions
    entries: list[Entry]
    labels: dict[tuple[str, str], str]
    acceptances: dict[str, list[Entry]]
    statuses: dict[str, Status] = field(default_factory=dict)
    #: Credit-system id -> its rule, for acceptances that name the unit they count in.
    rules: dict[str, CreditSystem] = field(default_factory=dict)
    #: Every change to an entry or its acceptances, newest first; None when the build has no history.
    changes: list[ChangeItem] | None = None
    #: (table, id) -> that entry's changes, newest first.
    changes_by_entry: dict[tuple[str, str], list[ChangeItem]] = field(default_factory=dict)
    #: (table, id) -> the last checks of the entry's current source and IACET record (checks.csv).
    checks: dict[tuple[str, str], RowChecks] = field(default_factory=dict)
    #: (table, id) -> the row's additional sources (sources.csv), shown under its own source.
    additional: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        directory: Directory,
        schema: Schema,
        options: SiteOptions,
        histories: dict[tuple[str, tuple[str, ...]], list[Change]] | None = None,
    ) -> DirectoryView:
        listed = {table.key for table in schema.listed}
        entries = sorted(
            (e for e in directory.entries if e.table in listed),
            key=lambda e: (e.name.casefold(), e.table, e.id),
        )
        labels = {
            (t.values["vocabulary"], t.values["id"]): t.values["label"] for t in directory.of("vocabularies")
        }
        accepted: dict[str, list[Entry]] = defaultdict(list)
        for acceptance in directory.of("acceptances"):
            accepted[acceptance.values["organization_id"]].append(acceptance)
        # The checks once, for the profiles that show them and the statuses that weigh them;
        # the pages, answers, exports and badges all read these statuses (view.statuses).
        providers = directory.of("providers")
        checked = entries if "providers" in listed else [*entries, *providers]
        additional = directory.additional_sources()
        checks = row_checks(checked, directory.of("checks"), options.iacet_provider_url, additional)
        statuses = statuses_from(providers, options.today, checks, additional)
        rules = {e.id: system_from_record(e.values) for e in directory.of("credit_systems")}
        view = cls(schema, options, entries, labels, dict(accepted), statuses, rules)
        view.additional = additional
        view.checks = checks
        if histories is not None:
            view.changes = change_items(
                histories,
                {(e.table, e.id): e.values for e in entries},
                {e.id: view.credit_types(e) for e in entries if e.table == "organizations"},
            )
            for item in view.changes:
                view.changes_by_entry.setdefault((item.entry_table, item.entry_id), []).append(item)
        return view

    def label(self, vocabulary: str, term: str) -> str:
        return self.labels.get((vocabulary, term), term)

    def credit_types(self, entry: Entry) -> list[str]:
        """Credit types an organization accepts (its acceptances' terms, in file order)."""
        return list(dict.fromkeys(a.values["credit_type"] for a in self.acceptances.get(entry.id, [])))

    def place(self, entry: Entry) -> str:
        """Where the entry is, by name: "Texas, United States", "Egypt"."""
        return place_name(entry.values["country"], entry.values["region"])

    def place_code(self, entry: Entry) -> str:
        """Where the entry is, as a code (``US-TX``, ``EG``): the region filter's value."""
        return place_code(entry.values["country"], entry.values["region"])

    def kind(self, entry: Entry) -> str:
        if entry.table == "organizations":
            return self.label("organization-kind", entry.values["kind"])
        return "IACET accredited provider"

    def counted_as(self, acceptance: Entry, from_uri: str) -> dict[str, str] | None:
        """The unit an acceptance counts the credit in, its rule, and the calculator set to that rule."""
        system = self.rules.get(acceptance.values.get("credit_system", ""))
        if system is None:
            return None
        return {
            "unit": system.unit,
            "body": system.body,
            "rule": rule_words(system),
            "url": f"{relative_url(from_uri, CALCULATOR_PAGE)}?rule={system.id}",
        }

    def verdict(self, acceptance: Entry, from_uri: str) -> Verdict:
        """What an acceptance means for a learner, in one line, from its own row and its rule's.

        "Accepts IACET CEUs toward SHRM-CP/SHRM-SCP renewal" (the credit type's label, and the
        credential and renewal cycle of the credit system it counts in) and "1 IACET CEU = 10 PDC"
        (the engine's size of the credit type put through that rule). Nothing else is added:
        an acceptance without a credit system says only what it accepts.
        """
        term = acceptance.values["credit_type"]
        label = self.label("credit-type", term)
        system = self.rules.get(acceptance.values.get("credit_system", ""))
        claim = Markup("Accepts {}").format(data(_plural(label)))
        if system is not None:
            toward = [data(system.credential)] if system.credential else []
            if system.cycle_years:  # a renewal cycle: the credit counts toward renewing the credential
                toward.append(Markup("renewal"))
            if toward:
                claim += Markup(" toward ") + Markup(" ").join(toward)
        equation = Markup("")
        minutes = CREDIT_TYPE_MINUTES.get(term)
        if system is not None and minutes is not None and system.unit != label:
            equation = _equation(label, system, minutes)
        return Verdict(claim, equation, self.counted_as(acceptance, from_uri))

    def also_stated(self, row: Entry) -> list[tuple[Entry, Check | None]]:
        """The row's additional sources, each with its last check (checks are kept for listed entries)."""
        checks = self.checks.get((row.table, row.id), RowChecks()).also
        return [
            (more, checks.get(more.values["source_url"]))
            for more in self.additional.get((row.table, row.id), [])
        ]

    def will_it_count(self, entry: Entry, from_uri: str) -> str:
        """The "Will this count?" page set to ``entry``; empty when the site has no such page."""
        parameter = WILL_IT_COUNT_PARAMETER.get(entry.table)
        if parameter is None or WILL_IT_COUNT_PAGE not in self.options.site_pages:
            return ""
        return f"{relative_url(from_uri, WILL_IT_COUNT_PAGE)}?{urllib.parse.urlencode({parameter: entry.id})}"

    @property
    def column_labels(self) -> dict[tuple[str, str], str]:
        """(table, column) -> the column's label, for changes named field by field."""
        return {(table.key, c.name): c.label for table in self.schema.tables for c in table.columns}

    def change(self, item: ChangeItem, from_uri: str, labels: dict[tuple[str, str], str]) -> dict[str, Any]:
        """One change as a page lists it: on the entry's profile, or on the changes page."""
        repository = self.options.repository.rstrip("/")
        change = item.change
        return {
            "anchor": item.anchor,
            "date": item.day,
            "kind": change.kind,
            "headline": headline(item, lambda term: self.label("credit-type", term)),
            "credit": self.label("credit-type", item.credit_type) if item.credit_type else "",
            "fields": [
                (labels.get((change.table, f.name), f.name), f.before, f.after, f.quoted)
                for f in change.fields
            ],
            "subject": short_subject(change.subject),
            "commit": change.commit[:12],
            "commit_url": f"{repository}/commit/{change.commit}" if repository else "",
            "url": relative_url(from_uri, item.profile) if item.published else "",
        }

    def history(self, entry: Entry) -> list[dict[str, Any]] | None:
        """The entry's changes (its acceptances' too), newest first; None when the build has no history."""
        if self.changes is None:
            return None
        labels = self.column_labels
        uri = profile_uri(entry)
        return [
            self.change(item, uri, labels) for item in self.changes_by_entry.get((entry.table, entry.id), [])
        ]

    def filters(self, entry: Entry) -> dict[str, list[str]]:
        """The directory search's filter values for one entry: its search record's filters
        (directory/search_records.py), and what the directory's opening view counts without
        loading Pagefind (one source, so the two cannot disagree). Coded values (country ``US``,
        region ``US-TX``) are shown by name on the page."""
        table = self.schema.table(entry.table)
        status = self.statuses.get(entry.id)
        found: dict[str, list[str]] = {"type": [table.singular.capitalize()]}
        if status:
            found["status"] = [status.label]
        for column in table.columns:
            if column.name in _SHOWN_SEPARATELY or not entry.values[column.name]:
                continue
            name, code = _filter(column, entry)
            if name:
                found.setdefault(name, []).append(code or _shown_value(column, entry, self))
        credits = [
            self.label("credit-type", a.values["credit_type"]) for a in self.acceptances.get(entry.id, [])
        ]
        if credits:
            found["credit"] = list(dict.fromkeys(credits))
        found["check"] = [self.checks.get((entry.table, entry.id), RowChecks()).filter_value]
        return found

    def opening(self, from_uri: str, size: int) -> dict[str, Any]:
        """The directory search with no query and no filter, as Pagefind would give it: every
        entry, counted per filter value, and the first ``size`` by name. Written into the page,
        so opening the directory loads no index at any size; Pagefind starts when the visitor
        searches, filters or asks for more."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for entry in self.entries:
            for name, values in self.filters(entry).items():
                for value in values:
                    counts[name][value] += 1
        first = [
            {"url": relative_url(from_uri, profile_uri(entry)), "meta": self.meta(entry)}
            for entry in self.entries[:size]
        ]
        return {
            "total": len(self.entries),
            "counts": {name: dict(values) for name, values in counts.items()},
            "first": first,
        }

    def meta(self, entry: Entry) -> dict[str, str]:
        """A search result's line for one entry (its name, type, place, status and day verified):
        its search record's meta, and the opening view's first results (one source)."""
        meta = {
            "title": entry.name,
            "type": self.schema.table(entry.table).singular.capitalize(),
            "place": self.place(entry),
            "verified": entry.values["verified_on"],
        }
        status = self.statuses.get(entry.id)
        if status:
            meta["status"] = status.label
        return meta

    def sort_values(self, entry: Entry) -> dict[str, str]:
        """What the directory search sorts an entry by (directory-search.js SORTS): its name,
        ignoring case as the plain listing does, and the day its source was read (ISO dates
        sort as text)."""
        return {"name": entry.name.lower(), "verified": entry.values["verified_on"]}

    def row(self, entry: Entry, from_uri: str) -> dict[str, Any]:
        """One line of a listing."""
        status = self.statuses.get(entry.id)
        return {
            "entry": entry,
            "url": relative_url(from_uri, profile_uri(entry)),
            "type": self.schema.table(entry.table).singular,
            "kind": self.kind(entry),
            "place": self.place(entry),
            "status": status.label if status else "",
        }


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


#: Longest commit subject a list of changes shows; the commit link has the whole message. The
#: changes page hands it to its script (data-subject-characters), which cuts the same way.
SUBJECT_CHARACTERS = 120


def short_subject(subject: str) -> str:
    """A commit subject cut at a word near SUBJECT_CHARACTERS, marked with an ellipsis."""
    if len(subject) <= SUBJECT_CHARACTERS:
        return subject
    cut = subject[:SUBJECT_CHARACTERS].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def directory_pages(
    directory: Directory,
    schema: Schema,
    env: jinja2.Environment,
    options: SiteOptions,
    histories: dict[tuple[str, tuple[str, ...]], list[Change]] | None = None,
    *,
    view: DirectoryView | None = None,
) -> Iterator[GeneratedPage]:
    """Every directory page; ``view`` when the caller has already made it (the plugin shares one)."""
    view = view or DirectoryView.of(directory, schema, options, histories)
    yield from listing_pages(
        view,
        env,
        section="",
        title="Directory",
        entries=view.entries,
        template="home.html",
    )
    yield from profile_pages(view, env)
    yield from country_pages(view, env)
    yield from credit_type_pages(view, env)
    yield from matrix_pages(view, env)
    yield export_index_page(directory, schema, env, options)
    yield from changes_files(view, env)


# --------------------------------------------------------------------------- listings


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
    per_page = view.options.per_page
    filters = search_filters(view.entries) if template == "home.html" else []
    opening = view.opening(listing_uri(1, section), RESULTS_PER_PAGE) if template == "home.html" else None
    page_count = max(1, math.ceil(len(entries) / per_page))
    for number in range(1, page_count + 1):
        uri = listing_uri(number, section)
        chunk = entries[(number - 1) * per_page : number * per_page]
        body = page.render(
            heading=heading or title,
            intro=intro,
            rows=[view.row(entry, uri) for entry in chunk],
            pages=_pagination(uri, section, number, page_count),
            page_number=number,
            page_count=page_count,
            first=(number - 1) * per_page + 1,
            last=(number - 1) * per_page + len(chunk),
            total=len(entries),
            today=view.options.today.isoformat(),
            links=_section_links(uri),
            disclaimer=DISCLAIMER,
            search_filters=filters,
            opening=opening if number == 1 else None,
            page_size=RESULTS_PER_PAGE,
            feed_url=relative_url(uri, feed) if feed else "",
        )
        shown = title if number == 1 else f"{title}, page {number} of {page_count}"
        search_page = template == "home.html" and number == 1
        extra = {"template": "directory.html", "csp": "search"} if search_page else {}
        if feed:
            extra |= {"feed": relative_url(uri, feed), "feed_title": f"Changes: {title}"}
        yield _page(uri, shown, body, search_index=False, extra=extra)


def _pagination(uri: str, section: str, number: int, page_count: int) -> list[dict[str, Any]]:
    """Links to the first, last and nearby pages, with gaps between (bounded at any size)."""
    wanted = {1, page_count, *range(number - PAGE_WINDOW, number + PAGE_WINDOW + 1)}
    links: list[dict[str, Any]] = []
    previous = 0
    for n in sorted(p for p in wanted if 1 <= p <= page_count):
        if n > previous + 1:
            links.append({"gap": True})
        links.append(
            {
                "gap": False,
                "number": n,
                "url": relative_url(uri, listing_uri(n, section)),
                "current": n == number,
            }
        )
        previous = n
    return links


def _section_links(uri: str) -> dict[str, str]:
    """Links every listing offers: other views and the downloads."""
    return {
        "home": relative_url(uri, listing_uri(1)),
        "countries": relative_url(uri, f"{DIRECTORY_ROOT}/country/index.md"),
        "credit_types": relative_url(uri, f"{DIRECTORY_ROOT}/credit-type/index.md"),
        "matrix": relative_url(uri, listing_uri(1, "matrix")),
        "changes": relative_url(uri, CHANGES_PAGE),
        "suggest": relative_url(uri, f"{DIRECTORY_ROOT}/suggest.md"),
        "csv_providers": relative_url(uri, f"{EXPORT_ROOT}/providers.csv"),
        "csv_organizations": relative_url(uri, f"{EXPORT_ROOT}/organizations.csv"),
        "csv_acceptances": relative_url(uri, f"{EXPORT_ROOT}/acceptances.csv"),
        "json": relative_url(uri, f"{EXPORT_ROOT}/directory.json"),
        "json_schema": relative_url(uri, f"{EXPORT_ROOT}/schema.json"),
        "exports": relative_url(uri, EXPORT_INDEX),
    }


# --------------------------------------------------------------------------- profiles


def profile_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """One page per entry. Each body is rendered when the page is written, not when it is
    listed: a build of 100,000 profiles never holds 100,000 bodies at once."""
    profile = env.get_template("profile.html")
    related = related_entries(view)
    for entry in view.entries:
        body = functools.partial(profile_body, view, profile, related, entry)
        yield _page(profile_uri(entry), isolate(entry.name), body)


def profile_body(
    view: DirectoryView,
    profile: jinja2.Template,
    related: dict[tuple[str, str], list[tuple[Markup, list[Entry]]]],
    entry: Entry,
) -> str:
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
        listing_url=relative_url(uri, listing_uri(1)),
        disclaimer=DISCLAIMER,
        history=view.history(entry),
        checks=view.checks.get((entry.table, entry.id), RowChecks()),
        status_guide=relative_url(uri, STATUS_GUIDE),
        json_ld=Markup(json_ld_script(_organization(entry, options))),
    )


def profile_facts(view: DirectoryView, entry: Entry) -> list[tuple[Column, str]]:
    """The facts a profile lists (each column with a value not shown in a section of its own),
    as shown: what the profile prints and what its search record holds."""
    table = view.schema.table(entry.table)
    return [
        (column, _shown_value(column, entry, view))
        for column in table.columns
        if column.name not in _SHOWN_SEPARATELY and entry.values[column.name]
    ]


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


def _shown_value(column: Column, entry: Entry, view: DirectoryView) -> str:
    """Vocabulary terms by their labels; lists joined for reading."""
    if column.type == "vocab":
        return ", ".join(view.label(column.vocabulary, term) for term in entry.terms(column.name))
    if column.type == "list":
        return ", ".join(entry.terms(column.name))
    if column.type == "country":
        return country_name(entry.values[column.name])
    if column.type == "region":
        return region_name(entry.values["country"], entry.values[column.name])
    return entry.values[column.name]


def _filter(column: Column, entry: Entry) -> tuple[str, str]:
    """The search filter a fact feeds, if any (the directory search counts these), and the
    value it gives when that is a code rather than the text shown (country ``US``, region ``US-TX``).
    """
    if column.name == "country":
        return "country", entry.values["country"]
    if column.name == "region":
        return "region", place_code(entry.values["country"], entry.values["region"])
    return ("kind", "") if column.name == "kind" else ("", "")


#: Shown in their own section of the profile rather than the facts table.
_SHOWN_SEPARATELY = {
    "id",
    "name",
    "standing",
    "source_url",
    "source_kind",
    "source_date",
    "source_quote",
    "verified_on",
    "sourcing",
}


def related_entries(view: DirectoryView) -> dict[tuple[str, str], list[tuple[Markup, list[Entry]]]]:
    """Up to RELATED neighbours (by name) in the same region and accepting the same credit type.

    Neighbours in a sorted group, not every pair, so the cost stays linear in the entries.
    """
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in view.entries:
        groups[("place", view.place_code(entry))].append(entry)
        if entry.table == "organizations":
            for credit in view.credit_types(entry):
                groups[("credit", credit)].append(entry)
    related: dict[tuple[str, str], list[tuple[Markup, list[Entry]]]] = defaultdict(list)
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


def _badge(entry: Entry, status: Status | None, options: SiteOptions) -> dict[str, Any] | None:
    """The badge's size and copy-paste snippet: offered to providers in good standing only."""
    if status is None or status.code != GOOD_STANDING:
        return None
    width, height = badge_size(entry, status)
    return {"snippet": badge_snippet(entry, status, options.site_url), "width": width, "height": height}


# --------------------------------------------------------------------------- by country, by credit type


def country_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for entry in view.entries:
        by_country[entry.values["country"]].append(entry)
    index_uri = f"{DIRECTORY_ROOT}/country/index.md"
    # By name, as a reader looks for a country; the code breaks a tie between unknown codes.
    countries = sorted(by_country, key=lambda code: (country_name(code).casefold(), code))
    groups = [
        {
            "name": country_name(code),
            "count": len(by_country[code]),
            "url": relative_url(index_uri, listing_uri(1, f"country/{code.lower()}")),
        }
        for code in countries
    ]
    yield _page(
        index_uri,
        "Directory by country",
        env.get_template("groups.html").render(
            title="Directory by country",
            intro="Entries by the country their source names (country names from ISO 3166-1).",
            groups=groups,
            links=_section_links(index_uri),
        ),
        search_index=False,
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
    index_uri = f"{DIRECTORY_ROOT}/credit-type/index.md"
    known = sorted(term for (vocabulary, term) in view.labels if vocabulary == "credit-type")
    groups = [
        {
            "name": view.label("credit-type", term),
            "count": len(by_credit.get(term, [])),
            "url": relative_url(index_uri, listing_uri(1, f"credit-type/{term}")),
        }
        for term in known
    ]
    yield _page(
        index_uri,
        "Directory by credit type",
        env.get_template("groups.html").render(
            title="Directory by credit type",
            intro="Organizations by the credit they accept. " + DISCLAIMER,
            groups=groups,
            links=_section_links(index_uri),
        ),
        search_index=False,
    )
    template = env.get_template("acceptances.html")
    per_page = view.options.per_page
    for term in known:
        rows = by_credit.get(term, [])
        section = f"credit-type/{term}"
        feed = feed_path(section) if view.changes is not None else ""
        label = view.label("credit-type", term)
        page_count = max(1, math.ceil(len(rows) / per_page))
        for number in range(1, page_count + 1):
            uri = listing_uri(number, section)
            chunk = rows[(number - 1) * per_page : number * per_page]
            title = f"Organizations that accept {isolate(label)}"
            body = template.render(
                heading=Markup("Organizations that accept {}").format(data(label)),
                label=label,
                rows=[
                    (view.row(org, uri), acceptance, view.counted_as(acceptance, uri))
                    for org, acceptance in chunk
                ],
                pages=_pagination(uri, section, number, page_count),
                page_count=page_count,
                total=len(rows),
                links=_section_links(uri),
                disclaimer=DISCLAIMER,
                feed_url=relative_url(uri, feed) if feed else "",
            )
            shown = title if number == 1 else f"{title}, page {number} of {page_count}"
            extra = {"feed": relative_url(uri, feed), "feed_title": f"Changes: {title}"} if feed else None
            yield _page(uri, shown, body, search_index=False, extra=extra)


def matrix_pages(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """Organizations by credit types; every filled cell has its conditions and a citation."""
    credit_terms = sorted(term for (vocabulary, term) in view.labels if vocabulary == "credit-type")
    columns = [(term, view.label("credit-type", term)) for term in credit_terms]
    organizations = [e for e in view.entries if e.table == "organizations"]
    template = env.get_template("matrix.html")
    per_page = view.options.per_page
    page_count = max(1, math.ceil(len(organizations) / per_page))
    for number in range(1, page_count + 1):
        uri = listing_uri(number, "matrix")
        chunk = organizations[(number - 1) * per_page : number * per_page]
        rows = []
        for org in chunk:
            by_term = {a.values["credit_type"]: a for a in view.acceptances.get(org.id, [])}
            rows.append((view.row(org, uri), [by_term.get(term) for term in credit_terms]))
        body = template.render(
            columns=columns,
            rows=rows,
            pages=_pagination(uri, "matrix", number, page_count),
            page_count=page_count,
            total=len(organizations),
            links=_section_links(uri),
            disclaimer=DISCLAIMER,
        )
        title = "Acceptance matrix" if number == 1 else f"Acceptance matrix, page {number} of {page_count}"
        yield _page(uri, title, body, search_index=False)


# --------------------------------------------------------------------------- changes


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
        else [view.change(item, CHANGES_PAGE, labels) for item in view.changes[:PAGE_ENTRIES]],
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
        links=_section_links(CHANGES_PAGE),
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
    yield _page(CHANGES_PAGE, "Recent changes to the directory", body, search_index=False, extra=extra)
    if view.changes is None:
        return
    updated = (
        view.changes[0].change.date if view.changes else view.options.today.isoformat() + "T00:00:00+00:00"
    )
    credit_label = lambda term: view.label("credit-type", term)  # noqa: E731
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


# --------------------------------------------------------------------------- downloads

EXPORT_INDEX = f"{EXPORT_ROOT}/index.md"
EXPORT_TITLE = "Download the directory"


def export_index_page(
    directory: Directory, schema: Schema, env: jinja2.Environment, options: SiteOptions
) -> GeneratedPage:
    """/directory/export/: each export with what it holds, how much, and a link."""
    files = [
        {
            "name": export.path.rsplit("/", 1)[-1],
            "url": relative_url(EXPORT_INDEX, export.path),
            "description": export.description,
            "size": export.size,
            "download": export.download,
        }
        for export in export_catalogue(directory, schema)
    ]
    body = env.get_template("exports.html").render(
        title=EXPORT_TITLE,
        files=files,
        today=options.today.isoformat(),
        links=_section_links(EXPORT_INDEX),
    )
    return _page(EXPORT_INDEX, EXPORT_TITLE, body)


def _page(
    src_uri: str,
    title: str,
    body: str | Callable[[], str],
    *,
    search_index: bool = True,
    extra: dict[str, str] | None = None,
) -> GeneratedPage:
    """A Markdown page: front matter of YAML double-quoted strings and a body of HTML (or
    what renders it, when the page is written).

    The title is HTML-escaped because Material prints page titles unescaped.
    """
    front = [f"title: {yaml_string(html.escape(title, quote=False))}"]
    if not search_index:
        front.append("search_index: false")
    for key, value in (extra or {}).items():
        front.append(f"{key}: {yaml_string(value)}")
    content = "---\n" + "\n".join(front) + "\n---\n"
    if callable(body):
        return GeneratedPage(src_uri, content, render=body)
    return GeneratedPage(src_uri, content, body.strip() + "\n")


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar of printable ASCII, whatever it holds.

    Like JSON's quoting for most text, but a character beyond U+FFFF is written as YAML's
    ``\\U0001F680``: JSON's surrogate pair (``\\ud83d\\ude80``) reads back in YAML as two
    lone surrogates, and MkDocs then drops the title for the file's name.
    """
    quoted = []
    for ch in text:
        if ch in '"\\':
            quoted.append("\\" + ch)
        elif " " <= ch <= "~":
            quoted.append(ch)
        elif ord(ch) <= 0xFFFF:
            quoted.append(f"\\u{ord(ch):04x}")
        else:
            quoted.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(quoted) + '"'
