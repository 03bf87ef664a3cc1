"""## What it does
Reports every call into an API surface that has an announced shutdown date, whatever the model:
each `client.videos.*` call (the Sora 2 Videos API shut down on 2026-09-24) and
`client.audio.translations.create` (shutdown 2027-02-26). An error once the date has passed, a
warning before it (within `deprecation-horizon-days`). Only files that import `openai` are checked,
so a `videos.list()` of another library is not mistaken for the SDK.

## Why is this bad?
When a whole API shuts down, no model choice saves the call: the code needs another route (for
Sora, the app; for translations, `/v1/realtime/translations`).

## Example
```python
job = client.videos.create(model="sora-2", prompt="a paper boat in the rain")
```

## Use instead
Remove the dependency or move to the route the shutdown notice names.

## Fix safety
No fix.
"""
from __future__ import annotations

from routelint.facts import ApiCall
from routelint.rule import CheckContext, Problem, source_phrase

CODE = "RL203"
NAME = "shut-down-api"
SEVERITY = "error"  # a warning while the date is still ahead
FIX = "never"
SUMMARY = "A call into an API surface with a shutdown date"
FACT = ApiCall


def check(call: ApiCall, ctx: CheckContext) -> Problem | None:
    surface = ctx.catalog.surfaces.get(call.surface)
    if surface is None or surface.shutdown is None:
        return None
    days = (surface.shutdown - ctx.today).days
    if days > ctx.horizon_days:
        return None
    note = f": {surface.note}" if surface.note else ""
    source = source_phrase(surface.shutdown_source)
    if days <= 0:
        message = f"{call.path}() calls the {surface.title}, which shut down on {surface.shutdown}{source}{note}"
        return Problem(CODE, message, call.node, "error")
    message = (
        f"{call.path}() calls the {surface.title}, which shuts down on {surface.shutdown} "
        f"({days} day{'s' if days != 1 else ''} left){source}{note}"
    )
    return Problem(CODE, message, call.node, "warning")
