"""OpenAI API URLs as plain text: which surface a URL reaches and where its model query sits.

Pure string functions; the extractor decides which strings are URLs of a request.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

_URL = re.compile(r"(?P<scheme>https?|wss?)://(?P<host>[A-Za-z0-9.\-]+)(?::\d+)?(?P<path>/[^?#\s]*)?(?P<rest>[?#]\S*)?")
_MODEL_QUERY = re.compile(r"[?&]model=(?P<value>[^&#]*)")


def url_path(url: str, hosts: Sequence[str]) -> str | None:
    """The path of an absolute URL on one of `hosts` ("/v1/chat/completions"), else None."""
    match = _URL.fullmatch(url.strip())
    if match is None or match["host"].lower() not in hosts:
        return None
    return match["path"] or "/"


def other_host(url: str, hosts: Sequence[str]) -> bool:
    """Whether a text is an absolute URL on a host not among `hosts` (`https://openrouter.ai/api/v1`)."""
    match = _URL.fullmatch(url.strip())
    return match is not None and match["host"].lower() not in hosts


def lead_on_other_host(lead: str, hosts: Sequence[str]) -> bool:
    """Whether a URL whose text begins with `lead` (values unknown here follow it:
    `f"{VAPI_API_BASE}{path}"`) is on a host not among `hosts`: the host is known once the lead
    goes past it, or when no host among them begins with it."""
    match = _URL_HEAD.match(lead.lstrip())
    if match is None:
        return False
    host = match["host"].lower().rstrip(".")  # (`api.openai.com.`: the same host)
    return host not in hosts and (bool(match["after"]) or not any(h.startswith(host) for h in hosts))


# (user information before the host is skipped: `https://user@api.openai.com`, found by review)
_URL_HEAD = re.compile(r"(?:https?|wss?)://(?:[^@/?#\s]*@)?(?P<host>[A-Za-z0-9.\-]+)(?P<after>[:/?#]?)")


def api_base_on_other_host(url: str, hosts: Sequence[str]) -> bool:
    """Whether a text is the base (or an API path) of a server on another host: an http(s) URL
    with no path, or one under a version folder (`http://localhost:4000`, `https://gw.example/api/v1`,
    `http://localhost:8000/v1/chat/completions`); not a page (`https://example.com/post.html`)."""
    match = _URL.fullmatch(url.strip())
    if match is None or match["scheme"] not in ("http", "https") or match["host"].lower() in (*hosts, "0.0.0.0"):
        return False  # (0.0.0.0: an address to serve on, not one to send to)
    path = (match["path"] or "/").rstrip("/")
    return not path or _VERSION_FOLDER.search(path) is not None


_VERSION_FOLDER = re.compile(r"/v\d+(?:beta|alpha)?(?:/|$)")


def base_url_name(name: str, keywords: Collection[str]) -> bool:
    """A name ending in one of the SDK's base-URL keywords (`DEFAULT_BASE_URL`, `OPENROUTER_API_BASE`)."""
    return name.casefold().endswith(tuple(keywords))


def api_url_name(name: str, url: str | None, keywords: Collection[str]) -> bool:
    """A name bound to a server's API URL: a base-URL name whatever the URL, or any name ending in
    `url` when the URL is an API's (an `api.` host, an `/api` or `/vN` path:
    `OPENROUTER_TRANSCRIBE_URL = "https://openrouter.ai/api/v1/audio"`, naas-abi, corp53), not a
    web page (`OPENROUTER_KEYS_URL = "https://openrouter.ai/settings/keys"`, found by review).
    `url` None: not read yet (the outline's, before names are resolved), which may be one."""
    return base_url_name(name, keywords) or (name.casefold().endswith("url") and (url is None or _API_URL.search(url) is not None))


_API_URL = re.compile(r"://api\.|/api(?:/|$)|/v\d+(?:/|$)")


def server_option_name(name: str, base_url_keywords: Collection[str]) -> bool:
    """An option or setting that names the API server requests go to: `url`, `api_url`,
    `llm_url`, a base-URL keyword (`--api-base`, `--ollama-base-url`), `endpoint` or
    `..._endpoint` (not a `fallback_` one). Not a proxy (`--proxy http://127.0.0.1:7890` fronts
    OpenAI itself), nor another service's (`--qdrant-url`, `--langfuse-host`), nor the address a
    script serves on (`--server-url`): found by review."""
    folded = name.casefold()
    return (
        folded in _SERVER_OPTIONS or base_url_name(folded, base_url_keywords) or folded == "endpoint"
        or (folded.endswith("_endpoint") and not folded.startswith("fallback"))
    )


_SERVER_OPTIONS = frozenset({"url", "api_url", "llm_url"})


def on_hosts(url: str, hosts: Sequence[str]) -> bool:
    """Whether a text is an absolute URL on one of `hosts` or a subdomain of one
    (`https://api.aimlapi.com` on `aimlapi.com`)."""
    match = _URL.fullmatch(url.strip())
    host = match["host"].lower() if match is not None else ""
    return bool(host) and any(host == h or host.endswith("." + h) for h in hosts)


def surface_for_path(path: str, paths: Mapping[str, str]) -> str | None:
    """The surface of an API path: the longest catalog path equal to it or a folder above it."""
    path = path.rstrip("/") or "/"
    best: tuple[int, str] | None = None
    for known, surface in paths.items():
        if (path == known or path.startswith(known + "/")) and (best is None or len(known) > best[0]):
            best = (len(known), surface)
    return best[1] if best else None


def model_query(text: str) -> tuple[int, int] | None:
    """(start, end) of the value of a `model=` query parameter in a URL's text, if any."""
    match = _MODEL_QUERY.search(text)
    return match.span("value") if match else None


def split_query(text: str) -> tuple[str, str]:
    """The part of a URL before its query or fragment, and the rest."""
    for index, char in enumerate(text):
        if char in "?#":
            return text[:index], text[index:]
    return text, ""
