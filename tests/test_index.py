"""Issue #15, item 1: the project index. What a run over some files needs of the rest of its
project (each file's constants, imports and the names it mentions) is kept in the cache by
content: a warm run reads none of the other files, a changed file is read again, a deleted one
drops out, and the findings are those of a run without the cache, whatever changed between."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness import DEFAULT_TODAY, _linter, run_cli
from routelint.cache import ResultCache
from routelint.index import ProjectIndex
from routelint.project import FileFacts
from test_project_subsets import FILES


@pytest.fixture
def files(project: Path) -> dict[str, Path]:
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    return {name: project / name for name in FILES}


def reportable():  # type: ignore[no-untyped-def]
    return _linter(DEFAULT_TODAY, 365, (), ()).reportable


def index(files: dict[str, Path], folder: Path) -> tuple[ProjectIndex, ResultCache]:
    cache = ResultCache(folder, "run key")
    return ProjectIndex(files, reportable(), cache), cache


def read_all(built: ProjectIndex) -> dict[str, FileFacts | None]:
    return {key: built.facts(key) for key in built.files}


def test_facts_kept_in_the_cache_are_the_facts_of_the_text(files: dict[str, Path], tmp_path: Path) -> None:
    first, cache = index(files, tmp_path / "cache")
    fresh = read_all(first)
    assert first.read == len(files)
    assert fresh["app/settings.py"] is not None and [c.name for c in fresh["app/settings.py"].constants] == [
        "VOICE_MODEL", "DRAWING", "UNUSED_OLD", "REQUEST"
    ]
    cache.save()
    second, _ = index(files, tmp_path / "cache")
    assert read_all(second) == fresh == {k: FileFacts.of(p.read_text(), reportable()) for k, p in files.items()}
    assert second.read == 0


def test_only_a_changed_file_is_read_again(files: dict[str, Path], tmp_path: Path) -> None:
    first, cache = index(files, tmp_path / "cache")
    read_all(first)
    cache.save()
    settings = files["app/settings.py"]
    settings.write_text(settings.read_text() + 'LATER = "gpt-4o"\n')
    chat = files["app/chat.py"]
    os.utime(chat, ns=(chat.stat().st_atime_ns, chat.stat().st_mtime_ns + 10_000_000_000))  # touched, same bytes
    second, _ = index(files, tmp_path / "cache")
    facts = read_all(second)
    assert second.read == 1  # settings.py; chat.py's bytes are the same (checked by hash)
    assert facts["app/settings.py"] is not None and facts["app/settings.py"].constants[-1].name == "LATER"


def test_a_deleted_file_drops_out_of_the_index(files: dict[str, Path], tmp_path: Path) -> None:
    first, cache = index(files, tmp_path / "cache")
    read_all(first)
    cache.save()
    files["app/unrelated.py"].unlink()
    left = {k: p for k, p in files.items() if k != "app/unrelated.py"}
    _, cache = index(left, tmp_path / "cache")
    kept = [key for key in cache.entries if key.startswith("\0facts\0")]
    assert len(kept) == len(left) and not any(key.endswith("unrelated.py") for key in kept)


def test_a_damaged_entry_is_dropped_and_the_file_read_again(files: dict[str, Path], tmp_path: Path) -> None:
    first, cache = index(files, tmp_path / "cache")
    read_all(first)
    cache.save()
    data = json.loads(cache.file.read_text())
    entry = next(key for key in data if key.endswith("settings.py") and key.startswith("\0facts\0"))
    data[entry][8] = [1, 2]  # words that are not strings
    cache.file.write_text(json.dumps(data))
    second, cache = index(files, tmp_path / "cache")
    assert read_all(second)["app/settings.py"] == FileFacts.of(files["app/settings.py"].read_text(), reportable())
    assert second.read == 1 and cache.rejected == 1


def run(*args: str) -> str:
    result = run_cli("--output-format", "json", *args, separate=True)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


USER = "from openai import OpenAI\nfrom app.settings import {name}\nOpenAI().images.generate(model={name}, prompt='x')\n"
EDITS = {
    "literal fixed": [("app/settings.py", lambda t: t.replace("gpt-realtime-1.5", "gpt-5.5"))],
    "new constant and its use": [
        ("app/settings.py", lambda t: t + 'LATE = "gpt-realtime-1.5"\n'), ("app/chat.py", lambda _: USER.format(name="LATE")),
    ],
    "a file becomes a user": [("app/unrelated.py", lambda _: USER.format(name="UNUSED_OLD"))],
    "a use moves to another name": [("app/chat.py", lambda t: t.replace("VOICE_MODEL", "DRAWING"))],
    "a new file uses a constant": [("app/new_user.py", lambda _: USER.format(name="DRAWING"))],
    "a re-export is gone": [("tools/config.py", lambda _: 'IMAGE = "gpt-image-2"\n')],
    "a re-export appears": [("app/unrelated.py", lambda _: "from app.settings import VOICE_MODEL as V\nIMAGE = V\n"),
                            ("tools/batch.py", lambda t: t.replace("tools.config", "app.unrelated"))],
    "a file is deleted": [("app/draw.py", None)],
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_warm_index_reports_what_a_run_without_cache_reports(project: Path, edit: str) -> None:
    """The property, across edits: warm the index (a run over the constants' file reads every
    file), edit the project, then run over each file alone, with the cache and without."""
    (project / "pyproject.toml").write_text("[tool.routelint]\n")
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    singles = sorted(name for name in [*FILES, "app/new_user.py"] if name.endswith(".py") and name != "app/__init__.py")
    for name in ["app/settings.py", *singles]:
        if (project / name).exists():
            run(name)  # every file's facts, and every subset's findings, cached before the edit
    for name, change in EDITS[edit]:
        target = project / name
        if change is None:
            target.unlink()
        else:
            target.write_text(change(target.read_text() if target.exists() else ""))
    for name in singles:
        if (project / name).exists():
            assert run(name) == run("--no-cache", name), name


def test_a_warm_run_over_one_file_reads_no_other_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the index: pre-commit naming one file does not read the project again."""
    (project / "pyproject.toml").write_text("[tool.routelint]\n")
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    for number in range(30):
        (project / "app" / f"module_{number}.py").write_text(f"def f{number}(x):\n    return x\n")
    run("app/chat.py")
    counted: list[ProjectIndex] = []
    original = ProjectIndex.__init__

    def keep(self: ProjectIndex, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        counted.append(self)

    monkeypatch.setattr(ProjectIndex, "__init__", keep)
    (project / "app" / "chat.py").write_text(FILES["app/chat.py"] + "# edited\n")  # not served whole
    out = run("app/chat.py")
    assert '"app/settings.py"' in out and counted and sum(i.read for i in counted) == 0


def test_the_files_given_keep_their_entries(files: dict[str, Path], tmp_path: Path) -> None:
    """A run names some files (their facts come from their text); their index entries stay for
    the next run, which may name others."""
    first, cache = index(files, tmp_path / "cache")
    read_all(first)
    cache.save()
    others = {k: p for k, p in files.items() if k != "app/chat.py"}
    _, cache = index_listing(others, files.values(), tmp_path / "cache")
    assert any(key.startswith("\0facts\0") and key.endswith("chat.py") for key in cache.entries)


def index_listing(files: dict[str, Path], listed, folder: Path) -> tuple[ProjectIndex, ResultCache]:  # type: ignore[no-untyped-def]
    cache = ResultCache(folder, "run key")
    return ProjectIndex(files, reportable(), cache, listed=listed), cache
