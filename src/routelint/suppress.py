"""Suppression comments: `# routelint: ignore[RL101]`, `# noqa: RL101`, `# routelint: skip-file`;
and which of them silence nothing (RL100)."""
from __future__ import annotations

import re
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from routelint.lines import line_starts, split_lines, split_lines_keepends

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
    tokens = _comment_tokens(source)
    if tokens is None:
        # The file parsed with LibCST but not with this Python's tokenizer: fall back to a
        # line scan, which may also see a '#' inside a string (it can only suppress more).
        return [(n, line[line.index("#"):]) for n, line in enumerate(split_lines(source), 1) if "#" in line]
    return [(line, text) for line, _, text in tokens]


# A line that may hold a directive naming a routelint code, in a lower-cased text: the screen
# for RL100, a superset of what `unused_directives` judges.
_RULE_DIRECTIVE = re.compile(r"(?:noqa|routelint)[^\r\n]*rl")
_RULE_DIRECTIVE_BYTES = re.compile(_RULE_DIRECTIVE.pattern.encode())


def may_name_rules(data: bytes) -> bool:
    """Whether a file's bytes may hold a directive with a routelint code. Lower-casing first and
    looking for plain words is ~15x faster than a case-insensitive pattern (it runs on every file)."""
    folded = data.lower()
    if b"noqa" not in folded and b"routelint" not in folded:
        return False
    return _RULE_DIRECTIVE_BYTES.search(folded) is not None


@dataclass(frozen=True)
class Unused:
    """A directive that names routelint codes it does not need (RL100): where it is, which codes,
    and the text that should replace it (None: no edit is safe)."""

    start: int  # offsets into the source, the directive as written
    end: int
    codes: tuple[str, ...]
    unknown: tuple[str, ...]  # codes no routelint rule has
    edit: tuple[int, int, str] | None  # (start, end, new text); None: no edit is safe


def unused_directives(
    source: str,
    found: Mapping[int, Iterable[str]],
    rules: Iterable[str],
    enabled: Iterable[str],
    unjudged_lines: Iterable[int] = (),
) -> list[Unused]:
    """The `# noqa: RL...` / `# routelint: ignore[RL...]` directives that silence nothing here.
    `found`: line -> codes of the findings that start there (before suppression). A code is
    judged only when every rule it names is enabled for this file (a rule turned off may need it
    elsewhere), never on `unjudged_lines` (a use of another file's name: its findings are made in
    that file) and never RL100 itself; other tools' codes and bare `# noqa` are never judged."""
    folded = source.lower()
    if ("noqa" not in folded and "routelint" not in folded) or not _RULE_DIRECTIVE.search(folded):
        return []
    rules, enabled = tuple(rules), frozenset(enabled)
    skip = set(unjudged_lines)
    starts = line_starts(source)
    unused: list[Unused] = []
    # A file this Python cannot tokenize is not judged: a line scan may see a '#' in a string.
    for line, column, comment in _comment_tokens(source) or ():
        if line in skip:
            continue
        codes_here = tuple(found.get(line, ()))
        for match in _IGNORE.finditer(comment):
            written = match.group("codes")
            if written is None:
                continue
            codes = [m.group().upper() for m in _CODE.finditer(written)]
            unknown, spare = [], []
            for code in codes:
                named = [r for r in rules if r.startswith(code)]
                if not code.startswith("RL") or code == "RL100":
                    continue
                if not named:
                    unknown.append(code)
                elif all(r in enabled for r in named) and not any(c.startswith(code) for c in codes_here):
                    spare.append(code)
            if not (unknown or spare):
                continue
            drop = {*unknown, *spare}
            base = starts[line - 1] + column
            start, end = base + match.start(), base + match.end()
            replacement = _without(comment, match, drop)
            edit = None if replacement is None else (start, end, replacement)
            after = comment[match.end() :]
            if replacement == "" and after.strip():  # another comment follows it in the same comment token
                edit = (start, end + len(after) - len(after.lstrip()), "")
            elif replacement == "":  # the directive goes, with the blanks before it (or its whole line)
                line_start, line_end = starts[line - 1], starts[line] if line < len(starts) else len(source)
                before = source[line_start:start]
                edit = (line_start, line_end, "") if not before.strip() else (line_start + len(before.rstrip()), end, "")
            unused.append(Unused(start, end, tuple(dict.fromkeys(c for c in codes if c in drop)), tuple(unknown), edit))
    return unused


def _without(comment: str, match: re.Match[str], drop: set[str]) -> str | None:
    """The directive with the `drop` codes taken out; '' when none is left and the directive can
    go (alone, or before another comment: `# noqa: RL101  # why`); None when it cannot go cleanly
    (words follow it in the same comment: `# noqa: RL101 legacy`)."""
    written = match.group("codes")
    kept = [c for c in _CODE.findall(written) if c.upper() not in drop]
    if kept:
        head = match.group()[: match.start("codes") - match.start()]
        if written.lstrip().startswith("["):
            return f"{head}{written[: written.index('[') + 1]}{', '.join(kept)}]"
        return f"{head}{written[: written.index(':') + 1]} {', '.join(kept)}"
    rest = comment[match.end() :].strip()
    return "" if not rest or rest.startswith("#") else None


def _comment_tokens(source: str) -> list[tuple[int, int, str]] | None:
    """(line, column, text) of each comment, from the tokenizer; None when it cannot read the file."""
    lines = iter(split_lines_keepends(source))
    try:
        return [
            (token.start[0], token.start[1], token.string)
            for token in tokenize.generate_tokens(lambda: next(lines, ""))
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        return None
