"""The ledger: ``Account.CurrentBalance`` follows every posting transaction (issue 17 item 3).

Each transaction posts by its spec's :class:`~qbo_sim.entities.Ledger` (sourced in
docs/research/currency-and-ledger.md §B6): its header account takes one side of the amount
and its lines (or one counter account) the other. A line posts by its DetailType:

- ``SalesItemLineDetail``: the item's ``IncomeAccountRef`` (a bundle line: each of its
  parts); ``ItemBasedExpenseLineDetail``: the item's ``ExpenseAccountRef``;
  ``AccountBasedExpenseLineDetail``, ``DepositLineDetail`` and ``JournalEntryLineDetail``:
  their ``AccountRef`` (a deposit line linked to a payment or sales receipt: that
  transaction's deposit account, Undeposited Funds);
- ``DiscountLineDetail``: its ``DiscountAccountRef``, on the header's side;
- a journal line on its own ``PostingType``; SubTotal, description and tax lines post nothing;
- ``TxnTaxDetail.TotalTax``: the first active ``SalesTaxPayable`` account, on the lines' side
  (a sale's tax credited, a non-US purchase's input tax debited);
- a deposit's ``CashBack``: debited to its ``AccountRef``.

Amounts are in the home currency (× ``ExchangeRate``, rounded to cents per posting). A void
zeroes the amounts and so the postings; a delete removes them; an update re-posts (old
postings out, new in). Writes apply the difference inside the request's unit of work, so a
rolled-back write leaves every balance as it was.

Balances as QBO answers them: ``CurrentBalance`` only on balance-sheet accounts (Asset,
Liability, Equity: "Valid for Balance Sheet accounts", DOC-ACC; income and expense accounts read
0, captured), debits minus credits (captured: Accounts Payable ``-1602.67``, Opening Balance
Equity ``-10.00``; fidelity ``liability_sign`` turns liabilities and equity positive), and
``CurrentBalanceWithSubAccounts`` = its own + its sub-accounts'. Changing a balance does not
change the account's SyncToken or LastUpdatedTime (assumed, as customer balances). Not posted:
inventory (quantity and cost), opening balances, exchange gains and losses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from qbo_sim.derive.lines import flat_lines
from qbo_sim.entities import ENTITIES, EntitySpec, ref_target
from qbo_sim.preferences import home_currency
from qbo_sim.rules.common import cents, money, preference, setting
from qbo_sim.store import Entity, get_path

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = ["BALANCE_SHEET", "apply_effects", "balance_of", "postings"]

#: the entities lines and headers name (``AccountRef`` → Account, ``ItemRef`` → Item)
ACCOUNT = ref_target("AccountRef") or ""
ITEM = ref_target("ItemRef") or ""
#: Classifications whose accounts carry a CurrentBalance.
BALANCE_SHEET = frozenset({"Asset", "Liability", "Equity"})
#: Classifications whose balance ``liability_sign = natural`` shows as credit minus debit.
CREDIT_NORMAL = frozenset({"Liability", "Equity"})
UNDEPOSITED = "UndepositedFunds"
TAX_PAYABLE = "SalesTaxPayable"
#: sides as signs: a debit is +, a credit −
SIGN = {"debit": 1.0, "credit": -1.0}
#: Sub-accounts nest at most 5 levels (§5.13); the bound also stops a ParentRef cycle.
MAX_DEPTH = 8


def postings(ctx: OpContext, spec: EntitySpec, entity: Entity | None) -> dict[str, float]:
    """``{account id: debit − credit}`` of one transaction version (home currency, cents)."""
    ledger = spec.ledger
    if ledger is None or entity is None or entity.get("status") == "Deleted":
        return {}
    rate = _rate(entity)
    sign = SIGN[ledger.side]
    if ledger.reversed_by is not None:
        field_name, value = ledger.reversed_by
        if entity.get(field_name) == value:
            sign = -sign
    out: dict[str, float] = defaultdict(float)
    amount = money(entity.get(ledger.amount))
    currency = _currency(entity)
    if ledger.header:
        header = _account(ctx, entity, ledger.header, ledger.header_type, currency)
        if header is not None:
            out[header] += sign * amount
    if ledger.counter:
        counter = _account(ctx, entity, ledger.counter, ledger.counter_type, currency)
        if counter is not None:
            out[counter] -= sign * amount
    else:
        for account_id, signed in _line_postings(ctx, spec, entity, sign):
            out[account_id] += signed
    return {k: cents(v * rate) for k, v in out.items() if abs(v) > 0}


def _line_postings(
    ctx: OpContext, spec: EntitySpec, entity: Entity, sign: float
) -> Iterator[tuple[str, float]]:
    """``(account id, signed amount)`` of the lines: the side opposite the header's."""
    for line in flat_lines(entity.get("Line")):  # a bundle line posts its parts
        found = _line_account(ctx, line)
        if found is None:
            continue
        account_id, same_side = found
        amount = money(line.get("Amount"))
        detail = line.get("JournalEntryLineDetail")
        if isinstance(detail, dict):  # a journal line says its own side
            yield account_id, (amount if detail.get("PostingType") == "Debit" else -amount)
        else:
            yield account_id, (sign if same_side else -sign) * amount
    tax = money(get_path(entity, "TxnTaxDetail.TotalTax"))
    if tax:  # sales tax credited; a non-US purchase's input tax debited (the lines' side)
        payable = _first_account(ctx, "AccountSubType", TAX_PAYABLE, None)
        if payable is not None:
            yield payable, -sign * tax
    if spec.cash_back:
        back = entity.get("CashBack")
        cash_account = _ref(back, "AccountRef") if isinstance(back, dict) else None
        if cash_account is not None and isinstance(back, dict):
            yield cash_account, sign * money(back.get("Amount"))


def _line_account(ctx: OpContext, line: dict[str, Any]) -> tuple[str, bool] | None:
    """The account a line posts to, and whether it posts on the header's side."""
    detail_type = line.get("DetailType")
    if line.get("LinkedTxn") and detail_type in (None, "DepositLineDetail"):
        return _deposited_from(ctx, line["LinkedTxn"])  # a deposited payment or receipt
    detail = line.get(detail_type) if isinstance(detail_type, str) else None
    if not isinstance(detail, dict):
        return None
    if detail_type == "SalesItemLineDetail":
        return _item_account(ctx, detail, "IncomeAccountRef")
    if detail_type == "ItemBasedExpenseLineDetail":
        return _item_account(ctx, detail, "ExpenseAccountRef")
    if detail_type == "DiscountLineDetail":
        account_id = _ref(detail, "DiscountAccountRef")
        return (account_id, True) if account_id else None
    account_id = _ref(detail, "AccountRef")
    return (account_id, False) if account_id else None


def _item_account(
    ctx: OpContext, detail: dict[str, Any], field_name: str
) -> tuple[str, bool] | None:
    item = ctx.company.get(ITEM, _ref(detail, "ItemRef") or "")
    account_id = _ref(item, field_name) if item is not None else None
    return (account_id, False) if account_id else None


def _deposited_from(ctx: OpContext, links: Any) -> tuple[str, bool] | None:
    """The account a deposited payment or sales receipt waits in (Undeposited Funds)."""
    for link in links if isinstance(links, list) else []:
        spec = ENTITIES.get(str(link.get("TxnType"))) if isinstance(link, dict) else None
        if spec is None:
            continue
        linked = ctx.company.get(spec.name, str(link.get("TxnId")))
        account_id = _ref(linked, "DepositToAccountRef") if linked is not None else None
        if account_id:
            return account_id, False
    found = _first_account(ctx, "AccountSubType", UNDEPOSITED, None)
    return (found, False) if found else None


def _account(
    ctx: OpContext,
    entity: Entity,
    paths: tuple[str, ...],
    default_type: str | None,
    currency: str | None,
) -> str | None:
    for path in paths:
        value = get_path(entity, f"{path}.value")
        if value not in (None, ""):
            return str(value)
    if default_type is None:
        return None
    return _first_account(ctx, "AccountType", default_type, currency)


def _first_account(ctx: OpContext, path: str, value: str, currency: str | None) -> str | None:
    """The first active account with ``path = value`` in ``currency`` (None: the home
    currency; an account without CurrencyRef is in the home currency) — an index lookup."""
    home = _home(ctx)
    for account in ctx.company.find(ACCOUNT, path, value):
        if account.get("Active", True) is False:
            continue
        own = get_path(account, "CurrencyRef.value") or home
        if (currency or home) == own:
            return str(account["Id"])
    return None


def _home(ctx: OpContext) -> str:
    home = preference(ctx, "CurrencyPrefs.HomeCurrency")
    return home_currency({"CurrencyPrefs": {"HomeCurrency": home}} if home else {})


def _currency(entity: Entity) -> str | None:
    value = get_path(entity, "CurrencyRef.value")
    return str(value) if value else None


def _rate(entity: Entity) -> float:
    raw = entity.get("ExchangeRate")
    try:
        rate = float(raw) if raw is not None else 1.0
    except (TypeError, ValueError):
        return 1.0
    return rate if rate > 0 else 1.0


def _ref(holder: Any, field_name: str) -> str | None:
    ref = holder.get(field_name) if isinstance(holder, dict) else None
    value = ref.get("value") if isinstance(ref, dict) else None
    return str(value) if value not in (None, "") else None


def balance_of(ctx: OpContext, account: Entity, debit_minus_credit: float) -> float:
    """What ``CurrentBalance`` shows for an account whose postings net ``debit_minus_credit``."""
    classification = account.get("Classification")
    if classification not in BALANCE_SHEET:
        return 0.0
    if classification in CREDIT_NORMAL and setting(ctx, "liability_sign") == "natural":
        return cents(-debit_minus_credit)
    return cents(debit_minus_credit)


def apply_effects(ctx: OpContext, spec: EntitySpec, new: Entity | None, old: Entity | None) -> None:
    """Move the balances of the accounts this write re-posted (inside its unit of work)."""
    if spec.ledger is None:
        return
    delta = postings(ctx, spec, new)
    for account_id, amount in postings(ctx, spec, old).items():
        delta[account_id] = delta.get(account_id, 0.0) - amount
    for account_id, amount in sorted(delta.items()):
        if abs(amount) >= 0.005:
            _move(ctx, account_id, amount)


def _move(ctx: OpContext, account_id: str, debit_minus_credit: float) -> None:
    """Add to one account's balance and to the with-sub-accounts balance of it and its
    parents (a new version of each; SyncToken and MetaData unchanged)."""
    company = ctx.company
    account = company.get(ACCOUNT, account_id)
    if account is None:
        return
    shown = balance_of(ctx, account, debit_minus_credit)
    if not shown:
        return
    updated = dict(account)
    updated["CurrentBalance"] = cents(money(account.get("CurrentBalance")) + shown)
    company.put(ACCOUNT, updated)
    depth = 0
    current: Entity | None = updated
    while current is not None and depth < MAX_DEPTH:
        moved = dict(current)
        moved["CurrentBalanceWithSubAccounts"] = cents(
            money(current.get("CurrentBalanceWithSubAccounts")) + shown
        )
        company.put(ACCOUNT, moved)
        parent = _ref(moved, "ParentRef")
        current = company.get(ACCOUNT, parent) if parent else None
        depth += 1
