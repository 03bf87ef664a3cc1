"""Generate ``rules/sdk.toml`` from the files of an installed ``openai`` SDK.

The SDK is the most current public list of model IDs and announced shutdowns, so the catalog
copies its facts, each with the line it comes from. Which SDK files feed which surface is data
(``rules/sdk-layout.toml``); every deprecation notice of the SDK becomes a fact or is listed,
with its reason, in ``rules/sdk-notices.toml``, and any other stops the generator.

  sdk        read the package as text: files, model Literals, dates in prose
  notices    find every deprecation notice, with where it stands
  layout     load sdk-layout.toml and sdk-notices.toml
  classify   notices -> facts, exclusions, or unclassified
  build      the text of sdk.toml
  diff       semantic changes between two sdk.toml texts
  bump       move the repository to another SDK release
  command    the command line (python -m routelint.sdk_sync)
"""
from routelint.catalog_sync.build import Generated, generate, model_surfaces, run
from routelint.catalog_sync.classify import Facts, UnclassifiedNotices, classify
from routelint.catalog_sync.command import main
from routelint.catalog_sync.diff import diff_catalogs
from routelint.catalog_sync.layout import Layout, LayoutError, load_layout
from routelint.catalog_sync.notices import Notice, all_notices
from routelint.catalog_sync.sdk import SdkFiles, find_openai_package, scan_model_fields

__all__ = [
    "Facts", "Generated", "Layout", "LayoutError", "Notice", "SdkFiles", "UnclassifiedNotices",
    "all_notices", "classify", "diff_catalogs", "find_openai_package", "generate", "load_layout", "main",
    "model_surfaces", "run", "scan_model_fields",
]
