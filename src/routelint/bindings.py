"""What a name is bound to: scopes, imports, classes and instances, for the extractor.

A name (or `self.attr`, `Settings.MODEL`, `settings.chat_model`) resolves only when it is bound
exactly once where Python would look it up; anything else (rebinding, a loop variable, an
unknown call) stays unresolved, which keeps the extractor from guessing.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

import libcst as cst

from routelint.facts import string_value
from routelint.walk import child_nodes

_GETENV_CHAINS = frozenset({("os", "getenv"), ("getenv",), ("os", "environ", "get"), ("environ", "get")})
_FIELD_CALLS = frozenset({"Field", "field"})
_OPTION_CALLS = frozenset({"Option", "Argument"})  # typer: the default comes first
# unittest.mock's classes: an instance stands in for a client, and what it is given is test data.
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "create_autospec"})
# Command-line option declarations: argparse, optparse, click and typer.
OPTION_DECLARATIONS = frozenset({"add_argument", "add_option", "option", "argument"})
MAX_DEPTH = 12  # names bound to names bound to names...: give up rather than loop
FOLDS = frozenset({"lower", "upper", "casefold", "strip"})  # `model.lower() == ...`: the same value, folded


@dataclass(frozen=True)
class Imported:
    """A name bound by an import: `from .settings import MODEL`, `import pkg.settings as s`."""

    module: str  # dotted, without the leading dots of a relative import
    level: int  # number of leading dots
    name: str | None  # the imported name; None for `import a.b` (the module itself)

    def qualified(self, rest: tuple[str, ...]) -> str | None:
        """The absolute dotted name of `<binding>.rest`, for third-party calls; None if relative."""
        if self.level:
            return None
        return ".".join(p for p in (self.module, self.name, *rest) if p)

    def candidates(self, rest: tuple[str, ...]) -> tuple[tuple[str, int, str], ...]:
        """(module, level, dotted name) pairs this use may refer to, the most likely first."""
        parts = [p for p in self.module.split(".") if p]
        if self.name is not None:
            if not rest:
                return ((".".join(parts), self.level, self.name),)
            # `from pkg import settings; settings.MODEL`: a submodule, or a name in pkg.
            return (
                (".".join([*parts, self.name]), self.level, ".".join(rest)),
                (".".join(parts), self.level, ".".join((self.name, *rest))),
            )
        if not rest:
            return ()
        # `import a.b.c` then `a.b.c.X` (or `a.b.C.X` where C is a class of a.b): longest module first.
        full = [*parts, *rest]
        return tuple((".".join(full[:cut]), self.level, ".".join(full[cut:])) for cut in range(len(full) - 1, 0, -1))


@dataclass(eq=False)
class Scope:
    kind: str  # module, class, function
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    attrs: dict[str, list[Binding]] = field(default_factory=dict)  # class scopes: self.X = ... in methods
    keys: dict[tuple[str, str], list[Binding]] = field(default_factory=dict)  # name["key"] = ...
    # Names of this scope whose dict may change past what `keys` records, with the keys that may
    # (None: any): `.pop("k")`, `.update(k=...)`, `del name["k"]`, an item set from a scope
    # inside; given to a call or bound to another name (values.spread_keys trusts no such key).
    changed: dict[str, frozenset[str] | None] = field(default_factory=dict)
    # Module scope only: how often the whole file binds each name at module level (the outline
    # pass sees the statements LibCST never parsed). A name bound elsewhere too is not trusted.
    outside: Mapping[str, int] | None = None
    # Module scope only: how many of those bindings are in statements the extractor never walks.
    # A module-level read happens in order, so only these make it unknown; a read from inside a
    # function happens whenever the function is called, so any other binding does.
    unparsed: Mapping[str, int] | None = None
    bases: tuple[cst.BaseExpression, ...] = ()  # class scopes: the class's bases, as written
    # Names declared `global` or `nonlocal` here or in a scope inside: bound where the walk
    # does not see it happen (`reaching` trusts no order for them).
    declared: set[str] = field(default_factory=set)

    def bind(
        self, name: str, value: Value | None, where: Scope | None = None, param: FunctionRef | None = None, at: Place | None = None
    ) -> None:
        self.bindings.setdefault(name, []).append(Binding(value, where or self, param, at))

    def lookup(self, name: str) -> tuple[list[Binding], Scope] | None:
        """Python's lookup: this scope, then enclosing functions and comprehensions and the module
        (not classes)."""
        scope: Scope | None = self
        while scope is not None:
            if scope.kind != "class" or scope is self:
                found = scope.bindings.get(name)
                if found is not None:
                    if scope is self and scope.unparsed is not None:
                        unknown = scope.unparsed.get(name, 0) > 0
                    else:
                        unknown = scope.outside is not None and scope.outside.get(name, 0) > len(found)
                    if unknown:
                        found = [*found, Binding(None, scope)]  # rebound where we did not look
                    return found, scope
            scope = scope.parent
        return None


@dataclass(frozen=True, eq=False)
class ClassRef:
    """A class defined in this file; its body is a scope."""

    scope: Scope
    enum: bool = False  # a base is named ...Enum: `Member.value` is what the body binds to Member
    plain: bool = False  # no decorator nor class keyword (`metaclass=`): calling it runs its `__init__`


@dataclass(frozen=True, eq=False)
class SelfRef:
    """The first parameter of a method: the instance (or the class, for classmethods)."""

    scope: Scope  # the class's scope
    instance: bool = True


@dataclass(frozen=True, eq=False)
class FunctionRef:
    """A function defined in this file: its parameters, and its body's scope."""

    node: cst.FunctionDef
    scope: Scope  # the function's own scope
    method: bool = False  # called through an instance or class: the first parameter is the receiver
    _returns: list[list[cst.BaseExpression]] = field(default_factory=list, repr=False)

    def returns(self) -> list[cst.BaseExpression]:
        """`returned_values` of the function, read once: every call of a helper asks again
        (a helper of 600 lines called 1,000 times took 11 s; found by review)."""
        if not self._returns:
            self._returns.append(returned_values(self.node))
        return self._returns[0]


@dataclass(frozen=True, eq=False)
class Element:
    """A loop or comprehension target: an element of `iterable` (`for m in MODELS`), or a part of
    one (`for name, m in PAIRS` -> path (1,))."""

    iterable: cst.CSTNode
    path: tuple[int, ...] = ()


@dataclass(frozen=True)
class Unpacked:
    """A name an assignment unpacks from what is not a display: part `index` of `value`
    (`model, key, base = detect_from_env()` -> index 0 of what `detect_from_env` returns)."""

    value: cst.BaseExpression
    index: int


Value = Union[cst.CSTNode, Imported, ClassRef, SelfRef, FunctionRef, Element, Unpacked]


# Where a statement is: for each block the walk is in, outermost first, (the block's id, the
# statement's index in it, what the block is: LOOP, a loop's body; BRANCH, a branch of an `if`
# / `elif` / `else` chain; AFTER_TRY, an `except`, `else` or `finally` block of a `try`; ""
# anything else).
Place = tuple[tuple[int, int, str], ...]
LOOP, BRANCH, AFTER_TRY = "loop", "branch", "after-try"


@dataclass(frozen=True)
class Binding:
    value: Value | None  # None: bound to something we cannot follow (a with target, an unknown call)
    scope: Scope  # where the value's own names are looked up
    param: FunctionRef | None = None  # a parameter of this function (value: its default)
    at: Place | None = None  # a plain assignment's statement (`name = value`, `name: T = value`), or a `for` loop's


@dataclass(frozen=True)
class ImportedUse:
    imported: Imported
    rest: tuple[str, ...]


def lookup_bindings(name: str, scope: Scope) -> list[Binding] | None:
    """Every binding Python's lookup of `name` from `scope` finds (several: not one value)."""
    found = scope.lookup(name)
    return found[0] if found is not None else None


def resolve_chain(chain: tuple[str, ...], scope: Scope) -> Binding | ImportedUse | None:
    """The one binding a dotted name refers to, or the import it comes from, or None."""
    found = scope.lookup(chain[0])
    if found is None or not found[0] or not _one_binding(found[0]):
        return None
    binding = found[0][0]
    for index, attr in enumerate(chain[1:], 1):
        value = binding.value
        if isinstance(value, Imported):
            return ImportedUse(value, chain[index:])
        if attr == "value" and index == len(chain) - 1 and index >= 2 and _enum_member(chain[index - 2], binding.scope):
            break  # `Models.GPT_4.value`: the member's value
        owner = _class_of(value, binding.scope, attr)
        if owner is None:
            return None
        class_scope, instance = owner
        candidates = class_scope.bindings.get(attr, []) + (class_scope.attrs.get(attr, []) if instance else [])
        if len(candidates) != 1:
            return None
        binding = candidates[0]
    if isinstance(binding.value, Imported):
        return ImportedUse(binding.value, ())
    return binding


def _one_binding(bindings: list[Binding]) -> bool:
    """One binding, or the same import made again (`from wrap import LLM` in two notebook cells:
    jangada-ai, corp57)."""
    first = bindings[0].value
    return len(bindings) == 1 or (isinstance(first, Imported) and all(b.value == first for b in bindings[1:]))


def reaching(name: str, scope: Scope, at: Place) -> tuple[list[Binding], bool] | None:
    """The bindings of a function's local that may reach a use at `at` when the function binds
    it more than once, and whether it is surely the one (k-cli-for-devs: `if provider ==
    "openai": m_id = model or "gpt-4o"; return create(model=m_id)`, then `m_id = "llama3"` for the
    others): the last plain assignment (or the parameter) every path to the use runs, and each
    binding that may run between it and the use: later in the walk but not surely after the use
    (`if c: m = "b"` before it), nor in another branch of an `if` chain holding the use, or in a
    loop that holds the use but not that assignment (it may run first, on an earlier turn). None
    when no statement runs on every path to the use, or any binding is of another kind (a loop's
    target, `with ... as`, `:=`, an import, `+=`), or the name is declared global or nonlocal."""
    found = scope.bindings.get(name)
    if scope.kind != "function" or not found or len(found) < 2 or name in scope.declared:
        return None
    if any(b.at is None and b.param is None for b in found):
        return None
    # (a loop's target is sure only in its body: after the loop, it may never have run)
    last = max(
        (
            i for i, b in enumerate(found)
            if b.param is not None or (not isinstance(b.value, Element) and _dominates(b.at or (), at)) or _in_loop_body(b, at)
        ),
        default=None,
    )
    if last is None:
        return None
    chosen = found[last].at or ()
    # the bodies of the loops that hold the use but not the chosen binding; not the body of the
    # loop whose target is chosen, which binds it again before each turn (found by review)
    own_body = len(chosen) if _in_loop_body(found[last], at) else None
    loops = [
        at[: depth + 1] for depth, (_, _, kind) in enumerate(at)
        if kind == LOOP and not _inside(chosen, at[: depth + 1]) and depth != own_body
    ]
    between = [
        later for later in found[last + 1 :]
        if not _never_between(later.at or (), at) or any(_inside(later.at or (), body) for body in loops)
    ]
    return [found[last], *between], not between


def _dominates(binding: Place, use: Place) -> bool:
    """Whether the statement at `binding` runs on every path to `use`: it is earlier in a block
    that holds the use, at any depth (not in the statement that holds it: `m = pick(m)`)."""
    if not binding or len(binding) > len(use) or binding[:-1] != use[: len(binding) - 1]:
        return False
    block, index, _ = binding[-1]
    other, later, _ = use[len(binding) - 1]
    return block == other and index < later


def _in_loop_body(binding: Binding, use: Place) -> bool:
    """Whether `binding` is a `for` loop's target and `use` is in that loop's body (not its
    iterable, nor its `else:`), which each turn runs after binding it."""
    place = binding.at or ()
    return (
        isinstance(binding.value, Element) and bool(place) and len(use) > len(place)
        and use[: len(place)] == place and use[len(place)][2] == LOOP
    )


def _never_between(place: Place, use: Place) -> bool:
    """Whether a statement later in the walk than the chosen binding cannot run between it and
    the use (loops aside): it comes after the use in a block holding both, or in another branch
    of an `if` chain holding the use, or in an `except`, `else` or `finally` block of the `try`
    whose body holds the use. (One in a `try` body before a use in its `except` may run first.)"""
    for mine, theirs in zip(place, use):
        if mine[0] != theirs[0]:
            return (mine[2] == BRANCH and theirs[2] == BRANCH) or (mine[2] == AFTER_TRY and theirs[2] == "")
        if mine[1] != theirs[1]:
            return mine[1] > theirs[1]
    return False


def _inside(place: Place, block: Place) -> bool:
    """Whether a statement is in the block whose place (of any statement in it) is `block`."""
    depth = len(block) - 1
    return len(place) > depth and place[:depth] == block[:depth] and place[depth][0] == block[depth][0]


def _enum_member(class_name: str, member_scope: Scope) -> bool:
    """Whether a binding in `member_scope` is a member of an Enum class named `class_name`."""
    if member_scope.kind != "class" or member_scope.parent is None:
        return False
    found = member_scope.parent.lookup(class_name)
    return (
        found is not None and len(found[0]) == 1 and isinstance(found[0][0].value, ClassRef)
        and found[0][0].value.scope is member_scope and found[0][0].value.enum
    )


def _class_of(value: Value | None, scope: Scope, attr: str) -> tuple[Scope, bool] | None:
    """(class scope, is an instance) for a class, `self`, or `Settings()` without arguments."""
    if isinstance(value, ClassRef):
        return value.scope, False
    if isinstance(value, SelfRef):
        return value.scope, value.instance
    if isinstance(value, cst.Call) and not value.args and isinstance(value.func, cst.Name):
        found = scope.lookup(value.func.value)
        if found is not None and len(found[0]) == 1 and isinstance(found[0][0].value, ClassRef):
            return found[0][0].value.scope, True
    return None


def getenv_default(node: cst.Call) -> cst.CSTNode | None:
    """The default of os.getenv / os.environ.get, or None for any other call."""
    if not _reads_environment(node):
        return None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "default":
            return arg.value
    positional = [a for a in node.args if a.keyword is None and a.star == ""]
    return positional[1].value if len(positional) >= 2 else None


def environment_or(expr: cst.BooleanOperation) -> cst.BaseExpression | None:
    """The fallback of `os.getenv("K") or FALLBACK` (also `os.environ.get("K", "") or ...`,
    `os.getenv("A") or os.getenv("B") or ...`): what it is unless the environment says
    otherwise, as a getenv default is."""
    return expr.right if isinstance(expr.operator, cst.Or) and _environment_only(expr.left) else None


def _environment_only(expr: cst.BaseExpression) -> bool:
    """An environment read with no fallback of its own (none, `None` or ""), or an `or` of such."""
    if isinstance(expr, cst.BooleanOperation):
        return isinstance(expr.operator, cst.Or) and _environment_only(expr.left) and _environment_only(expr.right)
    if not isinstance(expr, cst.Call) or not _reads_environment(expr) or not expr.args:
        return False
    default = getenv_default(expr)
    return default is None or is_none(default) or (isinstance(default, cst.SimpleString) and default.evaluated_value == "")


def _reads_environment(call: cst.Call) -> bool:
    """`os.getenv(...)`, `os.environ.get(...)` (or `getenv` / `environ.get` imported)."""
    chain = attribute_chain(call.func)
    return any(chain[-n:] in _GETENV_CHAINS for n in (1, 2, 3))


def environment_key(node: cst.CSTNode) -> str | None:
    """The variable `os.environ["M"]`, `os.getenv("M")` or `os.environ.get("M")` reads (or
    `os.environ["M"] = ...` writes), when written as a literal."""
    if isinstance(node, cst.Subscript):
        chain = attribute_chain(node.value)
        if (chain[-2:] != ("os", "environ") and chain != ("environ",)) or len(node.slice) != 1:
            return None
        index = node.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
    elif isinstance(node, cst.Call):
        if not _reads_environment(node) or not node.args or node.args[0].keyword is not None:
            return None
        key = string_value(node.args[0].value)
    else:
        return None
    return key[0] if key is not None else None


LOOKUP_METHODS = frozenset({"get", "pop", "setdefault"})  # `table.get(key, default)`: the first argument is a key


def lookup_default(node: cst.Call) -> cst.CSTNode | None:
    """The fallback of a lookup by a literal key: `settings.get("model", "gpt-4")`,
    `kwargs.pop("model", "gpt-4")`, `getattr(args, "model", "gpt-4")`. Whatever the key, the
    call's value is either what is stored or the fallback, so the fallback goes where the call's
    value goes."""
    found = _lookup(node)
    if found is None or attribute_chain(node.func)[0] in ("os", "environ"):
        return None
    key, fallback = found
    return fallback if isinstance(key, cst.SimpleString) else None


def _lookup(call: cst.Call) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(key, fallback) of `getattr(obj, key, fallback)` or `table.get(key, fallback)` (`.pop`,
    `.setdefault`), written by position only."""
    chain = attribute_chain(call.func)
    positional = [a.value for a in call.args if a.keyword is None and a.star == ""]
    if len(positional) != len(call.args):
        return None
    if chain == ("getattr",) and len(positional) == 3:
        return positional[1], positional[2]
    if len(chain) >= 2 and chain[-1] in LOOKUP_METHODS and len(positional) == 2:
        return positional[0], positional[1]
    return None


def field_default(node: cst.Call) -> cst.CSTNode | None:
    """The default of a dataclass `field(default=...)`, a pydantic `Field(...)`, or a typer
    `Option(...)` / `Argument(...)` (a parameter's default that is a command-line option)."""
    chain = attribute_chain(node.func)
    if chain[-1] not in _FIELD_CALLS and chain[-1] not in _OPTION_CALLS:
        return None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "default":
            return arg.value
    if chain[-1] in ("Field", *_OPTION_CALLS) and node.args and node.args[0].keyword is None and node.args[0].star == "":
        first = node.args[0].value
        if chain[-1] == "Field" or not (isinstance(first, cst.SimpleString) and first.value.lstrip("rbuRBU")[1:2] == "-"):
            return first  # `typer.Option("gpt-5.5", "--model")`, not the flag of `Option("--model")`
    return None


def attribute_chain(node: cst.CSTNode) -> tuple[str, ...]:
    """Names of a dotted expression; anything that is not a name (a call, a subscript) is ''."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    parts.append(node.value if isinstance(node, cst.Name) else "")
    return tuple(reversed(parts))


def attribute_root(node: cst.BaseExpression) -> cst.BaseExpression:
    """The expression a dotted one starts from: `client` of `client.chat.model`, the call of
    `OpenAI(...).chat.completions.create`."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return node


def candidate_nodes(expr: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The expressions a value can come from: `a or "x"`, `"x" if c else "y"`, `(m := "x")`,
    parentheses."""
    if isinstance(expr, cst.NamedExpr):
        yield from candidate_nodes(expr.value)
    elif isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        yield from candidate_nodes(expr.left)
        yield from candidate_nodes(expr.right)
    elif isinstance(expr, cst.IfExp):
        yield from candidate_nodes(expr.body)
        yield from candidate_nodes(expr.orelse)
    else:
        yield expr


def parameter_fallback(name: str, scope: Scope) -> tuple[Binding, Binding] | None:
    """A parameter its function gives a fallback, `model = model or DEFAULT_MODEL` (or `model if
    model else ...`): (the parameter's binding, the fallback's), when those are the name's only
    two bindings; else None."""
    found = scope.lookup(name)
    if found is None or len(found[0]) != 2:
        return None
    params = [b for b in found[0] if b.param is not None]
    others = [b for b in found[0] if b.param is None]
    if len(params) != 1 or len(others) != 1 or not isinstance(others[0].value, (cst.BooleanOperation, cst.IfExp)):
        return None
    if not any(isinstance(node, cst.Name) and node.value == name for node in candidate_nodes(others[0].value)):
        return None
    return params[0], others[0]


def all_params(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    yield from params.kwonly_params
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star


def decorator_names(node: cst.FunctionDef) -> set[str]:
    return {attribute_chain(d.decorator)[-1] for d in node.decorators}


def returned_values(function: cst.FunctionDef, *, yields: bool = False) -> list[cst.BaseExpression]:
    """The values a function's own `return` statements give (not those of functions inside it);
    `yields`: and its `yield`s."""
    found: list[cst.BaseExpression] = []

    def visit(node: cst.CSTNode) -> None:
        if isinstance(node, cst.Return) or (yields and isinstance(node, cst.Yield) and not isinstance(node.value, cst.From)):
            if node.value is not None:
                found.append(node.value)  # type: ignore[arg-type]
            return
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return
        for child in child_nodes(node):
            visit(child)

    visit(function.body)
    return found


def given_values(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    """What a pytest fixture gives the tests that name it: what it returns or yields."""
    return returned_values(function, yields=True)


def is_fixture(function: cst.FunctionDef) -> bool:
    """Decorated `@pytest.fixture` / `@fixture` / `@pytest_asyncio.fixture` (called or not),
    and not renamed (`name=`): pytest gives what it returns to parameters of its name."""
    for decorator in function.decorators:
        node = decorator.decorator
        call = node if isinstance(node, cst.Call) else None
        if call is not None:
            node = call.func
        if attribute_chain(node)[-1] == "fixture" and not (call and any(a.keyword is not None and a.keyword.value == "name" for a in call.args)):
            return True
    return False


def call_arguments(call: cst.Call, function: FunctionRef) -> Iterator[tuple[str, cst.CSTNode]]:
    """(parameter, argument) pairs of a call of a function of this file (a method's `self` skipped)."""
    params = function.node.params
    positional = [*params.posonly_params, *params.params][1 if function.method else 0 :]
    by_name = {p.name.value for p in [*params.params, *params.kwonly_params]}
    number = 0
    for arg in call.args:
        if arg.star:
            if arg.keyword is None:
                number = len(positional)  # `*args`: the positions after it are unknown
            continue
        if arg.keyword is None:
            if number < len(positional):
                yield positional[number].name.value, arg.value
            number += 1
        elif arg.keyword.value in by_name:
            yield arg.keyword.value, arg.value


def chosen_return(function: FunctionRef, arguments: Mapping[str, cst.CSTNode]) -> cst.BaseExpression | None:
    """The value a call returns when its literal arguments decide which `return` runs: a body
    of `if` / `elif` statements testing a parameter against literals (`provider == "grok"`,
    `provider in ("grok", "xai")`) and returning, then a `return`. None when anything else
    may run first or decide (another statement, a test of something else, an argument that is
    no literal, a parameter the body binds again), or for a decorated function (the decorator
    may change the arguments: found by review)."""
    if function.node.decorators:
        return None
    body = function.node.body
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else []
    if statements and _docstring(statements[0]):
        statements = statements[1:]
    for statement in statements:
        while isinstance(statement, cst.If):
            taken = _test_holds(statement.test, arguments)
            if taken is None:
                return None
            if taken:
                return _only_return(statement.body)
            orelse = statement.orelse
            if isinstance(orelse, cst.Else):
                return _only_return(orelse.body)
            if orelse is None:
                break
            statement = orelse
        else:
            return _only_return_statement(statement)
    return None


def _test_holds(test: cst.BaseExpression, arguments: Mapping[str, cst.CSTNode]) -> bool | None:
    """Whether `param == "x"` / `"x" == param` / `param in ("x", "y")` / `!=` / `not in` holds
    for the call's literal argument; None when the test is anything else."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    left, (target,) = test.left, test.comparisons
    right = target.comparator
    if isinstance(right, cst.Name) and isinstance(left, (cst.SimpleString, cst.ConcatenatedString)):
        left, right = right, left
    if not isinstance(left, cst.Name) or left.value not in arguments:
        return None
    given = arguments[left.value]
    value = given.evaluated_value if isinstance(given, (cst.SimpleString, cst.ConcatenatedString)) else None
    if not isinstance(value, str):
        return None
    if isinstance(target.operator, (cst.Equal, cst.NotEqual)) and isinstance(right, (cst.SimpleString, cst.ConcatenatedString)):
        other = right.evaluated_value
        if not isinstance(other, str):
            return None
        return (value == other) == isinstance(target.operator, cst.Equal)
    if isinstance(target.operator, (cst.In, cst.NotIn)) and isinstance(right, (cst.Tuple, cst.List, cst.Set)):
        options = [e.value.evaluated_value if isinstance(e.value, (cst.SimpleString, cst.ConcatenatedString)) else None for e in right.elements]
        if any(not isinstance(o, str) for o in options):
            return None
        return (value in options) == isinstance(target.operator, cst.In)
    return None


def _only_return(block: cst.BaseSuite) -> cst.BaseExpression | None:
    statements = block.body if isinstance(block, cst.IndentedBlock) else ()
    return _only_return_statement(statements[0]) if len(statements) == 1 else None


def _only_return_statement(statement: cst.CSTNode) -> cst.BaseExpression | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and isinstance(statement.body[0], cst.Return):
        return statement.body[0].value
    return None


def _docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def passed_names(value: cst.BaseExpression) -> Iterator[cst.Name]:
    """The names a returned expression gives back as they are, folded (`.strip()`, `.lower()`),
    sliced or chosen by a condition: the value of the name goes where the call's value goes."""
    if isinstance(value, cst.Name):
        yield value
    elif isinstance(value, cst.Subscript):
        yield from passed_names(value.value)
    elif isinstance(value, cst.IfExp):
        yield from passed_names(value.body)
        yield from passed_names(value.orelse)
    elif isinstance(value, cst.BooleanOperation):
        yield from passed_names(value.left)
        yield from passed_names(value.right)
    elif isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in FOLDS:
        yield from passed_names(value.func.value)
    elif isinstance(value, cst.Call) and isinstance(fallback := _fallback_of(value), cst.BaseExpression):
        yield from passed_names(fallback)  # `return os.environ.get(key, default)`: x-agent-kit's `_env`


def _fallback_of(call: cst.Call) -> cst.CSTNode | None:
    """What a lookup gives when the key is missing, whatever the key: `os.getenv(key, default)`,
    `cfg.get(name, default)`, `getattr(obj, name, default)`."""
    found = getenv_default(call)
    if found is not None:
        return found
    lookup = _lookup(call)
    return lookup[1] if lookup is not None else None


def given_back(function: FunctionRef, values: Sequence[cst.BaseExpression] | None = None) -> frozenset[str]:
    """The names a plain function (not a method: a subclass may override it) gives back as they
    are from a `return` (`def unprefix(model): return model[7:]`; `if ...: return model[7:]` then
    `return model`; `def get_config_value(value, env_key, default): if value is not None: return
    value ... return default`): an argument for one goes where the call's value goes, when that
    return is the one taken. Not a name any return makes something else of (`return
    ALIASES[model]`, `return f"openai/{model}"`): what the call gives is then not the argument.
    `values`: its returns, if read already."""
    if function.method:
        return frozenset()
    returns = function.returns() if values is None else values
    passed: set[str] = set()
    made_of: set[str] = set()
    for value in returns:
        given = [n for n in passed_names(value)]
        passed.update(n.value for n in given)
        kept = {id(n) for n in given}
        made_of.update(n.value for n in _names_under(value) if id(n) not in kept)
    return frozenset(passed - made_of)


def _names_under(node: cst.CSTNode, shadowed: frozenset[str] = frozenset()) -> Iterator[cst.Name]:
    """Every name an expression makes its value of (not an attribute's name: `x.model` reads
    `x`; not a condition's, which only picks: `model[7:] if model.startswith(...) else model`;
    not a keyword's name, `f(model=None)`, nor a name a lambda or a comprehension inside binds
    for itself, `lambda model: ...`, `(model for model in MODELS)`)."""
    if isinstance(node, cst.Name):
        if node.value not in shadowed:
            yield node
        return
    if isinstance(node, cst.Attribute):
        yield from _names_under(node.value, shadowed)
        return
    if isinstance(node, cst.Arg):
        yield from _names_under(node.value, shadowed)
        return
    if isinstance(node, cst.IfExp):
        yield from _names_under(node.body, shadowed)
        yield from _names_under(node.orelse, shadowed)
        return
    if isinstance(node, cst.Lambda):
        params = list(all_params(node.params))
        for param in params:
            if param.default is not None:
                yield from _names_under(param.default, shadowed)
        yield from _names_under(node.body, shadowed | {p.name.value for p in params})
        return
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
        # (the first iterable is read outside: `[m for m in model]` is made of `model`)
        yield from _names_under(node.for_in.iter, shadowed)
        bound: set[str] = set()
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            bound.update(n.value for n in _target_names(clause.target))
            clause = clause.inner_for_in
        inner = shadowed | bound
        for child in node.children:
            if child is node.for_in:
                for part in child.children:
                    if part is not node.for_in.iter:
                        yield from _names_under(part, inner)
            else:
                yield from _names_under(child, inner)
        return
    for child in node.children:
        yield from _names_under(child, shadowed)


def _target_names(target: cst.CSTNode) -> Iterator[cst.Name]:
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


def is_none(value: object) -> bool:
    """The literal `None` (a binding's value, an argument, a return)."""
    return isinstance(value, cst.Name) and value.value == "None"


def plain_function(call: cst.Call, scope: Scope) -> FunctionRef | None:
    """The plain function of the file a call calls by its name (a name bound once to it; not a
    method, which a subclass may override)."""
    if not isinstance(call.func, cst.Name):
        return None
    found = lookup_bindings(call.func.value, scope)
    if found is None or len(found) != 1 or not isinstance(found[0].value, FunctionRef) or found[0].value.method:
        return None
    return found[0].value
