"""The judge stage's decisions that are not one rule's: which of the extractor's facts reach the
checks (one use per literal and surface; the named policies below), and which uses of other
files' names this file hands on (`shared_uses`). `engine.Linter._problems` applies them."""
from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from routelint.lines import line_column
from routelint.place import site_phrase
from routelint.suppress import suppressed_lines

if TYPE_CHECKING:
    from routelint.facts import Export, FileFacts, Incoming, ModelUse
    from routelint.notebooks import CellIndex
    from routelint.outline import Outline
    from routelint.positions import Span
    from routelint.project import ProjectTable


def best_use_per_node(uses: Sequence[ModelUse]) -> list[ModelUse]:
    """A literal seen in several contexts is judged once per surface it reaches. What a provider
    prefix guesses ("openai:" is the Responses API for pydantic-ai) yields to a call the literal
    reaches (`init_embeddings(model)`: the Embeddings API)."""
    seen: dict[tuple[int, str | None], ModelUse] = {}
    with_surface = {id(u.node) for u in uses if u.surface is not None}
    called = {id(u.node) for u in uses if u.surface is not None and not u.by_prefix}
    for use in uses:
        node, surface = id(use.node), use.surface
        if (surface is None and node in with_surface) or (use.by_prefix and node in called):
            continue
        seen.setdefault((node, surface), use)
    return list(seen.values())


# --- The judge stage's named policies: which facts reach the checks ------------------------------
# Decisions about the domain that the extractor, which judges nothing, leaves to the judge stage
# (`Linter._problems`); docs/architecture.md lists them. The names and values they rest on are
# facts of rules/code.toml.


def module_elsewhere(facts: FileFacts) -> bool:
    """**Azure module**: `openai.api_type = "azure"` (the SDK's module-level setting: [sdk]
    api-type, [azure] api-type) sends every request of the module to Azure OpenAI, where `model=`
    names a deployment, spelled any way and on Azure's own schedule: none of the file's model
    uses is judged, nor handed to other files. (A literal module base URL on another host,
    `openai.api_base = "https://openkey.cloud/v1"`, moves only the module-level client's calls:
    clients.py decides those per call.) Azure *clients* (`AzureOpenAI(...)`, a deployment
    keyword, an `azure` package) are not a policy of the file: the extractor decides per call
    which client it is made on (clients.py), and a model sent through an Azure client is not judged."""
    return facts.module_elsewhere


def imports_openai(shape: Outline, facts: FileFacts) -> bool:
    """**imports_openai**: an SDK call path (`videos.create(...)`, RL203) and a deprecated
    parameter (`prompt=`, RL204) are the SDK's only in a file that imports the SDK ([sdk]
    package) somewhere: the outline reads every statement with `ast`, the extractor the
    statements LibCST parsed (all of them in the whole-file fallback, where the outline claims
    nothing). A request to a URL on the API's hosts (`ApiCall.certain`) needs no import; model
    uses need none either (a wrapper, a provider prefix, a model-named keyword say enough)."""
    return shape.imports_openai or facts.imports_openai


def shared_uses(
    exports: Sequence[Export], where: Mapping[int, Span], source: str, starts: Sequence[int], path: str,
    project: ProjectTable, cells: CellIndex | None = None,
) -> tuple[tuple[str, Incoming], ...]:
    """Uses of other files' names, with this file's call site, aimed at the file that holds them
    (and the questions and answers about functions called across files, facts.ASK).
    A `# noqa` on the line of the use (the name as written) speaks for that use: a bare one
    drops it, one with codes travels with it and silences only those codes. Not on the line of
    an answer's call: the literal is the other file's, and its noqa there speaks for it (as in
    one file, where a noqa at the call does not silence a literal on another line)."""
    from routelint.facts import ASK, Incoming

    found_in = [
        (export, (posixpath.normpath(export.to), export.candidates[0][2]) if export.to is not None else project.find(path, export.candidates, any_name=export.keys[:1] == (ASK,)))
        for export in exports
    ]
    use_lines = {
        id(export): line_column(starts, where[id(node)].start)[0]
        for export, found in found_in
        if found is not None and export.to is None and export.keys[:1] != (ASK,)
        and (node := export.node if export.node is not None else export.target.call_node) is not None
    }
    quiet = suppressed_lines(source, set(use_lines.values())) if use_lines else {}
    shared = []
    for export, found in found_in:
        if found is None:
            continue
        target_path, name = found
        target = export.target
        line = use_lines.get(id(export))
        silenced: frozenset[str] = frozenset()
        if line is not None and line in quiet:
            codes = quiet[line]
            if codes is None:
                continue
            silenced = codes
        # A use that came in from another file and goes on (a name imported and exported again)
        # keeps the call and the file it came from.
        site, origin = target.call_site, target.origin or path
        if target.call_node is not None:
            call_line = line_column(starts, where[id(target.call_node)].start)[0]
            site, origin = f"{path}:{site_phrase(call_line, cells)}", path
        remote = replace(
            target, call_node=None, via=None, call_site=site, origin=origin, silenced=silenced | target.silenced
        )
        shared.append((target_path, Incoming(name, remote, export.keys)))
    return tuple(dict.fromkeys(shared))
