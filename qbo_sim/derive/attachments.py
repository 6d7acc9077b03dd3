"""Attachable links as QBO answers them (docs/research/attachable.md §1).

Each ``AttachableRef`` gets ``IncludeOnSend: false`` when the client sends none (recorded
answers always carry it) and its ``EntityRef.type`` in the entity's own spelling: clients
write ``invoice`` (Intuit's own example) and QBO answers ``Invoice``.
"""

from __future__ import annotations

from typing import Any

from qbo_sim.entities import lookup


def derive_attachable(entity: dict[str, Any]) -> None:
    """Fill in ``entity``'s links in place."""
    refs = entity.get("AttachableRef")
    if not isinstance(refs, list):
        return
    for link in refs:
        if not isinstance(link, dict):
            continue
        link.setdefault("IncludeOnSend", False)
        target = link.get("EntityRef")
        if isinstance(target, dict) and isinstance(target.get("type"), str):
            spec = lookup(target["type"])
            if spec is not None:
                target["type"] = spec.name
            if "value" in target:
                target["value"] = str(target["value"])
