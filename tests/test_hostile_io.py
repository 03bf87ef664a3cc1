"""Files and folders that fight back (issue 12): what --fix keeps of a file, a file edited while
it is fixed, FIFOs, devices and huge files, folders that cannot be read, paths longer than the
system allows, coding cookies Python refuses, and a file reached twice.

As in tests/test_hostile.py every run is a real process (python -m routelint) with the date
pinned, so a hang or a crash fails one test: each asserts the exit code, the output and that no
traceback was printed. Races cannot be timed from outside, so those few are injected in process.
"""
from __future__ import annotations

import os
import resource
import stat
import struct
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from harness import TODAY

ENV = {**os.environ, "ROUTELINT_TODAY": TODAY}
LABEL = b'MODEL = "GPT Image 2"\n'  # RL101 with a safe fix to gpt-image-2
FIXED = b'MODEL = "gpt-image-2"\n'
RL101 = ':1:9: RL101 [*] "GPT Image 2" is a product label'

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, links, owners and modes as POSIX has them")


def routelint(
    cwd: Path, *args: str, timeout: float = 60, prefix: Sequence[str] = (), memory: int | None = None,
    entry: Sequence[str] = ("-m", "routelint"),
) -> subprocess.CompletedProcess:
    """`memory`: a cap on the child's address space, so that reading something whole fails fast;
    `entry`: how the child starts routelint (a script that injects a failure first, see `injected`)."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    done = subprocess.run(
        [*prefix, sys.executable, *entry, *args], cwd=cwd, env=ENV, capture_output=True, text=True,
        timeout=timeout, preexec_fn=limit, check=False,
    )
    assert done.returncode in (0, 1, 2), f"exit {done.returncode}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-3000:]
    return done


def injected(setup: str) -> tuple[str, ...]:
    """Start routelint after running `setup` in the child: for what root (the tests run as root
    in CI) cannot be made to fail from outside, such as reading a folder chmod 000 denies."""
    return ("-c", f"{setup}\nimport runpy, sys\nsys.argv[0] = 'routelint'\nrunpy.run_module('routelint', run_name='__main__')")


def is_root() -> bool:
    return os.geteuid() == 0


# --- FIFOs, devices and files too large to read (C5) --------------------------------------------
def test_a_fifo_named_on_the_command_line_is_rl001_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "app.py")  # no writer: opening it for reading would wait forever
    done = routelint(tmp_path, "app.py", timeout=30)
    assert done.returncode == 1
    assert done.stdout.startswith("app.py:1:1: RL001 cannot check this file: it is not a regular file (a FIFO)\n")


DENY_GITIGNORE = """
import os
real_open = os.open
def refuse(path, *args, **kwargs):
    if os.fspath(path).endswith('.gitignore'):
        raise PermissionError(13, 'Permission denied', os.fspath(path))
    return real_open(path, *args, **kwargs)
os.open = refuse
"""


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "over-1-mib", "denied"])
def test_a_gitignore_that_cannot_be_read_sanely_is_ignored_with_a_warning(tmp_path: Path, kind: str) -> None:
    gitignore = tmp_path / ".gitignore"
    if kind == "fifo":
        os.mkfifo(gitignore)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", gitignore)  # endless: read whole, it ate memory until it failed
    elif kind == "denied":
        gitignore.write_bytes(b"app.py\n")
        gitignore.chmod(0)
    else:
        gitignore.write_bytes(b"app.py\n" + b"#" * (1 << 20))
    (tmp_path / "app.py").write_bytes(LABEL)
    entry = injected(DENY_GITIGNORE) if kind == "denied" and is_root() else ("-m", "routelint")
    done = routelint(tmp_path, ".", timeout=30, memory=1 << 30, entry=entry)
    assert done.returncode == 1 and done.stdout.startswith("app.py" + RL101)
    assert f"routelint: warning: ignoring {gitignore}: it " in done.stderr


def test_a_file_over_the_size_limit_is_refused_from_its_stat(tmp_path: Path) -> None:
    with open(tmp_path / "huge.py", "wb") as stream:
        stream.truncate(3 << 30)  # 3 GiB, sparse: read whole it took 3.1 GB of memory
    (tmp_path / "at_limit.py").write_bytes(b"#" * 1_999_999 + b"\n")  # exactly 2,000,000 bytes: checked
    (tmp_path / "past_limit.py").write_bytes(b"#" * 2_000_000 + b"\n")  # no model string, still refused
    done = routelint(tmp_path, ".", timeout=60, memory=1 << 30)
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        "huge.py:1:1: RL001 cannot check this file: it is too large to parse (3221.2 MB, more than 2 MB); exclude it or split it",
        "past_limit.py:1:1: RL001 cannot check this file: it is too large to parse (2.0 MB, more than 2 MB); exclude it or split it",
    ]


# --- folders that cannot be read, paths longer than the system allows (E1, E2) -----------------
DENY_SECRET = """
import os
real_scandir = os.scandir
def scandir(path='.'):
    if os.path.basename(os.fspath(path)) == 'secret':
        raise PermissionError(13, 'Permission denied', os.fspath(path))
    return real_scandir(path)
os.scandir = scandir
"""


@pytest.mark.parametrize("named", ["the-tree", "the-folder"])
def test_a_folder_that_cannot_be_read_is_rl001_not_skipped(tmp_path: Path, named: str) -> None:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "app.py").write_bytes(LABEL)
    (tmp_path / "clean.py").write_bytes(FIXED)
    os.chmod(tmp_path / "secret", 0)
    try:
        done = routelint(tmp_path, "." if named == "the-tree" else "secret", entry=injected(DENY_SECRET if is_root() else ""))
    finally:
        os.chmod(tmp_path / "secret", 0o755)
    assert done.returncode == 1
    assert done.stdout.startswith("secret:1:1: RL001 cannot check this folder: it cannot be read: Permission denied\n"), done.stdout
    assert "All checks passed" not in done.stdout


def test_paths_longer_than_the_system_allows_are_reported(tmp_path: Path) -> None:
    """20 folders of 250 bytes, a file of 123 bytes in each: past 4096 bytes the system refuses a
    path (ENAMETOOLONG), so the file at depth 15 cannot be opened and the folder at depth 16
    cannot be listed. Both are reported; the files above them are checked."""
    (tmp_path / "app.py").write_bytes(LABEL)
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        for depth in range(20):
            name = f"{depth:02d}" + "d" * 248
            os.mkdir(name, dir_fd=folder)
            inner = os.open(name, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
            with open(os.open("f" * 120 + ".py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder), "wb") as stream:
                stream.write(LABEL)
    finally:
        os.close(folder)
    done = routelint(tmp_path, ".")
    assert done.returncode == 1
    found = sorted(line.split(":1:", 1)[1].split(" is a product label")[0] for line in done.stdout.splitlines() if ":1:" in line)
    assert found == [
        "1: RL001 cannot check this file: it has a path longer than the system allows (4,139 bytes)",
        "1: RL001 cannot check this folder: it has a path longer than the system allows (4,266 bytes)",
        *['9: RL101 [*] "GPT Image 2"'] * 16,  # app.py and the 15 files above depth 15
    ], done.stdout[-500:]
    named = "/".join(f"{depth:02d}" + "d" * 248 for depth in range(16)) + "/" + "f" * 120 + ".py"
    done = routelint(tmp_path, named)  # on the command line: it cannot even be told to exist
    assert done.returncode == 1
    assert done.stdout.startswith(f"{named}:1:1: RL001 cannot check this file: it has a path longer than the system allows (4,139 bytes)\n")


# --- a file reached twice -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "args", [("app.py", "app.py"), (".", "./app.py"), ("./app.py", "."), ("link.py", "app.py"), (".",)], ids=" ".join
)
def test_a_file_named_twice_or_through_a_link_is_checked_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "app.py").write_bytes(LABEL)
    os.symlink("app.py", tmp_path / "link.py")  # in the tree too: the same file
    done = routelint(tmp_path, *args)
    assert done.returncode == 1
    first = "link.py" if args[0] == "link.py" else "app.py"  # reported under the first name given
    assert done.stdout.splitlines()[0] == first + RL101 + ", not an API model ID; the model it names is gpt-image-2"
    assert done.stdout.count("RL101") == 1, done.stdout
    fixed = routelint(tmp_path, "--fix", *args)
    assert fixed.returncode == 0 and "Fixed 1 finding" in fixed.stdout, fixed.stdout + fixed.stderr
    assert (tmp_path / "app.py").read_bytes() == FIXED and os.readlink(tmp_path / "link.py") == "app.py"


# --- coding cookies as Python reads them (E5, E6) -----------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "UTF-32-LE", "cp037"])
def test_a_cookie_python_refuses_is_rl001_not_garbage(tmp_path: Path, encoding: str) -> None:
    data = f"# coding: {encoding}\n".encode() + LABEL
    with pytest.raises(SyntaxError):  # Python refuses it too (import compiles the bytes)
        compile(data, "app.py", "exec")
    (tmp_path / "app.py").write_bytes(data)
    done = routelint(tmp_path, "--fix", "app.py")
    assert done.returncode == 1
    assert done.stdout.startswith(
        f"app.py:1:1: RL001 cannot check this file: it declares the encoding {encoding}, "
        "in which that declaration does not read back (Python refuses the file)\n"
    ), done.stdout
    assert (tmp_path / "app.py").read_bytes() == data


@pytest.mark.parametrize(
    ("data", "expected", "fixed"),
    [
        # a CR-only file is many lines, not one: `encoding=None` on line 2 is no cookie (was RL001)
        (b"# app\ropen(f, encoding=None)\r" + LABEL.replace(b"\n", b"\r"), ":3:9: RL101", None),
        # a cookie on the second CR-ended line is honoured
        (b"#!/usr/bin/env python\r# coding: latin-1\rNAME = 'caf\xe9'\r" + LABEL.replace(b"\n", b"\r"), ":4:9: RL101",
         b"#!/usr/bin/env python\r# coding: latin-1\rNAME = 'caf\xe9'\r" + FIXED.replace(b"\n", b"\r")),
        # ... and one on the third is not, as in Python: this file is UTF-8
        (b"x = 1\ry = 2\r# coding: latin-1\rNAME = 'caf\xc3\xa9'\r" + LABEL.replace(b"\n", b"\r"), ":5:9: RL101", None),
    ],
    ids=["encoding-none-on-line-2", "cookie-on-line-2", "cookie-on-line-3"],
)
def test_a_cr_only_file_has_its_cookie_on_its_first_two_lines_only(
    tmp_path: Path, data: bytes, expected: str, fixed: bytes | None
) -> None:
    compile(data, "app.py", "exec")  # Python reads each of them
    (tmp_path / "app.py").write_bytes(data)
    done = routelint(tmp_path, "app.py")
    assert done.returncode == 1 and done.stdout.startswith("app.py" + expected), done.stdout
    assert "RL001" not in done.stdout
    if fixed is not None:
        routelint(tmp_path, "--fix", "app.py")
        assert (tmp_path / "app.py").read_bytes() == fixed


# --- what --fix keeps of a file (W6) -------------------------------------------------------------
USER_OBJ, USER, GROUP_OBJ, MASK, OTHER, ANYONE = 0x01, 0x02, 0x04, 0x10, 0x20, 0xFFFFFFFF
needs_xattrs = pytest.mark.skipif(not hasattr(os, "setxattr"), reason="extended attributes as Linux has them")


def acl(*entries: tuple[int, int, int]) -> bytes:
    """A POSIX ACL as Linux stores it in system.posix_acl_*: version 2, then (tag, perm, id)."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def metadata(path: Path) -> dict[str, object]:
    info = path.stat()
    xattrs = {name: os.getxattr(path, name) for name in os.listxattr(path)} if hasattr(os, "listxattr") else {}
    return {"uid": info.st_uid, "gid": info.st_gid, "mode": oct(stat.S_IMODE(info.st_mode)), "xattrs": xattrs}


def set_or_skip(path: Path, name: str, value: bytes) -> None:
    try:
        os.setxattr(path, name, value)
    except OSError as exc:
        pytest.skip(f"{name} cannot be set here: {exc}")


@needs_xattrs
def test_fix_keeps_owner_group_mode_xattrs_and_acls(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_bytes(LABEL)
    set_or_skip(app, "user.origin", b"kept")
    set_or_skip(app, "system.posix_acl_access", acl((USER_OBJ, 6, ANYONE), (USER, 4, 4321), (GROUP_OBJ, 4, ANYONE), (MASK, 6, ANYONE), (OTHER, 0, ANYONE)))
    if is_root():
        os.chown(app, 1234, 5678)
    app.chmod(0o2764)  # after the owner: chown clears set-group-ID
    before = metadata(app)
    done = routelint(tmp_path, "--fix", "app.py")
    assert done.returncode == 0 and "Fixed 1 finding" in done.stdout, done.stderr
    assert app.read_bytes() == FIXED and metadata(app) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]  # no temporary left


@needs_xattrs
def test_fix_gives_no_acl_the_file_did_not_have(tmp_path: Path) -> None:
    """A new file in a folder with a default ACL inherits it: the temporary file must lose it."""
    app = tmp_path / "app.py"
    app.write_bytes(LABEL)
    set_or_skip(tmp_path, "system.posix_acl_default", acl((USER_OBJ, 7, ANYONE), (USER, 7, 4321), (GROUP_OBJ, 5, ANYONE), (MASK, 7, ANYONE), (OTHER, 5, ANYONE)))
    before = metadata(app)
    done = routelint(tmp_path, "--fix", "app.py")
    assert done.returncode == 0 and app.read_bytes() == FIXED and metadata(app) == before


def test_fix_keeps_hard_links(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_bytes(LABEL)
    os.link(tmp_path / "src" / "app.py", tmp_path / "alias.py")
    done = routelint(tmp_path, "--fix", "src")
    assert done.returncode == 0 and "Fixed 1 finding" in done.stdout, done.stderr
    assert (tmp_path / "alias.py").read_bytes() == FIXED
    assert os.path.samefile(tmp_path / "alias.py", tmp_path / "src" / "app.py") and (tmp_path / "alias.py").stat().st_nlink == 2


def test_a_file_the_user_may_not_write_is_refused(tmp_path: Path) -> None:
    """Its folder is writable, so a rename would replace it anyway: it is refused, exit 1."""
    app = tmp_path / "app.py"
    app.write_bytes(LABEL)
    app.chmod(0o444)
    deny = "import os\nreal = os.access\nos.access = lambda path, mode, **kw: mode != os.W_OK and real(path, mode, **kw)"
    done = routelint(tmp_path, "--fix", "app.py", entry=injected(deny if is_root() else ""))
    assert done.returncode == 1 and done.stdout.startswith("app.py" + RL101)
    assert "app.py: not written: you may not write this file" in done.stderr
    assert app.read_bytes() == LABEL and stat.S_IMODE(app.stat().st_mode) == 0o444


@pytest.mark.skipif(not is_root(), reason="giving the file to another user needs root")
def test_a_file_whose_owner_cannot_be_given_to_a_new_file_is_written_in_place(tmp_path: Path) -> None:
    """As another user would be: the temporary file cannot be given away, so the file's own inode
    is rewritten, and keeps its owner."""
    app = tmp_path / "app.py"
    app.write_bytes(LABEL)
    os.chown(app, 1234, 5678)
    inode, before = app.stat().st_ino, metadata(app)
    refuse = "import os\ndef fchown(*args):\n    raise PermissionError(1, 'Operation not permitted')\nos.fchown = fchown"
    done = routelint(tmp_path, "--fix", "app.py", entry=injected(refuse))
    assert done.returncode == 0 and app.read_bytes() == FIXED, done.stderr
    assert app.stat().st_ino == inode and metadata(app) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]


@needs_xattrs
def test_a_file_system_without_xattrs_still_gets_the_rename(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_bytes(LABEL)
    inode = app.stat().st_ino
    none = "import errno, os\ndef listxattr(*args, **kwargs):\n    raise OSError(errno.ENOTSUP, 'Operation not supported')\nos.listxattr = listxattr"
    done = routelint(tmp_path, "--fix", "app.py", entry=injected(none))
    assert done.returncode == 0 and app.read_bytes() == FIXED, done.stderr
    assert app.stat().st_ino != inode  # replaced by a rename, not rewritten in place


# --- an edit that lands while the file is being fixed (D1) --------------------------------------
EDIT_MEANWHILE = {
    # after the temporary file is made, before the rename
    "append": "import tempfile\nreal = tempfile.mkstemp\ndef mkstemp(*a, **k):\n    made = real(*a, **k)\n"
              "    open('app.py', 'ab').write(b'# edited meanwhile\\n')\n    return made\ntempfile.mkstemp = mkstemp",
    # the same size and mtime: only the bytes (and the ctime) tell
    "same-size-and-mtime": "import os, tempfile\nreal = tempfile.mkstemp\ndef mkstemp(*a, **k):\n    made = real(*a, **k)\n"
                           "    info = os.stat('app.py')\n    open('app.py', 'r+b').write(b'#')\n"
                           "    os.utime('app.py', ns=(info.st_atime_ns, info.st_mtime_ns))\n    return made\ntempfile.mkstemp = mkstemp",
    # a file with two links is written in place: the edit lands just before it is opened to be written
    "in-place": "import os\nreal = os.open\ndef opened(path, flags, *a, **k):\n"
                "    if flags & os.O_RDWR and os.fspath(path).endswith('app.py'):\n"
                "        open(path, 'ab').write(b'# edited meanwhile\\n')\n    return real(path, flags, *a, **k)\nos.open = opened",
}


@pytest.mark.parametrize("edit", list(EDIT_MEANWHILE))
def test_an_edit_between_the_check_and_the_write_is_never_lost(tmp_path: Path, edit: str) -> None:
    app = tmp_path / "app.py"
    app.write_bytes(LABEL)
    if edit == "in-place":
        os.link(app, tmp_path / "alias.py.bak")
    done = routelint(tmp_path, "--fix", "app.py", entry=injected(EDIT_MEANWHILE[edit]))
    assert done.returncode == 1
    assert "app.py: not written: changed on disk while it was being fixed; left untouched" in done.stderr
    assert app.read_bytes() == (b"#" + LABEL[1:] if edit == "same-size-and-mtime" else LABEL + b"# edited meanwhile\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == (["alias.py.bak", "app.py"] if edit == "in-place" else ["app.py"])
