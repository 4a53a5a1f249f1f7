"""Checks across the directory's tables, on top of each cell's own checks in records.py.

Cross-table rules: every vocabulary term and every referenced id exists; an id
names one entry in the whole directory; no two rows of a table name the same
organization (names and websites compared after normalisation); no two entries'
names look alike while spelled with different characters (confusable skeletons);
near-duplicate names are warnings; generated (synthetic) rows, and links to example,
test and local hosts (reserved_hosts.py), are refused unless the caller builds a test or
benchmark dataset.

The browser's Suggest page imports this module for the one-row rules, so it keeps
to the standard library; the look-alike check imports its compiled helper lazily.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from directory.data_files import MAX_TABLE_BYTES, check_folder, open_data_file
from directory.records import (
    ADDITIONAL_SOURCES,
    Directory,
    Entry,
    Problem,
    ProblemList,
    quoted,
    read_rows,
    url_problem,
)
from directory.records import COUNTRY as COUNTRY_CODE
from directory.reserved_hosts import reserved_host
from directory.schema import Schema, Table

SYNTHETIC = "synthetic"
#: How similar two normalised names must be to be reported as a possible duplicate.
NEAR_DUPLICATE_RATIO = 0.9
#: Neighbours compared after sorting by normalised name (keeps the check O(n log n)).
NEIGHBOURS = 3
_NUMBER = re.compile(r"\d+")
#: How much of a name a message quotes (the schema's limit for names; longer is an error of its own).
NAME_SHOWN = 200


def validate_directory(
    data_dir: Path, schema: Schema, today: dt.date, *, allow_synthetic: bool = False
) -> Directory:
    """Read every table and check every rule; problems come back sorted by file and line.

    Every table file is opened and judged (data_files.open_data_file) before any is read,
    so a file that is not a regular file of the folder within its size raises DataFileError,
    one line, and nothing of the data is read. Problems repeated on many rows are shown
    SHOWN_ALIKE times and counted (records.ProblemList).
    """
    check_folder(data_dir)
    found = ProblemList()
    entries: list[Entry] = []
    with ExitStack() as opened:
        handles: list[tuple[Table, BinaryIO | None]] = []
        for table in schema.tables:
            try:
                handles.append(
                    (table, opened.enter_context(open_data_file(data_dir / table.file, MAX_TABLE_BYTES)))
                )
            except FileNotFoundError:
                handles.append((table, None))
        for table, handle in handles:
            if handle is None:
                if not table.optional:
                    found.add(Problem(table.file, 0, "-", "file is missing"))
                continue
            entries += read_rows(handle, data_dir / table.file, table, today, found)
    by_table: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_table[entry.table].append(entry)
    found.extend(shared_ids(schema, by_table))
    found.extend(look_alike_names(schema, by_table))
    found.extend(unknown_places(schema, by_table))
    found.extend(credit_rules(schema, by_table, found))
    found.extend(requirement_rules(schema, by_table, found))
    found.extend(checked_rows(schema, by_table))
    found.extend(additional_sources(schema, by_table))
    for table in schema.tables:
        rows = by_table[table.key]
        found.extend(references(table, rows, schema, by_table))
        found.extend(duplicates(table, rows))
        found.extend(undated_lapses(table, rows))
        found.extend(unsourced_keys(table, rows))
        found.extend(shared_keys(table, rows))
        if not allow_synthetic:
            found.extend(synthetic_rows(table, rows))
            found.extend(reserved_addresses(table, rows))
    problems = sorted(found.problems(), key=lambda p: (p.file, p.line, p.field, p.message))
    return Directory(tuple(entries), tuple(problems))


def credit_rules(schema: Schema, by_table: dict[str, list[Entry]], found: ProblemList) -> Iterator[Problem]:
    """Each credit-system row's rule can be applied as written (calc.policy.rule_problems).

    The cells were checked one by one already; a row with a bad cell is skipped here, so
    a typo is reported once, at its cell, not again as a rule that does not work.
    """
    if "credit_systems" not in {table.key for table in schema.tables}:
        return
    # Lazily, like the look-alike check: the Suggest page runs this module without the engine.
    from calc.conversions import system_from_record
    from calc.policy import rule_problems

    file = schema.table("credit_systems").file
    bad_lines = set(found.error_lines(file))
    for entry in by_table.get("credit_systems", []):
        if entry.line in bad_lines:
            continue
        try:
            system = system_from_record(entry.values)
        except (ValueError, ArithmeticError):
            continue  # a cell the schema lets through but the engine cannot read is reported by the build
        for column, message in rule_problems(system):
            yield Problem(file, entry.line, column, message)


def requirement_rules(
    schema: Schema, by_table: dict[str, list[Entry]], found: ProblemList
) -> Iterator[Problem]:
    """Each requirement row can be counted as written (calc.requirements.requirement_problems):
    its limits name known activity kinds, and its worked example, counted under the row, gives
    the source's own figures. Rows with a bad cell, or whose credit system has one, are skipped
    (reported at the cell)."""
    keys = {table.key for table in schema.tables}
    if not {"requirements", "credit_systems", "vocabularies"} <= keys:
        return
    from calc.conversions import system_from_record
    from calc.requirement_table import requirement_problems
    from calc.requirements import requirement_from_record

    file = schema.table("requirements").file
    bad_lines = set(found.error_lines(file))
    bad_systems = set(found.error_lines(schema.table("credit_systems").file))
    systems = {}
    for entry in by_table.get("credit_systems", []):
        if entry.line not in bad_systems:
            try:
                systems[entry.values["id"]] = system_from_record(entry.values)
            except (ValueError, ArithmeticError):
                continue
    kinds = {
        entry.values["id"]: entry.values.get("label", "")
        for entry in by_table.get("vocabularies", [])
        if entry.values.get("vocabulary") == "activity-kind"
    }
    for entry in by_table.get("requirements", []):
        if entry.line in bad_lines or entry.values.get("credit_system") not in systems:
            continue
        try:
            requirement = requirement_from_record(entry.values, systems, kinds)
        except ValueError as error:
            column, _, message = str(error).partition(": ")
            yield Problem(file, entry.line, column if message else "limits", message or str(error))
            continue
        for column, message in requirement_problems(requirement, kinds):
            yield Problem(file, entry.line, column, message)


def checked_rows(schema: Schema, by_table: dict[str, list[Entry]]) -> Iterator[Problem]:
    """A source check names a row that exists (a warning: the next check-sources run drops it)."""
    if "checks" not in {table.key for table in schema.tables}:
        return
    file = schema.table("checks").file
    ids = {(key, entry.values.get("id", "")) for key, rows in by_table.items() for entry in rows}
    for check in by_table.get("checks", []):
        table, row_id = check.values["table"], check.values["id"]
        if (table, row_id) not in ids:
            message = (
                f"{table} has no row {quoted(row_id)} (removed or renamed since the check); "
                "the next `ceu directory check-sources` run drops this line"
            )
            yield Problem(file, check.line, "id", message, "warning")


def additional_sources(schema: Schema, by_table: dict[str, list[Entry]]) -> Iterator[Problem]:
    """A row of sources.csv supports a row that exists, with another page than the ones it has.

    Profiles show the source under its row and the status rule may count it, so a source for a
    row that is not there (a typo, a renamed id) would be lost without a word; and the row's own
    page, or the same page twice (http or https, 'www.' and a final '/' aside), adds no evidence.
    """
    if ADDITIONAL_SOURCES not in {table.key for table in schema.tables}:
        return
    table = schema.table(ADDITIONAL_SOURCES)
    tables = {column.name: column for column in table.columns}["table"].values
    files = {t.key: t.file for t in schema.tables}
    rows = {(key, entry.id): entry for key in tables for entry in by_table.get(key, [])}
    seen: dict[tuple[str, str, str], Entry] = {}
    for source in by_table.get(ADDITIONAL_SOURCES, []):
        row_table, row_id, url = (source.values[name] for name in ("table", "id", "source_url"))
        if row_table not in tables or not row_id or url_problem(url):
            continue  # reported on the cell
        row = rows.get((row_table, row_id))
        if row is None:
            yield Problem(
                table.file,
                source.line,
                "id",
                f"{files[row_table]} has no row {quoted(row_id)}; an additional source supports a row "
                "that exists: correct the table or id, or add the row first",
            )
            continue
        page = normalise_website(url)
        if page == normalise_website(row.values.get("source_url", "")):
            yield Problem(
                table.file,
                source.line,
                "source_url",
                f"{quoted(url)} is the row's own source ({files[row_table]} line {row.line}); an "
                "additional source is another page that says it too",
            )
            continue
        first = seen.setdefault((row_table, row_id, page), source)
        if first is not source and first.values["source_url"] != url:  # the very same URL: read_rows says so
            yield Problem(
                table.file,
                source.line,
                "source_url",
                f"{quoted(url)} is the same page as line {first.line} ({quoted(first.values['source_url'])}) "
                "for this row, written another way; keep one",
            )


def references(
    table: Table, rows: list[Entry], schema: Schema, by_table: dict[str, list[Entry]]
) -> Iterator[Problem]:
    vocabularies: dict[str, set[str]] = defaultdict(set)
    for row in by_table.get("vocabularies", []):
        vocabularies[row.values["vocabulary"]].add(row.values["id"])
    ids = {key: {entry.id for entry in entries} for key, entries in by_table.items()}
    for column in table.columns:
        if column.type == "vocab":
            known = vocabularies.get(column.vocabulary, set())
            for entry in rows:
                for term in entry.terms(column.name):
                    if term not in known:
                        choices = ", ".join(sorted(known)) or "none yet"
                        yield Problem(
                            table.file,
                            entry.line,
                            column.name,
                            f"{term!r} is not in the {column.vocabulary} vocabulary ({choices}); "
                            "add it to vocabularies.csv or use one of these",
                        )
        elif column.type == "ref":
            target = schema.table(column.table)
            for entry in rows:
                value = entry.values[column.name]
                if value and value not in ids.get(column.table, set()):
                    yield Problem(
                        table.file, entry.line, column.name, f"{value!r} is not an id in {target.file}"
                    )


def shared_ids(schema: Schema, by_table: dict[str, list[Entry]]) -> Iterator[Problem]:
    """An id names one entry in the whole directory, not one per table.

    Pages, badges, statuses and the conversion table look an entry up by its id
    alone, so a provider and an organization with one id would show each other's
    status. Both rows are named, each from the other's side. Tables keyed by more
    than the id (vocabularies) keep their ids to themselves.
    """
    first: dict[str, tuple[Table, Entry]] = {}
    for table in schema.tables:
        if table.row_key != ("id",):
            continue
        for entry in by_table[table.key]:
            if not entry.id:
                continue  # "is required" is reported on the row
            other_table, other = first.setdefault(entry.id, (table, entry))
            if other_table is table:
                continue  # the same table: read_rows reports a repeated id
            why = "ids are unique across the directory's tables, because pages, badges and exports find an entry by its id alone"
            yield Problem(
                table.file,
                entry.line,
                "id",
                f"{entry.id!r} is already the id of {other_table.file} line {other.line} "
                f"({quoted(other.name)}); {why}",
            )
            yield Problem(
                other_table.file,
                other.line,
                "id",
                f"{other.id!r} is also the id of {table.file} line {entry.line} ({quoted(entry.name)}); {why}",
            )


def look_alike_names(schema: Schema, by_table: dict[str, list[Entry]]) -> Iterator[Problem]:
    """Names that look the same on screen but are spelled with other characters are an error.

    'College Board' with a Cyrillic o (U+043E) or a zero-width space imitates 'College Board'
    whether in the same table or the other one. The same spelling in two tables is
    allowed with a warning: one body can be a provider and an organization.
    """
    from directory.look_alikes import skeleton  # a compiled package: not in the browser's bundle

    files = {table.key: table.file for table in schema.tables}
    first: dict[str, Entry] = {}
    for table in schema.tables:
        if "name" not in table.column_names or table.row_key != ("id",):
            continue
        for entry in by_table[table.key]:
            name = entry.values["name"]
            key = skeleton(name)
            if not key:
                continue  # no visible character: reported on the row
            other = first.setdefault(key, entry)
            if other is entry:
                continue
            other_name = other.values["name"]
            where = f"{files[other.table]} line {other.line}"
            if normalise_name(name) != normalise_name(other_name):
                yield Problem(
                    table.file,
                    entry.line,
                    "name",
                    f"{quoted(name, NAME_SHOWN)} looks the same as {quoted(other_name, NAME_SHOWN)} on {where} (id {other.id!r}) but is "
                    "spelled with other characters (look-alike letters from another script, or invisible ones); "
                    "type the name as its source writes it, or merge the rows",
                )
            elif other.table != entry.table and not same_site(entry, other):
                yield Problem(
                    table.file,
                    entry.line,
                    "name",
                    f"{quoted(name, NAME_SHOWN)} is also the name of {where} (id {other.id!r}); if it is one body "
                    "in two roles give both rows its website, otherwise tell them apart",
                    severity="warning",
                )


def same_site(first: Entry, second: Entry) -> bool:
    """Two rows name one body when both give the same website (scheme, 'www.' and a final '/' aside).

    A provider that also sets a rule for credit (SCDM accredits its own courses and renews the
    CCDM) is one body in two roles; the website is what says so, since the names are equal anyway.
    """
    sites = {site_of(entry.values.get("website", "")) for entry in (first, second)}
    return len(sites) == 1 and "" not in sites


def site_of(website: str) -> str:
    """'https://www.SCDM.org/' -> 'scdm.org': the part of a website that names the body.

    A website that cannot be parsed names nothing here (''); its own row reports why.
    """
    try:
        parts = urlsplit(website.lower())
    except ValueError:  # 'http://[x': an unclosed IPv6 bracket
        return ""
    return (parts.hostname or "").removeprefix("www.") + parts.path.rstrip("/")


#: Two-letter codes people reach for that ISO 3166-1 spells otherwise (UK is reserved, not assigned).
_COUNTRY_HINTS = {"UK": "GB", "EN": "GB"}
#: How many of a country's subdivision codes a message lists.
REGIONS_SHOWN = 8


def unknown_places(schema: Schema, by_table: dict[str, list[Entry]]) -> Iterator[Problem]:
    """A country or region code of the right shape that ISO 3166 does not have is an error.

    Pages show a place by its ISO name and the country index groups by code, so 'UK' would
    make a page of its own, titled 'UK', apart from the 'GB' rows. Codes of the wrong shape
    are reported on the row already and skipped here.
    """
    from directory.places import (  # pycountry: build time only
        country_name,
        is_country,
        is_region,
        region_codes,
    )

    for table in schema.tables:
        if "country" not in table.column_names:
            continue
        for entry in by_table[table.key]:
            country = entry.values.get("country", "")
            region = entry.values.get("region", "")
            if country and COUNTRY_CODE.fullmatch(country) and not is_country(country):
                hint = _COUNTRY_HINTS.get(country)
                yield Problem(
                    table.file,
                    entry.line,
                    "country",
                    f"{quoted(country)} is not a country code in ISO 3166-1"
                    + (
                        f"; {country_name(hint)} is {hint!r}"
                        if hint
                        else "; look it up at https://www.iso.org/obp/ui/#search"
                    ),
                )
            elif region and is_country(country) and not is_region(country, region):
                known = region_codes(country)
                if known:
                    shown = ", ".join(known[:REGIONS_SHOWN]) + (", ..." if len(known) > REGIONS_SHOWN else "")
                    why = f"its codes are {shown}"
                else:
                    why = "ISO 3166-2 gives it none: leave region blank"
                yield Problem(
                    table.file,
                    entry.line,
                    "region",
                    f"{quoted(region)} is not a subdivision of {country_name(country)} ({country}) in ISO 3166-2; {why}",
                )


def normalise_name(name: str) -> str:
    """Case, accents and punctuation do not make two organizations different."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def normalise_website(url: str) -> str:
    """Scheme, case, 'www.' and a trailing slash do not make two websites different."""
    text = re.sub(r"^https?://", "", url.strip().casefold())
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def duplicates(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    columns = set(table.column_names)
    if "name" in columns:
        yield from _same_after_normalising(table, rows, "name", normalise_name)
        yield from _near_duplicate_names(table, rows)
    if "website" in columns:
        yield from _same_after_normalising(table, rows, "website", normalise_website)


def _same_after_normalising(
    table: Table, rows: list[Entry], column: str, normalise: Callable[[str], str]
) -> Iterator[Problem]:
    first: dict[str, Entry] = {}
    for entry in rows:
        value = entry.values[column]
        if not value:
            continue
        key = normalise(value)
        if key in first:
            other = first[key]
            yield Problem(
                table.file,
                entry.line,
                column,
                f"{value!r} is the same {column} as line {other.line} ({other.values[column]!r}, id "
                f"{other.id!r}); merge the rows or tell them apart",
            )
        else:
            first[key] = entry


def _near_duplicate_names(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    named = sorted(
        ((normalise_name(e.values["name"]), e) for e in rows if e.values["name"]), key=lambda pair: pair[0]
    )
    for index, (name, entry) in enumerate(named):
        for other_name, other in named[index + 1 : index + 1 + NEIGHBOURS]:
            if name == other_name:
                continue  # an exact duplicate is already an error
            if _NUMBER.findall(name) != _NUMBER.findall(other_name):
                continue  # "Region 4 Service Center" and "Region 5 Service Center" are different bodies
            matcher = difflib.SequenceMatcher(None, name, other_name)
            if (
                matcher.real_quick_ratio() < NEAR_DUPLICATE_RATIO
                or matcher.quick_ratio() < NEAR_DUPLICATE_RATIO
            ):
                continue  # cheap upper bounds rule most pairs out before the full comparison
            if matcher.ratio() >= NEAR_DUPLICATE_RATIO:
                later, earlier = (entry, other) if entry.line > other.line else (other, entry)
                yield Problem(
                    table.file,
                    later.line,
                    "name",
                    f"{later.values['name']!r} is close to {earlier.values['name']!r} on line "
                    f"{earlier.line}; if they are the same organization, merge the rows",
                    severity="warning",
                )


def synthetic_rows(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    if "source_kind" not in table.column_names:
        return
    for entry in rows:
        if entry.values["source_kind"] == SYNTHETIC:
            yield Problem(
                table.file,
                entry.line,
                "source_kind",
                "this row is synthetic (generated for tests); published data must cite a real source",
            )


def reserved_addresses(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    """A link in published data names a public page: no example, test, local or private host.

    Test and benchmark data (allow_synthetic) may point at example.org or a local test server.
    A link that is not a plain http(s) address is reported by its own cell's check alone.
    """
    columns = [column.name for column in table.columns if column.type == "url"]
    for entry in rows:
        for column in columns:
            value = entry.values.get(column, "")
            if value and url_problem(value) is None and (message := reserved_host(value)):
                yield Problem(table.file, entry.line, column, message)


def undated_lapses(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    """'lapsed' is only published when the source says when; status.py relies on it."""
    if "standing" not in table.column_names:
        return
    for entry in rows:
        if entry.values["standing"] == "lapsed" and not entry.values["source_date"]:
            yield Problem(
                table.file,
                entry.line,
                "source_date",
                "a source that says the accreditation lapsed must be dated; give the date it bears",
            )


#: A provider's certificate signing key (a did:key) and the page or pull request that states it.
ISSUER_DID = "issuer_did"
ISSUER_DID_SOURCE = "issuer_did_source"


def unsourced_keys(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    """A signing key is published only with its source, and a source only with its key.

    The directory's word that a key is a provider's is what makes a signed certificate mean
    something, so it rests on the provider's own statement like every other fact.
    """
    if ISSUER_DID not in table.column_names:
        return
    for entry in rows:
        did, source = entry.values[ISSUER_DID], entry.values[ISSUER_DID_SOURCE]
        if did and not source:
            yield Problem(
                table.file,
                entry.line,
                ISSUER_DID_SOURCE,
                "is required when issuer_did is set: give the provider's own page that states the key, "
                "or the pull request that added it from the provider's domain",
            )
        elif source and not did:
            yield Problem(
                table.file,
                entry.line,
                ISSUER_DID,
                "is blank but issuer_did_source is set: give the key the source states, or leave both blank",
            )


def shared_keys(table: Table, rows: list[Entry]) -> Iterator[Problem]:
    """A signing key names one provider: two rows with one key would make a certificate's issuer
    ambiguous, so both rows are named, each from the other's side."""
    if ISSUER_DID not in table.column_names:
        return
    first: dict[str, Entry] = {}
    for entry in rows:
        did = entry.values[ISSUER_DID]
        if not did:
            continue
        other = first.setdefault(did, entry)
        if other is entry:
            continue
        why = "a signing key names one provider, so a certificate it signs has one issuer"
        yield Problem(
            table.file,
            entry.line,
            ISSUER_DID,
            f"is already the key of line {other.line} ({quoted(other.name)}, id {other.id!r}); {why}",
        )
        yield Problem(
            table.file,
            other.line,
            ISSUER_DID,
            f"is also the key of line {entry.line} ({quoted(entry.name)}, id {entry.id!r}); {why}",
        )


def errors(directory: Directory) -> list[Problem]:
    return [p for p in directory.problems if p.severity == "error"]
