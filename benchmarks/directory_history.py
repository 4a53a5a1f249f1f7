"""The history pass at 10,000 entries and 1,000 commits: the one ``git log`` and its parsing.

A generated repository grows a providers table to 10,000 synthetic rows over 1,000 commits:
each commit adds ten rows and changes three older ones (a field, a re-read, a status), and
every hundredth re-sorts the file. ``git fast-import`` writes the whole history in one
process. Then the build's history pass runs as the build runs it (:func:`load_history`: one
git process, then :func:`history` over its text), followed by the change items, the feeds
and changes.json that the pages are made from. The git process alone is the floor.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from directory.changes import atom_feed, change_items, changes_document, feeds
from directory.history import git_log_command, history, load_history
from directory.schema import Schema, load_schema
from directory.synthetic import synthetic_rows

REPO_ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 10_000
COMMITS = 1_000


def fast_import_stream(schema: Schema, entries: int, commits: int) -> Iterator[bytes]:
    """A git fast-import stream: ``commits`` commits growing providers.csv to ``entries`` rows."""
    table = schema.table("providers")
    rows = list(synthetic_rows("providers", entries, seed=7))
    rng = random.Random(7)
    per_commit = entries // commits
    live: list[dict[str, str]] = []
    schema_text = (REPO_ROOT / "directory_data" / "schema.json").read_bytes()
    for n in range(commits):
        live += [dict(row) for row in rows[n * per_commit : (n + 1) * per_commit]]
        for row in rng.sample(live, min(3, len(live))):
            change = rng.choice(("city", "verified_on", "standing"))
            row[change] = {
                "city": f"City {rng.randrange(1000)}",
                "verified_on": f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
                "standing": rng.choice(("accredited", "lapsed")),
            }[change]
        # Every hundredth commit writes the rows in another order (by name): no row changes.
        ordered = live if n % 100 else sorted(live, key=lambda r: r["name"])
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=table.column_names, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(ordered)
        blob = out.getvalue().encode("utf-8")
        message = f"commit {n}".encode()
        stamp = 1_767_225_600 + n * 3_600
        parts = [
            b"commit refs/heads/main\n",
            f"committer Bench <bench@example.org> {stamp} +0000\n".encode(),
            b"data %d\n%s\n" % (len(message), message),
        ]
        if n == 0:
            parts.append(b"M 100644 inline data/schema.json\ndata %d\n%s\n" % (len(schema_text), schema_text))
        parts.append(b"M 100644 inline data/providers.csv\ndata %d\n%s\n" % (len(blob), blob))
        yield b"".join(parts)


def make_repository(folder: Path, schema: Schema) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet"], cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    assert importer.stdin is not None
    for chunk in fast_import_stream(schema, ENTRIES, COMMITS):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=folder, check=True)
    return folder


def main() -> None:
    schema = load_schema(REPO_ROOT / "directory_data")
    print(f"directory history: {ENTRIES:,} entries over {COMMITS:,} commits (one git log -p, then parsing)")
    folder = Path(tempfile.mkdtemp(prefix="openceu-history-"))
    try:
        start = time.perf_counter()
        repo = make_repository(folder / "repo", schema)
        print(f"  made the repository with git fast-import in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        log = subprocess.run(
            git_log_command("data"), cwd=repo, capture_output=True, text=True, encoding="utf-8", check=True
        ).stdout
        git_seconds = time.perf_counter() - start
        start = time.perf_counter()
        parsed = history(log, schema)
        parse_seconds = time.perf_counter() - start

        start = time.perf_counter()
        found = load_history(repo / "data", schema)
        pass_seconds = time.perf_counter() - start
        assert found is not None and len(found) == ENTRIES == len(parsed)
        changes = sum(len(changes) for changes in found.values())

        tracemalloc.start()
        load_history(repo / "data", schema)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

        start = time.perf_counter()
        items = change_items(found, {}, {})
        all_feeds = feeds(items, ["US", "CA", "GB", "IN", "SA"], [("iacet-ceu", "IACET CEU")])
        for feed in all_feeds:
            atom_feed(
                feed, site_url="/", repository="", updated=items[0].change.date, credit_label=str, labels={}
            )
        document = changes_document(items, repository="", credit_label=str, labels={})
        pages_seconds = time.perf_counter() - start

        print(f"  git log -p alone (the floor): {git_seconds:6.2f} s, {len(log) / 1e6:.1f} MB of text")
        print(f"  parsing it into changes:      {parse_seconds:6.2f} s")
        print(
            f"  the build's history pass:     {pass_seconds:6.2f} s "
            f"({pass_seconds / git_seconds:.1f}x the git process alone), {changes:,} changes, "
            f"peak traced memory {peak / 1e6:.0f} MB"
        )
        print(
            f"  change items, {len(all_feeds)} Atom feeds and changes.json: {pages_seconds:.2f} s "
            f"({len(document['changes']):,} changes in the JSON)"  # type: ignore[arg-type]
        )
        size = len(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        print(f"  changes.json, what the 'changed since' view downloads: {size / 1e6:.1f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
