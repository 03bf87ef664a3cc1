"""## What it does
Reports a file routelint could not check: it cannot be read, is not valid in its declared
encoding (UTF-8 unless a BOM or a PEP 263 coding cookie says otherwise), contains a NUL byte, or
does not parse (also when it is nested too deeply to parse). One line per file; the run goes on
with the other files and exits 1.

Syntax errors are reported for files that contain something routelint looks for: files without
a candidate string are never parsed (that is what keeps routelint fast), so use a compiler or
`ruff` for syntax checking in general.

## Why is this bad?
A file routelint cannot read is a file it cannot vouch for; saying nothing would pass it as clean.

## Example
```python
model = "gpt-5.5"   # in a file saved as UTF-16, or with a syntax error further down
```

## Use instead
Save the file as UTF-8 (or declare its encoding) and fix the syntax error.

## Fix safety
No fix.
"""
from __future__ import annotations

CODE = "RL001"
NAME = "unreadable-file"
SEVERITY = "error"
FIX = "never"
SUMMARY = "The file cannot be read, decoded or parsed"
FACT = None  # produced by the engine itself, not by a check over facts


def check(fact: object, ctx: object) -> None:
    return None
