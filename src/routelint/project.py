"""The project pass: which module of the linted tree a name is imported from.

Before the files are linted, one cheap pass with the stdlib `ast` (about 9x faster than LibCST)
reads the module-level bindings of the files that contain a candidate string (the only files
whose strings can be reported): constants, class attributes, and instances of those classes.
The per-file lint then uses the table two ways: a file that mentions one of those names is
examined even without a candidate string of its own (the prefilter stays a superset), and a
name it imports is traced to the file that holds the literal, where the finding is reported.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import os
import posixpath
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, AnyStr, Callable

from routelint.project_pass import project_pass

if TYPE_CHECKING:
    from routelint.engine import Linter
    from routelint.facts import Incoming
    from routelint.model import FileResult

# A one-line string literal's body: the cheap test of whether parsing a file can find anything.
_QUOTED = re.compile(r"""(['"])([^'"\n\\]*)\1""")


CALLED = "()"  # the name of a `Constant` that is a call, not a binding (`Constant.called`)


@dataclass(frozen=True)
class Constant:
    """A module-level name (or `Class.attr`) bound to an expression holding a candidate string;
    or, named CALLED + a dotted name, a call of a function imported from `value` given a
    candidate string (`complete(text, "gpt-4o")` after `from .llm import complete`: "()complete"
    from ".llm"), which crosses files the other way (the function's file says where it goes)."""

    name: str
    value: str  # the first candidate string in the bound expression; for a call, the module ("." per level)
    line: int
    column: int  # 1-based

    @property
    def called(self) -> str | None:
        """The dotted name of the function called, for a call; None for a binding."""
        return self.name[len(CALLED) :] if self.name.startswith(CALLED) else None


@dataclass
class ProjectTable:
    paths: frozenset[str]  # every linted file, as displayed (posix)
    constants: Mapping[str, tuple[Constant, ...]] = field(default_factory=dict)  # path -> constants
    # Test files: they ask no other file where their calls' arguments go (flow.Flow._imported_calls),
    # so their calls of another file's functions or classes cross nothing.
    asks_nothing: frozenset[str] = frozenset()
    _by_stem: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _resolved: dict[tuple[str, str, int], str | None] = field(default_factory=dict, init=False, repr=False)
    _mentions: re.Pattern[bytes] | None = field(default=None, init=False, repr=False)
    _words: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    heads: frozenset[str] = field(default=frozenset(), init=False)  # first parts of the constants' names
    # The private names among them (`_summarize`: a private function with a candidate default,
    # `_private_defaults`): a call of one in another file is asked about.
    private_heads: frozenset[str] = field(default=frozenset(), init=False)
    # head -> the files a use of it can be traced to a holder through (`crosses` learns them);
    # None: not known, and every file that imports a head from a linted file is a user.
    _exporters: dict[str, frozenset[str]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        for path in self.paths:
            stem = posixpath.basename(path)[:-3] if not path.endswith("/__init__.py") else posixpath.basename(posixpath.dirname(path))
            self._by_stem.setdefault(stem, []).append(path)
        heads = sorted({c.name.split(".")[0] for found in self.constants.values() for c in found if c.called is None})
        self.heads = frozenset(heads)
        self.private_heads = frozenset(h for h in heads if private_name(h))
        if heads:
            # No leading `\b`: it keeps `re` from skipping ahead to a first letter (4x slower on a
            # large file); `_whole_words` checks the boundary before each match instead.
            self._mentions = re.compile(rb"(?:" + b"|".join(re.escape(h).encode() for h in heads) + rb")\b")
            self._words = re.compile(r"(?:" + "|".join(re.escape(h) for h in heads) + r")\b")

    def crosses(self, texts: Mapping[str, str]) -> bool:
        """Whether some file mentions a name bound in another file, or calls another file's
        function with a candidate string (`calls_out`): only then can a model string reach a
        call across files, and only then need files be linted in order. Learns
        on the way which files a use of each name can be traced through (`exporters`)."""
        calls = any(self.calls_out(path) for path in self.constants)
        if self._mentions is None:
            return calls
        owners: dict[str, set[str]] = {}
        for path, found in self.constants.items():
            for constant in found:
                if constant.called is None:
                    owners.setdefault(constant.name.split(".")[0], set()).add(posixpath.normpath(path))
        readers: list[tuple[str, str, dict[str, set[str]]]] = []  # (path, text, where it may take each head it mentions)
        crossed = False
        for path, text in texts.items():
            named = sorted({m.group().decode() for m in _whole_words(self._mentions, text.encode("utf-8", "surrogatepass"))})
            if not named:
                continue
            here = posixpath.normpath(path)
            sources = {name: self.reached(here, text, name) for name in named}
            readers.append((here, text, sources))
            crossed = crossed or any(self._takes(here, text, name, owners.get(name, set()), sources[name]) for name in named)
        self._exporters = _exporters(owners, readers)
        return crossed or calls

    def _takes(self, here: str, text: str, name: str, owners: set[str], sources: set[str]) -> bool:
        """Whether a file takes `name` from another file that binds it: a file's own constant
        shadows the others', but not `.name` of a module it imports (`llm._summarize` beside its
        own `_summarize`, `settings.MODEL` beside its own `MODEL`: found by review)."""
        if here not in owners:
            return bool(owners & sources)
        statements = import_statements(text)
        through = self.reached_by(here, statements, True, name) - self.reached_by(here, statements, False, name)
        return bool((owners - {here}) & through) and _writes_attribute(text, name)

    def calls_out(self, importer: str) -> bool:
        """Whether a file calls a function of another linted file with a candidate string (its
        call constants): then that file says where the string goes, and names cross. Not a test
        file (`asks_nothing`)."""
        return posixpath.normpath(importer) not in self.asks_nothing and bool(self.called_files(importer))

    def called_files(self, importer: str, constants: Iterable[Constant] | None = None) -> set[str]:
        """The linted files whose functions a file calls with a candidate string (by its call
        constants, or those given: a module it imports a function from, or a submodule it names)."""
        here = posixpath.normpath(importer)
        found: set[str] = set()
        for constant in self.constants.get(here, ()) if constants is None else constants:
            if constant.called is not None:
                level = len(constant.value) - len(constant.value.lstrip("."))
                module, parts = constant.value[level:], constant.called.split(".")
                for cut in range(len(parts)):
                    dotted = ".".join(p for p in (module, *parts[:cut]) if p)
                    found.add(self.module_file(here, dotted, level) or "")
        found.discard("")
        found.discard(here)
        return found

    def reached(self, importer: str, text: str, name: str) -> set[str]:
        """The linted files from which `text` can take `name`: those it imports the name from
        (`from .settings import NAME`, a star import), and, when it writes `.NAME`, the modules
        it imports (`import app.settings`, `from app import settings`). By text, a superset."""
        return self.reached_by(importer, import_statements(text), _writes_attribute(text, name), name)

    def reached_by(self, importer: str, statements: Imports, attribute: bool, name: str) -> set[str]:
        """`reached` from a file's import statements, and whether it writes `.name`."""
        reached: set[str] = set()
        from_imports, imports = statements
        for module, level, imported in from_imports:
            if name in imported or "*" in imported:
                reached.add(self.module_file(importer, module, level) or "")
            if attribute:
                for sub in imported:
                    reached.add(self.module_file(importer, f"{module}.{sub}" if module else sub, level) or "")
        if attribute:
            for dotted in imports:
                reached.add(self.module_file(importer, dotted, 0) or "")
        reached.discard("")
        return reached

    def shape(self) -> str:
        """A digest of what a file's lint depends on besides its own text, before any use of its
        names is known: which files there are (imports resolve to them) and which names other
        files bind to candidate strings (not their values)."""
        parts = repr((sorted(self.paths), sorted(self.heads)))
        return hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()

    def imported_by(self, importer: str, statements: Imports) -> set[str]:
        """The linted files a file's import statements may import from or as a module (by text,
        a superset)."""
        reached: set[str] = set()
        from_imports, imports = statements
        for module, level, imported in from_imports:
            reached.add(self.module_file(importer, module, level) or "")
            for sub in imported:
                reached.add(self.module_file(importer, f"{module}.{sub}" if module else sub, level) or "")
        for dotted in imports:
            reached.add(self.module_file(importer, dotted, 0) or "")
        reached.discard("")
        reached.discard(posixpath.normpath(importer))
        return reached

    def mentions(self, importer: str, text: str) -> list[int]:
        """Where `text` names (as a word) a name that other files bind to a candidate string and
        that it may import from another linted file (which may hold it, or import it in turn:
        `find` follows the same imports); [] when it imports none of them."""
        if self._words is None:
            return []
        found = [(m.start(), m.group()) for m in _whole_words(self._words, text)]
        if not found:
            return []
        here = posixpath.normpath(importer)
        taken = {name for name in {name for _, name in found} if self._traced(here, self.reached(here, text, name) - {here}, name)}
        return [offset for offset, name in found if name in taken]

    def _traced(self, importer: str, reached: set[str], name: str) -> bool:
        """Whether a file that can take `name` from the files `reached` takes it from a file a
        use of it can be traced to a holder through (any linted file, when that is not known)."""
        if self._exporters is None:
            return bool(reached)
        return _reaches(reached, self._exporters.get(name, frozenset()))

    def find(self, importer: str, candidates: Sequence[tuple[str, int, str]], *, any_name: bool = False) -> tuple[str, str] | None:
        """(file, dotted name) for the first (module, level, name) candidate that is a linted file
        (`any_name`: whatever the name, a function called, not only one bound to a candidate string)."""
        importer = posixpath.normpath(importer)
        for module, level, name in candidates:
            if not any_name and name.split(".")[0] not in self.heads:
                continue  # no linted file binds that name to a model string (a class, a function)
            path = self.module_file(importer, module, level)
            if path is not None and path != importer:
                return path, name
        return None

    def module_file(self, importer: str, module: str, level: int) -> str | None:
        """The linted file a module name resolves to from `importer` (relative when `level`);
        None when none is, or two could be. Memoized: a project asks the same names often."""
        key = (posixpath.dirname(importer) if level else "", module, level)
        if key not in self._resolved:
            self._resolved[key] = self._module_file(importer, module, level)
        return self._resolved[key]

    def _module_file(self, importer: str, module: str, level: int) -> str | None:
        parts = [p for p in module.split(".") if p]
        if level:
            base = posixpath.dirname(importer)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            stem = posixpath.join(base, *parts)
            options = [stem + ".py", posixpath.join(stem, "__init__.py")] if parts else [posixpath.join(stem, "__init__.py")]
            return next((p for p in (posixpath.normpath(o) for o in options) if p in self.paths), None)
        if not parts:
            return None
        tails = ("/".join(parts) + ".py", "/".join(parts) + "/__init__.py")
        # Displayed paths are relative to the working folder: run from inside `app/`, the file
        # `from app.settings import X` names is displayed `settings.py`; its absolute path says it.
        found = [
            p for p in self._by_stem.get(parts[-1], ())
            if any(shown == t or shown.endswith("/" + t) for t in tails for shown in (p, _absolute(p)))
        ]
        return found[0] if len(found) == 1 else None  # two files could be that module: do not guess


def _exporters(
    owners: Mapping[str, set[str]], readers: Sequence[tuple[str, str, Mapping[str, set[str]]]]
) -> dict[str, frozenset[str]]:
    """For each name, the files a use of it can be traced through to a file that binds it: the
    holders, the files that may import it from one of those (`from .settings import MODEL` in
    a package's `__init__.py`, `settings.MODEL` after importing the module), and,
    by text a superset, any file that holds or takes some such name and may bind this one to it
    (`MODEL = settings.OTHER`). `readers`: (path, text, for each name it mentions the files it
    may take it from: `ProjectTable.reached`)."""
    found = {name: set(paths) for name, paths in owners.items()}
    live = {path for paths in owners.values() for path in paths}
    changed = True
    while changed:
        changed = False
        for path, text, sources in readers:
            for name, reached in sources.items():
                through = found.setdefault(name, set())
                if path in through:
                    continue
                if _reaches(reached, through) or (path in live and _may_bind(text, name)):
                    through.add(path)
                    live.add(path)
                    changed = True
    return {name: frozenset(paths) for name, paths in found.items()}


_WORD_CHARACTER = re.compile(r"\w")
_WORD_BYTE = re.compile(rb"\w")


def _whole_words(pattern: re.Pattern[AnyStr], text: AnyStr) -> Iterator[re.Match[AnyStr]]:
    """The matches `\\b` before `pattern` would give: where the character before a match and its
    first differ in being word characters. A match without that boundary is passed over and the
    search goes on from its second character, as the regex engine's would."""
    word = _WORD_BYTE if isinstance(text, bytes) else _WORD_CHARACTER
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return
        start = match.start()
        before = start > 0 and word.match(text, start - 1) is not None
        if before != (word.match(text, start) is not None):
            yield match
            position = match.end()
        else:
            position = start + 1


def _absolute(path: str) -> str:
    return os.path.abspath(path).replace(os.sep, "/")


def _module_name(path: str) -> str:
    """The last part of the module a file is: `app/settings.py` -> settings, `app/__init__.py` -> app."""
    if path.endswith("/__init__.py") or path == "__init__.py":
        return posixpath.basename(posixpath.dirname(path))
    return posixpath.basename(path)[:-3] if path.endswith(".py") else posixpath.basename(path)


_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)", re.MULTILINE)
_CONTINUATION = re.compile(r"\\(?:\r\n|\r|\n)")
_LINE_BREAK = re.compile(r"\r\n?")
_COMMENT = re.compile(r"#[^\n]*")


def _import_lines(text: str) -> str:
    """The text with what import statements may be spread over made plain, for the patterns
    below: line continuations joined, `\r` line breaks made `\n`, `;` a line break, comments
    gone (a superset: the same is done inside strings, which can only add imports)."""
    text = _CONTINUATION.sub(" ", text)
    text = _LINE_BREAK.sub("\n", text)
    return _COMMENT.sub("", text.replace(";", "\n"))
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]*)", re.MULTILINE)
_NAMES = re.compile(r"[\w.*]+")


# (module, level, names) of each `from` import, and the dotted name of each module `import` binds.
Imports = tuple[tuple[tuple[str, int, frozenset[str]], ...], tuple[str, ...]]


@functools.lru_cache(maxsize=8)  # the same text is asked about name after name; few texts are kept
def import_statements(text: str) -> Imports:
    """The import statements of a file's text, by the patterns above: (module, level, names) of
    each `from` import, and the dotted name of each module `import` binds. Cached: a file's
    imports are asked for once per name it mentions."""
    plain = _import_lines(text)
    from_imports = tuple(
        (module, len(dots), frozenset(_NAMES.findall(names))) for dots, module, names in _FROM_IMPORT.findall(plain)
    )
    imports = tuple(
        dotted
        for line in _IMPORT.findall(plain)
        for part in line.split(",")
        if (dotted := part.split(" as ")[0].strip().strip("()"))
    )
    return from_imports, imports


_WORD = re.compile(r"\w+")
_ATTRIBUTE = re.compile(r"\.\s*(\w+)")


@dataclass(frozen=True)
class FileFacts:
    """What a run over some files needs of another file of their project, without its text
    (neighbourhood.py; index.py keeps them between runs): the constants it binds, its import
    statements, the words it uses (`\\w+`, as the text tests of this module match a name) and
    those it writes after a dot (`.NAME`)."""

    constants: tuple[Constant, ...]
    imports: Imports
    words: frozenset[str]
    attributes: frozenset[str]

    @classmethod
    def of(cls, text: str, reportable: Callable[[str], bool]) -> FileFacts:
        return cls(
            file_constants(text, reportable), import_statements(text),
            frozenset(_WORD.findall(text)), frozenset(_ATTRIBUTE.findall(text)),
        )


def build_table(
    sources: Iterable[tuple[str, str | None]], reportable: Callable[[str], bool], asks_nothing: Iterable[str] = ()
) -> ProjectTable:
    """`sources`: (display path, text or None when the file has no candidate string);
    `reportable`: whether a string could be reported as a model (Linter.reportable);
    `asks_nothing`: the test files among them (ProjectTable.asks_nothing)."""
    paths, constants = set(), {}
    for path, text in sources:
        paths.add(posixpath.normpath(path))
        found = file_constants(text, reportable) if text is not None else ()
        if found:
            constants[posixpath.normpath(path)] = found
    return ProjectTable(frozenset(paths), constants, frozenset(posixpath.normpath(p) for p in asks_nothing))


def file_constants(text: str, reportable: Callable[[str], bool], tree: ast.Module | None = None) -> tuple[Constant, ...]:
    """The module constants of one file with a candidate string (`tree`: its `ast`, if parsed
    already); a regex over one-line strings first, so most files are never parsed for it."""
    if not may_hold_constants(text, reportable):
        return ()
    return module_constants(text, reportable, tree)


def may_hold_constants(text: str, reportable: Callable[[str], bool]) -> bool:
    """False when `file_constants` is sure to find none: no one-line string could be a model.
    Cheap enough for the prefilter's workers (runner._screen)."""
    return any(reportable(m[2]) for m in _QUOTED.finditer(text))


def module_constants(text: str, reportable: Callable[[str], bool], tree: ast.Module | None = None) -> tuple[Constant, ...]:
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return ()
    found: list[Constant] = []
    classes: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            inside = [c for s in statement.body for c in _bound(s, reportable, statement.name + ".")]
            if inside:
                classes.add(statement.name)
                found.extend(inside)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.extend(_private_defaults(statement, reportable))
        else:
            found.extend(_bound(statement, reportable, ""))
    for statement in tree.body:  # `settings = Settings()`: the instance carries the class's attributes
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if isinstance(func, ast.Name) and func.id in classes:
                found.extend(Constant(t.id, "", t.lineno, t.col_offset + 1) for t in statement.targets if isinstance(t, ast.Name))
    found.extend(_calls_given_strings(tree, reportable, {c.name for c in found}))
    return tuple(found)


def _calls_given_strings(tree: ast.Module, reportable: Callable[[str], bool], constants: set[str]) -> list[Constant]:
    """The calls of imported functions given, as an argument, a candidate string or a name bound to
    one (`complete(text, "gpt-4o")`, `llm.complete(text, MODEL)`): one call constant per function and
    module (by the names imports bind anywhere in the file, and the names anything binds to a
    candidate string: a superset of what the extractor asks about, `flow.Flow._imported_calls`).
    A function of a module (`complete`, `llm.complete`), not a class (`Request(...)`) nor a
    method of an object (`openai.chat.completions.create`)."""
    imported: dict[str, list[tuple[str, str]]] = {}  # local name -> (module, with a dot per level; the name imported), each import
    holding = set(constants)  # names bound to a candidate string anywhere: a parameter's default too
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and _a_candidate(node.value, reportable):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            holding.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            pairs = [*zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults), *zip(arguments.kwonlyargs, arguments.kw_defaults)]
            holding.update(a.arg for a, default in pairs if default is not None and _a_candidate(default, reportable))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    imported.setdefault(alias.asname or alias.name, []).append(("." * node.level + (node.module or ""), alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported.setdefault(alias.asname or alias.name.split(".")[0], []).append(
                    (alias.name if alias.asname else alias.name.split(".")[0], "")
                )
    if not imported:
        return []
    found: dict[tuple[str, str], Constant] = {}
    for node in _outside_lambdas(tree):  # (a lambda's parameter may shadow an import: `lambda c: c.create(...)`)
        if not isinstance(node, ast.Call):
            continue
        chain: list[str] = []
        func: ast.expr = node.func
        while isinstance(func, ast.Attribute):
            chain.insert(0, func.attr)
            func = func.value
        if not isinstance(func, ast.Name) or func.id not in imported:
            continue
        given = [*node.args, *(k.value for k in node.keywords)]
        if not any(_a_candidate(value, reportable) or (isinstance(value, ast.Name) and value.id in holding) for value in given):
            continue
        for module, name in imported[func.id]:
            dotted = ".".join(p for p in (name, *chain) if p)
            parts = dotted.split(".")
            # a function, or a class (`OpenAIProvider("gpt-4o")`: its `__init__` answers); not a
            # class's method, which no file answers for (flow._module_function)
            if dotted and len(parts) <= 2 and not any(part[:1].isupper() for part in parts[:-1]) and (module, dotted) not in found:
                found[(module, dotted)] = Constant(CALLED + dotted, module, node.lineno, node.col_offset + 1)
    return list(found.values())


def _a_candidate(value: ast.expr, reportable: Callable[[str], bool]) -> bool:
    """Whether an expression may read statically as a candidate string (values.static_string):
    one, pieces of text (`"openai/" + NAME`, an f-string), an environment fallback, a `.strip()`."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str) and reportable(value.value)
    if isinstance(value, ast.BinOp):
        return _a_candidate(value.left, reportable) or _a_candidate(value.right, reportable)
    if isinstance(value, ast.JoinedStr):
        return any(_a_candidate(part, reportable) for part in value.values)
    if isinstance(value, ast.Call):
        name = _form(value.func)
        if name in ("getenv", "get"):  # `os.getenv("MODEL", "gpt-4o")`
            return any(_a_candidate(arg, reportable) for arg in value.args[1:2])
        if name in ("strip", "lstrip", "rstrip") and isinstance(value.func, ast.Attribute):
            return _a_candidate(value.func.value, reportable)
    return False


def _outside_lambdas(value: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    pending: list[ast.AST] = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            continue
        found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _bound(statement: ast.stmt, reportable: Callable[[str], bool], prefix: str) -> list[Constant]:
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return []
    typed = _in_literal_types(value)
    strings = [
        (n, n.value) for n in ast.walk(value)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and reportable(n.value) and id(n) not in typed
    ]
    if not strings:
        return []
    first, text = strings[0]
    return [Constant(prefix + t.id, text, first.lineno, first.col_offset + 1) for t in targets if isinstance(t, ast.Name)]


def _writes_attribute(text: str, name: str) -> bool:
    """Whether a text writes `.name` (`settings.MODEL`)."""
    return re.search(rf"\.\s*{re.escape(name)}\b", text) is not None


def private_name(name: str) -> bool:
    """A module's private name (`_summarize`), not a dunder (`__init__`)."""
    return name.startswith("_") and not name.endswith("__")


def _private_defaults(function: ast.FunctionDef | ast.AsyncFunctionDef, reportable: Callable[[str], bool]) -> list[Constant]:
    """A private function (`def _summarize(text, model="gpt-4o-mini")`) with a candidate string
    in a default: its file does not judge a default every call in the file overrides
    (`flow._default_never_used`), unless another file calls the function. A file that names it
    crosses, is read, and asks about it (`ProjectTable.private_heads`, flow.Flow._imported_calls)."""
    name = function.name
    if function.decorator_list or not private_name(name):
        return []
    defaults = [*function.args.defaults, *(d for d in function.args.kw_defaults if d is not None)]
    strings = [
        n for d in defaults for n in ast.walk(d) if isinstance(n, ast.Constant) and isinstance(n.value, str) and reportable(n.value)
    ]
    return [Constant(name, str(strings[0].value), strings[0].lineno, strings[0].col_offset + 1)] if strings else []


def _reaches(reached: set[str], through: Collection[str]) -> bool:
    """Whether files a file may take a name from include one it can be traced through: one of
    `through`, or a package (`pkg/__init__.py`) that holds one of them (`import pkg` then
    `pkg.settings.MODEL` reads the submodule, which the engine resolves directly)."""
    if reached & set(through):
        return True
    for path in reached:
        if posixpath.basename(path) == "__init__.py":
            folder = posixpath.dirname(path)
            if any(not folder or held.startswith(folder + "/") for held in through):
                return True
    return False


def _may_bind(text: str, name: str) -> bool:
    """Whether a text may bind `name` (by text, a superset: `NAME =`, `NAME: T =`, `NAME, x =`,
    `as NAME`, `for NAME`; also a keyword `NAME=` in a call)."""
    return re.search(rf"\b{re.escape(name)}\b[ \t]*(?:[,:][^\n=]*)?=(?!=)|\b(?:as|for)[ \t]+{re.escape(name)}\b", text) is not None


def _in_literal_types(value: ast.expr) -> set[int]:
    """The nodes inside `Literal[...]` in an expression: `ChatModel = Literal["gpt-4o", ...]`, the
    SDK's type aliases, is a type, never a value a call is given (the lint judges nothing there:
    outline.py's inert statements), so it is not a constant other files can use."""
    return {
        id(inner)
        for node in ast.walk(value)
        if isinstance(node, ast.Subscript) and _form(node.value) == "Literal"
        for inner in ast.walk(node.slice)
    }


def _form(base: ast.expr) -> str:
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""


@dataclass(frozen=True)
class ProjectRun:
    table: ProjectTable
    results: Mapping[str, FileResult]  # path -> result
    incoming: Mapping[str, tuple[Incoming, ...]]  # path -> the uses other files make of its names


def lint_sources(linter: Linter, sources: Mapping[str, str], enabled: Iterable[str] | None = None) -> ProjectRun:
    """Lint files that import from each other, all in memory (tests, editors)."""
    keys = {posixpath.normpath(p): p for p in sources}
    table = gated_table(linter, sources.items())

    def step(key: str, incoming: tuple[Incoming, ...]) -> tuple[FileResult, Sequence[tuple[str, Incoming]]]:
        result = linter.lint_source(sources[keys[key]], keys[key], enabled=enabled, project=table, incoming=incoming)
        return result, result.exports

    passed = project_pass(list(keys), table, step)
    return ProjectRun(
        table, {keys[k]: r for k, r in passed.results.items()}, {keys[k]: u for k, u in passed.incoming.items()}
    )


def gated_table(linter: Linter, sources: Iterable[tuple[str, str | None]]) -> ProjectTable:
    """The table of files read (display path, text; None: it cannot be read), constants read only
    from those the prefilter passes (the inventory, files in memory)."""
    return build_table(
        ((p, t if t is not None and linter.prefilter.matches(t.encode("utf-8", "surrogatepass")) else None) for p, t in sources),
        linter.reportable,
    )
