"""MkDocs hook: let `mkdocs serve`'s inline live-reload script run under the site's CSP."""

from __future__ import annotations

from typing import Literal

from mkdocs.config.defaults import MkDocsConfig

from site_build.content_policy import allow_inline_scripts

_serving = False


def on_startup(command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _serving:
        policies = config.extra["openceu"]["csp"]
        config.extra["openceu"]["csp"] = {kind: allow_inline_scripts(p) for kind, p in policies.items()}
    return config
