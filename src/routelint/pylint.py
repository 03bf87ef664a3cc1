"""The pylint plugin: `pylint --load-plugins=routelint.pylint` reports routelint's findings as
pylint messages (`--load-plugins=routelint` loads this module too, see routelint/__init__.py).

One checker, `routelint`, with one message per routelint rule: `E9111` / `routelint-rl101` for
RL101, and so on (the checker's id is 91; the message's last two digits are the rule's hundreds
and units: RL001 -> 01, RL100 -> 10, RL302 -> 32). Errors are `E` messages, warnings `W`. The
message text starts with the rule's code, as routelint prints it.

Each file goes through `hosted.file_findings`, the driver of the flake8 plugin: the file is
checked with its nearest routelint config, it sees the rest of its project, and routelint's
`# noqa` / `# routelint: ignore` apply. Findings are added by line, so pylint's own
`# pylint: disable=routelint-rl101` (and `--disable`, `--enable`) apply on top. Needs the
`pylint` extra (`pip install 'routelint[pylint]'`).
"""
from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from pylint.checkers import BaseRawFileChecker

from routelint.checks import ALL_CHECKS

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

CHECKER_ID = "91"  # pylint keeps 51-99 for plugins; its own extensions use 55, 56, 60-63 and 90
_LETTERS = {"error": "E", "warning": "W"}


def message_id(check: ModuleType) -> str:
    """The pylint message id of a routelint rule: `E9111` for RL101 (an error)."""
    code: str = check.CODE
    digits = code[2:]
    if len(digits) != 3 or not digits.isdigit() or digits[1] != "0":
        raise ValueError(f"{code}: no pylint message id for it (routelint/pylint.py numbers RL<n>0<m> only)")
    return f"{_LETTERS[check.SEVERITY]}{CHECKER_ID}{digits[0]}{digits[2]}"


def symbol(check: ModuleType) -> str:
    """The pylint symbol of a routelint rule: `routelint-rl101`."""
    return f"routelint-{check.CODE.lower()}"


def _description(check: ModuleType) -> str:
    """What `pylint --help-msg` shows: the rule's "What it does", and where its page is."""
    from routelint.rule import rule_url

    doc: str = check.__doc__ or ""
    what = doc.split("## What it does", 1)[-1].split("\n## ", 1)[0]
    return f"{check.NAME}: {' '.join(what.split())} {rule_url(check.CODE, check.NAME)}"


_MESSAGES = {message_id(check): ("%s", symbol(check), _description(check)) for check in ALL_CHECKS}
_BY_CODE = {check.CODE: symbol(check) for check in ALL_CHECKS}


class RoutelintChecker(BaseRawFileChecker):
    """routelint's rules on each module pylint checks, read from the file itself."""

    name = "routelint"
    msgs = _MESSAGES

    def process_module(self, node: nodes.Module) -> None:
        from routelint.hosted import file_findings

        if not node.file:
            return
        text = None  # routelint reads the file's own bytes (its encoding, its notebook JSON)
        if getattr(self.linter.config, "from_stdin", False):
            with node.stream() as stream:  # pylint --from-stdin NAME: astroid holds the text as UTF-8
                text = stream.read().decode("utf-8", "surrogateescape")
        for finding in file_findings(node.file, text):
            self.add_message(
                _BY_CODE[finding.code], line=finding.start[0], args=(f"{finding.code} {finding.message}",),
                col_offset=finding.start[1] - 1, end_lineno=finding.end[0], end_col_offset=finding.end[1] - 1,
            )


def register(linter: PyLinter) -> None:
    """pylint's plugin hook. Registering twice (both `routelint` and `routelint.pylint` named in
    `--load-plugins`) is prevented by pylint: it loads each module name once."""
    linter.register_checker(RoutelintChecker(linter))
