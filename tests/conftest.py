"""Fixtures shared by every kind of test: the repository root and one real site build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built once per test session by the real `mkdocs build --strict`.

    Build tests read its files; browser tests serve it.
    """
    site = tmp_path_factory.mktemp("site") / "site"
    # Built for the local test server's address, whatever the shell says the published one is.
    env = {k: v for k, v in os.environ.items() if k != "OPENCEU_SITE_URL"} | {"NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return site
