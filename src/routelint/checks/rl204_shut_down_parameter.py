"""## What it does
Reports a request parameter that the SDK says is deprecated with a shutdown date: the saved-prompt
`prompt=` of `client.responses.create` (and of `responses.parse` / `responses.stream`) and the
`"prompt"` key of a Realtime session config (`session={"prompt": ...}`, or a dict with
`"type": "realtime"`). OpenAI scheduled the shutdown of saved prompts for 2026-11-30. An error
once the date has passed, a warning before it (within `deprecation-horizon-days`). Only files that
import `openai` are checked, and only a parameter written as a keyword or a dict key of such a
call or config is seen (a request built elsewhere and spread with `**` is not followed). A call
made on a client for Azure or another host (`OpenAI(base_url="http://localhost:8000/v1")`) is
that host's business and is not reported.

## Why is this bad?
After the shutdown the API rejects the parameter (or ignores it), so a request that relied on a
saved prompt template loses its instructions without any change in the code.

## Example
```python
response = client.responses.create(model="gpt-5.5", prompt={"id": "pmpt_123", "version": "2"})
```

## Use instead
Keep the prompt in application code, as the SDK's notice says, and send it as `instructions`
or `input`:
```python
response = client.responses.create(model="gpt-5.5", instructions=PROMPT, input=question)
```

## Fix safety
No fix: the prompt's text lives on OpenAI's side, not in the code.
"""
from __future__ import annotations

from routelint.facts import ParamUse
from routelint.rule import CheckContext, Problem, dated_problem

CODE = "RL204"
NAME = "shut-down-parameter"
SEVERITY = "error"  # a warning while the date is still ahead
SEVERITY_WHEN = "once the date has passed; a warning while it is ahead, within deprecation-horizon-days"
FIX = "never"
SUMMARY = "A request parameter with a shutdown date"
FACT = ParamUse


def check(use: ParamUse, ctx: CheckContext) -> Problem | None:
    parameter = ctx.catalog.parameters.get(f"{use.surface}.{use.name}")
    if parameter is None or parameter.shutdown is None:
        return None
    where = f"{use.call}()" if use.call else f"the {ctx.surface_title(use.surface)} config"
    return dated_problem(
        CODE, use.node, f"`{use.name}` of {where}", parameter.shutdown, ctx, source=parameter.shutdown_source, note=parameter.note or None
    )
