"""Addresses that name no public page: example and test domains, this computer, private networks.

A row of published data cites a page any learner can open. These hosts never serve one:

* names reserved for examples and tests by RFC 2606 and RFC 6761: ``example.com``,
  ``example.net`` and ``example.org`` (and their subdomains), and every name under the
  top-level ``.example``, ``.test``, ``.invalid`` and ``.localhost``, and ``localhost`` itself;
* names that only mean something on a local network: ``.local`` (RFC 6762, multicast DNS)
  and ``home.arpa`` (RFC 8375);
* IP addresses that are not on the public internet (``ipaddress``'s ``is_global`` is false):
  loopback (127.0.0.0/8, ::1), private networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
  fc00::/7), link-local, the documentation ranges of RFC 5737 and RFC 3849, and the rest of
  IANA's special-purpose registry. A host that browsers read as an IPv4 address written
  another way (``2130706433``, ``127.1``, ``0x7f.1``) is read the way they read it.

``ceu directory validate`` refuses them in published data; test and benchmark data (generated
rows, local test servers) is accepted with ``--allow-synthetic``. The Suggest page runs this
module in the browser, so it keeps to the standard library.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from directory.records import quoted

#: Second-level names reserved for documentation (RFC 2606, section 3), with their subdomains.
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
#: Top-level names that are never delegated: RFC 2606 section 2 and RFC 6761 section 6.
RESERVED_TOP_LEVEL = ("example", "test", "invalid", "localhost")
#: Names that resolve only on the local network: RFC 6762 (.local) and RFC 8375 (home.arpa).
LOCAL_ONLY = ("local", "home.arpa")


def reserved_host(url: str) -> str | None:
    """Why ``url``'s host names no public page, or None when it may; the URL's shape is checked elsewhere."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # an unclosed '[': the URL's own check reports it
        return None
    if not host:
        return None
    name = host.rstrip(".").lower()
    shown = quoted(name)
    cite = "cite the address of the page you read"
    for domain in EXAMPLE_DOMAINS:
        if name == domain or name.endswith("." + domain):
            return f"the host {shown} is reserved for examples (RFC 2606) and serves no real source; {cite}"
    if name == "localhost":
        return f"the host 'localhost' is the computer itself (RFC 6761), not a public page; {cite}"
    last = name.rsplit(".", 1)[-1]
    if last in RESERVED_TOP_LEVEL:
        return (
            f"the host {shown} is under .{last}, a top-level name reserved for tests and examples "
            f"(RFC 2606, RFC 6761) that serves no real source; {cite}"
        )
    for local in LOCAL_ONLY:
        if name == local or name.endswith("." + local):
            return f"the host {shown} is a name on a local network only (.{local}), not a public page; {cite}"
    address = ip_address(name)
    if address is not None and not address.is_global:
        return f"the host {shown} is {_kind(address)}, not a public internet address; {cite}"
    return None


def ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a browser reads ``host`` as, or None for a host name.

    IPv6 comes bracketed in a URL (urlsplit removes the brackets). A host whose last label is
    a number is read as IPv4 the way the WHATWG URL standard reads it: one to four parts,
    each decimal, hexadecimal (0x) or octal (a leading 0), the last filling the remaining bytes.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.split(".")
    if not _number(parts[-1]):
        return None
    numbers = [_number(part) for part in parts]
    if len(parts) > 4 or any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    *leading, final = values
    if any(value > 255 for value in leading) or final >= 256 ** (5 - len(values)):
        return None
    whole = final
    for index, value in enumerate(leading):
        whole += value * 256 ** (3 - index)
    return ipaddress.IPv4Address(whole)


def _number(part: str) -> int | None:
    """One part of an IPv4 host as the WHATWG URL standard reads it, or None."""
    if part[:2] in ("0x", "0X"):
        digits, base = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if not digits:
        return 0 if base == 16 else None
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.is_loopback:
        return "a loopback address (the computer itself)"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private or reserved network's address"
    return "an address reserved for special purposes"
