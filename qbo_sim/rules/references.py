"""Reference checks: every ``*Ref`` of an entity and its lines must name an existing, active
object (reference §2.3 610/2500, §8).

- unknown id → 2500 ``Invalid Reference Id : <path>`` with ``element`` = the path without list
  indices (``Line.SalesItemLineDetail.ItemRef``) [observed, PHP-SDK#102];
- inactive Class, Item, Customer, Vendor, Account, Department or Term → 610 "made inactive"
  (or 2500 with the same detail: fidelity ``inactive_reference_fault``);
- on update every reference is checked again, changed or not (fidelity
  ``inactive_check_on_update``; assumed: re-saving an invoice whose item was made inactive in
  QBO fails, which is how article §9 hits a sync that updates);
- ``ParentRef`` names the entity's own type; ``EntityRef`` names the type in its ``type``
  (Vendor when absent: assumed); ``LinkedTxn`` is checked by :mod:`qbo_sim.rules.ledger`;
- ClassRef/DepartmentRef on a transaction while tracking is off are dropped (fidelity
  ``untracked_class_department``; assumed from integrator reports that QBO ignores them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from qbo_sim.entities import ENTITIES, REF_TARGETS, EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import inactive_fault, preference, setting
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

# List types whose inactive objects may not be referenced (§8): ``spec.inactive_checked``.
#: Subtrees that are not references to check (``AttachableRef``: qbo_sim.rules.attachments).
SKIPPED_KEYS = frozenset({"MetaData", "LinkedTxn", "AttachableRef"})
#: Party types an ``EntityRef`` without ``type`` may name.
ENTITY_REF_TYPES = ("Vendor", "Customer", "Employee")


def iter_refs(entity: Entity, prefix: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(path, field name, ref)`` for every reference object, in document order."""
    for key, value in entity.items():
        if key in SKIPPED_KEYS:
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            if key.endswith("Ref") and "value" in value:
                yield path, key, value
            else:
                yield from iter_refs(value, path)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from iter_refs(item, path)


def target_types(spec: EntitySpec, field_name: str, ref: dict[str, Any]) -> tuple[str, ...]:
    """The entity types a reference may name (empty: not a reference qbo-sim checks)."""
    if field_name == "ParentRef":
        return (spec.name,)
    if field_name == "EntityRef":
        kind = ref.get("type")
        return (str(kind),) if kind in ENTITY_REF_TYPES else ENTITY_REF_TYPES
    target = REF_TARGETS.get(field_name)
    return (target,) if target else ()


def resolve(ctx: OpContext, types: tuple[str, ...], value: Any) -> tuple[str, Entity] | None:
    for type_name in types:
        found = ctx.company.get(type_name, str(value))
        if found is not None:
            return type_name, found
    return None


def drop_untracked(ctx: OpContext, spec: EntitySpec, entity: Entity) -> None:
    """Remove ClassRef/DepartmentRef the company does not track (fidelity setting)."""
    if not spec.is_transaction or setting(ctx, "untracked_class_department") != "drop":
        return
    if not preference(ctx, "AccountingInfoPrefs.ClassTrackingPerTxn"):
        entity.pop("ClassRef", None)
    if not preference(ctx, "AccountingInfoPrefs.TrackDepartments"):
        entity.pop("DepartmentRef", None)
    if not preference(ctx, "AccountingInfoPrefs.ClassTrackingPerTxnLine"):
        for line in entity.get("Line") or []:
            for detail in line.values() if isinstance(line, dict) else ():
                if isinstance(detail, dict):
                    detail.pop("ClassRef", None)


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    """Raise 2500 for an unknown id, 610 (or 2500) for an inactive object."""
    unchanged: set[tuple[str, str]] = set()
    if old is not None and setting(ctx, "inactive_check_on_update") == "changed":
        unchanged = {(path, str(ref.get("value"))) for path, _, ref in iter_refs(old)}
    for path, field_name, ref in iter_refs(new):
        types = target_types(spec, field_name, ref)
        if not types or ref.get("value") in (None, ""):
            continue
        found = resolve(ctx, types, ref["value"])
        if found is None:
            raise QBOFault("invalid_reference", element=path)
        type_name, target = found
        if ENTITIES[type_name].inactive_checked and target.get("Active") is False:
            if (path, str(ref["value"])) not in unchanged:
                raise inactive_fault(ctx)
