"""The position oracle, over generated programs full of what LibCST renders differently from the
source (lines of only `\\`, form feeds) and of what `str.splitlines` splits but Python does not
(`\\x0b`, `\\x0c`, `\\x1c`..`\\x1e`, `\\x85`, `\\u2028`, inside strings and comments), with
tabs or spaces and LF, CRLF or CR line endings:

- every finding's span is, in the source, exactly the planted literal that produced it, and each
  planted literal in a model context has its finding (and no other literal has one);
- `--fix` changes the flagged literals and nothing else;
- a `# noqa` on a planted line silences that line's finding and no other.

A fast profile runs in the suite; `ROUTELINT_ORACLE_PROGRAMS=10000 pytest tests/test_position_oracle.py`
is the long run.
"""
from __future__ import annotations

import os
import random
import sys
from dataclasses import dataclass, field
from functools import cache

import pytest

from harness import DEFAULT_TODAY
from routelint.catalog import load_catalog
from routelint.engine import Linter
from routelint.lines import line_starts

PROGRAMS = int(os.environ.get("ROUTELINT_ORACLE_PROGRAMS", "300"))
# (statement before the literal, literal, statement after it, fixed literal or None for no finding)
FIRING = (
    ("g(model=", '"gpt-image2"', ")", '"gpt-image-2"'),
    ('cfg = {"model": ', '"GPT Image 2"', "}; g(cfg)", '"gpt-image-2"'),  # read: a value bound again unread is dead
    ("MODEL = ", "'GPT-5.5'", "; g(MODEL)", "'gpt-5.5'"),  # read: a local no statement reads is dead
    ("client.chat.completions.create(model=", '"gpt-realtime-1.5"', ", messages=[])", None),  # RL301
)
QUIET = (
    ("h(prompt=", '"gpt-image2"', ")"),
    ("note = ", '"GPT Image 2 is the product"', ""),
)
ODD = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\t")


@dataclass
class Program:
    ending: str
    unit: str
    parts: list[str] = field(default_factory=list)
    length: int = 0
    planted: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # offset -> (literal, fixed)
    noqa: set[int] = field(default_factory=set)  # planted offsets whose line carries a noqa comment

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def generate(seed: int) -> Program:
    rng = random.Random(seed)
    program = Program(rng.choice(("\n", "\r\n", "\r")), rng.choice(("    ", "\t", "  ")))
    if rng.random() < 0.5:
        program.add("import openai" + program.ending)
    _block(rng, program, 0, 0)
    return program


def _block(rng: random.Random, program: Program, depth: int, lines_at_least: int) -> None:
    indent = program.unit * depth
    end = program.ending
    for number in range(max(lines_at_least, rng.randint(1, 6))):
        kind = rng.random()
        lead = "\x0c" if rng.random() < 0.15 else ""
        # A line of only `\`, which LibCST drops; not after a tab (CPython refuses it), nor first
        # in a block (LibCST refuses it: test_a_block_opened_by_a_backslash_line_is_unreadable).
        if rng.random() < 0.2 and "\t" not in indent and (number or not depth):
            program.add(lead + indent + "\\" + end)
            lead = ""
        if kind < 0.35:
            before, literal, after, fixed = rng.choice(FIRING)
            program.add(lead + indent + before)
            offset = program.length
            program.add(literal + after)
            program.planted[offset] = (literal, fixed)
            if rng.random() < 0.15:
                program.add("  # noqa")
                program.noqa.add(offset)
            program.add(end)
        elif kind < 0.5:
            before, literal, after = rng.choice(QUIET)
            program.add(lead + indent + before + literal + after + end)
        elif kind < 0.65:
            odd = "".join(rng.choice(ODD) for _ in range(rng.randint(1, 3)))
            program.add(lead + indent + f'text = "a{odd}b"  # c{odd}d' + end)
        elif kind < 0.72:  # a comment line, then a statement: a block needs one
            program.add(lead + indent + "# " + rng.choice(ODD) + " comment" + end)
            program.add(indent + "pass" + end)
        elif kind < 0.78:
            program.add(lead + end)  # an empty line, perhaps only a form feed
            program.add(indent + "pass" + end)
        elif depth < 3:
            header = rng.choice(("if True:", "def f():", "class C:", "for _ in x:", "with x:"))
            program.add(lead + indent + header + end)
            _block(rng, program, depth + 1, 1)
        else:
            program.add(lead + indent + "pass" + end)


@cache
def _linter() -> Linter:
    return Linter(load_catalog(), today=DEFAULT_TODAY)


def _offset(starts: list[int], position: tuple[int, int]) -> int:
    return starts[position[0] - 1] + position[1] - 1


def _expected_fix(program: Program, fired: set[int]) -> str:
    text = program.text()
    for offset in sorted(fired, reverse=True):
        literal, fixed = program.planted[offset]
        if fixed is not None:
            text = text[:offset] + fixed + text[offset + len(literal) :]
    return text


@pytest.mark.parametrize("chunk", range(10))
def test_findings_sit_on_their_literals_and_fixes_touch_nothing_else(chunk: int) -> None:
    linter = _linter()
    refused: list[int] = []
    for seed in range(chunk, PROGRAMS, 10):
        program = generate(seed)
        source = program.text()
        try:
            compile(source, "<generated>", "exec")  # the generator writes valid Python
        except SyntaxError:
            if sys.version_info >= (3, 10):
                raise
            continue  # Python 3.9's tokenizer refuses some lines of only a form feed
        starts = line_starts(source)
        result = linter.lint_source(source, "generated.py")
        if any(f.code == "RL001" for f in result.findings):
            # LibCST's tokenizer refuses a few of these valid programs (a form feed opening a
            # body that holds a nested block): unreadable, never a finding in the wrong place.
            assert [f.code for f in result.findings] == ["RL001"], (seed, repr(source))
            assert "LibCST cannot parse this valid Python" in result.findings[0].message
            refused.append(seed)
            continue
        at = {}
        for finding in result.findings:
            start, end = _offset(starts, finding.start), _offset(starts, finding.end)
            assert start in program.planted, (seed, finding, repr(source))
            assert source[start:end] == program.planted[start][0], (seed, finding, repr(source))
            at[start] = finding
        assert set(at) == set(program.planted) - program.noqa, (seed, repr(source))
        fixed = linter.fix_source(source, "generated.py").source
        assert fixed == _expected_fix(program, set(at)), (seed, repr(source))
    # 1,476 of the first 10,000 programs are refused: almost all of them by a form feed opening
    # a body that holds a nested block, which LibCST's tokenizer does not accept.
    assert len(refused) <= len(range(chunk, PROGRAMS, 10)) // 3, refused  # else the oracle checks too little


def test_a_block_opened_by_a_backslash_line_is_unreadable() -> None:
    source = 'if x:\n    \\\n    g(model="gpt-image2")\n'
    findings = _linter().lint_source(source, "refused.py").findings
    assert [f.code for f in findings] == ["RL001"]
    if sys.version_info >= (3, 10):  # valid since Python 3.10; Python 3.9 refuses it itself
        compile(source, "<valid>", "exec")
        assert findings[0].start == (1, 1)
        assert findings[0].message.startswith("LibCST cannot parse this valid Python")
