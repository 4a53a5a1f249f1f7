"""A calculator page's wiring, from its one line of front matter (``calculator: <name>``).

The page template, the page's Content-Security-Policy kind and what its Web Worker loads (the
page script, the modules it imports, the worker script, the one worker entry and the data files)
are the same for every calculator but for what :mod:`calculator_pages.registry` declares of it,
so a page names its calculator and the build fills in the rest (the plugin, on_page_markdown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calculator_pages.registry import CALCULATORS, Calculator, calculator

TEMPLATE = "worker_page.html"
#: The policy kind of every calculator page (mkdocs.yml, csp: worker): WebAssembly and a same-origin worker.
CSP_KIND = "worker"
#: What every calculator page's script imports (preloaded, and kept for offline use).
MODULES = ("assets/calculators/calculator.js",)
WORKER_SCRIPT = "assets/calculators/python-worker.js"
#: The one Python file every calculator's worker runs first (its start(name) finds the calculator).
WORKER_ENTRY = "assets/calculators/worker.py"
#: Front matter the build writes for a calculator page, which the page itself must leave out.
FILLED = ("template", "csp", "worker")


def wiring(chosen: Calculator) -> dict[str, Any]:
    """The front matter worker_page.html reads for calculator ``chosen`` (site paths)."""
    return {
        "template": TEMPLATE,
        "csp": CSP_KIND,
        "worker": {
            "name": chosen.name,
            "page": chosen.script,
            "modules": [*MODULES, *chosen.modules],
            "script": WORKER_SCRIPT,
            "entry": WORKER_ENTRY,
            "files": list(chosen.files),
        },
    }


def page_wiring(meta: Mapping[str, Any], registry: Mapping[str, Calculator] = CALCULATORS) -> dict[str, Any]:
    """The front matter to add to a page's own: nothing unless it names a ``calculator``.

    A name no calculator has, or a page that names one and wires itself too, is a ValueError
    saying which (the build fails naming the page).
    """
    name = meta.get("calculator")
    if name is None:
        return {}
    if not isinstance(name, str):
        raise ValueError(f"calculator: give one name (got {name!r})")
    own = [key for key in FILLED if key in meta]
    if own:
        raise ValueError(f"calculator: {name} is wired by the build; leave out {', '.join(own)}")
    try:
        return wiring(calculator(name, registry))
    except KeyError as error:
        raise ValueError(f"calculator: {error.args[0]}") from None
