"""The directory's view (directory/view.py) is made whole by DirectoryView.of and never changed:
every page, answer, export, badge and search record reads the same statuses, checks and changes."""

from __future__ import annotations

import dataclasses

import pytest

from directory.records import Directory
from directory.status import GOOD_STANDING
from directory.view import DirectoryView
from tests.unit.test_directory_changes import change
from tests.unit.test_directory_pages import (
    OPTIONS,
    SCHEMA,
    VOCAB,
    acceptance,
    listed_by_iacet,
    organization,
    provider,
)

ACME = provider("acme", "Acme Academy", iacet_provider_number="123")
ENTRIES = (
    ACME,
    listed_by_iacet(ACME),
    provider("zeta", "Zeta Institute"),
    organization("board", "State Board"),
    acceptance("board"),
)
HISTORIES = {
    ("providers", ("acme",)): [
        change("providers", "acme", 1, name="Acme Academy", country="US"),
        change("providers", "acme", 3, "source re-read", name="Acme Academy", country="US"),
    ],
    ("organizations", ("board",)): [change("organizations", "board", 2, name="State Board", country="US")],
}


def view_of(histories=None) -> DirectoryView:
    return DirectoryView.of(Directory(ENTRIES + VOCAB, ()), SCHEMA, OPTIONS, histories)


def test_the_view_cannot_be_changed_once_made():
    view = view_of(HISTORIES)
    for name in (f.name for f in dataclasses.fields(view)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(view, name, getattr(view, name))


def test_every_derived_field_is_made_with_the_view():
    view = view_of(HISTORIES)
    assert [e.id for e in view.entries] == ["acme", "board", "zeta"]
    assert set(view.statuses) == {"acme", "zeta"}
    assert set(view.checks) == {("providers", "acme")}
    assert view.statuses["acme"].code == GOOD_STANDING  # weighed with the check made with the view
    assert view.column_labels[("providers", "name")] == next(
        c.label for c in SCHEMA.table("providers").columns if c.name == "name"
    )
    assert view.changes is not None
    assert [(i.entry_id, i.day) for i in view.changes] == [
        ("acme", "2026-03-03"),
        ("board", "2026-03-02"),
        ("acme", "2026-03-01"),
    ]
    assert {key: [i.day for i in items] for key, items in view.changes_by_entry.items()} == {
        ("providers", "acme"): ["2026-03-03", "2026-03-01"],
        ("organizations", "board"): ["2026-03-02"],
    }


def test_without_history_the_view_says_so_and_has_no_changes():
    view = view_of()
    assert view.changes is None and view.changes_by_entry == {}
