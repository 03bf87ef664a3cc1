"""Where the nodes that produced findings are in the file: character offsets into the source.

LibCST's PositionProvider counts in the code LibCST writes back, which is not always the
source: it drops a line that holds only indentation and `\\`, and repeats a form feed that
starts a block's first line on every line of the block. Positions counted there put a finding,
a suppression or a fix on the wrong line. So the chunk is written out once (counting characters
only, and only for the nodes asked for: PositionProvider walks and rebuilds the whole tree), and
each offset in that rendering is mapped back to the source by the characters LibCST never
changes: everything but spaces, tabs, form feeds, backslashes and line breaks. A span is `exact`
when the source holds, at its offsets, exactly the text LibCST read for the node; only exact
spans are ever edited.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libcst._nodes.internal import CodegenState

from routelint.lines import line_column, line_starts

if TYPE_CHECKING:
    import libcst as cst

    from routelint.outline import Chunk


@dataclass(frozen=True)
class Span:
    start: int  # character offsets into the file's text
    end: int
    exact: bool  # source[start:end] is exactly the node's text


def source_spans(
    chunks: Sequence[tuple[Chunk, cst.Module]],
    nodes: Sequence[object],
    source: str,
    starts: Sequence[int],
    chunk_of: Mapping[int, int] | None = None,
) -> dict[int, Span]:
    """The span in `source` (whose line_starts are `starts`) of each node, by id; with
    `chunk_of` (node -> chunk, from the extractor), only the chunks holding them are written out."""
    wanted = frozenset(id(node) for node in nodes)
    needed = None if chunk_of is None else {chunk_of.get(n) for n in wanted}
    spans: dict[int, Span] = {}
    for number, (chunk, module) in enumerate(chunks):
        if needed is not None and number not in needed and None not in needed:
            continue
        code, found = rendered(module, wanted)
        if not found:
            continue
        ends = {end - 1 for start, end in found.values() if end > start}
        to_text = _aligned(code, chunk.text, {start for start, _ in found.values()} | ends)
        text_starts = line_starts(chunk.text)
        first = chunk.first_line - 1

        def in_file(offset: int) -> int:
            # Chunk lines are the file's lines (emptied bodies keep their line breaks), and the
            # lines holding nodes are the file's own text.
            line, column = line_column(text_starts, offset)  # noqa: B023 - called in this iteration only
            return starts[first + line - 1] + column - 1  # noqa: B023 - called in this iteration only

        for key, (start, end) in found.items():
            a, b = to_text.get(start), to_text.get(end - 1) if end > start else to_text.get(start)
            if a is None or b is None:  # never seen: the two texts disagree beyond white space
                at = starts[first]
                spans[key] = Span(at, at, False)
                continue
            a, b = in_file(a), in_file(b) + (1 if end > start else 0)
            spans[key] = Span(a, b, source[a:b] == code[start:end])
    return spans


def rendered(module: Any, wanted: frozenset[int]) -> tuple[str, dict[int, tuple[int, int]]]:
    """LibCST's rendering of the module, and the (start, end) offsets of the wanted nodes in it
    (syntactic bounds, as PositionProvider gives them: without an expression's parentheses)."""
    state = _OffsetState(default_indent=module.default_indent, default_newline=module.default_newline, wanted=wanted)
    module._codegen(state)
    return "".join(state.tokens), state.found


def line_span(span: Span, starts: Sequence[int]) -> tuple[int, int, int, int]:
    """(line, column, end line, end column), 1-based, of a span."""
    return (*line_column(starts, span.start), *line_column(starts, span.end))


# What LibCST may drop or repeat when it writes code back; everything else it keeps, in order.
_KEPT = re.compile(r"[^ \t\x0c\\\r\n]")


def _aligned(code: str, text: str, offsets: set[int]) -> dict[int, int]:
    """Offsets in the rendering -> offsets in the chunk's text, for `offsets` (each the offset of
    a character LibCST keeps: a node starts and ends with one). The k-th kept character of one
    is the k-th of the other."""
    if code == text:
        return {offset: offset for offset in offsets}
    targets = sorted(offsets)
    mapped: dict[int, int] = {}
    at = 0
    for ours, theirs in zip(_KEPT.finditer(code), _KEPT.finditer(text)):
        if ours.group() != theirs.group():
            break
        offset = ours.start()
        while at < len(targets) and targets[at] <= offset:
            if targets[at] == offset:
                mapped[offset] = theirs.start()
            at += 1
        if at == len(targets):
            break
    return mapped


class _Recorder:
    """The context manager record_syntactic_position returns for a node we want."""

    __slots__ = ("key", "start", "state")

    def __init__(self, state: _OffsetState, key: int) -> None:
        self.state, self.key, self.start = state, key, 0

    def __enter__(self) -> None:
        self.start = self.state.length

    def __exit__(self, *exc: object) -> None:
        self.state.found[self.key] = (self.start, self.state.length)
        self.state.syntactic.add(self.key)


class _Nothing:
    __slots__ = ()

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass


_NOTHING = _Nothing()


@dataclass(frozen=False)
class _OffsetState(CodegenState):
    """Writes the code out counting characters; records (start, end) offsets for `wanted`."""

    wanted: frozenset[int] = frozenset()
    found: dict[int, tuple[int, int]] = field(default_factory=dict)
    syntactic: set[int] = field(default_factory=set)  # found through record_syntactic_position
    opened: dict[int, list[int]] = field(default_factory=dict)
    length: int = 0

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        self.length += sum(map(len, self.indent_tokens))

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.length += len(value)

    def pop_trailing_newline(self) -> None:
        if self.tokens:
            self.length -= len(self.tokens.pop())

    def before_codegen(self, node: Any) -> None:
        key = id(node)
        if key in self.wanted:
            self.opened.setdefault(key, []).append(self.length)

    def after_codegen(self, node: Any) -> None:
        key = id(node)
        if key in self.wanted:
            start = self.opened[key].pop()
            if key not in self.syntactic:  # a node without syntactic bounds of its own (a leaf)
                self.found[key] = (start, self.length)

    def record_syntactic_position(self, node: Any, *, start_node: Any = None, end_node: Any = None) -> Any:
        # Only expressions are asked for, and they never hoist their bounds from children
        # (start_node / end_node are for statements).
        key = id(node)
        return _Recorder(self, key) if key in self.wanted else _NOTHING
