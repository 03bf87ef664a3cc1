"""## What it does
Reports a `# noqa: RL...` or `# routelint: ignore[RL...]` code that silences nothing on its line:
the finding it was written for is gone (the string was fixed, the call moved, the rule no longer
fires), or the code names no routelint rule (`RL999`). Only routelint codes are judged: other
tools' codes (`E501`, `BLE001`) and a bare `# noqa` are left alone, and so is a code whose rules
are not all enabled for the file (`--ignore`, `per-file-ignores`: a run with other settings may
need it).

A `# noqa` on the line where a file uses a name imported from another file (`model=VOICE_MODEL`)
is not judged: the finding it silences is made in the file that holds the name. A file the
tokenizer of the running Python cannot read is not judged either.

## Why is this bad?
A stale suppression hides the next real finding on that line, and a misspelt code silences
nothing while looking as if it did. Ruff users know this rule as RUF100; use it after
`--add-noqa` to see which of the added codes are no longer needed.

## Example
```python
client.chat.completions.create(model="gpt-5.5", messages=[])  # noqa: RL101
```

## Use instead
```python
client.chat.completions.create(model="gpt-5.5", messages=[])
```

## Fix safety
Safe: the unused codes are taken out of the directive, and a directive left with no code is
removed with the blanks before it (its line, when the line holds nothing else). When text follows
the directive in the same comment (`# noqa: RL101 -- legacy`), there is no fix.
"""
from __future__ import annotations

CODE = "RL100"
NAME = "unused-suppression"
SEVERITY = "warning"
FIX = "sometimes"
SUMMARY = "A suppression comment silences nothing"
FACT = None  # produced by the engine's suppress stage, which alone sees the directives


def check(fact: object, ctx: object) -> None:
    return None
