"""Attachable links: each ``AttachableRef.EntityRef`` names an object that may take
attachments and exists (docs/research/attachable.md §2).

- a type that takes no attachments, or no entity at all → 6050 (DOC-ERR; which types take
  them is assumed: transactions, Item, Customer, Vendor, Employee — ``spec.takes_attachments``);
- a reference without ``type`` or ``value`` → 2020 ``EntityRef.type`` / ``.value`` (assumed);
- an object that does not exist (or was deleted) → 6000 "The entity Estimate 75 that you are
  trying to link does not exist" (recorded on /upload);
- when a file's Attachable is deleted its bytes go with it (:mod:`qbo_sim.attachments`).

:mod:`qbo_sim.rules.references` skips ``AttachableRef``: these checks replace its 2500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim import attachments
from qbo_sim.entities import EntitySpec, lookup
from qbo_sim.faults import QBOFault
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext


def check(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    if not spec.is_attachment:
        return
    for link in new.get("AttachableRef") or []:
        target = link.get("EntityRef") if isinstance(link, dict) else None
        if not isinstance(target, dict):
            continue
        type_name = target.get("type")
        if not isinstance(type_name, str) or not type_name.strip():
            raise QBOFault("required_param", name="EntityRef.type", element="EntityRef")
        target_spec = lookup(type_name)
        if target_spec is None or not target_spec.takes_attachments:
            raise QBOFault("attachable_ref_type", type=type_name)
        if str(target.get("value") or "").strip() == "":
            raise QBOFault("required_param", name="EntityRef.value", element="EntityRef")
        value = str(target["value"])
        if ctx.company.get(target_spec.name, value) is None:
            raise QBOFault("attachable_link_missing", type=target_spec.name, id=value)


def apply_effects(ctx: OpContext, spec: EntitySpec, operation: str, old: Entity | None) -> None:
    if spec.is_attachment and operation == "delete" and old is not None:
        attachments.discard(ctx.company, old["Id"])
