"""Index the built site with Pagefind, so search works the same at any size.

Pagefind writes a chunked index to ``<site>/pagefind/``; a query downloads only
the fragments it needs, unlike an index shipped whole to every page.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class IndexingFailed(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise IndexingFailed(f"Pagefind could not index {site_dir}: {detail}")
