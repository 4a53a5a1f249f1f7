"""The directory as its pages see it: the published entries with everything derived from them.

A :class:`DirectoryView` is made whole by :meth:`DirectoryView.of` and never changed after:
the statuses and the checks are computed there once, and the pages, the answers, the exports,
the badges and the search records all read them from it, so no two can disagree.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from calc.ceu import MINUTES_PER_CEU
from calc.conversions import system_from_record
from calc.numbers import approximately
from calc.policy import CreditSystem, figure_under, rule_words
from directory.changes import ChangeItem, change_items
from directory.check_report import Check, RowChecks, row_checks
from directory.history import Change
from directory.places import country_name, place_code, place_name, region_name
from directory.records import Directory, Entry
from directory.schema import Column, Schema
from directory.site_files import profile_uri, relative_url
from directory.status import Status, statuses_from
from directory.templates import data

#: The CEU calculator's page (its "whose rule?" choice is set with ``?rule=<credit-system id>``).
CALCULATOR_PAGE = "calculator.md"
#: The "Will this count?" page, set to an entry by ``?body=<organization id>`` or
#: ``?provider=<provider id>``. Profiles link it only when the site has it (SiteOptions.site_pages).
WILL_IT_COUNT_PAGE = "will-it-count.md"
#: The query parameter that sets that page to an entry of each table.
WILL_IT_COUNT_PARAMETER = {"organizations": "body", "providers": "provider"}
#: Contact minutes in one unit of a credit type, where the engine defines the unit
#: (1.0 IACET CEU = 10 contact hours): a verdict then says what one unit is worth in the
#: unit the organization counts in ("1 IACET CEU = 10 PDC").
CREDIT_TYPE_MINUTES = {"iacet-ceu": MINUTES_PER_CEU}
#: Histories by (table, key columns) -> the changes to that row (directory.history).
Histories = dict[tuple[str, tuple[str, ...]], list[Change]]


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


@dataclass(frozen=True)
class DirectoryView:
    """The published entries with everything the pages derive from them, computed once (``of``)."""

    schema: Schema
    options: SiteOptions
    #: The listed entries, by name.
    entries: list[Entry]
    #: (vocabulary, term) -> the term's label.
    labels: dict[tuple[str, str], str]
    #: Organization id -> its acceptances, in file order.
    acceptances: dict[str, list[Entry]]
    #: Provider id -> its status, the one every page, answer, export and badge shows.
    statuses: dict[str, Status]
    #: Credit-system id -> its rule, for acceptances that name the unit they count in.
    rules: dict[str, CreditSystem]
    #: Credit-system ids a credential's recertification requirement counts in (requirements.csv).
    renewals: frozenset[str]
    #: Every change to an entry or its acceptances, newest first; None when the build has no history.
    changes: list[ChangeItem] | None
    #: (table, id) -> that entry's changes, newest first.
    changes_by_entry: dict[tuple[str, str], list[ChangeItem]]
    #: (table, id) -> the last checks of the entry's current source and IACET record (checks.csv).
    checks: dict[tuple[str, str], RowChecks]
    #: (table, id) -> the row's additional sources (sources.csv), shown under its own source.
    additional: dict[tuple[str, str], list[Entry]]
    #: (table, column) -> the column's label, for changes named field by field.
    column_labels: dict[tuple[str, str], str]

    @classmethod
    def of(
        cls,
        directory: Directory,
        schema: Schema,
        options: SiteOptions,
        histories: Histories | None = None,
    ) -> DirectoryView:
        """The view of ``directory``, whole: every field computed here, none later."""
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
        acceptances = dict(accepted)
        # The checks once, for the profiles that show them and the statuses that weigh them;
        # the pages, answers, exports and badges all read these statuses (view.statuses).
        providers = directory.of("providers")
        checked = entries if "providers" in listed else [*entries, *providers]
        additional = directory.additional_sources()
        checks = row_checks(checked, directory.of("checks"), options.iacet_provider_url, additional)
        changes = None
        by_entry: dict[tuple[str, str], list[ChangeItem]] = {}
        if histories is not None:
            changes = change_items(
                histories,
                {(e.table, e.id): e.values for e in entries},
                {e.id: _credit_types(acceptances, e) for e in entries if e.table == "organizations"},
            )
            for item in changes:
                by_entry.setdefault((item.entry_table, item.entry_id), []).append(item)
        return cls(
            schema=schema,
            options=options,
            entries=entries,
            labels=labels,
            acceptances=acceptances,
            statuses=statuses_from(providers, options.today, checks, additional),
            rules={e.id: system_from_record(e.values) for e in directory.of("credit_systems")},
            renewals=frozenset(e.values.get("credit_system", "") for e in directory.of("requirements")),
            changes=changes,
            changes_by_entry=by_entry,
            checks=checks,
            additional=additional,
            column_labels={(table.key, c.name): c.label for table in schema.tables for c in table.columns},
        )

    def label(self, vocabulary: str, term: str) -> str:
        return self.labels.get((vocabulary, term), term)

    def credit_types(self, entry: Entry) -> list[str]:
        """Credit types an organization accepts (its acceptances' terms, in file order)."""
        return _credit_types(self.acceptances, entry)

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
            if system.id in self.renewals:  # a requirement counts in it: the credit counts toward renewal
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
            if column.name in SHOWN_SEPARATELY or not entry.values[column.name]:
                continue
            name, code = _filter(column, entry)
            if name:
                found.setdefault(name, []).append(code or shown_value(column, entry, self))
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


def _credit_types(acceptances: dict[str, list[Entry]], entry: Entry) -> list[str]:
    """Credit types an organization accepts (its acceptances' terms, in file order)."""
    return list(dict.fromkeys(a.values["credit_type"] for a in acceptances.get(entry.id, [])))


#: Shown in their own section of the profile rather than the facts table.
SHOWN_SEPARATELY = frozenset(
    {
        "id",
        "name",
        "standing",
        "source_url",
        "source_kind",
        "source_date",
        "source_quote",
        "verified_on",
        "sourcing",
        # The provider's certificate signing key and its source: a section of their own.
        "issuer_did",
        "issuer_did_source",
    }
)


def shown_value(column: Column, entry: Entry, view: DirectoryView) -> str:
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


def profile_facts(view: DirectoryView, entry: Entry) -> list[tuple[Column, str]]:
    """The facts a profile lists (each column with a value not shown in a section of its own),
    as shown: what the profile prints and what its search record holds."""
    table = view.schema.table(entry.table)
    return [
        (column, shown_value(column, entry, view))
        for column in table.columns
        if column.name not in SHOWN_SEPARATELY and entry.values[column.name]
    ]


def _filter(column: Column, entry: Entry) -> tuple[str, str]:
    """The search filter a fact feeds, if any (the directory search counts these), and the
    value it gives when that is a code rather than the text shown (country ``US``, region ``US-TX``).
    """
    if column.name == "country":
        return "country", entry.values["country"]
    if column.name == "region":
        return "region", place_code(entry.values["country"], entry.values["region"])
    return ("kind", "") if column.name == "kind" else ("", "")
