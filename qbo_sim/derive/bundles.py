"""Bundle lines: a sales line with ``GroupLineDetail`` names a bundle (an Item whose ``Type`` is
the spec's ``bundle_type``, QBO's ``Group``) and is expanded into the bundle's components as
QBO does (docs/research/projects-and-bundles.md part B).

- ``GroupLineDetail.Line`` absent (a create, or an update that leaves the parts out): one
  ``SalesItemLineDetail`` part per ``ItemGroupDetail.ItemGroupLine``, ``Qty`` = the component's
  Qty × the group ``Quantity``, ``UnitPrice`` = the component item's ``UnitPrice`` (0 when it
  has none), ``Amount`` = Qty × UnitPrice, ``Description`` = the component's ``Description``
  [observed shape: RUBY-FX invoice_with_bundle_line_item.xml; the expansion rule assumed];
  sent parts are kept and checked as any sales line (6070) [assumed];
- ``Quantity`` absent: 1 [assumed]; the group line's ``Description`` absent: the bundle's;
- the group line's own ``Amount``: 0 (fidelity ``group_line_amount``: the 2016 capture has
  ``<Amount>0</Amount>`` on the group line and the parts' sum in the SubTotal line) or the sum
  of its parts; totals, tax and postings always read the parts.

A group line naming no bundle is left as it is: the rules answer (2500, 2020).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qbo_sim import fidelity
from qbo_sim.derive.lines import GROUP_LINE, SALES_LINE, group_parts, money, sum_lines
from qbo_sim.entities import ENTITIES, EntitySpec, ref_target
from qbo_sim.store import Company, Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = ["bundle_of", "describe_components", "expand_groups", "group_amounts", "group_lines"]

#: the entity a ``GroupItemRef`` names (Item)
BUNDLE = ref_target("GroupItemRef") or ""


def group_lines(entity: Entity) -> Iterator[dict[str, Any]]:
    """The lines of ``entity`` with a ``GroupLineDetail`` (top level: groups do not nest)."""
    for line in entity.get("Line") or []:
        if isinstance(line, dict) and line.get("DetailType") == GROUP_LINE:
            yield line


def bundle_of(company: Company, line: dict[str, Any]) -> Entity | None:
    """The bundle a group line names, or None (unknown, or an item that is not a bundle)."""
    detail = line.get(GROUP_LINE)
    ref = detail.get("GroupItemRef") if isinstance(detail, dict) else None
    value = ref.get("value") if isinstance(ref, dict) else None
    if value in (None, ""):
        return None
    item = company.get(BUNDLE, str(value))
    if item is None or item.get("Type") != ENTITIES[BUNDLE].bundle_type:
        return None
    return item


def expand_groups(ctx: OpContext, spec: EntitySpec, entity: Entity) -> None:
    """Fill in the parts, Quantity and Description of every group line (in place)."""
    if spec.lines != "sales":
        return
    for line in group_lines(entity):
        bundle = bundle_of(ctx.company, line)
        if bundle is None:
            continue
        detail = line[GROUP_LINE]
        if detail.get("Quantity") is None:
            detail["Quantity"] = 1
        if not detail.get("Line"):
            detail["Line"] = _components(ctx.company, bundle, detail["Quantity"])
        if not line.get("Description") and bundle.get("Description"):
            line["Description"] = bundle["Description"]


def describe_components(company: Company, spec: EntitySpec, entity: Entity) -> None:
    """A bundle's ``ItemGroupLine`` references carry the component's ``type`` (DOC-BUNDLE's
    resulting object: ``{"value": "5", "name": "Rock Fountain", "type": "Inventory"}``)."""
    if spec.bundle_type is None or entity.get("Type") != spec.bundle_type:
        return
    for component in (entity.get("ItemGroupDetail") or {}).get("ItemGroupLine") or []:
        ref = component.get("ItemRef") if isinstance(component, dict) else None
        if not isinstance(ref, dict) or ref.get("value") in (None, ""):
            continue
        item = company.get(spec.name, str(ref["value"]))
        if item is not None and item.get("Type"):
            ref["type"] = item["Type"]


def _components(company: Company, bundle: Entity, quantity: Any) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    group = bundle.get("ItemGroupDetail") or {}
    for component in group.get("ItemGroupLine") or []:
        ref = component.get("ItemRef") if isinstance(component, dict) else None
        item = company.get(BUNDLE, str(ref.get("value"))) if isinstance(ref, dict) else None
        if item is None:
            continue
        qty = Decimal(str(component.get("Qty") or 0)) * Decimal(str(quantity))
        price = item.get("UnitPrice") or 0
        part: dict[str, Any] = {}
        if item.get("Description"):
            part["Description"] = item["Description"]
        part["Amount"] = money(qty * Decimal(str(price)))
        part["DetailType"] = SALES_LINE
        part[SALES_LINE] = {
            "ItemRef": {"value": str(item["Id"])},
            "UnitPrice": price,
            "Qty": _number(qty),
        }
        code = item.get("SalesTaxCodeRef")  # non-US: the component's sales tax code (assumed)
        if isinstance(code, dict) and code.get("value") not in (None, ""):
            part[SALES_LINE]["TaxCodeRef"] = {"value": str(code["value"])}
        parts.append(part)
    return parts


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def group_amounts(ctx: OpContext, entity: Entity) -> None:
    """The group lines' own ``Amount`` (fidelity ``group_line_amount``), once the parts'
    amounts are final (after tax: TaxInclusive parts are stored net)."""
    zero = fidelity.get(ctx.company.fidelity, "group_line_amount") == "zero"
    for line in group_lines(entity):
        parts = group_parts(line)
        line["Amount"] = 0.0 if zero else money(sum_lines(parts, kinds=(SALES_LINE,)))
