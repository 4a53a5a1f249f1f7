"""The site's own pages compute with the credit-systems table: check them against the data.

A guide's ``{{openceu figure minutes=990 rule=asha-ceu}}`` and a page's ```` ```openceu ````
block name rules by id and compute under them at build time (site_build.embeds). A data
change can pass every check of the data itself and still leave a page unable to compute:
a rule removed or renamed, a rate left blank under a figure that needs one. The build then
stops at that page. ``ceu directory validate`` runs every embed of the pages against the data
it checks (the same function the build runs), so what it accepts builds: a problem is reported
at the rule's row when the data has it (``credit_systems.csv:9: id: ...``), else at the page's
line (``content/guides/different-figures.md:73: rule: ...``).

The pages are ``content/`` beside the data folder in the repository (mkdocs.yml's
``docs_dir``), or the folder given with ``--pages``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from directory.records import Problem

#: The site's Markdown pages, beside the data folder in the repository.
PAGES = "content"
#: The file MkDocs is run from, beside both: where it is, ``content/`` is the site's pages.
SITE_CONFIG = "mkdocs.yml"
#: Front matter as MkDocs reads it: a YAML block between '---' lines at the top of the page.
_FRONT_MATTER = re.compile(r"-{3}[ \t]*\n.*?\n(?:-{3}|\.{3})[ \t]*\n", re.DOTALL)


def pages_beside(data_dir: Path) -> Path | None:
    """The site's pages for a data folder in the repository; None for a folder elsewhere."""
    root = data_dir.parent
    pages = root / PAGES
    return pages if (root / SITE_CONFIG).is_file() and pages.is_dir() else None


def page_problems(pages: Path, data_dir: Path, shown_as: str) -> Iterator[Problem]:
    """What stops a page of ``pages`` computing under the rules of ``data_dir``'s credit systems.

    A problem at a rule's row has that file's name, like every data problem; one at a page has
    ``shown_as`` (how the pages folder is named in messages) before the page's own path.
    """
    # The engine and the page models, only for this check: the validator's other rules run
    # without them (the browser's Suggest page imports directory.validate).
    from calc.conversions import parse_credit_systems
    from calc.errors import CreditInputError
    from site_build.embeds import failures

    table = data_dir / "credit_systems.csv"
    try:
        systems = parse_credit_systems(table.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, CreditInputError):
        return  # the table's own problems are reported by the validator, at their lines
    rows = _rule_lines(table.read_text(encoding="utf-8"))
    for page in sorted(pages.rglob("*.md")):
        uri = page.relative_to(pages).as_posix()
        try:
            source = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as unread:
            yield Problem(f"{shown_as}/{uri}", 1, "-", f"cannot read the page: {unread}")
            continue
        front = _FRONT_MATTER.match(source)
        skipped = source.count("\n", 0, front.end()) if front else 0
        markdown = source[front.end() :] if front else source
        for error, rule in failures(markdown, systems, uri):
            where = f"{shown_as}/{uri}:{skipped + error.line}"
            if rule in rows:
                message = f"{where} computes a figure under this rule, and cannot: {error.message}"
                yield Problem(table.name, rows[rule], "id", message)
            elif rule:
                said = error.message.removeprefix("rule: ")
                message = f"{said}; the page computes with it: keep the rule in {table.name}"
                yield Problem(f"{shown_as}/{uri}", skipped + error.line, "rule", message)
            else:
                yield Problem(f"{shown_as}/{uri}", skipped + error.line, "embed", error.message)


def _rule_lines(text: str) -> dict[str, int]:
    """Credit-system id -> the line its row starts on."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if "id" not in header:
        return {}
    index, lines = header.index("id"), {}
    start = reader.line_num + 1
    for row in reader:
        if len(row) > index:
            lines[row[index]] = start
        start = reader.line_num + 1
    return lines
