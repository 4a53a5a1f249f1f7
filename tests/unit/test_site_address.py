"""OPENCEU_SITE_URL: the published address is checked once, and a bad one stops the build with the rule."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_build.site_address import (
    ENVIRONMENT_VARIABLE,
    SiteAddressError,
    configured_address,
    path_prefix,
    site_address,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The Pages action's base_url has no trailing slash; the workflow adds one.
        ("https://example.github.io/openceu", "https://example.github.io/openceu/"),
        ("https://example.github.io/openceu/", "https://example.github.io/openceu/"),
        ("https://openceu.org", "https://openceu.org/"),
        ("https://OpenCEU.org/", "https://openceu.org/"),
        ("HTTPS://openceu.org/", "https://openceu.org/"),
        ("  https://openceu.org/\n", "https://openceu.org/"),
        ("https://example.org/a/b", "https://example.org/a/b/"),
        ("https://example.org/%7Eowner/", "https://example.org/%7Eowner/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://example.org:8443/x", "https://example.org:8443/x/"),
    ],
)
def test_an_address_is_made_absolute_with_a_trailing_slash(value, expected):
    assert site_address(value) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("example.github.io/openceu", "must be absolute"),
        ("/openceu/", "must be absolute"),
        ("https:example.org", "must be absolute"),
        ("ftp://example.org/", "start with https://"),
        ("javascript:alert(1)", "start with https://"),
        ("file:///srv/site/", "start with https://"),
        ("https:///openceu/", "needs a host name"),
        ("https://example.org:/", "needs a host name"),
        ("https://example.org:99999/", "port from 1 to 65535"),
        ("https://example.org:0/", "port from 1 to 65535"),
        ("https://example.org/?ref=1", "must not have a query"),
        ("https://example.org/#top", "or a fragment"),
        ("https://user:secret@example.org/", "user name or password"),
        ("https://example.org/open ceu/", "found ' '"),
        ('https://example.org/"><script>', "found '\"'"),
        ("https://exämple.org/", "found 'ä'"),
        ("https://example.org/%zz/", "every % must start an escape"),
        ("https://exa_mple.org/", "'exa_mple.org' is not a host name"),
        ("https://-example.org/", "is not a host name"),
        ("https://example..org/", "is not a host name"),
        ("https://example.org//", "empty, '.' or '..' segments"),
        ("https://example.org/a/../b/", "empty, '.' or '..' segments"),
    ],
)
def test_a_malformed_address_is_refused_with_the_setting_the_value_and_the_rule(value, rule):
    with pytest.raises(SiteAddressError) as raised:
        site_address(value)
    message = str(raised.value)
    assert message.startswith(f"{ENVIRONMENT_VARIABLE}={value!r}: ")
    assert rule in message


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({ENVIRONMENT_VARIABLE: ""}, None),
        ({ENVIRONMENT_VARIABLE: "  "}, None),
        ({ENVIRONMENT_VARIABLE: "https://example.github.io/openceu"}, "https://example.github.io/openceu/"),
    ],
)
def test_the_address_comes_from_the_environment_only_when_set(environ, expected):
    assert configured_address(environ) == expected


def test_a_set_but_malformed_address_is_an_error_not_the_local_default():
    with pytest.raises(SiteAddressError):
        configured_address({ENVIRONMENT_VARIABLE: "/"})


@pytest.mark.parametrize(
    ("site_url", "prefix"),
    [
        ("https://openceu.org/", "/"),
        ("https://example.github.io/openceu/", "/openceu/"),
        ("https://example.org/a/b/", "/a/b/"),
        ("http://127.0.0.1:8000/", "/"),
        ("/", "/"),
    ],
)
def test_the_path_prefix_is_where_the_site_lives_on_its_host(site_url, prefix):
    assert path_prefix(site_url) == prefix


@given(st.text(max_size=60) | st.from_regex(r"https?://[a-z0-9._~%:-]{0,20}(/[A-Za-z0-9._~%:-]{0,8}){0,3}/?"))
def test_any_address_is_refused_or_comes_back_usable_and_stable(value):
    try:
        address = site_address(value)
    except SiteAddressError as error:
        assert str(error).startswith(f"{ENVIRONMENT_VARIABLE}=")
        return
    assert re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]+)?/([A-Za-z0-9._~%:-]+/)*", address)
    assert site_address(address) == address
    assert path_prefix(address).endswith("/")
