"""How many times module-level code binds each name, counting what `global` and `:=` rebind from
inside functions: a module constant is trusted only when nothing else rebinds it."""
from __future__ import annotations

import ast
import re

from routelint.skeleton import line_end

GLOBAL = re.compile(r"(?:^|[:;])[ \t]*global\b", re.MULTILINE)  # a `global` statement (`def f(): global X` too), not the word


def blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    found = [getattr(statement, name, None) or [] for name in ("body", "orelse", "finalbody")]
    found += [handler.body for handler in getattr(statement, "handlers", None) or []]
    found += [case.body for case in getattr(statement, "cases", None) or []]
    return [b for b in found if b and isinstance(b[0], ast.stmt)]


def rebound_anywhere(tree: ast.Module, source: str, line_starts: list[int]) -> dict[str, int]:
    """Module names rebound from anywhere: `global` in a function, `:=`. Statements are walked
    for `global` (it is one); expressions only in the top-level statements whose text holds `:=`."""
    rebound: dict[str, int] = {}
    if GLOBAL.search(source):
        pending = list(tree.body)
        while pending:
            statement = pending.pop()
            if isinstance(statement, ast.Global):
                for name in statement.names:
                    rebound[name] = rebound.get(name, 0) + 2
            for block in blocks(statement):
                pending.extend(block)
    if ":=" in source:
        declared = set(rebound)  # names some function declares global: its := rebinds them
        for statement in tree.body:
            start = line_starts[statement.lineno - 1]
            if ":=" not in source[start : line_end(line_starts, statement.end_lineno or statement.lineno, len(source))]:
                continue
            for node in _module_level_nodes(statement, declared):
                if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                    rebound[node.target.id] = rebound.get(node.target.id, 0) + 1
    return rebound


def _module_level_nodes(statement: ast.stmt, declared: set[str]) -> list[ast.AST]:
    """The nodes whose `:=` binds in the module: not inside a function, lambda or class body
    (they bind there), unless the function declares a name global (then all of it)."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        found.append(node)
        if (
            (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) and node is not statement)
            or (node is statement and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
        ) and not (declared and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _declares_global(node)):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return found


def _declares_global(function: ast.AST) -> bool:
    return any(isinstance(node, ast.Global) for node in ast.walk(function))


def module_bindings(tree: ast.Module) -> dict[str, int]:
    """Every binding of a name by module-level code, including the statements not parsed again,
    so a constant is trusted only when nothing else in the module rebinds it."""
    counts: dict[str, int] = {}

    def bind(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    def targets(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            bind(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                targets(element)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    def visit(statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    targets(target)
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                if statement.value is not None or isinstance(statement, ast.AugAssign):
                    targets(statement.target)
            elif isinstance(statement, (ast.For, ast.AsyncFor)):
                targets(statement.target)
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                for item in statement.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                for alias in statement.names:
                    bind((alias.asname or alias.name).split(".")[0])
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bind(statement.name)
                continue
            for handler in getattr(statement, "handlers", None) or []:
                if handler.name:
                    bind(handler.name)
            for block in blocks(statement):
                visit(block)

    visit(tree.body)
    return counts
