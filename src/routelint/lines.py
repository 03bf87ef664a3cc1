"""Lines as Python reads them: only `\\n`, `\\r\\n` and `\\r` end a line.

`str.splitlines` also splits on `\\x0b`, `\\x0c`, `\\x1c`..`\\x1e`, `\\x85`, `\\u2028` and
`\\u2029`, which Python's tokenizer (and LibCST) keep inside a line: a position, a suppression
comment or a diff computed with it lands on the wrong line. Everything in routelint that splits
source text into lines goes through here.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import AnyStr

NEWLINE = re.compile(r"\r\n|\r|\n")
NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character; the first line starts at 0."""
    return [0, *(m.end() for m in NEWLINE.finditer(text))]


def split_lines(text: str) -> list[str]:
    """The lines without their endings (a text ending in a line break has an empty last line)."""
    return NEWLINE.split(text)


def split_lines_keepends(text: str) -> list[str]:
    """The lines with their endings, as `difflib` and `readline` want them."""
    starts = line_starts(text)
    pieces = [text[a:b] for a, b in zip(starts, starts[1:])]
    if starts[-1] < len(text):
        pieces.append(text[starts[-1] :])
    return pieces


def first_lines(text: AnyStr, count: int) -> list[AnyStr]:
    """The first `count` lines with their endings, of text or of bytes, without splitting the
    rest (a coding cookie may only stand on the first two lines; the file may be large)."""
    pattern = NEWLINE if isinstance(text, str) else NEWLINE_BYTES
    lines: list[AnyStr] = []
    start = 0
    for match in pattern.finditer(text):
        if len(lines) == count:
            return lines
        lines.append(text[start : match.end()])
        start = match.end()
    if len(lines) < count and start < len(text):
        lines.append(text[start:])
    return lines


def count_breaks(text: str) -> int:
    return len(NEWLINE.findall(text))


def line_column(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """(line, column), both 1-based, of a character offset, given the text's line_starts."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def strip_ending(line: str) -> str:
    return NEWLINE.sub("", line)
