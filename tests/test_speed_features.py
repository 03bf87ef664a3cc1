"""Parallel runs, the result cache and --verbose: behaviour only (timings live in benchmarks/)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import TODAY, run_cli
from routelint.patterns import Ignores, compile_pattern, is_ignored
from routelint.pool import MIN_FILES_PER_JOB


def run(*args: str) -> Result:
    return run_cli(*args, separate=True)  # the statistics of -v are on standard error


def make_tree(root: Path, files: int) -> None:
    for index in range(files):
        folder = root / f"pkg{index % 7}"
        folder.mkdir(exist_ok=True)
        body = ["import os", f"VALUE_{index} = {index}"]
        if index % 5 == 0:
            body.append('IMAGE_MODEL = "GPT Image 2"')
        if index % 11 == 0:
            body.append('client.chat.completions.create(model="gpt-realtime-1.5", messages=[])')
        (folder / f"m{index}.py").write_text("\n".join(body) + "\n")


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_output_is_byte_identical_for_any_number_of_jobs(project: Path, output_format: str) -> None:
    make_tree(project, MIN_FILES_PER_JOB * 3)
    outputs = {jobs: run("--no-cache", "--output-format", output_format, "-j", str(jobs), ".").output for jobs in (1, 2, 3)}
    assert outputs[1] == outputs[2] == outputs[3]
    assert "RL101" in outputs[1] and "RL301" in outputs[1]


def test_cache_serves_the_second_run_and_notices_changes(project: Path) -> None:
    make_tree(project, 20)
    first = run("-v", ".")
    second = run("-v", ".")
    assert first.stdout == second.stdout
    assert "0 from cache" in first.stderr and "20 from cache" in second.stderr
    assert (project / ".routelint_cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (project / ".routelint_cache" / ".gitignore").read_text().endswith("*\n")
    changed = project / "pkg1" / "m1.py"
    changed.write_text('OTHER_MODEL = "Sora 2"\n')
    third = run("-v", ".")
    assert "19 from cache" in third.stderr and 'pkg1/m1.py:1:15: RL101 "Sora 2"' in third.stdout


def test_a_changed_catalog_entry_invalidates_cached_results(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "gpt-5.5"\n')
    assert run(".").exit_code == 0  # clean, and cached as clean
    (project / "dead.toml").write_text('[models."gpt-5.5"]\nshutdown = "2026-01-01"\nshutdown-source = "test"\n')
    (project / "pyproject.toml").write_text('[tool.routelint]\nextend-catalog = ["dead.toml"]\n')
    result = run(".")
    assert result.exit_code == 1 and "RL201" in result.stdout


def test_another_day_is_another_cache(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "gpt-4"\n')
    assert "RL202" in run_cli(".", today="2026-01-01", separate=True).stdout
    assert "RL201" in run_cli(".", today="2026-11-25", separate=True).stdout


def test_no_cache_writes_nothing_and_cache_dir_moves_it(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "gpt-4"\n')
    run("--no-cache", ".")
    assert not (project / ".routelint_cache").exists()
    run("--cache-dir", "elsewhere", ".")
    assert (project / "elsewhere" / "CACHEDIR.TAG").exists() and not (project / ".routelint_cache").exists()


def test_fix_never_uses_the_cache(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "GPT Image 2"\n')
    run(".")
    assert run("--fix", ".").exit_code == 0
    assert (project / "app.py").read_text() == 'MODEL = "gpt-image-2"\n'
    assert run(".").exit_code == 0  # the cached finding for the old text is not served


def test_verbose_line(project: Path) -> None:
    (project / "a.py").write_text("x = 1\n")
    (project / "b.py").write_text('MODEL = "gpt-4"\n')
    result = run("-v", "--no-cache", ".")
    assert "routelint: 2 files seen, 0 from cache, 1 settled by the prefilter, 1 parsed; discover" in result.stderr


def test_a_run_without_candidates_never_imports_libcst(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("print('hello')\n")
    code = (
        "import sys\nfrom routelint.cli import main\n"
        f"try:\n    main(['--today', {TODAY!r}, '--no-cache', '.'])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


def test_parallel_prefilter_gives_the_same_output(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading and prefiltering go to worker processes only for big trees: make this one big."""
    import routelint.runner

    monkeypatch.setattr(routelint.runner, "MIN_SCREENS_PER_JOB", 8)
    monkeypatch.setattr(routelint.runner, "MIN_FILES_PER_JOB", 2)
    make_tree(project, 60)
    (project / "latin.py").write_bytes(b'# -*- coding: latin-1 -*-\nNAME = "caf\xe9"\nMODEL = "GPT Image 2"\n')
    (project / "bad.py").write_bytes(b'MODEL = "\xff"\n')
    outputs = {jobs: run("--no-cache", "-j", str(jobs), ".") for jobs in (1, 2)}
    assert outputs[1].stdout == outputs[2].stdout
    assert "latin.py:3:9: RL101" in outputs[1].stdout and "bad.py:1:1: RL001" in outputs[1].stdout


def test_a_touched_file_is_still_served_from_the_cache(project: Path) -> None:
    """Same size, another mtime (a checkout, a formatter that changed nothing): the content hash decides."""
    import os

    make_tree(project, 5)
    run(".")
    target = project / "pkg0" / "m0.py"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert "5 from cache" in run("-v", ".").stderr
    target.write_text(target.read_text().replace("GPT Image 2", "GPT Image 1"))  # same size, other content
    os.utime(target, ns=(2_000_000_000, 2_000_000_000))
    result = run("-v", ".")
    assert "4 from cache" in result.stderr and '"GPT Image 1"' in result.stdout


def test_files_cached_one_by_one_still_share_their_names(project: Path) -> None:
    """A constant in one file reaches a call in another: the cache keeps each file's constants,
    so a run over both finds it even when each file was cached by a run of its own."""
    (project / "settings.py").write_text('IMAGE = "GPT Image 2"\n')  # not a model context on its own
    assert run(".").exit_code == 0  # settings.py cached alone, with its constants
    (project / "app.py").write_text(
        "from openai import OpenAI\nfrom settings import IMAGE\n\nOpenAI().images.generate(model=IMAGE, prompt='x')\n"
    )
    assert run("app.py").exit_code == 1  # a file given alone sees the project (issue #15)
    cold = run("--no-cache", ".").stdout
    assert "settings.py:1:9: RL101" in cold
    assert run(".").stdout == cold
    assert run(".").stdout == cold  # the decision that names cross is not cached as "they do not"


def test_a_run_served_wholly_from_the_cache_never_parses_the_catalog(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import routelint.catalog

    make_tree(project, 6)
    (project / "bad.py").write_bytes(b'MODEL = "\xff"\n')  # RL001 for its bytes is cached too
    first = run(".")

    def refuse(*args: object) -> None:
        raise AssertionError("the catalog was parsed")

    monkeypatch.setattr(routelint.catalog, "load_catalog", refuse)
    second = run("-v", ".")
    assert second.stdout == first.stdout and "7 from cache" in second.stderr


def test_a_file_changed_just_before_it_was_read_is_checked_by_hash(tmp_path: Path) -> None:
    """git's "racy clean": a file may change again within the mtime tick it was read in."""
    import time

    from routelint.cache import RACY_NS, Reading, ResultCache

    target = tmp_path / "app.py"
    target.write_text("x = 1\n")
    info = target.stat()
    cache = ResultCache(tmp_path / "cache", "key")
    digest = "0" * 64
    cache.store(target, Reading.of(info, digest, info.st_ctime_ns + RACY_NS // 2), (), ())
    assert cache.entries[str(target.absolute())][1] == -1  # no mtime to trust: always hashed
    assert cache.lookup(target) is None  # the stored digest is not the file's
    cache.store(target, Reading.of(info, digest, info.st_ctime_ns + 2 * RACY_NS), (), ())
    assert cache.entries[str(target.absolute())][1] == info.st_mtime_ns
    assert time.time_ns() > info.st_mtime_ns


def test_a_project_whose_names_cross_is_served_from_the_cache_until_a_file_changes(project: Path) -> None:
    """Issue #15: a warm run of a project where constants cross files was as slow as a cold one
    ("0 from cache"). The project pass's findings are kept under the contents of every file."""
    (project / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\nIMAGE = "GPT Image 2"\n')
    for index in range(5):
        (project / f"module_{index}.py").write_text(
            "from openai import OpenAI\nfrom settings import VOICE, IMAGE\n\n"
            f"OpenAI().chat.completions.create(model=VOICE, messages=[])  # {index}\n"
            "OpenAI().images.generate(model=IMAGE, prompt='x')\n"
        )
    cold = run("--no-cache", "--output-format", "full", ".").stdout
    assert "settings.py:1:9: RL301" in cold and "settings.py:2:9: RL101" in cold
    assert "at module_0.py:4 " in cold
    first = run("-v", "--output-format", "full", ".")
    assert first.stdout == cold
    warm = run("-v", "--output-format", "full", ".")
    assert warm.stdout == cold and "6 from cache" in warm.stderr and "0 parsed" in warm.stderr
    (project / "module_0.py").write_text((project / "module_0.py").read_text().replace("chat.completions.create", "realtime.connect").replace(", messages=[]", ""))
    changed = run("-v", "--output-format", "full", ".")
    assert changed.stdout == run("--no-cache", "--output-format", "full", ".").stdout
    assert "at module_0.py:4 " not in changed.stdout and "at module_1.py:4 " in changed.stdout  # not the old findings
    # The other modules' first round comes from the cache: only the changed one and the holder are linted.
    assert "4 from cache" in changed.stderr, changed.stderr


def test_a_file_that_holds_no_constant_is_linted_once_when_names_cross(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #15: the settings app linted each module twice, alone and then in the project
    pass. Whether names cross is decided from the files that may hold constants."""
    from routelint.engine import Linter

    (project / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    for index in range(3):  # candidates by their SDK call (`prompt=`), with no string that could be a model
        (project / f"module_{index}.py").write_text(
            "from openai import OpenAI\nfrom settings import VOICE\n\nOpenAI().chat.completions.create(model=VOICE, messages=[])\n"
            'OpenAI().images.generate(model=VOICE, prompt="a lighthouse")\n'
        )
    linted: list[str] = []
    original = Linter.lint_source

    def counting(self: Linter, source: str, path: str, *args: object, **kwargs: object) -> object:
        linted.append(path)
        return original(self, source, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Linter, "lint_source", counting)
    result = run("--no-cache", "-j", "1", ".")
    assert "at module_0.py:4 " in result.stdout
    assert sorted(linted) == ["module_0.py", "module_1.py", "module_2.py", "settings.py", "settings.py"]


def test_a_file_cached_without_its_own_outcome_is_linted_when_names_stop_crossing(project: Path) -> None:
    """A file that went straight to the project pass is cached with its constants (none) but
    no outcome of its own: once names no longer cross, it is linted alone, not served empty."""
    (project / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (project / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE\n\nOpenAI().chat.completions.create(model=VOICE, messages=[])\n"
    )
    # A finding of its own (RL100), and no one-line string that could be a model: it holds no constant.
    (project / "voice.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE\n\n"
        'OpenAI().audio.speech.create(model=VOICE, voice="alloy", input="x")\nx = 1  # noqa: RL101\n'
    )
    cold = run("--no-cache", ".").stdout
    assert "voice.py:5:" in cold and "settings.py:1:9: RL301" in cold
    assert run(".").stdout == cold
    warm = run("-v", ".")
    assert warm.stdout == cold and "3 from cache" in warm.stderr and "0 parsed" in warm.stderr
    (project / "settings.py").write_text('VOICE = "a voice"\n')  # holds no model: names no longer cross
    again = run("-v", ".")
    assert again.stdout == run("--no-cache", ".").stdout
    assert "voice.py:5:" in again.stdout and "settings.py" not in again.stdout


def test_a_first_round_is_not_kept_for_a_file_that_takes_no_name_yet(project: Path) -> None:
    """Found by review: voice.py (no constants) took no name while chat.py bound none; its first
    round was cached under the table's shape, which did not change when chat.py began to
    re-export VOICE, and later warm runs lost the finding at settings.py."""
    (project / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (project / "other.py").write_text('from openai import OpenAI\nfrom settings import VOICE\nOpenAI().images.generate(model=VOICE, prompt="a")\n')
    (project / "chat.py").write_text("x = 1\n")
    (project / "voice.py").write_text(
        'from openai import OpenAI\nfrom chat import VOICE\n\nOpenAI().audio.speech.create(model=VOICE, voice="alloy", input="x")\n'
        "y = 2  # noqa: RL101\n"
    )
    run(".")
    (project / "settings.py").write_text('VOICE = "gpt-4o"\n')
    (project / "chat.py").write_text("from settings import VOICE\n")
    fresh = run("--no-cache", ".").stdout
    assert "at voice.py:4 " in fresh
    assert run(".").stdout == fresh and run(".").stdout == fresh


def test_a_damaged_first_round_entry_is_dropped_not_trusted(project: Path) -> None:
    import json

    (project / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (project / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE\n\nOpenAI().chat.completions.create(model=VOICE, messages=[])\n"
    )
    cold = run("--no-cache", ".").stdout
    run(".")
    (cache_file,) = (project / ".routelint_cache").rglob("*.json")
    entries = json.loads(cache_file.read_text())
    rounds = [name for name in entries if name.startswith("\0round\0")]
    assert rounds
    for name in rounds:
        entries[name][3] = [["settings.py", "VOICE", [], 1, [], None, None, False, False, None, []]]  # a surface that is not text
    entries = {k: v for k, v in entries.items() if not k.startswith("\0crossing")}
    cache_file.write_text(json.dumps(entries))
    (project / "chat.py").write_text((project / "chat.py").read_text() + "\n")  # the project pass runs again
    again = run(".")
    assert again.stdout == cold and "damaged entr" in again.stderr


def test_runs_over_different_sets_of_files_keep_their_own_project_cache(project: Path) -> None:
    """`routelint a/` and `routelint b/` in turn (or the benchmark's two corpora sharing a
    --cache-dir) must not evict each other's project findings."""
    for name in ("a", "b"):
        (project / name).mkdir()
        (project / name / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
        (project / name / "chat.py").write_text(
            f"from openai import OpenAI\nfrom {name}.settings import VOICE\n\nOpenAI().chat.completions.create(model=VOICE, messages=[])\n"
        )
        (project / name / "__init__.py").write_text("")
    (project / "routelint.toml").write_text("")  # the project: a/ and b/ are folders of it
    for name in ("a", "b", "a", "b"):
        result = run("-v", name)
        assert f"{name}/settings.py:1:9: RL301" in result.stdout
    assert "3 from cache" in run("-v", "a").stderr and "3 from cache" in run("-v", "b").stderr


def _settings_app(root: Path) -> None:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "settings.py").write_text('CHAT_MODEL = "gpt-realtime-1.5"\n')
    (root / "app" / "chat.py").write_text(
        "from openai import OpenAI\nfrom app.settings import CHAT_MODEL\n\n"
        "OpenAI().chat.completions.create(model=CHAT_MODEL, messages=[])\n"
    )


def test_a_run_over_some_files_is_served_from_the_cache_while_nothing_it_involves_changes(project: Path) -> None:
    # Issue 15: pre-commit and editors name the same files again and again; the files past them
    # that their findings involve (settings.py here) are part of what the cached result stands on.
    _settings_app(project)
    first = run("-v", "app/chat.py")
    second = run("-v", "app/chat.py")
    assert "app/settings.py:1:14: RL301" in first.stdout and second.stdout == first.stdout
    assert "1 files seen, 0 from cache, 0 settled by the prefilter, 1 parsed" in first.stderr
    assert "1 files seen, 1 from cache, 0 settled by the prefilter, 0 parsed" in second.stderr
    (project / "app" / "settings.py").write_text('CHAT_MODEL = "gpt-5.5"\n')  # the file past it changed
    assert run("app/chat.py").stdout == "All checks passed!\n"
    (project / "app" / "settings.py").write_text('CHAT_MODEL = "gpt-realtime-1.5"\n')
    assert run("app/chat.py").stdout == first.stdout


def test_a_cached_run_over_a_holder_sees_a_new_file_that_uses_its_names(project: Path) -> None:
    _settings_app(project)
    with (project / "app" / "settings.py").open("a") as settings:
        settings.write('VOICE_MODEL = "gpt-realtime-1.5"\n')  # used by no file yet: nothing to say
    first = run("app/settings.py")
    assert first.stdout.count("RL301") == 1 and run("app/settings.py").stdout == first.stdout
    (project / "app" / "voice.py").write_text(
        "from openai import OpenAI\nfrom app.settings import VOICE_MODEL\n\n"
        "OpenAI().chat.completions.create(model=VOICE_MODEL, messages=[])\n"
    )
    again = run("app/settings.py")
    assert "app/settings.py:2:15: RL301" in again.stdout and "app/voice.py:4" in again.stdout


_GLOB_PIECES = ["*", "?", "**/", "a", "b", "[ab]", "[!a]", "/", ".py", "dir", "x*"]


@settings(max_examples=300, deadline=None)
@given(
    globs=st.lists(
        st.tuples(st.lists(st.sampled_from(_GLOB_PIECES), min_size=1, max_size=4), st.booleans(), st.booleans(), st.sampled_from(["", "sub"])),
        max_size=6,
    ),
    parts=st.lists(st.sampled_from(["a", "b", "dir", "x.py", "ab.py", "sub"]), min_size=1, max_size=4),
    is_dir=st.booleans(),
)
def test_a_folders_patterns_joined_into_one_regex_decide_as_git_does(
    globs: list[tuple[list[str], bool, bool, str]], parts: list[str], is_dir: bool
) -> None:
    """discovery's walk asks `Ignores` (one regex per folder and kind) what `is_ignored` (each
    pattern in turn, the last match deciding) would say."""
    root = Path("/project")
    patterns = []
    for pieces, negated, directory_only, base in globs:
        text = ("!" if negated else "") + "".join(pieces) + ("/" if directory_only else "")
        pattern = compile_pattern(text, root / base if base else root)
        if pattern is not None:
            patterns.append(pattern)
    path = "/project/" + "/".join(parts)
    assert Ignores(patterns)(path, is_dir) == is_ignored(path, is_dir, patterns)
