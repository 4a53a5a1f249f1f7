"""Put the browser runtime into the built site: Pyodide, PyScript and the engine.

The calculators start Pyodide in a Web Worker (``assets/calculators/python-worker.js``) with
the engine's and the page models' zips and the one worker entry (``assets/calculators/worker.py``); PyScript, over the same
Pyodide, runs only the Suggest an entry form, which works on the page itself.

Everything is served from the site itself (no CDN). Pyodide and PyScript come from
``node_modules`` (pinned in package-lock.json) into folders named by their version
(``pyodide/314.0.7/``), so a host may cache them for good: a new version gets a new
address. The engine ``calc/`` is zipped so the browser imports the very code the CLI
runs. The directory's validator goes the same way for the Suggest an entry page, with
the schema and vocabularies it reads.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The files of the npm package ``pyodide`` that a page needs to start Python.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

ENGINE_ZIP = "assets/py/calc.zip"
#: The calculators' page models (stdlib + calc), zipped the same way.
CALCULATOR_PAGES_ZIP = "assets/py/calculator_pages.zip"
#: Issue 33: the certificates' standard-library modules (the page models' certificates page builds
#: and reads credentials with them); the CLI's (proof, contexts, key_file) need pyld and stay out.
CERTIFICATES_ZIP = "assets/py/certificates.zip"
CERTIFICATES_MODULES = ("__init__.py", "did_key.py", "link.py", "model.py", "verdict.py")
#: Pyodide's memory once it has started and imported every module of the two zips above (gzip):
#: the calculators' worker restores it instead of starting Python and importing the engine,
#: which is most of a calculator's start (issue 31, BENCHMARKS.md).
ENGINE_SNAPSHOT = "assets/py/engine-memory.gz"
#: Where the worker (python-worker.js) and the snapshot unpack the zips, on Python's sys.path.
ENGINE_FOLDER = "/home/pyodide/engine"
#: The Node script that makes the snapshot with the site's own Pyodide.
SNAPSHOT_SCRIPT = Path(__file__).with_name("memory_snapshot.mjs")
#: Made snapshots, by a digest of what makes them: a build with the same Pyodide and engine
#: reuses one instead of starting Node (seconds) again. ``npm ci`` empties it.
SNAPSHOT_CACHE = Path("node_modules") / ".cache" / "openceu-engine-memory"
#: Reference data the calculators read in the browser (the conversion table).
CALCULATOR_DATA = (
    "credit_systems.csv",
    "requirements.csv",
    "vocabularies.csv",
)  # the tracker reads all three
GLUE_DIR = "assets/calculators"

DIRECTORY_ZIP = "assets/py/directory.zip"
#: The stdlib-only modules the validator needs (the pages' modules and the commands stay out).
DIRECTORY_MODULES = (
    "__init__.py",
    "build_date.py",
    "data_files.py",  # issue 34: how the data files are opened and bounded (records.py, schema.py)
    "records.py",
    "reserved_hosts.py",
    "schema.py",
    "suggest.py",
    "validate.py",
)
#: Modules of other packages the validator imports, zipped beside it: certificates.did_key checks a
#: provider's certificate signing key (issuer_did, issue 33) as the certificates read it.
DIRECTORY_ALSO = {"certificates": ("__init__.py", "did_key.py")}
#: The data the validator reads in the browser, from ``assets/py/data/``.
DIRECTORY_DATA_DIR = "assets/py/data"
DIRECTORY_DATA = ("schema.json", "vocabularies.csv")
DIRECTORY_GLUE_DIR = "assets/directory"

#: A fixed timestamp so the zip is byte-identical between builds (cache-friendly).
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


#: A version that is safe as one folder name: digits and dots, maybe a pre-release (0.28.0a1).
_PLAIN_VERSION = re.compile(r"[0-9]+(?:\.[0-9]+)+(?:-?[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?", re.ASCII)


class RuntimeMissing(RuntimeError):
    """node_modules lacks a file the site needs; ``npm ci`` installs it."""


@dataclass(frozen=True)
class RuntimePaths:
    """Where Pyodide and PyScript live in the built site: folders relative to its root, with a slash."""

    pyodide: str  # pyodide/314.0.7/
    pyscript: str  # pyscript/0.7.31/

    @property
    def interpreter(self) -> str:
        """The file PyScript imports to start Pyodide."""
        return self.pyodide + "pyodide.mjs"

    @property
    def folders(self) -> tuple[str, str]:
        return (self.pyodide, self.pyscript)


def runtime_paths(node_modules: Path) -> RuntimePaths:
    """The versioned folders for the Pyodide and PyScript installed in ``node_modules``."""
    return RuntimePaths(
        pyodide=f"pyodide/{package_version(node_modules / 'pyodide')}/",
        pyscript=f"pyscript/{package_version(node_modules / '@pyscript' / 'core')}/",
    )


def package_version(package_dir: Path) -> str:
    """The ``version`` an npm package's package.json declares, refused unless it is a plain one."""
    manifest = package_dir / "package.json"
    try:
        declared = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RuntimeMissing(f"{manifest} is missing: run `npm ci` (make build does it)") from error
    except (OSError, ValueError) as error:
        raise RuntimeMissing(f"{manifest}: cannot be read ({error}): run `npm ci`") from error
    version = declared.get("version") if isinstance(declared, dict) else None
    if not isinstance(version, str) or not _PLAIN_VERSION.fullmatch(version):
        raise RuntimeMissing(
            f"{manifest}: version: {version!r} is not a plain version such as 1.2.3 "
            "(it names a folder of the site): run `npm ci`"
        )
    return version


def install_runtime(
    site_dir: Path,
    node_modules: Path,
    paths: RuntimePaths,
    engine_dir: Path,
    calculator_pages_dir: Path,
    data_dir: Path,
    glue_dir: Path,
    certificates_dir: Path,
) -> None:
    copy_pyodide(node_modules / "pyodide", site_dir / paths.pyodide)
    copy_pyscript(node_modules / "@pyscript" / "core" / "dist", site_dir / paths.pyscript)
    zip_engine(engine_dir, site_dir / ENGINE_ZIP)
    zip_engine(calculator_pages_dir, site_dir / CALCULATOR_PAGES_ZIP)
    zip_engine(certificates_dir, site_dir / CERTIFICATES_ZIP, names=CERTIFICATES_MODULES)
    make_engine_snapshot(
        node_modules,
        [site_dir / ENGINE_ZIP, site_dir / CERTIFICATES_ZIP, site_dir / CALCULATOR_PAGES_ZIP],
        site_dir / ENGINE_SNAPSHOT,
    )
    (site_dir / DIRECTORY_DATA_DIR).mkdir(parents=True, exist_ok=True)
    for name in CALCULATOR_DATA:
        _copy(data_dir / name, site_dir / DIRECTORY_DATA_DIR / name)
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


def install_directory_runtime(site_dir: Path, package_dir: Path, data_dir: Path, glue_dir: Path) -> None:
    """The validator, its data and the Suggest page's glue (Pyodide comes from install_runtime)."""
    also = {package_dir.parent / package: names for package, names in DIRECTORY_ALSO.items()}
    zip_engine(package_dir, site_dir / DIRECTORY_ZIP, names=DIRECTORY_MODULES, also=also)
    (site_dir / DIRECTORY_DATA_DIR).mkdir(parents=True, exist_ok=True)
    for name in DIRECTORY_DATA:
        source = data_dir / name
        if not source.is_file():
            raise RuntimeMissing(f"{source} is missing: the Suggest page needs it")
        shutil.copyfile(source, site_dir / DIRECTORY_DATA_DIR / name)
    copy_glue(glue_dir, site_dir / DIRECTORY_GLUE_DIR)


def zip_engine(
    engine_dir: Path,
    target: Path,
    names: tuple[str, ...] | None = None,
    also: Mapping[Path, tuple[str, ...]] | None = None,
) -> None:
    """Zip ``calc/*.py`` (or the named modules) as a package the browser unpacks onto its sys.path;
    ``also``: named modules of other packages (package folder -> module files) it needs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    paths = sorted(engine_dir.glob("*.py")) if names is None else [engine_dir / n for n in sorted(names)]
    for folder, modules in (also or {}).items():
        paths += [folder / name for name in sorted(modules)]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            info = zipfile.ZipInfo(f"{path.parent.name}/{path.name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def zip_modules(zips: list[Path]) -> list[str]:
    """The dotted names of every module in the zips (``calc/ceu.py`` is ``calc.ceu``)."""
    names: list[str] = []
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".py"):
                    parts = name[: -len(".py")].split("/")
                    names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def make_engine_snapshot(node_modules: Path, zips: list[Path], target: Path) -> None:
    """Pyodide's memory with every module of ``zips`` imported, gzipped into ``target``.

    Made by Node with the installed Pyodide (a snapshot only restores into the very build of
    Pyodide that made it: Pyodide checks its build id); kept in :data:`SNAPSHOT_CACHE` by a
    digest of Pyodide's loader, the script and the zips, so an unchanged engine costs no Node run.
    """
    pyodide = node_modules / "pyodide"
    modules = zip_modules(zips)
    digest = hashlib.sha256()
    for part in [
        (pyodide / "pyodide.mjs").read_bytes(),
        SNAPSHOT_SCRIPT.read_bytes(),
        ",".join(modules).encode(),
    ]:
        digest.update(hashlib.sha256(part).digest())
    for path in zips:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    cache = node_modules.parent / SNAPSHOT_CACHE / f"{digest.hexdigest()}.gz"
    if not cache.is_file():
        cache.parent.mkdir(parents=True, exist_ok=True)
        raw = cache.with_suffix(f".{os.getpid()}.raw")  # builds running at once write apart
        command = ["node", str(SNAPSHOT_SCRIPT), str(pyodide / "pyodide.mjs"), str(raw), ENGINE_FOLDER]
        try:
            subprocess.run([*command, ",".join(modules), *map(str, zips)], check=True, capture_output=True)
        except FileNotFoundError as error:
            raise RuntimeMissing(
                "node is missing: the build makes the calculators' snapshot with it"
            ) from error
        except subprocess.CalledProcessError as error:
            raise RuntimeMissing(
                f"the calculators' memory snapshot failed: {error.stderr.decode(errors='replace')[-2000:]}"
            ) from error
        partial = cache.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(gzip.compress(raw.read_bytes(), compresslevel=6, mtime=0))
        raw.unlink()
        partial.replace(cache)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache, target)


def copy_glue(source: Path, target: Path) -> None:
    """The pages' Python files (the calculators' worker entry, the Suggest page's glue): MkDocs
    does not copy .py files from a theme."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.py")):
        _copy(path, target / path.name)


def _copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise RuntimeMissing(f"{source} is missing: run `npm ci` (make build does it)")
    shutil.copyfile(source, target)


def set_interpreter(config_text: str, interpreter: str) -> str:
    """A PyScript config whose ``interpreter`` is ``interpreter`` (an absolute path).

    The build is the one place that knows where Pyodide is (a folder named by its
    version, under the site's path prefix), so the source configs name no interpreter;
    one that does is overwritten. Every config a page names must get one: without it
    PyScript fetches Pyodide from a CDN.
    """
    config = _config(config_text)
    if not interpreter.startswith("/"):
        raise ValueError(f"the interpreter must be an absolute path: {interpreter!r}")
    return _text({"interpreter": interpreter, **{k: v for k, v in config.items() if k != "interpreter"}})


#: PyScript plugins no page here uses. PyScript loads every plugin it ships unless the config
#: lists it as ``!name``; each is a separate download (py-editor pulls in CodeMirror's chunks).
UNUSED_PLUGINS = ("py-editor", "py-game", "py-terminal", "donkey")


def without_unused_plugins(config_text: str) -> str:
    """The config with :data:`UNUSED_PLUGINS` switched off (plugins it names stay as they are)."""
    config = _config(config_text)
    named = [str(item) for item in config.get("plugins", [])]
    config["plugins"] = named + [f"!{name}" for name in UNUSED_PLUGINS if f"!{name}" not in named]
    return _text(config)


def _config(text: str) -> dict[str, Any]:
    config = json.loads(text)
    if not isinstance(config, dict):
        raise ValueError("a PyScript config must be a JSON object")
    return config


def _text(config: dict[str, Any]) -> str:
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"
