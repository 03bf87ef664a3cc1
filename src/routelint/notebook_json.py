"""A notebook's JSON, read so that each cell's source strings are found in the raw text.

A fix must rewrite only the characters it changes, and leave every other byte of the file as it
was: indent, key order, escapes, outputs, a missing final newline. `json.loads` gives values
without positions, so the document is walked here: the objects and arrays on the way to
`cells[i].source[j]` step by step, each source string with `json.decoder.scanstring` (which says
where the string ends), and every other value in one `raw_decode` call, at C speed: base64
outputs cost what `json.loads` costs. The walk is linear in the size of the file.
"""
from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from json.decoder import JSONDecodeError
from typing import Any, Callable, NoReturn

from routelint import lines

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"', re.DOTALL)
# (text, index after the opening quote, strict) -> (value, index after the closing quote)
scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
# A `\uXXXX` escape of a non-ASCII character, after the backslashes before it: an odd number of
# them is an escape, an even one is escaped backslashes and a `u`.
_ESCAPED_NON_ASCII = re.compile(r"(\\+)u(?!00[0-7])[0-9a-fA-F]{4}")


class NotebookError(ValueError):
    """Not a notebook that can be read (or written back): the message says why, `position` where
    in the file (line, column), when that is known."""

    def __init__(self, message: str, position: tuple[int, int] = (1, 1)) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Piece:
    """One JSON string of a cell's source: its value, and where the characters between its
    quotes sit in the decoded document (`start` after the opening quote, `end` at the closing one)."""

    value: str
    start: int
    end: int


@dataclass(frozen=True)
class RawCell:
    kind: object  # cell_type as written (a string in a valid notebook)
    source: tuple[Piece, ...] | None  # nbformat 4: "source"; None when missing or not strings
    input: tuple[Piece, ...] | None  # nbformat 3 code cells: "input"
    at: int  # offset of the cell's `{`, for messages


@dataclass(frozen=True)
class Document:
    nbformat: object
    cells: tuple[RawCell, ...]  # nbformat 3: the cells of every worksheet, in order
    metadata: object


def decode(data: bytes) -> tuple[bytes, str]:
    """(the BOM, if any, the JSON text): notebooks are UTF-8."""
    prefix = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        return prefix, data[len(prefix) :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not a notebook: the file is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def read_document(text: str) -> Document:
    walker = _Walker(text)
    found: dict[str, Any] = {}
    for key in walker.members("the notebook"):
        if key == "cells":
            found[key] = walker.cells()
        elif key == "worksheets":
            found[key] = [cell for _ in walker.items("worksheets") for cell in walker.worksheet()]
        else:
            found[key] = walker.value()
    if walker.skip_space():
        walker.fail("invalid JSON: extra data after the notebook")
    nbformat = found.get("nbformat")
    if type(nbformat) is not int or nbformat not in (3, 4):
        walker.fail(f"nbformat {nbformat!r} is not supported (nbformat 4 and 3 are)", 0)
    key = "cells" if nbformat == 4 else "worksheets"
    if key not in found:
        walker.fail(f'an nbformat {nbformat} notebook needs a "{key}" list', 0)
    return Document(nbformat, tuple(found[key]), found.get("metadata"))


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str, at: int | None = None) -> NoReturn:
        offset = self.pos if at is None else at
        line, column = lines.line_column(lines.line_starts(self.text), min(offset, len(self.text)))
        raise NotebookError(f"not a notebook: {message} (line {line}, column {column})", (line, column))

    def skip_space(self) -> str:
        """The next character that is not JSON whitespace ('' at the end)."""
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        return self.text[self.pos : self.pos + 1]

    def value(self) -> Any:
        self.skip_space()
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except JSONDecodeError as exc:
            self.fail(f"invalid JSON: {exc.msg}", exc.pos)
        except RecursionError:
            self.fail("JSON nested too deeply")
        return value

    def string(self) -> Piece:
        if self.skip_space() != '"':
            self.fail("invalid JSON: expecting a string")
        start = self.pos + 1
        try:
            value, self.pos = scanstring(self.text, start, True)
        except JSONDecodeError as exc:
            self.fail(f"invalid JSON: {exc.msg}", exc.pos)
        return Piece(value, start, self.pos - 1)

    def members(self, what: str) -> Iterator[str]:
        """An object's keys; the caller reads each value before asking for the next key."""
        self._open("{", what, "an object")
        if self.skip_space() == "}":
            self.pos += 1
            return
        while True:
            key = self.string().value
            if self.skip_space() != ":":
                self.fail("invalid JSON: expecting ':'")
            self.pos += 1
            yield key
            self._next("}")
            if self.text[self.pos - 1] == "}":
                return

    def items(self, what: str) -> Iterator[None]:
        """An array's items; the caller reads each one."""
        self._open("[", what, "a list")
        if self.skip_space() == "]":
            self.pos += 1
            return
        while True:
            yield None
            self._next("]")
            if self.text[self.pos - 1] == "]":
                return

    def _open(self, bracket: str, what: str, kind: str) -> None:
        found = self.skip_space()
        if not found:
            self.fail("invalid JSON: the file ends too early")
        if found != bracket:
            self.fail(f"{what} is not {kind}")
        self.pos += 1

    def _next(self, closing: str) -> None:
        separator = self.skip_space()
        if separator not in (",", closing):
            self.fail(f"invalid JSON: expecting ',' or '{closing}'")
        self.pos += 1

    def cells(self) -> list[RawCell]:
        found: list[RawCell] = []
        for _ in self.items("cells"):
            found.append(self.cell(len(found) + 1))
        return found

    def worksheet(self) -> list[RawCell]:
        found: list[RawCell] = []
        for key in self.members("a worksheet"):
            if key == "cells":
                found = self.cells()
            else:
                self.value()
        return found

    def cell(self, number: int) -> RawCell:
        self.skip_space()
        at = self.pos
        kind: object = None
        texts: dict[str, tuple[Piece, ...] | None] = {}
        for key in self.members(f"cell {number}"):
            if key == "cell_type":
                kind = self.value()
            elif key in ("source", "input"):
                texts[key] = self.source(number)
            else:
                self.value()
        return RawCell(kind, texts.get("source"), texts.get("input"), at)

    def source(self, number: int) -> tuple[Piece, ...] | None:
        """A string or a list of strings; None (read past) for anything else. A list is decoded
        in one call, and its strings found again by a regular expression (it holds nothing but
        strings, commas and whitespace): C speed for a cell of thousands of lines."""
        if self.skip_space() == '"':
            return (self.string(),)
        start = self.pos
        value = self.value()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return None
        tokens = _STRING.finditer(self.text, start, self.pos)
        return tuple(Piece(item, token.start(1), token.end(1)) for item, token in zip(value, tokens))


def raw_offsets(raw: str) -> list[int]:
    """For the characters between a JSON string's quotes: where each decoded character starts in
    them, and their length last. An escape is one character (`\\n`, `\\"`, `\\u00e9`), and so is
    a surrogate pair of escapes, which `scanstring` joins into one character too."""
    offsets = []
    i, n = 0, len(raw)
    while i < n:
        offsets.append(i)
        if raw[i] != "\\":
            i += 1
        elif raw[i + 1] != "u":
            i += 2
        elif 0xD800 <= int(raw[i + 2 : i + 6], 16) <= 0xDBFF and raw.startswith("\\u", i + 6) and _low(raw[i + 8 : i + 12]):
            i += 12
        else:
            i += 6
    offsets.append(n)
    return offsets


def _low(digits: str) -> bool:
    try:
        return 0xDC00 <= int(digits, 16) <= 0xDFFF
    except ValueError:
        return False


def writes_ascii(document: str) -> bool:
    """Whether the file was written with `ensure_ascii`: no non-ASCII character, but escapes of some."""
    return document.isascii() and any(len(m.group(1)) % 2 for m in _ESCAPED_NON_ASCII.finditer(document))


def escape(text: str, *, ascii_only: bool) -> str:
    """`text` as it is written between a JSON string's quotes."""
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


def replace_spans(document: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """The document with each (start, end, new text) applied; the spans must not overlap."""
    parts, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            raise NotebookError("overlapping edits to a cell's source; not written")
        parts += [document[last:start], new]
        last = end
    parts.append(document[last:])
    return "".join(parts)


_PIECE_BREAK = re.compile(rb'([\r\n])"[ \t\r\n]*,[ \t\r\n]*"')
_UNICODE_ESCAPE = re.compile(rb"\\u([0-9a-fA-F]{4})")
_SIMPLE_ESCAPES = ((b'\\"', b'"'), (b"\\/", b"/"), (b"\\n", b"\n"), (b"\\r", b"\r"), (b"\\t", b"\t"), (b"\\f", b"\f"), (b"\\b", b"\b"))


def screening_bytes(data: bytes) -> bytes:
    """What the prefilter reads of a notebook, from its raw bytes without parsing the JSON: the
    string escapes undone, and the break between two strings of a source list removed, so that
    every code cell's text appears in it as the UTF-8 bytes of a .py file would (outputs and
    markdown too, which only makes it a superset). A few passes of `bytes.replace` over the file.

    Undone in one left-to-right reading, as JSON does: an escaped backslash is set aside first,
    so that `\\\\n` stays a backslash and an `n`.
    """
    placeholder = b"\0\0"  # a JSON file holds no NUL byte outside an escape
    text = data.replace(b"\\\\", placeholder)
    for escaped, plain in _SIMPLE_ESCAPES:
        if escaped in text:
            text = text.replace(escaped, plain)
    if b"\\u" in text:
        text = _UNICODE_ESCAPE.sub(_unicode_bytes, text)
    text = _PIECE_BREAK.sub(rb"\1", text)
    return text.replace(placeholder, b"\\")


def _unicode_bytes(match: re.Match[bytes]) -> bytes:
    # A lone surrogate half (one of a pair) becomes its surrogatepass bytes: the prefilter only
    # needs the ASCII and whitespace characters a candidate can hold to come out right.
    return chr(int(match.group(1), 16)).encode("utf-8", "surrogatepass")
