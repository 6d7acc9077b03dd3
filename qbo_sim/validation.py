"""Request validation against the per-entity JSON Schemas (2010, 2020, 2050, 2170, ...).

Placeholder until the schema work lands: accepts every JSON object.
"""

from __future__ import annotations

from typing import Any

from qbo_sim.entities import EntitySpec


def validate_request(
    spec: EntitySpec, payload: dict[str, Any], *, operation: str, sparse: bool = False
) -> None:
    """Raise the QBO fault for the first problem in ``payload``; return None when valid."""
    return None
