"""## What it does
Reports a misspelling of a catalog model ID that the API will not accept: wrong case (`"GPT-5.5"`),
missing or different separators (`"gpt5.5"`, `"gpt 5.5"`, `"gpt_image_2"`, `"gpt-image2"`,
`"sora2"`), or an ID invented from a label (`"gpt-5.5-instant"`). A near miss keeps the ID's
letters and digits in order and its first two words intact (`"g-pt-5.5"` is not one), and starts
with its first word, after whitespace at most (`"-o 1"` and `"_gpt5"` are a flag and a name, not
misspellings of `o1` and `gpt-5`). Strings that are neither a catalog ID nor one of these near
misses (other providers' models, IDs the catalog does not know yet, deployment names) are never
reported. Like every model rule, it reads strings as written: one whose first two words are
spelled with escape sequences (`"GPT\x2d5.5"`) is not judged.

## Why is this bad?
Model IDs are exact strings: the API answers "model not found" for every near miss, usually in
production, because tests mock the client.

## Example
```python
client.chat.completions.create(model="GPT-5.5", messages=messages)
```

## Use instead
```python
client.chat.completions.create(model="gpt-5.5", messages=messages)
```

## Fix safety
Safe when only case and separators differ from the canonical ID. Unsafe otherwise (an ID
derived from a label can mean another route: `"gpt-5.5-instant"` -> `chat-latest`). No fix for
strings that cannot be rewritten exactly, and none when the fix would only trade this finding
for another: the canonical ID is one the API does not accept (`"GPT5.1MINI"` -> `gpt-5.1-mini`,
which the SDK keeps only for compatibility, RL201), is shut down or shuts down within the
horizon (`"sora2"` -> `sora-2`, RL201), the endpoint the string goes to does not accept it (`"gpt-5.5-Pro"` on Chat
Completions, RL301) or is not known to, or it is off-route there (RL302); the message says which
and names the call that takes the model. Files that construct an `AzureOpenAI` client are not
checked: there `model=` names a deployment, which may be spelled any way.
"""
from __future__ import annotations

from routelint.catalog_data import spelling_key
from routelint.facts import ModelUse
from routelint.rule import CheckContext, Problem, Suggestion, quoted

CODE = "RL102"
NAME = "non-canonical-model-id"
SEVERITY = "error"
FIX = "sometimes"
SUMMARY = "A misspelled model ID that the API will not accept"
FACT = ModelUse


def check(use: ModelUse, ctx: CheckContext) -> Problem | None:
    value = use.value.strip()
    if value in ctx.catalog.models or not value.isascii() or ctx.catalog.label_for(value):
        return None
    target = ctx.catalog.near_miss(value)
    if target is None:
        return None
    same_id = spelling_key(target) == spelling_key(value)
    blocker = ctx.fix_blocker(target, use.surfaces)
    if blocker is not None:
        message = f"{quoted(use.value)} is a misspelling of {target}, {blocker}; no fix"
        return Problem(CODE, message, use.node, SEVERITY)
    message = f'{quoted(use.value)} is not a model ID the API accepts; the catalog ID is "{target}"'
    if not same_id:
        message += " (a different route: check it is the model you mean)"
    suggestion = None
    if use.rewritable:
        applicability = "safe" if same_id else "unsafe"
        suggestion = Suggestion(target, applicability, f'Use "{target}"')
    else:
        message += f"; no automatic fix for {use.why_not_rewritable}"
    return Problem(CODE, message, use.node, SEVERITY, suggestion)
