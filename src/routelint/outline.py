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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from routelint.bindings import MOCK_CLASSES, OPTION_DECLARATIONS
from routelint.rebinding import GLOBAL, blocks, module_bindings, rebound_anywhere
from routelint.skeleton import binds_elsewhere, emptied_text, holds, line_end
from routelint.urls import api_url_name, server_option_name

if TYPE_CHECKING:
    from routelint.catalog_code import CodeFacts

_MODEL_PARAMETER = re.compile(r"model", re.IGNORECASE)


@dataclass(frozen=True)
class Signs:
    """What the cheap pass looks for, from the catalog (rules/code.toml), built once per run:
    the SDK's package (whether the file imports it), Azure's clients and the SDK's `api_type`
    setting (the statements that build or set them go to LibCST, which decides per client)."""

    package: str  # "openai"
    azure_clients: frozenset[str]  # "AzureOpenAI", ...
    api_type: str  # the attribute: `openai.api_type = "azure"`
    azure_api_type: str  # its value for Azure, lower case: "azure"
    keep: re.Pattern[str]  # a function body holding this is never emptied (`skeleton`, through `kept`)
    base_url_keywords: frozenset[str] = frozenset()  # a client given one of these may go elsewhere
    mock_transports: frozenset[str] = frozenset()  # `httpx.MockTransport`: a client given one sends nothing
    gateway_hosts: tuple[str, ...] = ()  # a module naming a URL there spells its prefixed models for it
    # `keep` in two scans `re` can skip through (a case-insensitive alternation with a `\b`
    # branch cannot: 3x slower on a large file): its words over lower-cased ASCII text, and the
    # mock classes (the boundary before each checked by `kept`).
    keep_words: re.Pattern[str] = re.compile("(?!)")
    keep_calls: re.Pattern[str] = re.compile("(?!)")
    # A word every client factory `_returns_a_client` finds holds (a superset: most functions
    # hold none and are not walked).
    factory_words: re.Pattern[str] = re.compile("")

    @classmethod
    def of(cls, code: CodeFacts) -> Signs:
        words = {code.sdk.package, *code.azure.clients}
        # A body that imports the SDK, names Azure's client, or declares a name global (a word
        # holding another, `AzureOpenAI` holding `openai`, adds nothing).
        words = {w for w in words if not any(o != w and o.lower() in w.lower() for o in words)}
        # A body that builds a `unittest.mock` stand-in, or an HTTP client on a mock transport,
        # may be a fake client's factory (clients.py).
        mocks = "(?:" + "|".join(sorted({*MOCK_CLASSES, *code.http.mock_transports})) + r")\("
        # (and one that posts JSON, `requests.post(URL, json=body)`: a caller's body may go
        # there, `_posts_a_parameter`)
        plain = [*(re.escape(w.lower()) for w in sorted(words)), "global", r"json\s*="]
        keep = re.compile("|".join([*plain, rf"(?-i:\b{mocks})"]), re.IGNORECASE)
        return cls(
            code.sdk.package, code.azure.clients, code.sdk.api_type, code.azure.api_type, keep, code.sdk.base_url_keywords,
            code.http.mock_transports, tuple(code.gateway_hosts), keep_words=re.compile("|".join(plain)), keep_calls=re.compile(mocks),
            factory_words=re.compile(
                "|".join(re.escape(w) for w in sorted({"OpenAI", "Provider", "transport", *MOCK_CLASSES, *code.sdk.base_url_keywords}))
            ),
        )

    def kept(self, source: str) -> list[int]:
        """Where `keep` matches in `source`, in order."""
        if not source.isascii():  # (`re` folds case beyond `str.lower`: the dotless i, U+0131, is `i`)
            return [m.start() for m in self.keep.finditer(source)]
        found = [m.start() for m in self.keep_words.finditer(source.lower())]
        found += [m.start() for m in self.keep_calls.finditer(source) if m.start() == 0 or not _WORD.match(source, m.start() - 1)]
        return sorted(found)

    def imports_sdk(self, source: str, tree: ast.Module) -> bool:
        return self.package in source and _imports(tree.body, self.package)

    def may_pick_a_host(self, text: str) -> bool:
        return (
            self.api_type in text or any(name in text for name in self.azure_clients)
            or (f"{self.package}." in text and any(f".{keyword}" in text for keyword in self.base_url_keywords))
        )


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
    # that the statements that build clients go to LibCST (`_picks_a_host`).
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
    weak: Sequence[int] = (),
    calls_api: Callable[[str, frozenset[str]], bool] | None = None,
    emptied: Sequence[tuple[int, int]] = (),
    links: Sequence[int] = (),
) -> Outline:
    """Group the top-level statements that hold a hit (sorted character offsets of what can
    matter, one scan of the file) into chunks of whole lines; `whole`: one chunk, the file.
    A `weak` hit (`f(**params)`) counts only in a statement where `calls_api` sees a call that
    reaches the API. A statement holding only `links` (`model=name`, such a `**params`), or a
    function taking a model, counts when it shares a module name with what is chosen
    (`_linked`). `emptied`: the function bodies `skeleton` emptied, (first, last) lines."""
    if whole:
        imports_openai = signs.imports_sdk(source, tree)
        return Outline((Chunk(1, 0, source),), {}, imports_openai, tree)
    chosen: list[tuple[int, int]] = []
    bound: set[str] = set()  # the module names the chosen statements bind
    linked: list[tuple[int, int, ast.stmt]] = []  # statements holding only links
    binders: list[tuple[int, int, frozenset[str]]] = []
    helpers: list[tuple[int, int, frozenset[str]]] = []  # functions taking a model: kept whole
    functions: list[tuple[int, int]] = []  # every top-level function taking a model
    plain: dict[str, tuple[int, int]] = {}  # every other top-level function, by name
    given_to: set[str] = set()  # the names of what the chosen statements hand a candidate string
    fixtures: list[tuple[int, int]] = []  # pytest fixtures: kept whole when chosen
    relays: list[tuple[int, int, frozenset[str]]] = []  # the binders that are not imports (which carry no value of the file)
    aliases = _aliases(tree) if weak else frozenset()
    hosts = signs.may_pick_a_host(source)
    declares_globals = "global" in source
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        last = statement.end_lineno or statement.lineno
        start, end = line_starts[first - 1], line_end(line_starts, last, len(source))
        at = bisect.bisect_left(hits, start)
        held = hits[at : bisect.bisect_left(hits, end, at)]
        takes_a_model = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            _takes_a_model(statement) or _posts_a_parameter(statement, source, start, end)
        )
        if takes_a_model:
            functions.append((first, last))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            plain[statement.name] = (first, last)
        if held and not _all_inert(statement, held, source, line_starts):
            chosen.append((first, last))
            given_to |= _given_to(statement, held, source, line_starts)
            bound |= _module_bound(statement, declares_globals=declares_globals)  # what may hold a candidate string's value
            bound |= _environment_written(source, line_starts, first, last)  # `os.environ["APP_MODEL"] = ...`: read by name elsewhere
            continue
        # Which clients are Azure's decides what is judged; so does a module's base URL on
        # another host (`BASE_URL = "https://openrouter.ai/api/v1"`), whose names the module's
        # provider-prefixed models are.
        if (
            (hosts and _picks_a_host(statement, source[start:end], signs)) or _names_a_base_url(statement, source[start:end], signs)
            or _declares_a_server(statement, source[start:end], signs)
        ):
            chosen.append((first, last))
            continue
        at = bisect.bisect_left(links, start)
        passed = links[at : bisect.bisect_left(links, end, at)]
        if (passed and not _all_inert(statement, passed, source, line_starts)) or takes_a_model or (
            holds(weak, start, end) and (calls_api is None or _spreads_a_dict(statement) or calls_api(source[start:end], aliases))
        ):
            # (a function taking a model passes one on by its parameter: `evaluate(text, model)`
            # handing it to `send(text, model)`, found by review)
            linked.append((first, last, statement))
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or (
            isinstance(statement, (ast.Assign, ast.AnnAssign))
            and (last - first < 3 or _assigns_a_client(statement) or _builds_a_parser(statement))
        ):
            binders.append((first, last, _bound_names(statement)))
            if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                relays.append(binders[-1])
        elif isinstance(statement, (ast.Try, ast.If)) and _guarded_imports(statement):
            # `try: from azure.ai.inference import ChatCompletionsClient except ImportError: ...`,
            # `if TYPE_CHECKING: ...`: imports all the same
            binders.append((first, last, _guarded_imports(statement)))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_fixture(statement):
            # `@pytest.fixture def client(): ...`: what a test's `client` parameter holds (clients.py)
            binders.append((first, last, frozenset({statement.name})))
            relays.append(binders[-1])
            fixtures.append((first, last))
        elif takes_a_model:
            helpers.append((first, last, frozenset({statement.name})))  # type: ignore[attr-defined]
        elif (
            isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            and signs.factory_words.search(source, start, end) and _returns_a_client(statement, signs)
        ):
            binders.append((first, last, frozenset({statement.name})))  # `def get_provider(): return OpenAIProvider(base_url=...)`
            relays.append(binders[-1])
    if linked:
        chosen += _linked(linked, relays, chosen, bound, source, line_starts, declares_globals)
    # Imports and short module-level assignments go along when they bind a name the chosen
    # statements use (`from langchain_openai import ChatOpenAI` says what a call is, `settings =
    # Settings()` how a call finds its model), and so on for the names those use. (Long
    # assignments, tables of data, bind nothing we follow.)
    words = _words(source, line_starts, chosen)
    # A function of the file that takes a model, called by a chosen statement, goes along whole,
    # and so does one that is chosen itself: the data-flow step reads where its parameter goes
    # (`count_tokens(text, model="gpt-4o")`, `@click.option("--model", default=...)`).
    called = [h for h in helpers if h[2] & words]
    # So does one handed a candidate string whatever its parameters are named: it may give it
    # back (`get_config_value(param, "FAST_MODEL", "gpt-4o-mini")` returning its `default`)
    called += [(*plain[name], frozenset({name})) for name in sorted(given_to) if name in plain and plain[name] not in chosen]
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
    whole_helpers += [span for span in fixtures if span in chosen]
    spans: list[list[int]] = []
    for first, last in sorted(chosen):
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)  # adjacent or sharing a line (`a = 1; b = 2`)
        else:
            spans.append([first, last])
    # A method taking a model that its class calls (`self.get_tokenizer("o4-mini")`) goes along
    # whole too, as a function of the file does: where its parameter goes decides the argument.
    whole_helpers += _called_methods(tree, spans, source, line_starts)
    # LibCST reads the chunks with the emptied bodies that bind nothing outside emptied too.
    inside = [(a, b) for a, b in emptied if any(first <= a - 1 and b <= last for first, last in spans)]
    quiet = [
        (a, b) for a, b in inside
        if not any(first <= a - 1 and b <= last for first, last in whole_helpers)
        and not binds_elsewhere(source, line_starts, a - 1, b)
        and not (given_to and _defines(source, line_starts, a - 1, given_to))  # a nested function handed one
    ]
    chunks = tuple(
        Chunk(first, line_starts[first - 1], emptied_text(source, line_starts, first, last, quiet)) for first, last in spans
    )
    imports_openai = signs.imports_sdk(source, tree)
    # Whole-tree walks only where the text shows they can find something.
    rebound = rebound_anywhere(tree, source, line_starts) if ":=" in source or GLOBAL.search(source) else {}
    bindings = module_bindings(tree)
    outside = [s for s in tree.body if not any(first <= s.lineno <= last for first, last in spans)]
    unparsed = module_bindings(ast.Module(body=outside, type_ignores=[]))
    for name, count in rebound.items():
        bindings[name] = bindings.get(name, 0) + count
        unparsed[name] = unparsed.get(name, 0) + count
    return Outline(chunks, bindings, imports_openai, tree, unparsed)


_WORD = re.compile(r"\w+")
def _environment_written(source: str, line_starts: list[int], first: int, last: int) -> frozenset[str]:
    """The environment variables a statement sets (`os.environ["APP_MODEL"] = ...`): a statement
    reading one by name (`os.getenv("APP_MODEL")`) may get what it sets."""
    start, end = line_starts[first - 1], line_end(line_starts, last, len(source))
    if source.find("environ", start, end) < 0:
        return frozenset()
    return frozenset(_ENVIRON_WRITE.findall(source, start, end))


_ENVIRON_WRITE = re.compile(r"environ\[\s*[\"'](\w+)[\"']\s*\]\s*=(?!=)")


def _given_to(statement: ast.stmt, held: Sequence[int], source: str, line_starts: list[int]) -> set[str]:
    """The plain names called with a hit in an argument (`pick(None, "gpt-4o")`), looking only
    into nodes on lines that hold a hit."""
    found: set[str] = set()
    for node in _on_hit_lines(statement, sorted({bisect.bisect_right(line_starts, hit) for hit in held})):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in found:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                # (the hit anywhere in it: `"gpt-4" if slow else "gpt-4o"` too)
                start = _offset(source, line_starts, argument.lineno, argument.col_offset)
                end = _offset(source, line_starts, argument.end_lineno or argument.lineno, argument.end_col_offset or 0)
                if holds(held, start, end):
                    found.add(node.func.id)
                    break
    return found


def _on_hit_lines(statement: ast.stmt, hit_lines: Sequence[int]) -> Iterator[ast.AST]:
    """The nodes of a statement whose lines (from their first decorator) hold a hit: a large
    class with one model default is not walked whole. `hit_lines`: sorted."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        first = getattr(node, "lineno", None)
        if first is not None:
            last = getattr(node, "end_lineno", None) or first
            first = min([first, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            at = bisect.bisect_left(hit_lines, first)
            if at == len(hit_lines) or hit_lines[at] > last:
                continue  # no hit on its lines, nor under it
        yield node
        stack.extend(ast.iter_child_nodes(node))


_DEF_NAME = re.compile(r"[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)")


def _defines(source: str, line_starts: list[int], header: int, names: set[str]) -> bool:
    """Whether the `def` on line `header` defines one of `names`."""
    match = _DEF_NAME.match(source, line_starts[header - 1])
    return match is not None and match[1] in names


def _all_inert(statement: ast.stmt, held: Sequence[int], source: str, line_starts: list[int]) -> bool:
    """Whether every hit of a statement sits where nothing is ever judged: a docstring or other
    bare string, a `Literal[...]` type (or a type alias of one), a field declared with no value
    or a non-string constant (`model: Required[Union[str, ChatModel]]`, `model: Optional[str] =
    None`), an `@overload` stub. Typed SDKs and settings classes are full of those; a statement
    holding only them needs no LibCST parse."""
    hit_lines = sorted({bisect.bisect_right(line_starts, hit) for hit in held})
    spans = sorted(_inert_spans(statement, source, line_starts, hit_lines))
    if not spans:
        return False
    starts = [a for a, _ in spans]
    for hit in held:
        at = bisect.bisect_right(starts, hit) - 1
        # Spans nest (a Literal in a declaration): the widest one starting at or before the
        # hit is not always the one holding it, so look back over all that start before it.
        if not any(a <= hit < b for a, b in spans[: at + 1]):
            return False
    return True


def _inert_spans(statement: ast.stmt, source: str, line_starts: list[int], hit_lines: Sequence[int]) -> list[tuple[int, int]]:
    """The inert nodes' (start, end) offsets, looking only into nodes on lines that hold a hit
    (`hit_lines`, sorted)."""
    found: list[tuple[int, int]] = []
    for node in _on_hit_lines(statement, hit_lines):
        if (
            isinstance(node, (ast.expr, ast.stmt)) and _inert(node)
            and node.end_lineno is not None and node.end_col_offset is not None
        ):
            start = _offset(source, line_starts, node.lineno, node.col_offset)
            found.append((start, _offset(source, line_starts, node.end_lineno, node.end_col_offset)))
        for part in _inert_strings(node):
            if part.end_lineno is not None and part.end_col_offset is not None:
                start = _offset(source, line_starts, part.lineno, part.col_offset)
                found.append((start, _offset(source, line_starts, part.end_lineno, part.end_col_offset)))
    return found


def _inert_strings(node: ast.AST) -> list[ast.expr]:
    """The string literals a node only compares or looks up: an operand of a comparison
    (`tool_type == "computer_use_preview"`, `model in ("gpt-4", "gpt-4-32k")`) and a subscript's
    key (`tool_map["computer_use_preview"]`). The extractor judges neither: a literal tested
    against is sent nowhere, and a key names an entry, whose value is what a lookup gives."""
    if isinstance(node, ast.Compare):
        found: list[ast.expr] = []
        for operand in (node.left, *node.comparators):
            if _is_text(operand):
                found.append(operand)
            elif isinstance(operand, (ast.Tuple, ast.List, ast.Set)) and all(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
                found += [element for element in operand.elts if _is_text(element)]
        return found
    if isinstance(node, ast.Subscript) and _is_text(node.slice):
        return [node.slice]
    return []


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _inert(node: ast.expr | ast.stmt) -> bool:
    if isinstance(node, ast.Expr):  # a docstring, or another bare string
        return isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    if isinstance(node, ast.Subscript):
        return _form(node.value) == "Literal"
    if isinstance(node, ast.AnnAssign) and (node.value is None or (isinstance(node.value, ast.Constant) and not isinstance(node.value.value, (str, bytes)))):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return node.value is not None and _type_alias(node.value)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return any(_form(d) == "overload" for d in node.decorator_list)  # a stub (visitor.py judges no default of it)
    return False


_TYPE_FORMS = frozenset(("Literal", "Union", "Optional"))


def _type_alias(value: ast.expr) -> bool:
    """`Literal[...]`, `Union[str, Literal[...]]`, `Optional[...]` whose every string is inside a
    `Literal` (a string elsewhere may be a forward reference, or anything)."""
    if not (isinstance(value, ast.Subscript) and _form(value.value) in _TYPE_FORMS):
        return False
    literals = [n for n in ast.walk(value) if isinstance(n, ast.Subscript) and _form(n.value) == "Literal"]
    inside = {id(c) for n in literals for c in ast.walk(n.slice)}
    return all(id(n) in inside for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _form(base: ast.expr) -> str:
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""


def _offset(source: str, line_starts: list[int], line: int, column: int) -> int:
    """The character offset of `ast`'s (line, UTF-8 byte column)."""
    start = line_starts[line - 1]
    prefix = source[start : start + column]
    if prefix.isascii():
        return start + column
    text = source[start : line_starts[line] if line < len(line_starts) else len(source)]
    return start + len(text.encode("utf-8", "surrogatepass")[:column].decode("utf-8", "replace"))


def _spreads_a_dict(statement: ast.stmt) -> bool:
    """A dict display with `**` in it (`{**base, "temperature": 0}`): a request built from another."""
    return any(isinstance(node, ast.Dict) and None in node.keys for node in ast.walk(statement))


def _aliases(tree: ast.Module) -> frozenset[str]:
    """Names imported `as` something anywhere at module level (a wrapper may be called so)."""
    return frozenset(
        alias.asname for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom)) for alias in s.names if alias.asname
    )


def _words(source: str, line_starts: list[int], spans: list[tuple[int, int]]) -> set[str]:
    return {w for first, last in spans for w in _WORD.findall(source, line_starts[first - 1], line_end(line_starts, last, len(source)))}


def _linked(
    linked: list[tuple[int, int, ast.stmt]],
    relays: list[tuple[int, int, frozenset[str]]],
    chosen: list[tuple[int, int]],
    bound: set[str],
    source: str,
    line_starts: list[int],
    declares_globals: bool = True,
) -> list[tuple[int, int]]:
    """The statements holding only links (`model=name`, a wrapper's call) through which the
    value of a statement holding a seed may pass: each binds a module name a chosen statement
    reads (`def complete(prompt, model): ...` for `complete(text, "gpt-4o")`), or reads one
    `bound` (what a seed's statement binds: `model=MODEL` for `MODEL = "gpt-4o"`), and so on
    for the statements so joined, and through the short assignments (`relays`) that read such
    a name (`settings = Settings()` between `class Settings` and `model=settings.model`), which
    the caller adds where a chosen statement reads their names. A link joined to no seed can
    carry no candidate string to a call: a file's hundred `Agent(model=model)` tests around one
    `"computer-use-preview"` are not parsed."""
    words = _words(source, line_starts, chosen)
    pending = [
        (first, last, _module_bound(statement, declares_globals=declares_globals) | _environment_written(source, line_starts, first, last), True)
        for first, last, statement in linked
    ]
    pending += [(first, last, names, False) for first, last, names in relays]
    reads: dict[tuple[int, int], set[str]] = {}
    joined: list[tuple[int, int]] = []
    while pending:
        now: list[tuple[int, int, frozenset[str], bool]] = []
        later: list[tuple[int, int, frozenset[str], bool]] = []
        for item in pending:
            first, last, names, _ = item
            read = reads.get((first, last))
            if read is None:
                read = reads[first, last] = _words(source, line_starts, [(first, last)])
            (now if (item[3] and names & words) or read & bound else later).append(item)
        if not now:
            break
        pending = later
        for first, last, names, link in now:
            if link:
                joined.append((first, last))
            words |= reads[first, last]
            bound |= names
    return joined


def _module_bound(statement: ast.stmt, *, declares_globals: bool = True) -> frozenset[str]:
    """The module names a top-level statement may bind or change: its targets, imports,
    functions and classes (not what their bodies bind, but their `global` names), the object a
    target's attribute or item is set on (`CONFIG["model"] = ...`), and the object a call
    statement is made on (`MODELS.append(...)`). A superset: a link it misses is not parsed.
    `declares_globals`: whether the file holds a `global` statement at all (else no function
    body is walked for one: a test module's hundreds of functions cost a walk each)."""
    names: set[str] = set()
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if declares_globals:
                names.update(n for inner in ast.walk(node) if isinstance(inner, ast.Global) for n in inner.names)
            # A walrus in a decorator, a default or a base binds in the module.
            if isinstance(node, ast.ClassDef):
                stack.extend([*node.decorator_list, *node.bases, *node.keywords])
            else:
                stack.extend([*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            names.add(_root_name(node))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute):
            names.add(_root_name(node.value.func))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, _MATCH_CAPTURES):  # `case x`, `case [*rest]`, `case {**rest}`
            names.add(getattr(node, "name", None) or getattr(node, "rest", None) or "")
        stack.extend(ast.iter_child_nodes(node))
    names.discard("")
    return frozenset(names)


_MATCH_CAPTURES = tuple(getattr(ast, name) for name in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, name))


def _root_name(node: ast.expr) -> str:
    """`a` of `a.b[c].d`; "" when the chain starts elsewhere (a call, a literal)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _bound_names(statement: ast.stmt) -> frozenset[str]:
    """The module names an import or assignment binds (`a.b = x` binds nothing new but uses a)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return frozenset((alias.asname or alias.name).split(".")[0] for alias in statement.names if alias.name != "*")
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]  # type: ignore[attr-defined]
    return frozenset(node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name))


def _guarded_imports(statement: ast.Try | ast.If) -> frozenset[str]:
    """The names a `try:` / `if` of imports binds (empty when it does anything else): its blocks
    hold only imports, simple assignments (`Y = None`), `pass` and `raise`."""
    names: set[str] = set()
    for block in blocks(statement):
        for inner in block:
            if isinstance(inner, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)):
                names |= _bound_names(inner)
            elif not isinstance(inner, (ast.Pass, ast.Raise, ast.Expr)):
                return frozenset()
    return frozenset(names) if any(isinstance(i, (ast.Import, ast.ImportFrom)) for i in statement.body) else frozenset()


def _imports(statements: list[ast.stmt], package: str) -> bool:
    """An `import openai` / `from openai... import` anywhere, found by visiting statements only."""
    for statement in statements:
        if isinstance(statement, ast.Import) and any(alias.name.split(".")[0] == package for alias in statement.names):
            return True
        if isinstance(statement, ast.ImportFrom) and statement.level == 0 and (statement.module or "").split(".")[0] == package:
            return True
        for block in blocks(statement):
            if _imports(block, package):
                return True
    return False


def _picks_a_host(statement: ast.stmt, text: str, signs: Signs) -> bool:
    """Whether a statement builds an Azure OpenAI client (`AzureOpenAI(...)`), sets
    `openai.api_type = "azure"`, or sets the module's base URL to a literal
    (`openai.api_base = "https://..."`: the extractor says whether its host is another), anywhere
    inside it."""
    if not signs.may_pick_a_host(text):
        return False
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            if _form(node.func) in signs.azure_clients:
                return True
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            azure_type = node.value.value.strip().lower().startswith(signs.azure_api_type)
            for target in node.targets:
                if isinstance(target, ast.Attribute) and (
                    (azure_type and target.attr == signs.api_type)
                    or (target.attr in signs.base_url_keywords and isinstance(target.value, ast.Name) and target.value.id == signs.package)
                ):
                    return True
    return False


def _names_a_base_url(statement: ast.stmt, text: str, signs: Signs) -> bool:
    """A module-level assignment of a URL to a name ending in a base-URL keyword
    (`DEFAULT_BASE_URL = "https://..."`, `API_BASE = os.getenv("API_BASE", "https://...")`), or
    of a gateway's API URL to any URL name (`OPENROUTER_TRANSCRIBE_URL = "https://openrouter.ai/api/..."`),
    also under an `if` or in a class body (a settings class's `llm_base_url: str =
    "https://openrouter.ai/api/v1"`), not in a function: `urls.api_url_name`, as the visitor
    decides it once the URL is read (a superset)."""
    if "://" not in text:
        return False
    folded = text.casefold()  # (a host is matched without case, as `urls.on_hosts` does: found by review)
    gateway = any(host in folded for host in signs.gateway_hosts)
    for assignment in _assignments(statement):
        # A plain literal is read here; a URL built of names or pieces (`f"https://openrouter.ai/{PREFIX}"`)
        # may be an API's (found by review); without a gateway's host only a base-URL name counts.
        value = assignment.value
        url = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
        targets = assignment.targets if isinstance(assignment, ast.Assign) else [assignment.target]
        if any(isinstance(t, ast.Name) and api_url_name(t.id, url if gateway else "", signs.base_url_keywords) for t in targets):
            return True
    return False


def _assignments(statement: ast.stmt) -> Iterator[ast.Assign | ast.AnnAssign]:
    """The assignments a top-level statement makes at module level or in a class body, in
    blocks too (`if`, `try`, `with`), not in a function."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, _BLOCK_PARTS))


# What a block holds statements in (`match` cases from Python 3.10 on).
_BLOCK_PARTS: tuple[type, ...] = tuple(t for t in (ast.stmt, ast.excepthandler, getattr(ast, "match_case", None)) if t is not None)


_OPTION_CALL = re.compile(rf"\.(?:{'|'.join(sorted(OPTION_DECLARATIONS))})\s*\(")


def _declares_a_server(statement: ast.stmt, text: str, signs: Signs) -> bool:
    """A module-level statement declaring an option that names a server (`parser.add_argument(
    "--url", default="http://localhost:4000")`, by `dest=` too, or inside an `if`): the model
    options declared with it are that server's names. Its default may be a constant: the
    statement goes along as any chosen one does, with the names it uses."""
    if not _OPTION_CALL.search(text):
        return False
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in OPTION_DECLARATIONS:
            flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            flags += [k.value.value for k in node.keywords if k.arg == "dest" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)]
            names = [f.lstrip("-").replace("-", "_").casefold() for f in flags]
            # (more than the extractor counts: `--ollama-host`, `--qdrant-url`; it decides)
            if any(server_option_name(n, signs.base_url_keywords) or n.endswith(("_url", "_host")) for n in names):
                return True
    return False


_PARSER_BUILDERS = frozenset({"ArgumentParser", "add_argument_group", "add_mutually_exclusive_group", "add_parser"})


def _builds_a_parser(statement: ast.Assign | ast.AnnAssign) -> bool:
    """`parser = argparse.ArgumentParser(\n description=...)`, however long: which parser an
    option is declared on decides which options go together (visitor._option_group)."""
    return isinstance(statement.value, ast.Call) and _form(statement.value.func) in _PARSER_BUILDERS


def _assigns_a_client(statement: ast.Assign | ast.AnnAssign) -> bool:
    """`client = OpenAI(\n base_url=...)`, however long: a client the calls are made on."""
    value = statement.value
    if not isinstance(value, ast.Call):
        return False
    name = _form(value.func)
    return name.endswith("OpenAI")


def _returns_a_client(function: ast.FunctionDef | ast.AsyncFunctionDef, signs: Signs) -> bool:
    """A factory of clients: a function that returns `...OpenAI(...)`, `...Provider(...)` or a call
    given a base URL (clients.py reads where the clients it returns send requests), or a
    `unittest.mock` stand-in, built there or bound to a name first (`client = MagicMock(); ...;
    return client`: a test's fake client), or an HTTP client on a mock transport
    (`httpx.Client(transport=httpx.MockTransport(handler))`, for `OpenAI(http_client=...)`)."""
    pending: list[ast.AST] = list(function.body)
    mocks: set[str] = set()
    returned: list[ast.expr] = []
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            name = _form(node.value.func)
            if name.endswith(("OpenAI", "Provider")) or name in MOCK_CLASSES or any(
                k.arg in signs.base_url_keywords
                or (k.arg == "transport" and isinstance(k.value, ast.Call) and _form(k.value.func) in signs.mock_transports)
                for k in node.value.keywords
            ):
                return True
        elif isinstance(node, ast.Return) and node.value is not None:
            returned.append(node.value)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _form(node.value.func) in MOCK_CLASSES:
            mocks.update(t.id for t in node.targets if isinstance(t, ast.Name))
        pending.extend(ast.iter_child_nodes(node))
    return any(isinstance(value, ast.Name) and value.id in mocks for value in returned)


def _called_methods(tree: ast.Module, spans: Sequence[Sequence[int]], source: str, line_starts: list[int]) -> list[tuple[int, int]]:
    """(first, last) lines of each method taking a model of a class in the chunks, that the class
    calls on itself (`self.name(`, `cls.name(`)."""
    found: list[tuple[int, int]] = []
    for statement in tree.body:
        if not isinstance(statement, ast.ClassDef) or not any(first <= statement.lineno <= last for first, last in spans):
            continue
        text = source[line_starts[statement.lineno - 1] : line_end(line_starts, statement.end_lineno or statement.lineno, len(source))]
        for method in statement.body:
            if (
                isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and _takes_a_model(method)
                and re.search(rf"\b(?:self|cls)\s*\.\s*{re.escape(method.name)}\s*\(", text)
            ):
                found.append((method.lineno, method.end_lineno or method.lineno))
    return found


def _is_fixture(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`bindings.is_fixture` on `ast`: decorated `@pytest.fixture` (called or not), not renamed."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        if _form(call.func if call else decorator) == "fixture" and not (call and any(k.arg == "name" for k in call.keywords)):
            return True
    return False


_POSTS_JSON = re.compile(r"\bjson\s*=")


def _posts_a_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef, source: str, start: int, end: int) -> bool:
    """Whether a function posts a parameter as a JSON body (`def _post(body):
    requests.post(URL, json=body)`): a caller's dict goes where it goes
    (deferred.Resolver.dict_sinks_of), so it is read as one taking a model is."""
    if _POSTS_JSON.search(source, start, end) is None:
        return False
    arguments = function.args
    names = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    for node in ast.walk(function):
        if isinstance(node, ast.keyword) and node.arg == "json" and isinstance(node.value, ast.Name) and node.value.id in names:
            return True
    return False


def _takes_a_model(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return any(_MODEL_PARAMETER.search(a.arg) for a in every)


