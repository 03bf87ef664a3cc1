"""Git's ignore patterns (.gitignore, `exclude`, `include`): compiled once, matched against
absolute paths by the folder they were read in. Pure: reading the files is discovery.py's."""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pattern:
    """One .gitignore-style pattern, relative to the folder it was read in."""

    base: Path
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool

    def matches(self, path: Path | str, is_dir: bool) -> bool:
        """`path`: absolute, as a Path or its text (the walk passes text: pathlib's relative_to
        was most of the time a tree with .gitignore files took to list)."""
        if self.directory_only and not is_dir:
            return False
        relative = self.relative(path if isinstance(path, str) else str(path))
        return relative is not None and bool(self.regex.fullmatch(relative))

    def relative(self, text: str) -> str | None:
        """`text` (absolute) relative to the pattern's folder, with slashes; None outside it."""
        prefix = self._prefix
        if text.startswith(prefix):
            relative = text[len(prefix) :]
        elif text == prefix[:-1]:
            relative = "."
        else:
            return None
        return relative if os.sep == "/" else relative.replace(os.sep, "/")

    @functools.cached_property
    def _prefix(self) -> str:
        return os.path.join(str(self.base), "")


def compile_pattern(text: str, base: Path) -> Pattern | None:
    """Git's wildmatch rules: a pattern with a slash (not at the end) is anchored to its folder."""
    line = text.rstrip("\n").rstrip("\r")
    if not line.strip() or line.startswith("#"):
        return None
    line = re.sub(r"(?<!\\)\s+$", "", line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    if line.startswith("\\"):
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.rstrip("/")
    anchored = "/" in line
    line = line.lstrip("/")
    regex = _glob_to_regex(line)
    if not anchored:
        regex = f"(?:.*/)?{regex}"
    # A pattern that names a folder also covers everything inside it.
    return Pattern(base, re.compile(f"{regex}(?:/.*)?", re.DOTALL), negated, directory_only)


def _glob_to_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[":
            end = glob.find("]", i + 2)
            if end == -1:
                out.append(re.escape("["))
                i += 1
            else:
                out.append(_bracket_to_regex(glob[i + 1 : end]))
                i = end + 1
        elif glob[i] == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def _bracket_to_regex(body: str) -> str:
    """A bracket expression as a regex class that always compiles, whatever the pattern says.

    Every character is literal except `!`/`^` first (negation) and `a-z` ranges; a reversed
    range matches nothing, as in git. Like `*` and `?`, a bracket never matches a slash.
    """
    negated = body[:1] in ("!", "^")
    chars = body[1:] if negated else body
    parts, i = [], 0
    while i < len(chars):
        if chars[i] == "\\" and i + 1 < len(chars):
            i += 1
        if i + 2 < len(chars) and chars[i + 1] == "-":
            if chars[i] <= chars[i + 2]:
                parts.append(f"{re.escape(chars[i])}-{re.escape(chars[i + 2])}")
            i += 3
        else:
            parts.append(re.escape(chars[i]))
            i += 1
    if negated:
        return "[^/" + "".join(parts) + "]"
    return "[" + "".join(parts) + "]" if parts else "(?!)"


def is_ignored(path: Path | str, is_dir: bool, patterns: Sequence[Pattern]) -> bool:
    """The last matching pattern decides, as in .gitignore."""
    ignored = False
    for pattern in patterns:
        if pattern.matches(path, is_dir):
            ignored = not pattern.negated
    return ignored


class Ignores:
    """`is_ignored` for one list of patterns asked about many paths (a folder's entries): with no
    negated pattern, any match decides, so the patterns of one folder become one regex (a tree
    with a .gitignore of ten lines tested every file against each of them)."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = tuple(patterns)
        self.groups: list[tuple[Pattern, bool, re.Pattern[str]]] | None = None
        if not any(p.negated for p in self.patterns):
            grouped: dict[tuple[Path, bool], list[Pattern]] = {}
            for pattern in self.patterns:
                grouped.setdefault((pattern.base, pattern.directory_only), []).append(pattern)
            self.groups = [
                (members[0], directory_only, re.compile("|".join(f"(?:{p.regex.pattern})" for p in members), re.DOTALL))
                for (_base, directory_only), members in grouped.items()
            ]

    def __call__(self, text: str, is_dir: bool) -> bool:
        if self.groups is None:
            return is_ignored(text, is_dir, self.patterns)
        for first, directory_only, regex in self.groups:
            if directory_only and not is_dir:
                continue
            relative = first.relative(text)
            if relative is not None and regex.fullmatch(relative):
                return True
        return False
