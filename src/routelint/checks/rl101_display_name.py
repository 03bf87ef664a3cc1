"""## What it does
Reports a product or ChatGPT label used where an API model ID belongs: `"GPT Image 2"`,
`"GPT-5.5 Instant"`, `"Realtime 1.5"`, `"Sora 2"`. Labels come from `rules/curated.toml` and match
case-insensitively; a string that is exactly a catalog ID is never a label.

## Why is this bad?
The API only accepts model IDs. A label fails at request time with "model not found", or worse,
the team "fixes" it with the wrong ID: GPT-5.5 Instant is the ChatGPT default route, and its API
route is `chat-latest`, not `gpt-5.5`.

## Example
```python
client.images.generate(model="GPT Image 2", prompt="a lighthouse at dusk")
```

## Use instead
```python
client.images.generate(model="gpt-image-2", prompt="a lighthouse at dusk")
```

## Fix safety
Safe where the label names exactly one model (GPT Image 2 -> `gpt-image-2`, GPT-5.5 Pro ->
`gpt-5.5-pro`, GPT-5.3-Codex -> `gpt-5.3-codex`, Realtime 1.5 -> `gpt-realtime-1.5`, Audio 1.5 ->
`gpt-audio-1.5`). Unsafe where the rewrite changes the route (GPT-5.5 Instant -> `chat-latest`,
GPT-5.5 Thinking -> `gpt-5.5`, ChatGPT Images 2.0 -> `gpt-image-2`). Where the map names another
model for the endpoint the string goes to, the fix takes that one (`on.<surface>` in
`rules/curated.toml`): GPT-5.5 Instant on the Responses API -> `gpt-5.5`, unsafe, since no source
says the Responses API takes `chat-latest`. A literal sent to endpoints that want different
rewrites (a constant used by both Chat Completions and Responses) gets none.

No fix where the fix would only trade this finding for another, or land where nothing checks it:
the target is shut down or shuts down within the horizon (Sora 2, RL201/RL202), the endpoint the
string goes to does not accept it (`"GPT-5.5 Pro"` on Chat Completions, `"GPT Image 2"` on
Responses: RL301) or is not known to (`"GPT-5.3-Codex"` on Chat Completions), or it is off-route
there (`"Audio 1.5"` on Realtime: RL302). The message says which, and names the call that takes
the model (`call responses.create() with it`). None either for strings that cannot be rewritten
exactly (f-strings, implicit concatenation, byte strings).
"""
from __future__ import annotations

from routelint.facts import ModelUse
from routelint.rule import CheckContext, Problem, Suggestion, quoted

CODE = "RL101"
NAME = "display-name-as-model-id"
SEVERITY = "error"
FIX = "sometimes"
SUMMARY = "A ChatGPT or product label is used as an API model ID"
FACT = ModelUse


def check(use: ModelUse, ctx: CheckContext) -> Problem | None:
    label = ctx.catalog.label_for(use.value.strip()) if use.value.isascii() else None
    if label is None:
        return None
    route = label.route(use.surfaces)
    blocker = ctx.fix_blocker(route.target, use.surfaces)
    if blocker is not None:
        message = f"{quoted(use.value)} is a product label for {route.target}, {blocker}; no fix"
        return Problem(CODE, message, use.node, SEVERITY, source=route.source or None, note=label.note)
    message = f"{quoted(use.value)} is a product label, not an API model ID; the model it names is {route.target}"
    if route.target != label.target:
        message = f"{quoted(use.value)} is a product label, not an API model ID; here write {route.target}"
    suggestion = None
    if route.fix != "none" and use.rewritable:
        verb = "Use" if route.fix == "safe" else "Consider (changes the route)"
        suggestion = Suggestion(route.target, route.fix, f'{verb} "{route.target}"')
    elif not use.rewritable:
        message += f"; no automatic fix for {use.why_not_rewritable}"
    return Problem(CODE, message, use.node, SEVERITY, suggestion, source=route.source or None, note=label.note)
