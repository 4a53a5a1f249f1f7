"""No first-party module imports in a circle, and the engine imports nothing of ours but itself.

The graph is read from the source with ``ast`` (nothing is imported), so it includes the
imports a module makes inside a function: a lazy import hides a cycle from ``import x``
but not from the design. The packages are found in the repository: every top-level folder
with an ``__init__.py`` (tests aside). ``test_engine_is_pure`` checks the other half of the
engine's rule at run time: nothing outside the standard library. Only ``hooks`` (the MkDocs
plugin) imports MkDocs: the packages it wires the build to stay free of it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT

#: Folders of Python modules that are not packages (no __init__.py) but are first-party code.
SCRIPT_FOLDERS: tuple[str, ...] = ()
#: The one package that may import MkDocs: the site build's plugin.
MKDOCS_GLUE = "hooks"
#: What runs the real build to measure it, as the tests do; not part of the product.
BUILD_DRIVERS = {"benchmarks"}
NOT_PRODUCT = {"tests"}
ENGINE = "calc"


@dataclass(frozen=True)
class Import:
    """``source`` imports ``target``, at ``path:line``."""

    source: str
    target: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} imports {self.target}"


def first_party_packages(root: Path = REPO_ROOT) -> list[str]:
    found = [
        folder.name
        for folder in sorted(root.iterdir())
        if folder.is_dir()
        and not folder.name.startswith(".")
        and folder.name not in NOT_PRODUCT
        and (folder / "__init__.py").is_file()
    ]
    return found + [name for name in SCRIPT_FOLDERS if (root / name).is_dir() and name not in found]


def module_files(root: Path = REPO_ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the first-party packages."""
    modules: dict[str, Path] = {}
    for package in first_party_packages(root):
        for file in sorted((root / package).rglob("*.py")):
            parts = file.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = file
    return modules


def _nearest_module(name: str, known: set[str]) -> str | None:
    """The module ``name`` names, or the package it is a name in."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return None


def imports_of(module: str, file: Path, known: set[str], root: Path = REPO_ROOT) -> list[Import]:
    """Every first-party module ``module`` imports, at any depth of the file (functions too).

    ``from pkg import name`` is an import of the submodule ``pkg.name`` when there is one,
    else of ``pkg`` itself. A package's own ``__init__`` running first is left out: a
    package that imports its submodules is not a circle.
    """
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    is_package = file.name == "__init__.py"
    path = file.relative_to(root).as_posix()
    found: dict[tuple[str, int], Import] = {}

    def add(name: str, line: int) -> None:
        target = _nearest_module(name, known)
        if target is not None and target != module:
            found.setdefault((target, line), Import(module, target, path, line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = package[: len(package) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            for alias in node.names:
                add(f"{origin}.{alias.name}", node.lineno)
    return sorted(found.values(), key=lambda edge: (edge.line, edge.target))


def import_graph(root: Path = REPO_ROOT) -> dict[str, list[Import]]:
    modules = module_files(root)
    known = set(modules)
    return {name: imports_of(name, file, known, root) for name, file in modules.items()}


def cycles(graph: dict[str, list[Import]]) -> list[list[Import]]:
    """One cycle through each strongly connected component that has one (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in graph.get(node, []):
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, component) for component in components]


def _cycle_in(graph: dict[str, list[Import]], component: set[str]) -> list[Import]:
    """The shortest way round from the component's first module back to itself."""
    start = min(component)
    paths: dict[str, list[Import]] = {start: []}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for edge in graph.get(node, []):
                if edge.target == start:
                    return [*paths[node], edge]
                if edge.target in component and edge.target not in paths:
                    paths[edge.target] = [*paths[node], edge]
                    following.append(edge.target)
        frontier = following
    raise AssertionError(f"no cycle found in the strongly connected modules {sorted(component)}")


def describe(cycle: list[Import]) -> str:
    names = " -> ".join([cycle[0].source, *(edge.target for edge in cycle)])
    return names + "\n" + "\n".join(f"    {edge}" for edge in cycle)


# --------------------------------------------------------------------------- the tests


def test_the_packages_are_found_in_the_repository():
    packages = first_party_packages()
    assert {"calc", "calculator_pages", "directory", "site_build", "hooks"} <= set(packages)
    modules = module_files()
    assert "directory.pages" in modules and "hooks.plugin" in modules and "calc" in modules


def test_no_module_imports_in_a_circle():
    found = cycles(import_graph())
    assert not found, "modules import each other in a circle:\n" + "\n".join(map(describe, found))


def test_the_engine_imports_nothing_of_the_other_packages():
    graph = import_graph()
    outside = [
        edge
        for module, edges in graph.items()
        if module == ENGINE or module.startswith(f"{ENGINE}.")
        for edge in edges
        if edge.target.split(".")[0] != ENGINE
    ]
    assert not outside, f"{ENGINE}/ must import only itself and the standard library:\n" + "\n".join(
        map(str, outside)
    )


def imports_mkdocs(file: Path) -> list[int]:
    """The lines of ``file`` that import MkDocs, at any depth (functions too)."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    names = [
        (node.lineno, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [(node.lineno, node.module or "") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    return sorted(line for line, name in names if name.split(".")[0] == "mkdocs")


def test_only_the_plugin_imports_mkdocs():
    found = [
        f"{file.relative_to(REPO_ROOT).as_posix()}:{line}"
        for module, file in module_files().items()
        if module.split(".")[0] not in {MKDOCS_GLUE, *BUILD_DRIVERS}
        for line in imports_mkdocs(file)
    ]
    assert not found, (
        f"only {MKDOCS_GLUE}/ may import MkDocs; the packages it wires stay free of it:\n" + "\n".join(found)
    )
    assert imports_mkdocs(REPO_ROOT / MKDOCS_GLUE / "plugin.py"), "the check must see the plugin's imports"


def test_the_graph_sees_lazy_relative_and_from_imports(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("def f():\n    from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("from .c import x\n")
    (tmp_path / "pkg" / "c.py").write_text("import pkg.a\nx = 1\n")
    graph = import_graph(tmp_path)
    assert [edge.target for edge in graph["pkg.a"]] == ["pkg.b"]
    assert [edge.target for edge in graph["pkg.b"]] == ["pkg.c"]
    (cycle,) = cycles(graph)
    assert describe(cycle).splitlines()[0] == "pkg.a -> pkg.b -> pkg.c -> pkg.a"
    assert str(cycle[0]) == "pkg/a.py:2: pkg.a imports pkg.b"
