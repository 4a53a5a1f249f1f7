"""The development server's policy differs from the built site's only by inline scripts."""

from __future__ import annotations

import pytest

from site_build.content_policy import allow_inline_scripts


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
