"""The facts the extractor hands to the checks (and to the project pass), and string reading."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the checks import these facts; LibCST loads only when a file is parsed
    import libcst as cst


@dataclass(frozen=True)
class Target:
    """Where a model string goes: the surface(s) and the call (or URL) that says so."""

    surface: str | None = None
    alternatives: tuple[str, ...] = ()  # other surfaces the wrapper may pick per request
    call: str | None = None  # the SDK call path, wrapper or URL that gives the surface
    call_node: cst.CSTNode | None = None  # where that call is, in this file (for messages)
    call_site: str | None = None  # "path:line" of the call, when it is in another file
    wrapper: bool = False  # a library that understands provider prefixes ("openai/gpt-5.5")
    # The request goes to an Azure deployment or a host other than OpenAI's: the string is not
    # judged there, and neither is the same literal wherever it has no surface of its own.
    elsewhere: bool = False
    via: cst.Call | None = None  # the call the model is handed to (its client decides `elsewhere`)
    origin: str | None = None  # the file the call is in, when it is another file (the project pass)
    silenced: frozenset[str] = frozenset()  # codes a noqa comment at that use silences (for that use only)
    # Written in a class, function or assignment named for OpenAI (`OpenAIEvalClient`,
    # `DEFAULT_OPENAI_SETTINGS`): judged even in a file that also builds Azure clients.
    openai_named: bool = False
    # One of a list's elements or a dict's values, picked at run time (`MODELS[choice]`): judged
    # without the call's surface (which element reaches which call is not known), and sent to
    # another host there, it says nothing of where the same literal goes elsewhere.
    among: bool = False
    # The surface is only the provider prefix's ("openai:gpt-4o" handed to a function of the
    # file): no call here says it, so a test that patches what it calls sends it nowhere.
    by_prefix: bool = False

    def picked_at_run_time(self) -> Target:
        """This target for one of several values a call may get (`among`)."""
        return replace(self, surface=None, alternatives=(), among=True)


@dataclass(frozen=True)
class ModelUse:
    """A string in a model context."""

    value: str  # the model, without a provider prefix
    node: cst.CSTNode  # the string literal (or f-string part); findings are reported here
    context: str  # keyword, argument, assignment, dict, subscript, parameter, return, environment, name, url
    surface: str | None = None  # the API surface it is sent to, when known
    call: str | None = None  # the SDK call path that gives the surface
    call_node: cst.CSTNode | None = None  # where that call is (for messages)
    rewritable: bool = True  # a plain string literal whose content can be replaced exactly
    why_not_rewritable: str | None = None
    alternatives: tuple[str, ...] = ()  # other surfaces it may go to (the wrapper picks)
    span: tuple[int, int] | None = None  # the model's characters in the node's source text, if not all of it
    call_site: str | None = None  # "path:line" of the call in another file that gives the surface
    origin: str | None = None  # that other file's path
    silenced: frozenset[str] = frozenset()  # codes the use's own noqa comment silences for it
    by_prefix: bool = False  # the surface is the provider prefix's guess ("openai:" -> Responses), no call's

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.surface, *self.alternatives) if self.surface is not None else ()

    @property
    def called_surface(self) -> str | None:
        """The surface a call says the string goes to; None for a bare provider prefix's guess
        (`"openai:gpt-4o"` on a client routelint does not know: the Responses API for pydantic-ai,
        a Chat Completions call for borgllm's), which advice must not name."""
        return None if self.by_prefix and self.call_node is None else self.surface


@dataclass(frozen=True)
class ApiCall:
    """A call that reaches an API surface."""

    path: str  # the matched SDK method path (videos.create), or the HTTP call (requests.post)
    surface: str
    node: cst.CSTNode  # the called expression (client.videos.create)
    certain: bool = False  # the URL names the OpenAI API: no need to see `import openai`
    # How messages name the request when it is not a call of `path` itself: a Batch API job
    # (`batches.create(endpoint="/v1/videos")`) or a batch request line.
    subject: str | None = None
    via: cst.Call | None = None  # the SDK call made (its client decides whether it goes to OpenAI)
    openai_named: bool = False  # made in a class or function named for OpenAI (as Target.openai_named)


@dataclass(frozen=True)
class ParamUse:
    """A request parameter given to an API surface: `prompt=` of `client.responses.create`, or
    the `"prompt"` key of a Realtime session config."""

    surface: str
    name: str
    node: cst.CSTNode  # the keyword's name, or the dict key; findings are reported here
    call: str | None = None  # the SDK call path it is given to
    via: cst.Call | None = None  # that call, when it is one made here (its client decides where it goes)
    openai_named: bool = False  # made in a class or function named for OpenAI (as Target.openai_named)

@dataclass(frozen=True)
class Export:
    """A name imported from another module, used as a model here; or a question about a function
    imported from another module and the answer to it (`keys` start with ASK / ANSWER)."""

    candidates: tuple[tuple[str, int, str], ...]  # (module, level, dotted name), most likely first
    target: Target
    keys: tuple[str, ...] = ()  # a dict's keys down to the model (`**REQUEST` -> ("model",))
    node: cst.CSTNode | None = None  # the name as written here (the noqa comment of its line speaks for this use)
    to: str | None = None  # the file it goes to, when it is not found by `candidates` (an answer: the asking file)


# Functions called across files (`complete(text, "gpt-4o")` after `from .llm import complete`):
# the calling file asks the defining file where the function's parameters go, and the defining
# file answers. An ask's keys: (ASK, the callee as written in the calling file and the import it
# names). An answer's keys: (ANSWER, that, the function's parameters (`flow.signature`), the
# parameter, its verdict (SENT: to the answer's target; QUIET: nowhere; NAMED: somewhere the
# defining file cannot follow, a parameter named for a model, so judged by that name as in the
# defining file); with no parameter and no verdict, the parameters alone. A class answers for
# its `__init__`, the receiver left out.
ASK, ANSWER = "(ask)", "(answer)"
SENT, QUIET, NAMED = "sent", "quiet", "named"


@dataclass(frozen=True)
class Incoming:
    """A use of one of this module's names (dotted: `Settings.MODEL`) by a call in another file."""

    name: str
    target: Target  # with call_site instead of call_node
    keys: tuple[str, ...] = ()  # the name is a dict; these keys lead to the model


@dataclass(frozen=True)
class FileFacts:
    uses: tuple[ModelUse, ...]
    calls: tuple[ApiCall, ...]
    imports_openai: bool
    module_elsewhere: bool
    exports: tuple[Export, ...] = ()
    chunk_of: Mapping[int, int] = field(default_factory=dict)  # id(node) -> index of its chunk
    params: tuple[ParamUse, ...] = ()


@dataclass(eq=False)
class Sink:
    """What the extractor's parts find in one file, before the judging step filters the uses."""

    uses: list[ModelUse] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # the target of each use, in the order of `uses`
    calls: list[ApiCall] = field(default_factory=list)
    params: list[ParamUse] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    elsewhere_nodes: set[int] = field(default_factory=set)  # literals sent to Azure or another host
    imports_openai: bool = False
    module_elsewhere: bool = False  # `openai.api_type = "azure"`: the whole module is Azure's
    # `openai.api_base = "https://other.host/v1"`: the module-level client's calls go there (an
    # `OpenAI()` client does not read it)
    module_client_elsewhere: bool = False
    # `BASE_URL = "https://openrouter.ai/api/v1"` at module level: the module's provider-prefixed
    # models ("openai/gpt-4o-mini") are that gateway's names
    module_gateway: bool = False

    def add_use(self, use: ModelUse, target: Target) -> None:
        self.uses.append(use)
        self.targets.append(target)


def string_value(node: cst.CSTNode) -> tuple[str, bool, str | None] | None:
    """(value, rewritable, why not) for a string literal we can read statically, else None."""
    import libcst as cst

    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, bytes):
            return value.decode("latin-1"), False, "a byte string"
        return value, True, None
    if isinstance(node, cst.ConcatenatedString):
        joined = node.evaluated_value
        if joined is None:
            return None
        if isinstance(joined, bytes):
            return joined.decode("latin-1"), False, "a byte string"
        return joined, False, "implicitly concatenated string parts"
    if isinstance(node, cst.FormattedString):
        texts = [part.value for part in node.parts if isinstance(part, cst.FormattedStringText)]
        if len(texts) == len(node.parts):
            return "".join(texts), False, "an f-string"
    return None


def dict_string(node: cst.Dict, key: str) -> str | None:
    """The string a dict display gives `key` (`{"type": "realtime"}` -> "realtime"), if it reads."""
    import libcst as cst

    for element in node.elements:
        if isinstance(element, cst.DictElement):
            found = string_value(element.key)
            if found is not None and found[0] == key:
                value = string_value(element.value)
                return value[0] if value else None
    return None


def literal_pieces(node: cst.CSTNode) -> list[str]:
    """The source text of each piece of a string literal, quotes and prefix included: what the
    prefilter saw of it (`"gpt-" "5"` -> ['"gpt-"', '"5"'])."""
    import libcst as cst

    if isinstance(node, cst.SimpleString):
        return [node.value]
    if isinstance(node, cst.FormattedStringText):  # a piece of an f-string (a URL's query)
        return [node.value]
    if isinstance(node, cst.ConcatenatedString):
        return [*literal_pieces(node.left), *literal_pieces(node.right)]
    if isinstance(node, cst.FormattedString):
        text = "".join(p.value if isinstance(p, cst.FormattedStringText) else "{}" for p in node.parts)
        return [node.start + text + node.end]
    return []


def body_span(node: cst.SimpleString, start: int, end: int) -> tuple[int, int] | None:
    """Where value[start:end] sits in the literal's source text, when it is written verbatim."""
    opening = len(node.prefix) + len(node.quote)
    raw = node.value[opening : len(node.value) - len(node.quote)]
    value = node.evaluated_value
    if raw != value:
        return None  # escapes: the source text is not the value
    return opening + start, opening + end
