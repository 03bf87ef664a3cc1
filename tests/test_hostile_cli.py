"""Hostile surroundings of a run (issue 12): the cache, exit codes, standard input, the
console's encoding, the working directory, configuration of the wrong shape and signals.

Each test reproduces one report. Runs go through a real process (`python -m routelint`, with the
date pinned) so that a crash fails the test instead of ending the session; a few need a monkey
patch and run in this process instead.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness import TODAY, run_cli
from routelint.cache import VERSION

ENV = {**os.environ, "ROUTELINT_TODAY": TODAY}
LABEL = b'MODEL = "GPT Image 2"\n'  # RL101 with a safe fix to gpt-image-2
FIXED = b'MODEL = "gpt-image-2"\n'
FINDING = 'app.py:1:9: RL101 [*] "GPT Image 2" is a product label'


def routelint(cwd: Path, *args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "routelint", *args], cwd=cwd, env=env or ENV, input=stdin, capture_output=True, timeout=120
    )
    assert b"Traceback" not in done.stderr and b"Traceback" not in done.stdout, done.stderr.decode(errors="replace")
    return done


def text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_bytes(LABEL)
    return tmp_path


def cache_file(root: Path) -> Path:
    (found,) = (root / ".routelint_cache" / VERSION).glob("*.json")
    return found


# --- C1: a cache that cannot be written costs nothing but a warning -----------------------------
@pytest.mark.parametrize("where", ["cache-is-a-file", "cache-dir-under-a-file"])
def test_c1_an_unwritable_cache_is_a_warning_after_the_findings(app: Path, where: str) -> None:
    if where == "cache-is-a-file":
        (app / ".routelint_cache").write_text("not a folder")
        args: tuple[str, ...] = (".",)
    else:
        (app / "plain").write_text("a file")
        args = ("--cache-dir", "plain/cache", ".")
    done = routelint(app, *args)
    assert done.returncode == 1 and text(done.stdout).startswith(FINDING)
    assert text(done.stderr).count("routelint: warning: cache not written: ") == 1
    assert "Not a directory" in text(done.stderr)


def test_c1_a_full_disk_is_a_warning_after_the_findings(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import routelint.cache

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.chdir(app)
    monkeypatch.setattr(routelint.cache.json, "dumps", full)  # once the temporary file is open
    result = run_cli(".", separate=True)
    assert result.exit_code == 1 and result.stdout.startswith(FINDING)
    assert result.stderr == "routelint: warning: cache not written: No space left on device\n"
    assert not list((app / ".routelint_cache" / VERSION).iterdir())  # no temporary file left behind


# --- C2: a damaged cache is ignored and rebuilt ---------------------------------------------------
@pytest.mark.parametrize(
    "damage",
    [
        "[" * 100_000 + "]" * 100_000,  # RecursionError in the JSON parser
        "{" + '"a": 1' * 3,  # not JSON
        "\xff\xfe",
        "[]",
    ],
    ids=["deep", "not-json", "not-utf8", "not-an-object"],
)
def test_c2_a_cache_file_that_cannot_be_loaded_is_ignored_and_rebuilt(app: Path, damage: str) -> None:
    routelint(app, ".")
    cache_file(app).write_bytes(damage.encode("latin-1"))
    done = routelint(app, ".")
    assert done.returncode == 1 and text(done.stdout).startswith(FINDING)
    assert text(done.stderr).count("routelint: warning: cache ignored and rebuilt: ") == 1
    again = routelint(app, "-v", ".")  # rebuilt: served, and no warning any more
    assert again.stdout == done.stdout and "1 from cache" in text(again.stderr) and "warning" not in text(again.stderr)


def test_c2_a_cache_file_over_the_size_cap_is_not_read(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import routelint.cache

    monkeypatch.chdir(app)
    monkeypatch.setattr(routelint.cache, "MAX_CACHE_BYTES", 10)
    run_cli(".", separate=True)
    result = run_cli(".", separate=True)
    assert result.exit_code == 1 and result.stdout.startswith(FINDING)
    assert "cache ignored and rebuilt: " in result.stderr and "larger than 0 MiB" in result.stderr


def _damage_entry(root: Path, change: object) -> None:
    path = cache_file(root)
    data = json.loads(path.read_text())
    (key,) = [k for k in data if k.endswith("app.py")]
    data[key] = change(data[key])  # type: ignore[operator]
    path.write_text(json.dumps(data))


def _set(index: int, *keys: object, value: object) -> object:
    def change(entry: list) -> list:
        target = entry[index]
        for key in keys[:-1]:
            target = target[key]
        if keys:
            target[keys[-1]] = value
        else:
            entry[index] = value
        return entry

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set(5, 0, "start", value=[1]),
        _set(5, 0, "start", value=["1", 9]),
        _set(5, 0, "start", value=[True, 9]),
        _set(5, 0, "end", value=[1, 2, 3]),
        _set(5, 0, "code", value=5),
        _set(5, 0, "fix", value={"applicability": "safe"}),
        _set(5, 0, "fix", "applicability", value="always"),
        _set(5, 0, "fix", "edits", 0, "offsets", value=None),
        _set(5, 0, value={}),
        _set(5, value="[]"),
        _set(6, value=[["MODEL", "GPT Image 2", "1", 9]]),
        _set(0, value="22"),
        _set(4, value="not a digest"),
        lambda entry: entry[:5],
        lambda entry: {"size": 22},
    ],
)
def test_c2_a_damaged_entry_is_never_used(app: Path, monkeypatch: pytest.MonkeyPatch, change: object) -> None:
    monkeypatch.chdir(app)
    first = run_cli(".", separate=True)
    _damage_entry(app, change)
    done = run_cli("-v", ".", separate=True)
    assert done.exit_code == 1 and done.stdout == first.stdout
    assert "0 from cache" in done.stderr and "1 damaged entry in " in done.stderr
    assert "1 from cache" in run_cli("-v", ".", separate=True).stderr  # rebuilt


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FINDING_KEYS = ("code", "name", "severity", "message", "path", "start", "end", "fix")


@given(
    entry=st.one_of(
        JSON,
        st.lists(JSON, min_size=7, max_size=7),
        st.fixed_dictionaries({k: JSON for k in FINDING_KEYS}).map(lambda f: [0, 0, 0, 0, "0" * 64, [f], []]),
        st.lists(JSON, min_size=4, max_size=4).map(lambda c: [0, 0, 0, 0, "0" * 64, [], [c]]),
    )
)
def test_c2_random_entries_are_validated_or_rejected(entry: object) -> None:
    """Whatever an entry holds, reading it gives a well-formed result or nothing."""
    from routelint.cache_entries import entry as read_entry
    from routelint.model import Finding
    from routelint.project import Constant

    parsed = read_entry(entry)
    if parsed is not None:
        size, stamp, digest, findings, constants = parsed
        assert all(type(n) is int for n in (size, *stamp)) and len(digest) == 64
        for finding in findings:
            assert isinstance(finding, Finding) and all(type(n) is int for n in (*finding.start, *finding.end))
        assert all(isinstance(c, Constant) and type(c.line) is int for c in constants)


# --- E7: an edit that keeps size and mtime ---------------------------------------------------------
def test_e7_a_same_size_same_mtime_edit_is_not_served_from_the_cache(app: Path) -> None:
    target = app / "app.py"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    routelint(app, ".")
    # The run just now saw a freshly changed file (racy: its stamp is not trusted yet). Make the
    # entry what a run long after the last change writes: the file's own stamp.
    info = target.stat()
    _damage_entry(app, lambda entry: [entry[0], info.st_mtime_ns, info.st_ctime_ns, info.st_ino, *entry[4:]])
    assert "1 from cache" in text(routelint(app, "-v", ".").stderr)
    target.write_bytes(FIXED)  # same size
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))  # same mtime; the ctime moved
    done = routelint(app, "-v", ".")
    assert done.returncode == 0 and "0 from cache" in text(done.stderr)


# --- C3, W4: standard input, in the input's encoding, on any console -------------------------------
def test_c3_stdin_fix_on_an_ascii_console(tmp_path: Path) -> None:
    env = {**ENV, "PYTHONIOENCODING": "ascii"}
    source = 'MODEL = "GPT Image 2"  # café ✓\n'.encode()
    done = routelint(tmp_path, "--fix", "--stdin-filename", "app.py", "-", stdin=source, env=env)
    assert done.returncode == 0 and done.stdout == source.replace(b"GPT Image 2", b"gpt-image-2")
    diff = routelint(tmp_path, "--diff", "--stdin-filename", "app.py", "-", stdin=source, env=env)
    assert diff.returncode == 1 and b'+MODEL = "gpt-image-2"  # caf\\xe9 \\u2713' in diff.stdout


@pytest.mark.parametrize(
    "source",
    [
        b'# -*- coding: latin-1 -*-\nMODEL = "GPT Image 2"  # caf\xe9\n',
        b'\xef\xbb\xbfMODEL = "GPT Image 2"  # caf\xc3\xa9\r\n',
        b'# vim: set fileencoding=cp1252 :\nMODEL = "GPT Image 2"  # \x80\n',
    ],
    ids=["latin-1-cookie", "utf-8-bom-crlf", "cp1252-cookie"],
)
def test_w4_stdin_fix_writes_the_input_s_own_encoding(tmp_path: Path, source: bytes) -> None:
    done = routelint(tmp_path, "--fix", "--stdin-filename", "app.py", "-", stdin=source)
    assert done.returncode == 0 and done.stdout == source.replace(b"GPT Image 2", b"gpt-image-2")


def test_w4_stdin_that_its_encoding_cannot_give_back_comes_back_unchanged(tmp_path: Path) -> None:
    source = b"# coding: unicode_escape\n" + LABEL
    done = routelint(tmp_path, "--fix", "--stdin-filename", "app.py", "-", stdin=source)
    assert done.returncode == 1 and done.stdout == source
    assert "app.py: unicode_escape does not give back the input's own bytes; left unchanged" in text(done.stderr)
    assert "app.py:2:9: RL101" in text(done.stderr)


@pytest.mark.parametrize("selection", ["", ",", " "])
def test_an_empty_select_is_a_usage_error_not_a_run_that_checks_nothing(tmp_path: Path, selection: str) -> None:
    (tmp_path / "app.py").write_text('MODEL = "GPT Image 2"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "routelint", "--no-cache", "--select", selection, "app.py"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "ROUTELINT_TODAY": TODAY},
    )
    assert done.returncode == 2 and "--select needs at least one rule code" in done.stderr


@pytest.mark.parametrize("text", ["tool = 5\n", "[tool]\nroutelint = 5\n"])
def test_a_config_of_the_wrong_shape_is_exit_2_with_its_file_named(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "routelint", "--no-cache", "."],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "ROUTELINT_TODAY": TODAY},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and "pyproject.toml" in done.stderr


def test_a_broken_config_in_a_sub_project_fails_only_the_runs_it_governs(tmp_path: Path) -> None:
    """Found on a PyPI sdist: `routelint app.py` read the config of every folder below to gather
    the rest of the project, and one invalid pyproject.toml deep inside failed the run (exit 2)
    though it governs no file given. Named, the folder still fails the run, as in ruff."""
    (tmp_path / "vendor" / "deep").mkdir(parents=True)
    (tmp_path / "vendor" / "deep" / "pyproject.toml").write_text("[tool.x]\nbad = = 1\n", encoding="utf-8")
    (tmp_path / "vendor" / "deep" / "uses.py").write_text("from app import MODEL\n", encoding="utf-8")
    (tmp_path / "app.py").write_bytes(LABEL)
    one = routelint(tmp_path, "--no-cache", "app.py")
    assert one.returncode == 1 and text(one.stdout).startswith(FINDING), one.stderr
    whole = routelint(tmp_path, "--no-cache", ".")
    assert whole.returncode == 2 and "pyproject.toml" in text(whole.stderr)


# --- C6, C7: Ctrl-C and SIGTERM stop the workers before they write anything more -----------------
SLOW = b"".join(b"def f%d(client):\n    return client.responses.create(model='gpt-4o', input='x')\n\n" % i for i in range(60))


def _processes_under(parent: int) -> list[int]:
    """Process IDs whose parent is `parent`, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


def _fixed(tree: Path, total: int) -> int:
    """Files fixed so far; every file is whole: exactly as it was, or exactly fixed."""
    states = [path.read_bytes() for path in tree.rglob("*.py")]
    assert len(states) == total and all(s in (LABEL + SLOW, FIXED + SLOW) for s in states)
    return sum(s.startswith(FIXED) for s in states)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; workers die with the parent on Linux")
@pytest.mark.parametrize(
    ("signum", "to_group", "code"),
    [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143), (signal.SIGKILL, False, -9)],
    ids=["ctrl-c-to-the-terminal-s-group", "sigterm-to-the-main-process", "sigkill-to-the-main-process"],
)
def test_c6_c7_a_signal_stops_the_workers_before_they_write_more(tmp_path: Path, signum: int, to_group: bool, code: int) -> None:
    total = 400  # about 4 s of fixing on 2 workers: the signal comes in the middle
    for index in range(total):
        folder = tmp_path / f"p{index % 10}"
        folder.mkdir(exist_ok=True)
        (folder / f"m{index}.py").write_bytes(LABEL + SLOW)
    run = subprocess.Popen(
        [sys.executable, "-m", "routelint", "--jobs", "2", "--fix", "."],
        cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        # As from a terminal: a suite started in the background (`&` in a script) ignores SIGINT, and
        # the run would keep that (interrupts.handled), so Ctrl-C could not be tried.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while _fixed(tmp_path, total) == 0 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the workers are fixing
        workers = _processes_under(run.pid)
        assert len(workers) == 2 and run.poll() is None
        os.killpg(run.pid, signum) if to_group else os.kill(run.pid, signum)
        _stdout, stderr = run.communicate(timeout=30)  # orphaned workers would hold the pipes open
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _running(pid)]
    finally:
        for pid in [run.pid, *workers]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
    assert run.returncode == code
    assert b"Traceback" not in stderr
    if signum != signal.SIGKILL:
        assert text(stderr) == f"routelint: stopped by {signal.Signals(signum).name}; the run is incomplete (a file --fix already wrote is fixed whole)\n"
    done = _fixed(tmp_path, total)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".routelint")]  # no temporary file left
    assert 0 < done < total  # stopped in the middle
    time.sleep(0.5)
    assert _fixed(tmp_path, total) == done  # and nothing is written afterwards


# --- E4: --diff and --exit-zero never hide a file that could not be read, fixed or written ------
def test_e4_diff_fails_for_a_file_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_bytes(b'x = "caf\xe9"\n')
    done = routelint(tmp_path, "--diff", "bad.py")
    assert done.returncode == 1 and done.stdout == b""
    assert "routelint: bad.py:1:1: RL001 cannot check this file: it is not valid utf-8" in text(done.stderr)
    assert routelint(tmp_path, "--diff", "--exit-zero", "bad.py").returncode == 0  # a finding, as when linting


@pytest.mark.parametrize("extra", [(), ("--exit-zero",)], ids=["", "exit-zero"])
def test_e4_diff_fails_for_a_fix_that_would_break_the_syntax(app: Path, monkeypatch: pytest.MonkeyPatch, extra: tuple[str, ...]) -> None:
    from routelint import fixing

    monkeypatch.chdir(app)
    monkeypatch.setattr(fixing, "apply_edits", lambda source, edits: source + "def (:\n")
    result = run_cli("--diff", *extra, "app.py", separate=True)
    assert result.exit_code == 1 and result.stdout == ""
    assert "app.py: fixing RL101 would break the syntax; left unchanged" in result.stderr


def test_e4_fix_exit_zero_fails_when_a_file_is_left_unfixed(tmp_path: Path) -> None:
    source = b"# coding: unicode_escape\n" + LABEL  # a file its encoding cannot write back exactly
    (tmp_path / "app.py").write_bytes(source)
    done = routelint(tmp_path, "--fix", "--exit-zero", "app.py")
    assert done.returncode == 1 and (tmp_path / "app.py").read_bytes() == source
    assert "does not give back the file's own bytes; left untouched" in text(done.stderr)


def test_e4_fix_exit_zero_fails_when_a_write_fails(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.chdir(app)
    monkeypatch.setattr(os, "replace", full)
    result = run_cli("--fix", "--exit-zero", "app.py", separate=True)
    assert result.exit_code == 1 and (app / "app.py").read_bytes() == LABEL
    assert "app.py: not written: [Errno 28] No space left on device" in result.stderr


# --- C8: a working directory deleted under the shell ------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="Windows does not delete a folder in use")
@pytest.mark.parametrize("args", [(".",), ("-",), ("--sync-catalog",)])
def test_c8_a_deleted_working_directory_is_a_clear_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "gone").mkdir()
    done = subprocess.run(
        ["sh", "-c", 'cd gone && rmdir ../gone && exec "$0" -m routelint "$@" </dev/null', sys.executable, *args],
        cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == "routelint: error: the working directory cannot be used (No such file or directory; was it deleted?): cd to a folder that exists\n"


# --- file names that are not UTF-8: machine-read output stays valid UTF-8, text never crashes -----
@pytest.fixture
def latin1_name(tmp_path: Path) -> Path:
    try:
        (Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.py"))).write_bytes(LABEL + b"# \xc3\xa9\n")
    except (OSError, UnicodeError):  # a file system that only takes UTF-8 names
        pytest.skip("the file system refuses a name that is not UTF-8")
    return tmp_path


@pytest.mark.parametrize(
    ("output_format", "expected"),
    [
        ("json", '"filename": "caf\\\\xe9.py"'),
        ("gitlab", '"path": "caf\\\\xe9.py"'),
        ("sarif", '"uri": "caf%E9.py"'),
        ("github", "::error file=caf\\xe9.py,line=1,col=9,"),
    ],
)
def test_a_name_that_is_not_utf8_keeps_machine_output_valid_utf8(latin1_name: Path, output_format: str, expected: str) -> None:
    done = routelint(latin1_name, "--output-format", output_format, ".")
    assert done.returncode == 1 and expected in done.stdout.decode("utf-8")  # strict: valid UTF-8
    if output_format != "github":
        json.loads(done.stdout)


@pytest.mark.parametrize(("output_format", "expected"), [("json", '"filename": "caf\\\\xe9.py"'), ("csv", ",caf\\xe9.py,1,9,")])
def test_a_name_that_is_not_utf8_in_the_inventory(latin1_name: Path, output_format: str, expected: str) -> None:
    done = routelint(latin1_name, "--inventory", "--output-format", output_format, ".")
    assert done.returncode == 0 and expected in done.stdout.decode("utf-8")


@pytest.mark.parametrize("args", [("--output-format", "text"), ("--output-format", "full"), ("--diff",)])
@pytest.mark.parametrize("encoding", ["ascii", "ascii:surrogateescape"])
def test_a_name_that_is_not_utf8_never_crashes_text_output(latin1_name: Path, args: tuple[str, ...], encoding: str) -> None:
    done = routelint(latin1_name, *args, ".", env={**ENV, "PYTHONIOENCODING": encoding})
    assert done.returncode == 1 and b"caf" in done.stdout


def test_portable_names() -> None:
    from routelint.formats import portable

    assert portable({"caf\udce9": ["caf\udce9.py", "é", 1, None]}) == {"caf\\xe9": ["caf\\xe9.py", "é", 1, None]}
    assert portable("\ud800.py") == "\\xed\\xa0\\x80.py"  # a lone surrogate from a Windows name


# --- an extend-catalog error names the user's file ---------------------------------------------------
@pytest.mark.parametrize(
    "extra",
    [
        b'[models."gpt-image-2"]\nbogus = 1\n',  # an entry the shipped catalog holds too
        b'[models."gpt-image-2"]\nreplacements = ["nope"]\nreplacements-source = "me"\n',
        b'[models."gpt-image-2"]\noff-route = 5\n',
        b'[models."gpt-image-2"]\nsnapshot-of = []\n',
        b'[surfaces.responses]\nstart-with = ["nope"]\nstart-with-source = "me"\n',
        b'[labels."GPT Image 2"]\nfix = "weird"\n',
        b'[parameters."responses.x"]\nsurface = []\n',
        b"models = 5\n",
        b"meta = 5\n",
        b"[models.x\n",
        b'x = "\xff"\n',
        b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    ],
    ids=["unknown-key", "unknown-replacement", "off-route", "snapshot-of", "start-with", "label-fix", "parameter-surface",
         "section", "meta", "toml", "not-utf8", "deep"],
)
def test_an_extend_catalog_error_names_the_user_s_file(app: Path, extra: bytes) -> None:
    (app / "extra.toml").write_bytes(extra)
    (app / "pyproject.toml").write_text('[tool.routelint]\nextend-catalog = ["extra.toml"]\n')
    done = routelint(app, "--no-cache", "app.py")
    assert done.returncode == 2 and text(done.stderr).startswith(f"routelint: error: {app / 'extra.toml'}: ")
    assert text(done.stderr).count("\n") == 1 and "rules" not in text(done.stderr)


# --- configuration: what would silently check everything, nothing, or crash -------------------------
@pytest.mark.parametrize(
    ("config", "message"),
    [
        (b'select = [""]\n', "select holds an empty string"),
        (b'ignore = [" "]\n', "ignore holds an empty string"),
        (b'extend-select = [""]\n', "extend-select holds an empty string"),
        (b'model-names = [""]\n', "model-names holds an empty string"),
        (b"select = []\n", "select = [] turns off every rule, RL001 included"),
        (b'per-file-ignores = {"*.py" = [""]}\n', "per-file-ignores must be a table of pattern = [codes] (codes not empty)"),
        (b'x = "\xff"\n', "invalid TOML: not UTF-8 (byte 5)"),
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "invalid TOML: nested too deeply"),
    ],
    ids=["select-empty", "ignore-blank", "extend-select-empty", "model-names-empty", "select-none", "per-file-ignores",
         "not-utf8", "deep"],
)
def test_a_config_that_would_check_everything_or_nothing_is_exit_2(app: Path, config: bytes, message: str) -> None:
    (app / ".routelint.toml").write_bytes(config)
    done = routelint(app, "--no-cache", "app.py")
    assert done.returncode == 2 and text(done.stderr).startswith(f"routelint: error: {app / '.routelint.toml'}: {message}")
    assert text(done.stderr).count("\n") == 1


# --- a routelint.py in the working directory: what README's "Your code never runs" promises --------
SHADOW = b"open('RAN', 'w').close()\n" + LABEL


def test_the_routelint_command_never_runs_a_routelint_py_it_lints(tmp_path: Path) -> None:
    (tmp_path / "routelint.py").write_bytes(SHADOW)
    script = Path(sys.executable).with_name("routelint")
    if not script.exists():
        pytest.skip("no routelint script next to this interpreter")
    done = subprocess.run([str(script), "routelint.py"], cwd=tmp_path, env=ENV, capture_output=True, timeout=120)
    assert done.returncode == 1 and text(done.stdout).startswith("routelint.py:2:9: RL101")
    assert not (tmp_path / "RAN").exists()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="python -P is new in 3.11")
def test_python_p_m_routelint_never_runs_a_routelint_py_it_lints(tmp_path: Path) -> None:
    (tmp_path / "routelint.py").write_bytes(SHADOW)
    done = subprocess.run([sys.executable, "-P", "-m", "routelint", "routelint.py"], cwd=tmp_path, env=ENV, capture_output=True, timeout=120)
    assert done.returncode == 1 and text(done.stdout).startswith("routelint.py:2:9: RL101")
    assert not (tmp_path / "RAN").exists()


def test_a_routelint_package_in_the_working_directory_is_never_taken_for_routelint(tmp_path: Path) -> None:
    """Python imports it before routelint can act (README says so); what follows is an error,
    never a run that looks like a lint."""
    (tmp_path / "routelint").mkdir()
    (tmp_path / "routelint" / "__init__.py").write_bytes(SHADOW)
    done = subprocess.run([sys.executable, "-m", "routelint", "."], cwd=tmp_path, env=ENV, capture_output=True, timeout=120)
    assert done.returncode in (1, 2) and done.stdout == b"" and b"Traceback" not in done.stderr
    if done.returncode == 2:  # this package's __main__ was found (an editable install): it says why
        assert "was imported from " in text(done.stderr) and "run the `routelint` command" in text(done.stderr)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no per-thread signal masks")
def test_c7_the_parse_thread_never_takes_a_signal_meant_for_a_write() -> None:
    # Regression (CI, sigterm-to-the-main-process): a worker's parse thread, still exiting when
    # the main thread began a held write, took the SIGTERM and ended the worker mid-write,
    # leaving a .routelint temporary file. Only the main thread may take it.
    from routelint.safeparse import on_large_stack

    blocked = on_large_stack(lambda: signal.pthread_sigmask(signal.SIG_BLOCK, []))
    assert {signal.SIGINT, signal.SIGTERM} <= set(blocked)
    assert not {signal.SIGINT, signal.SIGTERM} & set(signal.pthread_sigmask(signal.SIG_BLOCK, []))
