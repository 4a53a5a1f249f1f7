"""Each entry's history from a real git repository the test makes, commit by commit."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from directory.history import Change, FieldChange, git_log_command, history, load_history
from directory.schema import load_schema
from tests.conftest import REPO_ROOT
from tests.git_repository import Repository as GitRepository

SCHEMA = load_schema(REPO_ROOT / "directory_data")
COLUMNS = SCHEMA.table("providers").column_names


def row(id: str, **values: str) -> dict[str, str]:
    return {
        "id": id,
        "name": f"Provider {id.upper()}",
        "standing": "accredited",
        "verified_on": "2026-01-01",
        **values,
    }


class Repository(GitRepository):
    def __init__(self, root: Path) -> None:
        super().__init__(root, SCHEMA)
        shutil.copyfile(REPO_ROOT / "directory_data" / "schema.json", self.data / "schema.json")

    def history(self) -> dict[tuple[str, tuple[str, ...]], list[Change]]:
        return history(self.git(*git_log_command("data")[1:]), SCHEMA)


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository(tmp_path / "repo")


def kinds(changes: list[Change]) -> list[tuple[str, str]]:
    return [(change.subject, change.kind) for change in changes]


def test_adding_changing_resorting_moving_and_removing_rows(repo: Repository) -> None:
    a, b, c = row("a"), row("b"), row("c")
    repo.write([a, b, c])
    first = repo.commit("add three")
    repo.write([a, {**b, "name": "Provider B Renamed"}, c])
    renamed = repo.commit("rename b")
    repo.write([c, a, {**b, "name": "Provider B Renamed"}])
    repo.commit("re-sort")
    d = row("d")
    repo.write([d, c, a, {**b, "name": "Provider B Renamed"}])
    repo.commit("add d at the top, shifting every line")
    repo.write([d, c, {**a, "verified_on": "2026-03-05"}, {**b, "name": "Provider B Renamed"}])
    repo.commit("re-read a")
    repo.write(
        [
            d,
            {**c, "standing": "lapsed"},
            {**a, "verified_on": "2026-03-05"},
            {**b, "name": "Provider B Renamed"},
        ]
    )
    repo.commit("c lapsed")
    repo.write([d, {**c, "standing": "lapsed"}, {**b, "name": "Provider B Renamed", "city": "Reston"}])
    removed = repo.commit("remove a, move b up and give it a city")

    found = repo.history()
    assert kinds(found[("providers", ("a",))]) == [("add three", "added"), ("re-read a", "source re-read"), (
        "remove a, move b up and give it a city", "removed")]  # fmt: skip
    assert kinds(found[("providers", ("b",))]) == [
        ("add three", "added"),
        ("rename b", "changed"),
        ("remove a, move b up and give it a city", "changed"),
    ]
    assert kinds(found[("providers", ("c",))]) == [("add three", "added"), ("c lapsed", "status changed")]
    assert kinds(found[("providers", ("d",))]) == [("add d at the top, shifting every line", "added")]
    rename = found[("providers", ("b",))][1]
    assert rename == Change(
        "providers", ("b",), renamed, "2026-03-02T12:00:00+00:00", "rename b", "changed",
        (FieldChange("name", "Provider B", "Provider B Renamed"),),
    )  # fmt: skip
    assert found[("providers", ("b",))][2].fields == (FieldChange("city", "", "Reston"),)
    assert found[("providers", ("c",))][1].fields == (FieldChange("standing", "accredited", "lapsed"),)
    assert (
        found[("providers", ("a",))][0].commit == first and found[("providers", ("a",))][2].commit == removed
    )


def test_a_new_column_is_not_a_change_to_every_row(repo: Repository) -> None:
    older = tuple(name for name in COLUMNS if name != "city")
    repo.write([row("a"), row("b")], columns=older)
    repo.commit("without city")
    repo.write([row("a"), row("b", city="Reston")])
    repo.commit("add the city column")
    found = repo.history()
    assert kinds(found[("providers", ("a",))]) == [("without city", "added")]
    assert kinds(found[("providers", ("b",))]) == [
        ("without city", "added"),
        ("add the city column", "changed"),
    ]


def test_one_git_process_reads_the_whole_history_of_this_repository() -> None:
    done = subprocess.run(
        git_log_command("directory_data"), cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not done.stdout:
        pytest.skip("no git history here (a tarball or a shallow clone)")
    found = history(done.stdout, SCHEMA)
    with (REPO_ROOT / "directory_data" / "providers.csv").open(encoding="utf-8") as handle:
        published = [("providers", (line["id"],)) for line in csv.DictReader(handle)]
    assert all(key in found for key in published), "a published provider has no history"
    assert all(changes[0].kind == "added" for changes in found.values())
    assert all(change.kind != "removed" for key in published for change in found[key][-1:])


def test_the_build_runs_git_once_and_says_when_it_has_no_history(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write([row("a")])
    repo.commit("add a")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return real_run(command, **options)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "run", counting_run)
    found = load_history(repo.root / "data", SCHEMA)
    assert found is not None and kinds(found[("providers", ("a",))]) == [("add a", "added")]
    assert len(calls) == 1 and calls[0][:2] == ["git", "-c"]

    outside = tmp_path / "download" / "data"  # a tarball: no .git anywhere above it
    outside.mkdir(parents=True)
    assert load_history(outside, SCHEMA) is None
    (repo.root / ".git" / "shallow").write_text("0" * 40 + "\n")  # a shallow clone's marker
    assert load_history(repo.root / "data", SCHEMA) is None
    assert len(calls) == 1  # neither case ran git


def test_notes_and_sourcing_changes_are_named_without_their_words(repo: Repository) -> None:
    """Their words are for the row as it is now: an old wording a later edit replaced is not
    published again in the history, the feeds or changes.json (the commit keeps it)."""
    repo.write([row("a", notes="Read in a tool's copy.", city="Reston")])
    repo.commit("add a")
    repo.write([row("a", notes="Undated page.", sourcing="Read in a saved copy.", city="Austin")])
    repo.commit("rewrite a's notes, move it")
    fields = repo.history()[("providers", ("a",))][1].fields
    assert fields == (
        FieldChange("city", "Reston", "Austin"),
        FieldChange("notes", "", "", quoted=False),
        FieldChange("sourcing", "", "", quoted=False),
    )
    unquoted = {column.name for column in SCHEMA.table("providers").columns if not column.history_text}
    assert unquoted == {"notes", "sourcing"}


# --------------------------------------------------------------------------- line breaks in values (issue 34)

#: A value the validator accepts that holds line breaks, each line looking like a row of its own.
LINES = "first line\nx-phantom,Provider Phantom,US\n- an item\n```"


def test_a_value_with_line_breaks_is_one_change_never_a_row_of_its_own(repo: Repository) -> None:
    a, b = row("a"), row("b")
    repo.write([a, b])
    repo.commit("add two")
    repo.write([{**a, "city": LINES}, b])
    repo.commit("a city over lines")
    repo.write([{**a, "city": LINES.replace("an item", "another item")}, b])
    repo.commit("one line of a's city changes")
    repo.write([{**a, "city": LINES.replace("an item", "another item")}, {**b, "notes": LINES}])
    repo.commit("b's notes over lines")
    repo.write([{**a, "city": "Austin"}, {**b, "notes": LINES}])
    repo.commit("a's city on one line again")
    found = load_history(repo.data, SCHEMA)
    assert found is not None
    assert set(found) == {("providers", ("a",)), ("providers", ("b",))}, "a line of a value became a row"
    cities = [(c.subject, [(f.before, f.after) for f in c.fields]) for c in found[("providers", ("a",))][1:]]
    assert cities == [
        ("a city over lines", [("", LINES)]),
        ("one line of a's city changes", [(LINES, LINES.replace("an item", "another item"))]),
        ("a's city on one line again", [(LINES.replace("an item", "another item"), "Austin")]),
    ]
    assert kinds(found[("providers", ("b",))]) == [("add two", "added"), ("b's notes over lines", "changed")]
    # From the log alone (no file to read), a cut row is left out, never read as a row.
    assert set(repo.history()) == {("providers", ("a",)), ("providers", ("b",))}
