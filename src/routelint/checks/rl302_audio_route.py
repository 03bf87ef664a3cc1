"""## What it does
Warns about a model the endpoint accepts but the model map routes elsewhere: a `gpt-audio-*`
model in a Realtime session, where live voice wants `gpt-realtime-1.5`. The route advice comes
from `off-route` entries in `rules/curated.toml`, each with its source.

## Why is this bad?
Realtime sessions and request/response audio jobs are different interfaces. An audio model in a
live session works, but loses what the realtime model is built for (low latency, interruption).

## Example
```python
await client.realtime.connect(model="gpt-audio-1.5")
```

## Use instead
```python
await client.realtime.connect(model="gpt-realtime-1.5")
```
or keep `gpt-audio-1.5` for Chat Completions audio jobs.

## Fix safety
No fix: which interface fits is a product decision.
"""
from __future__ import annotations

from routelint.facts import ModelUse
from routelint.rule import CheckContext, Problem, call_phrase

CODE = "RL302"
NAME = "audio-route-mismatch"
SEVERITY = "warning"
FIX = "never"
SUMMARY = "The endpoint accepts the model, but the map routes this job elsewhere"
FACT = ModelUse


def check(use: ModelUse, ctx: CheckContext) -> Problem | None:
    model = ctx.model(use.value)
    if model is None or use.surface is None or use.surface not in model.off_route:
        return None
    advice = model.off_route[use.surface]
    where = call_phrase(use.call) or f"the {ctx.surface_title(use.surface)}"
    message = f'"{model.id}" on the {ctx.surface_title(use.surface)} ({where}) is off-route: prefer {advice.prefer}'
    return Problem(CODE, message, use.node, SEVERITY, call_node=use.call_node, source=advice.source, note=advice.reason)
