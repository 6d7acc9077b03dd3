"""Helpers shared by the rule modules: settings, preferences, money and linked writes."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from qbo_sim import fidelity
from qbo_sim.clock import not_before
from qbo_sim.faults import QBOFault
from qbo_sim.opcontext import EDITORS
from qbo_sim.preferences import preference_value
from qbo_sim.store import Entity, get_path

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

#: Half a cent: amounts closer than this are equal.
EPSILON = 0.005


def setting(ctx: OpContext, name: str) -> Any:
    """The company's value of a fidelity setting (``qbo_sim.fidelity``)."""
    return fidelity.get(ctx.company.fidelity, name)


def preference(ctx: OpContext, dotted: str) -> Any:
    """A company preference (``AccountingInfoPrefs.TrackDepartments``), None when unset."""
    prefs = ctx.company.get("Preferences", "1") or {}
    return preference_value(prefs, dotted)


def money(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def cents(value: float) -> float:
    return round(value + 0.0, 2)


def total_of(entity: Entity) -> float:
    """TotalAmt when derived, else the sum of line amounts (subtotal lines skipped, discount
    lines subtracted): rules must work before and after the derive work lands."""
    if entity.get("TotalAmt") is not None:
        return money(entity["TotalAmt"])
    total = 0.0
    for line in entity.get("Line") or []:
        if not isinstance(line, dict):
            continue
        kind = line.get("DetailType")
        if kind == "SubTotalLineDetail":
            continue
        amount = money(line.get("Amount"))
        total += -amount if kind == "DiscountLineDetail" else amount
    return cents(total)


def ref_value(entity: Entity | None, path: str) -> str | None:
    """The id a reference names (``CustomerRef`` → ``"58"``), as a string."""
    if entity is None:
        return None
    value = get_path(entity, f"{path}.value")
    return None if value in (None, "") else str(value)


def inactive_fault(ctx: OpContext) -> QBOFault:
    """The fault for a reference to an inactive list object (fidelity setting)."""
    if str(setting(ctx, "inactive_reference_fault")) == "2500":
        return QBOFault("inactive_reference")
    return QBOFault("made_inactive")


def business_error(detail: str) -> QBOFault:
    return QBOFault("business_validation", detail=detail)


def touched(ctx: OpContext, type_name: str, entity: Entity) -> Entity:
    """A copy of a linked entity changed as a side effect: new SyncToken and LastUpdatedTime
    (fidelity ``linked_write_bumps_synctoken``), and the actor recorded as its last editor."""
    updated = copy.deepcopy(entity)
    if setting(ctx, "linked_write_bumps_synctoken"):
        updated["SyncToken"] = str(int(updated.get("SyncToken", "0")) + 1)
        meta = dict(updated.get("MetaData") or {})
        meta["LastUpdatedTime"] = not_before(
            ctx.now_meta(), meta.get("CreateTime"), meta.get("LastUpdatedTime")
        )
        updated["MetaData"] = meta
        ctx.company.set_extra_item(EDITORS, f"{type_name}:{updated['Id']}", ctx.actor)
    return updated
