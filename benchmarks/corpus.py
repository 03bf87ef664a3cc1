"""Build the benchmark corpora from the running interpreter's standard library (no downloads).

- stdlib: every .py file of the stdlib as it is (low hit: almost no model strings).
- worst:  real stdlib files, each with model strings planted into model contexts, so every file
          is a candidate and every rule has something to find in every file.
- small:  one small stdlib file, the way pre-commit hands a changed file to a hook.

Planted statements are inserted between existing top-level statements (spread over the file), or
with plant="nested" at the start of the body of the file's longest function, which is the harder
case for an engine that only parses the top-level statements that hold candidates.
"""
from __future__ import annotations

import ast
import os
import random
import shutil
import sysconfig
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# Folders of the stdlib that are not the stdlib.
_NOT_STDLIB = frozenset({"site-packages", "dist-packages", "__pycache__"})
# Folder names some tool skips by default (ruff and routelint: venv; semgrep: test, tests). They
# are renamed in the copy so that every tool lints the same files.
_RENAME = {"venv": "venv_"}

IMPORT = "import openai\nclient = openai.OpenAI()\n"
# One statement per rule, each reported once: (rule, source line).
PLANTED: tuple[tuple[str, str], ...] = (
    ("RL301", 'client.chat.completions.create(model="gpt-realtime-1.5", messages=[])\n'),
    ("RL101", '_rl_image = client.images.generate(model="GPT Image 2", prompt="a lighthouse")\n'),
    ("RL203", 'client.videos.create(model="sora-2", prompt="a paper boat")\n'),
)
PLANTED_RULES = tuple(rule for rule, _ in PLANTED)


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path  # the folder (or, for one file, the file) given to every tool
    files: int
    lines: int
    planted: int = 0  # files with planted statements: each rule must be reported this many times


def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_files(root: Path | None = None) -> list[Path]:
    """Every .py file of the stdlib, sorted, as paths relative to root."""
    root = root or stdlib_dir()
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_STDLIB)
        found.extend(Path(folder, n).relative_to(root) for n in names if n.endswith(".py"))
    return sorted(found)


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _target(relative: Path) -> Path:
    return Path(*(_RENAME.get(part, part) for part in relative.parts))


def _parses(data: bytes, check_libcst: bool) -> bool:
    """Whether Python (and LibCST, which routelint and Fixit use) read the file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    if not check_libcst:
        return True
    import libcst

    try:
        libcst.parse_module(data)
    except Exception:  # noqa: BLE001 - ParserSyntaxError, and anything else LibCST cannot take
        return False
    return True


def _ending(lines: Sequence[bytes]) -> bytes:
    for line in lines:
        if line.endswith(b"\r\n"):
            return b"\r\n"
        if line.endswith((b"\n", b"\r")):
            return line[-1:]
    return b"\n"


def _insert(lines: list[bytes], index: int, text: str, indent: bytes, newline: bytes) -> None:
    """Insert the statements of text before lines[index] (0-based), each line indented."""
    if index > 0 and not lines[index - 1].endswith((b"\n", b"\r")):
        lines[index - 1] += newline
    new = [indent + line.encode() + newline for line in text.splitlines()]
    lines[index:index] = new


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _header_end(body: Sequence[ast.stmt]) -> int:
    """Index of the first statement after the docstring and `from __future__` imports."""
    i = 0
    if body and _is_docstring(body[0]):
        i = 1
    while i < len(body) and isinstance(body[i], ast.ImportFrom) and body[i].module == "__future__":
        i += 1
    return i


def _longest_function(tree: ast.Module) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body[0].lineno > node.lineno:
            size = (node.end_lineno or node.lineno) - node.lineno
            if best is None or size > (best.end_lineno or best.lineno) - best.lineno:
                best = node
    return best


def plant(data: bytes, plant_mode: str = "top") -> bytes | None:
    """The file with the import and the planted statements inserted, or None if it cannot be."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    lines = data[len(bom):].splitlines(keepends=True)
    newline = _ending(lines)
    body = tree.body
    head = _header_end(body)
    # Insertions as (0-based line index, text, indent), applied from the bottom up.
    inserts: list[tuple[int, str, bytes]] = []  # in order: at one index, the first stays first
    import_at = body[head - 1].end_lineno if head else (_first_line(body[0]) - 1 if body else len(lines))
    inserts.append((import_at, IMPORT, b""))
    statements = [text for _, text in PLANTED]
    function = _longest_function(tree) if plant_mode == "nested" else None
    if function is not None:
        inner = function.body
        at = inner[0].end_lineno if _is_docstring(inner[0]) and len(inner) > 1 else _first_line(inner[0]) - 1
        anchor = inner[1] if _is_docstring(inner[0]) and len(inner) > 1 else inner[0]
        source_line = lines[_first_line(anchor) - 1]
        indent = source_line[: len(source_line) - len(source_line.lstrip(b" \t"))]
        inserts.append((at, "".join(statements), indent))
    else:
        rest = body[head:]
        for k, text in enumerate(statements):
            if rest:
                after = rest[min(len(rest) - 1, (len(rest) * (k + 1)) // (len(statements) + 1))]
                at = after.end_lineno or after.lineno
            else:
                at = import_at
            inserts.append((max(at, import_at), text, b""))
    ordered = sorted(enumerate(inserts), key=lambda item: (item[1][0], item[0]), reverse=True)
    for _, (index, text, indent) in ordered:
        _insert(lines, index, text, indent, newline)
    return bom + b"".join(lines)


def build_stdlib(dest: Path, *, source: Path | None = None) -> Corpus:
    """Copy every stdlib .py file as it is."""
    source = source or stdlib_dir()
    files = lines = 0
    for relative in stdlib_files(source):
        target = dest / _target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target)
        files += 1
        lines += count_lines(target.read_bytes())
    _tool_files(dest)
    return Corpus("stdlib", dest, files, lines)


def sample_files(source: Path, sample: int, seed: int = 0) -> list[Path]:
    """stdlib files in a fixed random order (sample <= 0: all of them, sorted)."""
    files = stdlib_files(source)
    if sample > 0:
        random.Random(seed).shuffle(files)
    return files


def _prepare(job: tuple[Path, Path, str, bool]) -> bytes | None:
    source, relative, plant_mode, check_libcst = job
    planted = plant((source / relative).read_bytes(), plant_mode)
    return planted if planted is not None and _parses(planted, check_libcst) else None


def _prepared(jobs: list[tuple[Path, Path, str, bool]], workers: int, wanted: int) -> Iterator[tuple[Path, bytes]]:
    """(relative path, planted bytes) in candidate order, in batches so that a sample stops early."""
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        position, produced = 0, 0
        while position < len(jobs) and (wanted <= 0 or produced < wanted):
            size = len(jobs) if wanted <= 0 else wanted - produced + 8
            batch = jobs[position:position + size]
            position += len(batch)
            results = pool.map(_prepare, batch, chunksize=4) if pool else map(_prepare, batch)
            for job, planted in zip(batch, results):
                if planted is not None:
                    produced += 1
                    yield job[1], planted
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def build_worst(
    dest: Path,
    *,
    sample: int = 0,
    seed: int = 0,
    plant_mode: str = "top",
    check_libcst: bool = True,
    source: Path | None = None,
    candidates: Iterable[Path] | None = None,
    workers: int | None = None,
) -> Corpus:
    """Real stdlib files with model strings planted; only files that still parse are kept.

    The LibCST check runs in worker processes (it is a full parse of every candidate), which also
    keeps libcst out of the process that launches the timed runs.
    """
    source = source or stdlib_dir()
    chosen = list(candidates) if candidates is not None else list(sample_files(source, sample, seed))
    jobs = [(source, relative, plant_mode, check_libcst) for relative in chosen]
    files = lines = 0
    for relative, planted in _prepared(jobs, workers or os.cpu_count() or 1, sample):
        if 0 < sample <= files:
            break
        target = dest / _target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(planted)
        files += 1
        lines += count_lines(planted)
    _tool_files(dest)
    return Corpus("worst", dest, files, lines, planted=files)


def build_small(dest: Path, *, planted: bool, source: Path | None = None, name: str = "colorsys.py") -> Corpus:
    """One small stdlib file (with model strings when planted), the way pre-commit passes it."""
    source = source or stdlib_dir()
    data = (source / name).read_bytes()
    if planted:
        data = plant(data) or data
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / name
    target.write_bytes(data)
    label = "small (model strings)" if planted else "small (clean)"
    return Corpus(label, target, 1, count_lines(data), planted=1 if planted else 0)


SETTINGS = 'CHAT_MODEL = "gpt-realtime-1.5"\nIMAGE_MODEL = "GPT Image 2"\n'
USES_SETTINGS = (
    "\n\nimport openai as _rl_openai\n"
    "from app.settings import CHAT_MODEL, IMAGE_MODEL\n\n"
    "_rl_client = _rl_openai.OpenAI()\n"
    "_rl_client.chat.completions.create(model=CHAT_MODEL, messages=[])\n"
    "_rl_client.images.generate(model=IMAGE_MODEL, prompt='a lighthouse')\n"
)


def build_settings(dest: Path, *, modules: int = 400, seed: int = 0, source: Path | None = None) -> tuple[Corpus, Corpus]:
    """The layout the README recommends (issue #15): an app whose `modules` modules, each an
    ordinary stdlib file, import their models from `app/settings.py` and make two SDK calls.
    Returns the whole app, and one of its modules alone (what pre-commit passes for a commit
    that touches one file; its constants are in the unchanged settings.py)."""
    source = source or stdlib_dir()
    app = dest / "app"
    app.mkdir(parents=True, exist_ok=True)
    (app / "__init__.py").write_text("")
    (app / "settings.py").write_text(SETTINGS)
    files, lines = 2, count_lines(SETTINGS.encode())
    for relative in sample_files(source, modules, seed):
        if files - 2 >= modules:
            break
        data = (source / relative).read_bytes()
        if not _parses(data, check_libcst=False) or b"from __future__" in data:
            continue
        body = data.rstrip(b"\r\n") + USES_SETTINGS.encode()
        (app / f"module_{files - 2:04}.py").write_bytes(body)
        files += 1
        lines += count_lines(body)
    _tool_files(dest)
    one = app / "module_0000.py"
    return Corpus("settings app", dest, files, lines), Corpus("settings app, one file", one, 1, count_lines(one.read_bytes()))


SDISTS = ("openai==3.63.0", "openai-agents==0.24.0")  # the code of routelint's own users (issue #15)


def build_sdists(dest: Path, wanted: Sequence[str] = SDISTS) -> list[Corpus]:
    """The source trees of the given sdists, downloaded with pip (never committed): trees where
    many files hold model strings and share constants. One corpus per sdist."""
    import subprocess
    import sys
    import tarfile

    dest.mkdir(parents=True, exist_ok=True)
    downloads = dest / "downloads"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "-d", str(downloads), *wanted],
        check=True,
    )
    built = []
    for archive in sorted(downloads.glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and ".." not in Path(m.name).parts and not m.name.startswith("/")]
            tar.extractall(dest, members=members)  # member names checked above
        root = dest / archive.name[: -len(".tar.gz")]
        files = list(root.rglob("*.py"))
        _tool_files(root)
        built.append(Corpus(root.name, root, len(files), sum(count_lines(f.read_bytes()) for f in files)))
        one = _one_test_file(root)
        if one is not None:  # what pre-commit passes for a commit touching one file: the project index's case
            built.append(Corpus(f"{root.name}, one file", one, 1, count_lines(one.read_bytes())))
    return built


def _one_test_file(root: Path) -> Path | None:
    """The first test module (by path) of a tree that passes a model string: one file named alone."""
    for path in sorted(root.rglob("test_*.py")):
        if b'model="' in path.read_bytes():
            return path
    return None


def _tool_files(dest: Path) -> None:
    # An empty .semgrepignore replaces Semgrep's default one, which skips test/ and tests/.
    (dest / ".semgrepignore").write_text("")
