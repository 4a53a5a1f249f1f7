"""What a visitor of the directory gets, as a snapshot two builds can be compared by.

A build of the same data on the same day must give the same directory however its pages are
written (through MkDocs page by page, or filled into a page the theme rendered once): the
same profiles, listings, exports, badges, answers and search records. HTML is compared
normalised (attributes sorted, blank space collapsed outside <pre>, comments dropped), so a
change in indentation is not a change a visitor sees, and a changed word, link or attribute is.

The snapshot keeps a digest of each file's normalised text, and the whole text of a few
sample pages so a failing comparison can show what changed. Written by

    python -m tests.build.directory_snapshot tests/build/directory_snapshot.json.gz

from the repository's build over ``benchmarks.directory_site.write_data(1000, ...)`` on
:data:`TODAY`; tests/build/test_directory_snapshot.py builds it again and compares.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from directory.build_date import ENV_VAR
from site_build.search_index import SearchRecord
from tests.conftest import REPO_ROOT

#: The day both builds take as today (statuses, "as of" dates, the footer's build date): a
#: day after every verified_on in the copied credit systems, now and for years.
TODAY = "2030-01-01"
#: Entries in the compared directory (four providers to one organization).
ENTRIES = 1000
#: Names that markup, entities, quotes and characters beyond U+FFFF must come through as text,
#: given to the first providers: every place a profile shows its title is compared with them.
HOSTILE_NAMES = (
    '<img src=x onerror=alert(1)> </title><script>alert("x")</script> & Co',
    "\"Quoted\" & 'apostrophe' Academy",
    "a<b>bold</b> &lt;entity&gt; &amp; name",
    "Ünïcödé 🚀 Institute   of  Spaces",
)
#: Pages kept whole in the snapshot, to show a difference: a profile of each kind, listings.
SAMPLES = (
    "directory/providers/synthetic-provider-000000/index.html",
    "directory/providers/synthetic-provider-000010/index.html",
    "directory/organizations/synthetic-organization-000001/index.html",
    "directory/index.html",
    "directory/page/2/index.html",
)
#: Elements whose blank space is content.
_PRE = {"pre", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Normaliser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in sorted(attrs))
        self.out.append(f"<{tag}{shown}>")
        if tag in _PRE:
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.out.append(f"</{tag}>")
        if tag in _PRE:
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        text = data if self.pre else re.sub(r"\s+", " ", data)
        if text.strip() or self.pre:
            self.out.append(html.escape(text.strip() if not self.pre else text, quote=False))

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def normalised_html(text: str) -> str:
    """``text`` as a visitor's browser builds it, give or take blank space: one tag or text run
    per line, attributes sorted, comments dropped."""
    parser = _Normaliser()
    parser.feed(text)
    parser.close()
    return "\n".join(parser.out) + "\n"


def _sitemap(text: str) -> str:
    """A sitemap's entries in order of address: the order of a sitemap's entries means nothing."""
    entries = re.findall(r"<url>\s*(.*?)\s*</url>", text, re.S)
    return "\n".join(sorted(re.sub(r"\s+", " ", entry) for entry in entries)) + "\n"


def _records(records: Iterable[SearchRecord]) -> str:
    rows = sorted(
        json.dumps(
            {"url": r.url, "content": r.content, "meta": r.meta, "filters": r.filters, "sort": r.sort},
            sort_keys=True,
            ensure_ascii=False,
        )
        for r in records
    )
    return "\n".join(rows) + "\n"


def _normalised_file(path: Path, name: str) -> str:
    if name.endswith(".html"):
        return normalised_html(path.read_text(encoding="utf-8"))
    if name == "sitemap.xml":
        return _sitemap(path.read_text(encoding="utf-8"))
    if name.endswith(".gz"):
        return digest(gzip.decompress(path.read_bytes()).decode("utf-8", errors="surrogateescape"))
    return path.read_bytes().decode("utf-8", errors="surrogateescape")


def digest(text: str) -> str:
    """The first 64 bits of the text's SHA-256: enough to tell a changed file, short to store."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogateescape")).hexdigest()[:16]


def snapshot(site_dir: Path, records: Iterable[SearchRecord]) -> dict[str, object]:
    """Every directory file's normalised digest, the sitemap's and the search records', and the
    samples' whole normalised text."""
    names = sorted(
        path.relative_to(site_dir).as_posix()
        for path in (site_dir / "directory").rglob("*")
        if path.is_file()
    )
    texts = {name: _normalised_file(site_dir / name, name) for name in names}
    texts["sitemap.xml"] = _normalised_file(site_dir / "sitemap.xml", "sitemap.xml")
    texts["will-it-count/index.html"] = _normalised_file(
        site_dir / "will-it-count" / "index.html", "index.html"
    )
    texts["(search records)"] = _records(records)
    return {
        "today": TODAY,
        "entries": ENTRIES,
        "digests": {name: digest(text) for name, text in texts.items()},
        "samples": {name: texts[name] for name in SAMPLES if name in texts},
    }


def _rename_first_providers(table: Path, names: tuple[str, ...]) -> None:
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, fields = list(reader), reader.fieldnames or []
    for row, name in zip(rows, names, strict=False):
        row["name"] = name
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def built_snapshot(folder: Path) -> dict[str, object]:
    """The snapshot of the repository's real build over :data:`ENTRIES` generated entries, on
    :data:`TODAY`, built in ``folder``."""
    from benchmarks.directory_site import write_data
    from directory.search_records import search_records
    from hooks.config import PLUGIN_NAME, with_settings

    data = write_data(ENTRIES, folder)
    _rename_first_providers(data / "providers.csv", HOSTILE_NAMES)
    site_dir = folder / "site"
    previous = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = TODAY
    try:
        config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), site_dir=str(site_dir))
        with_settings(config, data_dir=str(data), allow_synthetic=True)
        build(config)
    finally:
        if previous is None:
            del os.environ[ENV_VAR]
        else:
            os.environ[ENV_VAR] = previous
    view = config.plugins[PLUGIN_NAME].state.view  # type: ignore[attr-defined]
    return snapshot(site_dir, search_records(view))


def main(argv: list[str]) -> None:
    """``OUT.json``: the snapshot of a build made in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        data = built_snapshot(Path(folder))
    text = json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    Path(argv[0]).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def stored(path: Path) -> dict[str, object]:
    """A snapshot written by :func:`main`."""
    return dict(json.loads(gzip.decompress(path.read_bytes())))


if __name__ == "__main__":
    main(sys.argv[1:])
