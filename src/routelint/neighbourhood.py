"""A run over some files of a project (pre-commit, an editor buffer, `routelint app/chat.py`):
which of the files it was not given its cross-file findings can involve, from what each file
imports, binds and mentions (`FileFacts`: by text, a superset; the project pass decides). The
facts of the files not given come from the project index (index.py), so a warm run reads none
of them."""
from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Callable

from routelint.project import Constant, FileFacts, ProjectTable


@dataclass(frozen=True)
class Neighbourhood:
    """What a run over some files of a project needs of the files it was not given."""

    table: ProjectTable  # every file of the project, with the constants of those read
    holders: frozenset[str]  # files whose constants the given files use
    users: frozenset[str]  # files that use constants of the given files


def neighbourhood(
    named: Mapping[str, str], others: Iterable[str], facts: Callable[[str], FileFacts | None], reportable: Callable[[str], bool]
) -> Neighbourhood:
    """The files outside `named` (normalized display path -> text) that a cross-file finding of
    theirs can involve: the modules they import that hold constants (and, through those, the
    modules those import), and the files that import the constants they hold. `facts` gives
    what another file imports, binds and mentions (None when it cannot be read); it is asked
    only as needed: for the modules imported, and for the users only when the files given
    hold constants."""
    others = [posixpath.normpath(key) for key in others]
    probe = ProjectTable(frozenset(named) | frozenset(others))
    known: dict[str, FileFacts | None] = {key: FileFacts.of(text, reportable) for key, text in named.items()}

    def of(key: str) -> FileFacts | None:
        if key not in known:
            known[key] = facts(key)
        return known[key]

    constants: dict[str, tuple[Constant, ...]] = {key: f.constants for key, f in known.items() if f is not None and f.constants}
    holders: set[str] = set()
    frontier = list(named)
    while frontier:
        key = frontier.pop()
        here = known[key]
        assert here is not None  # only files with facts join the frontier
        for imported in sorted(probe.imported_by(key, here.imports)):
            there = of(imported)
            if there is None:
                continue
            if there.constants:
                constants[imported] = there.constants
            if imported in named or imported in holders:
                continue
            held = bool(there.constants) and _takes(probe, key, here, {c.name.split(".")[0] for c in there.constants}, {imported})
            if held or _passes_on(there, here):
                holders.add(imported)  # it holds a name used here, or may import one and pass it on
                frontier.append(imported)
    # The functions the given files call with a candidate string: the files that define them say
    # where their parameters go (a package that imports one passes the question on), and so on
    # for the functions those call so (a parameter handed on: `relay(prompt, model)` calling
    # `complete(prompt, model)`).
    pending = list(named)
    while pending:
        key = pending.pop()
        here = of(key)
        for constant in here.constants if here is not None else ():
            if constant.called is not None:
                for defining in _defining_files(probe, key, constant.called.split(".")[-1], probe.called_files(key, [constant]), of):
                    if defining not in named and defining not in holders:
                        holders.add(defining)
                        pending.append(defining)
                        there = of(defining)
                        if there is not None and there.constants:
                            constants[defining] = there.constants
    users: set[str] = set()
    # The files that call the given files' functions with a candidate string, and those that call
    # such a file's functions so in turn.
    if any(_may_answer(text) for text in named.values()):
        callers: dict[str, list[set[str]]] = {}  # file -> the files each of its calls may reach
        for key in others:
            found = of(key) if key not in named else None
            calls = [(c, c.called) for c in found.constants if c.called is not None] if found is not None else []
            if calls:
                callers[key] = [
                    _defining_files(probe, key, called.split(".")[-1], probe.called_files(key, [c]), of) for c, called in calls
                ]
        reached = set(named)
        changed = True
        while changed:
            changed = False
            for key, reaching in callers.items():
                if key in users:
                    continue
                hit = [files for files in reaching if files & reached]
                if hit:
                    users.add(key)
                    reached.add(key)
                    changed = True
                    holders.update(f for files in hit for f in files if f not in named)  # (a package between passes the question on)
                    constants[key] = of(key).constants  # type: ignore[union-attr]
    named_heads = {c.name.split(".")[0] for key in named for c in constants.get(key, ()) if c.called is None}
    if named_heads:
        # Files that import those names, directly or from a file that imports them in turn.
        mentioning: dict[str, FileFacts] = {}
        for key in others:
            if key in named:
                continue
            found = of(key)
            if found is not None and found.words & named_heads:
                mentioning[key] = found
        sources = {key for key in named if key in constants}
        changed = True
        while changed:
            changed = False
            for key, found in mentioning.items():
                if key not in users and _takes(probe, key, found, named_heads, sources):
                    users.add(key)
                    sources.add(key)
                    changed = True
                    if found.constants:
                        constants[key] = found.constants
    return Neighbourhood(ProjectTable(probe.paths, constants), frozenset(holders), frozenset(users))


_MODEL_WORD = re.compile(r"model", re.IGNORECASE)


def _may_answer(text: str) -> bool:
    """Whether a file may say where a parameter of one of its functions goes (and so the files
    that call them are worth reading): a function with a parameter named for a model, or one
    given by name as a model-named keyword or dict key (`create(model=m)`, `{"model": m}`) or by
    position to a class (`ChatOpenAI(m)`). By `ast`; a file Python cannot parse may. (Not: a
    parameter named otherwise handed to another function that sends it, `relay(prompt, m)`
    calling `complete(prompt, m)`: that file named alone does not read its callers.)"""
    if "def" not in text or not _MODEL_WORD.search(text):
        return False
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = function.args
        params = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        if any(_MODEL_WORD.search(p) for p in params):
            return True
        for node in ast.walk(function):
            if isinstance(node, ast.keyword) and node.arg and _MODEL_WORD.search(node.arg):
                if isinstance(node.value, ast.Name) and node.value.id in params:
                    return True
            elif isinstance(node, ast.Call) and _wrapper_class(node.func):  # `ChatOpenAI(m)`: a wrapper's model first
                if any(isinstance(arg, ast.Name) and arg.id in params for arg in node.args):
                    return True
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if (
                        isinstance(key, ast.Constant) and isinstance(key.value, str) and _MODEL_WORD.search(key.value)
                        and isinstance(value, ast.Name) and value.id in params
                    ):
                        return True
    return False


_WRAPPER_WORDS = re.compile(r"openai|gpt|llm|model|chat", re.IGNORECASE)


def _wrapper_class(func: ast.expr) -> bool:
    """A class named like a model wrapper (`ChatOpenAI`, `OpenAIModel`, `LLM`)."""
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name[:1].isupper() and _WRAPPER_WORDS.search(name) is not None


def _defining_files(
    table: ProjectTable, importer: str, name: str, files: set[str], facts: Callable[[str], FileFacts | None]
) -> set[str]:
    """The files a call of `name` from `importer` may reach, `files` first and then, through
    each that imports `name` in turn (a package's `from .llm import complete`), the modules it
    imports it from (by text, a superset)."""
    found, pending = set(), sorted(files)
    while pending:
        key = pending.pop()
        if key in found or key == importer:
            continue
        found.add(key)
        there = facts(key)
        if there is None:
            continue
        for module, level, names in there.imports[0]:
            if name in names:
                pending += [
                    p for p in (table.module_file(key, module, level), table.module_file(key, f"{module}.{name}" if module else name, level))
                    if p is not None
                ]
    return found


def _passes_on(module: FileFacts, importer: FileFacts) -> bool:
    """Whether a module may import a name the importer uses and hand it on (by text, a
    superset: a star import, or a name it imports that the importer mentions)."""
    names = {name for _, _, listed in module.imports[0] for name in listed}
    if "*" in names:
        return True
    return bool({name.split(".")[-1] for name in names} & importer.words)


def _takes(table: ProjectTable, importer: str, facts: FileFacts, heads: Iterable[str], sources: set[str]) -> bool:
    """Whether a file may take one of the names `heads` from one of the files `sources`."""
    for head in sorted(heads):
        if head in facts.words and table.reached_by(importer, facts.imports, head in facts.attributes, head) & sources:
            return True
    return False
