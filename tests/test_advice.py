"""RL201 / RL202 say what to move to: the named replacement when a source names one, else the
model map's start-with answer for where the string goes, labelled as advice."""
from __future__ import annotations

import json

from harness import DEFAULT_TODAY
from routelint.catalog import load_catalog
from routelint.engine import Linter
from routelint.listing import list_models

CATALOG = load_catalog()


def messages(source: str) -> list[str]:
    return [f.message for f in Linter(CATALOG, today=DEFAULT_TODAY).lint_source(source, "a.py").findings]


def test_a_shut_down_model_without_a_named_replacement_gets_the_maps_advice_for_its_endpoint() -> None:
    source = 'import openai\nc = openai.OpenAI()\nc.chat.completions.create(model="gpt-4o-audio-preview-2024-10-01", messages=[])\n'
    [message] = messages(source)
    assert message.startswith('"gpt-4o-audio-preview-2024-10-01" was shut down on 2025-10-10')
    assert message.endswith("; no replacement is named (for the Chat Completions API the model map suggests gpt-audio-1.5)")


def test_a_deprecated_model_on_responses_gets_the_responses_advice() -> None:
    source = 'import openai\nopenai.OpenAI().responses.create(model="gpt-4o-mini", input="hi")\n'
    [message] = messages(source)
    assert "(for the Responses API the model map suggests gpt-5.5)" in message


def test_a_string_whose_endpoint_is_unknown_gets_advice_that_names_no_endpoint() -> None:
    """A constant that goes nowhere routelint can see: naming the Chat Completions API would say it
    goes there (a reader of vanna's Responses client took it so). Every API the map answers for
    suggests gpt-5.5 for gpt-4o-mini, so the advice names none."""
    [message] = messages('CHAT_MODEL = "gpt-4o-mini"\n')
    assert message.endswith("; no replacement is named (the model map suggests gpt-5.5)")


def test_a_provider_prefix_alone_names_no_api_in_advice() -> None:
    """borgllm's `BorgOpenAI().chat.completions.create(model="openai:gpt-4o")`: the "openai:"
    prefix guesses the Responses API (pydantic-ai's meaning), but the call is Chat Completions on
    a client routelint does not know; the advice must not name an API the string may not reach.
    A wrapper that takes the prefix (pydantic-ai's Agent) still names its API."""
    [message] = messages('from borgllm import BorgOpenAI\nBorgOpenAI().chat.completions.create(model="openai:gpt-4o", messages=[])\n')
    assert message.endswith("; no replacement is named (the model map suggests gpt-5.5)")
    [message] = messages('from pydantic_ai import Agent\nAgent("openai:gpt-4o")\n')
    assert "(for the Responses API the model map suggests gpt-5.5)" in message


def test_a_string_whose_endpoint_is_unknown_and_whose_apis_disagree_names_the_api() -> None:
    """gpt-4o-audio-preview's APIs get different answers: the advice says which API it is for."""
    [message] = messages('AUDIO_MODEL = "gpt-4o-audio-preview-2024-10-01"\n')
    assert "(for the Chat Completions API the model map suggests gpt-audio-1.5)" in message


def test_a_named_replacement_is_never_replaced_by_advice() -> None:
    named = [m for m in CATALOG.models.values() if m.replacements and m.shutdown and m.status != "unsupported"]
    assert named, "the catalog names no replacement for any model with a shutdown date"
    for model in named:
        [message] = messages(f'MODEL = "{model.id}"\n')
        assert model.replacements[0] in message and "model map suggests" not in message, message


def test_list_models_shows_the_advice_in_its_own_field() -> None:
    rows = {row["id"]: row for row in json.loads(list_models(CATALOG, DEFAULT_TODAY, "json"))}
    assert rows["gpt-4o-mini"]["advice"]["model"] == "gpt-5.5"
    assert rows["gpt-5.5"]["advice"] is None  # not going away
    assert "MAP ADVICE" in list_models(CATALOG, DEFAULT_TODAY, "full")
