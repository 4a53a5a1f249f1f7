"""The directory a visitor gets stays what it was when its pages were written through MkDocs one
by one: a 1,000-entry build on a fixed day gives the profiles, listings, exports, badges,
answers, sitemap and search records recorded in directory_snapshot.json.gz.

The stored snapshot was made by the build that wrote every profile through MkDocs (before
profiles were filled into a page the theme renders once), save one file: the "Will this
count?" page, recorded again when the calculators' worker settings gained one key (the memory
snapshot's address; the only difference, normalised). A change meant to show (a new fact
on every profile, a reworded line) is recorded again with
``python -m tests.build.directory_snapshot tests/build/directory_snapshot.json.gz``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.build.directory_snapshot import built_snapshot, stored

pytestmark = pytest.mark.build

STORED = Path(__file__).with_name("directory_snapshot.json.gz")


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], dict[str, object]]:
    return stored(STORED), built_snapshot(tmp_path_factory.mktemp("snapshot"))


def test_the_same_files_are_written(snapshots: tuple[dict[str, object], dict[str, object]]) -> None:
    before, after = (set(s["digests"]) for s in snapshots)  # type: ignore[call-overload]
    assert sorted(before - after) == [], "files no longer written"
    assert sorted(after - before) == [], "files written that were not"


def test_every_file_shows_what_it_showed(snapshots: tuple[dict[str, object], dict[str, object]]) -> None:
    before, after = snapshots
    old, new = before["digests"], after["digests"]
    assert isinstance(old, dict) and isinstance(new, dict)
    changed = sorted(name for name in old.keys() & new.keys() if old[name] != new[name])
    samples_before, samples_after = before["samples"], after["samples"]
    assert isinstance(samples_before, dict) and isinstance(samples_after, dict)
    shown = [
        "".join(
            difflib.unified_diff(
                samples_before[name].splitlines(keepends=True),
                samples_after[name].splitlines(keepends=True),
                f"before/{name}",
                f"after/{name}",
                n=2,
            )
        )
        for name in changed
        if name in samples_before
    ]
    assert changed == [], f"{len(changed)} file(s) differ: {changed[:20]}\n" + "\n".join(shown)[:8000]
