"""The walk's one visitor: where a value is a model (a context), and which call it goes to.

LibCST walks a tree with one visitor object, and one walk per file is what we pay for, so
`Visitor` is the only one. It recognizes the model contexts itself (the `model=` keyword and
the keywords and names that hold a model, assignments, dict keys, parameter defaults,
command-line options, environment defaults; the SDK call a chain names) and hands everything
else to the parts it is given, with the scope the walk is in: `Binder` binds names, `Resolver`
takes model expressions and work items, `Flow` the calls and defaults the data-flow step reads,
`Clients` the calls a model is handed to, `Reach` the doors that are not the SDK; `Sink` gets
the API calls, parameters and the module's flags.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import libcst as cst

from routelint.binder import Binder, parametrize_cases, parametrize_column
from routelint.bindings import (
    AFTER_TRY,
    BRANCH,
    LOOP,
    MAX_DEPTH,
    MOCK_CLASSES,
    OPTION_DECLARATIONS,
    Binding,
    ClassRef,
    FunctionRef,
    Imported,
    Scope,
    all_params,
    attribute_chain,
    attribute_root,
    candidate_nodes,
    environment_key,
    field_default,
    getenv_default,
    lookup_bindings,
    resolve_chain,
)
from routelint.clients import Clients, azure_name
from routelint.deferred import DictPath, Resolver
from routelint.facts import ApiCall, ParamUse, Sink, Target, dict_string, string_value
from routelint.flow import Flow, mock_instance, stand_in_parameter
from routelint.inspection import inspected_constructions
from routelint.names import (
    API_STYLE_WORDS,
    endpoint_name,
    host_named,
    is_model_keyword,
    is_model_name,
    local_name,
    mock_name,
    model_label,
    name_words,
    opens_a_span,
    other_host_class,
    other_host_name,
    other_provider,
    price_name,
    record_class_name,
    stands_in,
    tracing_name,
)
from routelint.reach import Reach
from routelint.syntax_index import SyntaxIndex
from routelint.urls import api_base_on_other_host, api_url_name, on_hosts, other_host, server_option_name
from routelint.values import elements, openai_key, possible_strings, prefixed_fstring, static_string
from routelint.walk import child_nodes, subtree_ids

_STRINGS = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)
# Schema and API documentation, not requests: keywords (`Field(examples=...)`, FastAPI's
# `responses=` and `openapi_extra=`), dict keys (`{"example": {...}}`) and names (`schema_extra`).
_DOC_KEYWORDS = frozenset({
    "example", "examples", "json_schema_extra", "schema_extra", "openapi_extra", "openapi_examples", "responses",
})
# Keywords whose dicts record what happened (traces, logs, stored rows), not requests to make.
_RECORD_KEYWORDS = frozenset({"data", "metadata", "attributes", "request_json", "response_json", "record", "records"})
# Keys of a dict display shaped like an API response (`{"object": "chat.completion.chunk",
# "choices": [...]}`, as tests build them): it records the model that answered, not a request.
_RESPONSE_KEYS = frozenset({"object", "choices"})
# absl's flags, `flags.DEFINE_string(name, default, help)` (absl-py 2.5.1 flags/_defines.py:434,
# DEFINE_enum(name, default, enum_values, help) :760): the name and the default by position.
_ABSL_FLAGS = frozenset({"DEFINE_string", "DEFINE_enum"})
# Interactive prompts and input widgets, by (module, function): where the label is (its position,
# else the keywords of `_LABEL_KEYWORDS`), and the keyword and position of each value it starts
# with or options it offers (None: keyword only). click 8.1.8 termui.py:79 `prompt(text,
# default=None, ...)` (typer re-exports it); streamlit 1.67.0 elements/widgets/text_widgets.py:263
# `text_input(label, value="", ...)`, selectbox.py:202 `selectbox(label, options, ...)`, radio.py:166
# `radio(label, options, ...)`; questionary 2.1.1 prompts/text.py:19 `text(message, default="")`,
# select.py:26 `select(message, choices, default=None)` (rawselect.py:16, autocomplete.py:102 alike);
# rich 15.0.0 prompt.py:80 `Prompt.ask(prompt="", *, choices=None, ..., default=...)`; inquirer 3.4.1
# questions.py:119 `Text(name, message="", default=None)`, :148 `List(name, message="", choices=None,
# hints=None, default=None)`; ipywidgets 8.1.9 widgets/widget_selection.py:170-175 (Dropdown,
# Select, RadioButtons, ToggleButtons: `options=`, `value=` by keyword), widget_string.py:64
# (`Text(value=None)`), :165-171 (Combobox `options=`), widget_description.py:26 (`description=`, the label).
_INPUTS: dict[tuple[str, str], tuple[int | None, tuple[tuple[str, int | None], ...]]] = {
    ("click", "prompt"): (0, (("default", 1),)),
    ("typer", "prompt"): (0, (("default", 1),)),
    ("streamlit", "text_input"): (0, (("value", 1),)),
    ("streamlit", "selectbox"): (0, (("options", 1),)),
    ("streamlit", "radio"): (0, (("options", 1),)),
    ("questionary", "text"): (0, (("default", 1),)),
    ("questionary", "select"): (0, (("choices", 1), ("default", 2))),
    ("questionary", "rawselect"): (0, (("choices", 1), ("default", 2))),
    ("questionary", "autocomplete"): (0, (("choices", 1), ("default", 2))),
    ("rich", "ask"): (0, (("choices", None), ("default", None))),
    ("inquirer", "Text"): (1, (("default", 2),)),
    ("inquirer", "List"): (1, (("choices", 2), ("default", 4))),
    **{("ipywidgets", name): (None, (("options", None), ("value", None))) for name in ("Dropdown", "Select", "RadioButtons", "ToggleButtons")},
    ("ipywidgets", "Text"): (None, (("value", 0),)),
    ("ipywidgets", "Combobox"): (None, (("options", None), ("value", 0))),
}
# A question as a dict, as questionary 2.1.1 prompt.py:25 `prompt(questions)` takes it (and
# PyInquirer, and commitizen's `questions()`): its "name" and "message" (the label) say it is one,
# its "default" and "choices" (:191, :204) are what it starts with and offers.
_QUESTION_KEYS = ("name", "message")
_QUESTION_VALUES = ("default", "choices")
# openai-agents 0.24.0 run_config.py:369 (`model_provider`, by default a MultiProvider),
# run_internal/turn_preparation.py:139-143 (a string model is the provider's `get_model(name)`),
# run.py (Runner.run, run_sync, run_streamed), models/openai_provider.py, models/multi_provider.py.
_AGENTS_PACKAGE = "agents"
_RUNNER_METHODS = frozenset({"run", "run_sync", "run_streamed"})
_SDK_PROVIDERS = frozenset({"OpenAIProvider", "MultiProvider"})
_LABEL_KEYWORDS = frozenset({"text", "label", "message", "prompt", "description"})
_EMPTY_MODULE = cst.Module(body=[])
# The words of a plain model option (`--model`, `--model-name`, `--llm-model`): one a server
# declared beside it serves.
_PLAIN_MODEL_WORDS = frozenset({"model", "name", "id", "llm"})
# A web route's decorator (`@router.get("/x")`, `@app.post`, Flask's `@app.route`): the handler's
# parameters are what a caller of the route sends in (a query or a form field), so a default of
# one is judged only where it is seen to reach a request.
_ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})


# Why a class the walk is in is quiet (`Visitor._quiet_classes`): named for another host only
# (`AnthropicAPI`: a call there on an object named for OpenAI still goes to OpenAI), or named for
# tokens, prices, Azure or a stand-in.
HOST_ONLY, QUIET = "host", "quiet"



class Visitor(cst.CSTVisitor):
    """Model contexts here, everything else delegated (see the module's docstring)."""

    def __init__(
        self, index: SyntaxIndex, binder: Binder, sink: Sink, resolver: Resolver, flow: Flow, clients: Clients, reach: Reach
    ) -> None:
        super().__init__()
        self._index = index
        self._binder = binder
        self._sink = sink
        self._resolver = resolver
        self._flow = flow
        self._clients = clients
        self._reach = reach
        # dict node -> where its "model" goes, decided by the parent that holds the dict
        self._dict_surface: dict[int, Target] = {}
        self._quiet_dicts: set[int] = set()  # `Field(examples=[{"model": ...}])`: documentation
        self._expected_calls: set[int] = set()  # `x == Config(model=...)`: what a test expects
        self._inspected: dict[int, set[int]] = {}  # per test function: its constructions only looked at
        self._return_counts: dict[int, int] = {}  # per function named for a model: its `return` statements
        # per class the walk is in: named for tokens or prices, for Azure or another host
        # (`OpenRouterConfig`), or for a test's stand-in
        # (why: HOST_ONLY, named for another host and for nothing else of these; QUIET, any other; "", none)
        self._quiet_classes: list[str] = []
        self._away_scopes: list[bool] = []  # per class or function the walk is in: its base URL is another host
        self._openai_scopes: list[bool] = []  # per class, function or assignment the walk is in: named for OpenAI
        self._patched_roots: list[frozenset[str]] = []  # per function: the names its patches replace things in
        self._azure_blocks: set[int] = set()  # bodies of `if backend == "azure":` and the like
        self._blocks: list[bool] = []  # per block the walk is in: one taken only for Azure
        self._block_kinds: dict[int, str] = {}  # bodies of loops and branches of `if` chains (bindings.reaching)
        # Command-line options declared together (one parser, one command's decorators): the
        # model defaults and choices of each, handed over after the walk (`finish`), when it is
        # known whether the group also declares a server on another host (`--url http://localhost:4000`).
        self._option_models: dict[tuple[int, tuple[str, ...]] | None, list[tuple[cst.CSTNode, Target, Scope]]] = {}
        # the classes a web route's handler takes as its request body (`def speech(tts: TextToSpeech)`), with the scope
        self._route_bodies: list[tuple[str, Scope]] = []
        self._away_options: set[tuple[int, tuple[str, ...]]] = set()
        self._decorated: dict[int, int] = {}  # a decorator's call -> the function it decorates

    def _is_model_name(self, name: str) -> bool:
        return is_model_name(name, self._index.model_names)

    def _is_model_keyword(self, name: str) -> bool:
        """`model=`, or a keyword (or dict key) that names one: `model_id=`, `judge_model=`."""
        return name == "model" or is_model_keyword(name, self._index.code.model_keyword_suffixes, self._index.model_names)

    def _add_strings(self, expr: cst.CSTNode, context: str, target: Target, scope: Scope | None = None) -> None:
        self._resolver.add_strings(expr, context, self._here(target), self._binder.scope if scope is None else scope)

    def _here(self, target: Target) -> Target:
        """The target as the classes, functions and blocks the walk is in leave it."""
        if target.surface is None and (any(self._away_scopes) or self._quiet_scope()):
            named_only = not any(self._away_scopes) and not any(self._blocks) and not any(
                why == QUIET for why in self._quiet_classes
            )  # (quiet only for a class's name for another host: no base URL, Azure, tokens or stand-in)
            if named_only and self._openai_receiver(target):
                # `self._openai_fallback.hit_api(model="gpt-4o")` in a class named for another
                # host (zyk's AnthropicAPI, corp52): a call on an object named for OpenAI goes
                # there (not in a class or branch for Azure, tokens or a stand-in)
                return replace(target, openai_named=True)
            # another host's model name (`_other_host`), an Azure deployment or a tokenizer's
            # model (`_quiet_scope`: `super().__init__(model_name=...)` in a `TiktokenTokenizer`)
            return replace(target, elsewhere=True)
        if any(self._openai_scopes):
            return replace(target, openai_named=True)
        return target

    def _openai_receiver(self, target: Target) -> bool:
        """Whether the call a target's model is handed to is made on an object named for OpenAI
        (`self._openai_fallback.hit_api(...)`, `openai_client.ask(...)`). Not `self.openai_compatible`,
        nor one bound to `OpenAICompatibleClient(url)`: a server that speaks OpenAI's API (found by
        review)."""
        chain = attribute_chain(target.via.func)[:-1] if target.via is not None else ()
        for length in range(len(chain), 0, -1):
            if not _names_openai_itself(chain[length - 1]):
                continue
            bound = resolve_chain(chain[:length], self._binder.scope) if "" not in chain[:length] else None
            value = bound.value if isinstance(bound, Binding) else None
            built_by = attribute_chain(value.func)[-1] if isinstance(value, cst.Call) else ""
            return not (_openai_name(built_by) and not _names_openai_itself(built_by))  # (a neutral factory keeps the name's word)
        return False

    def finish(self) -> None:
        """After the walk of every chunk: the command-line defaults and choices, each group's
        own way (`_option_default`)."""
        for group, found in self._option_models.items():
            for expr, target, scope in found:
                away = group in self._away_options
                self._resolver.add_strings(expr, "parameter", replace(target, elsewhere=True) if away else target, scope)
        self._option_models.clear()
        if not (self._sink.calls or self._flow.imports_sdk or self._sink.imports_openai):
            # (in a file that imports the SDK or makes requests, a body's default may be sent,
            # `create(model=req.model)`, which routelint does not follow: judged as before; found
            # by review. The import as the whole file shows it, so the outline agrees)
            for name, scope in self._route_bodies:
                self._request_body(name, scope)
        self._route_bodies.clear()

    def _served_table(self, value: cst.BaseExpression) -> None:
        """`{"object": "list", "voices": voices}` with `voices = VOICES_CATALOG` (utim-cli's
        gateway, found on untuned code): a table of dicts a response serves is a listing, not
        requests; what of it reaches a request is judged there. A name, followed through names
        bound to it, to a list or tuple display of dicts."""
        names = [value] if isinstance(value, cst.Name) else []
        seen: set[str] = set()
        while names:
            name = names.pop()
            if name.value in seen or len(seen) > 4:
                continue
            seen.add(name.value)
            for binding in lookup_bindings(name.value, self._binder.scope) or ():
                found = binding.value
                if isinstance(found, cst.Name):
                    names.append(found)
                elif isinstance(found, (cst.List, cst.Tuple)) and any(isinstance(e.value, cst.Dict) for e in found.elements):
                    self._flow.quiet_nodes.update(subtree_ids(found))

    def _request_body(self, name: str, scope: Scope) -> None:
        """A class a web route's handler takes (`class TextToSpeech(BaseModel): model: str =
        "tts-1"`, ezlocalai's OpenAI-compatible server, found on untuned code): its model fields'
        defaults are what the route's caller sends in when it says nothing, as a route handler's
        own parameter defaults are; judged only where they are seen to reach a request."""
        found = lookup_bindings(name, scope)
        if not found or len(found) != 1 or not isinstance(found[0].value, ClassRef) or any(
            attribute_chain(base)[-1:] == ("BaseSettings",) for base in found[0].value.scope.bases
        ):  # (pydantic-settings: the app's configuration, not a body)
            return
        for field, bindings in found[0].value.scope.bindings.items():
            if self._is_model_name(field):
                for binding in bindings:
                    if isinstance(binding.value, cst.CSTNode):
                        for node in candidate_nodes(binding.value):
                            # (`Field(default="tts-1", ...)` too: ovos-tts-server, corp54)
                            default = field_default(node) if isinstance(node, cst.Call) else None
                            self._flow.quiet_nodes.update(id(n) for n in (node, *candidate_nodes(default or node)))

    # --- scopes and bindings --------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._binder.statement(node)
        self._binder.enter_class(node)
        name = node.name.value
        host_class = other_host_class(name) and not _openai_name(name)
        quiet = local_name(name) or azure_name(name) or stands_in(name)
        self._quiet_classes.append(QUIET if quiet else HOST_ONLY if host_class else "")
        self._openai_scopes.append(_openai_name(name))
        attributes = [
            (small.targets[0].target if isinstance(small, cst.Assign) else small.target, small.value)
            for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
            for small in line.body if isinstance(small, (cst.Assign, cst.AnnAssign))
        ]
        self._away_scopes.append(self._other_host(((t.value, v) for t, v in attributes if isinstance(t, cst.Name)), node))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._binder.leave()
        self._quiet_classes.pop()
        self._openai_scopes.pop()
        self._away_scopes.pop()

    def _quiet_scope(self) -> bool:
        """In a class named for tokens or prices (`OpenAiTokenizer`, `CostTracker`): its model
        attributes and parameters pick a tokenizer or a price, never a request. In a class named
        for Azure (`AzureRealtimeModel`, `AzureOpenAITools`) or a branch taken only for Azure,
        they name Azure deployments; in a class named for a test's stand-in (`FakeLLM`,
        `MockChatModel`), they are test data. Either way they are not judged by their names (a
        call they reach is judged per client)."""
        return any(self._quiet_classes) or any(self._blocks)

    def visit_If(self, node: cst.If) -> None:
        self._binder.statement(node)
        self._block_kinds[id(node.body)] = BRANCH  # (an `elif` is an `If` in `orelse`: its own body)
        if isinstance(node.orelse, cst.Else):
            self._block_kinds[id(node.orelse.body)] = BRANCH
        if _azure_test(node.test):
            self._azure_blocks.add(id(node.body))  # `elif LLM_BACKEND == "azure": model = "gpt-4"`

    def _enter_block(self, node: cst.BaseSuite) -> None:
        self._blocks.append(id(node) in self._azure_blocks)
        self._binder.enter_block(node, self._block_kinds.get(id(node), ""))

    def _leave_block(self, original_node: cst.BaseSuite) -> None:
        self._blocks.pop()
        self._binder.leave_block()

    visit_IndentedBlock = visit_SimpleStatementSuite = _enter_block
    leave_IndentedBlock = leave_SimpleStatementSuite = _leave_block

    def _statement(self, node: cst.BaseStatement) -> None:
        self._binder.statement(node)

    visit_SimpleStatementLine = visit_Match = _statement

    def visit_Try(self, node: cst.Try | cst.TryStar) -> None:
        self._binder.statement(node)
        later = [handler.body for handler in node.handlers] + [part.body for part in (node.orelse, node.finalbody) if part is not None]
        for body in later:  # (bindings.reaching: they run after the `try` body)
            self._block_kinds[id(body)] = AFTER_TRY

    visit_TryStar = visit_Try

    def visit_While(self, node: cst.While) -> None:
        self._binder.statement(node)
        self._block_kinds[id(node.body)] = LOOP

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._binder.statement(node)
        parent = self._binder.scope
        function = self._binder.enter_function(node)
        self._away_scopes.append(self._other_host(((p.name.value, p.default) for p in all_params(node.params)), node))
        self._openai_scopes.append(_openai_name(node.name.value))
        self._parameter_defaults(node.params, function, parent)
        self._option_parameters(node, function)
        self._decorated.update((id(d.decorator), id(node)) for d in node.decorators)
        self._binder.bind_parameters(node, function)
        self._expected_cases(node)
        self._flow.walked(node, function.scope)
        patches = _patch_calls(node)
        self._patched_roots.append(_patched_roots(patches))
        if patches:
            # A test that patches what it calls (`@patch("app.llm.requests.post")`, `with
            # patch(...)`): the model strings it hands the code under test reach no request; an
            # SDK or wrapper call in it (a use with a surface) is still judged, unless the patch
            # replaces the SDK's client class itself.
            self._flow.quiet_nodes.update(subtree_ids(node))
            if _patches_the_client(patches, self._index.code.sdk.clients):
                self._flow.mocked_nodes.update(subtree_ids(node))

    def _expected_cases(self, node: cst.FunctionDef) -> None:
        """`@pytest.mark.parametrize("args,expected_config", [(..., {"model": ...})])`: the
        values given to a parameter named as expected are expectations, as `expected = {...}` is."""
        for names, values in parametrize_cases(node):
            for number, name in enumerate(names):
                if not stands_in(name):
                    continue
                for value in parametrize_column(names, values, number):
                    self._quiet_dicts.update(id(d) for d in _displays(value))
                    if isinstance(value, cst.Call):
                        self._expected_calls.add(id(value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._binder.leave_function()
        self._away_scopes.pop()
        self._openai_scopes.pop()
        self._patched_roots.pop()

    def _other_host(self, named: Iterable[tuple[str, cst.BaseExpression | None]], owner: cst.CSTNode | None = None) -> bool:
        """Whether a base URL (or `..._endpoint`) among a function's parameter defaults, a
        class's attributes or a dict's items is a literal on another host, or a provider one names
        another provider: `def __init__(self, model=None, base_url="https://openrouter.ai/
        api/v1")` (pipecat's OpenRouter and Inworld services), `class GithubCopilot: base_url =
        "https://api.githubcopilot.com"` (g4f's providers). Such a function or class sends its
        models there: the model strings in it that reach no SDK call are that host's names."""
        keywords = self._index.code.sdk.base_url_keywords
        for name, value in named:
            url_like = name in keywords or endpoint_name(name)
            text = string_value(value) if url_like and value is not None else None
            if text is not None and other_host(text[0], self._index.hosts):
                return True
            provider = _string(value) if value is not None else None
            if (
                provider is not None and owner is not None and other_provider(name, provider)
                and other_host_name(provider) and not _names_openai(owner)
            ):
                # `def chat_completion(self, model="gpt-4", provider="pollinations")`; not one that
                # names OpenAI too (`provider="anthropic"`, then `elif provider == "openai":`)
                return True
        return False

    def _option_parameters(self, node: cst.FunctionDef, function: FunctionRef) -> None:
        """`@click.option("--model", default=...)` on a function: the default is the parameter's,
        so the data-flow step reads where it goes (only to a token counter?)."""
        names = {p.name.value for p in all_params(node.params)}
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or attribute_chain(call.func)[-1] not in OPTION_DECLARATIONS:
                continue
            flags = [string_value(a.value) for a in call.args if a.keyword is None and a.star == ""]
            default = _keyword(call, "default")
            choices = _option_choices(call)
            offered = [e for e, _ in elements(choices, self._binder.scope, 0, keys=False)] if choices is not None else []
            for flag in flags:
                name = flag[0].lstrip("-").replace("-", "_") if flag else ""
                if name in names:
                    for value in [default, *offered] if default is not None else offered:
                        self._flow.default(function, name, value)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._parameter_defaults(node.params)
        self._binder.enter_lambda()

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._binder.leave_lambda()

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            # `case {"model": model}`: bound, to what is not known, placed at the `match`
            self._binder.bind_targets(node.name, plain=True)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self._binder.bind_targets(node.name, plain=True)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self._binder.bind_targets(node.rest, plain=True)

    def _parameter_defaults(
        self, params: cst.Parameters, function: FunctionRef | None = None, where: Scope | None = None
    ) -> None:
        route = function is not None and any(_route_decorator(d.decorator) for d in function.node.decorators)
        if route:
            for param in all_params(params):
                annotation = param.annotation.annotation if param.annotation is not None else None
                if _injected(param.default) or (isinstance(annotation, cst.Subscript) and any(
                    isinstance(e.slice, cst.Index) and _injected(e.slice.value) for e in annotation.slice
                )):
                    continue  # `settings: Annotated[Settings, Depends(get_settings)]`: the app's own (review)
                for named in _annotation_names(annotation):
                    self._route_bodies.append((named, where or self._binder.scope))
        for param in all_params(params):
            if param.default is not None and self._is_model_name(param.name.value):
                if function is not None and (local_name(function.node.name.value) or self._quiet_scope()):
                    continue  # `def count_tokens(text, model="gpt-4")`: a token counter's model
                if route:
                    continue  # `@router.get(...) def metrics(model_group="gpt-4")`: a route's input
                if function is not None and _overload_stub(function.node):
                    continue  # `@overload def client(model: str = "gpt-4o") -> X: ...` never runs
                self._add_strings(param.default, "parameter", Target(), where)
                if function is not None:
                    self._flow.default(function, param.name.value, param.default)

    def _enter_comprehension(self, node: cst.CSTNode) -> None:
        self._binder.enter_comprehension()

    def _leave_comprehension(self, original_node: cst.CSTNode) -> None:
        self._binder.leave()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _enter_comprehension
    leave_ListComp = leave_SetComp = leave_GeneratorExp = leave_DictComp = _leave_comprehension

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._sink.imports_openai |= attribute_chain(alias.name)[0] == self._index.code.sdk.package
        self._binder.bind_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and not node.relative:
            module = ".".join(attribute_chain(node.module))
            self._sink.imports_openai |= module.split(".")[0] == self._index.code.sdk.package
        self._binder.bind_import_from(node)

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, _STRINGS):
            self._reach.quiet(node.value)  # a docstring or a bare string: prose

    def visit_Return(self, node: cst.Return) -> None:
        """`def default_model_engine(cls): return "gpt-4-turbo"`: a getter named for a model
        returns one (manubot-ai-editor's providers, autoevals' `get_default_model`), as a name
        so named holds one. Only a getter's: its one `return`, and the strings written in it
        (with `or` and `if`-`else`: `candidate_nodes`); not a name (`for model in VALID_MODELS:
        ... return model` checks a choice), nor a function of several returns (`get_model(spec)`
        mapping a run's spec to a plot's label)."""
        function = self._binder.function_here()
        if node.value is None or function is None:
            return
        name = function.node.name.value
        if not self._is_model_name(name) or local_name(name):
            return
        key = id(function.node)
        if key not in self._return_counts:
            self._return_counts[key] = _returns(function.node)
        if self._return_counts[key] != 1:
            return
        for literal in candidate_nodes(node.value):
            if isinstance(literal, _STRINGS):
                self._add_strings(literal, "return", Target(), self._binder.scope)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._openai_scopes.append(any(isinstance(t.target, cst.Name) and _openai_name(t.target.value) for t in node.targets))
        for name in _held_names(node.value):
            self._binder.changed(name)  # `options = kw`: changed through the other name
        sdk = self._index.code.sdk
        for target in node.targets:
            self._assigned(target.target, node.value)
            chain = attribute_chain(target.target)
            if chain[-2:] == (sdk.package, sdk.api_type):  # openai.api_type = "azure"
                kind = string_value(node.value)
                self._sink.module_elsewhere |= kind is not None and kind[0].strip().lower().startswith(self._index.code.azure.api_type)
            elif chain[:1] == (sdk.package,) and len(chain) == 2 and chain[1] in sdk.base_url_keywords:
                # `openai.api_base = "https://openkey.cloud/v1"`, `openai.base_url =
                # os.getenv("SERVER", "http://localhost:8091") + "/v1/"` (ezlocalai's notebook)
                url = static_string(node.value, self._binder.scope, 0)
                self._sink.module_client_elsewhere |= url is not None and other_host(url, self._index.hosts)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._openai_scopes.pop()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._openai_scopes.append(isinstance(node.target, cst.Name) and _openai_name(node.target.value))
        for name in _held_names(node.value):
            self._binder.changed(name)
        self._assigned(node.target, node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        self._openai_scopes.pop()

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._binder.bind_targets(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else [node.target]
        for target in targets:
            value = target.value if isinstance(target, cst.BaseElement) else target
            if isinstance(value, cst.Name):
                self._binder.bind_targets(value, plain=True)  # `del m`: a use after it raises, it sends nothing
            if isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name):
                index = value.slice[0].slice if len(value.slice) == 1 else None
                key = string_value(index.value) if isinstance(index, cst.Index) else None
                self._binder.changed(value.value.value, key[0] if key is not None else None)  # `del kw["base_url"]`

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._binder.changed(item.name.value)  # rebound elsewhere: its dict is not the one seen
            self._binder.declare(item.name.value)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self._binder.changed(item.name.value)
            self._binder.declare(item.name.value)

    def visit_For(self, node: cst.For) -> None:
        self._binder.statement(node)
        self._block_kinds[id(node.body)] = LOOP
        self._binder.bind_elements(node.target, node.iter, loop=True)

    def visit_With(self, node: cst.With) -> None:
        self._binder.statement(node)
        for item in node.items:
            if item.asname is not None:
                # `with TestClient(app) as client`, `with httpx.Client(...) as http`: a class's
                # context manager gives the object itself (httpx, requests' Session, the SDK's
                # clients, Starlette's TestClient); anything else gives what is not known
                chain = attribute_chain(item.item.func) if isinstance(item.item, cst.Call) else ("",)
                connection = len(chain) > 1 and self._index.sdk_call(chain) is not None
                if connection and isinstance(item.item, cst.Call):  # `client.realtime.connect(...) as conn`: its client's
                    self._clients.connection(item.item)
                built = chain[-1][:1].isupper() or connection
                self._binder.bind_targets(item.asname.name, item.item if built else None)
        if any(isinstance(item.item, cst.Call) and _expects_an_error(attribute_chain(item.item.func)) for item in node.items):
            # `with pytest.raises(ValueError): client.chat.completions.create(model=...)`: a test
            # that expects the call to fail (a missing key, a model the API refuses) asks for nothing.
            self._flow.mocked_nodes.update(subtree_ids(node.body))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._binder.bind_elements(node.target, node.iter)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._binder.bind_targets(node.name.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._binder.bind_walrus(node)
        for name in _held_names(node.value):
            self._binder.changed(name)

    def _assigned(self, target: cst.CSTNode, value: cst.CSTNode | None) -> None:
        self._binder.bind_targets(target, value, plain=value is not None)
        if value is None:
            return
        code = self._index.code
        scope = self._binder.scope
        if isinstance(target, cst.Name) and (scope.kind == "module" or _in_module_classes(scope)):
            # `BASE_URL = "https://openrouter.ai/api/v1"`, or a settings class's field
            # `llm_base_url: str = "https://openrouter.ai/api/v1"` (nxdo, corp56): there only a
            # URL written in the field, as the outline reads it (it does not follow names)
            written = (field_default(value) or value) if isinstance(value, cst.Call) and scope.kind == "class" else value
            url = static_string(written, scope if scope.kind == "module" else Scope("module", None), 0)  # (a field's `Field(default=...)` too)
            if url is not None and on_hosts(url, code.gateway_hosts) and api_url_name(target.value, url, code.sdk.base_url_keywords):
                self._sink.module_gateway = True
        if isinstance(target, (cst.Name, cst.Attribute)):
            name = target.value if isinstance(target, cst.Name) else target.attr.value
            owner = attribute_chain(target)[:-1]
            if stands_in(name) or any(stands_in(part) for part in owner):
                # `expected = {"model": ...}`, `mock_llm.model = ...`, `mock_config.return_value =
                # SimpleNamespace(llm_model=...)`: a test's expectation or stand-in
                self._quiet_dicts.update(id(d) for d in _displays(value))
                if isinstance(value, cst.Call) and not self._requests(value):
                    self._expected_calls.add(id(value))  # `mock_config.return_value = SimpleNamespace(...)`
            elif name in _DOC_KEYWORDS or name.casefold().endswith("metadata"):
                # `schema_extra = {"example": ...}`; `metadata = {"model": ..., "cost": ...}`: a record
                self._quiet_dicts.update(id(d) for d in _displays(value))
            elif self._is_model_name(name) and not self._quiet_scope():
                function = self._binder.function_here()
                if function is not None and local_name(function.node.name.value):
                    return  # `model = "gpt-4-0314"` in `_get_encoding_model`: a token counter's local
                self._add_strings(value, "assignment", Target())
                if isinstance(value, cst.Dict):  # `DEFAULT_MODELS = {Provider.OPENAI: "gpt-4-turbo", ...}`
                    for element in value.elements:
                        if isinstance(element, cst.DictElement) and openai_key(element.key):
                            self._add_strings(element.value, "dict", Target())
                if isinstance(target, cst.Name) and function is not None:
                    self._flow.default(function, name, value)  # a local: where does it go?
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is not None and self._is_model_name(key[0]) and not self._quiet_scope():
                self._add_strings(value, "subscript", Target())
            if (variable := environment_key(target)) is not None and not self._flow.test_file:
                # (test code's setting is for the code under test, which it often hands a mock: found by review)
                self._resolver.env_write(variable, value, self._binder.scope)

    # --- calls and dicts --------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        chain = attribute_chain(node.func)
        scope = self._binder.scope
        if len(chain) == 2 and chain[0] and chain[1] in _DICT_CHANGES:
            for key in _changed_keys(node, chain[1]):  # `kw.pop("base_url")`, `kw.update(overrides)`
                self._binder.changed(chain[0], key)
        if chain[-1] not in _READS_ONLY:
            for arg in node.args:
                if not arg.star:
                    for name in _held_names(arg.value):
                        self._binder.changed(name)  # `strip_host(kw)`, `apply([kw])`: the call may change it
        index = self._index
        self._environment_default(node)
        self._option_default(node, chain)
        self._input_default(node, chain)
        self._run_with_a_provider(node, chain)
        sdk_call = index.sdk_call(chain)
        path, surface = sdk_call or (None, None)
        if sdk_call is not None:
            self._sink.calls.append(ApiCall(*sdk_call, node.func, via=node, openai_named=any(self._openai_scopes)))
            if chain[0] and any(chain[0] in roots for roots in self._patched_roots):
                # `monkeypatch.setattr(openai_wrapper, "_create", fake)`, then
                # `openai_wrapper.chat.completions.create(model=...)`: made on what the test replaced
                self._flow.mocked_nodes.update(subtree_ids(node))
        else:
            self._reach.batch_job(node, chain)
        self._clients.constructor(chain, scope)
        self._flow.helper_call(node, chain, scope)
        for arg in node.args:
            if isinstance(arg.value, cst.Call):
                self._flow.handed_on(arg.value)
        self._clients.name_call(node, scope, self._binder.in_a_test())
        if self._not_a_request(node, chain, scope):  # nor are the dicts it is given requests
            self._quiet_dicts.update(id(d) for arg in node.args for d in _displays(arg.value))
            function = self._binder.function_here()
            for arg in node.args:
                self._flow.recorded(arg.value, function)  # nor a dict bound to a name it is given
            return
        target = Target(surface, call=path, call_node=node, via=node) if surface is not None else Target(via=node)
        place, statement, _ = self._binder.place()
        self._clients.call(node, scope, path is not None, place if statement is not None else None)
        for arg in node.args:
            if arg.keyword is not None and (arg.keyword.value in _DOC_KEYWORDS or _record_keyword(arg.keyword.value)):
                self._quiet_dicts.update(id(d) for d in _displays(arg.value))
                self._flow.recorded(arg.value, self._binder.function_here())  # `experiment_metadata=user_meta`: the dict it names too
            if arg.keyword is not None and arg.keyword.value in index.code.record_keywords:
                # `TracedData(response_model=...)`: telemetry of a call made; `model_info={...}`: LiteLLM's notes
                self._quiet_dicts.update(id(d) for d in _displays(arg.value))
                continue
            if arg.keyword is None:
                if arg.star == "**" and surface is not None:
                    self._resolver.defer(DictPath(arg.value, ("model",), scope, target, 0))
                elif arg.star == "**" and self._clients.sends_elsewhere(node, scope):
                    # `AzureCompletion(**config)`: the dict's model names a deployment (or another host's model)
                    self._resolver.defer(DictPath(arg.value, ("model",), scope, Target(elsewhere=True), 0))
                continue
            keyword = arg.keyword.value
            if surface is not None and keyword in index.parameters.get(surface, ()):
                self._sink.params.append(ParamUse(surface, keyword, arg.keyword, path, via=node, openai_named=any(self._openai_scopes)))
            if keyword == "model" or (
                surface is None and is_model_keyword(keyword, index.code.model_keyword_suffixes, index.model_names)
            ):
                self._add_strings(arg.value, "keyword", target)
            elif keyword == "provider" and surface is None and self._prefixed_model(arg.value):
                # `runtime.run(provider="openai:gpt-4o-mini")` (tyxter-blackbox, found on untuned
                # code): a provider-prefixed model ID is a model, whatever the keyword says
                self._add_strings(arg.value, "keyword", target)
            elif surface is not None and keyword in index.session_keywords.get(surface, ()):
                self._mark_dict(arg.value, target)
            elif keyword == index.code.http.json_keyword and chain[-1] in index.code.http.methods | index.code.http.methods_with_verb:
                # `client.post("/v1/chat/completions", json={"model": ...})`: where the client sends
                # decides (on a web framework's `TestClient(app)`: to the app under test)
                self._mark_dict(arg.value, target)
        for arg in node.args:
            # any other dict given to the call (`agent={"model": ...}`): its model goes with the
            # call, whose client decides where (a client on a local gateway sends it there)
            if isinstance(arg.value, cst.Dict) and id(arg.value) not in self._dict_surface:
                self._dict_surface[id(arg.value)] = Target(via=node)
        if surface is None:
            self._reach.wrapper_call(node, chain, scope)
            self._reach.http_call(node, chain, scope)

    def _only_inspected(self, node: cst.Call, chain: tuple[str, ...]) -> bool:
        """A class built in a test function only to be looked at (inspection.py). The function is
        read (once) only when a construction in it may be given a model: a model keyword, a
        string or a name first, a dict, or a name as a config (`agent_config=config`)."""
        function = self._binder.function_here()
        if function is None or not chain[-1][:1].isupper() or not function.node.name.value.startswith("test"):
            return False
        if not any(
            (a.keyword is not None and self._is_model_keyword(a.keyword.value))
            or (a.keyword is None and a.star == "" and isinstance(a.value, (cst.SimpleString, cst.ConcatenatedString, cst.Name, cst.Attribute)))
            or (isinstance(a.value, cst.Dict) and any(self._model_key(e) for e in a.value.elements))
            or (a.keyword is not None and isinstance(a.value, cst.Name) and a.keyword.value.endswith(("config", "settings")))
            for a in node.args
        ):
            return False
        key = id(function.node)
        if key not in self._inspected:
            self._inspected[key] = inspected_constructions(function.node, self._flow.body(function.node))
        return id(node) in self._inspected[key]

    def _model_key(self, element: cst.BaseDictElement) -> bool:
        key = _string(element.key) if isinstance(element, cst.DictElement) else None
        return key is not None and self._is_model_keyword(key)

    def _not_a_request(self, node: cst.Call, chain: tuple[str, ...], scope: Scope) -> bool:
        """A call whose model keywords send nothing: a mock's expectation (`mock.assert_called_once_with(
        model=...)`), a lookup (`catalog.get(model=...)`), bookkeeping of a call made (`usage.record_llm_call(model=...)`), a stand-in
        (`MagicMock(model=...)`), what a test compares (`_expected_calls`), a call that returns a
        made-up response or is given a stand-in (`litellm.completion(model=..., mock_response="Hi")`,
        `Adapter(client=MagicMock(), model=...)`), a token counter, a span or a trace recorded
        (`_traces`), or a response, message or error built here (`_response_type`)."""
        index = self._index
        return (
            chain[-1].startswith(("assert_", "record_", "report_")) or chain[-1] in MOCK_CLASSES or id(node) in self._expected_calls
            # `catalog.get(provider=provider, model=model)`: a lookup by keywords (tyxter-blackbox's
            # model catalog, found on untuned code), not the SDK's, nor an HTTP GET of a URL
            or (
                chain[-1] == "get" and len(chain) > 1 and index.sdk_call(chain) is None
                and all(a.keyword is not None and a.keyword.value != index.code.http.url_keyword for a in node.args)
            )
            or self._only_inspected(node, chain)
            or (chain[-1][:1].islower() and mock_name(chain[-1], first=True))  # `mock_chat_completion(model=...)`: a stand-in
            or any(
                (a.keyword is not None and a.keyword.value in index.code.mock_keywords) or mock_instance(a.value, scope)
                for a in node.args
            )
            or (  # `_handle_request(mock_span, {...})`: a helper under test given a fixture's stand-in
                index.sdk_call(chain) is None and any(stand_in_parameter(a.value, scope) for a in node.args)
            )
            or chain[-1] in index.local_calls or local_name(chain[-1]) or self._response_type(chain, scope)
            # `self.token_usage_db.insert_data(model=...)`, `cost_tracker.add(...)`: a method of
            # an object named for tokens or prices keeps a count (pyrobbot's usage database)
            # (not the SDK's own `client.responses.input_tokens.count(model=...)`, a request)
            or (index.resources.isdisjoint(chain) and any(local_name(part) for part in chain[:-1] if part))
            or (index.resources.isdisjoint(chain) and _traces(node))
        )

    def _response_type(self, chain: tuple[str, ...], scope: Scope) -> bool:
        """`ChatCompletion(model=...)` from `openai.types` (or LiteLLM's `ModelResponse` from
        `litellm.types`), or any class named for a response or a message (`ChatResponse(model=...)`,
        `AssistantMessage(model_id=...)`; not the `OpenAIResponses` wrappers): a response object,
        or a message that records the model that wrote it, or an error raised about a request
        (LiteLLM's `RateLimitError(message=..., model=...)`); a test's mock, not a request."""
        packages = self._index.code.response_packages
        if chain[0] in packages and "types" in chain[1:-1]:
            return True
        if record_class_name(chain[-1]):
            return True  # `ChatResponse(...)`, `AssistantMessage(...)`, `RateLimitError(...)`: what came back
        found = scope.lookup(chain[0]) if chain[0] else None
        return found is not None and any(
            isinstance(b.value, Imported) and b.value.module.split(".")[0] in packages
            and "types" in b.value.module.split(".")[1:]
            for b in found[0]
        )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """`assert sent == {"model": ...}` (or `== [{"model": ...}]`): an expectation, not a
        request; so is what a call builds to be compared (`assert config == Config(model=...)`,
        `... == Config(...).model_dump()`, `encode_request(model=...) == {...}`), unless the call
        sends requests (an SDK call, a wrapper, an HTTP call: `ChatOpenAI(model=...).invoke(...)
        == ...` is judged)."""
        equality = all(isinstance(c.operator, (cst.Equal, cst.NotEqual)) for c in node.comparisons)
        for operand in (node.left, *(c.comparator for c in node.comparisons)):
            self._quiet_dicts.update(id(d) for d in _displays(operand))
            while equality and isinstance(operand, cst.Call):
                if not self._requests(operand):  # `encode_request(model=...) == {...}`: a pure helper's test
                    self._expected_calls.add(id(operand))
                operand = operand.func.value if isinstance(operand.func, cst.Attribute) else operand.func

    def _requests(self, call: cst.Call) -> bool:
        """Whether a call is one that sends a model: an SDK call, a wrapper library's, or an
        HTTP library's (`requests.post(...)`)."""
        chain = attribute_chain(call.func)
        http = self._index.code.http
        return (
            self._index.sdk_call(chain) is not None
            or self._reach.wrapper(chain, self._binder.scope)
            or chain[-1] in http.methods or chain[-1] in http.methods_with_verb
        )

    def _option_default(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`parser.add_argument("--model", default="gpt-5.5")`, `@click.option("--model",
        default=...)`, `flags.DEFINE_string("model", "gpt-4", "OpenAI model")`, a settings
        option's `add_option("model", value=...)`: the default of an option whose name is a model
        name."""
        if chain[-1] in _ABSL_FLAGS and self._imported_module(chain) == "absl":
            positional = [a.value for a in node.args if a.keyword is None and a.star == ""]
            named = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
            flag = string_value(positional[0] if positional else named.get("name", cst.Name("None")))
            default = positional[1] if len(positional) > 1 else named.get("default")
            if flag is not None and default is not None and self._is_model_name(flag[0]):
                self._add_strings(default, "parameter", Target())
                if chain[-1] == "DEFINE_enum":
                    for choice in self._offered(positional[2] if len(positional) > 2 else named.get("enum_values")):
                        self._add_strings(choice, "parameter", Target())
            return
        if chain[-1] not in OPTION_DECLARATIONS:
            return
        names = [string_value(a.value) for a in node.args if a.keyword is None and a.star == ""]
        names += [string_value(a.value) for a in node.args if a.keyword is not None and a.keyword.value == "dest"]
        flags = [n[0].lstrip("-").replace("-", "_") for n in names if n is not None]
        # (`value=`: an application's settings option, pygpt-net's `add_option("model", value=...)`)
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        default = keywords.get("default", keywords.get("value"))
        group = self._option_group(node, chain)
        if any(f and self._is_model_name(f) for f in flags):
            # Only a plain `--model` is the server's: `--evaluator-model` beside an agent's
            # `--endpoint-url` is a judge's, and a help naming OpenAI says so (ragas' examples)
            plain = all(set(f.split("_")) <= _PLAIN_MODEL_WORDS for f in flags if len(f) > 1)
            # (`help=f"OpenAI model (default {DEFAULT})"` too: the help as written)
            help_code = _EMPTY_MODULE.code_for_node(keywords["help"]) if "help" in keywords else ""
            served = plain and "openai" not in help_code.casefold()
            found = self._option_models.setdefault(group if served else None, [])
            for value in [default] if default is not None else []:
                found.append((value, self._here(Target()), self._binder.scope))
            found += [(choice, self._here(Target()), self._binder.scope) for choice in self._offered(_option_choices(node))]
        elif default is not None and any(self._server_flag(f) for f in flags):
            # `p.add_argument("--url", default="http://localhost:4000")` beside `--model`: the
            # model option names what that server serves (a LiteLLM proxy's alias), as a
            # function's `base_url=` parameter default says of its `model=` (`_other_host`)
            urls = possible_strings(default, self._binder.scope, 0)
            if urls and all(api_base_on_other_host(u, self._index.hosts) for u in urls):
                self._away_options.add(group)

    def _prefixed_model(self, value: cst.BaseExpression) -> bool:
        """A string literal that is a catalog model ID behind a provider prefix ("openai:gpt-4o"),
        or an f-string that is such a prefix and one value (`f"openai:{model}"`)."""
        if isinstance(value, cst.FormattedString):
            found = prefixed_fstring(value, self._index.prefixes)
            return found is not None and not found[0].deployment
        text = _string(value)
        return text is not None and any(
            text.startswith(p.text) and text[len(p.text) :] in self._index.model_ids for p in self._index.prefixes if not p.deployment
        )

    def _server_flag(self, flag: str) -> bool:
        """An option naming the server requests go to (`urls.server_option_name`), or a local
        LLM server's by name: `--ollama-host`, `--litellm-url`, `--vllm-url` (not `--qdrant-url`)."""
        if server_option_name(flag, self._index.code.sdk.base_url_keywords):
            return True
        *named, last = flag.casefold().split("_")
        return bool(named) and last in ("url", "host") and (other_host_name("".join(named)) or named == ["litellm"])

    def _option_group(self, node: cst.Call, chain: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
        """The options an option is declared with: a command's decorators, or the calls on one
        parser (`parser.add_argument`, `group.add_argument`) in one scope, between two bindings
        of its name (`p = sub.add_parser("serve")` ... `p = sub.add_parser("ask")`: two parsers)."""
        decorated = self._decorated.get(id(node))
        if decorated is not None:
            return decorated, ()
        receiver = chain[:-1]
        for _ in range(MAX_DEPTH):
            found = self._binder.scope.lookup(receiver[0]) if len(receiver) == 1 and receiver[0] else None
            if found is None:
                return id(self._binder.scope), receiver
            bindings, owner = found
            if owner.unparsed is not None and owner.unparsed.get(receiver[0], 0):
                return id(node), ()  # rebound where the walk did not look: which parser is not known
            value = bindings[-1].value
            made = attribute_chain(value.func) if isinstance(value, cst.Call) else ()
            if made[-1:] not in (("add_argument_group",), ("add_mutually_exclusive_group",)) or len(made) != 2:
                return id(self._binder.scope), (*receiver, f"#{len(bindings)}")
            receiver = made[:1]  # `g = parser.add_argument_group(...)`: the parser's options
        return id(node), ()

    def _offered(self, choices: cst.BaseExpression | None) -> list[cst.BaseExpression]:
        """The choices a model option offers (`choices=["gpt-4o", "gpt-4"]`, `click.Choice([...])`,
        a list bound to a name): each may be picked and sent as the default is. Choices are often
        short names mapped to IDs elsewhere, so only the catalog's model IDs among them are judged."""
        if choices is None:
            return []
        return [
            element for element, _ in elements(choices, self._binder.scope, 0, keys=False)
            if isinstance(element, cst.BaseExpression) and (_string(element) or "") in self._index.model_ids
        ]

    def _input_default(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`click.prompt("OpenAI model", default="o4-mini")`, `st.text_input("Model", value=...)`,
        `st.sidebar.selectbox("Model", ["gpt-4o", ...])`: what a prompt or a widget whose label
        names a model starts with, or offers."""
        module = self._imported_module(chain)
        if module is None:
            return
        found = _INPUTS.get((module, chain[-1]))
        if found is None:
            return
        label_position, slots = found
        positional = [a.value for a in node.args if a.keyword is None and a.star == ""]
        label = positional[label_position] if label_position is not None and len(positional) > label_position else next(
            (a.value for a in node.args if a.keyword is not None and a.keyword.value in _LABEL_KEYWORDS), None
        )
        if label is None or not self._names_a_model(label):
            return
        for keyword, position in slots:
            value = _keyword(node, keyword)
            if value is None and position is not None and len(positional) > position:
                value = positional[position]
            self._add_input(value)

    def _question(self, keyed: dict[str, cst.BaseExpression]) -> bool:
        """`{"type": "input", "name": "model", "message": "Which OpenAI model?", "default":
        "gpt-4o-mini"}`: a question (cz-ai's commitizen plugin, found on untuned code); what it
        starts with or offers, when its label names a model: only as written (a name there is
        not followed: the outline does not read such a dict unless it holds a string). Whether it
        is such a question, and holds no "model" key to be read as usual (found by review)."""
        if not all(k in keyed for k in _QUESTION_KEYS) or not self._names_a_model(keyed["message"]):
            return False
        for slot in _QUESTION_VALUES:
            value = keyed.get(slot)
            if value is not None and (_string(value) is not None or isinstance(value, (cst.List, cst.Tuple))):
                self._add_input(value)
        return "model" not in keyed

    def _names_a_model(self, label: cst.BaseExpression) -> bool:
        text = _string(label)
        return text is not None and model_label(text, self._index.model_names)

    def _add_input(self, value: cst.BaseExpression | None) -> None:
        if isinstance(value, (cst.List, cst.Tuple)):
            # Options offered are often display labels mapped to IDs elsewhere ("GPT-4o mini"):
            # only the catalog's model IDs among them are judged.
            for element in value.elements:
                if _string(element.value) in self._index.model_ids:
                    self._add_strings(element.value, "parameter", Target())
        elif value is not None:
            self._add_strings(value, "parameter", Target())

    def _run_with_a_provider(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`Runner.run_sync(agent, "hi", run_config=RunConfig(model_provider=FakeModelProvider()))`:
        the agent's model name goes to that provider, not to OpenAI unless it is the SDK's own
        (`OpenAIProvider`, `MultiProvider`): a test's stand-in, or a provider of the project's
        own (often another host's), is not judged (openai-agents-testkit, found on untuned code)."""
        if len(chain) < 2 or chain[-1] not in _RUNNER_METHODS or self._imported_module(chain) != _AGENTS_PACKAGE:
            return
        config = self._bound_call(_keyword(node, "run_config"))
        if config is None or self._imported_module(attribute_chain(config.func)) != _AGENTS_PACKAGE:
            return
        provider = _keyword(config, "model_provider")
        if provider is None:
            return
        made = self._bound_call(provider)
        if made is None and not (isinstance(provider, cst.Name) and mock_name(provider.value)):
            return  # not known (a parameter, a conditional): judged as usual (review); not a test's `fake_model_provider` fixture
        if made is not None and attribute_chain(made.func)[-1] in _SDK_PROVIDERS and self._imported_module(attribute_chain(made.func)) == _AGENTS_PACKAGE:
            return  # the SDK's own
        positional = [a.value for a in node.args if a.keyword is None and a.star == ""]
        # An agent built here: one of the module or a class may be run elsewhere for real (review)
        agent = self._bound_call(positional[0] if positional else _keyword(node, "starting_agent"), local=True)
        model = _keyword(agent, "model") if agent is not None else None
        if model is not None:
            self._flow.mocked_nodes.update(id(n) for n in candidate_nodes(model))

    def _bound_call(self, expr: cst.BaseExpression | None, *, local: bool = False) -> cst.Call | None:
        """A call, or the call a name is bound to once (`config = RunConfig(...)`); `local`: in
        the scope the walk is in."""
        if isinstance(expr, cst.Name):
            found = lookup_bindings(expr.value, self._binder.scope)
            single = found[0] if found and len(found) == 1 and isinstance(found[0].value, cst.Call) else None
            expr = single.value if single is not None and (not local or single.scope is self._binder.scope) else None  # type: ignore[assignment]
        return expr if isinstance(expr, cst.Call) else None

    def _imported_module(self, chain: tuple[str, ...]) -> str | None:
        """The top module a call's chain starts from, when its first name is imported
        (`st.sidebar.selectbox` after `import streamlit as st`, `prompt` from click)."""
        found = lookup_bindings(chain[0], self._binder.scope) if chain[0] else None
        if not found or len(found) != 1 or not isinstance(found[0].value, Imported) or found[0].value.level:
            return None
        return found[0].value.module.split(".")[0]

    def _environment_default(self, node: cst.Call) -> None:
        """`os.getenv("CHAT_MODEL", "gpt-5.5")`: the default is a model wherever the call is."""
        positional = [a for a in node.args if a.keyword is None and a.star == ""]
        variable = string_value(positional[0].value) if positional else None
        default = getenv_default(node)
        if default is not None and variable is not None and self._is_model_name(variable[0]):
            self._add_strings(default, "environment", Target())

    def visit_Dict(self, node: cst.Dict) -> None:
        if id(node) in self._quiet_dicts:
            return
        keyed = [(k[0], e.value) for e in node.elements if isinstance(e, cst.DictElement) for k in [string_value(e.key)] if k]
        if self._question(dict(keyed)):
            return  # (before the response check: a question's "choices" are no response's; found by review)
        if any(key in _RESPONSE_KEYS for key, _ in keyed) or any(_response_shaped(value) for _, value in keyed):
            # a response, as a test builds one; or a record that holds one (`{"prompt": {"model":
            # ...}, "response": {"object": "chat.completion", ...}}`, a log of an exchange)
            self._quiet_dicts.update(id(d) for d in _displays(node))
            for _, served in keyed:
                self._served_table(served)
            return
        if any(price_name(key) for key, _ in keyed):
            # `{"model": "gpt-4o-mini", "cost_per_1m": "$0.15"}`: a price list's row (what reaches
            # a request through `**` is still judged there)
            self._quiet_dicts.update(id(d) for d in _displays(node))
            return
        azure = self._index.code.azure.deployment_keywords
        if (
            any(key.startswith("azure_") or key in azure for key, _ in keyed) or self._other_host(keyed)
            or any(other_provider(key, _string(value)) for key, value in keyed)
        ):
            # `{"model": "gpt-5", "azure_deployment": ..., "azure_endpoint": ...}`: an Azure
            # client's settings, as a constructor given those keywords is Azure's; a base URL or
            # endpoint on another host, that host's
            for _, element_value in keyed:
                for value in candidate_nodes(element_value):
                    default = getenv_default(value) if isinstance(value, cst.Call) else None  # `os.getenv("M", "gpt-4o")`
                    self._sink.elsewhere_nodes.update(id(n) for n in (value, *candidate_nodes(default or value)))
            return
        for row_key, row in keyed:
            if isinstance(row, cst.Dict) and (host_named(row_key) or azure_name(row_key)):
                # `{"openai": {"model": "gpt-4o-mini"}, "azure": {"model": "gpt-4o"}}`: the other
                # provider's row names its model (an Azure deployment) there (qalens, corp51).
                # Only a record: `OPENAI_FALLBACK = {"anthropic": "gpt-4-0314"}` maps each
                # provider to OpenAI's model (found by review)
                self._sink.elsewhere_nodes.update(subtree_ids(row))
        index = self._index
        target = self._dict_surface.pop(id(node), Target())
        own_type = dict_string(node, "type")
        if own_type is not None and own_type in index.dict_types:
            target = Target(index.dict_types[own_type], via=target.via)  # (the call it is given to still decides the host)
        self._reach.batch_line(node, self._binder.scope)
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
            if key is None:
                continue
            if target.surface is not None and key[0] in index.parameters.get(target.surface, ()):
                self._sink.params.append(ParamUse(target.surface, key[0], element.key, target.call, via=target.via, openai_named=target.openai_named or any(self._openai_scopes)))
            if key[0] in _DOC_KEYWORDS or key[0] == "metadata" or key[0].casefold().endswith("_metadata"):
                # `{"example": {...}}`; `{"status": "ok", "metadata": {"writer_model": ...}}`: what happened
                self._quiet_dicts.update(id(d) for d in _displays(element.value))
            elif key[0] in index.dict_keys:
                self._mark_dict(element.value, Target(index.dict_keys[key[0]]))
            elif self._is_model_name(key[0]):
                self._add_strings(element.value, "dict", target if key[0] == "model" else Target(via=target.via))
            elif target.via is not None and isinstance(element.value, cst.Dict) and id(element.value) not in self._dict_surface:
                # `json={"agent": {"model": ...}}`: a dict inside one given to a call goes with the call
                self._dict_surface[id(element.value)] = Target(via=target.via)

    def _mark_dict(self, value: cst.CSTNode, target: Target) -> None:
        if isinstance(value, cst.Dict):
            self._dict_surface[id(value)] = target

    # --- URLs with a model query (reach.py) -------------------------------------------------
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._reach.simple_string(node, self._binder.scope)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self._reach.formatted_string(node, self._binder.scope)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        self._reach.concatenation(node, self._binder.scope)


def _azure_test(test: cst.BaseExpression) -> bool:
    """A condition true only for Azure: it compares with a string starting with "azure"
    (`backend == "azure"`, `provider in ("azure", "azure_ad")`) or tests a name for Azure
    (`use_azure`, `settings.is_azure`); `and` needs one such side, `or` both."""
    if isinstance(test, cst.BooleanOperation):
        left, right = _azure_test(test.left), _azure_test(test.right)
        return (left and right) if isinstance(test.operator, cst.Or) else (left or right)
    if isinstance(test, cst.Comparison):
        if any(isinstance(c.operator, (cst.NotEqual, cst.NotIn, cst.IsNot)) for c in test.comparisons):
            return False  # `backend != "azure"`: the other way round
        return any(_azure_value(part) for part in (test.left, *(c.comparator for c in test.comparisons)))
    return isinstance(test, (cst.Name, cst.Attribute)) and azure_name(attribute_chain(test)[-1])


def _azure_value(node: cst.BaseExpression) -> bool:
    """"azure", or a collection of only such strings (`("azure", "azure_ad")`, not `("openai",
    "azure")`): one side of a comparison."""
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return bool(node.elements) and all(_azure_value(e.value) for e in node.elements)
    text = string_value(node) if isinstance(node, cst.SimpleString) else None
    return text is not None and text[0].strip().casefold().startswith("azure")


# The methods that change a dict in place.
_DICT_CHANGES = frozenset({"pop", "popitem", "update", "setdefault", "clear", "__setitem__", "__delitem__"})


# Calls that only read what they are given (a dict logged or checked is not changed).
_READS_ONLY = frozenset({
    "isinstance", "len", "print", "repr", "str", "bool", "dumps", "debug", "info", "warning", "warn", "error",
    "exception", "critical", "log", "format", "deepcopy", "copy",
})


def _held_names(value: cst.BaseExpression | None) -> list[str]:
    """The names whose objects an expression's value may be or hold as they are (`kw`, `(kw, 3)`,
    `[kw]`, `kw if flag else {}`, `kw or {}`): another name for the same dict."""
    if isinstance(value, cst.Name):
        return [value.value]
    if isinstance(value, (cst.Tuple, cst.List, cst.Set)):
        return [name for element in value.elements for name in _held_names(element.value)]
    if isinstance(value, cst.IfExp):
        return [*_held_names(value.body), *_held_names(value.orelse)]
    if isinstance(value, cst.BooleanOperation):
        return [*_held_names(value.left), *_held_names(value.right)]
    if isinstance(value, cst.NamedExpr):
        return _held_names(value.value)
    return []


def _changed_keys(call: cst.Call, method: str) -> tuple[str | None, ...]:
    """The keys a dict method changes, each as Binder.changed takes it ((None,): any)."""
    first = call.args[0] if call.args else None
    if method in ("pop", "setdefault", "__setitem__", "__delitem__") and first is not None and first.keyword is None and not first.star:
        key = string_value(first.value)
        return (key[0],) if key is not None else (None,)
    if method == "update" and call.args and all(a.keyword is not None for a in call.args):
        return tuple(a.keyword.value for a in call.args if a.keyword is not None)  # `kw.update(timeout=t)`
    return (None,)


def _names_openai_itself(name: str) -> bool:
    """A name for OpenAI, not for a server that speaks its API (`OpenAICompatibleClient`, `openai_like`)."""
    return _openai_name(name) and not API_STYLE_WORDS & set(name_words(name))


def _openai_name(name: str) -> bool:
    """A name for OpenAI, not Azure's: `OpenAIEvalClient`, `DEFAULT_OPENAI_SETTINGS`."""
    return "openai" in name.casefold() and not azure_name(name)


def _traces(call: cst.Call) -> bool:
    """A call that records a span or a trace: one that opens one (names.opens_a_span:
    `trace.span(model=...)`, `generation_span(model=...)`), or is made on one (names.tracing_name:
    `span.update(model=...)`, `langwatch.get_current_span().update(model=...)`)."""
    chain = attribute_chain(call.func)
    if opens_a_span(chain[-1]) or any(tracing_name(part) for part in chain[:-1] if part):
        return True
    root = attribute_root(call.func)
    while isinstance(root, cst.Call):  # the objects it is called on, made by calls
        if any(tracing_name(part) for part in attribute_chain(root.func) if part):
            return True
        root = attribute_root(root.func)
    return False


def _names_openai(node: cst.CSTNode) -> bool:
    """Whether a name or a string under `node` says "openai" (`AsyncOpenAI`, `"openai"`,
    `Provider.OPENAI`)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name) and "openai" in current.value.casefold():
            return True
        if isinstance(current, cst.SimpleString) and "openai" in current.value.casefold():
            return True
        stack.extend(child_nodes(current))
    return False


def _response_shaped(value: cst.BaseExpression) -> bool:
    """A dict display with the keys of an API response (`{"object": "chat.completion", ...}`)."""
    return isinstance(value, cst.Dict) and any(
        (string_value(e.key) or ("",))[0] in _RESPONSE_KEYS for e in value.elements if isinstance(e, cst.DictElement)
    )


def _record_keyword(keyword: str) -> bool:
    """`data=`, `metadata=`, `response_metadata=`: a keyword whose dict records what happened."""
    return keyword in _RECORD_KEYWORDS or keyword.casefold().endswith("_metadata")


# unittest.mock's patchers as tests call them (`patch(...)`, `mock.patch(...)`, `patch.object(...)`,
# pytest-mock's `mocker.patch(...)`), and pytest's `monkeypatch.setattr(...)`; not `patch.dict`,
# which sets values, nor a REST client's `client.agents.patch(...)` (an HTTP PATCH).
_PATCHES = frozenset({
    "patch", "mock.patch", "mocker.patch", "patch.object", "patch.multiple", "mocker.patch.object", "monkeypatch.setattr",
})
# The patchers given an object and the name of what they replace in it (`patch.object(openai,
# "OpenAI")`, `monkeypatch.setattr(module, "OpenAI", Fake)`), not a dotted path.
_OBJECT_PATCHES = frozenset({"patch.object", "mocker.patch.object", "monkeypatch.setattr"})
# A test's context managers that expect what they hold to fail: pytest's and unittest's.
_EXPECTING_ERRORS = frozenset({("pytest", "raises"), ("raises",), ("self", "assertRaises"), ("self", "assertRaisesRegex")})


def _expects_an_error(chain: tuple[str, ...]) -> bool:
    return chain in _EXPECTING_ERRORS


def _option_choices(call: cst.Call) -> cst.BaseExpression | None:
    """What an option declaration offers: `choices=[...]` (argparse), `type=click.Choice([...])`."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "choices":
            return arg.value
        if (
            arg.keyword is not None and arg.keyword.value == "type" and isinstance(arg.value, cst.Call)
            and attribute_chain(arg.value.func)[-1] == "Choice" and arg.value.args and arg.value.args[0].keyword is None
        ):
            return arg.value.args[0].value
    return None


def _string(node: cst.BaseExpression) -> str | None:
    found = string_value(node)
    return found[0] if found is not None else None


def _patch_calls(node: cst.FunctionDef) -> list[cst.Call]:
    """The unittest.mock patches a function makes: a `patch` decorator (`@patch(...)`,
    `@mock.patch.object(...)`), or a statement of its body that does (`with patch(...):`,
    `mocker.patch(...)`, `m = mocker.patch(...)`). Statements only, not every expression: this
    runs on every function."""
    def patching(call: cst.BaseExpression) -> cst.Call | None:
        if not isinstance(call, cst.Call):
            return None
        chain = attribute_chain(call.func)
        return call if ".".join(chain[-3:]) in _PATCHES or ".".join(chain[-2:]) in _PATCHES else None

    found = [c for c in (patching(d.decorator) for d in node.decorators) if c is not None]
    pending: list[cst.CSTNode] = [node.body]
    while pending:
        current = pending.pop()
        if isinstance(current, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            pending.extend(current.body)
        elif isinstance(current, cst.SimpleStatementLine):
            for small in current.body:
                value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
                if isinstance(value, cst.Await):
                    value = value.expression
                call = patching(value) if value is not None else None
                if call is not None:
                    found.append(call)
        elif isinstance(current, cst.With):
            found += [c for c in (patching(item.item) for item in current.items) if c is not None]
            pending.append(current.body)
        elif isinstance(current, (cst.If, cst.For, cst.While, cst.Try, cst.TryStar)):
            pending.extend(c for c in (current.body, getattr(current, "orelse", None), *getattr(current, "handlers", ()), getattr(current, "finalbody", None)) if c is not None)
        elif isinstance(current, (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally)):
            pending.append(current.body)
    return found


def _patch_target(call: cst.Call) -> tuple[str, tuple[str, ...], cst.BaseExpression | None] | None:
    """What a patch replaces: (dotted path, the names the path passes through, the value put
    there if given). `patch("app.llm.OpenAI", fake)` -> ("app.llm.OpenAI", ("app", "llm"), fake);
    `monkeypatch.setattr(app.llm, "OpenAI", Fake)` -> ("app.llm.OpenAI", ("app", "llm"), Fake)."""
    chain = attribute_chain(call.func)
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    named = _string(positional[0]) if positional else None
    first = positional[0] if positional else None
    tail = None
    if named is None and isinstance(first, cst.BinaryOperation) and isinstance(first.operator, cst.Add):
        tail = _string(first.right)  # `patch(__name__ + ".OpenAI")`: in this module
    elif named is None and isinstance(first, cst.FormattedString) and len(first.parts) == 2:
        text = first.parts[1]  # `patch(f"{__name__}.OpenAI")`
        tail = text.value if isinstance(text, cst.FormattedStringText) else None
    if tail is not None and tail.startswith("."):
        named = f"__module__{tail}"
    if named is not None:  # a dotted path (`monkeypatch.setattr("app.llm.OpenAI", Fake)` too)
        parts = tuple(named.split("."))
        return named, parts[:-1], positional[1] if len(positional) > 1 else None
    if ".".join(chain[-3:]) in _OBJECT_PATCHES or ".".join(chain[-2:]) in _OBJECT_PATCHES:
        attribute = _string(positional[1]) if len(positional) > 1 else None
        owner = attribute_chain(positional[0]) if positional else ()
        if attribute is not None and owner and all(owner):
            return ".".join((*owner, attribute)), owner, positional[2] if len(positional) > 2 else None
    return None


def _patched_roots(calls: Sequence[cst.Call]) -> frozenset[str]:
    """The names a function's patches replace something in with a stand-in: an SDK call made on
    one of them (`openai_wrapper.chat.completions.create`) is made on what the test replaced.
    The stand-in is a lambda or a name that says it is one (`fake_create`, `FakeOpenAI`); a patch
    that sets a value (`monkeypatch.setattr(openai, "api_key", os.getenv("KEY"))`), a mock made
    by the patcher (`patch.object(client, "close")`), or a patch of `self` replaces nothing the
    SDK call needs (found by review)."""
    roots: set[str] = set()
    for call in calls:
        found = _patch_target(call)
        if found is None:
            continue
        _, through, value = found
        named = attribute_chain(value)[-1] if isinstance(value, (cst.Name, cst.Attribute)) else ""
        if isinstance(value, cst.Lambda) or (named and stands_in(named)):
            roots.update(name for name in through if name not in ("self", "cls"))
    return frozenset(roots)


def _patches_the_client(calls: Sequence[cst.Call], clients: frozenset[str]) -> bool:
    """Whether a patch replaces the SDK's client class (`@patch("borgllm.openai.OpenAI")`,
    `@patch("dagster_openai.resources.Client")`: `Client` is the SDK's alias of `OpenAI`, counted
    in a target that names openai; `monkeypatch.setattr(wrapper.openai, "OpenAI", Fake)`,
    `patch(__name__ + ".OpenAI")`): the test's SDK calls are made on a stand-in. (Not a wrapper
    library's class: its names are as often the project's own, `Agent`, `LLM`, `completion`,
    found by review.)"""
    for call in calls:
        found = _patch_target(call)
        if found is None:
            continue
        target = found[0]
        last = target.rsplit(".", 1)[-1]
        if last in clients or (last in ("Client", "AsyncClient") and "openai" in target.casefold()):
            return True
    return False


def _displays(node: cst.CSTNode) -> list[cst.Dict]:
    """The dict displays in a literal structure of lists, tuples, sets and dicts."""
    if isinstance(node, cst.Dict):
        return [node, *(d for e in node.elements if isinstance(e, cst.DictElement) for d in _displays(e.value))]
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [d for e in node.elements for d in _displays(e.value)]
    return []


def _returns(function: cst.FunctionDef) -> int:
    """How many `return` statements a function has (not those of functions or lambdas in it)."""
    count = 0
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Return):
            count += 1
        elif not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(node.children)
    return count


def _overload_stub(node: cst.FunctionDef) -> bool:
    """`@overload` / `@typing.overload`: a signature for type checkers; the function that runs
    is the one after the stubs, whose defaults are judged."""
    return any(attribute_chain(d.decorator)[-1] == "overload" for d in node.decorators)


def _in_module_classes(scope: Scope) -> bool:
    """A class body, in classes only up to the module (not in a function)."""
    if scope.kind != "class":
        return False
    while scope.kind == "class" and scope.parent is not None:
        scope = scope.parent
    return scope.kind == "module"


def _route_decorator(decorator: cst.BaseExpression) -> bool:
    """`@router.get("/path")`, `@app.route("/path", methods=[...])`: a web route's handler."""
    if not isinstance(decorator, cst.Call):
        return False
    chain = attribute_chain(decorator.func)
    return len(chain) == 2 and chain[-1] in _ROUTE_DECORATORS and bool(decorator.args) and isinstance(decorator.args[0].value, _STRINGS)


def _keyword(call: cst.Call | None, name: str) -> cst.BaseExpression | None:
    """The value a call gives keyword `name`, if it does."""
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None) if call is not None else None


def _annotation_names(annotation: cst.BaseExpression | None) -> list[str]:
    """The plain names an annotation is made of: `Body`, `Optional[Body]`, `Body | None`,
    `Annotated[Body, ...]` (its first part)."""
    if isinstance(annotation, cst.Name):
        return [annotation.value]
    if isinstance(annotation, cst.BinaryOperation):
        return _annotation_names(annotation.left) + _annotation_names(annotation.right)
    if isinstance(annotation, cst.Subscript) and attribute_chain(annotation.value)[-1:] in (("Optional",), ("Union",), ("Annotated",)):
        parts = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
        return [n for part in (parts[:1] if attribute_chain(annotation.value)[-1] == "Annotated" else parts) for n in _annotation_names(part)]
    return []


def _injected(value: cst.BaseExpression | None) -> bool:
    """`Depends(get_settings)`, `Security(...)`: FastAPI injects the app's own object, no request body."""
    return isinstance(value, cst.Call) and attribute_chain(value.func)[-1] in ("Depends", "Security")
