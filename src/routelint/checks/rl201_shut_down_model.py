"""## What it does
Reports a model whose announced shutdown date is today or earlier (as of `--today`), and IDs the
SDK keeps only for compatibility that the API does not accept. Dates come from the official
`openai` SDK's "Deprecated values" notes (`rules/sdk.toml`); the message names the source, and
what to move to: the replacement the source names, or, where it names none, the model map's
start-with answer for the endpoint the string goes to, labelled as advice ("for the Chat
Completions API the model map suggests gpt-5.5"), never as an official replacement. Where the
endpoint is unknown (a constant routelint cannot follow to a call) and the map gives the same
answer for every API that accepts the model, the advice names no API ("the model map suggests
gpt-5.5").

## Why is this bad?
After its shutdown date every request with this model fails. Code paths that run rarely (a
fallback, a nightly job) keep the old ID for months until they break.

## Example
```python
client.chat.completions.create(model="gpt-4", messages=messages)  # shut down 2026-10-23
```

## Use instead
A current model for the same job; `routelint --list-models --surface chat.completions` lists the
catalog's models for a surface with their dates.

## Fix safety
Unsafe, and offered only where the source names exactly one replacement (a replacement can
change behaviour, price and limits). No fix where the source names none or several.
"""
from __future__ import annotations

from routelint.facts import ModelUse
from routelint.rule import CheckContext, Problem, Suggestion, map_advice

CODE = "RL201"
NAME = "shut-down-model"
SEVERITY = "error"
FIX = "sometimes"
SUMMARY = "The model's shutdown date has passed"
FACT = ModelUse


def check(use: ModelUse, ctx: CheckContext) -> Problem | None:
    model = ctx.model(use.value)
    if model is None:
        return None
    if model.status == "unsupported":
        message = f'"{model.id}" is not a model the API accepts: {model.note}'
        return Problem(CODE, message, use.node, SEVERITY, source=model.status_source)
    if not model.is_shut_down(ctx.today):
        return None
    message = f'"{model.id}" was shut down on {model.shutdown}'
    suggestion = None
    if len(model.replacements) == 1:
        replacement = model.replacements[0]
        message += f"; the named replacement is {replacement}"
        successor = ctx.model(replacement)
        if use.rewritable and successor is not None and not successor.is_shut_down(ctx.today):
            suggestion = Suggestion(replacement, "unsafe", f'Replace with "{replacement}"')
    elif model.replacements:
        message += f"; replacements named: {', '.join(model.replacements)}"
    else:
        if model.note:
            message += f": {model.note}"
        advice = map_advice(ctx.catalog, model, ctx.today, use.called_surface)
        if advice is not None:
            message += f"; no replacement is named ({advice.phrase()})"
    return Problem(CODE, message, use.node, SEVERITY, suggestion, source=model.shutdown_source)
