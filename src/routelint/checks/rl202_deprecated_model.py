"""## What it does
Warns about a model with an announced shutdown date that is still ahead, at most
`deprecation-horizon-days` away (default 365). The message gives the date, the days left, the
source of the date, and the replacement the source names or, where it names none, the model
map's start-with advice for the endpoint (labelled as advice).

## Why is this bad?
A shutdown date is a deadline for a migration that needs testing (output changes, prices,
limits). Seeing it in CI months ahead is cheaper than an outage on the day.

## Example
```python
client.responses.create(model="gpt-5", input="...")  # shutdown 2026-12-11
```

## Use instead
Plan the move to a current model before the date; `routelint --list-models --status deprecated`
lists every announced date.

## Fix safety
No fix: choosing the successor is a product decision.
"""
from __future__ import annotations

from routelint.facts import ModelUse
from routelint.rule import CheckContext, Problem, map_advice

CODE = "RL202"
NAME = "deprecated-model"
SEVERITY = "warning"
FIX = "never"
SUMMARY = "The model has an announced shutdown date ahead"
FACT = ModelUse


def check(use: ModelUse, ctx: CheckContext) -> Problem | None:
    model = ctx.model(use.value)
    if model is None or model.shutdown is None or model.status == "unsupported":
        return None
    days = model.days_left(ctx.today)
    if days is None or days <= 0 or days > ctx.horizon_days:
        return None
    message = f'"{model.id}" shuts down on {model.shutdown} ({days} day{"s" if days != 1 else ""} left)'
    if model.replacements:
        message += f"; replacement named: {', '.join(model.replacements)}"
    else:
        advice = map_advice(ctx.catalog, model, ctx.today, use.called_surface)
        if advice is not None:
            message += f"; no replacement is named ({advice.phrase()})"
    return Problem(CODE, message, use.node, SEVERITY, source=model.shutdown_source)
