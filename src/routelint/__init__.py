"""routelint: lint Python code for OpenAI model strings that are wrong for where they go."""
from __future__ import annotations

__version__ = "0.1.0"
