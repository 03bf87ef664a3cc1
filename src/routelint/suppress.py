"""Suppression comments: `# routelint: ignore[RL101]`, `# noqa: RL101`, `# routelint: skip-file`."""
from __future__ import annotations

import re
import tokenize

from routelint.lines import split_lines, split_lines_keepends

_IGNORE = re.compile(
    r"#\s*(?:routelint\s*:\s*ignore|noqa)(?P<codes>\s*(?:\[[^\]]*\]|:\s*[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_SKIP_FILE = re.compile(r"#\s*routelint\s*:\s*skip-file\b", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]*")


def suppressed_lines(source: str, lines: set[int] | None = None) -> dict[int, frozenset[str] | None]:
    """{line: codes} from comments only (never from strings); None means every code.

    With `lines` (the lines that have findings), the file is tokenized only when one of them
    mentions a suppression at all, which in most files none does."""
    if lines is not None:
        text_lines = split_lines(source)

        if not any(_IGNORE.search(text_lines[n - 1]) for n in lines if 0 < n <= len(text_lines)):
            return {}
    quiet: dict[int, frozenset[str] | None] = {}
    for line, comment in _comments(source):
        for match in _IGNORE.finditer(comment):
            codes = match.group("codes")
            if codes is None:
                quiet[line] = None
            elif quiet.get(line, frozenset()) is not None:
                found = frozenset(c.upper() for c in _CODE.findall(codes))
                quiet[line] = quiet.get(line, frozenset()) | found  # type: ignore[operator]
    return quiet


def file_is_skipped(source: str) -> bool:
    """`# routelint: skip-file` counts only in the file's first comment block."""
    if "skip-file" not in source:
        return False
    for raw in split_lines(source.lstrip("\ufeff")):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            return False
        if _SKIP_FILE.search(line):
            return True
    return False


def _comments(source: str) -> list[tuple[int, str]]:
    lines = iter(split_lines_keepends(source))  # StringIO.readline would not end a line at a lone CR
    try:
        return [
            (token.start[0], token.string)
            for token in tokenize.generate_tokens(lambda: next(lines, ""))
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        # The file parsed with LibCST but not with this Python's tokenizer: fall back to a
        # line scan, which may also see a '#' inside a string (it can only suppress more).
        return [(n, line[line.index("#"):]) for n, line in enumerate(split_lines(source), 1) if "#" in line]
