"""Entry point of the sdk.toml generator: ``python -m routelint.sdk_sync`` (``--help``).

The generator lives in :mod:`routelint.catalog_sync`; this module keeps the name that
``routelint --sync-catalog``, the docs and the tests use.
"""
from __future__ import annotations

import sys

from routelint.catalog_sync import (
    Facts,
    Generated,
    Layout,
    LayoutError,
    Notice,
    SdkFiles,
    UnclassifiedNotices,
    all_notices,
    classify,
    diff_catalogs,
    find_openai_package,
    generate,
    load_layout,
    main,
    model_surfaces,
    run,
    scan_model_fields,
)

__all__ = [  # re-exported
    "Facts",
    "Generated",
    "Layout",
    "LayoutError",
    "Notice",
    "SdkFiles",
    "UnclassifiedNotices",
    "all_notices",
    "classify",
    "diff_catalogs",
    "find_openai_package",
    "generate",
    "load_layout",
    "main",
    "model_surfaces",
    "run",
    "scan_model_fields",
]

if __name__ == "__main__":
    sys.exit(main())
