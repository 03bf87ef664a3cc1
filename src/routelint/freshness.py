"""Whether the `openai` SDK installed beside routelint is newer than the one its catalog was
generated from: then the SDK may know models and shutdowns the catalog does not, and
`routelint --sync-catalog` brings them in. The SDK's metadata is read; the SDK is never imported.
"""
from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Mapping

from routelint.catalog import sdk_version


def installed_sdk() -> tuple[int, ...] | None:
    """The version of the `openai` distribution in this environment, from its metadata."""
    try:
        text = importlib.metadata.version("openai")
    except importlib.metadata.PackageNotFoundError:
        return None
    found = re.match(r"\d+(?:\.\d+)*", text)
    return tuple(int(part) for part in found.group(0).split(".")) if found else None


def newer_sdk_note(meta: Mapping[str, str], installed: tuple[int, ...] | None = None) -> str | None:
    """A sentence for `--version` and `-v` when the installed SDK is newer than the catalog's."""
    installed = installed if installed is not None else installed_sdk()
    catalog = sdk_version(meta)
    if installed is None or catalog is None or installed <= catalog:
        return None
    return (
        f"openai {'.'.join(map(str, installed))} is installed here, newer than the catalog's "
        f"openai=={'.'.join(map(str, catalog))}: `routelint --sync-catalog` reads its models and shutdown dates"
    )
