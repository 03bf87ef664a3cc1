"""What a name says about the value it holds: a model (`chat_model`, `judge_model_name`), or
something about one (`model_path`), or a token counter's (`count_tokens`). Guesses about names,
kept in Python next to the code that uses them (not facts about a library: those are in rules/).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# A name part after "model" that says the value is not a model ID but something about one:
# `default_model_dataset`, `model_path`, `MODEL_PROVIDER`, `model_kwargs`.
_NOT_AN_ID = frozenset({
    "dataset", "datasets", "data", "path", "paths", "dir", "dirs", "directory", "file", "files", "filename",
    "folder", "column", "columns", "col", "url", "urls", "endpoint", "provider", "providers", "kwargs", "args",
    "params", "parameters", "config", "configs", "cfg", "settings", "class", "cls", "list", "map", "mapping",
    "dict", "table", "cost", "costs", "price", "prices", "pricing", "tokens", "limit", "limits", "output",
    "outputs", "response", "responses", "result", "results", "key", "keys", "prefix", "prefixes", "pattern",
    "regex", "tokenizer", "encoding", "index", "idx", "count", "counts", "size", "dim", "dims", "info",
})
# A name part before "model" that says the model only picks a tokenizer: `tokenizer_model`.
_FOR_A_TOKENIZER = frozenset({"tokenizer", "token", "tokens", "encoding", "tiktoken", "tokenization"})
# A name part before "model" that says the value stands in for one in a test, or is what a test
# expects to see: `mock_model`, `expected_model`.
_STAND_IN = frozenset({"mock", "mocked", "fake", "dummy", "stub", "expected"})
# A function whose name has one of these parts counts tokens or prices: `len_tokens`,
# `get_tokenizer`, `_get_encoding_model`, `estimate_cost`, `TokenUsage`. What it is given is never a request.
_LOCAL_PARTS = frozenset({
    "token", "tokens", "tokenizer", "tokenizers", "tokenize", "tokenization", "tiktoken", "encoding", "encodings",
    "cost", "costs", "price", "prices", "pricing",
})
WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")  # the words of a snake_case or CamelCase name
# Words of a class name that say its objects record what came back: a response, a message, an
# error (`ChatResponse`, `AssistantMessage`, `RateLimitError`; never the `OpenAIResponses`
# wrappers, which are told apart by the catalog's wrappers first).
_RECORD_CLASS_WORDS = frozenset({"response", "message", "error", "exception"})
# ... and words that say so only as the last word (`LLMResult`, `Logging`; not `LogAnalyzer`).
_RECORD_CLASS_LAST_WORDS = frozenset({"result", "log", "logging", "logger"})


def record_class_name(name: str) -> bool:
    """A class named for what came back or went wrong (`ChatResponse`, `RateLimitError`): built
    to record a call, not to make one."""
    words = [w.casefold() for w in WORD.findall(name)]
    return name[:1].isupper() and bool(_RECORD_CLASS_WORDS & set(words) or _RECORD_CLASS_LAST_WORDS & set(words[-1:]))


def is_model_name(name: str, marks: Sequence[str]) -> bool:
    """A name with a part that holds one of `marks` ("model", and the config's `model-names`),
    unless the part after it says the value is about a model rather than one
    (`default_model_dataset`, `model_path`). A key with whitespace or dots is a label or an
    attribute path (`df["Evaluating Model"]`, `"gen_ai.request.model"` in telemetry), never a name."""
    if "." in name or any(c.isspace() for c in name):
        return False
    parts = [p.casefold() for chunk in name.split("_") for p in (WORD.findall(chunk) or [chunk])]
    for number, part in enumerate(parts):
        if any(mark in part for mark in marks):
            after = parts[number + 1 : number + 2]
            before = parts[number - 1 : number] if number else []
            if (
                (not after or after[0] not in _NOT_AN_ID) and not (before and before[0] in _FOR_A_TOKENIZER | _STAND_IN)
                and not _for_another_host(parts, number)
            ):
                return True
    return False


def _for_another_host(words: Sequence[str], at: int) -> bool:
    """The word just before "model" (at `at`) names another host (`claude_model`, `OLLAMA_MODEL`,
    `gemini_model_name`): the value is that host's name for a model. Not when the name says
    OpenAI too (`CLAUDE_TO_OPENAI_MODEL`)."""
    return at > 0 and words[at - 1] in _HOST_WORDS and not any("openai" in w or w == "gpt" for w in words)


def model_label(text: str, marks: Sequence[str]) -> bool:
    """Whether a prompt's or a widget's label names a model ("OpenAI model", "Select a model:"),
    read as a name made of its words ("Model provider" is not), and not Azure's deployment or
    another host's ("Azure model", "Ollama model")."""
    name = "_".join(re.findall(r"[0-9A-Za-z]+", text))
    if not name or not is_model_name(name, marks):
        return False
    # "Azure model", "model deployment", "Ollama model": a deployment's or another host's name
    return not ({"azure", "deployment"} & set(name_words(name)) or other_host_name(name))


def is_model_keyword(keyword: str, suffixes: tuple[str, ...], marks: Sequence[str]) -> bool:
    """`judge_model=`, `model_name=`, `model_id=` (a keyword ending in one of `suffixes`, or naming
    one of the config's extra `marks`): but not `model_map_key=` (a lookup key)."""
    words = name_words(keyword)
    if any(_for_another_host(words, at) for at, word in enumerate(words) if word == "model"):
        return False  # `claude_model=`: another host's
    return keyword.casefold().endswith(suffixes) or (len(marks) > 1 and is_model_name(keyword, marks[1:]))


def name_words(name: str) -> list[str]:
    """The words of a name, folded: `_get_encoding_model` -> get, encoding, model;
    `AzureOpenAITools` -> azure, open, ai, tools."""
    return [part.casefold() for chunk in name.split("_") for part in WORD.findall(chunk)]


# Tracing: a span or a trace records a call made (`trace.span(type="llm", model=...)`,
# `get_current_span().update(model=...)`, the agents SDK's `generation_span(model=...)`).
_TRACING = frozenset({"span", "spans", "trace", "traces", "tracer", "tracing"})


# Words a call that opens a span or a trace may add to "span" / "trace" (`start_as_current_span`,
# `generation_span`, `custom_span`, `new_trace`); any other word makes it something done *to* one
# (`evaluate_trace(model=...)`, `transcribe_span(...)`: requests).
_SPAN_MAKERS = frozenset({"start", "new", "create", "get", "current", "as", "generation", "custom", "child", "root", "llm", "agent"})


def tracing_name(name: str) -> bool:
    """Whether a name says it is a span or a trace (`get_current_span`, `trace`, `tracer`): an
    object a call is made on."""
    return not _TRACING.isdisjoint(name_words(name))


def opens_a_span(name: str) -> bool:
    """Whether a callee's name says it opens a span or a trace (`span`, `generation_span`,
    `start_as_current_span`, `trace`; not `evaluate_trace` or `TraceJudge`)."""
    words = name_words(name)
    return bool(words) and words[-1] in _TRACING and set(words[:-1]) <= _SPAN_MAKERS


def local_name(name: str) -> bool:
    """Whether a function's name says it counts tokens or prices (`num_tokens_in_string`)."""
    return not _LOCAL_PARTS.isdisjoint(name_words(name))


_PRICE_PARTS = frozenset({"price", "prices", "pricing"})
_COST_PARTS = frozenset({"cost", "costs"})
_PER_UNIT = frozenset({"1k", "1m", "1000", "million", "thousand"})
_PER_AMOUNT = re.compile(r"per\d+[km]?")
# What a rate per unit is of, in a price list (`inputPer1M`, `output_per_1k`, `usd_per_1m`)
_RATE_PARTS = frozenset({"input", "output", "prompt", "completion", "usd", "dollar", "dollars"})
_LIMIT_PARTS = frozenset({"token", "tokens", "max", "limit", "limits", "rpm", "tpm", "requests"})


def price_name(name: str) -> bool:
    """Whether a key names a unit price (`input_price`, `pricing`, `cost_per_1m`,
    `costPer1k`, `inputPer1M`): a dict holding one beside a model is a price list's row, not a request. A
    cost alone (`"cost": 13.54`) is what a run measured: a leaderboard's row may also pick the
    models a program falls back to (ra-aid's)."""
    words = set(name_words(name))
    # `cost_per_1m`, `costPer1k` ("per1k"); not LiteLLM's `input_cost_per_token`, which a
    # deployment that serves requests is given (found by review)
    per_unit = ("per" in words and bool(words & _PER_UNIT)) or any(_PER_AMOUNT.fullmatch(w) for w in words)
    # (not `input_tokens_per_1m`, `max_input_per_1k`: a limit; found by review)
    rate = bool(words & _RATE_PARTS) and not words & _LIMIT_PARTS
    return bool(words & _PRICE_PARTS) or ((bool(words & _COST_PARTS) or rate) and per_unit)


def stands_in(name: str) -> bool:
    """Whether a name says its value is a test's stand-in or expectation (`mock_llm`,
    `fake_client`, `expected`, `expected_payload`): what it holds or is given is not a request."""
    return not _STAND_IN.isdisjoint(name_words(name))


# Not "dummy" or "stub": `dummy_request(...)` warms up a real client, a gRPC `stub` sends.
_MOCK_WORDS = frozenset({"mock", "mocked", "fake"})


def mock_name(name: str, *, first: bool = False) -> bool:
    """Whether a name says it is a stand-in object or function (`mock_span`, `openai_mock`,
    `fake_create`), not an expectation: what it is given or does sends nothing. `first`: only
    when the name starts with the word, as a function does (`mock_chat_completion`, not
    `detect_fake_news`)."""
    words = name_words(name)
    return bool(words) and (words[0] in _MOCK_WORDS if first else not _MOCK_WORDS.isdisjoint(words))


# Keys and keywords that name the provider a model goes to (`{"provider": "github-copilot",
# "model": ...}`, langchain's `model_provider=`, litellm's `custom_llm_provider=`).
_PROVIDER_KEYS = frozenset({"provider", "llm_provider", "model_provider", "provider_name", "custom_llm_provider"})


# Words that make a name for OpenAI a name for a server that speaks its API (`"openai-compatible"`,
# `OpenAICompatibleClient`, `openai_like`, `openai-compat`): that server's, not OpenAI's.
API_STYLE_WORDS = frozenset({"compatible", "compat", "like"})


def other_provider(key: str, value: str | None) -> bool:
    """A provider key or keyword whose literal value names a provider other than OpenAI
    (`"anthropic"`, `"ollama"`, `"openai-compatible"`: a server of one's own): the model beside
    it goes there."""
    if key not in _PROVIDER_KEYS or value is None:
        return False
    # crawl4ai's `LLMConfig(provider="openai/gpt-4o")`: a provider-prefixed model, OpenAI's;
    # litellm's `"text-completion-openai"`, `"openai_chat"`, `"OpenAI Chat"`, `"open_ai"` too.
    head = re.split(r"[/:]", value.strip(), maxsplit=1)[0].casefold()
    words = re.findall(r"[a-z0-9]+", head)
    return "openai" not in "".join(words) or bool(API_STYLE_WORDS & set(words))


# Hosts other than OpenAI's that callees are named for (`OpenRouterAgent`, `OllamaChat`,
# `GroqClient`): the model given to one is that host's name for it (textarena's agents).
_OTHER_HOSTS = (
    "openrouter", "ollama", "groq", "anthropic", "claude", "gemini", "mistral", "deepseek", "fireworks",
    "perplexity", "cohere", "bedrock", "lmstudio", "vllm", "huggingface", "togetherai", "litellmproxy",
    "pollinations", "amvera",
)


# The hosts as words of a name, not "perplexity" (a metric's name as often as a host's).
_HOST_WORDS = frozenset(host for host in _OTHER_HOSTS if host != "perplexity")


def other_host_name(name: str) -> bool:
    """A callee named for another host: `OpenRouterAgent`, `ollama_chat`, `GroqLLM`."""
    folded = name.casefold().replace("_", "")
    return any(host in folded for host in _OTHER_HOSTS)


def host_named(text: str) -> bool:
    """A whole text that is the name of another host (`"openrouter"`, `DEEPSEEK`), not a text
    that holds one."""
    return text.casefold().replace("_", "").replace("-", "") in _HOST_WORDS


def provider_key(key: str) -> bool:
    """A keyword or key that names a provider (`provider=`, `model_provider=`)."""
    return key in _PROVIDER_KEYS


def other_host_class(name: str) -> bool:
    """A class named for another host by whole words (`OpenRouterMetaConfig`, `OllamaSettings`,
    `LMStudioConfig`): not by a part of a word (`CoherenceConfig`, `PhilanthropicSummarizer`),
    nor by "perplexity", a metric as often as a host (`PerplexityScorer`)."""
    words = name_words(name)
    joined = {"".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
    return any(host in joined for host in _HOST_WORDS)


def endpoint_name(name: str) -> bool:
    """A keyword, key or parameter that gives the URL a request goes to besides the base-URL
    keywords of rules/code.toml: `endpoint`, `llm_endpoint`, `api_endpoint` (not a `fallback_`
    one, which only the fallback model uses)."""
    folded = name.casefold()
    return folded == "endpoint" or (folded.endswith("_endpoint") and not folded.startswith("fallback"))


_TEST_FOLDERS = frozenset(("test", "tests"))


def is_test_path(path: str) -> bool:
    """Whether a file is test code by pytest's conventions: `test_*.py`, `*_test.py`,
    `conftest.py` (notebooks alike), or anything in a folder named `test` or `tests`. `path`:
    relative to the project's root (Settings.is_test_file), or as a host names the file."""
    parts = path.replace("\\", "/").split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    return stem.startswith("test_") or stem.endswith("_test") or stem == "conftest" or any(p in _TEST_FOLDERS for p in parts[:-1])
