"""## What it does
Reports a model sent to an endpoint that does not accept it, where the catalog is sure: a
realtime model on Chat Completions or Responses, `gpt-image-2` as the model of a chat or
Responses call, a text model on the Images or Videos API, `sora-2` on Images, a Responses-only
model (`gpt-5.5-pro`) on Chat Completions, a text model inside a Realtime session or the Responses
`image_generation` tool. The surface comes from the SDK call (`client.chat.completions.create`),
from a realtime `session={...}`, or from a nested tool dict: in
`responses.create(model="gpt-5.5", tools=[{"type": "image_generation", "model": "gpt-image-2"}])`
the inner model goes to the image tool, and is right there.

It fires only when the surface is *closed* in `rules/surfaces.toml` (the catalog lists every model
it accepts) and the model is a catalog model that surface does not list, also one no SDK list
names (`chat-latest` on the Images API). Where no source says whether a closed surface takes a
model (`unknown-on` in `rules/curated.toml`: `gpt-5.3-codex` on Chat Completions), it is not
judged there; unknown strings, fine-tuned models and surfaces with open model lists (Assistants,
fine-tuning) are never judged.

## Why is this bad?
The request fails with an error that looks like an access problem ("model not found", "not
supported with this endpoint") and sends people debugging keys and billing instead of the route.

## Example
```python
client.chat.completions.create(model="gpt-realtime-1.5", messages=messages)
```

## Use instead
```python
async with client.realtime.connect(model="gpt-realtime-1.5") as connection:
    ...
```
or keep Chat Completions with a chat model (`gpt-5.5`).

## Fix safety
No fix: the right change is usually a different call, not a different string. The message names
the surfaces that accept the model and the model the map suggests for this surface.
"""
from __future__ import annotations

from routelint.facts import ModelUse
from routelint.rule import CheckContext, Problem, call_phrase

CODE = "RL301"
NAME = "model-endpoint-mismatch"
SEVERITY = "error"
FIX = "never"
SUMMARY = "The endpoint does not accept this model"
FACT = ModelUse


def check(use: ModelUse, ctx: CheckContext) -> Problem | None:
    # A wrapper that picks its surface per request (LangChain, LiteLLM, the Agents SDK) may send
    # the model to any of use.surfaces: it is wrong only if none of them accepts it.
    model = ctx.model(use.value)
    surfaces = ctx.rejecting_surfaces(model, use.surfaces) if model is not None else ()
    if model is None or not surfaces:
        return None
    titles = " or the ".join(s.title for s in surfaces)
    where = call_phrase(use.call)
    if not where:
        where = f"the {titles}"
    elif not any(use.call in s.calls for s in surfaces):  # a wrapper or a URL: say where it goes
        where += f" (the {titles})"
    accepted = ctx.live_titles(model)
    message = f'"{model.id}" is a{"n" if accepted and accepted[0][0] in "AEIOU" else ""} {" or ".join(accepted)} model; {where} does not accept it'
    if not accepted:
        message = f'"{model.id}" is not accepted by {where}'
    start_with = [m for s in surfaces for m in s.start_with]
    if start_with:
        message += f". Here, start with {' or '.join(dict.fromkeys(start_with))}"
    # The fact behind the verdict is the surface's list of models, which this one is not on.
    source = "; ".join(dict.fromkeys(s.closed_source for s in surfaces if s.closed_source)) or None
    return Problem(CODE, message, use.node, SEVERITY, call_node=use.call_node, source=source)
