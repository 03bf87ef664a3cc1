"""The extractor's data-flow step, within one module: where a value goes once it is passed.

A literal (or a name bound to one) handed to a function of this file becomes that function's
parameter; the parameter's uses say what the literal is:
- used as a model (`client.chat.completions.create(model=model)`, a wrapper's argument, another
  helper's model parameter): the literal goes there too, and is judged for that call (`complete(
  text, "gpt-5.5")` reaches Chat Completions);
- used only to pick a tokenizer or a price (`tiktoken.encoding_for_model(model)`, `PRICES[model]`, `PRICES.get(model)`,
  `model in {...}`, `model.startswith(...)`), with nothing else but messages and tests: the
  literal never reaches a request, so neither the parameter's default nor the literals passed
  to it are judged;
- given back by every `return` of a plain function (`return model.strip()`): the literal goes
  where the call's value goes (the resolver follows it there), and is not judged by the
  parameter's name unless the call's value is handed to another call;
- anything else (stored, passed to an unknown call): nothing changes.

A call that says it sends what it is given elsewhere (a base URL on another host: `build(model,
base_url=GATEWAY)`; a callee named for Azure) hands the literal on as another host's name: it is
not judged there, nor is the default of a parameter that only goes there.

A function imported from another file of the project is that file's to read: a call of one given
a model ID asks it (`asks`, facts.ASK), it answers with where each parameter goes (`answer`,
through the project pass), and the answers (`answered`) are applied to the calls as this file's
own functions' parameters are.

The uses as a model are found by the deferred resolution itself (a name that resolves to a
parameter records where it was used, `param_sinks`); the other uses by reading the function's
body (`name_reads`). It runs after the walk, only over the statements that were parsed (the
candidate ones), and reads a function's body only when a literal is passed to it.

`Flow` records during the walk the calls that may be of this file's functions (`helper_call`)
and the model parameters' defaults (`default`); after it, `follow_helpers` hands arguments to the
`Resolver` it was given and leaves in `quiet_nodes` the literals that only pick a tokenizer or a
price.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

import libcst as cst

from routelint.bindings import (
    FOLDS,
    LOOKUP_METHODS,
    MAX_DEPTH,
    MOCK_CLASSES,
    Binding,
    ClassRef,
    FunctionRef,
    Imported,
    ImportedUse,
    Scope,
    SelfRef,
    all_params,
    attribute_chain,
    attribute_root,
    call_arguments,
    candidate_nodes,
    getenv_default,
    given_back,
    lookup_bindings,
    passed_names,
    plain_function,
    resolve_chain,
)
from routelint.facts import ASK, NAMED, QUIET, SENT, Export, Incoming, Target
from routelint.names import is_model_name, local_name, mock_name, record_class_name, stands_in
from routelint.project import private_name
from routelint.values import static_string
from routelint.walk import child_fields, child_nodes, subtree, subtree_ids

if TYPE_CHECKING:
    from routelint.clients import Clients
    from routelint.deferred import Resolver
    from routelint.syntax_index import SyntaxIndex

LOCAL, NEUTRAL, MODEL, UNKNOWN = "local", "neutral", "model", "unknown"
PASSED = "passed"  # returned (`return model.strip()`): it goes where the call's value goes
_ROUNDS = 4  # helpers calling helpers: a literal crosses at most this many calls
# Calls that only show a value or test it (messages, errors, type tests): they send nothing.
_SHOWING = frozenset({
    "print", "len", "str", "repr", "isinstance", "debug", "info", "warning", "warn", "error", "exception", "critical",
    "log", "format", "echo", "secho",
})
# Names of functions of one's own that show a value: `printd(...)` (letta), `log_debug(...)` (agno).
_SHOWING_PREFIXES = ("print", "log_", "warn", "debug", "echo")
_SHOWING_KEYWORDS = frozenset({"help", "description", "message", "msg"})  # `help=f"Use {model}"`
_TESTS = frozenset({"startswith", "endswith"})  # `model.startswith("gpt-4")`
_PATTERN_TESTS = frozenset({("re", "match"), ("re", "search"), ("re", "fullmatch"), ("fnmatch", "fnmatch")})


class Flow:
    """Where literals passed to this file's functions go."""

    def __init__(
        self, index: SyntaxIndex, resolver: Resolver, clients: Clients, test_file: bool = False, imports_sdk: bool = False, source: str = "",
        private_defaults: frozenset[str] = frozenset(),
    ) -> None:
        self._index = index
        self._private_defaults = private_defaults  # other files' private functions with a model default
        self._source = source  # the whole file's text: every mention of a name, parsed or not
        # Test code asks nothing of other files: what a test's call of the package sends depends
        # on what the test patches (`sys.modules["openai"]`, a fixture's client), which the
        # other file cannot see.
        self._asks_others = not test_file
        self.test_file = test_file
        self.imports_sdk = imports_sdk  # the whole file, parsed or not
        self._resolver = resolver
        self._clients = clients
        self._helper_calls: list[tuple[cst.Call, Scope]] = []  # calls of a name (or self.name): maybe a helper
        self._handed_on: set[int] = set()  # calls whose value is given to another call
        self._defaults: list[tuple[FunctionRef, str, cst.CSTNode]] = []  # model parameters' defaults
        self._kinds: dict[tuple[int, str], str] = {}
        self._callees: dict[int, list[cst.Call]] | None = None  # function node -> its calls seen, once asked
        self._word_counts: Counter[str] | None = None
        self._by_name: bool | None = None
        self._init_set: bool | None = None  # whether the file sets a class's `__init__` after its body
        self.quiet_nodes: set[int] = set()  # literals that only pick a tokenizer or a price
        self.mocked_nodes: set[int] = set()  # literals in a test that patches the SDK's client class: none judged
        self.dead_nodes: set[int] = set()  # values bound to a local and bound again before any use (`overwritten`)
        self._recorded: list[tuple[cst.Name, FunctionRef]] = []  # names given to calls that send nothing
        self._recorded_reads: set[int] = set()
        self._bodies: dict[int, FunctionBody] = {}  # per function: where its body reads each name
        self._walked: list[tuple[cst.FunctionDef, Scope]] = []  # every function, for `overwritten` after the walk
        self._calls: list[tuple[cst.Call, tuple[str, ...], Scope]] = []  # calls of dotted names: maybe of another file's function
        # what the files whose functions this file calls said of them (facts.ANSWER), by the callee as written
        self._answers: dict[str, tuple[str, list[tuple[str, str, Target]]]] = {}
        self._answered_args: dict[int, str] = {}  # argument -> its parameter's verdict there (SENT, QUIET)
        self.asks: list[Export] = []  # to the files that define the functions this file calls
        self._handed_sinks: dict[tuple[int, str], int] = {}  # how many sinks each parameter had when calls were handed on

    def body(self, function: cst.FunctionDef) -> FunctionBody:
        """A function's body read once (`FunctionBody.of`), for this step and inspection.py."""
        if id(function) not in self._bodies:
            self._bodies[id(function)] = FunctionBody.of(function)
        return self._bodies[id(function)]

    def _occurrences(self, function: cst.FunctionDef, name: str) -> list[tuple[cst.Name, Parents]]:
        """Where `function`'s body reads `name`."""
        return self.body(function).reads.get(name, [])

    # --- during the walk ----------------------------------------------------------------------
    def handed_on(self, node: cst.Call) -> None:
        """A call whose value is given to another call (`ChatBot(normalize("gpt-4"))`)."""
        self._handed_on.add(id(node))

    def helper_call(self, node: cst.Call, chain: tuple[str, ...], scope: Scope) -> None:
        """A call of `chain` in `scope`: a name (or `self.name`) may be a function of this file,
        and a dotted name one another file defines."""
        if (len(chain) == 1 and chain[0]) or len(chain) == 2:  # `f(...)`, `self.f(...)`, `obj.f(...)`, `Cls(...).f(...)`
            self._helper_calls.append((node, scope))
        if chain[0] not in ("", "self", "cls") and "" not in chain and node.args:
            self._calls.append((node, chain, scope))

    def answered(self, answers: Sequence[Incoming]) -> None:
        """What the files that define functions this file calls said of their parameters
        (facts.ANSWER), applied to the calls by `follow_helpers`."""
        for use in answers:
            _, written, signature, parameter, verdict = use.keys
            self._answers.setdefault(written, (signature, []))[1].append((parameter, verdict, use.target))

    def answer(self, function: FunctionRef, owner: str | None = None) -> list[tuple[str, str, Target]]:
        """For a file that calls `function` (a plain one, or a class's `__init__`): (parameter,
        SENT, each target) where a parameter is used as a model, (parameter, QUIET, -) where it
        only picks a tokenizer or a price, (parameter, NAMED, -) where it goes somewhere this
        file cannot follow and is named for a model (`super().__init__(f"openai/{model_name}")`:
        a literal for it is judged by that name here, `follow_helpers`). After `follow_helpers`,
        so that the functions it hands the parameter to count. `owner`: the class whose
        `__init__` it is, whose name says whether it may send (not `FakeLLM`, `TokenCounter`,
        `UnsupportedModelError`: found by review)."""
        found: list[tuple[str, str, Target]] = []
        named = owner or function.node.name.value
        judged_by_name = not (
            mock_name(named, first=True) or local_name(named) or (owner is not None and (stands_in(owner) or record_class_name(owner)))
        )
        for param in all_params(function.node.params):
            name = param.name.value
            sinks = self._resolver.sinks_of(function, name)
            if not judged_by_name:
                # (only the sinks this file's own calls were handed: later ones are names speaking,
                # judged where the name says a model may be sent, which a price's or a stand-in's
                # function does not: `price_for(model)` handing it to a regex search, jangada-ai,
                # corp57; a request it makes is handed on, `chat_with_cost`: found by review)
                sinks = sinks[: self._handed_sinks.get((id(function.node), name), 0)]
            if sinks:
                found += [(name, SENT, target) for _, _, target in sinks]
                continue
            kind = self._kind(function, name)
            if kind == LOCAL:
                found.append((name, QUIET, Target()))
            elif kind in (UNKNOWN, MODEL) and is_model_name(name, self._index.model_names) and judged_by_name:
                found.append((name, NAMED, Target()))
        return found

    def recorded(self, value: cst.BaseExpression, function: FunctionRef | None) -> None:
        """`value` is given, in `function`'s own scope, to a call that sends nothing (a mock's, a
        stand-in's, a record's) or as a record keyword (`experiment_metadata=user_meta`): a name
        the function binds to dicts is quiet too when that is all it does with it (`_quiet_records`)."""
        if isinstance(value, cst.Name):
            self._recorded_reads.add(id(value))
            if function is not None:
                self._recorded.append((value, function))

    def walked(self, function: cst.FunctionDef, scope: Scope) -> None:
        """A function the walk entered (`scope`: its own), whose values bound again before any use
        are found after the walk, when every function of the file is bound."""
        self._walked.append((function, scope))

    def default(self, function: FunctionRef, name: str, value: cst.CSTNode) -> None:
        """`value` is the default of `function`'s model parameter (or local) `name`: quiet when
        the parameter only picks a tokenizer or a price."""
        self._defaults.append((function, name, value))

    # --- after the walk -----------------------------------------------------------------------
    def follow_helpers(self, called_elsewhere: frozenset[str] = frozenset()) -> None:
        """Hand what is passed to this file's functions to where their parameters go, until
        nothing new is found; then mark the literals that only pick a tokenizer or a price.
        `called_elsewhere`: the names of this file's functions other files call and asked about
        (facts.ASK): their defaults may be used there."""
        self._imported_calls()
        applied: set[tuple[int, str, int]] = set()
        for _ in range(_ROUNDS):
            before = len(applied)
            for call, scope in self._helper_calls:
                function = _callee(call, scope)
                if function is None:
                    continue
                away = self._clients.sends_elsewhere(call, scope)  # `build(model, base_url=OTHER_HOST)`
                for name, arg in call_arguments(call, function):
                    for number, (_, _context, target) in enumerate(self._resolver.sinks_of(function, name)):
                        if (id(call), name, number) not in applied:
                            applied.add((id(call), name, number))
                            self._resolver.add_strings(arg, "argument", replace(target, elsewhere=True) if away else target, scope)
                    for number, (keys, target) in enumerate(self._resolver.dict_sinks_of(function, name)):
                        if (id(call), name, -1 - number) not in applied:  # `_post({"model": ...})`
                            applied.add((id(call), name, -1 - number))
                            handed = replace(target, elsewhere=True) if away else target
                            self._resolver.add_dict(arg, keys, handed, scope)
            self._resolver.resolve()
            if len(applied) == before:
                break
        self._handed_sinks = self._resolver.sink_counts()  # what calls of this file were handed (`answer`)
        for call, scope in self._helper_calls:
            function = _callee(call, scope)
            if function is None:
                continue
            for arg in _refused(call, function, self._constructs(call, function, scope)):  # `vary(image=i, model="dall-e-2")`: a TypeError, no request
                self._quiet_argument(arg)
            for name, arg in call_arguments(call, function):
                kind = self._kind(function, name)
                if kind == LOCAL:
                    self._quiet_argument(arg)
                elif (
                    (
                        kind == UNKNOWN or (kind == MODEL and not self._resolver.sinks_of(function, name))
                        # given back, and the call's value handed to another call routelint does
                        # not follow (`ChatBot(normalize(model))`): judged by the name, as before
                        or (kind == PASSED and id(call) in self._handed_on)
                    )
                    and is_model_name(name, self._index.model_names) and not mock_name(function.node.name.value, first=True)
                    and not local_name(function.node.name.value)  # (`_estimate_cost(text, model=...)`: a price's, as the visitor says)
                ):
                    # (MODEL without sinks: a use reaches a request through a name the resolver
                    # cannot follow, `model = model.lower(); send(model)`; a stand-in's parameter
                    # that reaches no request is not one: `mock_chat_completion(model=...)`)
                    self._resolver.add_strings(arg, "argument", Target(via=call), scope)
        for function, name, default in self._defaults:
            if self._kind(function, name) == LOCAL:
                self._quiet_argument(default)  # also `model = os.getenv("MODEL", "gpt-4")`, only shown
                for node in candidate_nodes(default):
                    if isinstance(node, cst.Dict):  # a table keyed by provider, only looked up
                        self.quiet_nodes.update(subtree_ids(node))
            elif (
                _private(function, called_elsewhere) and not _holds(default, cst.NamedExpr) and not self._finds_by_name()
                and _default_never_used(function, name, default, self._calls_of(function), self._words(), called_elsewhere)
            ):
                # (its strings only: a call in a default runs when the `def` does; found by review)
                for node in candidate_nodes(default):
                    fallback = getenv_default(node) if isinstance(node, cst.Call) else None
                    for value in candidate_nodes(fallback) if fallback is not None else [node]:
                        if not _holds(value, cst.Call):
                            self.dead_nodes.update(subtree_ids(value))
        self._resolver.resolve()
        self._quiet_records()
        for walked, own in self._walked:
            for value in overwritten(walked, functools.partial(_calls_a_function_of_the_file, scope=own)):
                self.dead_nodes.update(subtree_ids(value))

    def _constructs(self, call: cst.Call, function: FunctionRef, scope: Scope) -> bool:
        """Whether `call` builds an object of a class of this file that runs `function`, its own
        `__init__` (`_calls_own_init`), one the file sets nowhere else (`_INIT_SET`)."""
        return not self._sets_init() and _calls_own_init(call, function, scope)

    def runs_own_init(self, made: ClassRef) -> bool:
        """`runs_own_init`, in a file that sets no class's `__init__` after its body."""
        return not self._sets_init() and runs_own_init(made)

    def _sets_init(self) -> bool:
        if self._init_set is None:
            self._init_set = _INIT_SET.search(self._source) is not None or not self._source
        return self._init_set

    def _finds_by_name(self) -> bool:
        """Whether the file may find a function by a name built at run time (`globals()[...]`,
        `sys.modules`, `importlib.import_module(__name__)`, `eval`): code, not a word of a
        prompt (ytq's "python libraries and modules")."""
        if self._by_name is None:
            self._by_name = _RUN_TIME_LOOKUP.search(self._source) is not None
        return self._by_name

    def _words(self) -> Counter[str]:
        """How often the file's text names each word, counted once."""
        if self._word_counts is None:
            self._word_counts = Counter(_WORD.findall(self._source))
        return self._word_counts

    def _calls_of(self, function: FunctionRef) -> list[cst.Call]:
        """The calls of `function` this step saw (by its name, `self.name`, ...), every helper
        call's callee found once."""
        if self._callees is None:
            self._callees = {}
            for call, scope in self._helper_calls:
                callee = _callee(call, scope)
                if callee is not None:
                    self._callees.setdefault(id(callee.node), []).append(call)
        return self._callees.get(id(function.node), [])

    def _quiet_argument(self, arg: cst.CSTNode) -> None:
        """An argument that sends nothing: its strings, and an environment variable's fallback in
        it (`llm_model=os.getenv("LLM_MODEL", "gpt-3.5-turbo")` to a class that takes no such
        keyword, valesearch, corp53), which the variable's name would otherwise have judged."""
        for node in candidate_nodes(arg):
            self.quiet_nodes.add(id(node))
            fallback = getenv_default(node) if isinstance(node, cst.Call) else None
            if fallback is not None:
                self.quiet_nodes.update(id(n) for n in candidate_nodes(fallback))

    def _imported_calls(self) -> None:
        """Calls of functions imported from another module: each given a known model is asked
        about (`asks`, answered by the file that defines the function, facts.ASK); where that
        file has answered, its arguments go where its parameters go (SENT), or nowhere (QUIET,
        or a keyword the function has no parameter for: the call raises TypeError)."""
        for call, chain, scope in self._calls if self._asks_others else ():
            resolved = resolve_chain(chain, scope)
            if not isinstance(resolved, ImportedUse) or not _module_function(resolved):
                continue
            if any(mock_instance(arg.value, scope) or stand_in_parameter(arg.value, scope) for arg in call.args):
                continue  # `chat("gpt-4o", client=mock_client)`: given a stand-in, it sends nothing
            candidates = resolved.imported.candidates(resolved.rest)
            if not candidates:
                continue
            # the callee as written and the import it names: two functions imported under one
            # name (in two functions of the file) are told apart
            module, level, name = candidates[0]
            written = f"{'.'.join(chain)}@{'.' * level}{module}:{name}"
            private_default = name.split(".")[-1] in self._private_defaults
            answered = self._answers.get(written)
            if answered is not None:
                signature, verdicts = answered
                function = _declared_function(signature)
                if function is None:
                    continue
                for name, arg in call_arguments(call, function):
                    said = [(verdict, target) for parameter, verdict, target in verdicts if parameter == name]
                    # Sent to another host on one path and not on another (a provider table
                    # read at run time): the other host's says nothing of the rest.
                    mixed = any(v == SENT and t.elsewhere for v, t in said) and any(v == SENT and not t.elsewhere for v, t in said)
                    for verdict, target in said:
                        if self._answered_args.get(id(arg)) != SENT:  # (sent anywhere: a model)
                            self._answered_args[id(arg)] = verdict
                        if verdict == SENT and not (mixed and target.elsewhere):
                            self._resolver.add_strings(arg, "argument", target, scope)
                        elif verdict == NAMED:  # judged by the parameter's name, as in its own file
                            self._resolver.add_strings(arg, "argument", Target(via=call), scope)
                        elif verdict == QUIET:
                            self._quiet_argument(arg)
                for arg in _refused(call, function):  # `vary(image, model="dall-e-2")` on `def vary(image, n=1)`
                    self._quiet_argument(arg)
            if any(self._names_a_model(arg.value, scope) for arg in call.args) or private_default:
                # (a private function with a model default, whatever it is given: its file then
                # knows that another file calls it, and judges its defaults, `_default_never_used`)
                self.asks.append(Export(candidates, Target(call_node=call), (ASK, written), call.func))

    def _names_a_model(self, value: cst.BaseExpression, scope: Scope) -> bool:
        """Whether an argument holds one of the catalog's model IDs (a provider prefix aside),
        written there or through names bound once."""
        text = static_string(value, scope, 0)
        if text is None:
            return False
        prefix = next((p for p in self._index.prefixes if text.startswith(p.text)), None)
        return (text[len(prefix.text) :] if prefix is not None else text) in self._index.model_ids

    def _quiet_records(self) -> None:
        """A dict a function binds to a name and only gives to calls that send nothing, or as a
        record keyword (`kwargs = {"model": ...}; helper_under_test(kwargs, mock_span)`), is no
        request either: its strings are quiet. A read in a comparison is fine too; any other read
        of the name (a `**kwargs` into a request, a return) keeps them judged."""
        for name_node, function in self._recorded:
            bound = function.scope.bindings.get(name_node.value)
            if not bound or any(b.param is not None or not isinstance(b.value, cst.Dict) for b in bound):
                continue
            reads = self._occurrences(function.node, name_node.value)
            if all(
                id(node) in self._recorded_reads or (bool(parents) and isinstance(parents[-1], (cst.Comparison, cst.ComparisonTarget)))
                for node, parents in reads
            ):  # given only to calls that send nothing, or compared (`assert meta == user_meta`)
                for binding in bound:
                    self.quiet_nodes.update(subtree_ids(binding.value))  # type: ignore[arg-type]

    # --- what a parameter's uses say ------------------------------------------------------------
    def _kind(self, function: FunctionRef, name: str, active: frozenset[tuple[int, str]] = frozenset()) -> str:
        """MODEL, LOCAL (only tokenizers, prices, tests and messages), PASSED (given back by every
        `return` of the function, else only LOCAL uses), or UNKNOWN."""
        key = (id(function.node), name)
        if key in self._kinds:
            return self._kinds[key]
        if key in active:
            return NEUTRAL  # a recursive call passes it on to itself
        if self._resolver.sinks_of(function, name):
            return self._kinds.setdefault(key, MODEL)
        # Every read of the name counts, whatever it was bound to (several assignments of the
        # same local are fine: only where the reads go matters).
        kinds: set[str] = set()
        for node, parents in self._occurrences(function.node, name):
            kinds.add(self._use_kind(node, parents, function, active | {key}))
            if UNKNOWN in kinds or MODEL in kinds:
                break
        # Only tested or shown (`print(f"using {model}")`, a log line): it names nothing to send;
        # never read by a function that could read it: nothing either.
        if not kinds:
            parameter = any(p.name.value == name for p in all_params(function.node.params))
            ignored = _ignores_parameters(function, name) if parameter else _unread_local(function, name)
            verdict = LOCAL if ignored else UNKNOWN
        else:
            verdict = next((k for k in (MODEL, UNKNOWN, PASSED) if k in kinds), LOCAL)
        if not active:
            self._kinds[key] = verdict
        return verdict

    def _use_kind(self, node: cst.BaseExpression, parents: tuple[cst.CSTNode, ...], function: FunctionRef, active: frozenset[tuple[int, str]]) -> str:
        parent, above = parents[-1], parents[-2] if len(parents) > 1 else None
        if (
            isinstance(parent, cst.Attribute) and parent.attr.value in FOLDS and isinstance(above, cst.Call)
            and above.func is parent and len(parents) > 2
        ):  # `encoding_for_model(model.lower())`, `model = model.lower()`: the folded value goes where the name would
            return self._use_kind(above, parents[:-2], function, active)
        if (isinstance(parent, cst.Subscript) and parent.value is node) or (
            isinstance(parent, cst.IfExp) and node is not parent.test
        ):  # `model[len(prefix):]`, `a if c else model`: the value goes where the expression does
            return self._use_kind(parent, parents[:-1], function, active)
        if isinstance(parent, cst.Return):
            # given back (the resolver hands the argument on where the call's value goes): only
            # from the function's own returns, every one giving it back, as the resolver follows it
            own = not any(isinstance(p, (cst.FunctionDef, cst.Lambda)) for p in parents[1:])  # (the first: the function)
            names = {name.value for name in passed_names(node)}
            return PASSED if own and names and names <= given_back(function) else UNKNOWN
        copied = _copied_to(parents)
        if copied is not None:  # `model_str = model or "gpt-4"`: it goes where the local goes
            return self._kind(function, copied, active)
        if isinstance(parent, cst.Assign) and any(mock_instance(attribute_root(t.target), function.scope) for t in parent.targets):
            return LOCAL  # `client.model = model` on `client = MagicMock()`: a stand-in's attribute
        if isinstance(parent, cst.Arg) and isinstance(above, cst.Call):
            if any(a is not parent and mock_instance(a.value, function.scope) for a in above.args):
                return LOCAL  # `OpenAIAdapter(client=MagicMock(), model=model)`: nothing is sent
            chain = attribute_chain(above.func)
            origin = lookup_bindings(chain[0], function.scope) if chain[0] else None
            if chain[-2:] in _PATTERN_TESTS and _tested(parents[:-2], above):
                return LOCAL  # `if re.match(r"^o4-", model):` a test (not `re.match(...).group(1)`)
            if len(chain) > 1 and chain[-1] in LOOKUP_METHODS and above.args[0] is parent and parent.keyword is None:
                return LOCAL  # `MODEL_COSTS.get(model)`: a lookup key, as `MODEL_COSTS[model]` is
            if chain[-1] in self._index.local_calls or local_name(chain[-1]) or (
                origin and any(isinstance(b.value, Imported) and b.value.module == "tiktoken" for b in origin)
            ):
                return LOCAL
            answered = self._answered_args.get(id(node))
            if answered is not None:  # a function of another file, which said where the parameter goes
                return MODEL if answered == SENT else UNKNOWN if answered == NAMED else LOCAL
            if self._clients.sends_elsewhere(above, function.scope):
                return LOCAL  # `super().__init__(model=model, api_base_url="https://api.edenai.run/v3")`: another host's
            callee = _callee(above, function.scope)
            if callee is not None:
                for name, arg in call_arguments(above, callee):
                    if arg is node:
                        found = self._kind(callee, name, active)
                        # (returned by the callee: it goes where the call's value goes here)
                        return self._use_kind(above, parents[:-2], function, active) if found == PASSED else found
                if any(arg is node for arg in _refused(above, callee, self._constructs(above, callee, function.scope))):
                    return NEUTRAL  # `replace(image, model=model)` on a function without `model`: TypeError
                return UNKNOWN
            return NEUTRAL if chain[-1] in _SHOWING else UNKNOWN
        if isinstance(parent, (cst.Index, cst.Comparison, cst.ComparisonTarget)):
            return LOCAL  # a lookup key (`PRICES[model]`) or a test (`model in {...}`)
        if isinstance(parent, cst.Attribute) and isinstance(above, cst.Call) and above.func is parent:
            outer = parents[-3] if len(parents) > 2 else None
            if parent.attr.value in _TESTS or (
                parent.attr.value in FOLDS and isinstance(outer, (cst.Comparison, cst.ComparisonTarget))
            ):
                return LOCAL
            return UNKNOWN
        if isinstance(parent, cst.FormattedStringExpression):
            # `print(f"using {model}")`, `raise ValueError(f"... {model}")`: shown; any other
            # f-string (`f"openai/{model}"`, a URL, a JSON body, a command line) may be (part of)
            # a model or a request, whatever it is then given to
            return NEUTRAL if _shown(parents[:-1]) or _prose(parents[-2]) or _file_path(parents[:-1]) else UNKNOWN
        if isinstance(parent, (cst.If, cst.While, cst.Assert)):
            return NEUTRAL
        if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            return NEUTRAL
        return UNKNOWN


def _ignores_parameters(function: FunctionRef, name: str) -> bool:
    """Whether a parameter the body never reads is ignored: a plain function (not a method, which
    a subclass may override and read it in; not decorated, nor rebound after its `def` as
    `f = wrap(f)`, as a wrapper may read its arguments) with a body of its own (not a stub:
    `pass`, `...`, a docstring, `raise NotImplementedError`, nor a body the outline emptied,
    which is `pass`) that never names the parameter at all (a nested function's decorator, a
    class's base, a rebinding: `name_reads` sees reads only) nor reads its arguments some other
    way (`locals()`, `vars()`, `eval`, `exec`, a frame). A function inside it whose body is a stub
    may be one the outline emptied, whose reads LibCST never saw: then it may read it."""
    node = function.node
    outer = function.scope.parent
    if function.method or node.decorators or (outer is not None and outer.kind == "class"):
        return False
    if outer is not None and len(outer.bindings.get(node.name.value, ())) > 1:
        return False
    return not _reads_unseen(node, also=name)


def _private(function: FunctionRef, called_elsewhere: Collection[str]) -> bool:
    """A function no other file calls: nested in another function, or at module level with a
    private name (`_summarize`) that no file calling it has asked about (`called_elsewhere`: the
    project pass, facts.ASK); not a method nor a decorated one."""
    outer = function.scope.parent
    if function.method or function.node.decorators or outer is None or outer.kind == "class":
        return False
    named = function.node.name.value
    return outer.kind != "module" or (private_name(named) and named not in called_elsewhere)


def _default_never_used(
    function: FunctionRef, name: str, default: cst.CSTNode, calls: Sequence[cst.Call], words: Counter[str], called_elsewhere: Collection[str]
) -> bool:
    """Whether a parameter's default is never used: every call gives the argument, by position
    or keyword (`_summarize(prompt, schema, model)` with `model="gpt-4o-mini"` its default, ytq,
    corp54). Only for a function no other file calls: one nested in another function, or a
    module-level one with a private name (`_summarize`) no other file asked about; not a method (a subclass or another
    file may call it), nor a decorated one, and only when every mention of its name in the
    file's text is its `def` or one of these calls (the outline leaves calls in bodies it emptied
    unparsed, and a function handed on as a value, `partial(_summarize, ...)`, may be called
    anywhere); the caller also checks that the file finds no function by a name built at run
    time (`Flow._finds_by_name`: found by review)."""
    node = function.node
    if not calls or not _private(function, called_elsewhere):
        return False
    positional = [*node.params.posonly_params, *node.params.params]
    position = next((i for i, p in enumerate(positional) if p.name.value == name), None)
    own = [p for p in all_params(node.params) if p.name.value == name and p.default is default]
    if not own:
        return False  # (a local's value, or an option's default: not this parameter's)
    # (a positional-only parameter is never given by keyword: `model=` goes to `**options`)
    keyword = not any(p.name.value == name for p in node.params.posonly_params)
    for call in calls:
        if any(arg.star for arg in call.args):
            return False  # (`_summarize(*args)`: which are given is not known)
        given = sum(1 for arg in call.args if arg.keyword is None)
        by_keyword = keyword and any(arg.keyword is not None and arg.keyword.value == name for arg in call.args)
        if not by_keyword and (position is None or position >= given):
            return False
    return words[node.name.value] == 1 + len(calls)


def _holds(node: cst.CSTNode, kind: type[cst.CSTNode]) -> bool:
    """Whether a node of `kind` is in `node`: a call in a default runs with the `def`; a walrus
    there (`model=(DEFAULT := "gpt-4o")`) binds a name other code may send (found by review)."""
    return any(isinstance(part, kind) for part in subtree(node))


_WORD = re.compile(r"\w+")
# Words of code that finds a function by a name built at run time.
_RUN_TIME_LOOKUP = re.compile(r"\bsys\s*\.\s*modules\b|\b(?:globals|locals|vars|eval|exec|import_module|__import__)\s*\(|__dict__")


def _unread_local(function: FunctionRef, name: str) -> bool:
    """Whether a local of the function's own scope (`model = "gpt-4"` in its body, not in a class
    inside it), which no statement reads (`name_reads`: a `global`, an augmented assignment, a
    `del` or a loop target count as reads), is dead: nothing can send it, unless the function reads
    its locals some other way (`locals()`, `vars()`, `eval`, `exec`, a frame) or a function inside
    it is a stub the outline may have emptied, whose reads LibCST never saw."""
    if name not in function.scope.bindings or _reads_unseen(function.node):
        return False
    # Every other place the name is written (a decorator's argument, a class's base or keyword,
    # which `name_reads` does not walk) may read it: only plain assignments of it may remain.
    names, stores = _mentions(function.node.body, name)
    return names == stores


def _reads_unseen(function: cst.FunctionDef, also: str = "") -> bool:
    """Whether the function may read its parameters and locals where the walk cannot see it: a
    function inside it whose body is a stub (the outline may have emptied it: LibCST never saw its
    reads), or a call that reads them without naming them (`locals()`, `vars()`, a frame); with
    `also`, or any mention of that name."""
    if any(all(_stub_statement(statement) for statement in inner.body.body) for inner in _functions_in(function)):
        return True
    if not _names_in(function.body).isdisjoint(_INTROSPECTION):
        return True
    return bool(also) and also in _names_in(function.body, variables=True)


# Calls that read a function's arguments without naming them.
_INTROSPECTION = frozenset({
    "locals", "vars", "eval", "exec", "_getframe", "currentframe", "getargvalues", "signature", "stack", "f_locals",
})


def overwritten(function: cst.FunctionDef, defined_here: Callable[[cst.Call], bool]) -> Iterator[cst.BaseExpression]:
    """Values the function binds to a local and binds again, in the same block, before anything
    names it: `llm = ChatOpenAI(model="gpt-4o-mini")` then `llm = ChatOpenAI(model="gpt-5.5")`
    (ia-planner-jerson-gpt). Only values that send nothing as they are built (a literal, a
    display, a class's construction, `os.getenv`; not a call of a function of the file,
    `defined_here`); only in blocks no `try` or `with` holds (an exception between the two may
    leave the first for a handler), with no `break` or `continue` between; not for a name the
    function declares `global` or `nonlocal`, nor one a function or lambda inside it names (it
    reads it whenever it is called). Nothing when the function reads its locals some other way
    (`locals()`, a frame) or a function inside it is a stub the outline may have emptied."""
    candidates: list[tuple[Sequence[cst.BaseStatement], int, str, cst.BaseExpression]] = []
    for block in _plain_blocks(function.body):
        stores = [_plain_store(statement) for statement in block]
        names = [store[0] for store in stores if store is not None]
        if len(set(names)) == len(names):
            continue  # no name bound twice in this block: the common case, decided without a walk
        candidates += [(block, number, *store) for number, store in enumerate(stores) if store is not None]
    if not candidates or _reads_unseen(function):
        return
    closed = set().union(*(_names_in(f) for f in _nested_callables(function.body)), _declared(function))
    for block, number, name, value in candidates:
        if name in closed or not _built_quietly(value, defined_here):
            continue
        for later in block[number + 1:]:
            again = _plain_store(later)
            if again is not None and again[0] == name and _mentions(again[1], name)[0] == 0:
                yield value
                break
            if _mentions(later, name)[0] or _jumps(later):
                break


def _plain_blocks(body: cst.BaseSuite) -> Iterator[Sequence[cst.BaseStatement]]:
    """The statement lists of a function's own body and of the `if`, `for` and `while` blocks in
    it (not of `try` or `with`, nor of functions and classes inside it)."""
    if not isinstance(body, cst.IndentedBlock):
        return
    yield body.body
    for statement in body.body:
        if isinstance(statement, (cst.If, cst.For, cst.While)):
            yield from _plain_blocks(statement.body)
            orelse = statement.orelse
            while isinstance(orelse, cst.If):  # elif
                yield from _plain_blocks(orelse.body)
                orelse = orelse.orelse
            if isinstance(orelse, cst.Else):
                yield from _plain_blocks(orelse.body)


def _plain_store(statement: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    """(name, value) of a line that only binds one name: `name = value`, `name: T = value`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value, small.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        return small.target.value, small.value
    return None


def _built_quietly(value: cst.CSTNode, defined_here: Callable[[cst.Call], bool]) -> bool:
    """A value whose making sends nothing: literals, displays, and calls of classes (a capitalized
    last name: `ChatOpenAI(...)`, not a function of the file) or of the environment
    (`os.getenv`, `os.environ.get`; not any `.get`, which may be an HTTP GET), all the way down."""
    if isinstance(value, cst.Call):
        chain = attribute_chain(value.func)
        built = chain[-1][:1].isupper() and not defined_here(value)
        if not (built or chain[-1] == "getenv" or chain[-2:] == ("environ", "get")):
            return False
    elif isinstance(value, (cst.Lambda, cst.Await, cst.Yield, cst.NamedExpr)):
        return False
    return all(_built_quietly(child, defined_here) for child in child_nodes(value))


def _calls_a_function_of_the_file(call: cst.Call, scope: Scope) -> bool:
    """`Ask("gpt-4", text)` on a `def Ask(...)` of this file: a call that may send, capitalized or not."""
    chain = attribute_chain(call.func)
    found = lookup_bindings(chain[0], scope) if chain[0] else None
    return bool(found) and any(isinstance(b.value, FunctionRef) for b in found)  # type: ignore[union-attr]


def _nested_callables(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The functions and lambdas inside a function's body, at any depth."""
    for child in child_nodes(node):
        if isinstance(child, (cst.FunctionDef, cst.Lambda)):
            yield child
        yield from _nested_callables(child)


def _declared(function: cst.FunctionDef) -> set[str]:
    """The names the function declares `global` or `nonlocal` (their stores are seen elsewhere)."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Global, cst.Nonlocal)):
            found.update(item.name.value for item in current.names)
        stack.extend(child_nodes(current))
    return found


def _jumps(statement: cst.CSTNode) -> bool:
    """A `break` or `continue` anywhere in the statement: the loop may leave with the first value."""
    if isinstance(statement, (cst.Break, cst.Continue)):
        return True
    return any(_jumps(child) for child in child_nodes(statement))


def _mentions(node: cst.CSTNode, name: str) -> tuple[int, int]:
    """How often `name` is written under `node` as a name, and how many of those are the target
    of a plain assignment (`name = ...`, `name: T = ...`)."""
    names = stores = 0
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            names += current.value == name
            continue
        if isinstance(current, (cst.AssignTarget, cst.AnnAssign)):
            stores += isinstance(current.target, cst.Name) and current.target.value == name
        stack.extend(child_nodes(current))
    return names, stores


def _names_in(node: cst.CSTNode, *, variables: bool = False) -> set[str]:
    """Every name and attribute name written under `node` (asked only for a function whose
    parameter no read reaches: rare); `variables`: only names that can be a variable (not an
    attribute's, `x.model`, nor a keyword's, `f(model=...)`)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif variables and isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)  # not `x.model`'s name, nor `f(model=...)`'s keyword
        else:
            stack.extend(child_nodes(current))
    return found


def _functions_in(node: cst.CSTNode) -> Iterator[cst.FunctionDef]:
    """`node` if it is a function, and every function defined inside it."""
    if isinstance(node, cst.FunctionDef):
        yield node
    for child in child_nodes(node):
        if not isinstance(child, cst.BaseExpression):
            yield from _functions_in(child)


def _stub_statement(statement: cst.BaseStatement | cst.BaseSmallStatement) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return all(_stub_statement(small) for small in statement.body)
    if isinstance(statement, cst.Pass):
        return True
    if isinstance(statement, cst.Expr):
        return isinstance(statement.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString))
    if isinstance(statement, cst.Raise):
        return statement.exc is not None and attribute_chain(
            statement.exc.func if isinstance(statement.exc, cst.Call) else statement.exc
        )[-1] == "NotImplementedError"
    return False


def _shown(parents: tuple[cst.CSTNode, ...]) -> bool:
    """Whether the f-string at the end of `parents` is only shown: given to a call that shows or
    logs (`print`, `logger.info`, `printd`), as `help=` / `description=` / `message=`, or the
    message of a `raise` or an `assert`."""
    index = len(parents) - 1  # the FormattedString
    while index > 0 and isinstance(parents[index - 1], cst.ConcatenatedString):
        index -= 1  # `f"... {model}. " f"See ..."`: the message is the whole concatenation
    holder = parents[index - 1] if index > 0 else None
    if isinstance(holder, cst.Arg) and holder.keyword is not None and holder.keyword.value in _SHOWING_KEYWORDS:
        return True  # `add_argument("--4o", help=f"Use {model} ...")`
    if isinstance(holder, cst.Arg) and index > 1 and isinstance(parents[index - 2], cst.Call):
        call = parents[index - 2]
        name = attribute_chain(call.func)[-1]  # type: ignore[attr-defined]
        return name in _SHOWING or name.startswith(_SHOWING_PREFIXES) or (index > 2 and isinstance(parents[index - 3], cst.Raise))
    return isinstance(holder, (cst.Assert, cst.Raise))


def _tested(parents: tuple[cst.CSTNode, ...], value: cst.CSTNode) -> bool:
    """Whether `value` (with the nodes above it) is only tested for truth: the condition of an
    `if`, `elif`, `while` or `assert`, or negated."""
    holder = parents[-1] if parents else None
    if isinstance(holder, (cst.If, cst.While, cst.Assert)):
        return holder.test is value
    return isinstance(holder, cst.UnaryOperation) and isinstance(holder.operator, cst.Not)


def _prose(string: cst.CSTNode) -> bool:
    """An f-string of several lines that writes no key, keyword or URL (`f"## Consultation
    ({model})\n\n{answer}"`): a text for people, not a model, a request or a config."""
    if not isinstance(string, cst.FormattedString):
        return False
    text = "".join(p.value for p in string.parts if isinstance(p, cst.FormattedStringText))
    return (
        ("\n" in text or "\\n" in text)  # a line break, or its escape
        and _WORDS.search(text) is not None and _NOT_PROSE.search(text) is None
    )


def _file_path(parents: tuple[cst.CSTNode, ...]) -> bool:
    """Whether the f-string at the end of `parents` writes a file's path (`out =
    f"./outputs/{task}/{model_name}/"`, `open(f"results_{model}.json")`; hypogenic, corp56): a
    relative path from here or home, or a name with a file's extension, with no space (not a
    command line) and not after a value (`f"{BASE}/cards/{model}.json"` may be a URL), bound to
    a name or given to a call that opens or makes a path (`open`, `Path`, `os.path.join`,
    `to_csv`...), not to any other (`session.post(f"./{model}/generate")`). Found by review."""
    string = parents[-1]
    if not isinstance(string, cst.FormattedString):
        return False
    text = "".join(p.value if isinstance(p, cst.FormattedStringText) else "\0" for p in string.parts)
    if "://" in text or text.startswith("\0") or any(c.isspace() for c in text):
        return False
    if not (text.startswith(("./", "../", "~/")) or _FILE_EXTENSION.search(text) is not None):
        return False
    holder = parents[-2] if len(parents) > 1 else None
    if isinstance(holder, cst.Arg) and len(parents) > 2 and isinstance(parents[-3], cst.Call):
        return attribute_chain(parents[-3].func)[-1] in _PATH_CALLS
    return isinstance(holder, (cst.Assign, cst.AnnAssign))


# Calls that open, make or name a file at a path.
_PATH_CALLS = frozenset({
    "open", "Path", "PurePath", "join", "makedirs", "mkdir", "exists", "isfile", "isdir", "to_csv", "to_json",
    "to_parquet", "read_csv", "read_json", "savefig", "write_text", "write_bytes",
})
# A file's extension after a value: `{model}.json`, `_{model}_scores.csv`.
_FILE_EXTENSION = re.compile(
    r"\0[\w-]*\.(?:json|jsonl|csv|tsv|txt|md|log|pkl|pickle|npy|npz|parquet|png|jpe?g|wav|mp3|mp4|ya?ml|html|pdf)$", re.IGNORECASE
)
_WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")  # words written as words: a text for people
# A key, keyword, option, URL, escaped brace or markup: a config, a request, a command line.
_NOT_PROSE = re.compile(r"""model\w*["']?\s*[=:]|["']model|--model|://|\{|<|^\s*[\w.-]+\s*[=:]""", re.IGNORECASE | re.MULTILINE)


def mock_instance(node: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
    """Whether an expression is a unittest.mock instance or a test's stand-in (`MagicMock()`,
    `FakeLLM()`), a name bound only to one, or a call of a function of this file that returns one
    (`_make_sync_client(model)`)."""
    if isinstance(node, cst.Call):
        chain = attribute_chain(node.func)
        if chain[-1] in MOCK_CLASSES or (chain[-1][:1].isupper() and stands_in(chain[-1])):
            return True  # `MagicMock()`, `FakeLLM()`
        function = _callee(node, scope) if depth < 2 else None
        returned = function.returns() if function is not None else []
        return bool(returned) and all(mock_instance(v, function.scope, depth + 1) for v in returned)  # type: ignore[union-attr]
    if isinstance(node, cst.Name):
        found = lookup_bindings(node.value, scope)
        return bool(found) and all(
            isinstance(b.value, cst.Call) and mock_instance(b.value, b.scope, depth) for b in found  # type: ignore[union-attr]
        )
    return False


def stand_in_parameter(node: cst.BaseExpression, scope: Scope) -> bool:
    """`def test_x(mock_span): ...`: a parameter without a default named for a stand-in, as
    pytest fixtures that provide mocks are named."""
    if not isinstance(node, cst.Name) or not mock_name(node.value):
        return False
    found = lookup_bindings(node.value, scope)
    return bool(found) and all(b.param is not None and b.value is None for b in found)  # type: ignore[union-attr]


def _module_function(used: ImportedUse) -> bool:
    """Whether an imported name used as a callee may be a function or a class of a module
    (`complete`, `llm.complete`, `OpenAIProvider`, `providers.OpenAIProvider`): not a class's
    method (`Converter.convert(...)`), nor a method of an object (`openai.chat.completions.create`),
    which no file answers for."""
    parts = [p for p in (used.imported.name, *used.rest) if p]
    return 0 < len(parts) <= 2 and not any(part[:1].isupper() for part in parts[:-1])


@functools.lru_cache(maxsize=64)
def _declared_function(signature: str) -> FunctionRef | None:
    """A function with these parameters (facts.ANSWER's signature), for matching a call's
    arguments to them; None if the text is not a parameter list."""
    try:
        statement = cst.parse_statement(f"def _({signature}): pass")
    except cst.ParserSyntaxError:
        return None
    if not isinstance(statement, cst.FunctionDef):
        return None
    return FunctionRef(statement, Scope("function", None))  # (a scope of its own: nothing is looked up in it)


def signature(function: cst.FunctionDef, *, receiver: bool = False) -> str:
    """A function's parameters, names only (`prompt, model, *, temperature, **kwargs`), as an
    answer carries them (facts.ANSWER); `receiver`: a method's, whose first is left out (a
    class's `__init__`, called as the class)."""
    params = function.params
    positional = [p.name.value for p in [*params.posonly_params, *params.params]][1 if receiver else 0 :]
    cut = max(len(params.posonly_params) - (1 if receiver else 0), 0)
    parts = positional[:cut]
    if parts:
        parts.append("/")
    parts += positional[cut:]
    if isinstance(params.star_arg, cst.Param):
        parts.append("*" + params.star_arg.name.value)
    elif params.kwonly_params:
        parts.append("*")
    parts += [p.name.value for p in params.kwonly_params]
    if params.star_kwarg is not None:
        parts.append("**" + params.star_kwarg.name.value)
    return ", ".join(parts)


def _callee(call: cst.Call, scope: Scope) -> FunctionRef | None:
    """The function of this file a call calls: a name bound once to it, `self.name`, a class's
    own `__init__`, or a method of an object of a class of this file (`Provider(key).chat(...)`,
    and `provider.chat(...)` with the name bound once to `Provider(key)`)."""
    func = call.func
    chain = attribute_chain(func)
    if len(chain) == 1:
        return plain_function(call, scope) or _method(call, scope, "__init__")  # `Generator(model=...)`: its `__init__`
    if len(chain) == 2 and isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
        return _method(func.value, scope, chain[1])
    found = lookup_bindings(chain[0], scope) if chain[0] else None
    if found is None or len(found) != 1:
        return None
    value = found[0].value
    if isinstance(value, SelfRef):
        # (not `self.provider.chat(...)`: a subclass may set `self.provider` to an object of
        # another class, in a statement the outline did not parse; found by review)
        return _member(value.scope.bindings.get(chain[1], [])) if len(chain) == 2 else None
    return _method(value, found[0].scope, chain[1]) if len(chain) == 2 and isinstance(value, cst.Call) else None


def _method(made: cst.Call, scope: Scope, name: str) -> FunctionRef | None:
    """The method `name` that the class of this file `made` builds an object of defines itself."""
    chain = attribute_chain(made.func)
    found = lookup_bindings(chain[0], scope) if len(chain) == 1 and chain[0] else None
    if found is None or len(found) != 1 or not isinstance(found[0].value, ClassRef):
        return None
    return _member(found[0].value.scope.bindings.get(name, []))


def _calls_own_init(call: cst.Call, function: FunctionRef, scope: Scope) -> bool:
    """Whether `call` names a class of this file (bound once) that surely runs its own
    `__init__` (`runs_own_init`), and that is `function`."""
    if function.node.name.value != "__init__" or not isinstance(call.func, cst.Name):
        return False
    found = lookup_bindings(call.func.value, scope)
    if found is None or len(found) != 1 or not isinstance(found[0].value, ClassRef):
        return False
    made = found[0].value
    return runs_own_init(made) and _member(made.scope.bindings.get("__init__", [])) is function


def runs_own_init(made: ClassRef, depth: int = 0) -> bool:
    """Whether calling a class of this file surely runs its own `__init__` with the arguments
    given: not an enum, no decorator nor `metaclass=` (attrs' `@attr.s` writes its own
    `__init__`; a metaclass's `__call__` may take other keywords), no `__new__` (which may build
    another object), and no base but `object` and classes of this file of which the same holds
    (a base of another module may have a metaclass). Found by review."""
    if made.enum or not made.plain or "__new__" in made.scope.bindings or depth > MAX_DEPTH:
        return False
    outer = made.scope.parent
    for base in made.scope.bases:
        chain = attribute_chain(base)
        if chain == ("object",):
            continue
        found = lookup_bindings(chain[0], outer) if len(chain) == 1 and chain[0] and outer is not None else None
        if not found or len(found) != 1 or not isinstance(found[0].value, ClassRef) or not runs_own_init(found[0].value, depth + 1):
            return False
    return True


# `Engine.__init__ = _init`, `setattr(Engine, "__init__", ...)`: a class's `__init__` set after its body.
_INIT_SET = re.compile(r"\.__init__\s*=[^=]|[\"']__init__[\"']")


def _member(bound: list[Binding]) -> FunctionRef | None:
    value = bound[0].value if len(bound) == 1 else None
    return value if isinstance(value, FunctionRef) else None


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


def _refused(call: cst.Call, function: FunctionRef, constructs: bool = False) -> Iterator[cst.CSTNode]:
    """The keyword arguments a function of this file has no parameter for: the call raises
    TypeError before its body runs. Not for a function that takes `**kwargs`, nor a decorated one
    (the decorator may take other keywords), nor a method, unless it is a class's own `__init__`
    and the call names the class (`constructs`, `Flow._constructs`: `HybridEngine(llm_model=...)`,
    valesearch; no subclass's override can be the one called, as for a class another file
    defines, `extract._answers`)."""
    params = function.node.params
    if params.star_kwarg is not None or function.node.decorators or (function.method and not constructs):
        return  # (a method: a subclass's override may take the keyword)
    accepted = {p.name.value for p in [*params.params, *params.kwonly_params]}
    for arg in call.args:
        if arg.keyword is not None and not arg.star and arg.keyword.value not in accepted:
            yield arg.value


Parents = tuple[cst.CSTNode, ...]
Reads = dict[str, list[tuple[cst.Name, Parents]]]


@dataclass(frozen=True)
class FunctionBody:
    """A function read in one walk (a test module has many functions, and both this step and
    inspection.py read each): where it reads each name, and its constructions (calls, in its own
    body, of a capitalized name: a class), each with the nodes above it."""

    reads: Reads
    constructions: tuple[tuple[cst.Call, Parents], ...]

    @classmethod
    def of(cls, function: cst.FunctionDef) -> FunctionBody:
        constructions: list[tuple[cst.Call, Parents]] = []

        def construction(node: cst.CSTNode, parents: Parents) -> None:
            if isinstance(node, cst.Call) and attribute_chain(node.func)[-1][:1].isupper():
                constructions.append((node, parents))

        return cls(name_reads(function, construction), tuple(constructions))


def name_reads(function: cst.FunctionDef, own_node: Callable[[cst.CSTNode, Parents], None] | None = None) -> Reads:
    """Where a function's body reads each name (not as a keyword, an attribute or a binding; not
    in a function inside it that takes the name as a parameter), with the nodes above each read,
    the nearest last: one walk for every name. `own_node` is shown every other node of the
    function's own body (not of the functions and classes inside it)."""
    found: Reads = {}

    def visit(node: cst.CSTNode, parents: Parents, shadowed: frozenset[str], own: bool) -> None:
        if isinstance(node, cst.Name):
            if node.value not in shadowed:
                found.setdefault(node.value, []).append((node, parents))
            return
        inner = (*parents, node)
        if isinstance(node, (cst.Attribute, cst.Arg)):
            visit(node.value, inner, shadowed, own)
            return
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
            return  # the binding itself (a second one makes the name ambiguous: `kind` checks)
        if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            for part in (node.annotation, node.value):
                if part is not None:
                    visit(part, inner, shadowed, own)
            return
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            params = list(all_params(node.params))
            for param in params:
                if param.default is not None:
                    visit(param.default, inner, shadowed, own)
            visit(node.body, inner, shadowed | {p.name.value for p in params}, False)
            return
        if isinstance(node, cst.ClassDef):
            visit(node.body, inner, shadowed, False)
            return
        if own and own_node is not None:
            own_node(node, parents)
        for field in child_fields(type(node)):
            value = getattr(node, field)
            for child in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(child, cst.CSTNode):
                    visit(child, inner, shadowed, own)

    visit(function.body, (function,), frozenset(), True)
    return found


