"""What every directory page shares: the links to the other views and the downloads, and the
disclaimer that an organization not listed may still accept the credit."""

from __future__ import annotations

from directory.changes import CHANGES_PAGE
from directory.site_files import DIRECTORY_ROOT, EXPORT_ROOT, listing_uri, relative_url

DISCLAIMER = "Not listed does not mean not accepted: confirm with the organization before you enrol."
#: The page that lists the downloads (directory/export_page.py).
EXPORT_INDEX = f"{EXPORT_ROOT}/index.md"
COUNTRY_INDEX = f"{DIRECTORY_ROOT}/country/index.md"
CREDIT_TYPE_INDEX = f"{DIRECTORY_ROOT}/credit-type/index.md"


def section_links(uri: str) -> dict[str, str]:
    """Links every listing offers: other views and the downloads."""
    return {
        "home": relative_url(uri, listing_uri(1)),
        "countries": relative_url(uri, COUNTRY_INDEX),
        "credit_types": relative_url(uri, CREDIT_TYPE_INDEX),
        "matrix": relative_url(uri, listing_uri(1, "matrix")),
        "changes": relative_url(uri, CHANGES_PAGE),
        "suggest": relative_url(uri, f"{DIRECTORY_ROOT}/suggest.md"),
        "csv_providers": relative_url(uri, f"{EXPORT_ROOT}/providers.csv"),
        "csv_organizations": relative_url(uri, f"{EXPORT_ROOT}/organizations.csv"),
        "csv_acceptances": relative_url(uri, f"{EXPORT_ROOT}/acceptances.csv"),
        "json": relative_url(uri, f"{EXPORT_ROOT}/directory.json"),
        "json_schema": relative_url(uri, f"{EXPORT_ROOT}/schema.json"),
        "exports": relative_url(uri, EXPORT_INDEX),
    }
