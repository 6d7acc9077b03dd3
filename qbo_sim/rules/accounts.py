"""Account types (reference §2.3 6430, §6, §8) and items whose accounts were made inactive.

6430 ``Invalid account type: You need to select a different type of account for this
transaction.`` when (fidelity ``enforce_account_types``; all assumed except the Purchase case,
observed in quickbooks-ruby#532/#229):

- Item ``IncomeAccountRef`` is not an Income account; ``ExpenseAccountRef`` not Expense or Cost
  of Goods Sold; ``AssetAccountRef`` not Other Current Asset (inventory asset);
- Purchase ``AccountRef`` is not Bank (PaymentType Check or Cash) or Credit Card (CreditCard);
- a Bill/Purchase/PurchaseOrder ``AccountBasedExpenseLineDetail.AccountRef`` is Accounts
  Receivable, Accounts Payable or Bank (assumed: those post through their own forms);
- Payment ``DepositToAccountRef`` is not Bank or Other Current Asset (Undeposited Funds);
  likewise the account a RefundReceipt pays out of (assumed);
- a Transfer ``FromAccountRef``/``ToAccountRef`` is not Bank, Credit Card or Other Current
  Asset (assumed).

A Transfer between an account and itself → 6000 with the fidelity
``transfer_same_account_detail`` wording (assumed; checked whatever ``enforce_account_types``).

An account without ``AccountType`` is not judged. An item whose accounts are inactive poisons
the transactions that use it (article §5, GL mapping mismatch): a sales line checks the item's
income account, a purchase line its expense account, and both check the expense (COGS) and
asset accounts of an Inventory item → 610 "made inactive" (or 2500, fidelity
``inactive_reference_fault``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.entities.lists import BANK
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import business_error, inactive_fault, ref_value, setting
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

# The allowed account types of each reference are the specs' ``account_types`` and
# ``account_types_by``; expense lines are checked on forms with ``lines == "expense"``.
FORBIDDEN_EXPENSE_LINE_TYPES = frozenset({"Accounts Receivable", "Accounts Payable", BANK})


def _account_type(ctx: OpContext, entity: Entity, path: str) -> str | None:
    account_id = ref_value(entity, path)
    account = ctx.company.get("Account", account_id) if account_id else None
    return None if account is None else account.get("AccountType")


def _require(ctx: OpContext, entity: Entity, path: str, allowed: frozenset[str]) -> None:
    kind = _account_type(ctx, entity, path)
    if kind is not None and kind not in allowed:
        raise QBOFault("invalid_account_type")


def check_types(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    if not setting(ctx, "enforce_account_types"):
        return
    for path, allowed in spec.account_types.items():
        _require(ctx, new, path, allowed)
    if spec.account_types_by is not None:
        selector, path, by_value = spec.account_types_by
        chosen = by_value.get(str(new.get(selector)))
        if chosen is not None:
            _require(ctx, new, path, chosen)
    if spec.lines == "expense":
        for line in new.get("Line") or []:
            detail = line.get("AccountBasedExpenseLineDetail") if isinstance(line, dict) else None
            if isinstance(detail, dict):
                kind = _account_type(ctx, detail, "AccountRef")
                if kind in FORBIDDEN_EXPENSE_LINE_TYPES:
                    raise QBOFault("invalid_account_type")


def _item_accounts(item: Entity, side: str) -> list[str]:
    paths = ["IncomeAccountRef"] if side == "sales" else ["ExpenseAccountRef"]
    if item.get("Type") == "Inventory":
        paths += [p for p in ("ExpenseAccountRef", "AssetAccountRef") if p not in paths]
    return paths


def check_item_accounts(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    """An item used on a line must not post to an inactive account."""
    if spec.lines == "sales":
        side, detail_name = "sales", "SalesItemLineDetail"
    elif spec.lines == "expense":
        side, detail_name = "purchases", "ItemBasedExpenseLineDetail"
    else:
        return
    unchanged: set[str] = set()
    if old is not None and setting(ctx, "inactive_check_on_update") == "changed":
        unchanged = {i for i in _line_items(old, detail_name) if i}
    for item_id in _line_items(new, detail_name):
        item = ctx.company.get("Item", item_id) if item_id else None
        if item is None or item_id in unchanged:
            continue
        for path in _item_accounts(item, side):
            account_id = ref_value(item, path)
            account = ctx.company.get("Account", account_id) if account_id else None
            if account is not None and account.get("Active") is False:
                raise inactive_fault(ctx)


def _line_items(entity: Entity, detail_name: str) -> list[str | None]:
    items = []
    for line in entity.get("Line") or []:
        detail = line.get(detail_name) if isinstance(line, dict) else None
        if isinstance(detail, dict):
            items.append(ref_value(detail, "ItemRef"))
    return items


def check_transfer(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    """A Transfer moves money between two different accounts (``spec.distinct_refs``)."""
    if spec.distinct_refs is None:
        return
    first, second = spec.distinct_refs
    source = ref_value(new, first)
    if source is not None and source == ref_value(new, second):
        raise business_error(setting(ctx, "transfer_same_account_detail"))


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    check_transfer(ctx, spec, new)
    check_types(ctx, spec, new)
    check_item_accounts(ctx, spec, new, old)
