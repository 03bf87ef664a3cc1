"""## What it does
Reports every call into an API surface that has an announced shutdown date, or that the SDK
says is retired, whatever the model: each `client.videos.*` call (the Sora 2 Videos API shut
down on 2026-09-24), each `client.evals.*` call (the Evals API shut down on 2026-11-30),
`client.images.create_variation` (retired, no longer available) and
`client.audio.translations.create` (shutdown 2027-02-26). A Batch API job sends its requests to
the path given as `endpoint=`, so `client.batches.create(endpoint="/v1/videos", ...)` and a
batch request line `{"url": "/v1/videos", "body": {...}}` call the Videos API too. An error once
the date has passed (or when the surface is retired), a warning before it (within
`deprecation-horizon-days`). Only files that import `openai` are checked, so a `videos.list()`
of another library is not mistaken for the SDK; raw HTTP requests to an OpenAI URL are checked
wherever they are. A call made on a client for Azure or another host (Groq's OpenAI-compatible
`audio.translations`, a test's mock server at `base_url="http://127.0.0.1:4010"`, a
`local.with_options(timeout=5)` or a `realtime.connect(...)` connection of such a client, a
Batch API job created on one), or in a test that patched the SDK's client, calls that host's API
and is not reported, as a model sent there is not; so, in a file that builds Azure clients, is
a call on a client routelint cannot trace, unless it is made in a class or function named for
OpenAI.

## Why is this bad?
When a whole API shuts down, no model choice saves the call: the code needs another route (for
Sora, the app; for translations, `/v1/realtime/translations`).

## Example
```python
job = client.videos.create(model="sora-2", prompt="a paper boat in the rain")
run = client.evals.runs.create("eval_123", data_source=source)
```

## Use instead
Remove the dependency or move to the route the shutdown notice names (for Sora, the app; for
Evals, the SDK names Promptfoo; for translations, `/v1/realtime/translations`).

## Fix safety
No fix.
"""
from __future__ import annotations

from routelint.facts import ApiCall
from routelint.rule import CheckContext, Problem, dated_problem

CODE = "RL203"
NAME = "shut-down-api"
SEVERITY = "error"  # a warning while the date is still ahead
SEVERITY_WHEN = "once the date has passed; a warning while it is ahead, within deprecation-horizon-days"
FIX = "never"
SUMMARY = "A call into an API surface with a shutdown date"
FACT = ApiCall


def check(call: ApiCall, ctx: CheckContext) -> Problem | None:
    surface = ctx.catalog.surfaces.get(call.surface)
    if surface is None or not surface.ends:
        return None
    subject = call.subject or f"{call.path}()"
    if surface.shutdown is None:  # retired, with no date
        message = f"{subject} calls the {surface.title}, which is retired"
        return Problem(CODE, message, call.node, "error", source=surface.status_source, note=surface.note or None)
    what = f"{subject} calls the {surface.title}, which"
    return dated_problem(CODE, call.node, what, surface.shutdown, ctx, source=surface.shutdown_source, note=surface.note or None)
