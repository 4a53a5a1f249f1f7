"""Bundle the credential kit (``site_build/credential_kit_src/``) into the site with esbuild.

The certificate pages (issuing, verifying, the tracker's credential drop) sign and check Open
Badges 3.0 credentials in the browser with npm's ``@digitalbazaar`` libraries, bundled here into
one ES module, ``assets/credentials/credential-kit.js``, which only those pages import. esbuild
and the libraries are pinned in package-lock.json; the bundle is kept in :data:`KIT_CACHE` by a
digest of everything that makes it (the kit's sources, the JSON-LD contexts it carries, the
lock file and the options), so a build with nothing changed costs no esbuild run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from site_build.runtime import RuntimeMissing

#: The kit in the built site.
KIT = "assets/credentials/credential-kit.js"
#: The kit's sources (ES modules) and its entry module, which documents its API.
SOURCE_DIR = Path("site_build") / "credential_kit_src"
ENTRY = "credential-kit.js"
#: Made bundles, by digest (``npm ci`` empties node_modules and so this).
KIT_CACHE = Path("node_modules") / ".cache" / "openceu-credential-kit"
#: Browsers that run the calculators (module workers, CompressionStream("deflate-raw")).
TARGET = "es2022"
ESBUILD_OPTIONS = (
    "--bundle",
    "--format=esm",
    "--platform=browser",
    f"--target={TARGET}",
    "--minify",
    "--legal-comments=eof",  # the libraries' license notices stay in the bundle
    "--loader:.jsonld=json",
    "--log-level=warning",
)


def kit_inputs(root: Path) -> list[Path]:
    """Every file whose bytes make the bundle: the kit's sources, the contexts, the lock file."""
    sources = sorted((root / SOURCE_DIR).glob("*.js"))
    contexts = sorted((root / "certificates" / "contexts").glob("*.json*"))
    return [*sources, *contexts, root / "package-lock.json"]


def kit_digest(root: Path, inputs: Iterable[Path]) -> str:
    digest = hashlib.sha256("\0".join(ESBUILD_OPTIONS).encode())
    for path in inputs:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_credential_kit(root: Path, site_dir: Path) -> Path:
    """Write the bundled kit into ``site_dir`` (from the cache when its inputs are unchanged)."""
    inputs = kit_inputs(root)
    if not (root / SOURCE_DIR / ENTRY).is_file():
        raise RuntimeMissing(f"{root / SOURCE_DIR / ENTRY} is missing: the credential kit's entry module")
    esbuild = root / "node_modules" / ".bin" / "esbuild"
    if not esbuild.is_file():
        raise RuntimeMissing(f"{esbuild} is missing: run `npm ci` (make build does it)")
    cache = root / KIT_CACHE / f"{kit_digest(root, inputs)}.js"
    if not cache.is_file():
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.part")  # builds running at once write apart
        command = [str(esbuild), str(root / SOURCE_DIR / ENTRY), *ESBUILD_OPTIONS, f"--outfile={partial}"]
        try:
            subprocess.run(command, check=True, capture_output=True, cwd=root)
        except subprocess.CalledProcessError as error:
            raise RuntimeMissing(
                f"the credential kit did not bundle: {error.stderr.decode(errors='replace')[-2000:]}"
            ) from error
        partial.replace(cache)
    target = site_dir / KIT
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache, target)
    return target
