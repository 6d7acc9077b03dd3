"""Placeholder: the OAuth 2.0 server is not built yet; the dev token stays in force."""

from __future__ import annotations

from typing import Any


def install(sim: Any) -> None:
    """Attach this feature to a new simulator."""
    return None
