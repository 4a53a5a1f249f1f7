"""Country and region names for the directory's pages, from ISO 3166 by way of ``pycountry``.

The data keeps codes (ISO 3166-1 alpha-2 countries such as ``US``, ISO 3166-2 subdivisions
without the country such as ``TX``); pages show names. The names come from ``pycountry``,
which packages Debian's iso-codes (the maintained copy of ISO 3166), so nobody types them.
A country's short common name is used where ISO gives one ("Bolivia", "Iran", "Taiwan"
rather than "Bolivia, Plurinational State of"), else its ISO short name ("United States").
Subdivision names are ISO 3166-2's, which are in the country's own language, romanised
("Al Qāhirah" for EG-C; iso-codes has no English translation of them). A code ISO does
not know shows as itself: the page still says what the data says.

Build time only: the modules the browser runs (``site_build.runtime.DIRECTORY_MODULES``)
and the engine (``calc/``) must not import this module, as ``pycountry`` is not there.
"""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def country_name(code: str) -> str:
    """``US`` -> "United States"; an unknown code is returned as it is."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


@cache
def region_name(country: str, code: str) -> str:
    """(``US``, ``TX``) -> "Texas"; an unknown subdivision is returned as its code."""
    # pycountry types countries.get but not subdivisions.get.
    found = pycountry.subdivisions.get(code=f"{country}-{code}") if country and code else None  # type: ignore[no-untyped-call]
    return code if found is None else str(found.name)


def is_country(code: str) -> bool:
    """Whether ISO 3166-1 has ``code`` as an alpha-2 country code (``GB`` yes, ``UK`` no)."""
    return bool(code) and pycountry.countries.get(alpha_2=code) is not None


def is_region(country: str, code: str) -> bool:
    """Whether ISO 3166-2 has ``code`` as a subdivision of ``country`` (``US``, ``TX`` yes)."""
    found = pycountry.subdivisions.get(code=f"{country}-{code}") if country and code else None  # type: ignore[no-untyped-call]
    return found is not None


def region_codes(country: str) -> list[str]:
    """The subdivision codes ISO 3166-2 gives ``country``, without the country: ``TX``, ``C``."""
    found = pycountry.subdivisions.get(country_code=country) if is_country(country) else None  # type: ignore[no-untyped-call]
    return sorted(str(item.code).split("-", 1)[1] for item in found or ())


def place_name(country: str, region: str = "") -> str:
    """What a page shows for a place: "United States", or "Texas, United States"."""
    if not region:
        return country_name(country)
    return f"{region_name(country, region)}, {country_name(country)}"


def place_code(country: str, region: str = "") -> str:
    """The place as one code, the region's ISO 3166-2 code when there is one: ``US-TX``, ``US``."""
    return f"{country}-{region}" if region else country
