"""Where the nodes that produced findings are: (line, column, end line, end column), 1-based.

LibCST's PositionProvider, through MetadataWrapper, walks the whole chunk (rebuilding every
node), then writes it back out with a CodeRange object for every node, and `module.code` writes
it out a second time: most of the time routelint spent on a file with findings. Here the chunk
is written out once, counting characters only, and positions are recorded only for the nodes
asked for. They are the same positions PositionProvider gives (syntactic: without the
parentheses around an expression); tests/test_positions.py compares the two.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from libcst._nodes.internal import CodegenState

_NEWLINE = re.compile(r"\r\n|\r|\n")
Span = tuple[int, int, int, int]


def positions(chunks: Sequence[tuple[Any, Any]], nodes: Sequence[object], chunk_of: Mapping[int, int] | None = None) -> dict[int, Span]:
    """(line, column, end line, end column) in the file, 1-based, for these nodes only; with
    `chunk_of` (node -> chunk, from the extractor), only their chunks are written out."""
    wanted = frozenset(id(node) for node in nodes)
    needed = None if chunk_of is None else {chunk_of.get(n) for n in wanted}
    where: dict[int, Span] = {}
    for number, (chunk, module) in enumerate(chunks):
        if needed is not None and number not in needed and None not in needed:
            continue
        state = _OffsetState(default_indent=module.default_indent, default_newline=module.default_newline, wanted=wanted)
        module._codegen(state)
        code = "".join(state.tokens)
        starts = [0] + [m.end() for m in _NEWLINE.finditer(code)]
        column = column_in_source(code, chunk.text)
        shift = chunk.first_line - 1

        def line_column(offset: int) -> tuple[int, int]:
            line = bisect.bisect_right(starts, offset)  # 1-based
            return line, column(line, offset - starts[line - 1]) + 1

        for key, (start, end) in state.found.items():
            (line, col), (end_line, end_col) = line_column(start), line_column(end)
            where[key] = (line + shift, col, end_line + shift, end_col)
    return where


class _Recorder:
    """The context manager record_syntactic_position returns for a node we want."""

    __slots__ = ("state", "key", "start")

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

    def record_syntactic_position(self, node: Any, *, start_node: Any = None, end_node: Any = None) -> Any:  # type: ignore[override]
        # Only expressions are asked for, and they never hoist their bounds from children
        # (start_node / end_node are for statements).
        key = id(node)
        return _Recorder(self, key) if key in self.wanted else _NOTHING


def column_in_source(code: str, source: str) -> Callable[[int, int], int]:
    """(line, column in LibCST's rendering of the module) -> column in the source.

    Positions count in the code LibCST would write back, which is not always the source: it
    drops a form feed that starts a statement's line. Lines are kept, and a line of the code is
    the source's line with characters left out, so columns map back by matching in order.
    """
    if code == source:
        return lambda line, column: column
    code_lines, source_lines = _NEWLINE.split(code), _NEWLINE.split(source)

    def column_in(line: int, column: int) -> int:
        if len(code_lines) != len(source_lines) or code_lines[line - 1] == source_lines[line - 1]:
            return column
        kept, full = code_lines[line - 1], source_lines[line - 1]
        at = 0
        for char in kept[: column + 1]:
            while at < len(full) and full[at] != char:
                at += 1  # a character LibCST left out
            at += 1
        return at - 1 if column < len(kept) else at + column - len(kept)

    return column_in
