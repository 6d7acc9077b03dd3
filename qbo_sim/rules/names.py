"""Name uniqueness (reference §3.1, §8): 6240 ``The name supplied already exists. : Id=<id>``.

- Customer, Vendor and Employee share one DisplayName namespace (``EntitySpec.namespace ==
  "Party"``), sub-customers (properties, sites, jobs) included: a property named like any
  customer, vendor or employee anywhere in the company is a duplicate [observed 6240].
- Item, Account, Class, Department, Term and PaymentMethod names are unique in their own
  list. For the hierarchical ones (Item, Account, Class, Department) qbo-sim compares the full
  name, i.e. the same Name under different parents is allowed (fidelity
  ``name_scope_hierarchical``; assumed: QBO's FullyQualifiedName is what must be unique).
- Comparison ignores case and surrounding whitespace (fidelity ``name_match_case_insensitive``;
  assumed, §7 gap 2).
- Inactive objects block too (fidelity ``inactive_names_block``, default true): Bill.com and
  PayMaker "Another customer, vendor, employee, or donor is already using this name ... This
  includes inactive records" (help.bill.com 115005953846, paymakerhelp 360028563811);
  Teachworks "a customer exists in QuickBooks with the same first and last name, but the
  customer is inactive" (teachworks.uservoice 1824445). Reactivating is never checked; an
  update that keeps its own name is not checked either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import ref_value, setting
from qbo_sim.store import Entity, index_key

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext


def namespace_types(spec: EntitySpec) -> list[EntitySpec]:
    """The entity types whose names share ``spec``'s namespace."""
    return [other for other in ENTITIES.values() if other.namespace == spec.namespace]


def _same_name(ctx: OpContext, a: object, b: object) -> bool:
    if setting(ctx, "name_match_case_insensitive"):
        return index_key(a) == index_key(b)
    return a == b


def _needs_check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> bool:
    if old is None:
        return True
    name_field = spec.name_field or ""
    if not _same_name(ctx, new.get(name_field), old.get(name_field)):
        return True
    return spec.hierarchical and ref_value(new, "ParentRef") != ref_value(old, "ParentRef")


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    """Raise 6240 naming the Id of the entity that already uses ``new``'s name."""
    name_field = spec.name_field
    if not spec.is_list or name_field is None or spec.namespace is None:
        return
    name = new.get(name_field)
    if not isinstance(name, str) or not name.strip() or not _needs_check(ctx, spec, new, old):
        return
    by_full_name = (
        spec.hierarchical
        and spec.namespace == spec.name
        and setting(ctx, "name_scope_hierarchical") == "full_name"
    )
    inactive_block = setting(ctx, "inactive_names_block")
    for other in namespace_types(spec):
        if other.name_field is None or not ctx.company.is_indexed(other.name, other.name_field):
            continue
        for candidate in ctx.company.find(other.name, other.name_field, name):
            if other.name == spec.name and candidate["Id"] == new["Id"]:
                continue
            if not _same_name(ctx, candidate.get(other.name_field), name):
                continue
            if candidate.get("Active") is False and not inactive_block:
                continue
            if by_full_name and ref_value(candidate, "ParentRef") != ref_value(new, "ParentRef"):
                continue
            raise QBOFault("duplicate_name", id=candidate["Id"])
