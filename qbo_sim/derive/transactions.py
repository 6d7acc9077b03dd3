"""Transaction fields QBO fills in: TxnDate, DueDate, DocNumber, TotalAmt, Balance and the
per-form defaults (reference §5.12, DOC-ENT create samples)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from qbo_sim.clock import local_date
from qbo_sim.derive import bundles, lines, tax
from qbo_sim.derive.currency import currency_account, currency_of
from qbo_sim.entities import EntitySpec, ref_target
from qbo_sim.entities.currency import ACCOUNTS_PAYABLE
from qbo_sim.preferences import preference_value
from qbo_sim.store import Company, Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

# Per-form facts (Balance, TotalAmt, numbering, term, status and account defaults) are fields
# of the entity's spec (qbo_sim/entities/); their sources are in qbo_sim.mechanics.MECHANICS:
# Invoice §5.12 (create sample); SalesReceipt, CreditMemo, Estimate DOC-ENT samples;
# RefundReceipt, PurchaseOrder and check Purchases assumed.


def derive_transaction(
    ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None
) -> None:
    company = ctx.company
    if not entity.get("TxnDate"):
        entity["TxnDate"] = (old or {}).get("TxnDate") or _today(ctx).isoformat()
    if old is None:
        _party_defaults(company, spec, entity)
    bundles.expand_groups(ctx, spec, entity)
    lines.derive_lines(spec, entity, old)
    tax.derive_tax(ctx, spec, entity, old)
    bundles.group_amounts(ctx, entity)
    _totals(spec, entity, old)
    _due_date(company, spec, entity)
    _doc_number(company, spec, entity, old)
    _form_defaults(ctx, spec, entity, creating=old is None)


def _today(ctx: OpContext) -> date:
    return local_date(ctx.clock.now(), ctx.company.utc_offset_minutes)


def _totals(spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """TotalAmt (``spec.total``: lines, zero, as sent, or a Transfer's Amount) and Balance."""
    if spec.total is None:
        return
    if spec.total == "amount":
        if entity.get("Amount") is not None:
            entity["Amount"] = lines.money(entity["Amount"])
        return
    if spec.total == "zero":
        entity["TotalAmt"] = 0.0
    elif spec.total == "sent":
        entity["TotalAmt"] = lines.money(entity.get("TotalAmt") or 0)
    else:
        amount = lines.total(entity.get("Line") or [])
        detail = entity.get("TxnTaxDetail")
        if isinstance(detail, dict) and detail.get("TotalTax") is not None:
            amount += Decimal(str(detail["TotalTax"]))
        cash_back = entity.get("CashBack")
        if spec.cash_back and isinstance(cash_back, dict):
            amount -= Decimal(str(cash_back.get("Amount") or 0))
        entity["TotalAmt"] = lines.money(amount)
    if spec.balance == "open":
        total = entity["TotalAmt"]
        if old is None:
            balance = total
        else:
            applied = (old.get("TotalAmt") or 0) - (old.get("Balance") or 0)
            balance = max(0.0, lines.money(total - applied))
        entity["Balance"] = lines.money(balance)
        if spec.remaining_credit:
            entity["RemainingCredit"] = entity["Balance"]
    elif spec.balance == "zero":  # RefundReceipt Balance 0: assumed
        entity["Balance"] = 0.0


def _party(company: Company, entity: Entity, ref_field: str, type_name: str) -> Entity | None:
    ref = entity.get(ref_field)
    if isinstance(ref, dict) and ref.get("value") not in (None, ""):
        return company.get(type_name, str(ref["value"]))
    return None


def _party_defaults(company: Company, spec: EntitySpec, entity: Entity) -> None:
    """On create: term, addresses and email from the customer (Invoice, §5.12) or vendor."""
    if not spec.party_defaults or spec.party_ref is None:
        return
    party_type = ref_target(spec.party_ref)
    party = _party(company, entity, spec.party_ref, party_type) if party_type else None
    if party is None:
        return
    term_field = spec.term_field
    if term_field and "SalesTermRef" not in entity and isinstance(party.get(term_field), dict):
        entity["SalesTermRef"] = {"value": party[term_field]["value"]}
    if spec.copy_contact:
        for field in ("BillAddr", "ShipAddr"):
            if field not in entity and isinstance(party.get(field), dict):
                entity[field] = dict(party[field])
        email = party.get("PrimaryEmailAddr")
        if "BillEmail" not in entity and isinstance(email, dict) and email.get("Address"):
            entity["BillEmail"] = {"Address": email["Address"]}


def _due_date(company: Company, spec: EntitySpec, entity: Entity) -> None:
    """DueDate = TxnDate + the term's DueDays (or its DayOfMonthDue); TxnDate without a term
    (assumed). Only forms with a due date (a ``term_field``: Invoice, Bill) and only when
    DueDate is absent."""
    if spec.term_field is None or entity.get("DueDate"):
        return
    txn_date = date.fromisoformat(entity["TxnDate"])
    term = _party(company, entity, "SalesTermRef", "Term")
    entity["DueDate"] = term_due_date(term, txn_date).isoformat()


def term_due_date(term: Entity | None, txn_date: date) -> date:
    """When a term makes a transaction dated ``txn_date`` due."""
    if term is None:
        return txn_date
    if term.get("DueDays") is not None:
        return txn_date + timedelta(days=int(term["DueDays"]))
    day = term.get("DayOfMonthDue")
    if day is None:
        return txn_date
    year, month = txn_date.year, txn_date.month
    if txn_date.day >= int(day):  # assumed: the next month's day when this month's has passed
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(int(day), last))


def _doc_number(company: Company, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """Auto DocNumber (last + 1, from 1001) when custom numbers are off; an update that omits
    DocNumber keeps the stored one (assumed)."""
    if entity.get("DocNumber") not in (None, ""):
        return
    if old is not None:
        if old.get("DocNumber") not in (None, ""):
            entity["DocNumber"] = old["DocNumber"]
        return
    pref = spec.numbering.auto_number_pref if spec.numbering else None
    if pref is None:
        return
    prefs = company.get("Preferences", "1") or {}
    if preference_value(prefs, pref) is True:
        return
    while True:  # skip numbers a client already used by hand
        number = str(company.next_value(f"doc:{spec.name}", start=1001))
        if not company.find(spec.name, "DocNumber", number):
            entity["DocNumber"] = number
            return


def _form_defaults(ctx: OpContext, spec: EntitySpec, entity: Entity, *, creating: bool) -> None:
    company = ctx.company
    if creating and spec.linkable:
        entity.setdefault("LinkedTxn", [])
    _status_defaults(spec, entity)
    for field in spec.money_fields:
        entity[field] = lines.money(entity.get(field) or 0)
    for field, value in spec.defaults.items():
        entity.setdefault(field, value)
    if creating and spec.deposit_default and not entity.get("DepositToAccountRef"):
        account = find_account(company, sub_type="UndepositedFunds", name="Undeposited Funds")
        if account is not None:
            entity["DepositToAccountRef"] = {"value": account["Id"]}
    if creating and spec.ap_default and not entity.get("APAccountRef"):
        # the first Accounts Payable account in the transaction's currency (sheet A4.22)
        account = currency_account(ctx, ACCOUNTS_PAYABLE, currency_of(entity))
        if account is not None:
            entity["APAccountRef"] = {"value": account["Id"]}


def _status_defaults(spec: EntitySpec, entity: Entity) -> None:
    """PrintStatus/EmailStatus when absent (``spec.print_default`` / ``email_default``, only
    while ``spec.status_when`` holds), on create and update."""
    if spec.status_when is not None:
        field, value = spec.status_when
        if entity.get(field) != value:
            return
    if spec.print_default is not None and not entity.get("PrintStatus"):
        entity["PrintStatus"] = spec.print_default
    if spec.email_default is not None and not entity.get("EmailStatus"):
        entity["EmailStatus"] = spec.email_default


def find_account(
    company: Company,
    *,
    sub_type: str | None = None,
    name: str | None = None,
    account_type: str | None = None,
) -> Entity | None:
    """The first active account with this subtype, else this type, else this name (index
    lookups: no scan of the chart of accounts)."""
    for path, value in (
        ("AccountSubType", sub_type),
        ("AccountType", account_type),
        ("Name", name),
    ):
        if value:
            for account in company.find("Account", path, value):
                if account.get("Active", True):
                    return account
    return None
