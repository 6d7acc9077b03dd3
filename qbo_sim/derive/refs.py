"""Reference ``name`` values: QBO fills ``{"value": "58", "name": "Acme"}`` from the entity the
reference points at (§5.2). Missing targets are left alone: the rules answer 2500 for them."""

from __future__ import annotations

from typing import Any

from qbo_sim.entities import ENTITIES, ref_target
from qbo_sim.store import Company

#: References QBO returns without a name (US line tax codes are just "TAX"/"NON"; Intuit's
#: samples name no TaxLine TaxRateRef and no TaxRate AgencyRef).
#: ProjectRef: DOC-ENT's samples and Intuit's project use case return it without a name.
UNNAMED = frozenset(
    {"TaxCodeRef", "CurrencyRef", "TxnTaxCodeRef", "TaxRateRef", "AgencyRef", "ProjectRef"}
)


def fill_ref_names(company: Company, owner_type: str, entity: dict[str, Any]) -> None:
    """Set the ``name`` of every resolvable ``*Ref`` in ``entity`` (in place)."""
    _walk(company, owner_type, entity)


def _walk(company: Company, owner_type: str, node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(company, owner_type, item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key.endswith("Ref") and isinstance(value, dict) and "value" in value:
            _name_ref(company, _target(owner_type, key, value, node), value)
        elif isinstance(value, dict | list):
            _walk(company, owner_type, value)


def _target(owner_type: str, key: str, ref: dict[str, Any], holder: dict[str, Any]) -> str | None:
    if key in UNNAMED:
        return None
    if key == "ParentRef":
        return owner_type
    if key == "EntityRef":  # Purchase.EntityRef {"type"}, JournalEntry line Entity {"Type"}
        return ref.get("type") or holder.get("Type")
    return ref_target(key) or None


def _name_ref(company: Company, target: str | None, ref: dict[str, Any]) -> None:
    if target not in ENTITIES or ref.get("value") in (None, ""):
        return
    found = company.get(target, str(ref["value"]))
    if found is None:
        return
    # the field QBO shows as a reference's name: the target's name field (``Name`` otherwise)
    name = found.get(ENTITIES[target].name_field or "Name")
    if name:
        ref["name"] = name
