"""Business rules: checks that raise catalogue faults before a write, and the effects a write
has on linked entities (payments on invoices, balances). Placeholder until the rules land."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.operations import OpContext


def check(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    """Raise a QBOFault if ``operation`` may not turn ``old`` into ``new``."""
    return None


def apply_effects(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    """Update linked entities (inside the same unit of work) after a write."""
    return None
