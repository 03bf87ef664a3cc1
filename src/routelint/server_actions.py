"""The language server's code actions, made from a document's last findings:

- each fix as a quick fix: a safe fix is the preferred action, an unsafe one (it changes where
  the request goes) says so in its title and is never preferred;
- "Fix all safe routelint findings" (`source.fixAll.routelint`): the buffer through `--fix`
  (`hosted.file_fixed`), so fixes are re-linted to a fixed point as on the command line;
- "Add noqa" for a line: `--add-noqa` (`noqa.add_noqa`) for that line's findings.

Every edit is versioned: a client applies none to a document that changed since.
"""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from routelint.server_places import Snapshot, diagnostic, replacement, text_edits

if TYPE_CHECKING:
    from routelint.model import Finding
    from routelint.server import RoutelintServer

FIX_ALL = "source.fixAll.routelint"
QUICK_FIX = lsp.CodeActionKind.QuickFix.value


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for actions of `kind` (`only` holds kinds and their parents)."""
    return only is None or any(kind == asked or kind.startswith(asked + ".") for asked in only)


async def code_actions(server: RoutelintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    snapshot = server.current(uri)
    if snapshot is None:
        return []
    only = [str(kind) for kind in params.context.only] if params.context.only else None
    actions: list[lsp.CodeAction] = []
    if wanted(QUICK_FIX, only):
        here = [
            (finding, made) for finding in snapshot.findings
            for where, made in [diagnostic(snapshot, finding, server.units)]
            if where == uri and _overlaps(made.range, params.range)
        ]
        actions += _quick_fixes(server, snapshot, here)
        actions += _noqa(server, snapshot, uri, here)
    if wanted(FIX_ALL, only) and not snapshot.notebook and any(_safe(f) for f in snapshot.findings):
        fixed = await asyncio.get_running_loop().run_in_executor(server.worker, _fix_all, server, snapshot)
        if fixed is not None and server.current(uri) is snapshot:
            edits = replacement(snapshot, fixed, server.units)
            if edits:
                actions.append(lsp.CodeAction("Fix all safe routelint findings", kind=FIX_ALL, edit=_workspace_edit(server, snapshot, edits)))
    return actions


def _safe(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.applicability == "safe"


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _quick_fixes(server: RoutelintServer, snapshot: Snapshot, here: list[tuple[Finding, lsp.Diagnostic]]) -> list[lsp.CodeAction]:
    actions = []
    for finding, made in here:
        if finding.fix is None:
            continue
        safe = finding.fix.applicability == "safe"
        title = f"{finding.code}: {finding.fix.message}" + ("" if safe else " (unsafe fix: check the change)")
        edits = text_edits(snapshot, finding.fix.edits, server.units)
        actions.append(
            lsp.CodeAction(title, kind=QUICK_FIX, diagnostics=[made], is_preferred=safe, edit=_workspace_edit(server, snapshot, edits))
        )
    actions.sort(key=lambda action: not action.is_preferred)  # safe ones first
    return actions


def _noqa(server: RoutelintServer, snapshot: Snapshot, uri: str, here: list[tuple[Finding, lsp.Diagnostic]]) -> list[lsp.CodeAction]:
    from routelint.noqa import add_noqa

    lines: dict[int, set[str]] = {}
    for finding, _made in here:
        lines.setdefault(finding.start[0], set()).add(finding.code)
    actions = []
    for line, codes in sorted(lines.items()):
        text, refused = add_noqa(snapshot.text, {line: codes})
        if refused:
            continue  # the line ends inside a string: no comment can go there
        edits = replacement(snapshot, text, server.units)
        if edits:
            named = ", ".join(sorted(codes))
            diagnostics = [made for finding, made in here if finding.start[0] == line]
            actions.append(
                lsp.CodeAction(f"Add `# noqa: {named}` to this line", kind=QUICK_FIX, diagnostics=diagnostics, edit=_workspace_edit(server, snapshot, edits))
            )
    return actions


def _fix_all(server: RoutelintServer, snapshot: Snapshot) -> str | None:
    from routelint.hosted import file_fixed

    filename = server.file_name(snapshot.uri)
    return file_fixed(filename, snapshot.text, cwd=snapshot.cwd, today=server.today)


def _workspace_edit(server: RoutelintServer, snapshot: Snapshot, edits: dict[str, list[lsp.TextEdit]]) -> lsp.WorkspaceEdit:
    changes: list[lsp.TextDocumentEdit | lsp.CreateFile | lsp.RenameFile | lsp.DeleteFile] = []
    for uri, made in edits.items():
        version = snapshot.version if uri == snapshot.uri else server.version_of(uri)
        changes.append(lsp.TextDocumentEdit(lsp.OptionalVersionedTextDocumentIdentifier(uri, version), list(made)))
    return lsp.WorkspaceEdit(document_changes=changes)
