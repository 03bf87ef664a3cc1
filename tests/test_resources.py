"""Resource limits: deep nesting, a 20 MB file and 10,000 files stay bounded and end in a result.

The risky runs happen in a child process: if a guard regressed, LibCST's native parser would
kill the process with SIGSEGV, and that must fail one test, not end the test session.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from harness import DEFAULT_TODAY, TODAY
from routelint.catalog import load_catalog
from routelint.engine import Linter

resource = pytest.importorskip("resource")  # Unix: peak memory of the child

ENV = {**os.environ, "ROUTELINT_TODAY": TODAY}
MODEL = 'MODEL = "gpt5.5"\n'  # RL102 on line 1 whenever the file can be checked
MB = 1024 * 1024

# Runs the CLI in the child and reports its exit code, output and peak memory as one JSON line.
_CHILD = textwrap.dedent(
    """
    import contextlib, io, json, resource, sys
    from routelint.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(sys.argv[1:])
        except SystemExit as exc:
            code = exc.code
    try:  # this process's own peak: ru_maxrss would include the test process it was forked from
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "peak": peak}))
    """
)


def run_child(cwd: Path, *args: str, limit_files: int | None = None, timeout: float = 120) -> dict:
    def limits() -> None:
        if limit_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit_files, limit_files))

    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout, preexec_fn=limits,
    )
    assert done.returncode == 0, f"the child died ({done.returncode}):\n{done.stderr[-3000:]}"
    result = json.loads(done.stdout.splitlines()[-1])
    assert "Traceback" not in result["stderr"], result["stderr"]
    return result


def findings_by_file(stdout: str) -> dict[str, list[tuple[int, str, str]]]:
    found: dict[str, list[tuple[int, str, str]]] = {}
    for item in json.loads(stdout):
        found.setdefault(item["filename"], []).append((item["location"]["row"], item["code"], item["message"]))
    return found


# name -> (source, expected): "ok" means the file is checked (RL102 on line 1), otherwise the
# file gets exactly one RL001 whose message contains the given words.
DEEP = {
    "parens_5000": (MODEL + "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n", "too many nested parentheses"),
    "lists_5000": (MODEL + "x = " + "[" * 5000 + "]" * 5000 + "\n", "too many nested parentheses"),
    "calls_5000": (MODEL + "x = " + "f(" * 5000 + ")" * 5000 + "\n", "too many nested parentheses"),
    "unary_5000": (MODEL + "x = " + "-" * 5000 + "1\n", "nested"),
    "attributes_100000": (MODEL + "x = a" + ".b" * 100_000 + "\n", "nested"),
    "additions_100000": (MODEL + "x = 1" + "+1" * 100_000 + "\n", "nested"),
    "or_chain_200000": (MODEL + "x = a" + " or a" * 200_000 + "\n", "nested"),
    "if_else_5000": (MODEL + "x = 1" + " if 1 else 1" * 5000 + "\n", "nested"),
    "lambdas_5000": (MODEL + "x = " + "lambda: " * 5000 + "1\n", "nested"),
    "indentation_150": (MODEL + "".join(" " * i + "if 1:\n" for i in range(150)) + " " * 150 + "pass\n", "indentation"),
    # It reads MODEL, so LibCST must read it too (outline._linked).
    "concatenation_100000": (MODEL + "prompt_model = MODEL + (" + '"a" ' * 100_000 + ")\n", "LibCST"),
    # Deep, but within every limit: checked like any other file.
    "parens_150": (MODEL + "x = " + "(" * 150 + "1" + ")" * 150 + "\n", "ok"),
    "indentation_90": (MODEL + "".join(" " * i + "if 1:\n" for i in range(90)) + " " * 90 + "pass\n", "ok"),
    "or_chain_200": (MODEL + "x = a" + " or a" * 200 + "\n", "ok"),
}


def test_deep_nesting_never_crashes_and_gets_rl001(tmp_path: Path) -> None:
    for name, (source, _) in DEEP.items():
        (tmp_path / f"{name}.py").write_text(source)
    result = run_child(tmp_path, "--output-format", "json", ".")
    assert result["code"] == 1
    found = findings_by_file(result["stdout"])
    for name, (_, expected) in DEEP.items():
        got = found.get(f"{name}.py")
        if expected == "ok":
            assert got and (1, "RL102") in [(row, code) for row, code, _ in got], (name, got)
        else:
            assert got is not None and len(got) == 1 and got[0][1] == "RL001", (name, got)
            assert expected in got[0][2], (name, got)
    assert result["peak"] < 600 * MB, result["peak"]


def test_code_deeper_than_the_default_recursion_limit_is_checked() -> None:
    """Walking LibCST's tree takes ~5 frames per level: with Python's default limit of 1,000,
    a prompt of 500 implicitly concatenated strings could not be checked."""
    linter = Linter(load_catalog(), today=DEFAULT_TODAY)
    sources = [
        MODEL + "PROMPT = (\n" + '    "line"\n' * 500 + ")\n",
        MODEL + "x = 1" + " + 1" * 900 + "\n",
        MODEL + "x = " + "[" * 190 + "]" * 190 + "\n",
    ]
    for source in sources:
        assert [(f.start, f.code) for f in linter.lint_source(source, "deep.py").findings] == [((1, 9), "RL102")]
        assert linter.fix_source(source, "deep.py").source == source.replace("gpt5.5", "gpt-5.5", 1)
    assert sys.getrecursionlimit() < 20_000  # raised only while a file is being checked


def test_code_too_deep_to_walk_gets_rl001_not_a_recursion_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from routelint import safeparse

    monkeypatch.setattr(safeparse, "RECURSION_LIMIT", 1000)
    linter = Linter(load_catalog(), today=DEFAULT_TODAY)
    source = MODEL + "client.images.generate(model=MODEL, n=1" + " + 1" * 900 + ")\n"  # a statement that matters
    [finding] = linter.lint_source(source, "deep.py").findings
    assert finding.code == "RL001" and "nested too deeply" in finding.message
    assert linter.fix_source(source, "deep.py").source == source


@pytest.mark.slow
def test_a_20_mb_file_is_reported_in_bounded_memory(tmp_path: Path) -> None:
    line = 'VALUES_{} = {{"name": "item", "size": 12345, "tags": ["a", "b", "c"]}}\n'
    chunk = "".join(line.format(i) for i in range(1000))
    repeats = 20 * MB // len(chunk) + 1
    (tmp_path / "big.py").write_text(MODEL + chunk * repeats)
    (tmp_path / "big_clean.py").write_text("x = 1\n" * (20 * MB // 6 + 1))  # refused from its size, never read
    (tmp_path / "small.py").write_text(MODEL)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = run_child(tmp_path, "--output-format", "json", "--fix", ".")
    found = findings_by_file(result["stdout"])
    for name in ("big.py", "big_clean.py"):  # over the limit: nothing inside is known, so both
        [(row, code, message)] = found[name]
        assert (row, code) == (1, "RL001") and "too large" in message
    assert "small.py" not in found  # small.py was fixed
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "small.py"} == {
        k: v for k, v in before.items() if k != "small.py"
    }
    assert (tmp_path / "small.py").read_text() == 'MODEL = "gpt-5.5"\n'
    # Neither file is read: both are refused from their size.
    assert result["peak"] < 400 * MB, result["peak"]


@pytest.mark.slow
def test_ten_thousand_files_do_not_exhaust_file_descriptors(tmp_path: Path) -> None:
    for folder in range(100):
        sub = tmp_path / f"pkg{folder:03}"
        sub.mkdir()
        (sub / ".gitignore").write_text("ignored_*.py\n")
        for index in range(100):
            (sub / f"m{index:03}.py").write_text("x = 1\n")
        (sub / "m000.py").write_text(MODEL)  # one file per folder with a finding, and a fix
    (tmp_path / ".git").mkdir()
    # Far fewer descriptors than files: anything left open would run out within the first folder.
    result = run_child(tmp_path, "--output-format", "json", ".", limit_files=64)
    found = findings_by_file(result["stdout"])
    assert sorted(found) == [f"pkg{i:03}/m000.py" for i in range(100)]
    fixed = run_child(tmp_path, "--fix", ".", limit_files=64)
    assert fixed["code"] == 0, fixed["stdout"][-2000:]
    assert all((tmp_path / f"pkg{i:03}" / "m000.py").read_text() == 'MODEL = "gpt-5.5"\n' for i in range(100))


def test_reading_code_through_python_s_parser_prints_no_warnings(tmp_path: Path) -> None:
    """The depth gate compiles the source with CPython, which warns about the code it reads
    (an invalid escape sequence, calling a literal): those warnings are not routelint's to print."""
    (tmp_path / "app.py").write_text(MODEL + 'PATTERN = "\\d+"\nx = 1()\ny = [1, 2] [0]\n')
    done = subprocess.run(
        [sys.executable, "-W", "default", "-m", "routelint", "app.py"], cwd=tmp_path, env=ENV, capture_output=True, text=True
    )
    assert done.returncode == 1 and "RL102" in done.stdout
    assert "Warning" not in done.stderr, done.stderr


def test_the_depth_gate_sees_function_bodies_the_outline_pass_skipped() -> None:
    """skeleton.skeleton empties the bodies that cannot matter before `ast` reads a file; when a
    class goes to LibCST for a hit in one method, the depth gate still measures all of them."""
    linter = Linter(load_catalog(), today=DEFAULT_TODAY)
    deep = "        return a" + " or a" * 1500 + "\n"
    source = "class Bot:\n    MODEL = 'gpt5.5'\n\n    def quiet(self, a):\n" + deep + "\n    def run(self):\n        return 1\n"
    [finding] = linter.lint_source(source, "deep.py").findings
    assert finding.code == "RL001" and "nested more than 1000 levels" in finding.message and finding.start == (5, 1)
    shallow = source.replace(deep, "        return a or a\n")
    assert [f.code for f in linter.lint_source(shallow, "deep.py").findings] == ["RL102"]


@pytest.mark.parametrize(
    "source",
    [
        "import openai\n@deco('gpt-5.5', a" + " or a" * 1500 + ")\ndef f():\n    return 1\n",
        "import openai\rx = 'gpt-5.5'\ry = ('gpt-5.5', a" + " or a" * 1500 + ")\r",
    ],
    ids=["deep-decorator", "cr-line-breaks"],
)
def test_the_depth_gate_sees_decorators_and_cr_only_files(source: str) -> None:
    """Found in review: a deep decorator on a short def, and a file with CR line breaks, slipped
    past the gate to LibCST (a segfault with 60,000 operands)."""
    linter = Linter(load_catalog(), today=DEFAULT_TODAY)
    [finding] = linter.lint_source(source, "deep.py").findings
    assert finding.code == "RL001" and "nested more than 1000 levels" in finding.message


def test_a_syntax_error_in_a_skipped_body_of_a_parsed_class_is_rl001() -> None:
    linter = Linter(load_catalog(), today=DEFAULT_TODAY)
    source = "class Bot:\n    MODEL = 'gpt5.5'\n\n    def broken(self):\n        x = \\\\\n            1\n"
    [finding] = linter.lint_source(source, "bad.py").findings
    assert finding.code == "RL001" and finding.start[0] == 5 and "line continuation" in finding.message
