"""The cheap pass: the stdlib parser (C speed) finds the top-level statements worth a LibCST parse.

LibCST is ~9x slower than `ast` and the positions it needs cost several parses more, so a
candidate file is parsed with `ast` first (over `skeleton`: function bodies that cannot matter
emptied), and only the top-level statements that can matter (a candidate string, a model
keyword, a `**` expansion in an API call, a shut-down resource), with the imports and short
assignments whose names they use, go to LibCST, each chunk a module of its own. Positions and
fixes map back through the chunk's first line.
"""
from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from routelint.catalog_code import CodeFacts

_MODEL_PARAMETER = re.compile(r"model", re.IGNORECASE)
_GLOBAL = re.compile(r"^[ \t]*global[ \t]", re.MULTILINE)  # a `global` statement, not the word


@dataclass(frozen=True)
class Signs:
    """What the cheap pass looks for, from the catalog (rules/code.toml), built once per run:
    the SDK's package (whether the file imports it), Azure's clients and the SDK's `api_type`
    setting (the statements that build or set them go to LibCST, which decides per client)."""

    package: str  # "openai"
    azure_clients: frozenset[str]  # "AzureOpenAI", ...
    api_type: str  # the attribute: `openai.api_type = "azure"`
    azure_api_type: str  # its value for Azure, lower case: "azure"
    keep: re.Pattern[str]  # a function body holding this is never emptied (`skeleton`)
    base_url_keywords: frozenset[str] = frozenset()  # a client given one of these may go elsewhere

    @classmethod
    def of(cls, code: CodeFacts) -> Signs:
        words = {code.sdk.package, *code.azure.clients}
        # A body that imports the SDK, names Azure's client, or declares a name global (a word
        # holding another, `AzureOpenAI` holding `openai`, adds nothing).
        words = {w for w in words if not any(o != w and o.lower() in w.lower() for o in words)}
        keep = re.compile("|".join([*(re.escape(w) for w in sorted(words)), "global"]), re.IGNORECASE)
        return cls(
            code.sdk.package, code.azure.clients, code.sdk.api_type, code.azure.api_type, keep, code.sdk.base_url_keywords
        )

    def imports_sdk(self, source: str, tree: ast.Module) -> bool:
        return self.package in source and _imports(tree.body, self.package)

    def may_build_azure(self, text: str) -> bool:
        return self.api_type in text or any(name in text for name in self.azure_clients)


@dataclass(frozen=True)
class Chunk:
    first_line: int  # 1-based line of the chunk's first line in the file
    offset: int  # character offset of that line in the file
    text: str


@dataclass(frozen=True)
class Outline:
    chunks: tuple[Chunk, ...]
    module_bindings: Mapping[str, int]  # name -> how many times module-level code binds it
    # The file imports the SDK somewhere (any statement, parsed by LibCST or not). Azure is not
    # decided here: the extractor tells Azure clients from the others per call (clients.py), and for
    # that the statements that build clients go to LibCST (`_builds_azure`).
    imports_openai: bool
    tree: ast.Module | None = None  # the file's `ast` tree, when Python could parse it
    # name -> how many of those bindings are in statements LibCST does not parse (or inside
    # functions: walrus, global), which the extractor never sees.
    unparsed_bindings: Mapping[str, int] = field(default_factory=dict)


def outline(
    source: str,
    tree: ast.Module,
    hits: list[int],
    line_starts: list[int],
    *,
    signs: Signs,
    whole: bool = False,
    weak: list[int] = (),  # type: ignore[assignment]
    calls_api: Callable[[str, frozenset[str]], bool] | None = None,
    emptied: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> Outline:
    """Group the top-level statements that hold a hit (sorted character offsets of what can
    matter, one scan of the file) into chunks of whole lines; `whole`: one chunk, the file.
    A `weak` hit (`f(**params)`) counts only in a statement where `calls_api` sees a call that
    reaches the API. `emptied`: the function bodies `skeleton` emptied, (first, last) lines."""
    if whole:
        imports_openai = signs.imports_sdk(source, tree)
        return Outline((Chunk(1, 0, source),), {}, imports_openai, tree)
    chosen: list[tuple[int, int]] = []
    binders: list[tuple[int, int, frozenset[str]]] = []
    helpers: list[tuple[int, int, frozenset[str]]] = []  # functions taking a model: kept whole
    functions: list[tuple[int, int]] = []  # every top-level function taking a model
    aliases = _aliases(tree) if weak else frozenset()
    azure = signs.may_build_azure(source)
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        last = statement.end_lineno or statement.lineno
        start, end = line_starts[first - 1], _line_end(line_starts, last, len(source))
        at = bisect.bisect_left(hits, start)
        if (at < len(hits) and hits[at] < end) or (
            _holds(weak, start, end) and (calls_api is None or _spreads_a_dict(statement) or calls_api(source[start:end], aliases))
        ):
            chosen.append((first, last))
        elif azure and _builds_azure(statement, source[start:end], signs):
            chosen.append((first, last))  # which clients are Azure's decides what is judged
        elif isinstance(statement, (ast.Import, ast.ImportFrom)) or (
            isinstance(statement, (ast.Assign, ast.AnnAssign)) and (last - first < 3 or _assigns_a_client(statement))
        ):
            binders.append((first, last, _bound_names(statement)))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and _takes_a_model(statement):
            helpers.append((first, last, frozenset({statement.name})))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and _returns_a_client(statement, signs):
            binders.append((first, last, frozenset({statement.name})))  # `def get_provider(): return OpenAIProvider(base_url=...)`
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and _takes_a_model(statement):
            functions.append((first, last))
    # Imports and short module-level assignments go along when they bind a name the chosen
    # statements use (`from langchain_openai import ChatOpenAI` says what a call is, `settings =
    # Settings()` how a call finds its model), and so on for the names those use. (Long
    # assignments, tables of data, bind nothing we follow.)
    words = _words(source, line_starts, chosen)
    # A function of the file that takes a model, called by a chosen statement, goes along whole,
    # and so does one that is chosen itself: the data-flow step reads where its parameter goes
    # (`count_tokens(text, model="gpt-4o")`, `@click.option("--model", default=...)`).
    called = [h for h in helpers if h[2] & words]
    whole_helpers = [(first, last) for first, last, _ in called]
    whole_helpers += [(first, last) for first, last in chosen if any(h[:2] == (first, last) for h in functions)]
    chosen += [(first, last) for first, last, _ in called]
    words |= _words(source, line_starts, [(first, last) for first, last, _ in called])
    while binders:
        wanted = [b for b in binders if b[2] & words]
        if not wanted:
            break
        binders = [b for b in binders if not b[2] & words]
        chosen += [(first, last) for first, last, _ in wanted]
        words |= _words(source, line_starts, [(first, last) for first, last, _ in wanted])
    spans: list[list[int]] = []
    for first, last in sorted(chosen):
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)  # adjacent or sharing a line (`a = 1; b = 2`)
        else:
            spans.append([first, last])
    # LibCST reads the chunks with the emptied bodies that bind nothing outside emptied too.
    inside = [(a, b) for a, b in emptied if any(first <= a - 1 and b <= last for first, last in spans)]
    quiet = [
        (a, b) for a, b in inside
        if not any(first <= a - 1 and b <= last for first, last in whole_helpers)
        and not _binds_elsewhere(source, line_starts, a - 1, b)
    ]
    chunks = tuple(
        Chunk(first, line_starts[first - 1], _emptied(source, line_starts, first, last, quiet)) for first, last in spans
    )
    imports_openai = signs.imports_sdk(source, tree)
    # Whole-tree walks only where the text shows they can find something.
    rebound = _rebound_anywhere(tree, source, line_starts) if ":=" in source or _GLOBAL.search(source) else {}
    bindings = _module_bindings(tree)
    outside = [s for s in tree.body if not any(first <= s.lineno <= last for first, last in spans)]
    unparsed = _module_bindings(ast.Module(body=outside, type_ignores=[]))
    for name, count in rebound.items():
        bindings[name] = bindings.get(name, 0) + count
        unparsed[name] = unparsed.get(name, 0) + count
    return Outline(chunks, bindings, imports_openai, tree, unparsed)


_WORD = re.compile(r"\w+")


def _holds(offsets: list[int], start: int, end: int) -> bool:
    at = bisect.bisect_left(offsets, start)
    return at < len(offsets) and offsets[at] < end


def _spreads_a_dict(statement: ast.stmt) -> bool:
    """A dict display with `**` in it (`{**base, "temperature": 0}`): a request built from another."""
    return any(isinstance(node, ast.Dict) and None in node.keys for node in ast.walk(statement))


def _aliases(tree: ast.Module) -> frozenset[str]:
    """Names imported `as` something anywhere at module level (a wrapper may be called so)."""
    return frozenset(
        alias.asname for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom)) for alias in s.names if alias.asname
    )


def _words(source: str, line_starts: list[int], spans: list[tuple[int, int]]) -> set[str]:
    return {w for first, last in spans for w in _WORD.findall(source, line_starts[first - 1], _line_end(line_starts, last, len(source)))}


def _bound_names(statement: ast.stmt) -> frozenset[str]:
    """The module names an import or assignment binds (`a.b = x` binds nothing new but uses a)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return frozenset((alias.asname or alias.name).split(".")[0] for alias in statement.names if alias.name != "*")
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]  # type: ignore[attr-defined]
    return frozenset(node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name))


# An emptied body that assigns an attribute or an item (`self.model = ...`, `cls.x += 1`,
# `d[k] = v`), or names one with setattr, or declares nonlocal, may bind what the rest of its
# class or function reads: LibCST must see it, or a name bound twice would look bound once.
def _binds_elsewhere(source: str, line_starts: list[int], header: int, last: int) -> bool:
    """Whether the function whose `def` is on line `header` (its body ending on `last`) may bind
    something the rest of its class or module reads: an attribute or an item in any target
    form (`self.x = `, `self.x, y = `, `for self.x in`, `with ... as self.x`, `self.x: T`), a
    `setattr`, `global` or `nonlocal`. Read with `ast` (the function alone, dedented); a
    function that does not parse so counts as binding."""
    lines = [source[line_starts[i - 1] : _line_end(line_starts, i, len(source))] for i in range(header, last + 1)]
    margin = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))]
    if any(line.strip() and not line.startswith(margin) for line in lines):
        return True
    try:
        tree = ast.parse("".join(line[len(margin) :] if line.strip() else line.lstrip(" \t") for line in lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) or (isinstance(node, ast.Name) and node.id == "setattr"):
            return True
    return False


def _empty_body(lines: list[str]) -> str:
    """A function body's lines (its last is code) emptied: each keeps only its line ending, and
    the last becomes `pass` at the indentation of the body's first code line."""
    code = next(line for line in lines if line.lstrip(" \t")[:1] not in ("", "\n", "\r", "#"))
    margin = code[: len(code) - len(code.lstrip(" \t"))]
    endings = [line[len(line.rstrip("\r\n")) :] for line in lines]
    return "".join(endings[:-1]) + margin + "pass" + endings[-1]


def _emptied(source: str, line_starts: list[int], first: int, last: int, regions: list[tuple[int, int]]) -> str:
    """Lines first..last of the source, with the bodies in `regions` emptied as skeleton does."""
    end = _line_end(line_starts, last, len(source))
    inside = [(a, b) for a, b in regions if first <= a and b <= last]
    if not inside:
        return source[line_starts[first - 1] : end]
    pieces, at = [], line_starts[first - 1]
    for a, b in inside:
        pieces.append(source[at : line_starts[a - 1]])
        pieces.append(_empty_body([source[line_starts[i - 1] : _line_end(line_starts, i, len(source))] for i in range(a, b + 1)]))
        at = _line_end(line_starts, b, len(source))
    pieces.append(source[at:end])
    return "".join(pieces)


_HEADER = re.compile(r"([ \t]*)(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(.*:[ \t]*(?:#.*)?$")


def skeleton(
    source: str, line_starts: list[int], hits: list[int], weak: list[int], *, signs: Signs
) -> tuple[str, list[tuple[int, int]]]:
    """The source with the bodies of functions that cannot matter emptied, for a cheaper `ast`
    parse: (text, the (first, last) lines emptied). Lines stay where they are, so line numbers
    and each statement's first and last line are the source's. A body is emptied only when it
    holds no hit (nor its `def` line), no `openai` (an import, an Azure client) and no `global`,
    and its `def` line is a whole header; each of its lines becomes empty and the last one `pass`. What the heuristic
    gets wrong (a string with a line at column 0, a header over several lines) fails to parse,
    and the caller parses the source itself."""
    count = len(line_starts)
    lines = [source[line_starts[i] : line_starts[i + 1] if i + 1 < count else len(source)] for i in range(count)]
    kept = [m.start() for m in signs.keep.finditer(source)]  # one scan, then a bisect per body
    pieces: list[str] = []
    emptied: list[tuple[int, int]] = []
    index = 0
    while index < count:
        line = lines[index]
        header = _HEADER.match(line.rstrip("\r\n")) if "def" in line else None
        if header is None or line.count("(") != line.count(")"):
            pieces.append(line)
            index += 1
            continue
        indent = len(header.group(1))
        last = None
        body = index + 1
        while body < count:
            text = lines[body]
            stripped = text.lstrip(" \t")
            if stripped[:1] in ("", "\n", "\r", "#"):
                body += 1
                continue
            if len(text) - len(stripped) <= indent:
                break
            last = body
            body += 1
        pieces.append(line)
        if last is None:
            index += 1
            continue
        start, end = line_starts[index + 1], line_starts[last + 1] if last + 1 < count else len(source)
        # A hit in the header (a model default) keeps the body too: the data-flow step reads where
        # the parameter goes (only to a tokenizer?).
        if _holds(hits, line_starts[index], end) or _holds(weak, start, end) or _holds(kept, start, end) or _cut(source[start:end]):
            index += 1  # look inside it again: a nested function may still be emptied
            continue
        pieces.append(_empty_body(lines[index + 1 : last + 1]))
        emptied.append((index + 2, last + 1))  # 1-based lines
        index = last + 1
    return "".join(pieces), emptied


def _cut(body: str) -> bool:
    """Whether a body found by indentation may end inside a string or a continued line: an odd
    number of triple quotes (a template with a line at column 0 ends the scan early, and what
    is left of it could pair with a later quote and still parse), or a backslash at its end."""
    return body.count('"""') % 2 == 1 or body.count("'''") % 2 == 1 or body.rstrip("\r\n").endswith("\\")


def _line_end(line_starts: list[int], line: int, size: int) -> int:
    return line_starts[line] if line < len(line_starts) else size


def _imports(statements: list[ast.stmt], package: str) -> bool:
    """An `import openai` / `from openai... import` anywhere, found by visiting statements only."""
    for statement in statements:
        if isinstance(statement, ast.Import) and any(alias.name.split(".")[0] == package for alias in statement.names):
            return True
        if isinstance(statement, ast.ImportFrom) and statement.level == 0 and (statement.module or "").split(".")[0] == package:
            return True
        for block in _blocks(statement):
            if _imports(block, package):
                return True
    return False


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(statement, name, None) or [] for name in ("body", "orelse", "finalbody")]
    blocks += [handler.body for handler in getattr(statement, "handlers", None) or []]
    blocks += [case.body for case in getattr(statement, "cases", None) or []]
    return [b for b in blocks if b and isinstance(b[0], ast.stmt)]


def _builds_azure(statement: ast.stmt, text: str, signs: Signs) -> bool:
    """Whether a statement builds an Azure OpenAI client (`AzureOpenAI(...)`) or sets
    `openai.api_type = "azure"`, anywhere inside it."""
    if not signs.may_build_azure(text):
        return False
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            if (node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")) in signs.azure_clients:
                return True
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and node.value.value.strip().lower().startswith(signs.azure_api_type)
            and any(isinstance(t, ast.Attribute) and t.attr == signs.api_type for t in node.targets)
        ):
            return True
    return False


def _assigns_a_client(statement: ast.Assign | ast.AnnAssign) -> bool:
    """`client = OpenAI(\n base_url=...)`, however long: a client the calls are made on."""
    value = statement.value
    if not isinstance(value, ast.Call):
        return False
    name = value.func.id if isinstance(value.func, ast.Name) else getattr(value.func, "attr", "")
    return name.endswith("OpenAI")


def _returns_a_client(function: ast.FunctionDef | ast.AsyncFunctionDef, signs: Signs) -> bool:
    """A factory of clients: a function that returns `...OpenAI(...)`, `...Provider(...)` or a call
    given a base URL (clients.py reads where the clients it returns send requests)."""
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            func = node.value.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name.endswith(("OpenAI", "Provider")) or any(k.arg in signs.base_url_keywords for k in node.value.keywords):
                return True
        pending.extend(ast.iter_child_nodes(node))
    return False


def _takes_a_model(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return any(_MODEL_PARAMETER.search(a.arg) for a in every)


def _rebound_anywhere(tree: ast.Module, source: str, line_starts: list[int]) -> dict[str, int]:
    """Module names rebound from anywhere: `global` in a function, `:=`. Statements are walked
    for `global` (it is one); expressions only in the top-level statements whose text holds `:=`."""
    rebound: dict[str, int] = {}
    if _GLOBAL.search(source):
        pending = list(tree.body)
        while pending:
            statement = pending.pop()
            if isinstance(statement, ast.Global):
                for name in statement.names:
                    rebound[name] = rebound.get(name, 0) + 2
            for block in _blocks(statement):
                pending.extend(block)
    if ":=" in source:
        declared = set(rebound)  # names some function declares global: its := rebinds them
        for statement in tree.body:
            start = line_starts[statement.lineno - 1]
            if ":=" not in source[start : _line_end(line_starts, statement.end_lineno or statement.lineno, len(source))]:
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


def _module_bindings(tree: ast.Module) -> dict[str, int]:
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
            for block in _blocks(statement):
                visit(block)

    visit(tree.body)
    return counts
