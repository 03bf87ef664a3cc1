"""The extractor's data-flow step, within one module: where a value goes once it is passed.

A literal (or a name bound to one) handed to a function of this file becomes that function's
parameter; the parameter's uses say what the literal is:
- used as a model (`client.chat.completions.create(model=model)`, a wrapper's argument, another
  helper's model parameter): the literal goes there too, and is judged for that call (`complete(
  text, "gpt-5.5")` reaches Chat Completions);
- used only to pick a tokenizer or a price (`tiktoken.encoding_for_model(model)`, `PRICES[model]`,
  `model in {...}`, `model.startswith(...)`), with nothing else but messages and tests: the
  literal never reaches a request, so neither the parameter's default nor the literals passed
  to it are judged;
- anything else (returned, stored, passed to an unknown call): nothing changes.

The uses as a model are found by the deferred resolution itself (a name that resolves to a
parameter records where it was used, `param_sinks`); the other uses by reading the function's
body (`_occurrences`). The same step decides which client a call is made on (Azure, another host,
OpenAI), for the per-client Azure rule. It runs after the walk, only over the statements that were
parsed (the candidate ones), and reads a function's body only when a literal is passed to it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from routelint.bindings import (
    MAX_DEPTH,
    Binding,
    FunctionRef,
    Imported,
    Scope,
    SelfRef,
    all_params,
    attribute_chain,
    candidate_nodes,
)
from routelint.facts import Export, ModelUse, Target
from routelint.urls import split_query, url_path
from routelint.walk import child_fields

if TYPE_CHECKING:
    from routelint.extract import SyntaxIndex

LOCAL, NEUTRAL, MODEL, UNKNOWN = "local", "neutral", "model", "unknown"
OPENAI, ELSEWHERE = "openai", "elsewhere"
_ROUNDS = 4  # helpers calling helpers: a literal crosses at most this many calls
# Calls that only show a value or test it (messages, errors, type tests): they send nothing.
_SHOWING = frozenset({
    "print", "len", "str", "repr", "isinstance", "debug", "info", "warning", "warn", "error", "exception", "critical",
    "log", "format", "echo", "secho",
})
_TESTS = frozenset({"startswith", "endswith"})  # `model.startswith("gpt-4")`
_FOLDS = frozenset({"lower", "upper", "casefold", "strip"})  # `model.lower() == ...`
# A function whose name has one of these parts counts tokens or prices: `len_tokens`,
# `get_tokenizer`, `estimate_cost`, `TokenUsage`. What it is given is never a request.
_LOCAL_PARTS = frozenset({
    "token", "tokens", "tokenizer", "tokenizers", "tokenize", "tokenization", "cost", "costs", "price", "prices",
    "pricing",
})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


class Flow:
    """Mixed into the collector (extract.py), after Deferred, whose state it reads."""

    index: SyntaxIndex
    scope: Scope
    uses: list[ModelUse]
    targets: list[Target]
    exports: list[Export]
    param_sinks: dict[tuple[int, str], list[tuple[cst.CSTNode | None, str, Target]]]
    elsewhere_nodes: set[int]
    uses_azure_client: bool

    if TYPE_CHECKING:  # the host's methods, declared for mypy only: the host's own definitions win at run time

        def add_strings(
            self, expr: cst.CSTNode, context: str, target: Target, scope: Scope | None = None, depth: int = 0
        ) -> None: ...

        def resolve_work(self) -> None: ...

        def static_string(self, expr: cst.CSTNode, scope: Scope, depth: int) -> str | None: ...

        def _is_model_name(self, name: str, marks: Sequence[str] | None = None) -> bool: ...

    def __init__(self) -> None:
        self.functions: list[FunctionRef] = []  # the functions the walk is in
        self.helper_calls: list[tuple[cst.Call, Scope]] = []  # calls of a name (or self.name): maybe a helper
        self.defaults: list[tuple[FunctionRef, str, cst.CSTNode]] = []  # model parameters' defaults
        self.call_scopes: dict[int, tuple[cst.Call, Scope, bool]] = {}  # call -> (call, scope, an SDK call)
        self.wrapper_clients: dict[int, cst.BaseExpression] = {}  # wrapper call -> the client it is given
        self.constructs_azure = False  # the file builds an AzureOpenAI client
        self.quiet_nodes: set[int] = set()  # literals that only pick a tokenizer or a price
        self._kinds: dict[tuple[int, str], str] = {}
        self._hosts: dict[int, str] = {}

    # --- during the walk ----------------------------------------------------------------------
    def local_call(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        if (len(chain) == 1 and chain[0]) or (len(chain) == 2 and chain[0] in ("self", "cls")):
            self.helper_calls.append((node, self.scope))

    def azure_constructor(self, node: cst.Call, chain: tuple[str, ...]) -> bool:
        return chain[-1] in self.index.code.azure.clients

    # --- after the walk -----------------------------------------------------------------------
    def follow_helpers(self) -> None:
        """Hand what is passed to this file's functions to where their parameters go, until
        nothing new is found; then mark the literals that only pick a tokenizer or a price."""
        applied: set[tuple[int, str, int]] = set()
        for _ in range(_ROUNDS):
            before = len(applied)
            for call, scope in self.helper_calls:
                function = self._callee(call, scope)
                if function is None:
                    continue
                for name, arg in _arguments(call, function):
                    for number, (_, _context, target) in enumerate(self.param_sinks.get((id(function.node), name), [])):
                        if (id(call), name, number) not in applied:
                            applied.add((id(call), name, number))
                            self.add_strings(arg, "argument", target, scope)
            self.resolve_work()
            if len(applied) == before:
                break
        for call, scope in self.helper_calls:
            function = self._callee(call, scope)
            if function is None:
                continue
            for name, arg in _arguments(call, function):
                kind = self.kind(function, name)
                if kind == LOCAL:
                    self.quiet_nodes.update(id(n) for n in candidate_nodes(arg))
                elif kind == UNKNOWN and self._is_model_name(name):
                    self.add_strings(arg, "argument", Target(via=call), scope)
        for function, name, default in self.defaults:
            if self.kind(function, name) == LOCAL:
                self.quiet_nodes.update(id(n) for n in candidate_nodes(default))
        self.resolve_work()

    def judged(self) -> tuple[list[ModelUse], list[Export]]:
        """The uses to judge: not those sent to Azure or another host, nor a literal without a
        surface that also goes there, only picks a tokenizer, or sits in a file that builds an
        Azure client (where a model string may name a deployment)."""
        away = set(self.elsewhere_nodes)
        kept: list[ModelUse] = []
        for use, target in zip(self.uses, self.targets):
            if self._away(target):
                away.add(id(use.node))
            else:
                kept.append(use)
        quiet = away | self.quiet_nodes
        uses = [u for u in kept if u.surface is not None or not (id(u.node) in quiet or self.constructs_azure)]
        exports = [
            replace(e, target=replace(e.target, via=None, elsewhere=e.target.elsewhere or self._away(e.target)))
            for e in self.exports
        ]
        return uses, exports

    def _away(self, target: Target) -> bool:
        found = self.call_scopes.get(id(target.via)) if target.via is not None else None
        if found is None:
            return False
        call, scope, sdk = found
        host = self._hosts.get(id(call))
        if host is None:
            host = self._hosts[id(call)] = self._call_host(call, scope)
        return host == ELSEWHERE or (host == UNKNOWN and sdk and self.constructs_azure)

    # --- which client a call is made on ---------------------------------------------------------
    def _call_host(self, call: cst.Call, scope: Scope) -> str:
        client = self.wrapper_clients.get(id(call))
        if client is not None and self._client_host(client, scope) == ELSEWHERE:
            return ELSEWHERE  # a wrapper given an Azure client (or one for another host)
        own = self.constructor_host(call, scope, 0)
        if own in (ELSEWHERE, OPENAI):
            return own
        func = call.func
        while isinstance(func, cst.Attribute):
            func = func.value
        if isinstance(func, cst.Call):  # `OpenAI(base_url=...).chat.completions.create(...)`
            return self.constructor_host(func, scope, 1) or UNKNOWN
        chain = attribute_chain(call.func)
        for length in range(len(chain) - 1, 0, -1):
            found = self._name_host(chain[:length], scope, 1)
            if found is not None:
                return found
        return UNKNOWN

    def _client_host(self, client: cst.BaseExpression, scope: Scope) -> str:
        if isinstance(client, cst.Call):
            return self.constructor_host(client, scope, 1) or UNKNOWN
        if isinstance(client, (cst.Name, cst.Attribute)) and "" not in attribute_chain(client):
            return self._name_host(attribute_chain(client), scope, 1) or UNKNOWN
        return UNKNOWN

    def constructor_host(self, call: cst.Call, scope: Scope, depth: int) -> str | None:
        """Where a client built by this call sends requests, when the call says: an Azure
        client (by name, by its keywords, or from an `azure` package), a base URL on another
        host, or the OpenAI client; None when it does not say."""
        chain = attribute_chain(call.func)
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        code = self.index.code
        if "Azure" in chain[-1] or any("azure" in k or k in code.azure.deployment_keywords for k in keywords):
            return ELSEWHERE
        origin = self.scope_lookup(chain[0], scope) if chain[0] else None
        if origin is not None and any(isinstance(b.value, Imported) and b.value.module.split(".")[0] == "azure" for b in origin):
            return ELSEWHERE
        for keyword in code.sdk.base_url_keywords & set(keywords):
            url = self.static_string(keywords[keyword], scope, depth)
            if url is None:
                return UNKNOWN
            return OPENAI if url_path(split_query(url)[0].rstrip("/") + "/", self.index.hosts) is not None else ELSEWHERE
        return OPENAI if chain[-1] in code.sdk.clients else None

    def _name_host(self, chain: tuple[str, ...], scope: Scope, depth: int) -> str | None:
        """Where the client a (dotted) name holds sends requests, over every binding it has;
        None when the name is not bound here."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        bindings = self._all_bindings(chain, scope)
        if bindings is None:
            return None
        verdicts = set()
        for binding in bindings:
            value = binding.value
            if isinstance(value, Imported):
                verdicts.add(ELSEWHERE if value.module.split(".")[0] == "azure" or self.uses_azure_client else OPENAI)
                continue
            for node in candidate_nodes(value) if isinstance(value, cst.CSTNode) else [None]:
                if isinstance(node, cst.Call):
                    verdicts.add(self.constructor_host(node, binding.scope, depth + 1) or UNKNOWN)
                elif isinstance(node, (cst.Name, cst.Attribute)) and "" not in attribute_chain(node):
                    verdicts.add(self._name_host(attribute_chain(node), binding.scope, depth + 1) or UNKNOWN)
                else:
                    verdicts.add(UNKNOWN)
        if ELSEWHERE in verdicts:
            return ELSEWHERE
        return OPENAI if verdicts == {OPENAI} else UNKNOWN

    def _all_bindings(self, chain: tuple[str, ...], scope: Scope) -> list[Binding] | None:
        found = self.scope_lookup(chain[0], scope)
        if found is None or len(chain) == 1:
            return found
        if len(found) == 1 and isinstance(found[0].value, Imported):
            return found  # `openai.chat.completions`: the module's client
        if len(chain) == 2 and len(found) == 1 and isinstance(found[0].value, SelfRef):
            owner = found[0].value.scope
            return owner.bindings.get(chain[1], []) + owner.attrs.get(chain[1], []) or None
        return None

    @staticmethod
    def scope_lookup(name: str, scope: Scope) -> list[Binding] | None:
        found = scope.lookup(name)
        return found[0] if found is not None else None

    # --- what a parameter's uses say ------------------------------------------------------------
    def _callee(self, call: cst.Call, scope: Scope) -> FunctionRef | None:
        chain = attribute_chain(call.func)
        found = self.scope_lookup(chain[0], scope)
        if found is None or len(found) != 1:
            return None
        if len(chain) == 1:
            value = found[0].value
            return value if isinstance(value, FunctionRef) and not value.method else None
        if not isinstance(found[0].value, SelfRef):
            return None
        bound = found[0].value.scope.bindings.get(chain[1], [])
        value = bound[0].value if len(bound) == 1 else None
        return value if isinstance(value, FunctionRef) else None

    def kind(self, function: FunctionRef, name: str, active: frozenset[tuple[int, str]] = frozenset()) -> str:
        """MODEL, LOCAL (only tokenizers, prices, tests and messages), or UNKNOWN."""
        key = (id(function.node), name)
        if key in self._kinds:
            return self._kinds[key]
        if key in active:
            return NEUTRAL  # a recursive call passes it on to itself
        if self.param_sinks.get(key):
            return self._kinds.setdefault(key, MODEL)
        # Every read of the name counts, whatever it was bound to (several assignments of the
        # same local are fine: only where the reads go matters).
        kinds: set[str] = set()
        for node, parents in _occurrences(function.node, name):
            kinds.add(self._use_kind(node, parents, function, active | {key}))
            if UNKNOWN in kinds or MODEL in kinds:
                break
        verdict = MODEL if MODEL in kinds else UNKNOWN if UNKNOWN in kinds or LOCAL not in kinds else LOCAL
        if not active:
            self._kinds[key] = verdict
        return verdict

    def _use_kind(self, node: cst.Name, parents: tuple[cst.CSTNode, ...], function: FunctionRef, active: frozenset[tuple[int, str]]) -> str:
        parent, above = parents[-1], parents[-2] if len(parents) > 1 else None
        copied = _copied_to(parents)
        if copied is not None:  # `model_str = model or "gpt-4"`: it goes where the local goes
            return self.kind(function, copied, active)
        if isinstance(parent, cst.Arg) and isinstance(above, cst.Call):
            chain = attribute_chain(above.func)
            origin = self.scope_lookup(chain[0], function.scope) if chain[0] else None
            if chain[-1] in self.index.local_calls or local_name(chain[-1]) or (
                origin and any(isinstance(b.value, Imported) and b.value.module == "tiktoken" for b in origin)
            ):
                return LOCAL
            callee = self._callee(above, function.scope)
            if callee is not None:
                for name, arg in _arguments(above, callee):
                    if arg is node:
                        found = self.kind(callee, name, active)
                        return found if found != MODEL else MODEL
                return UNKNOWN
            return NEUTRAL if chain[-1] in _SHOWING else UNKNOWN
        if isinstance(parent, (cst.Index, cst.Comparison, cst.ComparisonTarget)):
            return LOCAL  # a lookup key (`PRICES[model]`) or a test (`model in {...}`)
        if isinstance(parent, cst.Attribute) and isinstance(above, cst.Call) and above.func is parent:
            outer = parents[-3] if len(parents) > 2 else None
            if parent.attr.value in _TESTS or (
                parent.attr.value in _FOLDS and isinstance(outer, (cst.Comparison, cst.ComparisonTarget))
            ):
                return LOCAL
            return UNKNOWN
        if isinstance(parent, (cst.FormattedStringExpression, cst.If, cst.While, cst.Assert)):
            return NEUTRAL
        if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            return NEUTRAL
        return UNKNOWN


def _copied_to(parents: tuple[cst.CSTNode, ...]) -> str | None:
    """The local a read is copied into: `x = name`, `x = name or "d"`, `x = a if c else name`."""
    index = len(parents) - 1
    while index > 0 and isinstance(parents[index], (cst.BooleanOperation, cst.IfExp)):
        index -= 1
    statement = parents[index]
    if index == len(parents) - 1 and not isinstance(statement, (cst.Assign, cst.AnnAssign)):
        return None
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target = statement.targets[0].target
        return target.value if isinstance(target, cst.Name) else None
    if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
        return statement.target.value
    return None


def local_name(name: str) -> bool:
    """Whether a function's name says it counts tokens or prices (`num_tokens_in_string`)."""
    return any(part.casefold() in _LOCAL_PARTS for chunk in name.split("_") for part in _WORD.findall(chunk))


def _arguments(call: cst.Call, function: FunctionRef) -> Iterator[tuple[str, cst.CSTNode]]:
    """(parameter, argument) pairs of a call of a function of this file."""
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


def _occurrences(function: cst.FunctionDef, name: str) -> list[tuple[cst.Name, tuple[cst.CSTNode, ...]]]:
    """Where a function's body reads `name` (not as a keyword, an attribute or a parameter of
    its own), with the nodes above each read, the nearest last."""
    found: list[tuple[cst.Name, tuple[cst.CSTNode, ...]]] = []

    def visit(node: cst.CSTNode, parents: tuple[cst.CSTNode, ...]) -> None:
        if isinstance(node, cst.Name):
            if node.value == name:
                found.append((node, parents))
            return
        inner = (*parents, node)
        if isinstance(node, cst.Attribute):
            visit(node.value, inner)
            return
        if isinstance(node, cst.Arg):
            visit(node.value, inner)
            return
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
            return  # the binding itself (a second one makes the name ambiguous: `kind` checks)
        if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            for part in (node.annotation, node.value):
                if part is not None:
                    visit(part, inner)
            return
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            for param in all_params(node.params):
                if param.default is not None:
                    visit(param.default, inner)
            if all(p.name.value != name for p in all_params(node.params)):
                visit(node.body, inner)
            return
        if isinstance(node, cst.ClassDef):
            visit(node.body, inner)
            return
        for field in child_fields(type(node)):
            value = getattr(node, field)
            for child in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(child, cst.CSTNode):
                    visit(child, inner)

    visit(function.body, (function,))
    return found


