"""Issue #15: a run over some files of a project (pre-commit, an editor, `routelint app/chat.py`)
sees the rest of it. A cross-file finding is reported when its literal or its use is in a file
given; a `# noqa` at the use silences that use only, at the literal every use."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import Result

from harness import notebook, run_cli

FILES = {
    "app/__init__.py": "",
    "app/settings.py": (
        'VOICE_MODEL = "gpt-realtime-1.5"\n'
        'DRAWING = "GPT Image 2"\n'
        'UNUSED_OLD = "gpt-4-32k"\n'  # a model no file uses: its own finding, if any, is settings.py's
        "REQUEST = {\"model\": \"gpt-image-2\", \"messages\": []}\n"
    ),
    "app/chat.py": (
        "from openai import OpenAI\n"
        "from app.settings import VOICE_MODEL\n"
        "client = OpenAI()\n"
        "client.chat.completions.create(model=VOICE_MODEL, messages=[])\n"
    ),
    "app/speech.py": (
        "from openai import OpenAI\n"
        "from .settings import VOICE_MODEL, REQUEST\n"
        "OpenAI().responses.create(model=VOICE_MODEL, input='x')\n"
        "OpenAI().chat.completions.create(**REQUEST)\n"
    ),
    "app/draw.py": (
        "import openai\n"
        "from app import settings\n"
        "openai.OpenAI().images.generate(model=settings.DRAWING, prompt='x')\n"
        "openai.OpenAI().images.generate(model=\"GPT Image 2\", prompt='y')\n"  # its own finding
    ),
    "app/quiet.py": (
        "from openai import OpenAI\n"
        "from .settings import VOICE_MODEL\n"
        "OpenAI().embeddings.create(model=VOICE_MODEL, input='x')  # noqa: RL301\n"
    ),
    "app/unrelated.py": "def helper(model):\n    return model\n",
    # a function other files call with a model: their literal goes where its parameter goes
    "app/llm.py": (
        "import tiktoken\n"
        "from openai import OpenAI\n"
        "def complete(prompt, model):\n"
        "    return OpenAI().chat.completions.create(model=model, messages=[])\n"
        "def tokens(text, model):\n"
        "    return tiktoken.encoding_for_model(model).encode(text)\n"
    ),
    "app/ask.py": (
        "from app.llm import complete, tokens\n"
        "complete('x', 'gpt-image-2')\n"
        "tokens('x', model='gpt-4-32k')\n"  # a tokenizer's: nothing
    ),
    "tools/run.py": "from app import llm\nllm.complete('x', model='gpt-4-32k')\n",
    # a private helper whose own file always gives `model`, called without it from another file
    "app/helpers.py": (
        "from openai import OpenAI\n"
        "def _summarize(text, model='gpt-4-0314'):\n"
        "    return OpenAI().chat.completions.create(model=model, messages=[])\n"
        "def run(text):\n"
        "    return _summarize(text, model='gpt-5.5')\n"
    ),
    "app/summary.py": "from app.helpers import _summarize\n_summarize('x')\n",
    "tools/config.py": 'from app.settings import VOICE_MODEL\nBACKUP = VOICE_MODEL\nIMAGE = "dall-e-2"\n',
    "tools/batch.py": (
        "from openai import OpenAI\n"
        "from tools.config import IMAGE\n"
        "OpenAI().images.generate(model=IMAGE, prompt='x')\n"
    ),
}


@pytest.fixture
def project(project: Path) -> Path:
    tmp_path = project  # the conftest fixture: an empty working folder
    (tmp_path / "pyproject.toml").write_text("[tool.routelint]\n")  # the project root
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "app" / "explore.ipynb").write_bytes(
        notebook("from app.settings import DRAWING\nimport openai\nopenai.OpenAI().responses.create(model=DRAWING, input='x')\n")
    )
    return tmp_path


def run(*args: str) -> Result:
    return run_cli("--no-cache", *args, separate=True)


def findings(*paths: str) -> list[dict]:
    result = run("--output-format", "json", *paths)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def key(finding: dict) -> tuple[str, int, int, str]:
    return finding["filename"], finding["location"]["row"], finding["location"]["column"], finding["code"]


def used_in(finding: dict) -> str | None:
    match = re.search(r" at ([^\s:()]+):(?:cell \d+:)?\d+[\s)]", finding["message"])
    return match.group(1) if match else None


ALL = sorted([*FILES, "app/explore.ipynb"])


def test_each_end_of_a_cross_file_finding_reports_it(project: Path) -> None:
    whole = {key(f) for f in findings(".")}
    holder = ("app/settings.py", 1, 15, "RL301")
    assert holder in whole
    for given in ("app/chat.py", "app/speech.py", "app/settings.py"):
        assert holder in {key(f) for f in findings(given)}, given
    assert holder not in {key(f) for f in findings("app/draw.py")}  # it uses another constant
    alone = findings("app/unrelated.py")
    assert alone == []


def test_a_private_helper_another_file_calls_keeps_its_default_judged(project: Path) -> None:
    """helpers.py's own call gives `model`, so alone its default would never be used; summary.py
    calls it without one. Any run that reports helpers.py sees that call."""
    default = ("app/helpers.py", 2, 28, "RL201")
    assert default in {key(f) for f in findings(".")}
    assert default in {key(f) for f in findings("app/helpers.py")}
    (project / "app" / "summary.py").write_text("from app.helpers import _summarize\n_summarize('x', model='gpt-5.5')\n")
    assert default in {key(f) for f in findings(".")}  # (not known to be overridden: asked about)
    (project / "app" / "summary.py").write_text("print('no call')\n")
    assert default not in {key(f) for f in findings(".")}
    assert default not in {key(f) for f in findings("app/helpers.py")}


def test_a_run_from_inside_a_package_sees_its_absolute_imports(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cd app && routelint settings.py`: chat.py's `from app.settings import VOICE_MODEL` names
    the file displayed `settings.py` (modules are matched by their place below the project,
    not by the path as displayed)."""
    whole = {(name, row, code) for name, row, _, code in map(key, findings("."))}
    monkeypatch.chdir(project / "app")
    for given in ("settings.py", "chat.py", "."):
        # (a file outside the working folder is shown by its absolute path: tools/run.py's
        # literal, which app/llm.py uses)
        inside = {("app/" + name, row, code) for name, row, _, code in map(key, findings(given)) if not name.startswith("/")}
        assert ("app/settings.py", 1, "RL301") in inside, given
    assert {f for f in inside if f[0].startswith("app/")} == {f for f in whole if f[0].startswith("app/")}


def test_a_finding_names_a_use_in_a_file_given(project: Path) -> None:
    (found,) = [f for f in findings("app/speech.py") if key(f) == ("app/settings.py", 1, 15, "RL301")]
    assert "responses.create() at app/speech.py:3" in found["message"]
    assert found["fix"] is None


def test_the_holders_own_findings_need_it_given(project: Path) -> None:
    """A literal of settings.py that no given file uses is not this run's to report."""
    given = {key(f) for f in findings("app/chat.py")}
    assert all(path != "app/settings.py" or line == 1 for path, line, _, _ in given)


def test_noqa_at_the_use_silences_that_use_only(project: Path) -> None:
    assert findings("app/quiet.py") == []  # its one use is silenced there
    chat = project / "app" / "chat.py"
    chat.write_text(chat.read_text().replace("messages=[])", "messages=[])  # noqa: RL301"))
    assert findings("app/chat.py") == []
    assert ("app/settings.py", 1, 15, "RL301") in {key(f) for f in findings(".")}  # speech.py's use still counts
    chat.write_text(chat.read_text().replace("# noqa: RL301", "# noqa"))
    assert findings("app/chat.py") == []


def test_noqa_at_the_literal_silences_every_use(project: Path) -> None:
    settings = project / "app" / "settings.py"
    settings.write_text(settings.read_text().replace('"gpt-realtime-1.5"\n', '"gpt-realtime-1.5"  # noqa: RL301\n'))
    assert not any(f["code"] == "RL301" and f["location"]["row"] == 1 for f in findings("app/chat.py"))
    assert not any(f["code"] == "RL301" and f["location"]["row"] == 1 for f in findings("."))


def test_fix_never_writes_a_file_not_given(project: Path) -> None:
    before = (project / "app" / "settings.py").read_text()
    result = run("--fix", "app/draw.py")
    assert (project / "app" / "settings.py").read_text() == before
    assert 'model="gpt-image-2", prompt=\'y\'' in (project / "app" / "draw.py").read_text()
    assert "app/settings.py:2:11: RL101 \"GPT Image 2\"" in result.output  # reported, no [*]
    assert "1 in a file not given (app/settings.py)" in result.output


def test_a_notebook_given_alone_sees_the_project(project: Path) -> None:
    found = findings("app/explore.ipynb")
    assert ("app/settings.py", 2, 11, "RL101") in {key(f) for f in found}


def test_a_folder_given_sees_the_rest_of_the_project(project: Path) -> None:
    """`routelint tools/`: tools/config.py takes VOICE_MODEL from app/settings.py, but only
    assigns it (no call), so nothing crosses; its own IMAGE reaches batch.py."""
    found = {key(f) for f in findings("tools")}
    assert found == {key(f) for f in findings(".") if f["filename"].startswith("tools/")}


@pytest.mark.parametrize("seed", range(12))
def test_any_subset_reports_what_the_whole_tree_reports_of_it(project: Path, seed: int) -> None:
    """The property: for random subsets S, every finding is one the whole-tree run has; the
    whole run's findings in S are all there; and so is each finding whose use the whole run
    names in a file of S."""
    whole = findings(".")
    whole_keys = {key(f) for f in whole}
    chooser = random.Random(seed)
    subset = sorted(chooser.sample(ALL, chooser.randint(1, 4)))
    got = {key(f) for f in findings(*subset)}
    assert got <= whole_keys, subset
    for finding in whole:
        if finding["filename"] in subset or used_in(finding) in subset:
            assert key(finding) in got, (subset, finding["message"])


def test_a_name_passed_on_by_another_module_reaches_both_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found on langroid: `models.py` holds the literal, `api.py` imports the class and is
    imported from by `job.py`, which makes the call. Each end named alone reports it; with no
    config and no git, the project is the folder of the nearest pyproject.toml (langroid's
    sdist has one), not the folder of the file named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")
    (tmp_path / "pkg" / "jobs").mkdir(parents=True)
    (tmp_path / "pkg" / "models.py").write_text('class Chat:\n    OLD = "gpt-4-32k"\n')
    (tmp_path / "pkg" / "api.py").write_text("from pkg.models import Chat as Chat\n")
    (tmp_path / "pkg" / "jobs" / "job.py").write_text(
        "from openai import OpenAI\nfrom pkg.api import Chat\nOpenAI().chat.completions.create(model=Chat.OLD, messages=[])\n"
    )
    whole = {key(f) for f in findings(".")}
    assert ("pkg/models.py", 2, 11, "RL201") in whole
    assert {key(f) for f in findings("pkg/jobs/job.py")} == whole
    assert {key(f) for f in findings("pkg/models.py")} == whole
    assert findings("pkg/api.py") == []  # neither end


def stdin(text: str, name: str, *args: str) -> Result:
    return run_cli("--no-cache", *args, "--stdin-filename", name, "-", input=text, separate=True)


def test_a_buffer_on_standard_input_sees_its_project(project: Path) -> None:
    """An editor lints the unsaved buffer: as a user of settings.py, and as settings.py itself,
    judged by its text on standard input, not the copy on disk."""
    chat = stdin(FILES["app/chat.py"], "app/chat.py", "--output-format", "json")
    assert [key(f) for f in json.loads(chat.stdout)] == [("app/settings.py", 1, 15, "RL301")]
    edited = FILES["app/settings.py"].replace('VOICE_MODEL = "gpt-realtime-1.5"', 'VOICE_MODEL = "gpt-5.5"')
    assert all(key(f)[1] != 1 for f in json.loads(stdin(edited, "app/settings.py", "--output-format", "json").stdout))
    unsaved = stdin(FILES["app/settings.py"], "app/settings.py", "--output-format", "json")
    assert ("app/settings.py", 1, 15, "RL301") in {key(f) for f in json.loads(unsaved.stdout)}


def test_fixing_a_buffer_fixes_its_literal_for_a_use_in_another_file(project: Path) -> None:
    (project / "app" / "images.py").write_text('IMAGE = "GPT Image 2"\n')
    (project / "app" / "paint.py").write_text(
        "import openai\nfrom app.images import IMAGE\nopenai.OpenAI().images.generate(model=IMAGE, prompt='x')\n"
    )
    fixed = stdin('IMAGE = "GPT Image 2"\n', "app/images.py", "--fix")
    assert 'IMAGE = "gpt-image-2"' in fixed.stdout  # used by paint.py's images.generate
    assert (project / "app" / "images.py").read_text() == 'IMAGE = "GPT Image 2"\n'
    # DRAWING goes to draw.py's images.generate and to the notebook's responses.create, which
    # does not take gpt-image-2: no rewrite fits both uses, so none is made (issue 18).
    unfixed = stdin(FILES["app/settings.py"], "app/settings.py", "--fix")
    assert 'DRAWING = "GPT Image 2"' in unfixed.stdout
    assert (project / "app" / "settings.py").read_text() == FILES["app/settings.py"]
    kept = stdin(FILES["app/draw.py"], "app/draw.py", "--fix")
    assert kept.stdout.count("GPT Image 2") == 0  # its own literal fixed; settings.py's is not written
    assert (project / "app" / "settings.py").read_text() == FILES["app/settings.py"]


def test_without_config_git_or_project_file_the_project_is_the_common_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the benchmark: the working folder held other trees, and a run over one file
    read all of them. The working folder is never the project as such."""
    from routelint.discovery import project_root

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.py").write_text("")
    assert project_root([Path("a/b/x.py")], None, tmp_path) == tmp_path / "a" / "b"
    (tmp_path / "a" / "setup.cfg").write_text("")
    assert project_root([Path("a/b/x.py")], None, tmp_path) == tmp_path / "a"
    (tmp_path / "a" / "b" / ".git").mkdir()
    assert project_root([Path("a/b/x.py")], None, tmp_path) == tmp_path / "a" / "b"
    config = tmp_path / "routelint.toml"
    assert project_root([Path("a/b/x.py")], config, tmp_path) == tmp_path


def test_without_any_project_a_file_given_sees_only_the_files_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found on an untuned corpus: one script in a folder of 85 unpacked sdists (no config, no
    git, no project file around it) read all 8,600 of their files, 15 s; in /tmp, over ten
    minutes. With no project, the files beside it are its neighbours; the trees below are not."""
    from routelint.config import Settings
    from routelint.crossfile import context_files
    from routelint.discovery import enclosing_project

    if enclosing_project(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a project")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (tmp_path / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE\nOpenAI().chat.completions.create(model=VOICE, messages=[])\n"
    )
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "other" / "deep").mkdir(parents=True)
    (tmp_path / "other" / "deep" / "user.py").write_text("from ...settings import VOICE\n")
    listed = context_files([Path("settings.py")], Settings(), tmp_path, set())
    assert sorted(p.name for p in listed) == ["chat.py", "settings.py"]
    assert [key(f) for f in findings("settings.py")] == [("settings.py", 1, 9, "RL301")]  # its use beside it
    # Files in two folders: each one's own neighbours, not only their common folder's (review)
    (tmp_path / "other" / "note.py").write_text("")
    both = context_files([Path("other/deep/user.py"), Path("other/note.py")], Settings(), tmp_path, set())
    assert sorted(p.name for p in both) == ["note.py", "user.py"]
    assert [key(f) for f in findings("settings.py", "other/note.py")] == [("settings.py", 1, 9, "RL301")]
    # A project file above makes the folder a project, read whole.
    (tmp_path / "setup.cfg").write_text("")
    assert "user.py" in {p.name for p in context_files([Path("settings.py")], Settings(), tmp_path, set())}


@pytest.mark.parametrize("seed", range(6))
def test_a_subset_served_from_the_cache_reports_what_it_reported_linted(project: Path, seed: int) -> None:
    """Issue 15: a run over some files is cached with the files past them that it involves."""
    chooser = random.Random(seed)
    subset = sorted(chooser.sample(ALL, chooser.randint(1, 4)))
    linted = run("--output-format", "full", *subset).stdout
    first, second = (run_cli("--output-format", "full", *subset, separate=True) for _ in range(2))
    assert first.stdout == second.stdout == linted, subset


def test_functions_called_across_files_agree_from_either_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by review: a literal handed on through a function of a middle file (which calls the
    defining file's function itself) reaches the call from either end named alone; a function
    defined under a module-level `if` is found from its own file; two functions imported under
    one name are told apart; a noqa at the defining file's call is not the literal's."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.routelint]\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "llm.py").write_text(
        "import os\nfrom openai import OpenAI\nclient = OpenAI()\n"
        "if os.environ.get('BACKEND', 'openai') == 'openai':\n"
        "    def complete(prompt, model):\n"
        "        return client.chat.completions.create(model=model, messages=[])  # noqa: RL301\n"
    )
    (tmp_path / "app" / "img.py").write_text(
        "from openai import OpenAI\ndef complete(prompt, model):\n    return OpenAI().images.generate(model=model, prompt=prompt)\n"
    )
    (tmp_path / "app" / "mid.py").write_text(
        "from app.llm import complete\ndef relay(prompt, model):\n    return complete(prompt, model)\ncomplete('warm-up', 'gpt-5.5')\n"
    )
    (tmp_path / "main.py").write_text("from app.mid import relay\nrelay('hi', 'gpt-realtime-1.5')\n")
    (tmp_path / "both.py").write_text(
        "def chat():\n    from app.llm import complete\n    return complete('hi', 'gpt-5.5')\n"
        "def draw():\n    from app.img import complete\n    return complete('a cat', 'gpt-image-2')\n"
    )
    whole = {key(f) for f in findings(".")}
    hop = ("main.py", 2, 13, "RL301")
    assert hop in whole
    assert ("app/llm.py", 6, 74, "RL100") in whole  # the noqa silences nothing: the literal is main.py's
    assert not any(name == "both.py" for name, *_ in whole)
    for given in ("main.py", "app/llm.py"):
        assert hop in {key(f) for f in findings(given)}, given
