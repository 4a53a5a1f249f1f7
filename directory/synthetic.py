"""Generated directory data for tests and benchmarks, never for publishing.

Every row says ``source_kind = synthetic`` and cites example.org, so the validator
refuses it in ``directory_data/``; builds of generated data must opt in with
``allow_synthetic``. Names are deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from directory.schema import SCHEMA_FILE, Schema, load_schema
from directory.whole_file import check_target, replaced_whole

_FIRST = [
    "Northern",
    "Coastal",
    "Summit",
    "Prairie",
    "Harbor",
    "Valley",
    "Granite",
    "Lakeside",
    "Pioneer",
    "Metro",
]
_FIELD = [
    "Safety",
    "Nursing",
    "Engineering",
    "Energy",
    "Water",
    "Fire Service",
    "Library",
    "Quality",
    "Health",
    "Data",
]
_FORM = ["Institute", "Academy", "Training Center", "Association", "College", "Society", "Council", "Board"]
#: Countries with a few of their ISO 3166-2 subdivisions, so facets have something to count.
_PLACES = {
    "US": ["CA", "TX", "NY", "IL", "WA", "FL", "OH", "GA", "NE", "WI"],
    "CA": ["ON", "BC", "QC"],
    "GB": ["ENG", "SCT"],
    "IN": ["MH", "KA"],
    "SA": ["01", "04"],
}
_COUNTRIES = ["US"] * 6 + ["CA", "GB", "IN", "SA"]
_KINDS = [
    "licensing-board",
    "certification-body",
    "association",
    "employer",
    "university",
    "government-agency",
]
_MODES = ["in-person", "live-online", "self-paced-online", "blended"]


class RefusedTarget(ValueError):
    """Synthetic data must never be written over the published data."""


def synthetic_rows(table: str, count: int, seed: int = 0) -> Iterator[dict[str, str]]:
    rng = random.Random(f"{table}-{seed}")
    for n in range(count):
        name = f"{rng.choice(_FIRST)} {rng.choice(_FIELD)} {rng.choice(_FORM)} {n:06d}"
        row = {
            "id": f"synthetic-{table[:-1]}-{n:06d}",
            "name": f"Synthetic {name}",
            "country": (country := rng.choice(_COUNTRIES)),
            "region": rng.choice(_PLACES[country]),
            "website": f"https://example.org/{table}/{n}",
            "source_url": f"https://example.org/{table}/{n}/source",
            "source_kind": "synthetic",
            "source_date": "2025",
            "source_quote": "Generated for tests; not a real organization.",
            "verified_on": "2026-01-15",
            "notes": "Synthetic row for tests and benchmarks.",
        }
        if table == "providers":
            row["delivery_modes"] = rng.choice(_MODES)
            row["standing"] = "accredited"
        if table == "organizations":
            row["kind"] = rng.choice(_KINDS)
        yield row


def synthetic_acceptances(organization_count: int) -> Iterator[dict[str, str]]:
    for n in range(organization_count):
        yield {
            "id": f"synthetic-organization-{n:06d}-iacet-ceu",
            "organization_id": f"synthetic-organization-{n:06d}",
            "credit_type": "iacet-ceu",
            "conditions": "Generated for tests.",
            "source_url": f"https://example.org/organizations/{n}/source",
            "source_kind": "synthetic",
            "source_quote": "Generated for tests.",
            "verified_on": "2026-01-15",
        }


#: Outcomes the generated source checks cycle through, so the check filter has something to count.
_CHECK_OUTCOMES = [
    ("quote-present", "200", ""),
    ("quote-missing", "200", ""),
    ("unreachable", "404", "HTTP 404 Not Found"),
]


def synthetic_checks(provider_count: int) -> Iterator[dict[str, str]]:
    """A source check for every provider, as ``ceu directory check-sources`` would write them."""
    for n in range(provider_count):
        outcome, status, detail = _CHECK_OUTCOMES[n % len(_CHECK_OUTCOMES)]
        yield {
            "table": "providers",
            "id": f"synthetic-provider-{n:06d}",
            "check": "source",
            "checked_on": "2026-01-20",
            "url": f"https://example.org/providers/{n}/source",
            "http_status": status,
            "outcome": outcome,
            "detail": detail,
        }


#: The tables write_synthetic_dataset generates (the others are copied from the published data).
_GENERATED = ("providers", "organizations", "acceptances", "checks")


def write_synthetic_dataset(
    out_dir: Path, published_dir: Path, providers: int, organizations: int, seed: int = 0
) -> Path:
    """A complete data folder (schema, vocabularies, credit systems and generated rows).

    Each file is written whole through :func:`replaced_whole`, so only a regular file or a new
    name inside ``out_dir`` is written: a device, a named pipe or a link there is refused.
    """
    if out_dir.resolve() == published_dir.resolve():
        raise RefusedTarget(f"{out_dir} is the published data folder; write synthetic data elsewhere")
    if out_dir.exists() and not out_dir.is_dir():
        raise RefusedTarget(f"{out_dir}: not a folder; --out names the folder to write the tables into")
    schema = load_schema(published_dir)
    copied = (SCHEMA_FILE, "vocabularies.csv", "credit_systems.csv", "requirements.csv")
    generated = tuple(schema.table(key).file for key in _GENERATED)
    if out_dir.is_dir():  # every target is looked at before any is written: a refusal changes nothing
        for name in (*copied, *generated):
            check_target(out_dir / name)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in copied:
        text = (published_dir / name).read_bytes().decode("utf-8")  # byte for byte
        with replaced_whole(out_dir / name) as handle:
            handle.write(text)
    _write(out_dir, schema, "providers", synthetic_rows("providers", providers, seed))
    _write(out_dir, schema, "organizations", synthetic_rows("organizations", organizations, seed))
    _write(out_dir, schema, "acceptances", synthetic_acceptances(organizations))
    _write(out_dir, schema, "checks", synthetic_checks(providers))
    return out_dir


def _write(out_dir: Path, schema: Schema, key: str, rows: Iterator[dict[str, str]]) -> None:
    table = schema.table(key)
    with replaced_whole(out_dir / table.file) as handle:
        writer = csv.DictWriter(handle, fieldnames=table.column_names, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)
