"""The prefilter's contract: a file it settles as clean has no finding. The fixtures check that
file by file (tests/test_fixtures.py); here a property test throws spellings, escapes, prefixes,
whitespace and quoting at it, and examples pin the precision it buys."""
from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import DEFAULT_TODAY
from routelint.catalog import load_catalog
from routelint.engine import Linter
from routelint.prefilter import _ASCII_WHITESPACE, UNICODE_WHITESPACE, Prefilter, file_bytes

# Generated literals hold unknown escapes ("\\T"): CPython's warnings about them are noise here.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
MATCH_ALL = Prefilter(re.compile(b""), (), re.compile(b""), re.compile(b""), b"")


@cache
def linter() -> Linter:
    return Linter(load_catalog(), today=DEFAULT_TODAY)


def findings_without_prefilter(source: str) -> tuple:
    engine = linter()
    saved = engine.prefilter
    engine.prefilter = MATCH_ALL
    try:
        return engine.lint_source(source, "app.py").findings
    finally:
        engine.prefilter = saved


def test_the_whitespace_list_is_what_str_strip_removes() -> None:
    everything = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert everything == set(_ASCII_WHITESPACE) | set(UNICODE_WHITESPACE)


# --- soundness: whatever the engine reports, the prefilter lets through ----------------------------
NAMES = sorted(set(load_catalog().models) | {label.text for label in load_catalog().labels.values()})
SEPARATORS = ["", "-", "_", " ", "  ", "\t", "\\t", "\\x2d", "-\\\n", "\u00a0", "."]
SPACES = ["", " ", "\t", "\u00a0", "\u2003", "\\n", "\\t", "\x1c", "-", "_"]


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """A catalog name with its case and separators changed, escapes, stray characters."""
    name = draw(st.sampled_from(NAMES))
    words = re.findall(r"[A-Za-z]+|[0-9.]+", name)
    joined = words[0]
    for word in words[1:]:
        joined += draw(st.sampled_from(SEPARATORS)) + word
    text = draw(st.sampled_from([joined, joined.upper(), joined.title(), name, name.upper()]))
    if draw(st.booleans()):
        text = draw(st.sampled_from(["openai/", "openai:", "azure/", "OpenAI:", "openai-chat:", "x/"])) + text
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\\x2d", "\\u002d", "\\N{HYPHEN-MINUS}", "\\\n", "?", "=1", "é", "ſ"])) + text[at:]  # noqa: RUF001 - a deliberate long s (U+017F)
    return draw(st.sampled_from(SPACES)) + text + draw(st.sampled_from(SPACES))


@st.composite
def literals(draw: st.DrawFn) -> str:
    body = draw(spellings())
    quote = draw(st.sampled_from(['"', "'", '"""', "'''"]))
    if "\n" in body.replace("\\\n", "") and len(quote) == 1:
        quote = '"""'
    prefix = draw(st.sampled_from(["", "", "r", "b", "f", "u", "R"]))
    if prefix.lower() == "r" and "\\N" in body:
        prefix = ""
    if prefix == "b" and not body.isascii():
        prefix = ""
    literal = f"{prefix}{quote}{body.replace(quote[0], '')}{quote}"
    if draw(st.booleans()):  # implicit concatenation, split anywhere
        at = draw(st.integers(0, len(body)))
        first, rest = body[:at].replace(quote[0], ""), body[at:].replace(quote[0], "")
        if not first.endswith("\\") and not (first.endswith("\\N") or ("\\N{" in first and "}" not in first.split("\\N{")[-1])):
            literal = f"{prefix}{quote}{first}{quote} {prefix}{quote}{rest}{quote}"
    return literal


CONTEXTS = [
    "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model={}, messages=[])\n",
    "from openai import OpenAI\nclient = OpenAI()\nclient.images.generate(model={}, prompt='x')\n",
    "import openai\nMODEL = {}\nopenai.OpenAI().videos.create(model=MODEL, prompt='x')\n",
    "from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model={})\n",
    "import openai\nrequest = {{'model': {}, 'input': 'x'}}\nopenai.OpenAI().responses.create(**request)\n",
]


@settings(max_examples=400, deadline=None)
@given(literal=literals(), context=st.sampled_from(CONTEXTS))
def test_every_finding_is_in_a_file_the_prefilter_lets_through(literal: str, context: str) -> None:
    source = context.format(literal)
    try:
        compile(source, "app.py", "exec")
    except (SyntaxError, ValueError):
        return  # only programs Python accepts
    reported = [f for f in findings_without_prefilter(source) if f.code != "RL001"]
    if reported:
        assert linter().prefilter.matches(file_bytes(source)), (source, reported)


CALLS = [
    "client.videos.create(model='x')",
    "(client.videos\n    .create(model='x'))",
    "(client.videos  # the Sora API\n .with_raw_response.create(model='x'))",
    "client.videos \\\n.retrieve('v')",
    "(client.videos).list()",
    "client.audio.translations.create(file=f, model='whisper-1')",
    "openai.Audio.translate('whisper-1', f)",
    "requests.post('https://api.openai.com/v1/' + 'videos', json={})",
    "requests.post(f'{BASE}/videos', json={})",
]


@pytest.mark.parametrize("call", CALLS)
def test_shut_down_api_calls_are_reported_and_let_through(call: str) -> None:
    source = f"import openai\nimport requests\nfrom openai import OpenAI\nclient = OpenAI()\nf = None\nBASE = 'https://api.openai.com/v1'\n{call}\n"
    assert any(f.code == "RL203" for f in findings_without_prefilter(source)), source
    assert linter().prefilter.matches(file_bytes(source))


# --- precision: what is no longer a candidate ---------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        'config = ("[b]\\n" "o4=1\\n" "o3=2\\n")\n',  # test_configparser.py: a key, not a model
        '"""... it can serve as a template for translations.\n  Use it."""\n',  # turtle.py: prose
        "sys.argv.append('/usr/demos/data/audio/bach.aiff')\n",  # aifc.py: a path, not the API's
        'args = ["-q", "-o 0", "-o 1", "-o 2"]\n',  # test_compileall.py: flags
        'print("gpt-4 is great!")\n',
        "def unix_getpass(prompt='Password: ', stream=None):\n    pass\n",  # getpass.py: no SDK in the file
        "for item in runs.images:\n    item.create(prompt='x')\n",  # resource words, no SDK named
    ],
)
def test_strings_no_rule_can_report_are_not_candidates(source: str) -> None:
    assert not linter().prefilter.matches(file_bytes(source))


@pytest.mark.parametrize(
    "source",
    ['m = "GPT Image 2"\n', "m = ' gpt 5.5 '\n", 'm = "openai:gpt-5.5"\n', 'm = "gpt-5\\n"\n', 'm = """gpt-4o"""\n', "m = '\u00a0gpt-4o'\n"],
)
def test_model_strings_are_candidates(source: str) -> None:
    assert linter().prefilter.matches(file_bytes(source))


@pytest.mark.parametrize(
    "source",
    [
        'import websockets\nwebsockets.connect("wss://api.openai.com/v1/realtime\\x3fmodel=GPT_Realtime_1.5")\n',
        'import websockets\nwebsockets.connect("wss://api.openai.com/v1/realtime" + "?" + "model=gpt-image-2")\n',
        'import requests\nrequests.post("https://api.openai.com/v1/vid\\x65os", json={"model": "x"})\n',
        'import requests\nrequests.post("https://api.openai.com/v1/vid" "eos", json={"model": "x"})\n',
        'import websockets\nMODEL = "gpt\\x2dimage-2"\nwebsockets.connect(f"wss://api.openai.com/v1/realtime?model={MODEL}")\n',
    ],
    ids=["escaped-query", "query-in-pieces", "escaped-path", "path-in-pieces", "escaped-constant-in-query"],
)
def test_urls_assembled_by_the_extractor_never_hide_a_finding(source: str) -> None:
    """Found in review: the extractor reads URLs from their values (escapes, concatenation)."""
    reported = [f for f in findings_without_prefilter(source) if f.code != "RL001"]
    assert not reported or linter().prefilter.matches(file_bytes(source)), reported


def test_a_banner_comment_after_a_resource_word_does_not_hang_the_prefilter() -> None:
    """`(?:#[^\\n]*)*` between a resource and its method once split a line of `#` in
    exponentially many ways (a real file took minutes); a comment now runs to its line end."""
    import time

    prefilter = linter().prefilter  # type: ignore[attr-defined]
    source = "images\n    " + "#" * 60 + "\n    x = 2\n"
    started = time.perf_counter()
    assert not prefilter.matches(file_bytes(source))
    assert time.perf_counter() - started < 1.0
    assert prefilter.matches(file_bytes("client.videos  # the API\n    .create(model='sora-2')\n"))


@pytest.mark.parametrize(
    "body",
    ["client.responses.create(prompt={'id': 'p'}, input='x')\n", "client.videos.list()\n"],
)
def test_sdk_calls_and_parameters_count_only_in_a_file_naming_the_sdk(body: str) -> None:
    """RL203 and RL204 judge SDK calls only in a file that imports the SDK: without the package's
    name in the text there is nothing to find, so the prefilter may settle the file."""
    with_sdk = "from openai import OpenAI\nclient = OpenAI()\n" + body
    assert findings_without_prefilter(with_sdk) and linter().prefilter.matches(file_bytes(with_sdk))
    without = "from somewhere import Client\nclient = Client()\n" + body
    assert not findings_without_prefilter(without) and not linter().prefilter.matches(file_bytes(without))
