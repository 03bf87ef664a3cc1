"""The project pass: names imported from another linted file reach the calls that use them."""
from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from harness import all_fixtures, run_cli
from routelint.project import _whole_words, build_table, file_constants

SETTINGS = 'CHAT_MODEL = "gpt-realtime-1.5"\nDRAWING = "GPT Image 2"\nOTHER = "gpt-5.5"\n'
APP = (
    "from openai import OpenAI\n"
    "from .settings import CHAT_MODEL, DRAWING\n"
    "client = OpenAI()\n"
    "client.chat.completions.create(model=CHAT_MODEL, messages=[])\n"
    "client.images.generate(model=DRAWING, prompt='x')\n"
)


@pytest.fixture
def project(project: Path) -> Path:
    tmp_path = project  # the conftest fixture: an empty working folder
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "settings.py").write_text(SETTINGS)
    (tmp_path / "pkg" / "app.py").write_text(APP)
    return tmp_path


def test_finding_stays_at_the_literal_and_names_the_call(project: Path) -> None:
    result = run_cli(".")
    lines = [line for line in result.output.splitlines() if line.startswith("pkg/")]
    assert result.exit_code == 1
    assert lines[0].startswith('pkg/settings.py:1:14: RL301 "gpt-realtime-1.5" is a Realtime API model; chat.completions.create() at ')
    assert "chat.completions.create() at pkg/app.py:4 does not accept it" in lines[0]
    assert lines[1].startswith('pkg/settings.py:2:11: RL101 [*] "GPT Image 2"')
    assert len(lines) == 2


def test_a_file_given_alone_sees_the_rest_of_its_project(project: Path) -> None:
    """Issue #15: pre-commit names only the staged files; a constant from an unchanged file
    still reaches the call. The finding stays at the literal, with no fix (that file is not
    written), and the summary says where it is."""
    result = run_cli("pkg/app.py")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("pkg/")]
    assert lines[0].startswith('pkg/settings.py:1:14: RL301 "gpt-realtime-1.5" is a Realtime API model; chat.completions.create() at ')
    assert lines[1].startswith('pkg/settings.py:2:11: RL101 "GPT Image 2"')  # no [*]: not written by this run
    assert "2 in a file not given (pkg/settings.py)" in result.output
    both = run_cli("pkg/app.py", "pkg/settings.py")
    assert "RL301" in both.output and "RL101 [*]" in both.output and "not given" not in both.output


def test_fix_edits_the_file_that_holds_the_literal(project: Path) -> None:
    result = run_cli("--fix", ".")
    assert (project / "pkg" / "settings.py").read_text() == SETTINGS.replace("GPT Image 2", "gpt-image-2")
    assert (project / "pkg" / "app.py").read_text() == APP
    assert "Fixed 1 finding" in result.output


def test_suppression_comments_of_the_holding_file_apply(project: Path) -> None:
    (project / "pkg" / "settings.py").write_text(SETTINGS.replace('"gpt-realtime-1.5"', '"gpt-realtime-1.5"  # noqa: RL301'))
    assert "RL301" not in run_cli(".").output


def test_module_table_resolves_relative_and_absolute_imports() -> None:
    files = {
        "src/pkg/__init__.py": None,
        "src/pkg/settings.py": SETTINGS,
        "src/pkg/sub/app.py": None,
        "tools/settings.py": None,
        "scripts/config.py": 'MODEL = "gpt-4"\n',
    }
    table = build_table(files.items(), lambda text: re.search("gpt", text, re.IGNORECASE) is not None)
    assert table.module_file("src/pkg/sub/app.py", "settings", 2) == "src/pkg/settings.py"
    assert table.module_file("src/pkg/sub/app.py", "", 2) == "src/pkg/__init__.py"
    assert table.module_file("src/pkg/app.py", "pkg.settings", 0) == "src/pkg/settings.py"
    assert table.module_file("x.py", "settings", 0) is None  # two files could be that module
    assert table.module_file("x.py", "config", 0) == "scripts/config.py"
    assert [c.name for c in table.constants["src/pkg/settings.py"]] == ["CHAT_MODEL", "DRAWING", "OTHER"]
    use = "from .settings import CHAT_MODEL\nmodel=CHAT_MODEL\n"
    assert table.mentions("src/pkg/app.py", use) == [use.index("CHAT_MODEL"), use.rindex("CHAT_MODEL")]
    assert table.mentions("src/pkg/app.py", use.replace("CHAT_MODEL", "CHAT_MODELS")) == []
    # A name inside a longer word is no mention (the patterns check the boundary before a match).
    inside = "from .settings import CHAT_MODEL\nmodel=MY_CHAT_MODEL\nx=éCHAT_MODEL\n"
    assert table.mentions("src/pkg/app.py", inside) == [inside.index("CHAT_MODEL")]
    assert table.mentions("src/pkg/app.py", "CHAT_MODEL\nfrom .settings import CHAT_MODEL\n") == [0, 33]


@pytest.mark.parametrize(
    ("importer", "text", "crosses"),
    [
        ("src/pkg/app.py", "from .settings import CHAT_MODEL\n", True),
        ("src/pkg/app.py", "from .settings import (\n    OTHER,\n    CHAT_MODEL,\n)\n", True),
        ("src/pkg/app.py", "from .settings import *\nprint(CHAT_MODEL)\n", True),
        ("src/pkg/app.py", "from pkg.settings import CHAT_MODEL as M\n", True),
        ("src/main.py", "import pkg.settings\nx = pkg.settings.CHAT_MODEL\n", True),
        ("src/pkg/app.py", "from . import settings as conf\nx = conf.CHAT_MODEL\n", True),
        # A variable of the same name in another file is not the constant.
        ("src/other.py", "def f(client):\n    CHAT_MODEL = client.default\n", False),
        # A relative import elsewhere, or of another module, does not reach it.
        ("src/pkg/app.py", "from ._constants import *\nCHAT_MODEL = 1\nprint(CHAT_MODEL)\n", False),
        ("tools/run.py", "from .helpers import CHAT_MODEL\n", False),
        ("src/main.py", "import json\nx = obj.CHAT_MODEL\n", False),
        ("src/pkg/app.py", "from .settings import MY_CHAT_MODEL\n", False),
        ("src/pkg/app.py", "from .settings import éCHAT_MODEL\n", False),
        # Found in review: import statements spelled in ways a line-based pattern missed.
        ("src/pkg/app.py", "from .settings import \\\n    CHAT_MODEL\n", True),
        ("src/pkg/app.py", "import os; from .settings import CHAT_MODEL\n", True),
        ("src/pkg/app.py", "import os\rfrom .settings import CHAT_MODEL\r", True),
        ("src/pkg/app.py", "from .settings import (  # see (docs)\n    CHAT_MODEL,\n)\n", True),
        ("src/pkg/app.py", "from . settings import CHAT_MODEL\n", True),
    ],
)
def test_names_cross_files_only_through_imports(importer: str, text: str, crosses: bool) -> None:
    files = {"src/pkg/__init__.py": None, "src/pkg/settings.py": SETTINGS, "src/pkg/_constants.py": None, importer: None}
    table = build_table(files.items(), lambda value: re.search("gpt", value, re.IGNORECASE) is not None)
    assert table.crosses({"src/pkg/settings.py": SETTINGS, importer: text}) is crosses


def _gpt(value: str) -> bool:
    return re.search("gpt", value, re.IGNORECASE) is not None


def test_mentions_only_names_a_file_can_trace_to_a_holder() -> None:
    """openai-agents: an example binds `agent = Agent(model=...)`, and hundreds of test files
    mention `agent` and write `.agent` after importing the package. Until the table has read
    the files (`crosses`), any linted module a file imports may pass a name on; after, only a
    module that holds it or may import it from one that does (the project pass re-read 800
    files of that tree for nothing)."""
    files = {"examples/demo.py": 'agent = Agent(model="gpt-4o")\n', "src/agents/__init__.py": None, "tests/test_run.py": None}
    table = build_table(files.items(), _gpt)
    user = "import agents\nagent = agents.Agent()\nprint(result.agent)\n"
    assert table.mentions("tests/test_run.py", user) != []
    assert table.crosses({"examples/demo.py": files["examples/demo.py"], "src/agents/__init__.py": "", "tests/test_run.py": user}) is False
    assert table.mentions("tests/test_run.py", user) == []


def test_a_name_passed_on_and_rebound_still_reaches_its_holder(project: Path) -> None:
    """`MODEL = GPT4` in a module that takes GPT4 from settings, re-exported by the package's
    `__init__.py`, used by an app: the table's tracing keeps the files between (a file that
    takes a name may bind another to it)."""
    (project / "pkg" / "settings.py").write_text('GPT4 = "gpt-realtime-1.5"\n')
    (project / "pkg" / "config.py").write_text("from .settings import GPT4\nMODEL = GPT4\n")
    (project / "pkg" / "__init__.py").write_text("from .config import MODEL\n")
    (project / "defaults.py").write_text('MODEL = "gpt-5.5"\n')  # another file's MODEL: a name the table knows
    (project / "pkg" / "app.py").write_text("")
    (project / "main.py").write_text(
        "from openai import OpenAI\nfrom pkg import MODEL\nOpenAI().chat.completions.create(model=MODEL, messages=[])\n"
    )
    result = run_cli(".")
    assert result.exit_code == 1
    assert 'pkg/settings.py:1:8: RL301 "gpt-realtime-1.5" is a Realtime API model; chat.completions.create() at main.py:3' in result.output


def test_a_literal_type_is_not_a_constant() -> None:
    """The SDK's `ChatModel = Literal["gpt-4o", ...]` is a type: no call is given it, and the
    lint judges nothing in it (outline.py's inert statements). As a constant it made every
    resource module of the SDK a user of another file's names."""
    text = (
        "from typing import Literal, Union\n"
        'ChatModel = Literal["gpt-4o", "gpt-4.1"]\n'
        'ResponsesModel = Union[str, ChatModel, Literal["o1-pro"]]\n'
        'MODEL: ChatModel = "gpt-4o"\n'
    )
    assert [c.name for c in file_constants(text, _gpt)] == ["MODEL"]


def test_a_submodule_read_through_its_package_still_reaches_its_holder(project: Path) -> None:
    """Found in review: `import pkg` then `pkg.settings.VOICE`: the engine resolves the
    submodule directly, so a package's `__init__.py` that never names the constant is still a
    way through to the holders below it."""
    (project / "pkg" / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (project / "pkg" / "app.py").write_text("")
    (project / "main.py").write_text(
        "import pkg\nfrom openai import OpenAI\nOpenAI().chat.completions.create(model=pkg.settings.VOICE, messages=[])\n"
    )
    (project / "other_settings.py").write_text('IMAGE = "gpt-image-2"\n')  # another crossing: the project pass runs
    (project / "other.py").write_text("from other_settings import IMAGE\nprint(IMAGE)\n")
    result = run_cli(".")
    assert 'pkg/settings.py:1:9: RL301 "gpt-realtime-1.5" is a Realtime API model; chat.completions.create() at main.py:3' in result.output


def test_the_command_line_finds_what_the_harness_finds_on_project_fixtures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line decides which files use another file's names with the table's tracing
    (`ProjectTable.crosses` learns the files a name passes through); the fixture harness lints
    in memory, where any linted module a file imports counts. Both must find what the project
    fixtures declare."""
    groups: dict[Path, list] = defaultdict(list)
    for fixture in all_fixtures():
        if fixture.project:
            groups[fixture.path.parent].append(fixture)
    assert groups
    for folder, members in groups.items():
        assert {f.today for f in members} == {members[0].today} and all(f.select is None for f in members)
        copy = tmp_path / folder.name
        copy.mkdir()
        for fixture in members:
            shutil.copy(fixture.path, copy / fixture.path.name)
        monkeypatch.chdir(copy)
        result = run_cli("--no-cache", "--output-format", "json", ".", today=members[0].today.isoformat())
        found = {(f["filename"].removeprefix("./"), f["location"]["row"], f["code"]) for f in json.loads(result.output)}
        expected = {(f.path.name, line, code) for f in members for line, code in f.expected()}
        assert found == expected, (folder.name, sorted(found ^ expected))


CALLS = '''import os
from app import llm
from .llm import complete as ask, Request
import openai
ask("hi", "gpt-4o")
llm.send(model="gpt-4o")
def run(model="gpt-4o"):
    ask("hi", model)
def pick():
    chosen = os.getenv("CHAT_MODEL", "gpt-4o").strip()
    llm.pick(chosen)
llm.table({"model": "gpt-4o"})
Request(model="gpt-4o")
llm.Converter.convert("gpt-4o")
openai.chat.completions.create(model="gpt-4o")
llm.later(lambda c: c.create(model="gpt-4o"))
llm.plain("hello", count)
'''


def test_calls_of_imported_functions_given_a_model_cross_files() -> None:
    """The ast pass's call constants: a call of an imported module function or class given, as
    an argument, a candidate string or a name bound to one (a parameter's default, an environment
    fallback); not a string inside a dict or a lambda, a class's method, or a method of an
    object (no file answers for those)."""
    called = {
        (c.called, c.value)
        for c in file_constants(CALLS, lambda text: text.startswith("gpt-"))
        if c.called is not None
    }
    assert called == {("complete", ".llm"), ("llm.send", "app"), ("llm.pick", "app"), ("getenv", "os"), ("Request", ".llm")}
    table = build_table([("pkg/app.py", CALLS), ("pkg/llm.py", None), ("app/llm.py", None)], lambda text: text.startswith("gpt-"))
    assert table.called_files("pkg/app.py") == {"pkg/llm.py", "app/llm.py"}
    assert table.calls_out("pkg/app.py")
    # A test file asks no other file about its calls: they cross nothing (the openai sdist's
    # tests building its own classes with a model ran the project pass for nothing).
    tests = build_table(
        [("pkg/app.py", CALLS), ("pkg/llm.py", None), ("app/llm.py", None)], lambda text: text.startswith("gpt-"), ["pkg/app.py"]
    )
    assert not tests.calls_out("pkg/app.py") and not tests.crosses({"pkg/app.py": CALLS})


PRIVATE = '''from .llm import _complete, complete
def _summarize(text, model="gpt-4o"):
    pass
def summarize(text, model="gpt-4o"):
    pass
@cache
def _cached(text, model="gpt-4o"):
    pass
def __getattr__(name, default="gpt-4o"):
    pass
_complete("hello")
complete("hello")
'''


def test_private_functions_with_a_model_default_cross_files_where_they_are_named() -> None:
    """A private function with a candidate string in a default is a constant of its file (not a
    public, decorated or dunder one; a call of an imported private function given nothing is no
    call constant): a file importing and naming it crosses (it then asks about the call, and the
    defining file judges the default, flow._default_never_used)."""
    found = {(c.name, c.value) for c in file_constants(PRIVATE, lambda text: text.startswith("gpt-"))}
    assert found == {("_summarize", "gpt-4o")}
    caller = "from .helpers import _summarize\n_summarize('hello')\n"
    other = "def _summarize(text):\n    return text\n_summarize('hello')\n"
    table = build_table([("pkg/helpers.py", PRIVATE), ("pkg/main.py", caller), ("pkg/other.py", other)], lambda text: text.startswith("gpt-"))
    assert table.private_heads == {"_summarize"}
    assert table.crosses({"pkg/main.py": caller})
    assert not table.crosses({"pkg/other.py": other})  # its own `_summarize`


@pytest.mark.parametrize(
    ("heads", "text"),
    [
        (["CHAT_MODEL"], "CHAT_MODEL = MY_CHAT_MODEL + CHAT_MODELS + (CHAT_MODEL)"),
        (["मॉडल", "डल"], "xमॉडल मॉडल"),  # a combining mark is no word character (found by review)
        (["模型_NAME"], "from .s import 模型_NAME\nx = 模型_NAME"),
    ],
)
def test_whole_words_match_what_a_leading_word_boundary_matches(heads: list[str], text: str) -> None:
    names = "|".join(re.escape(h) for h in heads)
    expected = [(m.start(), m.group()) for m in re.finditer(rf"\b(?:{names})\b", text)]
    assert [(m.start(), m.group()) for m in _whole_words(re.compile(rf"(?:{names})\b"), text)] == expected
    data = text.encode()
    expected_bytes = [(m.start(), m.group()) for m in re.finditer(rb"\b(?:" + names.encode() + rb")\b", data)]
    assert [(m.start(), m.group()) for m in _whole_words(re.compile(rb"(?:" + names.encode() + rb")\b"), data)] == expected_bytes
