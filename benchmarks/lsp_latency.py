"""How long after a change the language server's diagnostics reflect it (issue #19: "a diagnostic
appears within 0.3 s of a change on a typical file"), with `ruff server` on the same files and
edits as the reference peer. See benchmarks/README.md ("Language server latency").

Two files from the running interpreter's stdlib, each with `import openai` and a planted
`client.chat.completions.create(model="GPT-5.5 Instant", ...)` (RL101) at the end: a typical
module (smtplib.py, about 1,100 lines) and a large one (tkinter/__init__.py, about 4,600).
Each server is started over stdio and driven by pygls's LanguageClient, as tests/test_server.py
drives routelint. After opening the file, --edits incremental changes swap the model string
between "gpt-5.5" (clean) and "GPT-5.5 Instant" (RL101); each edit is timed from sending
didChange to the publishDiagnostics of that version (both servers tag it), and routelint's is
checked to hold RL101 exactly when the label is in the text. routelint waits DEBOUNCE_SECONDS
after a change before checking; the "change + save" row sends didSave right after the change,
which routelint checks at once, so it shows the check without the pause. ruff pushes
diagnostics when the client does not offer pull diagnostics, as here; "ruff (pull)" offers them
and times a textDocument/diagnostic request sent right after the change.

    .venv/bin/python benchmarks/lsp_latency.py              # 20 edits per file and server
    .venv/bin/python benchmarks/lsp_latency.py --edits 5 --output report.md
"""
from __future__ import annotations

import argparse
import ast
import asyncio
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import typing
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

import corpus as corpora

FILES = (("typical", "smtplib.py"), ("large", "tkinter/__init__.py"))
LABEL, CLEAN = "GPT-5.5 Instant", "gpt-5.5"
PLANT = '\nclient = openai.OpenAI()\nclient.chat.completions.create(model="{model}", messages=[])\n'


@dataclass
class Subject:
    """A file of the workspace, and where its model string is (0-based line, column of the text
    inside the quotes)."""

    kind: str
    path: Path
    lines: int
    line: int
    column: int


@dataclass
class Cell:
    subject: Subject
    server: str
    mode: str  # "change", "change + save", "push", "pull"
    samples: list[float] = field(default_factory=list)

    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    def p90(self) -> float | None:
        if len(self.samples) < 2:
            return self.median()
        return statistics.quantiles(self.samples, n=10, method="inclusive")[8]


def plant(source: str) -> str:
    """`import openai` before the first statement that is not the docstring or a __future__
    import, and the planted call at the end."""
    tree = ast.parse(source)
    body = tree.body
    index = 0
    while index < len(body) and (
        (index == 0 and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant))
        or (isinstance(body[index], ast.ImportFrom) and body[index].module == "__future__")
    ):
        index += 1
    lines = source.splitlines(keepends=True)
    at = body[index].lineno - 1 if index < len(body) else len(lines)
    # A decorated statement starts at its first decorator.
    decorators = getattr(body[index], "decorator_list", []) if index < len(body) else []
    if decorators:
        at = min(d.lineno for d in decorators) - 1
    lines.insert(at, "import openai\n")
    text = "".join(lines)
    if not text.endswith("\n"):
        text += "\n"
    return text + PLANT.format(model=LABEL)


def build(work: Path) -> list[Subject]:
    made = []
    for kind, relative in FILES:
        source = (corpora.stdlib_dir() / relative).read_text(encoding="utf-8")
        text = plant(source)
        path = work / relative.replace("/", "_")
        path.write_text(text, encoding="utf-8")
        lines = text.splitlines()
        line = len(lines) - 1
        column = lines[line].index(f'"{LABEL}"') + 1
        made.append(Subject(kind, path, len(lines), line, column))
    return made


def _client() -> LanguageClient:
    client = LanguageClient("routelint-latency-benchmark", "0")
    # ruff's initialize result has a notebook filter that lsprotocol (as pygls 2 installs it) cannot structure; it is not used.
    union = typing.Union[  # the exact Union lsprotocol looks up
        str, lsp.NotebookDocumentFilterNotebookType, lsp.NotebookDocumentFilterScheme, lsp.NotebookDocumentFilterPattern, None,
    ]
    client.protocol._converter.register_structure_hook(union, lambda value, _type: value)
    return client


class Session:
    def __init__(self, pull: bool) -> None:
        self.client = _client()
        self.pull = pull
        self.published: dict[tuple[str, int | None], tuple[float, list[lsp.Diagnostic]]] = {}
        self.arrived = asyncio.Event()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self.published[(params.uri, params.version)] = (time.perf_counter(), list(params.diagnostics))
            self.arrived.set()

    async def start(self, argv: list[str], root: Path) -> None:
        await self.client.start_io(argv[0], *argv[1:], cwd=str(root))
        text = lsp.TextDocumentClientCapabilities(diagnostic=lsp.DiagnosticClientCapabilities()) if self.pull else None
        await self.client.initialize_async(lsp.InitializeParams(lsp.ClientCapabilities(text_document=text), root_uri=root.as_uri()))
        self.client.initialized(lsp.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    async def publication(self, uri: str, version: int, timeout: float = 60) -> tuple[float, list[lsp.Diagnostic]]:
        deadline = time.monotonic() + timeout
        while (uri, version) not in self.published:
            self.arrived.clear()
            if time.monotonic() > deadline:
                raise TimeoutError(f"no diagnostics for version {version} of {uri}")
            try:
                await asyncio.wait_for(self.arrived.wait(), 1)
            except asyncio.TimeoutError:
                pass
        return self.published[(uri, version)]

    async def pulled(self, uri: str) -> tuple[float, list[lsp.Diagnostic]]:
        report = await self.client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(uri)))
        return time.perf_counter(), list(getattr(report, "items", None) or [])


async def measure(cell: Cell, argv: list[str], root: Path, edits: int, warmup: int) -> None:
    subject = cell.subject
    session = Session(pull=cell.mode == "pull")
    await session.start(argv, root)
    try:
        uri = subject.path.as_uri()
        text = subject.path.read_text(encoding="utf-8")
        session.client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", 1, text)))
        if cell.mode == "pull":
            await session.pulled(uri)
        else:
            await session.publication(uri, 1)
        current = LABEL
        for version in range(2, 2 + warmup + edits):
            new = CLEAN if current == LABEL else LABEL
            where = lsp.Range(lsp.Position(subject.line, subject.column), lsp.Position(subject.line, subject.column + len(current)))
            change = lsp.TextDocumentContentChangePartial(range=where, text=new)
            await asyncio.sleep(0.05)  # the previous edit's work is over; nothing is pending
            sent = time.perf_counter()
            session.client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(version, uri), [change])
            )
            if cell.mode == "change + save":
                session.client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri)))
            if cell.mode == "pull":
                at, diagnostics = await session.pulled(uri)
            else:
                at, diagnostics = await session.publication(uri, version)
            current = new
            if cell.server == "routelint":
                flagged = any(d.code == "RL101" and d.range.start.line == subject.line for d in diagnostics)
                if flagged != (current == LABEL):
                    raise AssertionError(f"routelint's diagnostics for version {version} do not reflect it: {diagnostics}")
            if version >= 2 + warmup:
                cell.samples.append(at - sent)
    finally:
        await session.stop()


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.1f}x"


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return "?"
    words = (done.stdout or done.stderr).split()
    return next((w for w in words if w[:1].isdigit()), "?")


def report(cells: list[Cell], args: argparse.Namespace, started: dt.datetime, load: tuple[tuple[float, ...], tuple[float, ...]],
           versions: dict[str, str], debounce: float) -> str:
    from importlib.metadata import version

    out = [
        f"### Language server latency, {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"- machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()} "
        f"({sys.executable}); load average {load[0][0]:.2f} before, {load[1][0]:.2f} after",
        f"- versions: routelint {versions['routelint']}; ruff {versions['ruff']}; pygls {version('pygls')} (the client)",
        f"- command: `{' '.join(['benchmarks/lsp_latency.py', *sys.argv[1:]])}`; {args.edits} timed edits per row "
        f"(after {args.warmup} untimed), each from didChange to the diagnostics of that version; "
        f"routelint's debounce: {debounce:.2f} s",
        "",
        "| file | lines | server | how | edits | median s | p90 s | max s | vs ruff (push) |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for cell in cells:
        ruff = next((c for c in cells if c.subject is cell.subject and c.server == "ruff" and c.mode == "push"), None)
        out.append(
            f"| {cell.subject.kind} ({cell.subject.path.name}) | {cell.subject.lines:,} | {cell.server} | {cell.mode} | "
            f"{len(cell.samples)} | {_seconds(cell.median())} | {_seconds(cell.p90())} | "
            f"{_seconds(max(cell.samples) if cell.samples else None)} | {_ratio(cell.median(), ruff.median() if ruff else None)} |"
        )
    return "\n".join(out) + "\n"


async def run(args: argparse.Namespace, work: Path) -> list[Cell]:
    subjects = build(work)
    routelint = [*args.routelint.split(), "server", "--today", args.today]
    ruff = [args.ruff, "server"] if args.ruff else None
    cells = []
    for subject in subjects:
        rows = [Cell(subject, "routelint", "change"), Cell(subject, "routelint", "change + save")]
        if ruff:
            rows += [Cell(subject, "ruff", "push"), Cell(subject, "ruff", "pull")]
        for cell in rows:
            print(f"  {subject.kind:<8} {cell.server:<10} {cell.mode}", file=sys.stderr, flush=True)
            await measure(cell, routelint if cell.server == "routelint" else typing.cast(list, ruff), work, args.edits, args.warmup)
        cells += rows
    return cells


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--edits", type=int, default=20, help="timed edits per file and server (default 20)")
    p.add_argument("--warmup", type=int, default=2, help="untimed edits first (default 2)")
    p.add_argument("--today", default="2026-11-25", help="routelint server --today")
    p.add_argument("--routelint", default=f"{sys.executable} -m routelint", help="how to start routelint (default: this Python's)")
    default_ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    p.add_argument("--ruff", default=default_ruff, help="ruff executable (default: beside this Python, else PATH; '' to skip)")
    p.add_argument("--output", help="also write the markdown report to this file")
    args = p.parse_args(argv)
    from routelint.server import DEBOUNCE_SECONDS

    if not args.ruff:
        print("note: ruff not found: no reference rows", file=sys.stderr)
    versions = {"routelint": _version(args.routelint.split()), "ruff": _version([args.ruff]) if args.ruff else "-"}
    started, before = dt.datetime.now(dt.timezone.utc), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="routelint-lsp-") as folder:
        cells = asyncio.run(run(args, Path(folder)))
    text = report(cells, args, started, (before, os.getloadavg()), versions, DEBOUNCE_SECONDS)
    print(text)
    if args.output:
        Path(args.output).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
