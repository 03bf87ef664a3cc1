"""`routelint server` end to end (issue #19): the real command over standard input and output,
driven by pygls's own language client, as an editor drives it."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server's extra (pip install -e '.[test]')")

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from harness import TODAY

LABEL = 'from openai import OpenAI\n\nOpenAI().images.generate(model="GPT Image 2", prompt="x")\n'
FIXED = 'from openai import OpenAI\n\nOpenAI().images.generate(model="gpt-image-2", prompt="x")\n'


class Editor:
    """A client that keeps the diagnostics the server publishes, per document."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("routelint-tests", "0")
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.changed = asyncio.Event()
        self.versions: dict[str, int] = {}
        self.published: list[tuple[str, int | None]] = []

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.published.append((params.uri, params.version))
            self.changed.set()

    async def wait_for(self, test: Callable[[], bool], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not test():
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; diagnostics so far: {self.diagnostics}")
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def diagnosed(self, uri: str, test: Callable[[list[lsp.Diagnostic]], bool] = bool) -> list[lsp.Diagnostic]:
        await self.wait_for(lambda: uri in self.diagnostics and test(self.diagnostics[uri]))
        return self.diagnostics[uri]

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str) -> str:
        uri = self.uri(name)
        self.versions[uri] = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", 1, text)))
        return uri

    def replace(self, uri: str, text: str) -> None:
        self.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(self.versions[uri], uri), [lsp.TextDocumentContentChangeWholeDocument(text)]
            )
        )

    async def actions(self, uri: str, where: lsp.Range, only: list[str] | None = None) -> list[lsp.CodeAction]:
        found = await self.client.text_document_code_action_async(
            lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri), where, lsp.CodeActionContext([], only=only))
        )
        return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


def apply(text: str, edits: list[Any]) -> str:
    """Text edits applied as an editor applies them (LSP positions in UTF-16 code units)."""
    lines = [*text.splitlines(keepends=True), ""]

    def offset(position: lsp.Position) -> int:
        line = lines[position.line]
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return sum(map(len, lines[: position.line])) + index
            units += 2 if ord(char) > 0xFFFF else 1
        return sum(map(len, lines[: position.line])) + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def only_edits(action: lsp.CodeAction, uri: str) -> list[Any]:
    assert action.edit is not None and action.edit.document_changes is not None
    changes = [c for c in action.edit.document_changes if isinstance(c, lsp.TextDocumentEdit)]
    assert [c.text_document.uri for c in changes] == [uri]
    return list(changes[0].edits)


@asynccontextmanager
async def editor(root: Path, *, notebooks: bool = False, today: str | None = TODAY) -> AsyncIterator[Editor]:
    session = Editor(root)
    env = {k: v for k, v in os.environ.items() if k != "ROUTELINT_TODAY"}
    args = ["-m", "routelint", "server", *(["--today", today] if today else [])]
    await session.client.start_io(sys.executable, *args, cwd=str(root), env=env)
    capabilities = lsp.ClientCapabilities(
        notebook_document=lsp.NotebookDocumentClientCapabilities(lsp.NotebookDocumentSyncClientCapabilities()) if notebooks else None,
    )
    await session.client.initialize_async(lsp.InitializeParams(capabilities, root_uri=root.as_uri()))
    session.client.initialized(lsp.InitializedParams())
    try:
        yield session
    finally:
        await session.client.shutdown_async(None)
        session.client.exit(None)
        await session.client.stop()


def run(coroutine: Any) -> None:
    asyncio.run(asyncio.wait_for(coroutine, 180))


def test_a_label_is_diagnosed_fixed_by_its_quick_fix_and_the_diagnostic_goes(project: Path) -> None:
    async def session() -> None:
        async with editor(project) as ed:
            uri = ed.open("app.py", LABEL)
            [found] = await ed.diagnosed(uri)
            assert found.code == "RL101" and found.source == "routelint"
            assert found.severity == lsp.DiagnosticSeverity.Error or found.severity is not None
            assert found.code_description is not None and "rl101" in found.code_description.href.lower()
            assert (found.range.start.line, found.range.start.character) == (2, 31)
            actions = await ed.actions(uri, found.range)
            fix = next(a for a in actions if a.is_preferred)
            assert fix.kind == lsp.CodeActionKind.QuickFix and "gpt-image-2" in fix.title
            fixed = apply(LABEL, only_edits(fix, uri))
            assert fixed == FIXED
            ed.replace(uri, fixed)
            assert await ed.diagnosed(uri, lambda d: d == []) == []

    run(session())


def test_unsafe_fix_is_labelled_and_not_preferred_and_fix_all_takes_only_safe_ones(project: Path) -> None:
    text = 'MODEL = "GPT-5.5 Instant"\n' + LABEL

    async def session() -> None:
        async with editor(project) as ed:
            uri = ed.open("app.py", text)
            found = await ed.diagnosed(uri, lambda d: len(d) == 2)
            unsafe_actions = await ed.actions(uri, found[0].range, only=["quickfix"])
            [unsafe] = [a for a in unsafe_actions if "chat-latest" in a.title]
            assert "unsafe" in unsafe.title and not unsafe.is_preferred
            [fix_all] = await ed.actions(uri, lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)), only=["source.fixAll"])
            assert fix_all.kind == "source.fixAll.routelint"
            assert apply(text, only_edits(fix_all, uri)) == 'MODEL = "GPT-5.5 Instant"\n' + FIXED

    run(session())


def test_changes_in_quick_succession_are_checked_once_at_their_last_version(project: Path) -> None:
    async def session() -> None:
        async with editor(project) as ed:
            uri = ed.open("app.py", "")
            await ed.wait_for(lambda: (uri, 1) in ed.published)
            for count in range(1, 6):  # typing: each change well inside the 0.3 s pause
                ed.replace(uri, LABEL[: len(LABEL) * count // 5])
            [found] = await ed.diagnosed(uri)
            assert found.code == "RL101"
            assert [v for u, v in ed.published if u == uri] == [1, 6]  # no check of versions 2-5

    run(session())


def test_add_noqa_silences_the_line(project: Path) -> None:
    async def session() -> None:
        async with editor(project) as ed:
            uri = ed.open("app.py", LABEL)
            [found] = await ed.diagnosed(uri)
            [noqa] = [a for a in await ed.actions(uri, found.range) if "noqa" in a.title]
            silenced = apply(LABEL, only_edits(noqa, uri))
            assert silenced.splitlines()[2].endswith("  # noqa: RL101")
            ed.replace(uri, silenced)
            assert await ed.diagnosed(uri, lambda d: d == []) == []

    run(session())


def test_columns_are_utf16_code_units(project: Path) -> None:
    # "𝄞" is one code point but two UTF-16 units; "é" one of each.
    text = 'from openai import OpenAI\nx = "é𝄞"; OpenAI().images.generate(model="GPT Image 2", prompt="x")\n'

    async def session() -> None:
        async with editor(project) as ed:
            uri = ed.open("app.py", text)
            [found] = await ed.diagnosed(uri)
            line = text.splitlines()[1]
            column = line.index('"GPT Image 2"')
            assert found.range.start.character == column + 1  # one more unit for the astral character
            [fix] = [a for a in await ed.actions(uri, found.range) if a.is_preferred]
            assert apply(text, only_edits(fix, uri)) == text.replace("GPT Image 2", "gpt-image-2")

    run(session())


def test_cross_file_finding_in_a_settings_buffer_names_the_call(project: Path) -> None:
    (project / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"\n')
    (project / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE_MODEL\n\nOpenAI().chat.completions.create(model=VOICE_MODEL, messages=[])\n"
    )

    async def session() -> None:
        async with editor(project) as ed:
            uri = ed.open("settings.py", (project / "settings.py").read_text())
            [found] = await ed.diagnosed(uri)
            assert found.code == "RL301"
            [related] = found.related_information or []
            assert related.location.uri == (project / "chat.py").as_uri()
            assert related.location.range.start.line == 3
            # The buffer, not the file on disk: an unsaved change is what is checked.
            ed.replace(uri, 'VOICE_MODEL = "gpt-realtime-1.5"  # noqa: RL301\n')
            assert await ed.diagnosed(uri, lambda d: d == []) == []

    run(session())


def test_a_notebook_document_gets_diagnostics_per_cell(project: Path) -> None:
    nb = (project / "nb.ipynb").as_uri()
    cells = [
        ("markdown", "# Title"),
        ("python", "from openai import OpenAI\nclient = OpenAI()"),
        ("python", '%time x = 1\nclient.images.generate(model="GPT Image 2", prompt="x")'),
    ]
    cell_uris = [f"vscode-notebook-cell:{project / 'nb.ipynb'}#cell{i}" for i in range(len(cells))]

    async def session() -> None:
        async with editor(project, notebooks=True) as ed:
            ed.client.notebook_document_did_open(
                lsp.DidOpenNotebookDocumentParams(
                    lsp.NotebookDocument(nb, "jupyter-notebook", 1, [
                        lsp.NotebookCell(lsp.NotebookCellKind.Markup if lang == "markdown" else lsp.NotebookCellKind.Code, uri)
                        for (lang, _), uri in zip(cells, cell_uris)
                    ]),
                    [lsp.TextDocumentItem(uri, lang, 1, text) for (lang, text), uri in zip(cells, cell_uris)],
                )
            )
            [found] = await ed.diagnosed(cell_uris[2])
            assert found.code == "RL101"
            assert (found.range.start.line, found.range.start.character) == (1, 29)
            assert ed.diagnostics.get(cell_uris[1]) == []
            [fix] = [a for a in await ed.actions(cell_uris[2], found.range) if a.is_preferred]
            assert apply(cells[2][1], only_edits(fix, cell_uris[2])).endswith('model="gpt-image-2", prompt="x")')

    run(session())


def test_a_file_over_the_size_limit_is_reported_not_parsed_and_the_server_keeps_answering(project: Path) -> None:
    big = LABEL + 'x = "a"\n' * 260_000  # ~2 MB with a candidate: over the engine's limit
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000 + '\nMODEL = "GPT Image 2"\n'

    async def session() -> None:
        async with editor(project) as ed:
            started = time.monotonic()
            big_uri = ed.open("big.py", big)
            deep_uri = ed.open("deep.py", deep)
            small = ed.open("app.py", LABEL)
            [found] = await ed.diagnosed(big_uri)
            assert found.code == "RL001" and "MB" in found.message
            await ed.diagnosed(small)
            await ed.diagnosed(deep_uri, lambda d: True)
            assert time.monotonic() - started < 30

    run(session())


def test_server_without_the_extra_says_how_to_install_it(project: Path) -> None:
    blocker = project / "blocker"
    blocker.mkdir()
    (blocker / "pygls.py").write_text("raise ImportError('no pygls here')\n")
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    done = subprocess.run([sys.executable, "-m", "routelint", "server"], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'routelint[lsp]'" in done.stderr and done.stdout == ""
