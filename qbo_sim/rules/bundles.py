"""Bundles (docs/research/projects-and-bundles.md part B): items whose ``Type`` is the spec's
``bundle_type`` (Item ``Group``) and the sales lines that name them.

- the API cannot create, update or deactivate a bundle (DOC-BUNDLE: "Create Item bundles from
  the QuickBooks Online UI, only", the operations table: not supported) → 500 Unsupported
  Operation ``Operation CREATE GROUP is not supported.`` / ``UPDATE GROUP`` (the wording
  assumed from the observed ``Operation CREATE CATEGORY is not supported.``, PHP-SDK#70);
  the QBO user makes and edits them;
- a bundle has at least one component, and a component is neither a bundle nor the bundle
  itself (the XSD: "a group line cannot itself contain group lines") → 2020 / 2500 naming
  ``ItemGroupDetail.ItemGroupLine.ItemRef`` [assumed: the UI refuses them];
- a group line needs a ``GroupItemRef`` (XSD: required) → 2020; one naming an item that is
  not a bundle → 2500 ``Line.GroupLineDetail.GroupItemRef`` [assumed]; an unknown or inactive
  one is :mod:`qbo_sim.rules.references`' (2500, 610).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qbo_sim.derive.bundles import BUNDLE, bundle_of, group_lines
from qbo_sim.derive.lines import GROUP_LINE
from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = ["check"]

GROUP_REF = f"Line.{GROUP_LINE}.GroupItemRef"
COMPONENT_REF = "ItemGroupDetail.ItemGroupLine.ItemRef"


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    if spec.bundle_type is not None:
        _check_bundle(ctx, spec, new, old)
    if spec.lines == "sales":
        _check_group_lines(ctx, new)


def _check_bundle(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    kind = spec.bundle_type
    is_bundle = new.get("Type") == kind
    was_bundle = old is not None and old.get("Type") == kind
    if not (is_bundle or was_bundle):
        return
    if not ctx.user_edit:
        operation = "CREATE" if old is None else "UPDATE"
        raise QBOFault("unsupported_operation", operation=f"{operation} {str(kind).upper()}")
    if not is_bundle:
        return
    components = [c for c in (new.get("ItemGroupDetail") or {}).get("ItemGroupLine") or [] if c]
    if not components:
        raise QBOFault("required_param", name="ItemGroupDetail.ItemGroupLine")
    for component in components:
        value = _ref_value(component, "ItemRef")
        if value is None:
            raise QBOFault("required_param", name=COMPONENT_REF, element=COMPONENT_REF)
        item = ctx.company.get(spec.name, value)
        if value == str(new.get("Id")) or (item is not None and item.get("Type") == kind):
            raise QBOFault("invalid_reference", element=COMPONENT_REF)


def _check_group_lines(ctx: OpContext, new: Entity) -> None:
    for line in group_lines(new):
        detail = line.get(GROUP_LINE)
        value = _ref_value(detail, "GroupItemRef")
        if value is None:
            raise QBOFault("required_param", name="GroupItemRef", element=GROUP_REF)
        if ctx.company.get(BUNDLE, value) is None:
            continue  # the references rule answers 2500
        if bundle_of(ctx.company, line) is None:
            raise QBOFault("invalid_reference", element=GROUP_REF)


def _ref_value(holder: Any, field_name: str) -> str | None:
    ref = holder.get(field_name) if isinstance(holder, dict) else None
    value = ref.get("value") if isinstance(ref, dict) else None
    return None if value in (None, "") else str(value)
