"""Fields QBO computes: line amounts, TotalAmt, SubTotalLine, Balance, DueDate, DocNumber,
FullyQualifiedName/Level, reference names. Placeholder until the entity work lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.operations import OpContext


def derive(ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """Fill in computed fields of ``entity`` in place (``old`` is the stored version)."""
    return None


def void(ctx: OpContext, spec: EntitySpec, entity: Entity) -> None:
    """Turn ``entity`` into its voided form in place (§5.4)."""
    note = entity.get("PrivateNote") or ""
    entity["PrivateNote"] = f"Voided{(' - ' + note) if note else ''}"
    entity["TotalAmt"] = 0
