"""urls.py: what a URL's text says of its host."""
import pytest

from routelint.urls import lead_on_other_host

HOSTS = ("api.openai.com", "eu.api.openai.com", "us.api.openai.com")


@pytest.mark.parametrize(
    ("lead", "other"),
    [
        ("https://api.vapi.ai", True),  # the host ends where no OpenAI host could go on
        ("https://api.vapi.ai/v1", True),
        ("http://localhost:4000", True),
        ("https://api.openai.com", False),
        ("https://api.openai.com/v1", False),
        ("https://api.openai", False),  # `f"{BASE}{rest}"` may still name api.openai.com
        ("https://eu.api", False),
        ("https://", False),  # no host yet
        ("/v1/chat/completions", False),  # a path, not a URL
        ("https://user@api.openai.com", False),  # user information, then the host (found by review)
        ("https://user:pw@api.vapi.ai/", True),
        ("https://api.openai.com.", False),  # the same host, written with its root dot
    ],
)
def test_a_url_lead_names_another_host_only_when_nothing_after_it_can_make_it_openai(lead: str, other: bool) -> None:
    assert lead_on_other_host(lead, HOSTS) is other
