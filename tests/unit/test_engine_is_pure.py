"""`import calc` must load only the standard library: the same code runs in Pyodide."""

from __future__ import annotations

from tests.conftest import modules_loaded_by, outside_standard_library


def test_import_calc_loads_nothing_outside_the_standard_library():
    loaded = modules_loaded_by(
        "import pkgutil, calc\n"
        "for module in pkgutil.iter_modules(calc.__path__):\n"
        "    __import__('calc.' + module.name)\n"
    )
    packages = outside_standard_library(loaded)
    assert "calc" in packages
    assert packages == {"calc"}, f"import calc loaded non-stdlib modules: {sorted(packages - {'calc'})}"
