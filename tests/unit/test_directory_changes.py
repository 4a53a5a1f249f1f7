"""Changes as a learner follows them: items named by their entry, feeds, stable ids, hostile text."""

from __future__ import annotations

import feedparser
from hypothesis import given
from hypothesis import strategies as st

from directory.changes import (
    FEED_ENTRIES,
    ChangeItem,
    atom_feed,
    change_items,
    changes_document,
    feeds,
    moment,
)
from directory.history import Change, FieldChange

REPOSITORY = "https://github.com/openceu/openceu"


def change(table: str, key: str, day: int, kind: str = "added", sha: str = "", **row: str) -> Change:
    return Change(
        table,
        (key,),
        sha or f"{day:02d}" + "a" * 38,
        f"2026-03-{day:02d}T12:00:00+00:00",
        f"commit of day {day}",
        kind,
        row=row,
    )


def label(term: str) -> str:
    return {"iacet-ceu": "IACET CEU", "hrci": "HRCI credits"}.get(term, term)


def test_an_acceptance_is_its_organizations_change_and_a_removed_entry_keeps_its_last_name() -> None:
    histories = {
        ("organizations", ("board",)): [
            change("organizations", "board", 1, name="State Board", country="US"),
            change("organizations", "board", 4, "removed", name="State Board", country="US"),
        ],
        ("acceptances", ("board-hrci",)): [
            change("acceptances", "board-hrci", 2, organization_id="board", credit_type="hrci"),
        ],
        ("providers", ("acme",)): [change("providers", "acme", 3, name="Acme Academy", country="CA")],
        ("credit_systems", ("shrm-pdc",)): [change("credit_systems", "shrm-pdc", 5)],
    }
    published = {("providers", "acme"): {"name": "Acme Academy", "country": "CA"}}
    items = change_items(histories, published, {})
    assert [(i.day, i.entry_id, i.name, i.credit_type, i.published) for i in items] == [
        ("2026-03-04", "board", "State Board", "", False),
        ("2026-03-03", "acme", "Acme Academy", "", True),
        ("2026-03-02", "board", "State Board", "hrci", False),
        ("2026-03-01", "board", "State Board", "", False),
    ]  # a credit system's change is not an entry's
    by_path = {
        feed.path: [i.entry_id for i in feed.items]
        for feed in feeds(items, ["CA"], [("hrci", "HRCI credits")])
    }
    assert by_path == {
        "directory/changes/all.atom": ["board", "acme", "board", "board"],
        "directory/changes/country/ca.atom": ["acme"],
        "directory/changes/country/us.atom": ["board", "board", "board"],
        "directory/changes/credit-type/hrci.atom": ["board"],
    }
    us = next(feed for feed in feeds(items, ["CA"], []) if feed.path.endswith("us.atom"))
    assert us.page == "directory/changes/index.md"  # no US entry is left, so no US page


def feed_xml(items: list[ChangeItem], site_url: str) -> str:
    (everything, *_) = feeds(items, [], [])
    return atom_feed(
        everything,
        site_url=site_url,
        repository=REPOSITORY,
        updated="2026-03-09T00:00:00+00:00",
        credit_label=label,
        labels={("providers", "name"): "Name"},
    )


def test_entry_ids_do_not_depend_on_the_sites_address_and_hostile_text_stays_text() -> None:
    hostile = 'Evil <script>alert(1)</script> ]]> & "Co" \x01\x0b'
    renamed = Change(
        "providers",
        ("acme",),
        "b" * 40,
        "2026-03-02T09:30:00-05:00",
        hostile,
        "changed",
        (FieldChange("name", "Acme", hostile),),
        row={"name": hostile, "country": "US"},
    )
    items = change_items({("providers", ("acme",)): [renamed]}, {("providers", "acme"): renamed.row}, {})
    local = feedparser.parse(feed_xml(items, "http://127.0.0.1:8000/"))
    published = feedparser.parse(feed_xml(items, "https://openceu.example/"))
    assert not local.bozo and not published.bozo
    assert [e.id for e in local.entries] == [e.id for e in published.entries]
    assert local.feed.id == published.feed.id
    (entry,) = local.entries
    shown = 'Evil <script>alert(1)</script> ]]> & "Co" \ufffd\ufffd'
    assert entry.title == f"{shown}: changed"
    assert entry.summary == f"Name: Acme → {shown}\nCommit {'b' * 12}: {shown}"
    assert entry.link == "http://127.0.0.1:8000/directory/providers/acme/"
    assert entry.updated == "2026-03-02T09:30:00-05:00"


def test_a_change_to_notes_is_named_in_the_feed_and_the_json_without_its_words() -> None:
    rewritten = Change(
        "providers",
        ("acme",),
        "c" * 40,
        "2026-03-02T09:30:00+00:00",
        "plain notes",
        "changed",
        (FieldChange("city", "Reston", "Austin"), FieldChange("notes", "", "", quoted=False)),
        row={"name": "Acme", "country": "US"},
    )
    items = change_items({("providers", ("acme",)): [rewritten]}, {("providers", "acme"): rewritten.row}, {})
    (entry,) = feedparser.parse(feed_xml(items, "http://127.0.0.1:8000/")).entries
    labels = {("providers", "notes"): "Notes", ("providers", "city"): "City"}
    assert entry.summary.splitlines()[:2] == [
        "city: Reston → Austin",
        "notes: changed (the commit shows the words)",
    ]
    document = changes_document(items, repository=REPOSITORY, credit_label=label, labels=labels)
    (only,) = document["changes"]  # type: ignore[misc]
    assert only["fields"][1] == {"name": "notes", "label": "Notes", "before": None, "after": None}


def test_the_json_names_removed_entries_without_a_page() -> None:
    gone = change("providers", "acme", 3, "removed", name="Acme Academy", country="CA")
    items = change_items({("providers", ("acme",)): [gone]}, {}, {})
    document = changes_document(items, repository=REPOSITORY, credit_label=label, labels={})
    (only,) = document["changes"]  # type: ignore[misc]
    assert only["path"] is None and only["headline"] == "Acme Academy: removed"
    assert only["commit_url"] == f"{REPOSITORY}/commit/{gone.commit}"
    assert only["anchor"] == f"change-{gone.commit[:12]}-providers-acme"


days = st.integers(min_value=1, max_value=28)
hours = st.integers(min_value=-12, max_value=12)


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), days, hours, st.sampled_from(["US", "CA", "GB"])),
        max_size=80,
    )
)
def test_items_run_newest_first_and_each_feed_keeps_its_newest(rows: list[tuple[str, int, int, str]]) -> None:
    histories: dict[tuple[str, tuple[str, ...]], list[Change]] = {}
    for n, (key, day, offset, country) in enumerate(rows):
        stamp = f"2026-03-{day:02d}T12:00:00{offset:+03d}:00"
        histories.setdefault(("providers", (key,)), []).append(
            Change(
                "providers", (key,), f"{n:040x}", stamp, "s", "changed", row={"name": key, "country": country}
            )
        )
    items = change_items(histories, {}, {})
    times = [moment(item.change) for item in items]
    assert times == sorted(times, reverse=True) and len(items) == len(rows)
    for feed in feeds(items, [], []):
        scope = feed.path.rsplit("/", 1)[-1].removesuffix(".atom").upper()
        wanted = [i for i in items if scope == "ALL" or i.country == scope][:FEED_ENTRIES]
        assert list(feed.items) == wanted
