"""The rules, in one explicit, ordered tuple (no registry filled by import side effects)."""
from __future__ import annotations

from routelint.checks import (
    rl001_unreadable,
    rl100_unused_suppression,
    rl101_display_name,
    rl102_non_canonical_id,
    rl201_shut_down_model,
    rl202_deprecated_model,
    rl203_shut_down_api,
    rl204_shut_down_parameter,
    rl301_endpoint_mismatch,
    rl302_audio_route,
)

ALL_CHECKS = (
    rl001_unreadable,
    rl100_unused_suppression,
    rl101_display_name,
    rl102_non_canonical_id,
    rl201_shut_down_model,
    rl202_deprecated_model,
    rl203_shut_down_api,
    rl204_shut_down_parameter,
    rl301_endpoint_mismatch,
    rl302_audio_route,
)
