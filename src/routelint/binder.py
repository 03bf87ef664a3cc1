"""The walk's scope tracker: binds names as the one LibCST visitor (extract.py) meets them.

`Binder` holds the scope the walk is in (`scope`) and the functions it is inside; the visitor
calls it on each definition, import and assignment, in walk order, so a name looked up during
the walk sees the bindings made so far, and one looked up after it sees them all. What a name is
bound to is recorded, never judged (bindings.py says how a name resolves).
"""
from __future__ import annotations

import libcst as cst

from routelint.bindings import (
    Binding,
    ClassRef,
    Element,
    FunctionRef,
    Imported,
    Place,
    Scope,
    SelfRef,
    Unpacked,
    all_params,
    attribute_chain,
    decorator_names,
)
from routelint.facts import string_value


class Binder:
    def __init__(self, module_scope: Scope) -> None:
        self.scope = module_scope  # where the walk is: read it, never assign it
        self._functions: list[FunctionRef] = []  # the functions the walk is in
        # the blocks the walk is in: (id, each statement's index by id, what it is: bindings.LOOP,
        # BRANCH or ""), and the statement of each the walk is at (`place`)
        self._blocks: list[tuple[int, dict[int, int], str]] = []
        self._at: list[tuple[int, cst.CSTNode | None]] = []
        self._lambdas = 0  # lambdas the walk is in: what they read, they read when called

    # --- where the walk is, for bindings.reaching --------------------------------------------
    def enter_block(self, node: cst.BaseSuite, kind: str) -> None:
        statements = node.body if isinstance(node, cst.IndentedBlock) else ()
        self._blocks.append((id(node), {id(s): i for i, s in enumerate(statements)}, kind))
        self._at.append((-1, None))

    def leave_block(self) -> None:
        self._blocks.pop()
        self._at.pop()

    def statement(self, node: cst.BaseStatement) -> None:
        """The walk is at a statement (one of its block's, or an `elif`, which is not)."""
        if self._blocks:
            index = self._blocks[-1][1].get(id(node))
            if index is not None:
                self._at[-1] = (index, node)

    def place(self) -> tuple[Place, cst.CSTNode | None, Scope]:
        """Where the walk is: the place, the statement (of the innermost block; None in a lambda,
        which runs whenever it is called) and the scope."""
        place = tuple((block, at[0], kind) for (block, _, kind), at in zip(self._blocks, self._at))
        return place, (self._at[-1][1] if self._at and not self._lambdas else None), self.scope

    def enter_lambda(self) -> None:
        self._lambdas += 1

    def leave_lambda(self) -> None:
        self._lambdas -= 1

    def declare(self, name: str) -> None:
        """`global name` or `nonlocal name`: bound where the walk does not see it happen."""
        scope: Scope | None = self.scope
        while scope is not None:
            scope.declared.add(name)
            scope = scope.parent

    def function_here(self) -> FunctionRef | None:
        """The function whose own scope the walk is in (not a class or comprehension inside it)."""
        return self._functions[-1] if self._functions and self.scope is self._functions[-1].scope else None

    def in_a_test(self) -> bool:
        """Whether the walk is inside a test function (pytest's `test...`), at any depth."""
        return any(function.node.name.value.startswith("test") for function in self._functions)

    # --- definitions and scopes -----------------------------------------------------------------
    def enter_class(self, node: cst.ClassDef) -> None:
        scope = Scope("class", self.scope, bases=tuple(base.value for base in node.bases if base.keyword is None))
        enum = any(attribute_chain(base.value)[-1:] in (("Enum",), ("StrEnum",)) for base in node.bases if base.keyword is None)
        plain = not node.decorators and not node.keywords
        self.scope.bind(node.name.value, ClassRef(scope, enum, plain))
        self.scope = scope

    def enter_function(self, node: cst.FunctionDef) -> FunctionRef:
        """Bind the function's name where it is defined and enter its scope. Its parameters are
        bound by `bind_parameters`, once the caller has read their defaults."""
        parent = self.scope
        self.scope = Scope("function", parent)
        function = FunctionRef(node, self.scope, method=_receiver(node, parent) is not None)
        parent.bind(node.name.value, function)
        self._functions.append(function)
        return function

    def bind_parameters(self, node: cst.FunctionDef, function: FunctionRef) -> None:
        """Each parameter is bound to its default (the receiver of a method to its instance), or
        to the values a `pytest.mark.parametrize` decorator gives it."""
        parent = function.scope.parent or function.scope
        receiver = _receiver(node, parent)
        decorators = decorator_names(node)
        parametrized = _parametrized(node)
        for param in all_params(node.params):
            if param is receiver:
                function.scope.bind(param.name.value, SelfRef(parent, instance="classmethod" not in decorators))
            elif param.name.value in parametrized:
                function.scope.bind(param.name.value, parametrized[param.name.value], parent, param=function)
            else:
                function.scope.bind(param.name.value, param.default, parent, param=function)

    def leave_function(self) -> None:
        self.leave()
        self._functions.pop()

    def enter_comprehension(self) -> None:
        """Comprehensions are scopes of their own: their targets shadow the names around them."""
        self.scope = Scope("comprehension", self.scope)

    def leave(self) -> None:
        """Leave a class or comprehension scope (and a function's, through `leave_function`)."""
        self.scope = self.scope.parent or self.scope

    # --- imports --------------------------------------------------------------------------------
    def bind_import(self, node: cst.Import) -> None:
        for alias in node.names:
            chain = attribute_chain(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.scope.bind(alias.asname.name.value, Imported(".".join(chain), 0, None))
            else:
                self.scope.bind(chain[0], Imported(chain[0], 0, None))

    def bind_import_from(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = ".".join(attribute_chain(node.module)) if node.module is not None else ""
        for alias in node.names:
            name = attribute_chain(alias.name)[-1]
            bound = alias.asname.name if alias.asname is not None else alias.name
            if isinstance(bound, cst.Name):
                self.scope.bind(bound.value, Imported(module, len(node.relative), name))

    # --- assignments ----------------------------------------------------------------------------
    def bind_elements(self, target: cst.CSTNode, iterable: cst.CSTNode, path: tuple[int, ...] = (), *, loop: bool = False) -> None:
        """`for m in MODELS`, `for name, (m, key) in PAIRS`: each name is bound to its part of an
        element of the iterable (values.py reads the elements when a model flows there). `loop`:
        a `for` statement's, whose place is recorded for `bindings.reaching`."""
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, Element(iterable, path), at=self.place()[0] if loop else None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            for number, element in enumerate(target.elements):
                if starred:
                    self.bind_targets(element.value)
                else:
                    self.bind_elements(element.value, iterable, (*path, number), loop=loop)
        else:
            self.bind_targets(target)

    def bind_walrus(self, node: cst.NamedExpr) -> None:
        scope = self.scope
        while self.scope.kind == "comprehension" and self.scope.parent is not None:
            self.scope = self.scope.parent  # `:=` in a comprehension binds in the scope around it
        self.bind_targets(node.target)
        self.scope = scope

    def bind_targets(self, target: cst.CSTNode, value: cst.CSTNode | Unpacked | None = None, *, plain: bool = False) -> None:
        """Assignment targets: names, unpacking, `self.attr` (the class's attribute) and
        `name["key"]` (that key of the dict the name holds). `plain`: an assignment statement's
        (`name = value`), whose place is recorded for `bindings.reaching`. Unpacking a display
        binds each target to its element (`a, b = "gpt-4o", key`); unpacking anything else binds
        a name to its part (`model, key, base = detect()`: `Unpacked`)."""
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value, at=self.place()[0] if plain else None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            unpacked = isinstance(value, cst.BaseExpression) and not any(isinstance(e, cst.StarredElement) for e in target.elements)
            shown = value.elements if isinstance(value, (cst.Tuple, cst.List)) and unpacked else None
            if shown is not None and (len(shown) != len(target.elements) or any(isinstance(e, cst.StarredElement) for e in shown)):
                shown, unpacked = None, False
            for number, element in enumerate(target.elements):
                part: cst.CSTNode | Unpacked | None = None
                if shown is not None:
                    part = shown[number].value
                elif unpacked and isinstance(element.value, cst.Name):
                    part = Unpacked(value, number)  # type: ignore[arg-type]
                self.bind_targets(element.value, part, plain=plain)
        elif isinstance(target, cst.StarredElement):
            self.bind_targets(target.value, plain=plain)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            found = self.scope.lookup(target.value.value)
            if found is not None and len(found[0]) == 1 and isinstance(found[0][0].value, SelfRef):
                owner = found[0][0].value.scope
                owner.attrs.setdefault(target.attr.value, []).append(Binding(value, self.scope))
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is not None:
                self.scope.keys.setdefault((target.value.value, key[0]), []).append(Binding(value, self.scope))
            found = self.scope.lookup(target.value.value)
            if key is None or found is None or found[1] is not self.scope:
                # `d[k] = v`, or `CONFIG["base_url"] = ...` in a function
                self.changed(target.value.value, None if key is None else key[0])

    def changed(self, name: str, key: str | None = None) -> None:
        """The dict `name` holds may change past what the walk records of it (Scope.changed), at
        `key` (None: any key). Marked in every scope the name may be looked up in from here (it
        may be bound later in the walk: a function inside, written first, changes it)."""
        scope: Scope | None = self.scope
        while scope is not None:
            if scope.kind != "class" or scope is self.scope:
                before = scope.changed.get(name, frozenset())
                scope.changed[name] = None if before is None or key is None else before | {key}
            scope = scope.parent


def _parametrized(node: cst.FunctionDef) -> dict[str, Element]:
    """`@pytest.mark.parametrize("model", MODELS)`, `("model, mode", product(MODELS, MODES))`,
    `(("model", "api"), [("gpt-5.5", "responses"), pytest.param(...)])`: each named parameter is an
    element of the values (its part of each, when there are several names), as a loop target is."""
    found: dict[str, Element] = {}
    for names, values in parametrize_cases(node):
        for number, name in enumerate(names):
            found[name] = Element(values, () if len(names) == 1 else (number,))
    return found


def parametrize_cases(node: cst.FunctionDef) -> list[tuple[list[str], cst.BaseExpression]]:
    """(argument names, argument values) of each `pytest.mark.parametrize` decorator."""
    found = []
    for decorator in node.decorators:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or attribute_chain(call.func)[-1] != "parametrize":
            continue
        positional = [a.value for a in call.args if a.keyword is None and a.star == ""]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        names_expr = positional[0] if positional else keywords.get("argnames")
        values = positional[1] if len(positional) > 1 else keywords.get("argvalues")
        if names_expr is None or values is None:
            continue
        if isinstance(names_expr, (cst.List, cst.Tuple)):
            read = [string_value(e.value) for e in names_expr.elements]
            names = [r[0].strip() for r in read if r is not None] if all(r is not None for r in read) else []
        else:
            text = string_value(names_expr)
            names = [n.strip() for n in text[0].split(",") if n.strip()] if text is not None else []
        found.append((names, values))
    return found


def parametrize_column(names: list[str], values: cst.BaseExpression, number: int) -> list[cst.BaseExpression]:
    """The values a literal parametrize list gives the `number`th name: each case, or its part
    of each (a tuple, a list, or `pytest.param(...)`'s arguments)."""
    if not isinstance(values, (cst.List, cst.Tuple)):
        return []
    column: list[cst.BaseExpression] = []
    for element in values.elements:
        case = element.value
        params = [a.value for a in case.args if a.keyword is None] if isinstance(case, cst.Call) and _pytest_param(case) else None
        if len(names) == 1:
            column.append(params[0] if params else case)
            continue
        parts = params if params is not None else [e.value for e in case.elements] if isinstance(case, (cst.List, cst.Tuple)) else []
        if number < len(parts):
            column.append(parts[number])
    return column


def _pytest_param(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and attribute_chain(node.func)[-1] == "param"


def _receiver(node: cst.FunctionDef, parent: Scope) -> cst.Param | None:
    """The first parameter of a method (not a staticmethod): the instance or the class."""
    positional = [*node.params.posonly_params, *node.params.params]
    if parent.kind == "class" and positional and "staticmethod" not in decorator_names(node):
        return positional[0]
    return None
