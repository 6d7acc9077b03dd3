"""Placeholder: installs nothing yet."""

from __future__ import annotations

from typing import Any


def install(sim: Any) -> None:
    """Attach this feature to a new simulator."""
    return None
