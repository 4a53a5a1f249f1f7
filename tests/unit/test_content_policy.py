"""Content-Security-Policy: the development server adds only inline scripts; hosts get a policy no page outgrows."""

from __future__ import annotations

import pytest

from site_build.content_policy import (
    allow_inline_scripts,
    allowed_sources,
    covering_policy,
    format_policy,
    header_policy,
    meaningful,
    page_kind,
    parse_policy,
)
from tests.conftest import plugin_settings


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "default-src 'self'; script-src 'self'; img-src 'self'",
            "default-src 'self'; script-src 'self' 'unsafe-inline'; img-src 'self'",
        ),
        (
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval';",
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' 'unsafe-inline'",
        ),
        ("script-src 'self' 'unsafe-inline'", "script-src 'self' 'unsafe-inline'"),
        ("default-src 'self'", "default-src 'self'"),
    ],
)
def test_only_script_src_gains_unsafe_inline(policy, expected):
    assert allow_inline_scripts(policy) == expected


# --------------------------------------------------------------------------- policies a host sends

POLICIES: dict[str, str] = plugin_settings()["csp"]
#: Every fetch directive (CSP Level 3), to compare what two policies allow.
FETCH_DIRECTIVES = (
    "default-src", "script-src", "script-src-elem", "script-src-attr", "style-src", "style-src-elem",
    "style-src-attr", "img-src", "font-src", "connect-src", "media-src", "object-src", "child-src",
    "frame-src", "worker-src", "manifest-src",
)  # fmt: skip


def test_a_policy_reads_back_as_written():
    text = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; upgrade-insecure-requests"
    assert format_policy(parse_policy(text)) == text
    assert parse_policy(" Script-Src  'self' ;; script-src * ;") == {"script-src": ["'self'"]}


@pytest.mark.parametrize(
    ("directive", "sources"),
    [
        ("script-src", ["'self'", "'unsafe-eval'"]),
        ("script-src-elem", ["'self'", "'unsafe-eval'"]),  # falls back to script-src
        ("worker-src", ["'self'", "blob:"]),  # its own
        ("frame-src", ["'none'"]),  # child-src before default-src
        ("img-src", ["'self'"]),  # default-src
        ("base-uri", None),  # not a fetch directive: unrestricted when left out
    ],
)
def test_a_left_out_fetch_directive_takes_its_fallbacks_sources(directive, sources):
    policy = "default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self' blob:; child-src 'none'"
    assert allowed_sources(policy, directive) == sources


@pytest.mark.parametrize(
    ("policies", "expected"),
    [
        (["default-src 'self'", "default-src 'self'"], "default-src 'self'"),
        (
            [
                "default-src 'self'; script-src 'self'",
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
            ],
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
        ),
        # worker-src: the first policy's comes from its script-src; script keywords do not carry over.
        (
            ["default-src 'self'; script-src 'self' 'unsafe-eval'", "default-src 'self'; worker-src blob:"],
            "default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self' blob:",
        ),
        (
            ["default-src 'self'; object-src 'none'", "default-src 'self'"],
            "default-src 'self'; object-src 'self'",
        ),
        (["default-src 'self'; object-src 'none'"] * 2, "default-src 'self'; object-src 'none'"),
        # One policy leaves base-uri unrestricted, so the combination must too.
        (["default-src 'self'; base-uri 'self'", "default-src 'self'"], "default-src 'self'"),
    ],
)
def test_the_covering_policy_allows_what_any_of_them_allows(policies, expected):
    assert covering_policy(policies) == expected


@pytest.mark.parametrize(
    ("policies", "reason"),
    [
        (["default-src 'self'", "script-src 'self'"], "needs a default-src"),
        (["default-src 'self'; script-src 'nonce-abc'"], "nonces, hashes or 'strict-dynamic'"),
        (["default-src 'self'; script-src 'sha256-abc='"], "nonces, hashes or 'strict-dynamic'"),
    ],
)
def test_policies_that_cannot_be_combined_are_refused(policies, reason):
    with pytest.raises(ValueError, match=reason):
        covering_policy(policies)


def test_the_covering_policy_of_the_sites_page_kinds_blocks_nothing_any_kind_allows():
    covering = covering_policy(list(POLICIES.values()))
    for kind, policy in POLICIES.items():
        for directive in (*FETCH_DIRECTIVES, "base-uri", "form-action"):
            allowed = allowed_sources(policy, directive)
            wider = allowed_sources(covering, directive)
            if allowed is None:
                assert wider is None, f"{kind}: {directive}"
                continue
            assert wider is not None, f"{kind}: {directive}"
            assert set(meaningful(directive, allowed)) <= set(wider) | {"'none'"}, f"{kind}: {directive}"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("default-src 'self'", "default-src 'self'; frame-ancestors 'none'"),
        ("default-src 'self'; frame-ancestors 'self'", "default-src 'self'; frame-ancestors 'self'"),
    ],
)
def test_a_header_policy_forbids_framing_unless_it_says_otherwise(policy, expected):
    assert header_policy(policy) == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, "default"),
        ("", "default"),
        ("default", "default"),
        ("search", "search"),
        ("worker", "worker"),
        ("python", "python"),
    ],
)
def test_a_page_kind_comes_from_front_matter(value, kind):
    assert page_kind(value, POLICIES) == kind


@pytest.mark.parametrize("value", ["pyhton", "Search", ["python"], 1])
def test_an_unknown_page_kind_is_an_error_naming_the_kinds(value):
    with pytest.raises(ValueError, match=r"is not a page kind \(one of default, search, worker, python\)"):
        page_kind(value, POLICIES)
