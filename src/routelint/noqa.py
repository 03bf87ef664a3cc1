"""`--add-noqa`: silence every current finding where it starts, to adopt routelint on a legacy
codebase and fix the rest later (as `ruff check --add-noqa`).

A directive goes at the end of the line where the finding starts, which is where suppressions are
read (suppress.py); an existing `# noqa: CODES` that ends the line gets the new codes instead of
a second directive. A line that ends inside a string or a backslash continuation cannot hold a
comment: its findings stay, and the caller says so.
"""
from __future__ import annotations

import re
import tokenize
from collections.abc import Iterable, Mapping

from routelint.lines import line_starts, split_lines_keepends

_TRAILING_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)\s*$", re.IGNORECASE)


def add_noqa(source: str, wanted: Mapping[int, Iterable[str]]) -> tuple[str, set[int]]:
    """`source` with `# noqa: CODES` for each line of `wanted` (line -> codes); and the lines that
    could not hold one. Codes already in a line's trailing directive are not repeated."""
    ends = _comment_places(source)
    starts = line_starts(source)
    edits: list[tuple[int, int, str]] = []
    refused: set[int] = set()
    for line, codes in sorted(wanted.items()):
        place = ends.get(line)
        if place is None:
            refused.add(line)
            continue
        column, comment = place
        offset = starts[line - 1] + column
        existing = _TRAILING_NOQA.search(comment) if comment else None
        if existing is not None:
            have = [c.strip().upper() for c in existing.group("codes").split(",")]
            new = [c for c in sorted(set(codes)) if c not in have]
            if new:
                end = offset - (len(comment) - existing.end("codes"))
                edits.append((end, end, ", " + ", ".join(new)))
        else:
            edits.append((offset, offset, "  # noqa: " + ", ".join(sorted(set(codes)))))
    text = source
    for start, end, insert in sorted(edits, reverse=True):
        text = text[:start] + insert + text[end:]
    return text, refused


def _comment_places(source: str) -> dict[int, tuple[int, str]]:
    """For each line a comment may end: the column where its end of line starts (after any
    comment it has), and that comment ('' for none). Read from the tokenizer: a line that ends
    inside a string or a continuation has no NEWLINE / NL token."""
    lines = iter(split_lines_keepends(source))
    places: dict[int, tuple[int, str]] = {}
    comments: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(lambda: next(lines, "")):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
            elif token.type in (tokenize.NEWLINE, tokenize.NL) and token.string:
                places[token.start[0]] = (token.start[1], comments.get(token.start[0], ""))
            elif token.type == tokenize.ENDMARKER:
                row = token.start[0] - 1  # a last line without a line break
                if row >= 1 and row not in places and source and not source.endswith(("\n", "\r")):
                    last = split_lines_keepends(source)[-1]
                    places[row] = (len(last), comments.get(row, ""))
    except (tokenize.TokenError, SyntaxError):
        return {}
    return places
