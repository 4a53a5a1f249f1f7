"""The address the site is published at, taken from the environment for a deploy build.

``mkdocs.yml`` keeps the development server's address, so `make serve` and `make build`
work with nothing set. The deploy workflow sets ``OPENCEU_SITE_URL`` (from the Pages
action's ``base_url``); every absolute link the build writes (canonical links, the
sitemap, robots.txt, badge snippets, exports) then names the real address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

ENVIRONMENT_VARIABLE = "OPENCEU_SITE_URL"

#: Characters a site address may hold: letters, digits and ``-._~%/:``. Anything else
#: (quotes, spaces, ``<``, ``?``, ``#``, ``@``) has no place in a base address and would
#: be copied into every page.
_ALLOWED = re.compile(r"[A-Za-z0-9\-._~%/:]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


class SiteAddressError(ValueError):
    """The configured site address cannot be used; the message names the setting and the rule."""


def site_address(value: str) -> str:
    """``value`` as a site URL: ``http``/``https``, a host, no query or fragment, ending in ``/``.

    A missing trailing slash is added (the Pages action's ``base_url`` has none).
    """
    text = value.strip()

    def fail(rule: str) -> SiteAddressError:
        return SiteAddressError(f"{ENVIRONMENT_VARIABLE}={value!r}: {rule}")

    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed '[' (urllib reads it as an IPv6 host)
        raise fail("the address is not a URL: its host part does not parse") from None
    if parts.scheme.lower() not in ("http", "https") or not text.lower().startswith(f"{parts.scheme}://"):
        raise fail("the address must be absolute and start with https:// (or http://)")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise fail("the address must not have a query (?) or a fragment (#)")
    if "@" in parts.netloc:
        raise fail("the address must not carry a user name or password")
    if bad := sorted({c for c in text if not _ALLOWED.fullmatch(c)}):
        shown = ", ".join(repr(c) for c in bad)
        raise fail(f"the address may hold only letters, digits and -._~%/: (found {shown})")
    if _BAD_ESCAPE.search(text):
        raise fail("every % must start an escape such as %20")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if not parts.hostname or port == 0 or parts.netloc.endswith(":"):
        raise fail("the address needs a host name (and a port from 1 to 65535, if any)")
    if not _HOST_NAME.fullmatch(parts.hostname):
        raise fail(f"{parts.hostname!r} is not a host name (letters, digits, '-' and '.')")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    if "//" in path or any(segment in (".", "..") for segment in path.split("/")):
        raise fail("the path must not contain empty, '.' or '..' segments")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def configured_address(environ: Mapping[str, str]) -> str | None:
    """The checked address from ``OPENCEU_SITE_URL``, or None when it is unset or empty."""
    value = environ.get(ENVIRONMENT_VARIABLE, "")
    return site_address(value) if value.strip() else None


def path_prefix(site_url: str) -> str:
    """The path the site lives under: ``/`` at a domain's root, ``/openceu/`` on a project site."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"
