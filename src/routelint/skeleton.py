"""The source with the function bodies that cannot matter emptied, line for line: `ast` reads that
skeleton instead of the file (outline.py), and LibCST the chosen statements with the same bodies
emptied (`emptied_text`) unless they may bind what the rest of the file reads."""
from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routelint.outline import Signs


def holds(offsets: Sequence[int], start: int, end: int) -> bool:
    at = bisect.bisect_left(offsets, start)
    return at < len(offsets) and offsets[at] < end


def line_end(line_starts: list[int], line: int, size: int) -> int:
    return line_starts[line] if line < len(line_starts) else size


# An emptied body that assigns an attribute or an item (`self.model = ...`, `cls.x += 1`,
# `d[k] = v`), or names one with setattr, or declares nonlocal, may bind what the rest of its
# class or function reads: LibCST must see it, or a name bound twice would look bound once.
def binds_elsewhere(source: str, line_starts: list[int], header: int, last: int) -> bool:
    """Whether the function whose `def` is on line `header` (its body ending on `last`) may bind
    something the rest of its class or module reads: an attribute or an item in any target
    form (`self.x = `, `self.x, y = `, `for self.x in`, `with ... as self.x`, `self.x: T`), a
    `setattr`, `global` or `nonlocal`. Read with `ast` (the function alone, dedented); a
    function that does not parse so counts as binding."""
    lines = [source[line_starts[i - 1] : line_end(line_starts, i, len(source))] for i in range(header, last + 1)]
    margin = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))]
    if any(line.strip() and not line.startswith(margin) for line in lines):
        return True
    try:
        tree = ast.parse("".join(line[len(margin) :] if line.strip() else line.lstrip(" \t") for line in lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) or (isinstance(node, ast.Name) and node.id == "setattr"):
            return True
    return False


def _empty_body(lines: list[str]) -> str:
    """A function body's lines (its last is code) emptied: each keeps only its line ending, and
    the last becomes `pass` at the indentation of the body's first code line."""
    code = next(line for line in lines if line.lstrip(" \t")[:1] not in ("", "\n", "\r", "#"))
    margin = code[: len(code) - len(code.lstrip(" \t"))]
    endings = [line[len(line.rstrip("\r\n")) :] for line in lines]
    return "".join(endings[:-1]) + margin + "pass" + endings[-1]


def emptied_text(source: str, line_starts: list[int], first: int, last: int, regions: list[tuple[int, int]]) -> str:
    """Lines first..last of the source, with the bodies in `regions` emptied as skeleton does."""
    end = line_end(line_starts, last, len(source))
    inside = [(a, b) for a, b in regions if first <= a and b <= last]
    if not inside:
        return source[line_starts[first - 1] : end]
    pieces, at = [], line_starts[first - 1]
    for a, b in inside:
        pieces.append(source[at : line_starts[a - 1]])
        pieces.append(_empty_body([source[line_starts[i - 1] : line_end(line_starts, i, len(source))] for i in range(a, b + 1)]))
        at = line_end(line_starts, b, len(source))
    pieces.append(source[at:end])
    return "".join(pieces)


_HEADER = re.compile(r"([ \t]*)(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(.*:[ \t]*(?:#.*)?$")


def skeleton(
    source: str, line_starts: list[int], hits: list[int], weak: list[int], *, signs: Signs
) -> tuple[str, list[tuple[int, int]]]:
    """The source with the bodies of functions that cannot matter emptied, for a cheaper `ast`
    parse: (text, the (first, last) lines emptied). Lines stay where they are, so line numbers
    and each statement's first and last line are the source's. A body is emptied only when it
    holds no hit (nor its `def` line), no `openai` (an import, an Azure client), no `global` and
    no `unittest.mock` stand-in built (a fake client's factory: `outline.Signs.kept`),
    and its `def` line is a whole header; each of its lines becomes empty and the last one `pass`. What the heuristic
    gets wrong (a string with a line at column 0, a header over several lines) fails to parse,
    and the caller parses the source itself."""
    count = len(line_starts)
    lines = [source[line_starts[i] : line_starts[i + 1] if i + 1 < count else len(source)] for i in range(count)]
    kept = signs.kept(source)  # one scan, then a bisect per body
    pieces: list[str] = []
    emptied: list[tuple[int, int]] = []
    index = 0
    while index < count:
        line = lines[index]
        header = _HEADER.match(line.rstrip("\r\n")) if "def" in line else None
        if header is None or line.count("(") != line.count(")"):
            pieces.append(line)
            index += 1
            continue
        indent = len(header.group(1))
        last = None
        body = index + 1
        while body < count:
            text = lines[body]
            stripped = text.lstrip(" \t")
            if stripped[:1] in ("", "\n", "\r", "#"):
                body += 1
                continue
            if len(text) - len(stripped) <= indent:
                break
            last = body
            body += 1
        pieces.append(line)
        if last is None:
            index += 1
            continue
        start, end = line_starts[index + 1], line_starts[last + 1] if last + 1 < count else len(source)
        # A hit in the header (a model default) keeps the body too: the data-flow step reads where
        # the parameter goes (only to a tokenizer?).
        if holds(hits, line_starts[index], end) or holds(weak, start, end) or holds(kept, start, end) or _cut(source[start:end]):
            index += 1  # look inside it again: a nested function may still be emptied
            continue
        pieces.append(_empty_body(lines[index + 1 : last + 1]))
        emptied.append((index + 2, last + 1))  # 1-based lines
        index = last + 1
    return "".join(pieces), emptied


def _cut(body: str) -> bool:
    """Whether a body found by indentation may end inside a string or a continued line: an odd
    number of triple quotes (a template with a line at column 0 ends the scan early, and what
    is left of it could pair with a later quote and still parse), or a backslash at its end."""
    return body.count('"""') % 2 == 1 or body.count("'''") % 2 == 1 or body.rstrip("\r\n").endswith("\\")
