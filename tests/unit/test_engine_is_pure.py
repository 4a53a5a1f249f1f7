"""`import calc` must load only the standard library: the same code runs in Pyodide."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_import_calc_loads_nothing_outside_the_standard_library():
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import pkgutil, calc\n"
        "for module in pkgutil.iter_modules(calc.__path__):\n"
        "    __import__('calc.' + module.name)\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    outside = loaded - set(sys.stdlib_module_names) - {"calc"}
    assert "calc" in loaded
    assert not outside, f"import calc loaded non-stdlib modules: {sorted(outside)}"
