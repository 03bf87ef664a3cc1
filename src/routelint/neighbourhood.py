"""A run over some files of a project (pre-commit, an editor buffer, `routelint app/chat.py`):
which of the files it was not given its cross-file findings can involve, read as little as
possible (by text first, a superset; the project pass decides)."""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Callable

from routelint.project import Constant, ProjectTable, file_constants, import_statements


@dataclass(frozen=True)
class Neighbourhood:
    """What a run over some files of a project needs of the files it was not given."""

    table: ProjectTable  # every file of the project, with the constants of those read
    holders: frozenset[str]  # files whose constants the given files use
    users: frozenset[str]  # files that use constants of the given files


def neighbourhood(
    named: Mapping[str, str], others: Iterable[str], read: Callable[[str], str | None], reportable: Callable[[str], bool]
) -> Neighbourhood:
    """The files outside `named` (normalized display path -> text) that a cross-file finding of
    theirs can involve: the modules they import that hold constants (and, through those, the
    modules those import), and the files that import the constants they hold. `read` gives the
    text of another file (None when it cannot be read); files are read only as needed: the
    modules imported, and for the users, only files that mention one of those names."""
    others = [posixpath.normpath(key) for key in others]
    probe = ProjectTable(frozenset(named) | frozenset(others))
    texts = dict(named)
    constants = {key: found for key, text in named.items() if (found := file_constants(text, reportable))}
    holders: set[str] = set()
    frontier = list(named)
    while frontier:
        key = frontier.pop()
        modules = probe.imported_files(key, texts[key])
        for imported in sorted(modules - texts.keys()):
            text = read(imported)
            if text is None:
                continue
            texts[imported] = text
            found = file_constants(text, reportable)
            if found:
                constants[imported] = found
        for imported in modules:
            if imported in named or imported in holders or imported not in texts:
                continue
            held = imported in constants and _uses(probe, key, texts[key], imported, constants[imported])
            if held or _passes_on(texts[imported], texts[key]):
                holders.add(imported)  # it holds a name used here, or may import one and pass it on
                frontier.append(imported)
    users: set[str] = set()
    named_heads = {c.name.split(".")[0] for key in named for c in constants.get(key, ())}
    if named_heads:
        # Files that import those names, directly or from a file that imports them in turn.
        mention = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(named_heads)) + r")\b")
        mentioning: dict[str, str] = {}
        for key in others:
            if key in named:
                continue
            text = texts.get(key)
            if text is None:
                text = read(key)
            if text is not None and mention.search(text):
                mentioning[key] = texts[key] = text
        sources = {key for key in named if key in constants}
        changed = True
        while changed:
            changed = False
            for key, text in mentioning.items():
                if key not in users and _takes(probe, key, text, named_heads, sources):
                    users.add(key)
                    sources.add(key)
                    changed = True
                    found = constants.get(key) or file_constants(text, reportable)
                    if found:
                        constants[key] = found
    return Neighbourhood(ProjectTable(probe.paths, constants), frozenset(holders), frozenset(users))


def _passes_on(text: str, importer_text: str) -> bool:
    """Whether a module may import a name the importing text uses and hand it on (by text, a
    superset: a star import, or a name it imports that the importer's text mentions)."""
    names = {name for _, _, listed in import_statements(text)[0] for name in listed}
    if "*" in names:
        return True
    words = set(re.findall(r"\w+", importer_text))
    return bool({name.split(".")[-1] for name in names} & words)


def _uses(table: ProjectTable, importer: str, text: str, holder: str, constants: Sequence[Constant]) -> bool:
    """Whether `text` may take one of `holder`'s constants (by text, a superset)."""
    return _takes(table, importer, text, {c.name.split(".")[0] for c in constants}, {holder})


def _takes(table: ProjectTable, importer: str, text: str, heads: Iterable[str], sources: set[str]) -> bool:
    """Whether `text` may take one of the names `heads` from one of the files `sources`."""
    for head in sorted(heads):
        if re.search(rf"\b{re.escape(head)}\b", text) and table.reached(importer, text, head) & sources:
            return True
    return False
