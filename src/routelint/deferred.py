"""The extractor's second half: what names, request dicts and URLs resolve to, once the walk has
seen every binding of the file. Work items queue up during the walk and after it (a name bound
to a name bound to a dict...), each with a depth that stops cycles.

`Resolver` owns the queue. The walk's parts hand it model expressions (`add_strings`) and work
items (`defer`); `resolve` works through the queue and puts what it finds (model uses, API calls
of raw HTTP requests, exports to other files) in the `Sink` it was given. It also records where a
parameter of a function of this file is used as a model (`sinks_of`, read by flow.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

import libcst as cst

from routelint.bindings import (
    MAX_DEPTH,
    Binding,
    Element,
    FunctionRef,
    ImportedUse,
    Place,
    Scope,
    Unpacked,
    all_params,
    attribute_chain,
    call_arguments,
    candidate_nodes,
    chosen_return,
    environment_key,
    field_default,
    getenv_default,
    given_back,
    is_none,
    lookup_default,
    parameter_fallback,
    passed_names,
    plain_function,
    reaching,
    resolve_chain,
)
from routelint.facts import ApiCall, Export, ModelUse, Sink, Target, body_span, string_value
from routelint.names import is_model_name
from routelint.urls import lead_on_other_host, model_query, other_host, split_query, url_path
from routelint.values import (
    any_entry,
    element_parts,
    elements,
    entries,
    integer,
    openai_rows,
    pieces,
    possible_strings,
    prefixed_fstring,
    records,
    rows_naming_openai,
    run_time_lookup,
    static_string,
    subscript_index,
)
from routelint.walk import subtree, subtree_ids

if TYPE_CHECKING:
    from routelint.catalog_reach import Prefix
    from routelint.syntax_index import SyntaxIndex

_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")


@dataclass(frozen=True)
class Value:
    """A name or dotted name used as a model."""

    chain: tuple[str, ...]
    scope: Scope
    context: str
    target: Target
    depth: int
    node: cst.CSTNode | None = None  # the name as written (the data-flow step asks where it went)
    # where the walk met it, and the statement holding it (`bindings.reaching`), when it did
    at: tuple[Place, cst.CSTNode] | None = None


@dataclass(frozen=True)
class DictPath:
    """A dict (a display, `dict(...)`, or a name bound to one) whose `keys` path holds a model."""

    expr: cst.CSTNode
    keys: tuple[str, ...]
    scope: Scope
    target: Target
    depth: int
    at: tuple[Place, cst.CSTNode] | None = None  # as `Value.at`, for `name["key"]` where the walk met it


@dataclass(frozen=True)
class Http:
    """`requests.post(url, json=body)`: the URL decides whether the body's model goes to OpenAI."""

    url: cst.CSTNode
    body: cst.CSTNode | None
    scope: Scope
    node: cst.Call
    label: str
    depth: int


@dataclass(frozen=True)
class UrlString:
    """A string (f-string, `+` concatenation) with a `model=` query: a websocket or HTTP URL."""

    node: cst.CSTNode
    scope: Scope
    depth: int


@dataclass(frozen=True)
class EnvRead:
    """`os.environ["APP_MODEL"]`, `os.getenv("APP_MODEL")` used as a model: what the file writes
    there (`os.environ["APP_MODEL"] = choice`), read once the walk has seen every write."""

    key: str
    context: str
    target: Target
    depth: int


Work = Union[Value, DictPath, Http, UrlString, EnvRead]
# Where a parameter is used as a model: (the name's node, context, target).
ParamSink = tuple[Union[cst.CSTNode, None], str, Target]


class Resolver:
    """The queue of deferred work, and its resolution into `sink`."""

    def __init__(self, index: SyntaxIndex, sink: Sink) -> None:
        self._index = index
        self._sink = sink
        self._work: list[Work] = []
        self._done = 0  # how much of the queue is resolved
        # (function, parameter) -> where the parameter is used as a model, found while names resolve
        self._param_sinks: dict[tuple[int, str], list[ParamSink]] = {}
        # (function, parameter) -> (keys, target): the parameter is a dict whose `keys` path is
        # used as a model (`def _post(body): requests.post(URL, json=body)`)
        self._dict_param_sinks: dict[tuple[int, str], list[tuple[tuple[str, ...], Target]]] = {}
        # environment variable -> the values the file writes to it (`os.environ["M"] = value`)
        self._env_writes: dict[str, list[tuple[cst.CSTNode, Scope]]] = {}
        self._env_reads: set[tuple[str, str, Target]] = set()  # answered once each (a write may read its own variable)
        # During the walk: where it is (`Binder.place`); a name handed over in the scope the walk
        # is in is in the statement the walk is at (checked before use: `_reaching`)
        self.walk_place: Callable[[], tuple[Place, cst.CSTNode | None, Scope]] | None = None

    def defer(self, item: Work) -> None:
        """Queue an item, resolved by the next `resolve`."""
        self._work.append(item)

    def _walk_at(self, scope: Scope) -> tuple[Place, cst.CSTNode] | None:
        if self.walk_place is None:
            return None
        place, statement, current = self.walk_place()
        return (place, statement) if statement is not None and current is scope and scope.kind == "function" else None

    def env_write(self, key: str, value: cst.CSTNode, scope: Scope) -> None:
        """`os.environ["APP_MODEL"] = value`: a read of that variable in a model context may get it."""
        self._env_writes.setdefault(key, []).append((value, scope))

    def sink_counts(self) -> dict[tuple[int, str], int]:
        """How many sinks each (function, parameter) has so far (`sinks_of`)."""
        return {key: len(found) for key, found in self._param_sinks.items()}

    def sinks_of(self, function: FunctionRef, name: str) -> list[ParamSink]:
        """Where the parameter `name` of `function` is used as a model, so far."""
        return self._param_sinks.get((id(function.node), name), [])

    def dict_sinks_of(self, function: FunctionRef, name: str) -> list[tuple[tuple[str, ...], Target]]:
        """Where the parameter `name` of `function` is a dict whose keys path holds a model, so
        far: (keys, target); no keys: a request body to another host (`add_dict`). Not answered
        to other files (`Flow.answer` speaks of models only)."""
        return self._dict_param_sinks.get((id(function.node), name), [])

    def add_dict(self, expr: cst.CSTNode, keys: tuple[str, ...], target: Target, scope: Scope) -> None:
        """`expr` is a dict whose `keys` path is used as a model (an argument for a `dict_sinks_of`
        parameter), resolved by the next `resolve`; with no keys, a request body sent to another
        host, all of whose models are that host's (`_foreign_body`)."""
        if keys:
            self._work.append(DictPath(expr, keys, scope, target, 1))
            return
        if isinstance(expr, cst.Dict):
            self._sink.elsewhere_nodes.update(subtree_ids(expr))
        self._foreign_body(expr, scope, 1)

    def _dict_sink(self, function: FunctionRef, name: str, keys: tuple[str, ...], target: Target) -> None:
        """Record a dict parameter's sink; not for a function that may replace the key holding
        the model (`body["model"] = "gpt-5.5"`, `body.update(...)`: found by review)."""
        if keys and _may_replace(function.node, name, keys[0]):
            return
        sinks = self._dict_param_sinks.setdefault((id(function.node), name), [])
        if (keys, target) not in sinks:
            sinks.append((keys, target))

    # --- model strings ----------------------------------------------------------------------
    def add_strings(self, expr: cst.CSTNode, context: str, target: Target, scope: Scope, depth: int = 0) -> None:
        """`expr` is used as a model (in `context`, going to `target`); its names are looked up
        in `scope`. Literals become uses now, names and dict lookups are queued."""
        if depth > MAX_DEPTH:
            return
        at = self._walk_at(scope) if depth == 0 else None
        for node in candidate_nodes(expr):
            if isinstance(node, (cst.Name, cst.Attribute)):
                chain = attribute_chain(node)
                if "" not in chain:
                    self._work.append(Value(chain, scope, context, target, depth, node, at if isinstance(node, cst.Name) else None))
            elif isinstance(node, cst.Subscript):
                if (key := environment_key(node)) is not None:
                    self._work.append(EnvRead(key, context, target, depth + 1))
                else:
                    self._subscript(node, context, target, scope, depth, at)
            elif isinstance(node, cst.Call):
                if (key := environment_key(node)) is not None:
                    self._work.append(EnvRead(key, context, target, depth + 1))
                default, kind = getenv_default(node), "environment"
                if default is None:
                    default, kind = field_default(node), context
                if default is None and ((context == "keyword" and depth == 0) or target.surface is not None):
                    # `model=cfg.get("model", "x")` as written, or through names into an SDK or
                    # wrapper call; not `request_model = kwargs.get("model", "x")` by its name,
                    # nor where that name reaches any `model=` (instrumentation records what was
                    # asked: `StartSpanParameters(model=model)`)
                    default = lookup_default(node)
                    if default is not None and _config_parser(node, scope):
                        default = None
                if default is not None:
                    self.add_strings(default, kind, target, scope, depth + 1)
                elif target.surface is not None and self._mapped(node, context, target, scope, depth):
                    continue  # `ALIASES.get(model, model)`: handed on
                else:
                    function = plain_function(node, scope)
                    values = function.returns() if function is not None else []
                    given_a_parameter = False
                    if function is not None and len(values) > 1 and target.surface is not None:
                        # `_model("openai")` of `def _model(provider): if provider == "grok":
                        # return ...; return os.environ.get("SPEECH_MODEL", "gpt-4o-mini-tts")`
                        # (uag, corp55): the return the call's literal argument picks. One that
                        # names a parameter is the call's argument, handed on below, not the
                        # parameter's default (found by review)
                        chosen = chosen_return(function, dict(call_arguments(node, function)))
                        if chosen is not None:
                            values = [chosen]
                            given_a_parameter = _names_a_parameter(chosen, function)
                    if function is not None and len(values) == 1 and target.surface is not None and not given_a_parameter:
                        # `create(model=load_model(config))`, `def load_model(config): return
                        # config.get("openai_model", "gpt-4o")`: what a function of the file
                        # returns. Only a function with one `return`: which return a call gets may
                        # depend on its arguments (`pick("chat")`, `pick("embed")`), and the
                        # branching returns of a recursive function would be followed
                        # exponentially (review)
                        self.add_strings(values[0], context, target, function.scope, depth + 1)
                    elif function is not None and target.surface is not None and not list(all_params(function.node.params)):
                        # `def select_model(): ... if not sel: return "gpt-5" ... return sel`: a
                        # function taking nothing may give any of its returns to every call; not
                        # the calls it returns (a retry, `return select_model()`, recursing). Which
                        # one a call gets is decided at run time (by a setting: `"gpt-realtime-1.5"
                        # if os.getenv("MODE") == "voice"`, found by review): judged for its dates,
                        # not the call's endpoint, as one picked from a list at run time is
                        among = target.picked_at_run_time()
                        for value in values:
                            if not isinstance(value, cst.Call):
                                self.add_strings(value, context, among, function.scope, depth + 1)
                    if function is not None:
                        # `create(model=unprefix("openai/gpt-4o"))`, `MODEL = normalize("gpt-4")`:
                        # the arguments it gives back are the value, as the literal itself would be
                        returned, certain = _handed_back(function, values, node)
                        # One of several returns (`if task == "embed": return embedding_model`
                        # then `return chat_model`): which one a call gets is decided at run
                        # time, so each is judged for its dates, not the call's endpoint (found
                        # by review)
                        handed = target if certain else target.picked_at_run_time()
                        for name, argument in call_arguments(node, function):
                            if name in returned:
                                self.add_strings(argument, context, handed, scope, depth + 1)
            elif isinstance(node, cst.List) and depth == 0 and context == "keyword" and not _builds_a_dict(target):
                # `eval_set(model=["openai/gpt-4o", ...])`: each is a model. Only a list written
                # there: a list or tuple reached through a name is as often a table of rows
                # (`("azure/gpt-4.1", flag, "GPT 4.1")`) or of models supported.
                for element in node.elements:
                    if isinstance(element, cst.Element):
                        self.add_strings(element.value, context, target, scope, depth + 1)
            elif isinstance(node, cst.FormattedString) and any(isinstance(p, cst.FormattedStringExpression) for p in node.parts):
                self._prefixed_value(node, context, target, scope, depth)
            else:
                self._emit(node, context, target)

    def _prefixed_value(self, node: cst.FormattedString, context: str, target: Target, scope: Scope, depth: int) -> None:
        """`f"openai/{model}"`, `provider=f"openai:{model}"` (tyxter-blackbox, found on untuned
        code): a provider prefix and one value, the value is the model. Where the prefix alone
        would name the surface, only its dates are judged: the value may be written for another."""
        found = prefixed_fstring(node, self._index.prefixes)
        if found is None or found[0].deployment:
            return
        prefixed = _prefixed(target, found[0])
        if not prefixed.elsewhere:
            self.add_strings(found[1], context, prefixed if prefixed is target else prefixed.picked_at_run_time(), scope, depth + 1)

    def _mapped(self, call: cst.Call, context: str, target: Target, scope: Scope, depth: int) -> bool:
        """`ALIASES.get(model, model)` into a call that says where (fylle's `_CLAUDE_TO_OPENAI`,
        found on untuned code): any value of the dict may be the one sent, as with
        `ALIASES[model]`, each judged for its dates; so is the fallback. Whether the call is such a
        lookup of a dict (a display, or a name bound once to one)."""
        chain = attribute_chain(call.func)
        positional = [a.value for a in call.args if a.keyword is None and a.star == ""]
        if chain[-1:] != ("get",) or len(chain) < 2 or len(positional) != len(call.args) or len(positional) not in (1, 2):
            return False
        if string_value(positional[0]) is not None or not isinstance(call.func, cst.Attribute):
            return False
        found = any_entry(call.func.value, scope, depth + 1)
        if not found:
            return False
        among = target.picked_at_run_time()
        for value, where in found:
            self.add_strings(value, context, among, where, depth + 1)
        if len(positional) == 2:
            self.add_strings(positional[1], context, among, scope, depth + 1)
        return True

    def _subscript(
        self, node: cst.Subscript, context: str, target: Target, scope: Scope, depth: int, at: tuple[Place, cst.CSTNode] | None = None
    ) -> None:
        """`MODELS[0]`, `MODELS[-1]` of a list or tuple, `MODELS["chat"]` of a dict."""
        index = subscript_index(node)
        if index is None:
            return
        key = string_value(index)
        if key is not None:
            self._work.append(DictPath(node.value, (key[0],), scope, target, depth + 1, at))
            return
        number = integer(index)
        if number is not None:
            found = elements(node.value, scope, depth + 1, number)
        elif target.surface is not None:
            # `create(model=MODELS[choice])`, `BY_TIER[tier]`: any of them may be the one sent (to
            # a call that says where: a name alone, `load(model_name=OPTIONS[i])`, says too little)
            found = any_entry(node.value, scope, depth + 1)
        else:
            found = []
        # (one picked at run time is not known to go to this call rather than another: its dates
        # are judged, not the endpoint, `MODELS[kind]` given to chat and to embeddings by `kind`)
        chosen = target if number is not None else target.picked_at_run_time()
        for element, where in found:
            self.add_strings(element, context, chosen, where, depth + 1)

    def _emit(self, node: cst.CSTNode, context: str, target: Target) -> None:
        read = string_value(node)
        if read is None:
            return
        if target.elsewhere:
            if not target.among:  # (one of several picked at run time says nothing of the others' ends)
                self._sink.elsewhere_nodes.add(id(node))
            return
        value, rewritable, why = read
        span = None
        by_prefix = False
        prefix = next((p for p in self._index.prefixes if value.startswith(p.text) and len(value) > len(p.text)), None)
        if prefix is not None:
            if prefix.deployment:
                return  # an Azure deployment name: spelled any way, on Azure's own schedule
            if rewritable and isinstance(node, cst.SimpleString):
                span = body_span(node, len(prefix.text), len(value))
                rewritable, why = (True, None) if span else (False, "escape sequences")
            prefixed = _prefixed(target, prefix)
            if prefixed.elsewhere:
                self._sink.elsewhere_nodes.add(id(node))
                return
            by_prefix = prefixed is not target and prefixed.surface is not None  # the prefix, not a wrapper, said it
            value, target = value[len(prefix.text) :], prefixed
        use = ModelUse(
            value, node, context, target.surface, target.call, target.call_node, rewritable, why,
            target.alternatives, span, target.call_site, target.origin, target.silenced, by_prefix,
        )
        self._sink.add_use(use, target)

    # --- resolution ------------------------------------------------------------------------
    def resolve(self) -> None:
        """Work through the queue; called again (flow.py), it goes on where it stopped."""
        handlers = {Value: self._value, DictPath: self._dict_path, Http: self._http, UrlString: self._url_string, EnvRead: self._env_read}
        while self._done < len(self._work):
            item = self._work[self._done]
            self._done += 1
            if item.depth <= MAX_DEPTH:
                handlers[type(item)](item)  # type: ignore[operator]

    def _value(self, item: Value) -> None:
        if any("deployment" in part.casefold() for part in item.chain):
            return  # `model=self.azure_deployment`: an Azure deployment name, spelled any way
        resolved = resolve_chain(item.chain, item.scope)
        if isinstance(resolved, ImportedUse):
            candidates = resolved.imported.candidates(resolved.rest)
            if candidates:
                self._sink.exports.append(Export(candidates, item.target, node=item.node))
            return
        # A parameter used as a model: where it goes (a copy into a local of the function is not
        # a use of its own: flow.py follows the local).
        local_copy = item.context == "assignment" and item.target.surface is None and item.target.via is None
        if resolved is None:
            pair = parameter_fallback(item.chain[0], item.scope) if len(item.chain) == 1 else None
            if pair is not None:  # `model = model or DEFAULT_MODEL`: the parameter, else the fallback
                self._parameter_or_fallback(item, *pair, local_copy=local_copy)
                return
            found = self._reaching(item)
            if found is None:
                return
            bindings, sure = found
            if not sure:
                # (`resolved = model or "gpt-4o-mini"`, then `if "x-preview" in resolved: resolved
                # = ...`): which one the use gets is decided at run time, so each is judged for
                # its dates, not the call's endpoint, as a value picked from a list is
                among = item.target.picked_at_run_time()
                for binding in bindings:
                    if isinstance(binding.value, Unpacked):
                        self._unpacked(binding.value, among, binding.scope, item.depth + 1)
                    elif isinstance(binding.value, Element):
                        for node, scope in element_parts(binding.value, binding.scope, item.depth + 1):
                            self.add_strings(node, "name", among, scope, item.depth + 1)
                    elif isinstance(binding.value, cst.CSTNode) and binding.param is None:
                        self.add_strings(binding.value, "name", among, binding.scope, item.depth + 1)
                return
            resolved = bindings[0]
        if resolved.param is not None and len(item.chain) == 1 and not local_copy:
            self._param_sink(resolved.param, item)
        if isinstance(resolved.value, Element):
            # (a lookup by a key known at run time: one of the table's lists is looped over)
            looped = item.target.picked_at_run_time() if run_time_lookup(resolved.value) else item.target
            for node, scope in element_parts(resolved.value, resolved.scope, item.depth + 1):
                self.add_strings(node, "name", looped, scope, item.depth + 1)
        elif isinstance(resolved.value, Unpacked):
            self._unpacked(resolved.value, item.target, resolved.scope, item.depth + 1)
        elif isinstance(resolved.value, cst.CSTNode):
            self.add_strings(resolved.value, "name", item.target, resolved.scope, item.depth + 1)

    def _elsewhere(self, url: str) -> bool:
        return other_host(url, self._index.hosts)

    def _env_read(self, item: EnvRead) -> None:
        """What the file writes to the variable (jupyterdebug's `os.environ["JUPYTERDEBUG_MODEL"] =
        model_map.get(choice, "gpt4o-mini")` in one function, read by `create(model=...)` in
        another, found on untuned code): for the call's endpoint when written once, else each
        for its dates (which write the read gets is decided at run time)."""
        writes = self._env_writes.get(item.key, [])
        handed = item.target if len(writes) == 1 else item.target.picked_at_run_time()
        if (item.key, item.context, handed) in self._env_reads:
            return  # (`os.environ["M"] = os.environ["M"] or "gpt-4o"`, three times: found by review)
        self._env_reads.add((item.key, item.context, handed))
        for value, scope in writes:
            self.add_strings(value, item.context, handed, scope, item.depth)

    def _unpacked(self, value: Unpacked, target: Target, scope: Scope, depth: int) -> None:
        """A name unpacked from a call of a plain function of the file (`model, key, base =
        detect_from_env()`): its part of each tuple the function returns. For the call's
        endpoint when one return alone gives something there (the others give None: `return
        None, None, None`), else each for its dates only."""
        looked_up = value.value if isinstance(value.value, cst.Subscript) else None
        index = subscript_index(looked_up) if looked_up is not None else None
        if looked_up is not None and index is not None:
            if string_value(index) is None:
                # `key_env, default_model, _ = PROVIDERS[args.provider]` (a11y-fixer): OpenAI's
                # row, if the table has one, or a row whose cell names OpenAI (`provider, model =
                # SHORTCUTS[name]`, mywork-ai); which row is picked is decided at run time
                table = looked_up.value
                rows = {id(row): (row, where) for row, where in (*openai_rows(table, scope, depth + 1), *rows_naming_openai(table, scope, depth + 1, self._elsewhere))}
                for row, where in rows.values():
                    cells = row.elements if isinstance(row, (cst.Tuple, cst.List)) else ()
                    if len(cells) > value.index and not any(isinstance(e, cst.StarredElement) for e in cells):
                        self.add_strings(cells[value.index].value, "name", target.picked_at_run_time(), where, depth + 1)
            return
        function = plain_function(value.value, scope) if isinstance(value.value, cst.Call) else None
        if function is None:
            return
        parts: list[cst.BaseExpression | None] = []
        for returned in function.returns():
            shown = returned.elements if isinstance(returned, (cst.Tuple, cst.List)) else None
            if shown is None or any(isinstance(e, cst.StarredElement) for e in shown) or len(shown) <= value.index:
                parts.append(None)  # `return cached`: what its part is, is not known
            else:
                parts.append(shown[value.index].value)
        given = [part for part in parts if part is not None and not is_none(part)]
        handed = target if len(given) == 1 and None not in parts else target.picked_at_run_time()
        # A parameter in a part is this call's argument (or the parameter's default), not a
        # parameter every call shares (`def pair(m, k): return m, k`; found by review)
        arguments = dict(call_arguments(value.value, function))  # type: ignore[arg-type]
        defaults = {p.name.value: p.default for p in all_params(function.node.params)}
        for part in given:
            for node in candidate_nodes(part):
                if not (isinstance(node, cst.Name) and node.value in defaults):
                    self.add_strings(node, "name", handed, function.scope, depth + 1)
                elif len(function.scope.bindings.get(node.value, ())) == 1:  # (not bound again in the body)
                    if node.value in arguments:
                        self.add_strings(arguments[node.value], "name", handed, scope, depth + 1)
                    elif (default := defaults[node.value]) is not None:
                        self.add_strings(default, "name", handed, function.scope, depth + 1)

    def _reaching(self, item: Value) -> tuple[list[Binding], bool] | None:
        """A local bound more than once: the bindings that may reach this use, and whether the
        first surely does (`bindings.reaching`), the use being in the statement the walk was at."""
        if item.at is None or item.node is None:
            return None
        place, statement = item.at
        wanted = id(item.node)
        if not any(node == wanted for node in subtree_ids(statement)):
            return None
        return reaching(item.chain[0], item.scope, place)

    def _surely_reaching(self, name: cst.Name, item: DictPath) -> Binding | None:
        """For `name["key"]` with the name bound more than once: the binding that surely reaches
        it (`bindings.reaching`), when the walk met it in a statement."""
        if item.at is None or not any(node == id(name) for node in subtree_ids(item.at[1])):
            return None
        found = reaching(name.value, item.scope, item.at[0])
        return found[0][0] if found is not None and found[1] else None

    def _param_sink(self, function: FunctionRef, item: Value) -> None:
        """Record that a parameter of `function` (the name `item` reads) is used as a model there."""
        self._param_sinks.setdefault((id(function.node), item.chain[0]), []).append((item.node, item.context, item.target))

    def _parameter_or_fallback(self, item: Value, parameter: Binding, fallback: Binding, *, local_copy: bool) -> None:
        """A use of a parameter given a fallback in its function: where the parameter goes (as for
        one bound once), and its default and the fallback go there too."""
        if parameter.param is not None and not local_copy:
            self._param_sink(parameter.param, item)
        if isinstance(parameter.value, cst.CSTNode):
            self.add_strings(parameter.value, "name", item.target, parameter.scope, item.depth + 1)
        for node in candidate_nodes(fallback.value) if isinstance(fallback.value, cst.CSTNode) else ():
            if not (isinstance(node, cst.Name) and node.value == item.chain[0]):
                self.add_strings(node, "name", item.target, fallback.scope, item.depth + 1)

    def _dict_path(self, item: DictPath) -> None:
        if isinstance(item.expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(item.expr):
            resolved = resolve_chain(attribute_chain(item.expr), item.scope)
            if isinstance(resolved, Binding) and resolved.param is not None and isinstance(item.expr, cst.Name):
                # `def _post(body): requests.post(URL, json=body)`: what a call of the file gives
                # it goes there (flow.py hands it on; Vapi's request body, jacky-cli, corp55)
                self._dict_sink(resolved.param, item.expr.value, item.keys, item.target)
            if isinstance(resolved, ImportedUse):  # `**REQUEST` from another module
                candidates = resolved.imported.candidates(resolved.rest)
                if candidates:
                    self._sink.exports.append(Export(candidates, item.target, item.keys, item.expr))
                return
            if isinstance(resolved, Binding) and resolved.param is None and isinstance(resolved.value, cst.Subscript):
                self._picked_record(resolved.value, item, resolved.scope)  # `row = MODELS[key]` ... `row["id"]`
                # (and a key set on the name, `params["model"] = ...`, below: found by review)
            if resolved is None and isinstance(item.expr, cst.Name):
                resolved = self._surely_reaching(item.expr, item)  # (`combo` bound by two loops)
            if isinstance(resolved, Binding) and resolved.param is None and isinstance(resolved.value, Element):
                # `for combo in COMBOS: create(model=combo["model"])`: that key of each row looped
                # over (jacky-cli, corp55), as the row itself would be
                looped = item.target.picked_at_run_time() if run_time_lookup(resolved.value) else item.target
                for row, where in element_parts(resolved.value, resolved.scope, item.depth + 1):
                    self._work.append(DictPath(row, item.keys, where, looped, item.depth + 1))
                return
        if isinstance(item.expr, cst.Subscript):
            self._picked_record(item.expr, item, item.scope)
            return
        for value, scope in entries(item.expr, item.keys[0], item.scope, item.depth):
            if len(item.keys) == 1:
                self.add_strings(value, "dict", item.target, scope, item.depth + 1)
            else:
                self._work.append(DictPath(value, item.keys[1:], scope, item.target, item.depth + 1))

    def _picked_record(self, node: cst.Subscript, item: DictPath, scope: Scope) -> None:
        """A key of a table's row: `MODELS["fast"]["id"]` is the path ("fast", "id") of the
        table, `ROWS[-1]["id"]` the key of that row; `MODELS[key]["api_model_id"]` given to a call that says where (t2s-cli, corp51):
        any row's value may be the one sent, so each is judged for its dates, not the endpoint
        (as `MODELS[choice]` is)."""
        index = subscript_index(node)
        if index is None:
            return
        key = string_value(index)
        if key is not None:
            self._work.append(DictPath(node.value, (key[0], *item.keys), scope, item.target, item.depth + 1))
            return
        number = integer(index)
        if number is not None:  # `ROWS[-1]["id"]`: that row of a list or tuple
            for row, where in elements(node.value, scope, item.depth + 1, number):
                self._work.append(DictPath(row, item.keys, where, item.target, item.depth + 1))
            return
        if item.target.surface is None:
            return
        for row, where in records(node.value, scope, item.depth + 1):
            self._work.append(DictPath(row, item.keys, where, item.target.picked_at_run_time(), item.depth + 1))

    def _http(self, item: Http) -> None:
        url = static_string(item.url, item.scope, item.depth)
        surface = self._index.url_surface(url) if url is not None else None
        if surface is None:
            if item.body is not None and self._foreign(item.url, url, item.scope, item.depth):
                self._work.append(DictPath(item.body, ("model",), item.scope, Target(elsewhere=True), item.depth + 1))
                if isinstance(item.body, cst.Dict):  # written here: all of it is that host's (`{"agent": {"model": ...}}`)
                    self._sink.elsewhere_nodes.update(subtree_ids(item.body))
                self._foreign_body(item.body, item.scope, item.depth + 1)
            return
        self._sink.calls.append(ApiCall(item.label, surface, item.node.func, certain=True))
        if item.body is not None:
            path = url_path(split_query(url)[0], self._index.hosts)  # type: ignore[arg-type]
            target = Target(surface, call=f"{item.label} {path}", call_node=item.node)
            if _parameter(item.body, item.scope) and any(_parameter(n, item.scope) for n in subtree(item.url) if isinstance(n, cst.Name)):
                # `def call(payload, endpoint="chat/completions"): post(f"{BASE}/{endpoint}",
                # json=payload)`: a caller may pass another path, so what it passes is judged
                # for its dates, not that endpoint (found by review)
                target = target.picked_at_run_time()
            self._work.append(DictPath(item.body, ("model",), item.scope, target, item.depth + 1))

    def _foreign_body(self, expr: cst.CSTNode, scope: Scope, depth: int) -> None:
        """A request body to another host: the models its nested dicts hold, through names bound
        once (`body = {"agent": {"model": model}}`, `model = os.environ.get("M", "gpt-4.1")`),
        are that host's too (the top-level "model" is `_http`'s)."""
        if depth > MAX_DEPTH:
            return
        if isinstance(expr, cst.Name):
            resolved = resolve_chain((expr.value,), scope)
            if isinstance(resolved, Binding) and resolved.param is not None:
                self._dict_sink(resolved.param, expr.value, (), Target(elsewhere=True))  # `_post(body)`: what calls give it
            if isinstance(resolved, Binding) and isinstance(resolved.value, cst.Dict):
                self._foreign_body(resolved.value, resolved.scope, depth + 1)
            return
        if not isinstance(expr, cst.Dict):
            return
        for element in expr.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
            if key is not None and is_model_name(key[0], self._index.model_names):
                self.add_strings(element.value, "dict", Target(elsewhere=True), scope, depth + 1)
            if isinstance(element.value, (cst.Dict, cst.Name)):  # (Vapi's `"model": {"provider": ..., "model": ...}`)
                self._foreign_body(element.value, scope, depth + 1)

    def _foreign(self, expr: cst.CSTNode, url: str | None, scope: Scope, depth: int) -> bool:
        """A request to an Azure deployment (`f"{endpoint}/openai/deployments/{name}/..."`) or to
        a URL on another host: its model is not OpenAI's to judge."""
        def elsewhere(text: str) -> bool:
            return "://" in text and url_path(split_query(text)[0], self._index.hosts) is None

        if url is not None:
            return elsewhere(url)
        parts = list(pieces(expr, scope, depth + 1))
        texts = [p.text for p in parts if p.text is not None]
        if any("/deployments/" in t or ".azure." in t for t in texts):
            return True
        if parts and parts[0].text is not None and lead_on_other_host(parts[0].text, self._index.hosts):
            return True  # `f"{VAPI_API_BASE}{path}"`: whatever the path, that host's (jacky-cli, corp55)
        # `A if key.startswith("sk-or-") else B`, `f"{base_url}/v1/..."` after `base_url = base_url
        # or DEFAULT`: every URL it may be is on another host
        urls = possible_strings(expr, scope, depth + 1) or []
        return bool(urls) and all(elsewhere(u) for u in urls)

    def _url_string(self, item: UrlString) -> None:
        found = list(pieces(item.node, item.scope, item.depth))
        text, starts = "", []
        for number, piece in enumerate(found):
            starts.append(len(text))
            text += piece.text if piece.text is not None else f"\x00{number}\x00"
        base = split_query(text)[0]
        span = model_query(text[len(base) :])
        if "\x00" in base or span is None:
            return
        surface = self._index.url_surface(base)
        if surface is None:
            return
        start, end = span[0] + len(base), span[1] + len(base)
        target = Target(surface, call=base, call_node=item.node)
        placeholder = _PLACEHOLDER.fullmatch(text[start:end])
        if placeholder is not None:
            found, starts = [found[int(placeholder[1])]], [start]  # the model is one `{expression}`
        for piece, offset in zip(found, starts):
            length = len(piece.text) if piece.text is not None else end - start
            if not offset <= start < end <= offset + length:
                continue
            if piece.expr is not None and (start, end) == (offset, offset + length):
                self.add_strings(piece.expr, "url", target, item.scope, item.depth + 1)  # `?model={MODEL}`
            elif piece.literal is not None:
                raw = piece.raw_offset
                span_in_node = (raw + start - offset, raw + end - offset) if raw is not None else None
                why = None if span_in_node else "escape sequences"
                use = ModelUse(
                    text[start:end], piece.literal, "url", surface, base, item.node, span_in_node is not None,
                    why, (), span_in_node,
                )
                self._sink.add_use(use, target)


def _prefixed(target: Target, prefix: Prefix) -> Target:
    """A provider prefix: a wrapper that knows it keeps its surface; the prefix may name one; an
    SDK call or a URL never takes a prefixed string (no model ID the SDK lists holds a "/"): one
    given "openai/gpt-4o-mini" is on a gateway's base URL, another host."""
    if target.wrapper and target.surface is not None:
        return target
    if prefix.surfaces:
        call, node = (target.call, target.call_node) if target.wrapper else (f'the "{prefix.text}" prefix', None)
        return Target(prefix.surfaces[0], prefix.surfaces[1:], call, node, wrapper=True, via=target.via, by_prefix=not target.wrapper)
    return Target(via=target.via, elsewhere=target.surface is not None)


def _builds_a_dict(target: Target) -> bool:
    """`dict(model=[...], accuracy=[...])`: a table's columns, not a call given models."""
    return isinstance(target.via, cst.Call) and attribute_chain(target.via.func) == ("dict",)


def _config_parser(call: cst.Call, scope: Scope) -> bool:
    """`config.get("section", "option")` on a `configparser.ConfigParser()`: the second argument
    names an option, it is no fallback."""
    receiver = attribute_chain(call.func)[:-1]
    if not receiver or "" in receiver:
        return False
    found = resolve_chain(receiver, scope)
    value = getattr(found, "value", None)
    return isinstance(value, cst.Call) and attribute_chain(value.func)[-1].endswith("ConfigParser")


def _handed_back(function: FunctionRef, values: Sequence[cst.BaseExpression], call: cst.Call) -> tuple[frozenset[str], bool]:
    """The parameters a call of `function` may get back as its value (`given_back`; not `*args`
    or `**kwargs`, which no argument is matched to here, nor one that is None at this call: given
    None, or left at a None default), and whether the value is then surely the one argument: a
    single such parameter, and every other return gives None (`if not model: return None` then
    `return model`; `pick(None, "gpt-4o")` on `return model` ... `return fallback_model`)."""
    params = function.node.params
    plain = [*params.posonly_params, *params.params, *params.kwonly_params]
    given = dict(call_arguments(call, function))
    none_here: set[str] = set()
    if not any(a.star for a in call.args):  # (`f(*args)`: which parameter gets what is not known)
        for param in plain:
            value = given.get(param.name.value, param.default)
            # (not one the body binds again: `if embedding_model is None: embedding_model = ...`)
            rebound = len(function.scope.bindings.get(param.name.value, ())) > 1
            if value is not None and is_none(value) and not rebound:
                none_here.add(param.name.value)
    returned = (given_back(function, values) & {p.name.value for p in plain}) - none_here
    certain = len(returned) == 1
    for value in values:
        names = {n.value for n in passed_names(value)}
        if is_none(value) or (names and names <= none_here):
            continue  # None at this call
        if not names or not names <= returned:
            certain = False  # another value may come back: a local, a constant, a lookup
    return frozenset(returned), certain


def _names_a_parameter(value: cst.CSTNode, function: FunctionRef) -> bool:
    """Whether `value` reads a parameter of `function`."""
    names = {p.name.value for p in all_params(function.node.params)}
    return any(isinstance(node, cst.Name) and node.value in names for node in subtree(value))


def _parameter(node: cst.CSTNode, scope: Scope) -> bool:
    """A name bound to a parameter of the function it is read in."""
    if not isinstance(node, cst.Name):
        return False
    resolved = resolve_chain((node.value,), scope)
    return isinstance(resolved, Binding) and resolved.param is not None


_REPLACING_METHODS = frozenset({"update", "clear", "popitem"})  # (any key; `update` as `_may_update` reads it)
_KEYED_METHODS = frozenset({"pop", "__setitem__", "__delitem__"})  # (the key given first)


def _may_replace(function: cst.FunctionDef, name: str, key: str) -> bool:
    """Whether a function may store into, delete or drop the `key` entry of a dict it names
    `name` (`body["model"] = ...`, `body[k] = ...`, `body.update(...)`, `body |= ...`,
    `body.pop("model")`); not `body["stream"] = True`, which leaves the model (found by review)."""
    def names_key(index: cst.BaseExpression | None) -> bool:
        found = string_value(index) if index is not None else None
        return found is None or found[0] == key  # (a key not written as a literal may be it)

    for node in subtree(function.body):
        if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.Del)):
            target = node.target
            if (
                isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and target.value.value == name
                and names_key(subscript_index(target))
            ):
                return True
            if isinstance(node, cst.AugAssign) and isinstance(target, cst.Name) and target.value == name:
                return True  # `body |= {...}`
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and (
            isinstance(node.func.value, cst.Name) and node.func.value.value == name
        ):
            method = node.func.attr.value
            if method == "update" and not _may_update(node, key):
                continue  # `body.update(stream=True)`, `body.update({"stream": True})`
            if method in _REPLACING_METHODS or (method in _KEYED_METHODS and names_key(node.args[0].value if node.args else None)):
                return True
    return False


def _may_update(call: cst.Call, key: str) -> bool:
    """Whether `d.update(...)` may set `key`: not when it is given only other keywords, or one
    dict display of other literal keys."""
    for arg in call.args:
        if arg.star:
            return True
        if arg.keyword is not None:
            if arg.keyword.value == key:
                return True
            continue
        if not isinstance(arg.value, cst.Dict):
            return True
        for element in arg.value.elements:
            found = string_value(element.key) if isinstance(element, cst.DictElement) else None
            if found is None or found[0] == key:
                return True
    return False
