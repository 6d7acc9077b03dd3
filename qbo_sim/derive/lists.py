"""Name-list fields QBO fills in: DisplayName and PrintOnCheckName of people, Active,
hierarchy (ParentRef → Sub* flag, Level, FullyQualifiedName ``Parent:Child``), Customer
Job/BillWithParent, Account Classification and balances (reference §3.1, §5.13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qbo_sim.derive import bundles
from qbo_sim.faults import QBOFault
from qbo_sim.store import Entity
from qbo_sim.validation import check_job_parent

if TYPE_CHECKING:
    from qbo_sim.entities import EntitySpec
    from qbo_sim.opcontext import OpContext

NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
#: "Up to four levels of nesting under a top-level parent" (§3.1): Level 0..4.
MAX_LEVEL = 4
# Per-list facts are fields of the spec: ``print_on_check_max`` (PrintOnCheckName limits,
# §3.1: the default is DisplayName cut to fit), ``sub_flag`` and ``levelled`` (the Sub* flag
# of a hierarchical list; Level for Customer and Item only), ``balance_fields`` (server-owned
# balances: 0 on create, the stored value on update; the rules keep them current), ``jobs``,
# ``defaults``.

CLASSIFICATION = {
    "Bank": "Asset",
    "Other Current Asset": "Asset",
    "Fixed Asset": "Asset",
    "Other Asset": "Asset",
    "Accounts Receivable": "Asset",
    "Equity": "Equity",
    "Expense": "Expense",
    "Other Expense": "Expense",
    "Cost of Goods Sold": "Expense",
    "Accounts Payable": "Liability",
    "Credit Card": "Liability",
    "Long Term Liability": "Liability",
    "Other Current Liability": "Liability",
    "Income": "Revenue",
    "Other Income": "Revenue",
}
#: AccountSubType QBO picks when only AccountType is sent (assumed from the QBO UI defaults).
DEFAULT_SUBTYPE = {
    "Bank": "Checking",
    "Other Current Asset": "OtherCurrentAssets",
    "Fixed Asset": "OtherFixedAssets",
    "Other Asset": "OtherLongTermAssets",
    "Accounts Receivable": "AccountsReceivable",
    "Equity": "OpeningBalanceEquity",
    "Expense": "OtherMiscellaneousServiceCost",
    "Other Expense": "OtherMiscellaneousExpense",
    "Cost of Goods Sold": "SuppliesMaterialsCogs",
    "Accounts Payable": "AccountsPayable",
    "Credit Card": "CreditCard",
    "Long Term Liability": "OtherLongTermLiabilities",
    "Other Current Liability": "OtherCurrentLiabilities",
    "Income": "ServiceFeeIncome",
    "Other Income": "OtherMiscellaneousIncome",
}
#: AccountType for a subtype sent alone (the reverse of the table above, plus common ones).
SUBTYPE_TYPE = {v: k for k, v in DEFAULT_SUBTYPE.items()} | {
    "UndepositedFunds": "Other Current Asset",
    "Inventory": "Other Current Asset",
    "SalesOfProductIncome": "Income",
    "CashOnHand": "Bank",
    "Savings": "Bank",
    "AdvertisingPromotional": "Expense",
    "Auto": "Expense",
    "EquipmentRental": "Expense",
    "SuppliesMaterials": "Expense",
    "Utilities": "Expense",
    "CostOfLaborCos": "Cost of Goods Sold",
}


def derive_list(ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    if entity.get("Active") is None:
        entity["Active"] = True
    if spec.print_on_check_max is not None:
        _party(spec, entity)
    if spec.hierarchical:
        _hierarchy(ctx, spec, entity)
    for field in spec.balance_fields:
        entity[field] = (old or {}).get(field, 0.0) if old is not None else 0.0
    for field, value in spec.defaults.items():
        entity.setdefault(field, value)
    computed = COMPUTED.get(spec.name)
    if computed is not None:
        computed(entity)
    bundles.describe_components(ctx.company, spec, entity)


def build_display_name(entity: Entity) -> str:
    """``Title GivenName MiddleName FamilyName Suffix`` (the parts that are present)."""
    parts = (str(entity.get(p) or "").strip() for p in NAME_PARTS)
    return " ".join(p for p in parts if p)


def _party(spec: EntitySpec, entity: Entity) -> None:
    if not str(entity.get("DisplayName") or "").strip():
        entity["DisplayName"] = build_display_name(entity)
    if not entity.get("PrintOnCheckName"):
        entity["PrintOnCheckName"] = entity["DisplayName"][: spec.print_on_check_max]
    if spec.jobs:
        has_parent = _has_parent(entity)
        if entity.get("Job") is None:
            entity["Job"] = has_parent
        if entity.get("BillWithParent") is None:
            entity["BillWithParent"] = False
        check_job_parent(entity)  # a sparse update may have left them disagreeing


def _has_parent(entity: Entity) -> bool:
    ref = entity.get("ParentRef")
    return isinstance(ref, dict) and ref.get("value") not in (None, "")


def _hierarchy(ctx: OpContext, spec: EntitySpec, entity: Entity) -> None:
    """Sub* flag, Level and FullyQualifiedName from the parent (6180 past five levels).

    A parent that does not exist is left to the rules (2500); the entity is then treated as
    top level. Children are not renamed when a parent is (the rules own linked entities).
    """
    own_name = _own_name(spec, entity)
    parent = None
    if _has_parent(entity):
        parent = ctx.company.get(spec.name, str(entity["ParentRef"]["value"]))
    level = 0
    fqn = own_name
    if parent is not None:
        level = _level(parent) + 1
        fqn = f"{parent.get('FullyQualifiedName') or _own_name(spec, parent)}:{own_name}"
        if level > MAX_LEVEL:
            raise QBOFault("sub_level_limit")
    entity["FullyQualifiedName"] = fqn
    is_sub = _has_parent(entity)
    # QBO leaves SubItem and Level off a top-level item, and Level off a top-level customer
    # (the parity corpus captures); an update that makes a sub-entity top level drops them.
    if spec.sub_flag is not None:
        if is_sub or not spec.sub_flag_only_when_sub:
            entity[spec.sub_flag] = is_sub
        else:
            entity.pop(spec.sub_flag, None)
    if spec.levelled:
        if is_sub:
            entity["Level"] = level
        else:
            entity.pop("Level", None)


def _own_name(spec: EntitySpec, entity: Entity) -> str:
    return str(entity.get(spec.name_field or "Name") or "")


def _level(entity: Entity) -> int:
    if not _has_parent(entity):
        return 0  # top level: QBO writes no Level
    if isinstance(entity.get("Level"), int):
        return int(entity["Level"])
    return str(entity.get("FullyQualifiedName") or "").count(":")


def _account(entity: Entity) -> None:
    """AccountType from a lone AccountSubType (and the reverse), then Classification."""
    account_type: Any = entity.get("AccountType")
    sub_type = entity.get("AccountSubType")
    if not account_type and sub_type in SUBTYPE_TYPE:
        account_type = entity["AccountType"] = SUBTYPE_TYPE[sub_type]
    if account_type and not sub_type and account_type in DEFAULT_SUBTYPE:
        entity["AccountSubType"] = DEFAULT_SUBTYPE[account_type]
    if account_type in CLASSIFICATION:
        entity["Classification"] = CLASSIFICATION[account_type]


def _term_type(entity: Entity) -> None:
    entity["Type"] = "DATE_DRIVEN" if entity.get("DayOfMonthDue") is not None else "STANDARD"


def _track_qty(entity: Entity) -> None:
    entity.setdefault("TrackQtyOnHand", entity.get("Type") == "Inventory")


#: Fields one list computes by its own rule (the entity's unique derivation, keyed by name).
COMPUTED: dict[str, Callable[[Entity], None]] = {
    "Account": _account,
    "Term": _term_type,
    "Item": _track_qty,
}
