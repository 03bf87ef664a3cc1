"""`routelint server`: a language server over standard input and output (pygls, the `lsp` extra).

One more driver of the pipeline: a buffer is checked by `hosted.file_findings`, the driver of
`--stdin-filename` and of the flake8 and Fixit hosts, with the file's nearest config and the
rest of its project (a settings module open in the editor is reported for the call in another
file that its constant reaches). "Fix all" is `--fix` on the buffer (`hosted.file_fixed`), and
"add noqa" is `--add-noqa`'s `noqa.add_noqa` for one line. Edits go to the client, which
applies them: the server never writes a file.

Work per keystroke is bounded: a change is checked after a pause (`debounce`), off the event
loop in one worker thread (so requests are still answered while a big file is checked), and a
result made from an older version than the document's is dropped. A file over the engine's
size limit is reported, not parsed, as on the command line. Notebook documents (LSP 3.17) are
checked as the notebook's code cells joined, as routelint reads an .ipynb file.
"""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from routelint import __version__
from routelint.server_places import Snapshot, diagnostic

# A pause in typing this long starts a check: short enough that a diagnostic is there within
# 0.3 s of a change on a typical file (benchmarks/lsp_latency.py: the check itself takes ~0.02 s),
# long enough that a burst of keystrokes is checked once, at its last version.
DEBOUNCE_SECONDS = 0.2


class RoutelintServer(LanguageServer):
    def __init__(self, *, today: str | None = None, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__(
            "routelint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(
                notebook_selector=[lsp.NotebookDocumentFilterWithNotebook(notebook="*", cells=[lsp.NotebookCellLanguage("python")])],
                save=True,
            ),
        )
        self.today = today
        self.debounce = debounce
        self.snapshots: dict[str, Snapshot] = {}  # document or notebook URI -> its last findings
        self.generation: dict[str, int] = {}  # bumped by every change: a result of an older one is stale
        self.pending: dict[str, asyncio.Task[None]] = {}
        # One thread: the pipeline's per-process caches (configs, project listings) are not
        # shared between threads, and a newer version waits for the check in progress.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="routelint-lint")

    @property
    def cwd(self) -> Path:
        root = self.workspace.root_path
        return Path(root) if root else Path.cwd()

    def units(self, text: str) -> int:
        """The length of `text` in the position units agreed with the client (UTF-16 by default)."""
        return int(self.workspace.position_codec.client_num_units(text))

    def file_name(self, uri: str) -> str:
        return _file_name(uri, ".ipynb" if self.workspace.get_notebook_document(notebook_uri=uri) else ".py")

    def version_of(self, uri: str) -> int | None:
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        if notebook is not None or uri not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri).version

    # Scheduling -----------------------------------------------------------------------------

    def schedule(self, key: str, delay: float) -> None:
        self.generation[key] = self.generation.get(key, 0) + 1
        waiting = self.pending.pop(key, None)
        if waiting is not None:
            waiting.cancel()
        self.pending[key] = asyncio.ensure_future(self._check_later(key, self.generation[key], delay))

    async def _check_later(self, key: str, generation: int, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        request = self._request(key)
        if request is None:
            return
        loop = asyncio.get_running_loop()
        snapshot = await loop.run_in_executor(self.worker, _check, request)
        if self.generation.get(key) != generation:
            return  # a newer version arrived while this one was checked
        self.pending.pop(key, None)
        self.publish(snapshot)

    def _request(self, key: str) -> Request | None:
        """What a check needs, taken on the event loop: the buffer's name, text and version, and
        for a notebook each cell's (URI, text, is code)."""
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is not None:
            cells = tuple(
                (cell.document, self.workspace.get_text_document(cell.document).source, cell.kind == lsp.NotebookCellKind.Code)
                for cell in notebook.cells
            )
            return Request(key, _file_name(key, ".ipynb"), notebook.version, self.cwd, self.today, "", cells)
        if key not in self.workspace.text_documents:
            return None
        document = self.workspace.get_text_document(key)
        return Request(key, _file_name(key, ".py"), document.version, self.cwd, self.today, document.source)

    def publish(self, snapshot: Snapshot) -> None:
        old = self.snapshots.get(snapshot.uri)
        self.snapshots[snapshot.uri] = snapshot
        found: dict[str, list[lsp.Diagnostic]] = {uri: [] for uri in snapshot.uris()}
        for finding in snapshot.findings:
            uri, made = diagnostic(snapshot, finding, self.units)
            found.setdefault(uri, []).append(made)
        for uri in old.uris() if old is not None else ():
            found.setdefault(uri, [])  # a cell that left the notebook
        for uri, diagnostics in found.items():
            version = snapshot.version if uri == snapshot.uri else None
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, version))

    def forget(self, key: str) -> None:
        self.generation[key] = self.generation.get(key, 0) + 1
        waiting = self.pending.pop(key, None)
        if waiting is not None:
            waiting.cancel()
        old = self.snapshots.pop(key, None)
        for uri in old.uris() if old is not None else (key,):
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    def current(self, uri: str) -> Snapshot | None:
        """The snapshot of the document `uri` is (or is a cell of), if made from its present text."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        key = notebook.uri if notebook is not None else uri
        snapshot = self.snapshots.get(key)
        if snapshot is None or key in self.pending:
            return None
        version = notebook.version if notebook is not None else self.workspace.get_text_document(uri).version
        return snapshot if snapshot.version == version else None


def make_server(*, today: str | None = None, debounce: float = DEBOUNCE_SECONDS) -> RoutelintServer:
    """The server with its features: checks on open, change (after a pause) and save, for Python
    text documents and notebook documents, and the code actions of server_actions.py."""
    from routelint.server_actions import FIX_ALL, code_actions

    server = RoutelintServer(today=today, debounce=debounce)

    def python(document: lsp.TextDocumentItem | lsp.VersionedTextDocumentIdentifier | lsp.TextDocumentIdentifier) -> bool:
        if server.workspace.get_notebook_document(cell_uri=document.uri) is not None:
            return False  # a cell: checked as part of its notebook
        language = getattr(document, "language_id", None)
        if language is None and document.uri in server.workspace.text_documents:
            language = server.workspace.get_text_document(document.uri).language_id
        return language == "python" or document.uri.endswith((".py", ".pyi"))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: RoutelintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        if python(params.text_document):
            ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RoutelintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        if python(params.text_document):
            ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: RoutelintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        _saved()
        if python(params.text_document):
            ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RoutelintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: RoutelintServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: RoutelintServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, ls.debounce)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: RoutelintServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
        _saved()
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: RoutelintServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        ls.forget(params.notebook_document.uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
    )
    async def actions(ls: RoutelintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return await code_actions(ls, params)

    return server


def _saved() -> None:
    from routelint.hosted import forget_listings

    forget_listings()


def serve(*, today: str | None = None) -> None:
    """Run the server over standard input and output until the client says exit."""
    make_server(today=today).start_io()


def _file_name(uri: str, suffix: str) -> str:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return path if path else "untitled" + suffix


@dataclass(frozen=True)
class Request:
    key: str  # the document's URI, or the notebook's
    filename: str
    version: int | None
    cwd: Path
    today: str | None
    text: str  # a text document's
    cells: tuple[tuple[str, str, bool], ...] = ()  # a notebook's: (URI, text, is code)


def _check(request: Request) -> Snapshot:
    """Runs in the worker thread: the buffer through the pipeline."""
    from routelint.hosted import file_findings

    key, version, cwd, today = request.key, request.version, request.cwd, request.today
    if not request.cells:
        findings = file_findings(request.filename, request.text, cwd=cwd, today=today)
        return Snapshot(key, version, request.text, tuple(findings), cwd)
    from routelint.files import UnreadableFile, source_from_bytes

    cells = tuple((uri, text) for uri, text, _ in request.cells)
    data = _notebook_json(request.cells)
    try:
        source = source_from_bytes(Path(request.filename), data.encode("utf-8"))
    except UnreadableFile:  # not a Python notebook: nothing to report
        return Snapshot(key, version, "", (), cwd, cells)
    findings = file_findings(request.filename, data, cwd=cwd, today=today)
    return Snapshot(key, version, source.text, tuple(findings), cwd, cells, source.notebook)


def _notebook_json(cells: tuple[tuple[str, str, bool], ...]) -> str:
    """An .ipynb text holding the cells, so that the notebook reader makes of them what it makes
    of the file (IPython syntax masked, the cells joined)."""
    made: list[dict[str, Any]] = []
    for _uri, text, code in cells:
        cell: dict[str, Any] = {"cell_type": "code" if code else "markdown", "metadata": {}, "source": text}
        if code:
            cell.update(outputs=[], execution_count=None)
        made.append(cell)
    document = {"cells": made, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document)
