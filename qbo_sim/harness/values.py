"""QBO values as reports show them: JSON text (``null``, ``true``, ``{"Id": "1"}``), the way a
support engineer sees them in QBO's answers, never Python reprs (``None``, ``{'Id': ...}``)."""

from __future__ import annotations

import json
from typing import Any


def show(value: Any) -> str:
    """``value`` as JSON text; a string keeps its quotes (``"CASH"``) so spaces show."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # pragma: no cover - default=str handles the rest
        return str(value)


def show_id(value: Any) -> str:
    """A QBO id for prose: ``42``, or ``none`` when there is none."""
    return "none" if value in (None, "") else str(value)
