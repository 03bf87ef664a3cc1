"""The one LibCST pass: collect facts about model strings and API calls, judge nothing.

The extractor knows Python syntax (what a model context is, which SDK call or wrapper an
expression reaches, what a name is bound to, which URL a request goes to). Whether a fact is a
problem is for the checks to say.

`extract` assembles the parts of one file's pass, each owning its state and given what it needs
when it is built (and the scope of the walk with each call), walks the file's chunks with the one
visitor, then resolves and judges:
- `Visitor` (visitor.py): the one LibCST visitor; recognizes model contexts, delegates the rest;
- `Binder` (binder.py): the scopes and what each name is bound to;
- `Resolver` (deferred.py): the queue of names, dicts and URLs resolved once every binding of
  the file is known, and the model uses it finds;
- `Flow` (flow.py): where literals passed to this file's functions go (and to another file's,
  which that file says when asked: `incoming` answers and asks, facts.ASK);
- `Clients` (clients.py): which client a call is made on (Azure, another host, OpenAI);
- `Reach` (reach.py): wrapper libraries, raw HTTP requests, the Batch API, URLs with a model;
- `Sink` (facts.py): what they all find, judged at the end (`_judged`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial

import libcst as cst

from routelint.binder import Binder
from routelint.bindings import ClassRef, FunctionRef, Imported, Scope, attribute_chain
from routelint.clients import Clients
from routelint.deferred import DictPath, Resolver, Value
from routelint.facts import (
    ANSWER,
    ASK,
    ApiCall,
    Export,
    FileFacts,
    Incoming,
    ModelUse,
    Sink,
    Target,
    string_value,
)
from routelint.flow import Flow, signature
from routelint.reach import Reach
from routelint.syntax_index import SyntaxIndex
from routelint.visitor import Visitor
from routelint.walk import walk

__all__ = [
    "ApiCall", "Export", "FileFacts", "Incoming", "ModelUse", "SyntaxIndex", "Target", "attribute_chain",
    "extract", "string_value",
]


def extract(
    modules: Sequence[cst.Module],
    index: SyntaxIndex,
    incoming: Sequence[Incoming] = (),
    module_bindings: Mapping[str, int] | None = None,
    unparsed_bindings: Mapping[str, int] | None = None,
    *,
    source: str = "",
    test_file: bool = False,
    imports_sdk: bool = False,
    private_defaults: frozenset[str] = frozenset(),
) -> FileFacts:
    """Facts of one file, given as the chunks (top-level statements) that can matter, in order:
    one visitor walks them all, so they share the module scope. `module_bindings` counts
    every module-level binding of the whole file (the outline pass), so a name rebound in a
    statement that was not parsed is not trusted. `incoming` are uses of this module's names by
    calls in other files. `source`: the whole file's text, where a name's mentions are counted (empty when not all of it is there: a notebook's, with IPython lines masked; then no count is trusted); `test_file`: whether it is test code;
    `imports_sdk`: whether the whole file imports the SDK (the outline's `ast` read, parsed or not);
    `private_defaults`: private functions of the project with a model default (`ProjectTable.private_heads`),
    whose calls here are asked about."""
    module_scope = Scope("module", None)
    module_scope.outside = module_bindings
    module_scope.unparsed = unparsed_bindings if module_bindings is not None else None
    sink = Sink()
    resolver = Resolver(index, sink)
    clients = Clients(index, source, test_file)
    flow = Flow(index, resolver, clients, test_file, imports_sdk, source, private_defaults)
    reach = Reach(index, resolver, sink, clients)
    binder = Binder(module_scope)
    visitor = Visitor(index, binder, sink, resolver, flow, clients, reach)
    chunk_of: dict[int, int] = {}  # which chunk each node is in: positions are resolved only for chunks with findings
    resolver.walk_place = binder.place
    for number, module in enumerate(modules):
        walk(module, visitor, chunk_of, number)
    resolver.walk_place = None
    visitor.finish()
    flow.answered([use for use in incoming if use.keys[:1] == (ANSWER,)])
    for use in incoming:
        if use.keys[:1] in ((ASK,), (ANSWER,)):
            continue
        chain = use.name.split(".")
        if use.keys:
            expr: cst.BaseExpression = cst.Name(chain[0])
            for attr in chain[1:]:
                expr = cst.Attribute(expr, cst.Name(attr))
            resolver.defer(DictPath(expr, use.keys, module_scope, use.target, 0))
        else:
            resolver.defer(Value(tuple(chain), module_scope, "name", use.target, 0))
    resolver.resolve()
    asks = [use for use in incoming if use.keys[:1] == (ASK,)]
    flow.follow_helpers(called_elsewhere=frozenset(ask.name.split(".")[0] for ask in asks))
    sink.exports += flow.asks
    sink.exports += _answers(asks, module_scope, flow)
    module_elsewhere = sink.module_elsewhere or sink.module_client_elsewhere  # for the module's own client
    unjudged = flow.mocked_nodes | flow.dead_nodes
    uses, exports = _judged(sink, clients, flow.quiet_nodes, unjudged, module_elsewhere)
    sent = partial(_sent_to_openai, clients=clients, module_elsewhere=module_elsewhere, unjudged=unjudged)
    return FileFacts(
        uses=tuple(uses),
        calls=tuple(c for c in sink.calls if sent(c.via, c.openai_named)),
        imports_openai=sink.imports_openai,
        module_elsewhere=sink.module_elsewhere,
        exports=tuple(exports),
        chunk_of=chunk_of,
        params=tuple(p for p in sink.params if sent(p.via, p.openai_named)),
    )


def _sent_to_openai(call: cst.Call | None, openai_named: bool, *, clients: Clients, module_elsewhere: bool, unjudged: set[int]) -> bool:
    """Whether an SDK call made here (RL203's API surface, RL204's parameter) goes to OpenAI as
    its client says, as for a model sent there (`Clients.away`): not one made on a client for
    Azure or another host (Groq's `audio.translations`, a test's mock server), nor, in a file
    that builds Azure clients, on one routelint cannot trace (unless in a class or function
    named for OpenAI), nor one a test patched; a request to an OpenAI URL (`via` None) always does."""
    if call is None:
        return True
    return id(call.func) not in unjudged and not clients.away(Target(via=call), module_elsewhere=module_elsewhere, trust_openai=openai_named)


def _answers(asks: Sequence[Incoming], module_scope: Scope, flow: Flow) -> list[Export]:
    """What this file says to the files that call its functions (facts.ASK): where each
    parameter of a plain function goes, for the asking file; a function this file imports in
    turn, the question passed on to where it comes from. Not a method, a decorated function (the
    decorator may change what is passed), or a name bound more than once."""
    found: list[Export] = []
    for ask in asks:
        chain = tuple(ask.name.split("."))
        bound = module_scope.bindings.get(chain[0], [])
        value = bound[0].value if len(bound) == 1 else None
        if isinstance(value, Imported):  # `from .llm import complete` in a package's __init__.py
            candidates = value.candidates(chain[1:])
            if candidates:
                found.append(Export(candidates, ask.target, ask.keys))
            continue
        receiver = False
        owner = chain[0] if isinstance(value, ClassRef) else None
        # (a keyword the `__init__` does not take raises TypeError only where calling the class
        # surely runs it, as in this file: `Flow.runs_own_init`; found by review)
        takes_any = isinstance(value, ClassRef) and not flow.runs_own_init(value)
        if isinstance(value, ClassRef) and not value.enum:  # `OpenAIProvider("gpt-4o")`: its `__init__`
            init = value.scope.bindings.get("__init__", [])
            value = init[0].value if len(init) == 1 else None
            receiver = True
        if (
            len(chain) != 1 or not isinstance(value, FunctionRef) or value.method != receiver or value.node.decorators
            or ask.target.origin is None
        ):
            continue
        parameters = signature(value.node, receiver=receiver)
        if takes_any and "**" not in parameters:
            parameters = f"{parameters}, **_" if parameters else "**_"
        # (with no parameter to say anything of, the parameters alone: a keyword the function
        # does not take raises TypeError)
        for parameter, verdict, target in flow.answer(value, owner) or [("", "", Target())]:
            found.append(Export(((ask.target.origin, 0, chain[0]),), target, (ANSWER, ask.keys[1], parameters, parameter, verdict), to=ask.target.origin))
    return found


def _judged(sink: Sink, clients: Clients, quiet_nodes: set[int], unjudged: set[int], module_elsewhere: bool) -> tuple[list[ModelUse], list[Export]]:
    """The uses to judge: not those sent to Azure or another host, nor in a test that patches
    the SDK's client class or in a value bound again before any use (`unjudged`), nor a literal without a surface that also goes
    there, only picks a tokenizer (`quiet_nodes`), or sits in a file that builds an Azure client
    (where a model string may name a deployment)."""
    away = set(sink.elsewhere_nodes)
    kept: list[tuple[ModelUse, Target]] = []
    for use, target in zip(sink.uses, sink.targets):
        if clients.away(target, module_elsewhere=module_elsewhere, trust_openai=target.openai_named) or (
            sink.module_gateway and use.context in _SETTINGS and not target.wrapper and _carries_a_prefix(use)
        ):  # (a provider-prefixed constant or default beside a gateway's base URL: the gateway's name for it)
            if not target.among:
                away.add(id(use.node))
        else:
            kept.append((use, target))
    quiet = away | quiet_nodes
    uses = [
        u for u, target in kept
        if id(u.node) not in unjudged
        and (
            (u.surface is not None and not (target.by_prefix and id(u.node) in quiet_nodes))
            or not (id(u.node) in quiet or (clients.constructs_azure and not target.openai_named))
        )
    ]
    exports = [
        replace(e, target=replace(e.target, via=None, elsewhere=e.target.elsewhere or clients.away(e.target, module_elsewhere=module_elsewhere)))
        for e in sink.exports
    ]
    return uses, exports


# Where a gateway module's settings are written: a constant, a default, an environment fallback;
# not a call's keyword or a dict given to one (a LiteLLM Router's entry without `api_base` goes to OpenAI).
_SETTINGS = frozenset({"assignment", "parameter", "environment"})


def _carries_a_prefix(use: ModelUse) -> bool:
    """Whether a use's literal carries a provider prefix (`"openai/gpt-4o-mini"`) it was read without."""
    read = string_value(use.node)
    return read is not None and read[0] != use.value and read[0].endswith(use.value)
