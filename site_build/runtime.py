"""Put the browser runtime into the built site: Pyodide, PyScript and the engine.

Everything is served from the site itself (no CDN). Pyodide and PyScript come from
``node_modules`` (pinned in package-lock.json); the engine ``calc/`` is zipped so
the browser imports the very code the CLI runs.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

#: The files of the npm package ``pyodide`` that a page needs to start Python.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

ENGINE_ZIP = "assets/py/calc.zip"
GLUE_DIR = "assets/calculators"

#: A fixed timestamp so the zip is byte-identical between builds (cache-friendly).
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class RuntimeMissing(RuntimeError):
    """node_modules lacks a file the site needs; ``npm ci`` installs it."""


def install_runtime(site_dir: Path, node_modules: Path, engine_dir: Path, glue_dir: Path) -> None:
    copy_pyodide(node_modules / "pyodide", site_dir / "pyodide")
    copy_pyscript(node_modules / "@pyscript" / "core" / "dist", site_dir / "pyscript")
    zip_engine(engine_dir, site_dir / ENGINE_ZIP)
    copy_glue(glue_dir, site_dir / GLUE_DIR)


def copy_pyodide(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        _copy(source / name, target / name)


def copy_pyscript(source: Path, target: Path) -> None:
    if not (source / "core.js").is_file():
        raise RuntimeMissing(f"{source / 'core.js'} is missing: run `npm ci`")
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.suffix in {".js", ".css"}:
            _copy(path, target / path.name)


def zip_engine(engine_dir: Path, target: Path) -> None:
    """Zip ``calc/*.py`` as a package the browser unpacks onto its sys.path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(engine_dir.glob("*.py")):
            info = zipfile.ZipInfo(f"{engine_dir.name}/{path.name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def copy_glue(source: Path, target: Path) -> None:
    """The calculators' page glue (.py) — MkDocs does not copy .py files from a theme."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.py")):
        _copy(path, target / path.name)


def _copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise RuntimeMissing(f"{source} is missing: run `npm ci` (make build does it)")
    shutil.copyfile(source, target)
