"""No import cycles among routelint's modules (issue 13): data flows one way. Imports inside
functions count too (they are how a cycle hides); those under `if TYPE_CHECKING:` do not run."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "routelint"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("routelint", *parts))
        found[name[: -len(".__init__")] if name.endswith(".__init__") else name] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []  # never run (ast.walk has already queued it: a second walk below)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name in known}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module] - {module}:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    saved = sys.getrecursionlimit()  # restored: other tests measure what a limit does
    sys.setrecursionlimit(max(saved, 10_000))
    try:
        for module in graph:
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(saved)
    return found


def test_no_module_imports_itself_back() -> None:
    known = modules()
    graph = {name: imports(path, known) for name, path in known.items()}
    assert len(graph) > 40 and any(graph.values())  # the scan sees the package
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# The layers, lowest first, and inside the pipeline its stages in the order data flows: a module
# may import only from its own place or below (issue 13: "no module imports a module of a later
# stage or of a shell layer"). A new module is placed here, or this test fails.
LAYERS: dict[str, tuple[int, int]] = {
    # base: text, facts and helpers every stage may use
    **{m: (0, 0) for m in ("routelint", "lines", "tomlfile", "interrupts", "facts", "bindings", "walk", "urls", "safeparse")},
    # the catalog: facts from rules/*.toml, and what a rule is
    **{m: (1, 0) for m in ("catalog_code", "catalog_reach", "catalog_data", "catalog_entries", "catalog", "rule")},
    # the pure stages, in order: results and the project table; screen; outline; extract; check;
    # place; suppress (and the directives --add-noqa writes); the engine that runs them on a text.
    # The project table and its pass (project_pass: the one cross-file driver's loop) lead: they
    # take the engine's lint as a function, and import it for types only.
    **{m: (2, 0) for m in ("model", "project", "neighbourhood", "project_pass")},
    "prefilter": (2, 1),
    **{m: (2, 2) for m in ("outline", "skeleton", "rebinding", "parsing")},
    **{m: (2, 3) for m in ("extract", "visitor", "binder", "clients", "syntax_index", "names", "values", "deferred", "flow", "inspection", "reach")},
    "checks": (2, 4),
    **{m: (2, 5) for m in ("place", "positions")},
    **{m: (2, 6) for m in ("suppress", "noqa")},
    **{m: (2, 7) for m in ("judge", "fixing", "engine")},
    # files: reading, decoding, notebooks, settings, the cache, writing
    **{m: (3, 0) for m in ("files", "patterns", "discovery", "notebooks", "notebook_json", "notebook_magics", "writes", "cache_entries", "cache", "config")},
    "index": (3, 1),  # the project index: facts of a project's files, kept in the cache
    # output: what people and machines read
    **{m: (4, 0) for m in ("docs", "formats", "terminal", "report", "listing")},
    # drivers: runs over files, projects, buffers, hosts' single files
    **{m: (5, 0) for m in ("configs", "onefile", "pool", "crossfile", "buffer", "runner", "inventory", "hosted")},
    # shells: the command line and the hosts' entry points, the catalog tools
    **{m: (6, 0) for m in ("cli", "cli_report", "cli_info", "__main__", "flake8", "fixit", "pylint", "server", "server_places", "server_actions", "freshness", "sdk_sync", "catalog_sync")},
}


def place_of(module: str) -> tuple[int, int]:
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        key = ".".join(parts[1:length]) or "routelint"
        if key in LAYERS:
            return LAYERS[key]
    raise KeyError(f"{module}: give it a place in LAYERS (tests/test_imports.py)")


def test_no_module_imports_a_later_stage_or_a_shell() -> None:
    known = modules()
    wrong = sorted(
        f"{name} {place_of(name)} imports {other} {place_of(other)}"
        for name, path in known.items()
        for other in imports(path, known) - {name}
        if place_of(other) > place_of(name)
    )
    assert wrong == []
